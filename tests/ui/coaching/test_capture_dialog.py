"""Capturing a meeting's outcome: real records, changed scores, inline date errors, undo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from renewal_coach.core.enums import Attitude, Party, PlanStatus
from renewal_coach.core.plans import build_plan
from renewal_coach.core.playbooks import load_library
from renewal_coach.storage.plan_store import load_context, save_plan
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import load_sample
from renewal_coach.storage.scores import account_scores
from renewal_coach.ui.coaching.capture_dialog import CaptureDialog, DateField

TODAY = date(2026, 11, 23)


@pytest.fixture
def planned(store: Store):
    """The sample portfolio and a saved discovery plan for a meeting held today."""
    load_sample(store, TODAY)
    account = next(
        a
        for a in store.accounts.all()
        if len(store.stakeholders.for_account(a.id)) >= 3
        and store.contracts.for_account(a.id)
        and any(not e.validated for e in store.evidence.for_account(a.id))
    )
    ctx = load_context(store, account.id)
    plan = save_plan(
        store,
        build_plan(
            load_library().get("discovery"),
            ctx,
            contract_id=None,
            meeting_date=TODAY,
            attendee_ids=[s.id for s in ctx.stakeholders[:2]],
        ),
    )
    return store, plan, ctx


def open_dialog(qtbot, store: Store, plan_id: str) -> CaptureDialog:
    dialog = CaptureDialog(store, plan_id, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_capture_becomes_real_records_and_moves_the_scores(qtbot, planned) -> None:
    store, plan, ctx = planned
    account_id = plan.account_id
    before = account_scores(store, account_id, TODAY)
    interactions = len(store.interactions.for_account(account_id))
    person = ctx.stakeholders[0]
    dialog = open_dialog(qtbot, store, plan.id)
    assert dialog.held_on.value() == TODAY

    first_answer = dialog.answer_edits[(0, 0)]
    first_answer.setPlainText("Yes, an hour is fine")
    goal = dialog.goal_rows.rows[0]
    goal.statement.setText("Open two new depots in the north by 2028")
    goal.metric.setText("Depots")
    goal.metric_from.setText("5")
    goal.metric_to.setText("7")
    goal.by.edit.setText("2028-06-30")
    goal.confirmed_by.setCurrentIndex(goal.confirmed_by.findData(person.id))
    concern = dialog.concern_rows.rows[0]
    concern.description.setText("Reports arrive a week late")
    concern.severity.setCurrentIndex(concern.severity.findData(1))
    ours = dialog.commitment_rows.rows[0]
    ours.description.setText("Send the depot capacity model")
    ours.owner.setText("Priya")
    ours.due.edit.setText((TODAY + timedelta(days=10)).isoformat())
    theirs = dialog.commitment_rows.add_row()
    theirs.party.setCurrentIndex(theirs.party.findData(Party.CUSTOMER))
    theirs.description.setText("Share last year's depot figures")
    evidence_id, combo = next(iter(dialog.evidence_validate.items()))
    combo.setCurrentIndex(combo.findData(person.id))
    attitude = dialog.attitude_combos[person.id]
    attitude.setCurrentIndex(attitude.findData(Attitude.CHAMPION))
    dialog.notes.setPlainText("Warm meeting; they want to grow.")

    dialog.accept()
    assert dialog.result() == CaptureDialog.DialogCode.Accepted
    saved = dialog.saved_capture
    assert saved is not None and saved.plan.status is PlanStatus.HELD

    goals = [g for g in store.goals.for_account(account_id) if g.statement.startswith("Open two")]
    assert len(goals) == 1 and goals[0].confirmed_by_id == person.id
    assert (goals[0].metric_from, goals[0].metric_to) == ("5", "7")
    assert goals[0].target_date == date(2028, 6, 30)
    concerns = [c for c in store.concerns.for_account(account_id) if "week late" in c.description]
    assert len(concerns) == 1 and concerns[0].severity == 1 and concerns[0].opened_on == TODAY
    commitments = store.commitments.where("plan_id = ?", [plan.id])
    assert {(c.party, c.description, c.owner) for c in commitments} == {
        (Party.US, "Send the depot capacity model", "Priya"),
        (Party.CUSTOMER, "Share last year's depot figures", ""),
    }
    assert all(isinstance(c.party, Party) for c in commitments)
    assert store.evidence.get(evidence_id).validated_by_id == person.id
    assert store.stakeholders.get(person.id).attitude is Attitude.CHAMPION
    assert len(store.interactions.for_account(account_id)) == interactions + 1
    stored = store.plans.get(plan.id)
    assert stored.status is PlanStatus.HELD
    assert stored.sections[0]["questions"][0]["answer"] == "Yes, an hour is fine"
    assert stored.captured["notes"] == "Warm meeting; they want to grow."

    after = account_scores(store, account_id, TODAY)
    assert after.engagement.score > before.engagement.score  # the meeting counts as contact
    assert before.risk is not None and after.risk is not None
    assert after.risk.score != before.risk.score  # validated evidence, a champion
    assert "1 new goal," in dialog.summary and "2 commitments," in dialog.summary
    assert "1 answer," in dialog.summary and "(s)" not in dialog.summary
    assert "the meeting logged as contact" in dialog.summary

    saved.undo(store)
    assert not [g for g in store.goals.for_account(account_id) if g.statement.startswith("Open")]
    assert store.plans.get(plan.id).status is PlanStatus.DRAFT


def test_bad_dates_are_shown_next_to_their_field_and_nothing_is_saved(qtbot, planned) -> None:
    store, plan, _ = planned
    goals = store.goals.count()
    commitments = store.commitments.count()
    dialog = open_dialog(qtbot, store, plan.id)
    dialog.goal_rows.rows[0].statement.setText("Halve the call-outs")
    row = dialog.commitment_rows.rows[0]
    row.description.setText("Send the plan")

    dialog.held_on.edit.setText("2026-11-31")
    dialog.accept()
    assert dialog.saved_capture is None and dialog.isVisible()
    assert dialog.held_on.error.isVisible()
    assert "not a real calendar date" in dialog.held_on.error.text()

    dialog.held_on.edit.setText((TODAY + timedelta(days=1)).isoformat())
    dialog.accept()
    assert dialog.saved_capture is None and "before it happens" in dialog.held_on.error.text()

    dialog.held_on.edit.setText(TODAY.isoformat())
    row.due.edit.setText("next week")
    dialog.accept()
    assert dialog.saved_capture is None
    assert not dialog.held_on.error.isVisible() and row.due.error.isVisible()
    assert dialog.tabs.currentIndex() == 3  # the tab with the problem is shown

    row.due.edit.setText((TODAY - timedelta(days=3)).isoformat())
    dialog.accept()
    assert dialog.saved_capture is None and "Due before the meeting" in row.due.error.text()
    assert store.goals.count() == goals and store.commitments.count() == commitments
    assert store.plans.get(plan.id).status is PlanStatus.DRAFT

    row.due.edit.setText((TODAY + timedelta(days=3)).isoformat())
    dialog.accept()
    assert dialog.saved_capture is not None
    assert store.goals.count() == goals + 1 and store.commitments.count() == commitments + 1


def test_enter_in_a_field_does_not_save_a_half_written_capture(qtbot, planned) -> None:
    store, plan, _ = planned
    dialog = open_dialog(qtbot, store, plan.id)
    goal = dialog.goal_rows.rows[0].statement
    qtbot.keyClicks(goal, "Cut energy use by a third")
    qtbot.keyClick(goal, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.saved_capture is None
    assert store.plans.get(plan.id).status is PlanStatus.DRAFT
    qtbot.keyClick(goal, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.saved_capture is not None
    assert store.plans.get(plan.id).status is PlanStatus.HELD


def test_details_without_the_goal_itself_are_refused(qtbot, planned) -> None:
    store, plan, _ = planned
    dialog = open_dialog(qtbot, store, plan.id)
    dialog.goal_rows.rows[0].metric.setText("Leakage")
    dialog.accept()
    assert dialog.saved_capture is None and dialog.goal_rows.rows[0].error.isVisible()
    assert dialog.tabs.currentIndex() == 1
    dialog.goal_rows.rows[0].metric.clear()
    dialog.log_interaction.setChecked(False)
    interactions = store.interactions.count()
    dialog.accept()
    assert dialog.saved_capture is not None
    assert store.interactions.count() == interactions  # not logged, as asked
    assert dialog.summary.startswith("Marked as held")


def test_a_date_field_checks_format_and_rules(qtbot) -> None:
    field = DateField(
        None,
        required=True,
        check=lambda d: "Too early" if d < TODAY else None,
        accessible_name="When",
    )
    qtbot.addWidget(field)
    assert field.problem() == "Enter a date." and field.value() is None
    field.edit.setText("23/11/2026")
    assert "use YYYY-MM-DD" in field.problem()
    field.edit.setText("2026-11-01")
    assert not field.validate() and field.edit.accessibleDescription() == "Too early"
    field.edit.setText("2026-12-01")
    assert field.validate() and field.value() == date(2026, 12, 1)
    assert not field.error.isVisibleTo(field)


def test_our_commitments_default_to_the_persons_name(qtbot, planned) -> None:
    from PySide6.QtWidgets import QApplication

    from renewal_coach.user import set_user_name

    set_user_name("Priya Shah")
    store, plan, _ = planned
    dialog = open_dialog(qtbot, store, plan.id)
    ours = dialog.commitment_rows.rows[0]
    assert ours.owner.placeholderText() == "Owner: Priya Shah"
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    ours.description.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is ours.description)
    qtbot.keyClicks(QApplication.focusWidget(), "Send the revised rota")
    theirs = dialog.commitment_rows.add_row()
    theirs.party.setCurrentIndex(theirs.party.findData(Party.CUSTOMER))
    assert theirs.owner.placeholderText() == "Owner"
    theirs.description.setText("Confirm the depot hours")
    dialog.accept()
    commitments = store.commitments.where("plan_id = ?", [plan.id])
    assert {(c.party, c.owner) for c in commitments} == {
        (Party.US, "Priya Shah"),
        (Party.CUSTOMER, ""),
    }


def _plan_on(store: Store, ctx, day: date | None):
    return save_plan(
        store,
        build_plan(
            load_library().get("discovery"),
            ctx,
            contract_id=None,
            meeting_date=day,
            attendee_ids=[s.id for s in ctx.stakeholders[:2]],
        ),
    )


def test_held_on_starts_at_the_planned_day_not_today(qtbot, planned) -> None:
    store, _plan, ctx = planned
    earlier = _plan_on(store, ctx, TODAY - timedelta(days=6))
    dialog = open_dialog(qtbot, store, earlier.id)
    assert dialog.held_on.value() == TODAY - timedelta(days=6)
    assert not dialog.held_on.error.isVisibleTo(dialog)

    undated = _plan_on(store, ctx, None)
    assert open_dialog(qtbot, store, undated.id).held_on.value() == TODAY


def test_a_meeting_planned_for_a_later_day_asks_for_the_day_it_was_held(qtbot, planned) -> None:
    store, _plan, ctx = planned
    later = _plan_on(store, ctx, TODAY + timedelta(days=4))
    dialog = open_dialog(qtbot, store, later.id)
    assert dialog.held_on.edit.text() == (TODAY + timedelta(days=4)).isoformat()
    assert dialog.held_on.error.isVisibleTo(dialog)
    assert "27 Nov 2026, after today" in dialog.held_on.error.text()
    dialog.accept()
    assert dialog.saved_capture is None
    dialog.held_on.edit.setText(TODAY.isoformat())
    dialog.accept()
    assert dialog.saved_capture is not None
    assert store.plans.get(later.id).captured["held_on"] == TODAY.isoformat()
