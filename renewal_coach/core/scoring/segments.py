"""Value segments (DOMAIN.md 3.1): real contribution, the Pareto "virtual line", the CTS quadrant.

Accounts are ranked on contribution = revenue − direct cost − cost to serve over the last 12
months, never on revenue. Accounts in different currencies are ranked on face value (no exchange
rates are kept); docs/decisions.md explains why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from statistics import median
from typing import Any

from ..enums import Segment
from ..money import format_money
from ..settings import DEFAULT_SETTINGS, ScoreSettings
from .result import FactorRow, ScoreResult

SEGMENT_ADVICE = {
    Segment.TREASURE: "Invest: many relationships at many levels and reviews about their future.",
    Segment.DEVELOP: "Test the growth potential and invest where it is proven.",
    Segment.PROPORTIONATE: "Serve fairly and efficiently with the standard model; no heroics.",
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
    live = [a for a in accounts if not a.archived]
    parts = {a.id: contribution(a) for a in live}
    ranked: list[tuple[Any, int]] = []
    for a in live:
        value = parts[a.id].value
        if is_young(a, today, settings) or value is None or parts[a.id].forecast:
            continue
        ranked.append((a, value))
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
            seg = Segment.PROPORTIONATE
        placed[a.id] = (seg, before, after, rank)
    quadrants = cts_quadrants(live, parts)
    out: dict[str, ScoreResult] = {}
    for a in live:
        part = parts[a.id]
        if a.id in placed:
            seg, before, after, rank = placed[a.id]
            missing: tuple[str, ...] = ()
            if part.direct_cost is None:
                missing += ("direct cost (12 months)",)
            if part.serve_hours_cost is None and part.other_costs == 0:
                missing += ("cost to serve",)
            reason = (
                "Contribution is zero or negative."
                if seg is Segment.DRAIN
                else f"{before:.1%} of positive contribution sits with accounts ranked above it "
                f"(Treasure below {settings.treasure_share:.0%}, "
                f"Develop below {settings.develop_share:.0%})."
            )
        else:
            seg, before, after, rank = Segment.UNRATED, 1.0, 1.0, 0
            if is_young(a, today, settings):
                reason = (
                    f"A customer for under {settings.unrated_months} months: ranked once a full "
                    "year of figures exists"
                    + (", forecast shown." if part.forecast and part.value is not None else ".")
                )
                missing = ()
            else:
                reason = "No revenue figure for the last 12 months" + (
                    ", so only the forecast is known." if part.value is not None else "."
                )
                missing = ("revenue (12 months)",)
        effective = a.segment_override or seg
        share = (max(part.value or 0, 0) / positive) if positive and a.id in placed else 0.0
        factors = (
            FactorRow(
                "contribution",
                "Contribution (12 months)",
                _money(part.value, a.currency) + (" (forecast)" if part.forecast else ""),
                share,
                1.0,
                share,
                part.value is not None,
            ),
            FactorRow(
                "line_position",
                "Share of contribution ranked above",
                f"{before:.1%}" if a.id in placed else "not ranked",
                before,
                0.0,
                0.0,
                a.id in placed,
            ),
        )
        details = (
            ("Revenue", _money(part.revenue, a.currency)),
            ("Direct cost", _money(part.direct_cost, a.currency)),
            ("Cost to serve", _money(part.cost_to_serve, a.currency)),
            ("Contribution", _money(part.value, a.currency)),
            ("Rank", f"{rank} of {len(ranked)}" if rank else "not ranked"),
            ("Why", reason),
        )
        advice = (SEGMENT_ADVICE[Segment(effective)],)
        if a.segment_override:
            details += (
                (
                    "Override",
                    f"Set to {Segment(a.segment_override).label} (calculated: {seg.label}). "
                    f"Reason: {a.segment_override_reason or 'none given'}",
                ),
            )
        quadrant = quadrants.get(a.id)
        out[a.id] = ScoreResult(
            kind="segment",
            score=before if a.id in placed else None,
            band=Segment(effective).value,
            band_label=Segment(effective).label,
            factors=factors,
            missing=missing,
            confidence=part.known_parts / 3,
            settings_version=settings.version,
            details=details,
            advice=advice,
            extra={
                "calculated": seg.value,
                "override": str(a.segment_override) if a.segment_override else None,
                "override_reason": a.segment_override_reason or "",
                "contribution_minor": part.value,
                "forecast": part.forecast,
                "cost_to_serve_minor": part.cost_to_serve,
                "rank": rank or None,
                "cumulative_before": before if a.id in placed else None,
                "cumulative_after": after if a.id in placed else None,
                "quadrant": quadrant,
                "currency": a.currency,
            },
        )
    return out


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
