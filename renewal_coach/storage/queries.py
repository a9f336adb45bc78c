"""Read-only summaries across many records, computed in SQL so lists stay fast at any size.

Repositories return one entity type at a time; the screens that list the whole portfolio need a
row per account with figures drawn from its contracts. Building those from ``all()`` calls would
mean a query per account, so each summary here is a single aggregate query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.enums import ContractStatus
from .repository import Store

#: Contract statuses that still count towards an account's renewals and annual value.
LIVE_STATUSES: tuple[ContractStatus, ...] = (ContractStatus.ACTIVE, ContractStatus.RENEWING)


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One line of the portfolio list.

    ``next_renewal`` is the earliest end date, on or after the reference day, of the account's
    active or renewing contracts (None when there is none). ``annual_value_minor`` is the sum of
    the annual values of those live contracts, in the account's currency's minor units (None
    when no live contract has a value).
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
       MIN(CASE WHEN c.end_date >= :today THEN c.end_date END) AS next_renewal,
       SUM(c.annual_value_minor) AS annual_value_minor
FROM accounts AS a
LEFT JOIN contracts AS c
       ON c.account_id = a.id AND c.status IN ({statuses})
{where}
GROUP BY a.id
ORDER BY a.name COLLATE NOCASE, a.id
"""


def account_rows(store: Store, today: date, *, include_archived: bool = False) -> list[AccountRow]:
    """Every account with its next renewal date and live annual value, in one query.

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
    return [
        AccountRow(
            id=row[0],
            name=row[1],
            industry=row[2],
            owner=row[3],
            currency=row[4],
            archived=bool(row[5]),
            next_renewal=date.fromisoformat(row[6]) if row[6] else None,
            annual_value_minor=row[7],
        )
        for row in rows
    ]
