"""Small text helpers shared by every screen: counted nouns and dates for display.

Qt's ``tr()`` only picks a plural form when a translation is loaded, and the app ships none of
its own, so counts go through :func:`plural`. Dates shown to a person go through
:func:`show_date` (one readable form, month names from the locale); ISO stays for input fields
and files.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from ..core.text import plural as core_plural

DISPLAY_DATE = "d MMM yyyy"
DISPLAY_TIME = "HH:mm"


def count(n: int) -> str:
    """``n`` as the locale writes a whole number (digit grouping included)."""
    return QLocale().toString(int(n))


def plural(n: int, one: str, many: str) -> str:
    """``one`` when ``n`` is exactly 1, ``many`` otherwise, with ``{n}`` filled in as the
    locale writes numbers (see :func:`renewal_coach.core.text.plural`, which this is).

    Both forms are whole phrases that carry ``{n}`` where the number goes (``"{n} warning"``,
    ``"{n} warnings"``), so a translator can move the number; a form without ``{n}`` is
    returned as it is ("one more" rather than "1 more").
    """
    return core_plural(n, one, many, count)


def show_date(day: date | None, empty: str = "") -> str:
    """``day`` for display, for example "7 Jan 2028"; ``empty`` when there is no date."""
    if day is None:
        return empty
    if isinstance(day, datetime):
        day = day.date()
    return QLocale().toString(QDate(day.year, day.month, day.day), DISPLAY_DATE)


def show_datetime(moment: datetime | None, empty: str = "") -> str:
    """``moment`` for display in local time, for example "7 Jan 2028 14:05"."""
    if moment is None:
        return empty
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    stamp = QDateTime(
        QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute)
    )
    return QLocale().toString(stamp, f"{DISPLAY_DATE} {DISPLAY_TIME}")


_NO_BREAK_SPACE = "\u00a0"
_WORD_JOINER = "\u2060"
#: Characters after which a line may otherwise break inside a phrase ("+/−", "1–9").
_BREAK_AFTER = "/–-−"


def keep_phrases(text: str, separator: str = " · ") -> str:
    """``text`` made of phrases joined by ``separator``, so a wrapping label breaks lines
    only between phrases ("N note" never ends one line and starts the next)."""
    phrases = text.split(separator)
    kept = []
    for phrase in phrases:
        phrase = phrase.replace(" ", _NO_BREAK_SPACE)
        for mark in _BREAK_AFTER:
            phrase = phrase.replace(mark, mark + _WORD_JOINER)
        kept.append(phrase)
    return separator.join(kept)
