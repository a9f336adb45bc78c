"""Each questionnaire's questions as the assessment dialog shows them.

The options of a question with their scores, the title of a maturity level, and the
option label that selects its radio button when clicked.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QLabel, QSizePolicy, QWidget

from ...core import questionnaires as q
from ...core.enums import AssessmentKind
from .labels import _ctr, _tr

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
