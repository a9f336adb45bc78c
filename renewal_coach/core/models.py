"""The entities of DOMAIN.md section 2 as dataclasses.

Every entity is keyword-only with a default for each field, so a blank record can be built and
filled in. :func:`renewal_coach.core.records.validated` checks one; the storage layer adds the
checks that need the database (references, duplicates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .enums import (
    AssessmentKind,
    Attitude,
    BuyingRole,
    ChangeKind,
    Channel,
    ContractStatus,
    GoalHorizon,
    ImprovementStatus,
    Influence,
    InteractionType,
    MeetingType,
    OptionHolder,
    Party,
    PlanStatus,
    ProcurementRoute,
    ResponseMode,
    Segment,
    StrategicRole,
)
from .errors import FieldProblem
from .money import CURRENCIES, DEFAULT_CURRENCY
from .records import Record, spec
from .text import quote

#: One @, something on both sides, a dot in the domain, no spaces: enough to catch a name or a
#: phone number typed in the wrong box without refusing real addresses.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_PHONE = re.compile(r"[0-9+()./ \-]{3,}(\s*(x|ext\.?)\s*[0-9]{1,6})?", re.IGNORECASE)


def shorten(text: str, width: int = 60) -> str:
    """At most ``width`` characters of ``text`` for a message, with an ellipsis when cut."""
    return quote(text, width)


def _after(
    problems: list[FieldProblem], later: date | None, earlier: date | None, name: str, msg: str
) -> None:
    if later is not None and earlier is not None and later < earlier:
        problems.append(FieldProblem(name, msg))


def _pair(
    problems: list[FieldProblem],
    who: str | None,
    when: date | None,
    who_f: str,
    when_f: str,
    what: str,
) -> None:
    if who and when is None:
        problems.append(FieldProblem(when_f, f"Say when the customer {what}"))
    if when is not None and not who:
        problems.append(FieldProblem(who_f, f"Say which stakeholder {what}"))


@dataclass(kw_only=True, slots=True)
class Account(Record):
    """A customer organisation, with the money needed to rank it by real contribution."""

    name: str = spec("", label="Name", required=True)
    industry: str = spec("", label="Industry")
    region: str = spec("", label="Region")
    owner: str = spec("", label="Account owner")
    currency: str = spec(DEFAULT_CURRENCY, label="Currency", required=True)
    revenue_12m_minor: int | None = spec(None, label="Revenue (12 months)", internal=True)
    direct_cost_12m_minor: int | None = spec(None, label="Direct cost (12 months)", internal=True)
    serve_hours_12m: Decimal | None = spec(None, label="Hours to serve (12 months)", internal=True)
    hourly_rate_minor: int | None = spec(None, label="Hourly rate", internal=True)
    bid_cost_minor: int | None = spec(None, label="Bid costs", internal=True)
    special_terms_cost_minor: int | None = spec(None, label="Special terms cost", internal=True)
    support_cost_minor: int | None = spec(None, label="Support load cost", internal=True)
    forecast_contribution_minor: int | None = spec(
        None, label="Forecast contribution", minimum=None, internal=True
    )
    customer_since: date | None = spec(None, label="Customer since")
    reference_site: bool = spec(False, label="Reference site")
    market_entry: bool = spec(False, label="Market entry")
    capability_building: bool = spec(False, label="Capability building")
    segment_override: Segment | None = spec(None, label="Segment override", internal=True)
    segment_override_reason: str = spec(
        "", label="Reason for the override", multiline=True, max_len=2000, internal=True
    )
    contact_cadence_days: int | None = spec(
        None, label="Preferred contact cadence (days)", minimum=1, maximum=730
    )
    notes: str = spec("", label="Notes", multiline=True, internal=True)
    archived: bool = spec(False, label="Archived")
    external_id: str = spec("", label="CRM id", max_len=120, internal=True)

    def problems(self) -> list[FieldProblem]:
        out: list[FieldProblem] = []
        if self.currency.upper() not in CURRENCIES:
            known = ", ".join(sorted(CURRENCIES))
            out.append(
                FieldProblem("currency", f"Currency '{quote(self.currency)}' is not one of {known}")
            )
        if self.segment_override is not None and not self.segment_override_reason:
            out.append(
                FieldProblem(
                    "segment_override_reason",
                    "Give a reason when you override the segment: the calculated one is kept too",
                )
            )
        return out


@dataclass(kw_only=True, slots=True)
class Contract(Record):
    """A contract with one account, its term, notice rules and how it will be renewed."""

    account_id: str = spec("", label="Account", required=True)
    title: str = spec("", label="Title", required=True)
    reference: str = spec("", label="Reference", required=True, max_len=80)
    start_date: date | None = spec(None, label="Start date", required=True)
    end_date: date | None = spec(None, label="End date", required=True)
    annual_value_minor: int | None = spec(None, label="Annual value")
    notice_period_days: int | None = spec(None, label="Notice period (days)", maximum=3650)
    notice_deadline: date | None = spec(None, label="Notice deadline")
    extension_months: int | None = spec(None, label="Extension length (months)", maximum=240)
    extension_exercise_by: date | None = spec(None, label="Extension exercise-by date")
    extension_holder: OptionHolder | None = spec(None, label="Extension option held by")
    procurement_route: ProcurementRoute = spec(ProcurementRoute.UNKNOWN, label="Procurement route")
    market_approach_date: date | None = spec(None, label="Expected market approach")
    decision_date: date | None = spec(None, label="Expected decision date")
    public_sector: bool = spec(False, label="Public sector")
    status: ContractStatus = spec(ContractStatus.ACTIVE, label="Status")
    tracked_since: date | None = spec(
        None,
        label="Tracked since",
        help="The day this campaign began to be kept here (set when the contract is entered "
        "or imported). Milestones due before it that are not done show as 'before tracking' "
        "and never count as overdue. Set it earlier if you have kept the campaign since then.",
    )
    kpis_total: int | None = spec(None, label="KPIs measured", maximum=10_000)
    kpis_met: int | None = spec(None, label="KPIs met", maximum=10_000)
    price_gap_pct: Decimal | None = spec(
        None, label="Price gap to market (%)", minimum=-100, maximum=1000, internal=True
    )
    walk_away: str = spec("", label="Walk-away position", multiline=True, internal=True)
    outcome_notes: str = spec("", label="Outcome", multiline=True, internal=True)
    debrief_notes: str = spec("", label="Debrief notes", multiline=True, internal=True)
    notes: str = spec("", label="Notes", multiline=True, internal=True)
    external_id: str = spec("", label="CRM id", max_len=120, internal=True)

    def problems(self) -> list[FieldProblem]:
        out: list[FieldProblem] = []
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            out.append(FieldProblem("end_date", "End date must be after the start date"))
        _after(
            out,
            self.end_date,
            self.notice_deadline,
            "notice_deadline",
            "Notice deadline must fall on or before the end date",
        )
        if self.notice_deadline and self.start_date and self.notice_deadline < self.start_date:
            out.append(
                FieldProblem("notice_deadline", "Notice deadline cannot fall before the start date")
            )
        _after(
            out,
            self.end_date,
            self.extension_exercise_by,
            "extension_exercise_by",
            "The option must be exercised on or before the end date",
        )
        if self.extension_exercise_by and not self.extension_months:
            out.append(
                FieldProblem(
                    "extension_months",
                    "Give the extension length when there is an exercise-by date",
                )
            )
        if (
            self.kpis_met is not None
            and self.kpis_total is not None
            and self.kpis_met > self.kpis_total
        ):
            out.append(FieldProblem("kpis_met", "KPIs met cannot exceed KPIs measured"))
        if self.kpis_met is not None and self.kpis_total is None:
            out.append(FieldProblem("kpis_total", "Say how many KPIs are measured"))
        return out

    def effective_notice_deadline(self) -> date | None:
        """The stated notice deadline, or end date minus the notice period, or None."""
        if self.notice_deadline is not None:
            return self.notice_deadline
        if self.end_date is not None and self.notice_period_days:
            from datetime import timedelta

            return self.end_date - timedelta(days=self.notice_period_days)
        return None


@dataclass(kw_only=True, slots=True)
class Stakeholder(Record):
    """A person at the customer: their role in the decision, their stance, and their win."""

    account_id: str = spec("", label="Account", required=True)
    name: str = spec("", label="Name", required=True)
    title: str = spec("", label="Job title")
    function: str = spec("", label="Function")
    in_role_since: date | None = spec(None, label="In role since")
    buying_role: BuyingRole = spec(BuyingRole.UNKNOWN, label="Buying role")
    strategic_role: StrategicRole = spec(StrategicRole.NONE, label="Strategic role")
    influence: Influence = spec(Influence.MEDIUM, label="Influence")
    attitude: Attitude = spec(Attitude.UNKNOWN, label="Attitude", internal=True)
    response_mode: ResponseMode = spec(ResponseMode.UNKNOWN, label="Response mode", internal=True)
    win_business: str = spec("", label="Business result they want", multiline=True, max_len=2000)
    win_personal: str = spec("", label="Personal win", multiline=True, max_len=2000, internal=True)
    win_validated: bool = spec(False, label="Win confirmed with them")
    contact_cadence_days: int | None = spec(
        None, label="Wants to hear from us every (days)", minimum=1, maximum=730
    )
    preferred_channel: Channel | None = spec(None, label="Preferred channel")
    no_surveys: bool = spec(False, label="No surveys")
    left_on: date | None = spec(None, label="Left the role on")
    notes: str = spec("", label="Notes", multiline=True, internal=True)
    email: str = spec("", label="Email", max_len=254, internal=True)
    phone: str = spec("", label="Phone", max_len=40, internal=True)
    external_id: str = spec("", label="CRM id", max_len=120, internal=True)

    def problems(self) -> list[FieldProblem]:
        out: list[FieldProblem] = []
        if self.email and not _EMAIL.fullmatch(self.email):
            out.append(
                FieldProblem(
                    "email", f"Email '{shorten(self.email)}' does not look like an address"
                )
            )
        if self.phone and not _PHONE.fullmatch(self.phone):
            out.append(
                FieldProblem(
                    "phone", "Phone may hold digits, spaces, + ( ) - . / and an extension only"
                )
            )
        _after(
            out,
            self.left_on,
            self.in_role_since,
            "left_on",
            "Cannot leave the role before starting in it",
        )
        return out


@dataclass(kw_only=True, slots=True)
class Interaction(Record):
    """A touchpoint with the customer. A purpose is required: contact without one is noise."""

    account_id: str = spec("", label="Account", required=True)
    contract_id: str | None = spec(None, label="Contract")
    occurred_on: date | None = spec(None, label="Date", required=True)
    type: InteractionType = spec(InteractionType.MEETING, label="Type")
    channel: Channel = spec(Channel.IN_PERSON, label="Channel")
    initiated_by: Party = spec(Party.US, label="Initiated by")
    purpose: str = spec("", label="Purpose", required=True, max_len=500)
    brought_value: bool = spec(False, label="Brought value to the customer")
    customer_asked: bool = spec(False, label="Customer asked for it")
    concession_offered: bool = spec(False, label="Concession offered")
    concession_requested: bool = spec(False, label="Customer asked for the concession")
    effort_hours: Decimal | None = spec(None, label="Our effort (hours)", maximum=10_000)
    outcome: str = spec("", label="Outcome", multiline=True)
    next_step: str = spec("", label="Next step", multiline=True, max_len=2000)
    stakeholder_ids: list[str] = spec(label="People involved", default_factory=list)
    external_id: str = spec("", label="CRM id", max_len=120, internal=True)

    def problems(self) -> list[FieldProblem]:
        out: list[FieldProblem] = []
        if self.concession_requested and not self.concession_offered:
            out.append(
                FieldProblem(
                    "concession_requested",
                    "Mark the concession as offered, or untick 'asked for it'",
                )
            )
        return out


@dataclass(kw_only=True, slots=True)
class CustomerGoal(Record):
    """A goal in the customer's own words. Assumed until a stakeholder confirms it."""

    account_id: str = spec("", label="Account", required=True)
    contract_id: str | None = spec(None, label="Contract")
    statement: str = spec("", label="Goal", required=True, multiline=True, max_len=2000)
    metric: str = spec("", label="Metric")
    metric_from: str = spec("", label="From", max_len=80)
    metric_to: str = spec("", label="To", max_len=80)
    target_date: date | None = spec(None, label="By")
    horizon: GoalHorizon = spec(GoalHorizon.NEXT_12_MONTHS, label="Horizon")
    priority: int = spec(3, label="Priority", minimum=1, maximum=5)
    confirmed_by_id: str | None = spec(None, label="Confirmed by")
    confirmed_on: date | None = spec(None, label="Confirmed on")
    our_response: str = spec("", label="Our response", multiline=True, max_len=4000)

    @property
    def confirmed(self) -> bool:
        return bool(self.confirmed_by_id and self.confirmed_on)

    def problems(self) -> list[FieldProblem]:
        out: list[FieldProblem] = []
        _pair(
            out,
            self.confirmed_by_id,
            self.confirmed_on,
            "confirmed_by_id",
            "confirmed_on",
            "confirmed this goal",
        )
        return out


@dataclass(kw_only=True, slots=True)
class ValueEvidence(Record):
    """Something we delivered, measured before and after; validated once the customer agrees."""

    account_id: str = spec("", label="Account", required=True)
    contract_id: str | None = spec(None, label="Contract")
    description: str = spec(
        "", label="What we delivered", required=True, multiline=True, max_len=4000
    )
    metric: str = spec("", label="Metric")
    before: str = spec("", label="Before", max_len=80)
    after: str = spec("", label="After", max_len=80)
    period_start: date | None = spec(None, label="Period from")
    period_end: date | None = spec(None, label="Period to")
    validated_by_id: str | None = spec(None, label="Validated by")
    validated_on: date | None = spec(None, label="Validated on")
    link: str = spec("", label="Link", max_len=2000)

    @property
    def validated(self) -> bool:
        return bool(self.validated_by_id and self.validated_on)

    def problems(self) -> list[FieldProblem]:
        out: list[FieldProblem] = []
        _after(
            out,
            self.period_end,
            self.period_start,
            "period_end",
            "The period must end after it starts",
        )
        _pair(
            out,
            self.validated_by_id,
            self.validated_on,
            "validated_by_id",
            "validated_on",
            "validated this evidence",
        )
        return out


@dataclass(kw_only=True, slots=True)
class Concern(Record):
    """A performance gap or irritant, from 1 (serious) to 3 (minor)."""

    account_id: str = spec("", label="Account", required=True)
    contract_id: str | None = spec(None, label="Contract")
    description: str = spec("", label="Concern", required=True, multiline=True, max_len=4000)
    severity: int = spec(2, label="Severity", minimum=1, maximum=3)
    opened_on: date | None = spec(None, label="Opened on", required=True)
    resolved_on: date | None = spec(None, label="Resolved on")
    visible_to_customer: bool = spec(True, label="Visible to the customer")
    recovery_action: str = spec("", label="Recovery action", multiline=True, max_len=4000)

    def problems(self) -> list[FieldProblem]:
        out: list[FieldProblem] = []
        _after(
            out,
            self.resolved_on,
            self.opened_on,
            "resolved_on",
            "A concern cannot be resolved before it was opened",
        )
        return out


@dataclass(kw_only=True, slots=True)
class Improvement(Record):
    """Something new we proposed or delivered, ideally tied to a customer goal."""

    account_id: str = spec("", label="Account", required=True)
    contract_id: str | None = spec(None, label="Contract")
    title: str = spec("", label="Improvement", required=True)
    description: str = spec("", label="Description", multiline=True, max_len=4000)
    status: ImprovementStatus = spec(ImprovementStatus.PROPOSED, label="Status")
    proposed_on: date | None = spec(None, label="Proposed on")
    delivered_on: date | None = spec(None, label="Delivered on")
    acknowledged_on: date | None = spec(None, label="Acknowledged on")
    goal_id: str | None = spec(None, label="Customer goal")

    def problems(self) -> list[FieldProblem]:
        out: list[FieldProblem] = []
        _after(
            out,
            self.delivered_on,
            self.proposed_on,
            "delivered_on",
            "Cannot be delivered before it was proposed",
        )
        _after(
            out,
            self.acknowledged_on,
            self.delivered_on,
            "acknowledged_on",
            "Cannot be acknowledged before it was delivered",
        )
        return out


@dataclass(kw_only=True, slots=True)
class ChangeEvent(Record):
    """A change at the customer that can reopen the renewal: new buyer, tender mandate, etc."""

    account_id: str = spec("", label="Account", required=True)
    contract_id: str | None = spec(None, label="Contract")
    kind: ChangeKind = spec(ChangeKind.REORGANISATION, label="Kind of change")
    occurred_on: date | None = spec(None, label="Date", required=True)
    description: str = spec("", label="What happened", multiline=True, max_len=4000)
    response: str = spec("", label="Our response", multiline=True, max_len=4000)
    responded_on: date | None = spec(None, label="Responded on")

    def problems(self) -> list[FieldProblem]:
        out: list[FieldProblem] = []
        _after(
            out,
            self.responded_on,
            self.occurred_on,
            "responded_on",
            "Cannot respond before the change happened",
        )
        return out


@dataclass(kw_only=True, slots=True)
class Milestone(Record):
    """Progress on one generated campaign milestone: code plus occurrence (M1 repeats)."""

    contract_id: str = spec("", label="Contract", required=True)
    code: str = spec("", label="Milestone", required=True, max_len=16)
    occurrence: int = spec(0, label="Occurrence", maximum=1000)
    done_on: date | None = spec(None, label="Done on")
    owner: str = spec("", label="Owner")
    note: str = spec("", label="Note", multiline=True, max_len=4000)


@dataclass(kw_only=True, slots=True)
class ConversationPlan(Record):
    """A plan for one meeting, built from a playbook. Sections and captures are structured data."""

    account_id: str = spec("", label="Account", required=True)
    contract_id: str | None = spec(None, label="Contract")
    meeting_type: MeetingType = spec(MeetingType.DISCOVERY, label="Meeting type")
    meeting_date: date | None = spec(None, label="Meeting date")
    playbook: str = spec("", label="Playbook", max_len=64)
    channel: Channel = spec(Channel.IN_PERSON, label="Channel")
    formal_channel: bool = spec(False, label="Through the formal procurement channel")
    title: str = spec("", label="Title")
    status: PlanStatus = spec(PlanStatus.DRAFT, label="Status")
    our_objectives: str = spec("", label="Our objectives", multiline=True, max_len=4000)
    their_objectives: str = spec("", label="Their objectives", multiline=True, max_len=4000)
    sections: list[dict[str, Any]] = spec(label="Sections", default_factory=list)
    guardrail_overrides: dict[str, Any] = spec(label="Guardrail overrides", default_factory=dict)
    captured: dict[str, Any] = spec(label="Captured after the meeting", default_factory=dict)
    offers: list[dict[str, Any]] = spec(label="What we plan to offer", default_factory=list)
    version: int = spec(1, label="Version", minimum=1)
    edited_by: str = spec("", label="Last edited by")
    attendee_ids: list[str] = spec(label="Attendees", default_factory=list)


@dataclass(kw_only=True, slots=True)
class Commitment(Record):
    """A mutual action agreed in a meeting or session: ours or the customer's."""

    account_id: str = spec("", label="Account", required=True)
    plan_id: str | None = spec(None, label="Plan")
    session_id: str | None = spec(None, label="Coaching session")
    party: Party = spec(Party.US, label="Whose commitment")
    description: str = spec("", label="Commitment", required=True, multiline=True, max_len=2000)
    owner: str = spec("", label="Owner")
    due_on: date | None = spec(None, label="Due")
    done_on: date | None = spec(None, label="Done on")


@dataclass(kw_only=True, slots=True)
class Assessment(Record):
    """A completed questionnaire for the organisation (no account) or one account."""

    kind: AssessmentKind = spec(AssessmentKind.MATURITY, label="Assessment")
    account_id: str | None = spec(None, label="Account")
    contract_id: str | None = spec(None, label="Contract")
    taken_on: date | None = spec(None, label="Date", required=True)
    answers: dict[str, Any] = spec(label="Answers", default_factory=dict)
    result: dict[str, Any] = spec(label="Result", default_factory=dict)


@dataclass(kw_only=True, slots=True)
class CoachingSession(Record):
    """A plan rehearsed or reviewed with a coach."""

    plan_id: str = spec("", label="Plan", required=True)
    started_at: str = spec("", label="Started", required=True, max_len=40)
    ended_at: str = spec("", label="Ended", max_len=40)
    notes: str = spec("", label="Notes", multiline=True, internal=True)
    actions: str = spec("", label="Actions agreed", multiline=True)
    summary: dict[str, Any] = spec(label="Summary", default_factory=dict)


#: Every stored entity, in dependency order (a record only refers to those before it).
ENTITIES: tuple[type[Record], ...] = (
    Account,
    Contract,
    Stakeholder,
    Interaction,
    CustomerGoal,
    ValueEvidence,
    Concern,
    Improvement,
    ChangeEvent,
    Milestone,
    ConversationPlan,
    Commitment,
    Assessment,
    CoachingSession,
)
