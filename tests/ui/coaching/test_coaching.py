"""Coaching mode on a shared screen: keys, timer, curtain, capture, and the saved summary."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from renewal_coach.core.coaching import format_clock, parse_entry
from renewal_coach.core.enums import Attitude, Party
from renewal_coach.core.plans import build_plan, prep_cards
from renewal_coach.core.playbooks import load_library
from renewal_coach.storage.plan_store import load_context, save_plan, save_session
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import load_sample
from renewal_coach.ui.coaching.presentation import CoachingWindow

TODAY = date(2026, 11, 23)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_window(qtbot, store: Store, clock: FakeClock):
    load_sample(store, TODAY)
    account = next(
        a for a in store.accounts.all() if len(store.stakeholders.for_account(a.id)) >= 2
    )
    ctx = load_context(store, account.id)
    # Make sure one attendee carries internal data the curtain must hide.
    person = ctx.stakeholders[0]
    person.attitude = Attitude.OPPONENT
    person.win_personal = "SECRET-PERSONAL-WIN"
    plan = save_plan(
        store,
        build_plan(
            load_library().get("discovery"),
            ctx,
            contract_id=ctx.contracts[0].id if ctx.contracts else None,
            meeting_date=TODAY,
            attendee_ids=[s.id for s in ctx.stakeholders[:2]],
        ),
    )
    saved: list = []

    def save(session, commitments):
        saved.append(save_session(store, session, commitments))

    window = CoachingWindow(
        plan, prep_cards(plan, ctx, TODAY), ctx.goals, save, clock=clock, owner="Priya"
    )
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    # No setFocus() here: the keys must work wherever the window itself put the focus.
    return window, plan, saved


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key as a person presses it: to whichever widget has the focus."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifier)


def type_text(qtbot, text: str) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClicks(focused, text)


def test_keys_move_between_sections(qtbot, store: Store) -> None:
    window, plan, _ = make_window(qtbot, store, FakeClock())
    assert window.title.text() == plan.sections[0]["title"]
    press(qtbot, Qt.Key.Key_Right)
    assert window.run.current == 1
    press(qtbot, Qt.Key.Key_Space)
    assert window.run.current == 2
    assert window.title.text() == plan.sections[2]["title"]
    press(qtbot, Qt.Key.Key_Left)
    assert window.run.current == 1
    press(qtbot, Qt.Key.Key_5)
    assert window.run.current == 4
    press(qtbot, Qt.Key.Key_End)
    assert window.run.current == len(plan.sections) - 1
    press(qtbot, Qt.Key.Key_Right)  # already at the end: stays
    assert window.run.current == len(plan.sections) - 1
    press(qtbot, Qt.Key.Key_Home)
    assert window.run.current == 0
    assert "[1]" in window.strip.text()


def test_the_timer_shows_time_left_then_overrun(qtbot, store: Store) -> None:
    clock = FakeClock()
    window, plan, _ = make_window(qtbot, store, clock)
    minutes = plan.sections[0]["minutes"]  # discovery opens with 5 minutes
    clock.now += 90
    window._update_timer()
    assert window.timer_label.text() == f"{format_clock(minutes * 60 - 90)} left"
    clock.now += minutes * 60  # 90 s past the end of the section
    window._update_timer()
    assert window.timer_label.text() == "+1:30 over"
    press(qtbot, Qt.Key.Key_Right)  # a fresh section has its own clock
    window._update_timer()
    assert window.timer_label.text().endswith("left")
    assert round(window.run.elapsed(0)) == 90 + minutes * 60


def test_the_curtain_is_closed_by_default_and_hides_internal_data(qtbot, store: Store) -> None:
    window, _, _ = make_window(qtbot, store, FakeClock())
    press(qtbot, Qt.Key.Key_P)  # presenter view with prep cards
    assert window.cards_scroll.isVisible()
    assert window.curtain_closed
    internal = [label for card in window.cards for label in card.internal]
    assert internal and all(not label.isVisible() for label in internal)
    visible_text = " ".join(
        label.text() for card in window.cards for label in card.public if label.isVisible()
    )
    assert "SECRET-PERSONAL-WIN" not in visible_text and "Opponent" not in visible_text
    press(qtbot, Qt.Key.Key_C)
    assert not window.curtain_closed
    assert any(label.isVisible() and "SECRET-PERSONAL-WIN" in label.text() for label in internal)
    assert "internal notes visible" in window.curtain_label.text()


def test_typing_notes_and_commitments_then_ending_saves_them(qtbot, store: Store) -> None:
    clock = FakeClock()
    window, plan, saved = make_window(qtbot, store, clock)
    assert not window.note_line_open
    press(qtbot, Qt.Key.Key_N)
    assert window.note_line_open and QApplication.focusWidget() is window.entry
    assert window.entry.text() == ""  # the N opened the line; it was not typed into it
    type_text(qtbot, "They want fewer site visits")
    press(qtbot, Qt.Key.Key_Return)
    # Enter saved the note and gave the keys back: → moves on, N opens the line again.
    assert not window.note_line_open and QApplication.focusWidget() is window
    press(qtbot, Qt.Key.Key_N)
    type_text(qtbot, "we: send the visit schedule")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_N)
    type_text(qtbot, "they: share the depot map")
    press(qtbot, Qt.Key.Key_Return)
    assert [window.entries.item(i).text() for i in range(window.entries.count())] == [
        "Note: They want fewer site visits",
        "We commit: send the visit schedule",
        "They commit: share the depot map",
    ]
    press(qtbot, Qt.Key.Key_Right)
    assert window.run.current == 1
    assert window.entries.count() == 0  # entries are shown with their section
    clock.now += 600
    with qtbot.waitSignal(window.finished):
        window.end(save=True)
    session, commitments = saved[0]
    stored = store.coaching_sessions.get(session.id)
    assert stored.plan_id == plan.id
    assert stored.summary["duration_seconds"] == 600
    assert stored.notes == "They want fewer site visits"
    assert [c.party for c in commitments] == [Party.US, Party.CUSTOMER]
    in_db = store.commitments.where("session_id = ?", [session.id])
    assert sorted(c.description for c in in_db) == [
        "send the visit schedule",
        "share the depot map",
    ]
    assert next(c for c in in_db if c.party is Party.US).owner == "Priya"


def test_the_presentation_starts_with_its_keys_working(qtbot, store: Store) -> None:
    window, plan, _ = make_window(qtbot, store, FakeClock())
    assert QApplication.focusWidget() is window
    press(qtbot, Qt.Key.Key_Right)
    assert window.run.current == 1
    assert window.title.text() == plan.sections[1]["title"]
    press(qtbot, Qt.Key.Key_C)
    assert not window.curtain_closed


def test_esc_in_the_note_line_closes_the_line_before_offering_to_end(
    qtbot, store: Store, monkeypatch
) -> None:
    window, _, _ = make_window(qtbot, store, FakeClock())
    asked: list[bool] = []
    monkeypatch.setattr(window, "request_end", lambda: asked.append(True))
    press(qtbot, Qt.Key.Key_N)
    type_text(qtbot, "half a thought")
    press(qtbot, Qt.Key.Key_Escape)
    assert asked == [] and not window.note_line_open
    assert QApplication.focusWidget() is window
    assert window.run.entries == []  # nothing saved, and the draft is kept for later
    press(qtbot, Qt.Key.Key_N)
    assert window.entry.text() == "half a thought"
    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_Escape)  # now outside the line: this one offers to end
    assert asked == [True]


def test_type_grows_with_the_window_and_can_be_adjusted(qtbot, store: Store) -> None:
    window, _, _ = make_window(qtbot, store, FakeClock())
    window.resize(1280, 720)
    small = window.title.font().pointSizeF()
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.title.font().pointSizeF() > small)
    big = window.title.font().pointSizeF()
    press(qtbot, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.title.font().pointSizeF() > big


def test_typed_lines_are_read_as_notes_or_commitments() -> None:
    assert parse_entry(0, "  ") is None
    assert parse_entry(0, "we:") is None
    assert parse_entry(2, "They: send figures").party is Party.CUSTOMER
    assert parse_entry(2, "US: book the workshop").text == "book the workshop"
    note = parse_entry(1, "weather was bad\x07")
    assert note.party is None and note.text == "weather was bad"
    assert format_clock(3725) == "1:02:05" and format_clock(-5) == "0:00"


@pytest.mark.parametrize("size", [(1440, 900), (1920, 1080)])
def test_the_key_hint_is_one_line_when_the_screen_has_room(qtbot, store: Store, size) -> None:
    # Seen full screen at 1440×900: the hint stood in three lines in a narrow column beside
    # the section numbers with half the width of the screen free.
    window, _, _ = make_window(qtbot, store, FakeClock())
    window.resize(*size)
    qtbot.waitUntil(lambda: window.help.width() > 0)
    qtbot.wait(20)
    line = window.help.fontMetrics().lineSpacing()
    assert window.help.height() < 2 * line, window.help.width()
    plain = window.help.text().replace("\u00a0", " ").replace("\u2060", "")
    assert window.help.fontMetrics().horizontalAdvance(plain) <= window.help.width()
