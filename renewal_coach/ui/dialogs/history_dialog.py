"""The History panel: who changed what and when, for one record or a whole account.

The entries come from :mod:`renewal_coach.storage.history`, newest first, a page at a time as
the list is scrolled (a portfolio imported from a CRM can hold hundreds of thousands of
entries), and a filter line narrows them to a field, a record, a value or a person. Values are
shown as the app shows the field itself; internal-only fields say so, as the forms do.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import RenewalCoachError
from ...storage.history import (
    ChangeTexts,
    HistoryQuery,
    ShownChange,
    count_changes,
    last_seq,
    read_changes,
)
from ...storage.repository import Store
from ..errors import show_expected_error
from ..text import plural, show_date, show_datetime
from ..widgets.table_model import HeadedTableModel

_Index = QModelIndex | QPersistentModelIndex

#: Entries read from the database at a time, as the list scrolls.
PAGE = 200
#: Wait this long after the last key before filtering again (ms).
DELAY_MS = 200


class HistoryModel(HeadedTableModel):
    """Entries of the change history matching a query, fetched a page at a time."""

    WHEN, WHO, HOW, RECORD, FIELD, BEFORE, AFTER = range(7)
    #: The stored entry (a :class:`~renewal_coach.storage.history.Change`) behind a row.
    ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.query = HistoryQuery()
        self.rows: list[ShownChange] = []
        #: Entries matching the query, and how many of them have been read so far.
        self.total = 0
        self.read = 0
        self._before: int | None = None
        self._texts = ChangeTexts(store, show_date, "✓")
        self._headers = [
            self.tr("When"),
            self.tr("Who"),
            self.tr("How"),
            self.tr("Record"),
            self.tr("Field"),
            self.tr("Before"),
            self.tr("After"),
        ]
        self._hows = {
            "add": self.tr("Added"),
            "edit": self.tr("Edited"),
            "delete": self.tr("Deleted"),
            "undo": self.tr("Undo"),
            "redo": self.tr("Redo"),
            "import": self.tr("Import"),
            "restore": self.tr("Restored"),
        }

    def set_query(self, query: HistoryQuery) -> None:
        """Show the entries matching ``query``: the first page now, more as the view asks."""
        self.beginResetModel()
        # Frozen at the newest entry now, so paging never shifts under changes made meanwhile.
        self.query = dataclasses.replace(query, upto=last_seq(self.store))
        self.rows = []
        self.read = 0
        self._before = None
        self.total = count_changes(self.store, self.query)
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    # ---- lazy loading ----------------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.read < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        """Read the next page of entries; an added record shows as one row per field."""
        if parent.isValid():
            return
        shown: list[ShownChange] = []
        while not shown and self.read < self.total:
            entries = read_changes(self.store, self.query, limit=PAGE, before=self._before)
            if not entries:
                self.total = self.read  # nothing more to come
                break
            self.read += len(entries)
            self._before = entries[-1].seq
            shown = self._texts.shown(entries, self.query.text)
        if shown:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(shown) - 1)
            self.rows.extend(shown)
            self.endInsertRows()

    # ---- Qt model ----------------------------------------------------------------------------

    def row_total(self) -> int:
        return len(self.rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == self.ENTRY_ROLE:
            return row.entry
        return None

    def text(self, row: ShownChange, column: int) -> str:
        """What a cell shows."""
        entry = row.entry
        if column == self.WHEN:
            return show_datetime(_moment(entry.changed_at), entry.changed_at)
        if column == self.WHO:
            return entry.who or self.tr("(no name set)")
        if column == self.HOW:
            if entry.op_kind in ("add", "edit", "delete"):
                return self._hows[entry.change]
            return self._hows.get(entry.op_kind, entry.op_kind)
        if column == self.RECORD:
            return row.record
        if column == self.FIELD:
            if entry.change == "delete":
                return self.tr("(the whole record)")
            return row.field + (self.tr(" (internal)") if row.internal else "")
        if column == self.BEFORE:
            return row.old
        if column == self.AFTER:
            return self.tr("deleted") if entry.change == "delete" else row.new
        return ""

    def _tooltip(self, row: ShownChange, column: int) -> str | None:
        entry = row.entry
        if column == self.FIELD and row.internal:
            return self.tr("Internal only: never appears in anything written for the customer")
        if column == self.WHO:
            return self.tr("On device {device}").format(device=entry.device)
        if column == self.HOW:
            return self.tr("Saved together with the other changes of operation {op}").format(
                op=entry.op_id[:8]
            )
        if column in (self.BEFORE, self.AFTER):
            value = row.raw_old if column == self.BEFORE else row.raw_new
            text = self.text(row, column)
            if (
                isinstance(value, str)
                and entry.change != "delete"
                and (text.endswith("…") or "\n" in value)
            ):
                return value  # the whole text the cell cuts short
            return text or None
        return self.text(row, column) or None


def _moment(iso: str) -> datetime | None:
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None


class HistoryDialog(QDialog):
    """The History panel for one account (``account_id``) or one record (``record_id``)."""

    def __init__(
        self,
        store: Store,
        title: str,
        *,
        account_id: str | None = None,
        record_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("historyDialog")
        self._base = HistoryQuery(account_id=account_id, record_id=record_id)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter by field, record, value or person"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(self.tr("Filter the history"))
        filter_label = QLabel(self.tr("&Filter:"))
        filter_label.setBuddy(self.filter)
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")

        self.model = HistoryModel(store, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Changes"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in (
            (HistoryModel.WHEN, 140),
            (HistoryModel.WHO, 130),
            (HistoryModel.HOW, 80),
            (HistoryModel.RECORD, 220),
            (HistoryModel.FIELD, 190),
            (HistoryModel.BEFORE, 250),
        ):
            header.resizeSection(column, width)
        if record_id is not None:
            # One record: the title names it, so its column would only repeat it.
            self.table.setColumnHidden(HistoryModel.RECORD, True)

        self.empty = QLabel()
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(lambda _t: self._timer.start())
        self.resize(1200, 580)
        self.apply_filter()

    def apply_filter(self) -> None:
        """Show the entries whose field, record, values or person contain the filter text."""
        self._timer.stop()
        text = self.filter.text().strip()
        try:
            self.model.set_query(
                HistoryQuery(
                    account_id=self._base.account_id, record_id=self._base.record_id, text=text
                )
            )
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The history could not be read."), exc)
            return
        total = self.model.total
        self.count_label.setText(plural(total, self.tr("{n} change"), self.tr("{n} changes")))
        if total:
            self.empty.hide()
            self.table.show()
        else:
            self.table.hide()
            self.empty.setText(
                self.tr("No change matches “{text}”.").format(text=text)
                if text
                else self.tr(
                    "No changes recorded yet. Changes are kept from the first time this "
                    "version of Renewal Coach opened the file."
                )
            )
            self.empty.show()
