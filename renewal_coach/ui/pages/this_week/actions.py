"""What the window does for the This Week page: open a line's record, mark one done, and the
start of the day (open on the page when something fell due, announce near notice dates).

Kept out of ``main_window.py``: the window only wires these in.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from ....core import models as m
from ....core.deadlines import (
    DEFAULT_DEADLINE_SETTINGS,
    AgendaItem,
    DeadlineSettings,
    nudge_line,
)
from ....core.errors import RenewalCoachError
from ....storage.agenda import load_deadline_settings, save_deadline_settings
from ....storage.db import is_read_only
from ....storage.errors import DatabaseReadOnlyError
from ...errors import show_expected_error
from ...settings import LAST_START, TRAY_NUDGE, Settings
from ...widgets.deadlines import set_near_days
from .builder import ThisWeek

if TYPE_CHECKING:
    from ...dialogs.preferences import PreferencesDialog
    from ...main_window import MainWindow

#: The tab each kind of line opens on.
_TABS = {
    "contract": m.Contract,
    "commitment": m.Commitment,
    "stakeholder": m.Stakeholder,
    "concern": m.Concern,
}


def open_item(window: MainWindow, item: AgendaItem) -> bool:
    """Open the account of ``item`` on the tab of its record, with the record selected (a
    milestone: the overview with its contract chosen, so its campaign shows)."""
    window.open_account(item.account_id)
    page = window.account_page
    if page.account_id != item.account_id or window.pages.currentWidget() is not page:
        return False
    cls = _TABS.get(item.record)
    if cls is not None:
        tab = page.show_tab(cls)
        found = tab.select(item.record_id)
        tab.table.setFocus()
        return found
    page.tabs.setCurrentIndex(0)
    model = page.contracts_model
    for row in range(model.rowCount()):
        if model.key(row) == item.contract_id:
            page.contracts.selectRow(row)
            page.contracts.setFocus()
            return True
    return False


def write_refusal(window: MainWindow) -> DatabaseReadOnlyError | None:
    """Why the open database cannot take a change now (read-only), or None."""
    store = window.store
    path = store.path
    reason = getattr(store, "read_only_reason", "")
    if getattr(store, "read_only", False) and reason:
        return DatabaseReadOnlyError(reason)
    if getattr(store, "read_only", False) or (path is not None and is_read_only(path)):
        where = path.name if path is not None else "The database"
        return DatabaseReadOnlyError(
            f"{where} is read-only, so nothing can be marked done. Make the file writable, "
            "or open a copy you can write to."
        )
    return None


def mark_milestone(
    window: MainWindow, contract_id: str, code: str, occurrence: int, done_on: date, note: str
) -> bool:
    """A milestone done from This Week: refused cleanly on a read-only file, else saved on
    the window's undo stack."""
    refusal = write_refusal(window)
    if refusal is not None:
        show_expected_error(window, window.tr("The milestone was not recorded."), refusal)
        return False
    return window.mark_milestone(contract_id, code, occurrence, done_on, note)


def mark_commitment(window: MainWindow, commitment_id: str, today: date) -> bool:
    """A commitment done today (one undo step), or a clear refusal."""
    what = window.tr("The commitment was not marked done.")
    refusal = write_refusal(window)
    if refusal is not None:
        show_expected_error(window, what, refusal)
        return False
    try:
        commitment = window.store.commitments.get(commitment_id)
        window.editor.update(dataclasses.replace(commitment, done_on=today))
    except RenewalCoachError as exc:
        show_expected_error(window, what, exc)
        return False
    window.statusBar().showMessage(
        window.tr("Commitment marked done today. Ctrl+Z undoes it."), 8000
    )
    return True


class StartOfDay(QObject):
    """The first agenda of a run decides the page and says what is near.

    At start the day of the previous start is read from the settings and today's written in
    its place. When the first agenda arrives: if something fell due since that day and the
    person has not moved to another page meanwhile, This Week is shown; notice and option
    dates within the nudge window are announced in the status bar and, when the person asked
    for it in Preferences and the desktop has a tray, as a tray notification.
    """

    def __init__(self, window: MainWindow, settings: Settings, today: date) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._today = today
        stored = settings.get(LAST_START)
        try:
            self.since: date | None = date.fromisoformat(stored) if stored else None
        except ValueError:
            self.since = None
        settings.set(LAST_START, today.isoformat())
        deadlines, _tray = preference_values(window, settings)
        set_near_days(deadlines.near_days)
        # Each agenda carries the settings of the database it came from (another may be open).
        window.this_week.built.connect(lambda r: set_near_days(r.settings.near_days))
        #: The page shown when the window opened; moving away from it keeps the person's choice.
        self._first_page = window.pages.currentWidget()
        self.done = False
        self.tray: QSystemTrayIcon | None = None
        self.message = ""
        window.this_week.built.connect(self._first_agenda)
        window.database_changed.connect(self._database_changed)

    def _database_changed(self, *_: object) -> None:
        """The nudge named the other portfolio's dates: take it off the status bar."""
        bar = self._window.statusBar()
        if self.message and bar.currentMessage() == f"⚠ {self.message}":
            bar.clearMessage()

    def _first_agenda(self, result: ThisWeek) -> None:
        if self.done:
            return
        self.done = True
        window = self._window
        fell_due = result.agenda.fell_due_since(self.since) if self.since else []
        if fell_due and window.pages.currentWidget() is self._first_page:
            window.show_this_week()
        line = nudge_line(result.nudges, result.agenda.today, result.settings.nudge_days)
        self.message = line
        bar = window.statusBar()
        # A message the person's own action put there (an export written, a backup made) is
        # not overwritten: the nudge also stands at the top of This Week.
        if line and not bar.currentMessage():
            bar.showMessage(f"⚠ {line}", 60_000)
        if line and self._settings.get(TRAY_NUDGE):
            self.notify(line)

    def notify(self, line: str) -> bool:
        """A tray notification, when the desktop has a tray; False when it has none."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return False
        if self.tray is None:
            self.tray = QSystemTrayIcon(self._window.windowIcon(), self)
            self.tray.setToolTip(self._window.tr("Renewal Coach"))
            self.tray.messageClicked.connect(self._window.show_this_week)
        self.tray.show()
        self.tray.showMessage(
            self._window.tr("Renewal Coach: deadlines coming up"),
            line,
            QSystemTrayIcon.MessageIcon.Warning,
            15_000,
        )
        return True


# ---- Preferences ▸ Deadlines -------------------------------------------------------------------


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


def preference_values(window: MainWindow, settings: Settings) -> tuple[DeadlineSettings, bool]:
    """The open portfolio's deadline settings (defaults when unreadable) and the tray choice."""
    try:
        deadlines = load_deadline_settings(window.store)
    except RenewalCoachError:
        deadlines = DEFAULT_DEADLINE_SETTINGS
    return deadlines, settings.get(TRAY_NUDGE)


def keep_preferences(window: MainWindow, settings: Settings, dialog: PreferencesDialog) -> bool:
    """Save what the Deadlines section says; every page then uses it. False (after saying
    why) when the database would not take it."""
    box = dialog.deadlines
    if box is None:
        return True
    settings.set(TRAY_NUDGE, box.tray())
    chosen = box.value()
    current, _tray = preference_values(window, settings)
    if chosen == current:
        return True
    try:
        save_deadline_settings(window.store, chosen)
    except RenewalCoachError as exc:
        show_expected_error(window, window.tr("The deadline settings were not saved."), exc)
        return False
    apply_deadline_settings(window, chosen)
    return True


def apply_deadline_settings(window: MainWindow, deadlines: DeadlineSettings) -> None:
    """Use ``deadlines`` on every page: near marks at once, This Week worked out again."""
    set_near_days(deadlines.near_days)
    window.this_week.refresh()
    if window.account_page.account_id is not None:
        window.account_page.refresh()
    window.renewals.model.layoutChanged.emit()
