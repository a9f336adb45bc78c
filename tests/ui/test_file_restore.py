"""File ▸ Restore… goes through the change history: the window shows the restored records, the
undo stack starts empty, and the account's History panel shows what the restore changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.storage import backups as bk
from renewal_coach.storage.sample import create_sample_database
from renewal_coach.ui.dialogs.history_dialog import HistoryDialog, HistoryModel
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.settings import Settings
from renewal_coach.user import set_user_name


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    set_user_name("Ana Kovač")
    path = tmp_path / "portfolio.db"
    create_sample_database(path)
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win = MainWindow(opener.open(path), settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.portfolio.wait_for_scores()
    yield win
    win.portfolio.wait_for_scores()
    win.file_care.wait()
    win.store.close()


def test_restore_reloads_clears_undo_and_the_history_panel_shows_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    store = window.store
    path = store.path
    assert path is not None
    backup = bk.make_backup(store.db.conn, path, bk.MANUAL, now=datetime(2026, 3, 1, 9, 0))
    account = store.accounts.all()[0]
    window.open_account(account.id)
    window.editor.update(dataclasses.replace(account, notes="Typed after the backup"))
    window.editor.add(m.Account(name="Added after the backup"))
    assert window.editor.undo_stack.count() == 2
    entries_before = store.db.execute("SELECT count(*) FROM changes").fetchone()[0]

    assert window.restore_from(backup, ask=False)

    new = window.store
    assert new is not store and store.closed
    assert window.editor.store is new and window.editor.undo_stack.count() == 0
    assert not window.undo_action.isEnabled()
    assert new.accounts.get(account.id).notes == account.notes
    assert new.accounts.find_by_name("Added after the backup") is None
    # The log kept what was typed after the backup, and added the restore's own entries.
    kinds = [r[0] for r in new.db.execute("SELECT op_kind FROM changes ORDER BY seq")]
    assert len(kinds) > entries_before and kinds[entries_before:] == ["restore", "restore"]
    assert "Restored" in window.statusBar().currentMessage()

    window.open_account(account.id)
    dialog = window.account_page.show_history()
    assert isinstance(dialog, HistoryDialog)
    qtbot.addWidget(dialog)
    model = dialog.model
    rows = [
        [model.index(r, c).data() or "" for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    newest, previous = rows[0], rows[1]
    assert newest[HistoryModel.HOW] == "Restored" and newest[HistoryModel.WHO] == "Ana Kovač"
    assert newest[HistoryModel.FIELD] == "Notes (internal)"
    assert newest[HistoryModel.BEFORE] == "Typed after the backup"
    assert previous[HistoryModel.HOW] == "Edited"
    assert previous[HistoryModel.AFTER] == "Typed after the backup"
    dialog.close()


def test_a_slow_restore_leaves_the_window_answering(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The restore runs on a worker thread: the window's event loop keeps turning (timers
    fire, paints happen) until it has finished, and only then is the restored file shown."""
    import time

    from PySide6.QtCore import QTimer

    store = window.store
    path = store.path
    assert path is not None
    backup = bk.make_backup(store.db.conn, path, bk.MANUAL, now=datetime(2026, 3, 1, 9, 0))
    real_restore = type(window._databases).restore
    threads: list[str] = []

    def slow_restore(self: DatabaseOpener, target: Path, source: Path) -> Path | None:
        import threading

        threads.append(threading.current_thread().name)
        time.sleep(0.6)
        return real_restore(self, target, source)

    monkeypatch.setattr(type(window._databases), "restore", slow_restore)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    try:
        assert window.restore_from(backup, ask=False)
    finally:
        timer.stop()
    assert threads == ["renewal-coach-busy"]
    assert len(ticks) >= 10, "the window's event loop stood still during the restore"
    assert window.store is not store and "Restored" in window.statusBar().currentMessage()


def test_a_failing_restore_on_the_worker_is_reported_and_the_file_reopened(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from renewal_coach.storage.errors import StorageError
    from renewal_coach.ui import main_window as mw

    store = window.store
    shown: list[str] = []

    def refuse(self: DatabaseOpener, target: Path, source: Path) -> Path | None:
        raise StorageError("The backup is from a newer version.")

    monkeypatch.setattr(type(window._databases), "restore", refuse)
    monkeypatch.setattr(
        mw, "show_expected_error", lambda parent, heading, err: shown.append(str(err))
    )
    assert not window.restore_from(Path("/nowhere/backup.db"), ask=False)
    assert shown == ["The backup is from a newer version."]
    assert window.store is not store and not window.store.closed  # the file is open again
