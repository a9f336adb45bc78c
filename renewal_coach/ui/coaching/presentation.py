"""Coaching mode: a plan presented full-screen for a coaching session or a rehearsal.

One section at a time, type sized for a meeting-room screen, a timer per section, notes and
commitments typed without leaving the mode, and a presenter view of the prep cards. The
privacy curtain starts closed: attitudes, response modes, personal wins, red flags and scores
stay hidden until someone deliberately opens it, so the screen is safe to share.

Keys: → / Space / Page Down next section, ← / Page Up previous, Home / End, 1–9 jump to a
section, N or Enter open the note line (start with "we:" or "they:" for a commitment), Enter
there saves the line and closes it, Esc closes it (keeping what was typed for next time) and,
outside it, ends the session. C opens or closes the curtain, P shows the prep cards, Ctrl + /
Ctrl − change the type size.

The note line stays hidden until N opens it, and the window itself holds the focus otherwise:
a visible line edit would take the focus when the window is shown, and then the presentation
keys would be typed into it instead of moving the presentation.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core.coaching import CoachingRun, Entry, format_clock
from ...core.enums import Party
from ...core.errors import RenewalCoachError
from ...core.models import CoachingSession, Commitment, ConversationPlan, CustomerGoal
from ...core.plans import PrepCard
from ..errors import show_expected_error
from ..text import keep_phrases, plural
from ..theme import set_tone, tone

#: Called with the finished session and its commitments; saves them (and may raise).
#: Saves a finished session and its commitments; returns them as stored, or raises an expected
#: RenewalCoachError (the window then stays open so nothing typed is lost).
SaveSession = Callable[
    [CoachingSession, list[Commitment]], "tuple[CoachingSession, list[Commitment]] | None"
]


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("CoachingWindow", text)


class _Card(QFrame):
    """One attendee's prep card. Internal lines are separate labels so the curtain can hide them."""

    def __init__(self, card: PrepCard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prepCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        self.public: list[QLabel] = []
        self.internal: list[QLabel] = []
        name = QLabel(
            f"<b>{_esc(card.name)}</b>" + (f" · {_esc(card.title)}" if card.title else "")
        )
        self.public.append(name)
        self.public.append(
            QLabel(
                _tr("{role}, {influence} influence").format(
                    role=card.buying_role.label, influence=card.influence.lower()
                )
            )
        )
        if card.win_business:
            mark = _tr(" (confirmed with them)") if card.win_validated else ""
            self.public.append(QLabel(_tr("Their win: {win}").format(win=card.win_business) + mark))
        self.public.append(QLabel(card.cadence_note))
        for concern in card.open_concerns[:3]:
            self.public.append(QLabel(_tr("Open concern: {c}").format(c=concern)))
        for item in card.evidence[:3]:
            self.public.append(QLabel(_tr("Evidence: {e}").format(e=item)))
        self.internal.append(
            QLabel(
                _tr("Internal · attitude: {a}; mode: {m}").format(
                    a=card.attitude.label, m=card.response_mode.label
                )
            )
        )
        if card.win_personal:
            self.internal.append(
                QLabel(_tr("Internal · personal win: {w}").format(w=card.win_personal))
            )
        for flag in card.red_flags:
            self.internal.append(QLabel(_tr("Internal · watch: {f}").format(f=flag)))
        for label in self.public + self.internal:
            label.setWordWrap(True)
            label.setTextFormat(
                Qt.TextFormat.RichText if label is name else Qt.TextFormat.PlainText
            )
            layout.addWidget(label)
        for label in self.internal:
            label.setObjectName("internal")
            set_tone(label, "warning", "font-style: italic;")

    def set_curtain(self, closed: bool) -> None:
        for label in self.internal:
            label.setVisible(not closed)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CoachingWindow(QWidget):
    """The full-screen presentation of one plan. Emits ``finished`` once the session is saved."""

    finished = Signal(object)  # the saved CoachingSession, or None when discarded

    def __init__(
        self,
        plan: ConversationPlan,
        cards: Sequence[PrepCard],
        goals: Sequence[CustomerGoal],
        save: SaveSession,
        *,
        clock: Callable[[], float] = time.monotonic,
        owner: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("coachingWindow")
        self.setWindowTitle(
            _tr("Coaching: {title}").format(title=plan.title or plan.meeting_type.label)
        )
        self.run = CoachingRun(plan, clock)
        self._save = save
        self._owner = owner
        self._goals = {g.id: g for g in goals}
        self._scale = 1.0
        self._curtain = True
        self._ended = False
        self.saved_session: CoachingSession | None = None

        self.position = QLabel()
        self.position.setObjectName("position")
        self.timer_label = QLabel()
        self.timer_label.setObjectName("timer")
        self.timer_label.setAccessibleName(_tr("Time left in this section"))
        self.curtain_label = QLabel()
        self.curtain_label.setObjectName("curtain")
        top = QHBoxLayout()
        top.addWidget(self.position, 1)
        top.addWidget(self.curtain_label)
        top.addSpacing(24)
        top.addWidget(self.timer_label)

        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        self.guidance = QLabel()
        self.guidance.setObjectName("guidance")
        self.guidance.setWordWrap(True)
        self.body = QLabel()
        self.body.setObjectName("questions")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        stage = QVBoxLayout()
        stage.addWidget(self.title)
        stage.addWidget(self.guidance)
        stage.addSpacing(12)
        self.body_scroll = QScrollArea()
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.body_scroll.setWidget(self.body)
        stage.addWidget(self.body_scroll, 1)

        self.cards_panel = QWidget()
        cards_layout = QVBoxLayout(self.cards_panel)
        heading = QLabel(_tr("Prep cards"))
        heading.setObjectName("cardsHeading")
        cards_layout.addWidget(heading)
        self.cards = [_Card(c) for c in cards]
        for card in self.cards:
            cards_layout.addWidget(card)
        if not self.cards:
            cards_layout.addWidget(QLabel(_tr("No attendees chosen for this plan.")))
        cards_layout.addStretch(1)
        self.cards_scroll = QScrollArea()
        self.cards_scroll.setWidgetResizable(True)
        self.cards_scroll.setWidget(self.cards_panel)
        self.cards_scroll.setVisible(False)
        self.cards_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cards_scroll.setAccessibleName(_tr("Presenter view: prep cards"))

        middle = QHBoxLayout()
        middle.addLayout(stage, 3)
        middle.addWidget(self.cards_scroll, 2)

        self.entry = QLineEdit()
        self.entry.setObjectName("entry")
        self.entry.setPlaceholderText(
            _tr(
                "Type a note, or start with “we:” or “they:” for a commitment · "
                "Enter saves · Esc closes"
            )
        )
        self.entry.setAccessibleName(_tr("Note or commitment"))
        self.entry.installEventFilter(self)
        # Hidden until N opens it: shown, it would take the focus and swallow the keys.
        self.entry.setVisible(False)
        self.entries = QListWidget()
        self.entries.setObjectName("entries")
        self.entries.setAccessibleName(_tr("Notes and commitments in this section"))
        self.entries.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.strip = QLabel()
        self.strip.setObjectName("strip")
        self.help = QLabel(
            keep_phrases(
                _tr(
                    "← → sections · 1–9 jump · N note · C curtain · P prep cards · "
                    "Ctrl +/− text size · Esc end"
                )
            )
        )
        self.help.setObjectName("help")
        self.help.setWordWrap(True)
        self.help.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.position.setWordWrap(True)
        self.title.setMinimumWidth(1)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(36, 24, 36, 18)
        outer.addLayout(top)
        outer.addLayout(middle, 1)
        outer.addWidget(self.entries)
        outer.addWidget(self.entry)
        bottom = QHBoxLayout()
        bottom.addWidget(self.strip)
        # The key hint takes the width the section numbers leave: one line when it fits
        # (a wrapping label asks for a narrow column of its own and took three).
        bottom.addWidget(self.help, 1)
        outer.addLayout(bottom)

        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._update_timer)
        self._tick.start()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocus(Qt.FocusReason.OtherFocusReason)  # the keys work from the first moment
        self._apply_fonts()
        self._show_section()
        self._apply_curtain()

    # ---- state ------------------------------------------------------------------------------

    @property
    def curtain_closed(self) -> bool:
        return self._curtain

    @property
    def scale(self) -> float:
        return self._scale

    def set_curtain(self, closed: bool) -> None:
        self._curtain = closed
        self._apply_curtain()

    def set_scale(self, scale: float) -> None:
        self._scale = max(0.5, min(3.0, scale))
        self._apply_fonts()

    def base_point_size(self) -> float:
        """Body text size: grows with the window so a meeting-room screen stays readable."""
        height = max(self.height(), 400)
        return max(11.0, height / 42.0) * self._scale

    def go(self, index: int) -> None:
        if self.run.go(index):
            self._show_section()

    # ---- painting ---------------------------------------------------------------------------

    def _apply_fonts(self) -> None:
        base = self.base_point_size()
        for widget, factor, bold in (
            (self.title, 2.0, True),
            (self.guidance, 0.8, False),
            (self.body, 1.15, False),
            (self.position, 0.75, False),
            (self.timer_label, 1.3, True),
            (self.curtain_label, 0.7, True),
            (self.entry, 0.9, False),
            (self.entries, 0.8, False),
            (self.strip, 0.8, False),
            (self.help, 0.6, False),
            (self.cards_panel, 0.7, False),
        ):
            font = QFont(self.font())
            font.setPointSizeF(base * factor)
            font.setBold(bold)
            widget.setFont(font)
        for card in self.cards:
            for label in card.public + card.internal:
                font = QFont(self.font())
                font.setPointSizeF(base * 0.7)
                label.setFont(font)

    def _show_section(self) -> None:
        run = self.run
        if not run.count:
            self.title.setText(_tr("This plan has no sections"))
            self.body.setText("")
            return
        section = run.section()
        self.position.setText(
            _tr("{title} · section {n} of {total}").format(
                title=run.plan.title or run.plan.meeting_type.label,
                n=run.current + 1,
                total=run.count,
            )
        )
        self.title.setText(section.get("title", ""))
        self.guidance.setText(section.get("guidance", ""))
        parts = []
        goals = [self._goals[g] for g in section.get("goal_ids", []) if g in self._goals]
        if goals:
            muted = tone("muted")
            items = "".join(
                f"<li>{_esc(g.statement)}"
                + (
                    f" <span style='color:{muted}'>"
                    f"({_esc(g.metric_from)} → {_esc(g.metric_to)})</span>"
                    if g.metric_from or g.metric_to
                    else ""
                )
                + "</li>"
                for g in goals
            )
            parts.append(
                f"<p><b>{_esc(_tr('Their goals, in their words'))}</b></p><ul>{items}</ul>"
            )
        questions = section.get("questions", [])
        if questions:
            items = "".join(
                f"<li style='margin-bottom:0.4em'>{_esc(q.get('text', ''))}</li>" for q in questions
            )
            parts.append(f"<ol style='margin-left:1.2em'>{items}</ol>")
        elif not goals:
            parts.append(f"<p>{_esc(_tr('No prompts here: let the conversation run.'))}</p>")
        self.body.setText("".join(parts))
        self._fit_body()
        self.strip.setText(
            "  ".join(f"[{i + 1}]" if i == run.current else str(i + 1) for i in range(run.count))
        )
        self._show_entries()
        self._update_timer()

    def _fit_body(self) -> None:
        """Shrink the prompts (down to a floor) so a long section fits without scrolling."""
        width = self.body_scroll.viewport().width() - 4
        height = self.body_scroll.viewport().height()
        factor = 1.15
        while True:
            font = QFont(self.body.font())
            font.setPointSizeF(self.base_point_size() * factor)
            self.body.setFont(font)
            if factor <= 0.75 or width <= 0 or self.body.heightForWidth(width) <= height:
                break
            factor -= 0.05

    def _show_entries(self) -> None:
        self.entries.clear()
        for entry in self.run.entries:
            if entry.section == self.run.current:
                self.entries.addItem(_entry_text(entry))
        rows = min(self.entries.count(), 4)
        self.entries.setVisible(rows > 0)
        self.entries.setFixedHeight(self.entries.fontMetrics().lineSpacing() * rows + 10)

    def _update_timer(self) -> None:
        if not self.run.count:
            self.timer_label.setText("")
            return
        left = self.run.remaining()
        if left >= 0:
            self.timer_label.setText(_tr("{t} left").format(t=format_clock(left)))
            set_tone(self.timer_label, "")
        else:
            self.timer_label.setText(_tr("{t} over").format(t="+" + format_clock(-left)))
            set_tone(self.timer_label, "error")

    def _apply_curtain(self) -> None:
        for card in self.cards:
            card.set_curtain(self._curtain)
        if self._curtain:
            self.curtain_label.setText(_tr("Curtain closed: safe to share"))
            set_tone(self.curtain_label, "good")
        else:
            self.curtain_label.setText(_tr("Curtain open: internal notes visible"))
            set_tone(self.curtain_label, "error")

    # ---- input ------------------------------------------------------------------------------

    @property
    def note_line_open(self) -> bool:
        return self.entry.isVisible()

    def open_note_line(self) -> None:
        """Show the note line and type into it; the presentation keys wait until it closes."""
        self.entry.setVisible(True)
        self.entry.setFocus(Qt.FocusReason.ShortcutFocusReason)
        QTimer.singleShot(0, self._fit_body)  # the prompts have a line less of room

    def close_note_line(self) -> None:
        """Hide the note line (what is typed in it stays for next time) and give the keys back."""
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.entry.setVisible(False)
        QTimer.singleShot(0, self._fit_body)

    def _add_entry(self) -> None:
        entry = self.run.add(self.entry.text())
        self.entry.clear()
        if entry is not None:
            self._show_entries()
        self.close_note_line()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        keys = (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if (
            watched is self.entry
            and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and isinstance(event, QKeyEvent)
            and event.key() in keys
        ):
            # Handled here rather than through returnPressed: the line edit passes Enter on to
            # its parent, which would open the line again. Esc only closes the line; ending
            # the session is a second Esc. Claiming the override keeps any shortcut on these
            # keys from acting first.
            if event.type() == QEvent.Type.KeyPress:
                if event.key() == Qt.Key.Key_Escape:
                    self.close_note_line()
                else:
                    self._add_entry()
            event.accept()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods & Qt.KeyboardModifier.ControlModifier:
            if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
                self.set_scale(self._scale * 1.15)
                return
            if key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
                self.set_scale(self._scale / 1.15)
                return
            if key == Qt.Key.Key_0:
                self.set_scale(1.0)
                return
        if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Down):
            self.go(self.run.current + 1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up, Qt.Key.Key_Backspace):
            self.go(self.run.current - 1)
        elif key == Qt.Key.Key_Home:
            self.go(0)
        elif key == Qt.Key.Key_End:
            self.go(self.run.count - 1)
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.go(key - Qt.Key.Key_1)
        elif key in (Qt.Key.Key_N, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_note_line()
        elif key == Qt.Key.Key_C:
            self.set_curtain(not self._curtain)
        elif key == Qt.Key.Key_P:
            self.cards_scroll.setVisible(not self.cards_scroll.isVisible())
            QTimer.singleShot(0, self._fit_body)
        elif key == Qt.Key.Key_Escape:
            self.request_end()
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_fonts()
        QTimer.singleShot(0, self._fit_body)

    # ---- ending -----------------------------------------------------------------------------

    def request_end(self) -> None:
        """Ask whether to save the session, keep going, or discard it."""
        box = QMessageBox(self)
        box.setWindowTitle(_tr("End the session?"))
        box.setText(_tr("End the session and save its summary to the plan?"))
        notes = sum(1 for e in self.run.entries if not e.is_commitment)
        commitments = len(self.run.entries) - notes
        box.setInformativeText(
            _tr("Captured so far: {notes} and {commitments}. Commitments become records.").format(
                notes=plural(notes, _tr("{n} note"), _tr("{n} notes")),
                commitments=plural(commitments, _tr("{n} commitment"), _tr("{n} commitments")),
            )
        )
        save = box.addButton(_tr("End and save"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_tr("Keep going"), QMessageBox.ButtonRole.RejectRole)
        discard = box.addButton(_tr("Discard session"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save:
            self.end(save=True)
        elif clicked is discard:
            self.end(save=False)

    def end(self, *, save: bool = True) -> CoachingSession | None:
        """Finish: save the summary and commitments (unless discarding) and close."""
        if self._ended:
            return self.saved_session
        self._tick.stop()
        if save:
            session, commitments = self.run.finish(owner=self._owner, due_on=_default_due())
            try:
                stored = self._save(session, commitments)
            except RenewalCoachError as exc:
                show_expected_error(
                    self,
                    _tr("The session could not be saved; it stays open so nothing is lost."),
                    exc,
                )
                self._tick.start()
                return None
            self.saved_session = stored[0] if stored else session
        self._ended = True
        self.finished.emit(self.saved_session)
        self.close()
        return self.saved_session

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._ended and self.run.entries:
            # Closed by the window manager with notes captured: save rather than lose them.
            self.end(save=True)
            if not self._ended:  # the save failed: stay open
                event.ignore()
                return
        self._ended = True
        self._tick.stop()
        super().closeEvent(event)


def _entry_text(entry: Entry) -> str:
    if entry.party is Party.US:
        return _tr("We commit: {t}").format(t=entry.text)
    if entry.party is Party.CUSTOMER:
        return _tr("They commit: {t}").format(t=entry.text)
    return _tr("Note: {t}").format(t=entry.text)


def _default_due() -> date:
    """Commitments made in a session are due in two weeks unless someone changes them."""
    from datetime import timedelta

    return date.today() + timedelta(days=14)
