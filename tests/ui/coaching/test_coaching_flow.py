"""A coaching session end to end from the main window, as issue 5 describes it: plan a discovery
meeting for a Treasure account with an even-keel economic buyer, present it full screen, type
commitments, end, and find them on the account."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.core.enums import BuyingRole, Party, PlanStatus, ResponseMode
from renewal_coach.ui.coaching.new_plan import NewPlanDialog
from renewal_coach.ui.coaching.plan_editor import PlanEditor
from renewal_coach.ui.coaching.presentation import CoachingWindow
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.settings import Settings


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win = MainWindow(opener.open_sample(), settings, opener)
    qtbot.addWidget(win)
    win.show()
    win.portfolio.wait_for_scores()
    yield win
    for editor in win.plan_editors():
        editor.setWindowModified(False)
        editor.close()
    win.portfolio.wait_for_scores()
    win.store.close()


def test_plan_present_capture_and_see_it_on_the_account(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = window.store
    scores = window.scores.scores
    treasure = [a for a, s in scores.items() if s.segment.band == "treasure"]
    account_id, buyer = next(
        (a, p)
        for a in treasure
        for p in store.stakeholders.for_account(a)
        if p.buying_role == BuyingRole.ECONOMIC_BUYER and p.response_mode == ResponseMode.EVEN_KEEL
    )
    window.open_account(account_id)

    def choose(dialog: NewPlanDialog) -> None:
        dialog.select_playbook("discovery")
        dialog.set_attendees([buyer.id])
        dialog.accept()

    monkeypatch.setattr(NewPlanDialog, "exec", lambda self: (choose(self), self.result())[1])
    window.plan_action.trigger()
    editors = window.plan_editors()
    assert len(editors) == 1
    editor: PlanEditor = editors[0]
    assert buyer.name in editor.windowTitle() or editor.current_plan().attendee_ids == [buyer.id]

    # F5 in the editor saves the plan and presents it full screen.
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    qtbot.keyClick(editor, Qt.Key.Key_F5)
    coaching = [w for w in window.coaching_windows if isinstance(w, CoachingWindow)]
    assert len(coaching) == 1
    session_window = coaching[0]
    assert session_window.isFullScreen()
    plan_id = editor.plan_id
    assert store.plans.get(plan_id).meeting_type.value == "discovery"

    # Keys as a person presses them, to whatever has the focus in coaching mode.
    qtbot.waitUntil(session_window.isActiveWindow)

    def press(key: Qt.Key) -> None:
        qtbot.keyClick(QApplication.focusWidget(), key)

    for line in ("we: send the three-year service roadmap", "they: name the board sponsor"):
        press(Qt.Key.Key_N)
        qtbot.keyClicks(QApplication.focusWidget(), line)
        press(Qt.Key.Key_Return)
    press(Qt.Key.Key_Right)
    assert session_window.run.current == 1
    with qtbot.waitSignal(session_window.finished):
        session_window.end(save=True)

    commitments = store.commitments.for_account(account_id)
    mine = {c.description: c.party for c in commitments if c.session_id}
    assert mine == {
        "send the three-year service roadmap": Party.US,
        "name the board sponsor": Party.CUSTOMER,
    }
    # The account shows them: the commitments tab and the overview's conversations.
    page = window.account_page
    tab = page.record_tabs[m.Commitment]
    shown = {tab.model.index(r, 2).data() for r in range(tab.model.rowCount())}
    assert set(mine) <= shown
    assert "coaching session" in page.plans_label.text()
    plans = page.plans
    assert plans.model.rowCount() >= 1
    assert store.plans.get(plan_id).status in (PlanStatus.DRAFT, PlanStatus.READY)


def test_plan_editor_export_brief_uses_that_plan(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = window.store
    contract = next(c for c in store.contracts.all() if c.status.value == "active")
    window.open_account(contract.account_id)
    people = [p.id for p in store.stakeholders.for_account(contract.account_id)][:1]

    def choose(dialog: NewPlanDialog) -> None:
        dialog.select_playbook("value-review")
        dialog.set_attendees(people)
        dialog.accept()

    monkeypatch.setattr(NewPlanDialog, "exec", lambda self: (choose(self), self.result())[1])
    editor = window.plan_conversation(contract.account_id, contract.id)
    assert editor is not None
    calls: list[Any] = []
    monkeypatch.setattr(window.exports, "export", lambda *a, **k: calls.append((a, k)))
    editor.export("brief")
    assert calls, "the editor asked for no export"
    args, kwargs = calls[0]
    assert args[0] == "brief" and args[2] == contract.id
    assert kwargs["plan_id"] == editor.plan_id and store.plans.find(editor.plan_id) is not None
