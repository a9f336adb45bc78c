"""The agenda as one list: a heading row per group, its items beneath, soonest first.

The grouping, the order and the words ("⚠ in 3 days", "✕ 2 days overdue") come from
:mod:`renewal_coach.core.deadlines`; the model adds the display date format, tones and the
roles a view and the tests read.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import (
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
from ...widgets.table_model import HeadedTableModel

_Index = QModelIndex | QPersistentModelIndex

_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _display_day(match: re.Match[str]) -> str:
    try:
        return show_date(date.fromisoformat(match.group()))
    except ValueError:
        return match.group()


_HEADING_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
_ITEM_FLAGS = _HEADING_FLAGS | Qt.ItemFlag.ItemIsSelectable

#: Tone of an item by how late it is (the words carry the meaning).
_LATE_TONE = "error"
_SOON_TONE = "warning"


class AgendaModel(HeadedTableModel):
    """One flat list: a heading row before each group's items.

    Flat rather than a tree on purpose: a generated 5,000-account book puts over 100,000
    items on the agenda, and expanding a tree of that size froze the window for seconds.
    ``DisplayRole`` is text for people; ``SORT_ROLE`` the native value (``QDate`` for dates);
    ``ITEM_ROLE`` the :class:`~renewal_coach.core.deadlines.AgendaItem` of an item row;
    ``GROUP_ROLE`` the group key on a heading row (None on an item).
    """

    WHEN, DUE, ACCOUNT, CONTRACT, WHAT, DETAIL = range(6)
    COLUMN_COUNT = 6

    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    ITEM_ROLE = Qt.ItemDataRole.UserRole + 2
    GROUP_ROLE = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, str, list[AgendaItem]]] = []
        #: Each row: an item, or the number of the group whose heading it is.
        self._rows: list[AgendaItem | int] = []
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

    def set_agenda(
        self,
        agenda: Agenda | None,
        near_days: int = NEAR_DAYS,
        groups: list[tuple[str, str, list[AgendaItem]]] | None = None,
    ) -> None:
        """Show ``agenda`` (None: nothing yet); ``groups`` are its groups when already known."""
        self.beginResetModel()
        if groups is None:
            groups = agenda.groups() if agenda is not None else []
        self._groups = groups
        self._rows = []
        for g, (_key, _heading, items) in enumerate(self._groups):
            self._rows.append(g)
            self._rows.extend(items)
        self._today = agenda.today if agenda is not None else date.today()
        self._near_days = near_days
        self.endResetModel()

    def items(self) -> list[AgendaItem]:
        """Every item, in the order shown."""
        return [i for _k, _h, items in self._groups for i in items]

    def group_keys(self) -> list[str]:
        return [k for k, _h, _i in self._groups]

    def heading_rows(self) -> list[int]:
        """The row of each group's heading."""
        return [r for r, entry in enumerate(self._rows) if isinstance(entry, int)]

    def sample(self, per_group: int = 200) -> list[AgendaItem]:
        """The first items of each group: enough to size the columns by."""
        return [i for _k, _h, items in self._groups for i in items[:per_group]]

    def item_at(self, index: _Index) -> AgendaItem | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        return None if isinstance(entry, int) else entry

    def index_of(self, item: AgendaItem) -> QModelIndex:
        for r, entry in enumerate(self._rows):
            if entry == item and not isinstance(entry, int):
                return self.index(r, 0)
        return QModelIndex()

    def heading(self, group: int) -> str:
        _key, heading, items = self._groups[group]
        late = sum(1 for i in items if i.overdue(self._today))
        text = f"{self.tr(heading)} ({len(items):,})"
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

    def row_total(self) -> int:
        return len(self._rows)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        return _HEADING_FLAGS if isinstance(self._rows[index.row()], int) else _ITEM_FLAGS

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if isinstance(entry, int):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.heading(entry) if index.column() == 0 else ""
            if role == self.GROUP_ROLE:
                return self._groups[entry][0]
            return None
        item = entry
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display_text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.display_text(item, column)
            return text or None
        if role == self.ITEM_ROLE:
            return item
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
