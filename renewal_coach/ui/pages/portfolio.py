"""The portfolio page: every account with its next renewal and annual value, to filter and sort."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProxyStyle,
    QStackedWidget,
    QStyle,
    QStyleOption,
    QStyleOptionHeader,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.lists import PortfolioColumn, ScoreSummary, sorted_order
from ...core.lists import portfolio_sort_keys as _sort_keys
from ...core.money import format_money
from ...core.totals import value_totals
from ...storage.queries import AccountRow, account_rows
from ...storage.repository import Store
from ...tables.lists import portfolio_table
from ...tables.table import Table
from ..score_service import ScoreService
from ..table_export import visible_columns
from ..text import plural
from ..widgets.bands import BAND_SYMBOLS, SEGMENT_SYMBOLS
from ..widgets.elided import elide_with_tooltips
from ..widgets.empty_state import EmptyState
from .portfolio_totals import PortfolioTotals

_Index = QModelIndex | QPersistentModelIndex
#: Joins the searchable fields of a row; a character nobody types into a filter box.
_SEPARATOR = "\x1f"


#: The longest texts a score column can show, to size it before the scores arrive.
_SCORE_SAMPLES: dict[int, tuple[str, ...]] = {
    PortfolioColumn.SEGMENT: ("★ Proportionate", "◆ Develop"),
    PortfolioColumn.CONTRIBUTION: ("-£10,000,000", "£10,000,000"),
    PortfolioColumn.RISK: ("▲ Elevated (100)", "■ High (100)"),
    PortfolioColumn.ENGAGEMENT: ("▽ Proportionate", "● Proportionate", "✖ Obsessive"),
    PortfolioColumn.ANCHOR: ("30 Sep 2028", "2028-09-30"),
}


class AccountTableModel(QAbstractTableModel):
    """One row per account, from :func:`~renewal_coach.storage.queries.account_rows`.

    ``DisplayRole`` gives text for people; ``SORT_ROLE`` gives the native value the rows are
    ordered by (folded text, ``QDate``, ``int`` minor units, or None for a blank). Money
    columns order by currency code first, then amount (:func:`~renewal_coach.core.lists.money_key`).

    The model sorts itself (:meth:`sort`), on those same values, and the proxy hands sorting to
    it. A proxy sorting a Python model calls ``data()`` twice per comparison across the
    Python/C++ boundary: about 0.4 s for 5,000 accounts on every click, against a few
    milliseconds for Python's own sort. Blanks go last in both directions.
    """

    # The columns of core.lists.PortfolioColumn (saved column layouts rely on their numbers).
    NAME, INDUSTRY, OWNER = PortfolioColumn.NAME, PortfolioColumn.INDUSTRY, PortfolioColumn.OWNER
    NEXT_RENEWAL, ANNUAL_VALUE = PortfolioColumn.NEXT_RENEWAL, PortfolioColumn.ANNUAL_VALUE
    SEGMENT, CONTRIBUTION = PortfolioColumn.SEGMENT, PortfolioColumn.CONTRIBUTION
    RISK, ENGAGEMENT = PortfolioColumn.RISK, PortfolioColumn.ENGAGEMENT
    #: The customer's decision date for the next renewal (the campaign's anchor).
    ANCHOR = PortfolioColumn.ANCHOR
    COLUMN_COUNT = PortfolioColumn.COUNT
    SCORE_COLUMNS = PortfolioColumn.SCORES

    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    ID_ROLE = Qt.ItemDataRole.UserRole + 2
    #: Lower-case name, industry and owner of the row, for the filter.
    SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AccountRow] = []
        self._search: list[str] = []
        self._keys: list[tuple[Any, ...]] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._today = date.today()
        self._locale = QLocale()
        self._headers = (
            self.tr("Account"),
            self.tr("Industry"),
            self.tr("Owner"),  # of the account: the list is of accounts
            self.tr("Next renewal"),
            self.tr("Annual value"),
            self.tr("Segment"),
            self.tr("Contribution"),
            self.tr("Renewal risk"),
            self.tr("Engagement"),
            self.tr("Decision date"),
        )
        self._scores: dict[str, ScoreSummary] = {}

    # ---- loading ------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[AccountRow], today: date) -> None:
        """Show a whole new list (a different database, or the first load)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._today = today
        self._keys = [_sort_keys(r, self._scores.get(r.id)) for r in self._rows]
        self._search = [
            _SEPARATOR.join((r.name, r.industry, r.owner)).casefold() for r in self._rows
        ]
        if self._sort is not None:
            self._reorder(self._sorted_order(*self._sort))
        self.endResetModel()

    def set_scores(self, scores: dict[str, ScoreSummary]) -> None:
        """Fill the score columns (computed off the GUI thread) without a reset."""
        self._scores = dict(scores)
        if not self._rows:
            return
        self._keys = [_sort_keys(r, self._scores.get(r.id)) for r in self._rows]
        self.dataChanged.emit(
            self.index(0, self.SEGMENT), self.index(len(self._rows) - 1, self.ANCHOR)
        )
        if self._sort is not None and self._sort[0] in self.SCORE_COLUMNS:
            self.sort(*self._sort)

    def scores_of(self, account_id: str) -> ScoreSummary | None:
        return self._scores.get(account_id)

    def sort_value(self, row: int, column: int) -> Any:
        """The value ``row`` is ordered by in ``column``: folded text, date, int, (currency, int)
        for money, or None."""
        return self._keys[row][column]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows by ``column``, keeping selections and other persistent indexes."""
        if not 0 <= column < self.COLUMN_COUNT:
            return
        self._sort = (column, order)
        if not self._rows:
            return
        new_order = self._sorted_order(column, order)
        if new_order == list(range(len(self._rows))):
            return
        self.layoutAboutToBeChanged.emit()
        new_row_of = {old: new for new, old in enumerate(new_order)}
        persistent = self.persistentIndexList()
        moved = [
            self.index(new_row_of[index.row()], index.column()) if index.isValid() else index
            for index in persistent
        ]
        self._reorder(new_order)
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _sorted_order(self, column: int, order: Qt.SortOrder) -> list[int]:
        """Old row numbers in their new order: by ``column``, ties by name, blanks last."""
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted_order(self._keys, column, descending=descending, tie=self.NAME)

    def _reorder(self, new_order: list[int]) -> None:
        self._rows = [self._rows[i] for i in new_order]
        self._keys = [self._keys[i] for i in new_order]
        self._search = [self._search[i] for i in new_order]

    def row_at(self, row: int) -> AccountRow:
        return self._rows[row]

    def display_text(self, row: int, column: int) -> str:
        """What ``DisplayRole`` shows for ``row`` and ``column``."""
        return self._display(self._rows[row], column)

    def search_text(self, row: int) -> str:
        """The folded text the filter looks in for ``row``."""
        return self._search[row]

    # ---- Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

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

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == self.SORT_ROLE:
            value = self._keys[index.row()][column]
            # A QDate, not a Python date: a proxy compares QDates natively but cannot compare
            # wrapped Python objects. Money is ordered by (currency, minor units): the role
            # gives the minor units.
            if isinstance(value, tuple):
                return value[-1]
            return QDate(value) if isinstance(value, date) else value
        if role == self.ID_ROLE:
            return row.id
        if role == self.SEARCH_ROLE:
            return self._search[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    # ---- per-column values ---------------------------------------------------------------------

    def _display(self, row: AccountRow, column: int) -> str:
        if column == self.NAME:
            if row.archived:
                return self.tr("{name} (archived)").format(name=row.name)
            return row.name
        if column == self.INDUSTRY:
            return row.industry
        if column == self.OWNER:
            return row.owner
        if column == self.NEXT_RENEWAL:
            if row.next_renewal is None:
                return "—"
            return self._locale.toString(QDate(row.next_renewal), "d MMM yyyy")
        if column == self.ANNUAL_VALUE:
            return format_money(row.annual_value_minor, row.currency)
        summary = self._scores.get(row.id)
        if summary is None:
            return "…" if column in self.SCORE_COLUMNS and not self._scores else ""
        if column == self.SEGMENT:
            symbol = SEGMENT_SYMBOLS.get(summary.segment, "")
            return f"{symbol} {summary.segment_label}" if symbol else summary.segment_label
        if column == self.CONTRIBUTION:
            return format_money(summary.contribution_minor, row.currency)
        if column == self.RISK:
            if summary.risk_band is None:
                return "—"
            return (
                f"{BAND_SYMBOLS[summary.risk_band]} {summary.risk_label} ({summary.risk_score:.0f})"
            )
        if column == self.ENGAGEMENT:
            return f"{BAND_SYMBOLS[summary.engagement_band]} {summary.engagement_label}"
        if column == self.ANCHOR:
            if summary.anchor is None:
                return "—"
            return self._locale.toString(QDate(summary.anchor), "d MMM yyyy")
        return ""

    def _tooltip(self, row: AccountRow, column: int) -> str | None:
        if column == self.NAME and row.archived:
            return self.tr("Archived: not ranked or scored with the portfolio")
        if column == self.NEXT_RENEWAL:
            if row.next_renewal is None:
                return self.tr("No active or renewing contract ends on or after today")
            days = (row.next_renewal - self._today).days
            if days == 0:
                when = self.tr("Ends today")
            elif days == 1:
                when = self.tr("Ends tomorrow")
            else:
                when = self.tr("Ends in {days} days").format(days=days)
            return self.tr(
                "{when}: the end of the live contract the customer decides on first "
                "(its decision date is in the Decision date column)"
            ).format(when=when)
        summary = self._scores.get(row.id)
        if column in self.SCORE_COLUMNS and summary is not None:
            if column == self.ENGAGEMENT and summary.flags:
                return self.tr("Warnings: {flags}").format(flags=", ".join(summary.flags))
            if column == self.RISK and summary.risk_band is not None:
                return self.tr("Risk of the next renewal; open the account for the factors")
            if column == self.CONTRIBUTION:
                return self.tr("Revenue − direct cost − cost to serve, last 12 months")
            if column == self.ANCHOR and summary.anchor is not None:
                return self.tr(
                    "When the customer decides on the next renewal ({basis}); the campaign's "
                    "milestones count back from it"
                ).format(basis=summary.anchor_basis)
        if column == self.ANNUAL_VALUE:
            if row.annual_value_minor is None:
                return self.tr("No value recorded on an active or renewing contract")
            return self.tr("Total of active and renewing contracts, in {currency}").format(
                currency=row.currency
            )
        return None

    def _alignment(self, column: int) -> Qt.AlignmentFlag:
        vertical = Qt.AlignmentFlag.AlignVCenter
        if column in (self.ANNUAL_VALUE, self.CONTRIBUTION):
            return Qt.AlignmentFlag.AlignRight | vertical
        return Qt.AlignmentFlag.AlignLeft | vertical


class AccountFilterProxy(QSortFilterProxyModel):
    """Keeps rows whose name, industry or owner match; sorting is done by the source model.

    Every word typed must appear in one of those fields, ignoring case: "north smith" finds the
    Northwind account owned by Sam Smith. With any other source model the proxy sorts itself
    on ``SORT_ROLE``.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        #: Exact-match filters: segment, risk band, engagement band, owner ("" = any).
        self._criteria: tuple[str, str, str, str] = ("", "", "", "")
        self.setSortRole(AccountTableModel.SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortLocaleAware(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, AccountTableModel):
            # The proxy keeps the source's order (its own sort column stays -1).
            source.sort(column, order)
        else:
            super().sort(column, order)

    @property
    def filter_text(self) -> str:
        return " ".join(self._words)

    def set_filter_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words == self._words:
            return
        self.beginFilterChange()
        self._words = words
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def criteria(self) -> tuple[str, str, str, str]:
        return self._criteria

    def set_criteria(
        self, segment: str = "", risk: str = "", engagement: str = "", owner: str = ""
    ) -> None:
        """Keep only rows in this segment, risk band, engagement band and owner ("" = any)."""
        criteria = (segment, risk, engagement, owner)
        if criteria == self._criteria:
            return
        self.beginFilterChange()
        self._criteria = criteria
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def scores_arrived(self) -> None:
        """Re-apply band filters once scores are in (rows without scores were hidden)."""
        if any(self._criteria[:3]):
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        if any(self._criteria) and isinstance(model, AccountTableModel):
            segment, risk, engagement, owner = self._criteria
            row = model.row_at(source_row)
            if owner and row.owner != owner:
                return False
            if segment or risk or engagement:
                summary = model.scores_of(row.id)
                if summary is None:
                    return False
                if segment and summary.segment != segment:
                    return False
                if risk and summary.risk_band != risk:
                    return False
                if engagement and summary.engagement_band != engagement:
                    return False
        if not self._words:
            return True
        if isinstance(model, AccountTableModel):
            haystack = model.search_text(source_row)
        else:
            index = model.index(source_row, 0, source_parent)
            haystack = str(model.data(index, AccountTableModel.SEARCH_ROLE) or "")
        return all(word in haystack for word in self._words)


class _HeaderStyle(QProxyStyle):
    """Keeps a right-aligned header label clear of the sort arrow, which some styles (Fusion
    among them) otherwise draw over its last letter."""

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if (
            element == QStyle.ControlElement.CE_HeaderLabel
            and isinstance(option, QStyleOptionHeader)
            and option.sortIndicator != QStyleOptionHeader.SortIndicator.None_
            and option.textAlignment & Qt.AlignmentFlag.AlignRight
        ):
            option = QStyleOptionHeader(option)
            option.rect = option.rect.adjusted(0, 0, -(option.rect.height() // 2 + 4), 0)
        super().drawControl(element, option, painter, widget)


class PortfolioPage(QWidget):
    """Lists the accounts of one store. Knows nothing about menus or which database is open.

    ``account_activated(id)`` fires on Enter or double-click; ``sample_requested`` when the
    empty portfolio's button asks for the sample.
    """

    account_activated = Signal(str)
    sample_requested = Signal()
    #: The empty portfolio's other buttons: import a file, add the first account.
    import_requested = Signal()
    new_account_requested = Signal()
    #: The score columns are filled (or scoring failed: the columns then stay blank).
    scores_ready = Signal()

    TABLE_PAGE, EMPTY_PAGE = range(2)

    def __init__(
        self,
        store: Store,
        *,
        scores: ScoreService | None = None,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._today = today
        self._columns_sized = False
        self.scoring_problem = ""
        self._own_scores = scores is None
        self.score_service = scores or ScoreService(store, today=today, parent=self)
        self.score_service.updated.connect(self._scores_arrived)
        self.score_service.failed.connect(self._scores_failed)

        self.model = AccountTableModel(self)
        self.proxy = AccountFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        title = QLabel(self.tr("Portfolio"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAccessibleName(self.tr("Portfolio"))

        self.count_label = QLabel()
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.count_label.setAccessibleName(self.tr("Number of accounts shown"))

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Filter by account, industry or owner"))
        self.filter_edit.setAccessibleName(self.tr("Filter accounts"))
        self.filter_edit.setAccessibleDescription(
            self.tr("Shows only accounts whose name, industry or owner contain every word typed")
        )
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(160)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.filter_edit.installEventFilter(self)
        # Alt+R: Alt+F belongs to the File menu.
        filter_label = QLabel(self.tr("Filte&r:"))
        filter_label.setBuddy(self.filter_edit)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Accounts"))
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 14)
        header = self.table.horizontalHeader()
        self._header_style = _HeaderStyle()
        self._header_style.setParent(header)
        header.setStyle(self._header_style)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(AccountTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        elide_with_tooltips(self.table)
        #: The widths the page chose, per column but the name (empty once the person or a
        #: saved layout decides), the room the names want, and a guard for our own resizes.
        self._natural: dict[int, int] = {}
        self._name_room = 0
        self._fitting = False
        header.sectionResized.connect(self._section_resized)
        self.table.viewport().installEventFilter(self)
        self.table.sortByColumn(AccountTableModel.NEXT_RENEWAL, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(self._activated)

        self.empty = EmptyState()
        self.empty.action.clicked.connect(self._empty_action)
        self.empty.extra_clicked.connect(self._empty_extra)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        #: Archived accounts are hidden unless this is ticked; it shows when there are any.
        self.show_archived = QCheckBox(self.tr("Sho&w archived"))
        self.show_archived.setAccessibleName(self.tr("Show archived accounts"))
        self.show_archived.setToolTip(
            self.tr("List archived accounts too (they are not ranked or scored)")
        )
        self.show_archived.toggled.connect(self._archived_toggled)
        #: Archived accounts in the store that the list leaves out (0 when they are shown).
        self.archived_hidden = 0

        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.show_archived)
        top.addWidget(self.count_label)

        self.filter_bar = QWidget()
        filter_row = QHBoxLayout(self.filter_bar)
        filter_row.setContentsMargins(0, 0, 0, 0)
        filter_row.setSpacing(8)
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.filter_edit, 1)
        self.segment_filter = self._combo(
            self.tr("Segment"),
            [
                (self.tr("Any segment"), ""),
            ]
            + [
                (f"{SEGMENT_SYMBOLS[s]} {label}", s)
                for s, label in (
                    ("treasure", self.tr("Treasure")),
                    ("develop", self.tr("Develop")),
                    ("maintain", self.tr("Maintain")),
                    ("drain", self.tr("Drain")),
                    ("unrated", self.tr("Unrated")),
                )
            ],
        )
        self.risk_filter = self._combo(
            self.tr("Renewal risk band"),
            [(self.tr("Any risk"), "")]
            + [
                (f"{BAND_SYMBOLS[b]} {label}", b)
                for b, label in (
                    ("low", self.tr("Low risk")),
                    ("guarded", self.tr("Guarded")),
                    ("elevated", self.tr("Elevated")),
                    ("high", self.tr("High risk")),
                )
            ],
        )
        self.engagement_filter = self._combo(
            self.tr("Engagement band"),
            [(self.tr("Any engagement"), "")]
            + [
                (f"{BAND_SYMBOLS[b]} {label}", b)
                for b, label in (
                    ("neglect", self.tr("Neglect")),
                    ("proportionate", self.tr("Proportionate")),
                    ("intense", self.tr("Intense")),
                    ("obsessive", self.tr("Obsessive")),
                )
            ],
        )
        self.owner_filter = self._combo(self.tr("Account owner"), [(self.tr("Any owner"), "")])
        for combo in (
            self.segment_filter,
            self.risk_filter,
            self.engagement_filter,
            self.owner_filter,
        ):
            filter_row.addWidget(combo)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)
        #: Per currency, the value of the rows shown and its split by risk band.
        self.totals = PortfolioTotals()
        layout.addWidget(self.totals)

        self.refresh()

    # ---- public --------------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        return self._store

    def set_store(self, store: Store) -> None:
        """Show another database's accounts; the caller owns (and closes) the old store."""
        self._store = store
        if self._own_scores:
            self.score_service.use_store(store)
        self.filter_edit.clear()
        for combo in (
            self.segment_filter,
            self.risk_filter,
            self.engagement_filter,
            self.owner_filter,
        ):
            combo.setCurrentIndex(0)
        self.show_archived.blockSignals(True)
        self.show_archived.setChecked(False)
        self.show_archived.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Reload every row from the store and start rescoring (the scores follow shortly).

        Archived accounts are listed only when "Show archived" is ticked."""
        today = self._today()
        include = self.show_archived.isChecked()
        self.model.set_rows(account_rows(self._store, today, include_archived=include), today)
        self.archived_hidden = 0 if include else self._count_archived()
        self._fill_owners()
        self._fit_columns()
        self._update_state()
        self.score_service.refresh()

    def _scores_arrived(self) -> None:
        self.scoring_problem = ""
        self.count_label.setToolTip("")
        self.model.set_scores({k: ScoreSummary.of(v) for k, v in self.score_service.scores.items()})
        self.proxy.scores_arrived()
        self._update_state()
        self.scores_ready.emit()

    def _scores_failed(self, problem: str) -> None:
        self.scoring_problem = problem
        self.count_label.setToolTip(self.tr("Scores not available: {why}").format(why=problem))
        self.scores_ready.emit()

    def wait_for_scores(self, msecs: int = 30_000) -> bool:
        """Finish any pending scoring now (for tests and quitting); True when none is left."""
        QCoreApplication.sendPostedEvents()
        self.score_service.wait()
        return True

    def _count_archived(self) -> int:
        with self._store.errors():
            row = self._store.db.execute(
                "SELECT COUNT(*) FROM accounts WHERE archived = 1"
            ).fetchone()
        return int(row[0])

    @Slot(bool)
    def _archived_toggled(self, _checked: bool) -> None:
        # Only the rows change: the scores of the live accounts stay as they are.
        today = self._today()
        include = self.show_archived.isChecked()
        self.model.set_rows(account_rows(self._store, today, include_archived=include), today)
        self.archived_hidden = 0 if include else self._count_archived()
        self._fill_owners()
        self._update_state()

    def _combo(self, name: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        for text, value in items:
            combo.addItem(text, value)
        # Narrow when the window is: the full text shows in the open list.
        # As wide as its longest choice: "Any engagement" must never read "Any engag".
        # It gives way only when the window is smaller than any screen the app is used on.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMinimumWidth(combo.fontMetrics().horizontalAdvance("Any risk") + 36)
        combo.currentIndexChanged.connect(self._criteria_changed)
        return combo

    def _fill_owners(self) -> None:
        owners = sorted(
            {self.model.row_at(r).owner for r in range(self.model.rowCount())} - {""},
            key=str.casefold,
        )
        current = self.owner_filter.currentData()
        self.owner_filter.blockSignals(True)
        self.owner_filter.clear()
        self.owner_filter.addItem(self.tr("Any owner"), "")
        for owner in owners:
            self.owner_filter.addItem(owner, owner)
        index = self.owner_filter.findData(current)
        self.owner_filter.setCurrentIndex(max(index, 0))
        self.owner_filter.blockSignals(False)
        if index < 0 and current:
            self._criteria_changed()

    def set_filters(
        self, segment: str = "", risk: str = "", engagement: str = "", owner: str = ""
    ) -> None:
        """Choose the filter values (as the combo boxes would); unknown values mean any."""
        for combo, value in (
            (self.segment_filter, segment),
            (self.risk_filter, risk),
            (self.engagement_filter, engagement),
            (self.owner_filter, owner),
        ):
            combo.setCurrentIndex(max(combo.findData(value), 0))

    @Slot()
    def _criteria_changed(self, *_: Any) -> None:
        self.proxy.set_criteria(
            self.segment_filter.currentData() or "",
            self.risk_filter.currentData() or "",
            self.engagement_filter.currentData() or "",
            self.owner_filter.currentData() or "",
        )
        self._update_state()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def export_table(self) -> Table:
        """What the list shows, for File ▸ Export Table…: the rows left by the filters, in the
        order shown, with the visible columns in their order."""
        model, proxy = self.model, self.proxy
        lines = []
        for r in range(proxy.rowCount()):
            row = model.row_at(proxy.mapToSource(proxy.index(r, 0)).row())
            lines.append((row, model.scores_of(row.id)))
        return portfolio_table(lines, visible_columns(self.table.horizontalHeader()))

    def export_nouns(self) -> tuple[str, str]:
        """What one exported row is, singular and plural."""
        return self.tr("account"), self.tr("accounts")

    def visible_account_ids(self) -> list[str]:
        """Ids of the rows currently shown, top to bottom."""
        return [
            self.proxy.index(r, 0).data(AccountTableModel.ID_ROLE)
            for r in range(self.proxy.rowCount())
        ]

    def save_view_state(self) -> QByteArray:
        """Column widths and sort order, for the window to keep between sessions."""
        return self.table.horizontalHeader().saveState()

    def restore_view_state(self, state: QByteArray) -> None:
        header = self.table.horizontalHeader()
        if header.restoreState(state):
            self._columns_sized = True
            self._natural = {}
            # The name column always takes the spare width, whatever was saved.
            header.setSectionResizeMode(AccountTableModel.NAME, QHeaderView.ResizeMode.Stretch)

    # ---- internals -----------------------------------------------------------------------------

    def _fit_columns(self) -> None:
        """Size the columns to their contents once; after that the widths are the person's."""
        if self._columns_sized or self.model.rowCount() == 0:
            return
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        rows = range(self.model.rowCount())
        padding = 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 14
        for column in (
            AccountTableModel.INDUSTRY,
            AccountTableModel.OWNER,
            AccountTableModel.NEXT_RENEWAL,
            AccountTableModel.ANNUAL_VALUE,
        ):
            # Measured from the text, not the view: before the page is shown the view would
            # only measure the few rows that fit its default size. Never wider than 220 px:
            # a longer text is elided, with the whole of it on hover.
            texts = {self.model.display_text(row, column) for row in rows}
            widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
            header.resizeSection(
                column, min(max(header.sectionSizeHint(column), widest + padding), 220)
            )
        for column in AccountTableModel.SCORE_COLUMNS:
            # Filled later by the scoring job: sized for the longest text the column can hold.
            samples = _SCORE_SAMPLES.get(column, ("00 Sep 0000",))
            widest = max(metrics.horizontalAdvance(text) for text in samples)
            header.resizeSection(column, max(header.sectionSizeHint(column), widest + padding))
        self._natural = {
            column: header.sectionSize(column)
            for column in range(self.model.columnCount())
            if column != AccountTableModel.NAME
        }
        names = {self.model.display_text(row, AccountTableModel.NAME) for row in rows}
        widest_name = max((metrics.horizontalAdvance(n) for n in names), default=0)
        self._name_room = min(widest_name + padding, 260)
        self._columns_sized = True
        self._share_width()

    def _share_width(self) -> None:
        """Keep the account names readable in a narrow window: while the widths are the
        page's own (not restored or dragged by the person), the text columns that elide well
        (industry, owner) give up width, down to 90 px or their heading, before the names are
        cut."""
        if not self._natural:
            return
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        if room < 300:
            return  # not laid out yet
        shown = [c for c in self._natural if not header.isSectionHidden(c)]
        others = sum(self._natural[c] for c in shown)
        excess = max(0, others + self._name_room - room)
        self._fitting = True
        try:
            for column in (AccountTableModel.INDUSTRY, AccountTableModel.OWNER):
                natural = self._natural[column]
                # never below the heading ("Account owne" was cut at 90 px)
                floor = max(90, header.sectionSizeHint(column))
                give = min(excess, max(0, natural - floor))
                header.resizeSection(column, natural - give)
                excess -= give
        finally:
            self._fitting = False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting and column != AccountTableModel.NAME:
            self._natural = {}  # the person chose a width: the page stops adjusting them

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._share_width()
            return False
        # Keyboard flow in the filter box: Down goes to the list, Enter opens the highlighted
        # (or first) account, Escape clears the filter.
        if watched is self.filter_edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Down and self.proxy.rowCount():
                self._ensure_current()
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.proxy.rowCount():
                self._ensure_current()
                self._activated(self.table.currentIndex())
                return True
            if key == Qt.Key.Key_Escape and self.filter_edit.text():
                self.filter_edit.clear()
                return True
        return super().eventFilter(watched, event)

    def _ensure_current(self) -> None:
        """Highlight the first visible row when no visible row is highlighted."""
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, AccountTableModel.NAME))

    @Slot(str)
    def _filter_changed(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_state()

    def _update_state(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        self.show_archived.setVisible(self.show_archived.isChecked() or self.archived_hidden > 0)
        if total == 0 and self.archived_hidden:
            self.count_label.setText("")
            self.filter_bar.setVisible(False)
            self.empty.show_message(
                self.tr("Every account is archived"),
                plural(
                    self.archived_hidden,
                    self.tr(
                        "{n} archived account is hidden from the list. Show it to open it "
                        "and bring it back with Account ▸ Unarchive Account."
                    ),
                    self.tr(
                        "{n} archived accounts are hidden from the list. Show them to open one "
                        "and bring it back with Account ▸ Unarchive Account."
                    ),
                ),
                self.tr("Show Archived Accounts"),
            )
            self.stack.setCurrentIndex(self.EMPTY_PAGE)
            self.setFocusProxy(self.empty.action)
            self.totals.hide()
            return
        if total == 0:
            self.count_label.setText("")
            self.filter_bar.setVisible(False)
            self.empty.show_message(
                self.tr("No accounts yet"),
                self.tr(
                    "Accounts in this portfolio will be listed here with their next renewal "
                    "and annual value. Import them from a CRM or spreadsheet export, add the "
                    "first one by hand, or open the sample portfolio to see how it works."
                ),
                self.tr("Open the Sample Portfolio"),
                (self.tr("Import from a File…"), self.tr("New Account…")),
            )
            self.stack.setCurrentIndex(self.EMPTY_PAGE)
            self.setFocusProxy(self.empty.action)
            self.totals.hide()
            return
        self.filter_bar.setVisible(True)
        if self.proxy.filter_text or any(self.proxy.criteria):
            self.count_label.setText(
                self.tr("{shown} of {total} accounts").format(shown=shown, total=total)
            )
        else:
            self.count_label.setText(
                self.tr("1 account") if total == 1 else self.tr("{n} accounts").format(n=total)
            )
        if self.archived_hidden:
            self.count_label.setText(
                self.tr("{shown}, {n} archived not shown").format(
                    shown=self.count_label.text(), n=self.archived_hidden
                )
            )
        if shown == 0:
            text = self.filter_edit.text().strip()
            self.empty.show_message(
                self.tr("No matching accounts"),
                self.tr("No account name, industry or owner contains “{text}”.").format(text=text)
                if text and not any(self.proxy.criteria)
                else self.tr("No account matches the search and the filters chosen."),
                self.tr("Clear the Filters"),
            )
            self.stack.setCurrentIndex(self.EMPTY_PAGE)
            self.setFocusProxy(self.filter_edit)
        else:
            self.stack.setCurrentIndex(self.TABLE_PAGE)
            self.setFocusProxy(self.table)
        self._update_totals()

    def shown_rows(self) -> list[AccountRow]:
        """The rows left by the search and the filters, in the order shown."""
        model, proxy = self.model, self.proxy
        return [
            model.row_at(proxy.mapToSource(proxy.index(r, 0)).row())
            for r in range(proxy.rowCount())
        ]

    def _update_totals(self) -> None:
        rows = self.shown_rows()
        self.totals.setVisible(bool(rows))
        if not rows:
            return
        scores = self.model.scores_of
        self.totals.show_totals(
            value_totals(
                (r.currency, r.annual_value_minor, getattr(scores(r.id), "risk_band", None))
                for r in rows
            ),
            len(rows),
        )

    @Slot(int)
    def _empty_extra(self, index: int) -> None:
        (self.import_requested if index == 0 else self.new_account_requested).emit()

    @Slot()
    def _empty_action(self) -> None:
        if self.model.rowCount() == 0 and self.archived_hidden:
            self.show_archived.setChecked(True)
            self.table.setFocus()
        elif self.model.rowCount() == 0:
            self.sample_requested.emit()
        else:
            self.filter_edit.clear()
            self.set_filters()
            self.filter_edit.setFocus()

    @Slot(QModelIndex)
    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.account_activated.emit(index.data(AccountTableModel.ID_ROLE))
