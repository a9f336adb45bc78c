"""Table models of the import wizard: columns to fields, the preview, values, outcomes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ...tables.importer import Outcome, Preview
from ...tables.mapping import ImportField, fields_for

_Index = QModelIndex | QPersistentModelIndex
#: Role holding the choices of an editable cell: a list of (shown text, value).
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


class ColumnMapModel(QAbstractTableModel):
    """One row per column of the file: its header and the field it feeds ("" for none)."""

    HEADER, FIELD, SAMPLE = range(3)

    def __init__(self, kind: str, headers: list[str], columns: dict[str, str]) -> None:
        super().__init__()
        self.kind = kind
        self.headers = headers
        self.columns = dict(columns)
        self.samples: dict[str, str] = {}
        self._labels = {f.name: f.label for f in fields_for(kind)}

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_tr("Column in the file"), _tr("Imported as"), _tr("First value"))[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.FIELD:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        header = self.headers[index.row()]
        field = self.columns.get(header, "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == self.HEADER:
                return header
            if index.column() == self.FIELD:
                return self._labels.get(field, _tr("— not imported —"))
            return self.samples.get(header, "")
        if role == Qt.ItemDataRole.EditRole and index.column() == self.FIELD:
            return field
        if role == CHOICES_ROLE and index.column() == self.FIELD:
            return [(_tr("— not imported —"), "")] + [
                (f.label, f.name) for f in fields_for(self.kind)
            ]
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != self.FIELD:
            return False
        header = self.headers[index.row()]
        name = str(value or "")
        changed = [index.row()]
        if name:
            # One column per field: the column that had it gives it up.
            for other, field in list(self.columns.items()):
                if field == name and other != header:
                    self.columns[other] = ""
                    changed.append(self.headers.index(other))
        self.columns[header] = name
        for row in changed:
            cell = self.index(row, self.FIELD)
            self.dataChanged.emit(cell, cell)
        return True

    def mapped(self) -> dict[str, str]:
        """Header → field for every column that feeds one; a column left out maps to ""."""
        return {h: self.columns.get(h, "") for h in self.headers}


class PreviewModel(QAbstractTableModel):
    """The first rows of the file as they would be read; cells that cannot be read are marked
    with a warning sign and say why in their tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self.preview: Preview | None = None

    def set_preview(self, preview: Preview | None) -> None:
        self.beginResetModel()
        self.preview = preview
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.preview is None:
            return 0
        return len(self.preview.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.preview is None:
            return 0
        return len(self.preview.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if self.preview is None or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(self.preview.rows[section])
        field: ImportField | None = self.preview.fields[section]
        header = self.preview.headers[section]
        if field is None:
            return _tr("{header}\n(not imported)").format(header=header)
        return f"{header}\n→ {field.label}"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.preview is None:
            return None
        row = self.preview.cells[index.row()]
        if index.column() >= len(row):
            return None
        text, problem = row[index.column()]
        unused = self.preview.fields[index.column()] is None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"⚠ {text}" if problem else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem or text or None
        if role == Qt.ItemDataRole.ForegroundRole and unused:
            from PySide6.QtGui import QPalette
            from PySide6.QtWidgets import QApplication

            return QApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        return None

    def problems(self) -> int:
        """How many shown cells cannot be read."""
        if self.preview is None:
            return 0
        return sum(1 for row in self.preview.cells for _t, p in row if p)


class ValuesModel(QAbstractTableModel):
    """Each distinct text of a choice column and what it becomes (user choices on top of the
    built-in translations)."""

    FIELD, TEXT, BECOMES = range(3)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[ImportField, str]] = []
        self.user: dict[str, dict[str, str]] = {}
        self._resolve: Any = None

    def set_values(
        self, fields: dict[str, ImportField], values: dict[str, list[str]], resolve: Any
    ) -> None:
        """``resolve(field_name, text)`` gives the value a text becomes without a user choice
        ("" when nothing matches)."""
        self.beginResetModel()
        self.rows = [(fields[name], text) for name, texts in values.items() for text in texts]
        self._resolve = resolve
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_tr("Field"), _tr("Written in the file"), _tr("Becomes"))[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.BECOMES:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def _choices(self, field: ImportField) -> list[tuple[str, str]]:
        if field.type == "bool":
            choices = [(_tr("Yes"), "yes"), (_tr("No"), "no")]
        else:
            assert field.enum is not None
            choices = [(m.label, m.value) for m in field.enum]
        return [*choices, (_tr("⚠ No match: reject the row"), "")]

    def current(self, row: int) -> str:
        field, text = self.rows[row]
        chosen = self.user.get(field.name, {}).get(text)
        if chosen is not None:
            return chosen
        return self._resolve(field.name, text) if self._resolve else ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        field, text = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == self.FIELD:
                return field.label
            if index.column() == self.TEXT:
                return text
            value = self.current(index.row())
            labels = {v: label for label, v in self._choices(field)}
            return labels.get(value, labels[""])
        if role == Qt.ItemDataRole.EditRole and index.column() == self.BECOMES:
            return self.current(index.row())
        if role == CHOICES_ROLE and index.column() == self.BECOMES:
            return self._choices(field)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != self.BECOMES:
            return False
        field, text = self.rows[index.row()]
        self.user.setdefault(field.name, {})[text] = str(value)
        self.dataChanged.emit(index, index)
        return True


class OutcomeModel(QAbstractTableModel):
    """What the import will do, row by row: every rejection and the first rows of the rest."""

    ROW, ACTION, RECORD, COLUMN, REASON = range(5)
    ACTIONS = {
        "created": "＋ Create",
        "updated": "✎ Update",
        "unchanged": "＝ Unchanged",
        "rejected": "✗ Rejected",
    }

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[Outcome, str, str]] = []

    def set_outcomes(self, outcomes: list[Outcome]) -> None:
        self.beginResetModel()
        order = {"rejected": 0, "created": 1, "updated": 2, "unchanged": 3}
        items = []
        for o in sorted(outcomes, key=lambda o: (order[o.action], o.row)):
            if o.action == "rejected":
                items += [(o, column, message) for column, message in o.problems]
            else:
                what = ", ".join(o.changes) if o.changes else ""
                items.append((o, "", what))
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_tr("Row"), _tr("Outcome"), _tr("Record"), _tr("Column"), _tr("Reason"))[
                section
            ]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        outcome, column, text = self.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                str(outcome.row),
                _tr(self.ACTIONS[outcome.action]),
                outcome.label,
                column,
                text,
            )
            return values[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a combo box of the choices the model gives in ``CHOICES_ROLE``."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = QComboBox(parent)
        for text, value in index.data(CHOICES_ROLE) or []:
            combo.addItem(text, value)
        combo.setAccessibleName(_tr("Choice"))
        # Commit as soon as a choice is made, not only when focus leaves.
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        at = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(at, 0) if at >= 0 else -1)

    def setModelData(self, editor: QWidget, model: Any, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        if editor.currentIndex() >= 0:
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
