"""Value segments (DOMAIN.md 3.1): real contribution, the Pareto "virtual line", the CTS quadrant.

Accounts are ranked on contribution = revenue − direct cost − cost to serve over the last 12
months, never on revenue. Accounts in different currencies are ranked on face value (no exchange
rates are kept); docs/decisions.md explains why.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from statistics import median
from typing import Any

from ..enums import Segment
from ..money import format_money
from ..settings import DEFAULT_SETTINGS, ScoreSettings
from .result import Explanation, FactorRow, ScoreResult, run_steps

SEGMENT_ADVICE = {
    Segment.TREASURE: "Invest: many relationships at many levels and reviews about their future.",
    Segment.DEVELOP: "Test the growth potential and invest where it is proven.",
    Segment.MAINTAIN: "Serve fairly and efficiently with the standard model; no heroics.",
    Segment.DRAIN: "Fix the service model or the terms, or plan an orderly exit.",
    Segment.UNRATED: "Too new to rank on a year of figures: use the forecast and review later.",
}

QUADRANTS = {
    "protect": "Protect",
    "earn_its_keep": "Earn its keep",
    "build": "Build",
    "danger": "Danger",
}


@dataclass(frozen=True, slots=True)
class Contribution:
    """Real contribution over 12 months in minor units, with its parts."""

    revenue: int | None
    direct_cost: int | None
    serve_hours_cost: int | None
    other_costs: int
    value: int | None
    forecast: bool = False

    @property
    def cost_to_serve(self) -> int:
        return (self.serve_hours_cost or 0) + self.other_costs

    @property
    def known_parts(self) -> int:
        """How many of revenue, direct cost and cost to serve are known (0..3)."""
        has_cts = self.serve_hours_cost is not None or self.other_costs > 0
        return sum((self.revenue is not None, self.direct_cost is not None, has_cts))


def contribution(account: Any) -> Contribution:
    """Revenue − direct cost − cost to serve (hours × rate, bid costs, special terms, support).

    Falls back to the forecast when revenue is unknown; ``value`` None when both are unknown.
    """
    hours = None
    if account.serve_hours_12m is not None and account.hourly_rate_minor is not None:
        hours = int(
            (Decimal(str(account.serve_hours_12m)) * account.hourly_rate_minor).quantize(
                Decimal(1), rounding=ROUND_HALF_EVEN
            )
        )
    others = (
        (account.bid_cost_minor or 0)
        + (account.special_terms_cost_minor or 0)
        + (account.support_cost_minor or 0)
    )
    if account.revenue_12m_minor is None:
        return Contribution(
            None,
            account.direct_cost_12m_minor,
            hours,
            others,
            account.forecast_contribution_minor,
            True,
        )
    value = account.revenue_12m_minor - (account.direct_cost_12m_minor or 0) - (hours or 0) - others
    return Contribution(
        account.revenue_12m_minor, account.direct_cost_12m_minor, hours, others, value
    )


def is_young(account: Any, today: date, settings: ScoreSettings = DEFAULT_SETTINGS) -> bool:
    """True when the account has been a customer for less than the rating period."""
    since = account.customer_since
    if since is None:
        return False
    return (today - since).days < settings.unrated_months * 365.2425 / 12


def _money(minor: int | None, currency: str) -> str:
    if minor is None:
        return "unknown"
    return format_money(minor, currency)


def segment_portfolio(
    accounts: Iterable[Any],
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
) -> dict[str, ScoreResult]:
    """The segment of every non-archived account, keyed by account id.

    ``score`` is the account's cumulative share of positive contribution *before* it on the
    virtual line (0..1), ``band`` the effective segment (the override when there is one) and
    ``extra`` holds the calculated segment, the override, the contribution and the rank.
    """
    return run_steps(segment_portfolio_steps(accounts, today, settings))


def segment_portfolio_steps(
    accounts: Iterable[Any],
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
    chunk: int = 1000,
) -> Generator[float, None, dict[str, ScoreResult]]:
    """:func:`segment_portfolio` in steps of ``chunk`` accounts (and one for the ranking),
    yielding the share done (0..1) after each; the generator returns the same dict."""
    live = [a for a in accounts if not a.archived]
    step = max(1, chunk)
    rounds = 2 * ((len(live) + step - 1) // step) + 1  # contributions, ranking, results
    done = 0
    parts: dict[str, Contribution] = {}
    ranked: list[tuple[Any, int]] = []
    for start in range(0, len(live), step):
        for a in live[start : start + step]:
            part = parts[a.id] = contribution(a)
            value = part.value
            if is_young(a, today, settings) or value is None or part.forecast:
                continue
            ranked.append((a, value))
        done += 1
        yield done / rounds
    ranked.sort(key=lambda pair: (-pair[1], pair[0].name.lower(), pair[0].id))
    positive = sum(v for _, v in ranked if v > 0)
    placed: dict[str, tuple[Segment, float, float, int]] = {}
    running = 0
    for rank, (a, value) in enumerate(ranked, start=1):
        before = running / positive if positive else 1.0
        running += max(value, 0)
        after = running / positive if positive else 1.0
        if value <= 0:
            seg = Segment.DRAIN
        elif before < settings.treasure_share:
            seg = Segment.TREASURE
        elif before < settings.develop_share:
            seg = Segment.DEVELOP
        else:
            seg = Segment.MAINTAIN
        placed[a.id] = (seg, before, after, rank)
    quadrants = cts_quadrants(live, parts)
    done += 1
    yield done / rounds
    out: dict[str, ScoreResult] = {}
    for n, a in enumerate(live, start=1):
        if n % step == 1 and n > 1:
            done += 1
            yield done / rounds
        part = parts[a.id]
        spot = placed.get(a.id)
        if spot is not None:
            seg, before, after, rank = spot
            missing: tuple[str, ...] = ()
            if part.direct_cost is None:
                missing += ("direct cost (12 months)",)
            if part.serve_hours_cost is None and part.other_costs == 0:
                missing += ("cost to serve",)
            why = "drain" if seg is Segment.DRAIN else "ranked"
        else:
            seg, before, after, rank = Segment.UNRATED, 1.0, 1.0, 0
            if is_young(a, today, settings):
                why = "young"
                missing = ()
            else:
                why = "no revenue"
                missing = ("revenue (12 months)",)
        effective = Segment(a.segment_override or seg)
        words = (
            a.currency,
            spot is not None,
            seg,
            before,
            rank,
            len(ranked),
            positive,
            why,
            effective,
            a.segment_override,
            a.segment_override_reason,
        )
        out[a.id] = ScoreResult.deferred(
            "segment",
            before if spot is not None else None,
            effective.value,
            effective.label,
            _explain,
            (part, words, missing, settings),
            confidence=part.known_parts / 3,
            settings_version=settings.version,
            extra={
                "calculated": seg.value,
                "override": str(a.segment_override) if a.segment_override else None,
                "override_reason": a.segment_override_reason or "",
                "contribution_minor": part.value,
                "forecast": part.forecast,
                "cost_to_serve_minor": part.cost_to_serve,
                "rank": rank or None,
                "cumulative_before": before if spot is not None else None,
                "cumulative_after": after if spot is not None else None,
                "quadrant": quadrants.get(a.id),
                "currency": a.currency,
            },
        )
    return out


def _explain(
    part: Contribution,
    words: tuple[Any, ...],
    missing: tuple[str, ...],
    settings: ScoreSettings,
) -> Explanation:
    """The factor table, missing inputs, details and advice of a segment."""
    (
        currency,
        is_placed,
        seg,
        before,
        rank,
        ranked,
        positive,
        why,
        effective,
        override,
        override_reason,
    ) = words
    if why == "drain":
        reason = "Contribution is zero or negative."
    elif why == "ranked":
        reason = (
            f"{before:.1%} of positive contribution sits with accounts ranked above it "
            f"(Treasure below {settings.treasure_share:.0%}, "
            f"Develop below {settings.develop_share:.0%})."
        )
    elif why == "young":
        reason = (
            f"A customer for under {settings.unrated_months} months: ranked once a full "
            "year of figures exists"
            + (", forecast shown." if part.forecast and part.value is not None else ".")
        )
    else:
        reason = "No revenue figure for the last 12 months" + (
            ", so only the forecast is known." if part.value is not None else "."
        )
    share = (max(part.value or 0, 0) / positive) if positive and is_placed else 0.0
    factors = (
        FactorRow(
            "contribution",
            "Contribution (12 months)",
            _money(part.value, currency) + (" (forecast)" if part.forecast else ""),
            share,
            1.0,
            share,
            part.value is not None,
        ),
        FactorRow(
            "line_position",
            "Share of contribution ranked above",
            f"{before:.1%}" if is_placed else "not ranked",
            before,
            0.0,
            0.0,
            is_placed,
        ),
    )
    details: tuple[tuple[str, str], ...] = (
        ("Revenue", _money(part.revenue, currency)),
        ("Direct cost", _money(part.direct_cost, currency)),
        ("Cost to serve", _money(part.cost_to_serve, currency)),
        ("Contribution", _money(part.value, currency)),
        ("Rank", f"{rank} of {ranked}" if rank else "not ranked"),
        ("Why", reason),
    )
    if override:
        details += (
            (
                "Override",
                f"Set to {Segment(override).label} (calculated: {seg.label}). "
                f"Reason: {override_reason or 'none given'}",
            ),
        )
    return factors, missing, details, (SEGMENT_ADVICE[effective],)


def cts_quadrants(accounts: Iterable[Any], parts: Mapping[str, Contribution]) -> dict[str, str]:
    """Cost-to-serve quadrant per account with positive revenue, split at portfolio medians.

    High gross margin and low cost to serve: Protect. High margin, high cost: Earn its keep.
    Low margin, low cost: Build. Low margin, high cost: Danger. "High" means at or above the
    median margin and above the median cost-to-serve share.
    """
    rows = []
    for a in accounts:
        p = parts[a.id]
        if p.revenue and p.revenue > 0 and p.direct_cost is not None:
            margin = (p.revenue - p.direct_cost) / p.revenue
            cts = p.cost_to_serve / p.revenue
            rows.append((a.id, margin, cts))
    if not rows:
        return {}
    m_mid = median(r[1] for r in rows)
    c_mid = median(r[2] for r in rows)
    out = {}
    for aid, margin, cts in rows:
        high_margin = margin >= m_mid
        high_cts = cts > c_mid
        if high_margin and not high_cts:
            out[aid] = "protect"
        elif high_margin:
            out[aid] = "earn_its_keep"
        elif not high_cts:
            out[aid] = "build"
        else:
            out[aid] = "danger"
    return out
