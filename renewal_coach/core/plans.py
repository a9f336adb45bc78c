"""Conversation plans: building one from a playbook, prep cards, guardrails, and what the meeting
produced.

Everything here is a pure function of records: the storage layer loads an
:class:`AccountContext` and saves what :func:`capture_changes` returns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar

from .dates import show_day
from .enums import (
    Attitude,
    BuyingRole,
    Channel,
    ContractStatus,
    InteractionType,
    MeetingType,
    Party,
    PlanStatus,
    ProcurementRoute,
    ResponseMode,
)
from .errors import FieldProblem, ValidationError
from .models import (
    Account,
    ChangeEvent,
    Commitment,
    Concern,
    Contract,
    ConversationPlan,
    CustomerGoal,
    Improvement,
    Interaction,
    Stakeholder,
    ValueEvidence,
)
from .playbooks import FUTURE_SECTIONS, Playbook, tailored_questions
from .text import clean_line, clean_text, plural

#: No survey question for someone asked for feedback within this many days.
SURVEY_REST_DAYS = 180
#: Contact older than this counts as "not recently in touch" on a prep card.
STALE_CONTACT_DAYS = 90
#: Share of the minutes that must go to the customer's future.
FUTURE_SHARE = 0.5

_TENDER_ROUTES = frozenset(
    {ProcurementRoute.SELECTIVE_TENDER, ProcurementRoute.OPEN_TENDER, ProcurementRoute.PANEL}
)
_OPEN_STATUSES = frozenset({ContractStatus.ACTIVE, ContractStatus.RENEWING})


@dataclass(slots=True)
class AccountContext:
    """One account and the records a plan needs, as loaded from storage."""

    account: Account
    contracts: list[Contract] = field(default_factory=list)
    stakeholders: list[Stakeholder] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    goals: list[CustomerGoal] = field(default_factory=list)
    evidence: list[ValueEvidence] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)
    improvements: list[Improvement] = field(default_factory=list)
    change_events: list[ChangeEvent] = field(default_factory=list)

    def stakeholder(self, stakeholder_id: str) -> Stakeholder | None:
        return next((s for s in self.stakeholders if s.id == stakeholder_id), None)

    def contract(self, contract_id: str | None) -> Contract | None:
        return next((c for c in self.contracts if c.id == contract_id), None)

    def goal(self, goal_id: str) -> CustomerGoal | None:
        return next((g for g in self.goals if g.id == goal_id), None)


# ---- building ---------------------------------------------------------------------------------


def build_plan(
    playbook: Playbook,
    ctx: AccountContext,
    *,
    contract_id: str | None,
    meeting_date: date | None,
    attendee_ids: Sequence[str],
    edited_by: str = "",
) -> ConversationPlan:
    """A new draft plan from ``playbook``, with questions tailored to the attendees.

    Confirmed goals of the account (or the contract) are attached to the future-goals section,
    so the plan starts from what the customer said, not from what we assume.
    """
    people = [
        (s.buying_role, s.response_mode)
        for s in (ctx.stakeholder(i) for i in attendee_ids)
        if s is not None
    ]
    contract = ctx.contract(contract_id)
    goals = [
        g.id
        for g in sorted(ctx.goals, key=lambda g: (g.priority, g.statement.lower()))
        if g.confirmed and (contract_id is None or g.contract_id in (None, contract_id))
    ]
    sections: list[dict[str, Any]] = []
    for section in playbook.sections:
        questions = [
            {
                "text": q.text,
                "audience": q.audience,
                "survey": q.survey,
                "asked": False,
                "answer": "",
            }
            for q in tailored_questions(section, people)
        ]
        entry: dict[str, Any] = {
            "code": section.code,
            "title": section.title,
            "minutes": section.minutes,
            "guidance": section.guidance,
            "questions": questions,
        }
        if section.code == "future_goals":
            entry["goal_ids"] = goals[:3]
        sections.append(entry)
    title = playbook.title + (f": {contract.reference}" if contract else "")
    return ConversationPlan(
        account_id=ctx.account.id,
        contract_id=contract.id if contract else None,
        meeting_type=playbook.meeting_type,
        meeting_date=meeting_date,
        playbook=playbook.id,
        title=title,
        sections=sections,
        attendee_ids=list(dict.fromkeys(attendee_ids)),
        edited_by=edited_by,
        formal_channel=bool(contract and tender_live(contract, meeting_date or date.today())),
    )


def duplicate_plan(plan: ConversationPlan, *, edited_by: str = "") -> ConversationPlan:
    """A fresh draft copy of ``plan``: same content, answers and captures cleared, version 1."""
    sections = []
    for section in plan.sections:
        copy = dict(section)
        copy["questions"] = [
            {**q, "asked": False, "answer": ""} for q in section.get("questions", [])
        ]
        sections.append(copy)
    return dataclasses.replace(
        plan,
        id="",
        title=(plan.title + " (copy)")[:200],
        status=PlanStatus.DRAFT,
        sections=sections,
        captured={},
        guardrail_overrides={},
        version=1,
        edited_by=edited_by,
        created_at="",
        updated_at="",
    )


def total_minutes(plan: ConversationPlan) -> int:
    return sum(int(s.get("minutes", 0) or 0) for s in plan.sections)


def future_minutes(plan: ConversationPlan) -> int:
    return sum(
        int(s.get("minutes", 0) or 0) for s in plan.sections if s.get("code") in FUTURE_SECTIONS
    )


def tender_live(contract: Contract, on: date) -> bool:
    """A public-sector tender is under way for ``contract`` on ``on`` (probity rules apply).

    Live from the expected market approach until the decision (or the end date when no
    decision date is known), for tender and panel routes only.
    """
    if not contract.public_sector or contract.procurement_route not in _TENDER_ROUTES:
        return False
    if contract.status not in _OPEN_STATUSES or contract.market_approach_date is None:
        return False
    until = contract.decision_date or contract.end_date
    return contract.market_approach_date <= on and (until is None or on <= until)


# ---- prep cards -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrepCard:
    """What to know about one attendee before the meeting. Fields marked internal stay hidden
    behind the privacy curtain on a shared screen."""

    stakeholder_id: str
    name: str
    title: str
    buying_role: BuyingRole
    influence: str
    attitude: Attitude  # internal
    response_mode: ResponseMode  # internal
    win_business: str
    win_personal: str  # internal
    win_validated: bool
    last_contact: date | None
    days_since_contact: int | None
    cadence_days: int | None
    cadence_note: str
    open_concerns: tuple[str, ...]
    evidence: tuple[str, ...]
    red_flags: tuple[str, ...]  # internal

    INTERNAL: ClassVar[tuple[str, ...]] = (
        "attitude",
        "response_mode",
        "win_personal",
        "red_flags",
    )


def last_contacts(interactions: Iterable[Interaction], before: date) -> dict[str, date]:
    """For each stakeholder, the date of the latest interaction involving them before ``before``."""
    latest: dict[str, date] = {}
    for i in interactions:
        if i.occurred_on is None or i.occurred_on >= before:
            continue
        for sid in i.stakeholder_ids:
            if sid not in latest or i.occurred_on > latest[sid]:
                latest[sid] = i.occurred_on
    return latest


def last_feedback_requests(interactions: Iterable[Interaction]) -> dict[str, date]:
    """For each stakeholder, the date we last asked them for feedback."""
    latest: dict[str, date] = {}
    for i in interactions:
        if i.type is not InteractionType.FEEDBACK_REQUEST or i.occurred_on is None:
            continue
        for sid in i.stakeholder_ids:
            if sid not in latest or i.occurred_on > latest[sid]:
                latest[sid] = i.occurred_on
    return latest


def prep_cards(plan: ConversationPlan, ctx: AccountContext, today: date) -> list[PrepCard]:
    """One card per attendee, in the plan's order."""
    when = plan.meeting_date or today
    contacts = last_contacts(ctx.interactions, when + timedelta(days=1))
    asked = last_feedback_requests(ctx.interactions)
    open_concerns = [
        c
        for c in ctx.concerns
        if c.resolved_on is None
        and (plan.contract_id is None or c.contract_id in (None, plan.contract_id))
    ]
    cards = []
    for sid in plan.attendee_ids:
        person = ctx.stakeholder(sid)
        if person is None:
            continue
        last = contacts.get(sid)
        days = (when - last).days if last else None
        cadence = person.contact_cadence_days or ctx.account.contact_cadence_days
        relevant = [
            e
            for e in ctx.evidence
            if e.validated_by_id == sid
            or any(g.confirmed_by_id == sid for g in ctx.goals if g.contract_id == e.contract_id)
        ]
        cards.append(
            PrepCard(
                stakeholder_id=sid,
                name=person.name,
                title=person.title,
                buying_role=person.buying_role,
                influence=person.influence.label,
                attitude=person.attitude,
                response_mode=person.response_mode,
                win_business=person.win_business,
                win_personal=person.win_personal,
                win_validated=person.win_validated,
                last_contact=last,
                days_since_contact=days,
                cadence_days=cadence,
                cadence_note=_cadence_note(days, cadence),
                open_concerns=tuple(
                    f"{c.description} (severity {c.severity})" for c in open_concerns
                ),
                evidence=tuple(_evidence_line(e) for e in relevant[:5]),
                red_flags=tuple(_red_flags(person, days, asked.get(sid), when, ctx)),
            )
        )
    return cards


def _cadence_note(days: int | None, cadence: int | None) -> str:
    if days is None:
        return "No contact on record yet."
    if cadence is None:
        return f"Last contact {days} days before the meeting; no preferred rhythm recorded."
    if days < cadence:
        return (
            f"Last contact {days} days before the meeting; they asked for every {cadence} days, "
            "so this meeting comes early."
        )
    return f"Last contact {days} days before the meeting; they asked for every {cadence} days."


def _evidence_line(e: ValueEvidence) -> str:
    change = f": {e.before} → {e.after}" if e.before or e.after else ""
    mark = " (validated)" if e.validated else ""
    return f"{e.metric or e.description[:60]}{change}{mark}"


def _red_flags(
    person: Stakeholder,
    days: int | None,
    feedback_on: date | None,
    when: date,
    ctx: AccountContext,
) -> list[str]:
    flags = []
    if person.attitude in (Attitude.SCEPTIC, Attitude.OPPONENT):
        flags.append(f"{person.attitude.label}: find out what worries them before you present.")
    if person.attitude is Attitude.UNKNOWN:
        flags.append("Attitude unknown: listen for where they stand.")
    if days is None or days > STALE_CONTACT_DAYS:
        flags.append("Not in touch for over three months.")
    if person.in_role_since and (when - person.in_role_since).days < 183:
        flags.append("New in the role: they may not know our history, or share it.")
    if feedback_on and (when - feedback_on).days < SURVEY_REST_DAYS:
        flags.append(f"Asked for feedback on {show_day(feedback_on)}: no surveys this time.")
    if person.no_surveys:
        flags.append("Asked not to receive surveys.")
    if person.response_mode is ResponseMode.TROUBLE:
        flags.append("In trouble mode: ask whether we are part of the problem.")
    if person.response_mode is ResponseMode.EVEN_KEEL:
        flags.append("Even keel: satisfied, which can turn into complacency on both sides.")
    if person.response_mode is ResponseMode.OVERCONFIDENT:
        flags.append("Overconfident: test their assumptions gently.")
    if person.buying_role is BuyingRole.ECONOMIC_BUYER and not person.win_validated:
        flags.append("Their win is not confirmed with them yet.")
    return flags


# ---- guardrails -------------------------------------------------------------------------------

GUARDRAILS: tuple[tuple[str, str], ...] = (
    ("future_first", "At least half the time on their future"),
    ("no_price", "Price only in a negotiation"),
    ("no_survey", "No survey for people asked recently"),
    ("formal_channel", "Formal channel during a public tender"),
    ("no_unasked_concession", "No concession they did not ask for"),
    ("confirmed_goals", "Goals shown as theirs are confirmed"),
    ("cadence", "Respects how often they want to hear from us"),
)
GUARDRAIL_TITLES = dict(GUARDRAILS)


@dataclass(frozen=True, slots=True)
class GuardrailResult:
    """One guardrail: passed or not, why, and the written reason when someone overrode it."""

    code: str
    title: str
    passed: bool
    reason: str
    override_reason: str = ""

    @property
    def overridden(self) -> bool:
        return not self.passed and bool(self.override_reason.strip())

    @property
    def blocking(self) -> bool:
        return not self.passed and not self.overridden


def check_guardrails(
    plan: ConversationPlan, ctx: AccountContext, today: date
) -> list[GuardrailResult]:
    """Every guardrail of DOMAIN.md section 5 against the plan as it stands."""
    when = plan.meeting_date or today
    overrides = plan.guardrail_overrides or {}
    checks = {
        "future_first": _future_first(plan),
        "no_price": _no_price(plan),
        "no_survey": _no_survey(plan, ctx, when),
        "formal_channel": _formal_channel(plan, ctx, when),
        "no_unasked_concession": _no_unasked_concession(plan),
        "confirmed_goals": _confirmed_goals(plan, ctx),
        "cadence": _cadence(plan, ctx, when),
    }
    results = []
    for code, title in GUARDRAILS:
        passed, reason = checks[code]
        override = overrides.get(code, "")
        results.append(
            GuardrailResult(
                code=code,
                title=title,
                passed=passed,
                reason=reason,
                override_reason=str(override) if not passed else "",
            )
        )
    return results


def ready_problems(results: Sequence[GuardrailResult]) -> list[str]:
    """What stops the plan being marked ready: each failing guardrail without a written reason."""
    return [f"{r.title}: {r.reason}" for r in results if r.blocking]


def mark_ready(plan: ConversationPlan, results: Sequence[GuardrailResult]) -> ConversationPlan:
    """The plan marked ready; raises ValidationError when a guardrail fails with no override."""
    problems = ready_problems(results)
    if problems:
        raise ValidationError(
            [FieldProblem("status", p) for p in problems], entity="ConversationPlan"
        )
    return dataclasses.replace(plan, status=PlanStatus.READY)


def _future_first(plan: ConversationPlan) -> tuple[bool, str]:
    total = total_minutes(plan)
    future = future_minutes(plan)
    if total == 0:
        return False, "The plan has no minutes yet."
    share = future / total
    text = f"{future} of {total} minutes ({share:.0%}) go to their goals and ideas for them"
    if share >= FUTURE_SHARE:
        return True, text + "."
    return False, text + f"; aim for at least {FUTURE_SHARE:.0%}."


def _no_price(plan: ConversationPlan) -> tuple[bool, str]:
    has_price = any(s.get("code") == "price" for s in plan.sections)
    if not has_price:
        return True, "No commercial section."
    if plan.meeting_type is MeetingType.NEGOTIATION:
        return True, "Commercial terms belong in a negotiation."
    return False, (
        "This is not a negotiation, yet the plan has a commercial section. Keep price for the "
        "negotiation so this meeting stays about them."
    )


def _survey_questions(plan: ConversationPlan) -> list[str]:
    return [
        q.get("text", "") for s in plan.sections for q in s.get("questions", []) if q.get("survey")
    ]


def _no_survey(plan: ConversationPlan, ctx: AccountContext, when: date) -> tuple[bool, str]:
    if not _survey_questions(plan):
        return True, "No rating or survey questions."
    asked = last_feedback_requests(i for i in ctx.interactions if (i.occurred_on or when) <= when)
    recent = []
    for sid in plan.attendee_ids:
        person = ctx.stakeholder(sid)
        if person is None:
            continue
        last = asked.get(sid)
        if person.no_surveys:
            recent.append(f"{person.name} asked not to be surveyed")
        elif last is not None and (when - last).days < SURVEY_REST_DAYS:
            recent.append(f"{person.name} was asked for feedback on {show_day(last)}")
    if not recent:
        return True, "Nobody attending was asked for feedback in the last six months."
    return False, (
        "; ".join(recent)
        + ". Drop the rating question and ask in 'How they want to work with us' instead."
    )


def _formal_channel(plan: ConversationPlan, ctx: AccountContext, when: date) -> tuple[bool, str]:
    contracts = [ctx.contract(plan.contract_id)] if plan.contract_id else ctx.contracts
    live = [c for c in contracts if c is not None and tender_live(c, when)]
    if not live:
        return True, "No public tender is live on the meeting date."
    refs = ", ".join(c.reference for c in live)
    if plan.formal_channel:
        return (
            True,
            f"A public tender is live ({refs}); the meeting goes through the formal channel.",
        )
    return False, (
        f"A public tender is live ({refs}). Meet only through the procurement's formal channel, "
        "and record it as such."
    )


def _no_unasked_concession(plan: ConversationPlan) -> tuple[bool, str]:
    unasked = [
        str(o.get("text", "")).strip() or "an offer"
        for o in plan.offers or []
        if not o.get("requested_by_customer")
    ]
    if not unasked:
        return True, "Every offer in the plan answers a request from the customer."
    return False, (
        "Offered without being asked: "
        + "; ".join(unasked)
        + ". Giving ground unprompted signals fear; trade it when they ask."
    )


def presented_goal_ids(plan: ConversationPlan) -> list[str]:
    """The goals the plan will present as the customer's own."""
    ids: list[str] = []
    for s in plan.sections:
        ids += [str(g) for g in s.get("goal_ids", [])]
    return list(dict.fromkeys(ids))


def _confirmed_goals(plan: ConversationPlan, ctx: AccountContext) -> tuple[bool, str]:
    ids = presented_goal_ids(plan)
    if not ids:
        return True, "No goals are presented as theirs."
    unconfirmed = [
        g.statement[:80] for g in (ctx.goal(i) for i in ids) if g is not None and not g.confirmed
    ]
    if not unconfirmed:
        return True, plural(
            len(ids),
            "The goal presented as theirs was confirmed by them.",
            "All {n} goals presented as theirs were confirmed by them.",
        )
    return False, (
        "Not confirmed by the customer: "
        + "; ".join(f"“{t}”" for t in unconfirmed)
        + ". Ask about them instead of presenting them as theirs."
    )


def _cadence(plan: ConversationPlan, ctx: AccountContext, when: date) -> tuple[bool, str]:
    contacts = last_contacts(ctx.interactions, when)
    early = []
    for sid in plan.attendee_ids:
        person = ctx.stakeholder(sid)
        if person is None:
            continue
        cadence = person.contact_cadence_days or ctx.account.contact_cadence_days
        last = contacts.get(sid)
        if cadence and last is not None and (when - last).days < cadence:
            early.append(
                f"{person.name} asked to hear from us every {cadence} days; the last contact "
                f"was {(when - last).days} days before"
            )
    if not early:
        return True, "The meeting fits the rhythm each attendee asked for."
    return False, "; ".join(early) + "."


# ---- after the meeting ------------------------------------------------------------------------


@dataclass(slots=True)
class NewGoal:
    statement: str
    metric: str = ""
    metric_from: str = ""
    metric_to: str = ""
    target_date: date | None = None
    confirmed_by_id: str | None = None


@dataclass(slots=True)
class NewConcern:
    description: str
    severity: int = 2


@dataclass(slots=True)
class NewCommitment:
    party: Party
    description: str
    owner: str = ""
    due_on: date | None = None


@dataclass(slots=True)
class Capture:
    """What a meeting produced, as entered after it (or live in coaching mode)."""

    held_on: date
    answers: dict[tuple[int, int], str] = field(default_factory=dict)
    new_goals: list[NewGoal] = field(default_factory=list)
    confirmed_goals: dict[str, str] = field(default_factory=dict)  # goal id -> stakeholder id
    validated_evidence: dict[str, str] = field(default_factory=dict)  # evidence id -> stakeholder
    new_concerns: list[NewConcern] = field(default_factory=list)
    attitudes: dict[str, Attitude] = field(default_factory=dict)
    modes: dict[str, ResponseMode] = field(default_factory=dict)
    commitments: list[NewCommitment] = field(default_factory=list)
    notes: str = ""
    log_interaction: bool = True


@dataclass(slots=True)
class CaptureChanges:
    """Records to add and to update, all at once, plus the plan marked held."""

    plan: ConversationPlan
    added: list[Any] = field(default_factory=list)
    updated: list[Any] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for record in [*self.added, *self.updated]:
            name = type(record).__name__
            counts[name] = counts.get(name, 0) + 1
        return counts


_MEETING_INTERACTION = {
    MeetingType.VALUE_REVIEW: InteractionType.EXECUTIVE_REVIEW,
    MeetingType.DISCOVERY: InteractionType.WORKSHOP,
}


def capture_changes(
    plan: ConversationPlan, ctx: AccountContext, capture: Capture
) -> CaptureChanges:
    """Turn what was captured into real records: goals, evidence, concerns, attitudes,
    commitments and an interaction for the meeting itself. Nothing is written here."""
    held = capture.held_on
    sections = [dict(s, questions=[dict(q) for q in s.get("questions", [])]) for s in plan.sections]
    for (si, qi), answer in capture.answers.items():
        if 0 <= si < len(sections) and 0 <= qi < len(sections[si]["questions"]):
            question = sections[si]["questions"][qi]
            question["answer"] = clean_text(answer)
            question["asked"] = bool(question["answer"]) or question.get("asked", False)
    changes = CaptureChanges(plan=plan)
    for goal in capture.new_goals:
        if not clean_line(goal.statement):
            continue
        changes.added.append(
            CustomerGoal(
                account_id=plan.account_id,
                contract_id=plan.contract_id,
                statement=clean_text(goal.statement),
                metric=clean_line(goal.metric),
                metric_from=clean_line(goal.metric_from),
                metric_to=clean_line(goal.metric_to),
                target_date=goal.target_date,
                confirmed_by_id=goal.confirmed_by_id,
                confirmed_on=held if goal.confirmed_by_id else None,
            )
        )
    for goal_id, who in capture.confirmed_goals.items():
        found = ctx.goal(goal_id)
        if found is not None and who:
            changes.updated.append(
                dataclasses.replace(found, confirmed_by_id=who, confirmed_on=held)
            )
    for evidence_id, who in capture.validated_evidence.items():
        item = next((e for e in ctx.evidence if e.id == evidence_id), None)
        if item is not None and who:
            changes.updated.append(
                dataclasses.replace(item, validated_by_id=who, validated_on=held)
            )
    for concern in capture.new_concerns:
        if clean_line(concern.description):
            changes.added.append(
                Concern(
                    account_id=plan.account_id,
                    contract_id=plan.contract_id,
                    description=clean_text(concern.description),
                    severity=concern.severity,
                    opened_on=held,
                )
            )
    for sid in dict.fromkeys([*capture.attitudes, *capture.modes]):
        person = ctx.stakeholder(sid)
        if person is None:
            continue
        changes.updated.append(
            dataclasses.replace(
                person,
                attitude=capture.attitudes.get(sid, person.attitude),
                response_mode=capture.modes.get(sid, person.response_mode),
            )
        )
    for commitment in capture.commitments:
        if clean_line(commitment.description):
            changes.added.append(
                Commitment(
                    account_id=plan.account_id,
                    plan_id=plan.id,
                    party=commitment.party,
                    description=clean_text(commitment.description),
                    owner=clean_line(commitment.owner),
                    due_on=commitment.due_on,
                )
            )
    if capture.log_interaction:
        changes.added.append(
            Interaction(
                account_id=plan.account_id,
                contract_id=plan.contract_id,
                occurred_on=held,
                type=_MEETING_INTERACTION.get(plan.meeting_type, InteractionType.MEETING),
                channel=plan.channel if isinstance(plan.channel, Channel) else Channel.IN_PERSON,
                initiated_by=Party.US,
                purpose=clean_line(plan.title or plan.meeting_type.label)[:500],
                brought_value=True,
                stakeholder_ids=list(plan.attendee_ids),
                outcome=clean_text(capture.notes),
            )
        )
    captured = dict(plan.captured or {})
    captured.update(
        {
            "held_on": held.isoformat(),
            "notes": clean_text(capture.notes),
            "created": {k: v for k, v in _counts(changes.added).items()},
            "updated": {k: v for k, v in _counts(changes.updated).items()},
        }
    )
    changes.plan = dataclasses.replace(
        plan,
        sections=sections,
        status=PlanStatus.HELD,
        meeting_date=plan.meeting_date or held,
        captured=captured,
    )
    return changes


def _counts(records: Iterable[Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in records:
        out[type(r).__name__] = out.get(type(r).__name__, 0) + 1
    return out


def improvement_for_goal(ctx: AccountContext, goal_id: str) -> list[Improvement]:
    """Improvements linked to a goal: what we answer it with."""
    return [i for i in ctx.improvements if i.goal_id == goal_id]


def override_guardrail(plan: ConversationPlan, code: str, reason: str) -> ConversationPlan:
    """The plan with a written reason for overriding guardrail ``code`` (empty reason clears)."""
    if code not in GUARDRAIL_TITLES:
        raise ValidationError(FieldProblem("guardrail_overrides", f"Unknown guardrail '{code}'"))
    overrides: Mapping[str, Any] = plan.guardrail_overrides or {}
    updated = dict(overrides)
    reason = clean_text(reason)
    if reason:
        updated[code] = reason
    else:
        updated.pop(code, None)
    return dataclasses.replace(plan, guardrail_overrides=updated)
