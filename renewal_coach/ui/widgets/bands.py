"""How a score band looks wherever it is shown: a symbol, and a colour beside it."""

from __future__ import annotations

#: A symbol per band so the band never depends on colour alone.
BAND_SYMBOLS = {
    "low": "●",
    "guarded": "◆",
    "elevated": "▲",
    "high": "■",
    "neglect": "▽",
    "proportionate": "●",
    "intense": "■",
    "obsessive": "✖",
}
#: A symbol per value segment, shown beside its name in the filter, the table and the overview.
SEGMENT_SYMBOLS = {
    "treasure": "★",
    "develop": "◆",
    "maintain": "●",
    "drain": "▼",
    "unrated": "○",
}
#: Text that carries a meaning has a tone; each tone has a colour per colour scheme, chosen for at
#: least 3:1 contrast (WCAG, for large text and marks; most are above 4.5:1) on that scheme's
#: window and list backgrounds (tests/ui/test_theme.py computes it). Qt-free on purpose.
TONES_LIGHT = {
    "good": "#1b7a4a",
    "caution": "#8a6d00",
    "warning": "#b35900",
    "error": "#b3261e",
    "info": "#1f5fa8",
    "muted": "#696969",
}
TONES_DARK = {
    "good": "#5cc98b",
    "caution": "#dcb64a",
    "warning": "#f0923f",
    "error": "#ff8a80",
    "info": "#82b4f5",
    "muted": "#a8a8a8",
}
#: The tone of each band.
BAND_TONES = {
    "low": "good",
    "guarded": "caution",
    "elevated": "warning",
    "high": "error",
    "neglect": "info",
    "proportionate": "good",
    "intense": "caution",
    "obsessive": "error",
}


def tone_colour(tone: str, dark: bool) -> str:
    """The colour of ``tone`` ("error", "good", ...) on a dark or a light background."""
    return (TONES_DARK if dark else TONES_LIGHT)[tone]


def band_colour(band: str, dark: bool) -> str:
    """The colour of a band on a dark or a light background; "" for a band with none."""
    tone = BAND_TONES.get(band)
    return tone_colour(tone, dark) if tone else ""


#: A symbol per milestone status, so the status never depends on colour alone.
MILESTONE_SYMBOLS = {
    "overdue": "⚠",
    "due": "◔",
    "upcoming": "○",
    "done": "✔",
    "before_tracking": "◌",
    "closed": "–",
    "": "–",
}
#: The tone of a milestone status; statuses not listed are drawn in the text colour. Before
#: tracking is grey, and always shown with the words "before tracking".
MILESTONE_TONES = {
    "overdue": "error",
    "due": "caution",
    "before_tracking": "muted",
}


def milestone_colour(status: str, dark: bool) -> str:
    """The colour of a milestone status on a dark or a light background; "" for none."""
    tone = MILESTONE_TONES.get(status)
    return tone_colour(tone, dark) if tone else ""
