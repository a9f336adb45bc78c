"""The app and the file: read-only viewing (another window writing, a read-only file), the
daily check and backup, damage met after the window is up, and restoring from File ▸ Restore."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations, open_with_recovery
from renewal_coach.core import models as m
from renewal_coach.storage import backups as bk
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store
from renewal_coach.ui import errors as ui_errors
from renewal_coach.ui.dialogs.backups import BackupsDialog
from renewal_coach.ui.dialogs.messages import OpenFailedDialog, Recovery
from renewal_coach.ui.file_care import DailyCare, backup_after_changes
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.settings import Settings
from tests.storage.test_backups import flip_pages
from tests.storage.test_lock import hold_in_other_process


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def opener(tmp_path: Path) -> DatabaseOpener:
    return DatabaseOpener(Locations.in_folder(tmp_path / "data"))


def _portfolio(path: Path, accounts: int = 5) -> Path:
    store = Store(open_database(path))
    for i in range(accounts):
        account = store.accounts.add(m.Account(name=f"Customer {i:03d}"))
        store.contracts.add(
            m.Contract(
                account_id=account.id,
                reference=f"C-{i}",
                title="Cleaning",
                start_date=date(2025, 1, 1),
                end_date=date(2027, 1, 1),
            )
        )
    store.close()
    return path


def _window(qtbot: QtBot, store: Store, settings: Settings, opener: DatabaseOpener) -> MainWindow:
    win = MainWindow(store, settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


class _Asked:
    def __init__(self, *answers: Recovery) -> None:
        self.answers = list(answers)
        self.calls: list[dict[str, object]] = []

    def __call__(self, path: Path, message: str, *args: object, **more: object) -> Recovery:
        self.calls.append({"path": path, "message": message, "args": args, **more})
        return self.answers.pop(0)


def _edits_off(win: MainWindow) -> None:
    assert win.this_week.mark_done_button in win._edit_controls()
    for control in win._edit_controls():
        if control is not None:
            assert not control.isEnabled(), control


@pytest.fixture
def tracked_window() -> Iterator[list[MainWindow]]:
    made: list[MainWindow] = []
    yield made
    for win in made:
        win.file_care.wait()
        win.store.close()


def test_a_second_instance_is_offered_read_only_viewing_with_every_edit_off(
    qtbot: QtBot, tmp_path: Path, settings: Settings, opener: DatabaseOpener, tracked_window
) -> None:
    path = _portfolio(tmp_path / "shared.db")
    proc = hold_in_other_process(path)
    try:
        ask = _Asked(Recovery.OPEN_READ_ONLY)
        store = open_with_recovery(path, opener, ask=ask, choose_file=lambda _s: None)
        assert store is not None and store.read_only
        assert ask.calls[0]["offer_read_only"] is True
        assert f"process {proc.pid}" in str(ask.calls[0]["message"])
        assert f"process {proc.pid}" in store.read_only_reason
        win = _window(qtbot, store, settings, opener)
        tracked_window.append(win)
        assert win.read_only_banner.isVisible()
        assert "Read-only" in win.read_only_banner.label.text()
        assert win.windowTitle() == "shared.db (read-only) — Renewal Coach"
        _edits_off(win)
        assert not win.restore_action.isEnabled()  # the other window owns the file
        assert win.backup_now_action.isEnabled()  # a copy only reads
        # Opening an account and selecting rows does not bring any edit back.
        account = store.accounts.all()[0]
        win.open_account(account.id)
        tab = win.account_page.record_tabs[m.Contract]
        tab.table.selectRow(0)
        _edits_off(win)
        # Nor do the ways round the buttons (a double-click, the Delete key).
        assert tab.edit_selected() is None and not tab.delete_selected()
        assert tab.add_record() is None
        assert not win.account_page.assessments.delete_selected()
        with pytest.raises(Exception, match="open for changes in another"):
            store.accounts.add(m.Account(name="Not saved"))
    finally:
        proc.kill()
        proc.wait()


def test_a_read_only_file_opens_read_only_by_itself(
    qtbot: QtBot, tmp_path: Path, settings: Settings, opener: DatabaseOpener, tracked_window
) -> None:
    path = _portfolio(tmp_path / "locked.db")
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        store = opener.open(path)
        assert store.read_only and "read-only" in store.read_only_reason
        win = _window(qtbot, store, settings, opener)
        tracked_window.append(win)
        assert win.read_only_banner.isVisible()
        _edits_off(win)
        assert not win.restore_action.isEnabled()
        assert win.portfolio.proxy.rowCount() == 5  # looking works
        # No backup is made of a file the app may not change.
        assert not win.care_for_file() or not bk.list_backups(path)
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def test_edits_come_back_when_a_writable_file_is_opened(
    qtbot: QtBot, tmp_path: Path, settings: Settings, opener: DatabaseOpener, tracked_window
) -> None:
    ro = _portfolio(tmp_path / "ro.db")
    rw = _portfolio(tmp_path / "rw.db")
    store = opener.open(ro, read_only_reason="Looking only.")
    win = _window(qtbot, store, settings, opener)
    tracked_window.append(win)
    _edits_off(win)
    assert win.open_path(rw)
    assert not win.store.read_only and not win.read_only_banner.isVisible()
    assert win.new_account_action.isEnabled() and win.import_action.isEnabled()


def test_the_daily_check_and_backup_run_once_a_day(
    qtbot: QtBot, tmp_path: Path, settings: Settings
) -> None:
    path = _portfolio(tmp_path / "p.db")
    store = Store(open_database(path))
    day = [datetime(2026, 3, 2, 9, 0)]
    care = DailyCare(settings, now=lambda: day[0])
    with qtbot.waitSignal(care.checked, timeout=10_000) as got:
        assert care.start(store)
    assert got.args[0].ok
    qtbot.waitUntil(lambda: not care.busy, timeout=10_000)
    made = bk.list_backups(path)
    assert [b.kind for b in made] == [bk.OPEN]
    assert care.last_checked(path) == date(2026, 3, 2)
    assert not care.start(store)  # the same day: nothing to do
    # The next day both run again; the remembered day survives a new settings object.
    again = DailyCare(Settings(QSettings(settings.file_name, QSettings.Format.IniFormat)))
    assert again.last_checked(path) == date(2026, 3, 2)
    day[0] = datetime(2026, 3, 3, 9, 0)
    with qtbot.waitSignal(care.checked, timeout=10_000):
        assert care.start(store)
    qtbot.waitUntil(lambda: not care.busy, timeout=10_000)
    assert len(bk.list_backups(path)) == 2
    store.close()


def test_a_backup_after_changes_and_none_without(tmp_path: Path) -> None:
    path = _portfolio(tmp_path / "p.db")
    store = Store(open_database(path))
    assert backup_after_changes(store) is None
    store.accounts.add(m.Account(name="New today"))
    made = backup_after_changes(store)
    assert made is not None and made.name.endswith("-close.db")
    assert bk.contents(made).accounts == 6
    store.close()


def test_a_flipped_page_found_after_the_first_paint_gets_the_recovery_dialog(
    qtbot: QtBot, tmp_path: Path, settings: Settings, opener: DatabaseOpener, tracked_window
) -> None:
    path = _portfolio(tmp_path / "damaged.db", accounts=150)
    conn = open_database(path).conn
    good = bk.make_backup(conn, path, bk.MANUAL, now=datetime(2026, 3, 1, 9, 0))
    conn.close()
    from renewal_coach.storage import lock

    lock.release(path)
    store = opener.open(path)
    win = _window(qtbot, store, settings, opener)
    tracked_window.append(win)
    qtbot.waitUntil(lambda: not win.scores.busy, timeout=10_000)
    flip_pages(path)  # the disk fails while the window is up
    crashes: list[str] = []
    hook = ui_errors.ExceptionHook(None)
    hook.crashed.connect(crashes.append)
    ask = _Asked(Recovery.RESTORE_BACKUP)
    win.ask_recovery = ask
    with qtbot.waitSignal(win.file_care.damaged, timeout=10_000):
        assert win.care_for_file()
    qtbot.waitUntil(lambda: bool(ask.calls), timeout=10_000)
    call = ask.calls[0]
    assert call["restore_from"] == good and "damaged" in str(call["message"])
    assert "found damage" in str(call["heading"])
    # The restore happened: the file is sound again and the damaged one kept.
    assert win.store.accounts.count() == 150
    from renewal_coach.storage.integrity import quick_check

    assert quick_check(path).ok
    assert any(b.kind == bk.RESTORE for b in bk.list_backups(path))
    assert not crashes


def test_damage_raised_anywhere_goes_to_the_window_not_the_crash_dialog(
    qtbot: QtBot, tmp_path: Path, settings: Settings, opener: DatabaseOpener, tracked_window
) -> None:
    import sqlite3
    import sys

    path = _portfolio(tmp_path / "p.db")
    store = opener.open(path)
    win = _window(qtbot, store, settings, opener)
    tracked_window.append(win)
    ask = _Asked(Recovery.OPEN_READ_ONLY)
    win.ask_recovery = ask
    hook = ui_errors.ExceptionHook(None)
    crashes: list[str] = []
    hook.crashed.connect(crashes.append)
    try:
        raise sqlite3.DatabaseError("database disk image is malformed")
    except sqlite3.DatabaseError:
        hook(*sys.exc_info())  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: bool(ask.calls), timeout=5000)
    assert not crashes
    # No backup was made of this file: the advice says so, and points to no Restore.
    said = str(ask.calls[0]["message"])
    assert ask.calls[0]["restore_from"] is None
    assert "No good backup of it was found" in said and "Restore" not in said, said
    assert win.store.read_only and win.read_only_banner.isVisible()
    _edits_off(win)
    assert win.restore_action.isEnabled() and win.read_only_banner.button.isVisible()
    # A second report on the same file does not ask again.
    hook(sqlite3.DatabaseError, sqlite3.DatabaseError("malformed"), None)
    qtbot.wait(50)
    assert len(ask.calls) == 1


def test_recovery_dialog_offers_restore_and_read_only(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = OpenFailedDialog(
        tmp_path / "p.db",
        "It is damaged.",
        offer_default=True,
        offer_read_only=True,
        restore_from=tmp_path / "backups" / "p-20260301-090000-open.db",
    )
    qtbot.addWidget(dialog)
    restore = dialog.button_for(Recovery.RESTORE_BACKUP)
    assert restore is not None and restore.text() == "Restore the Latest Good Backup"
    assert dialog.defaultButton() is restore
    assert dialog.button_for(Recovery.OPEN_READ_ONLY) is not None
    restore.click()
    assert dialog.recovery() is Recovery.RESTORE_BACKUP


def test_restore_dialog_lists_backups_and_refuses_a_newer_one(
    qtbot: QtBot, tmp_path: Path, settings: Settings, opener: DatabaseOpener, tracked_window
) -> None:
    import sqlite3

    from renewal_coach.storage.migrations import SCHEMA_VERSION

    path = _portfolio(tmp_path / "p.db", accounts=3)
    store = opener.open(path)
    older = bk.make_backup(store.db.conn, path, bk.OPEN, now=datetime(2026, 3, 1, 9, 0))
    newer = bk.make_backup(store.db.conn, path, bk.MANUAL, now=datetime(2026, 3, 2, 9, 0))
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    store.accounts.add(m.Account(name="After the backups"))
    win = _window(qtbot, store, settings, opener)
    tracked_window.append(win)

    dialog = BackupsDialog(store, win)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() == 2
    assert model.index(1, model.ACCOUNTS).data() == "…"  # read after the list is shown
    dialog.wait()
    assert "newer version" in model.index(0, model.WHY).data()
    assert model.index(1, model.ACCOUNTS).data() == "3"
    assert model.index(1, model.CONTRACTS).data() == "3"
    assert model.index(1, model.LAST_CHANGE).data() != "—"
    dialog.table.selectRow(0)
    assert not dialog.restore_button.isEnabled()
    dialog.table.selectRow(1)
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    assert dialog.chosen == older

    assert win.restore_from(older, ask=False)
    assert win.store.accounts.count() == 3
    kept = [b for b in bk.list_backups(path) if b.kind == bk.RESTORE]
    assert kept and bk.contents(kept[0].path).accounts == 4
    # And the writer lock is still this window's, held once.
    from renewal_coach.storage import lock

    assert lock.held_here(path)


def test_rotation_counts_are_kept_from_the_dialog(
    qtbot: QtBot, tmp_path: Path, opener: DatabaseOpener
) -> None:
    path = _portfolio(tmp_path / "p.db")
    store = opener.open(path)
    for day in range(1, 6):
        bk.make_backup(store.db.conn, path, bk.OPEN, now=datetime(2026, 3, day, 9, 0))
    dialog = BackupsDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 5
    dialog.daily.setValue(2)
    dialog.weekly.setValue(0)
    dialog.monthly.setValue(0)
    assert dialog.save_rotation()
    assert dialog.model.rowCount() == 2
    assert bk.load_rotation(store.db.conn) == bk.Rotation(2, 0, 0)
    store.close()


def test_opening_another_file_backs_up_the_one_changed(
    qtbot: QtBot, tmp_path: Path, settings: Settings, opener: DatabaseOpener, tracked_window
) -> None:
    first = _portfolio(tmp_path / "first.db")
    second = _portfolio(tmp_path / "second.db")
    win = _window(qtbot, opener.open(first), settings, opener)
    tracked_window.append(win)
    assert win.care_for_file()  # what run_gui starts after the first paint
    qtbot.waitUntil(lambda: not win.file_care.busy, timeout=10_000)
    assert [b.kind for b in bk.list_backups(first)] == [bk.OPEN]  # the day's first opening
    win.store.accounts.add(m.Account(name="Changed today"))
    assert win.open_path(second)
    qtbot.waitUntil(lambda: not win.file_care.busy, timeout=10_000)
    closing = [b for b in bk.list_backups(first) if b.kind == bk.CLOSE]
    assert len(closing) == 1 and bk.contents(closing[0].path).accounts == 6
    # Opening it again and leaving it unchanged makes no further backup on closing.
    assert win.open_path(first)
    qtbot.waitUntil(lambda: not win.file_care.busy, timeout=10_000)
    assert win.open_path(second)
    qtbot.waitUntil(lambda: not win.file_care.busy, timeout=10_000)
    assert len([b for b in bk.list_backups(first) if b.kind == bk.CLOSE]) == 1


def test_a_file_on_a_network_share_gets_a_warning_banner(
    qtbot: QtBot,
    tmp_path: Path,
    settings: Settings,
    opener: DatabaseOpener,
    tracked_window,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from renewal_coach.storage import lock

    share = _portfolio(tmp_path / "share.db")
    local = _portfolio(tmp_path / "local.db")
    monkeypatch.setattr(
        lock, "network_filesystem", lambda path, mounts=None: "nfs4" if path == share else None
    )
    win = _window(qtbot, opener.open(share), settings, opener)
    tracked_window.append(win)
    assert win.network_banner.isVisible() and "network share (nfs4)" in (
        win.network_banner.label.text()
    )
    assert not win.read_only_banner.isVisible()
    assert win.new_account_action.isEnabled()  # a warning, not a refusal
    assert win.open_path(local)
    assert not win.network_banner.isVisible()


def test_a_backup_that_cannot_be_made_is_said_in_the_status_bar(
    qtbot: QtBot, tmp_path: Path, settings: Settings, opener: DatabaseOpener, tracked_window
) -> None:
    path = _portfolio(tmp_path / "p.db")
    (tmp_path / "backups").write_text("a file where the folder should be")
    win = _window(qtbot, opener.open(path), settings, opener)
    tracked_window.append(win)
    with qtbot.waitSignal(win.file_care.failed, timeout=10_000):
        assert win.care_for_file()
    assert "backup could not be made" in win.statusBar().currentMessage()
    assert win.store.accounts.count() == 5  # the portfolio itself carries on
