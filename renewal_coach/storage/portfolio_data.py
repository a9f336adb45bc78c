"""Gather :class:`~renewal_coach.core.scoring.data.AccountData` for scoring, fast.

Two ways in: :func:`load_account` reads one account through the repositories (full models, for
the account workspace and the exports) and :func:`load_portfolio` reads every account with a few
queries per table into light named tuples: no query per account, and interactions only from the
look-back window the scores use. Both give the scoring code the same attribute names.

:func:`load_portfolio_steps` is the same reading a page at a time (a few thousand rowids of one
table, each page a query of its own) for callers that must stay responsive; ``load_portfolio``
runs it to the end. SQLite hands each page over as one JSON array, and the rows are built
without a Python loop per value: the columns to convert go through caches (each date or decimal
text parsed once) and the named tuples are made with ``map``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Generator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from operator import itemgetter
from typing import Any, NamedTuple

from ..core.scoring.data import AccountData
from ..core.scoring.portfolio import run_steps
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
    tracked_since: date | None


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
    "tracked_since",
}
_DECIMAL_FIELDS = {"serve_hours_12m", "price_gap_pct"}


class _Dates(dict[Any, Any]):
    """ISO date text to :class:`date`, each distinct text parsed once; None stays None."""

    def __missing__(self, key: Any) -> date | None:
        value = None if key is None else date.fromisoformat(key)
        self[key] = value
        return value


class _Decimals(dict[Any, Any]):
    """Stored number to :class:`Decimal`, each distinct value converted once; None stays None."""

    def __missing__(self, key: Any) -> Decimal | None:
        value = None if key is None else Decimal(key)
        self[key] = value
        return value


class _Links(dict[str, tuple[str, ...]]):
    """Interaction id to its stakeholder ids; an interaction with none gets ``()``."""

    def __missing__(self, key: str) -> tuple[str, ...]:
        return ()


def _columns(row_type: type) -> list[str]:
    return [f for f in row_type._fields if f != "stakeholder_ids"]


def _build(
    raw: Sequence[Sequence[Any]],
    row_type: type,
    fields: Sequence[str],
    dates: _Dates,
    decimals: _Decimals,
    *,
    skip: int = 0,
    links: _Links | None = None,
) -> list[Any]:
    """``row_type`` tuples from query rows: the first ``skip`` columns dropped, dates and
    decimals converted, and (interactions) each row's stakeholder ids appended from ``links``
    keyed by its first field."""
    if not raw:
        return []
    convert = [
        (i, dates if f in _DATE_FIELDS else decimals)
        for i, f in enumerate(fields)
        if f in _DATE_FIELDS or f in _DECIMAL_FIELDS
    ]
    make = partial(tuple.__new__, row_type)
    if not convert and not skip and links is None:
        return list(map(make, raw))
    columns: list[Any] = list(zip(*raw, strict=True))[skip:]
    for i, cache in convert:
        columns[i] = map(cache.__getitem__, columns[i])
    if links is not None:
        columns.append(map(links.__getitem__, columns[0]))
    return list(map(make, zip(*columns, strict=True)))


def read_rows(
    store: Store, table: str, row_type: type, where: str = "", params: Sequence[Any] = ()
) -> list[Any]:
    """Rows of ``table`` as ``row_type`` named tuples (dates and decimals converted; an
    interaction gets no stakeholder ids)."""
    fields = _columns(row_type)
    sql = f"SELECT {', '.join(fields)} FROM {table}"
    if where:
        sql += f" WHERE {where}"
    rows = store.db.execute(sql + " ORDER BY rowid", list(params)).fetchall()
    links = _Links() if row_type is InteractionRow else None
    return _build(rows, row_type, fields, _Dates(), _Decimals(), links=links)


#: Rowids covered per page by :func:`load_portfolio_steps`: a page takes some 5 to 25 ms.
PAGE_ROWS = 4000

_LAST_ROWID = 2**63 - 1


def _pages(
    store: Store,
    table: str,
    columns: Sequence[str],
    where: str = "",
    params: Sequence[Any] = (),
    size: int = PAGE_ROWS,
) -> Generator[tuple[list[Sequence[Any]], float], None, None]:
    """The rows of ``table`` in rowid order, ``size`` rowids at a time, each row with its rowid
    first, and with each page how far through the table's rowids it reaches (0..1).

    Each page is a query of its own over a range of rowids, so nothing is left open between
    pages. SQLite hands a page over as one JSON array, which Python's C decoder turns into
    lists faster than the cursor makes tuples row by row (text, integers and NULL come back
    unchanged; the tables read here hold no floating-point or binary values). Without
    SQLite's JSON functions the rows are fetched the ordinary way.
    """
    columns = ", ".join(["rowid", *columns])
    condition = f" AND ({where})" if where else ""
    as_json = (
        f"SELECT json_group_array(json_array({columns})) FROM {table} "
        f"WHERE rowid >= ? AND rowid <= ?{condition}"
    )
    as_rows = f"SELECT {columns} FROM {table} WHERE rowid >= ? AND rowid <= ?{condition}"
    after = f"SELECT min(rowid) FROM {table} WHERE rowid > ?"
    with store.errors():
        # two subqueries: SQLite finds a lone min() or max() of the rowid without a scan
        low, high = store.db.execute(
            f"SELECT (SELECT min(rowid) FROM {table}), (SELECT max(rowid) FROM {table})"
        ).fetchone()
    start = low
    while start is not None:
        last = min(start + max(size, 1) - 1, _LAST_ROWID)
        args = [start, last, *params]
        with store.errors():
            if _JSON[0]:
                try:
                    rows: list[Sequence[Any]] = json.loads(
                        store.db.execute(as_json, args).fetchone()[0]
                    )
                except sqlite3.OperationalError as exc:
                    if "no such function" not in str(exc):
                        raise
                    _JSON[0] = False
            if not _JSON[0]:
                rows = store.db.execute(as_rows + " ORDER BY rowid", args).fetchall()
            start = store.db.execute(after, [last]).fetchone()[0]
        rowids = list(map(_FIRST, rows))
        if rowids != sorted(rowids):  # an aggregate keeps the scan order: make sure
            rows.sort(key=_FIRST)
        yield rows, 1.0 if start is None else (last - low + 1) / (high - low + 1)


#: Whether SQLite has its JSON functions (found out on first use).
_JSON = [True]


def _add_links(page: list[Sequence[Any]], links: _Links) -> None:
    """Add (rowid, interaction id, stakeholder id) rows, in rowid order, to ``links``."""
    # Most interactions have one stakeholder: then the page goes in whole.
    fresh = dict(zip(map(_SECOND, page), zip(map(_THIRD, page)), strict=True))
    if len(fresh) == len(page) and links.keys().isdisjoint(fresh):
        links.update(fresh)
        return
    for _rowid, interaction_id, stakeholder_id in page:
        found = links.get(interaction_id)
        links[interaction_id] = (stakeholder_id,) if found is None else (*found, stakeholder_id)


_FIRST = itemgetter(0)
_SECOND = itemgetter(1)
_THIRD = itemgetter(2)
_OCCURRED_ON = itemgetter(3)  # of an InteractionRow


def _add(rows: list[Any], lists: dict[str, list[Any]]) -> None:
    """Append each row to the list its second field (the account, or a milestone's contract)
    picks; rows of accounts not being read are dropped."""
    get = lists.get
    for row, owner in zip(rows, map(_SECOND, rows), strict=True):
        found = get(owner)
        if found is not None:
            found.append(row)


def load_portfolio(
    store: Store,
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
    *,
    include_archived: bool = False,
) -> list[AccountData]:
    """Every account with everything the scores read: a few queries per table, none per
    account (:func:`load_portfolio_steps` run to the end)."""
    return run_steps(
        load_portfolio_steps(store, today, settings, include_archived=include_archived)
    )


#: The tables read after accounts, in order, with the AccountData list they fill and the share
#: of the reading time they take at 5,000 accounts (only used for the progress figure).
_TABLES: tuple[tuple[str, type, str, float], ...] = (
    ("contracts", ContractRow, "contracts", 0.12),
    ("stakeholders", StakeholderRow, "stakeholders", 0.10),
    ("interaction_stakeholders", tuple, "", 0.22),
    ("interactions", InteractionRow, "interactions", 0.40),
    ("goals", GoalRow, "goals", 0.04),
    ("evidence", EvidenceRow, "evidence", 0.02),
    ("concerns", ConcernRow, "concerns", 0.02),
    ("improvements", ImprovementRow, "improvements", 0.02),
    ("change_events", ChangeRow, "changes", 0.01),
    ("milestones", MilestoneRow, "milestones", 0.01),
)


def load_portfolio_steps(
    store: Store,
    today: date,
    settings: ScoreSettings = DEFAULT_SETTINGS,
    *,
    include_archived: bool = False,
    size: int = PAGE_ROWS,
) -> Generator[float, None, list[AccountData]]:
    """:func:`load_portfolio` a page at a time (``size`` rowids of one table; pages of a few
    thousand rows are also faster than whole tables, as their new objects stay in the
    processor's cache), yielding the share done (0..1) after each page.

    The generator *returns* the list (``StopIteration.value``: collect it with
    :func:`~renewal_coach.core.scoring.portfolio.run_steps` or ``yield from``). The rows of
    each account come out exactly as one query per table ordered by rowid gives them:
    interactions by date and then in the order they were stored, everything else in the order
    it was stored.
    """
    since = (today - timedelta(days=lookback_days(settings))).isoformat()
    dates, decimals = _Dates(), _Decimals()

    fields = _columns(AccountRow)
    by_id: dict[str, AccountData] = {}
    live = "" if include_archived else "archived = 0"
    done = 0.02
    for page, reach in _pages(store, "accounts", fields, live, size=size):
        for a in _build(page, AccountRow, fields, dates, decimals, skip=1):
            by_id[a.id] = AccountData(a)
        yield done * reach

    links = _Links()
    for table, row_type, attr, share in _TABLES:
        if row_type is tuple:  # interaction_stakeholders
            for page, reach in _pages(
                store, table, ["interaction_id", "stakeholder_id"], size=size
            ):
                _add_links(page, links)
                yield done + share * reach
            done += share
            continue
        fields = _columns(row_type)
        where, params = "", []
        if row_type is InteractionRow:
            where, params = "occurred_on > ? AND occurred_on <= ?", [since, today.isoformat()]
        lists = {aid: getattr(d, attr) for aid, d in by_id.items()}
        if row_type is MilestoneRow:  # (id, contract_id, …): to the contract's account
            owner = {c.id: c.account_id for d in by_id.values() for c in d.contracts}
            lists = {cid: lists[aid] for cid, aid in owner.items()}
        for page, reach in _pages(store, table, fields, where, params, size):
            built = _build(
                page,
                row_type,
                fields,
                dates,
                decimals,
                skip=1,
                links=links if row_type is InteractionRow else None,
            )
            _add(built, lists)
            yield done + share * reach
        done += share
    for d in by_id.values():
        if len(d.interactions) > 1:
            d.interactions.sort(key=_OCCURRED_ON)
    return list(by_id.values())
