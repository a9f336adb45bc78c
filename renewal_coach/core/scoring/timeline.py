"""The renewal campaign timeline (DOMAIN.md section 4): milestones counted back from the anchor.

anchor = earliest of (expected decision date, expected market approach − 1 month, end date).
Offsets are in months before the anchor and shrink in proportion for terms shorter than the full
term (36 months by default); kickoff never comes later than 9 months before the anchor, and no
milestone falls before the first day of the term.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..dates import add_months
from ..enums import ContractStatus
from ..settings import DEFAULT_SETTINGS, ScoreSettings

MONTH_DAYS = 365.2425 / 12

#: Milestone codes with a short name and what "done" means, in our own words.
MILESTONES: dict[str, tuple[str, str]] = {
    "M0": ("Term starts", "Goals baselined, review rhythm and their preferred cadence noted"),
    "M1": ("Value review", "Value reviewed with the customer and the evidence logged"),
    "M2": (
        "Mid-term health check",
        "Risk, maturity and posture checked; options and notice dates confirmed",
    ),
    "M3": ("Campaign kickoff", "Owner, team, situation, desired outcome and walk-away agreed"),
    "M4": (
        "Future-goals conversations",
        "Every high-influence stakeholder asked about their future goals",
    ),
    "M5": (
        "Readiness check 1",
        "Fix-it plan for concerns; scope shaped before procurement plans set",
    ),
    "M6": (
        "Next-term plan",
        "Executive plan for the next term, improvements, ideas and a price review",
    ),
    "M7": ("Readiness check 2", "Route decided, evidence pack complete, probity briefing held"),
    "M8": ("Procurement live", "Formal channels only; proposal written to the evaluation criteria"),
    "M9": ("Decision", "Debrief held, win or lose, and lessons recorded"),
    "M10": (
        "After the decision",
        "New term reset, or handover and win-back watch, or exit reason recorded",
    ),
    "N": ("Notice deadline ahead", "Position on notice agreed in good time before the deadline"),
    "X": (
        "Option exercise ahead",
        "Decision on the extension option agreed before the exercise date",
    ),
}

LIVE = (ContractStatus.ACTIVE, ContractStatus.RENEWING)

PHASES = {
    "deliver": "Deliver",
    "shape": "Shape",
    "ready": "Ready",
    "procurement": "Formal procurement",
    "decided": "Decided",
    "closed": "Closed",
}

_ORDER = {code: i for i, code in enumerate(MILESTONES)}

#: Months before the anchor at full term (36 months).
_FULL_OFFSETS = {"M4": 15, "M5": 12, "M6": 9, "M7": 6}


@dataclass(frozen=True, slots=True)
class MilestoneDue:
    """One generated milestone with its progress."""

    code: str
    occurrence: int
    label: str
    done_means: str
    due: date
    status: str  # done, overdue, due, upcoming
    done_on: date | None = None
    owner: str = ""
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "occurrence": self.occurrence,
            "label": self.label,
            "due": self.due.isoformat(),
            "status": self.status,
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "owner": self.owner,
            "note": self.note,
        }


class Campaign:
    """A contract's campaign: anchor, milestones in date order, phase and progress.

    The milestone objects are built on first use: scoring a whole portfolio only needs the
    counts, which come straight from the due dates.
    """

    __slots__ = (
        "_milestones",
        "_plan",
        "_records",
        "_reviews",
        "_soon",
        "anchor",
        "anchor_basis",
        "closed",
        "contract_id",
        "due_so_far",
        "overdue_count",
        "phase",
        "today",
    )

    def __init__(
        self,
        contract_id: str,
        anchor: date,
        anchor_basis: str,
        plan: list[tuple[str, int, date]],
        reviews: tuple[date, int, int],
        records: dict[tuple[str, int], Any],
        today: date,
        soon: date,
        closed: bool,
    ) -> None:
        self.contract_id = contract_id
        self.anchor = anchor
        self.anchor_basis = anchor_basis
        self.closed = closed
        self.today = today
        self._plan = plan
        self._reviews = reviews
        self._records = records
        self._soon = soon
        self._milestones: tuple[MilestoneDue, ...] | None = None
        due = overdue = 0
        for code, occ, when in plan:
            if when < today:
                due += 1
                rec = records.get((code, occ))
                if rec is None or rec.done_on is None:
                    overdue += 1
        start, interval, count = reviews
        if count:
            passed = count if today >= anchor else _reviews_before(start, interval, today)
            done_reviews = sum(
                1
                for (code, occ), rec in records.items()
                if code == "M1" and occ < passed and rec.done_on is not None
            )
            due += passed
            overdue += passed - done_reviews
        self.due_so_far = 0 if closed else due
        self.overdue_count = 0 if closed else overdue
        self.phase = _phase(plan, today, closed, anchor)

    @property
    def phase_label(self) -> str:
        return PHASES[self.phase]

    @property
    def milestones(self) -> tuple[MilestoneDue, ...]:
        if self._milestones is None:
            start, interval, count = self._reviews
            plan = self._plan + [
                ("M1", k - 1, add_months(start, interval * k)) for k in range(1, count + 1)
            ]
            plan.sort(key=lambda p: (p[2], _ORDER[p[0]], p[1]))
            self._milestones = _build(plan, self._records, self.today, self._soon, self.closed)
        return self._milestones

    @property
    def overdue(self) -> tuple[MilestoneDue, ...]:
        return tuple(m for m in self.milestones if m.status == "overdue")

    def next_milestone(self) -> MilestoneDue | None:
        """The first overdue milestone, else the next one not done; None when all are done."""
        for m in self.milestones:
            if m.status == "overdue":
                return m
        for m in self.milestones:
            if m.status in ("due", "upcoming"):
                return m
        return None

    def to_json(self) -> dict[str, Any]:
        nxt = self.next_milestone()
        return {
            "contract_id": self.contract_id,
            "anchor_date": self.anchor.isoformat(),
            "anchor_basis": self.anchor_basis,
            "phase": self.phase,
            "closed": self.closed,
            "next_milestone": (
                {"code": nxt.code, "due": nxt.due.isoformat(), "status": nxt.status}
                if nxt
                else None
            ),
            "milestones": [m.to_json() for m in self.milestones],
        }


def anchor_date(contract: Any) -> tuple[date, str]:
    """The campaign anchor and which date set it ("decision", "market approach" or "end")."""
    options: list[tuple[date, str]] = [(contract.end_date, "end date")]
    if contract.decision_date is not None:
        options.append((contract.decision_date, "expected decision"))
    if contract.market_approach_date is not None:
        options.append((add_months(contract.market_approach_date, -1), "market approach − 1 month"))
    return min(options, key=lambda o: o[0])


def _before(anchor: date, months: float) -> date:
    if float(months).is_integer():
        return add_months(anchor, -int(months))
    return anchor - timedelta(days=round(months * MONTH_DAYS))


def campaign(
    contract: Any,
    segment: str | None,
    today: date,
    done: Iterable[Any] = (),
    settings: ScoreSettings = DEFAULT_SETTINGS,
) -> Campaign:
    """The campaign of ``contract`` as of ``today``.

    ``done`` are the contract's stored milestone records (code, occurrence, done_on, owner,
    note); ``segment`` decides the value-review rhythm (quarterly for Treasure).
    """
    start: date = contract.start_date
    end: date = contract.end_date
    anchor, basis = anchor_date(contract)
    anchor = max(anchor, start)
    term_months = max((end - start).days / MONTH_DAYS, 0.0)
    s = min(1.0, term_months / settings.full_term_months) if settings.full_term_months else 1.0
    kickoff = max(float(settings.kickoff_floor_months), settings.kickoff_months * s)

    def clamp(day: date) -> date:
        return max(day, start)

    plan: list[tuple[str, int, date]] = [("M0", 0, start)]
    interval = 3 if segment == "treasure" else 6
    reviews = (start, interval, _reviews_before(start, interval, anchor))
    plan.append(("M2", 0, start + (end - start) / 2))
    plan.append(("M3", 0, clamp(_before(anchor, kickoff))))
    for code, months in _FULL_OFFSETS.items():
        plan.append((code, 0, clamp(_before(anchor, months * s))))
    m8 = contract.market_approach_date or add_months(anchor, -3)
    plan.append(("M8", 0, clamp(min(m8, anchor))))
    plan.append(("M9", 0, anchor))
    plan.append(("M10", 0, end + timedelta(days=1)))
    notice = (
        contract.effective_notice_deadline()
        if hasattr(contract, "effective_notice_deadline")
        else _notice(contract)
    )
    if notice is not None:
        plan.append(("N", 0, clamp(notice - timedelta(days=settings.notice_lead_days))))
    if contract.extension_exercise_by is not None:
        plan.append(
            (
                "X",
                0,
                clamp(contract.extension_exercise_by - timedelta(days=settings.notice_lead_days)),
            )
        )

    records = {(r.code, r.occurrence): r for r in done}
    closed = contract.status not in LIVE
    soon = today + timedelta(days=settings.due_soon_days)
    return Campaign(contract.id, anchor, basis, plan, reviews, records, today, soon, closed)


def _reviews_before(start: date, interval: int, limit: date) -> int:
    """How many value reviews (start + k × interval months, k ≥ 1) fall before ``limit``."""
    months = (limit.year - start.year) * 12 + limit.month - start.month
    k = max(months // interval, 0)
    while k > 0 and add_months(start, interval * k) >= limit:
        k -= 1
    while add_months(start, interval * (k + 1)) < limit:
        k += 1
    return k


def _build(
    plan: list[tuple[str, int, date]],
    records: dict[tuple[str, int], Any],
    today: date,
    soon: date,
    closed: bool,
) -> tuple[MilestoneDue, ...]:
    out = []
    for code, occ, due in plan:
        rec = records.get((code, occ))
        done_on = rec.done_on if rec is not None else None
        if done_on is not None:
            status = "done"
        elif closed:
            # A closed contract has no campaign left to run: nothing can be late any more.
            status = "closed"
        elif due < today:
            status = "overdue"
        elif due <= soon:
            status = "due"
        else:
            status = "upcoming"
        label, means = MILESTONES[code]
        if code == "M1":
            label = f"{label} {occ + 1}"
        out.append(
            MilestoneDue(
                code,
                occ,
                label,
                means,
                due,
                status,
                done_on,
                getattr(rec, "owner", "") or "",
                getattr(rec, "note", "") or "",
            )
        )
    return tuple(out)


def _notice(contract: Any) -> date | None:
    if contract.notice_deadline is not None:
        return contract.notice_deadline
    if contract.notice_period_days:
        return contract.end_date - timedelta(days=contract.notice_period_days)
    return None


def _phase(plan: list[tuple[str, int, date]], today: date, closed: bool, anchor: date) -> str:
    if closed:
        return "closed"
    if today >= anchor:
        return "decided"
    due = {code: when for code, occ, when in plan if occ == 0}
    if today >= due["M8"]:
        return "procurement"
    if today >= due["M7"]:
        return "ready"
    if today >= due["M3"]:
        return "shape"
    return "deliver"


def is_near_renewal(contract: Any, today: date, settings: ScoreSettings = DEFAULT_SETTINGS) -> bool:
    """From ``renewal_lead_months`` before the anchor until the decision (or end date)."""
    if contract.status not in LIVE:
        return False
    anchor, _ = anchor_date(contract)
    stop = contract.decision_date or contract.end_date
    return add_months(anchor, -settings.renewal_lead_months) <= today <= stop
