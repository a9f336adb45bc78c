"""Preferences: your name, light or dark, the company Word template used for exports, and the
deadline settings of the open portfolio."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.deadlines import DeadlineSettings
from ..theme import SchemeChoice, set_tone
from .deadline_prefs import DeadlineSettingsBox


class PreferencesDialog(QDialog):
    """Choose a company .docx template, or go back to the bundled one."""

    def __init__(
        self,
        template: str,
        parent: QWidget | None = None,
        *,
        name: str = "",
        scheme: str = SchemeChoice.SYSTEM,
        deadlines: DeadlineSettings | None = None,
        tray: bool = False,
        tray_available: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self.name_edit = QLineEdit(name)
        self.name_edit.setMaxLength(80)
        self.name_edit.setAccessibleName(self.tr("Your name"))
        self.name_edit.setToolTip(
            self.tr(
                "Owns the commitments you make in coaching sessions and signs the plans you edit "
                "and the documents you export. Kept in your own settings, not in the database."
            )
        )
        name_label = QLabel(self.tr("Your &name:"))
        name_label.setBuddy(self.name_edit)
        self.scheme_box = QComboBox()
        for choice, text in (
            (SchemeChoice.SYSTEM, self.tr("As the desktop (light when it does not say)")),
            (SchemeChoice.LIGHT, self.tr("Light")),
            (SchemeChoice.DARK, self.tr("Dark")),
        ):
            self.scheme_box.addItem(text, choice.value)
        found = self.scheme_box.findData(scheme)
        self.scheme_box.setCurrentIndex(max(found, 0))
        self.scheme_box.setAccessibleName(self.tr("Colours"))
        self.scheme_box.setToolTip(
            self.tr(
                "Light or dark windows. Charts in exported Word documents stay light either way."
            )
        )
        scheme_label = QLabel(self.tr("&Colours:"))
        scheme_label.setBuddy(self.scheme_box)
        self.path_edit = QLineEdit(template)
        self.path_edit.setPlaceholderText(self.tr("Bundled Renewal Coach template"))
        self.path_edit.setAccessibleName(self.tr("Word template file"))
        self.path_edit.textChanged.connect(self._check)
        browse = QPushButton(self.tr("&Browse…"))
        browse.clicked.connect(self._browse)
        reset = QPushButton(self.tr("Use &Default"))
        reset.clicked.connect(self.path_edit.clear)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        set_tone(self.problem, "error")
        explain = QLabel(
            self.tr(
                "Exports take their styles, header and footer from this Word template. Styles "
                "it lacks fall back to the default look, and the export lists them."
            )
        )
        explain.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        row.addWidget(reset)
        label = QLabel(self.tr("Company &Word template:"))
        label.setBuddy(self.path_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(name_label)
        layout.addWidget(self.name_edit)
        layout.addSpacing(8)
        scheme_row = QHBoxLayout()
        scheme_row.addWidget(scheme_label)
        scheme_row.addWidget(self.scheme_box, 1)
        layout.addLayout(scheme_row)
        layout.addSpacing(8)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addWidget(explain)
        layout.addWidget(self.problem)
        # Deadlines (issue 15): shown when the window passes the open portfolio's settings.
        self.deadlines: DeadlineSettingsBox | None = None
        if deadlines is not None:
            self.deadlines = DeadlineSettingsBox(
                deadlines, tray=tray, tray_available=tray_available
            )
            layout.addSpacing(8)
            layout.addWidget(self.deadlines)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())
        self._check()

    def user_name(self) -> str:
        return self.name_edit.text().strip()

    def scheme(self) -> str:
        """The chosen colour scheme: "system", "light" or "dark"."""
        return str(self.scheme_box.currentData())

    def template(self) -> str:
        return self.path_edit.text().strip()

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a Word template"),
            self.template() or str(Path.home()),
            self.tr("Word documents and templates (*.docx *.dotx)"),
        )
        if name:
            self.path_edit.setText(name)

    def _check(self) -> None:
        text = self.template()
        problem = ""
        if text:
            path = Path(text)
            if not path.is_file():
                problem = self.tr("There is no file at this path.")
            elif path.suffix.lower() not in (".docx", ".dotx"):
                problem = self.tr("Choose a .docx or .dotx file.")
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
