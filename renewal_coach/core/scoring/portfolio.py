"""Scores for one account and for the whole portfolio, from :class:`AccountData`.

An account's headline risk and campaign are those of its *next* renewal: the live contract with
the earliest anchor date that has not ended (or, when every live contract has ended, the latest).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..enums import Segment
from ..settings import DEFAULT_SETTINGS, ScoreSettings
from .data import AccountData
from .engagement import engagement
from .result import ScoreResult
from .risk import people_facts, renewal_risk
from .segments import segment_portfolio
from .timeline import LIVE, Campaign, campaign


@dataclass(frozen=True, slots=True)
class ContractScores:
    contract: Any
    campaign: Campaign
    risk: ScoreResult | None

    def to_json(self) -> dict[str, Any]:
        c = self.contract
        return {
            "id": c.id,
            "reference": c.reference,
            "title": c.title,
            "status": str(c.status),
            "end_date": c.end_date.isoformat(),
            "campaign": self.campaign.to_json(),
            "risk": self.risk.to_json() if self.risk else None,
        }


@dataclass(frozen=True, slots=True)
class AccountScores:
    account_id: str
    name: str
    segment: ScoreResult
    engagement: ScoreResult
    contracts: tuple[ContractScores, ...] = ()
    primary: ContractScores | None = None
    effort_share: float | None = None
    value_share: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def risk(self) -> ScoreResult | None:
        return self.primary.risk if self.primary else None

    @property
    def effort_ratio(self) -> float | None:
        if self.effort_share is None or not self.value_share:
            return None
        return self.effort_share / self.value_share

    def to_json(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "name": self.name,
            "segment": self.segment.to_json(),
            "engagement": self.engagement.to_json(),
            "risk": self.risk.to_json() if self.risk else None,
            "next_renewal": self.primary.to_json() if self.primary else None,
            "contracts": [c.to_json() for c in self.contracts],
            "effort_share": None if self.effort_share is None else round(self.effort_share, 4),
            "value_share": None if self.value_share is None else round(self.value_share, 4),
            "effort_ratio": None if self.effort_ratio is None else round(self.effort_ratio, 4),
        }


def score_account(
    data: AccountData,
    segment: ScoreResult,
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
) -> AccountScores:
    """Engagement, every contract's campaign and risk, and the next renewal, for one account."""
    seg = segment.band
    eng = engagement(data, seg, today, settings)
    done: dict[str, list[Any]] = {}
    for m in data.milestones:
        done.setdefault(m.contract_id, []).append(m)
    rows = []
    facts = people_facts(data, today, settings)
    for c in sorted(data.contracts, key=lambda c: (c.end_date, c.reference)):
        camp = campaign(c, seg, today, done.get(c.id, ()), settings)
        live = c.status in LIVE
        risk = renewal_risk(data, c, camp, seg, today, settings, facts) if live else None
        rows.append(ContractScores(c, camp, risk))
    return AccountScores(
        data.account.id, data.account.name, segment, eng, tuple(rows), primary_contract(rows, today)
    )


def primary_contract(rows: Iterable[ContractScores], today: date) -> ContractScores | None:
    live = [r for r in rows if r.contract.status in LIVE]
    ahead = [r for r in live if r.contract.end_date >= today]
    if ahead:
        return min(ahead, key=lambda r: (r.campaign.anchor, r.contract.reference))
    if live:
        return max(live, key=lambda r: (r.contract.end_date, r.contract.reference))
    return None


def score_portfolio(
    datas: Iterable[AccountData],
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
) -> dict[str, AccountScores]:
    """Every non-archived account scored, keyed by id, with effort share and value share."""
    items = [d for d in datas if not d.account.archived]
    segments = segment_portfolio([d.account for d in items], today, settings)
    scored = {d.id: score_account(d, segments[d.id], today, settings) for d in items}
    return with_shares(scored)


def with_shares(scored: Mapping[str, AccountScores]) -> dict[str, AccountScores]:
    """Add effort share (contact points) and value share (positive contribution) per account."""
    effort = {k: float(v.engagement.extra.get("points", 0.0)) for k, v in scored.items()}
    value = {
        k: max(v.segment.extra.get("contribution_minor") or 0, 0)
        for k, v in scored.items()
        if v.segment.extra.get("rank")
    }
    e_total = sum(effort.values())
    v_total = sum(value.values())
    out = {}
    for k, v in scored.items():
        out[k] = AccountScores(
            v.account_id,
            v.name,
            v.segment,
            v.engagement,
            v.contracts,
            v.primary,
            effort[k] / e_total if e_total else 0.0,
            (value[k] / v_total) if (k in value and v_total) else None,
            v.extra,
        )
    return out


def serving_label(scores: AccountScores, settings: ScoreSettings = DEFAULT_SETTINGS) -> str:
    """ "over-serving", "under-serving", "neglect alert" (a Treasure under-served) or "in line"."""
    ratio = scores.effort_ratio
    if scores.value_share is None:
        return "not ranked"
    if ratio is None:
        return "in line" if not scores.effort_share else "over-serving"
    if ratio > settings.over_serving_ratio:
        return "over-serving"
    if ratio < settings.under_serving_ratio:
        if scores.segment.band == Segment.TREASURE:
            return "neglect alert"
        return "under-serving"
    return "in line"
