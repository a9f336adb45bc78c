"""The agenda as a tree: a heading row per group, its items beneath, soonest first.

The grouping, the order and the words ("⚠ in 3 days", "✕ 2 days overdue") come from
:mod:`renewal_coach.core.deadlines`; the model adds the display date format, tones and the
roles a view and the tests read.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from ....core.deadlines import NEAR_DAYS, Agenda, AgendaItem
from ...text import plural, show_date
from ...theme import tone

_Index = QModelIndex | QPersistentModelIndex

_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _display_day(match: re.Match[str]) -> str:
    try:
        return show_date(date.fromisoformat(match.group()))
    except ValueError:
        return match.group()


#: Tone of an item by how late it is (the words carry the meaning).
_LATE_TONE = "error"
_SOON_TONE = "warning"


class AgendaModel(QAbstractItemModel):
    """Group heading rows (``internalId`` 0) with their items as children.

    ``DisplayRole`` is text for people; ``SORT_ROLE`` the native value (``QDate`` for dates);
    ``ITEM_ROLE`` the :class:`~renewal_coach.core.deadlines.AgendaItem` of an item row.
    """

    WHEN, DUE, ACCOUNT, CONTRACT, WHAT, DETAIL = range(6)
    COLUMN_COUNT = 6

    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    ITEM_ROLE = Qt.ItemDataRole.UserRole + 2
    GROUP_ROLE = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, str, list[AgendaItem]]] = []
        self._today = date.today()
        self._near_days = NEAR_DAYS
        self._headers = (
            self.tr("When"),
            self.tr("Due"),
            self.tr("Account"),
            self.tr("Contract"),
            self.tr("What"),
            self.tr("Details"),
        )

    def set_agenda(self, agenda: Agenda | None, near_days: int = NEAR_DAYS) -> None:
        """Show ``agenda`` (None: nothing yet)."""
        self.beginResetModel()
        self._groups = agenda.groups() if agenda is not None else []
        self._today = agenda.today if agenda is not None else date.today()
        self._near_days = near_days
        self.endResetModel()

    def items(self) -> list[AgendaItem]:
        """Every item, in the order shown."""
        return [i for _k, _h, items in self._groups for i in items]

    def group_keys(self) -> list[str]:
        return [k for k, _h, _i in self._groups]

    def item_at(self, index: _Index) -> AgendaItem | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        items = self._groups[index.internalId() - 1][2]
        return items[index.row()] if index.row() < len(items) else None

    def index_of(self, item: AgendaItem) -> QModelIndex:
        for g, (_k, _h, items) in enumerate(self._groups):
            for r, candidate in enumerate(items):
                if candidate == item:
                    return self.createIndex(r, 0, g + 1)
        return QModelIndex()

    def heading(self, group: int) -> str:
        _key, heading, items = self._groups[group]
        late = sum(1 for i in items if i.overdue(self._today))
        text = f"{self.tr(heading)} ({len(items)})"
        if late:
            text += " · " + plural(late, self.tr("{n} overdue"), self.tr("{n} overdue"))
        return text

    def display_text(self, item: AgendaItem, column: int) -> str:
        if column == self.WHEN:
            return item.when(self._today, self._near_days)
        if column == self.DUE:
            return show_date(item.due)
        if column == self.ACCOUNT:
            return item.account
        if column == self.CONTRACT:
            return item.reference or "—"
        if column == self.WHAT:
            if item.record == "milestone":
                return f"{item.code} {item.title}"
            return item.title
        if column == self.DETAIL:
            return self._detail(item)
        return ""

    def _detail(self, item: AgendaItem) -> str:
        if item.group == "deadline":
            return item.detail  # the contract's title
        if item.group == "milestone":
            return self.tr("Done means: {what}").format(what=item.detail)
        if item.group in ("ours", "theirs"):
            return self.tr("Owner: {who}").format(who=item.owner) if item.owner else ""
        # Rhythm and concern details carry ISO dates: shown in the display format.
        return _ISO_DAY.sub(_display_day, item.detail)

    # ---- Qt model interface --------------------------------------------------------------------

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < self.COLUMN_COUNT or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._groups) else QModelIndex()
        if (
            parent.internalId() == 0
            and parent.column() == 0
            and parent.row() < len(self._groups)
            and row < len(self._groups[parent.row()][2])
        ):
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: _Index | None = None) -> Any:  # type: ignore[override]
        if index is None:  # QObject.parent()
            return super().parent()
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0 and parent.row() < len(self._groups):
            return len(self._groups[parent.row()][2])
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return self.COLUMN_COUNT

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

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

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            if index.row() >= len(self._groups):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return self.heading(index.row()) if index.column() == 0 else ""
            if role == self.GROUP_ROLE:
                return self._groups[index.row()][0]
            return None
        item = self.item_at(index)
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display_text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.display_text(item, column)
            return text or None
        if role == self.ITEM_ROLE:
            return item
        if role == self.GROUP_ROLE:
            return None
        if role == self.SORT_ROLE:
            if column in (self.WHEN, self.DUE):
                return QDate(item.due)
            return self.display_text(item, column).casefold()
        if role == Qt.ItemDataRole.ForegroundRole and column == self.WHEN:
            days = item.days(self._today)
            if days < 0:
                return QColor(tone(_LATE_TONE))
            if days == 0 or (item.group == "deadline" and days <= self._near_days):
                return QColor(tone(_SOON_TONE))
        return None
