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
