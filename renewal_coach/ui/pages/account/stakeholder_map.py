"""The stakeholder map: who has influence, and where they stand.

Influence runs up, attitude runs left (opposed) to right (champion), unknown attitudes in their
own column so a gap in our knowledge is visible. Each person is a card with their name, buying
role and response mode in words; the border style tells the response mode too (not colour
alone). Clicking a card selects that person; double-clicking asks to edit them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ....core.enums import Attitude, Influence, ResponseMode
from ....core.models import Stakeholder
from ...theme import is_dark

ATTITUDE_COLUMNS = (
    Attitude.UNKNOWN,
    Attitude.OPPONENT,
    Attitude.SCEPTIC,
    Attitude.NEUTRAL,
    Attitude.SUPPORTER,
    Attitude.CHAMPION,
)
INFLUENCE_ROWS = (Influence.HIGH, Influence.MEDIUM, Influence.LOW)

#: Border style per response mode: the mode shows in words and in line style.
MODE_PENS = {
    ResponseMode.GROWTH: Qt.PenStyle.SolidLine,
    ResponseMode.TROUBLE: Qt.PenStyle.DashLine,
    ResponseMode.EVEN_KEEL: Qt.PenStyle.SolidLine,
    ResponseMode.OVERCONFIDENT: Qt.PenStyle.DotLine,
    ResponseMode.UNKNOWN: Qt.PenStyle.DashDotLine,
}
#: Card borders per attitude (the attitude also shows in words): on a light background...
ATTITUDE_TINTS = {
    Attitude.UNKNOWN: "#808080",
    Attitude.OPPONENT: "#c62828",
    Attitude.SCEPTIC: "#b35900",
    Attitude.NEUTRAL: "#5f5f5f",
    Attitude.SUPPORTER: "#2e7d32",
    Attitude.CHAMPION: "#1b5e20",
}
#: ... and on a dark one.
ATTITUDE_TINTS_DARK = {
    Attitude.UNKNOWN: "#8a8a8a",
    Attitude.OPPONENT: "#ff8a80",
    Attitude.SCEPTIC: "#f0923f",
    Attitude.NEUTRAL: "#b0b0b0",
    Attitude.SUPPORTER: "#5cc98b",
    Attitude.CHAMPION: "#9be7b4",
}


@dataclass(frozen=True)
class Card:
    stakeholder_id: str
    rect: QRectF


class StakeholderMap(QWidget):
    """Paints the map for a list of stakeholders (current ones; people who left are skipped)."""

    person_clicked = Signal(str)
    person_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Stakeholder map: influence against attitude"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(360, 160)
        self.setMouseTracking(True)
        self._people: list[Stakeholder] = []
        self._cards: list[Card] = []
        self.selected_id = ""

    def sizeHint(self) -> QSize:
        return QSize(760, 420)

    def set_people(self, people: Sequence[Stakeholder]) -> None:
        self._people = [p for p in people if p.left_on is None]
        self.setToolTip(
            ""
            if self._people
            else self.tr("No current stakeholders: add people on the list to see the map.")
        )
        self.update()

    def select(self, stakeholder_id: str) -> None:
        self.selected_id = stakeholder_id
        self.update()

    def cards(self) -> list[Card]:
        """Where each person's card was last painted (for clicks and tests)."""
        return list(self._cards)

    # ---- painting --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(pal.ColorRole.WindowText)
        mid = pal.color(pal.ColorRole.Mid)
        base = pal.color(pal.ColorRole.Base)
        left, top, bottom_pad = 74.0, 26.0, 10.0
        width = self.width() - left - 8
        height = self.height() - top - bottom_pad
        col_w = width / len(ATTITUDE_COLUMNS)
        row_h = height / len(INFLUENCE_ROWS)
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.85, 7.0))
        painter.setFont(small)
        # Grid and axis labels.
        for c, attitude in enumerate(ATTITUDE_COLUMNS):
            x = left + c * col_w
            if c % 2 == 0:
                painter.fillRect(
                    QRectF(x, top, col_w, height), pal.color(pal.ColorRole.AlternateBase)
                )
            painter.setPen(text)
            painter.drawText(
                QRectF(x, 2, col_w, top - 4),
                int(Qt.AlignmentFlag.AlignCenter),
                self.tr(attitude.label),
            )
        for r, influence in enumerate(INFLUENCE_ROWS):
            y = top + r * row_h
            painter.setPen(QPen(mid, 1))
            painter.drawLine(QPointF(left, y), QPointF(left + width, y))
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y, left - 6, row_h),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                self.tr("{level}\ninfluence").format(level=self.tr(influence.label)),
            )
        painter.setPen(QPen(mid, 1))
        painter.drawRect(QRectF(left, top, width, height))
        self._cards = []
        if not self._people:
            painter.setPen(text)
            painter.drawText(
                QRectF(left, top, width, height),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.tr("No current stakeholders yet: add the people who decide, use and advise."),
            )
            return
        cells: dict[tuple[int, int], list[Stakeholder]] = {}
        for person in self._people:
            c = ATTITUDE_COLUMNS.index(person.attitude)
            r = INFLUENCE_ROWS.index(person.influence)
            cells.setdefault((r, c), []).append(person)
        line_h = painter.fontMetrics().height()
        card_h = line_h * 2 + 8
        for (r, c), people in cells.items():
            x = left + c * col_w + 4
            y0 = top + r * row_h + 4
            avail = row_h - 8
            per = max(min(card_h, avail / len(people) - 3), line_h + 4)
            for i, person in enumerate(sorted(people, key=lambda p: p.name.lower())):
                rect = QRectF(x, y0 + i * (per + 3), col_w - 8, per)
                if rect.bottom() > top + (r + 1) * row_h:
                    break
                self._paint_card(painter, rect, person, base, text, per >= card_h)
                self._cards.append(Card(person.id, rect))

    def _paint_card(
        self,
        painter: QPainter,
        rect: QRectF,
        person: Stakeholder,
        base: QColor,
        text: QColor,
        two_lines: bool,
    ) -> None:
        tints = ATTITUDE_TINTS_DARK if is_dark(self.palette()) else ATTITUDE_TINTS
        tint = QColor(tints[person.attitude])
        selected = person.id == self.selected_id
        pen = QPen(tint, 3 if selected else 1.6, MODE_PENS[person.response_mode])
        painter.setPen(pen)
        fill = QColor(base)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(text)
        inner = rect.adjusted(6, 2, -4, -2)
        bold = QFont(painter.font())
        bold.setBold(True)
        metrics_font = painter.font()
        painter.setFont(bold)
        name = painter.fontMetrics().elidedText(
            person.name, Qt.TextElideMode.ElideRight, int(inner.width())
        )
        painter.drawText(inner, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), name)
        painter.setFont(metrics_font)
        if two_lines:
            detail = f"{self.tr(person.buying_role.label)} · {self.tr(person.response_mode.label)}"
            detail = painter.fontMetrics().elidedText(
                detail, Qt.TextElideMode.ElideRight, int(inner.width())
            )
            painter.drawText(
                inner, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), detail
            )

    # ---- mouse -----------------------------------------------------------------------------

    def card_at(self, point: QPointF) -> str:
        for card in self._cards:
            if card.rect.contains(point):
                return card.stakeholder_id
        return ""

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.card_at(event.position())
        if hit:
            self.select(hit)
            self.person_clicked.emit(hit)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self.card_at(event.position())
        if hit:
            self.person_activated.emit(hit)
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.card_at(event.position())
        person = next((p for p in self._people if p.id == hit), None)
        if person is not None:
            self.setToolTip(
                self.tr(
                    "{name}: {title}\n{role}, {influence} influence, {attitude}\n"
                    "Response mode: {mode}"
                ).format(
                    name=person.name,
                    title=person.title or "—",
                    role=self.tr(person.buying_role.label),
                    influence=self.tr(person.influence.label).lower(),
                    attitude=self.tr(person.attitude.label).lower(),
                    mode=self.tr(person.response_mode.label),
                )
            )
        elif self._people:
            self.setToolTip("")
        super().mouseMoveEvent(event)
