"""Archiving an account from the Account menu, undoing it, and the portfolio's "Show archived"."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.storage.repository import Store
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.pages.portfolio import AccountTableModel
from renewal_coach.ui.settings import Settings


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    store = opener.open_sample()
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win = MainWindow(store, settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.portfolio.wait_for_scores()
    yield win
    win.portfolio.wait_for_scores()
    win.store.close()


def _account(store: Store, prefix: str) -> m.Account:
    return next(a for a in store.accounts.all() if a.name.startswith(prefix))


def _menu_text(window: MainWindow) -> str:
    window.account_menu.aboutToShow.emit()
    return window.archive_account_action.text()


def _keys(qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, modifiers)


def test_archive_from_the_account_menu_then_undo_and_redo_with_the_keyboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    store = window.store
    account = _account(store, "Halden")
    window.open_account(account.id)
    assert window.archive_account_action.isEnabled()
    assert window.archive_account_action in window.account_menu.actions()
    assert _menu_text(window) == "&Archive Account"

    window.archive_account_action.trigger()
    assert store.accounts.get(account.id).archived
    assert window.pages.currentWidget() is window.account_page
    assert window.account_page.archived_note.isVisible()
    assert window.account_page.segment_card.isVisible()  # still scored, ranked as if live
    assert "Archived Halden" in window.statusBar().currentMessage()
    assert _menu_text(window) == "Un&archive Account"
    window.portfolio.wait_for_scores()
    assert account.id not in window.portfolio.visible_account_ids()
    assert "1 archived not shown" in window.portfolio.count_label.text()
    assert window.editor.undo_stack.undoText().startswith("Archive account Halden")

    window.account_page.setFocus()
    _keys(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not store.accounts.get(account.id).archived
    assert not window.account_page.archived_note.isVisible()
    assert _menu_text(window) == "&Archive Account"
    window.portfolio.wait_for_scores()
    assert account.id in window.portfolio.visible_account_ids()

    _keys(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert store.accounts.get(account.id).archived
    assert window.account_page.archived_note.isVisible()

    window.archive_account_action.trigger()  # now "Unarchive Account"
    assert not store.accounts.get(account.id).archived
    assert "is back in the portfolio" in window.statusBar().currentMessage()
    assert window.editor.undo_stack.undoText().startswith("Unarchive account Halden")
    window.portfolio.wait_for_scores()
    assert account.id in window.portfolio.visible_account_ids()
    assert "archived" not in window.portfolio.count_label.text()
    assert not window.portfolio.show_archived.isVisibleTo(window.portfolio)  # none to show


def test_the_archive_action_is_off_away_from_an_account(window: MainWindow) -> None:
    window.show_portfolio()
    assert not window.archive_account_action.isEnabled()
    assert not window.toggle_archived()


def test_show_archived_lists_them_marked_and_one_opens_with_its_scores(
    qtbot: QtBot, window: MainWindow
) -> None:
    store = window.store
    account = _account(store, "Ashcombe")
    store.accounts.update(dataclasses.replace(account, archived=True))
    page = window.portfolio
    page.refresh()
    page.wait_for_scores()
    total = store.accounts.count()
    assert page.show_archived.isVisibleTo(page) and not page.show_archived.isChecked()
    assert account.id not in page.visible_account_ids()
    assert len(page.visible_account_ids()) == total - 1

    page.filter_edit.setFocus()
    _keys(qtbot, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)  # a mnemonic clicks after a beat
    qtbot.waitUntil(page.show_archived.isChecked, timeout=2000)
    ids = page.visible_account_ids()
    assert account.id in ids and len(ids) == total
    row = page.proxy.index(ids.index(account.id), AccountTableModel.NAME)
    assert row.data() == f"{account.name} (archived)"
    assert "Archived" in row.data(Qt.ItemDataRole.ToolTipRole)

    page.table.setCurrentIndex(row)
    page.table.setFocus()
    _keys(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    assert window.pages.currentWidget() is window.account_page
    assert window.account_page.account_id == account.id
    assert window.account_page.archived_note.isVisible()
    assert window.account_page.scores is not None
    assert window.account_page.scores.segment.band

    page.show_archived.setChecked(False)
    assert account.id not in page.visible_account_ids()


def test_when_every_account_is_archived_the_list_offers_to_show_them(window: MainWindow) -> None:
    store = window.store
    store.db.execute("UPDATE accounts SET archived = 1")
    store.db.conn.commit()
    page = window.portfolio
    page.refresh()
    page.wait_for_scores()
    assert page.stack.currentIndex() == page.EMPTY_PAGE
    assert page.empty.title.text() == "Every account is archived"
    assert page.show_archived.isVisibleTo(page)
    page.empty.action.click()
    assert page.show_archived.isChecked()
    assert page.stack.currentIndex() == page.TABLE_PAGE
    assert len(page.visible_account_ids()) == store.accounts.count()
