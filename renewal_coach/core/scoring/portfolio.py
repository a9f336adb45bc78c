"""Scores for one account and for the whole portfolio, from :class:`AccountData`.

An account's headline risk and campaign are those of its *next* renewal: the live contract with
the earliest anchor date that has not ended (or, when every live contract has ended, the latest).
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import attrgetter
from typing import Any

from ..enums import Segment
from ..settings import DEFAULT_SETTINGS, ScoreSettings
from .data import AccountData
from .engagement import engagement_in
from .result import ScoreResult, run_steps
from .risk import PeopleFacts, people_facts, renewal_risk
from .segments import segment_portfolio_steps
from .timeline import LIVE, Campaign, campaign, next_renewal


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


_RENEWAL_ORDER = attrgetter("end_date", "reference")

#: Accounts scored per step by :func:`score_portfolio_steps` unless told otherwise.
CHUNK = 250


def score_account(
    data: AccountData,
    segment: ScoreResult,
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
) -> AccountScores:
    """Engagement, every contract's campaign and risk, and the next renewal, for one account."""
    eng, rows, primary = _score_parts(data, segment, today, settings)
    return AccountScores(data.account.id, data.account.name, segment, eng, rows, primary)


def _score_parts(
    data: AccountData, segment: ScoreResult, today: date, settings: ScoreSettings
) -> tuple[ScoreResult, tuple[ContractScores, ...], ContractScores | None]:
    seg = segment.band
    days = settings.engagement_window_days
    since = today - timedelta(days=days)
    window = [r for r in data.interactions if since < r.occurred_on <= today]
    eng = engagement_in(data, seg, today, settings, window)
    done: dict[str, list[Any]] = {}
    for m in data.milestones:
        done.setdefault(m.contract_id, []).append(m)
    rows = []
    facts: PeopleFacts | None = None  # the same for every contract: read once, when needed
    for c in sorted(data.contracts, key=_RENEWAL_ORDER):
        camp = campaign(c, seg, today, done.get(c.id, ()), settings)
        risk = None
        if c.status in LIVE:
            if facts is None:
                facts = people_facts(
                    data,
                    today,
                    settings,
                    contacts=window if settings.coverage_window_days == days else None,
                )
            risk = renewal_risk(data, c, camp, seg, today, settings, facts)
        rows.append(ContractScores(c, camp, risk))
    return eng, tuple(rows), primary_contract(rows, today)


def primary_contract(rows: Iterable[ContractScores], today: date) -> ContractScores | None:
    """The contract the account's renewal risk is about: its :func:`next_renewal`, or, when no
    live contract ends from today on, the live one that ended last (a decision still pending)."""
    rows = tuple(rows)
    ahead = next_renewal((r.contract for r in rows), today)
    if ahead is not None:
        return next(r for r in rows if r.contract is ahead)
    live = [r for r in rows if r.contract.status in LIVE]
    if live:
        return max(live, key=lambda r: (r.contract.end_date, r.contract.reference))
    return None


def score_portfolio(
    datas: Iterable[AccountData],
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
) -> dict[str, AccountScores]:
    """Every non-archived account scored, keyed by id, with effort share and value share."""
    return run_steps(score_portfolio_steps(datas, today, settings))


def score_portfolio_steps(
    datas: Iterable[AccountData],
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
    chunk: int = CHUNK,
) -> Generator[float, None, dict[str, AccountScores]]:
    """:func:`score_portfolio` in small steps: rank the segments (a few steps), then score
    ``chunk`` accounts at a time, yielding the share done (0..1) after each step.

    The generator *returns* the same dict as :func:`score_portfolio` (``StopIteration.value``;
    :func:`run_steps` or ``result = yield from ...`` collect it).
    """
    items = [d for d in datas if not d.account.archived]
    del datas  # each account's records may go once it is scored, if the caller lets them
    step = max(1, chunk)
    ranking = segment_portfolio_steps([d.account for d in items], today, settings, 4 * step)
    while True:  # the ranking takes a tenth of the time
        try:
            yield 0.1 * next(ranking)
        except StopIteration as stop:
            segments = stop.value
            break
    parts: list[_Parts] = []
    for start in range(0, len(items), step):
        for i in range(start, min(start + step, len(items))):
            d = items[i]
            items[i] = None  # freed once scored, unless the caller keeps it
            a = d.account
            seg = segments[a.id]
            eng, rows, primary = _score_parts(d, seg, today, settings)
            parts.append((a.id, a.id, a.name, seg, eng, rows, primary, None))
        d = None
        yield 0.1 + 0.9 * min(start + step, len(items)) / len(items)
    return _with_shares(parts)


def with_shares(scored: Mapping[str, AccountScores]) -> dict[str, AccountScores]:
    """Add effort share (contact points) and value share (positive contribution) per account."""
    return _with_shares(
        [
            (k, v.account_id, v.name, v.segment, v.engagement, v.contracts, v.primary, v.extra)
            for k, v in scored.items()
        ]
    )


#: key, account id, name, segment, engagement, contracts, primary contract, extra
_Parts = tuple[
    str,
    str,
    str,
    ScoreResult,
    ScoreResult,
    tuple[ContractScores, ...],
    ContractScores | None,
    dict[str, Any] | None,
]


def _with_shares(parts: list[_Parts]) -> dict[str, AccountScores]:
    effort = {p[0]: float(p[4].extra.get("points", 0.0)) for p in parts}
    value = {
        p[0]: max(p[3].extra.get("contribution_minor") or 0, 0)
        for p in parts
        if p[3].extra.get("rank")
    }
    e_total = sum(effort.values())
    v_total = sum(value.values())
    out = {}
    for k, account_id, name, segment, eng, contracts, primary, extra in parts:
        out[k] = AccountScores(
            account_id,
            name,
            segment,
            eng,
            contracts,
            primary,
            effort[k] / e_total if e_total else 0.0,
            (value[k] / v_total) if (k in value and v_total) else None,
            {} if extra is None else extra,
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
