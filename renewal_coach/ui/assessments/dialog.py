"""Take a self-assessment (DOMAIN.md 3.4) with the result worked out live.

:class:`AssessmentDialog` asks one questionnaire (maturity, posture or readiness), one question
per group of radio buttons, and shows beside it what the core makes of the answers so far: the
score, the breakdown, the stage gate and what holds it back (maturity), fear against complacency
(posture), readiness against what the contract's campaign phase expects, and the advice. Saving
stores the answers and the result as an :class:`~renewal_coach.core.models.Assessment`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core import questionnaires as q
from ...core.dates import parse_date
from ...core.enums import AssessmentKind
from ...core.errors import RenewalCoachError, ValidationError
from ...core.models import Assessment
from ...core.scoring.assessments import STAGE_QUORUM, score_maturity, score_posture, score_readiness
from ...core.scoring.result import ScoreResult
from ...core.scoring.timeline import PHASES
from ...core.settings import DEFAULT_SETTINGS, ScoreSettings
from ...storage.repository import Store
from ...storage.scores import account_scores, load_settings
from ..errors import show_expected_error
from ..text import show_date
from ..theme import set_tone
from .labels import _ctr, _tr, _wrapped, kind_title
from .questions import _OptionLabel, _Question, _questions
from .result_panel import _ResultPanel


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
            set_tone(note, "error")
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
        set_tone(self.date_error, "error")
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
                    today=show_date(self.today)
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
