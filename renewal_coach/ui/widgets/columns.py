"""Sharing a table's width between its columns when the window is too narrow for all of them.

A list fits each column to its texts, and one column (the purpose, the description) takes
whatever width is left. In a narrow window the others can leave it almost nothing: a list of
interactions showed each contract's long title in full and its purpose as "Sent the…". Here
the widest of the other columns give up width first, never below what their heading needs,
until the stretching column has a fair share. Cut texts are elided, whole on hover
(``widgets/elided.py``).
"""

from __future__ import annotations

from collections.abc import Mapping

#: The least a stretching column is left, as pixels and as a share of the table's width
#: (the larger of the two, but never more than its texts need).
MIN_STRETCH = 220
STRETCH_SHARE = 0.3


def share_width(
    natural: Mapping[int, int],
    floors: Mapping[int, int],
    stretch_wanted: int,
    room: int,
) -> dict[int, int]:
    """Widths for the columns in ``natural`` (their fitted widths) so that the stretching
    column, which wants ``stretch_wanted`` pixels, keeps a fair share of ``room``.

    The widest columns are narrowed to one common width first (as water finds its level),
    none below its ``floors`` width; when even the floors do not leave the share, the floors
    are returned and the table scrolls sideways.
    """
    need = min(stretch_wanted, max(MIN_STRETCH, round(room * STRETCH_SHARE)))
    target = room - need
    widths = dict(natural)
    if sum(widths.values()) <= target:
        return widths

    def total(level: int) -> int:
        return sum(max(floors.get(c, 0), min(w, level)) for c, w in widths.items())

    low, high = 0, max(widths.values(), default=0)
    while low < high:  # the highest common width that still fits
        middle = (low + high + 1) // 2
        if total(middle) <= target:
            low = middle
        else:
            high = middle - 1
    return {c: max(floors.get(c, 0), min(w, low)) for c, w in widths.items()}
