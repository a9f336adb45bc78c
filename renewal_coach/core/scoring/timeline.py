"""The renewal campaign timeline (DOMAIN.md section 4): milestones counted back from the anchor.

anchor = earliest of (expected decision date, expected market approach − 1 month, end date).
Offsets are in months before the anchor and shrink in proportion for terms shorter than the full
term (36 months by default); kickoff never comes later than 9 months before the anchor, and no
milestone falls before the first day of the term.

A milestone due before the contract's ``tracked_since`` date (the day its campaign began to be
kept in the app) that is not done is *before tracking*: neither done nor overdue, left out of the
lateness counts and passed over by :meth:`Campaign.next_milestone`. Marked done, it is done.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, TypeVar

from ..dates import add_months as _add_months
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

#: Any record with a contract's dates, status and reference (a Contract, a stored row).
C = TypeVar("C")

#: :func:`renewal_coach.core.dates.add_months`, remembered: a portfolio's contracts share few
#: distinct dates, and each campaign moves its anchor by the same handful of months.
add_months = lru_cache(maxsize=1 << 16)(_add_months)


@lru_cache(maxsize=1024)
def _days(n: int) -> timedelta:
    """``timedelta(days=n)``, remembered: the same few lengths come up for every contract."""
    return timedelta(days=n)


PHASES = {
    "deliver": "Deliver",
    "shape": "Shape",
    "ready": "Ready",
    "procurement": "Formal procurement",
    "decided": "Decided",
    "closed": "Closed",
}

_ORDER = {code: i for i, code in enumerate(MILESTONES)}

#: Every status a milestone can have. "before_tracking": due before the contract's campaign
#: began to be kept in the app and not done; neither done nor overdue.
STATUSES = ("overdue", "due", "upcoming", "done", "before_tracking", "closed")


@dataclass(frozen=True, slots=True)
class MilestoneDue:
    """One generated milestone with its progress."""

    code: str
    occurrence: int
    label: str
    done_means: str
    due: date
    status: str  # done, overdue, due, upcoming, before_tracking, closed
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


#: The milestones other than the value reviews, in the order of :func:`due_dates`.
_CODES = ("M0", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10", "N", "X")


class Campaign:
    """A contract's campaign: anchor, milestones in date order, phase and progress.

    The milestone objects are built on first use: scoring a whole portfolio only needs the
    counts, which come straight from the due dates. A closed contract has nothing due, so even
    its due dates wait until the milestones are read.

    ``tracked_since`` is the contract's tracking baseline when it is later than the first day
    of the term, else None (then no milestone can be before tracking).
    """

    __slots__ = (
        "_dates",
        "_milestones",
        "_records",
        "_reviews",
        "_soon",
        "_source",
        "anchor",
        "anchor_basis",
        "closed",
        "contract_id",
        "due_so_far",
        "overdue_count",
        "phase",
        "today",
        "tracked_since",
    )

    def __init__(
        self,
        contract_id: str,
        anchor: date,
        anchor_basis: str,
        dates: tuple[date | None, ...] | None,
        reviews: tuple[date, int, int] | None,
        records: dict[tuple[str, int], Any],
        today: date,
        soon: date,
        closed: bool,
        source: tuple[Any, ScoreSettings, str | None] | None = None,
        tracked_since: date | None = None,
    ) -> None:
        """``dates`` are those of :func:`due_dates`. They and ``reviews`` may be None for a
        closed contract: they are then worked out from ``source`` (contract, settings,
        segment) when the milestones are first read.

        ``tracked_since`` is given only when it is later than the first day of the term (else
        nothing can fall before it): milestones due before it and not done are before
        tracking."""
        self.contract_id = contract_id
        self.tracked_since = tracked_since
        self.anchor = anchor
        self.anchor_basis = anchor_basis
        self.closed = closed
        self.today = today
        self._dates = dates
        self._reviews = reviews
        self._records = records
        self._soon = soon
        self._source = source
        self._milestones: tuple[MilestoneDue, ...] | None = None
        if closed:
            self.due_so_far = self.overdue_count = 0
            self.phase = "closed"
            return
        if dates is None or reviews is None:
            dates, reviews = self._worked_out()
        if tracked_since is not None and tracked_since > today:
            tracked_since = today  # nothing after today is late either way
        due = overdue = 0
        if tracked_since is not None:
            # Before tracking and not done: neither due nor overdue. Done: done, as ever.
            if records:
                for code, when in zip(_CODES, dates, strict=True):
                    if when is not None and when < today:
                        rec = records.get((code, 0))
                        if rec is None or rec.done_on is None:
                            if when >= tracked_since:
                                due += 1
                                overdue += 1
                        else:
                            due += 1
            else:
                for when in dates:
                    if when is not None and tracked_since <= when < today:
                        due += 1
                overdue = due
        elif records:
            for code, when in zip(_CODES, dates, strict=True):
                if when is not None and when < today:
                    due += 1
                    rec = records.get((code, 0))
                    if rec is None or rec.done_on is None:
                        overdue += 1
        else:
            for when in dates:
                if when is not None and when < today:
                    due += 1
            overdue = due
        start, interval, count = reviews
        if count:
            passed = count if today >= anchor else _reviews_before(start, interval, today)
            # reviews 0 … untracked − 1 fell before tracking began
            untracked = (
                min(passed, _reviews_before(start, interval, tracked_since))
                if tracked_since is not None
                else 0
            )
            done_before = done_reviews = 0
            if records:
                for (code, occ), rec in records.items():
                    if code == "M1" and occ < passed and rec.done_on is not None:
                        if occ < untracked:
                            done_before += 1
                        else:
                            done_reviews += 1
            due += passed - untracked + done_before
            overdue += passed - untracked - done_reviews
        self.due_so_far = due
        self.overdue_count = overdue
        if today >= dates[8]:  # M9
            self.phase = "decided"
        elif today >= dates[7]:  # M8
            self.phase = "procurement"
        elif today >= dates[6]:  # M7
            self.phase = "ready"
        elif today >= dates[2]:  # M3
            self.phase = "shape"
        else:
            self.phase = "deliver"

    def _worked_out(self) -> tuple[tuple[date | None, ...], tuple[date, int, int]]:
        if self._dates is None or self._reviews is None:
            contract, settings, segment = self._source
            start: date = contract.start_date
            self._dates = due_dates(contract, start, contract.end_date, self.anchor, settings)
            interval = _review_interval(segment)
            self._reviews = (start, interval, _reviews_before(start, interval, self.anchor))
        return self._dates, self._reviews

    @property
    def phase_label(self) -> str:
        return PHASES[self.phase]

    @property
    def milestones(self) -> tuple[MilestoneDue, ...]:
        if self._milestones is None:
            dates, reviews = self._worked_out()
            start, interval, count = reviews
            plan = [
                (code, 0, when)
                for code, when in zip(_CODES, dates, strict=True)
                if when is not None
            ]
            plan += [("M1", k - 1, add_months(start, interval * k)) for k in range(1, count + 1)]
            plan.sort(key=lambda p: (p[2], _ORDER[p[0]], p[1]))
            self._milestones = _build(
                plan, self._records, self.today, self._soon, self.closed, self.tracked_since
            )
        return self._milestones

    @property
    def overdue(self) -> tuple[MilestoneDue, ...]:
        return tuple(m for m in self.milestones if m.status == "overdue")

    @property
    def before_tracking(self) -> tuple[MilestoneDue, ...]:
        return tuple(m for m in self.milestones if m.status == "before_tracking")

    def status_counts(self) -> dict[str, int]:
        """How many milestones have each status (every status of :data:`STATUSES`, zero
        included)."""
        counts = dict.fromkeys(STATUSES, 0)
        for m in self.milestones:
            counts[m.status] += 1
        return counts

    def next_milestone(self) -> MilestoneDue | None:
        """The first overdue milestone, else the next one not done; None when all are done.
        Milestones from before tracking began are passed over."""
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
    # The earliest of the three; on a tie the first in this order wins.
    anchor: date = contract.end_date
    basis = "end date"
    decision = contract.decision_date
    if decision is not None and decision < anchor:
        anchor, basis = decision, "expected decision"
    approach = contract.market_approach_date
    if approach is not None:
        before = add_months(approach, -1)
        if before < anchor:
            anchor, basis = before, "market approach − 1 month"
    return anchor, basis


def campaign_anchor(contract: Any) -> tuple[date, str]:
    """The anchor its campaign counts back from: :func:`anchor_date`, never before the start."""
    anchor, basis = anchor_date(contract)
    return (contract.start_date if anchor < contract.start_date else anchor), basis


def next_renewal(contracts: Iterable[C], today: date) -> C | None:
    """An account's next renewal: the one definition every page, list, export and CLI uses.

    Of the live (active or renewing) contracts that end on or after ``today``, the one whose
    customer decides first (earliest campaign anchor), then the lowest reference. Its end date
    is shown as "Next renewal"; its anchor (the customer's decision, or the market approach less
    a month, or the end) is the "Decision date". None when no live contract ends from today on.
    """
    ahead = [c for c in contracts if c.status in LIVE and c.end_date >= today]
    return min(ahead, key=lambda c: (campaign_anchor(c)[0], c.reference), default=None)


def _before(anchor: date, months: float) -> date:
    if float(months).is_integer():
        return add_months(anchor, -int(months))
    return anchor - _days(round(months * MONTH_DAYS))


def _review_interval(segment: str | None) -> int:
    return 3 if segment == "treasure" else 6


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
    anchor, basis = campaign_anchor(contract)
    records = {(r.code, r.occurrence): r for r in done} if done else {}
    soon = today + _days(settings.due_soon_days)
    tracked: date | None = contract.tracked_since
    if tracked is not None and tracked <= start:
        tracked = None  # tracked from the first day: nothing falls before it
    if contract.status not in LIVE:
        source = (contract, settings, segment)
        return Campaign(
            contract.id, anchor, basis, None, None, records, today, soon, True, source, tracked
        )
    interval = _review_interval(segment)
    reviews = (start, interval, _reviews_before(start, interval, anchor))
    dates = due_dates(contract, start, contract.end_date, anchor, settings)
    return Campaign(
        contract.id, anchor, basis, dates, reviews, records, today, soon, False, None, tracked
    )


_ONE_DAY = timedelta(days=1)


def due_dates(
    contract: Any, start: date, end: date, anchor: date, settings: ScoreSettings
) -> tuple[date | None, ...]:
    """The due date of every milestone but the value reviews: M0, M2, M3 … M10, then N and X
    (None when the contract has no notice deadline or extension option).

    At full term (36 months) M4, M5, M6 and M7 fall 15, 12, 9 and 6 months before the anchor.
    """
    term_months = max((end - start).days / MONTH_DAYS, 0.0)
    s = min(1.0, term_months / settings.full_term_months) if settings.full_term_months else 1.0
    kickoff = max(float(settings.kickoff_floor_months), settings.kickoff_months * s)
    # each is moved to the first day of the term when it would fall before it
    m3 = _before(anchor, kickoff)
    m4 = _before(anchor, 15 * s)
    m5 = _before(anchor, 12 * s)
    m6 = _before(anchor, 9 * s)
    m7 = _before(anchor, 6 * s)
    # M8 on the expected market approach (else 3 months before the anchor); M9 on the expected
    # decision (else the anchor), never before M8 (DOMAIN.md section 4). When the anchor is set
    # by the market approach (a month before it), the procurement still runs past the anchor.
    m8 = contract.market_approach_date or add_months(anchor, -3)
    m9 = contract.decision_date or anchor
    if m9 < m8:
        m9 = m8
    notice = (
        contract.effective_notice_deadline()
        if hasattr(contract, "effective_notice_deadline")
        else _notice(contract)
    )
    n = x = None
    if notice is not None:
        n = notice - _days(settings.notice_lead_days)
        if n < start:
            n = start
    if contract.extension_exercise_by is not None:
        x = contract.extension_exercise_by - _days(settings.notice_lead_days)
        if x < start:
            x = start
    return (
        start,
        start + (end - start) / 2,
        m3 if m3 > start else start,
        m4 if m4 > start else start,
        m5 if m5 > start else start,
        m6 if m6 > start else start,
        m7 if m7 > start else start,
        m8 if m8 > start else start,
        m9 if m9 > start else start,
        end + _ONE_DAY,
        n,
        x,
    )


def _reviews_before(start: date, interval: int, limit: date) -> int:
    """How many value reviews (start + k × interval months, k ≥ 1) fall before ``limit``.

    ``add_months(start, n)`` lands in the n-th month after ``start``'s, so it is before
    ``limit`` when that month is earlier than ``limit``'s, or is ``limit``'s month with the
    (clamped) day earlier than ``limit``'s day.
    """
    months = (limit.year - start.year) * 12 + limit.month - start.month
    if months <= 0:
        return 0
    k = (months - 1) // interval
    if months % interval == 0:
        day = start.day
        if day > 28:
            day = min(day, _month_length(limit.year, limit.month))
        if day < limit.day:
            k += 1
    return k


def _month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _build(
    plan: list[tuple[str, int, date]],
    records: dict[tuple[str, int], Any],
    today: date,
    soon: date,
    closed: bool,
    tracked_since: date | None = None,
) -> tuple[MilestoneDue, ...]:
    out = []
    # Not done and due before both tracking began and today: before tracking, not overdue.
    untracked = min(tracked_since, today) if tracked_since is not None else None
    for code, occ, due in plan:
        rec = records.get((code, occ))
        done_on = rec.done_on if rec is not None else None
        if done_on is not None:
            status = "done"
        elif closed:
            # A closed contract has no campaign left to run: nothing can be late any more.
            status = "closed"
        elif untracked is not None and due < untracked:
            status = "before_tracking"
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
        return contract.end_date - _days(contract.notice_period_days)
    return None


def is_near_renewal(contract: Any, today: date, settings: ScoreSettings = DEFAULT_SETTINGS) -> bool:
    """From ``renewal_lead_months`` before the anchor until the decision (or end date)."""
    if contract.status not in LIVE:
        return False
    anchor, _ = anchor_date(contract)
    stop = contract.decision_date or contract.end_date
    return add_months(anchor, -settings.renewal_lead_months) <= today <= stop
