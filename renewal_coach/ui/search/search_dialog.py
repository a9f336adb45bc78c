"""The Search Everything dialog: a line to type in and the best matches under it as you type.

Up and Down move through the results without leaving the line, Enter opens the chosen record on
its account's page (in its tab, selected), Esc closes. The search itself is
:func:`renewal_coach.storage.search.search`; this module only shows it and opens what was chosen.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAction,
    QColor,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ...core import models as m
from ...core.errors import RenewalCoachError
from ...core.records import Record
from ...storage.repository import Store
from ...storage.search import MARK_END, MARK_START, SearchHit, match_expression, search
from ..errors import show_expected_error
from ..text import show_date

if TYPE_CHECKING:
    from ..main_window import MainWindow

_Index = QModelIndex | QPersistentModelIndex

#: How many records the dialog lists at most.
LIMIT = 50
#: Wait this long after the last key before searching (ms), so fast typing stays smooth.
DELAY_MS = 120

#: The account page tab each kind of record opens in.
RECORD_CLASSES: dict[str, type[Record]] = {
    "contract": m.Contract,
    "person": m.Stakeholder,
    "interaction": m.Interaction,
    "goal": m.CustomerGoal,
    "evidence": m.ValueEvidence,
    "concern": m.Concern,
    "improvement": m.Improvement,
    "change": m.ChangeEvent,
    "commitment": m.Commitment,
}


def _marked_html(snippet: str) -> str:
    """The snippet as HTML, the matching words in bold."""
    out = html.escape(snippet)
    return out.replace(MARK_START, "<b>").replace(MARK_END, "</b>")


class SearchResultsModel(QAbstractListModel):
    """The hits of one search, best first."""

    HIT_ROLE = Qt.ItemDataRole.UserRole + 1
    HTML_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def _heading(self, hit: SearchHit) -> str:
        kind = hit.kind_name
        archived = self.tr(" (archived)") if hit.archived else ""
        title = hit.shown_title(show_date)
        if hit.kind == "account" or not hit.account_name:
            return f"{kind}: {title}{archived}"
        return f"{kind}: {title} · {hit.account_name}{archived}"

    def _where(self, hit: SearchHit) -> str:
        return ", ".join(hit.fields)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{self._heading(hit)}\n{hit.plain_snippet} (in {self._where(hit)})"
        if role == self.HTML_ROLE:
            where = html.escape(self._where(hit))
            internal = " · <i>internal</i>" if hit.internal else ""
            return (
                f"<b>{html.escape(self._heading(hit))}</b><br>"
                f"{_marked_html(hit.snippet)}"
                f" <span class='muted'>(in {where}{internal})</span>"
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Found in: {fields}").format(fields=self._where(hit))
        if role == self.HIT_ROLE:
            return hit
        return None


class _HitDelegate(QStyledItemDelegate):
    """Paints a hit as two lines of rich text, the matching words in bold."""

    def _document(
        self, option: QStyleOptionViewItem, index: _Index, *, selected: bool = False
    ) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        # Where it matched, in a quieter colour (text mixed with the background, still over
        # 4.5:1 on white and on black), and in full on the selection.
        palette = option.palette
        if selected:
            muted = palette.color(QPalette.ColorRole.HighlightedText)
        else:
            text = palette.color(QPalette.ColorRole.Text)
            base = palette.color(QPalette.ColorRole.Base)
            muted = QColor(
                (text.red() * 3 + base.red() * 2) // 5,
                (text.green() * 3 + base.green() * 2) // 5,
                (text.blue() * 3 + base.blue() * 2) // 5,
            )
        doc.setDefaultStyleSheet(f".muted {{ color: {muted.name()}; }}")
        doc.setDocumentMargin(4)
        doc.setHtml(index.data(SearchResultsModel.HTML_ROLE) or "")
        width = option.rect.width() if option.rect.width() > 0 else 600
        doc.setTextWidth(width)
        return doc

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        doc = self._document(option, index, selected=selected)
        context = QAbstractTextDocumentLayout.PaintContext()
        group = QPalette.ColorGroup.Active
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(group, role))
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))


class SearchDialog(QDialog):
    """Type to search every record; Up/Down to choose, Enter to open, Esc to close."""

    #: The hit chosen (with Enter, a click or a double click), just before the dialog closes.
    hit_chosen = Signal(object)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.chosen: SearchHit | None = None
        self.setWindowTitle(self.tr("Search Everything"))
        self.setAccessibleName(self.tr("Search everything"))
        self.resize(720, 480)

        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            self.tr("Search accounts, contracts, people, notes… (every word must match)")
        )
        self.edit.setAccessibleName(self.tr("Search text"))
        self.edit.setClearButtonEnabled(True)
        self.edit.installEventFilter(self)

        self.model = SearchResultsModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(_HitDelegate(self.view))
        self.view.setAccessibleName(self.tr("Search results"))
        self.view.setUniformItemSizes(False)
        self.view.setWordWrap(True)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the line
        self.view.activated.connect(self._open_index)
        self.view.clicked.connect(self._open_index)

        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Search status"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.edit.textChanged.connect(lambda _text: self._timer.start())
        self.edit.returnPressed.connect(self._open_current)
        self._show_status()

    def run_search(self) -> None:
        """Search for the text in the line now and show the results, the first one chosen."""
        self._timer.stop()
        text = self.edit.text()
        try:
            hits = search(self._store, text, LIMIT) if match_expression(text) else []
        except RenewalCoachError as exc:
            self.model.set_hits([])
            show_expected_error(self, self.tr("The search could not be run."), exc)
            return
        self.model.set_hits(hits)
        if hits:
            self.view.setCurrentIndex(self.model.index(0))
        self._show_status()

    def _show_status(self) -> None:
        text = self.edit.text()
        count = self.model.rowCount()
        if not match_expression(text):
            self.status.setText(self.tr("Type a word or the start of one."))
        elif count == 0:
            self.status.setText(self.tr("Nothing matches."))
        elif count >= LIMIT:
            self.status.setText(
                self.tr("The best {n} matches: type more words to narrow them.").format(n=count)
            )
        else:
            self.status.setText(
                self.tr("1 match: Enter opens it.")
                if count == 1
                else self.tr("{n} matches: Up and Down choose, Enter opens.").format(n=count)
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {
                Qt.Key.Key_Down: 1,
                Qt.Key.Key_Up: -1,
                Qt.Key.Key_PageDown: 5,
                Qt.Key.Key_PageUp: -5,
            }.get(Qt.Key(event.key()))
            if step is not None and self.model.rowCount():
                self._move(step)
                return True
        return super().eventFilter(watched, event)

    def _move(self, step: int) -> None:
        current = self.view.currentIndex().row()
        row = 0 if current < 0 else max(0, min(self.model.rowCount() - 1, current + step))
        index = self.model.index(row)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def _open_current(self) -> None:
        if self._timer.isActive():  # Enter before the pause: search for what is typed first
            self.run_search()
        self._open_index(self.view.currentIndex())

    def _open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self.chosen = self.model.hit(index.row())
        self.hit_chosen.emit(self.chosen)
        self.accept()


def open_hit(window: MainWindow, hit: SearchHit) -> bool:
    """Open the account of ``hit`` in ``window`` and select the record in its tab."""
    window.open_account(hit.account_id)
    page = window.account_page
    if page.account_id != hit.account_id or window.pages.currentWidget() is not page:
        return False
    cls = RECORD_CLASSES.get(hit.kind)
    if cls is not None:
        tab = page.show_tab(cls)
        found = tab.select(hit.record_id)
        tab.table.setFocus()
        return found
    if hit.kind in ("plan", "session"):
        plan_id = hit.record_id
        if hit.kind == "session":
            session = window.store.coaching_sessions.find(hit.record_id)
            if session is None:
                return False
            plan_id = session.plan_id
        for i in range(page.tabs.count()):
            if page.tabs.widget(i).isAncestorOf(page.plans):
                page.tabs.setCurrentIndex(i)
                break
        page.plans.select_plan(plan_id)
        page.plans.view.setFocus()
        return page.plans.selected_plan_id() == plan_id
    page.tabs.setCurrentIndex(0)  # the account itself: its overview
    return True


def search_action(window: MainWindow) -> QAction:
    """The Edit ▸ Search Everything… action (Ctrl+K) of ``window``."""
    action = QAction(window.tr("Search &Everything…"), window)
    action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_K))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setStatusTip(window.tr("Find any record of any account by its words, and open it"))

    def run() -> None:
        # Window-modal but not blocking: the dialog closes itself (and is deleted) when done.
        dialog = SearchDialog(window.store, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.hit_chosen.connect(lambda hit: open_hit(window, hit))
        dialog.open()
        dialog.edit.setFocus()

    action.triggered.connect(run)
    return action
