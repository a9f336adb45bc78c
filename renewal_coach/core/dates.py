"""Date helpers: strict parsing of user input and month arithmetic for timelines."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from .text import quote

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: object) -> date:
    """Parse ``YYYY-MM-DD`` (or take a date). Raises ValueError with a readable message."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not _ISO.match(text):
        raise ValueError(f"'{quote(text)}' is not a date: use YYYY-MM-DD, for example 2027-03-31")
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{quote(text)}' is not a real calendar date") from None
    if not 1900 <= parsed.year <= 2200:
        raise ValueError(f"'{quote(text)}' is outside the years 1900 to 2200")
    return parsed


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the end of shorter months (Jan 31 + 1: Feb 28)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    last = _MONTH_DAYS[month]
    if month == 2 and (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        last = 29
    return date(year, month, min(day.day, last))


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def months_between(start: date, end: date) -> float:
    """Length from ``start`` to ``end`` in months (average month length), negative if reversed."""
    return (end - start).days / (365.2425 / 12)


_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def show_day(day: date) -> str:
    """``day`` as the texts of the scores and plans write it, for example "7 Jan 2028": the
    form the screens show (``ui/text.py``'s ``show_date`` in English), never ISO, which stays
    for input and files."""
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def utc_now_iso() -> str:
    """Current UTC time as ISO text with seconds, for ``created_at``/``updated_at``."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def local_time(stamp: str) -> str:
    """A stored UTC timestamp (``utc_now_iso``) as this computer's local date and time,
    "2026-12-07 14:05"; "—" when there is none, and the text itself when it is not a time."""
    if not stamp:
        return "—"
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp[:16]
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")
