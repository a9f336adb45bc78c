"""The rows of the portfolio and renewals lists, Qt-free.

The Portfolio and Renewals pages show these rows, and ``renewal-coach export portfolio`` and
``export renewals`` write them: one computation, so a file holds what the page shows. The pages
add only what is about people and pixels (translated words, symbols, colours, tooltips).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from .dates import add_months
from .deadlines import notice_deadline
from .money import DEFAULT_CURRENCY
from .scoring.portfolio import AccountScores, ContractScores
from .scoring.timeline import LIVE, MILESTONES, MilestoneDue


def text_key(text: str) -> str:
    """Fold case and accents so "Émile" sorts with "emile", not after "zebra"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sorted_order(
    keys: Sequence[tuple[Any, ...]], column: int, *, descending: bool = False, tie: int = 0
) -> list[int]:
    """Row numbers ordered by ``keys[row][column]``: blanks (None) last in both directions,
    equal values in the order of ``keys[row][tie]`` (the name), even when descending."""
    by_tie = sorted(range(len(keys)), key=lambda i: keys[i][tie])
    present = [i for i in by_tie if keys[i][column] is not None]
    blank = [i for i in by_tie if keys[i][column] is None]
    present.sort(key=lambda i: keys[i][column], reverse=descending)
    return present + blank


def money_key(currency: str, amount_minor: int | None) -> tuple[str, int] | None:
    """How an amount is ordered: by currency code, then by amount in that currency's minor
    units. Amounts of different currencies are never compared with each other (100,000 yen is
    not more than 1,000 pounds); None (no amount) is a blank. See docs/decisions.md."""
    return None if amount_minor is None else (currency.upper(), amount_minor)


# ---- portfolio ----------------------------------------------------------------------------------

SEGMENT_ORDER = {"treasure": 0, "develop": 1, "maintain": 2, "drain": 3, "unrated": 4}


class AccountLine(Protocol):
    """What the portfolio list reads of an account
    (:class:`renewal_coach.storage.queries.AccountRow`)."""

    id: str
    name: str
    industry: str
    owner: str
    currency: str
    next_renewal: date | None
    annual_value_minor: int | None


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    """What the portfolio list shows of one account's scores."""

    segment: str
    segment_label: str
    contribution_minor: int | None
    risk_band: str | None
    risk_label: str
    risk_score: float | None
    engagement_band: str
    engagement_label: str
    balance: float
    flags: tuple[str, ...] = ()
    anchor: date | None = None
    anchor_basis: str = ""

    @classmethod
    def of(cls, scores: AccountScores) -> ScoreSummary:
        risk = scores.risk
        return cls(
            scores.segment.band,
            scores.segment.band_label,
            scores.segment.extra.get("contribution_minor"),
            risk.band if risk else None,
            risk.band_label if risk else "",
            risk.score if risk else None,
            scores.engagement.band,
            scores.engagement.band_label,
            float(scores.engagement.score or 0.0),
            tuple(f.label for f in scores.engagement.flags),
            scores.primary.campaign.anchor if scores.primary else None,
            scores.primary.campaign.anchor_basis if scores.primary else "",
        )


class PortfolioColumn:
    """The portfolio list's columns, in their default order (saved layouts rely on these)."""

    NAME, INDUSTRY, OWNER, NEXT_RENEWAL, ANNUAL_VALUE, SEGMENT, CONTRIBUTION, RISK, ENGAGEMENT = (
        range(9)
    )
    #: The customer's decision date for the next renewal (the campaign's anchor), added last.
    ANCHOR = 9
    COUNT = 10
    SCORES = (SEGMENT, CONTRIBUTION, RISK, ENGAGEMENT, ANCHOR)
    #: The order the page opens in.
    DEFAULT_SORT = NEXT_RENEWAL


def portfolio_sort_keys(row: AccountLine, summary: ScoreSummary | None = None) -> tuple[Any, ...]:
    """The values a portfolio row is ordered by, one per column; None marks a blank."""
    return (
        text_key(row.name),
        text_key(row.industry) or None,
        text_key(row.owner) or None,
        row.next_renewal,
        money_key(row.currency, row.annual_value_minor),
        SEGMENT_ORDER.get(summary.segment) if summary else None,
        money_key(row.currency, summary.contribution_minor) if summary else None,
        summary.risk_score if summary else None,
        summary.balance if summary else None,
        summary.anchor if summary else None,
    )


def portfolio_lines(
    rows: Sequence[AccountLine],
    summaries: Mapping[str, ScoreSummary],
    column: int = PortfolioColumn.DEFAULT_SORT,
    *,
    descending: bool = False,
) -> list[tuple[AccountLine, ScoreSummary | None]]:
    """Each account with its score summary, in the order the page shows when sorted by
    ``column`` (by default: next renewal first, accounts with none last)."""
    keys = [portfolio_sort_keys(r, summaries.get(r.id)) for r in rows]
    order = sorted_order(keys, column, descending=descending, tie=PortfolioColumn.NAME)
    return [(rows[i], summaries.get(rows[i].id)) for i in order]


# ---- renewals -----------------------------------------------------------------------------------

#: How far ahead a renewal is listed (and drawn on the horizon chart).
HORIZON_MONTHS = 36

#: A milestone status in words; "" is a campaign with every milestone done.
STATUS_LABELS = {
    "overdue": "Overdue",
    "due": "Due soon",
    "upcoming": "Upcoming",
    "done": "Done",
    "before_tracking": "Before tracking",
    "": "All done",
}
#: Worst first: the order the status column sorts in.
STATUS_ORDER = {"overdue": 0, "due": 1, "upcoming": 2, "done": 3, "before_tracking": 4, "": 5}
OPEN_STATUSES = ("overdue", "due", "upcoming")
#: What Mark Milestone Done offers: the open ones and those from before tracking began.
MARKABLE_STATUSES = (*OPEN_STATUSES, "before_tracking")
MILESTONE_ORDER = {code: i for i, code in enumerate(MILESTONES)}


@dataclass(frozen=True, slots=True)
class RenewalRow:
    """One contract as the renewals list shows it."""

    account_id: str
    account_name: str
    contract_id: str
    reference: str
    title: str
    currency: str
    anchor: date
    next_code: str
    next_occurrence: int
    next_label: str
    next_due: date | None
    next_status: str  # overdue, due, upcoming, or "" when every milestone is done
    next_done_means: str
    overdue_count: int
    risk_band: str | None
    risk_label: str
    risk_score: float | None
    annual_value_minor: int | None
    scores: ContractScores
    #: Milestones due before the campaign began to be kept here, not done (never overdue).
    before_tracking_count: int = 0
    tracked_since: date | None = None
    #: The notice deadline (stated, or the end date less the notice period).
    notice_deadline: date | None = None

    @property
    def quarter(self) -> tuple[int, int]:
        return self.anchor.year, (self.anchor.month - 1) // 3 + 1

    @property
    def milestone_text(self) -> str:
        """``"M3 Campaign kickoff"``, or "" when every milestone is done."""
        return f"{self.next_code} {self.next_label}" if self.next_code else ""

    def open_milestones(self) -> list[MilestoneDue]:
        """Milestones not done yet, in date order (what can be marked done), those from
        before tracking began included."""
        return [m for m in self.scores.campaign.milestones if m.status in MARKABLE_STATUSES]


def renewal_rows(
    scores: Mapping[str, AccountScores], today: date, months: int = HORIZON_MONTHS
) -> list[RenewalRow]:
    """Live contracts whose anchor falls in the next ``months`` or that have overdue
    milestones, in anchor order (then account name and reference): the order the Renewals page
    opens in."""
    until = add_months(today, months)
    rows = []
    for account in scores.values():
        currency = account.segment.extra.get("currency") or DEFAULT_CURRENCY
        for cs in account.contracts:
            contract, camp = cs.contract, cs.campaign
            if contract.status not in LIVE:
                continue
            if not (today <= camp.anchor <= until or camp.overdue_count > 0):
                continue
            nxt = camp.next_milestone()
            risk = cs.risk
            rows.append(
                RenewalRow(
                    account_id=account.account_id,
                    account_name=account.name,
                    contract_id=contract.id,
                    reference=contract.reference,
                    title=contract.title,
                    currency=currency,
                    anchor=camp.anchor,
                    next_code=nxt.code if nxt else "",
                    next_occurrence=nxt.occurrence if nxt else 0,
                    next_label=nxt.label if nxt else "",
                    next_due=nxt.due if nxt else None,
                    next_status=nxt.status if nxt else "",
                    next_done_means=nxt.done_means if nxt else "",
                    overdue_count=camp.overdue_count,
                    risk_band=risk.band if risk else None,
                    risk_label=risk.band_label if risk else "",
                    risk_score=risk.score if risk else None,
                    annual_value_minor=contract.annual_value_minor,
                    scores=cs,
                    before_tracking_count=len(camp.before_tracking),
                    tracked_since=contract.tracked_since,
                    notice_deadline=notice_deadline(contract),
                )
            )
    rows.sort(key=lambda r: (r.anchor, text_key(r.account_name), r.reference))
    return rows


def renewal_sort_keys(row: RenewalRow) -> tuple[Any, ...]:
    """The value a renewals row is ordered by in each column; None marks a blank."""
    return (
        row.anchor,
        text_key(row.account_name),
        text_key(f"{row.reference} {row.title}"),
        # Campaign order (M0 … M10, N, X), then the occurrence of a repeating review.
        MILESTONE_ORDER[row.next_code] * 1000 + row.next_occurrence if row.next_code else None,
        row.next_due,
        # Worst status first; among overdue ones, the most overdue milestones first.
        STATUS_ORDER.get(row.next_status, len(STATUS_ORDER)) * 100_000 - row.overdue_count,
        row.risk_score,
        money_key(row.currency, row.annual_value_minor),
        row.before_tracking_count or None,
        row.notice_deadline,
    )
