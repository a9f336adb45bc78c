"""Lists with group heading rows (Renewals' quarters, This Week's groups): headings drawn in
bold, and arrow keys that step over them from item to item."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

_UP = (
    QAbstractItemView.CursorAction.MoveUp,
    QAbstractItemView.CursorAction.MovePageUp,
    QAbstractItemView.CursorAction.MovePrevious,
)


class HeadingDelegate(QStyledItemDelegate):
    """Draws the rows whose ``role`` data is set (the group headings) in bold."""

    def __init__(self, role: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._role = role

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:
        super().initStyleOption(option, index)
        if index.isValid() and index.data(self._role):
            option.font.setBold(True)  # type: ignore[attr-defined]


def step_over_headings(
    view: QAbstractItemView,
    index: QModelIndex,
    action: QAbstractItemView.CursorAction,
    role: int,
    step: Callable[[QModelIndex, bool], QModelIndex],
) -> QModelIndex:
    """Where a cursor move that landed on ``index`` should end: past any heading rows (whose
    ``role`` data is set) in the direction of the move; ``step(index, upwards)`` is the row
    above or below. At the end of the list the cursor stays where it was."""
    upwards = action in _UP
    while index.isValid() and index.data(role):
        following = step(index, upwards)
        if not following.isValid():
            return view.currentIndex()
        index = following
    return index
