"""Sharing a table's width between its columns when the window is too narrow for all of them.

A list fits each column to its texts, and one column (the purpose, the description) takes
whatever width is left. In a narrow window the others can leave it almost nothing: a list of
interactions showed each contract's long title in full and its purpose as "Sent the…". Here
the widest of the other columns give up width first, never below what their heading needs,
until the stretching column has a fair share. Cut texts are elided, whole on hover
(``widgets/elided.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractItemView, QHeaderView

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


class SharedWidths(QObject):
    """Keeps a list's fitted column widths shared out (:func:`share_width`) each time its view
    is resized, until the person drags a column: from then on the widths are theirs.

    ``floors`` gives, for the fitted widths, the least each column may be narrowed to;
    ``stretch`` the width the stretching column wants (0 for a list without one) and its
    index (None), whose own resizing is not the person's choice.
    """

    def __init__(
        self,
        view: QAbstractItemView,
        header: QHeaderView,
        floors: Callable[[Mapping[int, int]], Mapping[int, int]],
        *,
        stretch: int | None = None,
        least_room: int = 200,
    ) -> None:
        super().__init__(view)
        # The viewport itself, not asked of the view each time: while a view is being
        # destroyed its viewport still sends events, and the view can no longer be asked.
        self._viewport = view.viewport()
        self._header = header
        self._floors = floors
        self._stretch = stretch
        self._least_room = least_room
        self.natural: dict[int, int] = {}
        self.stretch_wanted = 0
        self._fitting = False
        header.sectionResized.connect(self._section_resized)
        self._viewport.installEventFilter(self)

    def fit(self, natural: Mapping[int, int], stretch_wanted: int = 0) -> None:
        """Take ``natural`` as the columns' fitted widths, set them and share them out."""
        self.natural = dict(natural)
        self.stretch_wanted = stretch_wanted
        self.apply(self.natural)
        self.share()

    def share(self) -> None:
        """Narrow the widest fitted columns as far as the view's width asks."""
        room = self._viewport.width()
        if not self.natural or room < self._least_room:
            return  # the person's widths, or not laid out yet
        floors = self._floors(self.natural)
        self.apply(share_width(self.natural, floors, self.stretch_wanted, room))

    def apply(self, widths: Mapping[int, int]) -> None:
        """Set ``widths`` without taking them for the person's."""
        self._fitting = True
        try:
            for column, width in widths.items():
                if self._header.sectionSize(column) != width:
                    self._header.resizeSection(column, width)
        finally:
            self._fitting = False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting and column != self._stretch:
            self.natural = {}  # the person chose a width: stop adjusting them

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() == QEvent.Type.Resize:
            self.share()
        return super().eventFilter(watched, event)
