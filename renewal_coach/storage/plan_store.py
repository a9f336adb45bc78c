"""Loading what a conversation plan needs, and saving what a meeting produced, in one go."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import FieldProblem, ValidationError
from ..core.models import (
    CoachingSession,
    Commitment,
    Concern,
    ConversationPlan,
    CustomerGoal,
    Interaction,
    Stakeholder,
    ValueEvidence,
)
from ..core.plans import AccountContext, CaptureChanges
from .repository import Store

_TABLE_OF: dict[type, str] = {
    CustomerGoal: "goals",
    Concern: "concerns",
    Commitment: "commitments",
    Interaction: "interactions",
    Stakeholder: "stakeholders",
    ValueEvidence: "evidence",
    ConversationPlan: "plans",
}


def _exists(store: Store, table: str, record_id: str) -> bool:
    row = store.db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [record_id]).fetchone()
    return row is not None


def load_context(store: Store, account_id: str) -> AccountContext:
    """Every record of one account a plan, its prep cards and its guardrails look at."""
    return AccountContext(
        account=store.accounts.get(account_id),
        contracts=list(store.contracts.for_account(account_id)),
        stakeholders=list(store.stakeholders.for_account(account_id)),
        interactions=list(store.interactions.for_account(account_id)),
        goals=list(store.goals.for_account(account_id)),
        evidence=list(store.evidence.for_account(account_id)),
        concerns=list(store.concerns.for_account(account_id)),
        improvements=list(store.improvements.for_account(account_id)),
        change_events=list(store.change_events.for_account(account_id)),
    )


def save_plan(store: Store, plan: ConversationPlan, *, edited_by: str = "") -> ConversationPlan:
    """Add a new plan, or save a changed one as its next version (who and when recorded)."""
    if not plan.id or not _exists(store, "plans", plan.id):
        return store.plans.add(dataclasses.replace(plan, edited_by=edited_by or plan.edited_by))
    stored = store.plans.get(plan.id)
    if stored.version != plan.version:
        raise ValidationError(
            FieldProblem(
                "version",
                f"This plan was changed elsewhere since you opened it (now version "
                f"{stored.version}, yours {plan.version}). Close it and open it again; copy "
                "anything you typed first.",
            ),
            entity="ConversationPlan",
        )
    return store.plans.update(
        dataclasses.replace(plan, version=stored.version + 1, edited_by=edited_by or plan.edited_by)
    )


@dataclass(slots=True)
class SavedCapture:
    """What saving a capture touched: enough to show it, and to undo it."""

    plan: ConversationPlan
    plan_before: ConversationPlan
    added: list[Any] = field(default_factory=list)
    before: list[Any] = field(default_factory=list)
    after: list[Any] = field(default_factory=list)

    def undo(self, store: Store) -> None:
        """Remove what was added and put the changed records back, in one transaction."""
        with store.atomic():
            for record in reversed(self.added):
                table = _TABLE_OF[type(record)]
                if _exists(store, table, record.id):
                    store.repo(table).delete(record.id)
            for record in self.before:
                store.repo(_TABLE_OF[type(record)]).update(record)
            store.plans.update(self.plan_before)

    def redo(self, store: Store) -> None:
        """Apply the capture again (same ids), after an undo."""
        with store.atomic():
            for record in self.added:
                store.repo(_TABLE_OF[type(record)]).restore([record])
            for record in self.after:
                store.repo(_TABLE_OF[type(record)]).update(record)
            store.plans.update(self.plan)


def save_capture(store: Store, changes: CaptureChanges) -> SavedCapture:
    """Write every record a meeting produced and mark the plan held: all of it or none of it."""
    with store.atomic():
        plan_before = store.plans.get(changes.plan.id)
        before = [store.repo(_TABLE_OF[type(r)]).get(r.id) for r in changes.updated if r.id]
        added = [store.repo(_TABLE_OF[type(r)]).add(r) for r in changes.added]
        after = [store.repo(_TABLE_OF[type(r)]).update(r) for r in changes.updated]
        plan = store.plans.update(changes.plan)
    return SavedCapture(plan=plan, plan_before=plan_before, added=added, before=before, after=after)


def save_session(
    store: Store, session: CoachingSession, commitments: list[Commitment]
) -> tuple[CoachingSession, list[Commitment]]:
    """Save a finished coaching session and the commitments typed during it, together."""
    with store.atomic():
        saved = store.coaching_sessions.add(session)
        added = [
            store.commitments.add(dataclasses.replace(c, session_id=saved.id)) for c in commitments
        ]
    return saved, added
