"""The plan editor: new plans from every playbook, live guardrails, ready, versions, closing,
coaching mode and the account's plan list."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QDialog, QMessageBox

from renewal_coach.core.enums import Channel, InteractionType, PlanStatus
from renewal_coach.core.models import ConversationPlan, Interaction
from renewal_coach.core.plans import build_plan
from renewal_coach.core.playbooks import load_library
from renewal_coach.storage.plan_store import load_context, save_plan
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import load_sample
from renewal_coach.ui.coaching import plan_editor
from renewal_coach.ui.coaching.capture_dialog import CaptureDialog
from renewal_coach.ui.coaching.new_plan import NewPlanDialog
from renewal_coach.ui.coaching.plan_editor import PlanEditor, present_plan
from renewal_coach.ui.coaching.plan_list import PlanList, PlanListModel, PlanRow
from renewal_coach.ui.coaching.plan_parts import OverrideDialog
from renewal_coach.ui.coaching.presentation import CoachingWindow
from renewal_coach.ui.text import show_date

TODAY = date(2026, 11, 23)
MEETING = TODAY + timedelta(days=14)
BUILTIN_PLAYBOOKS = [p.id for p in load_library().ordered()]


@pytest.fixture(autouse=True)
def _never_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question box left open would hang the run (closing a dirty editor at teardown asks):
    answer Discard unless a test says otherwise."""
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: QMessageBox.StandardButton.Discard.value)


@pytest.fixture
def sample(store: Store) -> Store:
    load_sample(store, TODAY)
    return store


def account_with_people(store: Store) -> str:
    """A Treasure-style account: several people and a live contract."""
    for account in store.accounts.all():
        if len(store.stakeholders.for_account(account.id)) >= 3 and store.contracts.for_account(
            account.id
        ):
            return account.id
    raise AssertionError("the sample has no account with people and contracts")


def new_plan(store: Store, playbook: str = "discovery", *, contract: bool = True):
    account_id = account_with_people(store)
    ctx = load_context(store, account_id)
    return build_plan(
        load_library().get(playbook),
        ctx,
        contract_id=ctx.contracts[0].id if contract else None,
        meeting_date=MEETING,
        attendee_ids=[s.id for s in ctx.stakeholders[:2]],
    )


def open_editor(qtbot, store: Store, plan: ConversationPlan, user: str = "Priya") -> PlanEditor:
    editor = PlanEditor(store, plan, today=TODAY, user=user)
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    with qtbot.waitActive(editor):
        editor.show()
        editor.activateWindow()
    qtbot.wait(1)  # let the scrolling layouts settle before clicking into them
    return editor


def answer_with(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list:
    """Make every question box answer ``button``; the list records each question asked."""
    asked: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        asked.append(box.text())
        return button.value

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return asked


# ---- the list -----------------------------------------------------------------------------------


def test_the_plan_list_model_passes_the_model_tester_through_every_change(
    qtbot, sample: Store
) -> None:
    first = save_plan(sample, new_plan(sample), edited_by="Priya")
    second = save_plan(sample, new_plan(sample, "value-review"), edited_by="Tom")
    model = PlanListModel()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    model.set_rows([PlanRow(first, 2), PlanRow(second)])
    assert model.rowCount() == 2 and model.columnCount() == 8
    row = model.row_of(first.id)
    assert model.index(row, PlanListModel.SESSIONS).data() == "2"
    assert model.index(row, PlanListModel.DATE).data() == show_date(MEETING)
    assert model.index(row, PlanListModel.STATUS).data() == "Draft"
    assert model.index(row, PlanListModel.CAPTURED).data() == "No"
    assert model.index(row, PlanListModel.EDITED).data().startswith("Priya · ")
    assert model.index(row, PlanListModel.VERSION).data(PlanListModel.SORT_ROLE) == 1
    assert model.index(row, 0).data(PlanListModel.ID_ROLE) == first.id
    again = save_plan(sample, first, edited_by="Tom")
    model.upsert(PlanRow(again, 2))
    assert model.index(row, PlanListModel.VERSION).data() == "2"
    model.remove(second.id)
    assert model.rowCount() == 1
    model.upsert(PlanRow(second))
    assert model.rowCount() == 2
    assert model.rowCount(model.index(0, 0)) == 0
    model.set_rows([])
    assert model.rowCount() == 0
    del tester


def test_the_plan_list_starts_empty_then_opens_copies_and_deletes(
    qtbot, sample: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    account_id = account_with_people(sample)
    plans = PlanList(user="Priya")
    qtbot.addWidget(plans)
    plans.show()
    plans.show_account(sample, account_id)
    assert plans.stack.currentWidget() is plans.empty
    assert plans.empty.text() == "No conversation plans yet: plan the first one"
    assert not plans.open_button.isEnabled()
    with qtbot.waitSignal(plans.new_requested):
        qtbot.mouseClick(plans.new_button, Qt.MouseButton.LeftButton)

    saved = save_plan(sample, new_plan(sample), edited_by="Priya")
    plans.refresh()
    assert plans.stack.currentWidget() is plans.view
    assert plans.selected_plan_id() == saved.id
    with qtbot.waitSignal(plans.open_requested) as opened:
        qtbot.mouseClick(plans.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [saved.id]
    with qtbot.waitSignal(plans.present_requested) as presented:
        qtbot.mouseClick(plans.present_button, Qt.MouseButton.LeftButton)
    assert presented.args == [saved.id]

    with qtbot.waitSignal(plans.changed) as changed:
        copy_id = plans.duplicate_selected()
    assert changed.args == [account_id]
    copy = sample.plans.get(copy_id)
    assert copy.title.endswith("(copy)") and copy.version == 1 and copy.edited_by == "Priya"
    assert plans.model.rowCount() == 2 and plans.selected_plan_id() == copy_id

    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not plans.delete_selected()
    assert len(asked) == 1 and "Delete the plan" in asked[0]
    assert sample.plans.find(copy_id) is not None
    answer_with(monkeypatch, QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(plans.changed):
        assert plans.delete_selected()
    assert sample.plans.find(copy_id) is None
    assert plans.model.rowCount() == 1


# ---- a new plan ---------------------------------------------------------------------------------


@pytest.mark.parametrize("playbook_id", BUILTIN_PLAYBOOKS)
def test_a_new_plan_is_built_from_each_loaded_playbook(
    qtbot, sample: Store, playbook_id: str
) -> None:
    account_id = account_with_people(sample)
    ctx = load_context(sample, account_id)
    dialog = NewPlanDialog(sample, account_id, today=TODAY, user="Priya")
    qtbot.addWidget(dialog)
    assert dialog.playbook.count() == len(BUILTIN_PLAYBOOKS)
    dialog.select_playbook(playbook_id)
    people = [s.id for s in ctx.stakeholders[:2]]
    dialog.set_attendees(people)
    dialog.meeting_date.edit.setText(MEETING.isoformat())
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    plan = dialog.plan()
    book = load_library().get(playbook_id)
    assert plan is not None and plan.id == ""
    assert plan.playbook == playbook_id and plan.meeting_type is book.meeting_type
    assert [s["code"] for s in plan.sections] == [s.code for s in book.sections]
    assert plan.meeting_date == MEETING and plan.attendee_ids == people
    assert plan.contract_id == dialog.contract.currentData() and plan.edited_by == "Priya"


def test_a_broken_playbook_is_named_in_a_warning_and_the_rest_still_work(
    qtbot, sample: Store, tmp_path: Path
) -> None:
    user_dir = tmp_path / "playbooks"
    user_dir.mkdir()
    (user_dir / "broken.toml").write_text(
        'format = 1\nid = "broken"\nmeeting_type = "picnic"\ntitle = "Broken"\n', encoding="utf-8"
    )
    library = load_library(user_dir=user_dir)
    dialog = NewPlanDialog(
        sample,
        account_with_people(sample),
        today=TODAY,
        library=library,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.problems.isVisible()
    assert "broken.toml" in dialog.problems.text() and "picnic" in dialog.problems.text()
    assert dialog.playbook.findData("broken") == -1
    assert dialog.playbook.count() == len(BUILTIN_PLAYBOOKS)
    dialog.set_attendees([dialog.attendees.item(0).data(Qt.ItemDataRole.UserRole)])
    dialog.accept()
    assert dialog.plan() is not None


def test_a_new_plan_needs_a_real_future_date_and_an_attendee(qtbot, sample: Store) -> None:
    dialog = NewPlanDialog(sample, account_with_people(sample), today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.meeting_date.edit.setText("2026-02-30")
    dialog.set_attendees([dialog.attendees.item(0).data(Qt.ItemDataRole.UserRole)])
    dialog.accept()
    assert dialog.plan() is None and dialog.isVisible()
    assert dialog.meeting_date.error.isVisible()
    assert "not a real calendar date" in dialog.meeting_date.error.text()

    dialog.meeting_date.edit.setText((TODAY - timedelta(days=1)).isoformat())
    dialog.accept()
    assert dialog.plan() is None and "still to come" in dialog.meeting_date.error.text()

    dialog.meeting_date.edit.setText(MEETING.isoformat())
    dialog.set_attendees([])
    dialog.accept()
    assert dialog.plan() is None and dialog.attendees_error.isVisible()
    assert not dialog.meeting_date.error.isVisible()

    dialog.set_attendees([dialog.attendees.item(1).data(Qt.ItemDataRole.UserRole)])
    dialog.accept()
    assert dialog.plan() is not None and dialog.plan().meeting_date == MEETING


# ---- guardrails ---------------------------------------------------------------------------------


def row_text(editor: PlanEditor, code: str) -> str:
    return editor.guardrail_rows[code].text()


def test_guardrails_turn_from_pass_to_warning_as_the_plan_changes(qtbot, sample: Store) -> None:
    plan = new_plan(sample)
    # One attendee was asked for feedback a month ago: a rating question would be a survey.
    sample.interactions.add(
        Interaction(
            account_id=plan.account_id,
            occurred_on=TODAY - timedelta(days=30),
            type=InteractionType.FEEDBACK_REQUEST,
            purpose="Satisfaction survey",
            stakeholder_ids=[plan.attendee_ids[0]],
        )
    )
    editor = open_editor(qtbot, sample, plan)
    for code in ("future_first", "no_price", "no_survey", "no_unasked_concession"):
        assert row_text(editor, code).startswith("✔ Pass"), row_text(editor, code)

    # A price section outside a negotiation (its five minutes also tip the future share
    # of the discovery playbook, 32 of 60, under half).
    editor.add_section("price")
    qtbot.waitUntil(lambda: row_text(editor, "no_price").startswith("⚠ Warning"))
    assert "not a negotiation" in editor.guardrail_rows["no_price"].reason.text()
    assert row_text(editor, "future_first").startswith("⚠ Warning")

    # Take the minutes away from their future.
    for box in editor.section_boxes:
        if box.code in ("future_goals", "ideas"):
            box.minutes.setValue(0)
    qtbot.waitUntil(lambda: editor.guardrail_rows["future_first"].reason.text().startswith("0 of"))
    assert row_text(editor, "future_first").startswith("⚠ Warning")
    assert editor.totals.text().startswith("Total ")

    # A rating question for someone surveyed a month ago.
    editor.section_boxes[0].questions[0].survey.setChecked(True)
    qtbot.waitUntil(lambda: row_text(editor, "no_survey").startswith("⚠ Warning"))

    # An offer they did not ask for, then one they did.
    offer = editor.add_offer()
    qtbot.keyClicks(offer.text, "Free extra site visit")
    qtbot.waitUntil(lambda: row_text(editor, "no_unasked_concession").startswith("⚠ Warning"))
    offer.asked.setChecked(True)
    qtbot.waitUntil(lambda: row_text(editor, "no_unasked_concession").startswith("✔ Pass"))

    # Removing the price section puts that guardrail back to pass.
    editor.remove_section(next(b for b in editor.section_boxes if b.code == "price"))
    qtbot.waitUntil(lambda: row_text(editor, "no_price").startswith("✔ Pass"))


def test_mark_ready_is_blocked_until_an_override_with_a_reason(
    qtbot, sample: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = open_editor(qtbot, sample, new_plan(sample))
    assert editor.ready_button.isEnabled()
    price = editor.add_section("price")
    price.minutes.setValue(0)  # so that only the price guardrail fails
    editor.refresh_guardrails()
    assert not editor.ready_button.isEnabled()
    assert "Price only in a negotiation" in editor.ready_button.toolTip()

    # An empty reason is refused with a message.
    empty = OverrideDialog(editor.result("no_price"), editor)
    qtbot.addWidget(empty)
    empty.reason.setPlainText("   ")
    empty.accept()
    assert empty.result() != QDialog.DialogCode.Accepted
    assert not empty.error.isHidden() and "reason" in empty.error.text()

    reason = "Their CFO asked us to bring indicative prices"

    def give_reason(dialog: OverrideDialog) -> int:
        dialog.reason.setPlainText(reason)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(OverrideDialog, "exec", give_reason)
    qtbot.mouseClick(editor.guardrail_rows["no_price"].button, Qt.MouseButton.LeftButton)
    assert row_text(editor, "no_price").startswith("✎ Overridden")
    assert reason in editor.guardrail_rows["no_price"].override_note.text()
    assert editor.ready_button.isEnabled()

    with qtbot.waitSignal(editor.saved) as saved:
        qtbot.mouseClick(editor.ready_button, Qt.MouseButton.LeftButton)
    assert saved.args == [editor.account_id]
    stored = sample.plans.get(editor.plan_id)
    assert stored.status is PlanStatus.READY
    assert stored.guardrail_overrides == {"no_price": reason}
    assert not editor.ready_button.isEnabled()  # already ready

    # Changing a ready plan makes it a draft again, to be checked again.
    editor.title_edit.setText("Changed after ready")
    assert editor.current_plan().status is PlanStatus.DRAFT
    assert editor.is_dirty()


# ---- saving, closing, presenting ----------------------------------------------------------------


def test_each_save_is_a_new_version_and_the_title_marks_unsaved_changes(
    qtbot, sample: Store
) -> None:
    editor = open_editor(qtbot, sample, new_plan(sample), user="Priya")
    assert editor.plan_id == "" and "not saved yet" in editor.status_label.text()
    assert not editor.duplicate_button.isEnabled()
    with qtbot.waitSignal(editor.saved):
        qtbot.keyClick(editor.title_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    first = sample.plans.get(editor.plan_id)
    assert (first.version, first.edited_by) == (1, "Priya")
    assert not editor.isWindowModified() and editor.windowTitle().endswith("[*]")

    editor.title_edit.setText("Discovery with the new finance director")
    assert editor.isWindowModified()
    editor.section_boxes[0].minutes.setValue(9)
    editor.channel.setCurrentIndex(editor.channel.findData(Channel.VIDEO))
    assert editor.save()
    stored = sample.plans.get(editor.plan_id)
    assert stored.version == 2 and stored.title == "Discovery with the new finance director"
    assert stored.sections[0]["minutes"] == 9 and stored.channel is Channel.VIDEO
    assert "version 2" in editor.status_label.text() and not editor.isWindowModified()

    # A wrong date is shown next to the field and nothing is written.
    editor.date_field.edit.setText("next tuesday")
    assert not editor.save()
    assert editor.date_field.error.isVisible()
    assert sample.plans.get(editor.plan_id).version == 2


def test_questions_can_be_added_edited_marked_and_removed(qtbot, sample: Store) -> None:
    editor = open_editor(qtbot, sample, new_plan(sample))
    box = editor.section_boxes[1]
    count = len(box.questions)
    qtbot.mouseClick(box.add, Qt.MouseButton.LeftButton)
    assert len(box.questions) == count + 1
    qtbot.keyClicks(box.questions[-1].text, "Who is new on your leadership team?")
    box.questions[0].asked.setChecked(True)
    box.remove_question(box.questions[1])
    assert editor.save()
    stored = sample.plans.get(editor.plan_id).sections[1]["questions"]
    assert len(stored) == count
    assert stored[-1]["text"] == "Who is new on your leadership team?"
    assert stored[0]["asked"] is True


def test_closing_with_unsaved_changes_asks_save_discard_or_cancel(
    qtbot, sample: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = save_plan(sample, new_plan(sample))
    editor = open_editor(qtbot, sample, saved)
    editor.title_edit.setText("Edited")

    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not editor.close()
    assert editor.isVisible() and len(asked) == 1 and "Edited" in asked[0]

    answer_with(monkeypatch, QMessageBox.StandardButton.Discard)
    assert editor.close()
    assert sample.plans.get(saved.id).title == saved.title

    other = open_editor(qtbot, sample, sample.plans.get(saved.id))
    other.title_edit.setText("Kept")
    answer_with(monkeypatch, QMessageBox.StandardButton.Save)
    assert other.close()
    assert sample.plans.get(saved.id).title == "Kept"

    clean = open_editor(qtbot, sample, sample.plans.get(saved.id))
    asked = answer_with(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert clean.close() and asked == []  # nothing to save: no question


def test_present_saves_first_and_coaching_mode_saves_the_session(qtbot, sample: Store) -> None:
    editor = open_editor(qtbot, sample, new_plan(sample))
    with qtbot.waitSignal(editor.present_requested) as presented:
        qtbot.keyClick(editor.title_edit, Qt.Key.Key_F5)
    plan_id = presented.args[0]
    assert plan_id and sample.plans.get(plan_id).version == 1

    window = present_plan(sample, plan_id, today=TODAY, user="Priya")
    qtbot.addWidget(window)
    assert isinstance(window, CoachingWindow)
    assert len(window.cards) == 2
    window.run.add("we: send the estate survey")
    with qtbot.waitSignal(window.finished):
        window.end(save=True)
    sessions = sample.coaching_sessions.where("plan_id = ?", [plan_id])
    assert len(sessions) == 1
    commitments = sample.commitments.where("session_id = ?", [sessions[0].id])
    assert [c.description for c in commitments] == ["send the estate survey"]
    assert commitments[0].owner == "Priya"


def test_export_needs_a_contract_and_saves_first(qtbot, sample: Store) -> None:
    loose = open_editor(qtbot, sample, new_plan(sample, contract=False))
    assert not loose.brief_button.isEnabled()
    assert "not for a particular contract" in loose.brief_button.toolTip()

    editor = open_editor(qtbot, sample, new_plan(sample))
    assert editor.brief_button.isEnabled()
    with qtbot.waitSignal(editor.export_requested) as export:
        qtbot.mouseClick(editor.brief_button, Qt.MouseButton.LeftButton)
    kind, contract_id, plan_id = export.args
    assert kind == "brief" and contract_id == editor.stored_plan.contract_id
    assert sample.plans.get(plan_id).contract_id == contract_id
    with qtbot.waitSignal(editor.export_requested) as export:
        qtbot.mouseClick(editor.proposal_button, Qt.MouseButton.LeftButton)
    assert export.args[0] == "proposal"


def test_duplicate_continues_with_an_unsaved_copy(
    qtbot, sample: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = save_plan(sample, new_plan(sample))
    editor = open_editor(qtbot, sample, original)
    editor.title_edit.setText("Not kept")
    answer_with(monkeypatch, QMessageBox.StandardButton.Discard)
    assert editor.duplicate()
    assert editor.plan_id == "" and editor.title_edit.text() == original.title + " (copy)"
    assert editor.isWindowModified()
    assert editor.save()
    assert editor.plan_id != original.id
    assert sample.plans.get(original.id).title == original.title
    assert len(sample.plans.for_account(original.account_id)) == 2


def test_capture_outcome_from_the_editor_marks_the_plan_held(
    qtbot, sample: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = open_editor(qtbot, sample, new_plan(sample))

    def fill_and_save(dialog: CaptureDialog) -> int:
        # The plan has the meeting in two weeks: the dialog says so rather than assume today.
        assert dialog.held_on.edit.text() == MEETING.isoformat()
        assert "after today" in dialog.held_on.error.text()
        dialog.held_on.edit.setText(TODAY.isoformat())
        dialog.commitment_rows.rows[0].description.setText("Send the estate survey")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(CaptureDialog, "exec", fill_and_save)
    with qtbot.waitSignal(editor.captured) as captured, qtbot.waitSignal(editor.saved):
        editor.capture_outcome()
    assert captured.args[0].plan.status is PlanStatus.HELD
    assert sample.plans.get(editor.plan_id).status is PlanStatus.HELD
    assert "Held" in editor.status_label.text()
    assert "1 commitment" in editor.message.text() and "(s)" not in editor.message.text()
    assert not editor.ready_button.isEnabled()


def test_editor_widgets_are_named_for_assistive_technology(qtbot, sample: Store) -> None:
    editor = open_editor(qtbot, sample, new_plan(sample))
    box = editor.section_boxes[0]
    assert box.minutes.accessibleName().startswith("Minutes for ")
    assert box.questions[0].text.accessibleName() == "Question"
    assert editor.title_edit.accessibleName() == "Plan title"
    assert editor.guardrail_rows["no_price"].accessibleName().startswith("Pass: ")
    assert plan_editor.GUARDRAIL_DELAY_MS <= 200
