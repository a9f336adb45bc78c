"""The main window: menus, the status bar and the pages. It arranges; the pages do the work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core.errors import RenewalCoachError
from ..core.models import Account
from ..core.text import clean_line
from ..storage.errors import DatabaseInUseError, StorageError
from ..storage.repository import Store
from ..storage.scores import load_settings
from ..user import MAX_NAME, UserSettingsError, set_user_name, user_name
from . import theme
from .coaching.new_plan import NewPlanDialog
from .coaching.plan_editor import PlanEditor, present_plan
from .dialogs import messages
from .dialogs.calendar_export import CalendarExportDialog
from .dialogs.preferences import PreferencesDialog
from .dialogs.record_form import RecordDialog, RecordForm
from .editing import Editor
from .errors import show_expected_error
from .export_runner import ExportController
from .file_care import DailyCare, FileBanner, WriteGuard
from .help import HelpWindow, ShortcutsDialog
from .icons import icon
from .pages.account.account_page import AccountPage
from .pages.insights import InsightsPage
from .pages.portfolio import PortfolioPage
from .pages.renewals.renewals_page import RenewalsPage
from .pages.this_week import actions as this_week_actions
from .pages.this_week.page import ThisWeekPage
from .recent import RecentDatabases
from .score_service import ScoreService
from .search import search_action
from .settings import (
    COLOUR_SCHEME,
    LAST_DATABASE,
    LAST_PAGE,
    THIS_WEEK_OWNER,
    WORD_TEMPLATE,
    Settings,
)
from .table_export import TableExporter
from .text import plural

GEOMETRY_KEY = "main_geometry"
STATE_KEY = "main_state"
PORTFOLIO_HEADER_KEY = "portfolio_header"
PEOPLE_SPLITTER_KEY = "people_splitter"
RENEWALS_SPLITTER_KEY = "renewals_splitter"
INSIGHTS_SPLITTER_KEY = "insights_splitter"


def _same_file(a: Path | None, b: Path | None) -> bool:
    return a is not None and b is not None and a.resolve() == b.resolve()


class Databases(Protocol):
    """How the window opens databases; app.py provides it (so the window holds no path policy)."""

    @property
    def user_path(self) -> Path: ...

    def open(self, path: Path, *, read_only_reason: str = "") -> Store: ...

    def read_only_reason(self, path: Path, error: StorageError) -> str: ...

    def restore(self, path: Path, backup: Path) -> Path | None: ...

    def open_sample(self) -> Store: ...

    def is_sample(self, path: Path | None) -> bool: ...

    def create(self, path: Path) -> Store: ...


class ElidedLabel(QLabel):
    """A one-line label that shortens its text in the middle instead of widening the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(80)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideMiddle, rect.width()
        )
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
        )


class SampleBanner(QFrame):
    """Says the sample portfolio is open and offers the way back to the person's own data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sampleBanner")
        # Tinted from the palette's highlight, so it suits light and dark themes alike.
        theme.set_tint(self, 28, 110)
        label = QLabel(
            self.tr(
                "<b>You are exploring the sample portfolio.</b> It is a separate file: "
                "nothing you do here touches your own portfolio."
            )
        )
        label.setWordWrap(True)
        self.switch_button = QPushButton(self.tr("Switch to My Portfolio"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(12)
        layout.addWidget(label, 1)
        layout.addWidget(self.switch_button)


class NameBanner(QFrame):
    """Asks the person's name once, without stopping them: it owns the commitments they make
    and signs the plans they edit and the documents they export (see ``renewal_coach.user``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nameBanner")
        theme.set_tint(self, 18, 90)
        label = QLabel(
            self.tr(
                "<b>Your name?</b> It goes on the commitments you make and on the plans and "
                "documents you write."
            )
        )
        label.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("Your name"))
        self.name_edit.setAccessibleName(self.tr("Your name"))
        self.name_edit.setMaxLength(MAX_NAME)
        label.setBuddy(self.name_edit)
        self.save_button = QPushButton(self.tr("Save Name"))
        self.error = QLabel()
        theme.set_tone(self.error, "error")
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.addWidget(label, 1)
        row.addWidget(self.name_edit)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.name_edit.returnPressed.connect(self.save_button.click)
        self.save_button.clicked.connect(self.save)

    def save(self) -> bool:
        """Keep the typed name; on a problem say so here and keep what was typed."""
        if not clean_line(self.name_edit.text()):
            self.error.setText(self.tr("Type your name first."))
            self.error.show()
            self.name_edit.setFocus()
            return False
        try:
            set_user_name(self.name_edit.text())
        except UserSettingsError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.error.hide()
        self.hide()
        if self.parentWidget() is not None:
            self.parentWidget().hide()  # the holder with its margins
        return True


def default_window_size(screen_width: int, screen_height: int) -> QSize:
    """The first window size on a screen this big (available pixels): most of the screen, so
    the portfolio's names and columns have room, but not a wall of empty space on a large
    monitor; on a small screen a little less than all of it."""
    width = min(max(1200, int(screen_width * 0.85)), 1680, int(screen_width * 0.95))
    height = min(max(760, int(screen_height * 0.85)), 1050, int(screen_height * 0.95))
    return QSize(width, height)


class MainWindow(QMainWindow):
    """Holds the open store and swaps it when the person opens another database.

    ``account_activated(id)`` passes on the portfolio's request to open an account.
    ``database_changed(path)`` fires after another database has been swapped in.
    """

    account_activated = Signal(str)
    database_changed = Signal(object)

    def __init__(
        self,
        store: Store,
        settings: Settings,
        databases: Databases,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = settings
        self._databases = databases

        self._today = today
        self.editor = Editor(store, self)
        self.editor.changed.connect(self._data_changed)
        self.editor.failed.connect(self._edit_failed)
        self.scores = ScoreService(store, today=today, parent=self)
        self.scores.progress.connect(self._scoring_progress)
        self.scores.updated.connect(self._scores_updated)

        self.portfolio = PortfolioPage(store, scores=self.scores, today=today)
        self.portfolio.account_activated.connect(self.account_activated)
        self.portfolio.account_activated.connect(self.open_account)
        self.portfolio.sample_requested.connect(self.open_sample)
        self.portfolio.import_requested.connect(self.import_file)
        self.portfolio.new_account_requested.connect(self.new_account)
        self.account_page = AccountPage(
            store, editor=self.editor, segment_for=self._current_segment, today=today
        )
        self.account_page.back_requested.connect(self.show_portfolio)
        self.account_page.export_requested.connect(self.export_document)
        self.account_page.plan_requested.connect(self.plan_conversation)
        self.account_page.plan_open_requested.connect(self.open_plan)
        self.account_page.plan_present_requested.connect(self.present_plan)
        #: Coaching windows running now (plan editors are found as children).
        self.coaching_windows: list[QWidget] = []
        self.exports = ExportController(template=self._template_path, today=today, parent=self)
        self.table_exports = TableExporter(today=today, parent=self)
        self.table_exports.done.connect(self._table_exported)
        self.renewals = RenewalsPage()
        self.renewals.account_activated.connect(self.open_account)
        self.renewals.milestone_done_requested.connect(self.mark_milestone)
        self.renewals.plan_requested.connect(self.plan_conversation)
        self.insights = InsightsPage()
        self.insights.account_activated.connect(self.open_account)
        self.this_week = ThisWeekPage(store, owner=settings.get(THIS_WEEK_OWNER))
        self._wire_this_week()
        #: Pages whose scores are older than the service's (refreshed when next shown).
        self._stale_pages: set[QWidget] = {self.renewals, self.insights, self.this_week}
        self.pages = QStackedWidget()
        self.pages.addWidget(self.this_week)
        self.pages.addWidget(self.portfolio)
        self.pages.addWidget(self.renewals)
        self.pages.addWidget(self.insights)
        self.pages.addWidget(self.account_page)
        self.pages.currentChanged.connect(self._page_changed)

        self.banner = SampleBanner()
        self.banner.switch_button.clicked.connect(self.open_my_portfolio)
        banner_holder = QWidget()
        banner_layout = QVBoxLayout(banner_holder)
        banner_layout.setContentsMargins(20, 12, 20, 0)
        banner_layout.addWidget(self.banner)
        self._banner_holder = banner_holder

        self.name_banner = NameBanner()
        name_holder = QWidget()
        name_layout = QVBoxLayout(name_holder)
        name_layout.setContentsMargins(20, 8, 20, 0)
        name_layout.addWidget(self.name_banner)
        name_holder.setVisible(not user_name())
        self._name_holder = name_holder

        central = QWidget()
        self._central_layout = layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(name_holder)
        layout.addWidget(banner_holder)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self._make_actions()
        self._make_calendar_actions()
        self._make_menus()
        self._make_toolbar()
        self._init_file_care()

        self.kind_label = QLabel()
        self.kind_label.setContentsMargins(8, 0, 0, 0)
        self.kind_label.setAccessibleName(self.tr("Kind of database"))
        self.path_label = ElidedLabel()
        self.path_label.setAccessibleName(self.tr("Database file"))
        status = self.statusBar()
        status.addWidget(self.kind_label)
        status.addWidget(self.path_label, 1)
        self.scoring_label = QLabel()
        self.scoring_label.setAccessibleName(self.tr("Scoring progress"))
        status.addPermanentWidget(self.scoring_label)

        self._restore_window()
        self._show_database()
        self.show_page(self._settings.get(LAST_PAGE))
        self._page_changed()
        self.portfolio.setFocus()
        self.start_of_day = this_week_actions.StartOfDay(self, settings, today())

    # ---- construction ------------------------------------------------------------------------

    def _make_actions(self) -> None:
        self.open_action = QAction(self.tr("&Open Database…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.setStatusTip(self.tr("Open a Renewal Coach database file"))
        self.open_action.triggered.connect(self.choose_and_open)

        self.open_sample_action = QAction(self.tr("Open &Sample Portfolio"), self)
        self.open_sample_action.setStatusTip(
            self.tr("Explore a fictional portfolio kept apart from your own")
        )
        self.open_sample_action.triggered.connect(self.open_sample)

        self.my_portfolio_action = QAction(self.tr("Switch to &My Portfolio"), self)
        self.my_portfolio_action.setStatusTip(self.tr("Go back to your own portfolio"))
        self.my_portfolio_action.triggered.connect(self.open_my_portfolio)

        self.export_table_action = QAction(self.tr("&Export Table…"), self)
        self.export_table_action.setShortcut(
            QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_E)
        )
        self.export_table_action.setStatusTip(
            self.tr("Save the list shown, as filtered and sorted, to a CSV or Excel file")
        )
        self.export_table_action.triggered.connect(self.export_table)

        self.quit_action = QAction(self.tr("&Quit"), self)
        # Set explicitly: the standard Quit key is empty on Windows.
        self.quit_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Q))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)

        self.import_action = QAction(self.tr("&Import…"), self)
        self.import_action.setShortcut(
            QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_I)
        )
        self.import_action.setStatusTip(
            self.tr("Bring accounts, contracts, people or interactions in from a CSV or Excel file")
        )
        self.import_action.triggered.connect(self.import_file)

        self.new_database_action = QAction(self.tr("New &Database…"), self)
        self.new_database_action.setStatusTip(
            self.tr("Start a new, empty portfolio in a file of its own")
        )
        self.new_database_action.triggered.connect(self.new_database)

        self.new_account_action = QAction(self.tr("&New Account…"), self)
        self.new_account_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_account_action.setStatusTip(self.tr("Add a customer account to the portfolio"))
        self.new_account_action.triggered.connect(self.new_account)

        self.undo_action = self.editor.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.editor.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.append(QKeySequence("Ctrl+Y"))
        self.redo_action.setShortcuts(redo_keys)
        # The toolbar has its own short "Undo" / "Redo": the stack's actions carry the whole
        # record text ("Undo Add interaction 'Review the …'"), which pushed the buttons off the
        # bar. The full text is in their tooltips and in the Edit menu. No shortcuts here: the
        # Edit menu's actions own Ctrl+Z and Ctrl+Y.
        stack = self.editor.undo_stack
        self.undo_tool_action = QAction(self.tr("Undo"), self)
        self.undo_tool_action.triggered.connect(stack.undo)
        self.redo_tool_action = QAction(self.tr("Redo"), self)
        self.redo_tool_action.triggered.connect(stack.redo)
        stack.canUndoChanged.connect(self._sync_undo_tools)
        stack.canRedoChanged.connect(self._sync_undo_tools)
        stack.undoTextChanged.connect(self._sync_undo_tools)
        stack.redoTextChanged.connect(self._sync_undo_tools)
        self._sync_undo_tools()

        self.log_action = QAction(self.tr("&Log Interaction…"), self)
        self.log_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_L))
        self.log_action.setStatusTip(self.tr("Log a contact with the open account"))
        self.log_action.triggered.connect(self.log_interaction)

        page = self.account_page
        self.plan_action = QAction(self.tr("Plan a &Conversation…"), self)
        self.plan_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_P))
        self.plan_action.setStatusTip(self.tr("Plan a meeting with the open account"))
        self.plan_action.triggered.connect(page.request_plan)
        self.export_proposal_action = QAction(self.tr("Export &Proposal…"), self)
        self.export_proposal_action.triggered.connect(page.proposal_button.click)
        self.export_brief_action = QAction(self.tr("Export &Brief…"), self)
        self.export_brief_action.triggered.connect(page.brief_button.click)
        self.edit_account_action = QAction(self.tr("&Edit Account…"), self)
        self.edit_account_action.triggered.connect(page.edit_account)
        self.delete_account_action = QAction(self.tr("&Delete Account…"), self)
        self.delete_account_action.triggered.connect(page.delete_account)
        # One action: its text says what it will do for the open account (see
        # _update_archive_action), triggering it toggles.
        self.archive_account_action = QAction(self.tr("&Archive Account"), self)
        self.archive_account_action.setStatusTip(
            self.tr("Take the account out of the portfolio's lists, or bring it back")
        )
        self.archive_account_action.triggered.connect(self.toggle_archived)
        self.org_assessments_action = QAction(self.tr("Organisation &Assessments…"), self)
        self.org_assessments_action.setStatusTip(
            self.tr("Maturity, posture and readiness for your organisation as a whole")
        )
        self.org_assessments_action.triggered.connect(self.show_org_assessments)

        self.find_action = QAction(self.tr("&Find"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.setStatusTip(self.tr("Filter the list of accounts"))
        self.find_action.triggered.connect(self.find)

        self.preferences_action = QAction(self.tr("&Preferences…"), self)
        self.preferences_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.preferences_action.triggered.connect(self.show_preferences)

        self.back_action = QAction(self.tr("&Back to Portfolio"), self)
        self.back_action.setShortcuts([QKeySequence.StandardKey.Back])
        self.back_action.setStatusTip(self.tr("Show the list of accounts"))
        self.back_action.triggered.connect(self.show_portfolio)

        # One checkable action per page: the toolbar's navigation and the View menu's.
        self.page_actions = QActionGroup(self)
        self.page_actions.setExclusive(True)
        self.this_week_page_action = self._page_action(
            self.tr("This &Week"),
            0,
            self.tr("What needs you in the next days, and everything overdue"),
            self.show_this_week,
        )
        self.portfolio_page_action = self._page_action(
            self.tr("&Portfolio"), 1, self.tr("Every account with its scores"), self.show_portfolio
        )
        self.renewals_page_action = self._page_action(
            self.tr("&Renewals"),
            2,
            self.tr("Upcoming renewals by quarter with their next milestone"),
            self.show_renewals,
        )
        self.insights_page_action = self._page_action(
            self.tr("&Insights"),
            3,
            self.tr("Portfolio charts: the virtual line, effort against value, the horizon"),
            self.show_insights,
        )
        self.account_page_action = self._page_action(
            self.tr("&Account"),
            4,
            self.tr("The account you opened last"),
            self.show_account_page,
        )
        self.account_page_action.setEnabled(False)

        self.refresh_action = QAction(self.tr("&Refresh"), self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.refresh_page)

        self.about_action = QAction(self.tr("&About Renewal Coach"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)

        # File ▸ Open Recent (ui/recent.py); Help ▸ User Guide and Keyboard Shortcuts (ui/help.py).
        self.recent = RecentDatabases(
            self._settings,
            current=lambda: self._store.path,
            open_path=self.open_path,
            skip=self._databases.is_sample,
            parent=self,
        )
        self.database_changed.connect(self.recent.note_opened)
        self.recent.note_opened()
        self.help_window: HelpWindow | None = None
        self.guide_action = QAction(self.tr("Renewal Coach &User Guide"), self)
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        if self.guide_action.shortcut().isEmpty():
            self.guide_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.guide_action.setStatusTip(self.tr("The method, each page and each score explained"))
        self.guide_action.triggered.connect(self.show_guide)
        self.shortcuts_action = QAction(self.tr("&Keyboard Shortcuts"), self)
        self.shortcuts_action.setStatusTip(self.tr("Every shortcut of this window"))
        self.shortcuts_action.triggered.connect(lambda: ShortcutsDialog(self).exec())

    def _sync_undo_tools(self, *_: object) -> None:
        """Enable the toolbar's Undo and Redo with the stack; their tooltips say what they do."""
        stack = self.editor.undo_stack
        for action, can, text, keys, nothing in (
            (
                self.undo_tool_action,
                stack.canUndo(),
                self.undo_action.text(),
                self.undo_action.shortcut(),
                self.tr("Nothing to undo"),
            ),
            (
                self.redo_tool_action,
                stack.canRedo(),
                self.redo_action.text(),
                self.redo_action.shortcut(),
                self.tr("Nothing to redo"),
            ),
        ):
            action.setEnabled(can)
            label = text.replace("&", "") if can else nothing
            shortcut = keys.toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{label} ({shortcut})" if can and shortcut else label)
            action.setStatusTip(label)

    def _page_action(self, text: str, number: int, tip: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setCheckable(True)
        action.setShortcut(QKeySequence(Qt.Modifier.CTRL | getattr(Qt.Key, f"Key_{number}")))
        action.setStatusTip(tip)
        action.setToolTip(f"{text.replace('&', '')} (Ctrl+{number})")
        action.triggered.connect(slot)
        self.page_actions.addAction(action)
        return action

    def _set_icons(self) -> None:
        for action, name in (
            (self.new_account_action, "new"),
            (self.open_action, "open"),
            (self.undo_action, "undo"),
            (self.redo_action, "redo"),
            (self.undo_tool_action, "undo"),
            (self.redo_tool_action, "redo"),
            (self.find_action, "find"),
            (self.back_action, "back"),
            (self.refresh_action, "refresh"),
            (self.quit_action, "quit"),
            (self.about_action, "about"),
            (self.this_week_page_action, "this_week"),
            (self.portfolio_page_action, "portfolio"),
            (self.renewals_page_action, "renewals"),
            (self.insights_page_action, "insights"),
            (self.account_page_action, "account"),
            (self.log_action, "log"),
        ):
            action.setIcon(icon(name))

    def _make_toolbar(self) -> None:
        self._set_icons()
        bar = QToolBar(self.tr("Main toolbar"))
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in self.page_actions.actions():
            bar.addAction(action)
        bar.addSeparator()
        bar.addAction(self.new_account_action)
        bar.addAction(self.log_action)
        bar.addSeparator()
        bar.addAction(self.undo_tool_action)
        bar.addAction(self.redo_tool_action)
        self.toolbar = bar
        self.addToolBar(bar)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.file_menu = file_menu
        file_menu.addAction(self.new_account_action)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.new_database_action)
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        file_menu.addAction(self.open_sample_action)
        file_menu.addAction(self.my_portfolio_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_table_action)
        file_menu.addAction(self.export_calendar_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(search_action(self))
        edit_menu.addAction(self.log_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences_action)
        view_menu = bar.addMenu(self.tr("&View"))
        for action in self.page_actions.actions():
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.back_action)
        view_menu.addAction(self.refresh_action)
        self.view_menu = view_menu
        account_menu = bar.addMenu(self.tr("&Account"))
        account_menu.addAction(self.log_action)
        account_menu.addAction(self.plan_action)
        account_menu.addSeparator()
        account_menu.addAction(self.export_proposal_action)
        account_menu.addAction(self.export_brief_action)
        account_menu.addAction(self.export_account_calendar_action)
        account_menu.addSeparator()
        account_menu.addAction(self.edit_account_action)
        account_menu.addAction(self.archive_account_action)
        account_menu.addAction(self.delete_account_action)
        account_menu.aboutToShow.connect(self._update_archive_action)
        self.account_menu = account_menu
        self._add_history_action(account_menu)
        tools_menu = bar.addMenu(self.tr("&Tools"))
        tools_menu.addAction(self.org_assessments_action)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)
        # Open Recent after Open Database…; the guide and the shortcut list above About.
        file_menu.insertMenu(
            file_menu.actions()[file_menu.actions().index(self.open_action) + 1], self.recent.menu
        )
        help_menu.insertActions(self.about_action, [self.guide_action, self.shortcuts_action])
        help_menu.insertSeparator(self.about_action)

    def _restore_window(self) -> None:
        geometry = self._settings.window_state(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            self.resize(default_window_size(screen.width(), screen.height()))
            self.move(screen.center() - self.rect().center())
        state = self._settings.window_state(STATE_KEY)
        if state is not None:
            self.restoreState(state)
        header = self._settings.window_state(PORTFOLIO_HEADER_KEY)
        if header is not None:
            self.portfolio.restore_view_state(header)
        for key, splitter in self._splitters():
            saved = self._settings.window_state(key)
            if saved is not None:
                splitter.restoreState(saved)
        self._ensure_on_screen()

    def _splitters(self) -> list[tuple[str, QSplitter]]:
        return [
            (PEOPLE_SPLITTER_KEY, self.account_page.people_splitter),
            (RENEWALS_SPLITTER_KEY, self.renewals.splitter),
            (INSIGHTS_SPLITTER_KEY, self.insights.splitter),
        ]

    def _ensure_on_screen(self) -> None:
        """Move the window back onto a screen when the saved place is no longer visible
        (a monitor was unplugged since)."""
        from PySide6.QtGui import QGuiApplication

        frame = self.frameGeometry()
        for screen in QGuiApplication.screens():
            visible = screen.availableGeometry().intersected(frame)
            if visible.width() >= 100 and visible.height() >= 60:
                return
        screen = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(min(self.width(), screen.width()), min(self.height(), screen.height()))
        self.move(screen.center() - self.rect().center())

    # ---- pages -----------------------------------------------------------------------------

    def open_account(self, account_id: str) -> None:
        """Show the workspace of one account."""
        try:
            self.account_page.show_account(account_id)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The account could not be opened."), exc)
            return
        self.account_page_action.setEnabled(True)
        self.account_page_action.setText(
            # "&&": a name such as "Pip & Bloom" keeps its ampersand (a single one marks a key).
            self.tr("&Account: {name}").format(
                name=self.account_page.account.name.replace("&", "&&")
            )
        )
        self.pages.setCurrentWidget(self.account_page)
        self.account_page.contracts.setFocus()

    def show_portfolio(self) -> None:
        if self.account_page.account_id is None:  # e.g. the open account was just deleted
            self.account_page_action.setEnabled(False)
            self.account_page_action.setText(self.tr("&Account"))
        self.pages.setCurrentWidget(self.portfolio)
        self.portfolio.table.setFocus()

    def show_renewals(self) -> None:
        self.pages.setCurrentWidget(self.renewals)
        self.renewals.tree.setFocus()

    def show_insights(self) -> None:
        self.pages.setCurrentWidget(self.insights)

    def show_account_page(self) -> None:
        if self.account_page.account_id is not None:
            self.pages.setCurrentWidget(self.account_page)
        else:
            self._page_changed()

    def refresh_page(self) -> None:
        if self.pages.currentWidget() is self.account_page:
            self.account_page.refresh()
        elif self.pages.currentWidget() is self.this_week:
            self.this_week.refresh()
        else:
            self.portfolio.refresh()

    def _page_changed(self, *_: object) -> None:
        current = self.pages.currentWidget()
        if current in self._stale_pages and self.scores.scored_on is not None:
            self._give_scores(current)
        for action, page in self._page_map():
            if page is current:
                action.setChecked(True)
        on_account = current is self.account_page
        for action in (
            self.log_action,
            self.plan_action,
            self.export_proposal_action,
            self.export_brief_action,
            self.export_account_calendar_action,
            self.edit_account_action,
            self.archive_account_action,
            self.delete_account_action,
            self.history_action,
        ):
            action.setEnabled(on_account)
        self._update_archive_action()
        self.find_action.setEnabled(current is not self.insights)
        self.export_table_action.setEnabled(current in (self.portfolio, self.renewals))

    # ---- change history (issue 16) -----------------------------------------------------------

    def _add_history_action(self, menu: QMenu) -> None:
        """Account ▸ Change History…: who changed the open account and its records, and when."""
        self.history_action = QAction(self.tr("Change &History…"), self)
        self.history_action.setShortcut(
            QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_H)
        )
        self.history_action.setStatusTip(
            self.tr("Who changed the open account and its records, what and when")
        )
        self.history_action.triggered.connect(self.account_page.show_history)
        self.history_action.setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.history_action)

    def _page_map(self) -> list[tuple[QAction, QWidget]]:
        return [
            (self.this_week_page_action, self.this_week),
            (self.portfolio_page_action, self.portfolio),
            (self.renewals_page_action, self.renewals),
            (self.insights_page_action, self.insights),
            (self.account_page_action, self.account_page),
        ]

    def current_page_name(self) -> str:
        current = self.pages.currentWidget()
        return next((name for name, page in self._named_pages() if page is current), "portfolio")

    def _named_pages(self) -> list[tuple[str, QWidget]]:
        return [
            ("this_week", self.this_week),
            ("portfolio", self.portfolio),
            ("renewals", self.renewals),
            ("insights", self.insights),
            ("account", self.account_page),
        ]

    def show_page(self, name: str) -> None:
        """Show a page by name (used to restore the last page)."""
        for page_name, page in self._named_pages():
            if page_name == name and page is not self.account_page:
                self.pages.setCurrentWidget(page)
                return
        self.pages.setCurrentWidget(self.portfolio)  # unknown, or the account (needs one open)

    def find(self) -> None:
        if self.pages.currentWidget() is self.this_week:
            self.this_week.owner_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.this_week.owner_box.lineEdit().selectAll()
            return
        if self.pages.currentWidget() is self.renewals:
            self.renewals.focus_search()
            return
        if self.pages.currentWidget() is not self.portfolio:
            self.show_portfolio()
        self.portfolio.focus_filter()

    # ---- editing ---------------------------------------------------------------------------

    def new_account(self) -> None:
        form = RecordForm(Account)
        form.set_record(Account())
        dialog = RecordDialog(self.tr("New account"), form, self.editor.add, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.open_account(dialog.saved.id)

    @Slot()
    def import_file(self) -> None:
        """File ▸ Import…: the import wizard on the open portfolio."""
        from .importer.wizard import ImportWizard

        current = self._store.path
        wizard = ImportWizard(
            self._store,
            self.editor,
            self,
            start_dir=current.parent if current else Path.home(),
            today=self._today,
            say=lambda text: self.statusBar().showMessage(text, 15000),
        )
        self._import_wizard = wizard
        wizard.finished.connect(lambda _r: setattr(self, "_import_wizard", None))
        wizard.open()

    @Slot()
    def new_database(self) -> None:
        """File ▸ New Database…: an empty portfolio in a new file, opened in place of this one."""
        current = self._store.path
        start = (current.parent if current else self._databases.user_path.parent) / "portfolio.db"
        path = messages.choose_new_database_file(self, start)
        if path is None:
            return
        if not self.close_plan_windows():
            return
        try:
            self._swap(self._databases.create(path))
        except StorageError as err:
            show_expected_error(
                self, self.tr("Could not create {name}.").format(name=path.name), err
            )
            return
        self.statusBar().showMessage(
            self.tr("New portfolio {name}: add accounts, or import them (Ctrl+Shift+I).").format(
                name=path.name
            ),
            15000,
        )

    def log_interaction(self) -> None:
        if self.pages.currentWidget() is self.account_page:
            self.account_page.log_interaction()

    # ---- conversation plans ------------------------------------------------------------------

    def plan_conversation(self, account_id: str, contract_id: str = "") -> PlanEditor | None:
        """Choose a playbook, date and attendees, then open the new plan in its editor."""
        dialog = NewPlanDialog(
            self._store,
            account_id,
            contract_id=contract_id or None,
            today=self._today,
            user=self._user(),
            parent=self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        plan = dialog.plan()
        if plan is None:
            return None
        return self._show_editor(
            PlanEditor(self._store, plan, today=self._today, user=self._user())
        )

    def open_plan(self, plan_id: str) -> PlanEditor | None:
        """Open a saved plan (or bring its open editor to the front)."""
        editor = next(
            (e for e in self.plan_editors() if e.plan_id == plan_id and e.isVisible()), None
        )
        if editor is not None:
            editor.show()
            editor.raise_()
            editor.activateWindow()
            return editor
        try:
            plan = self._store.plans.get(plan_id)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The plan could not be opened."), exc)
            return None
        return self._show_editor(
            PlanEditor(self._store, plan, today=self._today, user=self._user())
        )

    def close_plan_windows(self) -> bool:
        """Close plan editors (each asks about unsaved changes) and coaching windows; False
        when the person chose to keep an editor open."""
        for editor in self.plan_editors():
            if not editor.close():
                return False
        for window in list(self.coaching_windows):
            window.close()
        return True

    def plan_editors(self) -> list[PlanEditor]:
        """The plan editor windows open now."""
        return [e for e in self.findChildren(PlanEditor) if e.isVisible()]

    def _show_editor(self, editor: PlanEditor) -> PlanEditor:
        editor.setParent(self, editor.windowFlags())
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self.editor.notify)
        editor.present_requested.connect(self.present_plan)
        editor.export_requested.connect(
            lambda kind, contract_id, plan_id, e=editor: self.exports.export(
                kind, self._store, contract_id, e, plan_id=plan_id
            )
        )
        editor.captured.connect(self.editor.record_capture)
        editor.show()
        return editor

    def present_plan(self, plan_id: str) -> QWidget | None:
        """Coaching mode, full screen, for a saved plan."""
        try:
            window = present_plan(self._store, plan_id, today=self._today, user=self._user())
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The plan could not be presented."), exc)
            return None
        plan = self._store.plans.get(plan_id)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.finished.connect(lambda _s, a=plan.account_id: self.editor.notify(a))
        self.coaching_windows.append(window)
        window.destroyed.connect(
            lambda *_a, w=window: (
                self.coaching_windows.remove(w) if w in self.coaching_windows else None
            )
        )
        # On a second screen when there is one (the projector), else on this window's screen.
        # The geometry is set as well as the full-screen state, because without a window
        # manager (a bare X server, some kiosk setups) the state alone changes nothing.
        from PySide6.QtGui import QGuiApplication

        here = self.screen()
        others = [s for s in QGuiApplication.screens() if s is not here]
        target = others[0] if others else here
        window.setScreen(target)
        window.setGeometry(target.geometry())
        window.showFullScreen()
        return window

    def show_org_assessments(self) -> None:
        """The organisation's own assessments and their trend, in a window of their own."""
        from .assessments.history import AssessmentHistory

        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Organisation assessments"))
        history = AssessmentHistory(today=self._today, editor=self.editor)
        history.load(self._store, None)
        layout = QVBoxLayout(dialog)
        layout.addWidget(history)
        dialog.resize(900, 600)
        dialog.exec()

    def _user(self) -> str:
        """The person's own name (never the system login); "" until they have given it."""
        return user_name()

    def _open_account_archived(self) -> bool | None:
        """Whether the account open on the account page is archived (None: no account open)."""
        account_id = self.account_page.account_id
        if account_id is None:
            return None
        account = self.store.accounts.find(account_id)
        return None if account is None else bool(account.archived)

    def _update_archive_action(self) -> None:
        archived = self._open_account_archived()
        self.archive_account_action.setText(
            self.tr("Un&archive Account") if archived else self.tr("&Archive Account")
        )

    def toggle_archived(self) -> bool:
        """Account ▸ Archive Account / Unarchive Account on the open account (undoable)."""
        archived = self._open_account_archived()
        if archived is None or self.pages.currentWidget() is not self.account_page:
            return False
        account = getattr(self.account_page, "account", None)
        name = account.name if account is not None else ""
        if not self.account_page.set_archived(not archived):
            return False
        self._update_archive_action()
        message = (
            self.tr("Archived {name}: it no longer shows in the portfolio. Ctrl+Z undoes this.")
            if not archived
            else self.tr("{name} is back in the portfolio.")
        )
        self.statusBar().showMessage(message.format(name=name), 8000)
        return True

    def _data_changed(self, account_id: str) -> None:
        self._update_archive_action()
        if account_id == "":
            self.portfolio.refresh()
            if self.account_page.account_id is None:
                self.account_page_action.setEnabled(False)
                self.account_page_action.setText(self.tr("&Account"))
        else:
            self.scores.refresh()

    def _edit_failed(self, message: str) -> None:
        messages.show_error(
            self,
            self.tr("Renewal Coach"),
            self.tr("Undo or redo could not be applied; the undo history was cleared."),
            message,
        )

    def _current_segment(self, account_id: str) -> object | None:
        """The account's segment from the portfolio scores, when they are up to date."""
        if self.scores.busy or self.scores.scored_on != self._today():
            return None
        scores = self.scores.scores.get(account_id)
        return scores.segment if scores is not None else None

    def _scoring_progress(self, done: float) -> None:
        self.scoring_label.setText(
            self.tr("Updating scores… {pct}%").format(pct=int(done * 100)) if done < 1 else ""
        )

    def _scores_updated(self) -> None:
        self.scoring_label.setText("")
        self._stale_pages = {self.renewals, self.insights, self.this_week}
        current = self.pages.currentWidget()
        if current in self._stale_pages:
            self._give_scores(current)
        if self.this_week.result is None and self.this_week in self._stale_pages:
            # The first agenda of a database is worked out at once: the start of the day
            # (which page to open on, the nudge) waits for it.
            self._give_scores(self.this_week)

    def _give_scores(self, page: QWidget) -> None:
        today = self.scores.scored_on or self._today()
        if page is self.renewals:
            self.renewals.set_scores(self.scores.scores, today)
        elif page is self.this_week:
            self.this_week.set_scores(self.scores.scores, today)
        elif page is self.insights:
            try:
                settings = load_settings(self._store)
            except RenewalCoachError:
                settings = None
            self.insights.set_scores(self.scores.scores, today, settings)
        self._stale_pages.discard(page)

    def mark_milestone(
        self, contract_id: str, code: str, occurrence: int, done_on: object, note: str
    ) -> bool:
        """Record a campaign milestone as done (undoable); the scores follow."""
        try:
            self.editor.mark_milestone(contract_id, code, occurrence, done_on, note)  # type: ignore[arg-type]
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The milestone was not recorded."), exc)
            return False
        self.statusBar().showMessage(self.tr("Milestone {code} recorded.").format(code=code), 4000)
        return True

    # ---- This Week (issue 15): the work is in pages/this_week/actions.py -----------------------

    def _wire_this_week(self) -> None:
        page = self.this_week
        page.item_activated.connect(lambda item: this_week_actions.open_item(self, item))
        page.milestone_done_requested.connect(
            lambda *args: this_week_actions.mark_milestone(self, *args)
        )
        page.commitment_done_requested.connect(
            lambda cid: this_week_actions.mark_commitment(self, cid, self._today())
        )
        page.owner_changed.connect(lambda text: self._settings.set(THIS_WEEK_OWNER, text))
        # Without scores there are no milestones to list: say why instead of waiting forever.
        self.scores.failed.connect(page.show_failure)

    def show_this_week(self) -> None:
        self.pages.setCurrentWidget(self.this_week)
        self.this_week.setFocus()

    def export_table(self) -> None:
        """File ▸ Export Table…: the Portfolio or Renewals list, as shown, to CSV or XLSX."""
        page = self.pages.currentWidget()
        if page is self.portfolio or page is self.renewals:
            self.table_exports.export(page.export_table(), page.export_nouns(), self)

    # ---- calendar export (issue 15) ----------------------------------------------------------

    def _make_calendar_actions(self) -> None:
        self.export_calendar_action = QAction(self.tr("Export &Calendar…"), self)
        self.export_calendar_action.setStatusTip(
            self.tr(
                "Save deadlines, milestones and commitments, with reminders, to a calendar "
                "file for Outlook, Google or Apple Calendar"
            )
        )
        self.export_calendar_action.triggered.connect(lambda: self.export_calendar())
        self.export_account_calendar_action = QAction(self.tr("Export Account &Calendar…"), self)
        self.export_account_calendar_action.setStatusTip(
            self.tr("Save the open account's deadlines, milestones and commitments to a calendar")
        )
        self.export_account_calendar_action.triggered.connect(
            lambda: self.export_calendar(self.account_page.account_id)
        )

    def export_calendar(self, account_id: str | None = None) -> CalendarExportDialog:
        """File ▸ Export Calendar… (every account, or ``account_id``'s from the Account menu)."""
        dialog = CalendarExportDialog(
            self._store, self._settings, today=self._today, account_id=account_id, parent=self
        )
        dialog.exported.connect(lambda report: self._table_exported(report.headline()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _table_exported(self, message: str) -> None:
        self.statusBar().showMessage(message, 15_000)

    def export_document(self, kind: str, contract_id: str) -> None:
        self.exports.export(kind, self._store, contract_id, self)

    def _template_path(self) -> Path | None:
        value = self._settings.get(WORD_TEMPLATE)
        return Path(value) if value else None

    def show_preferences(self) -> None:
        deadlines, tray = this_week_actions.preference_values(self, self._settings)
        dialog = PreferencesDialog(
            self._settings.get(WORD_TEMPLATE),
            self,
            name=user_name(),
            scheme=self._settings.get(COLOUR_SCHEME),
            deadlines=deadlines,
            tray=tray,
            tray_available=this_week_actions.tray_available(),
        )
        self.preferences_dialog = dialog
        if dialog.exec():
            this_week_actions.keep_preferences(self, self._settings, dialog)
            self._settings.set(WORD_TEMPLATE, dialog.template())
            if dialog.scheme() != self._settings.get(COLOUR_SCHEME):
                self._settings.set(COLOUR_SCHEME, dialog.scheme())
                theme.apply_choice(dialog.scheme())
            if dialog.user_name() != user_name():
                try:
                    set_user_name(dialog.user_name())
                except UserSettingsError as exc:
                    show_expected_error(self, self.tr("Your name was not changed."), exc)
            self._name_holder.setVisible(not user_name())

    # ---- the open database -------------------------------------------------------------------

    @property
    def store(self) -> Store:
        return self._store

    @property
    def is_sample(self) -> bool:
        return self._databases.is_sample(self._store.path)

    def _show_database(self) -> None:
        path = self._store.path
        sample = self.is_sample
        name = path.name if path else self.tr("In-memory database")
        self.setWindowTitle(self.tr("{name} — Renewal Coach").format(name=name))
        mine = _same_file(path, self._databases.user_path)
        if sample:
            kind = self.tr("Sample portfolio:")
        elif mine:
            kind = self.tr("My portfolio:")
        else:
            kind = self.tr("Database:")
        self.kind_label.setText(kind)
        self.path_label.setText(str(path) if path else name)
        self.path_label.setToolTip(str(path) if path else "")
        self._banner_holder.setVisible(sample)
        self.open_sample_action.setEnabled(not sample)
        self.my_portfolio_action.setEnabled(not mine)
        self._show_file_state()

    def _swap(self, store: Store) -> None:
        """Show ``store`` instead of the current one; on failure keep the current one."""
        old = self._store
        try:
            self.scores.use_store(store)  # the portfolio refresh rescores it
            self.portfolio.set_store(store)
            self.account_page.set_store(store)
            self.editor.set_store(store)
            today = self._today()
            self.renewals.set_scores({}, today)
            self.insights.set_scores({}, today)
            self.this_week.set_store(store)
            self._stale_pages = {self.renewals, self.insights, self.this_week}
            self.account_page_action.setEnabled(False)
            self.account_page_action.setText(self.tr("&Account"))
            self.show_portfolio()
        except StorageError:
            # Unreadable after all (damage deeper than the header): back to what worked.
            # Only what had already switched goes back, so the undo history and the open
            # account of the database still in use are kept.
            self.scores.use_store(old)
            if self.editor.store is not old:
                self.editor.set_store(old)
            if self.account_page.store is not old:
                self.account_page.set_store(old)
            self.portfolio.set_store(old)
            store.close()
            raise
        self._store = store
        if old is not store:
            changed = not old.closed and not old.read_only and old.changed
            old.close()
            if changed and old.path is not None and not self._databases.is_sample(old.path):
                self.file_care.back_up_closed(old.path)
        if store.path is not None:
            self._settings.set(LAST_DATABASE, str(store.path))
        self._show_database()
        self.database_changed.emit(store.path)
        self.file_care.forget()
        QTimer.singleShot(0, self.care_for_file)

    def open_path(self, path: Path) -> bool:
        """Open the database at ``path`` in place of the current one; False if it failed."""
        if _same_file(self._store.path, path):
            self.statusBar().showMessage(
                self.tr("{name} is already open.").format(name=path.name), 4000
            )
            return True
        if not self.close_plan_windows():
            return False
        try:
            self._swap(self._databases.open(path))
        except DatabaseInUseError as err:
            return self._offer_read_only(path, err)
        except StorageError as err:
            show_expected_error(self, self.tr("Could not open {name}.").format(name=path.name), err)
            return False
        return True

    def _offer_read_only(self, path: Path, err: DatabaseInUseError) -> bool:
        """Another window writes ``path``: offer to look at it read-only instead."""
        if not messages.confirm(
            self,
            self.tr("Open Read-Only?"),
            self.tr("{why}\n\nOpen it read-only, to look without changing anything?").format(
                why=err
            ),
            self.tr("Open &Read-Only"),
        ):
            return False
        try:
            reason = self._databases.read_only_reason(path, err)
            self._swap(self._databases.open(path, read_only_reason=reason))
        except StorageError as again:
            show_expected_error(
                self, self.tr("Could not open {name}.").format(name=path.name), again
            )
            return False
        return True

    @Slot()
    def choose_and_open(self) -> None:
        current = self._store.path
        start = current.parent if current else self._databases.user_path.parent
        path = messages.choose_database_file(self, start)
        if path is not None:
            self.open_path(path)

    @Slot()
    def open_sample(self) -> bool:
        if self.is_sample:
            return True
        if not self.close_plan_windows():
            return False
        try:
            self._swap(self._databases.open_sample())
        except StorageError as err:
            show_expected_error(self, self.tr("Could not open the sample portfolio."), err)
            return False
        return True

    @Slot()
    def open_my_portfolio(self) -> bool:
        return self.open_path(self._databases.user_path)

    @Slot()
    def show_guide(self) -> HelpWindow:
        """Help ▸ User Guide (F1): the guide, at the part about the page on screen."""
        if self.help_window is None:
            self.help_window = HelpWindow(self)
        self.help_window.show_topic(self.current_page_name())
        return self.help_window

    @Slot()
    def show_about(self) -> None:
        messages.show_about(self, __version__, self._store.path, self.is_sample)

    # ---- closing -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        # Plan editors with unsaved changes ask first; any "Cancel" keeps everything open.
        if not self.close_plan_windows():
            event.ignore()
            return
        # Nothing may run on behalf of this window once it has gone; scores are not needed now.
        self.scores.cancel()
        self.this_week.builder.cancel()
        self.this_week.builder.wait()
        self.exports.wait()
        self.table_exports.wait()
        self._settings.set_window_state(GEOMETRY_KEY, self.saveGeometry())
        self._settings.set_window_state(STATE_KEY, self.saveState())
        self._settings.set_window_state(PORTFOLIO_HEADER_KEY, self.portfolio.save_view_state())
        for key, splitter in self._splitters():
            self._settings.set_window_state(key, splitter.saveState())
        self._settings.set(LAST_PAGE, self.current_page_name())
        self._settings.sync()
        self.file_care.wait()
        self._stop_damage_reports()
        super().closeEvent(event)

    # ---- the file: backups, restore, integrity, read-only viewing (issue 16) -----------------

    def _init_file_care(self) -> None:
        """Back Up Now… and Restore… in the File menu, the banners saying why the file may only
        be looked at (or lives on a network share), the guard that keeps every edit off while
        ``Store.read_only``, the daily check and backup, and damage met at any time."""
        self.backup_now_action = QAction(self.tr("&Back Up Now…"), self)
        self.backup_now_action.setStatusTip(self.tr("Save a copy of this portfolio to any folder"))
        self.backup_now_action.triggered.connect(self.backup_now)
        self.restore_action = QAction(self.tr("&Restore…"), self)
        self.restore_action.setStatusTip(
            self.tr("Put one of this portfolio's backups in place of the file")
        )
        self.restore_action.triggered.connect(self.show_restore)
        self.file_menu.insertActions(
            self.quit_action, [self.backup_now_action, self.restore_action]
        )
        self.file_menu.insertSeparator(self.quit_action)

        self.read_only_banner = FileBanner("readOnlyBanner")
        self.network_banner = FileBanner("networkBanner")
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(20, 8, 20, 0)
        holder_layout.setSpacing(6)
        holder_layout.addWidget(self.read_only_banner)
        holder_layout.addWidget(self.network_banner)
        self._file_banners = holder
        self._central_layout.insertWidget(self._central_layout.indexOf(self.pages), holder)
        self.read_only_banner.button.clicked.connect(self.show_restore)

        self.write_guard = WriteGuard(lambda: self._store.read_only, self)
        self.write_guard.guard(self._edit_controls())
        self.file_care = DailyCare(self._settings, parent=self)
        self.file_care.damaged.connect(self.database_damaged)
        self.file_care.backed_up.connect(
            lambda path: self.statusBar().showMessage(
                self.tr("Today's backup is in {folder}.").format(folder=Path(path).parent), 6000
            )
        )
        self.file_care.failed.connect(
            lambda why: self.statusBar().showMessage(
                self.tr("Today's backup could not be made: {why}").format(why=why), 15_000
            )
        )
        self.scores.damaged.connect(self.database_damaged)
        self.scores.failed.connect(lambda _m: self.scoring_label.setText(""))
        #: Asked when damage is met (replaced in tests).
        self.ask_recovery = messages.ask_recovery
        self._damage_handled: Store | None = None
        from . import errors as ui_errors

        self._damage_handler = self.database_damaged
        ui_errors.damage_handlers.append(self._damage_handler)
        self.destroyed.connect(
            lambda *_a, h=self._damage_handler: (
                ui_errors.damage_handlers.remove(h) if h in ui_errors.damage_handlers else None
            )
        )

    def _stop_damage_reports(self) -> None:
        from . import errors as ui_errors

        if self._damage_handler in ui_errors.damage_handlers:
            ui_errors.damage_handlers.remove(self._damage_handler)

    def _edit_controls(self) -> list[object]:
        """Every action and button that changes data (kept off while the store is read-only)."""
        page = self.account_page
        items: list[object] = [
            self.new_account_action,
            self.import_action,
            self.log_action,
            self.plan_action,
            self.edit_account_action,
            self.archive_account_action,
            self.delete_account_action,
            self.undo_action,
            self.redo_action,
            self.undo_tool_action,
            self.redo_tool_action,
            page.edit_account_button,
            page.log_button,
            page.plan_button,
            getattr(page, "confirm_goal_button", None),
            getattr(page, "validate_button", None),
        ]
        for tab in page.record_tabs.values():
            items += [tab.add_button, tab.edit_button, tab.delete_button]
        plans = page.plans
        items += [plans.new_button, plans.duplicate_button, plans.delete_button]
        history = page.assessments
        items += [*history.new_buttons.values(), history.delete_button]
        for page_with_marks in (self.renewals, getattr(self, "this_week", None)):
            for name in ("mark_done_button", "mark_done_action", "plan_button", "plan_action"):
                items.append(getattr(page_with_marks, name, None))
        return items

    def _show_file_state(self) -> None:
        """The banners and the guard for the store now open."""
        from ..storage.lock import network_filesystem

        store = self._store
        read_only = store.read_only
        if read_only:
            name = store.path.name if store.path else self.tr("In-memory database")
            self.setWindowTitle(self.tr("{name} (read-only) — Renewal Coach").format(name=name))
            import html

            self.read_only_banner.say(
                "<b>"
                + html.escape(self.tr("Read-only."))
                + "</b> "
                + html.escape(
                    store.read_only_reason or self.tr("This portfolio is open for looking only.")
                ),
                self.tr("Restore…") if self._may_restore() else "",
            )
        self.read_only_banner.setVisible(read_only)
        kind = network_filesystem(store.path) if store.path is not None else None
        if kind:
            self.network_banner.say(
                self.tr(
                    "<b>This file is on a network share ({kind}).</b> SQLite's write-ahead log "
                    "needs a local disk: two computers writing it can damage it. Keep the "
                    "portfolio on this computer's own disk and back it up to the share."
                ).format(kind=kind)
            )
        self.network_banner.setVisible(bool(kind))
        self._file_banners.setVisible(read_only or bool(kind))
        self.write_guard.apply()
        self.backup_now_action.setEnabled(store.path is not None)
        self.restore_action.setEnabled(
            store.path is not None and not self.is_sample and self._may_restore()
        )

    def _may_restore(self) -> bool:
        """Whether a backup could be put in place of the open file: always for a file open for
        changes; for one open read-only only when it is damaged (not read-only on disk, and
        no other window writing it)."""
        from ..storage import lock as writer_lock
        from ..storage.db import is_read_only

        store = self._store
        if store.path is None or not store.read_only:
            return store.path is not None
        if is_read_only(store.path):
            return False
        try:
            taken = writer_lock.acquire(store.path)
        except StorageError:
            return False
        if taken:
            writer_lock.release(store.path)
        return taken

    @Slot()
    def care_for_file(self) -> bool:
        """The day's check and backup of the open file, off the window's thread."""
        return self.file_care.start(self._store, backups=not self.is_sample)

    @Slot()
    def backup_now(self) -> Path | None:
        """File ▸ Back Up Now…: a copy of the open file, to any folder."""
        from datetime import date

        from ..storage.backups import copy_database
        from .dialogs.backups import choose_backup_target

        path = self._store.path
        if path is None:
            return None
        suggested = Path.home() / f"{path.stem}-{date.today().isoformat()}.db"
        target = choose_backup_target(self, suggested)
        if target is None:
            return None
        try:
            # The file dialog has asked before replacing a file that was there.
            made = copy_database(self._store.db.conn, target, overwrite=True)
        except StorageError as err:
            show_expected_error(self, self.tr("The backup was not made."), err)
            return None
        self.statusBar().showMessage(self.tr("Backed up to {path}.").format(path=made), 10_000)
        return made

    @Slot()
    def show_restore(self) -> bool:
        """File ▸ Restore…: choose one of the file's backups and put it in place."""
        from .dialogs.backups import BackupsDialog

        dialog = BackupsDialog(self._store, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
            return False
        return self.restore_from(dialog.chosen)

    def restore_from(self, backup: Path, *, ask: bool = True) -> bool:
        """Put ``backup`` in place of the open file (after keeping the file as it is among its
        backups), then show it. Asks first unless ``ask`` is False."""
        from ..storage.backups import contents
        from .jobs import run_while_busy

        path = self._store.path
        if path is None:
            return False
        if ask:
            held = contents(backup)
            question = self.tr(
                "Replace {name} with the backup made {made}? The portfolio as it is now is "
                "kept among the backups first, so this can be undone the same way."
            ).format(name=path.name, made=backup.stem.split("-", 1)[-1])
            if held.accounts is not None:
                question += " " + self.tr("The backup holds {accounts} and {contracts}.").format(
                    accounts=plural(held.accounts, "{n} account", "{n} accounts"),
                    contracts=plural(held.contracts or 0, "{n} contract", "{n} contracts"),
                )
            if not messages.confirm(self, self.tr("Restore"), question, self.tr("&Restore")):
                return False
        if not self.close_plan_windows():
            return False
        self.scores.cancel()
        self.file_care.wait()
        old = self._store
        old.close()  # its connection must be gone before the file is replaced
        problem: StorageError | None = None
        try:
            # Seconds on a large portfolio (every record compared, the history written): the
            # window keeps painting behind a "working" note meanwhile.
            run_while_busy(
                self,
                self.tr("Restoring {name} from {backup}…").format(
                    name=path.name, backup=backup.name
                ),
                lambda: self._databases.restore(path, backup),
            )
        except StorageError as err:
            problem = err
        try:
            self._swap(self._databases.open(path))
        except StorageError as err:
            show_expected_error(self, self.tr("The restored file could not be opened."), err)
            return False
        if problem is not None:
            show_expected_error(self, self.tr("The backup was not restored."), problem)
            return False
        self.statusBar().showMessage(
            self.tr("Restored {name} from {backup}.").format(name=path.name, backup=backup.name),
            15_000,
        )
        return True

    @Slot(str)
    def database_damaged(self, message: str) -> None:
        """Damage met at any time (the daily check, scoring, a read): the recovery choices,
        never the crash dialog. Asked once per open file."""
        from ..storage.backups import latest_good_backup
        from .dialogs.messages import Recovery

        store = self._store
        if self._damage_handled is store:
            self.statusBar().showMessage(
                self.tr("The file is damaged: {what}").format(what=message), 10_000
            )
            return
        self._damage_handled = store
        path = store.path
        if path is None:
            return
        backup = latest_good_backup(path)
        if backup is not None:
            advice = self.tr(
                "What can still be read is shown, but changes might be lost. Restore the latest "
                "good backup, look at the file read-only, or open another file."
            )
        else:
            # The storage layer's message points to File ▸ Restore…; with no good backup
            # there is nothing there to restore, so say so instead of repeating it.
            message = message.split(" Restore the latest good backup", 1)[0]
            advice = self.tr(
                "No good backup of it was found. What can still be read is shown, but changes "
                "might be lost: look at the file read-only, or open another file."
            )
        detail = f"{message}\n\n{advice}"
        choice = self.ask_recovery(
            path,
            detail,
            offer_default=not _same_file(path, self._databases.user_path),
            offer_read_only=not store.read_only,
            restore_from=backup,
            heading=self.tr("Renewal Coach found damage in {name}.").format(name=path.name),
            parent=self,
        )
        if choice is Recovery.RESTORE_BACKUP and backup is not None:
            self.restore_from(backup, ask=False)
        elif choice is Recovery.CHOOSE_FILE:
            self.choose_and_open()
        elif choice is Recovery.USE_DEFAULT:
            self.open_my_portfolio()
        elif choice is Recovery.QUIT:
            self.close()
        else:  # read-only, or closed without a choice: keep looking, change nothing
            store.make_read_only(
                self.tr(
                    "{name} is damaged, so it is open for looking only. Restore the latest "
                    "good backup with File ▸ Restore…."
                ).format(name=path.name)
            )
            self._show_database()
