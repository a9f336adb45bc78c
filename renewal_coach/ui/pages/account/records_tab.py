"""The account workspace's record tabs: contracts, people, interactions, goals and the rest.

One :class:`RecordsTab` per entity: a sortable table, Add / Edit / Delete (Insert, Enter or F2,
Delete), an empty state that says what to do first, and extra actions where the method needs
them (confirm a goal, validate evidence). Every write goes through the
:class:`~renewal_coach.ui.editing.Editor`, so each one can be undone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
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
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ....core import models as m
from ....core.dates import parse_date
from ....core.deadlines import deadline_of, is_live
from ....core.enums import InteractionType, Party
from ....core.errors import RenewalCoachError, ValidationError
from ....core.money import DEFAULT_CURRENCY
from ....core.records import FieldInfo, Record, fields_of
from ...dialogs.record_form import Choices, RecordDialog, RecordForm, format_value
from ...editing import Editor, describe, noun_of
from ...errors import show_expected_error
from ...text import show_date
from ...theme import set_tone
from ...widgets.bands import MILESTONE_SYMBOLS
from ...widgets.columns import SharedWidths
from ...widgets.deadlines import deadline_text

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """A table column: a field name, or a computed value with its own header."""

    key: str
    header: str = ""
    value: Callable[[Any, AccountLookups], tuple[str, Any]] | None = None


@dataclass
class AccountLookups:
    """Names of the account's related records, for reference columns and choices."""

    currency: str = DEFAULT_CURRENCY
    contracts: dict[str, str] = field(default_factory=dict)
    stakeholders: dict[str, str] = field(default_factory=dict)
    goals: dict[str, str] = field(default_factory=dict)
    #: Stakeholders still in their role (people who left stay listed for old records).
    current: frozenset[str] = frozenset()
    #: The day the records are shown on (what "overdue" is measured against).
    today: date | None = None

    def current_people(self) -> dict[str, str]:
        return {k: v for k, v in self.stakeholders.items() if k in self.current}

    def choices(self) -> Choices:
        return {
            "contract_id": list(self.contracts.items()),
            "goal_id": list(self.goals.items()),
            "confirmed_by_id": list(self.stakeholders.items()),
            "validated_by_id": list(self.stakeholders.items()),
            "stakeholder_ids": list(self.stakeholders.items()),
        }

    def name(self, field_name: str, value: Any) -> str:
        table = {
            "contract_id": self.contracts,
            "goal_id": self.goals,
            "confirmed_by_id": self.stakeholders,
            "validated_by_id": self.stakeholders,
        }.get(field_name)
        if table is not None:
            return table.get(value, "") if value else ""
        if field_name == "stakeholder_ids":
            return ", ".join(self.stakeholders.get(v, "?") for v in value or ())
        return ""


def load_lookups(store: Any, account_id: str) -> AccountLookups:
    """The account's currency and the names of its contracts, people and goals."""
    account = store.accounts.get(account_id)
    contracts = {
        c.id: f"{c.reference} – {c.title}"
        for c in sorted(store.contracts.for_account(account_id), key=lambda c: c.reference)
    }
    everyone = sorted(store.stakeholders.for_account(account_id), key=lambda s: s.name.lower())
    people = {s.id: s.name + (_tr(" (left)") if s.left_on else "") for s in everyone}
    current = frozenset(s.id for s in everyone if s.left_on is None)
    goals = {}
    for g in store.goals.for_account(account_id):
        text = g.statement.strip().splitlines()[0] if g.statement.strip() else "?"
        goals[g.id] = text if len(text) <= 60 else text[:59] + "…"
    return AccountLookups(account.currency, contracts, people, goals, current)


class RecordTableModel(QAbstractTableModel):
    """The records of one kind for one account, with native values in the sort role."""

    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    ID_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(
        self, cls: type[Record], columns: Sequence[Column], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.cls = cls
        self.columns = list(columns)
        self._info: dict[str, FieldInfo] = {f.name: f for f in fields_of(cls)}
        self._records: list[Record] = []
        self._cells: list[list[tuple[str, Any]]] = []

    def set_records(self, records: Sequence[Record], lookups: AccountLookups) -> None:
        self.beginResetModel()
        self._records = list(records)
        self._cells = [[self._cell(r, c, lookups) for c in self.columns] for r in self._records]
        self.endResetModel()

    def _cell(self, record: Record, column: Column, lookups: AccountLookups) -> tuple[str, Any]:
        if column.value is not None:
            return column.value(record, lookups)
        value = getattr(record, column.key)
        info = self._info[column.key]
        if info.kind in ("id", "idlist"):
            text = lookups.name(column.key, value)
            return text, text.casefold()
        text = format_value(info, value, lookups.currency)
        if isinstance(value, str):
            return text, text.casefold()
        if value is None:
            return text, None
        return text, value

    def header_of(self, column: Column) -> str:
        if column.header:
            return column.header
        return self.tr(self._info[column.key].label)

    def record(self, row: int) -> Record:
        return self._records[row]

    def row_of(self, record_id: str) -> int:
        return next((i for i, r in enumerate(self._records) if r.id == record_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.header_of(self.columns[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cells):
            return None
        text, sort = self._cells[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return text
        if role == self.SORT_ROLE:
            return sort
        if role == self.ID_ROLE:
            return self._records[index.row()].id
        return None


class _SortProxy(QSortFilterProxyModel):
    """Sorts on native values; blanks always last."""

    def lessThan(self, left: _Index, right: _Index) -> bool:
        a = left.data(RecordTableModel.SORT_ROLE)
        b = right.data(RecordTableModel.SORT_ROLE)
        if a is None or b is None:
            return a is not None and b is None
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


@dataclass(frozen=True)
class TabSpec:
    """How one entity is shown and edited in the account workspace."""

    cls: type[Record]
    title: str
    empty: str
    columns: tuple[Column, ...]
    sort_column: int = 0
    descending: bool = False
    #: The column that takes the spare width (the main text).
    stretch: int = 0
    #: Fields pre-filled on a new record: name -> callable(today) returning the value.
    defaults: dict[str, Callable[[date], Any]] = field(default_factory=dict)


def _tr(text: str) -> str:
    return QCoreApplication.translate("RecordsTab", text)


def _isolate(name: str) -> str:
    """A name set apart from the text around it, so a right-to-left name does not pull the
    date after it to its own side."""
    return f"\u2068{name}\u2069"


def _confirmed(goal: Any, lookups: AccountLookups) -> tuple[str, Any]:
    if goal.confirmed:
        who = _isolate(lookups.name("confirmed_by_id", goal.confirmed_by_id))
        text = _tr("✓ Confirmed by {who}, {when}")
        return text.format(who=who, when=show_date(goal.confirmed_on)), 1
    return _tr("? Assumed"), 0


def _validated(evidence: Any, lookups: AccountLookups) -> tuple[str, Any]:
    if evidence.validated:
        who = _isolate(lookups.name("validated_by_id", evidence.validated_by_id))
        text = _tr("✓ Validated by {who}, {when}")
        return text.format(who=who, when=show_date(evidence.validated_on)), 1
    return _tr("? Not yet validated"), 0


def _commitment_due(commitment: Any, lookups: AccountLookups) -> tuple[str, Any]:
    """The due date, marked with a symbol and a word when it has passed and it is not done."""
    due = commitment.due_on
    if due is None:
        return "", None
    text = show_date(due)
    if commitment.done_on is None and lookups.today is not None and due < lookups.today:
        text = _tr("{symbol} Overdue · {day}").format(symbol=MILESTONE_SYMBOLS["overdue"], day=text)
    return text, due


def _metric(record: Any, lookups: AccountLookups) -> tuple[str, Any]:
    a = getattr(record, "metric_from", None) or getattr(record, "before", "")
    b = getattr(record, "metric_to", None) or getattr(record, "after", "")
    text = record.metric
    if a or b:
        text += f": {a or '?'} → {b or '?'}"
    return text, text.casefold()


def _open(concern: Any, lookups: AccountLookups) -> tuple[str, Any]:
    if concern.resolved_on:
        return _tr("✓ Resolved {when}").format(when=show_date(concern.resolved_on)), 1
    return _tr("● Open"), 0


def _today(today: date) -> date:
    return today


def _deadline(kind: str) -> Callable[[Any, AccountLookups], tuple[str, Any]]:
    """A contract's deadline of ``kind`` (computed where the contract only gives a notice
    period) with how far away it is; sorted by the date."""

    def value(contract: Any, lookups: AccountLookups) -> tuple[str, Any]:
        found = deadline_of(contract, kind)
        if found is None:
            return "", None
        today = lookups.today or date.today()
        return deadline_text(found.due, today, live=is_live(contract)), found.due

    return value


TAB_SPECS: tuple[TabSpec, ...] = (
    TabSpec(
        m.Contract,
        "Contracts",
        "No contracts yet: add the first one to start its renewal campaign.",
        (
            Column("reference"),
            Column("title"),
            Column("start_date"),
            Column("end_date", value=_deadline("end")),
            Column("annual_value_minor"),
            Column("notice_deadline", "Notice deadline", _deadline("notice")),
            Column("procurement_route"),
            Column("status"),
        ),
        sort_column=3,
        stretch=1,
    ),
    TabSpec(
        m.Stakeholder,
        "People",
        "No stakeholders yet: add the people who decide, use and advise.",
        (
            Column("name"),
            Column("title"),
            Column("buying_role"),
            Column("influence"),
            Column("attitude"),
            Column("response_mode"),
            Column("contact_cadence_days", "Cadence (days)"),
            Column("left_on"),
        ),
        stretch=1,
    ),
    TabSpec(
        m.Interaction,
        "Interactions",
        "No interactions yet: log the first one (Ctrl+L).",
        (
            Column("occurred_on"),
            Column("type"),
            Column("initiated_by"),
            Column("purpose"),
            Column("stakeholder_ids", "People"),
            Column("brought_value", "Value"),
            Column("contract_id"),
        ),
        sort_column=0,
        descending=True,
        defaults={"occurred_on": _today},
        stretch=3,
    ),
    TabSpec(
        m.CustomerGoal,
        "Goals",
        "No customer goals yet: ask what they want the next term to achieve.",
        (
            Column("statement"),
            Column("metric", "Metric", _metric),
            Column("target_date"),
            Column("priority"),
            Column("confirmed", "Status", _confirmed),
            Column("contract_id"),
        ),
        sort_column=3,
    ),
    TabSpec(
        m.ValueEvidence,
        "Evidence",
        "No evidence of value yet: record what you delivered, measured before and after.",
        (
            Column("description"),
            Column("metric", "Metric", _metric),
            Column("period_end"),
            Column("validated", "Status", _validated),
            Column("contract_id"),
        ),
        sort_column=2,
        descending=True,
    ),
    TabSpec(
        m.Concern,
        "Concerns",
        "No concerns recorded. When something goes wrong, log it and its recovery here.",
        (
            Column("description"),
            Column("severity"),
            Column("opened_on"),
            Column("resolved", "Status", _open),
            Column("recovery_action"),
        ),
        sort_column=2,
        descending=True,
        defaults={"opened_on": _today},
    ),
    TabSpec(
        m.Improvement,
        "Improvements",
        "No improvements yet: propose one tied to a customer goal.",
        (
            Column("title"),
            Column("status"),
            Column("proposed_on"),
            Column("delivered_on"),
            Column("goal_id"),
        ),
        sort_column=2,
        descending=True,
        defaults={"proposed_on": _today},
    ),
    TabSpec(
        m.ChangeEvent,
        "Changes",
        "No change events: record new buyers, reorganisations or tender mandates as they happen.",
        (
            Column("occurred_on"),
            Column("kind"),
            Column("description"),
            Column("responded_on"),
        ),
        sort_column=0,
        descending=True,
        defaults={"occurred_on": _today},
        stretch=2,
    ),
    TabSpec(
        m.Commitment,
        "Commitments",
        "No commitments yet: agree next steps with the customer, ours and theirs.",
        (
            Column("due_on", value=_commitment_due),
            Column("party"),
            Column("description"),
            Column("owner"),
            Column("done_on"),
        ),
        sort_column=0,
        stretch=2,
    ),
)


class RecordsTab(QWidget):
    """Lists one kind of record of the open account and edits them through the editor."""

    #: A record was selected (id, or "" for none).
    selected = Signal(str)
    #: The widest a column is made to fit its texts; longer ones are elided, whole in the tooltip.
    MAX_COLUMN = 420

    def __init__(
        self,
        spec: TabSpec,
        editor: Editor,
        *,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self.editor = editor
        self._today = today
        self.account_id: str | None = None
        self.lookups = AccountLookups()
        self.model = RecordTableModel(spec.cls, spec.columns, self)
        self.proxy = _SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(RecordTableModel.SORT_ROLE)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr(spec.title))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(
            spec.sort_column,
            Qt.SortOrder.DescendingOrder if spec.descending else Qt.SortOrder.AscendingOrder,
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(spec.stretch, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(70)
        self._sized = False
        # A narrow window takes width from the widest fitted columns (never below their
        # heading) before the stretching one, purpose or description, while the widths are
        # the tab's own.
        self._widths = SharedWidths(
            self.table,
            header,
            lambda natural: {c: max(70, header.sectionSizeHint(c) + 8) for c in natural},
            stretch=spec.stretch,
            least_room=300,
        )
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.empty = QLabel(self.tr(spec.empty))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("emptyState")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        noun = noun_of(spec.cls)
        self.add_button = QPushButton(self.tr("&Add {noun}…").format(noun=noun))
        self.add_button.setToolTip(self.tr("Add a {noun} (Insert)").format(noun=noun))
        self.add_button.clicked.connect(self.add_record)
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.edit_button.setToolTip(
            self.tr("Edit the selected {noun} (Enter or F2)").format(noun=noun)
        )
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(self.tr("&Delete"))
        self.delete_button.setToolTip(
            self.tr("Delete the selected {noun} (Delete)").format(noun=noun)
        )
        self.delete_button.clicked.connect(self.delete_selected)
        self.history_button = QPushButton(self.tr("Histor&y…"))
        self.history_button.setToolTip(
            self.tr("Who changed the selected {noun}, what and when").format(noun=noun)
        )
        self.history_button.clicked.connect(self.show_history)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(8)
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.edit_button)
        self.buttons.addWidget(self.delete_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.history_button)

        for text, keys, slot in (
            (self.tr("Add a record"), [QKeySequence(Qt.Key.Key_Insert)], self.add_record),
            (
                self.tr("Edit the selected record"),
                [QKeySequence(Qt.Key.Key_F2), QKeySequence(Qt.Key.Key_Return)],
                self.edit_selected,
            ),
            (
                self.tr("Delete the selected record"),
                [QKeySequence(QKeySequence.StandardKey.Delete)],
                self.delete_selected,
            ),
        ):
            action = QAction(text, self)
            # Where Help ▸ Keyboard Shortcuts says the key works (one line for every tab).
            action.setProperty("helpPlace", self.tr("Account tab lists"))
            action.setShortcuts(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.table.addAction(action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(self.buttons)
        layout.addWidget(self.stack, 1)
        self._update_buttons()

    # ---- showing ---------------------------------------------------------------------------

    def show_account(self, account_id: str, lookups: AccountLookups) -> None:
        """Show the account's records, keeping the selected one selected."""
        keep = self.selected_id()
        if account_id != self.account_id:
            self._sized = False  # another account's texts: fit the columns to them again
        self.account_id = account_id
        self.lookups = lookups
        repo = self.editor.store.repo(_table(self.spec.cls))
        self.model.set_records(
            repo.for_account(account_id), dataclasses.replace(lookups, today=self._today())
        )
        self.stack.setCurrentWidget(self.table if self.model.rowCount() else self.empty)
        if self.model.rowCount():
            # First fit to the texts; after that only widen for a longer new text (an edit,
            # a commitment now overdue), never narrowing a column the person has set.
            self._fit_columns(grow_only=self._sized)
        if keep:
            self.select(keep)
        self._update_buttons()

    def _fit_columns(self, *, grow_only: bool = False) -> None:
        """Size columns to their contents (capped); with ``grow_only`` only widen them."""
        header = self.table.horizontalHeader()
        if self._widths.natural:
            grow_only = False  # the widths are still the tab's own: fit them again
        natural: dict[int, int] = {}
        stretch_wanted = 0
        for column in range(self.model.columnCount()):
            # What the view and the header themselves need (the header's own font, margins
            # and sort arrow included), so neither a heading nor a value is cut.
            wanted = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
            if column == self.spec.stretch:
                stretch_wanted = wanted + 8
            else:
                natural[column] = min(max(wanted + 8, 70), self.MAX_COLUMN)
        if grow_only:
            self._widths.apply({c: w for c, w in natural.items() if w > header.sectionSize(c)})
        else:
            self._widths.fit(natural, stretch_wanted)
        self._sized = True

    def select(self, record_id: str) -> bool:
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.selectRow(index.row())
        return True

    def selected_record(self) -> Record | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.record(self.proxy.mapToSource(index).row())

    def selected_id(self) -> str:
        record = self.selected_record()
        return record.id if record else ""

    # ---- editing ---------------------------------------------------------------------------

    def new_record(self) -> Record:
        today = self._today()
        values = {name: make(today) for name, make in self.spec.defaults.items()}
        return self.spec.cls(account_id=self.account_id or "", **values)  # type: ignore[call-arg]

    def make_form(self) -> RecordForm:
        form = RecordForm(
            self.spec.cls, choices=self.lookups.choices(), currency=self.lookups.currency
        )
        if self.spec.cls is m.Contract:
            from ...dialogs.contract_deadlines import attach_deadline_preview

            attach_deadline_preview(form, self._today())
        return form

    def add_record(self) -> Record | None:
        if not self.account_id or self.editor.store.read_only:
            return None
        form = self.make_form()
        form.set_record(self.new_record())
        noun = noun_of(self.spec.cls)
        dialog = RecordDialog(
            self.tr("New {noun}").format(noun=noun),
            form,
            self.editor.add,
            self,
            confirm=self._confirm_record,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.select(dialog.saved.id)
            return dialog.saved
        return None

    def _confirm_record(self, record: Record) -> bool:
        """Before saving: a second person with a name already on the list is asked about
        (namesakes exist, so it is allowed on purpose; accounts and references are refused)."""
        if not isinstance(record, m.Stakeholder):
            return True
        same = self.editor.store.stakeholders.same_name(record)
        if not same:
            return True
        first = same[0]
        details = ", ".join(
            bit
            for bit in (
                first.title,
                first.email,
                self.tr("left {date}").format(date=show_date(first.left_on))
                if first.left_on
                else "",
            )
            if bit
        )
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Same name"))
        box.setText(
            self.tr("“{name}”{details} is already on this account's people list.").format(
                name=first.name, details=f" ({details})" if details else ""
            )
        )
        box.setInformativeText(
            self.tr(
                "Add a second person with the same name? Choose this only for a different "
                "person; to change the one listed, cancel and edit it instead."
            )
        )
        add = box.addButton(self.tr("&Add Second Person"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.exec()
        return box.clickedButton() is add

    def edit_selected(self) -> Record | None:
        record = self.selected_record()
        if record is None or self.editor.store.read_only:  # a double-click on a read-only file
            return None
        form = self.make_form()
        form.set_record(record)
        title = self.tr("Edit {noun}").format(noun=noun_of(record))
        old_name = getattr(record, "name", None)
        dialog = RecordDialog(
            title,
            form,
            self.editor.update,
            self,
            # Asked only when the name changed: namesakes kept on purpose are not asked again.
            confirm=lambda r: getattr(r, "name", None) == old_name or self._confirm_record(r),
        )
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.select(dialog.saved.id)
            return dialog.saved
        return None

    def delete_selected(self) -> bool:
        record = self.selected_record()
        if record is None or self.editor.store.read_only:
            return False
        noun = noun_of(record)
        extra = ""
        if isinstance(record, m.Contract):
            extra = self.tr(" Its campaign milestones go with it.")
        answer = QMessageBox.question(
            self,
            self.tr("Delete {noun}").format(noun=noun),
            self.tr("Delete the {noun} “{what}”?{extra} You can undo this with Ctrl+Z.").format(
                noun=noun, what=describe(record), extra=extra
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.editor.delete(record)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The {noun} was not deleted.").format(noun=noun), exc)
            return False
        return True

    def show_history(self) -> QDialog | None:
        """Open the History panel of the selected record."""
        record = self.selected_record()
        if record is None:
            return None
        from ...dialogs.history_dialog import HistoryDialog

        title = self.tr("History of {noun} {what}").format(
            noun=noun_of(record), what=describe(record)
        )
        dialog = HistoryDialog(self.editor.store, title, record_id=record.id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def add_confirm_button(
        self, text: str, tip: str, *, who_field: str, when_field: str, question: str
    ) -> QPushButton:
        """A button beside Edit that records who at the customer confirmed the selected
        record, and when (see :func:`confirm_record`)."""
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(
            lambda: confirm_record(
                self, who_field=who_field, when_field=when_field, question=question
            )
        )
        self.buttons.insertWidget(3, button)
        return button

    def _current_changed(self, *_: Any) -> None:
        self._update_buttons()
        self.selected.emit(self.selected_id())

    def _update_buttons(self) -> None:
        has = self.selected_record() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.history_button.setEnabled(has)
        self.add_button.setEnabled(bool(self.account_id))


def _table(cls: type[Record]) -> str:
    from ...editing import table_of

    return table_of(cls)


class ConfirmDialog(QDialog):
    """Who confirmed (or validated) something and when: a stakeholder and a date."""

    def __init__(
        self,
        title: str,
        question: str,
        people: dict[str, str],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.who = QComboBox()
        self.who.setAccessibleName(self.tr("Stakeholder"))
        self.who.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for key, name in people.items():
            self.who.addItem(name, key)
        self.when = QLineEdit(today.isoformat())
        self.when.setAccessibleName(self.tr("Date"))
        self.error = QLabel()
        set_tone(self.error, "error")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("Who:"), self.who)
        form.addRow(self.tr("When:"), self.when)
        form.addRow("", self.error)
        intro = QLabel(question)
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(bool(people))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if not people:
            none = QLabel(self.tr("Add the stakeholder on the People tab first."))
            set_tone(none, "error")
            layout.addWidget(none)
        layout.addLayout(form)
        layout.addWidget(buttons)
        # Wide enough for its title in the title bar (beside the window buttons) and for a
        # date error on two or three lines rather than a dozen.
        metrics = self.fontMetrics()
        self.setMinimumWidth(
            max(metrics.horizontalAdvance("M") * 38, metrics.horizontalAdvance(title) + 160)
        )
        self.result_value: tuple[str, date] | None = None

    def accept(self) -> None:
        try:
            day = parse_date(self.when.text())
        except ValueError as exc:
            self.error.setText(f"⚠ {exc}")
            self.error.show()
            self._fit_height()
            self.when.setFocus()
            return
        self.result_value = (self.who.currentData(), day)
        super().accept()

    def _fit_height(self) -> None:
        """Grow to show the whole error: a dialog that is already open does not grow itself."""
        layout = self.layout()
        layout.activate()
        wanted = layout.heightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        height = max(wanted, layout.sizeHint().height())
        if height > self.height():
            self.resize(self.width(), height)


def confirm_record(tab: RecordsTab, *, who_field: str, when_field: str, question: str) -> bool:
    """Ask who confirmed the selected record and when, then save it (undoable)."""
    record = tab.selected_record()
    if record is None:
        return False
    people = tab.lookups.current_people() or dict(tab.lookups.stakeholders)
    dialog = ConfirmDialog(
        tab.tr("Confirm"),
        question,
        people,
        tab._today(),
        tab,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_value is None:
        return False
    who, when = dialog.result_value
    try:
        tab.editor.update(dataclasses.replace(record, **{who_field: who, when_field: when}))
    except RenewalCoachError as exc:
        show_expected_error(tab, tab.tr("The change was not saved."), exc)
        return False
    return True


class _MnemonicCheckBox(QCheckBox):
    """A check box whose Alt+letter ticks it at once.

    A button's own mnemonic clicks it 100 ms later (the animated click), so Alt+V then a quick
    Enter would save the dialog before the tick landed.
    """

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Shortcut and self.isEnabled():
            self.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.toggle()
            return True
        return super().event(event)


class QuickInteractionDialog(QDialog):
    """Log a contact in a few keystrokes: purpose (required), Alt+V when it was of value to
    the customer, then Enter.

    Type, date (today), who started it and the people involved have sensible defaults. Value
    is asked every time, unticked to start with: a contact is of value only when someone says
    so, and contacts without value count towards the Noise flag.
    """

    def __init__(
        self,
        editor: Editor,
        account_id: str,
        lookups: AccountLookups,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Log an interaction"))
        self.editor = editor
        self.account_id = account_id
        self.saved: m.Interaction | None = None
        self.purpose = QLineEdit()
        self.purpose.setPlaceholderText(self.tr("Why did we talk? e.g. agree the Q3 review agenda"))
        self.purpose.setAccessibleName(self.tr("Purpose"))
        self.purpose.setMaxLength(500)
        self.type = QComboBox()
        self.type.setAccessibleName(self.tr("Type"))
        for member in InteractionType:
            self.type.addItem(self.tr(member.label), member)
        self.type.setCurrentIndex(self.type.findData(InteractionType.CALL))
        self.when = QLineEdit(today.isoformat())
        self.when.setAccessibleName(self.tr("Date"))
        self.initiated = QComboBox()
        self.initiated.setAccessibleName(self.tr("Initiated by"))
        for member in Party:
            self.initiated.addItem(self.tr(member.label), member)
        self.who = QComboBox()
        self.who.setAccessibleName(self.tr("Who was it with"))
        self.who.addItem(self.tr("(nobody in particular)"), "")
        for key, name in lookups.current_people().items():
            self.who.addItem(name, key)
        self.value = _MnemonicCheckBox(self.tr("Of &value to the customer"))
        self.value.setToolTip(
            self.tr(
                "Tick when the customer got something useful from this contact: an answer, an "
                "idea, a fix. Contacts without value count as noise."
            )
        )
        self.error = QLabel()
        set_tone(self.error, "error")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("&Purpose *:"), self.purpose)
        form.addRow("", self.value)
        form.addRow(self.tr("&Type:"), self.type)
        form.addRow(self.tr("&Date:"), self.when)
        form.addRow(self.tr("&Initiated by:"), self.initiated)
        form.addRow(self.tr("&With:"), self.who)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())
        self.purpose.setFocus()

    def accept(self) -> None:
        who = self.who.currentData()
        record = m.Interaction(
            account_id=self.account_id,
            occurred_on=self.when.text(),  # type: ignore[arg-type]
            type=self.type.currentData(),
            initiated_by=self.initiated.currentData(),
            customer_asked=self.initiated.currentData() == Party.CUSTOMER,
            purpose=self.purpose.text(),
            brought_value=self.value.isChecked(),
            stakeholder_ids=[who] if who else [],
        )
        try:
            self.saved = self.editor.add(record)  # type: ignore[assignment]
        except ValidationError as exc:
            self.error.setText("⚠ " + " ".join(p.message for p in exc.problems))
            self.error.show()
            field_widget = {"occurred_on": self.when, "purpose": self.purpose}.get(exc.field)
            if field_widget is not None:
                field_widget.setFocus()
            return
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The interaction was not saved."), exc)
            return
        super().accept()
