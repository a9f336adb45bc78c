"""The coaching brief: an internal Word document about one contract and its account.

Everything the account team needs before a renewal conversation, internal data included: the
account snapshot, segment and real contribution, renewal risk and engagement balance with their
factors and flags, the stakeholder map with attitudes and response modes, campaign milestones,
the latest conversation plan with its questions and prep cards, assessment results, and the
virtual line and contract timeline charts. "Internal – not for customers" is in the header of
every page.

Scores are not computed here. Pass them in through ``scores`` (a :class:`BriefScores`, a mapping
with the same keys, or any object with those attributes); a section whose score is missing says
so instead of guessing. Contribution and the virtual line are plain arithmetic on the account
figures (DOMAIN.md section 3.1 with its default thresholds) and are computed when no scores are
given.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.shared import Pt

from ..core import models as m
from ..core.enums import InteractionType, Party, Segment
from ..core.errors import NotFoundError
from ..core.money import format_money, minor_digits
from ..core.plans import (
    AccountContext,
    GuardrailResult,
    PrepCard,
    check_guardrails,
    future_minutes,
    prep_cards,
    total_minutes,
)
from ..core.scoring.segments import contribution, segment_portfolio
from ..core.scoring.timeline import MILESTONES
from . import docx_common as dc
from .charts import STATUS_STYLE, TimelineContact, TimelineMilestone, VirtualLinePoint

if TYPE_CHECKING:  # pragma: no cover
    from ..storage.repository import Store

#: The banner in the header of every page.
BANNER = "Internal – not for customers"

#: Title of each section, in order.
SECTION_TITLES: tuple[str, ...] = (
    "Account snapshot",
    "Segment and contribution",
    "Renewal risk",
    "Engagement balance",
    "Stakeholder map",
    "Campaign milestones",
    "Latest conversation plan",
    "Assessment results",
)

#: Contact points per interaction type (DOMAIN.md section 3.2 defaults), for the timeline chart.
CONTACT_WEIGHTS: dict[InteractionType, float] = {
    InteractionType.EXECUTIVE_REVIEW: 3,
    InteractionType.WORKSHOP: 2,
    InteractionType.MEETING: 2,
    InteractionType.CALL: 1,
    InteractionType.FEEDBACK_REQUEST: 1,
    InteractionType.SALES_PITCH: 1,
    InteractionType.ESCALATION: 1,
    InteractionType.EMAIL: 0.5,
    InteractionType.VALUE_RECAP: 0.5,
    InteractionType.HOSPITALITY: 0.5,
    InteractionType.TENDER_CLARIFICATION: 0,
}

#: What each campaign milestone is for (DOMAIN.md section 4), in a few words.
MILESTONE_NAMES: dict[str, str] = {
    "M0": "Term starts: goals baselined, rhythm agreed",
    "M1": "Value review with the customer",
    "M2": "Mid-term health check",
    "M3": "Campaign kickoff",
    "M4": "Future-goals conversations",
    "M5": "Readiness check 1",
    "M6": "Executive next-term plan",
    "M7": "Readiness check 2",
    "M8": "Procurement live",
    "M9": "Decision and debrief",
    "M10": "After the decision",
}


def _milestone_name(code: str) -> str:
    """What milestone ``code`` is, in a few words (the notice and option dates too)."""
    return MILESTONE_NAMES.get(code) or MILESTONES.get(code, ("",))[0]


# ---- scores plugged in from outside -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Factor:
    """One row of a score's factor table."""

    name: str
    input: str = ""
    normalised: float | None = None
    weight: float | None = None
    contribution: float | None = None


@dataclass(frozen=True, slots=True)
class ScoreView:
    """A transparent score (DOMAIN.md principle 7): value, band, factors, gaps, confidence.

    ``details`` are extra (label, value) lines shown above the factors, e.g. the contact
    intensity and target behind an engagement balance. ``flags`` are warnings raised whatever
    the band.
    """

    value: float | None = None
    band: str = ""
    confidence: float | None = None
    factors: Sequence[Factor] = ()
    missing: Sequence[str] = ()
    flags: Sequence[str] = ()
    details: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True, slots=True)
class BriefScores:
    """Scores for the brief, computed elsewhere. Every part is optional.

    ``segment`` is the calculated segment (a :class:`Segment` or its value/label);
    ``contribution_minor`` replaces the brief's own arithmetic; ``milestones`` is the campaign
    timeline with due dates and status; ``portfolio`` places every account on the virtual line.
    A mapping with these keys, or any object with these attributes, works too (see
    :meth:`coerce`).
    """

    segment: Any = None
    segment_note: str = ""
    contribution_minor: int | None = None
    risk: Any = None
    engagement: Any = None
    milestones: Sequence[TimelineMilestone] = ()
    portfolio: Sequence[VirtualLinePoint] = ()

    @classmethod
    def coerce(cls, value: Any) -> BriefScores:
        """A BriefScores from itself, a mapping or an object with the same names."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        return cls(
            segment=_pick(value, "segment"),
            segment_note=str(_pick(value, "segment_note", default="") or ""),
            contribution_minor=_pick(value, "contribution_minor"),
            risk=_pick(value, "risk"),
            engagement=_pick(value, "engagement"),
            milestones=tuple(_pick(value, "milestones", default=()) or ()),
            portfolio=tuple(_pick(value, "portfolio", default=()) or ()),
        )


def _pick(source: Any, *names: str, default: Any = None) -> Any:
    """The first of ``names`` found on ``source`` (a mapping or an object)."""
    for name in names:
        if isinstance(source, Mapping):
            if name in source:
                return source[name]
        elif hasattr(source, name):
            return getattr(source, name)
    return default


def _label(value: Any) -> str:
    if value is None:
        return ""
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    text = str(getattr(value, "value", value))
    return text.replace("_", " ").capitalize()


def _number(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (float, Decimal)):
        return f"{float(value):,.{digits}f}".rstrip("0").rstrip(".")
    return dc.clean_line(value)


def _percent(value: Any) -> str:
    return "—" if value is None else f"{float(value):.0%}"


# ---- contribution and the virtual line ----------------------------------------------------------


def virtual_line(
    accounts: Iterable[m.Account], today: date
) -> dict[str, tuple[VirtualLinePoint, Segment]]:
    """Every account with a known contribution placed on the virtual line, by account id, with
    its calculated segment (the scoring engine's default rules). The point shows the override
    when there is one."""
    items = list(accounts)
    names = {a.id: a.name for a in items}
    placed: dict[str, tuple[VirtualLinePoint, Segment]] = {}
    for aid, result in segment_portfolio(items, today).items():
        value = result.extra.get("contribution_minor")
        if value is None:
            continue
        placed[aid] = (
            VirtualLinePoint(names[aid], int(value), result.band),
            Segment(result.extra["calculated"]),
        )
    return placed


# ---- the document -------------------------------------------------------------------------------


def _latest_plan(store: Store, account_id: str, contract_id: str) -> m.ConversationPlan | None:
    plans = store.plans.for_account(account_id)
    mine = [p for p in plans if p.contract_id == contract_id] or [
        p for p in plans if p.contract_id is None
    ]
    if not mine:
        return None
    return max(mine, key=lambda p: (p.meeting_date or date.min, p.updated_at, p.version))


class _Brief:
    """Writes the brief's sections in order; empty ones say that nothing is recorded."""

    def __init__(
        self,
        store: Store,
        ctx: AccountContext,
        contract: m.Contract,
        scores: BriefScores,
        today: date,
        writer: dc.DocumentWriter,
    ) -> None:
        self.store = store
        self.ctx = ctx
        self.account = ctx.account
        self.contract = contract
        self.scores = scores
        self.today = today
        self.w = writer
        self.doc = writer.document
        self.currency = ctx.account.currency
        self.chosen_plan: m.ConversationPlan | None = None

    def money(self, minor: int | None) -> str:
        return format_money(minor, self.currency)

    def name_of(self, stakeholder_id: str | None) -> str:
        person = self.ctx.stakeholder(stakeholder_id or "")
        return person.name if person else ""

    # title ---------------------------------------------------------------------------------------

    def title(self) -> None:
        dc.paragraph(self.doc, "Coaching brief", "Title").paragraph_format.space_before = Pt(0)
        dc.paragraph(self.doc, f"{self.account.name} · {self.contract.title}", "Subtitle")
        dc.paragraph(
            self.doc,
            f"Contract {self.contract.reference} · prepared {dc.long_date(self.today)}"
            + (f" for {self.account.owner}" if self.account.owner else ""),
            "Cover Detail",
        )

    # 1 -------------------------------------------------------------------------------------------

    def snapshot(self) -> None:
        a, c, ctx = self.account, self.contract, self.ctx
        self.w.section("Account snapshot")
        flags = [
            label
            for label, on in (
                ("Reference site", a.reference_site),
                ("Market entry", a.market_entry),
                ("Capability building", a.capability_building),
            )
            if on
        ]
        extension = ""
        if c.extension_months:
            extension = f"{c.extension_months} months"
            if c.extension_holder:
                extension += f", held by {_label(c.extension_holder).lower()}"
            if c.extension_exercise_by:
                extension += f", exercise by {dc.long_date(c.extension_exercise_by)}"
        kpis = ""
        if c.kpis_total:
            kpis = f"{c.kpis_met if c.kpis_met is not None else '?'} of {c.kpis_total} met"
        year_ago = self.today - timedelta(days=365)
        open_concerns = [x for x in ctx.concerns if x.resolved_on is None]
        rows = [
            ("Account", a.name),
            ("Industry and region", ", ".join(x for x in (a.industry, a.region) if x)),
            ("Account owner", a.owner),
            ("Customer since", dc.long_date(a.customer_since)),
            ("Strategic flags", ", ".join(flags) or "None"),
            ("Preferred contact", dc.clean_line(_cadence(a.contact_cadence_days)) or "Not asked"),
            ("Contract", f"{c.title} ({c.reference})"),
            ("Status", _label(c.status)),
            ("Term", _span(c.start_date, c.end_date)),
            ("Annual value", self.money(c.annual_value_minor)),
            ("Notice deadline", dc.long_date(c.effective_notice_deadline()) or "—"),
            ("Extension option", extension or "None"),
            ("Procurement route", _label(c.procurement_route)),
            ("Expected market approach", dc.long_date(c.market_approach_date) or "—"),
            ("Expected decision", dc.long_date(c.decision_date) or "—"),
            ("Public sector", "Yes: probity rules apply" if c.public_sector else "No"),
            ("KPIs", kpis or "—"),
            (
                "Customer goals",
                f"{len(ctx.goals)} recorded, {sum(g.confirmed for g in ctx.goals)} confirmed",
            ),
            (
                "Validated evidence (12 months)",
                str(sum(1 for e in ctx.evidence if e.validated and e.validated_on >= year_ago)),
            ),
            (
                "Open concerns",
                f"{len(open_concerns)} ({sum(x.severity == 1 for x in open_concerns)} severity 1)",
            ),
            (
                "Changes at the customer (12 months)",
                str(sum(1 for e in ctx.change_events if (e.occurred_on or date.min) >= year_ago)),
            ),
        ]
        dc.key_value_table(self.doc, [(k, v or "—") for k, v in rows], (2, 4))
        others = [x for x in ctx.contracts if x.id != c.id]
        if others:
            dc.heading(self.doc, "Other contracts with this account", 2)
            dc.table(
                self.doc,
                ["Reference", "Title", "Term", "Annual value", "Status"],
                [
                    [
                        x.reference,
                        x.title,
                        _span(x.start_date, x.end_date),
                        self.money(x.annual_value_minor),
                        _label(x.status),
                    ]
                    for x in sorted(others, key=lambda x: x.end_date or date.max)
                ],
                [2.2, 5, 3.6, 2.2, 1.8],
            )
        notes = [
            ("Account notes", a.notes),
            ("Contract notes", c.notes),
            ("Outcome", c.outcome_notes),
            ("Debrief notes", c.debrief_notes),
        ]
        if any(text for _, text in notes):
            dc.heading(self.doc, "Internal notes", 2)
            for label, text in notes:
                if text:
                    dc.rich_paragraph(self.doc, [(f"{label}: ", None), (dc.clean(text), None)])

    # 2 -------------------------------------------------------------------------------------------

    def segment(self) -> None:
        a = self.account
        self.w.section("Segment and contribution")
        own = contribution(a)
        value = (
            self.scores.contribution_minor
            if self.scores.contribution_minor is not None
            else own.value
        )
        placed = virtual_line(self.store.accounts.all(), self.today)
        calculated: Any = self.scores.segment
        basis = self.scores.segment_note
        if calculated is None and a.id in placed:
            calculated = placed[a.id][1]
            basis = "Default thresholds: 80% and 95% of positive contribution."
        rows: list[tuple[str, dc.Cell]] = [
            ("Revenue (12 months)", self.money(own.revenue)),
            ("Direct cost (12 months)", self.money(own.direct_cost)),
        ]
        if own.serve_hours_cost is not None:
            rows.append(
                (
                    "Our hours × rate",
                    f"{_number(a.serve_hours_12m)} h × {self.money(a.hourly_rate_minor)} = "
                    f"{self.money(own.serve_hours_cost)}",
                )
            )
        for label, amount in (
            ("Bid costs", a.bid_cost_minor),
            ("Special terms", a.special_terms_cost_minor),
            ("Support load", a.support_cost_minor),
        ):
            if amount:
                rows.append((label, self.money(amount)))
        rows.append(("Cost to serve", self.money(own.cost_to_serve)))
        rows.append(
            (
                "Contribution",
                self.money(value)
                + (" (forecast: under 12 months of figures)" if own.forecast else ""),
            )
        )
        if own.revenue:
            if own.direct_cost is not None:
                rows.append(
                    ("Gross margin", _percent((own.revenue - own.direct_cost) / own.revenue))
                )
            rows.append(("Cost to serve / revenue", _percent(own.cost_to_serve / own.revenue)))
            if value is not None:
                rows.append(("Contribution / revenue", _percent(value / own.revenue)))
        rows.append(
            (
                "Calculated segment",
                (_label(calculated) + (f". {basis}" if basis else ""))
                if calculated
                else "Not calculated: no revenue or contribution figures",
            )
        )
        if a.segment_override:
            rows.append(
                (
                    "Segment override",
                    f"{_label(a.segment_override)}. Reason: {a.segment_override_reason or '—'}",
                )
            )
        rows.append(("Walk-away position", self.contract.walk_away or "Not set"))
        if self.contract.price_gap_pct is not None:
            rows.append(("Price gap to market", f"{_number(self.contract.price_gap_pct)}%"))
        dc.key_value_table(self.doc, rows, (2, 4))
        if not self.contract.walk_away:
            dc.note(
                self.doc,
                "No walk-away position is set for this renewal. Set one before the campaign "
                "kickoff.",
            )
        points = list(self.scores.portfolio) or [p for p, _ in placed.values()]
        if points:
            from .charts import figure_png, virtual_line_figure

            digits = minor_digits(self.currency)
            fig = virtual_line_figure(
                points,
                currency_symbol=format_money(0, self.currency)[:-1] or "",
                minor_per_major=10**digits,
                highlight=a.name,
            )
            self.w.picture(
                figure_png(fig),
                caption=f"Where {a.name} sits on the virtual line of the portfolio "
                f"({len(points)} accounts ranked by contribution).",
                alt_text=f"Virtual line chart of {len(points)} accounts; {a.name} is marked.",
            )

    # 3 and 4 -------------------------------------------------------------------------------------

    def score(self, title: str, view: Any, what: str) -> None:
        self.w.section(title)
        if view is None:
            dc.note(
                self.doc,
                f"Not scored in this brief: {what} was not supplied when the brief was made.",
            )
            return
        value = _pick(view, "value", "score")
        band = _label(_pick(view, "band"))
        confidence = _pick(view, "confidence")
        rows: list[tuple[str, dc.Cell]] = [
            ("Score", _number(value, 1)),
            ("Band", band or "—"),
            (
                "Confidence",
                _percent(confidence) + " of the factors had real data"
                if confidence is not None
                else "—",
            ),
        ]
        for label, text in _pick(view, "details", default=()) or ():
            if label == "Score":
                rows[0] = ("Score", _number(text))  # "66.4 of 100", said once
                continue
            rows.append((dc.clean_line(label), _number(text)))
        dc.key_value_table(self.doc, rows, (2, 4))
        factors = list(_pick(view, "factors", default=()) or ())
        if factors:
            ranked = sorted(factors, key=lambda f: -(_pick(f, "contribution") or 0))
            top = [
                dc.clean_line(_pick(f, "name", "label", "factor", default="")) for f in ranked[:3]
            ]
            dc.paragraph(self.doc, "Largest contributors: " + ", ".join(t for t in top if t) + ".")
            dc.table(
                self.doc,
                ["Factor", "Input", "Normalised", "Weight", "Contribution"],
                [
                    [
                        _pick(f, "name", "label", "factor", default=""),
                        _number(_pick(f, "input", "detail", default="")),
                        _number(_pick(f, "normalised", "normalized")),
                        _number(_pick(f, "weight")),
                        _number(_pick(f, "contribution")),
                    ]
                    for f in factors
                ],
                [4, 4, 2, 1.6, 2.2],
            )
        flags = [
            dc.clean_line(_label(f) if not isinstance(f, str) else f)
            for f in _pick(view, "flags", default=()) or ()
        ]
        if flags:
            dc.heading(self.doc, "Flags", 2)
            dc.bullets(self.doc, flags)
        missing = [dc.clean_line(x) for x in _pick(view, "missing", default=()) or ()]
        if missing:
            dc.paragraph(self.doc, "Missing inputs (counted as 0.5): " + "; ".join(missing) + ".")

    def engagement(self) -> None:
        self.score("Engagement balance", self.scores.engagement, "the engagement balance")
        window = self.today - timedelta(days=90)
        recent = [
            i
            for i in self.ctx.interactions
            if i.occurred_on and window <= i.occurred_on <= self.today
        ]
        theirs = sum(1 for i in recent if i.initiated_by is Party.CUSTOMER)
        points = sum(CONTACT_WEIGHTS.get(i.type, 1) for i in recent)
        dc.paragraph(
            self.doc,
            f"In the last 90 days: {len(recent)} interaction{'s' if len(recent) != 1 else ''}, "
            f"{_number(float(points), 1)} contact points, {theirs} initiated by the customer.",
        )

    # 5 -------------------------------------------------------------------------------------------

    def stakeholders(self) -> None:
        self.w.section("Stakeholder map")
        people = [p for p in self.ctx.stakeholders if p.left_on is None]
        gone = [p for p in self.ctx.stakeholders if p.left_on is not None]
        if not people:
            dc.note(self.doc, "No stakeholders recorded yet: map the people who will decide.")
            return
        last = _last_contacts(self.ctx.interactions, self.today)
        order = {"high": 0, "medium": 1, "low": 2}
        rows = []
        for p in sorted(people, key=lambda p: (order.get(p.influence.value, 3), p.name.lower())):
            who = "\n".join(x for x in (p.name, p.title, p.function) if x)
            if p.in_role_since and (self.today - p.in_role_since).days < 183:
                who += "\nNew in role"
            roles = "\n".join(
                [
                    _label(p.buying_role),
                    _label(p.strategic_role) if p.strategic_role.value != "none" else "",
                    f"{_label(p.influence)} influence",
                ]
            )
            stance = f"{_label(p.attitude)}\n{_label(p.response_mode)} mode"
            win = p.win_business or "Not known"
            if p.win_personal:
                win += f"\nPersonal: {p.win_personal}"
            win += "\n✓ Confirmed with them" if p.win_validated else "\nNot confirmed"
            contact = [
                _cadence(p.contact_cadence_days) or "No rhythm asked",
                _label(p.preferred_channel) if p.preferred_channel else "",
                "No surveys" if p.no_surveys else "",
                f"Last: {dc.long_date(last[p.id])}" if p.id in last else "No contact logged",
            ]
            rows.append([who, roles, stance, win, "\n".join(x for x in contact if x)])
        dc.table(
            self.doc,
            ["Person", "Role", "Attitude and mode", "Their win", "Contact"],
            rows,
            [3.2, 2.6, 2.2, 4.6, 3],
        )
        if gone:
            dc.note(
                self.doc,
                "Left their role: "
                + "; ".join(f"{p.name} ({dc.long_date(p.left_on)})" for p in gone)
                + ".",
            )
        notes = [(p.name, p.notes) for p in people if p.notes]
        if notes:
            dc.heading(self.doc, "Notes on people", 2)
            for name, text in notes:
                dc.rich_paragraph(self.doc, [(f"{name}: ", None), (dc.clean(text), None)])

    # 6 -------------------------------------------------------------------------------------------

    def milestones(self) -> None:
        self.w.section("Campaign milestones")
        stored = list(self.store.milestones.where("contract_id = ?", [self.contract.id]))
        timeline = list(self.scores.milestones)
        if timeline:
            done = {(s.code, s.occurrence): s for s in stored}
            rows = []
            counts: dict[str, int] = {}
            for ms in sorted(timeline, key=lambda ms: ms.due):
                occurrence = counts.get(ms.code, 0)
                counts[ms.code] = occurrence + 1
                record = done.get((ms.code, occurrence))
                rows.append(
                    [
                        ms.code,
                        _milestone_name(ms.code),
                        dc.long_date(ms.due),
                        _label(ms.status),
                        dc.long_date(record.done_on) if record else "",
                        record.owner if record else "",
                    ]
                )
            dc.table(
                self.doc,
                ["Code", "Milestone", "Due", "Status", "Done on", "Owner"],
                rows,
                [1.2, 4.8, 2.6, 1.8, 2.6, 2.6],
            )
            untracked = sum(1 for ms in timeline if ms.status == "before_tracking")
            if untracked:
                since = getattr(self.contract, "tracked_since", None)
                dc.note(
                    self.doc,
                    f"{untracked} milestone{'s' if untracked != 1 else ''} marked "
                    f"\u201cBefore tracking\u201d fell due before this campaign was kept in the "
                    f"app (tracked since {dc.long_date(since)}). They are not counted as late; "
                    "record any that were in fact done.",
                )
        elif stored:
            dc.table(
                self.doc,
                ["Code", "Milestone", "Done on", "Owner", "Note"],
                [
                    [
                        s.code + (f" ({s.occurrence + 1})" if s.occurrence else ""),
                        _milestone_name(s.code),
                        dc.long_date(s.done_on) or "Not done",
                        s.owner,
                        s.note,
                    ]
                    for s in sorted(stored, key=lambda s: (s.done_on or date.max, s.code))
                ],
                [1.4, 4.2, 2.6, 2.6, 4.6],
            )
            dc.note(
                self.doc,
                "Due dates and status come with the campaign timeline, which was not supplied: "
                "the table lists the milestones recorded so far.",
            )
        else:
            dc.note(self.doc, "No milestones recorded for this contract yet.")
        c = self.contract
        if c.start_date and c.end_date:
            from .charts import contract_timeline_figure, figure_png, unlabelled_points

            marks = timeline or [
                TimelineMilestone(s.code, s.done_on, "done") for s in stored if s.done_on
            ]
            contacts = [
                TimelineContact(
                    i.occurred_on, CONTACT_WEIGHTS.get(i.type, 1), i.initiated_by is Party.CUSTOMER
                )
                # Engagement is with the account, whichever contract a contact was logged on.
                for i in self.ctx.interactions
                if i.occurred_on and c.start_date <= i.occurred_on <= min(self.today, c.end_date)
            ]
            with warnings.catch_warnings():
                # The chart asks for a legend even when no milestone is drawn yet.
                warnings.filterwarnings("ignore", "No artists with labels", UserWarning)
                fig = contract_timeline_figure(
                    c.reference, c.start_date, c.end_date, marks, contacts, self.today
                )
                png = figure_png(fig)
                # known once drawn, at the size Word shows it
                left_off = [p.key for p in unlabelled_points(fig) if p.key is not None]
            self.w.picture(
                png,
                caption=f"Contract timeline for {c.reference}: milestones above, contact points "
                "per month with the account below (ours and the customer's).",
                alt_text=f"Timeline of contract {c.reference} from {dc.long_date(c.start_date)} "
                f"to {dc.long_date(c.end_date)} with {len(marks)} milestones and "
                f"{len(contacts)} interactions.",
            )
            if left_off:
                # The marks too close together to name on the chart, named here instead,
                # one row per milestone code (a quarterly review recurs many times).
                dc.table(
                    self.doc,
                    ["Not named on the chart", "Due", "Status"],
                    _unnamed_rows(left_off),
                    [3, 4, 3],
                )

    # 7 -------------------------------------------------------------------------------------------

    def plan(self) -> None:
        if self.chosen_plan is not None:
            self.w.section("Conversation plan")
            plan: m.ConversationPlan | None = self.chosen_plan
        else:
            self.w.section("Latest conversation plan")
            plan = _latest_plan(self.store, self.account.id, self.contract.id)
        if plan is None:
            dc.note(
                self.doc,
                "No conversation plan yet. Build one for the next meeting with this customer.",
            )
            return
        attendees = [self.name_of(i) for i in plan.attendee_ids]
        total, future = total_minutes(plan), future_minutes(plan)
        rows = [
            ("Plan", plan.title or _label(plan.meeting_type)),
            ("Meeting", _label(plan.meeting_type)),
            ("Date", dc.long_date(plan.meeting_date) or "Not set"),
            (
                "Channel",
                _label(plan.channel)
                + (" (formal procurement channel)" if plan.formal_channel else ""),
            ),
            (
                "Status",
                _label(plan.status)
                + f", version {plan.version}"
                + (f", last edited by {plan.edited_by}" if plan.edited_by else ""),
            ),
            ("Attendees", ", ".join(a for a in attendees if a) or "None chosen"),
            (
                "Time on their future",
                f"{future} of {total} minutes" + (f" ({future / total:.0%})" if total else ""),
            ),
        ]
        dc.key_value_table(self.doc, rows, (2, 4))
        for label, text in (
            ("Our objectives", plan.our_objectives),
            ("Their objectives", plan.their_objectives),
        ):
            if dc.clean(text):
                dc.heading(self.doc, label, 3)
                dc.paragraph(self.doc, text)
        results = check_guardrails(plan, self.ctx, self.today)
        dc.heading(self.doc, "Guardrails", 2)
        dc.table(
            self.doc, ["Check", "Result", "Why"], [_guardrail_row(r) for r in results], [4, 1.8, 8]
        )
        dc.heading(self.doc, "Sections and questions", 2)
        for section in plan.sections:
            title = dc.clean_line(section.get("title") or section.get("code") or "Section")
            dc.heading(self.doc, f"{title} · {int(section.get('minutes') or 0)} min", 3)
            if section.get("guidance"):
                dc.note(self.doc, section["guidance"])
            questions = [q for q in section.get("questions", []) if dc.clean(q.get("text"))]
            if not questions:
                dc.note(self.doc, "No questions in this section.")
            for q in questions:
                text = dc.clean(q.get("text"))
                if q.get("audience"):
                    text += f" (for {dc.clean_line(q['audience'])})"
                dc.paragraph(self.doc, text, "List Bullet")
                if dc.clean(q.get("answer")):
                    dc.paragraph(self.doc, f"Answer: {dc.clean(q['answer'])}", "Quote")
            goal_ids = section.get("goal_ids") or []
            goals = [g for g in (self.ctx.goal(str(i)) for i in goal_ids) if g is not None]
            if goals:
                dc.paragraph(
                    self.doc,
                    "Goals to play back: "
                    + "; ".join(dc.shorten(g.statement, 120) for g in goals)
                    + ".",
                )
        cards = prep_cards(plan, self.ctx, self.today)
        dc.heading(self.doc, "Prep cards", 2)
        if not cards:
            dc.note(self.doc, "No attendees chosen, so no prep cards.")
        for card in cards:
            self._card(card)
        captured = plan.captured or {}
        if captured.get("notes"):
            dc.heading(self.doc, "Captured after the meeting", 2)
            dc.paragraph(self.doc, captured["notes"])
        open_items = [
            x for x in self.store.commitments.for_account(self.account.id) if x.done_on is None
        ]
        if open_items:
            dc.heading(self.doc, "Open commitments", 2)
            dc.table(
                self.doc,
                ["Whose", "Commitment", "Owner", "Due"],
                [
                    [
                        "Ours" if x.party is Party.US else "Customer's",
                        x.description,
                        x.owner,
                        (dc.long_date(x.due_on) or "—")
                        + (" (overdue)" if x.due_on and x.due_on < self.today else ""),
                    ]
                    for x in sorted(open_items, key=lambda x: x.due_on or date.max)
                ],
                [1.8, 7, 2.6, 3],
            )

    def _card(self, card: PrepCard) -> None:
        dc.heading(self.doc, card.name + (f", {card.title}" if card.title else ""), 3)
        last = dc.long_date(card.last_contact) or "Never"
        rows: list[tuple[str, dc.Cell]] = [
            (
                "Role and influence",
                f"{_label(card.buying_role)}, {card.influence.lower()} influence",
            ),
            ("Attitude and mode", f"{_label(card.attitude)}; {_label(card.response_mode)} mode"),
            (
                "Their win",
                (card.win_business or "Not known")
                + (" ✓ confirmed" if card.win_validated else " (not confirmed)"),
            ),
            ("Personal win", card.win_personal or "Not known"),
            ("Last contact", f"{last}. {card.cadence_note}"),
            ("Open concerns", "\n".join(card.open_concerns) or "None"),
            ("Evidence for them", "\n".join(card.evidence) or "None"),
            ("Red flags", "\n".join(card.red_flags) or "None"),
        ]
        dc.key_value_table(self.doc, rows, (2, 5))

    # 8 -------------------------------------------------------------------------------------------

    def assessments(self) -> None:
        self.w.section("Assessment results")
        mine = self.store.assessments.where(
            "account_id = ? OR contract_id = ?", [self.account.id, self.contract.id]
        )
        organisation = self.store.assessments.where("account_id IS NULL AND contract_id IS NULL")
        latest_org = {}
        for item in organisation:
            if item.taken_on and (
                item.kind not in latest_org or item.taken_on >= latest_org[item.kind].taken_on
            ):
                latest_org[item.kind] = item
        shown = sorted(mine, key=lambda x: x.taken_on or date.min, reverse=True)[:6]
        if not shown and not latest_org:
            dc.note(self.doc, "No maturity, posture or readiness assessment taken yet.")
            return
        for item in shown + sorted(latest_org.values(), key=lambda x: x.kind.value):
            scope = "this account" if item.account_id else "the organisation"
            dc.heading(
                self.doc, f"{_label(item.kind)} · {dc.long_date(item.taken_on)} · {scope}", 2
            )
            self._result(item)

    def _result(self, item: m.Assessment) -> None:
        result = item.result or {}
        if not result:
            dc.note(self.doc, f"{len(item.answers or {})} answers recorded; no result computed.")
            return
        rows: list[tuple[str, dc.Cell]] = []
        tables: list[tuple[str, list[Any]]] = []
        for key, value in result.items():
            label = dc.clean_line(str(key)).replace("_", " ").capitalize()
            if isinstance(value, Mapping):
                rows.append(
                    (label, "\n".join(f"{_humanise(k)}: {_number(v)}" for k, v in value.items()))
                )
            elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
                tables.append((label, value))
            elif isinstance(value, list):
                rows.append((label, "; ".join(_number(v) for v in value) or "—"))
            else:
                rows.append((label, _number(value)))
        if rows:
            dc.key_value_table(self.doc, rows, (2, 5))
        for label, entries in tables:
            keys = list(dict.fromkeys(k for entry in entries for k in entry))[:6]
            dc.heading(self.doc, label, 3)
            dc.table(
                self.doc,
                [_humanise(k) for k in keys],
                [[_number(e.get(k)) for k in keys] for e in entries],
            )


def _humanise(key: object) -> str:
    return dc.clean_line(str(key)).replace("_", " ").capitalize()


def _guardrail_row(result: GuardrailResult) -> list[dc.Cell]:
    if result.passed:
        state = "Pass"
    elif result.overridden:
        state = "Overridden"
    else:
        state = "Warn"
    why = result.reason + (f" Override: {result.override_reason}" if result.overridden else "")
    return [result.title, state, why]


def _span(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{dc.long_date(start)} to {dc.long_date(end)}"
    return dc.long_date(start or end)


def _cadence(days: int | None) -> str:
    from .proposal import cadence_words

    return cadence_words(days)


def _last_contacts(interactions: Iterable[m.Interaction], today: date) -> dict[str, date]:
    latest: dict[str, date] = {}
    for i in interactions:
        if i.occurred_on is None or i.occurred_on > today:
            continue
        for sid in i.stakeholder_ids:
            if sid not in latest or i.occurred_on > latest[sid]:
                latest[sid] = i.occurred_on
    return latest


def build_brief(
    store: Store,
    contract_id: str,
    today: date,
    *,
    scores: BriefScores | Mapping[str, Any] | Any | None = None,
    template: str | Path | None = None,
    progress: dc.Progress | None = None,
    plan_id: str | None = None,
    author: str = "",
) -> dc.BuiltDocument:
    """Write the internal coaching brief for one contract; return it in memory (not saved).

    ``plan_id`` picks the conversation plan to present (it must belong to the account); by
    default the latest plan for the contract, or else for the account.

    ``scores`` plugs in the segment, renewal risk, engagement balance, campaign timeline and
    portfolio placement computed elsewhere (see :class:`BriefScores`); sections without one say
    so. Raises NotFoundError for an unknown contract and TemplateError for an unusable template.
    """
    from ..storage.plan_store import load_context

    contract = store.contracts.get(contract_id)
    ctx = load_context(store, contract.account_id)
    writer = dc.DocumentWriter(dc.open_template(template), progress, steps=len(SECTION_TITLES) + 1)
    writer.step("Preparing the document")
    doc = writer.document
    dc.set_properties(
        doc,
        title=f"Coaching brief: {contract.title}",
        subject=f"{ctx.account.name}, contract {contract.reference}",
        author=author or ctx.account.owner,
        status="Internal",
        category="Internal coaching brief",
        keywords="internal",
    )
    dc.set_banner(doc, BANNER)
    dc.ensure_page_numbers(doc)
    brief = _Brief(store, ctx, contract, BriefScores.coerce(scores), today, writer)
    if plan_id:
        chosen = store.plans.get(plan_id)
        if chosen.account_id != contract.account_id:
            raise NotFoundError("That conversation plan belongs to another account.")
        brief.chosen_plan = chosen
    brief.title()
    for name, write in (
        ("Account snapshot", brief.snapshot),
        ("Segment and contribution", brief.segment),
        (
            "Renewal risk",
            lambda: brief.score("Renewal risk", brief.scores.risk, "the renewal risk score"),
        ),
        ("Engagement balance", brief.engagement),
        ("Stakeholder map", brief.stakeholders),
        ("Campaign milestones", brief.milestones),
        ("Latest conversation plan", brief.plan),
        ("Assessment results", brief.assessments),
    ):
        writer.step(name)
        write()
    return writer.finish()


def _unnamed_rows(marks: Sequence[TimelineMilestone]) -> list[list[str]]:
    """One row per milestone code left unnamed on the timeline, in date order: the code
    (with how many times it recurs), its due date or date range, and its status or the count
    of each status."""
    by_code: dict[str, list[TimelineMilestone]] = {}
    for ms in sorted(marks, key=lambda ms: (ms.due, ms.code)):
        by_code.setdefault(ms.code, []).append(ms)
    rows = []
    for code, group in by_code.items():
        first, last = group[0].due, group[-1].due
        when = (
            dc.long_date(first)
            if first == last
            else f"{dc.long_date(first)} to {dc.long_date(last)}"
        )
        statuses: dict[str, int] = {}
        for ms in group:
            label = STATUS_STYLE.get(ms.status, (ms.status,))[0]
            statuses[label] = statuses.get(label, 0) + 1
        status = (
            next(iter(statuses))
            if len(statuses) == 1
            else ", ".join(f"{label} {n}" for label, n in statuses.items())
        )
        rows.append([f"{code} ({len(group)} times)" if len(group) > 1 else code, when, status])
    return rows
