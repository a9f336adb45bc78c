"""What the renewals page lists, as a tree model grouped by quarter, and its filter.

:func:`~renewal_coach.core.lists.renewal_rows` picks the live contracts whose campaign anchor
falls within the horizon or that have overdue milestones (Qt-free, so that ``renewal-coach
export renewals`` writes the same rows); :class:`RenewalsModel` groups them by the quarter
of their anchor; :class:`RenewalsFilterProxy` keeps the ones matching the words typed and,
optionally, only the overdue ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from ....core.lists import HORIZON_MONTHS, OPEN_STATUSES, STATUS_ORDER, RenewalRow, renewal_rows
from ....core.lists import renewal_sort_keys as _sort_keys
from ....core.money import format_money
from ...text import plural, show_date
from ...theme import band_qcolor, milestone_qcolor, tone
from ...widgets.bands import BAND_SYMBOLS, MILESTONE_SYMBOLS
from ...widgets.deadlines import deadline_text, deadline_tone

_Index = QModelIndex | QPersistentModelIndex

# Kept importable from here: the page, the insights page and the tests use them.
__all__ = [
    "HORIZON_MONTHS",
    "OPEN_STATUSES",
    "STATUS_ORDER",
    "STATUS_SYMBOLS",
    "RenewalRow",
    "RenewalsFilterProxy",
    "RenewalsModel",
    "renewal_rows",
]


#: A symbol per milestone status, so the status never depends on colour alone.
STATUS_SYMBOLS = MILESTONE_SYMBOLS


def contract_text(reference: str, title: str) -> str:
    """'C-104 – Managed print', or the reference alone when the title only repeats it (an
    import from a CRM that keeps no contract names)."""
    return reference if not title or title == reference else f"{reference} – {title}"


@dataclass(slots=True)
class _Group:
    key: tuple[int, int]  # (year, quarter)
    rows: list[RenewalRow]
    sort_keys: list[tuple[Any, ...]]


class RenewalsModel(QAbstractItemModel):
    """Quarter header rows, each with its contracts as children.

    ``DisplayRole`` is text for people; ``SORT_ROLE`` the native value a cell is ordered by
    (``QDate``, ``int`` minor units, ``float`` risk, folded text). The model sorts itself,
    within each quarter: a proxy sorting a Python model crosses into Python twice per
    comparison. Quarters stay in date order, unless sorting by anchor date descending.
    The header rows carry the quarter; the first column of a contract is its anchor date.
    """

    ANCHOR, ACCOUNT, CONTRACT, MILESTONE, DUE, STATUS, RISK, VALUE, BEFORE = range(9)
    #: Added after the others (the page shows it after the value); the other deadlines
    #: of the selected contract are in the page's detail under the list.
    NOTICE = 9
    COLUMN_COUNT = 10

    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    CONTRACT_ROLE = Qt.ItemDataRole.UserRole + 2
    ACCOUNT_ROLE = Qt.ItemDataRole.UserRole + 3
    #: Folded account, reference, title and milestone of a contract row, for the search box.
    SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4
    OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 5
    #: True on a quarter header row.
    GROUP_ROLE = Qt.ItemDataRole.UserRole + 6

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[_Group] = []
        self._sort: tuple[int, Qt.SortOrder] = (self.ANCHOR, Qt.SortOrder.AscendingOrder)
        self._today = date.today()
        self._locale = QLocale()
        self._headers = (
            self.tr("Anchor date"),
            self.tr("Account"),
            self.tr("Contract"),
            self.tr("Next milestone"),
            self.tr("Due"),
            self.tr("Status"),
            self.tr("Renewal risk"),
            self.tr("Annual value"),
            self.tr("Before tracking"),
            self.tr("Notice deadline"),
        )
        self._status_labels = {
            "overdue": self.tr("Overdue"),
            "due": self.tr("Due soon"),
            "upcoming": self.tr("Upcoming"),
            "done": self.tr("Done"),
            "before_tracking": self.tr("Before tracking"),
            "": self.tr("All done"),
        }

    # ---- loading and lookup --------------------------------------------------------------------

    def set_rows(self, rows: Sequence[RenewalRow], today: date) -> None:
        """Show a whole new list (new scores)."""
        self.beginResetModel()
        self._today = today
        groups: dict[tuple[int, int], _Group] = {}
        for row in rows:
            group = groups.setdefault(row.quarter, _Group(row.quarter, [], []))
            group.rows.append(row)
            group.sort_keys.append(_sort_keys(row))
        self._groups = [groups[k] for k in sorted(groups)]
        self._groups = self._sorted_groups(*self._sort)
        self.endResetModel()

    def quarter_label(self, key: tuple[int, int]) -> str:
        return self.tr("{year} Q{quarter}").format(year=key[0], quarter=key[1])

    def status_text(self, row: RenewalRow) -> str:
        if not row.next_status and row.before_tracking_count:
            # nothing open since tracking began, but older milestones were never recorded
            return f"{STATUS_SYMBOLS['']} {self.tr('Nothing open since tracking began')}"
        text = f"{STATUS_SYMBOLS[row.next_status]} {self._status_labels[row.next_status]}"
        if row.next_status == "overdue" and row.overdue_count > 1:
            text += f" ({row.overdue_count})"
        return text

    def row_of(self, index: _Index) -> RenewalRow | None:
        """The contract at ``index``, or None for a quarter header or an invalid index."""
        if not index.isValid() or index.internalId() == 0:
            return None
        group = self._groups[index.internalId() - 1]
        return group.rows[index.row()] if index.row() < len(group.rows) else None

    def rows(self) -> list[RenewalRow]:
        """Every contract, in the order shown."""
        return [r for g in self._groups for r in g.rows]

    def index_of(self, contract_id: str, column: int = 0) -> QModelIndex:
        for g, group in enumerate(self._groups):
            for r, row in enumerate(group.rows):
                if row.contract_id == contract_id:
                    return self.createIndex(r, column, g + 1)
        return QModelIndex()

    def search_text(self, group: int, row: int) -> str:
        r = self._groups[group].rows[row]
        return "\x1f".join(
            (r.account_name, r.reference, r.title, r.next_code, r.next_label)
        ).casefold()

    def overdue_count(self, group: int, row: int) -> int:
        return self._groups[group].rows[row].overdue_count

    # ---- sorting -------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the contracts of each quarter by ``column``, keeping persistent indexes."""
        if not 0 <= column < self.COLUMN_COUNT:
            return
        self._sort = (column, order)
        if not self._groups:
            return
        self.layoutAboutToBeChanged.emit()
        old_groups = self._groups
        new_groups = self._sorted_groups(column, order)
        group_pos = {g.key: n for n, g in enumerate(new_groups)}
        row_pos = {}
        for g in new_groups:
            for n, row in enumerate(g.rows):
                row_pos[id(row)] = n
        persistent = self.persistentIndexList()
        moved = []
        for index in persistent:
            if not index.isValid():
                moved.append(index)
                continue
            if index.internalId() == 0:
                old = old_groups[index.row()]
                moved.append(self.createIndex(group_pos[old.key], index.column(), 0))
            else:
                old = old_groups[index.internalId() - 1]
                row = old.rows[index.row()]
                moved.append(
                    self.createIndex(row_pos[id(row)], index.column(), group_pos[old.key] + 1)
                )
        self._groups = new_groups
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _sorted_groups(self, column: int, order: Qt.SortOrder) -> list[_Group]:
        descending = order == Qt.SortOrder.DescendingOrder
        groups = sorted(
            self._groups,
            key=lambda g: g.key,
            reverse=descending and column == self.ANCHOR,
        )
        out = []
        for g in groups:
            # Ties stay in anchor order (the order the rows arrived in), even reversed.
            base = sorted(range(len(g.rows)), key=lambda i: (g.rows[i].anchor,))
            present = [i for i in base if g.sort_keys[i][column] is not None]
            blank = [i for i in base if g.sort_keys[i][column] is None]
            present.sort(key=lambda i: g.sort_keys[i][column], reverse=descending)
            order_ = present + blank
            out.append(_Group(g.key, [g.rows[i] for i in order_], [g.sort_keys[i] for i in order_]))
        return out

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
            and row < len(self._groups[parent.row()].rows)
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
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].rows)
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return self.COLUMN_COUNT

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(section)
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
            return self._group_data(index, role)
        row = self.row_of(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display_text(row, column)
        if role == self.SORT_ROLE:
            group = self._groups[index.internalId() - 1]
            value = group.sort_keys[index.row()][column]
            if isinstance(value, tuple):  # money: (currency, minor units)
                return value[-1]
            if isinstance(value, date):
                return QDate(value)
            return value
        if role == self.CONTRACT_ROLE:
            return row.contract_id
        if role == self.ACCOUNT_ROLE:
            return row.account_id
        if role == self.SEARCH_ROLE:
            return self.search_text(index.internalId() - 1, index.row())
        if role == self.OVERDUE_ROLE:
            return row.overdue_count
        if role == self.GROUP_ROLE:
            return False
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.ForegroundRole:
            # Looked up on every paint, so a change of colour scheme shows at once.
            if column == self.STATUS:
                return milestone_qcolor(row.next_status)
            if column == self.RISK:
                return band_qcolor(row.risk_band)
            if column == self.BEFORE:
                return milestone_qcolor("before_tracking")
            if column == self.NOTICE:
                name = deadline_tone(row.notice_deadline, self._today)
                return QColor(tone(name)) if name else None
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    # ---- cells ---------------------------------------------------------------------------------

    def _group_data(self, index: _Index, role: int) -> Any:
        if index.row() >= len(self._groups):
            return None
        group = self._groups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() != 0:
                return ""
            count = len(group.rows)
            late = sum(1 for r in group.rows if r.overdue_count)
            parts = [
                self.quarter_label(group.key),
                self.tr("1 contract") if count == 1 else self.tr("{n} contracts").format(n=count),
            ]
            totals: dict[str, int] = {}
            for r in group.rows:
                totals[r.currency] = totals.get(r.currency, 0) + (r.annual_value_minor or 0)
            money = " + ".join(
                format_money(v, c, compact=True) for c, v in sorted(totals.items()) if v
            )
            if money:
                parts.append(self.tr("{money} a year").format(money=money))
            if late:
                parts.append(
                    plural(
                        late,
                        self.tr("{n} with an overdue milestone"),
                        self.tr("{n} with overdue milestones"),
                    )
                )
            return " · ".join(parts)
        if role == self.SORT_ROLE:
            return group.key[0] * 10 + group.key[1]
        if role == self.GROUP_ROLE:
            return True
        # No FontRole: PySide6 6.12 drops a reference to None each time a QFont is returned
        # from data(); the delegate makes the header rows bold instead.
        return None

    def date_text(self, day: date | None) -> str:
        return show_date(day, "—")

    def display_text(self, row: RenewalRow, column: int) -> str:
        if column == self.ACCOUNT:
            return row.account_name
        if column == self.CONTRACT:
            return contract_text(row.reference, row.title)
        if column == self.ANCHOR:
            return self.date_text(row.anchor)
        if column == self.MILESTONE:
            return f"{row.next_code} {row.next_label}" if row.next_code else "—"
        if column == self.DUE:
            return self.date_text(row.next_due)
        if column == self.STATUS:
            return self.status_text(row)
        if column == self.RISK:
            if row.risk_band is None:
                return "—"
            symbol = BAND_SYMBOLS.get(row.risk_band, "")
            return f"{symbol} {row.risk_label} ({row.risk_score or 0:.0f})".strip()
        if column == self.VALUE:
            return format_money(row.annual_value_minor, row.currency)
        if column == self.BEFORE:
            return self.before_text(row)
        if column == self.NOTICE:
            return deadline_text(row.notice_deadline, self._today) or "—"
        return ""

    def before_text(self, row: RenewalRow) -> str:
        """How many milestones fell due before tracking began, in words ("" when none)."""
        n = row.before_tracking_count
        if not n:
            return ""
        symbol = STATUS_SYMBOLS["before_tracking"]
        if n == 1:
            return f"{symbol} {self.tr('1 before tracking')}"
        return f"{symbol} {self.tr('{n} before tracking').format(n=n)}"

    def _tooltip(self, row: RenewalRow, column: int) -> str | None:
        if column == self.ANCHOR:
            days = (row.anchor - self._today).days
            basis = row.scores.campaign.anchor_basis
            quarter = self.quarter_label(row.quarter)
            if days >= 0:
                return self.tr("{quarter}; set by the {basis}: in {days} days").format(
                    quarter=quarter, basis=basis, days=days
                )
            return self.tr("{quarter}; set by the {basis}: {days} days ago").format(
                quarter=quarter, basis=basis, days=-days
            )
        if column in (self.MILESTONE, self.DUE) and row.next_done_means:
            return self.tr("Done means: {what}").format(what=row.next_done_means)
        if column == self.STATUS:
            if row.overdue_count == 1:
                return self.tr("1 milestone of this campaign is overdue")
            if row.overdue_count:
                return self.tr("{n} milestones of this campaign are overdue").format(
                    n=row.overdue_count
                )
            return self.tr("No milestone of this campaign is overdue")
        if column == self.BEFORE:
            since = self.date_text(row.tracked_since)
            if row.tracked_since is None:
                return self.tr("No tracking date: every milestone since the start counts")
            if not row.before_tracking_count:
                return self.tr("Tracked since {day}; nothing from before then is left open").format(
                    day=since
                )
            return plural(
                row.before_tracking_count,
                self.tr(
                    "{n} milestone fell due before this campaign began to be tracked here on "
                    "{day}. It is not counted as overdue; record it with Mark Milestone Done if "
                    "it was done."
                ),
                self.tr(
                    "{n} milestones fell due before this campaign began to be tracked here on "
                    "{day}. They are not counted as overdue; record any that were done with Mark "
                    "Milestone Done."
                ),
            ).format(day=since)
        if column == self.CONTRACT:
            return contract_text(row.reference, row.title)
        if column == self.NOTICE:
            contract = row.scores.contract
            if row.notice_deadline is None:
                return self.tr("No notice deadline: give one, or a notice period and end date")
            if contract.notice_deadline is None:
                return self.tr("Worked out from the end date less {n} days of notice").format(
                    n=contract.notice_period_days
                )
            return self.tr("The notice deadline stated in the contract")
        if column == self.VALUE and row.annual_value_minor is None:
            return self.tr("No annual value recorded on this contract")
        return None

    def _alignment(self, column: int) -> Qt.AlignmentFlag:
        vertical = Qt.AlignmentFlag.AlignVCenter
        if column == self.VALUE:
            return Qt.AlignmentFlag.AlignRight | vertical
        return Qt.AlignmentFlag.AlignLeft | vertical


class RenewalsFilterProxy(QSortFilterProxyModel):
    """Keeps contracts matching every word typed and, optionally, only overdue ones; a quarter
    shows while any of its contracts does. Sorting is done by the source model."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._overdue_only = False
        self.setRecursiveFilteringEnabled(True)
        self.setSortRole(RenewalsModel.SORT_ROLE)

    @property
    def filter_text(self) -> str:
        return " ".join(self._words)

    @property
    def overdue_only(self) -> bool:
        return self._overdue_only

    @property
    def is_filtering(self) -> bool:
        return bool(self._words) or self._overdue_only

    def set_filter_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_overdue_only(self, on: bool) -> None:
        if on != self._overdue_only:
            self.beginFilterChange()
            self._overdue_only = on
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, RenewalsModel):
            source.sort(column, order)
        else:
            super().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if not source_parent.isValid():
            # A quarter header: shown for its own sake only when nothing is filtered, else
            # (recursive filtering) when one of its contracts is.
            return not self.is_filtering
        model = self.sourceModel()
        group = source_parent.row()
        if isinstance(model, RenewalsModel):
            haystack = model.search_text(group, source_row)
            overdue = model.overdue_count(group, source_row)
        else:
            index = model.index(source_row, 0, source_parent)
            haystack = str(index.data(RenewalsModel.SEARCH_ROLE) or "")
            overdue = int(index.data(RenewalsModel.OVERDUE_ROLE) or 0)
        if self._overdue_only and overdue <= 0:
            return False
        return all(word in haystack for word in self._words)
