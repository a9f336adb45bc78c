"""Turn scores into the plain data the charts draw (Qt-free, matplotlib-free).

The figures themselves live in :mod:`renewal_coach.export.charts`; keeping the data step apart
lets the tests check what a chart will show without rendering it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from ..core.dates import add_months
from ..core.scoring.portfolio import AccountScores
from ..core.scoring.timeline import Campaign
from ..core.settings import DEFAULT_SETTINGS, ScoreSettings
from .charts import (
    EngagementPoint,
    HorizonBubble,
    TimelineContact,
    TimelineMilestone,
    VirtualLinePoint,
)


def virtual_line_points(scores: Mapping[str, AccountScores]) -> list[VirtualLinePoint]:
    """Ranked accounts (those with a year of figures) in rank order, coloured by segment."""
    ranked = [s for s in scores.values() if s.segment.extra.get("rank")]
    ranked.sort(key=lambda s: s.segment.extra["rank"])
    return [
        VirtualLinePoint(s.name, int(s.segment.extra["contribution_minor"]), s.segment.band)
        for s in ranked
    ]


def virtual_line_positions(
    scores: Mapping[str, AccountScores], minor_per_major: int = 100
) -> list[tuple[str, int, float]]:
    """(account id, x, y) of each bar's top as :func:`~.charts.virtual_line_figure` draws it.

    The figure puts the ranked accounts left to right by contribution, highest first (ties in
    rank order), at x = 1, 2, ...; y is the contribution in major units.
    """
    ranked = [s for s in scores.values() if s.segment.extra.get("rank")]
    ranked.sort(key=lambda s: s.segment.extra["rank"])
    ranked.sort(key=lambda s: int(s.segment.extra["contribution_minor"]), reverse=True)
    return [
        (s.account_id, x, int(s.segment.extra["contribution_minor"]) / minor_per_major)
        for x, s in enumerate(ranked, start=1)
    ]


def horizon_bubbles(
    scores: Mapping[str, AccountScores], today: date, months: int = 36
) -> list[HorizonBubble]:
    """One bubble per live contract whose anchor falls between today and ``months`` ahead."""
    until = add_months(today, months)
    out = []
    for s in scores.values():
        for c in s.contracts:
            if c.risk is None or not today <= c.campaign.anchor <= until:
                continue
            out.append(
                HorizonBubble(
                    label=f"{s.name} · {c.contract.reference}",
                    anchor=c.campaign.anchor,
                    risk=float(c.risk.score or 0.0),
                    annual_value_minor=int(c.contract.annual_value_minor or 0),
                    band=s.engagement.band,
                    key=c.contract.id,
                )
            )
    out.sort(key=lambda b: (b.anchor, b.label))
    return out


def engagement_points(scores: Mapping[str, AccountScores]) -> list[EngagementPoint]:
    """Effort share against value share for every ranked account."""
    return [
        EngagementPoint(
            s.name, float(s.effort_share or 0.0), float(s.value_share), s.segment.band, s.account_id
        )
        for s in scores.values()
        if s.value_share is not None
    ]


def timeline_milestones(camp: Campaign) -> list[TimelineMilestone]:
    return [TimelineMilestone(m.code, m.due, m.status) for m in camp.milestones]


def timeline_contacts(
    interactions: Iterable[Any], settings: ScoreSettings = DEFAULT_SETTINGS
) -> list[TimelineContact]:
    return [
        TimelineContact(
            r.occurred_on,
            float(settings.interaction_weights.get(str(r.type), 0.0)),
            str(r.initiated_by) == "customer",
        )
        for r in interactions
    ]


def chart_settings(
    settings: ScoreSettings = DEFAULT_SETTINGS,
) -> dict[str, Sequence[float] | float]:
    return {
        "pareto_share": settings.treasure_share,
        "over": settings.over_serving_ratio,
        "under": settings.under_serving_ratio,
    }
