"""Editing an account the way a bid manager would: forms with inline errors, undo and redo."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
)
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.core.enums import Influence, InteractionType
from renewal_coach.storage.repository import Store
from renewal_coach.ui.dialogs.record_form import RecordDialog, RecordForm
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.pages.account.records_tab import (
    TAB_SPECS,
    ConfirmDialog,
    QuickInteractionDialog,
    RecordsTab,
)
from renewal_coach.ui.settings import Settings

TODAY = date(2026, 11, 23)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    store = opener.open_sample()
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win = MainWindow(store, settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.portfolio.wait_for_scores()
    yield win
    win.portfolio.wait_for_scores()
    win.store.close()


def _account(store: Store, prefix: str) -> m.Account:
    return next(a for a in store.accounts.all() if a.name.startswith(prefix))


def _drive(monkeypatch: pytest.MonkeyPatch, cls: type, *steps: Callable[[Any], None]) -> list:
    """Replace ``cls.exec`` so each call runs the next step on the dialog instead of waiting
    for a person; returns the dialogs seen."""
    seen: list = []
    queue = list(steps)

    def fake_exec(self: Any) -> int:
        seen.append(self)
        queue.pop(0)(self)
        return self.result()

    monkeypatch.setattr(cls, "exec", fake_exec)
    return seen


def _set(form: RecordForm, name: str, value: Any) -> None:
    widget = form.editors[name].widget
    if isinstance(widget, QLineEdit):
        widget.setText(str(value))
        widget.editingFinished.emit()
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QComboBox):
        index = widget.findData(value)
        assert index >= 0, (name, value)
        widget.setCurrentIndex(index)


def _error(form: RecordForm, name: str) -> str:
    label = form.editors[name].error
    return label.text() if label.isVisibleTo(form) else ""


def test_add_contract_with_bad_date_then_good_then_undo_and_redo(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = window.store
    account = _account(store, "Halden")
    window.open_account(account.id)
    tab = window.account_page.show_tab(m.Contract)
    before = len(store.contracts.for_account(account.id))
    messages: dict[str, str] = {}

    def bad(dialog: RecordDialog) -> None:
        form = dialog.form
        _set(form, "title", "Fleet telematics")
        _set(form, "reference", "HAL-NEW-1")
        _set(form, "start_date", "2026-02-30")
        _set(form, "end_date", "2029-01-31")
        _set(form, "annual_value_minor", "-5000")
        dialog.accept()
        messages["start"] = _error(form, "start_date")
        messages["value"] = _error(form, "annual_value_minor")
        # Nothing was written while the form was wrong.
        assert len(store.contracts.for_account(account.id)) == before
        _set(form, "start_date", "2026-02-01")
        _set(form, "annual_value_minor", "1.25m")
        dialog.accept()

    _drive(monkeypatch, RecordDialog, bad)
    saved = tab.add_record()
    assert "not a real calendar date" in messages["start"]
    assert "negative" in messages["value"]
    assert saved is not None
    stored = store.contracts.get(saved.id)
    assert stored.annual_value_minor == 125_000_000  # £1.25m in pence, never a float
    assert stored.start_date == date(2026, 2, 1)
    assert tab.model.rowCount() == before + 1
    assert tab.selected_id() == saved.id

    stack = window.editor.undo_stack
    assert "HAL-NEW-1" in stack.undoText()
    stack.undo()
    assert store.contracts.find(saved.id) is None
    assert tab.model.rowCount() == before
    stack.redo()
    assert store.contracts.get(saved.id).reference == "HAL-NEW-1"
    assert tab.model.rowCount() == before + 1


def test_edit_shows_the_cores_cross_field_message_and_keeps_the_record(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = window.store
    account = _account(store, "Halden")
    window.open_account(account.id)
    tab = window.account_page.show_tab(m.Contract)
    contract = store.contracts.for_account(account.id)[0]
    assert tab.select(contract.id)
    seen: dict[str, str] = {}

    def edit(dialog: RecordDialog) -> None:
        _set(dialog.form, "end_date", contract.start_date.isoformat())
        dialog.accept()
        seen["end"] = _error(dialog.form, "end_date")
        dialog.done(0)

    _drive(monkeypatch, RecordDialog, edit)
    assert tab.edit_selected() is None
    assert seen["end"] == "⚠ End date must be after the start date"
    assert store.contracts.get(contract.id).end_date == contract.end_date


def test_log_interaction_changes_the_engagement_band_and_undo_restores_it(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = window.store
    account = _account(store, "Calderbrook")  # a neglected Treasure account in the sample
    window.open_account(account.id)
    page = window.account_page
    assert page.scores.engagement.band == "neglect"
    band_text = page.engagement_card.band.text()
    people = [s for s in store.stakeholders.for_account(account.id) if s.left_on is None]

    def log(count: int) -> Callable[[QuickInteractionDialog], None]:
        def step(dialog: QuickInteractionDialog) -> None:
            dialog.purpose.setText(f"Review the service roadmap, part {count}")
            dialog.who.setCurrentIndex(dialog.who.findData(people[0].id))
            dialog.type.setCurrentIndex(dialog.type.findData(InteractionType.MEETING))
            dialog.accept()

        return step

    _drive(monkeypatch, QuickInteractionDialog, *[log(i) for i in range(10)])
    logged = 0
    while page.scores.engagement.band == "neglect" and logged < 10:
        assert page.log_interaction() is not None
        logged += 1
    assert page.scores.engagement.band != "neglect"
    assert page.engagement_card.band.text() != band_text
    for _ in range(logged):
        window.editor.undo_stack.undo()
    assert page.scores.engagement.band == "neglect"
    assert page.engagement_card.band.text() == band_text


def test_quick_add_needs_a_purpose(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    account = _account(window.store, "Halden")
    window.open_account(account.id)
    before = len(window.store.interactions.for_account(account.id))
    seen: dict[str, str] = {}

    def step(dialog: QuickInteractionDialog) -> None:
        dialog.accept()
        seen["error"] = dialog.error.text()
        dialog.done(0)

    _drive(monkeypatch, QuickInteractionDialog, step)
    assert window.account_page.log_interaction() is None
    assert "Purpose is required" in seen["error"]
    assert len(window.store.interactions.for_account(account.id)) == before


def _quick_log(qtbot: QtBot, window: MainWindow, purpose: str, *, of_value: bool) -> None:
    """Ctrl+L, type the purpose, Alt+V when it was of value, Enter: keys to the focused widget."""
    seen: dict[str, Any] = {}

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        seen["dialog"] = dialog
        try:
            assert dialog is not None
            qtbot.waitUntil(dialog.isActiveWindow)
            seen["focus"] = QApplication.focusWidget()
            qtbot.keyClicks(QApplication.focusWidget(), purpose)
            if of_value:
                qtbot.keyClick(
                    QApplication.focusWidget(), Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier
                )
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        finally:
            if dialog is not None and dialog.isVisible():  # never leave the test waiting
                seen["left_open"] = True
                dialog.reject()

    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow() and QApplication.focusWidget() is not None)
    QTimer.singleShot(0, fill)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(seen.get("dialog"), QuickInteractionDialog)
    assert seen["focus"] is seen["dialog"].purpose  # the purpose line had the focus
    assert "left_open" not in seen


def test_quick_log_asks_whether_the_contact_was_of_value(window: MainWindow, qtbot: QtBot) -> None:
    account = _account(window.store, "Halden")
    window.open_account(account.id)
    _quick_log(qtbot, window, "Walk them through the new rota", of_value=True)
    _quick_log(qtbot, window, "Chase the signed order form", of_value=False)
    logged = {i.purpose: i.brought_value for i in window.store.interactions.for_account(account.id)}
    assert logged["Walk them through the new rota"] is True
    assert logged["Chase the signed order form"] is False


def test_confirm_a_goal_then_undo_and_redo(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = window.store
    goal = next(g for g in store.goals.all() if not g.confirmed)
    window.open_account(goal.account_id)
    page = window.account_page
    tab = page.show_tab(m.CustomerGoal)
    assert tab.select(goal.id)
    row = tab.proxy.mapFromSource(tab.model.index(tab.model.row_of(goal.id), 4))
    assert row.data() == "? Assumed"
    person = next(s for s in store.stakeholders.for_account(goal.account_id) if not s.left_on)

    def confirm(dialog: ConfirmDialog) -> None:
        dialog.who.setCurrentIndex(dialog.who.findData(person.id))
        dialog.when.setText("23/11/2026")
        dialog.accept()
        assert "not a date" in dialog.error.text()
        dialog.when.setText("2026-11-20")
        dialog.accept()

    _drive(monkeypatch, ConfirmDialog, confirm)
    page.confirm_goal_button.click()
    stored = store.goals.get(goal.id)
    assert stored.confirmed_by_id == person.id and stored.confirmed_on == date(2026, 11, 20)
    row = tab.proxy.mapFromSource(tab.model.index(tab.model.row_of(goal.id), 4))
    assert row.data() == f"✓ Confirmed by \u2068{person.name}\u2069, 20 Nov 2026"
    window.editor.undo_stack.undo()
    assert not store.goals.get(goal.id).confirmed
    window.editor.undo_stack.redo()
    assert store.goals.get(goal.id).confirmed


def test_delete_a_stakeholder_asks_and_undo_puts_back_links(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = window.store
    # Someone who took part in interactions and confirmed a goal: deleting them unlinks both.
    goal = next(g for g in store.goals.all() if g.confirmed_by_id)
    person = store.stakeholders.get(goal.confirmed_by_id)
    linked = [i.id for i in store.interactions.all() if person.id in i.stakeholder_ids]
    window.open_account(person.account_id)
    tab = window.account_page.show_tab(m.Stakeholder)
    assert tab.select(person.id)
    asked: list[str] = []

    def answer(choice: QMessageBox.StandardButton) -> Callable[..., QMessageBox.StandardButton]:
        def question(_parent: Any, _title: str, text: str, *_a: Any) -> Any:
            asked.append(text)
            return choice

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    assert not tab.delete_selected()
    assert store.stakeholders.find(person.id) is not None
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    assert tab.delete_selected()
    assert person.name in asked[0]
    assert store.stakeholders.find(person.id) is None
    assert store.goals.get(goal.id).confirmed_by_id is None
    window.editor.undo_stack.undo()
    assert store.stakeholders.get(person.id).name == person.name
    assert store.goals.get(goal.id).confirmed_by_id == person.id
    again = [i.id for i in store.interactions.all() if person.id in i.stakeholder_ids]
    assert again == linked
    assert tab.model.row_of(person.id) >= 0


def test_delete_account_and_undo(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    store = window.store
    account = _account(store, "Halden")
    counts = {t: len(store.repo(t).for_account(account.id)) for t in ("contracts", "interactions")}
    window.open_account(account.id)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    assert window.account_page.delete_account()
    assert store.accounts.find(account.id) is None
    assert window.pages.currentWidget() is window.portfolio
    window.portfolio.wait_for_scores()
    assert account.id not in window.portfolio.visible_account_ids()
    window.editor.undo_stack.undo()
    assert store.accounts.get(account.id).name == account.name
    for table, n in counts.items():
        assert len(store.repo(table).for_account(account.id)) == n
    window.portfolio.wait_for_scores()
    assert account.id in window.portfolio.visible_account_ids()


def test_new_account_from_the_menu_with_odd_text(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "שירותי נמל 🚢\x07 Ltd"

    def fill(dialog: RecordDialog) -> None:
        dialog.accept()
        assert "Name is required" in _error(dialog.form, "name")
        _set(dialog.form, "name", name)
        _set(dialog.form, "revenue_12m_minor", "2,400,000")
        dialog.accept()

    _drive(monkeypatch, RecordDialog, fill)
    window.new_account_action.trigger()
    account = window.store.accounts.find_by_name("שירותי נמל 🚢 Ltd")
    assert account is not None  # the bell character was cleaned out, the rest kept
    assert account.revenue_12m_minor == 240_000_000
    assert window.pages.currentWidget() is window.account_page
    assert window.account_page.title.text() == account.name
    window.editor.undo_stack.undo()
    assert window.store.accounts.find(account.id) is None


def test_record_models_pass_the_model_tester(window: MainWindow) -> None:
    account = _account(window.store, "Halden")
    window.open_account(account.id)
    for tab in window.account_page.record_tabs.values():
        QAbstractItemModelTester(tab.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
        QAbstractItemModelTester(tab.proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)
        assert tab.model.columnCount() == len(tab.spec.columns)


def test_sorting_uses_dates_and_money_not_text(store: Store, qtbot: QtBot) -> None:
    from renewal_coach.ui.editing import Editor

    editor = Editor(store)
    account = store.accounts.add(m.Account(name="Sortable"))
    for ref, value, end in (
        ("A", 9_000_00, "2027-01-05"),
        ("B", 10_000_00, "2026-12-31"),
        ("C", None, "2028-02-01"),
    ):
        store.contracts.add(
            m.Contract(
                account_id=account.id,
                title=ref,
                reference=ref,
                start_date="2025-01-01",
                end_date=end,
                annual_value_minor=value,
            )
        )
    spec = next(s for s in TAB_SPECS if s.cls is m.Contract)
    tab = RecordsTab(spec, editor, today=lambda: TODAY)
    qtbot.addWidget(tab)
    from renewal_coach.ui.pages.account.records_tab import load_lookups

    tab.show_account(account.id, load_lookups(store, account.id))
    tab.table.sortByColumn(4, __import__("PySide6.QtCore").QtCore.Qt.SortOrder.AscendingOrder)
    refs = [tab.proxy.index(r, 0).data() for r in range(3)]
    assert refs == ["A", "B", "C"]  # £9,000 < £10,000 (text would put £10,000 first); blank last
    tab.table.sortByColumn(3, __import__("PySide6.QtCore").QtCore.Qt.SortOrder.AscendingOrder)
    assert [tab.proxy.index(r, 0).data() for r in range(3)] == ["B", "A", "C"]


def test_stakeholder_map_places_people_and_selects_on_click(
    window: MainWindow, qtbot: QtBot
) -> None:
    from PySide6.QtCore import QPoint, Qt

    account = _account(window.store, "Halden")
    window.open_account(account.id)
    page = window.account_page
    page.show_tab(m.Stakeholder)
    view = page.stakeholder_map
    view.resize(900, 420)
    view.grab()  # paints, which lays the cards out
    current = [s for s in window.store.stakeholders.for_account(account.id) if not s.left_on]
    cards = {c.stakeholder_id: c.rect for c in view.cards()}
    assert set(cards) == {s.id for s in current}
    high = next(s for s in current if s.influence == Influence.HIGH)
    low = [s for s in current if s.influence == Influence.LOW]
    if low:
        assert cards[high.id].top() < cards[low[0].id].top()
    centre = cards[high.id].center()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y())))
    assert page.record_tabs[m.Stakeholder].selected_id() == high.id


def test_portfolio_filters_by_segment_band_and_owner(window: MainWindow) -> None:
    page = window.portfolio
    model = page.model
    ids = [model.row_at(r).id for r in range(model.rowCount())]
    page.set_filters(segment="treasure")
    shown = set(page.visible_account_ids())
    assert shown == {i for i in ids if model.scores_of(i).segment == "treasure"}
    assert shown
    page.set_filters(segment="treasure", risk="high")
    assert set(page.visible_account_ids()) == {
        i
        for i in ids
        if model.scores_of(i).segment == "treasure" and model.scores_of(i).risk_band == "high"
    }
    owner = model.row_at(0).owner
    page.set_filters(owner=owner, engagement="neglect")
    assert set(page.visible_account_ids()) == {
        i
        for i in ids
        if model.row_at(ids.index(i)).owner == owner
        and model.scores_of(i).engagement_band == "neglect"
    }
    page.set_filters()
    assert len(page.visible_account_ids()) == len(ids)


@pytest.mark.parametrize("organisation", [False, True])
def test_deleting_an_assessment_can_be_undone(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, organisation: bool
) -> None:
    import renewal_coach.ui.assessments.history as assessments_ui
    from renewal_coach.core.enums import AssessmentKind
    from renewal_coach.ui.assessments.history import AssessmentHistory

    store = window.store
    account = None if organisation else _account(store, "Halden")
    record = store.assessments.add(
        m.Assessment(
            kind=AssessmentKind.POSTURE,
            account_id=account.id if account else None,
            taken_on=TODAY,
            answers={},
            result={"score": 50},
        )
    )
    history = AssessmentHistory(today=lambda: TODAY, editor=window.editor)
    history.load(store, account.id if account else None)
    history.select(record.id)
    assert history.selected_record().id == record.id
    monkeypatch.setattr(assessments_ui, "ask_delete", lambda *_a: True)
    assert history.delete_selected()
    assert store.assessments.find(record.id) is None
    window.editor.undo_stack.undo()
    assert store.assessments.get(record.id).result == {"score": 50}
    history.deleteLater()


def test_undoing_a_delete_keeps_what_was_saved_since(window: MainWindow) -> None:
    """Plans, assessments and coaching sessions are saved outside the undo stack; undoing an
    earlier delete must put back what it removed and nothing else."""
    from renewal_coach.core.enums import AssessmentKind
    from renewal_coach.storage.plan_store import save_plan, save_session

    store = window.store
    account = _account(store, "Halden")
    plan = save_plan(store, m.ConversationPlan(account_id=account.id, title="Q4 review"))
    person = next(s for s in store.stakeholders.for_account(account.id) if s.left_on is None)
    linked = [i.id for i in store.interactions.all() if person.id in i.stakeholder_ids]
    window.editor.delete(person)
    assessment = store.assessments.add(
        m.Assessment(kind=AssessmentKind.MATURITY, account_id=account.id, taken_on=TODAY)
    )
    edited = save_plan(store, dataclasses.replace(plan, title="Edited after the delete"))
    session, _ = save_session(
        store,
        m.CoachingSession(plan_id=plan.id, started_at="2026-11-23T10:00"),
        [m.Commitment(account_id=account.id, description="send pricing")],
    )
    window.editor.undo_stack.undo()
    assert store.stakeholders.get(person.id).name == person.name
    assert [i.id for i in store.interactions.all() if person.id in i.stakeholder_ids] == linked
    assert store.assessments.find(assessment.id) is not None
    kept = store.plans.get(plan.id)
    assert (kept.title, kept.version) == ("Edited after the delete", edited.version)
    assert store.coaching_sessions.find(session.id) is not None
    window.editor.undo_stack.redo()
    assert store.stakeholders.find(person.id) is None
    assert store.assessments.find(assessment.id) is not None


def test_account_amounts_are_read_in_the_currency_typed_on_the_form(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: RecordDialog) -> None:
        _set(dialog.form, "name", "Tokyo Kogyo KK")
        _set(dialog.form, "currency", "JPY")
        _set(dialog.form, "revenue_12m_minor", "1000.5")
        dialog.accept()
        assert "decimal places for JPY" in _error(dialog.form, "revenue_12m_minor")
        _set(dialog.form, "revenue_12m_minor", "5,000,000")
        dialog.accept()

    _drive(monkeypatch, RecordDialog, fill)
    window.new_account_action.trigger()
    account = window.store.accounts.find_by_name("Tokyo Kogyo KK")
    assert account is not None and account.revenue_12m_minor == 5_000_000  # yen have no minor unit


def test_deleting_the_open_account_retires_its_page_button(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = _account(window.store, "Halden")
    window.open_account(account.id)
    assert window.account_page_action.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    assert window.account_page.delete_account()
    assert window.pages.currentWidget() is window.portfolio
    assert not window.account_page_action.isEnabled()
    assert account.name not in window.account_page_action.text()


def test_form_round_trip_keeps_people_order_and_special_spaces(window: MainWindow) -> None:
    store = window.store
    interaction = next(i for i in store.interactions.all() if len(i.stakeholder_ids) >= 2)
    interaction = dataclasses.replace(
        interaction,
        stakeholder_ids=list(reversed(interaction.stakeholder_ids)),
        outcome="Prix\xa0: 10\u202f000\xa0€ 🚢",
    )
    window.open_account(interaction.account_id)
    form = window.account_page.record_tabs[m.Interaction].make_form()
    form.set_record(interaction)
    again = form.record()
    assert again.stakeholder_ids == interaction.stakeholder_ids
    assert again.outcome == interaction.outcome


def test_undo_and_redo_of_an_edit_bring_back_the_exact_record(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = window.store
    contract = store.contracts.all()[0]
    before = store.contracts.get(contract.id)
    monkeypatch.setattr(
        "renewal_coach.storage.repository.utc_now_iso", lambda: "2030-01-01T00:00:00+00:00"
    )
    after = window.editor.update(dataclasses.replace(before, title="Renamed for the test"))
    assert after.updated_at == "2030-01-01T00:00:00+00:00"
    monkeypatch.setattr(
        "renewal_coach.storage.repository.utc_now_iso", lambda: "2031-01-01T00:00:00+00:00"
    )
    window.editor.undo_stack.undo()
    assert store.contracts.get(contract.id) == before  # updated_at included
    window.editor.undo_stack.redo()
    assert store.contracts.get(contract.id) == after


def _answer_box(qtbot: QtBot, seen: list[str], key: Qt.Key, modifier: Any) -> Callable[[], None]:
    """Answer the next message box with a key on its focused widget, noting what it said.

    It polls with timers rather than waiting in a nested loop, which would itself run the
    click that opens the box and never return."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isActiveWindow():
            QTimer.singleShot(10, answer)
            return
        seen.append(box.text())
        qtbot.keyClick(QApplication.focusWidget(), key, modifier)

    return answer


def test_a_second_person_with_the_same_name_is_asked_about_then_allowed(
    window: MainWindow, qtbot: QtBot
) -> None:
    store = window.store
    existing = next(s for s in store.stakeholders.all() if s.title)
    window.open_account(existing.account_id)
    tab = window.account_page.show_tab(m.Stakeholder)
    tab.table.setFocus()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow() and QApplication.focusWidget() is tab.table)
    before = len(store.stakeholders.for_account(existing.account_id))
    asked: list[str] = []
    steps: dict[str, Any] = {}

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, RecordDialog)
            qtbot.waitUntil(dialog.isActiveWindow)
            assert QApplication.focusWidget() is dialog.form.editors["name"].widget
            qtbot.keyClicks(QApplication.focusWidget(), existing.name.upper())
            ctrl = Qt.KeyboardModifier.ControlModifier
            # First Cancel: nothing is saved and the dialog keeps what was typed.
            QTimer.singleShot(
                0, _answer_box(qtbot, asked, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
            )
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, ctrl)
            qtbot.waitUntil(lambda: len(asked) == 1)  # the Save button clicks a moment later
            qtbot.wait(50)
            steps["open_after_cancel"] = dialog.isVisible()
            steps["count_after_cancel"] = len(store.stakeholders.for_account(existing.account_id))
            # Then on purpose: Alt+A adds the second person.
            dialog.activateWindow()
            qtbot.waitUntil(
                lambda: dialog.isActiveWindow() and QApplication.focusWidget() is not None
            )
            QTimer.singleShot(
                0, _answer_box(qtbot, asked, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
            )
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, ctrl)
            qtbot.waitUntil(lambda: not dialog.isVisible())
        finally:
            if dialog is not None and dialog.isVisible():
                steps["left_open"] = True
                dialog.done(0)

    QTimer.singleShot(0, fill)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Insert)
    assert "left_open" not in steps
    assert steps["open_after_cancel"] and steps["count_after_cancel"] == before
    assert len(asked) == 2 and existing.name in asked[0] and existing.title in asked[0]
    namesakes = [
        s
        for s in store.stakeholders.for_account(existing.account_id)
        if s.name.casefold() == existing.name.casefold()
    ]
    assert len(namesakes) == 2


def _commitments_tab(store: Store, qtbot: QtBot) -> tuple[RecordsTab, m.Account]:
    from renewal_coach.ui.editing import Editor
    from renewal_coach.ui.pages.account.records_tab import load_lookups

    account = store.accounts.add(m.Account(name="Promises"))
    for text, due, done in (
        ("send the depot capacity model", date(2026, 11, 20), None),
        ("share last year's figures", date(2026, 11, 10), date(2026, 11, 9)),
        ("book the site visit", date(2026, 12, 1), None),
    ):
        store.commitments.add(
            m.Commitment(
                account_id=account.id,
                description=text,
                due_on=due,
                done_on=done,
                owner="Anwen Pritchard-Llewellyn of Operations",
            )
        )
    spec = next(s for s in TAB_SPECS if s.cls is m.Commitment)
    tab = RecordsTab(spec, Editor(store), today=lambda: TODAY)
    qtbot.addWidget(tab)
    tab.show_account(account.id, load_lookups(store, account.id))
    return tab, account


def test_an_overdue_commitment_is_marked_in_words_and_still_sorts_by_date(
    store: Store, qtbot: QtBot
) -> None:
    tab, _account = _commitments_tab(store, qtbot)
    tab.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    due = [tab.proxy.index(r, 0).data() for r in range(3)]
    # Done late is not overdue; not yet due is not overdue; past due and open is.
    assert due == ["10 Nov 2026", "⚠ Overdue · 20 Nov 2026", "1 Dec 2026"]


def test_record_columns_fit_their_heading_and_values(store: Store, qtbot: QtBot) -> None:
    tab, _account = _commitments_tab(store, qtbot)
    tab.resize(1200, 500)
    tab.show()
    qtbot.waitExposed(tab)
    header = tab.table.horizontalHeader()
    metrics = tab.table.fontMetrics()
    owner = next(i for i, c in enumerate(tab.model.columns) if c.key == "owner")
    assert header.sectionSize(owner) >= metrics.horizontalAdvance(
        "Anwen Pritchard-Llewellyn of Operations"
    )
    for column in range(tab.model.columnCount()):
        if column != tab.spec.stretch:
            assert header.sectionSize(column) >= header.sectionSizeHint(column)
    assert header.sectionSize(0) >= metrics.horizontalAdvance("⚠ Overdue · 20 Nov 2026")


def test_the_confirm_dialog_shows_its_whole_error_and_title(qtbot: QtBot) -> None:
    dialog = ConfirmDialog(
        "Confirm", "Who at the customer confirmed this goal, and when?", {"p": "Ann"}, TODAY
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.height()
    dialog.activateWindow()
    dialog.when.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.when)
    dialog.when.selectAll()
    qtbot.keyClicks(QApplication.focusWidget(), "31/31/2026 not a date")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "not a date" in dialog.error.text()
    qtbot.waitUntil(lambda: dialog.height() > before)
    error = dialog.error
    assert error.height() >= error.heightForWidth(error.width())  # every line of it shows
    bottom = error.mapTo(dialog, error.rect().bottomLeft()).y()
    assert bottom < dialog.ok_button.mapTo(dialog, dialog.ok_button.rect().topLeft()).y()
    assert dialog.width() >= dialog.fontMetrics().horizontalAdvance("Confirm") + 160


def test_a_longer_text_widens_its_column_but_a_person_s_width_is_kept(
    store: Store, qtbot: QtBot
) -> None:
    tab, account = _commitments_tab(store, qtbot)
    header = tab.table.horizontalHeader()
    done = next(i for i, c in enumerate(tab.model.columns) if c.key == "done_on")
    owner = next(i for i, c in enumerate(tab.model.columns) if c.key == "owner")
    header.resizeSection(done, 300)  # the person widens a column
    longer = "Maximilian Featherstonehaugh-Cholmondeley, Head of Estates"
    before = header.sectionSize(owner)
    assert before < tab.table.fontMetrics().horizontalAdvance(longer)
    store.commitments.add(
        m.Commitment(account_id=account.id, description="call back", owner=longer)
    )
    tab.show_account(account.id, tab.lookups)
    assert header.sectionSize(done) == 300
    assert header.sectionSize(owner) >= tab.table.fontMetrics().horizontalAdvance(longer)


def test_a_narrow_window_leaves_the_purpose_readable_and_a_wide_one_shows_all(
    store: Store, qtbot: QtBot
) -> None:
    # Seen in the default window: the long contract titles took 420 px each and left the
    # interactions' purpose 70 px ("Sent the…").
    from renewal_coach.ui.editing import Editor
    from renewal_coach.ui.pages.account.records_tab import load_lookups
    from renewal_coach.ui.widgets.columns import MIN_STRETCH

    account = store.accounts.add(m.Account(name="Wide titles"))
    contract = store.contracts.add(
        m.Contract(
            account_id=account.id,
            reference="WT-FM-2021",
            title="Warehouse facilities services, Goole and Doncaster hubs, with the yard",
            start_date=date(2023, 1, 6),
            end_date=date(2028, 1, 7),
        )
    )
    purpose = "Sent the quarterly value review with the energy savings the team measured"
    for day in (3, 10, 17):
        store.interactions.add(
            m.Interaction(
                account_id=account.id,
                occurred_on=date(2026, 11, day),
                type="email",
                purpose=purpose,
                contract_id=contract.id,
            )
        )
    spec = next(s for s in TAB_SPECS if s.cls is m.Interaction)
    tab = RecordsTab(spec, Editor(store), today=lambda: TODAY)
    qtbot.addWidget(tab)
    tab.resize(950, 500)
    tab.show()
    qtbot.waitExposed(tab)
    tab.show_account(account.id, load_lookups(store, account.id))
    header = tab.table.horizontalHeader()
    purpose_column = spec.stretch
    contract_column = next(i for i, c in enumerate(tab.model.columns) if c.key == "contract_id")
    assert header.sectionSize(purpose_column) >= MIN_STRETCH
    for column in range(tab.model.columnCount()):
        assert header.sectionSize(column) >= header.sectionSizeHint(column)  # no heading cut
    narrow_contract = header.sectionSize(contract_column)
    # A wide window gives the contract column its fitted width back.
    tab.resize(2400, 500)
    qtbot.waitUntil(lambda: header.sectionSize(contract_column) > narrow_contract)
    assert header.sectionSize(purpose_column) >= tab.table.fontMetrics().horizontalAdvance(purpose)


def test_sharing_width_narrows_the_widest_columns_first_never_below_their_floor() -> None:
    from renewal_coach.ui.widgets.columns import share_width

    natural = {0: 100, 1: 420, 2: 300, 3: 80}
    floors = {0: 90, 1: 120, 2: 120, 3: 70}
    assert share_width(natural, floors, 200, 2000) == natural  # room enough: unchanged
    shared = share_width(natural, floors, 600, 1000)
    assert sum(shared.values()) <= 1000 - 300  # the stretching column keeps 30 %
    assert shared[0] == 100 and shared[3] == 80  # the narrow ones are left alone
    assert shared[1] == shared[2] < 300  # the wide ones meet at one level
    assert share_width(natural, floors, 600, 400) == floors  # too narrow: floors, then scroll
