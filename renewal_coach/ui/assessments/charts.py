"""Painted gauges and the trend chart of past assessments.

The gauge shows one score in the live result; :class:`TrendChart` draws each kind's
headline score over time in the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..text import show_date
from ..theme import tone
from .labels import INFO, _faint_colour


class _Gauge(QWidget):
    """A thin horizontal bar from ``minimum`` to ``maximum`` with an optional marker line."""

    def __init__(self, minimum: float, maximum: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._minimum = minimum
        self._maximum = maximum
        self._value: float | None = None
        self._marker: float | None = None
        self._tone = INFO
        self.setMinimumSize(80, 16)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_value(self, value: float | None, marker: float | None = None, colour: str = "") -> None:
        """``colour`` is a tone (``ui/theme.py``), drawn in the scheme in use when painted."""
        self._value = value
        self._marker = marker
        self._tone = colour or INFO
        self.update()

    def value(self) -> float | None:
        return self._value

    def sizeHint(self) -> QSize:
        return QSize(160, 16)

    def _x(self, track: QRectF, value: float) -> float:
        span = self._maximum - self._minimum
        share = 0.0 if span <= 0 else (value - self._minimum) / span
        return track.left() + track.width() * min(1.0, max(0.0, share))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        track = QRectF(1, self.height() / 2 - 4, self.width() - 2, 8)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Midlight))
        painter.drawRoundedRect(track, 4, 4)
        if self._value is not None:
            filled = QRectF(track)
            filled.setRight(max(track.left() + 8, self._x(track, self._value)))
            painter.setBrush(QColor(tone(self._tone)))
            painter.drawRoundedRect(filled, 4, 4)
        if self._marker is not None:
            x = self._x(track, self._marker)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.WindowText), 2))
            painter.drawLine(QPointF(x, 1), QPointF(x, self.height() - 1))
        painter.end()


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One point of a trend: when, the headline score, and the text written beside it."""

    when: date
    value: float
    label: str


class TrendChart(QWidget):
    """A light line chart of one headline score over time, every point labelled with its value.

    Points are spaced evenly in date order (assessments come at irregular intervals, and two on
    the same day would otherwise sit on top of each other); each date is written under its point
    where there is room.
    """

    def __init__(
        self,
        minimum: float,
        maximum: float,
        *,
        ticks: Sequence[float] = (),
        threshold: float | None = None,
        empty_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._minimum = minimum
        self._maximum = maximum
        self._ticks = tuple(ticks)
        self._threshold = threshold
        self._empty_text = empty_text
        self._points: tuple[TrendPoint, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_points(self, points: Sequence[TrendPoint]) -> None:
        self._points = tuple(sorted(points, key=lambda p: p.when))
        self.setAccessibleDescription(
            "; ".join(f"{show_date(p.when)}: {p.label}" for p in self._points) or self._empty_text
        )
        self.update()

    def points(self) -> tuple[TrendPoint, ...]:
        return self._points

    @property
    def point_count(self) -> int:
        return len(self._points)

    def sizeHint(self) -> QSize:
        return QSize(320, 170)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 130)

    def _y(self, plot: QRectF, value: float) -> float:
        span = self._maximum - self._minimum
        share = 0.0 if span <= 0 else (value - self._minimum) / span
        return plot.bottom() - plot.height() * min(1.0, max(0.0, share))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        faint = _faint_colour(palette)
        line_colour = palette.color(QPalette.ColorRole.Highlight)
        metrics = self.fontMetrics()
        line_height = metrics.height()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))

        left = metrics.horizontalAdvance("100") + 12
        plot = QRectF(left, line_height + 6, self.width() - left - 14, 0)
        plot.setBottom(self.height() - line_height - 10)
        if plot.width() < 20 or plot.height() < 20:
            painter.end()
            return

        grid = QColor(faint)
        grid.setAlpha(70)
        for tick in self._ticks:
            y = self._y(plot, tick)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(faint)
            painter.drawText(
                QRectF(0, y - line_height / 2, left - 6, line_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{tick:g}",
            )
        if self._threshold is not None:
            y = self._y(plot, self._threshold)
            painter.setPen(QPen(faint, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))

        if not self._points:
            painter.setPen(faint)
            painter.drawText(
                plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._empty_text
            )
            painter.end()
            return

        count = len(self._points)
        spots = [
            QPointF(
                plot.left() + plot.width() * (i + 0.5) / count,
                self._y(plot, p.value),
            )
            for i, p in enumerate(self._points)
        ]
        if count > 1:
            path = QPainterPath(spots[0])
            for spot in spots[1:]:
                path.lineTo(spot)
            painter.setPen(QPen(line_colour, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        painter.setPen(QPen(line_colour, 1.5))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        for spot in spots:
            painter.drawEllipse(spot, 4, 4)

        # values above their points (below when the point is at the very top); dates under the
        # plot wherever the previous date left room
        painter.setPen(text_colour)
        date_right = -1.0
        for point, spot in zip(self._points, spots, strict=True):
            width = metrics.horizontalAdvance(point.label) + 4
            x = min(max(spot.x() - width / 2, 0), self.width() - width)
            above = spot.y() - 6 - line_height
            y = above if above >= 0 else spot.y() + 6
            painter.drawText(
                QRectF(x, y, width, line_height), Qt.AlignmentFlag.AlignCenter, point.label
            )
            when = show_date(point.when)
            width = metrics.horizontalAdvance(when) + 8
            x = min(max(spot.x() - width / 2, 0), self.width() - width)
            if x > date_right:
                painter.setPen(faint)
                painter.drawText(
                    QRectF(x, plot.bottom() + 4, width, line_height),
                    Qt.AlignmentFlag.AlignCenter,
                    when,
                )
                painter.setPen(text_colour)
                date_right = x + width
        painter.end()
