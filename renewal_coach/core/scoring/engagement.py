"""Engagement balance (DOMAIN.md 3.2): neglect ↔ proportionate ↔ intense ↔ obsessive, and flags.

Intensity I = contact points in the window ÷ the window in months (90 days = 3 months).
Target T per month comes from the segment (× 1.5 from 18 months before the anchor until the
decision) unless the customer told us how often they want to hear from us: then T = one contact
per stated cadence (30.44 ÷ cadence days per month). Balance B = I ÷ T.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import Any

from ..dates import show_day
from ..enums import InteractionType, Party, Segment
from ..settings import DEFAULT_SETTINGS, ScoreSettings
from .data import AccountData
from .result import Explanation, FactorRow, Flag, ScoreResult
from .timeline import LIVE, MONTH_DAYS, anchor_date, is_near_renewal

BANDS = {
    "neglect": "Neglect",
    "proportionate": "Proportionate",
    "intense": "Intense",
    "obsessive": "Obsessive",
}

FLAGS = {
    "noise": "Noise",
    "survey_fatigue": "Survey fatigue",
    "fear_concession": "Fear concession",
    "pitch_heavy": "Pitch heavy",
    "single_thread": "Single thread",
    "intrusive": "Intrusive",
    "probity": "Probity",
}

_TENDER_ROUTES = ("selective_tender", "open_tender", "panel")
_TYPES = tuple(InteractionType)
_CUSTOMER = Party.CUSTOMER.value
_SURVEY = InteractionType.FEEDBACK_REQUEST.value
_PITCH = InteractionType.SALES_PITCH.value
_CLARIFY = InteractionType.TENDER_CLARIFICATION.value

_ADVICE = {
    "neglect": "Book a conversation about their plans for the next year, not a status update.",
    "proportionate": "Keep the rhythm; make each contact about their goals and value delivered.",
    "intense": "Check every planned contact has a purpose the customer would recognise.",
    "obsessive": "Pause and space out contact: fewer, better conversations, led by their agenda.",
}
_FLAG_ADVICE = {
    "noise": "Give every contact a purpose and something of value for them, or drop it.",
    "survey_fatigue": "Stop surveying; act on the last answers and ask in a review instead.",
    "fear_concession": "Hold concessions until they are asked for and traded for something.",
    "pitch_heavy": "Swap pitches for conversations about their goals.",
    "single_thread": "Build relationships beyond one person: the decision maker above all.",
    "intrusive": "Respect the cadence each person asked for.",
    "probity": "Use only the formal tender channel until the decision is announced.",
}


def band_for(
    balance: float,
    customer_led: bool,
    settings: ScoreSettings = DEFAULT_SETTINGS,
    our_balance: float | None = None,
) -> str:
    """The band of a balance.

    Obsessive needs the contact *we* started to pass the line on its own (``our_balance``,
    the same as ``balance`` when not given) and the customer to have started less than half of
    it; otherwise the band stops at Intense. So contact the customer starts never tips an
    account into Obsessive.
    """
    if balance < settings.neglect_below:
        return "neglect"
    if balance <= settings.intense_above:
        return "proportionate"
    ours = balance if our_balance is None else our_balance
    if balance <= settings.obsessive_above or customer_led or ours <= settings.obsessive_above:
        return "intense"
    return "obsessive"


def _current(people: Sequence[Any], today: date) -> list[Any]:
    return [p for p in people if p.left_on is None or p.left_on > today]


def _within(rows: Sequence[Any], today: date, days: int) -> list[Any]:
    since = today - timedelta(days=days)
    return [r for r in rows if since < r.occurred_on <= today]


#: Segment value to its label (``Segment(value).label``), read once.
_SEGMENT_LABELS = {m.value: m.label for m in Segment}


def target_per_month(
    data: AccountData, segment: str, today: date, settings: ScoreSettings = DEFAULT_SETTINGS
) -> tuple[float, str]:
    """The target contact points per month and where it came from, in words a person can
    redo by hand: the segment's target, the renewal run-up (× 1.5, with the contract and its
    anchor date) or the rhythm the customer asked for."""
    cadence = data.account.contact_cadence_days
    if cadence:
        target = MONTH_DAYS / cadence
        return (
            target,
            f"their stated rhythm: one contact every {cadence} days, "
            f"{MONTH_DAYS:g} ÷ {cadence} = {target:.2f} a month (replaces the segment target)",
        )
    base = float(settings.segment_targets.get(str(segment), settings.segment_targets["unrated"]))
    label = _SEGMENT_LABELS.get(segment) or str(segment)
    near = next((c for c in data.contracts if is_near_renewal(c, today, settings)), None)
    if near is not None:
        anchor, _ = anchor_date(near)
        target = base * settings.renewal_multiplier
        return (
            target,
            f"{label} segment target {base:g} × {settings.renewal_multiplier:g} for the renewal "
            f"run-up of {near.reference} (from {settings.renewal_lead_months} months before its "
            f"anchor {show_day(anchor)} until the decision) = {target:.2f}",
        )
    return base, f"{label} segment target {base:g}, outside any renewal run-up"


def _weights(settings: ScoreSettings) -> dict[str, float]:
    """The contact weights as floats, remembered for the last settings object (they are frozen)."""
    global _last_weights
    last = _last_weights
    if last[0] is not settings:
        last = (settings, {str(k): float(v) for k, v in settings.interaction_weights.items()})
        _last_weights = last
    return last[1]


_last_weights: tuple[ScoreSettings | None, dict[str, float]] = (None, {})


def engagement(
    data: AccountData,
    segment: str,
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
) -> ScoreResult:
    """The engagement balance of one account as of ``today``.

    The factor table, details and advice are built when first read
    (:meth:`ScoreResult.deferred`).
    """
    window = _within(data.interactions, today, settings.engagement_window_days)
    return engagement_in(data, segment, today, settings, window)


def engagement_in(
    data: AccountData,
    segment: str,
    today: date,
    settings: ScoreSettings,
    window: list[Any],
) -> ScoreResult:
    """:func:`engagement`, given the account's contacts in the engagement window (in the order
    of ``data.interactions``), for a caller that has them already."""
    days = settings.engagement_window_days
    months = days / 30
    weights = _weights(settings)
    counts: dict[str, int] = {}
    customer_points = 0.0
    for r in window:
        kind = str(r.type)
        counts[kind] = counts.get(kind, 0) + 1
        if r.initiated_by == _CUSTOMER:
            customer_points += weights.get(kind, 0.0)
    # per type, added up contact by contact as a running total would
    points_by_type = {k: _repeated_sum(weights.get(k, 0.0), n) for k, n in counts.items()}
    points = sum(points_by_type.values())
    intensity = points / months
    target, target_basis = target_per_month(data, segment, today, settings)
    balance = intensity / target
    customer_share = customer_points / points if points else 0.0
    customer_led = points > 0 and customer_share >= settings.customer_led_share
    our_balance = (points - customer_points) / months / target
    band = band_for(balance, customer_led, settings, our_balance)
    held = band_for(balance, False, settings) == "obsessive" and band != "obsessive"
    flags = _flags(data, today, settings, window, counts)
    missing: tuple[str, ...] = ()
    confidence = 1.0
    if segment == Segment.UNRATED and not data.account.contact_cadence_days:
        missing = ("segment (target assumed for an unrated account)",)
        confidence = 0.5
    words = (days, intensity, target, target_basis, balance, customer_share, held, settings)
    return ScoreResult.deferred(
        "engagement",
        balance,
        band,
        BANDS[band],
        _explain,
        (points_by_type, counts, points, weights, words, missing, band, flags),
        confidence=confidence,
        settings_version=settings.version,
        flags=flags,
        extra={
            "points": points,
            "intensity": intensity,
            "target": target,
            "target_basis": target_basis,
            "balance": balance,
            "our_balance": our_balance,
            "customer_share": customer_share,
            "customer_led": customer_led,
        },
    )


@lru_cache(maxsize=4096)
def _repeated_sum(weight: float, times: int) -> float:
    """``0 + weight + weight + …`` (``times`` additions, in floating point, as a running total
    gives them)."""
    total: float = 0
    for _ in range(times):
        total += weight
    return total


def _explain(
    points_by_type: dict[str, float],
    counts: dict[str, int],
    points: float,
    weights: dict[str, float],
    words: tuple[Any, ...],
    missing: tuple[str, ...],
    band: str,
    flags: tuple[Flag, ...],
) -> Explanation:
    """The factor table, missing inputs, details and advice of an engagement balance."""
    days, intensity, target, target_basis, balance, customer_share, held, settings = words
    months = days / 30
    factors = []
    for kind in _TYPES:
        if kind.value in counts:
            p = points_by_type[kind.value]
            w = weights.get(kind.value, 0.0)
            n = counts[kind.value]
            factors.append(
                FactorRow(
                    kind.value,
                    kind.label,
                    f"{n} × {w:g} {'point' if w == 1 else 'points'} = {p:g}",
                    p / points if points else 0.0,
                    w,
                    p,
                    count=n,
                )
            )
    details: tuple[tuple[str, str], ...] = (
        (
            "Contact points",
            f"{points:g} in the last {days} days (the points of each kind of contact, added up)",
        ),
        ("Intensity", f"{points:g} ÷ {months:g} months = {intensity:.2f} points a month"),
        ("Target", f"{target:.2f} points a month: {target_basis}"),
        (
            "Balance",
            f"{intensity:.2f} ÷ {target:.2f} = {balance:.2f} → {BANDS[band]} "
            f"({_band_range(band, settings)})",
        ),
        ("Started by the customer", f"{customer_share:.0%} of the points"),
    )
    if held:
        details += (
            (
                "Note",
                "Held at Intense: the customer started much of this contact, and what we "
                "started alone stays under the obsessive line.",
            ),
        )
    advice = (_ADVICE[band], *(_FLAG_ADVICE[f.code] for f in flags))
    return tuple(factors), missing, details, advice[:3]


def _band_range(band: str, settings: ScoreSettings) -> str:
    """The balances a band covers, in words."""
    low, high, top = settings.neglect_below, settings.intense_above, settings.obsessive_above
    return {
        "neglect": f"under {low:g}",
        "proportionate": f"{low:g} to {high:g}",
        "intense": f"{high:g} to {top:g}, or above when the customer led",
        "obsessive": f"over {top:g}",
    }[band]


def engagement_flags(
    data: AccountData, today: date, settings: ScoreSettings = DEFAULT_SETTINGS
) -> tuple[Flag, ...]:
    """Every flag of DOMAIN.md 3.2 raised for the account, with the reason in words."""
    window = _within(data.interactions, today, settings.engagement_window_days)
    counts: dict[str, int] = {}
    for r in window:
        kind = str(r.type)
        counts[kind] = counts.get(kind, 0) + 1
    return _flags(data, today, settings, window, counts)


def _flags(
    data: AccountData,
    today: date,
    settings: ScoreSettings,
    window: list[Any],
    counts: dict[str, int],
) -> tuple[Flag, ...]:
    """:func:`engagement_flags`, given the contacts in the engagement window and how many
    there are of each type."""
    out: list[Flag] = []
    minimum = settings.single_thread_min_contacts
    n = len(window)

    if n >= minimum:
        empty = sum(1 for r in window if not (r.purpose or "").strip() or not r.brought_value)
        if empty / n > settings.noise_share:
            out.append(
                Flag(
                    "noise",
                    FLAGS["noise"],
                    f"{empty} of {n} contacts in {settings.engagement_window_days} days had "
                    "no purpose or nothing of value for the customer",
                )
            )

    long_window = (
        window
        if settings.survey_window_days == settings.engagement_window_days
        else _within(data.interactions, today, settings.survey_window_days)
    )
    surveys = [r for r in long_window if r.type == _SURVEY]
    people = _current(data.stakeholders, today)
    recent_surveys: set[str] = set()
    if surveys:
        per_person: dict[str, int] = {}
        for r in surveys:
            for sid in r.stakeholder_ids:
                per_person[sid] = per_person.get(sid, 0) + 1
        recent_surveys.update(per_person)
        repeated = [pid for pid, k in per_person.items() if k > 1]
        if repeated or len(surveys) > max(1, len(people)):
            names = _names(data, repeated)
            reason = (
                f"{', '.join(names)} asked for feedback more than once in "
                f"{settings.survey_window_days} days"
                if repeated
                else f"{len(surveys)} feedback requests to {len(people)} people in "
                f"{settings.survey_window_days} days"
            )
            out.append(Flag("survey_fatigue", FLAGS["survey_fatigue"], reason))

    concession_window = (
        long_window
        if settings.concession_window_days == settings.survey_window_days
        else _within(data.interactions, today, settings.concession_window_days)
    )
    unasked = sum(
        1 for r in concession_window if r.concession_offered and not r.concession_requested
    )
    if unasked:
        out.append(
            Flag(
                "fear_concession",
                FLAGS["fear_concession"],
                f"{unasked} concession(s) offered without being asked in "
                f"{settings.concession_window_days} days",
            )
        )

    pitches = counts.get(_PITCH, 0)
    if n >= minimum and pitches / n > settings.pitch_share:
        out.append(
            Flag(
                "pitch_heavy", FLAGS["pitch_heavy"], f"{pitches} of {n} contacts were sales pitches"
            )
        )

    # who was in each contact (each once), and in each contact we started
    named = 0
    inclusion: dict[str, int] = {}
    ours: dict[str, int] = {}
    count_ours = any(p.contact_cadence_days for p in people)
    for r in window:
        ids = r.stakeholder_ids
        if ids:
            named += 1
            distinct = ids if len(ids) == 1 else set(ids)
            for sid in distinct:
                inclusion[sid] = inclusion.get(sid, 0) + 1
            if count_ours and r.initiated_by != _CUSTOMER:
                for sid in distinct:
                    ours[sid] = ours.get(sid, 0) + 1
    if named >= minimum:
        # the first of the most included, as Counter.most_common(1) picks it
        top, k = max(inclusion.items(), key=itemgetter(1))
        if k / named > settings.single_thread_share:
            out.append(
                Flag(
                    "single_thread",
                    FLAGS["single_thread"],
                    f"{_names(data, [top])[0]} was in {k} of {named} contacts",
                )
            )

    intrusive = []
    for p in people:
        if p.no_surveys and p.id in recent_surveys:
            intrusive.append((p, f"{p.name} asked for no surveys but was sent one"))
        elif p.contact_cadence_days:
            times = ours.get(p.id, 0)
            if times > settings.engagement_window_days / p.contact_cadence_days:
                intrusive.append(
                    (
                        p,
                        f"{p.name} asked to hear from us every {p.contact_cadence_days} days; "
                        f"we made contact {times} times in {settings.engagement_window_days} days",
                    )
                )
    if intrusive:
        intrusive.sort(key=lambda found: (found[0].name.lower(), found[0].id))
        out.append(Flag("intrusive", FLAGS["intrusive"], "; ".join(t for _, t in intrusive)))

    for c in data.contracts:
        if not tender_is_live(c, today):
            continue
        informal = [
            r
            for r in long_window
            if r.occurred_on >= c.market_approach_date
            and r.contract_id in (None, c.id)
            and r.type != _CLARIFY
        ]
        if informal:
            kinds = sorted({InteractionType(str(r.type)).label.lower() for r in informal})
            out.append(
                Flag(
                    "probity",
                    FLAGS["probity"],
                    f"{len(informal)} informal contact(s) ({', '.join(kinds)}) during the live "
                    f"tender for {c.reference}",
                )
            )
            break
    return tuple(out)


def tender_is_live(contract: Any, on: date) -> bool:
    """A public-sector tender is running for ``contract`` on ``on``: probity rules apply."""
    if not contract.public_sector or contract.procurement_route not in _TENDER_ROUTES:
        return False
    if contract.status not in LIVE or contract.market_approach_date is None:
        return False
    until = contract.decision_date or contract.end_date
    return contract.market_approach_date <= on <= until


def _names(data: AccountData, ids: Sequence[str]) -> list[str]:
    by_id = {p.id: p.name for p in data.stakeholders}
    return [by_id.get(i, "someone no longer listed") for i in ids]
