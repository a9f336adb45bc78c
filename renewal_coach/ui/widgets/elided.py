"""Cells and boxes that show their whole text when there is no room for it.

A table cell too narrow for its text is drawn elided ("Calderbrook Lo…"); pointing at it shows
the whole text in a tooltip, after the model's own tooltip when it has one. Install with
:func:`elide_with_tooltips`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)


class ElidedTooltipDelegate(QStyledItemDelegate):
    """The default delegate, plus the full text as a tooltip when a cell shows it cut."""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if event is None or event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        own = index.data(Qt.ItemDataRole.ToolTipRole)
        if text and is_elided(self, option, index):
            shown = f"{text}\n{own}" if own and own != text else str(text)
            QToolTip.showText(event.globalPos(), shown, view)
            return True
        return super().helpEvent(event, view, option, index)


def is_elided(
    delegate: QStyledItemDelegate,
    option: QStyleOptionViewItem,
    index: QModelIndex | QPersistentModelIndex,
) -> bool:
    """True when the cell's text is wider than the room the style gives it."""
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    style = opt.widget.style() if opt.widget is not None else None
    if style is None:
        return False
    room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, opt.widget) + 1
    return opt.fontMetrics.horizontalAdvance(opt.text) > room.width() - 2 * margin


def elide_with_tooltips(view: QAbstractItemView) -> ElidedTooltipDelegate:
    """Give ``view`` the delegate (elided text on the right, the full text on hover)."""
    delegate = ElidedTooltipDelegate(view)
    view.setItemDelegate(delegate)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    return delegate
