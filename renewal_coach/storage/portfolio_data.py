"""Gather :class:`~renewal_coach.core.scoring.data.AccountData` for scoring, fast.

Two ways in: :func:`load_account` reads one account through the repositories (full models, for
the account workspace and the exports) and :func:`load_portfolio` reads every account with one
query per table into light named tuples: no query per account, and interactions only from the
look-back window the scores use. Both give the scoring code the same attribute names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from ..core.scoring.data import AccountData
from ..core.settings import DEFAULT_SETTINGS, ScoreSettings
from .repository import Store


def lookback_days(settings: ScoreSettings = DEFAULT_SETTINGS) -> int:
    """How far back interactions matter to any score."""
    return max(
        settings.engagement_window_days,
        settings.survey_window_days,
        settings.concession_window_days,
        settings.coverage_window_days,
    )


def load_account(
    store: Store, account_id: str, today: date, settings: ScoreSettings = DEFAULT_SETTINGS
) -> AccountData:
    """One account and everything the scores read, as full models."""
    account = store.accounts.get(account_id)
    since = (today - timedelta(days=lookback_days(settings))).isoformat()
    contracts = store.contracts.for_account(account_id)
    milestones = []
    if contracts:
        marks = ",".join("?" * len(contracts))
        milestones = store.milestones.where(f"contract_id IN ({marks})", [c.id for c in contracts])
    return AccountData(
        account=account,
        contracts=contracts,
        stakeholders=store.stakeholders.for_account(account_id),
        interactions=store.interactions.where(
            "account_id = ? AND occurred_on > ? AND occurred_on <= ?",
            [account_id, since, today.isoformat()],
            order="occurred_on",
        ),
        goals=store.goals.for_account(account_id),
        evidence=store.evidence.for_account(account_id),
        concerns=store.concerns.for_account(account_id),
        improvements=store.improvements.for_account(account_id),
        changes=store.change_events.for_account(account_id),
        milestones=milestones,
    )


# ---- light rows for the whole portfolio ---------------------------------------------------------


class AccountRow(NamedTuple):
    id: str
    name: str
    owner: str
    currency: str
    revenue_12m_minor: int | None
    direct_cost_12m_minor: int | None
    serve_hours_12m: Decimal | None
    hourly_rate_minor: int | None
    bid_cost_minor: int | None
    special_terms_cost_minor: int | None
    support_cost_minor: int | None
    forecast_contribution_minor: int | None
    customer_since: date | None
    segment_override: str | None
    segment_override_reason: str
    contact_cadence_days: int | None
    archived: int


class ContractRow(NamedTuple):
    id: str
    account_id: str
    title: str
    reference: str
    start_date: date
    end_date: date
    annual_value_minor: int | None
    notice_period_days: int | None
    notice_deadline: date | None
    extension_exercise_by: date | None
    procurement_route: str
    market_approach_date: date | None
    decision_date: date | None
    public_sector: int
    status: str
    kpis_total: int | None
    kpis_met: int | None
    price_gap_pct: Decimal | None


class StakeholderRow(NamedTuple):
    id: str
    account_id: str
    name: str
    buying_role: str
    influence: str
    attitude: str
    response_mode: str
    contact_cadence_days: int | None
    no_surveys: int
    left_on: date | None


class InteractionRow(NamedTuple):
    id: str
    account_id: str
    contract_id: str | None
    occurred_on: date
    type: str
    initiated_by: str
    purpose: str
    brought_value: int
    concession_offered: int
    concession_requested: int
    stakeholder_ids: tuple[str, ...]


class GoalRow(NamedTuple):
    id: str
    account_id: str
    contract_id: str | None
    statement: str
    priority: int
    confirmed_by_id: str | None
    confirmed_on: date | None
    our_response: str


class EvidenceRow(NamedTuple):
    id: str
    account_id: str
    contract_id: str | None
    validated_by_id: str | None
    validated_on: date | None


class ConcernRow(NamedTuple):
    id: str
    account_id: str
    contract_id: str | None
    severity: int
    opened_on: date
    resolved_on: date | None
    visible_to_customer: int


class ImprovementRow(NamedTuple):
    id: str
    account_id: str
    contract_id: str | None
    status: str
    proposed_on: date | None
    delivered_on: date | None
    acknowledged_on: date | None
    goal_id: str | None


class ChangeRow(NamedTuple):
    id: str
    account_id: str
    contract_id: str | None
    kind: str
    occurred_on: date
    response: str
    responded_on: date | None


class MilestoneRow(NamedTuple):
    id: str
    contract_id: str
    code: str
    occurrence: int
    done_on: date | None
    owner: str
    note: str


_DATE_FIELDS = {
    "customer_since",
    "start_date",
    "end_date",
    "notice_deadline",
    "extension_exercise_by",
    "market_approach_date",
    "decision_date",
    "left_on",
    "occurred_on",
    "confirmed_on",
    "validated_on",
    "opened_on",
    "resolved_on",
    "proposed_on",
    "delivered_on",
    "acknowledged_on",
    "responded_on",
    "done_on",
}
_DECIMAL_FIELDS = {"serve_hours_12m", "price_gap_pct"}


def _converters(fields: Sequence[str]) -> list[tuple[int, Callable[[str], Any]]]:
    out: list[tuple[int, Callable[[str], Any]]] = []
    for i, name in enumerate(fields):
        if name in _DATE_FIELDS:
            out.append((i, date.fromisoformat))
        elif name in _DECIMAL_FIELDS:
            out.append((i, Decimal))
    return out


def read_rows(
    store: Store, table: str, row_type: type, where: str = "", params: Sequence[Any] = ()
) -> list[Any]:
    """Rows of ``table`` as ``row_type`` named tuples (dates and decimals converted)."""
    fields = [f for f in row_type._fields if f != "stakeholder_ids"]
    sql = f"SELECT {', '.join(fields)} FROM {table}"
    if where:
        sql += f" WHERE {where}"
    convert = _converters(fields)
    rows = store.db.execute(sql + " ORDER BY rowid", list(params)).fetchall()
    if not convert:
        return [row_type._make(r) for r in rows]
    out = []
    for r in rows:
        values = list(r)
        for i, fn in convert:
            v = values[i]
            if v is not None:
                values[i] = fn(v)
        out.append(values)
    return out if row_type is InteractionRow else [row_type._make(v) for v in out]


def load_portfolio(
    store: Store,
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
    *,
    include_archived: bool = False,
) -> list[AccountData]:
    """Every account with everything the scores read: one query per table."""
    since = (today - timedelta(days=lookback_days(settings))).isoformat()
    with store.errors():
        accounts = read_rows(
            store, "accounts", AccountRow, "" if include_archived else "archived = 0"
        )
        by_id = {a.id: AccountData(a) for a in accounts}
        for c in read_rows(store, "contracts", ContractRow):
            if c.account_id in by_id:
                by_id[c.account_id].contracts.append(c)
        for s in read_rows(store, "stakeholders", StakeholderRow):
            if s.account_id in by_id:
                by_id[s.account_id].stakeholders.append(s)
        links: dict[str, list[str]] = defaultdict(list)
        for iid, sid in store.db.execute(
            "SELECT l.interaction_id, l.stakeholder_id FROM interaction_stakeholders AS l "
            "JOIN interactions AS i ON i.id = l.interaction_id "
            "WHERE i.occurred_on > ? AND i.occurred_on <= ? ORDER BY l.rowid",
            [since, today.isoformat()],
        ):
            links[iid].append(sid)
        for values in read_rows(
            store,
            "interactions",
            InteractionRow,
            "occurred_on > ? AND occurred_on <= ?",
            [since, today.isoformat()],
        ):
            data = by_id.get(values[1])
            if data is not None:
                values.append(tuple(links.get(values[0], ())))
                data.interactions.append(InteractionRow._make(values))
        for table, row_type, attr in (
            ("goals", GoalRow, "goals"),
            ("evidence", EvidenceRow, "evidence"),
            ("concerns", ConcernRow, "concerns"),
            ("improvements", ImprovementRow, "improvements"),
            ("change_events", ChangeRow, "changes"),
        ):
            for r in read_rows(store, table, row_type):
                data = by_id.get(r.account_id)
                if data is not None:
                    getattr(data, attr).append(r)
        contract_account = {c.id: c.account_id for d in by_id.values() for c in d.contracts}
        for ms in read_rows(store, "milestones", MilestoneRow):
            owner = contract_account.get(ms.contract_id)
            if owner is not None:
                by_id[owner].milestones.append(ms)
    for d in by_id.values():
        d.interactions.sort(key=lambda r: r.occurred_on)
    return list(by_id.values())
