"""An account's conversation plans: :class:`PlanList` and its table model.

The list's Duplicate saves a copy at once (the editor's Duplicate makes an unsaved one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.enums import MeetingType, PlanStatus
from ...core.errors import RenewalCoachError
from ...core.models import ConversationPlan
from ...core.plans import duplicate_plan
from ...storage.plan_store import save_plan
from ...storage.repository import Store
from ...user import user_name
from ..editing import Editor
from ..errors import show_expected_error
from ..text import show_date, show_datetime
from .capture_dialog import enum_label

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One plan as the list shows it, with how many coaching sessions it has had."""

    plan: ConversationPlan
    sessions: int = 0


def _local_time(stamp: str) -> str:
    if not stamp:
        return ""
    try:
        return show_datetime(datetime.fromisoformat(stamp))
    except ValueError:
        return stamp


def _held_text(held: object) -> str:
    try:
        return show_date(date.fromisoformat(str(held)))
    except ValueError:
        return str(held)


_STATUS_ORDER = {PlanStatus.DRAFT: 0, PlanStatus.READY: 1, PlanStatus.HELD: 2}
_MEETING_ORDER = {m: i for i, m in enumerate(MeetingType)}


class PlanListModel(QAbstractTableModel):
    """An account's conversation plans, one per row."""

    TITLE, MEETING, DATE, STATUS, VERSION, EDITED, CAPTURED, SESSIONS = range(8)
    COLUMN_COUNT = 8
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    ID_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PlanRow] = []
        self._headers = [
            self.tr("Title"),
            self.tr("Meeting"),
            self.tr("Date"),
            self.tr("Status"),
            self.tr("Version"),
            self.tr("Last edited"),
            self.tr("Captured"),
            self.tr("Coaching sessions"),
        ]

    # ---- changing the rows
    def set_rows(self, rows: Sequence[PlanRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, plan_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.plan.id == plan_id), -1)

    def plan_row(self, row: int) -> PlanRow:
        return self._rows[row]

    def upsert(self, item: PlanRow) -> None:
        """Replace the row of the same plan (cells changed) or add it at the end."""
        row = self.row_of(item.plan.id)
        if row >= 0:
            self._rows[row] = item
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.COLUMN_COUNT - 1))
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(item)
        self.endInsertRows()

    def remove(self, plan_id: str) -> None:
        row = self.row_of(plan_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    # ---- Qt
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < self.COLUMN_COUNT
        ):
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        plan, col = item.plan, index.column()
        if not 0 <= col < self.COLUMN_COUNT:
            return None
        if role == self.ID_ROLE:
            return plan.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, col)
        if role == self.SORT_ROLE:
            return self._sort(item, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.VERSION, self.SESSIONS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.STATUS:
                return {
                    PlanStatus.DRAFT: self.tr("Draft: still being prepared"),
                    PlanStatus.READY: self.tr("Ready: guardrails checked"),
                    PlanStatus.HELD: self.tr("Held: the outcome was captured"),
                }.get(plan.status)
            return self._text(item, col) or None
        return None

    def _text(self, item: PlanRow, col: int) -> str:
        plan = item.plan
        if col == self.TITLE:
            return plan.title or enum_label(plan.meeting_type)
        if col == self.MEETING:
            return enum_label(plan.meeting_type)
        if col == self.DATE:
            return show_date(plan.meeting_date, self.tr("not set"))
        if col == self.STATUS:
            return enum_label(plan.status)
        if col == self.VERSION:
            return str(plan.version)
        if col == self.EDITED:
            when = _local_time(plan.updated_at)
            return f"{plan.edited_by} · {when}" if plan.edited_by else when
        if col == self.CAPTURED:
            held = (plan.captured or {}).get("held_on")
            return self.tr("Yes, {day}").format(day=_held_text(held)) if held else self.tr("No")
        if col == self.SESSIONS:
            return str(item.sessions)
        return ""

    def _sort(self, item: PlanRow, col: int) -> Any:
        plan = item.plan
        if col == self.TITLE:
            return (plan.title or plan.meeting_type.label).casefold()
        if col == self.MEETING:
            return _MEETING_ORDER.get(plan.meeting_type, 99)
        if col == self.DATE:
            return plan.meeting_date.isoformat() if plan.meeting_date else ""
        if col == self.STATUS:
            return _STATUS_ORDER.get(plan.status, 9)
        if col == self.VERSION:
            return plan.version
        if col == self.EDITED:
            return plan.updated_at
        if col == self.CAPTURED:
            return str((plan.captured or {}).get("held_on", ""))
        return item.sessions


class PlanList(QWidget):
    """An account's conversation plans with New / Open / Present / Duplicate / Delete."""

    open_requested = Signal(str)
    new_requested = Signal()
    present_requested = Signal(str)
    changed = Signal(str)

    def __init__(
        self,
        *,
        user: str = "",
        editor: Editor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._user = user
        #: When given, copies and deletes go through it, so they can be undone.
        self.editor = editor
        self._store: Store | None = None
        self.account_id: str | None = None
        self.model = PlanListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(PlanListModel.SORT_ROLE)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName(self.tr("Conversation plans"))
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(PlanListModel.DATE, Qt.SortOrder.DescendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PlanListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        # Activation is a double-click (or the platform's equivalent) or Enter.
        self.view.activated.connect(lambda _index: self.open_selected())

        self.empty = QLabel(self.tr("No conversation plans yet: plan the first one"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)

        self.new_button = QPushButton(self.tr("&New Plan…"))
        self.new_button.clicked.connect(self.new_requested)
        self.open_button = QPushButton(self.tr("&Open"))
        self.open_button.clicked.connect(self.open_selected)
        self.present_button = QPushButton(self.tr("&Present…"))
        self.present_button.clicked.connect(self.present_selected)
        self.duplicate_button = QPushButton(self.tr("D&uplicate"))
        self.duplicate_button.setToolTip(self.tr("Save a fresh draft copy of the selected plan"))
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.delete_button = QPushButton(self.tr("&Delete…"))
        self.delete_button.clicked.connect(self.delete_selected)
        delete_action = QAction(self.tr("Delete plan"), self.view)
        delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_action.triggered.connect(self.delete_selected)
        self.view.addAction(delete_action)
        bar = QHBoxLayout()
        for button in (
            self.new_button,
            self.open_button,
            self.present_button,
            self.duplicate_button,
            self.delete_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)
        self.model.rowsRemoved.connect(self._update_empty)
        self._update_empty()

    def show_account(self, store: Store, account_id: str) -> None:
        """List the plans of ``account_id``."""
        self._store = store
        self.account_id = account_id
        self.refresh()

    def refresh(self) -> None:
        if self._store is None or self.account_id is None:
            self.model.set_rows([])
            return
        plans = self._store.plans.for_account(self.account_id)
        counts = self._session_counts()
        self.model.set_rows([PlanRow(p, counts.get(p.id, 0)) for p in plans])
        if self.model.rowCount():
            self.view.selectRow(0)

    def update_plan(self, plan_id: str) -> None:
        """Show the current state of one plan (added, changed or deleted)."""
        if self._store is None:
            return
        plan = self._store.plans.find(plan_id)
        if plan is None or plan.account_id != self.account_id:
            self.model.remove(plan_id)
            return
        self.model.upsert(PlanRow(plan, self._session_counts().get(plan_id, 0)))

    def _session_counts(self) -> dict[str, int]:
        assert self._store is not None
        counts: dict[str, int] = {}
        for session in self._store.coaching_sessions.where(
            "plan_id IN (SELECT id FROM plans WHERE account_id = ?)", [self.account_id]
        ):
            counts[session.plan_id] = counts.get(session.plan_id, 0) + 1
        return counts

    def selected_plan_id(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(PlanListModel.ID_ROLE)

    def select_plan(self, plan_id: str) -> None:
        row = self.model.row_of(plan_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.view.selectRow(index.row())

    def _update_empty(self) -> None:
        empty = self.model.rowCount() == 0
        self.stack.setCurrentWidget(self.empty if empty else self.view)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected_plan_id() is not None
        for button in (
            self.open_button,
            self.present_button,
            self.duplicate_button,
            self.delete_button,
        ):
            button.setEnabled(chosen)
        self.new_button.setEnabled(self._store is not None)

    def open_selected(self) -> None:
        plan_id = self.selected_plan_id()
        if plan_id:
            self.open_requested.emit(plan_id)

    def present_selected(self) -> None:
        plan_id = self.selected_plan_id()
        if plan_id:
            self.present_requested.emit(plan_id)

    def duplicate_selected(self) -> str | None:
        """Save a fresh draft copy of the selected plan and select it; its id, or None."""
        plan_id = self.selected_plan_id()
        if not plan_id or self._store is None:
            return None
        try:
            original = self._store.plans.get(plan_id)
            fresh = duplicate_plan(original, edited_by=self._user or user_name())
            if self.editor is not None:
                copy = self.editor.add(fresh)  # type: ignore[assignment]
            else:
                copy = save_plan(self._store, fresh, edited_by=self._user or user_name())
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The plan could not be copied."), exc)
            return None
        self.model.upsert(PlanRow(copy, 0))
        self.select_plan(copy.id)
        self.changed.emit(copy.account_id)
        return copy.id

    def _confirm_delete(self, plan: ConversationPlan) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete Plan"))
        box.setText(
            self.tr("Delete the plan “{title}”?").format(
                title=plan.title or enum_label(plan.meeting_type)
            )
        )
        box.setInformativeText(
            self.tr(
                "Its coaching sessions are deleted with it. Goals, concerns, commitments and "
                "interactions recorded from the meeting stay."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Delete"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return QMessageBox.StandardButton(box.exec()) == QMessageBox.StandardButton.Yes

    def delete_selected(self) -> bool:
        """Delete the selected plan after asking; True when it was deleted."""
        plan_id = self.selected_plan_id()
        if not plan_id or self._store is None:
            return False
        try:
            plan = self._store.plans.get(plan_id)
            if not self._confirm_delete(plan):
                return False
            if self.editor is not None:
                self.editor.delete(plan)
            else:
                self._store.plans.delete(plan_id)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The plan could not be deleted."), exc)
            return False
        self.model.remove(plan_id)
        self.changed.emit(plan.account_id)
        return True
