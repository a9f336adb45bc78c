"""Cleaning text that people paste in: control characters out, emoji and right-to-left kept."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# C0 controls except tab/newline/carriage return, DEL, C1 controls, and the non-characters and
# lone surrogates that XML (and so Word) cannot hold.
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_CONTROL_SINGLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff\u2028\u2029]")
_SPACES = re.compile(r"[ \t]+")

#: Longest single-line value (names, titles, references).
MAX_LINE = 200
#: Longest free text (notes, descriptions).
MAX_TEXT = 20_000


def clean_line(value: object) -> str:
    """One line of text: controls and line breaks become spaces, spaces collapse, ends trimmed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _CONTROL_SINGLE.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def clean_text(value: object) -> str:
    """Free text: keeps line breaks and tabs, drops other control characters, trims the ends."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_MULTILINE.sub("", text).strip()


#: Most characters of a rejected value that a message quotes.
QUOTE_LIMIT = 60


def quote(value: object, limit: int = QUOTE_LIMIT, *, literal: bool = False) -> str:
    """``value`` as an error message shows it: one line, at most ``limit`` characters.

    A longer value is cut and ends with "…", so a pasted novel or a 100,000-digit number never
    ends up whole in a message, a log or a dialog. ``literal`` shows it as Python writes it
    (``'3'`` for text, ``3`` for a number).
    """
    try:
        text = repr(value) if literal else value if isinstance(value, str) else str(value)
    except ValueError:  # an int beyond Python's 4,300-digit limit for printing
        text = "a number with thousands of digits"
    except RecursionError:  # a list nested hundreds deep
        text = "deeply nested values"
    if len(text) > limit * 4:
        text = text[: limit * 4]  # enough to fill the quote after white space collapses
        cut = True
    else:
        cut = False
    text = " ".join(_CONTROL_SINGLE.sub(" ", text).split())
    if len(text) > limit or cut:
        return text[: limit - 1] + "…"
    return text


def plural(n: int, one: str, many: str, number: Callable[[int], str] | None = None) -> str:
    """``one`` when ``n`` is exactly 1, ``many`` otherwise, with ``{n}`` filled in.

    Both forms are whole phrases with ``{n}`` where the number goes ("{n} warning",
    "{n} warnings"). ``number`` writes the number (the screens pass the locale's way);
    by default thousands are grouped with commas. Never "1 warning(s)".
    """
    written = number(n) if number is not None else f"{n:,}"
    return (one if n == 1 else many).replace("{n}", written)


def file_size(size: int) -> str:
    """A file's size for people: "812 bytes", "14.2 KB", "167.6 MB" (1 KB = 1,000 bytes)."""
    if size < 1000:
        return plural(size, "{n} byte", "{n} bytes")
    for unit in ("KB", "MB", "GB"):
        size_f = size / 1000
        if size_f < 1000 or unit == "GB":
            return f"{size_f:,.1f} {unit}"
        size = int(size_f)
    return f"{size:,} GB"  # pragma: no cover - the loop always returns
