"""Cleaning text that people paste in: control characters out, emoji and right-to-left kept."""

from __future__ import annotations

import re
import unicodedata

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
