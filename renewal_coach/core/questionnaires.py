"""The three self-assessments of DOMAIN.md section 3.4 as plain data: maturity, posture, readiness.

Qt-free and scoring-free: :mod:`renewal_coach.core.scoring.assessments` turns answers into scores,
and the UI shows this text (wrapping it in ``tr()`` at display time).

* **Maturity**: seven dimensions, each answered by picking the level (1..4) whose description is
  closest to how the team works today.
* **Posture**: short items, each with four answers scored 0 (best) .. 3 (worst); an item reads
  either fear (chasing, discounting, over-contacting) or complacency (taking the renewal for
  granted).
* **Readiness**: fourteen checks answered yes / partial / no (and n/a for the probity plan on
  private-sector contracts).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

# ---- maturity ---------------------------------------------------------------------------------

#: Level names, level 1 first.
LEVEL_NAMES: tuple[str, str, str, str] = ("Awareness", "Sensitivity", "Focus", "Customer-led")


def level_label(level: int) -> str:
    """``"Level 3 – Focus"`` for 3; raises ValueError outside 1..4."""
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
        raise ValueError(f"A maturity level must be a whole number from 1 to 4, not {level!r}")
    return f"Level {level} – {LEVEL_NAMES[level - 1]}"


@dataclass(frozen=True, slots=True)
class MaturityDimension:
    """One maturity dimension: what we ask, what each level looks like, how to move up."""

    key: str
    label: str
    question: str
    #: What practice looks like at level 1, 2, 3 and 4, in that order.
    levels: tuple[str, str, str, str]
    #: One concrete step that moves a team up from where it is.
    advice: str

    def describe(self, level: int) -> str:
        """The description of ``level`` (1..4)."""
        level_label(level)
        return self.levels[level - 1]


MATURITY: tuple[MaturityDimension, ...] = (
    MaturityDimension(
        key="customer_knowledge",
        label="Customer knowledge",
        question="How well do we understand what this customer is trying to achieve?",
        levels=(
            "We know the contract, the people we deal with and what they buy. Their wider "
            "goals are mostly guesswork.",
            "We pick up their priorities in routine meetings and jot them down, but nobody "
            "checks with them that we have understood.",
            "We ask the key people about their goals at a set rhythm and keep one shared "
            "record, with our assumptions clearly marked.",
            "Their goals drive our account plan. They check our understanding with us and tell "
            "us when things change.",
        ),
        advice="Book a short conversation with two of the most influential stakeholders, ask "
        "where they need to be in three years, and note which goals they confirmed and which "
        "are still our guess.",
    ),
    MaturityDimension(
        key="measurement",
        label="Measurement",
        question="How do we measure how well we are serving this customer?",
        levels=(
            "We track the contract KPIs because we have to, and look closely only when "
            "something has gone wrong.",
            "We report KPIs on schedule and sometimes run a satisfaction survey, but the "
            "numbers seldom change what we do.",
            "We measure what matters to the customer, have agreed the measures with them, and "
            "act on what the results show.",
            "The customer helps choose the measures, and the results feed straight into "
            "decisions on both sides.",
        ),
        advice="Pick the two measures this customer cares about most, agree them with them, "
        "and go through the results together every quarter.",
    ),
    MaturityDimension(
        key="data",
        label="Data",
        question="How well do we use the information we hold about this customer?",
        levels=(
            "What we know sits in inboxes and in people's heads; pulling it together takes days.",
            "There is a CRM or shared folder, but it is patchy and often out of date.",
            "One current record of contacts, meetings, evidence and concerns that the whole "
            "team actually uses.",
            "We share useful data with the customer and combine it with theirs to spot problems "
            "and openings early.",
        ),
        advice="Give one person the job of keeping the account record current for a month: "
        "contacts, meetings, open concerns and evidence, all in one place.",
    ),
    MaturityDimension(
        key="management_model",
        label="Management model",
        question="How is the relationship with this customer led and organised?",
        levels=(
            "Whoever runs the contract looks after the customer, mostly by responding to requests.",
            "There is a named account manager, but other teams deal with the customer in "
            "their own way.",
            "A named owner leads an account team with a written plan, clear roles and regular "
            "reviews.",
            "We plan jointly with the customer, with a senior sponsor on each side and shared "
            "governance.",
        ),
        advice="Name an owner and a small account team, write down who looks after which "
        "stakeholder, and hold a short monthly account review.",
    ),
    MaturityDimension(
        key="complaints",
        label="Complaints",
        question="How do we deal with complaints and concerns from this customer?",
        levels=(
            "We sort out complaints one at a time, usually once they have become loud.",
            "We log complaints and resolve them, but rarely ask why the same ones come back.",
            "We follow every concern through to closure, look for the root cause and tell the "
            "customer what we changed.",
            "We actively ask for criticism, share the trends openly with the customer and fix "
            "causes before they are raised.",
        ),
        advice="List every open concern with an owner and a date, and close each one by telling "
        "the customer what changed, not only that it was fixed.",
    ),
    MaturityDimension(
        key="lifecycle_focus",
        label="Lifecycle focus",
        question="When in the contract does our attention to this customer peak?",
        levels=(
            "Around the original sale, and again when the renewal deadline is close.",
            "We stay in touch during the term, but effort jumps sharply as renewal approaches.",
            "Steady, planned effort across the whole term, with renewal work starting well "
            "before the end date.",
            "We start planning the next term the day this one is signed, and the customer sees "
            "the same attention throughout.",
        ),
        advice="Put dated renewal milestones in the plan now, however far off the end date is, "
        "and hold one value conversation a quarter whatever the deadline.",
    ),
    MaturityDimension(
        key="success_metrics",
        label="Success metrics",
        question="How do we decide whether this account is a success?",
        levels=(
            "Revenue, and whether we kept the contract.",
            "Revenue, margin and a satisfaction score.",
            "Contribution, cost to serve and the value the customer agrees we delivered.",
            "Shared measures of success: the customer's own outcomes, tracked with them, "
            "alongside our contribution.",
        ),
        advice="Add one measure of value in the customer's own terms, such as a saving or a "
        "delay avoided that they have confirmed, to how this account is judged.",
    ),
)

MATURITY_KEYS: tuple[str, ...] = tuple(d.key for d in MATURITY)
MATURITY_BY_KEY = MappingProxyType({d.key: d for d in MATURITY})

# ---- posture ----------------------------------------------------------------------------------

PostureKind = Literal["fear", "complacency"]

#: The two readings, in display order.
POSTURE_KINDS: tuple[str, str] = ("fear", "complacency")


@dataclass(frozen=True, slots=True)
class PostureItem:
    """One posture item. ``options[i]`` is the answer scored ``i`` (0 best .. 3 worst)."""

    key: str
    label: str
    question: str
    kind: PostureKind
    options: tuple[str, str, str, str]


POSTURE: tuple[PostureItem, ...] = (
    PostureItem(
        key="price_pressure",
        label="First move under price pressure",
        question="A key account hints that our price is too high. What do we usually do first?",
        kind="fear",
        options=(
            "Ask what has changed for them and what result they need from the next term.",
            "Go back over the value we have delivered with them before talking numbers.",
            "Get a modest concession ready in case they push harder.",
            "Offer a discount straight away so they stay happy.",
        ),
    ),
    PostureItem(
        key="future_share",
        label="Talk about their future",
        question="In our last renewal conversation, how much of the time went on the "
        "customer's next few years?",
        kind="complacency",
        options=(
            "Half or more.",
            "Between a third and a half.",
            "A few minutes near the end.",
            "Hardly any: we mostly walked through our past performance.",
        ),
    ),
    PostureItem(
        key="unsolicited_ideas",
        label="Ideas we brought unasked",
        question="In the last six months, how many ideas linked to their goals did we bring "
        "without being asked?",
        kind="complacency",
        options=(
            "Several, and they took at least one forward.",
            "One or two.",
            "Some, but they were really about our products rather than their goals.",
            "None.",
        ),
    ),
    PostureItem(
        key="contact_preference",
        label="How often they want to hear from us",
        question="How do we decide how often to contact this customer's key people?",
        kind="fear",
        options=(
            "We asked each of them and we stick to what they told us.",
            "We asked some of them and guess for the rest.",
            "We decide ourselves, and lean towards more contact to be safe.",
            "We step up contact whenever the renewal starts to feel shaky.",
        ),
    ),
    PostureItem(
        key="decline_renewal",
        label="Walking away from a bad renewal",
        question="If renewing on the terms on offer would lose us money, would we decline?",
        kind="fear",
        options=(
            "Yes: we have an agreed walk-away point and would use it.",
            "Probably, though we have never actually tested it.",
            "Only if someone senior insisted.",
            "No: we would keep the contract at almost any price.",
        ),
    ),
    PostureItem(
        key="complaint_response",
        label="Response to a complaint near renewal",
        question="A senior stakeholder complains a few months before renewal. What is our "
        "instinct?",
        kind="fear",
        options=(
            "Fix the cause and tell them plainly what we changed.",
            "Fix it and apologise in person.",
            "Throw in credits or extras so they feel looked after.",
            "Escalate, send in our executives and flood them with attention.",
        ),
    ),
    PostureItem(
        key="proposal_changed",
        label="Last proposal compared with the old contract",
        question="How different was our last renewal proposal from the contract it replaced?",
        kind="complacency",
        options=(
            "Very different: new scope and ideas, built around their goals.",
            "Some changes, mainly where they asked for them.",
            "Much the same, with new prices and dates.",
            "More or less a copy, or we did not write one at all.",
        ),
    ),
    PostureItem(
        key="price_tested",
        label="Price tested against the market",
        question="Have we checked our price against what the market offers today?",
        kind="complacency",
        options=(
            "Yes, recently, using real market information.",
            "Roughly, from what we hear in the market.",
            "Not since we won the contract.",
            "Never: we assume they will stay with us.",
        ),
    ),
)

POSTURE_KEYS: tuple[str, ...] = tuple(i.key for i in POSTURE)
POSTURE_BY_KEY = MappingProxyType({i.key: i for i in POSTURE})

# ---- readiness --------------------------------------------------------------------------------

#: The answers a readiness item takes. ``n/a`` is only valid where the item allows it.
READINESS_ANSWERS: tuple[str, ...] = ("yes", "partial", "no", "n/a")
READINESS_ANSWER_LABELS = MappingProxyType(
    {"yes": "Yes", "partial": "Partly", "no": "No", "n/a": "Not applicable"}
)


@dataclass(frozen=True, slots=True)
class ReadinessItem:
    """One readiness check; ``action`` is the short next step when it is not done yet."""

    key: str
    label: str
    question: str
    action: str
    #: True only for checks that may not apply (the probity plan outside the public sector).
    allows_na: bool = False


READINESS: tuple[ReadinessItem, ...] = (
    ReadinessItem(
        key="decision_route_notice",
        label="Decision date, route and deadlines",
        question="Do we know when the decision will be made, which procurement route it will "
        "take and every notice deadline?",
        action="Confirm the decision date, the procurement route and each notice deadline.",
    ),
    ReadinessItem(
        key="owner_team",
        label="Owner and team",
        question="Is there a named owner for this renewal, with a named team behind them?",
        action="Name the renewal owner and the people on the team.",
    ),
    ReadinessItem(
        key="kpi_compiled",
        label="KPI performance compiled",
        question="Have we pulled together our KPI performance for the whole term?",
        action="Compile KPI performance across the whole term.",
    ),
    ReadinessItem(
        key="evidence_validated",
        label="Evidence validated",
        question="Has the customer agreed with our evidence of the value we delivered?",
        action="Ask the customer to confirm the value evidence.",
    ),
    ReadinessItem(
        key="stakeholder_map",
        label="Stakeholder map current",
        question="Is the stakeholder map up to date, including people who joined since the "
        "contract began?",
        action="Update the stakeholder map, newcomers included.",
    ),
    ReadinessItem(
        key="future_goals_asked",
        label="Future goals asked",
        question="Have we asked every high-influence stakeholder about their goals for the "
        "coming years?",
        action="Ask each high-influence stakeholder about their future goals.",
    ),
    ReadinessItem(
        key="improvements_documented",
        label="Improvements documented",
        question="Have we written up the improvements we made during the term?",
        action="Write up the improvements made during the term.",
    ),
    ReadinessItem(
        key="price_tested",
        label="Price tested",
        question="Have we tested our price against the current market?",
        action="Test the price against the current market.",
    ),
    ReadinessItem(
        key="scope_shaped",
        label="Scope changes known and shaped",
        question="Do we know which scope changes are coming, and have we helped shape them?",
        action="Find out the coming scope changes and help shape them.",
    ),
    ReadinessItem(
        key="competitors_known",
        label="Competitors known",
        question="Do we know who is likely to compete for this contract and what they will offer?",
        action="Find out who will compete and what they are likely to offer.",
    ),
    ReadinessItem(
        key="concerns_in_hand",
        label="Open concerns in hand",
        question="Is every open concern being actively worked on, with an owner?",
        action="Put an owner and a date on every open concern.",
    ),
    ReadinessItem(
        key="next_term_plan",
        label="Next-term plan",
        question="Do we have a plan for the next term built around the customer's goals?",
        action="Draft a next-term plan built on the customer's goals.",
    ),
    ReadinessItem(
        key="probity_plan",
        label="Probity plan",
        question="For a public-sector contract, do we have a probity plan setting out how we "
        "behave during the procurement?",
        action="Agree a probity plan for contact during the procurement.",
        allows_na=True,
    ),
    ReadinessItem(
        key="walk_away_set",
        label="Walk-away position",
        question="Have we agreed the point at which we would walk away from this renewal?",
        action="Agree the walk-away position.",
    ),
)

READINESS_KEYS: tuple[str, ...] = tuple(i.key for i in READINESS)
READINESS_BY_KEY = MappingProxyType({i.key: i for i in READINESS})

#: Readiness phases with an expected score, in campaign order, and how to name them.
READINESS_PHASE_LABELS = MappingProxyType(
    {"shape": "Shape", "ready": "Ready", "procurement": "formal procurement"}
)
