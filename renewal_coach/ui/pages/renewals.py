"""The renewals page: every live contract whose renewal is near or whose campaign is late.

Contracts are grouped by the quarter of their campaign anchor (the decision, market approach or
end date that the campaign counts back from), with the next milestone and its status in words
and a symbol. Beside the list, the renewal horizon chart: clicking a bubble selects its contract,
selecting a contract rings its bubble. The page never scores or saves anything itself: it gets
scores through :meth:`RenewalsPage.set_scores` and asks for changes through signals.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QColor, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ...core.dates import add_months, parse_date
from ...core.money import DEFAULT_CURRENCY, format_money
from ...core.scoring.portfolio import AccountScores, ContractScores
from ...core.scoring.timeline import LIVE, MILESTONES, MilestoneDue
from ...export.chart_data import horizon_bubbles
from ..widgets.bands import BAND_COLOURS, BAND_SYMBOLS
from ..widgets.chart_view import ChartView, HitPoint
from ..widgets.empty_state import EmptyState

_Index = QModelIndex | QPersistentModelIndex


def _text_key(text: str) -> str:
    """Fold case and accents so "Émile" sorts with "emile", not after "zebra"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


#: How far ahead a renewal is listed (and drawn on the horizon chart).
HORIZON_MONTHS = 36
#: Width the horizon chart is given at first, in pixels: narrower, its date labels collide.
CHART_WIDTH = 520

#: A symbol per milestone status, so the status never depends on colour alone.
STATUS_SYMBOLS = {"overdue": "⚠", "due": "◔", "upcoming": "○", "done": "✔", "": "–"}
STATUS_COLOURS = {"overdue": "#b3261e", "due": "#8a6d00"}
#: Worst first: the order the status column sorts in.
STATUS_ORDER = {"overdue": 0, "due": 1, "upcoming": 2, "done": 3, "": 4}
OPEN_STATUSES = ("overdue", "due", "upcoming")
_MILESTONE_ORDER = {code: i for i, code in enumerate(MILESTONES)}


@dataclass(frozen=True, slots=True)
class RenewalRow:
    """One contract as the renewals list shows it."""

    account_id: str
    account_name: str
    contract_id: str
    reference: str
    title: str
    currency: str
    anchor: date
    next_code: str
    next_occurrence: int
    next_label: str
    next_due: date | None
    next_status: str  # overdue, due, upcoming, or "" when every milestone is done
    next_done_means: str
    overdue_count: int
    risk_band: str | None
    risk_label: str
    risk_score: float | None
    annual_value_minor: int | None
    scores: ContractScores

    @property
    def quarter(self) -> tuple[int, int]:
        return self.anchor.year, (self.anchor.month - 1) // 3 + 1

    def open_milestones(self) -> list[MilestoneDue]:
        """Milestones not done yet, in date order (what can be marked done)."""
        return [m for m in self.scores.campaign.milestones if m.status in OPEN_STATUSES]


def renewal_rows(
    scores: Mapping[str, AccountScores], today: date, months: int = HORIZON_MONTHS
) -> list[RenewalRow]:
    """Live contracts whose anchor falls in the next ``months`` or that have overdue
    milestones, in anchor order."""
    until = add_months(today, months)
    rows = []
    for account in scores.values():
        currency = account.segment.extra.get("currency") or DEFAULT_CURRENCY
        for cs in account.contracts:
            contract, camp = cs.contract, cs.campaign
            if contract.status not in LIVE:
                continue
            if not (today <= camp.anchor <= until or camp.overdue_count > 0):
                continue
            nxt = camp.next_milestone()
            risk = cs.risk
            rows.append(
                RenewalRow(
                    account_id=account.account_id,
                    account_name=account.name,
                    contract_id=contract.id,
                    reference=contract.reference,
                    title=contract.title,
                    currency=currency,
                    anchor=camp.anchor,
                    next_code=nxt.code if nxt else "",
                    next_occurrence=nxt.occurrence if nxt else 0,
                    next_label=nxt.label if nxt else "",
                    next_due=nxt.due if nxt else None,
                    next_status=nxt.status if nxt else "",
                    next_done_means=nxt.done_means if nxt else "",
                    overdue_count=camp.overdue_count,
                    risk_band=risk.band if risk else None,
                    risk_label=risk.band_label if risk else "",
                    risk_score=risk.score if risk else None,
                    annual_value_minor=contract.annual_value_minor,
                    scores=cs,
                )
            )
    rows.sort(key=lambda r: (r.anchor, _text_key(r.account_name), r.reference))
    return rows


@dataclass(slots=True)
class _Group:
    key: tuple[int, int]  # (year, quarter)
    rows: list[RenewalRow]
    sort_keys: list[tuple[Any, ...]]


def _sort_keys(row: RenewalRow) -> tuple[Any, ...]:
    """The value a row is ordered by in each column; None marks a blank (always last)."""
    return (
        row.anchor,
        _text_key(row.account_name),
        _text_key(f"{row.reference} {row.title}"),
        # Campaign order (M0 … M10, N, X), then the occurrence of a repeating review.
        _MILESTONE_ORDER[row.next_code] * 1000 + row.next_occurrence if row.next_code else None,
        row.next_due,
        # Worst status first; among overdue ones, the most overdue milestones first.
        STATUS_ORDER[row.next_status] * 100_000 - row.overdue_count,
        row.risk_score,
        row.annual_value_minor,
    )


class RenewalsModel(QAbstractItemModel):
    """Quarter header rows, each with its contracts as children.

    ``DisplayRole`` is text for people; ``SORT_ROLE`` the native value a cell is ordered by
    (``QDate``, ``int`` minor units, ``float`` risk, folded text). The model sorts itself,
    within each quarter: a proxy sorting a Python model crosses into Python twice per
    comparison. Quarters stay in date order, unless sorting by anchor date descending.
    The header rows carry the quarter; the first column of a contract is its anchor date.
    """

    ANCHOR, ACCOUNT, CONTRACT, MILESTONE, DUE, STATUS, RISK, VALUE = range(8)
    COLUMN_COUNT = 8

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
        )
        self._status_labels = {
            "overdue": self.tr("Overdue"),
            "due": self.tr("Due soon"),
            "upcoming": self.tr("Upcoming"),
            "done": self.tr("Done"),
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
            if column == self.STATUS and row.next_status in STATUS_COLOURS:
                return QColor(STATUS_COLOURS[row.next_status])
            if column == self.RISK and row.risk_band in BAND_COLOURS:
                return QColor(BAND_COLOURS[row.risk_band])
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
                parts.append(self.tr("{n} with overdue milestones").format(n=late))
            return " · ".join(parts)
        if role == self.SORT_ROLE:
            return group.key[0] * 10 + group.key[1]
        if role == self.GROUP_ROLE:
            return True
        # No FontRole: PySide6 6.12 drops a reference to None each time a QFont is returned
        # from data(); the delegate makes the header rows bold instead.
        return None

    def date_text(self, day: date | None) -> str:
        return "—" if day is None else self._locale.toString(QDate(day), "d MMM yyyy")

    def display_text(self, row: RenewalRow, column: int) -> str:
        if column == self.ACCOUNT:
            return row.account_name
        if column == self.CONTRACT:
            return f"{row.reference} – {row.title}"
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
        return ""

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
        if column == self.CONTRACT:
            return f"{row.reference} – {row.title}"
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


class _GroupDelegate(QStyledItemDelegate):
    """Draws the quarter header rows in bold."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        if index.isValid() and not index.parent().isValid():
            option.font.setBold(True)  # type: ignore[attr-defined]


class _RenewalsTree(QTreeView):
    """A tree whose arrow keys step over the quarter headers, from contract to contract."""

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        index = super().moveCursor(action, modifiers)
        upwards = action in (
            QAbstractItemView.CursorAction.MoveUp,
            QAbstractItemView.CursorAction.MovePageUp,
            QAbstractItemView.CursorAction.MovePrevious,
        )
        while index.isValid() and index.data(RenewalsModel.GROUP_ROLE):
            step = self.indexAbove(index) if upwards else self.indexBelow(index)
            if not step.isValid():
                return self.currentIndex()
            index = step
        return index


class MarkDoneDialog(QDialog):
    """Which milestone was done, when, and a note. Built and clicked in tests without exec().

    After ``accepted``, :attr:`values` holds (code, occurrence, done_on, note).
    """

    def __init__(
        self,
        contract_label: str,
        milestones: Sequence[MilestoneDue],
        today: date,
        *,
        default: tuple[str, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._milestones = list(milestones)
        self._today = today
        self.values: tuple[str, int, date, str] | None = None
        self.setWindowTitle(self.tr("Mark Milestone Done"))
        locale = QLocale()

        heading = QLabel(contract_label)
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)

        self.milestone_combo = QComboBox()
        self.milestone_combo.setAccessibleName(self.tr("Milestone"))
        statuses = {
            "overdue": self.tr("overdue"),
            "due": self.tr("due soon"),
            "upcoming": self.tr("upcoming"),
        }
        for i, m in enumerate(self._milestones):
            due = locale.toString(QDate(m.due), "d MMM yyyy")
            self.milestone_combo.addItem(
                self.tr("{code} {label}: due {due} ({status})").format(
                    code=m.code, label=m.label, due=due, status=statuses.get(m.status, m.status)
                ),
                i,
            )
        chosen = 0
        if default is not None:
            for i, m in enumerate(self._milestones):
                if (m.code, m.occurrence) == default:
                    chosen = i
                    break
        self.milestone_combo.setCurrentIndex(chosen)
        self.means_label = QLabel()
        self.means_label.setWordWrap(True)
        self.means_label.setMinimumWidth(360)
        self.means_label.setAccessibleName(self.tr("What done means"))
        self.milestone_combo.currentIndexChanged.connect(self._milestone_changed)
        self._milestone_changed(chosen)

        self.date_edit = QLineEdit(today.isoformat())
        self.date_edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.date_edit.setAccessibleName(self.tr("Done on"))
        self.date_edit.setAccessibleDescription(self.tr("The date, as YYYY-MM-DD"))
        self.date_edit.textEdited.connect(self._date_edited)
        self.date_error = QLabel()
        self.date_error.setWordWrap(True)
        self.date_error.setStyleSheet("color: #b3261e;")
        self.date_error.setAccessibleName(self.tr("Date problem"))
        self.date_error.hide()
        date_box = QVBoxLayout()
        date_box.setSpacing(2)
        date_box.addWidget(self.date_edit)
        date_box.addWidget(self.date_error)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName(self.tr("Note"))
        self.note_edit.setPlaceholderText(
            self.tr("What was done, with whom, where the evidence is")
        )
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 4 + 12)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        milestone_label = QLabel(self.tr("&Milestone:"))
        milestone_label.setBuddy(self.milestone_combo)
        date_label = QLabel(self.tr("&Done on:"))
        date_label.setBuddy(self.date_edit)
        note_label = QLabel(self.tr("&Note:"))
        note_label.setBuddy(self.note_edit)
        form.addRow(milestone_label, self.milestone_combo)
        form.addRow("", self.means_label)
        form.addRow(date_label, date_box)
        form.addRow(note_label, self.note_edit)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Mark Done"))
        self.ok_button.setEnabled(bool(self._milestones))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def selected_milestone(self) -> MilestoneDue | None:
        i = self.milestone_combo.currentIndex()
        return self._milestones[i] if 0 <= i < len(self._milestones) else None

    def accept(self) -> None:
        milestone = self.selected_milestone()
        if milestone is None:
            return
        try:
            done_on = parse_date(self.date_edit.text())
        except ValueError as err:
            self._show_date_error(str(err))
            return
        if done_on > self._today:
            self._show_date_error(self.tr("A milestone cannot be done in the future."))
            return
        self.values = (
            milestone.code,
            milestone.occurrence,
            done_on,
            self.note_edit.toPlainText().strip(),
        )
        super().accept()

    def _show_date_error(self, message: str) -> None:
        self.date_error.setText(f"⚠ {message}")
        self.date_error.show()
        self.date_edit.setAccessibleDescription(message)
        self.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.date_edit.selectAll()

    @Slot(str)
    def _date_edited(self, _text: str) -> None:
        if not self.date_error.isHidden():
            self.date_error.hide()
            self.date_edit.setAccessibleDescription(self.tr("The date, as YYYY-MM-DD"))

    @Slot(int)
    def _milestone_changed(self, i: int) -> None:
        if 0 <= i < len(self._milestones):
            self.means_label.setText(
                self.tr("Done means: {what}").format(what=self._milestones[i].done_means)
            )
        else:
            self.means_label.setText(self.tr("Every milestone of this campaign is done."))


class RenewalsPage(QWidget):
    """Contracts by quarter of their anchor beside the renewal horizon chart.

    Signals: ``account_activated(account_id)`` on Enter or double-click;
    ``milestone_done_requested(contract_id, code, occurrence, done_on, note)`` when the person
    confirms the Mark done dialog (the window saves it, then calls :meth:`set_scores` again);
    ``plan_requested(account_id, contract_id)`` for "Plan a conversation…".
    """

    account_activated = Signal(str)
    milestone_done_requested = Signal(str, str, int, object, str)
    plan_requested = Signal(str, str)

    TABLE_PAGE, EMPTY_PAGE = range(2)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = date.today()
        self._columns_sized = False
        self.mark_done_dialog: MarkDoneDialog | None = None
        self.context_menu: QMenu | None = None

        self.model = RenewalsModel(self)
        self.proxy = RenewalsFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        title = QLabel(self.tr("Renewals"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAccessibleName(self.tr("Renewals"))
        subtitle = QLabel(
            self.tr(
                "Live contracts renewing in the next {months} months or with overdue "
                "milestones, by quarter of their anchor date."
            ).format(months=HORIZON_MONTHS)
        )
        subtitle.setWordWrap(True)
        self.count_label = QLabel()
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count_label.setAccessibleName(self.tr("Number of contracts shown"))

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search account, contract or milestone"))
        self.search_edit.setAccessibleName(self.tr("Search renewals"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._search_changed)
        search_label = QLabel(self.tr("&Search:"))
        search_label.setBuddy(self.search_edit)
        self.overdue_check = QCheckBox(self.tr("&Overdue only"))
        self.overdue_check.setAccessibleName(self.tr("Show only contracts with overdue milestones"))
        self.overdue_check.toggled.connect(self._overdue_toggled)

        self.tree = _RenewalsTree()
        self.tree.setModel(self.proxy)
        self._delegate = _GroupDelegate(self.tree)
        self.tree.setItemDelegate(self._delegate)
        self.tree.setAccessibleName(self.tr("Renewals by quarter"))
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(12)
        self.tree.setItemsExpandable(False)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSortingEnabled(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(60)
        self.tree.sortByColumn(RenewalsModel.ANCHOR, Qt.SortOrder.AscendingOrder)
        self.tree.activated.connect(self._activated)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        for signal in (
            self.proxy.modelReset,
            self.proxy.layoutChanged,
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
        ):
            signal.connect(self._arrange)

        self.mark_done_action = QAction(self.tr("&Mark milestone done…"), self)
        self.mark_done_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_D))
        self.mark_done_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.mark_done_action.triggered.connect(self.open_mark_done)
        self.tree.addAction(self.mark_done_action)
        self.plan_action = QAction(self.tr("&Plan a conversation…"), self)
        self.plan_action.triggered.connect(self._plan)
        self.open_action = QAction(self.tr("Ope&n account"), self)
        self.open_action.triggered.connect(self._open_selected)

        self.mark_done_button = QPushButton(self.tr("&Mark milestone done…"))
        self.mark_done_button.setToolTip(
            self.tr("Record a milestone of the selected contract as done (Ctrl+D)")
        )
        self.mark_done_button.clicked.connect(self.open_mark_done)
        self.plan_button = QPushButton(self.tr("&Plan a conversation…"))
        self.plan_button.setToolTip(self.tr("Plan a meeting about the selected contract"))
        self.plan_button.clicked.connect(self._plan)
        self.open_button = QPushButton(self.tr("Ope&n account"))
        self.open_button.setToolTip(self.tr("Open the account of the selected contract (Enter)"))
        self.open_button.clicked.connect(self._open_selected)

        self.empty = EmptyState()
        self.empty.action.clicked.connect(self._clear_filters)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty)

        self.chart = ChartView(
            name=self.tr("Renewal horizon chart"),
            ring_size=34,
            hint=self.tr(
                "Each bubble is a contract at its anchor date: higher is riskier, bigger is "
                "worth more. Click one to select it in the list."
            ),
        )
        self.chart.point_clicked.connect(self._bubble_clicked)

        self.filter_bar = QWidget()
        filter_row = QHBoxLayout(self.filter_bar)
        filter_row.setContentsMargins(0, 0, 0, 0)
        filter_row.setSpacing(8)
        filter_row.addWidget(search_label)
        filter_row.addWidget(self.search_edit, 1)
        filter_row.addSpacing(8)
        filter_row.addWidget(self.overdue_check)

        self.button_bar = QWidget()
        buttons = QHBoxLayout(self.button_bar)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(8)
        buttons.addWidget(self.mark_done_button)
        buttons.addWidget(self.plan_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(8)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.stack, 1)
        left_layout.addWidget(self.button_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("renewalsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.chart)
        # The horizon chart needs about 520 pixels to stay legible: on a small screen the
        # list scrolls sideways rather than squeezing it (see _fit_splitter).
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([800, CHART_WIDTH])
        self._default_splitter_state = self.splitter.saveState()
        self._splitter_fitted = False

        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(subtitle)
        layout.addWidget(self.splitter, 1)

        self.setFocusProxy(self.tree)
        self._update_state()
        self._update_actions()

    # ---- public --------------------------------------------------------------------------------

    def set_scores(self, scores: Mapping[str, AccountScores], today: date) -> None:
        """Show new scores, keeping the selected contract selected when it is still listed."""
        keep = self.selected_contract_id()
        self._today = today
        rows = renewal_rows(scores, today)
        self.model.set_rows(rows, today)
        self._fit_columns()
        self._fit_splitter()
        by_id = {r.contract_id: r for r in rows}
        bubbles = horizon_bubbles(scores, today, HORIZON_MONTHS)
        points: list[HitPoint] = [
            (b.key, b.anchor, b.risk, self._bubble_text(by_id.get(b.key), b.label)) for b in bubbles
        ]

        def figure() -> Any:
            from ...export.charts import horizon_figure

            return horizon_figure(bubbles, today, months=HORIZON_MONTHS)

        self.chart.set_figure(figure, points)
        self._update_state()
        if keep is not None and self.model.index_of(keep).isValid():
            self.select_contract(keep, reveal=False)
        self._update_actions()

    def selected_row(self) -> RenewalRow | None:
        rows = self.tree.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_of(self.proxy.mapToSource(rows[0]))

    def selected_contract_id(self) -> str | None:
        row = self.selected_row()
        return row.contract_id if row else None

    def select_contract(self, contract_id: str, *, reveal: bool = True) -> bool:
        """Select (and scroll to) a contract; with ``reveal``, clear filters that hide it."""
        source = self.model.index_of(contract_id)
        if not source.isValid():
            return False
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            if not reveal:
                return False
            self._clear_filters()
            index = self.proxy.mapFromSource(source)
            if not index.isValid():
                return False
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def visible_contract_ids(self) -> list[str]:
        """Ids of the contracts currently listed, top to bottom."""
        out = []
        for g in range(self.proxy.rowCount()):
            parent = self.proxy.index(g, 0)
            for r in range(self.proxy.rowCount(parent)):
                out.append(self.proxy.index(r, 0, parent).data(RenewalsModel.CONTRACT_ROLE))
        return out

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    @Slot()
    def open_mark_done(self) -> MarkDoneDialog | None:
        """Ask which milestone of the selected contract was done (window-modal, not blocking)."""
        row = self.selected_row()
        if row is None:
            return None
        milestones = row.open_milestones()
        if not milestones:
            return None
        nxt = row.scores.campaign.next_milestone()
        dialog = MarkDoneDialog(
            self.tr("{account}: {ref} – {title}").format(
                account=row.account_name, ref=row.reference, title=row.title
            ),
            milestones,
            self._today,
            default=(nxt.code, nxt.occurrence) if nxt else None,
            parent=self,
        )
        contract_id = row.contract_id
        dialog.accepted.connect(lambda: self._mark_done_accepted(dialog, contract_id))
        dialog.finished.connect(lambda _result: self._dialog_finished(dialog))
        self.mark_done_dialog = dialog
        dialog.open()
        return dialog

    # ---- internals -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_splitter()

    def _fit_splitter(self) -> None:
        """Once, unless the window restored a saved layout: give the list the width its
        columns need (leaving the chart at least ``CHART_WIDTH``), and the chart the rest."""
        if (
            self._splitter_fitted
            or not self.isVisible()
            or not self._columns_sized
            or self.splitter.saveState() != self._default_splitter_state
        ):
            return
        self._splitter_fitted = True
        total = sum(self.splitter.sizes())
        header = self.tree.header()
        needed = (
            header.length()
            + self.tree.verticalScrollBar().sizeHint().width()
            + 2 * self.tree.frameWidth()
            + 2
        )
        table = min(needed, max(total - CHART_WIDTH, total // 2))
        self.splitter.setSizes([table, total - table])

    def _mark_done_accepted(self, dialog: MarkDoneDialog, contract_id: str) -> None:
        if dialog.values is None:
            return
        code, occurrence, done_on, note = dialog.values
        self.milestone_done_requested.emit(contract_id, code, occurrence, done_on, note)

    def _dialog_finished(self, dialog: MarkDoneDialog) -> None:
        if self.mark_done_dialog is dialog:
            self.mark_done_dialog = None
        dialog.deleteLater()

    def _bubble_text(self, row: RenewalRow | None, fallback: str) -> str:
        if row is None:
            return fallback
        return self.tr("{account} · {ref}: anchor {anchor}, risk {risk}, {value} a year").format(
            account=row.account_name,
            ref=row.reference,
            anchor=self.model.date_text(row.anchor),
            risk=self.model.display_text(row, RenewalsModel.RISK),
            value=format_money(row.annual_value_minor, row.currency),
        )

    def _fit_columns(self) -> None:
        """Size the columns to their contents once; after that the widths are the person's."""
        if self._columns_sized or self.model.rowCount() == 0:
            return
        header = self.tree.header()
        metrics = self.tree.fontMetrics()
        rows = self.model.rows()
        # Long names and titles are elided (the tooltip has them whole): the list and the
        # chart share the width, and the risk and value columns should stay in view.
        caps = {
            RenewalsModel.ACCOUNT: 150,
            RenewalsModel.CONTRACT: 160,
            RenewalsModel.MILESTONE: 140,
        }
        for column in range(RenewalsModel.COLUMN_COUNT):
            texts = {self.model.display_text(r, column) for r in rows}
            widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            if column == RenewalsModel.ANCHOR:
                widest += self.tree.indentation()
            width = max(header.sectionSizeHint(column), widest + 20)
            header.resizeSection(column, min(width, caps.get(column, 240)))
        self._columns_sized = True

    @Slot()
    def _arrange(self, *_args: Any) -> None:
        """Quarter headers span the row and stay open, whatever the filter or order."""
        for g in range(self.proxy.rowCount()):
            self.tree.setFirstColumnSpanned(g, QModelIndex(), True)
        self.tree.expandAll()

    @Slot(str)
    def _search_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_state()

    @Slot(bool)
    def _overdue_toggled(self, on: bool) -> None:
        self.proxy.set_overdue_only(on)
        self._update_state()

    @Slot()
    def _clear_filters(self) -> None:
        self.search_edit.clear()
        self.overdue_check.setChecked(False)

    def _update_state(self) -> None:
        total = len(self.model.rows())
        shown = len(self.visible_contract_ids())
        self.filter_bar.setVisible(total > 0)
        self.button_bar.setVisible(total > 0)
        if total == 0:
            self.count_label.setText("")
            self.empty.show_message(
                self.tr("No renewals coming up"),
                self.tr(
                    "Live contracts appear here from {months} months before their decision or "
                    "end date, and at any time while a campaign milestone is overdue."
                ).format(months=HORIZON_MONTHS),
                "",
            )
            self.stack.setCurrentIndex(self.EMPTY_PAGE)
            return
        if self.proxy.is_filtering:
            self.count_label.setText(
                self.tr("{shown} of {total} contracts").format(shown=shown, total=total)
            )
        else:
            self.count_label.setText(
                self.tr("1 contract") if total == 1 else self.tr("{n} contracts").format(n=total)
            )
        if shown == 0:
            text = self.search_edit.text().strip()
            if text and self.proxy.overdue_only:
                body = self.tr("No contract with overdue milestones matches “{text}”.")
            elif text:
                body = self.tr("No account, contract or milestone matches “{text}”.")
            else:
                body = self.tr("No listed contract has an overdue milestone.")
            self.empty.show_message(
                self.tr("No matching renewals"),
                body.format(text=text),
                self.tr("Clear the Filters"),
            )
            self.stack.setCurrentIndex(self.EMPTY_PAGE)
        else:
            self.stack.setCurrentIndex(self.TABLE_PAGE)
        self._update_actions()

    def _update_actions(self) -> None:
        """Enable what the selection allows and ring the selected contract on the chart."""
        row = self.selected_row()
        self.chart.highlight(row.contract_id if row else None)
        can_mark = row is not None and bool(row.open_milestones())
        for widget in (self.mark_done_action, self.mark_done_button):
            widget.setEnabled(can_mark)
        for widget in (self.plan_action, self.plan_button, self.open_action, self.open_button):
            widget.setEnabled(row is not None)

    @Slot()
    def _selection_changed(self, *_args: Any) -> None:
        self._update_actions()

    @Slot(str)
    def _bubble_clicked(self, contract_id: str) -> None:
        self.select_contract(contract_id)

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        row = self.model.row_of(self.proxy.mapToSource(index))
        if row is not None:
            self.account_activated.emit(row.account_id)

    @Slot()
    def _open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.account_activated.emit(row.account_id)

    @Slot()
    def _plan(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.plan_requested.emit(row.account_id, row.contract_id)

    @Slot(QPoint)
    def _context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if not index.isValid() or self.model.row_of(self.proxy.mapToSource(index)) is None:
            return
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        menu = QMenu(self)
        menu.addAction(self.mark_done_action)
        menu.addAction(self.plan_action)
        menu.addSeparator()
        menu.addAction(self.open_action)
        menu.aboutToHide.connect(menu.deleteLater)
        self.context_menu = menu
        menu.popup(self.tree.viewport().mapToGlobal(pos))
