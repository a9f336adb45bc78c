"""The account overview: how are we doing here, and why?

Shows the account's segment, renewal risk (of its next renewal) and engagement balance, each
with its band in words and a symbol as well as colour, the factor table behind it, the warnings
raised, and the top three things to do. Below, every contract with its campaign phase, next
milestone and risk, with the Word exports for the selected contract.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ....core import models as m
from ....core.deadlines import is_live, notice_deadline
from ....core.errors import NotFoundError, RenewalCoachError
from ....core.records import Record
from ....core.scoring.portfolio import AccountScores, score_account
from ....core.scoring.result import ScoreResult
from ....core.scoring.timeline import Campaign
from ....storage.portfolio_data import load_account
from ....storage.repository import Store
from ....storage.scores import account_scores, load_settings
from ...assessments.history import AssessmentHistory
from ...coaching.plan_list import PlanList
from ...dialogs.record_form import RecordDialog, RecordForm
from ...editing import Editor
from ...errors import show_expected_error
from ...text import plural, show_date
from ...theme import set_tone, tone
from ...widgets.bands import (
    BAND_SYMBOLS,
    BAND_TONES,
    MILESTONE_SYMBOLS,
    MILESTONE_TONES,
    SEGMENT_SYMBOLS,
)
from ...widgets.deadlines import ContractDeadlines, deadline_text
from ...widgets.elided import elide_with_tooltips
from ...widgets.table_model import HeadedTableModel
from .deadlines import add_deadlines_to
from .records_tab import (
    TAB_SPECS,
    AccountLookups,
    QuickInteractionDialog,
    RecordsTab,
    load_lookups,
)
from .stakeholder_map import StakeholderMap

_Index = QModelIndex | QPersistentModelIndex


class RowsModel(HeadedTableModel):
    """A read-only table of display rows with a native sort value per cell."""

    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    KEY_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[tuple[Sequence[str], Sequence[Any], str, str]] = []
        self._tones: Sequence[str | None] = ()

    def set_rows(
        self,
        rows: Sequence[tuple[Sequence[str], Sequence[Any], str, str]],
        tones: Sequence[str | None] = (),
    ) -> None:
        """Each row: display texts, sort values, a key (record id) and a tooltip;
        ``tones`` optionally gives each row a text tone (``ui/theme.py``; None: the usual
        colour), drawn in the colour scheme in use."""
        self.beginResetModel()
        self._rows = list(rows)
        self._tones = list(tones)
        self.endResetModel()

    def key(self, row: int) -> str:
        return self._rows[row][2]

    def row_total(self) -> int:
        return len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        texts, sorts, key, tip = self._rows[index.row()]
        col = index.column()
        if not 0 <= col < len(texts):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[col]
        if role == self.SORT_ROLE:
            return sorts[col]
        if role == self.KEY_ROLE:
            return key
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip or texts[col]
        if role == Qt.ItemDataRole.ForegroundRole and index.row() < len(self._tones):
            name = self._tones[index.row()]
            return QColor(tone(name)) if name else None
        return None


def _table(model: RowsModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setShowGrid(False)
    elide_with_tooltips(view)  # a cut cell shows its whole text on hover
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return view


def _whole(view: QTableView) -> QTableView:
    """``view`` as tall as its rows, without a scroll bar of its own: on a page that scrolls,
    a table that scrolls too hides rows behind a second scroll bar."""
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fit() -> None:
        rows = view.verticalHeader().length()
        header = view.horizontalHeader().sizeHint().height()
        bar = view.horizontalScrollBar()
        extra = bar.sizeHint().height() if bar.isVisible() else 0
        view.setFixedHeight(rows + header + extra + 2 * view.frameWidth())

    model = view.model()
    for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
        signal.connect(fit)
    view.verticalHeader().sectionResized.connect(lambda *_: fit())  # a row wrapped anew
    fit()
    return view


def _wrapping(view: QTableView) -> QTableView:
    """``view`` with its long readings wrapped onto more lines instead of cut: the sums of the
    Why tables must be readable whole ("= Target … because of the renewal run-up of …")."""
    view.setWordWrap(True)
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    rows.setMinimumSectionSize(view.fontMetrics().height() + 10)  # a line keeps its air
    return view


class ScoreCard(QFrame):
    """One score at a glance: title, band with symbol, the number and confidence.

    ``symbols`` maps each band to its symbol (the score bands' by default).
    """

    def __init__(
        self, title: str, parent: QWidget | None = None, symbols: dict[str, str] | None = None
    ) -> None:
        super().__init__(parent)
        self._symbols = BAND_SYMBOLS if symbols is None else symbols
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("scoreCard")
        self.title = QLabel(title)
        self.band = QLabel()
        font = self.band.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.band.setFont(font)
        self.band.setAccessibleName(title)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.band)
        layout.addWidget(self.detail)

    def show_result(self, result: ScoreResult | None, number: str, empty: str) -> None:
        if result is None:
            self.band.setText(empty)
            set_tone(self.band, "")
            self.detail.setText("")
            return
        symbol = self._symbols.get(result.band, "")
        self.band.setText(f"{symbol} {result.band_label}".strip())
        set_tone(self.band, BAND_TONES.get(result.band, ""))
        parts = [number] if number else []
        parts.append(self.tr("confidence {pct}").format(pct=f"{result.confidence:.0%}"))
        if result.flags:
            parts.append(plural(len(result.flags), self.tr("{n} warning"), self.tr("{n} warnings")))
        self.detail.setText(" · ".join(parts))


class AccountPage(QWidget):
    """The workspace of one account: the overview, then a tab per kind of record.

    ``back_requested`` returns to the list; ``export_requested(kind, contract_id)`` asks for a
    Word export; ``plan_requested(account_id, contract_id)`` for a conversation plan.
    """

    back_requested = Signal()
    export_requested = Signal(str, str)
    plan_requested = Signal(str, str)
    #: A saved plan should open in the editor / in coaching mode.
    plan_open_requested = Signal(str)
    plan_present_requested = Signal(str)

    def __init__(
        self,
        store: Store,
        *,
        editor: Editor | None = None,
        segment_for: Callable[[str], ScoreResult | None] | None = None,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._today = today
        #: The account's current segment when the portfolio scores are up to date (ranking
        #: every account again costs more than the rest of the page at 5,000 accounts).
        self._segment_for = segment_for
        self.editor = editor or Editor(store, self)
        self.editor.changed.connect(self._data_changed)
        self.account_id: str | None = None
        self.scores: AccountScores | None = None
        self.lookups = AccountLookups()

        self.back_button = QPushButton(self.tr("← Portfolio"))
        self.back_button.setToolTip(self.tr("Back to the portfolio (Alt+Left)"))
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAccessibleName(self.tr("Account name"))
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.archived_note = QLabel(
            self.tr(
                "Archived: this account is left out of the Portfolio list, the rankings and the "
                "charts. Its segment shows where it would rank if it were live. Account ▸ "
                "Unarchive Account brings it back."
            )
        )
        self.archived_note.setWordWrap(True)
        self.archived_note.setAccessibleName(self.tr("Archived account"))
        self.archived_note.setStyleSheet(
            "QLabel { background: palette(alternate-base); border: 1px solid palette(mid);"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.archived_note.hide()

        self.segment_card = ScoreCard(self.tr("Value segment"), symbols=SEGMENT_SYMBOLS)
        self.risk_card = ScoreCard(self.tr("Renewal risk (next renewal)"))
        self.engagement_card = ScoreCard(self.tr("Engagement balance"))
        cards = QHBoxLayout()
        for card in (self.segment_card, self.risk_card, self.engagement_card):
            cards.addWidget(card, 1)

        self.todo_label = QLabel()
        self.todo_label.setWordWrap(True)
        self.todo_label.setTextFormat(Qt.TextFormat.RichText)
        self.todo_label.setAccessibleName(self.tr("Top three things to do"))
        self.warnings_label = QLabel()
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setTextFormat(Qt.TextFormat.RichText)
        self.warnings_label.setAccessibleName(self.tr("Warnings"))

        factor_headers = [
            self.tr("Factor"),
            self.tr("Reading"),
            self.tr("0–1"),
            self.tr("Weight"),
            self.tr("Adds"),
        ]
        self.risk_model = RowsModel(factor_headers, self)
        self.engagement_model = RowsModel(
            [
                self.tr("Contact"),
                self.tr("How it is worked out"),
                self.tr("Count"),
                self.tr("× Points each"),
                self.tr("= Points"),
            ],
            self,
        )
        self.segment_model = RowsModel([self.tr("Figure"), self.tr("Value")], self)
        self.why = QTabWidget()
        self.why.setAccessibleName(self.tr("Why: the factors behind each score"))
        self.risk_table = _whole(_wrapping(_table(self.risk_model, self.tr("Risk factors"))))
        self.why.addTab(self.risk_table, self.tr("Risk factors"))
        self.engagement_table = _whole(
            _wrapping(_table(self.engagement_model, self.tr("Contact in the window")))
        )
        self.why.addTab(self.engagement_table, self.tr("Engagement"))
        self.segment_table = _whole(
            _wrapping(_table(self.segment_model, self.tr("Segment figures")))
        )
        self.why.addTab(self.segment_table, self.tr("Segment"))
        self.why_note = QLabel()
        self.why_note.setWordWrap(True)

        self.contracts_model = RowsModel(
            [
                self.tr("Contract"),
                self.tr("Title"),
                self.tr("Ends"),
                self.tr("Notice deadline"),
                self.tr("Anchor"),
                self.tr("Phase"),
                self.tr("Next milestone"),
                self.tr("Risk"),
                self.tr("Campaign"),
            ],
            self,
        )
        self.contracts = _table(self.contracts_model, self.tr("Contracts"))
        self.contracts.setMinimumHeight(140)
        self.contracts.selectionModel().selectionChanged.connect(self._contract_selected)
        self._campaigns: dict[str, tuple[str, Campaign, date | None]] = {}
        self._contract_records: dict[str, m.Contract] = {}
        self.deadlines = ContractDeadlines()
        self.deadlines.setAccessibleName(self.tr("Deadlines of the selected contract"))
        self.milestones_heading = QLabel()
        self.milestones_heading.setWordWrap(True)
        self.milestones_model = RowsModel(
            [
                self.tr("Milestone"),
                self.tr("Status"),
                self.tr("Due"),
                self.tr("Done on"),
                self.tr("Owner"),
                self.tr("Note"),
            ],
            self,
        )
        self.milestones = _table(self.milestones_model, self.tr("Campaign milestones"))
        self.milestones.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.milestones.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.milestones.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.milestones.setMinimumHeight(220)
        self.proposal_button = QPushButton(self.tr("Export &Proposal…"))
        self.proposal_button.setToolTip(
            self.tr("Write a customer-facing renewal proposal draft for the selected contract")
        )
        self.brief_button = QPushButton(self.tr("Export &Brief…"))
        self.brief_button.setToolTip(
            self.tr("Write an internal coaching brief for the selected contract")
        )
        self.proposal_button.clicked.connect(lambda: self._export("proposal"))
        self.brief_button.clicked.connect(lambda: self._export("brief"))
        self.no_contracts = QLabel(
            self.tr("No contracts yet: add the first one to start its renewal campaign.")
        )

        self.edit_account_button = QPushButton(self.tr("Edit Account…"))
        self.edit_account_button.setToolTip(self.tr("Edit the account's details and money figures"))
        self.edit_account_button.clicked.connect(self.edit_account)
        self.log_button = QPushButton(self.tr("&Log Interaction…"))
        self.log_button.setToolTip(self.tr("Log a contact with this customer (Ctrl+L)"))
        self.log_button.clicked.connect(self.log_interaction)
        self.plan_button = QPushButton(self.tr("Plan a &Conversation…"))
        self.plan_button.setToolTip(
            self.tr("Plan a meeting with this customer for the selected contract")
        )
        self.plan_button.clicked.connect(self.request_plan)

        head = QHBoxLayout()
        head.addWidget(self.back_button)
        head.addSpacing(12)
        head.addWidget(self.title, 1)
        head.addWidget(self.log_button)
        head.addWidget(self.plan_button)
        head.addWidget(self.edit_account_button)

        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 8, 8, 16)
        grid.setVerticalSpacing(10)
        row = 0
        grid.addWidget(self.subtitle, row, 0)
        row += 1
        grid.addWidget(self.archived_note, row, 0)
        row += 1
        grid.addLayout(cards, row, 0)
        row += 1
        grid.addWidget(_heading(self.tr("What to do next")), row, 0)
        row += 1
        grid.addWidget(self.todo_label, row, 0)
        row += 1
        grid.addWidget(self.warnings_label, row, 0)
        row += 1
        grid.addWidget(_heading(self.tr("Why")), row, 0)
        row += 1
        grid.addWidget(self.why, row, 0)
        row += 1
        grid.addWidget(self.why_note, row, 0)
        row += 1
        grid.addWidget(_heading(self.tr("Conversations")), row, 0)
        row += 1
        self.plans_label = QLabel()
        self.plans_label.setWordWrap(True)
        self.plans_label.setTextFormat(Qt.TextFormat.RichText)
        self.plans_label.setAccessibleName(self.tr("Conversation plans and coaching sessions"))
        grid.addWidget(self.plans_label, row, 0)
        row += 1
        grid.addWidget(_heading(self.tr("Contracts and campaigns")), row, 0)
        row += 1
        grid.addWidget(self.contracts, row, 0)
        row += 1
        grid.addWidget(self.no_contracts, row, 0)
        row += 1
        grid.addWidget(self.deadlines, row, 0)
        row += 1
        grid.addWidget(self.milestones_heading, row, 0)
        row += 1
        grid.addWidget(self.milestones, row, 0)
        row += 1
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.proposal_button)
        buttons.addWidget(self.brief_button)
        grid.addLayout(buttons, row, 0)
        self.why.setMinimumHeight(250)

        scroll = _scrolling(body)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Account workspace"))
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(scroll, self.tr("Overview"))
        self.record_tabs: dict[type[Record], RecordsTab] = {}
        for spec in TAB_SPECS:
            tab = RecordsTab(spec, self.editor, today=today)
            self.record_tabs[spec.cls] = tab
            if spec.cls is m.Stakeholder:
                self.stakeholder_map = StakeholderMap()
                self.stakeholder_map.person_clicked.connect(tab.select)
                self.stakeholder_map.person_activated.connect(
                    lambda sid, t=tab: t.select(sid) and t.edit_selected()
                )
                tab.selected.connect(self.stakeholder_map.select)
                people = QSplitter(Qt.Orientation.Vertical)
                people.addWidget(tab)
                people.addWidget(self.stakeholder_map)
                people.setStretchFactor(0, 1)
                people.setStretchFactor(1, 2)
                self.people_splitter = people
                self.tabs.addTab(_padded(people), self.tr(spec.title))
            else:
                self.tabs.addTab(_padded(tab), self.tr(spec.title))
            if spec.cls is m.Contract:
                self.contract_deadlines = add_deadlines_to(tab, today)
        self.plans = PlanList(editor=self.editor)
        self.plans.new_requested.connect(self.request_plan)
        self.plans.open_requested.connect(self.plan_open_requested)
        self.plans.present_requested.connect(self.plan_present_requested)
        self.plans.changed.connect(self.editor.notify)
        self.tabs.addTab(_padded(self.plans), self.tr("Plans"))
        self.assessments = AssessmentHistory(today=today, editor=self.editor)
        self.assessments.changed.connect(self.editor.notify)
        # Scrolls rather than widening the whole window on a small screen.
        self.tabs.addTab(_scrolling(_padded(self.assessments)), self.tr("Assessments"))
        self.confirm_goal_button = self.record_tabs[m.CustomerGoal].add_confirm_button(
            self.tr("Con&firm…"),
            self.tr("Record which stakeholder confirmed this goal in their own words, and when"),
            who_field="confirmed_by_id",
            when_field="confirmed_on",
            question=self.tr("Who at the customer confirmed this goal, and when?"),
        )
        self.validate_button = self.record_tabs[m.ValueEvidence].add_confirm_button(
            self.tr("Mark &Validated…"),
            self.tr("Record which stakeholder agreed this evidence, and when"),
            who_field="validated_by_id",
            when_field="validated_on",
            question=self.tr("Who at the customer agreed this evidence, and when?"),
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 0)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)

    # ---- public --------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        return self._store

    def set_store(self, store: Store) -> None:
        self._store = store
        self.account_id = None
        self.scores = None

    def show_account(self, account_id: str) -> None:
        """Score the account and show it (raises NotFoundError for an unknown id)."""
        account = self._store.accounts.get(account_id)
        if account_id != self.account_id:
            self.tabs.setCurrentIndex(0)
        self.account_id = account_id
        self.account = account
        self.scores = self._score(account_id)
        self._fill(account, self.scores)
        self.lookups = load_lookups(self._store, account_id)
        for tab in self.record_tabs.values():
            tab.show_account(account_id, self.lookups)
        self.stakeholder_map.set_people(self._store.stakeholders.for_account(account_id))
        self.plans.show_account(self._store, account_id)
        self.assessments.load(self._store, account_id)
        self._fill_plans(account_id)
        self.stakeholder_map.select(self.record_tabs[m.Stakeholder].selected_id())

    def _fill_plans(self, account_id: str) -> None:
        plans = sorted(
            self._store.plans.for_account(account_id),
            key=lambda p: (p.meeting_date or date.min, p.updated_at),
            reverse=True,
        )
        if not plans:
            self.plans_label.setText(
                self.tr("No conversation plans yet: plan the next meeting (Plan a Conversation…).")
            )
            return
        sessions: dict[str, int] = {}
        ids = [p.id for p in plans]
        marks = ",".join("?" * len(ids))
        for plan_id, count in self._store.db.execute(
            f"SELECT plan_id, COUNT(*) FROM coaching_sessions WHERE plan_id IN ({marks}) "
            "GROUP BY plan_id",
            ids,
        ):
            sessions[plan_id] = count
        items = []
        for plan in plans[:3]:
            when = show_date(plan.meeting_date, self.tr("no date"))
            count = sessions.get(plan.id, 0)
            rehearsed = (
                ", "
                + plural(count, self.tr("{n} coaching session"), self.tr("{n} coaching sessions"))
                if count
                else ""
            )
            items.append(
                f"<li><b>{_esc(plan.title or plan.meeting_type.label)}</b> — {when}, "
                f"{_esc(self.tr(plan.status.label))}{rehearsed}</li>"
            )
        more = (
            self.tr("<p>and {n} more on the Plans tab.</p>").format(n=len(plans) - 3)
            if len(plans) > 3
            else ""
        )
        self.plans_label.setText("<ul>" + "".join(items) + "</ul>" + more)

    def _score(self, account_id: str) -> AccountScores:
        today = self._today()
        segment = self._segment_for(account_id) if self._segment_for else None
        if segment is None:
            return account_scores(self._store, account_id, today)
        settings = load_settings(self._store)
        data = load_account(self._store, account_id, today, settings)
        return score_account(data, segment, today, settings)

    def _data_changed(self, account_id: str) -> None:
        if self.account_id is None or account_id not in ("", self.account_id):
            return
        try:
            self.show_account(self.account_id)
        except NotFoundError:
            self.account_id = None
            self.back_requested.emit()
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The account could not be refreshed."), exc)

    def show_tab(self, cls: type[Record]) -> RecordsTab:
        """Bring the tab of ``cls`` records to the front and return it."""
        tab = self.record_tabs[cls]
        for i in range(self.tabs.count()):
            if tab.isAncestorOf(self.tabs.widget(i)) or self.tabs.widget(i).isAncestorOf(tab):
                self.tabs.setCurrentIndex(i)
                break
        return tab

    # ---- account actions -----------------------------------------------------------------

    def log_interaction(self) -> m.Interaction | None:
        if self.account_id is None:
            return None
        dialog = QuickInteractionDialog(
            self.editor, self.account_id, self.lookups, self._today(), self
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.saved
        return None

    def edit_account(self) -> Record | None:
        if self.account_id is None:
            return None
        account = self._store.accounts.get(self.account_id)
        form = RecordForm(m.Account, currency=account.currency)
        form.set_record(account)
        dialog = RecordDialog(self.tr("Edit account"), form, self.editor.update, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.saved
        return None

    def delete_account(self) -> bool:
        if self.account_id is None:
            return False
        account = self._store.accounts.get(self.account_id)
        answer = QMessageBox.question(
            self,
            self.tr("Delete account"),
            self.tr(
                "Delete “{name}” with all its contracts, people, interactions, goals, plans and "
                "assessments? You can undo this with Ctrl+Z."
            ).format(name=account.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.editor.delete(account)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The account was not deleted."), exc)
            return False
        self.account_id = None
        self.back_requested.emit()
        return True

    def set_archived(self, archived: bool) -> bool:
        """Archive (or unarchive) the open account through the editor, so Ctrl+Z undoes it.

        The page stays on the account, which then says that it is archived."""
        if self.account_id is None:
            return False
        account = self._store.accounts.get(self.account_id)
        if bool(account.archived) == archived:
            return False
        try:
            self.editor.set_archived(account, archived)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The account was not changed."), exc)
            return False
        return True

    def show_history(self) -> QDialog | None:
        """Open the History panel of the whole account: every change to it and its records."""
        if self.account_id is None:
            return None
        from ...dialogs.history_dialog import HistoryDialog

        account = self._store.accounts.get(self.account_id)
        dialog = HistoryDialog(
            self._store,
            self.tr("History of {name}").format(name=account.name),
            account_id=account.id,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def request_plan(self) -> None:
        if self.account_id:
            self.plan_requested.emit(self.account_id, self.selected_contract_id() or "")

    def refresh(self) -> None:
        if self.account_id is not None:
            self.show_account(self.account_id)

    def selected_contract_id(self) -> str | None:
        rows = self.contracts.selectionModel().selectedRows()
        if rows:
            return self.contracts_model.key(rows[0].row())
        if self.scores and self.scores.primary:
            return self.scores.primary.contract.id
        return None

    # ---- filling -------------------------------------------------------------------------

    def _fill(self, account: Any, s: AccountScores) -> None:
        self.title.setText(account.name)
        bits = [b for b in (account.industry, account.region) if b]
        if account.owner:
            bits.append(self.tr("owner {name}").format(name=account.owner))
        self.subtitle.setText(" · ".join(bits))
        self.archived_note.setVisible(bool(account.archived))
        seg = s.segment
        contribution = dict(seg.details).get("Contribution", "")
        self.segment_card.show_result(
            seg, self.tr("contribution {value}").format(value=contribution), ""
        )
        risk = s.risk
        self.risk_card.show_result(
            risk,
            self.tr("{score:.0f} of 100 · {ref}").format(
                score=risk.score or 0, ref=s.primary.contract.reference
            )
            if risk and s.primary
            else "",
            self.tr("No live contract"),
        )
        eng = s.engagement
        self.engagement_card.show_result(
            eng, self.tr("balance {b:.2f} (1.0 = on target)").format(b=eng.score or 0), ""
        )
        todo = []
        for item in (risk.advice if risk else ()) + eng.advice:
            if item not in todo:
                todo.append(item)
        self.todo_label.setText(
            "<ol>" + "".join(f"<li>{_esc(t)}</li>" for t in todo[:3]) + "</ol>"
            if todo
            else self.tr("Nothing pressing: keep the rhythm.")
        )
        warnings = [*(risk.flags if risk else ()), *eng.flags]
        self.warnings_label.setText(
            "".join(f"<p>⚠ <b>{_esc(f.label)}</b>: {_esc(f.reason)}</p>" for f in warnings)
        )
        self.warnings_label.setVisible(bool(warnings))
        self.risk_model.set_rows(_factor_rows(risk) if risk else [])
        self.engagement_model.set_rows(_balance_rows(eng))
        self.segment_model.set_rows([((k, v), (k, v), "", v) for k, v in seg.details])
        notes = []
        for result in (risk, eng, seg):
            if result and result.missing:
                notes.append(
                    self.tr("{what}: missing {items} (counted as 0.5).").format(
                        what=result.kind.capitalize(), items=", ".join(result.missing)
                    )
                )
        notes.append(
            self.tr(
                "Weights and thresholds are heuristics from settings version {v}; "
                "every number is shown so you can judge it."
            ).format(v=eng.settings_version)
        )
        self.why_note.setText(" ".join(notes))
        rows = []
        self._campaigns = {}
        self._contract_records = {c.contract.id: c.contract for c in s.contracts}
        today = self._today()
        for c in s.contracts:
            camp = c.campaign
            nxt = camp.next_milestone()
            nxt_text = (
                f"{nxt.code} {nxt.label}: {show_date(nxt.due)} ({self._status_word(nxt.status)})"
                if nxt
                else ""
            )
            risk_text = (
                f"{BAND_SYMBOLS[c.risk.band]} {c.risk.band_label} ({c.risk.score:.0f})"
                if c.risk
                else self.tr("closed")
            )
            summary, summary_tip = self._campaign_summary(camp, c.contract.tracked_since)
            self._campaigns[c.contract.id] = (
                c.contract.reference,
                camp,
                c.contract.tracked_since,
            )
            rows.append(
                (
                    (
                        c.contract.reference,
                        c.contract.title,
                        show_date(c.contract.end_date),
                        deadline_text(notice_deadline(c.contract), today, live=is_live(c.contract)),
                        show_date(camp.anchor),
                        camp.phase_label,
                        nxt_text,
                        risk_text,
                        summary,
                    ),
                    (
                        c.contract.reference,
                        c.contract.title,
                        c.contract.end_date,
                        notice_deadline(c.contract),
                        camp.anchor,
                        camp.phase,
                        nxt.due if nxt else None,
                        c.risk.score if c.risk else -1,
                        camp.overdue_count,
                    ),
                    c.contract.id,
                    nxt.done_means if nxt else summary_tip,
                )
            )
        self.contracts_model.set_rows(rows)
        self.contracts.setVisible(bool(rows))
        self.no_contracts.setVisible(not rows)
        self.proposal_button.setEnabled(bool(rows))
        self.brief_button.setEnabled(bool(rows))
        if s.primary is not None:
            for i, c in enumerate(s.contracts):
                if c is s.primary:
                    self.contracts.selectRow(i)
        self._show_milestones()

    # ---- the campaign of the selected contract ------------------------------------------------

    def _status_word(self, status: str) -> str:
        return {
            "overdue": self.tr("overdue"),
            "due": self.tr("due soon"),
            "upcoming": self.tr("upcoming"),
            "done": self.tr("done"),
            "before_tracking": self.tr("before tracking"),
            "closed": self.tr("closed"),
        }.get(status, status)

    def _campaign_summary(self, camp: Campaign, tracked: date | None) -> tuple[str, str]:
        """A few words on a campaign's milestones, and a sentence for its tooltip."""
        counts = camp.status_counts()
        parts = []
        if camp.closed:
            parts.append(self.tr("Closed"))
        elif counts["overdue"]:
            parts.append(f"{MILESTONE_SYMBOLS['overdue']} {counts['overdue']} {self.tr('overdue')}")
        else:
            parts.append(f"{MILESTONE_SYMBOLS['done']} {self.tr('On time')}")
        if counts["before_tracking"]:
            parts.append(
                f"{MILESTONE_SYMBOLS['before_tracking']} {counts['before_tracking']} "
                f"{self.tr('before tracking')}"
            )
        tip = self.tr("{done} done, {overdue} overdue of {due} due so far.").format(
            done=counts["done"], overdue=counts["overdue"], due=camp.due_so_far
        )
        if counts["before_tracking"] and tracked is not None:
            tip += " " + plural(
                counts["before_tracking"],
                self.tr("{n} milestone fell due before tracking began on {day}: not overdue."),
                self.tr("{n} milestones fell due before tracking began on {day}: not overdue."),
            ).format(day=show_date(tracked))
        return " · ".join(parts), tip

    @Slot()
    def _contract_selected(self, *_args: Any) -> None:
        self._show_milestones()

    def _show_milestones(self) -> None:
        """The milestones of the selected contract, those from before tracking greyed."""
        selected = self.selected_contract_id() or ""
        self.deadlines.show_contract(self._contract_records.get(selected), self._today())
        found = self._campaigns.get(selected)
        if found is None:
            self.milestones_heading.setText("")
            self.milestones_model.set_rows([])
            self.milestones_heading.hide()
            self.milestones.hide()
            return
        reference, camp, tracked = found
        heading = self.tr("Milestones of {ref}").format(ref=reference)
        untracked = len(camp.before_tracking)
        if untracked and tracked is not None:
            heading += " · " + self.tr(
                "tracked since {day}; {n} earlier, greyed, are before tracking: not overdue, "
                "and can still be marked done"
            ).format(day=show_date(tracked), n=untracked)
        self.milestones_heading.setText(heading)
        rows, colours = [], []
        for ms in camp.milestones:
            word = self._status_word(ms.status)
            status = f"{MILESTONE_SYMBOLS.get(ms.status, '')} {word[:1].upper()}{word[1:]}"
            rows.append(
                (
                    (
                        f"{ms.code} {ms.label}",
                        status,
                        show_date(ms.due),
                        show_date(ms.done_on),
                        ms.owner,
                        ms.note,
                    ),
                    (ms.code, ms.status, ms.due, ms.done_on, ms.owner, ms.note),
                    f"{ms.code}:{ms.occurrence}",
                    self.tr("Done means: {what}").format(what=ms.done_means),
                )
            )
            colours.append(MILESTONE_TONES.get(ms.status))
        self.milestones_model.set_rows(rows, colours)
        self.milestones_heading.show()
        self.milestones.show()

    def _export(self, kind: str) -> None:
        contract_id = self.selected_contract_id()
        if contract_id:
            self.export_requested.emit(kind, contract_id)


def _factor_rows(result: ScoreResult) -> list[tuple[Sequence[str], Sequence[Any], str, str]]:
    rows = []
    for f in result.factors:
        reading = f.input if f.known else f"{f.input} (missing: 0.5 used)"
        rows.append(
            (
                (
                    f.label,
                    reading,
                    f"{f.normalised:.2f}",
                    f"{f.weight:.2f}",
                    f"{f.contribution:.1f}",
                ),
                (f.label, reading, f.normalised, f.weight, f.contribution),
                f.key,
                reading,
            )
        )
    return rows


def _balance_rows(result: ScoreResult) -> list[tuple[Sequence[str], Sequence[Any], str, str]]:
    """The engagement balance as a sum a person can redo by hand: count × points each = points
    for each kind of contact, then the total, the intensity, the target (and why that target)
    and the balance, each with its arithmetic in words."""
    rows: list[tuple[Sequence[str], Sequence[Any], str, str]] = []
    for f in result.factors:
        count = "" if f.count is None else str(f.count)
        rows.append(
            (
                (f.label, f.input, count, f"{f.weight:g}", f"{f.contribution:g}"),
                (f.label, f.input, f.count or 0, f.weight, f.contribution),
                f.key,
                f.input,
            )
        )
    details = dict(result.details)
    extra = result.extra
    figures = (
        ("Contact points", "points", "{:g}"),
        ("Intensity", "intensity", "{:.2f}"),
        ("Target", "target", "{:.2f}"),
        ("Balance", "balance", "{:.2f}"),
    )
    for label, key, fmt in figures:
        if key not in extra:
            continue
        text = details.get(label, "")
        value = float(extra[key])
        shown = fmt.format(value)
        rows.append(((f"= {label}", text, "", "", shown), (label, text, 0, 0, value), key, text))
    return rows


def _scrolling(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(widget)
    return scroll


def _padded(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 4, 0, 8)
    layout.addWidget(widget)
    return holder


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    return label


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
