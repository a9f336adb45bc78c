"""Every closed set of values the domain knows, stored in the database as their text value.

Labels are plain English for the UI; the UI wraps them in ``tr()`` at display time.
"""

from __future__ import annotations

from enum import StrEnum

from .text import quote


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry a human label (``member.label``)."""

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())

    @classmethod
    def parse(cls, value: object) -> LabelledEnum:
        """Accept a member, its value or its label (any case); raise ValueError otherwise."""
        if isinstance(value, cls):
            return value
        text = str(value).strip().lower()
        for member in cls:
            if text in (member.value, member.label.lower(), member.name.lower()):
                return member
        former = _FORMER_NAMES.get(cls, {}).get(text)
        if former is not None:
            return cls(former)
        allowed = ", ".join(m.value for m in cls)
        raise ValueError(f"'{quote(value)}' is not one of: {allowed}")


class Segment(LabelledEnum):
    TREASURE = "treasure"
    DEVELOP = "develop"
    MAINTAIN = "maintain"
    DRAIN = "drain"
    UNRATED = "unrated"


#: Names a value once had, still accepted on input (files, imports, the CLI) for that enum.
_FORMER_NAMES: dict[type, dict[str, str]] = {Segment: {"proportionate": "maintain"}}


class ContractStatus(LabelledEnum):
    ACTIVE = "active"
    RENEWING = "renewing"
    RENEWED = "renewed"
    LOST = "lost"
    EXITED = "exited"
    EXPIRED = "expired"


class OptionHolder(LabelledEnum):
    CUSTOMER = "customer"
    SUPPLIER = "supplier"
    MUTUAL = "mutual"


class ProcurementRoute(LabelledEnum):
    OPTION_TO_EXTEND = "option_to_extend"
    NEGOTIATED = "negotiated"
    SELECTIVE_TENDER = "selective_tender"
    OPEN_TENDER = "open_tender"
    PANEL = "panel"
    UNKNOWN = "unknown"


class BuyingRole(LabelledEnum):
    ECONOMIC_BUYER = "economic_buyer"
    USER = "user"
    TECHNICAL = "technical"
    COACH = "coach"
    UNKNOWN = "unknown"


class StrategicRole(LabelledEnum):
    SPONSOR = "sponsor"
    ANTI_SPONSOR = "anti_sponsor"
    STRATEGIC_COACH = "strategic_coach"
    KEY_PLAYER = "key_player"
    NONE = "none"


class Influence(LabelledEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Attitude(LabelledEnum):
    CHAMPION = "champion"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SCEPTIC = "sceptic"
    OPPONENT = "opponent"
    UNKNOWN = "unknown"


class ResponseMode(LabelledEnum):
    GROWTH = "growth"
    TROUBLE = "trouble"
    EVEN_KEEL = "even_keel"
    OVERCONFIDENT = "overconfident"
    UNKNOWN = "unknown"


class Channel(LabelledEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    PHONE = "phone"
    EMAIL = "email"
    PORTAL = "portal"
    OTHER = "other"


class InteractionType(LabelledEnum):
    EXECUTIVE_REVIEW = "executive_review"
    WORKSHOP = "workshop"
    MEETING = "meeting"
    CALL = "call"
    FEEDBACK_REQUEST = "feedback_request"
    SALES_PITCH = "sales_pitch"
    ESCALATION = "escalation"
    EMAIL = "email"
    VALUE_RECAP = "value_recap"
    HOSPITALITY = "hospitality"
    TENDER_CLARIFICATION = "tender_clarification"


class Party(LabelledEnum):
    US = "us"
    CUSTOMER = "customer"


class GoalHorizon(LabelledEnum):
    NOW = "now"
    NEXT_12_MONTHS = "next_12_months"
    ONE_TO_THREE_YEARS = "one_to_three_years"


class ImprovementStatus(LabelledEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    DELIVERED = "delivered"
    ACKNOWLEDGED = "acknowledged"


class ChangeKind(LabelledEnum):
    NEW_ECONOMIC_BUYER = "new_economic_buyer"
    NEW_PROCUREMENT_LEAD = "new_procurement_lead"
    REORGANISATION = "reorganisation"
    TENDER_MANDATED = "tender_mandated"
    BUDGET_CUT = "budget_cut"
    MERGER = "merger"
    SCOPE_CHANGE = "scope_change"
    COMPETITOR_ENGAGED = "competitor_engaged"


class MeetingType(LabelledEnum):
    DISCOVERY = "discovery"
    VALUE_REVIEW = "value_review"
    CONCERN_RECOVERY = "concern_recovery"
    RENEWAL_PROPOSAL = "renewal_proposal"
    NEGOTIATION = "negotiation"
    DEBRIEF = "debrief"


class PlanStatus(LabelledEnum):
    DRAFT = "draft"
    READY = "ready"
    HELD = "held"


class AssessmentKind(LabelledEnum):
    MATURITY = "maturity"
    POSTURE = "posture"
    READINESS = "readiness"


_LABELS: dict[object, str] = {
    ContractStatus.EXITED: "Exited by choice",
    ProcurementRoute.OPTION_TO_EXTEND: "Option to extend",
    BuyingRole.ECONOMIC_BUYER: "Economic buyer",
    StrategicRole.ANTI_SPONSOR: "Anti-sponsor",
    StrategicRole.STRATEGIC_COACH: "Strategic coach",
    ResponseMode.EVEN_KEEL: "Even keel",
    Channel.IN_PERSON: "In person",
    InteractionType.EMAIL: "Substantive email",
    InteractionType.TENDER_CLARIFICATION: "Formal tender clarification",
    Party.US: "Us",
    Party.CUSTOMER: "Customer",
    GoalHorizon.NOW: "Now",
    GoalHorizon.NEXT_12_MONTHS: "Next 12 months",
    GoalHorizon.ONE_TO_THREE_YEARS: "1–3 years",
    ImprovementStatus.ACKNOWLEDGED: "Acknowledged by customer",
    ChangeKind.NEW_ECONOMIC_BUYER: "New economic buyer",
    ChangeKind.NEW_PROCUREMENT_LEAD: "New procurement lead",
    ChangeKind.TENDER_MANDATED: "Policy mandates a tender",
    ChangeKind.SCOPE_CHANGE: "Scope change signalled",
    ChangeKind.COMPETITOR_ENGAGED: "Competitor engaged",
    MeetingType.DISCOVERY: "Discovery of future goals",
}
