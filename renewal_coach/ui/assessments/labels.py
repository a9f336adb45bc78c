"""How assessments are named and marked on screen: kinds, scores, bands and colours.

Shared by the dialog, its result panel, the charts and the history: the headline score in
words, a symbol and a colour per band (so a band never depends on colour alone), each
kind's score range and chart ticks, and the heading and text labels they are laid out with.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel

from ...core.enums import AssessmentKind

#: Tones (``ui/theme.py``: one colour per colour scheme) for marks on assessments.
GOOD = "good"
WARN = "warning"
BAD = "error"
INFO = "info"

#: A symbol and tone per band, so a band never depends on colour alone.
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
