"""Totals of annual value per currency, split by renewal risk band. Qt-free.

The Portfolio page shows these under its list for the rows it shows. Amounts are integer minor
units and are only ever added within one currency: a portfolio with pounds and euros has two
totals, never one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

#: Renewal risk bands, calmest first: the order the totals are shown in.
RISK_BANDS = ("low", "guarded", "elevated", "high")
#: The key for value whose account has no risk band (no live contract scored, not scored yet,
#: or archived).
NO_BAND = ""


@dataclass(slots=True)
class CurrencyTotal:
    """The annual value in one currency of the accounts counted, and where it sits by risk."""

    currency: str
    total_minor: int = 0
    #: Minor units per risk band (``RISK_BANDS``) and ``NO_BAND``; every key is present.
    by_band: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((*RISK_BANDS, NO_BAND), 0)
    )
    #: Accounts with a value in this currency.
    accounts: int = 0


def value_totals(
    rows: Iterable[tuple[str, int | None, str | None]],
) -> list[CurrencyTotal]:
    """Totals of ``(currency, annual value in minor units or None, risk band or None)`` rows.

    Rows without a value add nothing (and are not counted). An unknown band counts as no band,
    so the bands of a currency always add up to its total. One entry per currency, in the order
    of the currency codes.
    """
    totals: dict[str, CurrencyTotal] = {}
    for currency, value, band in rows:
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"amounts are integer minor units, not {value!r}")
        code = currency.upper()
        entry = totals.get(code)
        if entry is None:
            entry = totals[code] = CurrencyTotal(code)
        entry.total_minor += value
        entry.by_band[band if band in RISK_BANDS else NO_BAND] += value
        entry.accounts += 1
    return [totals[code] for code in sorted(totals)]
