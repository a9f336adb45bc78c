"""File ▸ Export Calendar…: deadlines, milestones and commitments to an .ics file.

The person picks how many months ahead, whose accounts (an owner, one account or all), the
reminders and the file. The export itself (:func:`renewal_coach.export.calendar.export_calendar`)
runs on a QThreadPool worker with its own connection, so the window stays usable while the
portfolio is scored and the file written; the dialog then says how many events and
cancellations it wrote. The reminders are deadline settings kept in the database, so the command
line uses the same ones; the folder of the last file is remembered in the preferences.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.deadlines import DeadlineSettings
from ...core.errors import RenewalCoachError, ValidationError
from ...storage.agenda import load_deadline_settings, save_deadline_settings
from ...storage.repository import Store
from ..jobs import JobKeeper
from ..settings import CALENDAR_FOLDER, Settings

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("calendar_export", text)


def suggested_calendar_name(today: date, account: str = "") -> str:
    """``Renewal Coach calendar 2026-12-07.ics``, or with the account's name first."""
    name = (
        f"{account} calendar {today.isoformat()}"
        if account
        else (f"Renewal Coach calendar {today.isoformat()}")
    )
    name = re.sub(r"\s+", " ", _UNSAFE.sub(" ", name)).strip(" .")[:150]
    return f"{name}.ics"


def _documents() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(location) if location else Path.home()
    return path if path.is_dir() else Path.home()


def _days_text(days: tuple[int, ...]) -> str:
    return ", ".join(str(d) for d in days)


class _Signals(QObject):
    progress = Signal(str)
    finished = Signal(object)
    failed = Signal(object)


class _CalendarJob(QRunnable):
    """One calendar export on a pool thread, with its own connection; talks back only
    through signals."""

    def __init__(self, database: Path, out: Path, today: date, options: dict[str, Any]) -> None:
        super().__init__()
        self.signals = _Signals()
        self._args = (database, out, today, options)

    def run(self) -> None:
        from ...storage.calendar_events import open_to_remember

        database, out, today, options = self._args
        try:
            store, read_only = open_to_remember(database)
        except Exception as err:  # handed to the GUI thread, which decides what it is
            self.signals.failed.emit(err)
            return
        try:
            options = {**options, "cannot_remember": read_only}
            report = run_calendar_export(store, out, today, options, self.signals.progress.emit)
        except Exception as err:
            self.signals.failed.emit(err)
        else:
            self.signals.finished.emit(report)
        finally:
            store.close()


def run_calendar_export(
    store: Store,
    out: Path,
    today: date,
    options: dict[str, Any],
    progress: Callable[[str], None] | None = None,
) -> Any:
    """The export itself (any thread)."""
    from ...export.calendar import export_calendar

    return export_calendar(store, out, today, progress=progress, **options)


class CalendarExportDialog(QDialog):
    """Choose what goes into the calendar file and where it goes, then export it.

    ``exported(report)`` fires after each successful export (the window shows its headline in
    the status bar)."""

    exported = Signal(object)

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        today: Callable[[], date] = date.today,
        account_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export Calendar"))
        self._store = store
        self._settings = settings
        self._today = today
        self._jobs = JobKeeper()
        #: The report of the last export, for the caller and tests.
        self.report: Any = None
        #: Replaced in tests: asks where to save, returns None when cancelled.
        self.ask_path: Callable[[QWidget | None, Path], Path | None] = _ask_path
        try:
            self._deadlines = load_deadline_settings(store)
            stored_problem = ""
        except RenewalCoachError as exc:
            self._deadlines = DeadlineSettings()
            stored_problem = str(exc)

        intro = QLabel(
            self.tr(
                "Writes an all-day event, with reminders, for every contract deadline, open "
                "campaign milestone and open commitment in the months ahead. Import the file "
                "into Outlook, Google Calendar or Apple Calendar; importing a newer export "
                "into the same calendar updates its events rather than adding copies."
            )
        )
        intro.setWordWrap(True)

        self.months = QSpinBox()
        low, high = DeadlineSettings._LIMITS["calendar_months"]
        self.months.setRange(low, high)
        self.months.setValue(self._deadlines.calendar_months)
        self.months.setSuffix(self.tr(" months"))
        self.months.setAccessibleName(self.tr("Months ahead"))

        self.owner = QLineEdit()
        self.owner.setPlaceholderText(self.tr("Everyone's accounts"))
        self.owner.setToolTip(
            self.tr("Only accounts whose owner has these words in their name (any case)")
        )
        self.owner.setAccessibleName(self.tr("Account owner"))

        self.account = QComboBox()
        self.account.setAccessibleName(self.tr("Account"))
        self.account.addItem(self.tr("All accounts"), None)
        with_names = sorted(
            ((a.id, a.name) for a in store.accounts.where("archived = 0")),
            key=lambda pair: pair[1].casefold(),
        )
        for aid, name in with_names:
            self.account.addItem(name, aid)
        if account_id is not None:
            index = self.account.findData(account_id)
            if index < 0:  # an archived account asked for by its page
                account = store.accounts.find(account_id)
                if account is not None:
                    self.account.addItem(account.name, account.id)
                    index = self.account.count() - 1
            self.account.setCurrentIndex(max(index, 0))
        self.account.currentIndexChanged.connect(self._account_changed)

        self.hard_alarms = QLineEdit(_days_text(self._deadlines.alarm_days_hard))
        self.hard_alarms.setToolTip(self.tr("Days before, separated by commas; empty for none"))
        self.hard_alarms.setAccessibleName(self.tr("Reminders before notice and option dates"))
        self.other_alarms = QLineEdit(_days_text(self._deadlines.alarm_days_other))
        self.other_alarms.setToolTip(self.hard_alarms.toolTip())
        self.other_alarms.setAccessibleName(self.tr("Reminders before other dates"))

        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName(self.tr("Calendar file"))
        self.choose_button = QPushButton(self.tr("Choose…"))
        self.choose_button.clicked.connect(self.choose_file)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)
        self._suggest_path()

        form = QFormLayout()
        form.addRow(self.tr("&Months ahead:"), self.months)
        form.addRow(self.tr("Account &owner:"), self.owner)
        form.addRow(self.tr("&Account:"), self.account)
        form.addRow(self.tr("Reminders before &notice and option dates (days):"), self.hard_alarms)
        form.addRow(self.tr("Reminders before other &dates (days):"), self.other_alarms)
        file_label = QLabel(self.tr("&File:"))
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, path_row)
        for field in (self.months, self.owner, self.account, self.hard_alarms, self.other_alarms):
            label = form.labelForField(field)
            if isinstance(label, QLabel):
                label.setBuddy(field)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setVisible(False)
        self.message = QLabel(stored_problem)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName(self.tr("Export result"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton(
            self.tr("&Export"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.open_folder_button = self.buttons.addButton(
            self.tr("Open &Folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_folder_button.setVisible(False)
        self.open_folder_button.clicked.connect(self._open_folder)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(max(self.sizeHint().width(), 620), self.sizeHint().height())
        self.export_button.setFocus()

    # ---- choosing ----------------------------------------------------------------------------

    def _folder(self) -> Path:
        remembered = self._settings.get(CALENDAR_FOLDER)
        folder = Path(remembered) if remembered else _documents()
        return folder if folder.is_dir() else _documents()

    def _suggest_path(self) -> None:
        account = self.account.currentText() if self.account.currentData() else ""
        self.path_edit.setText(
            str(self._folder() / suggested_calendar_name(self._today(), account))
        )

    def _account_changed(self) -> None:
        current = Path(self.path_edit.text().strip())
        # Follow the choice only while the name is still one this dialog suggested.
        if not current.name or current.name.endswith(f"calendar {self._today().isoformat()}.ics"):
            self._suggest_path()

    def choose_file(self) -> None:
        text = self.path_edit.text().strip()
        suggested = Path(text) if text else self._folder() / suggested_calendar_name(self._today())
        path = self.ask_path(self, suggested)
        if path is not None:
            self.path_edit.setText(str(_with_ics(path)))

    # ---- exporting ---------------------------------------------------------------------------

    def options(self) -> dict[str, Any]:
        """What the export is asked for (months, owner, account) as ``export_calendar`` takes
        it."""
        return {
            "months": self.months.value(),
            "owner": self.owner.text().strip(),
            "account_id": self.account.currentData(),
        }

    def _checked_path(self) -> Path | None:
        text = self.path_edit.text().strip()
        if not text:
            self._say(self.tr("Choose a file to write the calendar to."), error=True)
            return None
        path = _with_ics(Path(text).expanduser())
        if path.is_dir():
            self._say(self.tr("{path} is a folder; give a file name.").format(path=path), True)
            return None
        if not path.parent.is_dir():
            self._say(
                self.tr("The folder {folder} does not exist.").format(folder=path.parent), True
            )
            return None
        self.path_edit.setText(str(path))
        return path

    def _keep_reminders(self) -> bool:
        """Store the reminders typed (they are deadline settings the command line reads too).
        False, with the reason shown, when they cannot be read."""
        try:
            hard = DeadlineSettings.parse_days(self.hard_alarms.text())
            other = DeadlineSettings.parse_days(self.other_alarms.text())
            wanted = dataclasses.replace(
                self._deadlines, alarm_days_hard=hard, alarm_days_other=other
            )
            problems = wanted.problems()
            if problems:
                raise ValidationError(problems)
        except ValidationError as exc:
            self._say(
                self.tr("Reminders: {why}. Type days before, such as 30, 7.").format(
                    why=exc.message
                ),
                error=True,
            )
            return False
        if wanted != self._deadlines:
            try:
                save_deadline_settings(self._store, wanted)
            except RenewalCoachError as exc:
                self._say(self.tr("The reminders could not be kept: {why}").format(why=exc), True)
                return False
            self._deadlines = wanted
        self.hard_alarms.setText(_days_text(wanted.alarm_days_hard))
        self.other_alarms.setText(_days_text(wanted.alarm_days_other))
        return True

    def start_export(self) -> None:
        """Check the choices, then write the file off the GUI thread."""
        if self._jobs.busy:
            return
        path = self._checked_path()
        if path is None or not self._keep_reminders():
            return
        self._settings.set(CALENDAR_FOLDER, str(path.parent))
        self.open_folder_button.setVisible(False)
        self._set_running(True)
        self._say(self.tr("Writing {name}…").format(name=path.name))
        today = self._today()
        if self._store.path is None:  # an in-memory database has no second connection
            try:
                report = run_calendar_export(self._store, path, today, self.options())
            except (RenewalCoachError, OSError) as err:
                self._failed(err)
            else:
                self._finished(report)
            return
        job = _CalendarJob(self._store.path, path, today, self.options())
        self._jobs.start(
            job,
            progress=self._say,
            finished=self._finished,
            failed=self._failed,
        )

    def _finished(self, report: Any) -> None:
        self._set_running(False)
        self.report = report
        self._say(report.summary())
        self.open_folder_button.setVisible(report.path is not None)
        self.exported.emit(report)

    def _failed(self, error: BaseException) -> None:
        self._set_running(False)
        if isinstance(error, (RenewalCoachError, OSError)):
            self._say(self.tr("The calendar was not exported: {why}").format(why=error), True)
        else:
            raise error

    def _set_running(self, running: bool) -> None:
        self.busy.setVisible(running)
        self.export_button.setEnabled(not running)
        for field in (self.months, self.owner, self.account, self.hard_alarms,
                      self.other_alarms, self.path_edit, self.choose_button):  # fmt: skip
            field.setEnabled(not running)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setAccessibleDescription(text)

    def _open_folder(self) -> None:
        if self.report is not None and self.report.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.path.parent)))

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until a running export finishes (closing, tests)."""
        return self._jobs.wait(msecs)

    @property
    def running(self) -> bool:
        return self._jobs.busy

    def reject(self) -> None:
        # Nothing may report to a dialog that has gone: let a running export finish first.
        self.wait()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.wait()
        super().closeEvent(event)


def _with_ics(path: Path) -> Path:
    return path if path.suffix.lower() == ".ics" else path.with_name(path.name + ".ics")


def _ask_path(parent: QWidget | None, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        parent, _tr("Export Calendar"), str(suggested), _tr("iCalendar files (*.ics)")
    )
    return Path(name) if name else None
