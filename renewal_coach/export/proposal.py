"""The renewal proposal draft: a customer-facing Word document for one contract.

The draft leads with the customer's future (DOMAIN.md principles 2 to 4): their confirmed goals,
ideas tied to those goals and how we would work together come before the commercial section.
Value delivered is shown only where the customer validated it.

It leaves the building, so it is built from *public copies* of the records: every field marked
internal in :mod:`renewal_coach.core.models` is blanked before any text is written, and nothing
computed from internal data (segments, scores, margins) is ever passed in. Guidance for the bid
team (assumptions to check, evidence missing, gaps) goes into Word comments, never into the body
text; comments carry no internal data either, because a customer may read them if they are not
removed. As a last check, the finished document is searched for every internal text of the
account and each hit is reported as a warning.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..core import models as m
from ..core.enums import ChangeKind, Channel, ImprovementStatus, Party
from ..core.money import format_money
from ..core.records import Record, fields_of, internal_fields
from ..core.text import plural
from . import docx_common as dc

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from ..storage.repository import Store

R = TypeVar("R", bound=Record)

#: Title of each section, in the order they appear.
SECTION_TITLES: tuple[str, ...] = (
    "Executive summary",
    "Your goals for the next term",
    "What has changed",
    "Value delivered this term",
    "Improvements delivered and proposed",
    "Ideas for your future",
    "How we propose to work together",
    "Commercial proposal",
    "Mutual commitments and next steps",
)
#: Most result rows drawn in the evidence chart.
MAX_CHART_ROWS = 8
#: A validated result older than this is "not recent" (evaluators remember the latest months).
RECENT_EVIDENCE_DAYS = 183

# Neutral, customer-facing wording for each kind of change. Competitor activity is never
# mentioned to the customer.
_CHANGE_WORDING: dict[ChangeKind, str] = {
    ChangeKind.NEW_ECONOMIC_BUYER: "New leadership of the budget that funds these services",
    ChangeKind.NEW_PROCUREMENT_LEAD: "A new lead in your procurement team",
    ChangeKind.REORGANISATION: "A reorganisation of the teams we work with",
    ChangeKind.TENDER_MANDATED: "Your policy calls for a competitive process for the next term",
    ChangeKind.BUDGET_CUT: "Tighter budgets for the period ahead",
    ChangeKind.MERGER: "A merger that brings new organisations and ways of working together",
    ChangeKind.SCOPE_CHANGE: "A change in what you need the service to cover",
}
_CHANNEL_WORDS: dict[Channel, str] = {
    Channel.IN_PERSON: "In person",
    Channel.VIDEO: "Video call",
    Channel.PHONE: "Phone",
    Channel.EMAIL: "Email",
    Channel.PORTAL: "Through your portal",
    Channel.OTHER: "Their choice",
}
_DELIVERED = (ImprovementStatus.DELIVERED, ImprovementStatus.ACKNOWLEDGED)
_OPEN = (ImprovementStatus.PROPOSED, ImprovementStatus.AGREED)


def public_copy(record: R) -> R:
    """A copy of ``record`` with every internal-only field set back to its default."""
    cls = type(record)
    hidden = internal_fields(cls)
    if not hidden:
        return record
    blanks: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in hidden:
            blanks[f.name] = (
                f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
            )
    return dataclasses.replace(record, **blanks)


@dataclass(slots=True)
class ProposalFacts:
    """The public records of one contract that a proposal may draw on."""

    account: m.Account
    contract: m.Contract
    today: date
    people: dict[str, m.Stakeholder] = field(default_factory=dict)
    goals: list[m.CustomerGoal] = field(default_factory=list)
    evidence: list[m.ValueEvidence] = field(default_factory=list)
    improvements: list[m.Improvement] = field(default_factory=list)
    changes: list[m.ChangeEvent] = field(default_factory=list)
    commitments: list[m.Commitment] = field(default_factory=list)
    concerns: list[m.Concern] = field(default_factory=list)

    @property
    def confirmed_goals(self) -> list[m.CustomerGoal]:
        return [g for g in self.goals if g.confirmed]

    def who(self, stakeholder_id: str | None) -> str:
        """A stakeholder as name and job title; empty when unknown."""
        person = self.people.get(stakeholder_id or "")
        if person is None:
            return ""
        return f"{person.name} ({person.title})" if person.title else person.name


def _for_contract(records: Iterable[R], contract_id: str) -> list[R]:
    return [r for r in records if getattr(r, "contract_id", None) in (None, contract_id)]


def gather(store: Store, contract_id: str, today: date) -> ProposalFacts:
    """Load the public copies of everything a proposal for ``contract_id`` may show.

    Records of the account that concern another contract are left out; records of the account
    as a whole (no contract) are kept. Commitments made in internal coaching sessions are left
    out: only those from meetings with the customer, or entered directly, are mutual. Only
    open concerns the customer can see are kept.
    """
    contract = store.contracts.get(contract_id)
    account_id = contract.account_id
    plans = {p.id: p for p in store.plans.for_account(account_id)}
    commitments = [
        c
        for c in store.commitments.for_account(account_id)
        if c.session_id is None
        and (
            c.plan_id is None
            or plans.get(c.plan_id) is None
            or plans[c.plan_id].contract_id in (None, contract.id)
        )
    ]
    return ProposalFacts(
        account=public_copy(store.accounts.get(account_id)),
        contract=public_copy(contract),
        today=today,
        people={s.id: public_copy(s) for s in store.stakeholders.for_account(account_id)},
        goals=[
            public_copy(g)
            for g in sorted(
                _for_contract(store.goals.for_account(account_id), contract.id),
                key=lambda g: (g.priority, g.target_date or date.max, g.statement.lower()),
            )
        ],
        evidence=[
            public_copy(e)
            for e in _for_contract(store.evidence.for_account(account_id), contract.id)
        ],
        improvements=[
            public_copy(i)
            for i in _for_contract(store.improvements.for_account(account_id), contract.id)
        ],
        changes=[
            public_copy(c)
            for c in _for_contract(store.change_events.for_account(account_id), contract.id)
        ],
        commitments=[public_copy(c) for c in commitments],
        concerns=[
            public_copy(c)
            for c in _for_contract(store.concerns.for_account(account_id), contract.id)
            if c.visible_to_customer and c.resolved_on is None
        ],
    )


# ---- small wording helpers ---------------------------------------------------------------------


def cadence_words(days: int | None) -> str:
    """How often, in words: 30 gives "Every month", 91 "Every quarter"."""
    if not days:
        return ""
    for low, high, words in (
        (1, 1, "Every day"),
        (7, 7, "Every week"),
        (14, 14, "Every two weeks"),
        (28, 31, "Every month"),
        (56, 62, "Every two months"),
        (84, 92, "Every quarter"),
        (180, 184, "Every six months"),
        (360, 366, "Once a year"),
    ):
        if low <= days <= high:
            return words
    return f"Every {days} days"


def _measure(goal: m.CustomerGoal) -> str:
    span = ""
    if goal.metric_from or goal.metric_to:
        span = f"{goal.metric_from or '?'} → {goal.metric_to or '?'}"
    if goal.metric and span:
        return f"{goal.metric}: {span}"
    return goal.metric or span


_NUMBER_WORDS = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine")


def counted(n: int, noun: str) -> str:
    """Small numbers in words and the noun in plural: "One goal", "Three ideas", "12 results"."""
    number = _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)
    return f"{number} {noun}{'' if n == 1 else 's'}"


def _by(goal: m.CustomerGoal) -> str:
    if goal.target_date:
        return dc.long_date(goal.target_date)
    return goal.horizon.label


def _term(contract: m.Contract) -> str:
    if contract.start_date and contract.end_date:
        return f"{dc.long_date(contract.start_date)} to {dc.long_date(contract.end_date)}"
    return ""


_NUMBER = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?")


def parse_number(text: str) -> float | None:
    """The first number in a short measure such as "£4.10", "92%" or "1,200 hours"."""
    found = _NUMBER.search(text or "")
    if not found:
        return None
    try:
        return float(found.group().replace(",", "").replace("−", "-"))
    except ValueError:
        return None


def _chart_label(text: str, limit: int = 38) -> str:
    """Chart text without characters the chart font lacks; right-to-left pieces reversed,
    because matplotlib lays text out left to right."""
    short = dc.shorten(text, limit)
    short = "".join(c for c in short if ord(c) <= 0xFFFF and not 0xFE00 <= ord(c) <= 0xFE0F)
    return "".join(piece[::-1] if rtl else piece for piece, rtl in dc.bidi_segments(short))


# ---- charts --------------------------------------------------------------------------------------

_INK, _BLUE, _GREY, _ORANGE = "#1F2A37", "#0072B2", "#8C96A0", "#E69F00"


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    from .charts import use_font_fallback

    use_font_fallback()  # measures and steps may hold symbols or emoji
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    fig.patch.set_facecolor("white")
    return fig


def results_figure(rows: Sequence[tuple[str, str, str]]) -> Figure | None:
    """Before and after for each (measure, before, after) whose values are numbers.

    Each row has its own scale (measures differ in unit), so the chart shows the direction and
    size of each change with the real values written next to the points. None when no row has
    two numbers.
    """
    usable = []
    for label, before, after in rows:
        b, a = parse_number(before), parse_number(after)
        if b is not None and a is not None:
            usable.append((label, before, after, b, a))
    if not usable:
        return None
    usable = usable[:MAX_CHART_ROWS]
    fig = _figure(8.0, 0.9 + 0.55 * len(usable))
    ax = fig.add_subplot()
    for y, (_label, before, after, b, a) in enumerate(reversed(usable)):
        scale = max(abs(b), abs(a)) or 1.0
        xb, xa = b / scale, a / scale
        ax.annotate(
            "",
            xy=(xa, y),
            xytext=(xb, y),
            arrowprops={"arrowstyle": "-|>", "color": _GREY, "lw": 1.4, "shrinkA": 5, "shrinkB": 6},
        )
        ax.scatter([xb], [y], s=60, facecolors="white", edgecolors=_GREY, linewidths=1.6, zorder=3)
        ax.scatter([xa], [y], s=70, color=_BLUE, zorder=3)
        left, right = (before, after) if xb <= xa else (after, before)
        ax.annotate(
            _chart_label(left, 16),
            (min(xb, xa), y),
            xytext=(-8, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=8,
            color=_INK,
        )
        ax.annotate(
            _chart_label(right, 16),
            (max(xb, xa), y),
            xytext=(8, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8,
            color=_INK,
        )
    ax.set_yticks(range(len(usable)), [_chart_label(r[0]) for r in reversed(usable)], fontsize=9)
    ax.set_xticks([])
    low = min(0.0, *(min(r[3], r[4]) / (max(abs(r[3]), abs(r[4])) or 1) for r in usable))
    ax.set_xlim(low - 0.35, 1.35)
    ax.set_ylim(-0.6, len(usable) - 0.4)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0, colors=_INK)
    ax.scatter([], [], s=60, facecolors="white", edgecolors=_GREY, label="Before")
    ax.scatter([], [], s=70, color=_BLUE, label="After")
    ax.legend(loc="lower right", fontsize=8, frameon=False, ncols=2)
    return fig


def road_figure(steps: Sequence[tuple[date, str]], today: date) -> Figure | None:
    """The dates ahead on one line, labelled alternately above and below. None for fewer than
    two dates."""
    if len(steps) < 2:
        return None
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    ordered = sorted(steps)
    fig = _figure(8.0, 2.3)
    ax = fig.add_subplot()
    first, last = min(today, ordered[0][0]), ordered[-1][0]
    margin = max((last - first) / 12, timedelta(days=14))
    ax.axhline(0, color=_GREY, linewidth=2, zorder=1)
    ax.scatter([d for d, _ in ordered], [0] * len(ordered), s=55, color=_BLUE, zorder=3)
    ax.scatter([today], [0], s=55, marker="D", color=_ORANGE, zorder=3)
    ax.annotate(
        "Today",
        (today, 0),
        xytext=(0, -16),
        textcoords="offset points",
        ha="center",
        fontsize=8,
        color=_INK,
    )
    for i, (day, text) in enumerate(ordered):
        up = i % 2 == 0
        ax.annotate(
            textwrap.fill(_chart_label(text, 48), 22),
            (day, 0),
            xytext=(0, 14 if up else -30),
            textcoords="offset points",
            ha="center",
            va="bottom" if up else "top",
            fontsize=8,
            color=_INK,
            arrowprops={"arrowstyle": "-", "color": _GREY, "lw": 0.6},
        )
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    ax.set_xlim(first - margin, last + margin)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=8, colors=_INK)
    return fig


# ---- the document --------------------------------------------------------------------------------


def _placeholder(text: str) -> list[tuple[str, str | None]]:
    return [(f"[{text}]", "Placeholder")]


def _next_steps(facts: ProposalFacts) -> list[tuple[date, str, str]]:
    """(date, step, who) for every dated step from today on, soonest first."""
    c, today = facts.contract, facts.today
    steps: list[tuple[date, str, str]] = []
    for item in facts.commitments:
        if item.done_on is None and item.due_on and item.due_on >= today:
            who = facts.account.name if item.party is Party.CUSTOMER else "Us"
            steps.append((item.due_on, item.description, who))
    dated = [
        (c.decision_date, "Your decision on the next term (expected)", facts.account.name),
        (c.extension_exercise_by, "Last day to take up the extension option", "Both"),
        (c.effective_notice_deadline(), "Notice date under the current contract", "Both"),
        (c.end_date, "Current term ends", "Both"),
        (c.end_date + timedelta(days=1) if c.end_date else None, "Next term begins", "Both"),
    ]
    for day, text, who in dated:
        if day is not None and day >= today:
            steps.append((day, text, who))
    return sorted(steps, key=lambda s: s[0])


class _Proposal:
    """Writes the sections in order; each decides whether it has anything to say."""

    def __init__(self, facts: ProposalFacts, writer: dc.DocumentWriter) -> None:
        self.f = facts
        self.w = writer
        self.doc = writer.document
        self.summary_heading: Any = None
        self.shown_goal_ids: set[str] = set()

    # cover and summary ---------------------------------------------------------------------------

    def cover(self) -> None:
        f, doc = self.f, self.doc
        title = dc.paragraph(doc, "Renewal proposal", "Title")
        dc.paragraph(doc, f.account.name, "Subtitle")
        lines = [f.contract.title, f"Contract reference {f.contract.reference}"]
        if f.contract.end_date:
            lines.append(
                f"For the term from {dc.long_date(f.contract.end_date + timedelta(days=1))}"
            )
        lines.append(f"Draft of {dc.long_date(f.today)}")
        if f.account.owner:
            lines.append(f"Prepared by {f.account.owner}")
        for line in lines:
            dc.paragraph(doc, line, "Cover Detail")
        self.w.comment(
            title,
            "Draft written by Renewal Coach from the account records. The comments hold notes "
            "for the bid team: act on each one, then delete every comment before this "
            "document goes to the customer. Text highlighted in yellow must be replaced.",
        )
        dc.page_break(doc)

    def summary(self) -> None:
        f, doc = self.f, self.doc
        self.summary_heading = self.w.section("Executive summary")
        opening = f"This proposal sets out how we would continue to work with {f.account.name}"
        opening += f" on {f.contract.title}" if f.contract.title else ""
        end = f.contract.end_date
        if end and end >= f.today:
            opening += f" once the current term ends on {dc.long_date(end)}"
        elif end:
            opening += f" after the term that ended on {dc.long_date(end)}"
        opening += (
            ". It starts where you told us you want to go, and comes back to this term only "
            "to show what it has proved."
        )
        dc.paragraph(doc, opening)
        points = []
        goals = len(f.confirmed_goals)
        if goals:
            verb = "shapes" if goals == 1 else "shape"
            points.append(
                f"{counted(goals, 'goal')} your team confirmed with us {verb} every part of it."
            )
        count = sum(len(v) for v in self._ideas_by_goal().values())
        if count:
            points.append(
                f"{counted(count, 'idea')} for your future, each tied to one of your goals."
            )
        validated = len(self._validated())
        if validated:
            points.append(
                f"{counted(validated, 'result')} from this term, each agreed with your team."
            )
        if self._rhythm_people() or f.account.contact_cadence_days:
            points.append("A way of working together at the rhythm your team asked for.")
        points.append("Commercial terms, followed by the commitments and next steps on both sides.")
        dc.paragraph(doc, "In brief:")
        dc.bullets(doc, points)
        if f.concerns:
            self.w.comment(
                self.summary_heading,
                "Open concerns the customer knows about:\n"
                + "\n".join(
                    f"• {dc.shorten(c.description, 140)} (severity {c.severity})"
                    for c in sorted(f.concerns, key=lambda c: c.severity)
                )
                + "\nSay plainly what changes in the next term because of them; a proposal "
                "that skips them reads as complacent.",
            )

    # goals ---------------------------------------------------------------------------------------

    def goals(self) -> None:
        title = "Your goals for the next term"
        confirmed = self.f.confirmed_goals
        assumed = [g for g in self.f.goals if not g.confirmed]
        if not confirmed:
            self.w.omit(title)
            return
        heading = self.w.section(title)
        dc.paragraph(
            self.doc,
            "These are the goals your team shared with us, in your words, with the measure you "
            "will judge them by. Everything else in this proposal is there to help you reach "
            "them.",
        )
        rows = []
        for goal in confirmed:
            self.shown_goal_ids.add(goal.id)
            confirmed_by = self.f.who(goal.confirmed_by_id)
            rows.append(
                [
                    goal.statement,
                    _measure(goal) or "To agree with you",
                    _by(goal),
                    f"{confirmed_by}, {dc.long_date(goal.confirmed_on)}".strip(", "),
                ]
            )
        dc.table(self.doc, ["Your goal", "Measure", "By", "Confirmed by"], rows, [5, 3.2, 1.8, 2.6])
        if assumed:
            listed = "\n".join(f"• {dc.shorten(g.statement, 160)}" for g in assumed)
            self.w.comment(
                heading,
                "Assumed goals, not confirmed by the customer, are left out of this section. "
                "Confirm them with the customer before presenting any of them as theirs:\n"
                + listed,
            )
        missing = [g for g in confirmed if not (g.metric_from or g.metric_to)]
        if missing:
            self.w.comment(
                heading,
                plural(
                    len(missing),
                    "{n} confirmed goal has no from/to measure yet.",
                    "{n} confirmed goals have no from/to measure yet.",
                )
                + " Agree one with the customer so progress can be shown.",
            )

    # changes -------------------------------------------------------------------------------------

    def changes(self) -> None:
        title = "What has changed"
        since = self.f.contract.start_date or date.min
        shown = [
            c
            for c in sorted(self.f.changes, key=lambda c: c.occurred_on or date.min)
            if c.kind in _CHANGE_WORDING and (c.occurred_on or date.min) >= since
        ]
        if not shown:
            self.w.omit(title)
            return
        heading = self.w.section(title)
        dc.paragraph(
            self.doc,
            f"A great deal can move during a contract term. These changes at {self.f.account.name} "
            "shape what the next term needs to do:",
        )
        dc.bullets(
            self.doc,
            [f"{_CHANGE_WORDING[c.kind]} (since {dc.month_year(c.occurred_on)})." for c in shown],
        )
        records = [
            f"• {dc.long_date(c.occurred_on)}: {dc.shorten(c.description, 200)}"
            for c in shown
            if c.description
        ]
        self.w.comment(
            heading,
            "The wording above is deliberately neutral. Check it against what the customer has "
            "said openly, and say how the proposal responds to each change."
            + ("\nOur records:\n" + "\n".join(records) if records else ""),
        )

    # value ---------------------------------------------------------------------------------------

    def _validated(self) -> list[m.ValueEvidence]:
        start = self.f.contract.start_date or date.min
        return [
            e
            for e in self.f.evidence
            if e.validated and ((e.period_end or e.validated_on or date.max) >= start)
        ]

    def value(self) -> None:
        title = "Value delivered this term"
        validated = sorted(
            self._validated(), key=lambda e: e.validated_on or date.min, reverse=True
        )
        pending = [e for e in self.f.evidence if not e.validated]
        if not validated:
            self.w.omit(title)
            return
        heading = self.w.section(title)
        dc.paragraph(
            self.doc,
            "Each result below was measured before and after, and agreed with the person named "
            "on your side.",
        )
        rows = []
        for e in validated:
            rows.append(
                [
                    e.description,
                    e.metric,
                    e.before,
                    e.after,
                    f"✓ Validated by {self.f.who(e.validated_by_id)}, "
                    f"{dc.long_date(e.validated_on)}",
                ]
            )
        dc.table(
            self.doc,
            ["What we delivered", "Measure", "Before", "After", "Validated"],
            rows,
            [5, 2.6, 1.5, 1.5, 3],
        )
        chart = results_figure([(e.metric or e.description, e.before, e.after) for e in validated])
        if chart is not None:
            from .charts import figure_png

            self.w.picture(
                figure_png(chart),
                caption="Results this term: each measure before (open circle) and after "
                "(filled circle), on its own scale.",
                alt_text="Chart of each validated result, before and after: "
                + "; ".join(
                    f"{e.metric or dc.shorten(e.description, 40)} from {e.before} to {e.after}"
                    for e in validated[:MAX_CHART_ROWS]
                ),
            )
        notes = []
        if pending:
            notes.append(
                plural(
                    len(pending),
                    "{n} result is not validated by the customer and is left out:\n",
                    "{n} results are not validated by the customer and are left out:\n",
                )
                + "\n".join(f"• {dc.shorten(e.description, 140)}" for e in pending)
                + "\nAsk the customer to confirm them before they are quoted."
            )
        latest = validated[0].validated_on
        if latest and (self.f.today - latest).days > RECENT_EVIDENCE_DAYS:
            notes.append(
                f"The latest validated result dates from {dc.long_date(latest)}. Evaluators "
                "remember recent months best: add a recent, validated result if you can."
            )
        c = self.f.contract
        if c.kpis_total:
            notes.append(
                f"Service levels this term: {c.kpis_met if c.kpis_met is not None else '?'} of "
                f"{c.kpis_total} KPIs met. Decide how to present them."
            )
        for text in notes:
            self.w.comment(heading, text)

    # improvements --------------------------------------------------------------------------------

    def _ideas_by_goal(self) -> dict[str, list[tuple[str, str]]]:
        """For each confirmed goal, the (idea, detail) pairs that answer it."""
        ideas: dict[str, list[tuple[str, str]]] = {}
        for goal in self.f.confirmed_goals:
            found = [
                (
                    i.title,
                    " ".join(
                        x
                        for x in (
                            dc.clean(i.description),
                            "Agreed with you." if i.status is ImprovementStatus.AGREED else "",
                        )
                        if x
                    ),
                )
                for i in self.f.improvements
                if i.goal_id == goal.id and i.status in _OPEN
            ]
            if goal.our_response:
                found.append((goal.our_response, ""))
            if found:
                ideas[goal.id] = found
        return ideas

    def improvements(self) -> None:
        title = "Improvements delivered and proposed"
        start = self.f.contract.start_date or date.min
        confirmed = {g.id for g in self.f.confirmed_goals}
        delivered = [
            i
            for i in self.f.improvements
            if i.status in _DELIVERED and (i.delivered_on or i.acknowledged_on or date.max) >= start
        ]
        proposed = [
            i for i in self.f.improvements if i.status in _OPEN and i.goal_id not in confirmed
        ]
        if not delivered and not proposed:
            self.w.omit(title)
            return
        heading = self.w.section(title)
        if delivered:
            dc.heading(self.doc, "Delivered this term", 2)
            rows = []
            for i in delivered:
                when = dc.long_date(i.delivered_on)
                if i.status is ImprovementStatus.ACKNOWLEDGED:
                    when = (when + "; acknowledged by your team").lstrip("; ")
                rows.append([i.title, i.description, when])
            dc.table(self.doc, ["Improvement", "What it changed", "Delivered"], rows, [3, 6, 2.6])
        if proposed:
            dc.heading(self.doc, "Proposed for the next term", 2)
            items = []
            for i in proposed:
                text = i.title + (f": {i.description}" if i.description else "")
                if i.status is ImprovementStatus.AGREED:
                    text += " (agreed with you)"
                items.append(text)
            dc.bullets(self.doc, items)
        unacknowledged = [i for i in delivered if i.status is not ImprovementStatus.ACKNOWLEDGED]
        if unacknowledged:
            self.w.comment(
                heading,
                plural(
                    len(unacknowledged),
                    "{n} delivered improvement is not acknowledged by the customer yet.",
                    "{n} delivered improvements are not acknowledged by the customer yet.",
                )
                + " Ask whether they agree with the description before sending.",
            )
        if not any(
            i.proposed_on and (self.f.today - i.proposed_on).days <= 365
            for i in self.f.improvements
        ):
            self.w.comment(
                heading,
                "Nothing new was proposed in the last twelve months. A proposal that repeats "
                "the current contract invites a competitor to offer the change instead.",
            )

    # ideas ---------------------------------------------------------------------------------------

    def ideas(self) -> None:
        title = "Ideas for your future"
        ideas = self._ideas_by_goal()
        unanswered = [g for g in self.f.confirmed_goals if g.id not in ideas]
        if not ideas:
            self.w.omit(title)
            return
        heading = self.w.section(title)
        dc.paragraph(
            self.doc,
            "Ideas we would like to explore with you, each offered as a starting point for one "
            "of your goals. They are proposals to shape together, not a finished plan.",
        )
        for goal in self.f.confirmed_goals:
            if goal.id not in ideas:
                continue
            dc.heading(self.doc, f"For your goal: {dc.shorten(goal.statement, 110)}", 2)
            items = []
            for idea, detail in ideas[goal.id]:
                idea = dc.clean(idea).rstrip(".:;")
                items.append(f"{idea}: {detail}" if detail else f"{idea}.")
            dc.bullets(self.doc, [dc.clean(i).replace("\n", " ") for i in items])
        if unanswered:
            self.w.comment(
                heading,
                "Confirmed goals with no idea from us yet:\n"
                + "\n".join(f"• {dc.shorten(g.statement, 140)}" for g in unanswered)
                + "\nThe customer will look for an answer to each.",
            )
        held_back = [
            i
            for i in self.f.improvements
            if i.status in _OPEN
            and i.goal_id
            and i.goal_id not in ideas
            and i.goal_id not in {g.id for g in self.f.confirmed_goals}
        ]
        if held_back:
            self.w.comment(
                heading,
                "Ideas tied to goals the customer has not confirmed are left out: "
                + "; ".join(dc.shorten(i.title, 80) for i in held_back)
                + ".",
            )

    # working together ----------------------------------------------------------------------------

    def _rhythm_people(self) -> list[m.Stakeholder]:
        return [
            p
            for p in sorted(self.f.people.values(), key=lambda p: p.name.lower())
            if p.left_on is None and (p.contact_cadence_days or p.preferred_channel or p.no_surveys)
        ]

    def working_together(self) -> None:
        title = "How we propose to work together"
        people = self._rhythm_people()
        cadence = self.f.account.contact_cadence_days
        if not people and not cadence:
            self.w.omit(title)
            return
        self.w.section(title)
        dc.paragraph(
            self.doc,
            "You told us how often and how you would like to hear from us. We will plan our "
            "contact around that, and bring something useful each time rather than checking in "
            "for its own sake.",
        )
        if cadence:
            dc.paragraph(
                self.doc,
                f"Across {self.f.account.name}: {cadence_words(cadence).lower()}, as you asked.",
            )
        if people:
            rows = []
            for p in people:
                notes = []
                if p.no_surveys:
                    notes.append("No surveys: we ask in conversation instead")
                rows.append(
                    [
                        p.name,
                        p.title,
                        cadence_words(p.contact_cadence_days) or "As needed",
                        _CHANNEL_WORDS.get(p.preferred_channel, "Any")
                        if p.preferred_channel
                        else "Any",
                        "; ".join(notes),
                    ]
                )
            header, widths = ["Who", "Role", "How often", "How", "Also"], [2.6, 3, 2.2, 2.2, 3]
            if not any(row[-1] for row in rows):
                header, widths, rows = header[:-1], widths[:-1], [row[:-1] for row in rows]
            dc.table(self.doc, header, rows, widths)
        dc.paragraph(
            self.doc,
            "If the rhythm stops suiting you, tell us and we will change it.",
        )

    # commercial ----------------------------------------------------------------------------------

    def commercial(self) -> None:
        heading = self.w.section("Commercial proposal")
        dc.rich_paragraph(
            self.doc,
            [
                ("The commercial terms for the next term follow. ", None),
                *_placeholder("Bid team: summarise the offer in two or three sentences"),
            ],
        )
        c, currency = self.f.contract, self.f.account.currency
        current = format_money(c.annual_value_minor, currency) if c.annual_value_minor else ""
        rows: list[list[dc.Cell]] = [
            ["Annual charge", current or _placeholder("current charge"), _placeholder("price")],
            ["Term and options", _term(c) or _placeholder("current term"), _placeholder("term")],
            ["Service levels", _placeholder("current levels"), _placeholder("levels")],
            ["Price review", _placeholder("current terms"), _placeholder("mechanism")],
            ["Payment terms", _placeholder("current terms"), _placeholder("terms")],
        ]
        dc.table(self.doc, ["", "Current term", "Next term"], rows, [2.5, 4, 4])
        dc.rich_paragraph(self.doc, _placeholder("Bid team: assumptions and exclusions"))
        self.w.comment(
            heading,
            "Every highlighted item is a placeholder for the bid team. Set the price from your "
            "own commercial review; nothing in this draft is a price.",
        )

    # commitments and next steps ------------------------------------------------------------------

    def commitments(self) -> None:
        title = "Mutual commitments and next steps"
        today = self.f.today
        open_items = [c for c in self.f.commitments if c.done_on is None]
        current = [c for c in open_items if c.due_on is None or c.due_on >= today]
        overdue = [c for c in open_items if c.due_on is not None and c.due_on < today]
        steps = _next_steps(self.f)
        if not current and not steps:
            self.w.omit(title)
            if overdue:
                self._overdue_comment(self.summary_heading, overdue)
            return
        heading = self.w.section(title)
        if current:
            dc.heading(self.doc, "What each of us commits to", 2)
            rows = []
            for c in sorted(current, key=lambda c: (c.party is not Party.US, c.due_on or date.max)):
                who = "Us" if c.party is Party.US else self.f.account.name
                rows.append([who, c.description, c.owner, dc.long_date(c.due_on) or "To agree"])
            dc.table(self.doc, ["Who", "Commitment", "Owner", "By"], rows, [2.4, 6.4, 2.6, 2.4])
        if steps:
            dc.heading(self.doc, "Next steps", 2)
            dc.table(
                self.doc,
                ["When", "Step", "Who"],
                [[dc.long_date(day), text, who] for day, text, who in steps],
                [2.6, 7.4, 2.6],
            )
            chart = road_figure([(day, text) for day, text, _ in steps], today)
            if chart is not None:
                from .charts import figure_png

                self.w.picture(
                    figure_png(chart),
                    caption="The road to the next term.",
                    alt_text="Timeline of the next steps: "
                    + "; ".join(f"{dc.long_date(d)}: {t}" for d, t, _ in steps[:12]),
                )
        if overdue:
            self._overdue_comment(heading, overdue)

    def _overdue_comment(self, anchor: Any, overdue: Sequence[m.Commitment]) -> None:
        self.w.comment(
            anchor,
            "Open commitments past their date are left out of the proposal; settle or re-date "
            "them with the customer first:\n"
            + "\n".join(
                f"• {dc.shorten(c.description, 140)} (due {dc.long_date(c.due_on)})"
                for c in overdue
            ),
        )

    def omitted_note(self) -> None:
        if self.w.built.omitted and self.summary_heading is not None:
            self.w.comment(
                self.summary_heading,
                "Left out because the records hold nothing for them yet: "
                + "; ".join(self.w.built.omitted)
                + ". Fill the gaps with the customer, or leave the sections out.",
            )


def internal_texts(store: Store, account_id: str) -> list[tuple[str, str]]:
    """(where, text) for every internal-only text of one account and its records."""
    found: list[tuple[str, str]] = []
    account = store.accounts.get(account_id)
    records: list[Record] = [account]
    for name in ("contracts", "stakeholders"):
        records += store.repo(name).for_account(account_id)
    plan_ids = [p.id for p in store.plans.for_account(account_id)]
    if plan_ids:
        marks = ",".join("?" * len(plan_ids))
        records += store.coaching_sessions.where(f"plan_id IN ({marks})", plan_ids)
    for record in records:
        for fi in fields_of(type(record)):
            if not fi.meta.get("internal") or fi.kind not in ("str", "text"):
                continue
            value = dc.clean_line(getattr(record, fi.name))
            if len(value) >= 8:
                found.append((f"{type(record).__name__} {fi.label}", value))
    return found


def build_proposal(
    store: Store,
    contract_id: str,
    today: date,
    *,
    template: str | Path | None = None,
    progress: dc.Progress | None = None,
    author: str = "",
) -> dc.BuiltDocument:
    """Write the renewal proposal draft for one contract; return it in memory (not saved).

    ``template`` is a company .docx/.dotx (default: the bundled template). Raises
    NotFoundError for an unknown contract and TemplateError for an unusable template.
    ``author`` (the person exporting) is the document's author; the account owner without it.
    """
    facts = gather(store, contract_id, today)
    writer = dc.DocumentWriter(dc.open_template(template), progress, steps=len(SECTION_TITLES) + 2)
    writer.step("Preparing the document")
    doc = writer.document
    dc.set_properties(
        doc,
        title=f"Renewal proposal: {facts.contract.title}",
        subject=f"{facts.account.name}, contract {facts.contract.reference}",
        author=author or facts.account.owner,
        status="Draft",
        category="Renewal proposal",
    )
    dc.plain_cover(doc)
    dc.set_running_header(doc, f"{facts.account.name} · Renewal proposal · Draft")
    dc.ensure_page_numbers(doc)
    proposal = _Proposal(facts, writer)
    proposal.cover()
    for name, write in (
        ("Executive summary", proposal.summary),
        ("Goals", proposal.goals),
        ("Changes", proposal.changes),
        ("Value delivered", proposal.value),
        ("Improvements", proposal.improvements),
        ("Ideas", proposal.ideas),
        ("Working together", proposal.working_together),
        ("Commercial", proposal.commercial),
        ("Commitments and next steps", proposal.commitments),
    ):
        writer.step(name)
        write()
    proposal.omitted_note()
    writer.step("Checking for internal data")
    text = dc.all_text(doc)
    for where, value in internal_texts(store, facts.account.id):
        if value in text:
            writer.warn(
                f"Text recorded as internal ({where}) also appears in the proposal: "
                f"“{dc.shorten(value, 60)}”. Check it before sending."
            )
    return writer.finish()
