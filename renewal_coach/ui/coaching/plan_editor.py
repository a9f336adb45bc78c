"""Conversation plans on screen: a new plan from a playbook, the editor, and an account's list.

:class:`NewPlanDialog` builds an unsaved plan from a playbook for chosen attendees.
:class:`PlanEditor` is a non-modal window: prep cards on the left, the plan itself (objectives,
offers, sections with minutes and questions) in the middle, and the guardrails on the right,
re-checked live as the plan changes. It saves versions, marks a plan ready (only when every
guardrail passes or carries a written override), and hands over to coaching mode, the
capture dialog and the Word exports through signals. :class:`PlanList` shows an account's
plans. :func:`present_plan` opens coaching mode for a saved plan.

The editor's Duplicate replaces the editor's content with an unsaved copy (the original stays
as last saved and can be reopened from the list); the list's Duplicate saves a copy at once.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.enums import Channel, ContractStatus, MeetingType, PlanStatus
from ...core.errors import RenewalCoachError
from ...core.models import ConversationPlan
from ...core.plans import (
    GUARDRAILS,
    AccountContext,
    GuardrailResult,
    PrepCard,
    build_plan,
    check_guardrails,
    duplicate_plan,
    future_minutes,
    mark_ready,
    override_guardrail,
    prep_cards,
    ready_problems,
    total_minutes,
)
from ...core.playbooks import (
    FUTURE_SECTIONS,
    MAX_MINUTES,
    SECTION_CODES,
    SECTION_TITLES,
    PlaybookLibrary,
    load_library,
)
from ...core.text import clean_line, clean_text
from ...storage.plan_store import SavedCapture, load_context, save_plan, save_session
from ...storage.repository import Store
from ..editing import Editor
from ..errors import show_expected_error
from .capture_dialog import (
    ERROR_STYLE,
    AutoText,
    CaptureDialog,
    DateField,
    Today,
    current_people,
    enum_label,
    today_source,
)
from .presentation import CoachingWindow

_Index = QModelIndex | QPersistentModelIndex

#: Milliseconds between the last edit and re-checking the guardrails.
GUARDRAIL_DELAY_MS = 150
#: Symbols so a guardrail's state never depends on colour alone.
PASS_MARK, WARN_MARK, OVERRIDE_MARK = "✔", "⚠", "✎"
_NOTE_STYLE = "color: palette(placeholder-text);"
_WARN_BOX_STYLE = (
    "QLabel { background: #fff4e5; color: #5c3b00; border: 1px solid #e0a800; "
    "border-radius: 4px; padding: 6px; }"
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlanEditor", text)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def _ask_unsaved(parent: QWidget, text: str, detail: str) -> QMessageBox.StandardButton:
    """Save, Discard or Cancel for unsaved changes (Escape means Cancel)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_tr("Unsaved Changes"))
    box.setText(text)
    box.setInformativeText(detail)
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    return QMessageBox.StandardButton(box.exec())


# ---- a new plan -------------------------------------------------------------------------------


class NewPlanDialog(QDialog):
    """Choose contract, playbook, date and attendees; OK builds the plan (``plan()``), unsaved.

    ``library`` defaults to the built-in playbooks plus the user's own folder; playbook files
    that failed to load are listed in a warning and left out, the rest work as usual.
    """

    def __init__(
        self,
        store: Store,
        account_id: str,
        *,
        contract_id: str | None = None,
        meeting_type: MeetingType | None = None,
        today: Today,
        user: str = "",
        parent: QWidget | None = None,
        library: PlaybookLibrary | None = None,
    ) -> None:
        super().__init__(parent)
        self._today = today_source(today)
        self._user = user
        self.ctx: AccountContext = load_context(store, account_id)
        if library is None:
            from ...paths import user_playbook_dir

            library = load_library(user_dir=user_playbook_dir())
        self.library = library
        self._plan: ConversationPlan | None = None
        self.setWindowTitle(
            self.tr("New Conversation Plan: {account}").format(account=self.ctx.account.name)
        )
        self.setModal(True)

        self.contract = QComboBox()
        self.contract.setAccessibleName(self.tr("Contract"))
        self.contract.addItem(self.tr("No particular contract"), None)
        contracts = sorted(self.ctx.contracts, key=lambda c: (c.end_date or date.max, c.reference))
        for c in contracts:
            ends = c.end_date.isoformat() if c.end_date else self.tr("no end date")
            self.contract.addItem(
                self.tr("{ref} · {title} (ends {ends}, {status})").format(
                    ref=c.reference, title=c.title, ends=ends, status=enum_label(c.status).lower()
                ),
                c.id,
            )
        wanted = contract_id
        if wanted is None:
            live = [
                c for c in contracts if c.status in (ContractStatus.ACTIVE, ContractStatus.RENEWING)
            ]
            wanted = live[0].id if live else None
        self.contract.setCurrentIndex(max(0, self.contract.findData(wanted)))

        self.playbook = QComboBox()
        self.playbook.setAccessibleName(self.tr("Meeting type and playbook"))
        for book in library.ordered():
            text = enum_label(book.meeting_type)
            if book.title != text:
                text += f": {book.title}"
            if not book.built_in:
                text += self.tr(" (your playbook)")
            self.playbook.addItem(text, book.id)
        if meeting_type is not None:
            matching = library.for_meeting(meeting_type)
            if matching:
                self.playbook.setCurrentIndex(self.playbook.findData(matching[0].id))
        self.playbook.setEnabled(self.playbook.count() > 0)
        self.playbook_summary = QLabel()
        self.playbook_summary.setWordWrap(True)
        self.playbook_summary.setStyleSheet(_NOTE_STYLE)
        self.playbook.currentIndexChanged.connect(self._show_summary)

        self.problems = QLabel()
        self.problems.setObjectName("playbookProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.problems.setStyleSheet(_WARN_BOX_STYLE)
        self.problems.setAccessibleName(self.tr("Playbooks that could not be loaded"))
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if library.problems:
            items = "".join(f"<li>{_esc(err)}</li>" for err in library.problems)
            self.problems.setText(
                "<b>⚠ "
                + _esc(
                    self.tr(
                        "Some playbook files could not be used and are left out. The other "
                        "playbooks work as usual."
                    )
                )
                + f"</b><ul style='margin:0'>{items}</ul>"
                + _esc(self.tr("Fix the file named, then open this dialog again."))
            )
        if not library.problems:
            self.problems.hide()  # (showing an unparented label would open a window)

        self.meeting_date = DateField(
            self._today() + timedelta(days=14),
            required=True,
            check=self._date_problem,
            accessible_name=self.tr("Meeting date"),
        )

        self.attendees = QListWidget()
        self.attendees.setAccessibleName(self.tr("Attendees"))
        self.attendees.setToolTip(self.tr("Tick everyone from the customer who will attend"))
        for person in current_people(self.ctx, on=self._today()):
            text = person.name + (f" · {person.title}" if person.title else "")
            text += self.tr(" — {role}, {influence} influence").format(
                role=enum_label(person.buying_role), influence=enum_label(person.influence).lower()
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.attendees.addItem(item)
        self.attendees.setMinimumHeight(120)
        self.attendees_error = QLabel()
        self.attendees_error.setStyleSheet(ERROR_STYLE)
        self.attendees_error.setWordWrap(True)
        self.attendees_error.setVisible(False)
        self.attendees.itemChanged.connect(lambda _item: self.attendees_error.setVisible(False))
        no_people = QLabel(
            self.tr(
                "No stakeholders are recorded for this account yet: add them to get prep cards."
            )
        )
        no_people.setWordWrap(True)
        if self.attendees.count():
            no_people.hide()

        self.playbook_error = QLabel(
            self.tr("⚠ No playbook could be loaded, so no plan can be built.")
        )
        self.playbook_error.setStyleSheet(ERROR_STYLE)
        if self.playbook.count():
            self.playbook_error.hide()

        meeting_box = QVBoxLayout()
        meeting_box.setSpacing(2)
        meeting_box.addWidget(self.playbook)
        meeting_box.addWidget(self.playbook_summary)
        meeting_box.addWidget(self.playbook_error)
        attendees_box = QVBoxLayout()
        attendees_box.addWidget(self.attendees)
        attendees_box.addWidget(no_people)
        attendees_box.addWidget(self.attendees_error)
        form = QFormLayout()
        for text, field, shown in (
            (self.tr("&Contract:"), self.contract, self.contract),
            (self.tr("&Meeting:"), self.playbook, meeting_box),
            (self.tr("&Date:"), self.meeting_date.edit, self.meeting_date),
            (self.tr("&Attendees:"), self.attendees, attendees_box),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, shown)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create Plan"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(form, 1)
        layout.addWidget(self.buttons)
        self._show_summary()
        self.resize(620, 520)

    def _date_problem(self, day: date) -> str | None:
        today = self._today()
        if day < today:
            return self.tr("A new plan is for a meeting still to come: pick today or a later date.")
        if (day - today).days > 3 * 366:
            return self.tr("That is more than three years away: check the year.")
        return None

    def _show_summary(self) -> None:
        book = self.library.get(self.playbook.currentData() or "")
        if book is None:
            self.playbook_summary.setText("")
            return
        self.playbook_summary.setText(
            self.tr("{summary} {n} sections, {m} minutes.")
            .format(summary=book.summary, n=len(book.sections), m=book.total_minutes)
            .strip()
        )

    def selected_attendees(self) -> list[str]:
        return [
            self.attendees.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.attendees.count())
            if self.attendees.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_attendees(self, ids: Sequence[str]) -> None:
        for i in range(self.attendees.count()):
            item = self.attendees.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def select_playbook(self, playbook_id: str) -> None:
        self.playbook.setCurrentIndex(self.playbook.findData(playbook_id))

    def accept(self) -> None:
        """Build the plan; stay open with the problem next to its field when something is wrong."""
        ok = self.meeting_date.validate()
        if not ok:
            self.meeting_date.setFocus()
        attendees = self.selected_attendees()
        if self.attendees.count() and not attendees:
            self.attendees_error.setText(self.tr("⚠ Tick at least one attendee."))
            self.attendees_error.setVisible(True)
            if ok:
                self.attendees.setFocus()
            ok = False
        book = self.library.get(self.playbook.currentData() or "")
        if book is None or not ok:
            return
        self._plan = build_plan(
            book,
            self.ctx,
            contract_id=self.contract.currentData(),
            meeting_date=self.meeting_date.value(),
            attendee_ids=attendees,
            edited_by=self._user,
        )
        super().accept()

    def plan(self) -> ConversationPlan | None:
        """The plan built on OK (not saved yet), or None before that."""
        return self._plan


# ---- pieces of the editor ---------------------------------------------------------------------


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
            mark, word, colour = PASS_MARK, self.tr("Pass"), "#1b7a4a"
            icon = style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)
        elif result.overridden:
            mark, word, colour = OVERRIDE_MARK, self.tr("Overridden"), "#1f5fa8"
            icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        else:
            mark, word, colour = WARN_MARK, self.tr("Warning"), "#b35900"
            icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.icon.setPixmap(icon.pixmap(18, 18))
        self.status.setText(f"{mark} {word}: {result.title}")
        self.status.setStyleSheet(f"color: {colour};")
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
        self.error.setStyleSheet(ERROR_STYLE)
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


# ---- the editor -------------------------------------------------------------------------------


class PlanEditor(QWidget):
    """Edit one conversation plan in its own (non-modal) window.

    Signals: ``saved(account_id)`` after every successful write (save, ready, capture);
    ``present_requested(plan_id)`` once the plan is saved and should be presented;
    ``export_requested(kind, contract_id, plan_id)`` with kind "brief" or "proposal";
    ``captured(SavedCapture)`` after a capture, for the caller's undo stack.
    """

    saved = Signal(str)
    present_requested = Signal(str)
    export_requested = Signal(str, str, str)
    captured = Signal(object)

    def __init__(
        self,
        store: Store,
        plan: ConversationPlan,
        *,
        today: Today,
        user: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("planEditor")
        self._store = store
        self._today = today_source(today)
        self._user = user
        self.ctx: AccountContext = load_context(store, plan.account_id)
        self._plan = plan
        self._status = plan.status
        self._overrides: dict[str, Any] = dict(plan.guardrail_overrides or {})
        self._loading = False
        self._cards_date: date | None = None
        self.results: list[GuardrailResult] = []
        self.section_boxes: list[_SectionBox] = []
        self.offer_rows: list[_OfferRow] = []

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(GUARDRAIL_DELAY_MS)
        self._debounce.timeout.connect(self.refresh_guardrails)

        # ---- header
        self.context_label = QLabel()
        self.context_label.setWordWrap(True)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(self.tr("Plan title"))
        self.title_edit.setMaxLength(200)
        font = self.title_edit.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title_edit.setFont(font)
        self.date_field = DateField(accessible_name=self.tr("Meeting date"))
        self.channel = QComboBox()
        self.channel.setAccessibleName(self.tr("Channel"))
        for member in Channel:
            self.channel.addItem(enum_label(member), member)
        self.formal = QCheckBox(self.tr("&Formal procurement channel"))
        self.formal.setToolTip(
            self.tr("The meeting goes through the procurement's formal channel (probity rules)")
        )
        self.status_label = QLabel()
        self.status_label.setAccessibleName(self.tr("Plan status"))
        head = QGridLayout()
        title_label = QLabel(self.tr("&Title:"))
        title_label.setBuddy(self.title_edit)
        date_label = QLabel(self.tr("&Date:"))
        date_label.setBuddy(self.date_field.edit)
        channel_label = QLabel(self.tr("C&hannel:"))
        channel_label.setBuddy(self.channel)
        head.addWidget(title_label, 0, 0)
        head.addWidget(self.title_edit, 0, 1, 1, 5)
        head.addWidget(self.status_label, 0, 6)
        head.addWidget(date_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.date_field, 1, 1, Qt.AlignmentFlag.AlignTop)
        head.addWidget(channel_label, 1, 2, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.channel, 1, 3, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.formal, 1, 4, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.context_label, 1, 5, 1, 2, Qt.AlignmentFlag.AlignTop)
        head.setColumnStretch(5, 1)

        # ---- left: prep cards
        self.cards_panel = QWidget()
        self._cards_layout = QVBoxLayout(self.cards_panel)
        self.cards_scroll = _scroll(self.cards_panel, self.tr("Prep cards"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(_heading(self.tr("Prep cards")))
        left_layout.addWidget(self.cards_scroll, 1)

        # ---- middle: the plan
        self.our_objectives = QPlainTextEdit()
        self.our_objectives.setAccessibleName(self.tr("Our objectives"))
        self.our_objectives.setPlaceholderText(self.tr("What we want to learn or agree"))
        self.their_objectives = QPlainTextEdit()
        self.their_objectives.setAccessibleName(self.tr("Their objectives"))
        self.their_objectives.setPlaceholderText(
            self.tr("What they want to leave the meeting with")
        )
        for edit in (self.our_objectives, self.their_objectives):
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
        objectives = QGroupBox(self.tr("Objectives"))
        obj_grid = QGridLayout(objectives)
        ours = QLabel(self.tr("&We want:"))
        ours.setBuddy(self.our_objectives)
        theirs = QLabel(self.tr("Th&ey want:"))
        theirs.setBuddy(self.their_objectives)
        obj_grid.addWidget(ours, 0, 0)
        obj_grid.addWidget(theirs, 0, 1)
        obj_grid.addWidget(self.our_objectives, 1, 0)
        obj_grid.addWidget(self.their_objectives, 1, 1)

        offers = QGroupBox(self.tr("What we plan to offer"))
        self._offers_layout = QVBoxLayout(offers)
        self._offers_list = QVBoxLayout()
        self._offers_layout.addLayout(self._offers_list)
        self.no_offers = QLabel(self.tr("Nothing to offer in this meeting."))
        self.no_offers.setStyleSheet(_NOTE_STYLE)
        self._offers_layout.addWidget(self.no_offers)
        self.add_offer_button = QPushButton(self.tr("Add Offer"))
        self.add_offer_button.clicked.connect(lambda: self.add_offer(focus=True))
        offer_bar = QHBoxLayout()
        offer_bar.addWidget(self.add_offer_button)
        offer_bar.addStretch(1)
        self._offers_layout.addLayout(offer_bar)

        self.sections_panel = QWidget()
        self._sections_layout = QVBoxLayout(self.sections_panel)
        self._sections_layout.setContentsMargins(0, 0, 0, 0)
        self.add_section_combo = QComboBox()
        self.add_section_combo.setAccessibleName(self.tr("Section to add"))
        self.add_section_button = QPushButton(self.tr("Add Section"))
        self.add_section_button.clicked.connect(self._add_section_clicked)
        add_bar = QHBoxLayout()
        add_bar.addWidget(self.add_section_combo)
        add_bar.addWidget(self.add_section_button)
        add_bar.addStretch(1)

        plan_page = QWidget()
        plan_layout = QVBoxLayout(plan_page)
        plan_layout.addWidget(objectives)
        plan_layout.addWidget(offers)
        plan_layout.addWidget(_heading(self.tr("Sections")))
        plan_layout.addWidget(self.sections_panel)
        plan_layout.addLayout(add_bar)
        plan_layout.addStretch(1)
        self.plan_scroll = _scroll(plan_page, self.tr("The plan"))

        # ---- right: guardrails
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setAccessibleName(self.tr("Total minutes"))
        self.guardrail_rows: dict[str, GuardrailRow] = {}
        rails = QWidget()
        rails_layout = QVBoxLayout(rails)
        rails_layout.setContentsMargins(0, 0, 4, 0)
        for code, title in GUARDRAILS:
            row = GuardrailRow(code, title)
            row.override_requested.connect(self.request_override)
            row.clear_requested.connect(lambda c: self.set_override(c, ""))
            rails_layout.addWidget(row)
            self.guardrail_rows[code] = row
        rails_layout.addStretch(1)
        self.rails_scroll = _scroll(rails, self.tr("Guardrails"))
        self.ready_button = QPushButton(self.tr("Mark &Ready"))
        self.ready_button.clicked.connect(self.mark_ready)
        self.ready_hint = QLabel()
        self.ready_hint.setWordWrap(True)
        self.ready_hint.setStyleSheet(_NOTE_STYLE)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(_heading(self.tr("Guardrails")))
        right_layout.addWidget(self.totals)
        right_layout.addWidget(self.rails_scroll, 1)
        right_layout.addWidget(self.ready_hint)
        right_layout.addWidget(self.ready_button)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.plan_scroll)
        for pane, minimum in ((left, 220), (middle, 380), (right, 260)):
            pane.setMinimumWidth(minimum)
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([290, 640, 380])

        # ---- actions
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setToolTip(self.tr("Save a new version of the plan (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.duplicate_button = QPushButton(self.tr("D&uplicate"))
        self.duplicate_button.setToolTip(
            self.tr("Continue with an unsaved copy of this plan; the original stays as saved")
        )
        self.duplicate_button.clicked.connect(self.duplicate)
        self.present_button = QPushButton(self.tr("&Present…"))
        self.present_button.setToolTip(self.tr("Save, then present the plan full screen (F5)"))
        self.present_button.clicked.connect(self.present)
        self.capture_button = QPushButton(self.tr("&Capture Outcome…"))
        self.capture_button.setToolTip(self.tr("Save, then record what the meeting produced"))
        self.capture_button.clicked.connect(self.capture_outcome)
        self.brief_button = QPushButton(self.tr("Export &Brief…"))
        self.brief_button.clicked.connect(lambda: self.export("brief"))
        self.proposal_button = QPushButton(self.tr("Export Pr&oposal…"))
        self.proposal_button.clicked.connect(lambda: self.export("proposal"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Last action"))
        bar = QHBoxLayout()
        for button in (
            self.save_button,
            self.duplicate_button,
            self.present_button,
            self.capture_button,
            self.brief_button,
            self.proposal_button,
        ):
            bar.addWidget(button)
        bar.addWidget(self.message, 1)

        save_action = QAction(self.tr("Save"), self)
        save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        save_action.triggered.connect(self.save)
        present_action = QAction(self.tr("Present"), self)
        present_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        present_action.triggered.connect(self.present)
        self.addAction(save_action)
        self.addAction(present_action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(head)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bar)

        self.title_edit.textChanged.connect(self._changed)
        self.date_field.changed.connect(self._changed)
        self.channel.currentIndexChanged.connect(self._changed)
        self.formal.toggled.connect(self._changed)
        self.our_objectives.textChanged.connect(self._changed)
        self.their_objectives.textChanged.connect(self._changed)

        self._load(plan)
        self.resize(1280, 720)

    # ---- state ------------------------------------------------------------------------------

    @property
    def plan_id(self) -> str:
        return self._plan.id

    @property
    def account_id(self) -> str:
        return self._plan.account_id

    @property
    def stored_plan(self) -> ConversationPlan:
        """The plan as last saved (or as given, when never saved)."""
        return self._plan

    def is_dirty(self) -> bool:
        return self.isWindowModified()

    def current_plan(self) -> ConversationPlan:
        """The plan as it stands on screen (a wrong date keeps the last good one)."""
        meeting_date = (
            self.date_field.value()
            if self.date_field.problem() is None
            else self._plan.meeting_date
        )
        return replace(
            self._plan,
            title=clean_line(self.title_edit.text()),
            meeting_date=meeting_date,
            channel=Channel(self.channel.currentData()),
            formal_channel=self.formal.isChecked(),
            our_objectives=clean_text(self.our_objectives.toPlainText()),
            their_objectives=clean_text(self.their_objectives.toPlainText()),
            sections=[box.value() for box in self.section_boxes],
            offers=[row.value() for row in self.offer_rows if row.value()["text"]],
            guardrail_overrides=dict(self._overrides),
            status=self._status,
        )

    def result(self, code: str) -> GuardrailResult | None:
        return next((r for r in self.results if r.code == code), None)

    def _load(self, plan: ConversationPlan) -> None:
        """Show ``plan`` in every widget, replacing what was there."""
        self._loading = True
        try:
            self._plan = plan
            self._status = plan.status
            self._overrides = dict(plan.guardrail_overrides or {})
            self.title_edit.setText(plan.title)
            self.date_field.set_value(plan.meeting_date)
            self.channel.setCurrentIndex(max(0, self.channel.findData(plan.channel)))
            self.formal.setChecked(plan.formal_channel)
            self.our_objectives.setPlainText(plan.our_objectives)
            self.their_objectives.setPlainText(plan.their_objectives)
            for row in self.offer_rows:
                row.hide()
                row.deleteLater()
            self.offer_rows = []
            for offer in plan.offers or []:
                self.add_offer(offer)
            self.no_offers.setVisible(not self.offer_rows)
            self._build_sections(plan.sections)
            self._show_context()
        finally:
            self._loading = False
        self._show_cards(force=True)
        self.refresh_guardrails()
        self._set_dirty(False)

    def _show_context(self) -> None:
        contract = self.ctx.contract(self._plan.contract_id)
        bits = [self.ctx.account.name]
        if contract is not None:
            bits.append(f"{contract.reference} · {contract.title}")
        else:
            bits.append(self.tr("no particular contract"))
        bits.append(enum_label(self._plan.meeting_type))
        self.context_label.setText(" · ".join(bits))

    def _set_dirty(self, dirty: bool) -> None:
        self.setWindowModified(dirty)
        self._update_title()
        self._update_actions()

    def _update_title(self) -> None:
        name = clean_line(self.title_edit.text()) or enum_label(self._plan.meeting_type)
        self.setWindowTitle(
            self.tr("{title} – {account}[*]").format(title=name, account=self.ctx.account.name)
        )

    def _show_status(self) -> None:
        plan = self._plan
        text = enum_label(self._status)
        if plan.id:
            text = self.tr("{status} · version {v}").format(status=text, v=plan.version)
            if plan.edited_by:
                text += self.tr(" · {who}").format(who=plan.edited_by)
        else:
            text = self.tr("{status} · not saved yet").format(status=text)
        self.status_label.setText(text)

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        if self._status is PlanStatus.READY:
            # A changed plan has to pass its guardrails again.
            self._status = PlanStatus.DRAFT
        self._set_dirty(True)
        self._debounce.start()

    # ---- building the parts -----------------------------------------------------------------

    def _show_cards(self, *, force: bool = False) -> None:
        plan = self.current_plan()
        when = plan.meeting_date or self._today()
        if not force and when == self._cards_date:
            return
        self._cards_date = when
        while self._cards_layout.count():
            item = self._cards_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        cards = prep_cards(plan, self.ctx, self._today())
        for card in cards:
            self._cards_layout.addWidget(_CardView(card))
        if not cards:
            empty = QLabel(self.tr("No attendees are chosen for this plan."))
            empty.setWordWrap(True)
            self._cards_layout.addWidget(empty)
        self._cards_layout.addStretch(1)

    def _build_sections(self, sections: Sequence[dict[str, Any]]) -> None:
        for box in self.section_boxes:
            box.hide()
            box.deleteLater()
        self.section_boxes = []
        goals = {g.id: g.statement for g in self.ctx.goals}
        for number, section in enumerate(sections, start=1):
            shown = [goals[g] for g in section.get("goal_ids", []) if g in goals]
            box = _SectionBox(number, section, shown, self.sections_panel)
            box.changed.connect(self._changed)
            box.remove_requested.connect(self.remove_section)
            self._sections_layout.addWidget(box)
            self.section_boxes.append(box)
        present = {box.code for box in self.section_boxes}
        self.add_section_combo.clear()
        for code in SECTION_CODES:
            if code not in present:
                self.add_section_combo.addItem(_tr(SECTION_TITLES[code]), code)
        self.add_section_combo.setEnabled(self.add_section_combo.count() > 0)
        self.add_section_button.setEnabled(self.add_section_combo.count() > 0)

    def add_section(self, code: str) -> _SectionBox:
        """Add a section (in the conversation's order) and return its box."""
        if code not in SECTION_CODES or any(b.code == code for b in self.section_boxes):
            raise ValueError(f"cannot add section {code!r}")
        sections = [box.value() for box in self.section_boxes]
        sections.append(
            {
                "code": code,
                "title": SECTION_TITLES[code],
                "minutes": 5,
                "guidance": "",
                "questions": [],
            }
        )
        order = {c: i for i, c in enumerate(SECTION_CODES)}
        sections.sort(key=lambda s: order.get(s.get("code", ""), len(order)))
        self._build_sections(sections)
        self._changed()
        box = next(b for b in self.section_boxes if b.code == code)
        box.minutes.setFocus()
        QTimer.singleShot(0, lambda: self.plan_scroll.ensureWidgetVisible(box))
        return box

    def _add_section_clicked(self) -> None:
        code = self.add_section_combo.currentData()
        if code:
            self.add_section(code)

    def remove_section(self, box: _SectionBox) -> None:
        if box not in self.section_boxes:
            return
        sections = [b.value() for b in self.section_boxes if b is not box]
        self._build_sections(sections)
        self._changed()
        self.add_section_button.setFocus()

    def add_offer(self, offer: dict[str, Any] | None = None, *, focus: bool = False) -> _OfferRow:
        fresh = offer is None
        row = _OfferRow(offer or {"text": "", "requested_by_customer": False})
        row.changed.connect(self._changed)
        row.remove_requested.connect(self._remove_offer)
        self._offers_list.addWidget(row)
        self.offer_rows.append(row)
        self.no_offers.setVisible(False)
        if focus:
            row.text.setFocus()
        if fresh:
            self._changed()
        return row

    def _remove_offer(self, row: _OfferRow) -> None:
        if row in self.offer_rows:
            self.offer_rows.remove(row)
            row.hide()
            row.deleteLater()
            self.no_offers.setVisible(not self.offer_rows)
            self.add_offer_button.setFocus()
            self._changed()

    # ---- guardrails -------------------------------------------------------------------------

    def refresh_guardrails(self) -> None:
        """Re-check every guardrail against the plan on screen (runs ~150 ms after an edit)."""
        self._debounce.stop()
        plan = self.current_plan()
        self.results = check_guardrails(plan, self.ctx, self._today())
        for result in self.results:
            self.guardrail_rows[result.code].show_result(result)
        total, future = total_minutes(plan), future_minutes(plan)
        share = f"{future / total:.0%}" if total else "–"
        self.totals.setText(
            self.tr("Total {total} min · {future} min on their future ({share})").format(
                total=total, future=future, share=share
            )
        )
        self._show_cards()
        self._show_status()
        self._update_actions()

    def ready_blockers(self) -> list[str]:
        """Why "Mark ready" is unavailable right now (empty when it is available)."""
        if self._status is PlanStatus.HELD:
            return [self.tr("The meeting has been held: the plan is complete.")]
        if self._status is PlanStatus.READY:
            return [self.tr("The plan is already marked ready.")]
        blockers = []
        if self.date_field.problem() is not None:
            blockers.append(self.tr("Meeting date: {p}").format(p=self.date_field.problem()))
        return blockers + ready_problems(self.results)

    def _update_actions(self) -> None:
        blockers = self.ready_blockers()
        problems = ready_problems(self.results)
        self.ready_button.setEnabled(not blockers)
        if not blockers:
            tip = self.tr("Every guardrail passes or has a written override: mark it ready")
            hint = self.tr("Every guardrail passes or carries a written reason.")
        elif self._status is PlanStatus.DRAFT and problems:
            tip = self.tr("Not ready yet:") + "\n• " + "\n• ".join(blockers)
            hint = self.tr(
                "{n} guardrail(s) need attention: change the plan or override with a reason."
            ).format(n=len(problems))
        else:
            tip = hint = blockers[0]
        self.ready_button.setToolTip(tip)
        self.ready_button.setAccessibleDescription(tip)
        self.ready_hint.setText(hint)
        saved = bool(self._plan.id)
        self.duplicate_button.setEnabled(saved)
        self.duplicate_button.setToolTip(
            self.tr("Continue with an unsaved copy of this plan; the original stays as saved")
            if saved
            else self.tr("Save the plan before copying it")
        )
        has_contract = bool(self._plan.contract_id)
        for button, text in (
            (self.brief_button, self.tr("Save, then write the internal coaching brief")),
            (self.proposal_button, self.tr("Save, then write the customer-facing proposal draft")),
        ):
            button.setEnabled(has_contract)
            button.setToolTip(
                text
                if has_contract
                else self.tr(
                    "This plan is not for a particular contract, so there is nothing to export"
                )
            )

    def request_override(self, code: str) -> None:
        """Ask for a written reason, then override guardrail ``code`` with it."""
        result = self.result(code)
        if result is None or result.passed:
            return
        dialog = OverrideDialog(result, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_override(code, dialog.reason_text())

    def set_override(self, code: str, reason: str) -> None:
        """Override guardrail ``code`` with ``reason`` (an empty reason removes the override)."""
        plan = override_guardrail(self.current_plan(), code, reason)
        self._overrides = dict(plan.guardrail_overrides)
        self._changed()
        self.refresh_guardrails()

    # ---- writing ----------------------------------------------------------------------------

    def _check_fields(self) -> bool:
        if not self.date_field.validate():
            self.date_field.setFocus()
            self.message.setText(self.tr("Fix the meeting date first."))
            return False
        return True

    def _write(self, plan: ConversationPlan, what_failed: str) -> bool:
        try:
            saved = save_plan(self._store, plan, edited_by=self._user)
        except RenewalCoachError as exc:
            show_expected_error(self, what_failed, exc)
            return False
        self._plan = saved
        self._status = saved.status
        self._overrides = dict(saved.guardrail_overrides or {})
        self._set_dirty(False)
        self._show_status()
        self.saved.emit(saved.account_id)
        return True

    def save(self) -> bool:
        """Save the plan as a new version; False (and nothing written) when it cannot be."""
        if not self._check_fields():
            return False
        if not self._write(self.current_plan(), self.tr("The plan could not be saved.")):
            return False
        self.message.setText(self.tr("Saved as version {v}.").format(v=self._plan.version))
        return True

    def mark_ready(self) -> bool:
        """Mark the plan ready and save it; refused while a guardrail blocks."""
        if not self._check_fields():
            return False
        plan = self.current_plan()
        self.results = check_guardrails(plan, self.ctx, self._today())
        try:
            ready = mark_ready(plan, self.results)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The plan is not ready yet."), exc)
            self.refresh_guardrails()
            return False
        if not self._write(ready, self.tr("The plan could not be marked ready.")):
            return False
        self.message.setText(
            self.tr("Marked ready and saved as version {v}.").format(v=self._plan.version)
        )
        self.refresh_guardrails()
        return True

    def _saved_first(self) -> bool:
        return (not self.is_dirty() and bool(self._plan.id)) or self.save()

    def present(self) -> None:
        """Save, then ask for the plan to be presented in coaching mode."""
        if self._saved_first():
            self.present_requested.emit(self._plan.id)

    def export(self, kind: str) -> None:
        """Save, then ask for a Word export ("brief" or "proposal") of the plan's contract."""
        if not self._plan.contract_id or not self._saved_first():
            return
        self.export_requested.emit(kind, self._plan.contract_id, self._plan.id)

    def capture_outcome(self) -> SavedCapture | None:
        """Save, then record what the meeting produced; returns what was written, or None."""
        if not self._saved_first():
            return None
        dialog = CaptureDialog(self._store, self._plan.id, today=self._today, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.saved_capture is None:
            return None
        saved = dialog.saved_capture
        self.ctx = load_context(self._store, self._plan.account_id)
        self._load(saved.plan)
        self.message.setText(dialog.summary)
        self.captured.emit(saved)
        self.saved.emit(saved.plan.account_id)
        return saved

    def duplicate(self) -> bool:
        """Continue with an unsaved copy of the plan (answers and overrides cleared)."""
        if not self._plan.id:
            return False
        if self.is_dirty():
            answer = _ask_unsaved(
                self,
                self.tr("Save your changes to this plan before copying it?"),
                self.tr("Discard copies the plan as it was last saved."),
            )
            if answer == QMessageBox.StandardButton.Save:
                if not self.save():
                    return False
            elif answer != QMessageBox.StandardButton.Discard:
                return False
        original = self._plan
        self._load(duplicate_plan(original, edited_by=self._user))
        self._set_dirty(True)
        self.message.setText(
            self.tr("This is an unsaved copy of “{title}”: save it to keep it.").format(
                title=original.title
            )
        )
        return True

    def reload_context(self) -> None:
        """Read the account's records again (after someone changed them elsewhere)."""
        self.ctx = load_context(self._store, self._plan.account_id)
        self._show_cards(force=True)
        self.refresh_guardrails()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty():
            answer = _ask_unsaved(
                self,
                self.tr("Save the changes to “{title}”?").format(
                    title=clean_line(self.title_edit.text()) or enum_label(self._plan.meeting_type)
                ),
                self.tr("If you discard them, the plan stays as it was last saved."),
            )
            if answer == QMessageBox.StandardButton.Save:
                if not self.save():
                    event.ignore()
                    return
            elif answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self._debounce.stop()
        super().closeEvent(event)


# ---- coaching mode ----------------------------------------------------------------------------


def present_plan(
    store: Store,
    plan_id: str,
    *,
    today: Today,
    user: str = "",
    parent: QWidget | None = None,
) -> CoachingWindow:
    """Coaching mode for a saved plan, its session saved through :func:`save_session`.

    The window is returned unshown: call ``showFullScreen()`` (or ``show()``).
    """
    plan = store.plans.get(plan_id)
    ctx = load_context(store, plan.account_id)
    cards = prep_cards(plan, ctx, today_source(today)())

    def save(session: Any, commitments: list[Any]) -> Any:
        # Expected failures reach the coaching window, which says so and stays open.
        return save_session(store, session, commitments)

    return CoachingWindow(plan, cards, ctx.goals, save, owner=user, parent=parent)


# ---- the list of an account's plans -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One plan as the list shows it, with how many coaching sessions it has had."""

    plan: ConversationPlan
    sessions: int = 0


def _local_time(stamp: str) -> str:
    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


_STATUS_ORDER = {PlanStatus.DRAFT: 0, PlanStatus.READY: 1, PlanStatus.HELD: 2}
_MEETING_ORDER = {m: i for i, m in enumerate(MeetingType)}


class PlanListModel(QAbstractTableModel):
    """An account's conversation plans, one per row."""

    TITLE, MEETING, DATE, STATUS, VERSION, EDITED, CAPTURED, SESSIONS = range(8)
    COLUMN_COUNT = 8
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    ID_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PlanRow] = []
        self._headers = [
            self.tr("Title"),
            self.tr("Meeting"),
            self.tr("Date"),
            self.tr("Status"),
            self.tr("Version"),
            self.tr("Last edited"),
            self.tr("Captured"),
            self.tr("Coaching sessions"),
        ]

    # ---- changing the rows
    def set_rows(self, rows: Sequence[PlanRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_of(self, plan_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.plan.id == plan_id), -1)

    def plan_row(self, row: int) -> PlanRow:
        return self._rows[row]

    def upsert(self, item: PlanRow) -> None:
        """Replace the row of the same plan (cells changed) or add it at the end."""
        row = self.row_of(item.plan.id)
        if row >= 0:
            self._rows[row] = item
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.COLUMN_COUNT - 1))
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(item)
        self.endInsertRows()

    def remove(self, plan_id: str) -> None:
        row = self.row_of(plan_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    # ---- Qt
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

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
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        plan, col = item.plan, index.column()
        if not 0 <= col < self.COLUMN_COUNT:
            return None
        if role == self.ID_ROLE:
            return plan.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, col)
        if role == self.SORT_ROLE:
            return self._sort(item, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.VERSION, self.SESSIONS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.STATUS:
                return {
                    PlanStatus.DRAFT: self.tr("Draft: still being prepared"),
                    PlanStatus.READY: self.tr("Ready: guardrails checked"),
                    PlanStatus.HELD: self.tr("Held: the outcome was captured"),
                }.get(plan.status)
            return self._text(item, col) or None
        return None

    def _text(self, item: PlanRow, col: int) -> str:
        plan = item.plan
        if col == self.TITLE:
            return plan.title or enum_label(plan.meeting_type)
        if col == self.MEETING:
            return enum_label(plan.meeting_type)
        if col == self.DATE:
            return plan.meeting_date.isoformat() if plan.meeting_date else self.tr("not set")
        if col == self.STATUS:
            return enum_label(plan.status)
        if col == self.VERSION:
            return str(plan.version)
        if col == self.EDITED:
            when = _local_time(plan.updated_at)
            return f"{plan.edited_by} · {when}" if plan.edited_by else when
        if col == self.CAPTURED:
            held = (plan.captured or {}).get("held_on")
            return self.tr("Yes, {day}").format(day=held) if held else self.tr("No")
        if col == self.SESSIONS:
            return str(item.sessions)
        return ""

    def _sort(self, item: PlanRow, col: int) -> Any:
        plan = item.plan
        if col == self.TITLE:
            return (plan.title or plan.meeting_type.label).casefold()
        if col == self.MEETING:
            return _MEETING_ORDER.get(plan.meeting_type, 99)
        if col == self.DATE:
            return plan.meeting_date.isoformat() if plan.meeting_date else ""
        if col == self.STATUS:
            return _STATUS_ORDER.get(plan.status, 9)
        if col == self.VERSION:
            return plan.version
        if col == self.EDITED:
            return plan.updated_at
        if col == self.CAPTURED:
            return str((plan.captured or {}).get("held_on", ""))
        return item.sessions


class PlanList(QWidget):
    """An account's conversation plans with New / Open / Present / Duplicate / Delete."""

    open_requested = Signal(str)
    new_requested = Signal()
    present_requested = Signal(str)
    changed = Signal(str)

    def __init__(
        self,
        *,
        user: str = "",
        editor: Editor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._user = user
        #: When given, copies and deletes go through it, so they can be undone.
        self.editor = editor
        self._store: Store | None = None
        self.account_id: str | None = None
        self.model = PlanListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(PlanListModel.SORT_ROLE)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName(self.tr("Conversation plans"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(PlanListModel.DATE, Qt.SortOrder.DescendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PlanListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        # Activation is a double-click (or the platform's equivalent) or Enter.
        self.view.activated.connect(lambda _index: self.open_selected())

        self.empty = QLabel(self.tr("No conversation plans yet: plan the first one"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)

        self.new_button = QPushButton(self.tr("&New Plan…"))
        self.new_button.clicked.connect(self.new_requested)
        self.open_button = QPushButton(self.tr("&Open"))
        self.open_button.clicked.connect(self.open_selected)
        self.present_button = QPushButton(self.tr("&Present…"))
        self.present_button.clicked.connect(self.present_selected)
        self.duplicate_button = QPushButton(self.tr("D&uplicate"))
        self.duplicate_button.setToolTip(self.tr("Save a fresh draft copy of the selected plan"))
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.delete_button = QPushButton(self.tr("&Delete…"))
        self.delete_button.clicked.connect(self.delete_selected)
        delete_action = QAction(self.tr("Delete plan"), self.view)
        delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_action.triggered.connect(self.delete_selected)
        self.view.addAction(delete_action)
        bar = QHBoxLayout()
        for button in (
            self.new_button,
            self.open_button,
            self.present_button,
            self.duplicate_button,
            self.delete_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)
        self.model.rowsRemoved.connect(self._update_empty)
        self._update_empty()

    def show_account(self, store: Store, account_id: str) -> None:
        """List the plans of ``account_id``."""
        self._store = store
        self.account_id = account_id
        self.refresh()

    def refresh(self) -> None:
        if self._store is None or self.account_id is None:
            self.model.set_rows([])
            return
        plans = self._store.plans.for_account(self.account_id)
        counts = self._session_counts()
        self.model.set_rows([PlanRow(p, counts.get(p.id, 0)) for p in plans])
        if self.model.rowCount():
            self.view.selectRow(0)

    def update_plan(self, plan_id: str) -> None:
        """Show the current state of one plan (added, changed or deleted)."""
        if self._store is None:
            return
        plan = self._store.plans.find(plan_id)
        if plan is None or plan.account_id != self.account_id:
            self.model.remove(plan_id)
            return
        self.model.upsert(PlanRow(plan, self._session_counts().get(plan_id, 0)))

    def _session_counts(self) -> dict[str, int]:
        assert self._store is not None
        counts: dict[str, int] = {}
        for session in self._store.coaching_sessions.where(
            "plan_id IN (SELECT id FROM plans WHERE account_id = ?)", [self.account_id]
        ):
            counts[session.plan_id] = counts.get(session.plan_id, 0) + 1
        return counts

    def selected_plan_id(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(PlanListModel.ID_ROLE)

    def select_plan(self, plan_id: str) -> None:
        row = self.model.row_of(plan_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.view.selectRow(index.row())

    def _update_empty(self) -> None:
        empty = self.model.rowCount() == 0
        self.stack.setCurrentWidget(self.empty if empty else self.view)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected_plan_id() is not None
        for button in (
            self.open_button,
            self.present_button,
            self.duplicate_button,
            self.delete_button,
        ):
            button.setEnabled(chosen)
        self.new_button.setEnabled(self._store is not None)

    def open_selected(self) -> None:
        plan_id = self.selected_plan_id()
        if plan_id:
            self.open_requested.emit(plan_id)

    def present_selected(self) -> None:
        plan_id = self.selected_plan_id()
        if plan_id:
            self.present_requested.emit(plan_id)

    def duplicate_selected(self) -> str | None:
        """Save a fresh draft copy of the selected plan and select it; its id, or None."""
        plan_id = self.selected_plan_id()
        if not plan_id or self._store is None:
            return None
        try:
            original = self._store.plans.get(plan_id)
            fresh = duplicate_plan(original, edited_by=self._user)
            if self.editor is not None:
                copy = self.editor.add(fresh)  # type: ignore[assignment]
            else:
                copy = save_plan(self._store, fresh, edited_by=self._user)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The plan could not be copied."), exc)
            return None
        self.model.upsert(PlanRow(copy, 0))
        self.select_plan(copy.id)
        self.changed.emit(copy.account_id)
        return copy.id

    def _confirm_delete(self, plan: ConversationPlan) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete Plan"))
        box.setText(
            self.tr("Delete the plan “{title}”?").format(
                title=plan.title or enum_label(plan.meeting_type)
            )
        )
        box.setInformativeText(
            self.tr(
                "Its coaching sessions are deleted with it. Goals, concerns, commitments and "
                "interactions recorded from the meeting stay."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Delete"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return QMessageBox.StandardButton(box.exec()) == QMessageBox.StandardButton.Yes

    def delete_selected(self) -> bool:
        """Delete the selected plan after asking; True when it was deleted."""
        plan_id = self.selected_plan_id()
        if not plan_id or self._store is None:
            return False
        try:
            plan = self._store.plans.get(plan_id)
            if not self._confirm_delete(plan):
                return False
            if self.editor is not None:
                self.editor.delete(plan)
            else:
                self._store.plans.delete(plan_id)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The plan could not be deleted."), exc)
            return False
        self.model.remove(plan_id)
        self.changed.emit(plan.account_id)
        return True
