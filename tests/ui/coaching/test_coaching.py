"""Coaching mode on a shared screen: keys, timer, curtain, capture, and the saved summary."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

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
    window.setFocus()
    return window, plan, saved


def test_keys_move_between_sections(qtbot, store: Store) -> None:
    window, plan, _ = make_window(qtbot, store, FakeClock())
    assert window.title.text() == plan.sections[0]["title"]
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.run.current == 1
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.run.current == 2
    assert window.title.text() == plan.sections[2]["title"]
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.run.current == 1
    qtbot.keyClick(window, Qt.Key.Key_5)
    assert window.run.current == 4
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert window.run.current == len(plan.sections) - 1
    qtbot.keyClick(window, Qt.Key.Key_Right)  # already at the end: stays
    assert window.run.current == len(plan.sections) - 1
    qtbot.keyClick(window, Qt.Key.Key_Home)
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
    qtbot.keyClick(window, Qt.Key.Key_Right)  # a fresh section has its own clock
    window._update_timer()
    assert window.timer_label.text().endswith("left")
    assert round(window.run.elapsed(0)) == 90 + minutes * 60


def test_the_curtain_is_closed_by_default_and_hides_internal_data(qtbot, store: Store) -> None:
    window, _, _ = make_window(qtbot, store, FakeClock())
    qtbot.keyClick(window, Qt.Key.Key_P)  # presenter view with prep cards
    assert window.cards_scroll.isVisible()
    assert window.curtain_closed
    internal = [label for card in window.cards for label in card.internal]
    assert internal and all(not label.isVisible() for label in internal)
    visible_text = " ".join(
        label.text() for card in window.cards for label in card.public if label.isVisible()
    )
    assert "SECRET-PERSONAL-WIN" not in visible_text and "Opponent" not in visible_text
    qtbot.keyClick(window, Qt.Key.Key_C)
    assert not window.curtain_closed
    assert any(label.isVisible() and "SECRET-PERSONAL-WIN" in label.text() for label in internal)
    assert "internal notes visible" in window.curtain_label.text()


def test_typing_notes_and_commitments_then_ending_saves_them(qtbot, store: Store) -> None:
    clock = FakeClock()
    window, plan, saved = make_window(qtbot, store, clock)
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert window.entry.hasFocus()
    qtbot.keyClicks(window.entry, "They want fewer site visits")
    qtbot.keyClick(window.entry, Qt.Key.Key_Return)
    qtbot.keyClicks(window.entry, "we: send the visit schedule")
    qtbot.keyClick(window.entry, Qt.Key.Key_Return)
    qtbot.keyClicks(window.entry, "they: share the depot map")
    qtbot.keyClick(window.entry, Qt.Key.Key_Return)
    assert window.entries.count() == 3
    assert window.entries.item(1).text() == "We commit: send the visit schedule"
    qtbot.keyClick(window.entry, Qt.Key.Key_Escape)  # back to the presentation
    assert not window.entry.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_Right)
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


def test_type_grows_with_the_window_and_can_be_adjusted(qtbot, store: Store) -> None:
    window, _, _ = make_window(qtbot, store, FakeClock())
    window.resize(1280, 720)
    small = window.title.font().pointSizeF()
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.title.font().pointSizeF() > small)
    big = window.title.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.title.font().pointSizeF() > big


def test_typed_lines_are_read_as_notes_or_commitments() -> None:
    assert parse_entry(0, "  ") is None
    assert parse_entry(0, "we:") is None
    assert parse_entry(2, "They: send figures").party is Party.CUSTOMER
    assert parse_entry(2, "US: book the workshop").text == "book the workshop"
    note = parse_entry(1, "weather was bad\x07")
    assert note.party is None and note.text == "weather was bad"
    assert format_clock(3725) == "1:02:05" and format_clock(-5) == "0:00"
