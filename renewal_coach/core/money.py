"""Money as integer minor units (cents, pence, ...). Never a float.

Amounts are parsed from user text into ``int`` minor units and formatted back for display.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation

from .numbers import MAX_NUMBER_CHARS, within_limits
from .text import quote

#: ISO 4217 currencies the app offers, with their number of minor-unit digits.
CURRENCIES: dict[str, int] = {
    "GBP": 2,
    "EUR": 2,
    "USD": 2,
    "CHF": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "PLN": 2,
    "CAD": 2,
    "AUD": 2,
    "NZD": 2,
    "SGD": 2,
    "ZAR": 2,
    "INR": 2,
    "JPY": 0,
    "KRW": 0,
}
DEFAULT_CURRENCY = "GBP"
_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "JPY": "¥"}

#: Largest amount accepted, in major units: well beyond any contract, well inside SQLite's int64.
MAX_MAJOR = Decimal("1000000000000")  # one trillion

#: Arithmetic on amounts already limited to a few digits: never rounds, never overflows.
_EXACT = Context(prec=60, Emax=999, Emin=-999)

_STRIP = re.compile(r"[\s,_'’]")


def minor_digits(currency: str) -> int:
    """Number of digits after the decimal point for ``currency`` (2 when unknown)."""
    return CURRENCIES.get(currency.upper(), 2)


def parse_money(text: str | int | Decimal, currency: str = DEFAULT_CURRENCY) -> int:
    """Parse an amount typed by a person into integer minor units.

    Accepts ``"1,250,000"``, ``"1 250 000.50"``, ``"£1.2m"``, ``"450k"``, a Decimal or an int (taken
    as major units). Raises ``ValueError`` with a readable message for anything else, for a negative
    amount, or for more decimal places than the currency has.
    """
    digits = minor_digits(currency)
    if isinstance(text, bool):
        raise ValueError("is not an amount of money")
    places = digits
    multiplier = 0
    if isinstance(text, int):
        # Compared as ints first: converting a 100,000-digit int to Decimal would be slow.
        if text < 0:
            raise ValueError("cannot be negative")
        if text > MAX_MAJOR:
            raise ValueError("is implausibly large (over one trillion)")
        amount = Decimal(text)
    elif isinstance(text, Decimal):
        amount = text
    else:
        raw = _STRIP.sub("", str(text))
        if len(raw) > MAX_NUMBER_CHARS:
            raise ValueError(
                f"'{quote(text)}' is too long for an amount (at most {MAX_NUMBER_CHARS} characters)"
            )
        for symbol in set(_SYMBOLS.values()):
            raw = raw.replace(symbol, "")
        raw = raw.upper()
        if raw[:3] in CURRENCIES:
            raw = raw[3:]
        if raw.endswith(currency.upper()):
            raw = raw[: -len(currency)]
        if raw[-1:] in ("K", "M"):
            multiplier = 3 if raw[-1] == "K" else 6
            raw = raw[:-1]
        if not raw:
            raise ValueError("is empty: type an amount such as 250000 or 250k")
        try:
            amount = Decimal(raw)
        except (InvalidOperation, ValueError):
            raise ValueError(f"'{quote(text)}' is not an amount of money") from None
    if not amount.is_finite():
        raise ValueError(f"'{quote(text)}' is not an amount of money")
    if amount < 0:
        raise ValueError("cannot be negative")
    try:
        # Digits and exponent are checked before any arithmetic, which is then exact.
        amount = within_limits(amount, places=places + multiplier, shown=text)
    except ValueError as exc:
        if "decimal places" in str(exc):
            raise ValueError(f"has more than {digits} decimal places for {currency}") from None
        if "too large" in str(exc):
            raise ValueError("is implausibly large (over one trillion)") from None
        raise
    amount = amount.scaleb(multiplier, _EXACT)
    if amount > MAX_MAJOR:
        raise ValueError("is implausibly large (over one trillion)")
    scaled = amount.scaleb(digits, _EXACT)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"has more than {digits} decimal places for {currency}")
    return int(scaled)


def to_decimal(minor: int, currency: str = DEFAULT_CURRENCY) -> Decimal:
    """Minor units as an exact Decimal in major units (for JSON and exports)."""
    digits = minor_digits(currency)
    return (Decimal(minor) / (Decimal(10) ** digits)).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN
    )


def format_money(
    minor: int | None, currency: str = DEFAULT_CURRENCY, *, compact: bool = False
) -> str:
    """Format minor units for people: ``£1,250,000`` or, compact, ``£1.25m``. None gives ``—``."""
    if minor is None:
        return "—"
    symbol = _SYMBOLS.get(currency.upper(), currency.upper() + " ")
    value = to_decimal(minor, currency)
    sign = "-" if value < 0 else ""
    value = abs(value)
    if compact:
        for limit, suffix in (
            (Decimal(1_000_000_000), "bn"),
            (Decimal(1_000_000), "m"),
            (Decimal(1000), "k"),
        ):
            if value >= limit:
                scaled = (value / limit).quantize(Decimal("0.01"))
                text = f"{scaled:f}".rstrip("0").rstrip(".")
                return f"{sign}{symbol}{text}{suffix}"
    if value == value.to_integral_value():
        return f"{sign}{symbol}{int(value):,}"
    return f"{sign}{symbol}{value:,.{minor_digits(currency)}f}"


def money_str(minor: int | None, currency: str = DEFAULT_CURRENCY) -> str | None:
    """Exact decimal string for machine output (JSON): ``"1250000.00"``; None stays None."""
    if minor is None:
        return None
    return f"{to_decimal(minor, currency):f}"
