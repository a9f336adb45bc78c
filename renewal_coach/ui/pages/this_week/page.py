"""The This Week page: everything that needs the user in the next days, and everything late.

Grouped as the core groups it (deadlines, campaign milestones, commitments both ways, people
past the contact rhythm they asked for, concerns open too long), soonest first. Enter or a
double-click opens the record on its account's page; milestones and commitments can be marked
done from here (the window saves through the undo stack). The list can be narrowed to one
account owner's accounts; when nothing is due the page says so in one line.

The page never reads the whole portfolio on the window's thread: an
:class:`~renewal_coach.ui.pages.this_week.builder.AgendaBuilder` works the agenda out on a
worker and the page shows the answer when it comes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ....core.deadlines import AgendaItem, nudge_line
from ....core.lists import MARKABLE_STATUSES
from ....storage.repository import Store
from ...theme import set_tone
from ...widgets.headings import HeadingDelegate, step_over_headings
from ..renewals.mark_done import MarkDoneDialog
from .builder import AgendaBuilder, ThisWeek
from .model import AgendaModel

#: Wait this long after the last key in the owner box before working the list out again.
OWNER_DELAY_MS = 350


class _AgendaTable(QTableView):
    """Arrow keys step over the group headings, from item to item."""

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        return step_over_headings(
            self,
            super().moveCursor(action, modifiers),
            action,
            AgendaModel.GROUP_ROLE,
            lambda index, up: index.siblingAtRow(index.row() + (-1 if up else 1)),
        )


class ThisWeekPage(QWidget):
    """The agenda of the open portfolio.

    Signals: ``item_activated(AgendaItem)`` to open a record; ``milestone_done_requested
    (contract_id, code, occurrence, done_on, note)`` and ``commitment_done_requested(id)`` to
    mark one done; ``owner_changed(text)`` when the owner filter changes (the window keeps it);
    ``built(ThisWeek)`` each time a new agenda is shown.
    """

    item_activated = Signal(object)
    milestone_done_requested = Signal(str, str, int, object, str)
    commitment_done_requested = Signal(str)
    owner_changed = Signal(str)
    built = Signal(object)

    LIST_PAGE, EMPTY_PAGE = range(2)

    def __init__(self, store: Store, *, owner: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._scores: Mapping[str, Any] | None = None
        self._today = date.today()
        self._columns_sized = False
        self.result: ThisWeek | None = None
        self.mark_done_dialog: MarkDoneDialog | None = None
        self.builder = AgendaBuilder(self)
        self.builder.built.connect(self._built)
        self.builder.failed.connect(self._failed)

        title = QLabel(self.tr("This Week"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAccessibleName(self.tr("This Week"))
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName(self.tr("What needs you"))
        self.nudge_label = QLabel()
        self.nudge_label.setWordWrap(True)
        self.nudge_label.setAccessibleName(self.tr("Notice and option dates coming up"))
        set_tone(
            self.nudge_label,
            "warning",
            "border: 1px solid palette(mid); border-radius: 4px; padding: 6px 8px;",
        )
        self.nudge_label.hide()

        self.owner_box = QComboBox()
        self.owner_box.setEditable(True)
        self.owner_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.owner_box.setMinimumContentsLength(18)
        self.owner_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.owner_box.setAccessibleName(self.tr("Account owner"))
        self.owner_box.setToolTip(
            self.tr(
                "Only accounts whose owner has every word typed here, in any case "
                "(“priya” finds “Priya Shah”). Empty: every account."
            )
        )
        self.owner_box.lineEdit().setPlaceholderText(self.tr("Everyone's accounts"))
        self.owner_box.lineEdit().setClearButtonEnabled(True)
        self.owner_box.setEditText(owner)
        owner_label = QLabel(self.tr("&Owner:"))
        owner_label.setBuddy(self.owner_box)
        self._owner_timer = QTimer(self)
        self._owner_timer.setSingleShot(True)
        self._owner_timer.setInterval(OWNER_DELAY_MS)
        self._owner_timer.timeout.connect(self._owner_settled)
        self.owner_box.editTextChanged.connect(lambda _t: self._owner_timer.start())
        self.busy_label = QLabel()
        self.busy_label.setAccessibleName(self.tr("Progress"))

        self.model = AgendaModel(self)
        # A table rather than a tree: headings are spanned rows, and a flat list of 100,000
        # items lays out at once where a tree walked every row.
        self.tree = _AgendaTable()
        self.tree.setModel(self.model)
        self.tree.setItemDelegate(HeadingDelegate(AgendaModel.GROUP_ROLE, self.tree))
        self.tree.setAccessibleName(self.tr("This week's list"))
        self.tree.setShowGrid(False)
        self.tree.setTabKeyNavigation(False)
        self.tree.verticalHeader().hide()
        rows = self.tree.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.tree.fontMetrics().height() + 8)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.tree.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionsMovable(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(60)
        self.tree.activated.connect(self._activated)
        self.tree.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        self.model.modelReset.connect(self._arrange)

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAccessibleName(self.tr("Nothing due"))
        font = self.empty_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.empty_label.setFont(font)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty_label)

        self.mark_done_action = QAction(self.tr("&Mark Done…"), self)
        self.mark_done_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_D))
        self.mark_done_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.mark_done_action.setStatusTip(
            self.tr("Record the selected milestone or commitment as done (Ctrl+Z undoes it)")
        )
        self.mark_done_action.triggered.connect(self.mark_done)
        self.tree.addAction(self.mark_done_action)
        self.mark_done_button = QPushButton(self.tr("&Mark Done…"))
        self.mark_done_button.setToolTip(
            self.tr("Record the selected milestone or commitment as done (Ctrl+D)")
        )
        self.mark_done_button.clicked.connect(self.mark_done)
        self.open_button = QPushButton(self.tr("Ope&n"))
        self.open_button.setToolTip(self.tr("Open the selected item on its account (Enter)"))
        self.open_button.clicked.connect(self.open_selected)

        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.busy_label)
        top.addSpacing(12)
        top.addWidget(owner_label)
        top.addWidget(self.owner_box)

        self.button_bar = QWidget()
        buttons = QHBoxLayout(self.button_bar)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(8)
        buttons.addWidget(self.mark_done_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.nudge_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.button_bar)
        self.setFocusProxy(self.tree)
        self._show_waiting()
        self._update_actions()

    # ---- public --------------------------------------------------------------------------------

    @property
    def owner(self) -> str:
        return self.owner_box.currentText().strip()

    def set_store(self, store: Store) -> None:
        """Another database: the old agenda goes at once; the next scores bring the new one."""
        self.builder.cancel()
        self._store = store
        self._scores = None
        self.result = None
        self.model.set_agenda(None)
        self._show_waiting()

    def set_scores(self, scores: Mapping[str, Any], today: date) -> None:
        """Work the agenda out again from these portfolio scores (their campaigns give the
        milestones) and the records in the database now."""
        self._scores = scores
        self._today = today
        self._fill_owners()
        self.refresh()

    def refresh(self) -> None:
        """Work the agenda out again (after an edit or an import)."""
        if self._scores is None:
            return
        self.busy_label.setText(self.tr("Working out what is due…"))
        self.builder.request(self._store, self._today, self.owner, self._scores)

    @property
    def busy(self) -> bool:
        return self.builder.pending

    def selected_item(self) -> AgendaItem | None:
        rows = self.tree.selectionModel().selectedRows()
        return self.model.item_at(rows[0]) if rows else None

    def select_item(self, item: AgendaItem) -> bool:
        index = self.model.index_of(item)
        if not index.isValid():
            return False
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)
        return True

    @Slot()
    def open_selected(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.item_activated.emit(item)

    @Slot()
    def mark_done(self) -> MarkDoneDialog | None:
        """Mark the selected milestone (asks when and a note) or commitment done."""
        item = self.selected_item()
        if item is None or not item.can_mark_done():
            return None
        if item.record == "commitment":
            self.commitment_done_requested.emit(item.record_id)
            return None
        contract = self._contract_scores(item)
        if contract is None:
            return None
        milestones = [m for m in contract.campaign.milestones if m.status in MARKABLE_STATUSES]
        if not milestones:
            return None
        dialog = MarkDoneDialog(
            self.tr("{account}: {ref} – {title}").format(
                account=item.account, ref=item.reference, title=contract.contract.title
            ),
            milestones,
            self._today,
            default=(item.code, item.occurrence),
            parent=self,
        )
        contract_id = contract.contract.id
        dialog.accepted.connect(lambda: self._mark_done_accepted(dialog, contract_id))
        dialog.finished.connect(lambda _r: self._dialog_finished(dialog))
        self.mark_done_dialog = dialog
        dialog.open()
        return dialog

    # ---- internals -----------------------------------------------------------------------------

    def _contract_scores(self, item: AgendaItem) -> Any:
        account = (self._scores or {}).get(item.account_id)
        if account is None:
            return None
        return next((c for c in account.contracts if c.contract.id == item.contract_id), None)

    def _mark_done_accepted(self, dialog: MarkDoneDialog, contract_id: str) -> None:
        if dialog.values is None:
            return
        code, occurrence, done_on, note = dialog.values
        self.milestone_done_requested.emit(contract_id, code, occurrence, done_on, note)

    def _dialog_finished(self, dialog: MarkDoneDialog) -> None:
        if self.mark_done_dialog is dialog:
            self.mark_done_dialog = None
        dialog.deleteLater()

    def _fill_owners(self) -> None:
        """Offer the owners of the live accounts, keeping what is typed."""
        typed = self.owner_box.currentText()
        rows = self._store.db.execute(
            "SELECT DISTINCT owner FROM accounts WHERE archived = 0 AND owner != '' "
            "ORDER BY owner COLLATE NOCASE"
        ).fetchall()
        owners = [r[0] for r in rows]
        if owners == [self.owner_box.itemText(i) for i in range(self.owner_box.count())]:
            return
        self.owner_box.blockSignals(True)
        self.owner_box.clear()
        self.owner_box.addItems(owners)
        self.owner_box.setEditText(typed)
        self.owner_box.blockSignals(False)

    @Slot()
    def _owner_settled(self) -> None:
        self.owner_changed.emit(self.owner)
        self.refresh()

    def _show_waiting(self) -> None:
        self.summary_label.setText(self.tr("Working out what is due…"))
        self.summary_label.show()
        self.button_bar.hide()
        self.empty_label.setText("")
        self.stack.setCurrentIndex(self.EMPTY_PAGE)

    def _built(self, result: ThisWeek) -> None:
        keep = self.selected_item()
        self.result = result
        self.busy_label.setText("")
        agenda = result.agenda
        self.model.set_agenda(agenda, result.settings.near_days, result.groups)
        self.summary_label.setText(result.summary)
        line = nudge_line(result.nudges, agenda.today, result.settings.nudge_days)
        self.nudge_label.setText(f"⚠ {line}" if line else "")
        self.nudge_label.setVisible(bool(line))
        # Nothing due: one calm line in the middle of the page, and nothing else to act on.
        self.summary_label.setVisible(not agenda.empty)
        self.button_bar.setVisible(not agenda.empty)
        if agenda.empty:
            self.empty_label.setText(result.summary)
            self.stack.setCurrentIndex(self.EMPTY_PAGE)
        else:
            self.stack.setCurrentIndex(self.LIST_PAGE)
            self._fit_columns()
            if keep is None or not self.select_item(keep):
                self._select_first()
        self._update_actions()
        self.built.emit(result)

    def show_failure(self, message: str) -> None:
        """Say why the list cannot be worked out (the scores it needs failed, say)."""
        self._failed(message)

    def _failed(self, message: str) -> None:
        self.busy_label.setText("")
        self.summary_label.setText(
            self.tr("The list could not be worked out: {why}").format(why=message)
        )
        self.summary_label.show()

    def _select_first(self) -> None:
        if self.model.rowCount() > 1:
            first = self.model.index(1, 0)  # row 0 is the first heading
            self.tree.selectionModel().setCurrentIndex(
                first,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    @Slot()
    def _arrange(self) -> None:
        """Headings span the row."""
        self.tree.clearSpans()
        for row in self.model.heading_rows():
            self.tree.setSpan(row, 0, 1, AgendaModel.COLUMN_COUNT)

    def _fit_columns(self) -> None:
        """Size the columns to their texts once (long ones capped; the last takes the rest)."""
        if self._columns_sized:
            return
        header = self.tree.horizontalHeader()
        metrics = self.tree.fontMetrics()
        items = self.model.sample()
        caps = {AgendaModel.ACCOUNT: 220, AgendaModel.WHAT: 360, AgendaModel.CONTRACT: 160}
        for column in range(AgendaModel.COLUMN_COUNT - 1):
            texts = {self.model.display_text(i, column) for i in items}
            widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            width = max(header.sectionSizeHint(column), widest + 24)
            header.resizeSection(column, min(width, caps.get(column, 260)))
        self._columns_sized = True

    def _update_actions(self) -> None:
        item = self.selected_item()
        can_mark = item is not None and item.can_mark_done()
        self.mark_done_action.setEnabled(can_mark)
        self.mark_done_button.setEnabled(can_mark)
        self.open_button.setEnabled(item is not None)

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        item = self.model.item_at(index)
        if item is not None:
            self.item_activated.emit(item)
