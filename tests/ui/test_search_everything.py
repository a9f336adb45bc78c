"""Search Everything: Ctrl+K from anywhere, type, Up/Down, Enter opens the record in its tab."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.storage.repository import Store
from renewal_coach.storage.search import search
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.search import SearchDialog
from renewal_coach.ui.settings import Settings


@pytest.fixture
def sample_store(tmp_path: Path) -> Store:
    return DatabaseOpener(Locations.in_folder(tmp_path / "data")).open_sample()


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, sample_store: Store) -> Iterator[MainWindow]:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    win = MainWindow(sample_store, settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    yield win
    win.store.close()


def _open_search(qtbot: QtBot) -> SearchDialog:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    focus = QApplication.focusWidget()
    dialog = focus.window()
    assert isinstance(dialog, SearchDialog)
    assert focus is dialog.edit
    return dialog


def test_ctrl_k_types_down_enter_opens_the_second_hit_in_its_tab(
    qtbot: QtBot, window: MainWindow
) -> None:
    expected = search(window.store, "cafe")
    assert len(expected) >= 2
    second = expected[1]
    window.portfolio.table.setFocus()

    dialog = _open_search(qtbot)
    qtbot.keyClicks(QApplication.focusWidget(), "cafe")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == len(expected))
    assert [dialog.model.hit(r).record_id for r in range(len(expected))] == [
        h.record_id for h in expected
    ]
    assert dialog.view.currentIndex().row() == 0
    assert "<b>" in dialog.model.data(dialog.model.index(0), dialog.model.HTML_ROLE)

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert dialog.view.currentIndex().row() == 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    page = window.account_page
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page)
    assert page.account_id == second.account_id
    assert second.kind == "person"  # the sample: the goal first, then the person
    tab = page.record_tabs[m.Stakeholder]
    assert tab.isVisible()
    assert tab.selected_id() == second.record_id
    assert not dialog.isVisible()


def test_esc_closes_and_leaves_the_page_as_it_was(qtbot: QtBot, window: MainWindow) -> None:
    window.portfolio.table.setFocus()
    dialog = _open_search(qtbot)
    qtbot.keyClicks(QApplication.focusWidget(), "cafe")
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.pages.currentWidget() is window.portfolio


def test_enter_right_after_typing_opens_the_best_match_even_for_an_account(
    qtbot: QtBot, window: MainWindow
) -> None:
    account = window.store.accounts.all()[3]
    # Open another account first: Ctrl+K works from the account page too.
    window.open_account(window.store.accounts.all()[0].id)
    window.account_page.show_tab(m.Concern)
    dialog = _open_search(qtbot)
    dialog.edit.setText(account.name)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.account_page.account_id == account.id)
    assert window.account_page.tabs.currentIndex() == 0


def test_a_plan_hit_opens_the_plans_tab_with_the_plan_chosen(
    qtbot: QtBot, window: MainWindow
) -> None:
    account = window.store.accounts.all()[1]
    plan = window.store.plans.add(
        m.ConversationPlan(account_id=account.id, title="Xylophone quarterly review")
    )
    dialog = _open_search(qtbot)
    qtbot.keyClicks(QApplication.focusWidget(), "xylo")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Enter)
    page = window.account_page
    qtbot.waitUntil(lambda: page.account_id == account.id)
    assert page.plans.isVisible()
    assert page.plans.selected_plan_id() == plan.id


def test_hostile_text_shows_nothing_and_says_so(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _open_search(qtbot)
    qtbot.keyClicks(QApplication.focusWidget(), 'NEAR("x" -*:')
    dialog.run_search()
    assert dialog.model.rowCount() == 0
    assert dialog.status.text() == "Nothing matches."
    dialog.edit.setText(" - ")
    dialog.run_search()
    assert dialog.status.text() == "Type a word or the start of one."


def test_a_record_named_by_its_date_shows_the_date_as_the_screens_write_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    # An interaction has no name of its own: the hit read "Interaction: 2026-12-07".
    from datetime import date

    from renewal_coach.ui.text import show_date

    account = window.store.accounts.all()[0]
    window.store.interactions.add(
        m.Interaction(
            account_id=account.id,
            occurred_on=date(2026, 12, 7),
            type="call",
            purpose="Zanzibar depot walk-round",
        )
    )
    window.portfolio.table.setFocus()
    dialog = _open_search(qtbot)
    qtbot.keyClicks(QApplication.focusWidget(), "zanzibar")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    heading = dialog.model.data(dialog.model.index(0), Qt.ItemDataRole.DisplayRole)
    assert f"Interaction: {show_date(date(2026, 12, 7))} · {account.name}" in heading
    assert "2026-12-07" not in heading
    hit = dialog.model.hit(0)
    assert hit.title == "2026-12-07"  # the record's own value stays ISO (the CLI's --json)
    assert hit.shown_title() == "7 Dec 2026"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
