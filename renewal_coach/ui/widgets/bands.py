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
BAND_COLOURS = {
    "low": "#1b7a4a",
    "guarded": "#8a6d00",
    "elevated": "#b35900",
    "high": "#b3261e",
    "neglect": "#1f5fa8",
    "proportionate": "#1b7a4a",
    "intense": "#8a6d00",
    "obsessive": "#b3261e",
}

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
#: Grey for milestones from before tracking began: readable on white (5.7:1), and always shown
#: with the words "before tracking".
BEFORE_TRACKING_COLOUR = "#696969"
MILESTONE_COLOURS = {
    "overdue": "#b3261e",
    "due": "#8a6d00",
    "before_tracking": BEFORE_TRACKING_COLOUR,
}
