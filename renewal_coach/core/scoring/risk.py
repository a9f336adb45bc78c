"""Renewal risk (DOMAIN.md 3.3): ten weighted factors, 0–100 where higher is worse.

Unknown inputs count as 0.5 and lower the confidence (the share of factors with real data).
Within 12 months of the anchor, three situations hold the band at Elevated or worse whatever the
score: no known or recently contacted economic buyer, a serious concern the customer can see, a
tender mandate or scope change we have not answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from ..dates import add_months
from ..enums import Attitude, BuyingRole, ChangeKind, ImprovementStatus, Influence, Party, Segment
from ..settings import DEFAULT_SETTINGS, ScoreSettings
from .data import AccountData
from .result import FactorRow, Flag, ScoreResult, clamp01
from .timeline import Campaign

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


def _current(people: Sequence[Any], today: date) -> list[Any]:
    return [p for p in people if p.left_on is None or p.left_on > today]


def _for_contract(rows: Sequence[Any], contract_id: str) -> list[Any]:
    return [r for r in rows if r.contract_id in (None, contract_id)]


def _recent_two_way(data: AccountData, today: date, days: int) -> set[str]:
    since = today - timedelta(days=days)
    out: set[str] = set()
    for r in data.interactions:
        if since < r.occurred_on <= today and (r.type in TWO_WAY or r.initiated_by == _CUSTOMER):
            out.update(r.stakeholder_ids)
    return out


class PeopleFacts:
    """Readings about the account's people, the same for each of its contracts."""

    __slots__ = ("buyer_seen", "buyers", "rows")

    def __init__(self, rows: list[tuple[str, str, float, bool]], buyers: list[Any], seen: bool):
        self.rows = rows
        self.buyers = buyers
        self.buyer_seen = seen


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


def people_facts(
    data: AccountData, today: date, settings: ScoreSettings = DEFAULT_SETTINGS
) -> PeopleFacts:
    """Coverage and opposition rows and the economic-buyer state for one account."""
    rows: list[tuple[str, str, float, bool]] = []
    # stakeholder coverage
    people = _current(data.stakeholders, today)
    key = [p for p in people if p.influence in _KEY_INFLUENCE or p.buying_role == _BUYER]
    talked = _recent_two_way(data, today, settings.coverage_window_days)
    if key:
        total = sum(INFLUENCE_WEIGHT[p.influence] for p in key)
        covered = [p for p in key if p.id in talked and p.attitude != _UNKNOWN_ATTITUDE]
        share = sum(INFLUENCE_WEIGHT[p.influence] for p in covered) / total
        rows.append(
            (
                "coverage",
                f"{len(covered)} of {len(key)} key people in two-way contact in "
                f"{settings.coverage_window_days} days with a known attitude",
                1 - share,
                True,
            )
        )
    else:
        rows.append(("coverage", "no key people recorded", 1.0, True))

    # opposition
    known_att = [p for p in people if p.attitude != _UNKNOWN_ATTITUDE]
    if known_att:
        weights = [INFLUENCE_WEIGHT[p.influence] for p in people]
        values = [ATTITUDE_VALUE[p.attitude] for p in people]
        score = sum(w * v for w, v in zip(weights, values, strict=True)) / sum(weights)
        sceptics = sum(1 for p in people if p.attitude in _OPPOSED)
        rows.append(
            (
                "opposition",
                f"influence-weighted attitude of {len(people)} people; "
                f"{sceptics} sceptic or opposed",
                score,
                True,
            )
        )
    else:
        rows.append(("opposition", "no attitudes recorded", 0.5, False))

    buyers = [p for p in people if p.buying_role == _BUYER]
    since = today - timedelta(days=settings.coverage_window_days)
    seen = {
        s for r in data.interactions if since < r.occurred_on <= today for s in r.stakeholder_ids
    }
    return PeopleFacts(rows, buyers, any(b.id in seen for b in buyers))


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
    account); they are computed when not given.
    """
    year_ago = add_months(today, -12)
    rows: list[tuple[str, str, float, bool]] = []  # key, input, normalised, known

    # campaign lateness
    due = camp.due_so_far
    late = camp.overdue_count
    if due:
        rows.append(
            ("lateness", f"{late} of {due} milestones due so far are overdue", late / due, True)
        )
    else:
        rows.append(("lateness", "no milestone due yet", 0.0, True))

    # delivery
    concerns = _for_contract(data.concerns, contract.id)
    old_serious = [
        c
        for c in concerns
        if c.severity == 1
        and c.resolved_on is None
        and (today - c.opened_on).days > settings.concern_age_days
    ]
    penalty = settings.concern_penalty * len(old_serious)
    if contract.kpis_total:
        met = contract.kpis_met or 0
        base = 1 - met / contract.kpis_total
        text = f"{met} of {contract.kpis_total} KPIs met"
        known = contract.kpis_met is not None
        if not known:
            base, text = 0.5, "KPI results not recorded"
    else:
        base, text, known = 0.5, "KPI results not recorded", False
    if old_serious:
        text += (
            f"; {len(old_serious)} serious concern(s) open over {settings.concern_age_days} days"
        )
    rows.append(("delivery", text, clamp01(base + penalty), known or bool(old_serious)))

    if facts is None:
        facts = people_facts(data, today, settings)
    rows.extend(facts.rows)

    # evidence gap
    target = (
        settings.evidence_target_treasure
        if segment == _TREASURE
        else settings.evidence_target_other
    )
    validated = [
        e
        for e in _for_contract(data.evidence, contract.id)
        if e.validated_by_id and e.validated_on and e.validated_on > year_ago
    ]
    rows.append(
        (
            "evidence",
            f"{len(validated)} item(s) validated by the customer in 12 months (target {target})",
            1 - min(1.0, len(validated) / target) if target else 0.0,
            True,
        )
    )

    # future gap
    confirmed = sorted(
        (g for g in _for_contract(data.goals, contract.id) if g.confirmed_by_id and g.confirmed_on),
        key=lambda g: (g.priority, g.statement.lower()),
    )[:3]
    if confirmed:
        answered_ids = {i.goal_id for i in data.improvements if i.goal_id}
        answered = [g for g in confirmed if (g.our_response or "").strip() or g.id in answered_ids]
        rows.append(
            (
                "future",
                f"{len(answered)} of the top {len(confirmed)} confirmed goals have our response",
                1 - len(answered) / len(confirmed),
                True,
            )
        )
    else:
        rows.append(("future", "no goal confirmed by the customer", 1.0, True))

    # change exposure
    changes = [e for e in _for_contract(data.changes, contract.id) if e.occurred_on > year_ago]
    rows.append(
        (
            "change",
            f"{len(changes)} change event(s) in 12 months",
            min(1.0, len(changes) / settings.change_event_cap),
            True,
        )
    )

    # market test
    route = str(contract.procurement_route)
    exposure = float(settings.route_exposure.get(route, settings.route_exposure["unknown"]))
    competitor = any(e.kind == _COMPETITOR for e in changes)
    route_label = route.replace("_", " ")
    rows.append(
        (
            "market",
            f"route: {route_label}" + (" + competitor active" if competitor else ""),
            clamp01(exposure + (settings.competitor_bonus if competitor else 0)),
            route != "unknown",
        )
    )

    # complacency
    recent = [
        i
        for i in _for_contract(data.improvements, contract.id)
        if max(
            (d for d in (i.proposed_on, i.delivered_on, i.acknowledged_on) if d is not None),
            default=date.min,
        )
        > year_ago
    ]
    acknowledged = [i for i in recent if i.status == _ACK or i.acknowledged_on]
    delivered = [i for i in recent if i.status == _DELIVERED or i.delivered_on]
    if acknowledged:
        rows.append(
            (
                "complacency",
                f"{len(acknowledged)} improvement(s) acknowledged by the customer",
                0.0,
                True,
            )
        )
    elif delivered:
        rows.append(("complacency", "improvements delivered but not yet acknowledged", 0.25, True))
    elif recent:
        rows.append(("complacency", "improvements proposed, none delivered yet", 0.5, True))
    else:
        rows.append(("complacency", "no improvement proposed in 12 months", 1.0, True))

    # commercial position
    if contract.price_gap_pct is not None:
        gap = float(contract.price_gap_pct)
        rows.append(
            (
                "commercial",
                f"price {gap:+g}% against the market reference",
                clamp01(gap / settings.price_gap_scale_pct),
                True,
            )
        )
    else:
        rows.append(("commercial", "price not tested against the market", 0.5, False))

    total_w = sum(settings.risk_weights.values())
    factors = []
    for key_, text, norm, known in rows:
        w = settings.risk_weights[key_] / total_w
        factors.append(FactorRow(key_, LABELS[key_], text, norm, w, 100 * norm * w, known))
    score = sum(f.contribution for f in factors)
    band = band_for(score, settings)
    floors = hard_floors(data, contract, camp, today, settings, facts)
    floored = False
    if floors and _ORDER.index(band) < _ORDER.index("elevated"):
        band = "elevated"
        floored = True
    missing = tuple(f.label for f in factors if not f.known)
    top = sorted((f for f in factors if f.contribution > 0), key=lambda f: -f.contribution)[:3]
    return ScoreResult(
        kind="risk",
        score=score,
        band=band,
        band_label=BANDS[band],
        factors=tuple(factors),
        missing=missing,
        confidence=sum(1 for f in factors if f.known) / len(factors),
        settings_version=settings.version,
        flags=floors,
        details=(
            ("Contract", f"{contract.reference}: {contract.title}"),
            ("Anchor date", f"{camp.anchor.isoformat()} ({camp.anchor_basis})"),
            ("Score", f"{score:.1f} of 100" + (" (band held at Elevated)" if floored else "")),
        ),
        advice=tuple(ADVICE[f.key] for f in top),
        extra={
            "contract_id": contract.id,
            "floored": floored,
            "score_band": band_for(score, settings),
        },
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
    if camp.closed or not (add_months(camp.anchor, -settings.floor_months) <= today <= camp.anchor):
        return ()
    if facts is None:
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
    else:
        since = today - timedelta(days=settings.coverage_window_days)
        seen = {
            s
            for r in data.interactions
            if since < r.occurred_on <= today
            for s in r.stakeholder_ids
        }
        if not any(b.id in seen for b in buyers):
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
                f"{len(visible)} open severity-1 concern(s) the customer can see",
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
