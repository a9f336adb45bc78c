"""A form for any entity, built from the rules its fields declare, with inline validation.

Each field gets the widget its kind calls for (text, multi-line text, date, money, number,
yes/no, a choice of values or of related records) and, under it, a line for the core's message
when the value is wrong. Messages appear as soon as a field has been left with a bad value, and
for every field when the person tries to save. Nothing is written here: the dialog hands the
record to a save callback and shows whatever the core refuses next to the field it concerns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import FieldProblem, RenewalCoachError, ValidationError
from ...core.money import CURRENCIES, DEFAULT_CURRENCY, parse_money, to_decimal
from ...core.records import FieldInfo, Record, fields_of, show_value, validated
from ..errors import show_expected_error
from ..text import show_date
from ..theme import set_tone

#: Choices for reference fields: (id, label) pairs, keyed by field name.
Choices = dict[str, Sequence[tuple[str, str]]]

_HIDDEN = {"account_id", "plan_id", "session_id"}


def _money_text(minor: int | None, currency: str) -> str:
    if minor is None:
        return ""
    return f"{to_decimal(minor, currency):,f}"


class FieldEditor(QWidget):
    """One field: its input widget and, beneath, the message when the value is wrong."""

    edited = Signal(str)  # field name, after the person changed it

    def __init__(self, info: FieldInfo, choices: Sequence[tuple[str, str]], currency: str) -> None:
        super().__init__()
        self.info = info
        self.currency = currency
        self.touched = False
        self._order: list[str] = []
        kind = info.kind
        self.widget: QWidget
        if kind == "text":
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(60)
            edit.setMaximumHeight(110)
            edit.textChanged.connect(self._changed)
            self.widget = edit
        elif kind == "bool":
            box = QCheckBox()
            box.toggled.connect(self._changed)
            self.widget = box
        elif kind == "enum":
            combo = QComboBox()
            if info.optional:
                combo.addItem(self.tr("(not set)"), None)
            assert info.enum is not None
            for member in info.enum:
                combo.addItem(self.tr(member.label), member)  # type: ignore[attr-defined]
            combo.currentIndexChanged.connect(self._changed)
            self.widget = combo
        elif kind == "id":
            combo = QComboBox()
            combo.addItem(self.tr("(none)"), "")
            for key, label in choices:
                combo.addItem(label, key)
            combo.currentIndexChanged.connect(self._changed)
            self.widget = combo
        elif kind == "idlist":
            items = QListWidget()
            for key, label in choices:
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, key)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                items.addItem(item)
            items.setMaximumHeight(min(140, 24 * max(len(choices), 2) + 8))
            items.itemChanged.connect(self._changed)
            self.widget = items
        else:
            edit = QLineEdit()
            # Qt counts UTF-16 units (an emoji is two); the core checks the real length.
            edit.setMaxLength(2 * max(int(info.meta.get("max_len") or 200), 40))
            if kind == "date":
                edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
            elif kind == "money":
                edit.setPlaceholderText(
                    self.tr("amount in {currency}, e.g. 250000 or 250k").format(currency=currency)
                )
            elif kind in ("int", "decimal"):
                edit.setPlaceholderText(self.tr("a number"))
            edit.textEdited.connect(self._changed)
            edit.editingFinished.connect(self._left)
            self.widget = edit
        self.widget.setAccessibleName(self.tr(info.label))
        self.widget.setObjectName(f"field_{info.name}")
        self.error = QLabel()
        self.error.setObjectName(f"error_{info.name}")
        self.error.setWordWrap(True)
        set_tone(self.error, "error")
        self.error.setAccessibleName(self.tr("Problem with {field}").format(field=info.label))
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.widget)
        layout.addWidget(self.error)
        self.setFocusProxy(self.widget)

    # ---- values ----------------------------------------------------------------------------

    def set_value(self, value: Any) -> None:
        kind = self.info.kind
        w = self.widget
        if isinstance(w, QPlainTextEdit):
            w.setPlainText(value or "")
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            target = value if kind == "enum" else (value or "")
            index = next((i for i in range(w.count()) if w.itemData(i) == target), 0)
            w.setCurrentIndex(index)
        elif isinstance(w, QListWidget):
            self._order = list(value or ())
            wanted = set(value or ())
            for i in range(w.count()):
                item = w.item(i)
                checked = item.data(Qt.ItemDataRole.UserRole) in wanted
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        elif isinstance(w, QLineEdit):
            if value is None:
                text = ""
            elif kind == "money":
                text = _money_text(value, self.currency)
            elif kind == "date" and isinstance(value, date):
                text = value.isoformat()
            elif isinstance(value, Decimal):
                text = f"{value:f}"
            else:
                text = str(value)
            w.setText(text)
        self.touched = False
        self.show_problem(None)

    def raw_value(self) -> Any:
        """The value as typed, for the core to coerce. Money is parsed here, in the account's
        currency (the core would assume its default); a bad amount raises ValueError."""
        w = self.widget
        if isinstance(w, QPlainTextEdit):
            # toPlainText() would turn no-break spaces into plain ones.
            return w.document().toRawText().replace("\u2029", "\n")
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QListWidget):
            checked = [
                w.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(w.count())
                if w.item(i).checkState() == Qt.CheckState.Checked
            ]
            # Keep the stored order; newly ticked people follow.
            kept = [i for i in self._order if i in checked]
            return kept + [i for i in checked if i not in kept]
        assert isinstance(w, QLineEdit)
        text = w.text()
        if self.info.kind == "money" and text.strip():
            signed = text.strip()
            if signed.startswith("-") and self.info.meta.get("minimum") is None:
                return -parse_money(signed[1:], self.currency)
            return parse_money(text, self.currency)
        return text

    def show_problem(self, message: str | None) -> None:
        self.error.setText(f"⚠ {message}" if message else "")
        self.error.setVisible(bool(message))

    def _changed(self, *_: Any) -> None:
        if self.info.kind not in ("str", "date", "money", "int", "decimal"):
            self.touched = True
        self.edited.emit(self.info.name)

    def _left(self) -> None:
        self.touched = True
        self.edited.emit(self.info.name)


class RecordForm(QWidget):
    """Edits one record of ``cls``. ``record()`` returns it as typed (not yet validated);
    ``problems()`` what the core says is wrong with it."""

    changed = Signal()

    def __init__(
        self,
        cls: type[Record],
        *,
        choices: Choices | None = None,
        currency: str = DEFAULT_CURRENCY,
        hidden: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.cls = cls
        self._base: Record = cls()
        choices = choices or {}
        skip = _HIDDEN | set(hidden)
        self.editors: dict[str, FieldEditor] = {}
        self.general = QLabel()
        self.general.setWordWrap(True)
        set_tone(self.general, "error")
        self.general.hide()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(14)
        shown = [
            info
            for info in fields_of(cls)
            if info.name not in skip
            and info.kind != "json"
            and (info.kind not in ("id", "idlist") or info.name in choices)
        ]
        # Internal fields last, under their own heading, so nobody mistakes them for
        # something the customer will see.
        public = [i for i in shown if not i.meta.get("internal")]
        internal = [i for i in shown if i.meta.get("internal")]
        for info in public + internal:
            if internal and info is internal[0]:
                heading = QLabel(
                    self.tr(
                        "<b>Internal only</b>: never appears in anything written for the customer"
                    )
                )
                heading.setWordWrap(True)
                heading.setContentsMargins(0, 10, 0, 2)
                form.addRow(heading)
            editor = FieldEditor(info, choices.get(info.name, ()), currency)
            editor.edited.connect(self._edited)
            self.editors[info.name] = editor
            text = self.tr(info.label)
            if info.meta.get("required"):
                text += " *"
            label = QLabel(text)
            label.setBuddy(editor.widget)
            help_text = info.meta.get("help")
            if help_text:
                # what the field means, on hover over its label or box and for screen readers
                label.setToolTip(self.tr(help_text))
                editor.widget.setToolTip(self.tr(help_text))
                editor.widget.setAccessibleDescription(self.tr(help_text))
            form.addRow(label, editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.general)
        layout.addLayout(form)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(120)
        self._check_timer.timeout.connect(self.check_touched)

    def set_record(self, record: Record) -> None:
        """Fill the form from ``record`` (kept as the base for fields the form does not show)."""
        self._base = record
        for name, editor in self.editors.items():
            editor.set_value(getattr(record, name))
        self.general.hide()

    def _collect(self) -> tuple[dict[str, Any], list[FieldProblem]]:
        # An account's amounts are in the currency typed on the same form.
        currency_editor = self.editors.get("currency")
        if currency_editor is not None:
            typed = str(currency_editor.raw_value()).strip().upper()
            if typed in CURRENCIES:
                for editor in self.editors.values():
                    if editor.info.kind == "money":
                        editor.currency = typed
        values: dict[str, Any] = {}
        problems: list[FieldProblem] = []
        for name, editor in self.editors.items():
            try:
                values[name] = editor.raw_value()
            except ValueError as exc:
                problems.append(FieldProblem(name, f"{editor.info.label} {exc}"))
        return values, problems

    def record(self) -> Record:
        """The record as typed. Raises ValidationError for amounts that cannot be read."""
        values, problems = self._collect()
        if problems:
            raise ValidationError(problems, entity=self.cls.__name__)
        return dataclasses.replace(self._base, **values)

    def problems(self) -> ValidationError | None:
        """Everything the core would refuse, or None when the record is valid."""
        values, problems = self._collect()
        unreadable = {p.field for p in problems}
        try:
            validated(dataclasses.replace(self._base, **values))
        except ValidationError as exc:
            problems += [p for p in exc.problems if p.field not in unreadable]
        if problems:
            return ValidationError(problems, entity=self.cls.__name__)
        return None

    def show_problems(self, error: ValidationError | None, *, all_fields: bool = True) -> None:
        """Put each message next to its field; messages for fields not on the form go on top."""
        messages: dict[str, list[str]] = {}
        for problem in error.problems if error else ():
            messages.setdefault(problem.field, []).append(problem.message)
        general = []
        for name, texts in messages.items():
            if name not in self.editors:
                general.extend(texts)
        for name, editor in self.editors.items():
            if all_fields or editor.touched:
                texts = messages.get(name)
                editor.show_problem(" ".join(texts) if texts else None)
                if all_fields:
                    editor.touched = True
        self.general.setText("⚠ " + " ".join(general) if general else "")
        self.general.setVisible(bool(general) and all_fields)

    def focus_first_problem(self) -> None:
        for editor in self.editors.values():
            if editor.error.isVisible():
                editor.widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def check_touched(self) -> None:
        """Re-check the record and update the messages of fields already visited."""
        self.show_problems(self.problems(), all_fields=False)

    def _edited(self, _name: str) -> None:
        self.changed.emit()
        self._check_timer.start()


class RecordDialog(QDialog):
    """Add or edit one record. ``save(record)`` writes it and returns the stored record; a
    ValidationError it raises is shown next to the fields and the dialog stays open.

    ``confirm(record)``, when given, is asked after the record is valid and before it is
    saved; False keeps the dialog open with everything typed (e.g. "a person of this name is
    already on the list: add another?").
    """

    def __init__(
        self,
        title: str,
        form: RecordForm,
        save: Callable[[Record], Record],
        parent: QWidget | None = None,
        *,
        intro: str = "",
        confirm: Callable[[Record], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = form
        self._save = save
        self._confirm = confirm
        self.saved: Record | None = None
        self._dirty = False
        form.changed.connect(self._mark_dirty)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # The first field, not the scroll area, takes the focus when the dialog opens, so a
        # person can type at once; Tab still walks the fields and the area follows the focus.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(4, 4, 12, 4)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            inner.addWidget(label)
        inner.addWidget(form)
        inner.addStretch(1)
        scroll.setWidget(holder)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save_button.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Return))
        save_button.setToolTip(self.tr("Save (Ctrl+Enter)"))
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        screen = self.screen().availableGeometry() if self.screen() else None
        height = min(720, int(screen.height() * 0.85)) if screen else 640
        self.resize(560, min(height, form.sizeHint().height() + 120))

    def _mark_dirty(self) -> None:
        self._dirty = True

    def accept(self) -> None:
        error = self.form.problems()
        if error is not None:
            self.form.show_problems(error)
            self.form.focus_first_problem()
            return
        try:
            record = validated(self.form.record())
            if self._confirm is not None and not self._confirm(record):
                return
            self.saved = self._save(record)
        except ValidationError as exc:
            self.form.show_problems(exc)
            self.form.focus_first_problem()
            return
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The change could not be saved."), exc)
            return
        super().accept()

    def reject(self) -> None:
        if self._dirty and self.saved is None:
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self,
                self.windowTitle(),
                self.tr("Discard what you typed?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


def format_value(info: FieldInfo, value: Any, currency: str = DEFAULT_CURRENCY) -> str:
    """A field's value as a table shows it."""
    return show_value(info, value, currency, show_date, "✓")
