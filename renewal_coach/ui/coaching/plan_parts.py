"""The pieces the plan editor is built from.

A prep card, a section with its minutes and questions, an offer, a guardrail with its state
in words and a symbol, and :class:`OverrideDialog`, which asks for the written reason a
guardrail is overridden.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.plans import GuardrailResult, PrepCard
from ...core.playbooks import FUTURE_SECTIONS, MAX_MINUTES, SECTION_TITLES
from ...core.text import clean_line, clean_text
from ..theme import set_tone
from .capture_dialog import AutoText, enum_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlanEditor", text)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


#: Symbols so a guardrail's state never depends on colour alone.
PASS_MARK, WARN_MARK, OVERRIDE_MARK = "✔", "⚠", "✎"
_NOTE_STYLE = "color: palette(placeholder-text);"
_WARN_BOX_STYLE = (
    "QLabel { background: #fff4e5; color: #5c3b00; border: 1px solid #e0a800; "
    "border-radius: 4px; padding: 6px; }"
)


class _CardView(QFrame):
    """One attendee's prep card, everything shown: the editor is for the bid team only."""

    def __init__(self, card: PrepCard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prepCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.card = card
        lines = [f"<b>{_esc(card.name)}</b>" + (f" · {_esc(card.title)}" if card.title else "")]
        lines.append(
            _esc(
                _tr("{role} · {influence} influence").format(
                    role=enum_label(card.buying_role), influence=card.influence.lower()
                )
            )
        )
        lines.append(
            "<i>"
            + _esc(
                _tr("Attitude: {a} · mode: {m} (internal)").format(
                    a=enum_label(card.attitude), m=enum_label(card.response_mode)
                )
            )
            + "</i>"
        )
        if card.win_business:
            mark = _tr(" (confirmed with them)") if card.win_validated else _tr(" (not confirmed)")
            lines.append(_esc(_tr("Their win: {w}").format(w=card.win_business) + mark))
        if card.win_personal:
            lines.append(
                "<i>"
                + _esc(_tr("Personal win: {w} (internal)").format(w=card.win_personal))
                + "</i>"
            )
        lines.append(_esc(card.cadence_note))
        blocks = [
            (_tr("Open concerns"), card.open_concerns),
            (_tr("Evidence"), card.evidence),
            (_tr("Watch for"), card.red_flags),
        ]
        for heading, items in blocks:
            if items:
                lines.append(
                    f"<b>{_esc(heading)}</b><ul style='margin:0 0 0 -20px'>"
                    + "".join(f"<li>{_esc(i)}</li>" for i in items)
                    + "</ul>"
                )
        self.label = QLabel("<br>".join(lines))
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAccessibleName(_tr("Prep card: {name}").format(name=card.name))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.label)


class _QuestionRow(QWidget):
    """A question: asked or not, its text, whether it asks for a rating, and remove."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, question: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = dict(question)
        self.asked = QCheckBox()
        self.asked.setChecked(bool(question.get("asked")))
        self.asked.setAccessibleName(self.tr("Asked"))
        self.asked.setToolTip(self.tr("Tick once the question has been asked"))
        self.text = AutoText(str(question.get("text", "")), single_line=True)
        self.text.setAccessibleName(self.tr("Question"))
        self.text.setPlaceholderText(self.tr("Write the question"))
        self.survey = QCheckBox(self.tr("Rating"))
        self.survey.setChecked(bool(question.get("survey")))
        self.survey.setAccessibleName(self.tr("Asks for a rating (survey question)"))
        self.survey.setToolTip(
            self.tr("Tick when the question asks them to score or rate us: that is a survey")
        )
        self.remove = QToolButton()
        self.remove.setText("✕")
        self.remove.setAccessibleName(self.tr("Remove question"))
        self.remove.setToolTip(self.tr("Remove this question"))
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(0)
        grid.addWidget(self.asked, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.text, 0, 1)
        grid.addWidget(self.survey, 0, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.remove, 0, 3, Qt.AlignmentFlag.AlignTop)
        if question.get("audience"):
            audience = QLabel(self.tr("For: {who}").format(who=question["audience"]))
            audience.setStyleSheet(_NOTE_STYLE)
            grid.addWidget(audience, 1, 1)
        if question.get("answer"):
            answer = QLabel(self.tr("Answer: {a}").format(a=question["answer"]))
            answer.setWordWrap(True)
            grid.addWidget(answer, 2, 1)
        grid.setColumnStretch(1, 1)
        self.asked.toggled.connect(self.changed)
        self.survey.toggled.connect(self.changed)
        self.text.textChanged.connect(self.changed)

    def value(self) -> dict[str, Any]:
        return {
            **self._data,
            "text": clean_line(self.text.text()),
            "asked": self.asked.isChecked(),
            "survey": self.survey.isChecked(),
            "answer": self._data.get("answer", ""),
        }


class _SectionBox(QGroupBox):
    """One section of the plan: minutes, guidance, the goals it presents, and its questions."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(
        self, number: int, section: dict[str, Any], goals: Sequence[str], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self._section = dict(section)
        self.code = str(section.get("code", ""))
        title = str(section.get("title") or SECTION_TITLES.get(self.code, self.code))
        future = self.code in FUTURE_SECTIONS
        self.setTitle(f"{number}. {title}" + (self.tr("  ★ their future") if future else ""))
        self.setAccessibleName(title)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, MAX_MINUTES)
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.setValue(int(section.get("minutes", 0) or 0))
        self.minutes.setAccessibleName(self.tr("Minutes for {title}").format(title=title))
        self.remove = QPushButton(self.tr("Remove Section"))
        self.remove.setAccessibleName(self.tr("Remove section {title}").format(title=title))
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        self.add = QPushButton(self.tr("Add Question"))
        self.add.setAccessibleName(self.tr("Add a question to {title}").format(title=title))
        self.add.clicked.connect(lambda: self.add_question(focus=True))
        top = QHBoxLayout()
        minutes_label = QLabel(self.tr("Minutes:"))
        minutes_label.setBuddy(self.minutes)
        top.addWidget(minutes_label)
        top.addWidget(self.minutes)
        top.addStretch(1)
        top.addWidget(self.remove)
        self._layout = QVBoxLayout(self)
        self._layout.setSpacing(4)
        self._layout.addLayout(top)
        if section.get("guidance"):
            guidance = QLabel(str(section["guidance"]))
            guidance.setWordWrap(True)
            guidance.setStyleSheet(_NOTE_STYLE)
            self._layout.addWidget(guidance)
        if goals:
            shown = QLabel(
                "<b>"
                + _esc(self.tr("Goals presented as theirs:"))
                + "</b><ul style='margin:0 0 0 -20px'>"
                + "".join(f"<li>{_esc(g)}</li>" for g in goals)
                + "</ul>"
            )
            shown.setWordWrap(True)
            shown.setTextFormat(Qt.TextFormat.RichText)
            self._layout.addWidget(shown)
        self.questions: list[_QuestionRow] = []
        self._questions_layout = QVBoxLayout()
        self._questions_layout.setSpacing(4)
        self._layout.addLayout(self._questions_layout)
        for question in section.get("questions", []):
            self.add_question(question)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add)
        bottom.addStretch(1)
        self._layout.addLayout(bottom)
        self.minutes.valueChanged.connect(self.changed)

    def add_question(
        self, question: dict[str, Any] | None = None, *, focus: bool = False
    ) -> _QuestionRow:
        fresh = question is None
        row = _QuestionRow(
            question or {"text": "", "audience": "", "survey": False, "asked": False, "answer": ""}
        )
        row.changed.connect(self.changed)
        row.remove_requested.connect(self.remove_question)
        self._questions_layout.addWidget(row)
        self.questions.append(row)
        if focus:
            row.text.setFocus()
        if fresh:
            self.changed.emit()
        return row

    def remove_question(self, row: _QuestionRow) -> None:
        if row in self.questions:
            index = self.questions.index(row)
            self.questions.remove(row)
            row.hide()
            row.deleteLater()
            if self.questions:
                self.questions[min(index, len(self.questions) - 1)].text.setFocus()
            else:
                self.add.setFocus()
            self.changed.emit()

    def value(self) -> dict[str, Any]:
        return {
            **self._section,
            "minutes": self.minutes.value(),
            "questions": [q.value() for q in self.questions if q.value()["text"]],
        }


class _OfferRow(QWidget):
    """Something we plan to offer, and whether the customer asked for it."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, offer: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = dict(offer)
        self.text = QLineEdit(str(offer.get("text", "")))
        self.text.setPlaceholderText(self.tr("What we would offer, e.g. an extra site visit"))
        self.text.setAccessibleName(self.tr("Offer"))
        self.asked = QCheckBox(self.tr("They asked for it"))
        self.asked.setChecked(bool(offer.get("requested_by_customer")))
        self.asked.setAccessibleName(self.tr("The customer asked for this offer"))
        remove = QToolButton()
        remove.setText("✕")
        remove.setAccessibleName(self.tr("Remove offer"))
        remove.setToolTip(self.tr("Remove this offer"))
        remove.clicked.connect(lambda: self.remove_requested.emit(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.asked)
        layout.addWidget(remove)
        self.text.textChanged.connect(self.changed)
        self.asked.toggled.connect(self.changed)

    def value(self) -> dict[str, Any]:
        return {
            **self._data,
            "text": clean_line(self.text.text()),
            "requested_by_customer": self.asked.isChecked(),
        }


class GuardrailRow(QFrame):
    """One guardrail: an icon and a word for its state (never colour alone), and the reason."""

    override_requested = Signal(str)
    clear_requested = Signal(str)

    def __init__(self, code: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.title = title
        self.result: GuardrailResult | None = None
        self.setObjectName("guardrail")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.icon = QLabel()
        self.icon.setFixedWidth(22)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.status = QLabel()
        self.status.setWordWrap(True)
        font = self.status.font()
        font.setBold(True)
        self.status.setFont(font)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.override_note = QLabel()
        self.override_note.setWordWrap(True)
        self.override_note.setStyleSheet("font-style: italic;")
        self.button = QPushButton()
        self.button.clicked.connect(self._clicked)
        self.button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.icon, 0, 0, 3, 1)
        grid.addWidget(self.status, 0, 1)
        grid.addWidget(self.reason, 1, 1)
        grid.addWidget(self.override_note, 2, 1)
        grid.addWidget(self.button, 3, 1, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(1, 1)

    def _clicked(self) -> None:
        if self.result is None:
            return
        if self.result.overridden:
            self.clear_requested.emit(self.code)
        else:
            self.override_requested.emit(self.code)

    def show_result(self, result: GuardrailResult) -> None:
        self.result = result
        style = self.style()
        if result.passed:
            mark, word, colour = PASS_MARK, self.tr("Pass"), "good"
            icon = style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)
        elif result.overridden:
            mark, word, colour = OVERRIDE_MARK, self.tr("Overridden"), "info"
            icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        else:
            mark, word, colour = WARN_MARK, self.tr("Warning"), "warning"
            icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.icon.setPixmap(icon.pixmap(18, 18))
        self.status.setText(f"{mark} {word}: {result.title}")
        set_tone(self.status, colour)
        self.reason.setText(result.reason)
        self.override_note.setText(
            self.tr("Overridden because: {reason}").format(reason=result.override_reason)
            if result.overridden
            else ""
        )
        self.override_note.setVisible(result.overridden)
        self.button.setVisible(not result.passed)
        if result.overridden:
            self.button.setText(self.tr("Remove Override"))
            self.button.setAccessibleName(
                self.tr("Remove the override of {t}").format(t=result.title)
            )
        else:
            self.button.setText(self.tr("Override…"))
            self.button.setAccessibleName(
                self.tr("Override {t} with a written reason").format(t=result.title)
            )
        self.setAccessibleName(f"{word}: {result.title}")
        self.setAccessibleDescription(result.reason)

    def text(self) -> str:
        """The state line as shown, e.g. "⚠ Warning: Price only in a negotiation"."""
        return self.status.text()


class OverrideDialog(QDialog):
    """Asks why a failing guardrail should not stop the plan. An empty reason is refused."""

    def __init__(self, result: GuardrailResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Override a Guardrail"))
        self.setModal(True)
        heading = QLabel(f"<b>{_esc(WARN_MARK)} {_esc(result.title)}</b>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        why = QLabel(result.reason)
        why.setWordWrap(True)
        ask = QLabel(
            self.tr(
                "If this plan should go ahead anyway, write down why. The reason is saved with "
                "the plan, so the team can see it later."
            )
        )
        ask.setWordWrap(True)
        self.reason = QPlainTextEdit(result.override_reason)
        self.reason.setAccessibleName(self.tr("Reason for the override"))
        self.reason.setTabChangesFocus(True)
        ask.setBuddy(self.reason)
        self.error = QLabel()
        set_tone(self.error, "error")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.reason.textChanged.connect(lambda: self.error.setVisible(False))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Override"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(why)
        layout.addWidget(ask)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(480, 300)

    def reason_text(self) -> str:
        return clean_text(self.reason.toPlainText())

    def accept(self) -> None:
        if not self.reason_text():
            self.error.setText(
                self.tr("⚠ Write a reason: a guardrail can only be overridden with one.")
            )
            self.error.setVisible(True)
            self.reason.setFocus()
            return
        super().accept()


def _scroll(widget: QWidget, name: str) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setAccessibleName(name)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label
