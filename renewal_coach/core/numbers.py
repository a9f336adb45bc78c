"""Numbers typed by people, read within hard limits on length, digits and exponent.

``Decimal`` and ``int`` accept numbers of any size: ``"1E-100000000"`` is a valid Decimal that
prints as 100 million characters, and ``"1e-999999999999999999"`` cannot be printed at all. Every
numeric field of the app therefore goes through :func:`bounded_decimal` (or, for whole numbers,
:func:`bounded_int`), which either returns a small, exact value or raises ``ValueError`` with a
short message that quotes at most the first characters of what was given.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .text import quote

#: Longest text read as a number (after trimming): room for "1,000,000,000,000.00" and more.
MAX_NUMBER_CHARS = 40
#: Most significant digits a number may have.
MAX_DIGITS = 20
#: Numbers must be below 10 ** MAX_INTEGER_DIGITS in size (every field has a lower maximum).
MAX_INTEGER_DIGITS = 16
#: Decimal places accepted by default in non-money decimal fields (hours, percentages).
DECIMAL_PLACES = 6

_TOO_BIG = 10**MAX_INTEGER_DIGITS


def bounded_decimal(value: object, *, places: int = DECIMAL_PLACES) -> Decimal:
    """``value`` (text, int, float or Decimal) as a Decimal within the limits.

    Trailing zeros do not count as decimal places ("2.500000000" is 2.5). The result never has a
    positive exponent, so it prints without scientific notation. Raises ``ValueError``.
    """
    if isinstance(value, bool):
        raise ValueError(f"'{quote(value)}' is not a number")
    if isinstance(value, int):
        if not -_TOO_BIG < value < _TOO_BIG:
            raise ValueError("is far too large")
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"'{quote(value)}' is not a number")
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip()
        if len(text) > MAX_NUMBER_CHARS:
            raise ValueError(
                f"'{quote(text)}' is too long for a number (at most {MAX_NUMBER_CHARS} characters)"
            )
        try:
            number = Decimal(text.replace(",", ""))
        except (InvalidOperation, ValueError):
            raise ValueError(f"'{quote(text)}' is not a number") from None
    return within_limits(number, places=places, shown=value)


def within_limits(number: Decimal, *, places: int, shown: object = None) -> Decimal:
    """``number`` checked for digits, size and decimal places, with no positive exponent.

    Never does arithmetic on the number as given, so even an exponent of a billion costs nothing.
    """
    said = quote(number if shown is None else shown)
    if not number.is_finite():
        raise ValueError(f"'{said}' is not a number")
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    end = len(digits)
    while end > 0 and digits[end - 1] == 0:
        end -= 1
    if end == 0:
        return Decimal(0)
    exponent += len(digits) - end
    significant = digits[:end]
    if len(significant) > MAX_DIGITS:
        raise ValueError(f"'{said}' has too many digits (at most {MAX_DIGITS})")
    if exponent + len(significant) > MAX_INTEGER_DIGITS:
        raise ValueError(f"'{said}' is far too large")
    if -exponent > places:
        raise ValueError(f"'{said}' has more than {places} decimal places")
    if 0 >= number.as_tuple().exponent >= -places:
        return number  # as typed: "12.50" stays 12.50
    if exponent > 0:
        significant = significant + (0,) * exponent
        exponent = 0
    return Decimal((sign, significant, exponent))


def bounded_int(value: object) -> int:
    """A whole number from text, an int or a whole float, within the limits; ValueError."""
    if isinstance(value, bool):
        raise ValueError("is not a whole number")
    if isinstance(value, int):
        if not -_TOO_BIG < value < _TOO_BIG:
            raise ValueError("is far too large")
        return value
    if isinstance(value, float):
        if value != value or not value.is_integer():
            raise ValueError(f"'{quote(value)}' is not a whole number")
        if not -_TOO_BIG < value < _TOO_BIG:
            raise ValueError("is far too large")
        return int(value)
    text = str(value).strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(
            f"'{quote(text)}' is too long for a number (at most {MAX_NUMBER_CHARS} characters)"
        )
    try:
        number = int(text)
    except ValueError:
        raise ValueError(f"'{quote(text)}' is not a whole number") from None
    if not -_TOO_BIG < number < _TOO_BIG:
        raise ValueError("is far too large")
    return number
