"""File ▸ Open Recent: the databases opened last, kept in the settings, each listed once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.recent import MAX_RECENT, read_recent, remember
from renewal_coach.ui.settings import RECENT_DATABASES, Settings


def _database(path: Path, name: str) -> Path:
    store = Store(open_database(path))
    try:
        store.accounts.add(m.Account(name=name))
    finally:
        store.close()
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def opener(tmp_path: Path) -> DatabaseOpener:
    return DatabaseOpener(Locations.in_folder(tmp_path / "data"))


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    return [_database(tmp_path / f"{n}.db", n.title()) for n in ("north", "south", "east")]


@pytest.fixture
def window(
    qtbot: QtBot, settings: Settings, opener: DatabaseOpener, files: list[Path]
) -> Iterator[MainWindow]:
    win = MainWindow(opener.open(files[0]), settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.store.close()


def _entries(win: MainWindow) -> list[tuple[str, bool]]:
    """(text, enabled) of the file entries, as the menu shows them when opened."""
    menu = win.recent.menu
    menu.aboutToShow.emit()
    return [
        (a.text(), a.isEnabled())
        for a in menu.actions()
        if a.data() is not None and not a.isSeparator()
    ]


def test_the_menu_sits_in_file_after_open_database(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    actions = file_menu.actions()
    index = actions.index(window.open_action)
    assert actions[index + 1].menu() is window.recent.menu
    assert window.recent.menu.title() == "Open &Recent"


def test_files_opened_are_listed_newest_first_without_the_one_open(
    window: MainWindow, files: list[Path]
) -> None:
    north, south, east = files
    # Only the file open now is known: nothing else to offer.
    assert _entries(window) == []
    texts = [a.text() for a in window.recent.menu.actions()]
    assert "No recent databases" in texts
    assert window.open_path(south)
    assert window.open_path(east)
    entries = _entries(window)
    assert [t.split("  ")[1] for t, _e in entries] == ["south.db", "north.db"]
    assert all(enabled for _t, enabled in entries)
    # The settings hold all three, newest first, for the next session.
    assert read_recent(window._settings) == [east, south, north]


def test_choosing_an_entry_opens_it_and_it_is_listed_once(
    window: MainWindow, files: list[Path]
) -> None:
    north, south, _east = files
    assert window.open_path(south)
    menu = window.recent.menu
    menu.aboutToShow.emit()
    entry = next(a for a in menu.actions() if a.data() == str(north))
    entry.trigger()
    assert window.store.path == north
    assert window.portfolio.model.row_at(0).name == "North"
    # The same file through another spelling is still one entry.
    assert window.open_path(north.parent / "." / "south.db")
    names = [t.split("  ")[1] for t, _e in _entries(window)]
    assert names == ["north.db"]
    assert len(read_recent(window._settings)) == 2


def test_a_missing_file_is_shown_disabled_and_clear_forgets_the_list(
    window: MainWindow, files: list[Path]
) -> None:
    _north, south, east = files
    assert window.open_path(south)
    assert window.open_path(east)
    south.unlink()
    entries = dict(_entries(window))
    missing = next(t for t in entries if "south.db" in t)
    assert not entries[missing]
    assert "(not found)" in missing
    assert all(enabled for t, enabled in entries.items() if t != missing)
    window.recent.clear_action.trigger()
    assert _entries(window) == []
    assert read_recent(window._settings) == []
    assert not window.recent.clear_action.isEnabled()


def test_the_sample_has_its_own_entry_and_is_not_listed(
    window: MainWindow, opener: DatabaseOpener, files: list[Path]
) -> None:
    assert window.open_sample()
    assert window.is_sample
    assert read_recent(window._settings) == [files[0]]
    assert window.open_path(files[1])
    assert [a.data() for a in window.recent.menu.actions() if a.data()] == [str(files[0])]
    assert opener.sample_path not in read_recent(window._settings)


def test_the_list_is_kept_short_and_survives_odd_settings(
    settings: Settings, tmp_path: Path
) -> None:
    for i in range(MAX_RECENT + 3):
        remember(settings, tmp_path / f"p{i}.db")
    kept = read_recent(settings)
    assert len(kept) == MAX_RECENT
    assert kept[0] == tmp_path / f"p{MAX_RECENT + 2}.db"
    # A hand-edited value with blank lines and repeats still reads as one list.
    settings.set(RECENT_DATABASES, f"\n{tmp_path / 'a.db'}\n\n{tmp_path / 'a.db'}\n")
    assert read_recent(settings) == [tmp_path / "a.db"]
    # A path with a comma survives the ini file; one with "&" is not a mnemonic.
    settings.set(RECENT_DATABASES, "")
    remember(settings, tmp_path / "Smith, Jones.db")
    settings.sync()
    again = Settings(QSettings(settings.file_name, QSettings.Format.IniFormat))
    assert read_recent(again) == [tmp_path / "Smith, Jones.db"]


def test_an_ampersand_in_a_name_is_shown_as_itself(window: MainWindow, tmp_path: Path) -> None:
    odd = _database(tmp_path / "R&D.db", "Lab")
    assert window.open_path(odd)
    assert window.open_path(tmp_path / "south.db")
    texts = [t for t, _e in _entries(window)]
    assert texts[0].startswith("&1  R&&D.db  —  ")
