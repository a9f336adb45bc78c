"""Look back at self-assessments: the per-account (or organisation) history.

:class:`AssessmentHistory` lists the assessments of one account (or of the organisation), draws
the trend of each kind's headline score with :class:`~.charts.TrendChart`, and starts new ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
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

from ...core.enums import AssessmentKind
from ...core.errors import RenewalCoachError
from ...core.models import Assessment
from ...core.scoring.assessments import POSTURE_THRESHOLD
from ...storage.repository import Store
from ..editing import Editor
from ..errors import show_expected_error
from ..text import show_date
from ..widgets.table_model import HeadedTableModel
from .charts import TrendChart, TrendPoint
from .dialog import AssessmentDialog
from .labels import (
    _SCALES,
    BAND_MARKS,
    _ctr,
    _heading,
    _tr,
    _wrapped,
    kind_title,
    point_label,
    score_text,
)

_Index = QModelIndex | QPersistentModelIndex


class AssessmentTableModel(HeadedTableModel):
    """Past assessments: date, kind, headline result, score and contract, one row each."""

    DATE = 0
    KIND = 1
    RESULT = 2
    SCORE = 3
    CONTRACT = 4
    COLUMN_COUNT = 5

    #: The native value to sort on: a QDate, a float, or text.
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    #: The assessment's id.
    ID_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = (
            self.tr("Date"),
            self.tr("Assessment"),
            self.tr("Result"),
            self.tr("Score"),
            self.tr("Contract"),
        )
        self._records: list[Assessment] = []
        self._contracts: dict[str, str] = {}

    def set_records(
        self, records: Sequence[Assessment], contracts: Mapping[str, str] | None = None
    ) -> None:
        """Show ``records``; ``contracts`` maps contract ids to the references shown."""
        self.beginResetModel()
        self._records = list(records)
        self._contracts = dict(contracts or {})
        self.endResetModel()

    def add_record(self, record: Assessment) -> None:
        row = len(self._records)
        self.beginInsertRows(QModelIndex(), row, row)
        self._records.append(record)
        self.endInsertRows()

    def remove_record(self, record_id: str) -> None:
        row = self.row_of(record_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._records[row]
        self.endRemoveRows()

    def row_of(self, record_id: str) -> int | None:
        return next((i for i, r in enumerate(self._records) if r.id == record_id), None)

    def record(self, row: int) -> Assessment:
        return self._records[row]

    def records(self) -> list[Assessment]:
        return list(self._records)

    # ---- Qt model interface ------------------------------------------------------------------

    def row_total(self) -> int:
        return len(self._records)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == self.SORT_ROLE:
            return self._sort_value(record, column)
        if role == self.ID_ROLE:
            return record.id
        if role == Qt.ItemDataRole.ToolTipRole and column == self.RESULT:
            advice = [str(a) for a in record.result.get("advice") or ()]
            return "\n".join(f"• {_ctr(a)}" for a in advice) or None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def _display(self, record: Assessment, column: int) -> str:
        if column == self.DATE:
            return show_date(record.taken_on)
        if column == self.KIND:
            return kind_title(record.kind)
        if column == self.RESULT:
            band = str(record.result.get("band", ""))
            symbol = BAND_MARKS.get(band, ("", ""))[0]
            label = _ctr(str(record.result.get("band_label", "")))
            return f"{symbol} {label}" if symbol else label
        if column == self.SCORE:
            return score_text(record.kind, record.result)
        if column == self.CONTRACT:
            return self._contracts.get(record.contract_id or "", "")
        return ""

    def _sort_value(self, record: Assessment, column: int) -> Any:
        if column == self.DATE:
            # A QDate, not a Python date: the proxy compares QDates natively.
            return QDate(record.taken_on) if record.taken_on else QDate()
        if column == self.SCORE:
            score = record.result.get("score")
            return float(score) if isinstance(score, int | float) else -1.0
        return self._display(record, column)


def ask_delete(parent: QWidget | None, text: str) -> bool:
    """Ask before deleting; True only when the person confirms."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_tr("Delete Assessment"))
    box.setText(text)
    box.setInformativeText(_tr("Its answers and result will be gone for good."))
    delete = box.addButton(_tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(_tr("Keep It"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is delete


class AssessmentHistory(QWidget):
    """The assessments of one account, or of the organisation: a table, a trend per kind, and
    the buttons that start a new one.

    Emits ``changed`` with the account id ("" for the organisation) after a save or a delete.
    """

    changed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        editor: Editor | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assessmentHistory")
        self._today = today
        #: When given, deletes go through it, so they can be undone.
        self.editor = editor
        self.store: Store | None = None
        self.account_id: str | None = None
        #: The dialog opened last (new or past assessment), while it is open.
        self.active_dialog: AssessmentDialog | None = None

        self.heading = _heading(self.tr("Assessments"))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.subtitle = _wrapped(
            self.tr(
                "Maturity shows how customer-led the team is, posture whether fear or "
                "complacency is steering, readiness whether the renewal campaign is where its "
                "phase expects."
            )
        )

        self.new_buttons: dict[AssessmentKind, QPushButton] = {}
        buttons = QHBoxLayout()
        for kind, text in (
            (AssessmentKind.MATURITY, self.tr("New &maturity assessment…")),
            (AssessmentKind.POSTURE, self.tr("New &posture check…")),
            (AssessmentKind.READINESS, self.tr("New &readiness check…")),
        ):
            button = QPushButton(text)
            button.setObjectName(f"new_{kind.value}")
            button.setAccessibleName(text.replace("&", "").removesuffix("…"))
            button.clicked.connect(lambda _=False, k=kind: self.start_assessment(k))
            buttons.addWidget(button)
            self.new_buttons[kind] = button
        buttons.addStretch(1)
        self.open_button = QPushButton(self.tr("&View"))
        self.open_button.setAccessibleName(self.tr("View the selected assessment"))
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button = QPushButton(self.tr("&Delete…"))
        self.delete_button.setAccessibleName(self.tr("Delete the selected assessment"))
        self.delete_button.clicked.connect(self.delete_selected)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.delete_button)

        self.model = AssessmentTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(AssessmentTableModel.SORT_ROLE)
        self.proxy.setDynamicSortFilter(True)
        self.table = QTableView()
        self.table.setObjectName("assessmentTable")
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Past assessments"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AssessmentTableModel.RESULT, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(AssessmentTableModel.DATE, Qt.SortOrder.DescendingOrder)
        self.table.doubleClicked.connect(self._double_clicked)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_selected)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self.delete_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.empty_label = QLabel(self.tr("No assessments yet: take the first one"))
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        font = self.empty_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.empty_label.setFont(font)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.table)

        self.trends: dict[AssessmentKind, TrendChart] = {}
        trends_box = QFrame()
        trends_box.setObjectName("trends")
        trends = QHBoxLayout(trends_box)
        trends.setContentsMargins(0, 0, 0, 0)
        trends.setSpacing(12)
        for kind, title, threshold in (
            (AssessmentKind.MATURITY, self.tr("Maturity index (1–4, higher is better)"), None),
            (
                AssessmentKind.POSTURE,
                self.tr("Posture: fear or complacency (0–100, lower is better)"),
                100 * float(POSTURE_THRESHOLD),
            ),
            (AssessmentKind.READINESS, self.tr("Readiness (0–100, higher is better)"), None),
        ):
            low, high, ticks = _SCALES[kind]
            chart = TrendChart(
                low,
                high,
                ticks=ticks,
                threshold=threshold,
                empty_text=self.tr("None taken yet"),
            )
            chart.setObjectName(f"trend_{kind.value}")
            chart.setAccessibleName(title)
            column = QVBoxLayout()
            column.setSpacing(2)
            caption = _wrapped(title)
            column.addWidget(caption)
            column.addWidget(chart, 1)
            trends.addLayout(column, 1)
            self.trends[kind] = chart
        self.trends_box = trends_box
        trends_box.setMinimumHeight(180)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.heading)
        layout.addWidget(self.subtitle)
        layout.addLayout(buttons)
        layout.addWidget(self.stack, 3)
        layout.addWidget(trends_box, 2)
        self._update_buttons()
        self._update_empty()

    # ---- loading -----------------------------------------------------------------------------

    def show(  # type: ignore[override]
        self, store: Store | None = None, account_id: str | None = None
    ) -> None:
        """Load the assessments of ``account_id`` (None: the organisation's own) and show the
        widget. Called without a store it is plain ``QWidget.show()``."""
        if store is not None:
            self.load(store, account_id)
        super().show()

    def load(self, store: Store, account_id: str | None = None) -> None:
        """Load the assessments of ``account_id`` (None: the organisation's own)."""
        self.store = store
        self.account_id = account_id or None
        if self.account_id:
            records = store.assessments.for_account(self.account_id)
            contracts = {c.id: c.reference for c in store.contracts.for_account(self.account_id)}
            account = store.accounts.find(self.account_id)
            name = account.name if account else ""
        else:
            records = store.assessments.where("account_id IS NULL")
            contracts = {}
            name = self.tr("your organisation")
        self.heading.setText(self.tr("Assessments: {name}").format(name=name))
        self.model.set_records(records, contracts)
        self._refresh_trends()
        self._update_empty()
        self._update_buttons()

    def _refresh_trends(self) -> None:
        for kind, chart in self.trends.items():
            points = []
            for record in self.model.records():
                score = record.result.get("score")
                if record.kind is kind and record.taken_on and isinstance(score, int | float):
                    points.append(
                        TrendPoint(record.taken_on, float(score), point_label(kind, score))
                    )
            chart.set_points(points)

    def _update_empty(self) -> None:
        empty = self.model.rowCount() == 0
        self.stack.setCurrentWidget(self.empty_label if empty else self.table)
        self.trends_box.setVisible(not empty)

    def _update_buttons(self, *args: object) -> None:
        has_store = self.store is not None
        for button in self.new_buttons.values():
            button.setEnabled(has_store)
        selected = self.selected_record() is not None
        self.open_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    # ---- selection -----------------------------------------------------------------------------

    def selected_record(self) -> Assessment | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.record(self.proxy.mapToSource(rows[0]).row())

    def select(self, record_id: str) -> None:
        row = self.model.row_of(record_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)

    # ---- taking, viewing, deleting -----------------------------------------------------------

    def start_assessment(self, kind: AssessmentKind) -> AssessmentDialog | None:
        """Open a new assessment of ``kind`` (window-modal); the table updates once it is saved."""
        if self.store is None or self.store.read_only:
            return None
        dialog = AssessmentDialog(
            self.store, kind, account_id=self.account_id, today=self._today(), parent=self
        )
        dialog.accepted.connect(lambda: self._saved(dialog))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def open_record(self, record: Assessment) -> AssessmentDialog | None:
        """Show a past assessment read-only."""
        if self.store is None or self.store.read_only:
            return None
        dialog = AssessmentDialog(
            self.store,
            record.kind,
            account_id=record.account_id,
            contract_id=record.contract_id,
            today=self._today(),
            record=record,
            parent=self,
        )
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def open_selected(self) -> None:
        record = self.selected_record()
        if record is not None:
            self.open_record(record)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_record(self.model.record(self.proxy.mapToSource(index).row()))

    def _saved(self, dialog: AssessmentDialog) -> None:
        record = dialog.saved
        if record is None:
            return
        self.model.add_record(record)
        self._refresh_trends()
        self._update_empty()
        self.select(record.id)
        self.changed.emit(self.account_id or "")

    def _closed(self, dialog: AssessmentDialog) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None
        dialog.deleteLater()

    def delete_selected(self) -> bool:
        """Delete the selected assessment after asking; True when it was deleted."""
        record = self.selected_record()
        if record is None or self.store is None or self.store.read_only:  # the Delete key too
            return False
        when = show_date(record.taken_on)
        question = self.tr("Delete the {what} of {when}?").format(
            what=kind_title(record.kind).lower(), when=when
        )
        if not ask_delete(self, question):
            return False
        try:
            if self.editor is not None:
                self.editor.delete(record)
            else:
                self.store.assessments.delete(record.id)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The assessment could not be deleted."), exc)
            return False
        self.model.remove_record(record.id)
        self._refresh_trends()
        self._update_empty()
        self._update_buttons()
        self.changed.emit(self.account_id or "")
        return True
