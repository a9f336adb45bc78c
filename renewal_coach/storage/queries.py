"""Read-only summaries across many records, computed in SQL so lists stay fast at any size.

Repositories return one entity type at a time; the screens that list the whole portfolio need a
row per account with figures drawn from its contracts. Building those from ``all()`` calls would
mean a query per account, so each summary here is a single aggregate query (and, for the next
renewal, one more query over the live contracts, chosen by the core's one definition).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.enums import ContractStatus
from ..core.scoring.timeline import next_renewal
from .repository import Store

#: Contract statuses that still count towards an account's renewals and annual value.
LIVE_STATUSES: tuple[ContractStatus, ...] = (ContractStatus.ACTIVE, ContractStatus.RENEWING)


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One line of the portfolio list.

    ``next_renewal`` is the end date of the account's next renewal, as
    :func:`~renewal_coach.core.scoring.timeline.next_renewal` chooses it (the same contract and
    date the Insights page and the scores name; None when no live contract ends from today on).
    ``annual_value_minor`` is the sum of the annual values of the live contracts, in the
    account's currency's minor units (None when no live contract has a value).
    """

    id: str
    name: str
    industry: str
    owner: str
    currency: str
    next_renewal: date | None
    annual_value_minor: int | None
    archived: bool = False


_ACCOUNT_ROWS_SQL = """
SELECT a.id, a.name, a.industry, a.owner, a.currency, a.archived,
       SUM(c.annual_value_minor) AS annual_value_minor
FROM accounts AS a
LEFT JOIN contracts AS c
       ON c.account_id = a.id AND c.status IN ({statuses})
{where}
GROUP BY a.id
ORDER BY a.name COLLATE NOCASE, a.id
"""

_LIVE_AHEAD_SQL = """
SELECT c.account_id, c.reference, c.status, c.start_date, c.end_date, c.decision_date,
       c.market_approach_date
FROM contracts AS c
WHERE c.status IN ({statuses}) AND c.end_date >= :today
"""


@dataclass(frozen=True, slots=True)
class _LiveContract:
    """What :func:`next_renewal` reads of a contract, straight from its row."""

    reference: str
    status: str
    start_date: date
    end_date: date
    decision_date: date | None
    market_approach_date: date | None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _next_renewals(store: Store, today: date, params: dict[str, object]) -> dict[str, date]:
    """Each account's next renewal date (its end date), for accounts that have one."""
    marks = ", ".join(f":s{i}" for i in range(len(LIVE_STATUSES)))
    with store.errors():
        rows = store.db.execute(_LIVE_AHEAD_SQL.format(statuses=marks), params).fetchall()
    by_account: dict[str, list[_LiveContract]] = {}
    for account_id, reference, status, start, end, decision, approach in rows:
        by_account.setdefault(account_id, []).append(
            _LiveContract(reference, status, _day(start), _day(end), _day(decision), _day(approach))
        )
    out: dict[str, date] = {}
    for account_id, contracts in by_account.items():
        chosen = next_renewal(contracts, today)
        if chosen is not None:
            out[account_id] = chosen.end_date
    return out


def account_rows(store: Store, today: date, *, include_archived: bool = False) -> list[AccountRow]:
    """Every account with its next renewal date and live annual value, in two queries.

    Accounts are ordered by name (case-insensitive). Archived accounts are left out unless
    ``include_archived`` is true. Contracts that are renewed, lost, exited or expired count for
    neither figure; a live contract that has already ended counts for the value but is not a
    next renewal.
    """
    marks = ", ".join(f":s{i}" for i in range(len(LIVE_STATUSES)))
    sql = _ACCOUNT_ROWS_SQL.format(
        statuses=marks, where="" if include_archived else "WHERE a.archived = 0"
    )
    params: dict[str, object] = {"today": today.isoformat()}
    params.update({f"s{i}": status.value for i, status in enumerate(LIVE_STATUSES)})
    with store.errors():
        rows = store.db.execute(sql, params).fetchall()
    renewals = _next_renewals(store, today, params)
    return [
        AccountRow(
            id=row[0],
            name=row[1],
            industry=row[2],
            owner=row[3],
            currency=row[4],
            archived=bool(row[5]),
            next_renewal=renewals.get(row[0]),
            annual_value_minor=row[6],
        )
        for row in rows
    ]
