"""After the meeting: what it produced, turned into real records in one step.

Answers per question, new and confirmed goals, validated evidence, new concerns, how each
attendee now stands, the commitments both sides made, notes, and the meeting itself as an
interaction. OK writes all of it in one transaction (:func:`capture_changes` then
:func:`save_capture`); the :class:`SavedCapture` it returns can be undone.

Also home to :class:`DateField`, the typed date with its problem shown next to it, which the
plan editor uses too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
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
    QTabWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.dates import parse_date
from ...core.enums import Attitude, Party, ResponseMode
from ...core.errors import RenewalCoachError
from ...core.models import ConversationPlan, Stakeholder
from ...core.plans import (
    AccountContext,
    Capture,
    CaptureChanges,
    NewCommitment,
    NewConcern,
    NewGoal,
    capture_changes,
)
from ...core.text import clean_line, clean_text
from ...storage.plan_store import SavedCapture, load_context, save_capture
from ...storage.repository import Store
from ...user import user_name
from ..errors import show_expected_error
from ..text import plural, show_date
from ..theme import set_tone

#: ``today`` may be a date (tests, scripts) or a callable returning one (the app's clock).
Today = date | Callable[[], date]

MUTED_STYLE = "color: palette(placeholder-text);"


def today_source(today: Today) -> Callable[[], date]:
    """A callable giving today's date, whichever form ``today`` was given in."""
    if isinstance(today, date):
        fixed = today
        return lambda: fixed
    return today


def _tr(text: str) -> str:
    return QCoreApplication.translate("CaptureDialog", text)


def enum_label(member: object) -> str:
    """An enum member's label, translated at display time."""
    return QCoreApplication.translate("enums", getattr(member, "label", str(member)))


def current_people(ctx: AccountContext, first: Sequence[str] = (), on: date | None = None) -> list:
    """The account's stakeholders still in role (on ``on``), the ids in ``first`` leading."""
    people = [s for s in ctx.stakeholders if s.left_on is None or (on and s.left_on > on)]
    order = {sid: i for i, sid in enumerate(first)}
    return sorted(people, key=lambda s: (order.get(s.id, len(order)), s.name.lower()))


# ---- small widgets --------------------------------------------------------------------------


class DateField(QWidget):
    """A date typed as YYYY-MM-DD; its problem shows right under the field, not in a popup.

    ``check`` receives a parsed date and returns a problem in words, or None when it is fine.
    """

    changed = Signal()

    def __init__(
        self,
        value: date | None = None,
        *,
        required: bool = False,
        check: Callable[[date], str | None] | None = None,
        accessible_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._required = required
        self._check = check
        self.edit = QLineEdit(value.isoformat() if value else "")
        self.edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.edit.setMaxLength(10)
        width = self.edit.fontMetrics().horizontalAdvance("YYYY-MM-DD (By)") + 24
        self.edit.setMinimumWidth(width)
        self.edit.setMaximumWidth(width + 40)
        self.edit.setAccessibleName(accessible_name or self.tr("Date"))
        self.edit.setToolTip(self.tr("Type the date as year-month-day, for example 2027-03-31"))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        set_tone(self.error, "error")
        self.error.setVisible(False)
        self.setFocusProxy(self.edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        self.edit.textEdited.connect(self._edited)
        self.edit.editingFinished.connect(self.validate)

    def _edited(self) -> None:
        if self.error.isVisibleTo(self):
            self.validate()
        self.changed.emit()

    def problem(self) -> str | None:
        """What is wrong with the text as typed, or None."""
        text = self.edit.text().strip()
        if not text:
            return self.tr("Enter a date.") if self._required else None
        try:
            value = parse_date(text)
        except ValueError as exc:
            return str(exc)
        return self._check(value) if self._check else None

    def value(self) -> date | None:
        """The date typed, or None when blank or not valid."""
        if self.problem() is not None:
            return None
        text = self.edit.text().strip()
        return parse_date(text) if text else None

    def set_value(self, value: date | None) -> None:
        self.edit.setText(value.isoformat() if value else "")
        self.validate()

    def validate(self) -> bool:
        """Show or clear the problem next to the field; True when the date is fine."""
        problem = self.problem()
        self.set_error(problem)
        return problem is None

    def set_error(self, message: str | None) -> None:
        self.error.setText(f"⚠ {message}" if message else "")
        self.error.setVisible(bool(message))
        self.edit.setAccessibleDescription(message or "")


class AutoText(QTextEdit):
    """Plain text that grows to show all of itself, so nothing is cut off in a scrolling form.

    ``single_line`` keeps Return from adding a line break (a question is one sentence).
    """

    def __init__(
        self, text: str = "", *, single_line: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._single = single_line
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setPlainText(text)
        self.document().setDocumentMargin(3)
        self.document().contentsChanged.connect(self._fit)
        self._fit()

    def text(self) -> str:
        return self.toPlainText()

    def _fit(self) -> None:
        doc = self.document()
        width = self.viewport().width()
        if width > 0:
            doc.setTextWidth(width)
        height = math.ceil(doc.size().height()) + 2 * self.frameWidth()
        if height != self.height():
            self.setFixedHeight(height)

    def sizeHint(self) -> QSize:
        return QSize(200, self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._single and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()
            return
        super().keyPressEvent(event)


def _remove_button(name: str) -> QToolButton:
    button = QToolButton()
    button.setText("✕")
    button.setAccessibleName(name)
    button.setToolTip(name)
    return button


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _people_combo(people: Sequence[Stakeholder], none_text: str, name: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(none_text, None)
    for person in people:
        combo.addItem(person.name + (f" · {person.title}" if person.title else ""), person.id)
    combo.setAccessibleName(name)
    return combo


# ---- row editors ----------------------------------------------------------------------------


class GoalRow(QWidget):
    """A new customer goal: their words, the measure, from → to by a date, and who said it."""

    remove_requested = Signal(object)

    def __init__(self, people: Sequence[Stakeholder], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statement = QLineEdit()
        self.statement.setPlaceholderText(self.tr("The goal, in their words"))
        self.statement.setAccessibleName(self.tr("New goal"))
        self.metric = QLineEdit()
        self.metric.setPlaceholderText(self.tr("Measure"))
        self.metric.setAccessibleName(self.tr("Goal measure"))
        self.metric_from = QLineEdit()
        self.metric_from.setPlaceholderText(self.tr("From"))
        self.metric_from.setAccessibleName(self.tr("Goal measure today"))
        self.metric_to = QLineEdit()
        self.metric_to.setPlaceholderText(self.tr("To"))
        self.metric_to.setAccessibleName(self.tr("Goal target"))
        self.by = DateField(accessible_name=self.tr("Goal target date"))
        self.by.edit.setPlaceholderText(self.tr("By (YYYY-MM-DD)"))
        self.confirmed_by = _people_combo(
            people, self.tr("Assumed: not confirmed"), self.tr("Goal confirmed by")
        )
        self.confirmed_by.setToolTip(
            self.tr("Who at the customer said this goal is theirs; leave it assumed otherwise")
        )
        self.error = QLabel()
        set_tone(self.error, "error")
        self.error.setVisible(False)
        remove = _remove_button(self.tr("Remove this goal"))
        remove.clicked.connect(lambda: self.remove_requested.emit(self))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 4)
        grid.addWidget(self.statement, 0, 0, 1, 4)
        grid.addWidget(self.confirmed_by, 0, 4)
        grid.addWidget(remove, 0, 5)
        grid.addWidget(self.metric, 1, 0)
        grid.addWidget(self.metric_from, 1, 1)
        grid.addWidget(self.metric_to, 1, 2)
        grid.addWidget(self.by, 1, 3, 1, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.error, 2, 0, 1, 5)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)

    def validate(self) -> bool:
        ok = self.by.validate()
        extra = any(
            w.text().strip() for w in (self.metric, self.metric_from, self.metric_to, self.by.edit)
        )
        missing = extra and not clean_line(self.statement.text())
        self.error.setText(
            self.tr("⚠ Write the goal itself, or remove the row.") if missing else ""
        )
        self.error.setVisible(missing)
        return ok and not missing

    def value(self) -> NewGoal | None:
        if not clean_line(self.statement.text()):
            return None
        return NewGoal(
            statement=self.statement.text(),
            metric=self.metric.text(),
            metric_from=self.metric_from.text(),
            metric_to=self.metric_to.text(),
            target_date=self.by.value(),
            confirmed_by_id=self.confirmed_by.currentData(),
        )


class ConcernRow(QWidget):
    """A new concern the customer raised, with its severity."""

    remove_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.description = QLineEdit()
        self.description.setPlaceholderText(self.tr("What is not working for them"))
        self.description.setAccessibleName(self.tr("New concern"))
        self.severity = QComboBox()
        self.severity.addItem(self.tr("1 · serious"), 1)
        self.severity.addItem(self.tr("2 · noticeable"), 2)
        self.severity.addItem(self.tr("3 · minor"), 3)
        self.severity.setCurrentIndex(1)
        self.severity.setAccessibleName(self.tr("Concern severity"))
        remove = _remove_button(self.tr("Remove this concern"))
        remove.clicked.connect(lambda: self.remove_requested.emit(self))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.description, 1)
        layout.addWidget(self.severity)
        layout.addWidget(remove)

    def validate(self) -> bool:
        return True

    def value(self) -> NewConcern | None:
        if not clean_line(self.description.text()):
            return None
        return NewConcern(self.description.text(), int(self.severity.currentData()))


class CommitmentRow(QWidget):
    """A commitment made in the meeting: whose, what, who owns it and by when."""

    remove_requested = Signal(object)

    def __init__(self, held_on: Callable[[], date | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._held_on = held_on
        self.party = QComboBox()
        self.party.addItem(self.tr("We commit"), Party.US)
        self.party.addItem(self.tr("They commit"), Party.CUSTOMER)
        self.party.setAccessibleName(self.tr("Whose commitment"))
        self.description = QLineEdit()
        self.description.setPlaceholderText(self.tr("What will be done"))
        self.description.setAccessibleName(self.tr("Commitment"))
        self.owner = QLineEdit()
        self.owner.setAccessibleName(self.tr("Commitment owner"))
        self.party.currentIndexChanged.connect(self._show_default_owner)
        self._show_default_owner()
        self.due = DateField(check=self._due_problem, accessible_name=self.tr("Commitment due"))
        self.due.edit.setPlaceholderText(self.tr("Due (YYYY-MM-DD)"))
        self.error = QLabel()
        set_tone(self.error, "error")
        self.error.setVisible(False)
        remove = _remove_button(self.tr("Remove this commitment"))
        remove.clicked.connect(lambda: self.remove_requested.emit(self))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 4)
        grid.addWidget(self.party, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.description, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.owner, 0, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.due, 0, 3, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(remove, 0, 4, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.error, 1, 1, 1, 3)
        grid.setColumnStretch(1, 4)
        grid.setColumnStretch(2, 1)

    def _default_owner(self) -> str:
        """Our commitments default to the person using the app (their name, not the login)."""
        return user_name() if self.party.currentData() == Party.US else ""

    def _show_default_owner(self, *_: object) -> None:
        name = self._default_owner()
        self.owner.setPlaceholderText(
            self.tr("Owner: {name}").format(name=name) if name else self.tr("Owner")
        )

    def _due_problem(self, due: date) -> str | None:
        held = self._held_on()
        if held is not None and due < held:
            return self.tr("Due before the meeting was held ({held}).").format(held=show_date(held))
        return None

    def validate(self) -> bool:
        ok = self.due.validate()
        extra = bool(self.owner.text().strip() or self.due.edit.text().strip())
        missing = extra and not clean_line(self.description.text())
        self.error.setText(
            self.tr("⚠ Say what was committed, or remove the row.") if missing else ""
        )
        self.error.setVisible(missing)
        return ok and not missing

    def value(self) -> NewCommitment | None:
        if not clean_line(self.description.text()):
            return None
        return NewCommitment(
            party=Party(self.party.currentData()),
            description=self.description.text(),
            owner=clean_line(self.owner.text()) or self._default_owner(),
            due_on=self.due.value(),
        )


class _RowList(QWidget):
    """A vertical list of row editors with an Add button underneath."""

    def __init__(
        self, make: Callable[[], QWidget], add_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._make = make
        self.rows: list[QWidget] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(self.add_row)
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addStretch(1)
        self._layout.addLayout(bar)

    def add_row(self) -> QWidget:
        row = self._make()
        row.remove_requested.connect(self._remove)  # type: ignore[attr-defined]
        self._layout.insertWidget(len(self.rows), row)
        self.rows.append(row)
        first = row.findChild(QLineEdit)
        if first is not None and self.isVisible():
            first.setFocus()
        return row

    def _remove(self, row: QWidget) -> None:
        if row in self.rows:
            self.rows.remove(row)
            row.hide()
            row.deleteLater()
            self.add_button.setFocus()


# ---- the dialog -----------------------------------------------------------------------------


def _shown_day(stored: object) -> str:
    """A date kept as ISO text in a plan, for display (the text as it is when not a date)."""
    try:
        return show_date(date.fromisoformat(str(stored)))
    except ValueError:
        return str(stored)


class CaptureDialog(QDialog):
    """Record what a held meeting produced. On OK everything is saved together;
    ``saved_capture`` then holds what was written (for undo) and ``summary`` says it in words."""

    def __init__(
        self,
        store: Store,
        plan_id: str,
        *,
        today: Today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._today = today_source(today)
        self.plan: ConversationPlan = store.plans.get(plan_id)
        self.ctx: AccountContext = load_context(store, self.plan.account_id)
        self.saved_capture: SavedCapture | None = None
        self.changes: CaptureChanges | None = None
        self.summary = ""
        plan = self.plan
        self.setWindowTitle(
            self.tr("Capture the Outcome: {title}").format(
                title=plan.title or enum_label(plan.meeting_type)
            )
        )
        self.setModal(True)
        attendees = [s for s in (self.ctx.stakeholder(i) for i in plan.attendee_ids) if s]
        people = current_people(self.ctx, plan.attendee_ids, self._today())

        # ---- always visible: when, and whether it counts as contact
        # The day the plan has the meeting on, even when that is not today: a capture made the
        # day after (or a week after) is about the planned day, not the day it is typed in.
        self.held_on = DateField(
            plan.meeting_date or self._today(),
            required=True,
            check=self._held_problem,
            accessible_name=self.tr("Held on"),
        )
        if plan.meeting_date and plan.meeting_date > self._today():
            self.held_on.validate()  # say at once that a planned day still to come needs changing
        self.log_interaction = QCheckBox(self.tr("&Log the meeting as an interaction"))
        self.log_interaction.setChecked(True)
        self.log_interaction.setToolTip(
            self.tr(
                "Counts the meeting as contact with everyone who attended, with the notes as "
                "its outcome"
            )
        )
        intro = QLabel(
            self.tr(
                "Write down what the meeting produced while it is fresh. Everything here is "
                "saved together when you press Save, and can be undone."
            )
        )
        intro.setWordWrap(True)
        if plan.captured.get("held_on"):
            intro.setText(
                intro.text()
                + " "
                + self.tr("An outcome was already captured on {day}; this adds to it.").format(
                    day=_shown_day(plan.captured["held_on"])
                )
            )
        top = QFormLayout()
        top.addRow(self.tr("&Held on:"), self.held_on)
        top.addRow("", self.log_interaction)

        # ---- answers
        self.answer_edits: dict[tuple[int, int], AutoText] = {}
        answers_page = QWidget()
        answers_layout = QVBoxLayout(answers_page)
        for si, section in enumerate(plan.sections):
            questions = section.get("questions", [])
            if not questions:
                continue
            box = QGroupBox(section.get("title", ""))
            form = QVBoxLayout(box)
            for qi, question in enumerate(questions):
                label = QLabel(question.get("text", ""))
                label.setWordWrap(True)
                edit = AutoText(str(question.get("answer", "")))
                edit.setPlaceholderText(self.tr("Their answer"))
                edit.setAccessibleName(
                    self.tr("Answer to: {q}").format(q=question.get("text", ""))[:200]
                )
                label.setBuddy(edit)
                form.addWidget(label)
                form.addWidget(edit)
                self.answer_edits[(si, qi)] = edit
            answers_layout.addWidget(box)
        if not self.answer_edits:
            answers_layout.addWidget(QLabel(self.tr("This plan has no questions to answer.")))
        answers_layout.addStretch(1)

        # ---- goals and evidence
        goals_page = QWidget()
        goals_layout = QVBoxLayout(goals_page)
        new_goals = QGroupBox(self.tr("New goals they told us"))
        self.goal_rows = _RowList(lambda: GoalRow(people), self.tr("Add &goal"))
        QVBoxLayout(new_goals).addWidget(self.goal_rows)
        goals_layout.addWidget(new_goals)
        self.goal_confirm: dict[str, QComboBox] = {}
        assumed = [
            g
            for g in self.ctx.goals
            if not g.confirmed
            and (plan.contract_id is None or g.contract_id in (None, plan.contract_id))
        ]
        confirm_box = QGroupBox(self.tr("Goals we assumed: did someone confirm them?"))
        confirm_form = QFormLayout(confirm_box)
        confirm_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for goal in assumed:
            combo = _people_combo(
                people,
                self.tr("Still assumed"),
                self.tr("Confirmed by, for: {g}").format(g=goal.statement[:120]),
            )
            label = QLabel(goal.statement)
            label.setWordWrap(True)
            confirm_form.addRow(label, combo)
            self.goal_confirm[goal.id] = combo
        if not assumed:
            confirm_form.addRow(QLabel(self.tr("Every goal on record is already confirmed.")))
        goals_layout.addWidget(confirm_box)
        self.evidence_validate: dict[str, QComboBox] = {}
        unvalidated = [
            e
            for e in self.ctx.evidence
            if not e.validated
            and (plan.contract_id is None or e.contract_id in (None, plan.contract_id))
        ]
        evidence_box = QGroupBox(self.tr("Evidence of value: did they agree with it?"))
        evidence_form = QFormLayout(evidence_box)
        evidence_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for item in unvalidated:
            text = item.description + (
                f" ({item.metric}: {item.before} → {item.after})"
                if item.before or item.after
                else ""
            )
            combo = _people_combo(
                people,
                self.tr("Not validated"),
                self.tr("Validated by, for: {e}").format(e=item.description[:120]),
            )
            label = QLabel(text)
            label.setWordWrap(True)
            evidence_form.addRow(label, combo)
            self.evidence_validate[item.id] = combo
        if not unvalidated:
            evidence_form.addRow(QLabel(self.tr("No evidence is waiting for their agreement.")))
        goals_layout.addWidget(evidence_box)
        goals_layout.addStretch(1)

        # ---- concerns and people
        people_page = QWidget()
        people_layout = QVBoxLayout(people_page)
        concerns_box = QGroupBox(self.tr("New concerns they raised"))
        self.concern_rows = _RowList(ConcernRow, self.tr("Add &concern"))
        QVBoxLayout(concerns_box).addWidget(self.concern_rows)
        people_layout.addWidget(concerns_box)
        stance_box = QGroupBox(self.tr("How each attendee stands now (internal)"))
        stance = QGridLayout(stance_box)
        stance.addWidget(QLabel(self.tr("<b>Attendee</b>")), 0, 0)
        stance.addWidget(QLabel(self.tr("<b>Attitude</b>")), 0, 1)
        stance.addWidget(QLabel(self.tr("<b>Response mode</b>")), 0, 2)
        self.attitude_combos: dict[str, QComboBox] = {}
        self.mode_combos: dict[str, QComboBox] = {}
        for row, person in enumerate(attendees, start=1):
            name = QLabel(person.name + (f" · {person.title}" if person.title else ""))
            name.setWordWrap(True)
            attitude = QComboBox()
            for member in Attitude:
                attitude.addItem(enum_label(member), member)
            attitude.setCurrentIndex(attitude.findData(person.attitude))
            attitude.setAccessibleName(self.tr("Attitude of {name}").format(name=person.name))
            mode = QComboBox()
            for member in ResponseMode:
                mode.addItem(enum_label(member), member)
            mode.setCurrentIndex(mode.findData(person.response_mode))
            mode.setAccessibleName(self.tr("Response mode of {name}").format(name=person.name))
            stance.addWidget(name, row, 0)
            stance.addWidget(attitude, row, 1)
            stance.addWidget(mode, row, 2)
            self.attitude_combos[person.id] = attitude
            self.mode_combos[person.id] = mode
        if not attendees:
            stance.addWidget(QLabel(self.tr("Nobody was listed as attending.")), 1, 0, 1, 3)
        stance.setColumnStretch(0, 1)
        people_layout.addWidget(stance_box)
        people_layout.addStretch(1)

        # ---- commitments
        commitments_page = QWidget()
        commitments_layout = QVBoxLayout(commitments_page)
        explain = QLabel(
            self.tr("Both sides commit: write ours and theirs, each with an owner and a date.")
        )
        explain.setWordWrap(True)
        commitments_layout.addWidget(explain)
        self.commitment_rows = _RowList(
            lambda: CommitmentRow(self.held_on.value), self.tr("Add co&mmitment")
        )
        commitments_layout.addWidget(self.commitment_rows)
        commitments_layout.addStretch(1)

        # ---- notes
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName(self.tr("Notes from the meeting"))
        self.notes.setPlaceholderText(
            self.tr("What else happened: tone, surprises, names mentioned, next steps")
        )

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("What the meeting produced"))
        self.tabs.addTab(_scrolling(answers_page), self.tr("&Answers"))
        self.tabs.addTab(_scrolling(goals_page), self.tr("Goals and &evidence"))
        self.tabs.addTab(_scrolling(people_page), self.tr("Concerns and &people"))
        self.tabs.addTab(_scrolling(commitments_page), self.tr("Commi&tments"))
        self.tabs.addTab(self.notes, self.tr("&Notes"))
        self._goals_tab, self._commitments_tab = 1, 3

        self.goal_rows.add_row()
        self.concern_rows.add_row()
        self.commitment_rows.add_row()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setToolTip(self.tr("Save everything recorded here (Ctrl+Enter)"))
        self.resize(980, 640)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The button box makes Save the default as it is shown; Enter does not save here.
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setDefault(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A long form: Enter in a field must not save a half-written capture. Ctrl+Enter saves.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.accept()
                return
            if not isinstance(self.focusWidget(), QAbstractButton):
                event.accept()
                return
        super().keyPressEvent(event)

    # ---- checks -----------------------------------------------------------------------------

    def _held_problem(self, held: date) -> str | None:
        if held > self._today() and held == self.plan.meeting_date:
            return self.tr(
                "The plan has this meeting on {d}, after today: type the day it was held."
            ).format(d=show_date(held))
        if held > self._today():
            return self.tr(
                "The meeting cannot be captured before it happens (today is {d})."
            ).format(d=show_date(self._today()))
        return None

    def validate(self) -> bool:
        """Show every problem next to its field; True when the capture can be saved."""
        ok = self.held_on.validate()
        first_tab: int | None = None
        if not ok:
            self.held_on.setFocus()
        for tab, rows in (
            (self._goals_tab, self.goal_rows.rows),
            (2, self.concern_rows.rows),
            (self._commitments_tab, self.commitment_rows.rows),
        ):
            for row in rows:
                if not row.validate():  # type: ignore[attr-defined]
                    ok = False
                    if first_tab is None:
                        first_tab = tab
        if first_tab is not None and self.held_on.problem() is None:
            self.tabs.setCurrentIndex(first_tab)
        return ok

    # ---- building and saving ----------------------------------------------------------------

    def capture(self) -> Capture:
        """What has been entered, as a Capture (call :meth:`validate` first)."""
        held = self.held_on.value() or self._today()
        answers = {}
        for (si, qi), edit in self.answer_edits.items():
            before = str(self.plan.sections[si]["questions"][qi].get("answer", ""))
            text = clean_text(edit.text())
            if text != clean_text(before):
                answers[(si, qi)] = text
        # Combo boxes hand enum members back as plain text: turn them into members again.
        attitudes: dict[str, Attitude] = {}
        modes: dict[str, ResponseMode] = {}
        for person in self.ctx.stakeholders:
            if person.id in self.attitude_combos:
                attitude = Attitude(self.attitude_combos[person.id].currentData())
                if attitude is not person.attitude:
                    attitudes[person.id] = attitude
                mode = ResponseMode(self.mode_combos[person.id].currentData())
                if mode is not person.response_mode:
                    modes[person.id] = mode
        return Capture(
            held_on=held,
            answers=answers,
            new_goals=[g for g in (r.value() for r in self.goal_rows.rows) if g],  # type: ignore[attr-defined]
            confirmed_goals={
                gid: combo.currentData()
                for gid, combo in self.goal_confirm.items()
                if combo.currentData()
            },
            validated_evidence={
                eid: combo.currentData()
                for eid, combo in self.evidence_validate.items()
                if combo.currentData()
            },
            new_concerns=[c for c in (r.value() for r in self.concern_rows.rows) if c],  # type: ignore[attr-defined]
            attitudes=attitudes,
            modes=modes,
            commitments=[c for c in (r.value() for r in self.commitment_rows.rows) if c],  # type: ignore[attr-defined]
            notes=self.notes.toPlainText(),
            log_interaction=self.log_interaction.isChecked(),
        )

    def accept(self) -> None:
        """Save everything in one go; stay open (nothing saved) while a field is wrong."""
        if not self.validate():
            return
        capture = self.capture()
        changes = capture_changes(self.plan, self.ctx, capture)
        try:
            saved = save_capture(self._store, changes)
        except RenewalCoachError as exc:
            show_expected_error(self, self.tr("The outcome could not be saved."), exc)
            return
        self.changes = changes
        self.saved_capture = saved
        self.summary = capture_summary(changes, len(capture.answers))
        super().accept()


def capture_summary(changes: CaptureChanges, answers: int = 0) -> str:
    """What a capture recorded, in one sentence."""
    added: dict[str, int] = {}
    for record in changes.added:
        added[type(record).__name__] = added.get(type(record).__name__, 0) + 1
    updated: dict[str, int] = {}
    for record in changes.updated:
        updated[type(record).__name__] = updated.get(type(record).__name__, 0) + 1
    parts = []
    if answers:
        parts.append(plural(answers, _tr("{n} answer"), _tr("{n} answers")))
    for key, one, many in (
        ("CustomerGoal", _tr("{n} new goal"), _tr("{n} new goals")),
        ("Concern", _tr("{n} new concern"), _tr("{n} new concerns")),
        ("Commitment", _tr("{n} commitment"), _tr("{n} commitments")),
    ):
        if added.get(key):
            parts.append(plural(added[key], one, many))
    for key, one, many in (
        ("CustomerGoal", _tr("{n} goal confirmed"), _tr("{n} goals confirmed")),
        ("ValueEvidence", _tr("{n} evidence item validated"), _tr("{n} evidence items validated")),
        ("Stakeholder", _tr("{n} attendee updated"), _tr("{n} attendees updated")),
    ):
        if updated.get(key):
            parts.append(plural(updated[key], one, many))
    if added.get("Interaction"):
        parts.append(_tr("the meeting logged as contact"))
    if not parts:
        return _tr("Marked as held; nothing else was recorded.")
    return _tr("Recorded: {items}.").format(items=", ".join(parts))
