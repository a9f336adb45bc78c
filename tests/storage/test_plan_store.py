"""Saving plans with versions, and a meeting's capture written (and undone) as one change."""

from __future__ import annotations

from datetime import date

import pytest

from renewal_coach.core.enums import Attitude, Channel, Party, PlanStatus
from renewal_coach.core.errors import ValidationError
from renewal_coach.core.plans import Capture, NewCommitment, NewGoal, build_plan, capture_changes
from renewal_coach.core.playbooks import load_library
from renewal_coach.storage.plan_store import load_context, save_capture, save_plan
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import load_sample

TODAY = date(2026, 11, 23)


def first_account_with_people(store: Store) -> str:
    for account in store.accounts.all():
        if store.stakeholders.for_account(account.id) and store.contracts.for_account(account.id):
            return account.id
    raise AssertionError("the sample has no account with people")


def new_plan(store: Store):
    account_id = first_account_with_people(store)
    ctx = load_context(store, account_id)
    plan = build_plan(
        load_library().get("discovery"),
        ctx,
        contract_id=ctx.contracts[0].id,
        meeting_date=TODAY,
        attendee_ids=[s.id for s in ctx.stakeholders[:2]],
    )
    return ctx, plan


def test_a_plan_round_trips_and_each_save_is_a_new_version(store: Store) -> None:
    load_sample(store, TODAY)
    _, plan = new_plan(store)
    plan.offers = [{"text": "Workshop", "requested_by_customer": True}]
    plan.channel = Channel.VIDEO
    saved = save_plan(store, plan, edited_by="Priya")
    again = store.plans.get(saved.id)
    assert again.sections == plan.sections and again.offers == plan.offers
    assert again.channel is Channel.VIDEO and again.playbook == "discovery"
    assert again.attendee_ids == plan.attendee_ids
    assert (again.version, again.edited_by) == (1, "Priya")
    second = save_plan(store, again, edited_by="Tom")
    assert (store.plans.get(saved.id).version, second.edited_by) == (2, "Tom")


def test_two_editors_of_one_plan_cannot_overwrite_each_other(store: Store) -> None:
    load_sample(store, TODAY)
    _, plan = new_plan(store)
    saved = save_plan(store, plan, edited_by="Priya")
    mine, theirs = store.plans.get(saved.id), store.plans.get(saved.id)
    theirs.title = "Their edit"
    save_plan(store, theirs, edited_by="Tom")
    mine.title = "My edit"
    with pytest.raises(ValidationError, match="changed elsewhere"):
        save_plan(store, mine, edited_by="Priya")
    stored = store.plans.get(saved.id)
    assert (stored.title, stored.version) == ("Their edit", 2)


def test_capture_writes_records_and_can_be_undone_and_redone(store: Store) -> None:
    load_sample(store, TODAY)
    ctx, plan = new_plan(store)
    plan = save_plan(store, plan)
    person = ctx.stakeholders[0]
    before_interactions = len(store.interactions.for_account(ctx.account.id))
    before_goals = len(store.goals.for_account(ctx.account.id))
    capture = Capture(
        held_on=TODAY,
        new_goals=[NewGoal("Open two new depots", confirmed_by_id=person.id)],
        attitudes={person.id: Attitude.CHAMPION},
        commitments=[NewCommitment(Party.CUSTOMER, "Send the depot plan", "Them")],
    )
    saved = save_capture(store, capture_changes(plan, ctx, capture))
    account = ctx.account.id
    assert len(store.goals.for_account(account)) == before_goals + 1
    assert len(store.interactions.for_account(account)) == before_interactions + 1
    assert store.stakeholders.get(person.id).attitude is Attitude.CHAMPION
    assert store.plans.get(plan.id).status is PlanStatus.HELD
    assert [c.description for c in store.commitments.where("plan_id = ?", [plan.id])] == [
        "Send the depot plan"
    ]

    saved.undo(store)
    assert len(store.goals.for_account(account)) == before_goals
    assert len(store.interactions.for_account(account)) == before_interactions
    assert store.stakeholders.get(person.id).attitude is person.attitude
    assert store.plans.get(plan.id).status is PlanStatus.DRAFT

    saved.redo(store)
    assert len(store.goals.for_account(account)) == before_goals + 1
    assert store.stakeholders.get(person.id).attitude is Attitude.CHAMPION
    assert store.plans.get(plan.id).status is PlanStatus.HELD
