"""File ▸ Import…: bring a CRM or spreadsheet export into the open portfolio.

Four steps: choose the file (and what it holds), check how its columns and values are read with
the first rows shown as they would be imported, see exactly what would happen (a dry run that
writes nothing), then import. The import is one transaction and one step on the undo stack.
Reading and writing run in short slices between events, so the window never freezes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ...core.errors import RenewalCoachError
from ...fileio import FileWriteError
from ...storage.repository import Store
from ...tables.importer import (
    DateOrderNeeded,
    ImportPlan,
    ImportResult,
    Planner,
    Prepared,
    apply_steps,
    prepare,
    preview,
)
from ...tables.mapping import (
    KINDS,
    Mapping,
    MappingError,
    field_named,
    load_mapping,
    save_mapping,
    saved_mappings,
    user_mapping_dir,
)
from ...tables.values import text_of
from ..editing import Editor
from ..stepper import Stepper
from ..text import plural
from .models import ChoiceDelegate, ColumnMapModel, OutcomeModel, PreviewModel, ValuesModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


KIND_LABELS = {
    "accounts": "Accounts",
    "contracts": "Contracts",
    "stakeholders": "People (stakeholders)",
    "interactions": "Interactions",
}
FILE_FILTER = "Tables (*.csv *.txt *.tsv *.xlsx);;All files (*)"


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setObjectName("importError")
    label.setVisible(False)
    return label


def _show_error(label: QLabel, text: str) -> None:
    label.setText(f"⚠ {text}" if text else "")
    label.setVisible(bool(text))


def _table(model: Any, *, stretch_last: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class FilePage(QWizardPage):
    """Step 1: which file, what it holds, and (optionally) a saved mapping."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_tr("Choose a file to import"))
        self.setSubTitle(
            _tr(
                "A CSV or Excel (.xlsx) export from your CRM or a spreadsheet. Import accounts "
                "first, then their contracts and people, then interactions: every row names an "
                "account that must already be in the portfolio."
            )
        )
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(_tr("Path of a .csv or .xlsx file"))
        self.path_edit.setAccessibleName(_tr("File to import"))
        self.path_edit.textChanged.connect(self.completeChanged)
        browse = QPushButton(_tr("&Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(_tr("Work it out from the column names"), "")
        for kind in KINDS:
            self.kind_combo.addItem(_tr(KIND_LABELS[kind]), kind)
        self.kind_combo.setAccessibleName(_tr("What the file holds"))
        self.mapping_combo = QComboBox()
        self.mapping_combo.setAccessibleName(_tr("Column mapping"))
        self._fill_mappings()
        self.error = _error_label()
        file_label = QLabel(_tr("&File:"))
        file_label.setBuddy(self.path_edit)
        form = QFormLayout()
        form.addRow(file_label, row)
        form.addRow(_tr("It &holds:"), self.kind_combo)
        form.addRow(_tr("&Columns:"), self.mapping_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.setFocusProxy(self.path_edit)

    def _fill_mappings(self) -> None:
        self.mapping_combo.clear()
        self.mapping_combo.addItem(_tr("Recognise them from their names"), "")
        for path in saved_mappings():
            self.mapping_combo.addItem(
                _tr("Saved mapping: {name}").format(name=path.stem), str(path)
            )
        self.mapping_combo.addItem(_tr("From a mapping file…"), "?")
        self.mapping_combo.activated.connect(self._mapping_chosen)

    @Slot(int)
    def _mapping_chosen(self, index: int) -> None:
        if self.mapping_combo.itemData(index) != "?":
            return
        path, _ = QFileDialog.getOpenFileName(
            self, _tr("Choose a mapping file"), str(user_mapping_dir()), "JSON (*.json)"
        )
        if not path:
            self.mapping_combo.setCurrentIndex(0)
            return
        self.mapping_combo.insertItem(index, Path(path).name, path)
        self.mapping_combo.setCurrentIndex(index)

    @Slot()
    def _browse(self) -> None:
        start = self.path_edit.text().strip() or str(self._wizard.start_dir)
        path, _ = QFileDialog.getOpenFileName(self, _tr("Import a file"), start, FILE_FILTER)
        if path:
            self.path_edit.setText(path)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        path = Path(self.path_edit.text().strip()).expanduser()
        kind = self.kind_combo.currentData() or None
        mapping_path = self.mapping_combo.currentData()
        try:
            mapping = load_mapping(mapping_path) if mapping_path not in ("", "?") else None
            if mapping is not None and kind is not None and mapping.kind != kind:
                mapping = None  # the kind chosen here wins; the mapping is for another kind
            self._wizard.prepared = prepare(path, kind=kind, mapping=mapping)
        except RenewalCoachError as exc:
            _show_error(self.error, str(exc))
            return False
        _show_error(self.error, "")
        self._wizard.start_dir = path.parent
        return True


class ColumnsPage(QWizardPage):
    """Step 2: which column feeds which field, how values translate, and the first rows as they
    will be read."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_tr("Check how the file is read"))
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.columns_view = _table(None)
        self.columns_view.setItemDelegateForColumn(ColumnMapModel.FIELD, ChoiceDelegate(self))
        self.columns_view.setAccessibleName(_tr("Columns of the file"))
        self.preview_model = PreviewModel()
        self.preview_view = _table(self.preview_model, stretch_last=False)
        self.preview_view.setAccessibleName(_tr("First rows as they will be read"))
        self.values_model = ValuesModel()
        self.values_view = _table(self.values_model)
        self.values_view.setItemDelegateForColumn(ValuesModel.BECOMES, ChoiceDelegate(self))
        self.values_view.setAccessibleName(_tr("Values and what they become"))
        self.values_model.dataChanged.connect(self._refresh)
        self.date_combo = QComboBox()
        for text, value in (
            (_tr("Decide from the file"), ""),
            (_tr("Day first (31/03/2027)"), "dmy"),
            (_tr("Month first (03/31/2027)"), "mdy"),
            (_tr("Year first (2027/03/31)"), "ymd"),
        ):
            self.date_combo.addItem(text, value)
        self.date_combo.setAccessibleName(_tr("Date order"))
        self.date_combo.currentIndexChanged.connect(self._refresh)
        self.decimal_combo = QComboBox()
        for text, value in (
            (_tr("Decide from the file"), ""),
            (_tr("Point: 1,250.50"), "."),
            (_tr("Comma: 1.250,50"), ","),
        ):
            self.decimal_combo.addItem(text, value)
        self.decimal_combo.setAccessibleName(_tr("Decimal mark"))
        self.decimal_combo.currentIndexChanged.connect(self._refresh)
        save = QPushButton(_tr("&Save Mapping…"))
        save.setToolTip(_tr("Keep these choices to use again for the next export of this kind"))
        save.clicked.connect(self._save_mapping)
        options = QHBoxLayout()
        options.addWidget(QLabel(_tr("Dates:")))
        options.addWidget(self.date_combo)
        options.addSpacing(12)
        options.addWidget(QLabel(_tr("Decimal mark:")))
        options.addWidget(self.decimal_combo)
        options.addStretch(1)
        options.addWidget(save)
        self.error = _error_label()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(_tr("Columns")))
        left_layout.addWidget(self.columns_view, 3)
        self.values_title = QLabel(_tr("Values of choice columns"))
        left_layout.addWidget(self.values_title)
        left_layout.addWidget(self.values_view, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.preview_title = QLabel(_tr("The first rows, as they will be imported"))
        right_layout.addWidget(self.preview_title)
        right_layout.addWidget(self.preview_view)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.notes)
        layout.addWidget(split, 1)
        layout.addLayout(options)
        layout.addWidget(self.error)
        self.column_model: ColumnMapModel | None = None
        self._preview = None
        self._blocked = ""

    def initializePage(self) -> None:
        prepared = self._wizard.prepared
        assert prepared is not None
        source = prepared.source
        self.setSubTitle(
            _tr("{name}: {how}. Read as {kind}.").format(
                name=source.path.name,
                how=source.describe(),
                kind=_tr(KIND_LABELS[prepared.kind]).lower(),
            )
        )
        self.about.setText(
            _tr(
                "Choose what each column becomes; columns left out are not imported. Cells "
                "marked ⚠ cannot be read as they are: hover over one to see why. Rows with such "
                "cells are reported, not imported; the other rows still are."
            )
        )
        self.notes.setText("\n".join(f"• {w}" for w in source.warnings))
        self.notes.setVisible(bool(source.warnings))
        self.column_model = ColumnMapModel(prepared.kind, source.headers, prepared.columns)
        for _number, cells in source.rows(limit=20):
            for header, cell in zip(source.headers, cells, strict=False):
                if header not in self.column_model.samples and text_of(cell):
                    self.column_model.samples[header] = text_of(cell)[:80]
        self.columns_view.setModel(self.column_model)
        self.column_model.dataChanged.connect(self._refresh)
        for row in range(self.column_model.rowCount()):
            self.columns_view.openPersistentEditor(
                self.column_model.index(row, ColumnMapModel.FIELD)
            )
        header = self.columns_view.horizontalHeader()
        header.setSectionResizeMode(ColumnMapModel.HEADER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ColumnMapModel.FIELD, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(60)
        self.values_model.user = {k: dict(v) for k, v in prepared.mapping.values.items()}
        self._set_combo(self.date_combo, prepared.mapping.date_order or "")
        self._set_combo(self.decimal_combo, prepared.mapping.decimal or "")
        self._refresh()

    @staticmethod
    def _set_combo(combo: QComboBox, value: str) -> None:
        combo.blockSignals(True)
        combo.setCurrentIndex(max(combo.findData(value), 0))
        combo.blockSignals(False)

    def mapping(self) -> Mapping:
        """The choices on this page as a mapping."""
        prepared = self._wizard.prepared
        assert prepared is not None and self.column_model is not None
        return Mapping(
            kind=prepared.kind,
            columns=self.column_model.mapped(),
            values={k: dict(v) for k, v in self.values_model.user.items() if v},
            date_order=self.date_combo.currentData() or None,
            decimal=self.decimal_combo.currentData() or None,
        )

    @Slot()
    def _refresh(self) -> None:
        prepared = self._wizard.prepared
        if prepared is None or self.column_model is None:
            return
        try:
            mapping = self.mapping()
        except MappingError as exc:
            self._blocked = str(exc)
            _show_error(self.error, str(exc))
            self.completeChanged.emit()
            return
        columns = mapping.resolved_columns(prepared.source.headers)
        updated = Prepared(prepared.source, prepared.kind, mapping, columns, False)
        self._wizard.prepared = updated
        try:
            shown = preview(updated)
        except RenewalCoachError as exc:
            self._blocked = str(exc)
            _show_error(self.error, str(exc))
            self.completeChanged.emit()
            return
        self._preview = shown
        self.preview_model.set_preview(shown)
        self.preview_view.resizeColumnsToContents()
        for column in range(self.preview_model.columnCount()):
            if self.preview_view.columnWidth(column) > 260:
                self.preview_view.setColumnWidth(column, 260)
        choice_fields = {name: field_named(prepared.kind, name) for name in shown.values}

        def resolve(name: str, text: str) -> str:
            field = choice_fields[name]
            mapped = Mapping(kind=prepared.kind).value_for(name, text)
            candidate = mapped if mapped is not None else text
            if field.type == "bool":
                from ...tables.values import parse_bool

                try:
                    return "yes" if parse_bool(candidate) else "no"
                except ValueError:
                    return ""
            assert field.enum is not None
            try:
                return field.enum.parse(candidate).value
            except ValueError:
                return ""

        self.values_model.blockSignals(True)
        self.values_model.set_values(choice_fields, shown.values, resolve)
        self.values_model.blockSignals(False)
        self.values_model.layoutChanged.emit()
        for row in range(self.values_model.rowCount()):
            self.values_view.openPersistentEditor(self.values_model.index(row, ValuesModel.BECOMES))
        values_header = self.values_view.horizontalHeader()
        for column in (ValuesModel.FIELD, ValuesModel.TEXT):
            values_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        has_values = self.values_model.rowCount() > 0
        self.values_view.setVisible(has_values)
        self.values_title.setVisible(has_values)
        problems = self.preview_model.problems()
        order = {"dmy": _tr("day first"), "mdy": _tr("month first"), "ymd": _tr("year first")}
        dates = order.get(shown.date_order or "", "")
        self.preview_title.setText(
            plural(
                len(shown.rows),
                _tr("The first row, as it will be imported"),
                _tr("The first {n} rows, as they will be imported"),
            )
            + (_tr(" · dates read {how}").format(how=dates) if dates else "")
            + (
                " · "
                + plural(problems, _tr("{n} cell cannot be read"), _tr("{n} cells cannot be read"))
                if problems
                else ""
            )
        )
        message = ""
        if not any(columns.values()):
            message = _tr("No column is imported: choose what at least one column becomes.")
        elif prepared.kind != "accounts" and "account" not in columns.values():
            message = _tr("Choose the column that names each row's account.")
        elif shown.needs_date_order:
            message = _tr(
                "The dates could be day/month or month/day, and the file does not tell which. "
                "Choose the date order below."
            )
        self._blocked = message
        _show_error(self.error, message)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self._blocked

    @Slot()
    def _save_mapping(self) -> None:
        folder = user_mapping_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            folder = self._wizard.start_dir
        path, _ = QFileDialog.getSaveFileName(
            self, _tr("Save the mapping"), str(folder / "mapping.json"), "JSON (*.json)"
        )
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".json":
            target = target.with_name(target.name + ".json")
        try:
            save_mapping(self.mapping(), target)
        except (FileWriteError, MappingError) as exc:
            _show_error(self.error, str(exc))
            return
        self._wizard.say(_tr("Mapping saved as {path}").format(path=target))


class CheckPage(QWizardPage):
    """Step 3: what the import would do, row by row. Nothing is written until Import."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_tr("What the import will do"))
        self.setSubTitle(_tr("Nothing has been written yet. Check the outcome, then Import."))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.outcomes = OutcomeModel()
        self.view = _table(self.outcomes)
        self.view.setAccessibleName(_tr("Outcome of each row"))
        self.save_rejected = QPushButton(_tr("Save &Rejected Rows…"))
        self.save_rejected.setToolTip(
            _tr("Write the rejected rows with their reason to a CSV file to fix and import again")
        )
        self.save_rejected.clicked.connect(self._save_rejected)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.save_rejected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        self.stepper = Stepper(self)
        self.stepper.progress.connect(self._progress)
        self.stepper.finished.connect(self._planned)
        self.stepper.failed.connect(self._failed)
        self._planner: Planner | None = None

    def initializePage(self) -> None:
        prepared = self._wizard.prepared
        assert prepared is not None
        self._wizard.plan = None
        self.outcomes.set_outcomes([])
        self.save_rejected.setEnabled(False)
        self.progress.setVisible(True)
        self.status.setText(_tr("Reading the file…"))
        self._planner = Planner(self._wizard.store, prepared, today=self._wizard.today())
        self.stepper.start(self._planner.steps())
        self.completeChanged.emit()

    def cleanupPage(self) -> None:
        self.stepper.cancel()
        self._wizard.plan = None

    @Slot(object)
    def _progress(self, rows: object) -> None:
        self.status.setText(
            _tr("Reading the file… {rows}").format(
                rows=plural(int(rows), _tr("{n} row"), _tr("{n} rows"))
            )
        )

    @Slot(object)
    def _planned(self, _result: object = None) -> None:
        assert self._planner is not None
        plan = self._planner.plan
        assert plan is not None
        self._wizard.plan = plan
        self.progress.setVisible(False)
        self.outcomes.set_outcomes(plan.outcomes)
        self.view.resizeColumnsToContents()
        for column in range(OutcomeModel.REASON):
            if self.view.columnWidth(column) > 280:
                self.view.setColumnWidth(column, 280)
        self.status.setText(summary_text(plan))
        self.save_rejected.setEnabled(bool(plan.rejected))
        self.completeChanged.emit()

    @Slot(object)
    def _failed(self, error: object) -> None:
        self.progress.setVisible(False)
        if isinstance(error, DateOrderNeeded):
            self.status.setText(
                _tr("⚠ {why} Go Back and choose the date order (day first or month first).").format(
                    why=error
                )
            )
        else:
            self.status.setText(f"⚠ {error}")

    def isComplete(self) -> bool:
        return self._wizard.plan is not None and not self._wizard.applying

    @Slot()
    def _save_rejected(self) -> None:
        plan = self._wizard.plan
        if plan is None:
            return
        source = plan.prepared.source.path
        suggested = source.with_name(source.stem + "-rejected.csv")
        path, _ = QFileDialog.getSaveFileName(
            self, _tr("Save the rejected rows"), str(suggested), "CSV (*.csv)"
        )
        if not path:
            return
        try:
            count = plan.write_errors(path)
        except FileWriteError as exc:
            self.status.setText(f"⚠ {exc}")
            return
        self._wizard.say(
            plural(
                count,
                _tr("{n} rejected row saved to {path}"),
                _tr("{n} rejected rows saved to {path}"),
            ).format(path=path)
        )


def summary_text(plan: ImportPlan) -> str:
    """One sentence on what an import will do."""
    c = plan.counts
    kind = _tr(KIND_LABELS[plan.kind]).lower()
    text = _tr(
        "{rows} rows of {kind}: {created} to create, {updated} to update, {unchanged} already "
        "as in the file, {rejected} rejected."
    ).format(
        rows=f"{plan.rows:,}",
        kind=kind,
        created=f"{c['created']:,}",
        updated=f"{c['updated']:,}",
        unchanged=f"{c['unchanged']:,}",
        rejected=f"{c['rejected']:,}",
    )
    if c["rejected"]:
        text += " " + _tr("Rejected rows are not imported; the others are.")
    for note in plan.notes:
        text += "\n• " + note
    return text


class ImportWizard(QWizard):
    """The import, from file to undoable result. ``result`` holds what was written."""

    def __init__(
        self,
        store: Store,
        editor: Editor,
        parent: QWidget | None = None,
        *,
        start_dir: Path | None = None,
        today: Callable[[], date] = date.today,
        say: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Import"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, _tr("&Import"))
        self.store = store
        self.editor = editor
        self.today = today
        self.start_dir = start_dir or Path.home()
        self._say = say
        self.prepared: Prepared | None = None
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self.applying = False
        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.check_page = CheckPage(self)
        for page in (self.file_page, self.columns_page, self.check_page):
            self.addPage(page)
        self._writer = Stepper(self)
        self._writer.progress.connect(self._written)
        self._writer.finished.connect(self._applied)
        self._writer.failed.connect(self._apply_failed)
        self.resize(1000, 640)

    def say(self, text: str) -> None:
        """A passing message (the main window's status bar)."""
        if self._say is not None:
            self._say(text)

    def accept(self) -> None:
        """Import: write the plan in slices, then put the whole import on the undo stack."""
        plan = self.plan
        if plan is None or self.applying:
            return
        if not plan.writes:
            self.say(_tr("Nothing to import: every row is already in the portfolio or rejected."))
            super().accept()
            return
        self.applying = True
        self.check_page.completeChanged.emit()
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.check_page.progress.setRange(0, len(plan.writes))
        self.check_page.progress.setValue(0)
        self.check_page.progress.setVisible(True)
        self.check_page.status.setText(_tr("Importing…"))
        self.result = ImportResult(plan)
        self._writer.start(apply_steps(self.store, plan, self.result))

    def reject(self) -> None:
        if self.applying:
            # Stopping mid-write rolls the whole import back: nothing half-imported.
            self._writer.cancel()
            self.applying = False
            self.result = None
            self.say(_tr("Import cancelled: nothing was written."))
        self.check_page.stepper.cancel()
        super().reject()

    def wait(self) -> None:
        """Finish reading or writing now (tests)."""
        self.check_page.stepper.wait()
        self._writer.wait()

    @Slot(object)
    def _written(self, count: object) -> None:
        self.check_page.progress.setValue(int(count))

    @Slot(object)
    def _applied(self, _result: object = None) -> None:
        self.applying = False
        assert self.result is not None and self.plan is not None
        name = self.plan.prepared.source.path.name
        self.editor.record_import(self.result, name)
        c = self.plan.counts
        self.say(
            _tr(
                "Imported {name}: {created} created, {updated} updated, {rejected} rejected. "
                "Undo (Ctrl+Z) takes the whole import back."
            ).format(
                name=name,
                created=f"{c['created']:,}",
                updated=f"{c['updated']:,}",
                rejected=f"{c['rejected']:,}",
            )
        )
        super().accept()

    @Slot(object)
    def _apply_failed(self, error: object) -> None:
        self.applying = False
        self.result = None
        self.check_page.progress.setVisible(False)
        self.check_page.status.setText(
            _tr("⚠ The import stopped and nothing was written: {why}").format(why=error)
        )
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        self.check_page.completeChanged.emit()
