"""The renewals page: every live contract whose renewal is near or whose campaign is late.

Contracts are grouped by the quarter of their campaign anchor (the decision, market approach or
end date that the campaign counts back from), with the next milestone and its status in words
and a symbol. Beside the list, the renewal horizon chart: clicking a bubble selects its contract,
selecting a contract rings its bubble. The page never scores or saves anything itself: it gets
scores through :meth:`RenewalsPage.set_scores` and asks for changes through signals.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ....core.money import format_money
from ....core.scoring.portfolio import AccountScores
from ....export.chart_data import horizon_bubbles
from ....tables.lists import renewals_table
from ....tables.table import Table
from ...table_export import visible_columns
from ...widgets.chart_view import ChartView, HitPoint
from ...widgets.columns import SharedWidths
from ...widgets.deadlines import ContractDeadlines
from ...widgets.empty_state import EmptyState
from ...widgets.headings import HeadingDelegate, step_over_headings
from .mark_done import MarkDoneDialog
from .renewals_model import (
    HORIZON_MONTHS,
    RenewalRow,
    RenewalsFilterProxy,
    RenewalsModel,
    renewal_rows,
)

#: Width the horizon chart is given at first, in pixels: narrower, its plot would be cramped
#: beside its legend. The list takes the rest and narrows its name columns to fit.
CHART_WIDTH = 490


class _RenewalsTree(QTreeView):
    """A tree whose arrow keys step over the quarter headers, from contract to contract."""

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        return step_over_headings(
            self,
            super().moveCursor(action, modifiers),
            action,
            RenewalsModel.GROUP_ROLE,
            lambda index, up: self.indexAbove(index) if up else self.indexBelow(index),
        )


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
        self._delegate = HeadingDelegate(RenewalsModel.GROUP_ROLE, self.tree)
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
        # A list too narrow for every column narrows the account, contract and milestone
        # names (never below their heading) before the status, risk and value fall off its
        # right edge, while the widths are the page's own.
        self._widths = SharedWidths(
            self.tree,
            header,
            lambda natural: {
                c: max(80, header.sectionSizeHint(c)) if c in self._GIVING else w
                for c, w in natural.items()
            },
        )
        # The notice deadline came last to the model; it follows the value, so that in a
        # narrow list the status, risk and value stay in view before it (the detail under the
        # list shows the selected contract's deadlines whatever the width).
        header.moveSection(header.visualIndex(RenewalsModel.NOTICE), RenewalsModel.VALUE + 1)
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
        #: The five deadlines of the selected contract, under the list.
        self.deadlines = ContractDeadlines()
        self.deadlines.setAccessibleName(self.tr("Deadlines of the selected contract"))
        left_layout.addWidget(self.deadlines)
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
            from ....export.charts import horizon_figure

            return horizon_figure(
                bubbles, today, months=HORIZON_MONTHS, colours=self.chart.chart_colours()
            )

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

    def export_table(self) -> Table:
        """What the list shows, for File ▸ Export Table…: the contracts left by the search and
        filters, quarter by quarter in the order shown, with the visible columns in their
        order (each row also says its quarter)."""
        rows = []
        for g in range(self.proxy.rowCount()):
            parent = self.proxy.index(g, 0)
            for r in range(self.proxy.rowCount(parent)):
                row = self.model.row_of(self.proxy.mapToSource(self.proxy.index(r, 0, parent)))
                if row is not None:
                    rows.append(row)
        return renewals_table(rows, visible_columns(self.tree.header()))

    def export_nouns(self) -> tuple[str, str]:
        """What one exported row is, singular and plural."""
        return self.tr("contract"), self.tr("contracts")

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
            (sum(self._widths.natural.values()) if self._widths.natural else header.length())
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
        natural: dict[int, int] = {}
        for column in range(RenewalsModel.COLUMN_COUNT):
            texts = {self.model.display_text(r, column) for r in rows}
            widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
            if column == RenewalsModel.ANCHOR:
                widest += self.tree.indentation()
            width = max(header.sectionSizeHint(column), widest + 20)
            natural[column] = min(width, caps.get(column, 240))
        self._widths.fit(natural)
        self._columns_sized = True

    #: The columns that give up width in a narrow list (elided, whole on hover).
    _GIVING = (RenewalsModel.ACCOUNT, RenewalsModel.CONTRACT, RenewalsModel.MILESTONE)

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
        self.deadlines.show_contract(row.scores.contract if row else None, self._today)
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
