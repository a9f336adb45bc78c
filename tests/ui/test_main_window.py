"""The main window: shows which database is open, swaps databases cleanly, remembers itself."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from renewal_coach import __version__
from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.storage.db import open_database
from renewal_coach.storage.queries import AccountRow, account_rows
from renewal_coach.storage.repository import Store
from renewal_coach.ui import main_window
from renewal_coach.ui.dialogs import messages
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.settings import LAST_DATABASE, Settings


def _write_portfolio(path: Path, accounts: list[tuple[str, str, str]]) -> None:
    """A small database with one contract per account (name, industry, owner)."""
    store = Store(open_database(path))
    try:
        for i, (name, industry, owner) in enumerate(accounts):
            account = store.accounts.add(m.Account(name=name, industry=industry, owner=owner))
            store.contracts.add(
                m.Contract(
                    account_id=account.id,
                    title="Managed services",
                    reference=f"C{i}",
                    start_date=date(2024, 1, 1),
                    end_date=date(2026, 6, 1 + i),
                    annual_value_minor=1_000_000 * (i + 1),
                )
            )
    finally:
        store.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def opener(tmp_path: Path) -> DatabaseOpener:
    return DatabaseOpener(Locations.in_folder(tmp_path / "data"))


@pytest.fixture
def sample_store(opener: DatabaseOpener) -> Store:
    """The real sample portfolio, built in its own file the way the app builds it."""
    assert not opener.sample_path.exists()
    return opener.open_sample()


@pytest.fixture
def sample_rows(sample_store: Store) -> list[AccountRow]:
    return account_rows(sample_store, date.today())


@pytest.fixture
def window(
    qtbot: QtBot, sample_store: Store, settings: Settings, opener: DatabaseOpener
) -> Iterator[MainWindow]:
    # The sample's dates are relative to the day it is built, so the window uses the real day.
    win = MainWindow(sample_store, settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.store.close()


def _names(win: MainWindow) -> list[str]:
    proxy = win.portfolio.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def _is_closed(store: Store) -> bool:
    try:
        store.db.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def test_window_opens_on_the_sample_and_says_so(
    window: MainWindow, opener: DatabaseOpener, sample_rows: list[AccountRow]
) -> None:
    assert window.is_sample
    assert "sample-portfolio.db" in window.windowTitle()
    assert window.kind_label.text() == "Sample portfolio:"
    assert window.path_label.text() == str(opener.sample_path)
    assert window.banner.isVisible()
    assert not window.open_sample_action.isEnabled()
    assert window.my_portfolio_action.isEnabled()
    assert len(sample_rows) >= 10
    assert sorted(_names(window)) == sorted(r.name for r in sample_rows)
    # Soonest renewal first.
    by_name = {r.name: r.next_renewal for r in sample_rows}
    shown = [by_name[name] for name in _names(window)]
    dated = [d for d in shown if d is not None]
    assert dated == sorted(dated)
    assert shown[len(dated) :] == [None] * (len(shown) - len(dated))


def test_find_shortcut_focuses_the_filter_and_typing_filters(
    qtbot: QtBot, window: MainWindow, sample_rows: list[AccountRow]
) -> None:
    owner = sample_rows[0].owner
    theirs = sorted(r.name for r in sample_rows if owner.casefold() in r.owner.casefold())
    assert 0 < len(theirs) < len(sample_rows)

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.portfolio.table.setFocus()

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.portfolio.filter_edit.hasFocus())
    qtbot.keyClicks(window.portfolio.filter_edit, owner.upper())

    # Owners only here: no account name or industry in the sample contains an owner's name.
    assert sorted(_names(window)) == theirs
    assert window.portfolio.count_label.text() == f"{len(theirs)} of {len(sample_rows)} accounts"


def test_menus_carry_the_standard_shortcuts(window: MainWindow) -> None:
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Account", "&Tools", "&Help"]
    assert window.back_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Back)
    assert window.open_action.shortcut() == QKeySequence("Ctrl+O")
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")
    assert window.find_action.shortcut() == QKeySequence("Ctrl+F")
    assert window.new_account_action.shortcut() == QKeySequence("Ctrl+N")
    assert window.undo_action.shortcut() == QKeySequence("Ctrl+Z")
    assert QKeySequence("Ctrl+Y") in window.redo_action.shortcuts()
    assert window.log_action.shortcut() == QKeySequence("Ctrl+L")
    # No key is claimed twice anywhere in the window (Qt would then fire neither).
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        if action.shortcutContext() != Qt.ShortcutContext.WindowShortcut:
            continue
        for key in action.shortcuts():
            text = key.toString()
            assert text not in seen, (text, seen.get(text), action.text())
            seen[text] = action.text()


def test_switching_to_my_portfolio_swaps_the_store_cleanly(
    qtbot: QtBot,
    window: MainWindow,
    opener: DatabaseOpener,
    settings: Settings,
    sample_rows: list[AccountRow],
) -> None:
    sample = window.store
    window.portfolio.filter_edit.setText("north")

    with qtbot.waitSignal(window.database_changed, timeout=1000) as changed:
        window.my_portfolio_action.trigger()

    assert _is_closed(sample)
    assert window.store.path == opener.user_path.resolve()
    assert changed.args == [window.store.path]
    assert not window.is_sample
    assert window.windowTitle().startswith("portfolio.db")
    assert window.kind_label.text() == "My portfolio:"
    assert not window.banner.isVisible()
    assert window.portfolio.filter_edit.text() == ""
    assert window.portfolio.stack.currentIndex() == window.portfolio.EMPTY_PAGE
    assert not window.my_portfolio_action.isEnabled()
    assert window.open_sample_action.isEnabled()
    assert settings.get(LAST_DATABASE) == str(opener.user_path.resolve())

    # ... and back again, from the empty portfolio's own button.
    window.portfolio.empty.action.click()
    assert window.is_sample
    assert len(_names(window)) == len(sample_rows)
    assert window.portfolio.stack.currentIndex() == window.portfolio.TABLE_PAGE


def test_a_database_that_cannot_be_opened_is_explained_and_nothing_changes(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database at all" * 10)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        main_window, "show_expected_error", lambda _p, what, err: shown.append((what, str(err)))
    )
    before = window.store

    assert window.open_path(broken) is False

    assert window.store is before
    assert not _is_closed(before)
    assert shown and "broken.db" in shown[0][0]
    assert "not a Renewal Coach database" in shown[0][1]


def test_open_database_uses_the_chosen_file(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "team.db"
    _write_portfolio(other, [("Quayside Ports", "Transport", "Liam Walsh")])
    monkeypatch.setattr(messages, "choose_database_file", lambda _parent, _start: other)

    window.open_action.trigger()

    assert window.store.path == other.resolve()
    assert window.kind_label.text() == "Database:"
    assert "team.db" in window.windowTitle()
    assert _names(window) == ["Quayside Ports"]


def test_opening_the_database_already_open_keeps_it(window: MainWindow) -> None:
    before = window.store
    assert window.open_path(before.path) is True
    assert window.store is before
    assert not _is_closed(before)


def test_about_shows_the_version_and_the_database(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, opener: DatabaseOpener
) -> None:
    seen: list[tuple[object, ...]] = []
    monkeypatch.setattr(messages, "show_about", lambda *args: seen.append(args))
    window.about_action.trigger()
    assert seen == [(window, __version__, window.store.path, True)]

    text = messages.about_html(__version__, opener.sample_path, True)
    assert __version__ in text
    assert str(opener.sample_path) in text
    assert "sample portfolio" in text


def test_activating_an_account_is_passed_on(qtbot: QtBot, window: MainWindow) -> None:
    table = window.portfolio.table
    table.setFocus()
    table.setCurrentIndex(window.portfolio.proxy.index(0, 0))
    with qtbot.waitSignal(window.account_activated, timeout=1000) as signal:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert signal.args == [window.portfolio.visible_account_ids()[0]]


def test_quit_closes_the_window(qtbot: QtBot, window: MainWindow) -> None:
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_geometry_and_column_order_are_remembered(
    qtbot: QtBot, window: MainWindow, settings: Settings, opener: DatabaseOpener
) -> None:
    # The offscreen screen is 800x600; restoreGeometry keeps a window on its screen.
    window.resize(720, 540)
    window.portfolio.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    window.close()
    assert settings.window_state("main_geometry") is not None

    again = MainWindow(opener.open_sample(), settings, opener)
    qtbot.addWidget(again)
    try:
        assert (again.width(), again.height()) == (720, 540)
        header = again.portfolio.table.horizontalHeader()
        assert header.sortIndicatorSection() == 4
        assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    finally:
        again.store.close()


def test_first_window_fits_a_small_laptop_screen(qtbot: QtBot, window: MainWindow) -> None:
    # No saved geometry: the default size leaves room on a 1366x768 screen.
    assert window.width() <= 1366
    assert window.height() <= 768
    assert window.minimumSizeHint().width() <= 1000


def test_a_database_that_fails_while_loading_leaves_the_current_one_in_place(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "damaged.db"
    _write_portfolio(damaged, [("Quayside Ports", "Transport", "Liam Walsh")])
    opened: list[Store] = []

    def open_damaged(path: Path) -> Store:
        store = Store(open_database(path))
        # Opens fine, but a table is gone: the failure only shows when the list is read.
        store.db.execute("PRAGMA foreign_keys = OFF")
        store.db.execute("DROP TABLE contracts")
        opened.append(store)
        return store

    monkeypatch.setattr(window._databases, "open", open_damaged)
    shown: list[str] = []
    monkeypatch.setattr(
        main_window, "show_expected_error", lambda _p, what, err: shown.append(what)
    )
    before = window.store
    names = _names(window)

    assert window.open_path(damaged) is False

    assert window.store is before and not _is_closed(before)
    assert _names(window) == names
    assert window.is_sample
    assert _is_closed(opened[0])
    assert shown == ["Could not open damaged.db."]


def test_undo_and_redo_keep_short_labels_on_the_toolbar(qtbot: QtBot, window: MainWindow) -> None:
    long_name = "Harbourside Regional Facilities and Estates Management Partnership Limited"
    window.editor.add(m.Account(name=long_name, industry="Facilities"))
    bar = window.toolbar
    undo_button = bar.widgetForAction(window.undo_tool_action)
    redo_button = bar.widgetForAction(window.redo_tool_action)
    assert undo_button is not None and redo_button is not None
    assert undo_button.text() == "Undo" and undo_button.isEnabled()
    what = "Add account Harbourside Regional Facilities"  # as the undo history words it
    assert what in undo_button.toolTip() and "Ctrl+Z" in undo_button.toolTip()
    assert what in window.undo_action.text()  # the Edit menu keeps the full text
    assert undo_button.sizeHint().width() < 160
    assert not redo_button.isEnabled()
    # Ctrl+Z from wherever the focus is undoes it; Redo then offers it back.
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow() and QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.store.accounts.find_by_name(long_name) is None
    assert not undo_button.isEnabled() and undo_button.text() == "Undo"
    assert redo_button.isEnabled() and redo_button.text() == "Redo"
    assert what in redo_button.toolTip()
    redo_button.click()
    assert window.store.accounts.find_by_name(long_name) is not None


def test_an_account_named_with_an_ampersand_keeps_it_on_the_toolbar(window: MainWindow) -> None:
    pip = next(a for a in window.store.accounts.all() if "&" in a.name)
    window.open_account(pip.id)
    text = window.account_page_action.text()
    # Doubled in the action's text, which shows as one "&" and not as a key underline.
    assert pip.name.replace("&", "&&") in text
    assert text.replace("&&", "").count("&") == 1  # only the mnemonic of "Account"


def test_the_first_look_at_a_chart_page_shows_the_page_before_the_chart_is_drawn(
    qtbot: QtBot, window: MainWindow
) -> None:
    # Under a window manager the first Ctrl+2 seemed lost: the chart was built (seconds of
    # matplotlib on a cold start) before the Renewals page was ever painted, so the old page
    # stayed on screen. Now the page, with "Drawing the chart…", is painted first.
    assert window.portfolio.wait_for_scores()
    window.activateWindow()
    window.portfolio.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.portfolio.table)
    chart = window.renewals.chart
    assert not chart.is_built
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.renewals
    assert not chart.is_built, "the chart waits until the page has been painted"
    assert chart.placeholder.isVisible()
    assert window.renewals.model.rowCount() > 0  # the list is there meanwhile
    qtbot.waitUntil(lambda: chart.is_built and not chart.is_stale, timeout=20_000)
    assert not chart.placeholder.isVisible()


def test_the_charts_modules_load_on_a_worker_thread() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from renewal_coach.ui.widgets.chart_view import load_chart_modules_in_background\n"
        "assert 'matplotlib.figure' not in sys.modules\n"
        "load_chart_modules_in_background().join(60)\n"
        "assert 'matplotlib.figure' in sys.modules and 'matplotlib.dates' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
