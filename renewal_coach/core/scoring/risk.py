"""Renewal risk (DOMAIN.md 3.3): ten weighted factors, 0–100 where higher is worse.

Unknown inputs count as 0.5 and lower the confidence (the share of factors with real data).
Within 12 months of the anchor, three situations hold the band at Elevated or worse whatever the
score: no known or recently contacted economic buyer, a serious concern the customer can see, a
tender mandate or scope change we have not answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import partial
from operator import mul
from typing import Any

from ..dates import show_day
from ..enums import Attitude, BuyingRole, ChangeKind, ImprovementStatus, Influence, Party, Segment
from ..settings import DEFAULT_SETTINGS, ScoreSettings
from ..text import plural
from .data import AccountData
from .result import Explanation, FactorRow, Flag, ScoreResult, clamp01
from .timeline import Campaign, add_months

BANDS = {"low": "Low", "guarded": "Guarded", "elevated": "Elevated", "high": "High"}
_ORDER = ("low", "guarded", "elevated", "high")

LABELS = {
    "lateness": "Campaign lateness",
    "delivery": "Delivery",
    "coverage": "Stakeholder coverage",
    "opposition": "Opposition",
    "evidence": "Evidence gap",
    "future": "Future gap",
    "change": "Change exposure",
    "market": "Market test",
    "complacency": "Complacency",
    "commercial": "Commercial position",
}

ADVICE = {
    "lateness": "Catch up the overdue campaign milestones, oldest first.",
    "delivery": "Agree a recovery plan for missed KPIs and serious concerns, and show progress.",
    "coverage": "Meet the key people you have not spoken with in the last three months.",
    "opposition": "Find out what the sceptics need to see, and ask rather than pitch.",
    "evidence": "Ask the customer to validate the value delivered, in their own numbers.",
    "future": "Answer each confirmed customer goal with an improvement or an idea.",
    "change": "Talk through each recent change with the people it affects.",
    "market": "Learn how they will buy, and shape the scope before the route is fixed.",
    "complacency": "Propose something new for their future, deliver it, get it acknowledged.",
    "commercial": "Test the price against the market before they do.",
}

ATTITUDE_VALUE = {
    Attitude.CHAMPION: 0.0,
    Attitude.SUPPORTER: 0.25,
    Attitude.NEUTRAL: 0.5,
    Attitude.UNKNOWN: 0.5,
    Attitude.SCEPTIC: 0.75,
    Attitude.OPPONENT: 1.0,
}
INFLUENCE_WEIGHT = {Influence.HIGH: 3.0, Influence.MEDIUM: 2.0, Influence.LOW: 1.0}

#: Contact that is a real conversation both ways (or any contact the customer started).
TWO_WAY = {"executive_review", "workshop", "meeting", "call", "escalation", "hospitality"}


def band_for(score: float, settings: ScoreSettings = DEFAULT_SETTINGS) -> str:
    if score >= settings.risk_high_from:
        return "high"
    if score >= settings.risk_elevated_from:
        return "elevated"
    if score >= settings.risk_guarded_from:
        return "guarded"
    return "low"


def _for_contract(rows: Sequence[Any], contract_id: str) -> list[Any]:
    return [r for r in rows if r.contract_id in (None, contract_id)]


class PeopleFacts:
    """Readings about the account's people, the same for each of its contracts.

    ``coverage`` and ``opposition`` are the normalised factors (coverage is always known,
    opposition only when someone's attitude is); the words behind them are built on demand.
    """

    __slots__ = (
        "_memo",
        "as_of",
        "buyer_seen",
        "buyers",
        "coverage",
        "opposition",
        "opposition_known",
        "words",
    )

    def __init__(
        self,
        coverage: float,
        opposition: float,
        opposition_known: bool,
        buyers: list[Any],
        seen: bool,
        words: tuple[int, int, int, int, int, bool],
        as_of: tuple[date, int],
    ):
        self.coverage = coverage
        self.opposition = opposition
        self.opposition_known = opposition_known
        self.buyers = buyers
        self.buyer_seen = seen
        #: covered, key people, coverage days, people, sceptics, any attitude known
        self.words = words
        #: the day and coverage window ``buyer_seen`` was read for
        self.as_of = as_of
        #: readings of the account's other records, shared by its contracts (see _readings)
        self._memo: tuple[AccountData | None, frozenset[str], dict[Any, _Readings]] = (
            None,
            frozenset(),
            {},
        )

    def texts(self) -> tuple[str, str]:
        """The coverage and opposition readings in words."""
        return _people_texts(self.words)

    @property
    def rows(self) -> list[tuple[str, str, float, bool]]:
        """(key, input, normalised, known) for coverage and opposition."""
        coverage, opposition = self.texts()
        return [
            ("coverage", coverage, self.coverage, True),
            ("opposition", opposition, self.opposition, self.opposition_known),
        ]


def _people_texts(words: tuple[int, int, int, int, int, bool]) -> tuple[str, str]:
    covered, key, days, people, sceptics, attitudes = words
    coverage = (
        f"{covered} of {key} key people in two-way contact in {days} days with a known attitude"
        if key
        else "no key people recorded"
    )
    opposition = (
        f"influence-weighted attitude of {people} people; {sceptics} sceptic or opposed"
        if attitudes
        else "no attitudes recorded"
    )
    return coverage, opposition


_KEY_INFLUENCE = (Influence.HIGH.value, Influence.MEDIUM.value)
_BUYER = BuyingRole.ECONOMIC_BUYER.value
_UNKNOWN_ATTITUDE = Attitude.UNKNOWN.value
_OPPOSED = (Attitude.SCEPTIC.value, Attitude.OPPONENT.value)
_CUSTOMER = Party.CUSTOMER.value
_ACK = ImprovementStatus.ACKNOWLEDGED.value
_DELIVERED = ImprovementStatus.DELIVERED.value
_COMPETITOR = ChangeKind.COMPETITOR_ENGAGED.value
_TENDER_OR_SCOPE = (ChangeKind.TENDER_MANDATED.value, ChangeKind.SCOPE_CHANGE.value)
_TREASURE = Segment.TREASURE.value
_KEYS = tuple(LABELS)


def people_facts(
    data: AccountData,
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
    *,
    contacts: Sequence[Any] | None = None,
) -> PeopleFacts:
    """Coverage and opposition readings and the economic-buyer state for one account.

    ``contacts`` are the account's interactions within the coverage window, when the caller
    has them already (read from ``data`` otherwise).
    """
    days = settings.coverage_window_days
    people = []  # still in their role
    key = []
    buyers = []
    attitudes = False
    sceptics = 0
    for p in data.stakeholders:
        if p.left_on is not None and p.left_on <= today:
            continue
        people.append(p)
        if p.buying_role == _BUYER:
            key.append(p)
            buyers.append(p)
        elif p.influence in _KEY_INFLUENCE:
            key.append(p)
        if p.attitude != _UNKNOWN_ATTITUDE:
            attitudes = True
            if p.attitude in _OPPOSED:
                sceptics += 1

    # who was in any contact, and in two-way contact, within the coverage window
    seen: set[str] = set()
    talked: set[str] = set()
    if key:
        if contacts is None:
            since = today - timedelta(days=days)
            contacts = [r for r in data.interactions if since < r.occurred_on <= today]
        for r in contacts:
            ids = r.stakeholder_ids
            if ids:
                seen.update(ids)
                if r.type in TWO_WAY or r.initiated_by == _CUSTOMER:
                    talked.update(ids)

    # stakeholder coverage
    covered = 0
    if key:
        total = sum(INFLUENCE_WEIGHT[p.influence] for p in key)
        in_touch = [p for p in key if p.id in talked and p.attitude != _UNKNOWN_ATTITUDE]
        covered = len(in_touch)
        coverage = 1 - sum(INFLUENCE_WEIGHT[p.influence] for p in in_touch) / total
    else:
        coverage = 1.0

    # opposition
    if attitudes:
        weights = [INFLUENCE_WEIGHT[p.influence] for p in people]
        values = [ATTITUDE_VALUE[p.attitude] for p in people]
        opposition = sum(w * v for w, v in zip(weights, values, strict=True)) / sum(weights)
    else:
        opposition = 0.5

    return PeopleFacts(
        coverage,
        opposition,
        attitudes,
        buyers,
        any(b.id in seen for b in buyers),
        (covered, len(key), days, len(people), sceptics, attitudes),
        (today, days),
    )


#: old serious concerns, validated evidence, answered and confirmed goals, recent change
#: events, competitor engaged, complacency stage (0 acknowledged … 3 nothing), acknowledged
_Readings = tuple[int, int, int, int, int, bool, int, int]


def _readings(
    data: AccountData, contract_id: str, today: date, year_ago: date, concern_age: int
) -> _Readings:
    """What the risk reads from the account's records that apply to one contract: its own and
    the account-wide ones (no contract)."""
    mine = (None, contract_id)
    old_serious = 0
    for c in data.concerns:
        if (
            c.contract_id in mine
            and c.severity == 1
            and c.resolved_on is None
            and (today - c.opened_on).days > concern_age
        ):
            old_serious += 1

    validated = 0
    for e in data.evidence:
        if (
            e.contract_id in mine
            and e.validated_by_id
            and e.validated_on
            and e.validated_on > year_ago
        ):
            validated += 1

    confirmed = sorted(
        (g for g in data.goals if g.contract_id in mine and g.confirmed_by_id and g.confirmed_on),
        key=lambda g: (g.priority, g.statement.lower()),
    )[:3]
    answered = 0
    if confirmed:
        answered_ids = {i.goal_id for i in data.improvements if i.goal_id}
        answered = sum(
            1 for g in confirmed if (g.our_response or "").strip() or g.id in answered_ids
        )

    changes = 0
    competitor = False
    for e in data.changes:
        if e.contract_id in mine and e.occurred_on > year_ago:
            changes += 1
            if e.kind == _COMPETITOR:
                competitor = True

    acknowledged = 0
    delivered = recent = False
    for i in data.improvements:
        if i.contract_id in mine and (
            max(
                (d for d in (i.proposed_on, i.delivered_on, i.acknowledged_on) if d is not None),
                default=date.min,
            )
            > year_ago
        ):
            recent = True
            if i.status == _ACK or i.acknowledged_on:
                acknowledged += 1
            if i.status == _DELIVERED or i.delivered_on:
                delivered = True
    stage = 0 if acknowledged else 1 if delivered else 2 if recent else 3
    return (
        old_serious,
        validated,
        answered,
        len(confirmed),
        changes,
        competitor,
        stage,
        acknowledged,
    )


def _shared_readings(
    data: AccountData,
    contract_id: str,
    today: date,
    year_ago: date,
    concern_age: int,
    facts: PeopleFacts,
) -> _Readings:
    """:func:`_readings`, worked out once per account for the contracts that have no records of
    their own (they all read the same account-wide records), remembered in ``facts``."""
    owner, named, memo = facts._memo
    if owner is not data:
        named = frozenset(
            r.contract_id
            for rows in (data.concerns, data.evidence, data.goals, data.changes, data.improvements)
            for r in rows
            if r.contract_id is not None
        )
        memo = {}
        facts._memo = (data, named, memo)
    key = (contract_id if contract_id in named else None, today, concern_age)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _readings(data, contract_id, today, year_ago, concern_age)
    return found


_last_weights: tuple[ScoreSettings | None, tuple[float, ...]] = (None, ())


def _weights(settings: ScoreSettings) -> tuple[float, ...]:
    """The risk weights as shares of their total, in factor order.

    Remembered for the last settings object seen (settings are frozen): a portfolio is scored
    with one settings object, and every contract needs the ten shares.
    """
    global _last_weights
    last = _last_weights
    if last[0] is not settings:
        total_w = sum(settings.risk_weights.values())
        last = (settings, tuple(settings.risk_weights[k] / total_w for k in _KEYS))
        _last_weights = last
    return last[1]


def renewal_risk(
    data: AccountData,
    contract: Any,
    camp: Campaign,
    segment: str,
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
    facts: PeopleFacts | None = None,
) -> ScoreResult:
    """The renewal risk of one contract of the account in ``data``.

    ``facts`` are the account-wide readings about people (shared by every contract of the
    account); they are computed when not given. The factor table, details and advice are
    built when first read (:meth:`ScoreResult.deferred`).
    """
    year_ago = add_months(today, -12)
    cid = contract.id

    # campaign lateness
    due = camp.due_so_far
    late = camp.overdue_count
    lateness = late / due if due else 0.0

    # the account's records that apply to this contract
    concern_age = settings.concern_age_days
    if facts is None:
        facts = people_facts(data, today, settings)
        found = _readings(data, cid, today, year_ago, concern_age)
    else:
        found = _shared_readings(data, cid, today, year_ago, concern_age, facts)
    (old_serious, validated, answered, confirmed, changes, competitor, stage, acknowledged) = found

    # delivery
    penalty = settings.concern_penalty * old_serious
    kpis_total = contract.kpis_total
    met = 0
    if kpis_total:
        met = contract.kpis_met or 0
        base = 1 - met / kpis_total
        kpis_known = contract.kpis_met is not None
        if not kpis_known:
            base = 0.5
    else:
        base, kpis_known = 0.5, False
    delivery = clamp01(base + penalty)
    delivery_known = kpis_known or bool(old_serious)

    # evidence gap
    target = (
        settings.evidence_target_treasure
        if segment == _TREASURE
        else settings.evidence_target_other
    )
    evidence = 1 - min(1.0, validated / target) if target else 0.0

    # future gap
    future = 1 - answered / confirmed if confirmed else 1.0

    # change exposure
    change = min(1.0, changes / settings.change_event_cap)

    # market test
    route = str(contract.procurement_route)
    exposure = float(settings.route_exposure.get(route, settings.route_exposure["unknown"]))
    market = clamp01(exposure + (settings.competitor_bonus if competitor else 0))

    # complacency
    complacency = _COMPLACENCY[stage][0]

    # commercial position
    gap = None if contract.price_gap_pct is None else float(contract.price_gap_pct)
    commercial = 0.5 if gap is None else clamp01(gap / settings.price_gap_scale_pct)

    norms = (
        lateness,
        delivery,
        facts.coverage,
        facts.opposition,
        evidence,
        future,
        change,
        market,
        complacency,
        commercial,
    )
    known = (
        True,
        delivery_known,
        True,
        facts.opposition_known,
        True,
        True,
        True,
        route != "unknown",
        True,
        gap is not None,
    )
    weights = _weights(settings)
    contributions = tuple(map(mul, map(_TIMES_100, norms), weights))  # 100 × norm × weight
    score = sum(contributions)
    band = score_band = band_for(score, settings)
    floors = hard_floors(data, contract, camp, today, settings, facts)
    floored = False
    if floors and band in _BELOW_ELEVATED:
        band = "elevated"
        floored = True
    words = (
        late,
        due,
        met,
        kpis_total,
        kpis_known,
        old_serious,
        concern_age,
        facts.words,
        validated,
        target,
        answered,
        confirmed,
        changes,
        route,
        competitor,
        stage,
        acknowledged,
        gap,
        contract.reference,
        contract.title,
        camp.anchor,
        camp.anchor_basis,
        score,
        floored,
    )
    return ScoreResult.deferred(
        "risk",
        score,
        band,
        BANDS[band],
        _explain,
        (norms, weights, words),
        confidence=sum(known) / len(norms),
        settings_version=settings.version,
        flags=floors,
        extra={"contract_id": cid, "floored": floored, "score_band": score_band},
    )


_TIMES_100 = partial(mul, 100)
_BELOW_ELEVATED = _ORDER[: _ORDER.index("elevated")]

_COMPLACENCY = (
    (0.0, ""),
    (0.25, "improvements delivered but not yet acknowledged"),
    (0.5, "improvements proposed, none delivered yet"),
    (1.0, "no improvement proposed in 12 months"),
)


def _explain(
    norms: tuple[float, ...], weights: tuple[float, ...], words: tuple[Any, ...]
) -> Explanation:
    """The factor table, missing inputs, details and advice of a renewal risk (worked out
    again from what :func:`renewal_risk` kept: the same arithmetic gives the same numbers)."""
    (
        late,
        due,
        met,
        kpis_total,
        kpis_known,
        old_serious,
        concern_age,
        people_words,
        validated,
        target,
        answered,
        confirmed,
        changes,
        route,
        competitor,
        stage,
        acknowledged,
        gap,
        reference,
        title,
        anchor,
        anchor_basis,
        score,
        floored,
    ) = words
    known = (
        True,
        kpis_known or bool(old_serious),
        True,
        people_words[5],  # any attitude known
        True,
        True,
        True,
        route != "unknown",
        True,
        gap is not None,
    )
    contributions = tuple(map(mul, map(_TIMES_100, norms), weights))
    delivery = f"{met} of {kpis_total} KPIs met" if kpis_known else "KPI results not recorded"
    if old_serious:
        delivery += "; " + plural(
            old_serious,
            f"{{n}} serious concern open over {concern_age} days",
            f"{{n}} serious concerns open over {concern_age} days",
        )
    coverage, opposition = _people_texts(people_words)
    texts = (
        f"{late} of {due} milestones due so far are overdue" if due else "no milestone due yet",
        delivery,
        coverage,
        opposition,
        plural(
            validated,
            f"{{n}} item validated by the customer in 12 months (target {target})",
            f"{{n}} items validated by the customer in 12 months (target {target})",
        ),
        plural(
            confirmed,
            f"{answered} of the top confirmed goal has our response",
            f"{answered} of the top {{n}} confirmed goals have our response",
        )
        if confirmed
        else "no goal confirmed by the customer",
        plural(changes, "{n} change event in 12 months", "{n} change events in 12 months"),
        f"route: {route.replace('_', ' ')}" + (" + competitor active" if competitor else ""),
        plural(
            acknowledged,
            "{n} improvement acknowledged by the customer",
            "{n} improvements acknowledged by the customer",
        )
        if stage == 0
        else _COMPLACENCY[stage][1],
        "price not tested against the market"
        if gap is None
        else f"price {gap:+g}% against the market reference",
    )
    factors = tuple(
        FactorRow(k, LABELS[k], t, n, w, c, kn)
        for k, t, n, w, c, kn in zip(
            _KEYS, texts, norms, weights, contributions, known, strict=True
        )
    )
    top = sorted((f for f in factors if f.contribution > 0), key=lambda f: -f.contribution)[:3]
    details = (
        ("Contract", f"{reference}: {title}"),
        ("Anchor date", f"{show_day(anchor)} ({anchor_basis})"),
        ("Score", f"{score:.1f} of 100" + (" (band held at Elevated)" if floored else "")),
    )
    return (
        factors,
        tuple(f.label for f in factors if not f.known),
        details,
        tuple(ADVICE[f.key] for f in top),
    )


def hard_floors(
    data: AccountData,
    contract: Any,
    camp: Campaign,
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
    facts: PeopleFacts | None = None,
) -> tuple[Flag, ...]:
    """The situations that hold the band at Elevated within 12 months of the anchor."""
    if (
        camp.closed
        or today > camp.anchor
        or add_months(camp.anchor, -settings.floor_months) > today
    ):
        return ()
    if facts is None or facts.as_of != (today, settings.coverage_window_days):
        facts = people_facts(data, today, settings)
    out = []
    buyers = facts.buyers
    if not buyers:
        out.append(
            Flag(
                "buyer_unknown",
                "Economic buyer unknown",
                "Nobody is recorded as the economic buyer",
            )
        )
    elif not facts.buyer_seen:
        names = ", ".join(b.name for b in buyers)
        out.append(
            Flag(
                "buyer_uncontacted",
                "Economic buyer not contacted",
                f"No contact with {names} in {settings.coverage_window_days} days",
            )
        )
    visible = [
        c
        for c in _for_contract(data.concerns, contract.id)
        if c.severity == 1 and c.resolved_on is None and c.visible_to_customer
    ]
    if visible:
        out.append(
            Flag(
                "serious_concern",
                "Serious concern visible to the customer",
                plural(
                    len(visible),
                    "{n} open severity-1 concern the customer can see",
                    "{n} open severity-1 concerns the customer can see",
                ),
            )
        )
    unanswered = [
        e
        for e in _for_contract(data.changes, contract.id)
        if e.kind in _TENDER_OR_SCOPE and not (e.response or "").strip() and e.responded_on is None
    ]
    if unanswered:
        kinds = sorted({ChangeKind(str(e.kind)).label.lower() for e in unanswered})
        out.append(
            Flag(
                "unanswered_change",
                "Change without a response",
                f"No response yet to: {', '.join(kinds)}",
            )
        )
    return tuple(out)
