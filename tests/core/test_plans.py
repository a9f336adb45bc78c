"""Conversation plans: building from a playbook, prep cards, each guardrail, ready, capture."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from renewal_coach.core.enums import (
    Attitude,
    BuyingRole,
    ContractStatus,
    Influence,
    InteractionType,
    MeetingType,
    Party,
    PlanStatus,
    ProcurementRoute,
    ResponseMode,
)
from renewal_coach.core.errors import ValidationError
from renewal_coach.core.models import (
    Account,
    Commitment,
    Concern,
    Contract,
    CustomerGoal,
    Interaction,
    Stakeholder,
    ValueEvidence,
)
from renewal_coach.core.plans import (
    AccountContext,
    Capture,
    NewCommitment,
    NewConcern,
    NewGoal,
    build_plan,
    capture_changes,
    check_guardrails,
    duplicate_plan,
    mark_ready,
    override_guardrail,
    prep_cards,
    tender_live,
)
from renewal_coach.core.playbooks import load_library

TODAY = date(2026, 11, 23)
MEETING = date(2026, 12, 10)


def ctx() -> AccountContext:
    account = Account(id="a1", name="Halden Water")
    contract = Contract(
        id="c1",
        account_id="a1",
        title="Network maintenance",
        reference="HW-1",
        start_date=date(2024, 1, 1),
        end_date=date(2027, 12, 31),
    )
    buyer = Stakeholder(
        id="s1",
        account_id="a1",
        name="Ines Okafor",
        title="COO",
        buying_role=BuyingRole.ECONOMIC_BUYER,
        influence=Influence.HIGH,
        attitude=Attitude.SUPPORTER,
        response_mode=ResponseMode.EVEN_KEEL,
        contact_cadence_days=30,
    )
    user = Stakeholder(
        id="s2",
        account_id="a1",
        name="Tom Reyes",
        buying_role=BuyingRole.USER,
        response_mode=ResponseMode.TROUBLE,
        attitude=Attitude.SCEPTIC,
    )
    confirmed = CustomerGoal(
        id="g1",
        account_id="a1",
        statement="Cut leakage by a fifth",
        priority=1,
        confirmed_by_id="s1",
        confirmed_on=date(2026, 6, 1),
    )
    assumed = CustomerGoal(id="g2", account_id="a1", statement="Fewer call-outs", priority=2)
    return AccountContext(
        account=account,
        contracts=[contract],
        stakeholders=[buyer, user],
        goals=[confirmed, assumed],
        interactions=[
            Interaction(
                id="i1",
                account_id="a1",
                occurred_on=MEETING - timedelta(days=40),
                purpose="Quarterly review",
                stakeholder_ids=["s1", "s2"],
            )
        ],
        evidence=[
            ValueEvidence(id="e1", account_id="a1", description="Faster repairs", metric="Fix time")
        ],
        concerns=[
            Concern(
                id="k1",
                account_id="a1",
                description="Missed two repair windows",
                severity=1,
                opened_on=date(2026, 10, 1),
            )
        ],
    )


def plan_for(playbook_id: str = "discovery", attendees=("s1", "s2"), context=None):
    context = context or ctx()
    book = load_library().get(playbook_id)
    return build_plan(
        book, context, contract_id="c1", meeting_date=MEETING, attendee_ids=list(attendees)
    )


def results(plan, context=None):
    return {r.code: r for r in check_guardrails(plan, context or ctx(), TODAY)}


def test_a_plan_is_built_from_the_playbook_with_confirmed_goals_and_tailored_questions() -> None:
    plan = plan_for()
    codes = [s["code"] for s in plan.sections]
    assert codes[0] == "permission" and codes[-1] == "commitments"
    goals = next(s for s in plan.sections if s["code"] == "future_goals")
    assert goals["goal_ids"] == ["g1"]  # only the confirmed goal is presented as theirs
    texts = [q["text"] for q in goals["questions"]]
    assert any("down to us" in t for t in texts)  # Tom is in trouble mode
    assert any("even better" in t for t in texts)  # Ines is on an even keel
    assert not any("growing fast" in t for t in texts)  # nobody in growth mode
    assert plan.title == "Discovery of future goals: HW-1"
    assert plan.status is PlanStatus.DRAFT and plan.attendee_ids == ["s1", "s2"]


@pytest.mark.parametrize(
    "playbook_id",
    ["discovery", "value-review", "concern-recovery", "renewal-proposal", "negotiation", "debrief"],
)
def test_every_builtin_playbook_makes_a_plan_that_passes_its_structural_guardrails(
    playbook_id: str,
) -> None:
    plan = plan_for(playbook_id, attendees=("s1",))
    checked = results(plan)
    assert checked["future_first"].passed
    assert checked["no_price"].passed
    assert checked["confirmed_goals"].passed


def test_future_first_fails_below_half_the_minutes_and_passes_at_exactly_half() -> None:
    plan = plan_for()
    # discovery: 60 minutes, 22 + 10 = 32 on the future. Give 'gaps' 4 more: 32 / 64 = 50%.
    sections = [dict(s) for s in plan.sections]
    gaps = next(s for s in sections if s["code"] == "gaps")
    gaps["minutes"] += 4
    half = dataclasses.replace(plan, sections=sections)
    assert results(half)["future_first"].passed
    assert "32 of 64 minutes (50%)" in results(half)["future_first"].reason
    gaps["minutes"] += 1  # 32 / 65 = 49%
    under = dataclasses.replace(plan, sections=sections)
    assert not results(under)["future_first"].passed


def test_a_price_section_outside_a_negotiation_fails() -> None:
    plan = plan_for()
    sections = [*plan.sections, {"code": "price", "title": "Price", "minutes": 1, "questions": []}]
    assert not results(dataclasses.replace(plan, sections=sections))["no_price"].passed
    negotiation = plan_for("negotiation")
    assert negotiation.meeting_type is MeetingType.NEGOTIATION
    assert results(negotiation)["no_price"].passed


def test_no_survey_for_someone_asked_for_feedback_within_180_days() -> None:
    context = ctx()
    plan = plan_for("value-review", context=context)  # has a rating question
    assert results(plan, context)["no_survey"].passed
    context.interactions.append(
        Interaction(
            account_id="a1",
            occurred_on=MEETING - timedelta(days=179),
            type=InteractionType.FEEDBACK_REQUEST,
            purpose="Annual survey",
            stakeholder_ids=["s2"],
        )
    )
    failed = results(plan, context)["no_survey"]
    assert not failed.passed and "Tom Reyes" in failed.reason
    context.interactions[-1].occurred_on = MEETING - timedelta(days=180)  # six months on
    assert results(plan, context)["no_survey"].passed
    no_surveys = ctx()
    no_surveys.stakeholders[0].no_surveys = True
    assert not results(plan, no_surveys)["no_survey"].passed


def test_formal_channel_is_required_while_a_public_tender_is_live() -> None:
    context = ctx()
    contract = context.contracts[0]
    contract.public_sector = True
    contract.procurement_route = ProcurementRoute.OPEN_TENDER
    contract.market_approach_date = MEETING - timedelta(days=10)
    contract.decision_date = MEETING + timedelta(days=30)
    assert tender_live(contract, MEETING)
    plan = dataclasses.replace(plan_for(context=context), formal_channel=False)
    assert not results(plan, context)["formal_channel"].passed
    formal = dataclasses.replace(plan, formal_channel=True)
    assert results(formal, context)["formal_channel"].passed
    contract.decision_date = MEETING - timedelta(days=1)  # decided: no longer live
    assert results(plan, context)["formal_channel"].passed
    contract.status = ContractStatus.RENEWED
    assert not tender_live(contract, MEETING - timedelta(days=5))


def test_a_concession_the_customer_did_not_ask_for_fails() -> None:
    plan = plan_for()
    asked = dataclasses.replace(
        plan, offers=[{"text": "Extra site visit", "requested_by_customer": True}]
    )
    assert results(asked)["no_unasked_concession"].passed
    unasked = dataclasses.replace(
        plan, offers=[{"text": "5% discount", "requested_by_customer": False}]
    )
    failed = results(unasked)["no_unasked_concession"]
    assert not failed.passed and "5% discount" in failed.reason


def test_goals_presented_as_theirs_must_be_confirmed() -> None:
    plan = plan_for()
    sections = [dict(s) for s in plan.sections]
    next(s for s in sections if s["code"] == "future_goals")["goal_ids"] = ["g1", "g2"]
    failed = results(dataclasses.replace(plan, sections=sections))["confirmed_goals"]
    assert not failed.passed and "Fewer call-outs" in failed.reason


def test_the_meeting_must_respect_each_attendees_cadence() -> None:
    # Ines asked for contact every 30 days; last contact was 40 days before the meeting: fine.
    assert results(plan_for())["cadence"].passed
    context = ctx()
    context.interactions[0].occurred_on = MEETING - timedelta(days=12)
    failed = results(plan_for(context=context), context)["cadence"]
    assert not failed.passed
    assert "Ines Okafor asked to hear from us every 30 days" in failed.reason
    assert "12 days" in failed.reason


def test_ready_is_blocked_by_a_failing_guardrail_until_it_is_overridden_with_a_reason() -> None:
    plan = dataclasses.replace(
        plan_for(), offers=[{"text": "Free training day", "requested_by_customer": False}]
    )
    with pytest.raises(ValidationError, match="No concession they did not ask for"):
        mark_ready(plan, check_guardrails(plan, ctx(), TODAY))
    blank = override_guardrail(plan, "no_unasked_concession", "   ")
    with pytest.raises(ValidationError):
        mark_ready(blank, check_guardrails(blank, ctx(), TODAY))
    reasoned = override_guardrail(
        plan, "no_unasked_concession", "Agreed with the sponsor as a goodwill gesture"
    )
    checked = check_guardrails(reasoned, ctx(), TODAY)
    concession = next(r for r in checked if r.code == "no_unasked_concession")
    assert concession.overridden and not concession.passed
    assert mark_ready(reasoned, checked).status is PlanStatus.READY
    with pytest.raises(ValidationError, match="Unknown guardrail"):
        override_guardrail(plan, "made_up", "because")


def test_prep_cards_show_contact_against_cadence_concerns_and_red_flags() -> None:
    cards = prep_cards(plan_for(), ctx(), TODAY)
    ines, tom = cards
    assert ines.name == "Ines Okafor" and ines.days_since_contact == 40
    assert ines.cadence_days == 30 and "every 30 days" in ines.cadence_note
    assert ines.open_concerns == ("Missed two repair windows (severity 1)",)
    assert any("Even keel" in f for f in ines.red_flags)
    assert any("Sceptic" in f for f in tom.red_flags)
    assert any("trouble mode" in f for f in tom.red_flags)
    assert "attitude" in ines.INTERNAL and "red_flags" in ines.INTERNAL


def test_capture_turns_into_records_and_marks_the_plan_held() -> None:
    context = ctx()
    plan = plan_for(context=context)
    capture = Capture(
        held_on=MEETING,
        answers={(2, 0): "Halve leakage by 2029"},
        new_goals=[NewGoal("Halve leakage", "Leakage", "12%", "6%", date(2029, 3, 31), "s1")],
        confirmed_goals={"g2": "s2"},
        validated_evidence={"e1": "s1"},
        new_concerns=[NewConcern("Reports arrive late", 2), NewConcern("   ")],
        attitudes={"s2": Attitude.NEUTRAL},
        modes={"s2": ResponseMode.GROWTH},
        commitments=[
            NewCommitment(Party.US, "Send the leakage model", "Priya", date(2026, 12, 20)),
            NewCommitment(Party.CUSTOMER, "Share last year's figures", "Ines"),
        ],
        notes="Good session\x00",
    )
    changes = capture_changes(plan, context, capture)
    kinds = changes.summary()
    assert kinds == {
        "CustomerGoal": 2,  # one new, one confirmed
        "Concern": 1,  # the blank one is ignored
        "Commitment": 2,
        "Interaction": 1,  # the meeting itself counts as contact
        "ValueEvidence": 1,
        "Stakeholder": 1,
    }
    new_goal = next(r for r in changes.added if isinstance(r, CustomerGoal))
    assert new_goal.confirmed and new_goal.confirmed_on == MEETING
    confirmed = next(r for r in changes.updated if isinstance(r, CustomerGoal))
    assert confirmed.id == "g2" and confirmed.confirmed_by_id == "s2"
    tom = next(r for r in changes.updated if isinstance(r, Stakeholder))
    assert (tom.attitude, tom.response_mode) == (Attitude.NEUTRAL, ResponseMode.GROWTH)
    ours = [r for r in changes.added if isinstance(r, Commitment)]
    assert [c.party for c in ours] == [Party.US, Party.CUSTOMER]
    meeting = next(r for r in changes.added if isinstance(r, Interaction))
    assert meeting.stakeholder_ids == ["s1", "s2"] and meeting.brought_value
    assert meeting.outcome == "Good session"
    assert changes.plan.status is PlanStatus.HELD
    assert changes.plan.sections[2]["questions"][0]["answer"] == "Halve leakage by 2029"
    assert changes.plan.captured["held_on"] == MEETING.isoformat()


def test_a_duplicate_is_a_fresh_draft_with_answers_cleared() -> None:
    plan = plan_for()
    plan.sections[0]["questions"][0]["answer"] = "Yes"
    held = dataclasses.replace(plan, id="p1", status=PlanStatus.HELD, version=4)
    copy = duplicate_plan(held)
    assert copy.id == "" and copy.version == 1 and copy.status is PlanStatus.DRAFT
    assert copy.sections[0]["questions"][0]["answer"] == ""
    assert held.sections[0]["questions"][0]["answer"] == "Yes"  # the original is untouched


def test_guardrail_reasons_count_in_words_and_write_dates_readably() -> None:
    # The plan editor said "All 1 goals presented as theirs were confirmed by them." and
    # "asked for feedback on 2026-…".
    from renewal_coach.core.dates import show_day

    plan = plan_for()
    assert results(plan)["confirmed_goals"].reason == (
        "The goal presented as theirs was confirmed by them."
    )
    context = ctx()
    survey = plan_for("value-review", context=context)
    asked_on = MEETING - timedelta(days=30)
    context.interactions.append(
        Interaction(
            account_id="a1",
            occurred_on=asked_on,
            type=InteractionType.FEEDBACK_REQUEST,
            purpose="Annual survey",
            stakeholder_ids=["s2"],
        )
    )
    reason = results(survey, context)["no_survey"].reason
    assert f"asked for feedback on {show_day(asked_on)}" in reason
    assert asked_on.isoformat() not in reason
