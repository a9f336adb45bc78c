"""The Renewals and Insights pages inside the main window: navigation, marking a milestone done
with undo, opening an account from a chart, and the last page coming back next time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.settings import LAST_PAGE, Settings


@pytest.fixture
def opener(tmp_path: Path) -> DatabaseOpener:
    return DatabaseOpener(Locations.in_folder(tmp_path / "data"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot: QtBot, opener: DatabaseOpener, settings: Settings) -> Iterator[MainWindow]:
    win = MainWindow(opener.open_sample(), settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.portfolio.wait_for_scores()
    yield win
    win.portfolio.wait_for_scores()
    if not win.store.db.conn.in_transaction:
        win.store.close()


def test_page_shortcuts_switch_pages(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.renewals
    assert window.renewals_page_action.isChecked()
    assert window.renewals.model.rowCount() > 0  # the scores reached the page when shown
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.insights
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.portfolio
    assert not window.account_page_action.isEnabled()  # no account opened yet


def test_mark_a_milestone_done_from_renewals_then_undo(window: MainWindow) -> None:
    window.show_renewals()
    page = window.renewals
    contract_id = next(
        c.contract.id
        for s in window.scores.scores.values()
        for c in s.contracts
        if c.campaign.overdue_count > 0 and c.contract.id in page.visible_contract_ids()
    )
    overdue_before = _overdue(window, contract_id)
    records_before = len(window.store.milestones.where("contract_id = ?", [contract_id]))
    page.select_contract(contract_id)
    dialog = page.open_mark_done()
    assert dialog is not None
    code, occurrence = (
        dialog.selected_milestone().code,
        dialog.selected_milestone().occurrence,
    )
    dialog.date_edit.setText("2026-13-01")
    dialog.accept()
    assert dialog.date_error.isVisibleTo(dialog)
    assert len(window.store.milestones.where("contract_id = ?", [contract_id])) == records_before
    dialog.date_edit.setText(date.today().isoformat())
    dialog.note_edit.setPlainText("Kick-off held with the operations team")
    dialog.accept()
    stored = window.store.milestones.where(
        "contract_id = ? AND code = ? AND occurrence = ?", [contract_id, code, occurrence]
    )
    assert len(stored) == 1 and stored[0].note == "Kick-off held with the operations team"
    window.scores.wait()
    assert _overdue(window, contract_id) == overdue_before - 1
    assert page.selected_contract_id() == contract_id  # the selection survived the refresh
    window.editor.undo_stack.undo()
    assert len(window.store.milestones.where("contract_id = ?", [contract_id])) == records_before
    window.scores.wait()
    assert _overdue(window, contract_id) == overdue_before


def _overdue(window: MainWindow, contract_id: str) -> int:
    for scores in window.scores.scores.values():
        for c in scores.contracts:
            if c.contract.id == contract_id:
                return c.campaign.overdue_count
    raise AssertionError(contract_id)


def test_open_account_from_insights(window: MainWindow) -> None:
    window.show_insights()
    account_id = next(iter(window.scores.scores))
    window.insights.show_details(account_id)
    window.insights.details.open_button.click()
    assert window.pages.currentWidget() is window.account_page
    assert window.account_page.account_id == account_id


def test_last_page_and_splitters_come_back(
    window: MainWindow, qtbot: QtBot, opener: DatabaseOpener, settings: Settings
) -> None:
    window.show_renewals()
    window.renewals.splitter.setSizes([700, 300])
    sizes = window.renewals.splitter.sizes()
    window.close()
    assert settings.get(LAST_PAGE) == "renewals"
    again = MainWindow(opener.open_sample(), settings, opener)
    qtbot.addWidget(again)
    try:
        again.show()
        assert again.pages.currentWidget() is again.renewals
        assert again.renewals.splitter.sizes() == sizes
    finally:
        again.portfolio.wait_for_scores()
        again.store.close()


def test_scoring_that_breaks_says_so_and_switches_the_collector_back_on(
    window: MainWindow,
) -> None:
    import gc

    store = window.store
    store.db.execute("UPDATE contracts SET end_date = '31/12/2026' WHERE rowid = 1")
    window.scores.refresh()
    assert not gc.isenabled()  # paused for the run
    problems: list[str] = []
    window.scores.failed.connect(problems.append)
    with pytest.raises(ValueError):
        window.scores.wait()
    assert gc.isenabled()
    assert not window.scores.busy
    assert problems and "unexpected error" in problems[0]
    store.db.execute("UPDATE contracts SET end_date = '2026-12-31' WHERE rowid = 1")
    assert window.scores.refresh() is None and window.scores.wait()


def _campaign(window: MainWindow, contract_id: str):
    for scores in window.scores.scores.values():
        for c in scores.contracts:
            if c.contract.id == contract_id:
                return c.campaign
    raise AssertionError(contract_id)


def test_ctrl_d_marks_a_milestone_from_before_tracking_done_then_undo(
    window: MainWindow, qtbot: QtBot
) -> None:
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    from renewal_coach.ui.widgets.bands import TONES_LIGHT

    window.show_renewals()
    page = window.renewals
    contract_id = next(
        cid for cid in page.visible_contract_ids() if _campaign(window, cid).before_tracking
    )
    camp = _campaign(window, contract_id)
    old = camp.before_tracking[0]
    untracked, overdue = len(camp.before_tracking), camp.overdue_count
    assert page.select_contract(contract_id)
    row = page.selected_row()
    shown = page.model.display_text(row, page.model.BEFORE)
    assert shown == f"◌ {untracked} before tracking"
    page.tree.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.tree)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dialog = page.mark_done_dialog
    assert dialog is not None
    # The next open milestone is offered first; the old ones are there too, greyed and said so.
    assert dialog.selected_milestone().status != "before_tracking"
    i = next(
        n
        for n in range(dialog.milestone_combo.count())
        if (dialog._milestones[n].code, dialog._milestones[n].occurrence)
        == (old.code, old.occurrence)
    )
    assert dialog.milestone_combo.itemText(i).endswith("(before tracking)")
    grey = dialog.milestone_combo.itemData(i, Qt.ItemDataRole.ForegroundRole)
    assert QColor(grey) == QColor(TONES_LIGHT["muted"])
    dialog.milestone_combo.setCurrentIndex(i)
    assert "not counted as overdue" in dialog.means_label.text()
    dialog.date_edit.setText(old.due.isoformat())
    dialog.note_edit.setPlainText("Found in the old CRM notes")
    dialog.accept()
    window.scores.wait()
    camp = _campaign(window, contract_id)
    status = {(x.code, x.occurrence): x.status for x in camp.milestones}
    assert status[(old.code, old.occurrence)] == "done"
    assert len(camp.before_tracking) == untracked - 1
    assert camp.overdue_count == overdue  # the old history never counted as late
    window.editor.undo_stack.undo()
    window.scores.wait()
    camp = _campaign(window, contract_id)
    assert len(camp.before_tracking) == untracked
    assert {(x.code, x.occurrence) for x in camp.before_tracking} >= {(old.code, old.occurrence)}
