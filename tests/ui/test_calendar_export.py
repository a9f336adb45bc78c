"""File ▸ Export Calendar…: the dialog writes the .ics off the GUI thread and says what it wrote."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import icalendar
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.storage.agenda import load_deadline_settings
from renewal_coach.storage.calendar_events import remembered_events
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import load_sample
from renewal_coach.ui.dialogs.calendar_export import CalendarExportDialog, suggested_calendar_name
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.settings import CALENDAR_FOLDER, Settings

TODAY = date(2026, 12, 7)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def sample(db_path: Path) -> Iterator[Store]:
    """The sample portfolio in a file, so the export runs on a worker with its own
    connection, as in the app."""
    store = Store(open_database(db_path))
    load_sample(store, TODAY)
    yield store
    store.close()


def make_dialog(qtbot: QtBot, store: Store, settings: Settings, **kw) -> CalendarExportDialog:
    dialog = CalendarExportDialog(store, settings, today=lambda: TODAY, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_into(qtbot: QtBot, field, text: str) -> None:
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    field.selectAll()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(QApplication.focusWidget(), text)


def export(qtbot: QtBot, dialog: CalendarExportDialog):
    dialog.report = None
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert dialog.report is not None, dialog.message.text()
    return dialog.report


def test_the_export_runs_off_the_gui_thread(qtbot, sample, settings, tmp_path, monkeypatch):
    """While the export works, the window keeps handling events, with the choices locked."""
    from renewal_coach.ui.dialogs import calendar_export as module

    release = threading.Event()
    real = module.run_calendar_export

    def held(*args, **kw):
        assert threading.current_thread() is not threading.main_thread()
        assert release.wait(20), "the GUI thread never let the export go on"
        return real(*args, **kw)

    monkeypatch.setattr(module, "run_calendar_export", held)
    dialog = make_dialog(qtbot, sample, settings)
    type_into(qtbot, dialog.path_edit, str(tmp_path / "held.ics"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.wait(100)  # events are handled meanwhile
    assert dialog.running and not dialog.export_button.isEnabled()
    assert dialog.busy.isVisible() and not dialog.path_edit.isEnabled()
    assert dialog.message.text() in (
        "Writing held.ics…",
        "Working out the campaign milestones…",
    )
    release.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert dialog.report is not None and dialog.report.events > 0
    assert (tmp_path / "held.ics").exists() and dialog.export_button.isEnabled()


def test_dialog_writes_the_calendar_and_reports_counts(qtbot, sample, settings, tmp_path):
    dialog = make_dialog(qtbot, sample, settings)
    assert dialog.months.value() == 18
    assert dialog.hard_alarms.text() == "30, 7" and dialog.other_alarms.text() == "7"
    type_into(qtbot, dialog.path_edit, str(tmp_path / "team deadlines"))
    report = export(qtbot, dialog)

    out = tmp_path / "team deadlines.ics"  # the suffix is added
    assert report.path == out and out.exists()
    evs = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert len(evs) == report.events > 0
    assert dialog.message.text().startswith(f"Wrote {len(evs)} events to {out}.")
    assert f"{len(evs)} new" in dialog.message.text()
    assert dialog.export_button.isEnabled() and not dialog.busy.isVisible()
    assert dialog.open_folder_button.isVisible()
    assert settings.get(CALENDAR_FOLDER) == str(tmp_path)
    assert len(remembered_events(sample)) == len(evs)

    # Once more: same UIDs, nothing new, and the dialog says so.
    report = export(qtbot, dialog)
    assert report.counts["unchanged"] == len(evs) and report.counts["new"] == 0
    assert f"{len(evs)} unchanged" in dialog.message.text()


def test_dialog_keeps_the_reminders_for_the_command_line(qtbot, sample, settings, tmp_path):
    dialog = make_dialog(qtbot, sample, settings)
    type_into(qtbot, dialog.path_edit, str(tmp_path / "r.ics"))
    type_into(qtbot, dialog.hard_alarms, "ten")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.running and not (tmp_path / "r.ics").exists()
    assert "'ten' is not a number of days" in dialog.message.text()

    type_into(qtbot, dialog.hard_alarms, "14, 60, 14")
    type_into(qtbot, dialog.other_alarms, "")
    export(qtbot, dialog)
    assert dialog.hard_alarms.text() == "60, 14"
    stored = load_deadline_settings(sample)
    assert stored.alarm_days_hard == (60, 14) and stored.alarm_days_other == ()
    text = (tmp_path / "r.ics").read_text(encoding="utf-8")
    assert "TRIGGER:-P60D" in text and "TRIGGER:-P14D" in text
    assert "TRIGGER:-P30D" not in text and "TRIGGER:-P7D" not in text


def test_dialog_for_one_account_and_an_owner(qtbot, sample, settings, tmp_path):
    account = sample.accounts.where("archived = 0", order="name")[0]
    settings.set(CALENDAR_FOLDER, str(tmp_path))
    dialog = make_dialog(qtbot, sample, settings, account_id=account.id)
    assert dialog.account.currentData() == account.id
    expected = tmp_path / suggested_calendar_name(TODAY, account.name)
    assert dialog.path_edit.text() == str(expected)
    report = export(qtbot, dialog)
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(
        expected.read_bytes()).walk("VEVENT")]  # fmt: skip
    assert summaries and all(s.startswith(account.name) for s in summaries)
    assert f"for {account.name}" in dialog.message.text() and report.cancellations == 0

    # Everyone's accounts again, limited to an owner nobody has: nothing written, said calmly.
    dialog.account.setCurrentIndex(0)
    assert dialog.path_edit.text() == str(tmp_path / suggested_calendar_name(TODAY))
    type_into(qtbot, dialog.owner, "Nobody Atall")
    report = export(qtbot, dialog)
    assert report.path is None
    assert dialog.message.text().startswith("Nothing to put in the calendar")
    assert not dialog.open_folder_button.isVisible()


def test_dialog_explains_a_folder_that_does_not_exist(qtbot, sample, settings, tmp_path):
    dialog = make_dialog(qtbot, sample, settings)
    type_into(qtbot, dialog.path_edit, str(tmp_path / "no such folder" / "c.ics"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.running
    assert "does not exist" in dialog.message.text()


def test_dialog_choose_file_uses_the_file_dialog_answer(qtbot, sample, settings, tmp_path):
    dialog = make_dialog(qtbot, sample, settings)
    asked = []
    dialog.ask_path = lambda parent, suggested: asked.append(suggested) or tmp_path / "chosen"
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0].suffix == ".ics"
    assert dialog.path_edit.text() == str(tmp_path / "chosen.ics")


def test_file_menu_and_account_menu_open_the_dialog(qtbot, tmp_path, settings):
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    store = opener.open_sample()
    win = MainWindow(store, settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    try:
        file_menu = win.menuBar().actions()[0].menu()
        assert win.export_calendar_action in file_menu.actions()
        assert win.export_calendar_action.text() == "Export &Calendar…"
        win.export_calendar_action.trigger()
        dialog = win.findChild(CalendarExportDialog)
        assert dialog is not None and dialog.account.currentData() is None
        dialog.close()

        account = store.accounts.where("archived = 0", order="name")[0]
        assert not win.export_account_calendar_action.isEnabled()
        win.open_account(account.id)
        assert win.export_account_calendar_action.isEnabled()
        win.export_account_calendar_action.trigger()
        dialogs = [d for d in win.findChildren(CalendarExportDialog) if d.isVisible()]
        assert [d.account.currentData() for d in dialogs] == [account.id]
        type_into(qtbot, dialogs[0].path_edit, str(tmp_path / "acc.ics"))
        assert export(qtbot, dialogs[0]).events > 0
        assert (tmp_path / "acc.ics").exists()
        assert win.statusBar().currentMessage().startswith("Wrote ")
        dialogs[0].close()
    finally:
        win.close()
        win.store.close()


def test_the_guide_has_a_calendar_page_linked_from_files() -> None:
    from renewal_coach.paths import resource_path

    guide = resource_path("resources", "help", "guide.html").read_text(encoding="utf-8")
    assert 'href="calendar.html"' in guide
    page = resource_path("resources", "help", "calendar.html").read_text(encoding="utf-8")
    for program in ("Outlook", "Google Calendar", "Apple Calendar"):
        assert program in page
    assert "File ▸ Export Calendar…" in page and "renewal-coach calendar" in page
    assert "Cancelled:" in page and 'href="guide.html#files"' in page


def test_the_guide_window_follows_the_link_to_the_calendar_page(qtbot: QtBot) -> None:
    from PySide6.QtCore import QUrl

    from renewal_coach.ui.help import HelpWindow

    window = HelpWindow()
    qtbot.addWidget(window)
    assert window.problem == ""
    # What a click on the link does: the browser asks for the address as written.
    window.browser.setSource(QUrl("calendar.html"))
    assert "Deadlines in your own calendar" in window.browser.toPlainText()
    window.browser.setSource(QUrl("guide.html#files"))
    assert "Renewal Coach user guide" in window.browser.toPlainText()
