"""What a calendar export writes (issue 15): items, their words, and the plan against what
earlier exports wrote, checked without a database."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace as NS

from renewal_coach.core import models as m
from renewal_coach.core.calendar_items import (
    DEADLINE_DONE,
    MILESTONE_DONE,
    CalendarItem,
    Remembered,
    calendar_items,
    in_scope,
    make_uid,
    notice_line,
    plan_export,
)
from renewal_coach.core.deadlines import AgendaAccount, AgendaContract, DeadlineSettings
from renewal_coach.core.enums import ContractStatus
from renewal_coach.core.scoring.timeline import MILESTONES

TODAY = date(2026, 12, 7)
END = date(2028, 6, 7)
NOW = "2026-12-07T09:00:00+00:00"
LATER = "2026-12-08T09:00:00+00:00"


def item(uid: str, due: date, summary: str = "A", alarms=(7,)) -> CalendarItem:
    return CalendarItem(uid, "a1", due, summary, "words", "Contract deadline", alarms)


def remembered(it: CalendarItem, sequence=0, status="active", digest=None) -> Remembered:
    return Remembered(
        it.uid, it.account_id, it.due, it.summary, digest or it.content_hash, sequence, status,
        NOW, NOW,
    )  # fmt: skip


def test_every_milestone_and_deadline_has_words_for_done():
    assert set(MILESTONE_DONE) == set(MILESTONES)
    assert set(DEADLINE_DONE) == {"notice", "option", "market", "decision", "end"}


def test_notice_line_depends_on_dates_only():
    notice = date(2027, 3, 1)
    assert notice_line(date(2027, 2, 27), notice) == (
        "On this day 2 days of notice time remain: the notice deadline is 1 March 2027."
    )
    assert notice_line(date(2027, 2, 28), notice).startswith("On this day 1 day of notice")
    assert notice_line(notice, notice).startswith("This is the notice deadline itself")
    assert "has passed" in notice_line(date(2027, 3, 2), notice)
    assert notice_line(notice, None) == "No notice deadline is recorded for this contract."


def test_items_for_live_contracts_open_milestones_and_open_commitments():
    account = AgendaAccount("a1", "Alder", "Priya")
    live = m.Contract(
        id="c1", account_id="a1", title="T", reference="R", start_date=date(2024, 1, 1),
        end_date=date(2027, 6, 30), notice_period_days=30,
    )  # fmt: skip
    closed = m.Contract(
        id="c2", account_id="a1", title="T", reference="R0", start_date=date(2020, 1, 1),
        end_date=date(2027, 1, 1), status=ContractStatus.LOST,
    )  # fmt: skip
    milestones = tuple(
        NS(code=code, occurrence=0, label=code, due=TODAY + timedelta(days=5), status=s, owner="")
        for code, s in (("M5", "upcoming"), ("M6", "done"), ("M4", "before_tracking"),
                        ("M7", "overdue"))
    )  # fmt: skip
    commitments = [
        NS(id="k1", account_id="a1", party="us", description="Send it\nwith more", owner="",
           due_on=TODAY, done_on=None),
        NS(id="k2", account_id="a1", party="customer", description="Done one", owner="",
           due_on=TODAY, done_on=TODAY),
        NS(id="k3", account_id="a1", party="customer", description="No date", owner="",
           due_on=None, done_on=None),
        NS(id="k4", account_id="other", party="us", description="Not ours", owner="",
           due_on=TODAY, done_on=None),
    ]  # fmt: skip
    got = calendar_items(
        accounts=[account],
        contracts={"a1": [AgendaContract(live, milestones), AgendaContract(closed, milestones)]},
        commitments=commitments,
        settings=DeadlineSettings(),
    )
    uids = {i.uid for i in got}
    assert uids == {
        make_uid("c1", "notice"),
        make_uid("c1", "end"),
        make_uid("c1", "M5", 0),
        make_uid("c1", "M7", 0),
        make_uid("k1", "commitment"),
    }
    ours = next(i for i in got if i.uid.startswith("k1"))
    assert ours.summary == "Alder – we owe: Send it"
    assert "Send it\nwith more" in ours.description
    notice = next(i for i in got if i.uid == make_uid("c1", "notice"))
    assert notice.alarm_days == (30, 7) and notice.summary == "Alder (R): Notice deadline"


def test_plan_new_unchanged_changed_and_outside_the_window():
    inside = item("in@x", TODAY + timedelta(days=3))
    later = item("later@x", END + timedelta(days=1))
    past = item("past@x", TODAY - timedelta(days=1))
    plan = plan_export([inside, later, past], {}, start=TODAY, end=END, now=NOW)
    assert [(e.uid, e.sequence, e.change) for e in plan.events] == [("in@x", 0, "new")]

    moved = item("later@x", END + timedelta(days=2))
    old = {inside.uid: remembered(inside, 2), later.uid: remembered(later, 0)}
    plan = plan_export([inside, moved], old, start=TODAY, end=END, now=LATER)
    got = {e.uid: (e.sequence, e.change, e.last_modified) for e in plan.events}
    assert got == {"in@x": (2, "unchanged", NOW), "later@x": (1, "changed", LATER)}
    assert plan.counts["unchanged"] == 1 and plan.counts["changed"] == 1

    reworded = item("in@x", inside.due, "B")
    realarmed = item("in@x", inside.due, alarms=(14,))
    for changed in (reworded, realarmed):
        plan = plan_export(
            [changed], {inside.uid: old[inside.uid]}, start=TODAY, end=END, now=LATER
        )
        assert [(e.sequence, e.change) for e in plan.events] == [(3, "changed")]


def test_plan_cancels_what_has_gone_in_scope_once_and_revives():
    gone = item("gone@x", TODAY + timedelta(days=3))
    other = CalendarItem("other@x", "a2", TODAY, "O", "w", "Commitment", ())
    old = {gone.uid: remembered(gone, 4), other.uid: remembered(other)}
    plan = plan_export([], old, start=TODAY, end=END, now=LATER, covers=lambda a: a == "a1")
    assert [(e.uid, e.sequence, e.change, e.cancelled) for e in plan.events] == [
        ("gone@x", 5, "cancelled", True)
    ]
    old[gone.uid] = remembered(gone, 5, "cancelled")
    mine = lambda a: a == "a1"  # noqa: E731
    assert plan_export([], old, start=TODAY, end=END, now=LATER, covers=mine).empty
    plan = plan_export([gone], old, start=TODAY, end=END, now=LATER, covers=mine)
    assert [(e.sequence, e.change, e.cancelled) for e in plan.events] == [(6, "revived", False)]
    # Cancelled and now outside the window: left alone.
    far = item("gone@x", END + timedelta(days=9))
    assert plan_export([far], {gone.uid: old[gone.uid]}, start=TODAY, end=END, now=LATER).empty


def test_scope_of_remembered_events():
    known = {"a1", "a2"}
    assert in_scope("a1", scope_ids={"a1"}, known_ids=known, single_account=True)
    assert not in_scope("a2", scope_ids={"a1"}, known_ids=known, single_account=False)
    assert in_scope("deleted", scope_ids={"a1"}, known_ids=known, single_account=False)
    assert not in_scope("deleted", scope_ids={"a1"}, known_ids=known, single_account=True)


def test_items_far_ahead_are_only_counted_and_never_cancelled():
    account = AgendaAccount("a1", "Alder", "")
    c = m.Contract(
        id="c1", account_id="a1", title="T", reference="R", start_date=date(2024, 1, 1),
        end_date=date(2031, 6, 30),
    )  # fmt: skip
    seen: set[str] = set()
    got = calendar_items(
        accounts=[account],
        contracts={"a1": [AgendaContract(c, ())]},
        settings=DeadlineSettings(),
        keep=lambda uid, due: due <= END,
        seen=seen,
    )
    assert got == [] and seen == {make_uid("c1", "end")}
    far = item(make_uid("c1", "end"), date(2031, 6, 30))
    old = {far.uid: remembered(far)}
    assert plan_export([], old, start=TODAY, end=END, now=LATER, still_open=seen).empty
    assert plan_export([], old, start=TODAY, end=END, now=LATER).cancellations
