"""Self-assessments (DOMAIN.md 3.4): take one with the result worked out live, look back later.

:class:`AssessmentDialog` asks one questionnaire (maturity, posture or readiness), one question
per group of radio buttons, and shows beside it what the core makes of the answers so far: the
score, the breakdown, the stage gate and what holds it back (maturity), fear against complacency
(posture), readiness against what the contract's campaign phase expects, and the advice. Saving
stores the answers and the result as an :class:`~renewal_coach.core.models.Assessment`.

:class:`AssessmentHistory` lists the assessments of one account (or of the organisation), draws
the trend of each kind's headline score with :class:`TrendChart`, and starts new ones.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core import questionnaires as q
from ...core.dates import parse_date
from ...core.enums import AssessmentKind
from ...core.errors import RenewalCoachError, ValidationError
from ...core.models import Assessment
from ...core.scoring.assessments import (
    POSTURE_THRESHOLD,
    STAGE_QUORUM,
    score_maturity,
    score_posture,
    score_readiness,
)
from ...core.scoring.result import ScoreResult
from ...core.scoring.timeline import PHASES
from ...core.settings import DEFAULT_SETTINGS, ScoreSettings
from ...storage.repository import Store
from ...storage.scores import account_scores, load_settings
from ..editing import Editor
from ..errors import show_expected_error

_Index = QModelIndex | QPersistentModelIndex

#: Error text colour (readable on light and dark backgrounds), always with a symbol as well.
ERROR_STYLE = "color: #c62828;"

GOOD = "#1b7a4a"
WARN = "#b35900"
BAD = "#b3261e"
INFO = "#1f5fa8"

#: A symbol and colour per band, so a band never depends on colour alone.
BAND_MARKS: dict[str, tuple[str, str]] = {
    "not_yet": ("○", ""),
    "stage_1": ("◔", INFO),
    "stage_2": ("◑", INFO),
    "stage_3": ("◕", INFO),
    "stage_4": ("●", GOOD),
    "unknown": ("○", ""),
    "conviction": ("●", GOOD),
    "fearful": ("▲", WARN),
    "complacent": ("▲", WARN),
    "mixed": ("■", BAD),
    "on_track": ("●", GOOD),
    "behind": ("▲", BAD),
}

#: Headline score range and chart ticks per kind.
_SCALES: dict[AssessmentKind, tuple[float, float, tuple[float, ...]]] = {
    AssessmentKind.MATURITY: (1.0, 4.0, (1.0, 2.0, 3.0, 4.0)),
    AssessmentKind.POSTURE: (0.0, 100.0, (0.0, 50.0, 100.0)),
    AssessmentKind.READINESS: (0.0, 100.0, (0.0, 25.0, 50.0, 75.0, 100.0)),
}

_READINESS_SYMBOLS = {"yes": "✓", "partial": "◐", "no": "✗", "n/a": "–"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("assessments", text)


def _ctr(text: str) -> str:
    """Questionnaire and result text from the core, offered to translators at display time."""
    return QCoreApplication.translate("questionnaires", text)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _faint_colour(palette: QPalette) -> QColor:
    """Secondary text: the text colour part-way to the background, opaque so it can go in HTML."""
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    return QColor(
        (text.red() * 11 + back.red() * 9) // 20,
        (text.green() * 11 + back.green() * 9) // 20,
        (text.blue() * 11 + back.blue() * 9) // 20,
    )


def _hundredths_text(score: float) -> str:
    """A 0..100 score rounded down to one decimal, as the core writes it in its band labels."""
    tenths = math.floor(score * 10 + 1e-6)
    whole, rest = divmod(tenths, 10)
    return f"{whole}.{rest}" if rest else str(whole)


def kind_title(kind: AssessmentKind) -> str:
    """What one assessment of ``kind`` is called on screen."""
    return {
        AssessmentKind.MATURITY: _tr("Maturity assessment"),
        AssessmentKind.POSTURE: _tr("Posture check"),
        AssessmentKind.READINESS: _tr("Readiness check"),
    }[AssessmentKind(kind)]


def score_text(kind: AssessmentKind, result: Mapping[str, Any]) -> str:
    """The headline number of a stored result, in words ("2.86 of 4", "71.4 of 100")."""
    score = result.get("score")
    if not isinstance(score, int | float):
        return ""
    if kind is AssessmentKind.MATURITY:
        return _tr("{index} of 4").format(index=f"{score:.2f}")
    if kind is AssessmentKind.POSTURE:
        extra = result.get("extra") or {}
        fear, complacency = extra.get("fear"), extra.get("complacency")
        if isinstance(fear, int | float) and isinstance(complacency, int | float):
            return _tr("fear {fear} · complacency {complacency}").format(
                fear=f"{fear:.2f}", complacency=f"{complacency:.2f}"
            )
        return f"{score:.0f}"
    return _tr("{score} of 100").format(score=_hundredths_text(score))


def point_label(kind: AssessmentKind, score: float) -> str:
    """The short value written next to a point of the trend chart."""
    return f"{score:.2f}" if kind is AssessmentKind.MATURITY else f"{score:.0f}"


# ---- the questions, as the dialog shows them ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Option:
    value: int | str
    #: Short text on the radio button itself ("" when the description says it all).
    title: str
    #: The longer description in a wrapped label beside it ("" for one-word answers).
    text: str


@dataclass(frozen=True, slots=True)
class _Question:
    key: str
    label: str
    question: str
    options: tuple[_Option, ...]
    #: True when the options are one-word answers laid out in a row.
    short: bool = False


def _questions(kind: AssessmentKind) -> tuple[_Question, ...]:
    if kind is AssessmentKind.MATURITY:
        return tuple(
            _Question(
                d.key,
                _ctr(d.label),
                _ctr(d.question),
                tuple(
                    _Option(level, _level_title(level), _ctr(text))
                    for level, text in enumerate(d.levels, start=1)
                ),
            )
            for d in q.MATURITY
        )
    if kind is AssessmentKind.POSTURE:
        return tuple(
            _Question(
                i.key,
                _ctr(i.label),
                _ctr(i.question),
                tuple(_Option(score, "", _ctr(text)) for score, text in enumerate(i.options)),
            )
            for i in q.POSTURE
        )
    return tuple(
        _Question(
            i.key,
            _ctr(i.label),
            _ctr(i.question),
            tuple(
                _Option(answer, _ctr(q.READINESS_ANSWER_LABELS[answer]), "")
                for answer in q.READINESS_ANSWERS
                if answer != "n/a" or i.allows_na
            ),
            short=True,
        )
        for i in q.READINESS
    )


def _level_title(level: int) -> str:
    return _tr("Level {n} – {name}").format(n=level, name=_ctr(q.LEVEL_NAMES[level - 1]))


class _OptionLabel(QLabel):
    """The wrapped description of one option; clicking it picks the option."""

    def __init__(self, text: str, button: QAbstractButton, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._button = button
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        policy = self.sizePolicy()  # keeps the height-for-width that word wrap switched on
        policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
        self.setSizePolicy(policy)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if (
            event.button() == Qt.MouseButton.LeftButton
            and self._button.isEnabled()
            and self.rect().contains(event.position().toPoint())
        ):
            self._button.click()
            self._button.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


# ---- painted gauges and charts ----------------------------------------------------------------


class _Gauge(QWidget):
    """A thin horizontal bar from ``minimum`` to ``maximum`` with an optional marker line."""

    def __init__(self, minimum: float, maximum: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._minimum = minimum
        self._maximum = maximum
        self._value: float | None = None
        self._marker: float | None = None
        self._colour = QColor(INFO)
        self.setMinimumSize(80, 16)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_value(self, value: float | None, marker: float | None = None, colour: str = "") -> None:
        self._value = value
        self._marker = marker
        self._colour = QColor(colour or INFO)
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
            painter.setBrush(self._colour)
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
            "; ".join(f"{p.when.isoformat()}: {p.label}" for p in self._points) or self._empty_text
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
            when = point.when.isoformat()
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


# ---- the live result --------------------------------------------------------------------------


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _wrapped(text: str = "", rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class _ResultPanel(QWidget):
    """What the answers so far add up to: headline, gauges, the gate or phase, breakdown, advice.

    Everything is drawn from the result as JSON, so a live result and a stored one look alike.
    """

    def __init__(self, kind: AssessmentKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.headline = QLabel()
        self.headline.setObjectName("resultHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setAccessibleName(self.tr("Result"))
        self.score_line = _wrapped()
        self.score_line.setAccessibleName(self.tr("Score"))

        self.gauges: dict[str, tuple[_Gauge, QLabel]] = {}
        gauge_grid = QGridLayout()
        gauge_grid.setHorizontalSpacing(8)
        gauge_grid.setVerticalSpacing(4)
        gauge_grid.setColumnStretch(1, 1)
        for row, (key, name, low, high) in enumerate(self._gauge_specs()):
            gauge = _Gauge(low, high)
            gauge.setAccessibleName(name)
            value = QLabel()
            value.setMinimumWidth(self.fontMetrics().horizontalAdvance("100.0 / 100") + 4)
            gauge_grid.addWidget(QLabel(name), row, 0)
            gauge_grid.addWidget(gauge, row, 1)
            gauge_grid.addWidget(value, row, 2)
            self.gauges[key] = (gauge, value)

        self.summary_heading = _heading(self._summary_title())
        self.summary = _wrapped(rich=True)
        self.summary.setObjectName("resultSummary")
        self.summary.setAccessibleName(self._summary_title())
        self.breakdown_heading = _heading(self._breakdown_title())
        self.breakdown = _wrapped(rich=True)
        self.breakdown.setObjectName("resultBreakdown")
        self.breakdown.setAccessibleName(self._breakdown_title())
        self.advice_heading = _heading(self.tr("What to do next"))
        self.advice = _wrapped(rich=True)
        self.advice.setObjectName("resultAdvice")
        self.advice.setAccessibleName(self.tr("What to do next"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(self.headline)
        layout.addWidget(self.score_line)
        layout.addLayout(gauge_grid)
        layout.addSpacing(6)
        layout.addWidget(self.summary_heading)
        layout.addWidget(self.summary)
        layout.addSpacing(6)
        layout.addWidget(self.breakdown_heading)
        layout.addWidget(self.breakdown)
        layout.addSpacing(6)
        layout.addWidget(self.advice_heading)
        layout.addWidget(self.advice)
        layout.addStretch(1)

    def _gauge_specs(self) -> list[tuple[str, str, float, float]]:
        if self.kind is AssessmentKind.MATURITY:
            return [("index", self.tr("Index"), 1.0, 4.0)]
        if self.kind is AssessmentKind.POSTURE:
            return [
                ("fear", self.tr("Fear"), 0.0, 1.0),
                ("complacency", self.tr("Complacency"), 0.0, 1.0),
            ]
        return [("readiness", self.tr("Readiness"), 0.0, 100.0)]

    def _summary_title(self) -> str:
        return {
            AssessmentKind.MATURITY: self.tr("Stage gate"),
            AssessmentKind.POSTURE: self.tr("Conviction, fear or complacency"),
            AssessmentKind.READINESS: self.tr("Against the campaign phase"),
        }[self.kind]

    def _breakdown_title(self) -> str:
        return {
            AssessmentKind.MATURITY: self.tr("Dimensions"),
            AssessmentKind.POSTURE: self.tr("Items"),
            AssessmentKind.READINESS: self.tr("Checks"),
        }[self.kind]

    # ---- showing a result -----------------------------------------------------------------

    def show_result(
        self, result: Mapping[str, Any], answers: Mapping[str, Any], *, context: str = ""
    ) -> None:
        """Show ``result`` (a ScoreResult as JSON) for ``answers``; ``context`` names the
        contract and phase a readiness check was measured against."""
        band = str(result.get("band", ""))
        symbol, colour = BAND_MARKS.get(band, ("", ""))
        text = _esc(_ctr(str(result.get("band_label", ""))))
        if self.kind is AssessmentKind.READINESS and not answers:
            # "Behind: 0" before the first answer would be a verdict on nothing
            symbol, colour, text = BAND_MARKS["unknown"][0], "", _esc(self.tr("Not answered yet"))
        mark = f"{symbol} " if symbol else ""
        self.headline.setText(
            f"<span style='color:{colour}'>{mark}{text}</span>" if colour else mark + text
        )
        extra = result.get("extra") or {}
        score = result.get("score")
        score = float(score) if isinstance(score, int | float) else None
        if self.kind is AssessmentKind.MATURITY:
            self._show_maturity(result, answers, extra, score)
        elif self.kind is AssessmentKind.POSTURE:
            self._show_posture(result, answers, extra, score)
        else:
            self._show_readiness(result, answers, extra, score, context)
        advice = [str(a) for a in result.get("advice") or ()]
        self.advice.setText(
            "<ul style='margin-left:-20px'>"
            + "".join(f"<li>{_esc(_ctr(a))}</li>" for a in advice)
            + "</ul>"
            if advice
            else _esc(
                self.tr("Answer the questions to see what to do next.")
                if not answers
                else self.tr("Nothing to add for now.")
            )
        )

    def _faint(self, text: str) -> str:
        return f"<span style='color:{_faint_colour(self.palette()).name()}'>{_esc(text)}</span>"

    @staticmethod
    def _table(rows: Sequence[tuple[str, str]]) -> str:
        cells = "".join(
            f"<tr><td style='padding:1px 14px 1px 0'>{label}</td>"
            f"<td style='padding:1px 0'>{value}</td></tr>"
            for label, value in rows
        )
        return f"<table cellspacing='0' cellpadding='0'>{cells}</table>"

    def _show_maturity(
        self,
        result: Mapping[str, Any],
        answers: Mapping[str, Any],
        extra: Mapping[str, Any],
        score: float | None,
    ) -> None:
        levels = {k: v for k, v in answers.items() if isinstance(v, int) and 1 <= v <= 4}
        stage = int(extra.get("stage") or 0)
        limiting = [str(k) for k in extra.get("limiting") or ()]
        total = len(q.MATURITY)
        gauge, value = self.gauges["index"]
        if levels and score:
            gauge.set_value(score)
            value.setText(f"{score:.2f} / 4")
            self.score_line.setText(
                self.tr("Index {index} of 4 (the mean level) · {n} of {total} answered").format(
                    index=f"{score:.2f}", n=len(levels), total=total
                )
            )
        else:
            gauge.set_value(None)
            value.setText("–")
            self.score_line.setText(self.tr("Pick a level for each dimension."))

        lines = []
        for k in range(1, 5):
            reach = sum(1 for level in levels.values() if level >= k)
            passed = reach >= STAGE_QUORUM
            name = _tr("Stage {k} – {name}").format(k=k, name=_ctr(q.LEVEL_NAMES[k - 1]))
            detail = self.tr("{n} of {total} dimensions at level {k} or above").format(
                n=reach, total=total, k=k
            )
            if passed:
                lines.append(f"<span style='color:{GOOD}'>✓</span> <b>{_esc(name)}</b>: {detail}")
            else:
                needs = self.tr("needs {quorum}").format(quorum=STAGE_QUORUM)
                lines.append(f"✗ {_esc(name)}: {_esc(detail)} ({_esc(needs)})")
        if 0 < stage < 4 and limiting:
            names = ", ".join(
                _esc(_ctr(q.MATURITY_BY_KEY[k].label)) for k in limiting if k in q.MATURITY_BY_KEY
            )
            lines.append(
                "<br>"
                + _esc(self.tr("Holding back stage {next}:").format(next=stage + 1))
                + f" <span style='color:{WARN}'>▲</span> <b>{names}</b>"
            )
        elif stage == 4:
            lines.append("<br>" + _esc(self.tr("Every stage reached: nothing is holding back.")))
        self.summary.setText("<br>".join(lines))

        rows = []
        for dim in q.MATURITY:
            level = levels.get(dim.key)
            label = _esc(_ctr(dim.label))
            if dim.key in limiting:
                label = f"<span style='color:{WARN}'>▲</span> {label}"
            if level is None:
                rows.append((label, self._faint(self.tr("Not answered"))))
            else:
                bar = "■" * level + "□" * (4 - level)
                rows.append((label, f"{bar} {_esc(_level_title(level))}"))
        self.breakdown.setText(self._table(rows))

    def _show_posture(
        self,
        result: Mapping[str, Any],
        answers: Mapping[str, Any],
        extra: Mapping[str, Any],
        score: float | None,
    ) -> None:
        answered = {k: v for k, v in answers.items() if isinstance(v, int) and 0 <= v <= 3}
        readings = {}
        for kind in q.POSTURE_KINDS:
            reading = extra.get(kind)
            known = any(i.kind == kind and i.key in answered for i in q.POSTURE)
            readings[kind] = float(reading) if known and isinstance(reading, int | float) else None
        threshold = float(POSTURE_THRESHOLD)
        for kind, reading in readings.items():
            gauge, value = self.gauges[kind]
            colour = WARN if reading is not None and reading >= threshold else GOOD
            gauge.set_value(reading, threshold, colour)
            value.setText("–" if reading is None else f"{reading:.2f}")
        self.score_line.setText(
            self.tr("0 is best and 1 worst; {t} or more reads as fearful or complacent.").format(
                t=f"{threshold:.2f}"
            )
        )
        band = str(result.get("band", ""))
        explain = {
            "conviction": self.tr(
                "Conviction: both readings are below {t}. Attention follows value, not worry."
            ),
            "fearful": self.tr(
                "Fearful: the fear reading is {t} or more. Discounts, extra contact and "
                "concessions are standing in for a plan."
            ),
            "complacent": self.tr(
                "Complacent: the complacency reading is {t} or more. The renewal is being taken "
                "for granted."
            ),
            "mixed": self.tr(
                "Mixed: both readings are {t} or more. Little is done early, then too much late."
            ),
        }.get(band, self.tr("Answer the items to see whether fear or complacency is steering."))
        self.summary.setText(_esc(explain.format(t=f"{threshold:.2f}")))

        rows: list[tuple[str, str]] = []
        for kind, title in (
            ("fear", self.tr("Fear items")),
            ("complacency", self.tr("Complacency items")),
        ):
            rows.append((f"<i>{_esc(title)}</i>", ""))
            for item in q.POSTURE:
                if item.kind != kind:
                    continue
                value = answered.get(item.key)
                if value is None:
                    shown = self._faint(self.tr("Not answered"))
                else:
                    shown = (
                        "●" * value
                        + "○" * (3 - value)
                        + " "
                        + _esc(self.tr("{n} of 3").format(n=value))
                    )
                rows.append((_esc(_ctr(item.label)), shown))
        self.breakdown.setText(
            self._table(rows) + self._faint(self.tr("0 of 3 is the best answer, 3 of 3 the worst."))
        )

    def _show_readiness(
        self,
        result: Mapping[str, Any],
        answers: Mapping[str, Any],
        extra: Mapping[str, Any],
        score: float | None,
        context: str,
    ) -> None:
        expected = extra.get("expected")
        expected = float(expected) if isinstance(expected, int | float) else None
        phase = extra.get("phase")
        gauge, value = self.gauges["readiness"]
        colour = BAND_MARKS.get(str(result.get("band", "")), ("", INFO))[1] or INFO
        shown = "–" if score is None else _hundredths_text(score)
        gauge.set_value(score, expected, colour)
        value.setText(f"{shown} / 100")
        details = {str(d.get("label")): str(d.get("value")) for d in result.get("details") or ()}
        answered = details.get("Answered")
        self.score_line.setText(
            self.tr("Answered: {what}").format(what=_ctr(answered)) if answered else ""
        )
        lines = [_esc(context)] if context else []
        phase_name = _ctr(PHASES.get(str(phase), "")) if phase else ""
        if expected is not None:
            lines.append(
                _esc(
                    self.tr("The {phase} phase expects {expected} or more (the line on the bar).")
                ).format(phase=_esc(phase_name), expected=f"{expected:g}")
            )
        elif phase_name:
            lines.append(
                _esc(
                    self.tr(
                        "No expected level in the {phase} phase: expectations start when the "
                        "campaign kicks off (Shape 40, Ready 75, formal procurement 90 by default)."
                    ).format(phase=phase_name)
                )
            )
        else:
            lines.append(
                _esc(self.tr("No contract chosen, so there is no expected level to compare with."))
            )
        self.summary.setText("<br>".join(lines))

        rows = []
        for item in q.READINESS:
            answer = answers.get(item.key)
            if item.allows_na and answer is None and result.get("factors"):
                factor = next(
                    (f for f in result["factors"] if f.get("key") == item.key), {"weight": 1}
                )
                if not factor.get("weight"):
                    answer = "n/a"
            if answer in _READINESS_SYMBOLS:
                label = _ctr(q.READINESS_ANSWER_LABELS[answer])
                shown = f"{_READINESS_SYMBOLS[answer]} {_esc(label)}"
            else:
                shown = self._faint(self.tr("Not answered"))
            rows.append((_esc(_ctr(item.label)), shown))
        self.breakdown.setText(self._table(rows))


# ---- the dialog -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContractChoice:
    """A contract a readiness check can be measured against, with its campaign phase now."""

    id: str
    reference: str
    title: str
    phase: str
    public_sector: bool

    @property
    def text(self) -> str:
        return _tr("{reference} – {title} ({phase} phase)").format(
            reference=self.reference, title=self.title, phase=_ctr(PHASES.get(self.phase, ""))
        )


class AssessmentDialog(QDialog):
    """One questionnaire, with the result worked out live beside the questions.

    Save stays disabled until every question is answered and the date is valid. Saving adds an
    :class:`Assessment` (answers and the result as JSON) and keeps it in ``saved``.

    Given ``record``, the dialog is a read-only view of that past assessment: its answers and
    the result exactly as stored, whatever the score settings say today.
    """

    def __init__(
        self,
        store: Store,
        kind: AssessmentKind | str,
        *,
        account_id: str | None = None,
        contract_id: str | None = None,
        today: date,
        record: Assessment | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.kind = AssessmentKind(kind)
        self.account_id = account_id
        self.today = today
        self.record = record
        self.read_only = record is not None
        self.saved: Assessment | None = None
        self._contract_id = contract_id
        self._phase: str | None = None
        self._public_sector = True
        self._answers: dict[str, Any] = {}
        self._questions = _questions(self.kind)
        self._groups: dict[str, QButtonGroup] = {}
        self._boxes: dict[str, QGroupBox] = {}
        self._labels: dict[str, list[QLabel | None]] = {}
        self._date: date | None = today
        self.contract_choices: list[ContractChoice] = []
        self._settings, settings_note = self._read_settings()

        account_name = ""
        if account_id:
            account = store.accounts.find(account_id)
            account_name = account.name if account else ""
        who = account_name or self.tr("your organisation")
        self.setWindowTitle(
            self.tr("{what} – {who}").format(what=kind_title(self.kind), who=who)
            + (self.tr(" (read-only)") if self.read_only else "")
        )
        self.setObjectName("assessmentDialog")

        # --- top: what this is, and for readiness which contract it is measured against
        intro = _wrapped(self._intro())
        intro.setObjectName("intro")
        top = QVBoxLayout()
        top.addWidget(intro)
        if settings_note:
            note = _wrapped("⚠ " + settings_note)
            note.setStyleSheet(ERROR_STYLE)
            top.addWidget(note)
        self.contract_combo: QComboBox | None = None
        self.contract_note = _wrapped()
        self.contract_note.setObjectName("contractNote")
        self.contract_note.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        if self.kind is AssessmentKind.READINESS:
            top.addLayout(self._contract_row())

        # --- left: the questions; right: the result
        questions = QWidget()
        questions.setObjectName("questions")
        q_layout = QVBoxLayout(questions)
        q_layout.setContentsMargins(8, 8, 12, 8)
        q_layout.setSpacing(10)
        for number, question in enumerate(self._questions, start=1):
            q_layout.addWidget(self._question_box(number, question))
        q_layout.addStretch(1)
        self.questions_scroll = QScrollArea()
        self.questions_scroll.setObjectName("questionsScroll")
        self.questions_scroll.setWidgetResizable(True)
        self.questions_scroll.setWidget(questions)
        self.questions_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.questions_scroll.setAccessibleName(self.tr("Questions"))

        self.result_panel = _ResultPanel(self.kind)
        self.result_scroll = QScrollArea()
        self.result_scroll.setObjectName("resultScroll")
        self.result_scroll.setWidgetResizable(True)
        self.result_scroll.setWidget(self.result_panel)
        self.result_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.result_scroll.setMinimumWidth(300)
        self.result_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.result_scroll.setAccessibleName(self.tr("Result so far"))

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.questions_scroll)
        self.splitter.addWidget(self.result_scroll)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        # --- bottom: date, what is left, save
        self.date_edit = QLineEdit(today.isoformat())
        self.date_edit.setObjectName("takenOn")
        self.date_edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.date_edit.setMaxLength(10)
        self.date_edit.setFixedWidth(self.fontMetrics().horizontalAdvance("0000-00-00") + 24)
        self.date_edit.setAccessibleName(self.tr("Date taken"))
        self.date_edit.textChanged.connect(self._date_changed)
        date_label = QLabel(self.tr("&Taken on"))
        date_label.setBuddy(self.date_edit)
        self.date_error = QLabel()
        self.date_error.setObjectName("dateError")
        self.date_error.setStyleSheet(ERROR_STYLE)
        self.date_error.setWordWrap(True)
        self.date_error.setAccessibleName(self.tr("Problem with the date"))
        self.date_error.hide()

        self.remaining_label = QLabel()
        self.remaining_label.setObjectName("remaining")
        self.remaining_label.setAccessibleName(self.tr("Questions left"))
        self.next_button = QPushButton(self.tr("&Next unanswered"))
        self.next_button.setAutoDefault(False)
        self.next_button.clicked.connect(self.focus_next_unanswered)

        self.buttons = QDialogButtonBox()
        if self.read_only:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
            self.ok_button: QPushButton | None = None
        else:
            self.buttons.setStandardButtons(
                QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
            )
            self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
            self.ok_button.setText(self.tr("&Save assessment"))
            self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        bottom = QHBoxLayout()
        bottom.addWidget(date_label)
        bottom.addWidget(self.date_edit)
        bottom.addWidget(self.date_error, 1)
        bottom.addStretch(0)
        bottom.addWidget(self.remaining_label)
        bottom.addWidget(self.next_button)
        bottom.addSpacing(12)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

        if record is not None:
            self._fill_from(record)
        else:
            self._apply_contract()
            self._refresh()
        self._fit_to_screen()
        first = self._first_unanswered() or (self._questions[0].key if self._questions else None)
        if first and not self.read_only:
            self._groups[first].buttons()[0].setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- building --------------------------------------------------------------------------

    def _read_settings(self) -> tuple[ScoreSettings, str]:
        try:
            return load_settings(self.store), ""
        except RenewalCoachError as exc:
            return DEFAULT_SETTINGS, self.tr(
                "The team's score settings could not be read ({reason}); the defaults are used."
            ).format(reason=exc)

    def _intro(self) -> str:
        if self.read_only:
            return self.tr(
                "A past assessment, shown as it was saved. Take a new one to see where you "
                "stand today."
            )
        return {
            AssessmentKind.MATURITY: self.tr(
                "For each dimension, pick the description closest to how the team works today, "
                "not how it ought to work. The stage is the highest level that at least {quorum} "
                "of the {total} dimensions reach."
            ).format(quorum=STAGE_QUORUM, total=len(q.MATURITY)),
            AssessmentKind.POSTURE: self.tr(
                "Answer from what the team actually did last time, not what it intends. Each "
                "item reads either fear (chasing, discounting, over-contacting) or complacency "
                "(taking the renewal for granted)."
            ),
            AssessmentKind.READINESS: self.tr(
                "Answer yes only when it is done and written down, and partly when work has "
                "started. The score is compared with what the contract's campaign phase expects."
            ),
        }[self.kind]

    def _contract_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        if self.read_only or not self.account_id:
            row.addWidget(self.contract_note, 1)
            return row
        try:
            scores = account_scores(self.store, self.account_id, self.today, self._settings)
        except RenewalCoachError as exc:
            self.contract_note.setText(
                self.tr("The contracts could not be read ({reason}).").format(reason=exc)
            )
            row.addWidget(self.contract_note, 1)
            return row
        self.contract_choices = [
            ContractChoice(
                c.contract.id,
                c.contract.reference,
                c.contract.title,
                c.campaign.phase,
                bool(c.contract.public_sector),
            )
            for c in scores.contracts
        ]
        if not self.contract_choices:
            row.addWidget(self.contract_note, 1)
            return row
        wanted = self._contract_id or (scores.primary.contract.id if scores.primary else None)
        combo = QComboBox()
        combo.setObjectName("contract")
        combo.setAccessibleName(self.tr("Contract"))
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for choice in self.contract_choices:
            combo.addItem(choice.text, choice.id)
        index = next((i for i, c in enumerate(self.contract_choices) if c.id == wanted), 0)
        combo.setCurrentIndex(index)
        combo.currentIndexChanged.connect(self._contract_changed)
        self.contract_combo = combo
        label = QLabel(self.tr("&Contract:"))
        label.setBuddy(combo)
        row.addWidget(label)
        row.addWidget(combo)
        row.addWidget(self.contract_note, 1)
        return row

    def _question_box(self, number: int, question: _Question) -> QGroupBox:
        box = QGroupBox(f"{number}. {question.label}")
        box.setObjectName(f"question_{question.key}")
        box.setAccessibleName(question.label)
        box.setAccessibleDescription(question.question)
        layout = QVBoxLayout(box)
        layout.setSpacing(6)
        prompt = _wrapped(question.question)
        group = QButtonGroup(box)
        group.setExclusive(True)
        labels: list[QLabel | None] = []
        if question.short:
            # the question and its one-word answers side by side
            row = QHBoxLayout()
            row.setSpacing(16)
            row.addWidget(prompt, 1)
            for i, option in enumerate(question.options):
                button = QRadioButton(option.title)
                button.setObjectName(f"{question.key}:{option.value}")
                button.setAccessibleName(option.title)
                group.addButton(button, i)
                row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
                labels.append(None)
            layout.addLayout(row)
        else:
            layout.addWidget(prompt)
            # one row per option: the radio button (titles line up in a column) and the
            # wrapped description, which the box layout sizes height-for-width
            buttons = [QRadioButton(option.title) for option in question.options]
            title_width = max(b.sizeHint().width() for b in buttons)
            line = self.fontMetrics().height()
            for i, (option, button) in enumerate(zip(question.options, buttons, strict=True)):
                button.setObjectName(f"{question.key}:{option.value}")
                button.setAccessibleName(option.title or option.text)
                if option.title:
                    button.setAccessibleDescription(option.text)
                    button.setFixedWidth(title_width)
                label = _OptionLabel(option.text, button)
                label.setContentsMargins(0, max(0, (button.sizeHint().height() - line) // 2), 0, 0)
                group.addButton(button, i)
                row = QHBoxLayout()
                row.setSpacing(10)
                row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
                row.addWidget(label, 1)
                layout.addLayout(row)
                labels.append(label)
        group.idToggled.connect(
            lambda index, checked, key=question.key: self._toggled(key, index, checked)
        )
        self._groups[question.key] = group
        self._boxes[question.key] = box
        self._labels[question.key] = labels
        return box

    def _fit_to_screen(self) -> None:
        width, height = 1240, 720
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width() - 40)
            height = min(height, available.height() - 40)
        self.setMinimumSize(640, 420)
        self.resize(max(width, 640), max(height, 420))
        self.splitter.setSizes([int(width * 0.58), int(width * 0.42)])

    # ---- context ---------------------------------------------------------------------------

    @property
    def phase(self) -> str | None:
        """The campaign phase the readiness check is measured against (None: no contract)."""
        return self._phase

    @property
    def public_sector(self) -> bool:
        """False when the chosen contract is private-sector, so the probity plan does not apply."""
        return self._public_sector

    @property
    def contract_id(self) -> str | None:
        """The contract the assessment is saved against."""
        return self._contract_id

    def _contract_changed(self, index: int) -> None:
        self._apply_contract()
        self._refresh()

    def _apply_contract(self) -> None:
        if self.kind is not AssessmentKind.READINESS:
            return
        choice = self._current_choice()
        if choice is not None:
            self._contract_id = choice.id
            self._phase = choice.phase
            self._public_sector = choice.public_sector
            self.contract_note.setText(
                ""
                if choice.public_sector
                else self.tr("Private sector: the probity plan does not apply.")
            )
        else:
            self._phase = None
            self._public_sector = True
            if not self.contract_note.text():
                self.contract_note.setText(
                    self.tr("No contract: readiness is shown without an expected level.")
                )
        self._set_probity_applies(self._public_sector)

    def _current_choice(self) -> ContractChoice | None:
        if self.contract_combo is None:
            return None
        index = self.contract_combo.currentIndex()
        return self.contract_choices[index] if 0 <= index < len(self.contract_choices) else None

    def _set_probity_applies(self, applies: bool) -> None:
        for item in q.READINESS:
            if not item.allows_na or item.key not in self._groups:
                continue
            box = self._boxes[item.key]
            box.setEnabled(applies)
            number = self._number_of(item.key)
            suffix = "" if applies else self.tr(" (does not apply: private sector)")
            box.setTitle(f"{number}. {_ctr(item.label)}{suffix}")
            if not applies:
                self._clear(item.key)

    def _number_of(self, key: str) -> int:
        return next(i for i, question in enumerate(self._questions, start=1) if question.key == key)

    def _clear(self, key: str) -> None:
        group = self._groups[key]
        group.setExclusive(False)
        for button in group.buttons():
            button.setChecked(False)
        group.setExclusive(True)
        self._answers.pop(key, None)

    def _applies(self, key: str) -> bool:
        if self.kind is AssessmentKind.READINESS and not self._public_sector:
            return not q.READINESS_BY_KEY[key].allows_na
        return True

    # ---- answers and the live result -----------------------------------------------------

    def _toggled(self, key: str, index: int, checked: bool) -> None:
        if not checked:
            return
        question = next(x for x in self._questions if x.key == key)
        self._answers[key] = question.options[index].value
        if not self.read_only:
            self._refresh()

    def answers(self) -> dict[str, Any]:
        """The answers given so far, keyed by question key (unanswered ones left out)."""
        return dict(self._answers)

    def option_button(self, key: str, value: int | str) -> QRadioButton:
        """The radio button that answers ``key`` with ``value``."""
        question = next(x for x in self._questions if x.key == key)
        index = next(i for i, option in enumerate(question.options) if option.value == value)
        button = self._groups[key].button(index)
        assert isinstance(button, QRadioButton)
        return button

    def score(self) -> ScoreResult:
        """The core's result for the answers so far."""
        answers = self.answers()
        if self.kind is AssessmentKind.MATURITY:
            return score_maturity(answers, self._settings)
        if self.kind is AssessmentKind.POSTURE:
            return score_posture(answers, self._settings)
        return score_readiness(
            answers,
            phase=self._phase,
            public_sector=self._public_sector,
            settings=self._settings,
        )

    def result(self) -> dict[str, Any]:
        """The result on show, as stored: live for a new assessment, as saved for a past one."""
        if self.record is not None:
            return dict(self.record.result)
        return self.score().to_json()

    def remaining(self) -> int:
        """How many questions that apply are still unanswered."""
        return sum(
            1 for x in self._questions if self._applies(x.key) and x.key not in self._answers
        )

    def _first_unanswered(self) -> str | None:
        return next(
            (x.key for x in self._questions if self._applies(x.key) and x.key not in self._answers),
            None,
        )

    def focus_next_unanswered(self) -> None:
        """Scroll to the first unanswered question and put the focus on its first answer."""
        key = self._first_unanswered()
        if key is None:
            return
        self.questions_scroll.ensureWidgetVisible(self._boxes[key], 0, 40)
        self._groups[key].buttons()[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _context_text(self) -> str:
        if self.kind is not AssessmentKind.READINESS:
            return ""
        choice = self._current_choice()
        if choice is not None:
            return self.tr("Measured against {reference} – {title}.").format(
                reference=choice.reference, title=choice.title
            )
        if self.record is not None and self.record.contract_id:
            contract = self.store.contracts.find(self.record.contract_id)
            if contract is not None:
                return self.tr("Measured against {reference} – {title}.").format(
                    reference=contract.reference, title=contract.title
                )
        return ""

    def _refresh(self) -> None:
        self.result_panel.show_result(self.result(), self._answers, context=self._context_text())
        left = self.remaining()
        if self.read_only:
            self.remaining_label.hide()
            self.next_button.hide()
            return
        if left == 0:
            self.remaining_label.setText(self.tr("✓ Every question answered"))
        elif left == 1:
            self.remaining_label.setText(self.tr("1 question left to answer"))
        else:
            self.remaining_label.setText(self.tr("{n} questions left to answer").format(n=left))
        self.next_button.setEnabled(left > 0)
        self._update_ok()

    def _update_ok(self) -> None:
        if self.ok_button is None:
            return
        complete = self.remaining() == 0
        self.ok_button.setEnabled(complete and self._date is not None)
        if not complete:
            self.ok_button.setToolTip(self.tr("Answer every question to save."))
        elif self._date is None:
            self.ok_button.setToolTip(self.tr("Correct the date to save."))
        else:
            self.ok_button.setToolTip("")

    # ---- the date --------------------------------------------------------------------------

    def _date_changed(self, text: str) -> None:
        try:
            when = parse_date(text)
        except ValueError as exc:
            self._set_date_problem(_ctr(str(exc)))
            return
        if when > self.today:
            self._set_date_problem(
                self.tr("An assessment cannot be dated after today ({today}).").format(
                    today=self.today.isoformat()
                )
            )
            return
        self._set_date_problem("")
        self._date = when
        self._update_ok()

    def _set_date_problem(self, message: str) -> None:
        if message:
            self._date = None
        self.date_error.setText(f"⚠ {message}" if message else "")
        self.date_error.setVisible(bool(message))
        self.date_edit.setToolTip(message)
        self._update_ok()

    @property
    def taken_on(self) -> date | None:
        """The date as typed, or None while it is not a valid date."""
        return self._date

    # ---- read-only view and saving --------------------------------------------------------

    def _fill_from(self, record: Assessment) -> None:
        if record.taken_on is not None:
            self.date_edit.setText(record.taken_on.isoformat())
        self.date_edit.setReadOnly(True)
        extra = record.result.get("extra") or {}
        self._phase = extra.get("phase") if isinstance(extra, dict) else None
        self._public_sector = (
            self.kind is not AssessmentKind.READINESS
            or "probity_plan" in record.answers
            or any(
                f.get("key") == "probity_plan" and f.get("weight")
                for f in record.result.get("factors") or ()
                if isinstance(f, dict)
            )
        )
        if self.kind is AssessmentKind.READINESS:
            self._set_probity_applies(self._public_sector)
        for question in self._questions:
            value = record.answers.get(question.key)
            labels = self._labels[question.key]
            for i, option in enumerate(question.options):
                button = self._groups[question.key].button(i)
                # enabled, so the answers stay legible, but out of reach of mouse and keyboard
                button.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                label = labels[i]
                if option.value == value:
                    button.setChecked(True)
                    for widget in (button, label):
                        if widget is not None:
                            font = widget.font()
                            font.setBold(True)
                            widget.setFont(font)
                if label is not None:
                    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
                    label.setCursor(Qt.CursorShape.ArrowCursor)
        self._answers = {
            k: v for k, v in record.answers.items() if any(x.key == k for x in self._questions)
        }
        self._refresh()

    def save(self) -> bool:
        """Store the assessment and close; False (and the dialog stays open) when refused."""
        if self.read_only:
            self.accept()
            return False
        if self.remaining() or self._date is None:
            return False
        record = Assessment(
            kind=self.kind,
            account_id=self.account_id,
            contract_id=self._contract_id,
            taken_on=self._date,
            answers=self.answers(),
            result=self.score().to_json(),
        )
        try:
            self.saved = self.store.assessments.add(record)
        except ValidationError as exc:
            message = exc.for_field("taken_on")
            if message:
                self._set_date_problem(message)
            else:
                show_expected_error(self, self.tr("The assessment could not be saved."), exc)
            return False
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The assessment could not be saved."), exc)
            return False
        self.accept()
        return True


# ---- the history ------------------------------------------------------------------------------


class AssessmentTableModel(QAbstractTableModel):
    """Past assessments: date, kind, headline result, score and contract, one row each."""

    DATE = 0
    KIND = 1
    RESULT = 2
    SCORE = 3
    CONTRACT = 4
    COLUMN_COUNT = 5

    #: The native value to sort on: a QDate, a float, or text.
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    #: The assessment's id.
    ID_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = (
            self.tr("Date"),
            self.tr("Assessment"),
            self.tr("Result"),
            self.tr("Score"),
            self.tr("Contract"),
        )
        self._records: list[Assessment] = []
        self._contracts: dict[str, str] = {}

    def set_records(
        self, records: Sequence[Assessment], contracts: Mapping[str, str] | None = None
    ) -> None:
        """Show ``records``; ``contracts`` maps contract ids to the references shown."""
        self.beginResetModel()
        self._records = list(records)
        self._contracts = dict(contracts or {})
        self.endResetModel()

    def add_record(self, record: Assessment) -> None:
        row = len(self._records)
        self.beginInsertRows(QModelIndex(), row, row)
        self._records.append(record)
        self.endInsertRows()

    def remove_record(self, record_id: str) -> None:
        row = self.row_of(record_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._records[row]
        self.endRemoveRows()

    def row_of(self, record_id: str) -> int | None:
        return next((i for i, r in enumerate(self._records) if r.id == record_id), None)

    def record(self, row: int) -> Assessment:
        return self._records[row]

    def records(self) -> list[Assessment]:
        return list(self._records)

    # ---- Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < self.COLUMN_COUNT
        ):
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == self.SORT_ROLE:
            return self._sort_value(record, column)
        if role == self.ID_ROLE:
            return record.id
        if role == Qt.ItemDataRole.ToolTipRole and column == self.RESULT:
            advice = [str(a) for a in record.result.get("advice") or ()]
            return "\n".join(f"• {_ctr(a)}" for a in advice) or None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def _display(self, record: Assessment, column: int) -> str:
        if column == self.DATE:
            return record.taken_on.isoformat() if record.taken_on else ""
        if column == self.KIND:
            return kind_title(record.kind)
        if column == self.RESULT:
            band = str(record.result.get("band", ""))
            symbol = BAND_MARKS.get(band, ("", ""))[0]
            label = _ctr(str(record.result.get("band_label", "")))
            return f"{symbol} {label}" if symbol else label
        if column == self.SCORE:
            return score_text(record.kind, record.result)
        if column == self.CONTRACT:
            return self._contracts.get(record.contract_id or "", "")
        return ""

    def _sort_value(self, record: Assessment, column: int) -> Any:
        if column == self.DATE:
            # A QDate, not a Python date: the proxy compares QDates natively.
            return QDate(record.taken_on) if record.taken_on else QDate()
        if column == self.SCORE:
            score = record.result.get("score")
            return float(score) if isinstance(score, int | float) else -1.0
        return self._display(record, column)


def ask_delete(parent: QWidget | None, text: str) -> bool:
    """Ask before deleting; True only when the person confirms."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_tr("Delete Assessment"))
    box.setText(text)
    box.setInformativeText(_tr("Its answers and result will be gone for good."))
    delete = box.addButton(_tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(_tr("Keep It"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is delete


class AssessmentHistory(QWidget):
    """The assessments of one account, or of the organisation: a table, a trend per kind, and
    the buttons that start a new one.

    Emits ``changed`` with the account id ("" for the organisation) after a save or a delete.
    """

    changed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
        editor: Editor | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assessmentHistory")
        self._today = today
        #: When given, deletes go through it, so they can be undone.
        self.editor = editor
        self.store: Store | None = None
        self.account_id: str | None = None
        #: The dialog opened last (new or past assessment), while it is open.
        self.active_dialog: AssessmentDialog | None = None

        self.heading = _heading(self.tr("Assessments"))
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.subtitle = _wrapped(
            self.tr(
                "Maturity shows how customer-led the team is, posture whether fear or "
                "complacency is steering, readiness whether the renewal campaign is where its "
                "phase expects."
            )
        )

        self.new_buttons: dict[AssessmentKind, QPushButton] = {}
        buttons = QHBoxLayout()
        for kind, text in (
            (AssessmentKind.MATURITY, self.tr("New &maturity assessment…")),
            (AssessmentKind.POSTURE, self.tr("New &posture check…")),
            (AssessmentKind.READINESS, self.tr("New &readiness check…")),
        ):
            button = QPushButton(text)
            button.setObjectName(f"new_{kind.value}")
            button.setAccessibleName(text.replace("&", "").removesuffix("…"))
            button.clicked.connect(lambda _=False, k=kind: self.start_assessment(k))
            buttons.addWidget(button)
            self.new_buttons[kind] = button
        buttons.addStretch(1)
        self.open_button = QPushButton(self.tr("&View"))
        self.open_button.setAccessibleName(self.tr("View the selected assessment"))
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button = QPushButton(self.tr("&Delete…"))
        self.delete_button.setAccessibleName(self.tr("Delete the selected assessment"))
        self.delete_button.clicked.connect(self.delete_selected)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.delete_button)

        self.model = AssessmentTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(AssessmentTableModel.SORT_ROLE)
        self.proxy.setDynamicSortFilter(True)
        self.table = QTableView()
        self.table.setObjectName("assessmentTable")
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Past assessments"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AssessmentTableModel.RESULT, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(AssessmentTableModel.DATE, Qt.SortOrder.DescendingOrder)
        self.table.doubleClicked.connect(self._double_clicked)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_selected)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self.delete_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.empty_label = QLabel(self.tr("No assessments yet: take the first one"))
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        font = self.empty_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.empty_label.setFont(font)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.table)

        self.trends: dict[AssessmentKind, TrendChart] = {}
        trends_box = QFrame()
        trends_box.setObjectName("trends")
        trends = QHBoxLayout(trends_box)
        trends.setContentsMargins(0, 0, 0, 0)
        trends.setSpacing(12)
        for kind, title, threshold in (
            (AssessmentKind.MATURITY, self.tr("Maturity index (1–4, higher is better)"), None),
            (
                AssessmentKind.POSTURE,
                self.tr("Posture: fear or complacency (0–100, lower is better)"),
                100 * float(POSTURE_THRESHOLD),
            ),
            (AssessmentKind.READINESS, self.tr("Readiness (0–100, higher is better)"), None),
        ):
            low, high, ticks = _SCALES[kind]
            chart = TrendChart(
                low,
                high,
                ticks=ticks,
                threshold=threshold,
                empty_text=self.tr("None taken yet"),
            )
            chart.setObjectName(f"trend_{kind.value}")
            chart.setAccessibleName(title)
            column = QVBoxLayout()
            column.setSpacing(2)
            caption = _wrapped(title)
            column.addWidget(caption)
            column.addWidget(chart, 1)
            trends.addLayout(column, 1)
            self.trends[kind] = chart
        self.trends_box = trends_box
        trends_box.setMinimumHeight(180)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.heading)
        layout.addWidget(self.subtitle)
        layout.addLayout(buttons)
        layout.addWidget(self.stack, 3)
        layout.addWidget(trends_box, 2)
        self._update_buttons()
        self._update_empty()

    # ---- loading -----------------------------------------------------------------------------

    def show(  # type: ignore[override]
        self, store: Store | None = None, account_id: str | None = None
    ) -> None:
        """Load the assessments of ``account_id`` (None: the organisation's own) and show the
        widget. Called without a store it is plain ``QWidget.show()``."""
        if store is not None:
            self.load(store, account_id)
        super().show()

    def load(self, store: Store, account_id: str | None = None) -> None:
        """Load the assessments of ``account_id`` (None: the organisation's own)."""
        self.store = store
        self.account_id = account_id or None
        if self.account_id:
            records = store.assessments.for_account(self.account_id)
            contracts = {c.id: c.reference for c in store.contracts.for_account(self.account_id)}
            account = store.accounts.find(self.account_id)
            name = account.name if account else ""
        else:
            records = store.assessments.where("account_id IS NULL")
            contracts = {}
            name = self.tr("your organisation")
        self.heading.setText(self.tr("Assessments: {name}").format(name=name))
        self.model.set_records(records, contracts)
        self._refresh_trends()
        self._update_empty()
        self._update_buttons()

    def _refresh_trends(self) -> None:
        for kind, chart in self.trends.items():
            points = []
            for record in self.model.records():
                score = record.result.get("score")
                if record.kind is kind and record.taken_on and isinstance(score, int | float):
                    points.append(
                        TrendPoint(record.taken_on, float(score), point_label(kind, score))
                    )
            chart.set_points(points)

    def _update_empty(self) -> None:
        empty = self.model.rowCount() == 0
        self.stack.setCurrentWidget(self.empty_label if empty else self.table)
        self.trends_box.setVisible(not empty)

    def _update_buttons(self, *args: object) -> None:
        has_store = self.store is not None
        for button in self.new_buttons.values():
            button.setEnabled(has_store)
        selected = self.selected_record() is not None
        self.open_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    # ---- selection -----------------------------------------------------------------------------

    def selected_record(self) -> Assessment | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.record(self.proxy.mapToSource(rows[0]).row())

    def select(self, record_id: str) -> None:
        row = self.model.row_of(record_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)

    # ---- taking, viewing, deleting -----------------------------------------------------------

    def start_assessment(self, kind: AssessmentKind) -> AssessmentDialog | None:
        """Open a new assessment of ``kind`` (window-modal); the table updates once it is saved."""
        if self.store is None:
            return None
        dialog = AssessmentDialog(
            self.store, kind, account_id=self.account_id, today=self._today(), parent=self
        )
        dialog.accepted.connect(lambda: self._saved(dialog))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def open_record(self, record: Assessment) -> AssessmentDialog | None:
        """Show a past assessment read-only."""
        if self.store is None:
            return None
        dialog = AssessmentDialog(
            self.store,
            record.kind,
            account_id=record.account_id,
            contract_id=record.contract_id,
            today=self._today(),
            record=record,
            parent=self,
        )
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def open_selected(self) -> None:
        record = self.selected_record()
        if record is not None:
            self.open_record(record)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_record(self.model.record(self.proxy.mapToSource(index).row()))

    def _saved(self, dialog: AssessmentDialog) -> None:
        record = dialog.saved
        if record is None:
            return
        self.model.add_record(record)
        self._refresh_trends()
        self._update_empty()
        self.select(record.id)
        self.changed.emit(self.account_id or "")

    def _closed(self, dialog: AssessmentDialog) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None
        dialog.deleteLater()

    def delete_selected(self) -> bool:
        """Delete the selected assessment after asking; True when it was deleted."""
        record = self.selected_record()
        if record is None or self.store is None:
            return False
        when = record.taken_on.isoformat() if record.taken_on else ""
        question = self.tr("Delete the {what} of {when}?").format(
            what=kind_title(record.kind).lower(), when=when
        )
        if not ask_delete(self, question):
            return False
        try:
            if self.editor is not None:
                self.editor.delete(record)
            else:
                self.store.assessments.delete(record.id)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The assessment could not be deleted."), exc)
            return False
        self.model.remove_record(record.id)
        self._refresh_trends()
        self._update_empty()
        self._update_buttons()
        self.changed.emit(self.account_id or "")
        return True
