"""Reading the values people and CRMs write into spreadsheet cells. Qt-free.

Numbers and money come with the writer's locale ("GBP 1,800,000.00", "1.250.000,00 €", "250k");
dates as text in any common order or as real Excel date cells; notice periods as Salesforce's
"90 Days". Whether "03/04/2027" is the 3rd of April or the 4th of March, and whether "1,250" is
one thousand two hundred and fifty or one and a quarter, is decided from every value of the file
(:class:`Evidence`), never guessed from one cell.

Every parser raises ``ValueError`` with a short reason that names the value as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ..core.money import CURRENCIES, MAX_MAJOR, minor_digits

#: How many characters of a cell a message quotes.
QUOTE = 60

DATE_ORDERS = ("dmy", "mdy", "ymd")


def _fold_month(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD", "¥": "JPY", "₹": "INR", "₩": "KRW"}
_CODE = re.compile(r"\b([A-Za-z]{3})\b")
_MULTIPLIERS = {
    **dict.fromkeys(("k", "thousand", "tsd"), Decimal(1000)),
    **dict.fromkeys(
        ("m", "mm", "mn", "mio", "mill", "million", "millions", "millionen"),
        Decimal(1_000_000),
    ),
    **dict.fromkeys(
        ("b", "bn", "mrd", "mds", "billion", "billions", "milliarde", "milliarden"),
        Decimal(1_000_000_000),
    ),
}
#: "250k", "$1.2M", "$1.2MM" (US finance), "1,25 Mio.", "2 Mrd", "1.2 million".
_SUFFIX = re.compile(r"(?i)(" + "|".join(sorted(_MULTIPLIERS, key=len, reverse=True)) + r")\.?$")
#: Digits, optional separators (comma, dot, spaces incl. no-break and thin, apostrophe).
_NUMBER = re.compile(r"^[0-9][0-9.,' \u00a0\u202f\u2009]*$")

_MONTHS = {
    _fold_month(name): i
    for i, names in enumerate(
        (
            ("jan", "january", "januar", "janvier", "enero", "gennaio", "januari", "jän"),
            ("feb", "february", "februar", "février", "fevrier", "febrero", "febbraio", "februari"),
            ("mar", "march", "märz", "maerz", "mars", "marzo", "maart", "mrz"),
            ("apr", "april", "avril", "abril", "aprile"),
            ("may", "mai", "mayo", "maggio", "mei"),
            ("jun", "june", "juni", "juin", "junio", "giugno"),
            ("jul", "july", "juli", "juillet", "julio", "luglio"),
            ("aug", "august", "août", "aout", "agosto", "augustus"),
            ("sep", "sept", "september", "septembre", "septiembre", "settembre"),
            ("oct", "october", "oktober", "octobre", "octubre", "ottobre", "okt"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "dezember", "décembre", "decembre", "diciembre", "dicembre", "dez"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_NUMERIC = re.compile(
    r"^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$"
)
#: The time of day (and its zone) after a date: "10:30", "10:30:00.000+01:00", "10:30 AM EDT",
#: "10:30:00 GMT", "T10:30:00Z", "10:30 (UTC+01:00)". The date is taken as written.
_TIME_TAIL = re.compile(
    r"(?:T|\s+|,\s*|\s+at\s+|\s+um\s+|\s+à\s+)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?"
    r"(?:\s*[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|\(?(?:UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?\)?|[A-Z]{2,5}))?"
    r"(?:\s*\[[\w/+-]{1,40}\])?$"
)
#: A weekday before a date: "Sat, 14 Mar 2026", "Tuesday 3 March 2026".
_WEEKDAY = re.compile(
    r"(?i)^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|urday|sday)?\.?,?\s+"
)
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s.-]+([^\W\d_]+)\.?[\s.,-]+(\d{2,4})$")
_WORDY_US = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")

TRUE_WORDS = frozenset(
    [
        "yes",
        "y",
        "true",
        "t",
        "1",
        "x",
        "✓",
        "✔",
        "ja",
        "j",
        "oui",
        "si",
        "sí",
        "on",
        "checked",
        "ticked",
    ]
)
FALSE_WORDS = frozenset(["no", "n", "false", "f", "0", "nein", "non", "off", "unchecked", "-"])


def quote(value: object) -> str:
    """The value as a message shows it: at most :data:`QUOTE` characters, one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= QUOTE else text[: QUOTE - 1] + "…"


def is_blank(value: object) -> bool:
    """True for an empty cell: None or only white space."""
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: object) -> str:
    """A cell as text: numbers without a spurious ".0", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else ""
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def fold(text: str) -> str:
    """Text folded for comparing what people mean: case, accents, punctuation and spacing."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("&", " and ")
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


# ---- evidence gathered from a whole file -----------------------------------------------------


@dataclass
class Evidence:
    """What the values of a file say about its date order and decimal mark.

    Feed it every date and number cell with :meth:`see_date` and :meth:`see_number`; then
    :meth:`date_order` and :meth:`decimal_mark` decide, or say the file cannot tell.
    """

    day_first: int = 0  # values that can only be day/month/year
    month_first: int = 0  # values that can only be month/day/year
    ambiguous_dates: int = 0
    dot_decimal: int = 0
    comma_decimal: int = 0
    examples: dict[str, str] = field(default_factory=dict)

    def see_date(self, value: object) -> None:
        """Learn from one date cell (real dates and ISO text teach nothing about the order)."""
        if not isinstance(value, str):
            return
        text = value.strip()
        match = _NUMERIC.match(_TIME_TAIL.sub("", text) if ":" in text else text)
        if not match or len(match.group(1)) == 4:
            return
        a, sep, b = int(match.group(1)), match.group(2), int(match.group(3))
        if sep == ".":
            return  # dotted dates are day first wherever they are written
        if a > 12 >= b:
            self.day_first += 1
            self.examples.setdefault("dmy", value.strip())
        elif b > 12 >= a:
            self.month_first += 1
            self.examples.setdefault("mdy", value.strip())
        elif a <= 12 and b <= 12 and a != b:
            self.ambiguous_dates += 1
            self.examples.setdefault("ambiguous", value.strip())

    def see_number(self, value: object) -> None:
        """Learn from one number or money cell written as text."""
        if not isinstance(value, str):
            return
        text = value.strip()
        if text.endswith(")"):
            text = _CONVERTED.sub("", text)
        core = _strip_currency(text)[0]
        core = _SUFFIX.sub("", core).strip()
        mark = _decimal_mark_of(core)
        if mark == ".":
            self.dot_decimal += 1
            self.examples.setdefault("dot", value.strip())
        elif mark == ",":
            self.comma_decimal += 1
            self.examples.setdefault("comma", value.strip())

    def date_order(self) -> str | None:
        """ "dmy" or "mdy" when the values tell; None when they cannot (or none are numeric).

        Raises ValueError when some values can only be day first and others only month first.
        """
        if self.day_first and self.month_first:
            raise ValueError(
                "The dates mix two orders: "
                f"'{self.examples['dmy']}' can only be day/month/year and "
                f"'{self.examples['mdy']}' only month/day/year"
            )
        if self.day_first:
            return "dmy"
        if self.month_first:
            return "mdy"
        return None

    @property
    def needs_date_order(self) -> bool:
        """True when some dates are ambiguous and nothing in the file decides their order."""
        return self.ambiguous_dates > 0 and not (self.day_first or self.month_first)

    def decimal_mark(self, default: str) -> str:
        """ "." or ","; the file's own evidence first, ``default`` when it has none or is mixed."""
        if self.dot_decimal and not self.comma_decimal:
            return "."
        if self.comma_decimal and not self.dot_decimal:
            return ","
        return default


def _decimal_mark_of(core: str) -> str | None:
    """Which mark a number written as text must use as its decimal point, if it shows it."""
    if not _NUMBER.match(core):
        return None
    compact = re.sub(r"[ '\u00a0\u202f\u2009]", "", core)
    dots, commas = compact.count("."), compact.count(",")
    if dots and commas:
        return "." if compact.rfind(".") > compact.rfind(",") else ","
    for mark, count in ((".", dots), (",", commas)):
        if count == 1:
            tail = compact.rsplit(mark, 1)[1]
            if len(tail) != 3:
                return mark  # 1,5 or 1.25: only a decimal point fits
            return None  # 1,250 or 1.250: either reading fits
        if count > 1:
            return "," if mark == "." else "."  # 1.250.000: the dots group thousands
    return None


# ---- numbers and money ------------------------------------------------------------------------


def _strip_currency(text: str) -> tuple[str, str | None]:
    """Remove a currency symbol or ISO code from ``text``; return the rest and the currency."""
    currency = None
    for symbol, code in _SYMBOLS.items():
        if symbol in text:
            text = text.replace(symbol, " ")
            currency = code
    for match in _CODE.finditer(text):
        code = match.group(1).upper()
        if code in CURRENCIES:
            currency = code
            text = text[: match.start()] + " " + text[match.end() :]
            break
    return text.strip(), currency


#: Currencies as CRMs name them (Dynamics 365 shows a currency record's name, "Pound
#: Sterling" or "Euro"), folded, in English and the main European languages.
_CURRENCY_NAMES = {
    fold(name): code
    for code, names in {
        "GBP": (
            "pound sterling",
            "pounds sterling",
            "sterling",
            "british pound",
            "british pounds",
            "uk pound",
            "gb pound",
            "pound",
            "pounds",
            "pfund sterling",
            "britisches pfund",
            "livre sterling",
            "sterline",
        ),
        "EUR": ("euro", "euros", "euro member countries"),
        "USD": (
            "us dollar",
            "us dollars",
            "u s dollar",
            "united states dollar",
            "american dollar",
            "dollar americain",
            "us-dollar",
        ),
        "CHF": ("swiss franc", "swiss francs", "schweizer franken", "franc suisse"),
        "SEK": ("swedish krona", "swedish kronor", "schwedische krone"),
        "NOK": ("norwegian krone", "norwegian kroner", "norwegische krone"),
        "DKK": ("danish krone", "danish kroner", "danische krone"),
        "PLN": ("polish zloty", "zloty", "polnischer zloty"),
        "CAD": ("canadian dollar", "canadian dollars"),
        "AUD": ("australian dollar", "australian dollars"),
        "NZD": ("new zealand dollar", "new zealand dollars"),
        "SGD": ("singapore dollar", "singapore dollars"),
        "ZAR": ("south african rand", "rand"),
        "INR": ("indian rupee", "indian rupees", "rupee", "rupees"),
        "JPY": ("japanese yen", "yen"),
        "KRW": ("south korean won", "korean won", "won"),
    }.items()
    for name in names
}


def parse_currency(value: object) -> str:
    """A currency code from a cell: "EUR", "€", "Euro", "Pound Sterling", "Euro (EUR)"."""
    text = text_of(value)
    upper = text.upper()
    if upper in CURRENCIES:
        return upper
    if text in _SYMBOLS:
        return _SYMBOLS[text]
    named = _CURRENCY_NAMES.get(fold(text))
    if named:
        return named
    # "Euro (EUR)", "EUR - Euro": the code written beside the name.
    codes = {m.group(1).upper() for m in _CODE.finditer(text)} & set(CURRENCIES)
    if len(codes) == 1:
        return codes.pop()
    raise ValueError(f"'{quote(value)}' is not a currency this app knows")


_CONVERTED = re.compile(r"\s*\((?:[A-Za-z]{3}|[£€$¥])\s?[0-9][0-9.,' \u00a0\u202f]*\)$")


class _MarkError(ValueError):
    """A number whose separators do not fit the file's decimal mark."""


def parse_decimal(value: object, decimal_mark: str) -> Decimal:
    """A number from a cell: ``1.250.000,5`` with mark ",", ``1,250,000.5`` with ".", ``250k``."""
    if isinstance(value, bool):
        raise ValueError(f"'{quote(value)}' is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"'{quote(value)}' is not a number")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = str(value).strip()
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if text.startswith(("-", "−")):
        negative, text = True, text[1:].strip()
    multiplier = Decimal(1)
    suffix = _SUFFIX.search(text) if text[-1:].isalpha() or text[-1:] == "." else None
    if suffix and text[: suffix.start()].strip()[-1:].isdigit():
        multiplier = _MULTIPLIERS[suffix.group(1).lower()]
        text = text[: suffix.start()].strip()
    if len(text) > 40 or not _NUMBER.match(text):
        raise ValueError(f"'{quote(value)}' is not a number")
    compact = re.sub(r"[ '\u00a0\u202f\u2009]", "", text)
    thousands = "," if decimal_mark == "." else "."
    if compact.count(decimal_mark) > 1:
        raise ValueError(
            f"'{quote(value)}' has more than one decimal mark '{decimal_mark}' for this file"
        )
    groups = compact.split(decimal_mark)[0].split(thousands)
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3
        or len(groups[-1]) != 3
        or any(len(g) not in (2, 3) for g in groups[1:-1])
    ):
        # "1.8" where ',' is the decimal mark is not eighteen: a mark in the wrong place
        # must not change an amount a thousandfold.
        raise _MarkError(
            f"'{quote(value)}' does not read as a number where '{decimal_mark}' is the "
            f"decimal mark and '{thousands}' groups thousands"
        )
    compact = compact.replace(thousands, "").replace(decimal_mark, ".")
    try:
        number = Decimal(compact) * multiplier
    except InvalidOperation:
        raise ValueError(f"'{quote(value)}' is not a number") from None
    return -number if negative else number


def parse_money(value: object, decimal_mark: str) -> tuple[Decimal, str | None]:
    """An amount and the currency written with it (None when the cell names none).

    Accepts "GBP 1,800,000.00", "1.250.000,00 €", "£1.2m", "250k", and numeric cells.
    """
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        amount = parse_decimal(value, decimal_mark)
        currency = None
    else:
        text = str(value).strip()
        if text.endswith(")") and not text.startswith("("):
            # Salesforce multi-currency orgs add the amount converted to the corporate
            # currency: "EUR 950,000.00 (GBP 820,000.00)". The record's own amount counts.
            text = _CONVERTED.sub("", text)
        rest, currency = _strip_currency(text)
        if not rest:
            raise ValueError(f"'{quote(value)}' has no amount")
        try:
            amount = parse_decimal(rest, decimal_mark)
        except _MarkError as exc:
            raise ValueError(str(exc).replace(quote(rest), quote(value), 1)) from None
        except ValueError:
            raise ValueError(f"'{quote(value)}' is not an amount of money") from None
    if amount < 0:
        raise ValueError(f"'{quote(value)}' is negative; amounts here cannot be")
    if amount > MAX_MAJOR:
        raise ValueError(f"'{quote(value)}' is implausibly large (over one trillion)")
    return amount, currency


def to_minor(amount: Decimal, currency: str) -> int:
    """Major units to integer minor units; ValueError when there are too many decimals."""
    digits = minor_digits(currency)
    scaled = amount * (Decimal(10) ** digits)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"has more than {digits} decimal places for {currency}")
    return int(scaled)


def parse_whole(value: object, decimal_mark: str, *, unit: str = "") -> int:
    """A whole number; "90 Days" (with ``unit="days"``) gives 90, "3 months" gives 91 days."""
    text = value if not isinstance(value, str) else value.strip()
    factor = Decimal(1)
    if isinstance(text, str) and unit:
        match = re.match(r"^(.*?)\s*([^\W\d_]+)\.?$", text)
        if match and match.group(1):
            word = fold(match.group(2))
            if unit == "days" and word in ("day", "days", "d", "tage", "jours", "dias", "giorni"):
                text = match.group(1)
            elif unit == "days" and word in ("month", "months", "mo", "mths", "monate", "mois"):
                # A month of notice is counted as its average length, to the nearest day.
                text, factor = match.group(1), Decimal("30.436875")
            elif unit == "days" and word in ("week", "weeks", "wk", "wks", "wochen"):
                text, factor = match.group(1), Decimal(7)
            elif unit == "months" and word in ("month", "months", "mo", "mths", "monate", "mois"):
                text = match.group(1)
            elif unit == "months" and word in ("year", "years", "yr", "yrs", "jahre", "ans"):
                text, factor = match.group(1), Decimal(12)
    try:
        number = parse_decimal(text, decimal_mark) * factor
    except ValueError:
        raise ValueError(f"'{quote(value)}' is not a whole number") from None
    if factor != 1:
        number = number.to_integral_value()
    if number != number.to_integral_value():
        raise ValueError(f"'{quote(value)}' is not a whole number")
    if abs(number) > 10_000_000:
        raise ValueError(f"'{quote(value)}' is implausibly large")
    return int(number)


# ---- dates ------------------------------------------------------------------------------------


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    elif len(text) != 4:
        raise ValueError
    return year


def _checked(year: int, month: int, day: int, value: object) -> date:
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise ValueError(f"'{quote(value)}' is not a real calendar date") from None
    if not 1900 <= parsed.year <= 2200:
        raise ValueError(f"'{quote(value)}' is outside the years 1900 to 2200")
    return parsed


def parse_date(value: object, order: str | None) -> date:
    """A date from a cell: a real date, ISO text, or numbers in ``order`` ("dmy", "mdy", "ymd").

    Dotted dates (31.03.2027) are always day first. Month names in English and the main European
    languages are understood ("31 Mar 2027", "March 31, 2027", "31-mars-2027"). Raises
    ValueError when the text is no date, or when its order is needed but ``order`` is None.
    """
    if isinstance(value, datetime):
        return _checked(value.year, value.month, value.day, value)
    if isinstance(value, date):
        return _checked(value.year, value.month, value.day, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"'{quote(value)}' is a number, not a date")
    text = str(value).strip()
    if len(text) > 60:
        raise ValueError(f"'{quote(value)}' is not a date")
    if ":" in text:
        text = _TIME_TAIL.sub("", text)
    if text[:1].isalpha():
        text = _WEEKDAY.sub("", text)
    match = _ISO.match(text)
    if match:
        return _checked(int(match.group(1)), int(match.group(2)), int(match.group(3)), value)
    match = _NUMERIC.match(text)
    if match:
        first, sep, middle, last = match.groups()
        try:
            if len(first) == 4:
                return _checked(int(first), int(middle), int(last), value)
            year = _year(last)
        except ValueError:
            raise ValueError(f"'{quote(value)}' is not a date") from None
        a, b = int(first), int(middle)
        if sep == "." or order == "dmy":
            return _checked(year, b, a, value)
        if order == "mdy":
            return _checked(year, a, b, value)
        if a > 12 >= b:
            return _checked(year, b, a, value)
        if b > 12 >= a:
            return _checked(year, a, b, value)
        if a == b:
            return _checked(year, a, b, value)
        raise ValueError(
            f"'{quote(value)}' could be day/month or month/day: say which order the file uses"
        )
    for pattern, day_at, month_at in ((_WORDY, 1, 2), (_WORDY_US, 2, 1)):
        match = pattern.match(text)
        if match:
            month = _MONTHS.get(fold(match.group(month_at)).replace(" ", ""))
            if month is None:
                break
            try:
                return _checked(_year(match.group(3)), month, int(match.group(day_at)), value)
            except ValueError as exc:
                if "calendar" in str(exc) or "years" in str(exc):
                    raise
                break
    raise ValueError(f"'{quote(value)}' is not a date")


def parse_bool(value: object) -> bool:
    """Yes/No, TRUE/FALSE, 1/0, x, ✓ and their common European words."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = str(value).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS or not word:
        return False
    raise ValueError(f"'{quote(value)}' is not yes or no")


def looks_like_formula(value: object) -> bool:
    """True for text a spreadsheet would run as a formula ("=cmd|...", "@SUM(...)")."""
    return isinstance(value, str) and value.lstrip()[:1] in ("=", "@")


def unneutralise(text: str) -> str:
    """Drop the apostrophe our own exports put before text that looks like a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=@+-\t\r":
        return text[1:]
    return text
