"""Deadlines of a contract and the agenda (DOMAIN.md 5a), checked against dates worked by hand."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace as NS

import pytest

from renewal_coach.core import models as m
from renewal_coach.core.deadlines import (
    AgendaAccount,
    AgendaContract,
    DeadlineSettings,
    PersonRhythm,
    build_agenda,
    contract_deadlines,
    days_left,
    notice_deadline,
    nudge_line,
    nudges,
    owner_matches,
    when_state,
    when_words,
)
from renewal_coach.core.enums import ContractStatus, Party
from renewal_coach.core.errors import ValidationError


def contract(**kw) -> m.Contract:
    base = dict(
        account_id="a1",
        title="Facilities",
        reference="FM-1",
        start_date=date(2024, 3, 1),
        end_date=date(2027, 2, 28),
        annual_value_minor=100_000_00,
    )
    base.update(kw)
    return m.Contract(**base)


@pytest.mark.parametrize(
    ("end", "period", "expected"),
    [
        # across a year end: 90 days before 31 Jan 2027 is 2 Nov 2026
        (date(2027, 1, 31), 90, date(2026, 11, 2)),
        # onto the leap day: 29 Feb 2028 is 1 day before 1 Mar 2028
        (date(2028, 3, 1), 1, date(2028, 2, 29)),
        # across a leap day: 30 days before 15 Mar 2028 is 14 Feb 2028 (29 days in February)
        (date(2028, 3, 15), 30, date(2028, 2, 14)),
        # no leap day: 30 days before 15 Mar 2027 is 13 Feb 2027
        (date(2027, 3, 15), 30, date(2027, 2, 13)),
        # a whole year across the leap day is 366 days
        (date(2029, 1, 1), 366, date(2028, 1, 1)),
    ],
)
def test_notice_deadline_is_end_date_less_the_period(end, period, expected):
    c = contract(start_date=date(2020, 1, 1), end_date=end, notice_period_days=period)
    assert notice_deadline(c) == expected
    assert c.effective_notice_deadline() == expected  # the model agrees with the rule


def test_stated_notice_deadline_wins_and_none_without_either():
    c = contract(notice_period_days=90, notice_deadline=date(2026, 9, 30))
    assert notice_deadline(c) == date(2026, 9, 30)
    assert notice_deadline(contract()) is None


def test_contract_deadlines_every_kind_soonest_first():
    c = contract(
        notice_period_days=180,
        extension_months=12,
        extension_exercise_by=date(2026, 8, 1),
        market_approach_date=date(2026, 6, 1),
        decision_date=date(2026, 11, 30),
    )
    got = [(d.kind, d.due) for d in contract_deadlines(c)]
    assert got == [
        ("market", date(2026, 6, 1)),
        ("option", date(2026, 8, 1)),
        ("notice", date(2026, 9, 1)),  # 28 Feb 2027 less 180 days
        ("decision", date(2026, 11, 30)),
        ("end", date(2027, 2, 28)),
    ]
    assert [d.hard for d in contract_deadlines(c)] == [False, True, True, False, False]


def test_words_say_near_today_and_passed_with_a_symbol():
    today = date(2026, 12, 7)
    assert days_left(date(2027, 1, 1), today) == 25
    assert when_words(date(2026, 12, 19), today) == "⚠ in 12 days"
    assert when_words(date(2026, 12, 8), today) == "⚠ tomorrow"
    assert when_words(today, today) == "● today"
    assert when_words(date(2026, 12, 6), today) == "✕ passed yesterday"
    assert when_words(date(2026, 12, 4), today) == "✕ passed 3 days ago"
    far = today + timedelta(days=91)
    assert when_words(far, today) == "in 91 days"
    assert when_state(far, today) == "later"
    assert when_state(today + timedelta(days=90), today) == "near"
    assert when_words(far, today, near_days=120).startswith("⚠")


def test_owner_matches_whole_words_ignoring_case():
    assert owner_matches("Priya Shah", "priya")
    assert owner_matches("Priya Shah", "SHAH priya")
    assert not owner_matches("Joanna Reed", "ann")
    assert owner_matches("anyone", "")
    assert owner_matches("Shah, Priya", "priya")


def _milestone(code, due, status, label="Value review"):
    return NS(
        code=code,
        occurrence=0,
        label=label,
        done_means="held",
        due=due,
        status=status,
        owner="",
    )


def _agenda_world(today):
    accounts = [
        AgendaAccount("a1", "Alder Foods", "Priya Shah"),
        AgendaAccount("a2", "Birch Rail", "Tom Kerr"),
    ]
    near = contract(
        id="c1",
        account_id="a1",
        end_date=today + timedelta(days=100),
        notice_deadline=today + timedelta(days=5),
    )
    lost = contract(
        id="c2",
        account_id="a2",
        reference="BR-1",
        end_date=today + timedelta(days=3),
        status=ContractStatus.LOST,
    )
    far = contract(id="c3", account_id="a2", reference="BR-2", end_date=today + timedelta(days=400))
    contracts = {
        "a1": [
            AgendaContract(
                near,
                (
                    _milestone("M5", today - timedelta(days=3), "overdue", "Readiness check 1"),
                    _milestone("M1", today - timedelta(days=400), "before_tracking"),
                    _milestone("M2", today - timedelta(days=30), "done"),
                    _milestone("M6", today + timedelta(days=10), "due", "Next-term plan"),
                    _milestone("M7", today + timedelta(days=40), "upcoming"),
                ),
            )
        ],
        "a2": [AgendaContract(lost), AgendaContract(far)],
    }
    commitments = [
        NS(
            id="k1",
            account_id="a1",
            party=Party.US,
            description="Send the report\nwith details",
            owner="Priya",
            due_on=today + timedelta(days=2),
            done_on=None,
        ),
        NS(
            id="k2",
            account_id="a2",
            party=Party.CUSTOMER,
            description="Name the approver",
            owner="",
            due_on=today - timedelta(days=1),
            done_on=None,
        ),
        NS(
            id="k3",
            account_id="a2",
            party=Party.US,
            description="Done already",
            owner="",
            due_on=today,
            done_on=today,
        ),
        NS(
            id="k4",
            account_id="a2",
            party=Party.US,
            description="No date",
            owner="",
            due_on=None,
            done_on=None,
        ),
    ]
    people = [
        PersonRhythm("p1", "a2", "Ola", 14, today - timedelta(days=20), date(2020, 1, 1)),
        PersonRhythm("p2", "a2", "Kit", 30, today - timedelta(days=2), date(2020, 1, 1)),
        PersonRhythm("p3", "a1", "New", 21, None, today - timedelta(days=10)),
    ]
    concerns = [
        NS(
            id="q1",
            account_id="a1",
            contract_id=None,
            description="Serious",
            severity=1,
            opened_on=today - timedelta(days=31),
            resolved_on=None,
        ),
        NS(
            id="q2",
            account_id="a2",
            contract_id=None,
            description="Minor but old",
            severity=3,
            opened_on=today - timedelta(days=31),
            resolved_on=None,
        ),
        NS(
            id="q3",
            account_id="a2",
            contract_id=None,
            description="Resolved",
            severity=1,
            opened_on=today - timedelta(days=300),
            resolved_on=today - timedelta(days=1),
        ),
    ]
    return dict(
        accounts=accounts,
        contracts=contracts,
        commitments=commitments,
        people=people,
        concerns=concerns,
    )


def test_agenda_groups_what_is_due_and_overdue():
    today = date(2026, 12, 7)
    agenda = build_agenda(today=today, **_agenda_world(today))
    got = {key: [(i.title, i.due) for i in items] for key, _h, items in agenda.groups()}
    assert got == {
        "deadline": [("Notice deadline", today + timedelta(days=5))],
        "milestone": [
            ("Readiness check 1", today - timedelta(days=3)),
            ("Next-term plan", today + timedelta(days=10)),
        ],
        "ours": [("Send the report", today + timedelta(days=2))],
        "theirs": [("Name the approver", today - timedelta(days=1))],
        "rhythm": [
            ("Ola: every 14 days", today - timedelta(days=6)),
            ("New: every 21 days", today + timedelta(days=11)),
        ],
        "concern": [("Serious", today - timedelta(days=1))],
    }
    assert agenda.overdue_count() == 4
    assert agenda.summary() == "8 things to see to in the next 14 days, 4 of them overdue."
    # the lost contract's end date (in 3 days) is not a deadline any more
    assert all(i.reference != "BR-1" for i in agenda.items)
    first = agenda.items[0]
    assert first.when(today) == "⚠ in 5 days"
    assert agenda.groups()[1][2][0].when(today) == "✕ 3 days overdue"


def test_agenda_window_and_concern_limits_are_settings():
    today = date(2026, 12, 7)
    wide = build_agenda(today=today, days=58, **_agenda_world(today))
    assert "Minor but old" not in [i.title for i in wide.items]  # due 59 days from now
    wider = build_agenda(today=today, days=59, **_agenda_world(today))
    assert "Minor but old" in [i.title for i in wider.items]
    strict = build_agenda(
        today=today,
        settings=DeadlineSettings(concern_other_days=30),
        **_agenda_world(today),
    )
    assert "Minor but old" in [i.title for i in strict.items]
    assert [i.code for i in wide.items if i.group == "milestone"] == ["M5", "M6", "M7"]


def test_agenda_owner_filter_and_the_calm_empty_line():
    today = date(2026, 12, 7)
    mine = build_agenda(today=today, owner="priya", **_agenda_world(today))
    assert {i.account for i in mine.items} == {"Alder Foods"}
    nobody = build_agenda(today=today, owner="Zed", **_agenda_world(today))
    assert nobody.empty
    assert nobody.summary() == "Nothing needs you in the next 14 days on Zed's accounts."
    empty = build_agenda(today=today, accounts=[], contracts={})
    assert empty.summary() == "Nothing needs you in the next 14 days."
    assert empty.to_json()["groups"] == []


def test_passed_deadlines_stay_a_week():
    today = date(2026, 12, 7)
    c = contract(id="c1", end_date=today + timedelta(days=300))
    c.notice_deadline = today - timedelta(days=7)
    world = dict(
        accounts=[AgendaAccount("a1", "Alder")],
        contracts={"a1": [AgendaContract(c)]},
    )
    assert [i.title for i in build_agenda(today=today, **world).items] == ["Notice deadline"]
    c.notice_deadline = today - timedelta(days=8)
    assert build_agenda(today=today, **world).empty


def test_a_deadline_shows_the_title_only_when_it_says_more_than_the_reference():
    today = date(2026, 12, 7)
    bare = contract(id="c1", title="fm-1", end_date=today + timedelta(days=3))
    named = contract(id="c2", reference="FM-2", end_date=today + timedelta(days=4))
    agenda = build_agenda(
        today=today,
        accounts=[AgendaAccount("a1", "Alder")],
        contracts={"a1": [AgendaContract(bare), AgendaContract(named)]},
    )
    assert [(i.reference, i.detail) for i in agenda.items] == [
        ("FM-1", ""),
        ("FM-2", "Facilities"),
    ]


def test_nudge_names_the_soonest_notice_or_option_date():
    today = date(2026, 12, 7)
    a = contract(reference="A-1", end_date=today + timedelta(days=200), notice_period_days=190)
    b = contract(
        reference="B-1",
        end_date=today + timedelta(days=300),
        extension_months=12,
        extension_exercise_by=today + timedelta(days=30),
        decision_date=today + timedelta(days=2),  # a decision date is not nudged
    )
    c = contract(reference="C-1", end_date=today + timedelta(days=300), notice_period_days=260)
    found = nudges([("Alder", a), ("Birch", b), ("Cedar", c)], today)
    assert [(n, x.reference, d.kind) for n, x, d in found] == [
        ("Alder", "A-1", "notice"),
        ("Birch", "B-1", "option"),
    ]
    line = nudge_line(found, today)
    assert line == (
        "Notice deadline for Alder (A-1): in 10 days; 1 more notice or option date within 30 days."
    )
    assert nudge_line([], today) == ""


def test_settings_round_trip_and_refuse_nonsense():
    s = DeadlineSettings(agenda_days=21, alarm_days_hard=(45, 14, 1))
    assert DeadlineSettings.from_json(s.to_json()) == s
    with pytest.raises(ValidationError):
        DeadlineSettings.from_json('{"agenda_days": 0}')
    with pytest.raises(ValidationError):
        DeadlineSettings.from_json('{"alarm_days_other": [1, 2, 3, 4, 5, 6]}')
    with pytest.raises(ValidationError):
        DeadlineSettings.from_json("[]")
    with pytest.raises(ValidationError):
        DeadlineSettings.from_json("{not json")
    assert DeadlineSettings.from_json('{"unknown": 1}') == DeadlineSettings()
    assert DeadlineSettings.parse_days("7, 30; 7") == (30, 7)
    with pytest.raises(ValidationError, match="not a number"):
        DeadlineSettings.parse_days("7, soon")


# ---- notice periods given in months (issue 15) ---------------------------------------------
# A contract keeps its notice period in days; a period written in months ("3 months") is
# imported at the average month length (tables.values.parse_whole: 30.436875 days a month,
# to the nearest day). The dates below are worked out by hand.


@pytest.mark.parametrize(
    ("end", "months", "days", "expected"),
    [
        # 3 months = 91 days before the leap day 29 Feb 2028: 30 Nov 2027
        (date(2028, 2, 29), "3 months", 91, date(2027, 11, 30)),
        # 12 months = 365 days before 29 Feb 2028: 1 Mar 2027 (2027 has no 29 Feb)
        (date(2028, 2, 29), "12 months", 365, date(2027, 3, 1)),
        # 1 month = 30 days before 31 Jan 2027, across the year end: 1 Jan 2027
        (date(2027, 1, 31), "1 month", 30, date(2027, 1, 1)),
        # 2 months = 61 days before 31 Jan 2027: 1 Dec 2026
        (date(2027, 1, 31), "2 months", 61, date(2026, 12, 1)),
        # 6 months = 183 days before 31 Mar 2028, over the leap day: 30 Sep 2027
        (date(2028, 3, 31), "6 months", 183, date(2027, 9, 30)),
        # 1 month = 30 days before 1 Mar 2028 lands on 31 Jan 2028 (29 days in February)
        (date(2028, 3, 1), "1 month", 30, date(2028, 1, 31)),
    ],
)
def test_notice_in_months_counts_back_from_the_end_across_year_ends_and_leap_days(
    end, months, days, expected
):
    from renewal_coach.tables.values import parse_whole

    assert parse_whole(months, ".", unit="days") == days
    c = contract(start_date=date(2024, 1, 1), end_date=end, notice_period_days=days)
    assert notice_deadline(c) == expected
    assert [d.due for d in contract_deadlines(c) if d.kind == "notice"] == [expected]


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2028, 2, 29), -12, date(2027, 2, 28)),  # no leap day the year before
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),  # the next leap day
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),  # across the year end
        (date(2027, 3, 31), -3, date(2026, 12, 31)),
        (date(2026, 12, 7), 18, date(2028, 6, 7)),  # the calendar export's default window
    ],
)
def test_calendar_months_clamp_to_the_end_of_shorter_months(start, months, expected):
    from renewal_coach.core.dates import add_months

    assert add_months(start, months) == expected


def test_milestone_before_a_notice_deadline_on_the_leap_day_crosses_the_year_end():
    from renewal_coach.core.scoring.timeline import campaign

    # Notice deadline 29 Feb 2028; its milestone 60 days earlier is 31 Dec 2027.
    c = contract(
        id="c1",
        start_date=date(2025, 6, 1),
        end_date=date(2028, 5, 31),
        notice_deadline=date(2028, 2, 29),
    )
    found = [ms for ms in campaign(c, None, date(2026, 1, 1)).milestones if ms.code == "N"]
    assert [ms.due for ms in found] == [date(2027, 12, 31)]
