"""Every modal question and message the app asks or shows goes through this module.

Each dialog is a small class that can be built and clicked in a test without ``exec()``; the
``ask_*`` and ``show_*`` functions are thin wrappers that run it modally.
"""

from __future__ import annotations

import html
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("dialogs", text)


class FirstRunChoice(StrEnum):
    """What to show when a person's own portfolio is empty the first time the app opens."""

    SAMPLE = "sample"
    EMPTY = "empty"
    #: Start with the empty portfolio and go straight to File ▸ Import….
    IMPORT = "import"


class FirstRunDialog(QDialog):
    """Welcome: explore the sample portfolio (a separate file) or start with an empty one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice: FirstRunChoice | None = None
        self.setWindowTitle(self.tr("Welcome to Renewal Coach"))
        self.setModal(True)

        heading = QLabel(self.tr("Your portfolio is empty. How would you like to begin?"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)

        self.sample_button = QCommandLinkButton(
            self.tr("Open the sample portfolio"),
            self.tr(
                "Look around a fictional portfolio with accounts, contracts and renewals "
                "already filled in. It is kept in a file of its own, so nothing from it ends "
                "up in your data."
            ),
        )
        self.empty_button = QCommandLinkButton(
            self.tr("Start with an empty portfolio"),
            self.tr(
                "Begin with your own accounts straight away. The sample stays one click away "
                "under File → Open Sample Portfolio."
            ),
        )
        self.import_button = QCommandLinkButton(
            self.tr("Import your accounts from a file"),
            self.tr(
                "Bring in a CSV or Excel export from your CRM or a spreadsheet: accounts "
                "first, then their contracts, people and interactions."
            ),
        )
        self.import_button.setAccessibleName(self.import_button.text())
        self.import_button.clicked.connect(lambda: self._choose(FirstRunChoice.IMPORT))
        self.sample_button.setAccessibleName(self.sample_button.text())
        self.empty_button.setAccessibleName(self.empty_button.text())
        self.sample_button.setDefault(True)
        self.sample_button.clicked.connect(lambda: self._choose(FirstRunChoice.SAMPLE))
        self.empty_button.clicked.connect(lambda: self._choose(FirstRunChoice.EMPTY))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addSpacing(4)
        layout.addWidget(self.sample_button)
        layout.addWidget(self.import_button)
        layout.addWidget(self.empty_button)
        self.setMinimumWidth(520)

    def _choose(self, choice: FirstRunChoice) -> None:
        self.choice = choice
        self.accept()


def ask_first_run(parent: QWidget | None = None) -> FirstRunChoice | None:
    """Ask how to begin; None when the dialog was closed without choosing."""
    dialog = FirstRunDialog(parent)
    dialog.exec()
    return dialog.choice


class Recovery(StrEnum):
    """The ways out when a database cannot be opened."""

    CHOOSE_FILE = "choose_file"
    USE_DEFAULT = "use_default"
    #: Make a new, empty portfolio in the file that holds nothing (offered only then).
    START_NEW = "start_new"
    #: Put the newest backup that passes the check in place of a damaged file.
    RESTORE_BACKUP = "restore_backup"
    #: Look at the file without changing it (another window writes it, or it is damaged).
    OPEN_READ_ONLY = "open_read_only"
    QUIT = "quit"


class OpenFailedDialog(QMessageBox):
    """Says why a database could not be opened and offers another file, the default, or quitting."""

    def __init__(
        self,
        path: Path,
        message: str,
        *,
        offer_default: bool,
        offer_new: bool = False,
        offer_read_only: bool = False,
        restore_from: Path | None = None,
        heading: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Cannot Open the Database"))
        self.setTextFormat(Qt.TextFormat.RichText)
        heading = heading or self.tr("Renewal Coach could not open {name}.").format(name=path.name)
        self.setText("<b>" + html.escape(heading) + "</b>")
        self.setInformativeText(html.escape(message))
        self._buttons: dict[object, Recovery] = {}
        if restore_from is not None:
            restore = self.addButton(
                self.tr("Restore the Latest Good Backup"), QMessageBox.ButtonRole.AcceptRole
            )
            restore.setToolTip(
                self.tr(
                    "Put {backup} in place of this file; the file as it is now is kept among "
                    "the backups first"
                ).format(backup=restore_from.name)
            )
            self._buttons[restore] = Recovery.RESTORE_BACKUP
        if offer_read_only:
            look = self.addButton(self.tr("Open Read-Only"), QMessageBox.ButtonRole.ActionRole)
            look.setToolTip(self.tr("Look at what the file holds without changing anything"))
            self._buttons[look] = Recovery.OPEN_READ_ONLY
        choose = self.addButton(self.tr("Choose Another File…"), QMessageBox.ButtonRole.ActionRole)
        self._buttons[choose] = Recovery.CHOOSE_FILE
        if offer_default:
            default = self.addButton(
                self.tr("Open My Portfolio"), QMessageBox.ButtonRole.AcceptRole
            )
            default.setToolTip(self.tr("Open your own portfolio in the app's data folder"))
            self._buttons[default] = Recovery.USE_DEFAULT
        first = self.button_for(Recovery.RESTORE_BACKUP) or self.button_for(Recovery.OPEN_READ_ONLY)
        self.setDefaultButton(first or self.button_for(Recovery.USE_DEFAULT) or choose)
        if offer_new:
            new = self.addButton(
                self.tr("Start a New Portfolio in This File"), QMessageBox.ButtonRole.ActionRole
            )
            new.setToolTip(
                self.tr("The file holds nothing, so nothing is lost: it becomes an empty portfolio")
            )
            self._buttons[new] = Recovery.START_NEW
        quit_button = self.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        self._buttons[quit_button] = Recovery.QUIT
        self.setEscapeButton(quit_button)

    def recovery(self) -> Recovery:
        """The choice made through the last clicked button (Quit when none was)."""
        return self._buttons.get(self.clickedButton(), Recovery.QUIT)

    def button_for(self, recovery: Recovery) -> object | None:
        """The button that makes ``recovery``, or None when it is not offered."""
        for button, value in self._buttons.items():
            if value is recovery:
                return button
        return None


def ask_recovery(
    path: Path,
    message: str,
    *,
    offer_default: bool,
    offer_new: bool = False,
    offer_read_only: bool = False,
    restore_from: Path | None = None,
    heading: str = "",
    parent: QWidget | None = None,
) -> Recovery:
    """Show why ``path`` could not be opened (or what is wrong with it: ``heading``) and return
    what the person wants to do."""
    dialog = OpenFailedDialog(
        path,
        message,
        offer_default=offer_default,
        offer_new=offer_new,
        offer_read_only=offer_read_only,
        restore_from=restore_from,
        heading=heading,
        parent=parent,
    )
    dialog.exec()
    return dialog.recovery()


def choose_database_file(parent: QWidget | None, start_dir: Path) -> Path | None:
    """Ask for an existing database file; None when cancelled."""
    name, _ = QFileDialog.getOpenFileName(
        parent,
        _tr("Open Database"),
        str(start_dir),
        _tr("Renewal Coach databases (*.db *.sqlite *.sqlite3);;All files (*)"),
    )
    return Path(name) if name else None


def choose_new_database_file(parent: QWidget | None, suggested: Path) -> Path | None:
    """Ask where to create a new portfolio; None when cancelled. An existing file is refused
    later, not overwritten: a database is never replaced by an empty one."""
    path, _ = QFileDialog.getSaveFileName(
        parent,
        _tr("New portfolio"),
        str(suggested),
        _tr("Renewal Coach databases (*.db);;All files (*)"),
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    if not path:
        return None
    chosen = Path(path)
    return chosen if chosen.suffix else chosen.with_suffix(".db")


def confirm(parent: QWidget | None, title: str, text: str, yes: str) -> bool:
    """Ask before doing something that replaces or removes data; True for ``yes``."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go


def show_error(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    """An expected problem, explained in plain words: ``text`` says what failed, ``detail`` why."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def show_about(parent: QWidget | None, version: str, database: Path | None, sample: bool) -> None:
    """Version, what the app is for, and which database is open."""
    box = QMessageBox(parent)
    box.setWindowTitle(_tr("About Renewal Coach"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html(version, database, sample))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def about_html(version: str, database: Path | None, sample: bool) -> str:
    """The About text (rich text), kept separate so it can be checked without a dialog."""
    where = html.escape(str(database)) if database else html.escape(_tr("in memory only"))
    kind = _tr("the sample portfolio") if sample else _tr("your portfolio")
    return (
        f"<h3>Renewal Coach {html.escape(version)}</h3>"
        f"<p>{html.escape(_tr('Win renewals of your largest contracts through engagement.'))}</p>"
        f"<p>{html.escape(_tr('Database in use ({kind}):').format(kind=kind))}<br>"
        f"<code>{where}</code></p>"
    )
