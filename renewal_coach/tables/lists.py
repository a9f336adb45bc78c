"""The portfolio and renewals lists as tables to write out. Qt-free.

Each column of a page becomes one or more typed columns of a file: a date stays a date, money
becomes an exact number with the currency in a column of its own, and a cell that combines two
things on screen ("▲ Elevated (63)", "C-104 – Managed print") is split so a spreadsheet can sort
and filter each part. The rows come from :mod:`renewal_coach.core.lists`, the computation the
pages use, so ``renewal-coach export`` writes what the pages show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from ..core.lists import (
    STATUS_LABELS,
    AccountLine,
    PortfolioColumn,
    RenewalRow,
    ScoreSummary,
    portfolio_lines,
    renewal_rows,
)
from ..core.money import to_decimal
from ..storage.queries import account_rows
from ..storage.repository import Store
from .table import CURRENCY_KEY, CURRENCY_TITLE, Column, Table

_CURRENCY = Column(CURRENCY_KEY, CURRENCY_TITLE)


def _money(minor: int | None, currency: str) -> Any:
    return None if minor is None else to_decimal(minor, currency)


def _score(value: float | None) -> int | None:
    """A 0-100 risk score as the pages show it, a whole number."""
    return None if value is None else round(value)


# ---- portfolio ----------------------------------------------------------------------------------

PortfolioLine = tuple[AccountLine, ScoreSummary | None]
_P = PortfolioColumn

#: For each column of the Portfolio page, the columns it becomes in a file and how each value
#: is read from an account row and its score summary (None until the scores are in).
PORTFOLIO_COLUMNS: dict[int, tuple[tuple[Column, Callable[[Any, Any], Any]], ...]] = {
    _P.NAME: ((Column("account", "Account"), lambda r, s: r.name),),
    _P.INDUSTRY: ((Column("industry", "Industry"), lambda r, s: r.industry),),
    _P.OWNER: ((Column("owner", "Account owner"), lambda r, s: r.owner),),
    _P.NEXT_RENEWAL: (
        (Column("next_renewal", "Next renewal", "date"), lambda r, s: r.next_renewal),
    ),
    _P.ANNUAL_VALUE: (
        (
            Column("annual_value", "Annual value", "money"),
            lambda r, s: _money(r.annual_value_minor, r.currency),
        ),
    ),
    _P.SEGMENT: ((Column("segment", "Segment"), lambda r, s: s.segment_label if s else None),),
    _P.CONTRIBUTION: (
        (
            Column("contribution", "Contribution", "money"),
            lambda r, s: _money(s.contribution_minor, r.currency) if s else None,
        ),
    ),
    _P.RISK: (
        (Column("risk", "Renewal risk"), lambda r, s: s.risk_label or None if s else None),
        (
            Column("risk_score", "Risk score", "int"),
            lambda r, s: _score(s.risk_score if s else None),
        ),
    ),
    _P.ENGAGEMENT: (
        (Column("engagement", "Engagement"), lambda r, s: s.engagement_label if s else None),
    ),
    _P.ANCHOR: (
        (Column("decision_date", "Decision date", "date"), lambda r, s: s.anchor if s else None),
    ),
}


def portfolio_table(lines: Sequence[PortfolioLine], columns: Sequence[int] | None = None) -> Table:
    """The Portfolio page's ``lines`` (account row, score summary) as a table, with the page
    columns ``columns`` in that order (all, in the page's order, by default) and a currency
    column after the first money column."""
    return _table("Portfolio", PORTFOLIO_COLUMNS, lines, columns, lambda line: line)


def load_portfolio_table(store: Store, today: date) -> Table:
    """Every account that is not archived, scored, in the order the Portfolio page opens in
    (next renewal first), with all of the page's columns."""
    from ..storage.scores import portfolio_scores

    scores = portfolio_scores(store, today)
    summaries = {k: ScoreSummary.of(v) for k, v in scores.items()}
    return portfolio_table(portfolio_lines(account_rows(store, today), summaries))


# ---- renewals -----------------------------------------------------------------------------------


class RenewalsColumn:
    """The renewals list's columns, in their default order."""

    ANCHOR, ACCOUNT, CONTRACT, MILESTONE, DUE, STATUS, RISK, VALUE, BEFORE = range(9)
    #: Added later (the page shows it after the value).
    NOTICE = 9
    COUNT = 10
    #: The order the page shows the columns in (and a full export writes them in).
    PAGE_ORDER = (ANCHOR, ACCOUNT, CONTRACT, MILESTONE, DUE, STATUS, RISK, VALUE, NOTICE, BEFORE)


_R = RenewalsColumn


def _quarter(row: RenewalRow) -> str:
    year, quarter = row.quarter
    return f"{year} Q{quarter}"


#: Always first: the page groups its rows by the quarter of their anchor date.
QUARTER_COLUMN = (Column("quarter", "Quarter"), lambda r: _quarter(r))

RENEWALS_COLUMNS: dict[int, tuple[tuple[Column, Callable[[Any], Any]], ...]] = {
    _R.ANCHOR: ((Column("anchor", "Anchor date", "date"), lambda r: r.anchor),),
    _R.ACCOUNT: ((Column("account", "Account"), lambda r: r.account_name),),
    _R.CONTRACT: (
        (Column("reference", "Reference"), lambda r: r.reference),
        (Column("title", "Contract"), lambda r: r.title),
    ),
    _R.MILESTONE: ((Column("milestone", "Next milestone"), lambda r: r.milestone_text or None),),
    _R.DUE: ((Column("due", "Due", "date"), lambda r: r.next_due),),
    _R.STATUS: (
        (Column("status", "Status"), lambda r: STATUS_LABELS.get(r.next_status, r.next_status)),
        (Column("overdue", "Overdue milestones", "int"), lambda r: r.overdue_count),
    ),
    _R.RISK: (
        (Column("risk", "Renewal risk"), lambda r: r.risk_label or None),
        (Column("risk_score", "Risk score", "int"), lambda r: _score(r.risk_score)),
    ),
    _R.VALUE: (
        (
            Column("annual_value", "Annual value", "money"),
            lambda r: _money(r.annual_value_minor, r.currency),
        ),
    ),
    _R.BEFORE: (
        (
            Column("before_tracking", "Milestones before tracking", "int"),
            lambda r: r.before_tracking_count,
        ),
        (Column("tracked_since", "Tracked since", "date"), lambda r: r.tracked_since),
    ),
    _R.NOTICE: (
        (Column("notice_deadline", "Notice deadline", "date"), lambda r: r.notice_deadline),
    ),
}


def renewals_table(rows: Sequence[RenewalRow], columns: Sequence[int] | None = None) -> Table:
    """The Renewals page's ``rows`` as a table: the quarter, then the page columns
    ``columns`` in that order (all by default), and a currency column after the money."""
    spec = {-1: (QUARTER_COLUMN,), **RENEWALS_COLUMNS}
    chosen = [-1, *(RenewalsColumn.PAGE_ORDER if columns is None else columns)]
    return _table("Renewals", spec, rows, chosen, lambda row: (row,))


def load_renewals_table(store: Store, today: date) -> Table:
    """The contracts the Renewals page lists, in the order it opens in, with all its columns."""
    from ..storage.scores import portfolio_scores

    return renewals_table(renewal_rows(portfolio_scores(store, today), today))


# ---- shared -------------------------------------------------------------------------------------


def _table(
    name: str,
    spec: dict[int, tuple[tuple[Column, Callable[..., Any]], ...]],
    items: Sequence[Any],
    columns: Sequence[int] | None,
    args: Callable[[Any], tuple[Any, ...]],
) -> Table:
    chosen = list(spec if columns is None else dict.fromkeys(columns))
    unknown = [c for c in chosen if c not in spec]
    if unknown:
        raise KeyError(f"no such columns in the {name.lower()} list: {unknown}")
    parts = [part for c in chosen for part in spec[c]]
    getters = [get for _column, get in parts]
    out_columns = [column for column, _get in parts]
    money = [c for c in out_columns if c.kind == "money"]
    if money and CURRENCY_KEY not in {c.key for c in out_columns}:
        at = out_columns.index(money[0]) + 1
        out_columns.insert(at, _CURRENCY)
        getters.insert(at, _currency_of)
    rows = []
    for item in items:
        values = args(item)
        rows.append(tuple(get(*values) for get in getters))
    return Table(name, tuple(out_columns), rows)


def _currency_of(row: Any, *_rest: Any) -> str:
    """The currency of an account row or a renewals row (the account's)."""
    return str(row.currency)
