"""Help: F1 opens the shipped user guide; Keyboard Shortcuts lists the window's actions as they
are when it opens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.paths import resource_path
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store
from renewal_coach.ui.help import GUIDE_PARTS, HelpWindow, ShortcutsDialog, shortcut_rows
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    path = tmp_path / "p.db"
    store = Store(open_database(path))
    store.accounts.add(m.Account(name="Northwind"))
    store.close()
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = MainWindow(opener.open(path), settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    yield win
    win.store.close()


# ---- the guide ---------------------------------------------------------------------------


def test_the_guide_ships_in_the_resources_folder() -> None:
    path = resource_path(*GUIDE_PARTS)
    assert path == ROOT / "resources" / "help" / "guide.html"
    # setup.py ships every file under resources/ as package data (and build.spec copies the
    # folder): the guide needs no entry of its own, as long as that stays so.
    setup = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert '"renewal_coach.resources": "resources"' in setup
    assert '["**/*"]' in setup


def test_the_guide_covers_the_method_pages_scores_and_sourced_facts() -> None:
    html = resource_path(*GUIDE_PARTS).read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    for anchor in ("method", "campaign", "portfolio", "renewals", "insights", "account", "plans"):
        assert f'name="{anchor}"' in html, anchor
    for score in ("Treasure", "Develop", "Maintain", "Drain", "Neglect", "Obsessive", "Elevated"):
        assert score in text, score
    assert "Readiness" in text
    # The fourth segment is explained as Maintain; Proportionate is named as a band only.
    assert "<li><b>Maintain</b>" in html
    assert "<li><b>Proportionate</b>" not in html
    # DOMAIN.md section 7, each with its source named.
    for source in (
        "Tenacity",
        "Rebidding Solutions",
        "APMP Body of Knowledge",
        "42%",
        "30%",
        "75%",
        "Dixon, Freeman",
        "Harvard Business Review, 2010",
        "IBM",
        "six months",
    ):
        assert source in text, source


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking
def test_f1_opens_the_guide_at_the_page_on_screen(qtbot: QtBot, window: MainWindow) -> None:
    assert window.help_window is None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.help_window is not None and window.help_window.isVisible())
    guide = window.help_window
    assert guide.problem == ""
    assert "Renewal Coach user guide" in guide.browser.toPlainText()
    # Scrolled to the Portfolio part, not left at the top.
    assert guide.browser.verticalScrollBar().value() > 0
    # F1 again reuses the same window.
    assert window.show_guide() is guide


def test_a_missing_guide_says_so_plainly(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = HelpWindow(path=tmp_path / "nowhere.html")
    qtbot.addWidget(dialog)
    assert dialog.problem
    assert "could not be read" in dialog.browser.toPlainText()
    assert "nowhere.html" in dialog.browser.toPlainText()


# ---- keyboard shortcuts -----------------------------------------------------------------


def _names(rows: list[tuple[str, str, str]]) -> dict[str, tuple[str, str]]:
    return {name: (place, keys) for place, name, keys in rows}


def test_the_list_is_read_from_the_actions(qtbot: QtBot, window: MainWindow) -> None:
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    shown = _names(dialog.texts())
    native = QKeySequence.SequenceFormat.NativeText
    assert shown["Open Database…"] == ("File", window.open_action.shortcut().toString(native))
    assert shown["Quit"][1] == "Ctrl+Q"
    assert shown["Renewal Coach User Guide"] == ("Help", "F1")
    assert shown["Portfolio"] == ("View", "Ctrl+1")
    # Every action of the window with a shortcut is there by its name, none without one.
    with_keys = [
        a for a in window.findChildren(QAction) if any(not k.isEmpty() for k in a.shortcuts())
    ]
    assert len(with_keys) > len(dialog.rows) > 15  # the record lists share three lines
    for action in with_keys:
        name = action.text().replace("&", "")
        assert name and name in shown, f"{name!r} is missing"
    assert all(r.keys and r.name and r.place for r in dialog.rows)
    # Keys that only work in a list say where.
    assert shown["Delete the selected record"] == ("Account tab lists", "Del")
    assert shown["Mark milestone done…"][1] == "Ctrl+D"
    assert "Ctrl+Y" in shown["Redo"][1]


def test_an_action_added_later_shows_up(qtbot: QtBot, window: MainWindow) -> None:
    before = _names([(r.place, r.name, r.keys) for r in shortcut_rows(window)])
    assert "Frobnicate" not in before
    extra = QAction("&Frobnicate", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+J"))
    window.menuBar().actions()[4].menu().addAction(extra)  # the Tools menu
    loose = QAction("Loose Thing", window)
    loose.setShortcut(QKeySequence("Ctrl+Alt+K"))
    window.addAction(loose)
    # A dedicated Redo key (some keyboards have one) is not taught beside the usual keys.
    media = QAction("Again", window)
    media.setShortcuts([QKeySequence("Ctrl+Alt+G"), QKeySequence(Qt.Key.Key_Redo)])
    window.addAction(media)
    # A shortcut changed since the window was built is shown as it is now.
    window.open_sample_action.setShortcut(QKeySequence("Ctrl+Alt+S"))

    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    shown = _names(dialog.texts())
    assert shown["Frobnicate"] == ("Tools", "Ctrl+Alt+J")
    assert shown["Loose Thing"] == ("Window", "Ctrl+Alt+K")
    assert shown["Again"] == ("Window", "Ctrl+Alt+G")
    assert shown["Open Sample Portfolio"] == ("File", "Ctrl+Alt+S")


def test_the_help_menu_opens_the_list(qtbot: QtBot, window: MainWindow) -> None:
    help_menu = window.menuBar().actions()[-1].menu()
    texts = [a.text() for a in help_menu.actions()]
    assert texts.index("Renewal Coach &User Guide") < texts.index("&About Renewal Coach")
    seen: list[ShortcutsDialog] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ShortcutsDialog)
        seen.append(dialog)
        dialog.reject()

    QTimer.singleShot(0, close_it)
    window.shortcuts_action.trigger()
    assert seen and seen[0].table.rowCount() == len(seen[0].rows) > 10
