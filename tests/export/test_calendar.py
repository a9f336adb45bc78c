"""The calendar export (issue 15): read back with icalendar and with vobject, an independent
parser; UIDs, SEQUENCE and cancellations across exports; reminders; folding; nothing internal."""

from __future__ import annotations

import dataclasses
import os
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

from renewal_coach.core import models as m
from renewal_coach.core.deadlines import DeadlineSettings
from renewal_coach.core.enums import ContractStatus
from renewal_coach.core.errors import NotFoundError, ValidationError
from renewal_coach.export.calendar import export_calendar
from renewal_coach.fileio import FileWriteError
from renewal_coach.storage.agenda import save_deadline_settings
from renewal_coach.storage.calendar_events import open_to_remember, remembered_events
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 12, 8, 9, 30, tzinfo=UTC)

#: A long name in several scripts: folding must never cut a character in two.
LONG_NAME = "Zürich Straßenbahn Ærøskøbing Færgefart — 東京ガス株式会社 Ελληνικά Σιδηρόδρομοι"

SECRETS = ("WALKAWAY-SECRET", "INTERNAL-NOTE", "OUTCOME-NOTE", "DEBRIEF-NOTE", "MILESTONE-NOTE")


@pytest.fixture
def book(db_path: Path) -> Store:
    """Two accounts: Alder (plain) and one with a long non-ASCII name, each with a live
    contract; a closed contract; commitments both ways."""
    store = Store(open_database(db_path))
    alder = store.accounts.add(
        m.Account(name="Alder Foods", owner="Priya Shah", notes="INTERNAL-NOTE account")
    )
    world = store.accounts.add(m.Account(name=LONG_NAME, owner="Tom Kerr"))
    store.contracts.add(
        m.Contract(
            id="c-alder",
            account_id=alder.id,
            title="Cold chain",
            reference="AF-1",
            start_date=date(2024, 4, 1),
            end_date=date(2027, 3, 31),
            notice_period_days=110,  # 31 Mar 2027 less 110 days: 11 Dec 2026
            extension_months=12,
            extension_exercise_by=date(2027, 2, 1),
            extension_holder="customer",
            market_approach_date=date(2027, 1, 15),
            decision_date=date(2027, 2, 20),
            walk_away="WALKAWAY-SECRET: below 90k we leave",
            notes="INTERNAL-NOTE contract",
            outcome_notes="OUTCOME-NOTE",
            debrief_notes="DEBRIEF-NOTE",
            tracked_since=TODAY,
        )
    )
    store.contracts.add(
        m.Contract(
            id="c-world",
            account_id=world.id,
            title="Tram depots " + "and more " * 12,
            reference="ZS-Ω-7",
            start_date=date(2025, 1, 1),
            end_date=date(2028, 2, 29),  # a leap day
            notice_deadline=date(2027, 8, 31),
            tracked_since=TODAY,
        )
    )
    store.contracts.add(
        m.Contract(
            id="c-lost",
            account_id=alder.id,
            title="Old deal",
            reference="AF-0",
            start_date=date(2023, 1, 1),
            end_date=date(2027, 1, 31),
            notice_period_days=30,
            status=ContractStatus.LOST,
        )
    )
    store.commitments.add(
        m.Commitment(
            id="k-ours",
            account_id=alder.id,
            party="us",
            description="Send the revised cold-chain SLA",
            owner="Priya Shah",
            due_on=TODAY + timedelta(days=10),
        )
    )
    store.commitments.add(
        m.Commitment(
            id="k-theirs",
            account_id=world.id,
            party="customer",
            description="Name the approver für die Ausschreibung",
            due_on=TODAY + timedelta(days=20),
        )
    )
    yield store
    store.close()


def export(store: Store, path: Path, now: datetime = NOW, **kw):
    return export_calendar(store, path, TODAY, now=now, **kw)


def events(path: Path) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def by_summary(evs: dict[str, icalendar.Event], text: str) -> icalendar.Event:
    found = [e for e in evs.values() if str(e["SUMMARY"]) == text] or [
        e for e in evs.values() if text in str(e["SUMMARY"])
    ]
    assert len(found) == 1, [str(e["SUMMARY"]) for e in found]
    return found[0]


def test_deadlines_milestones_and_commitments_read_back_with_two_parsers(book, tmp_path):
    out = tmp_path / "renewals.ics"
    report = export(book, out)
    assert report.path == out and report.remembered
    evs = events(out)
    assert report.events == len(evs) > 0 and report.cancellations == 0

    # Deadlines on the dates worked out by hand, each an all-day event of one day.
    expected = {
        "Alder Foods (AF-1): Notice deadline": date(2026, 12, 11),
        "Alder Foods (AF-1): Expected market approach": date(2027, 1, 15),
        "Alder Foods (AF-1): Option exercise date": date(2027, 2, 1),
        "Alder Foods (AF-1): Expected decision date": date(2027, 2, 20),
        "Alder Foods (AF-1): End date": date(2027, 3, 31),
        f"{LONG_NAME} (ZS-Ω-7): Notice deadline": date(2027, 8, 31),
        f"{LONG_NAME} (ZS-Ω-7): End date": date(2028, 2, 29),
    }
    for summary, day in expected.items():
        e = by_summary(evs, summary)
        assert e["DTSTART"].dt == day and not isinstance(e["DTSTART"].dt, datetime)
        assert e["DTEND"].dt == day + timedelta(days=1)
        assert e["DTSTART"].params.get("VALUE") == "DATE"
        assert str(e["STATUS"]) == "CONFIRMED"
        assert int(e["SEQUENCE"]) == 0
        assert e["DTSTAMP"].dt == NOW and e["LAST-MODIFIED"].dt == NOW
    # The closed contract has no events; both commitments do.
    assert not any("AF-0" in str(e["SUMMARY"]) for e in evs.values())
    ours = by_summary(evs, "we owe: Send the revised cold-chain SLA")
    assert ours["DTSTART"].dt == TODAY + timedelta(days=10)
    theirs = by_summary(evs, "they owe us: Name the approver für die Ausschreibung")
    assert "made to us" in str(theirs["DESCRIPTION"])
    # Open milestones of the live contracts, with what done means; N sits 60 days before
    # the notice deadline of 31 Aug 2027.
    n = by_summary(evs, f"{LONG_NAME} (ZS-Ω-7): Notice deadline ahead")
    assert n["DTSTART"].dt == date(2027, 7, 2)
    assert "Done when" in str(n["DESCRIPTION"])
    assert "60 days of notice time remain" in str(n["DESCRIPTION"])
    notice = by_summary(evs, "Alder Foods (AF-1): Notice deadline")
    assert "the last day to give notice" in str(notice["DESCRIPTION"])
    end = by_summary(evs, "Alder Foods (AF-1): End date")
    assert "(11 December 2026) has passed" in str(end["DESCRIPTION"])
    option = by_summary(evs, "Option exercise date")
    assert "The option is the customer's." in str(option["DESCRIPTION"])

    # The same file through vobject: same events, dates and summaries.
    cal = vobject.readOne(out.read_text(encoding="utf-8"))
    seen = {
        str(v.uid.value): (v.dtstart.value, str(v.summary.value), int(v.sequence.value))
        for v in cal.vevent_list
    }
    assert seen == {
        uid: (e["DTSTART"].dt, str(e["SUMMARY"]), int(e["SEQUENCE"])) for uid, e in evs.items()
    }
    assert cal.prodid.value.startswith("-//Renewal Coach//")
    assert cal.version.value == "2.0"


def test_window_holds_today_to_n_months_ahead_only(book, tmp_path):
    out = tmp_path / "short.ics"
    report = export(book, out, months=3)
    assert report.end == date(2027, 3, 7)
    days = [e["DTSTART"].dt for e in events(out).values()]
    assert min(days) >= TODAY and max(days) <= date(2027, 3, 7)
    # The End date of 31 Mar 2027 is out; the option of 1 Feb 2027 in.
    summaries = {str(e["SUMMARY"]) for e in events(out).values()}
    assert "Alder Foods (AF-1): End date" not in summaries
    assert "Alder Foods (AF-1): Option exercise date" in summaries


def test_default_window_is_the_stored_setting(book, tmp_path):
    save_deadline_settings(book, DeadlineSettings(calendar_months=2))
    report = export(book, tmp_path / "a.ics")
    assert report.end == date(2027, 2, 7)


def test_uids_stay_and_sequence_rises_only_when_date_or_words_change(book, tmp_path):
    first = events(tmp_path / "1.ics") if export(book, tmp_path / "1.ics") else {}
    export(book, tmp_path / "2.ics", now=LATER)
    second = events(tmp_path / "2.ics")
    assert set(first) == set(second)
    for uid, e in second.items():
        assert int(e["SEQUENCE"]) == 0
        assert e["LAST-MODIFIED"].dt == NOW  # unchanged since the first export
        assert e["DTSTAMP"].dt == LATER
        assert uid.endswith("@renewalcoach.org")
    notice_uid = "c-alder-notice@renewalcoach.org"
    assert notice_uid in second
    assert any(u.startswith("c-world-M1-") for u in second)  # occurrence in the UID

    # An edit that no calendar text shows changes nothing.
    alder = book.contracts.get("c-alder")
    book.contracts.update(dataclasses.replace(alder, annual_value_minor=123_456_00))
    export(book, tmp_path / "3.ics", now=LATER)
    assert all(int(e["SEQUENCE"]) == 0 for e in events(tmp_path / "3.ics").values())

    # A new notice period moves the notice deadline: that event, and the words about
    # notice time left in the other Alder events, change; the long-named account's do not.
    book.contracts.update(
        dataclasses.replace(book.contracts.get("c-alder"), notice_period_days=100)
    )
    stamp = datetime(2026, 12, 9, 8, 0, tzinfo=UTC)
    report = export(book, tmp_path / "4.ics", now=stamp)
    fourth = events(tmp_path / "4.ics")
    assert set(fourth) == set(second)
    notice = fourth[notice_uid]
    assert notice["DTSTART"].dt == date(2026, 12, 21)
    assert int(notice["SEQUENCE"]) == 1 and notice["LAST-MODIFIED"].dt == stamp
    assert notice["CREATED"].dt == NOW
    # Alder's commitment says nothing about notice: it stays as it was, as do the others'.
    same = {u for u in fourth if u.startswith("c-world-") or u.startswith("k-")}
    assert all(int(fourth[u]["SEQUENCE"]) == 0 for u in same)
    raised = {u for u, e in fourth.items() if int(e["SEQUENCE"]) == 1}
    assert raised == set(fourth) - same
    assert report.counts["changed"] == len(raised) and report.counts["unchanged"] == len(same)

    # The same state exported again: no further rise.
    export(book, tmp_path / "5.ics", now=stamp + timedelta(hours=1))
    assert int(events(tmp_path / "5.ics")[notice_uid]["SEQUENCE"]) == 1
    # A new title is new words: raised again.
    book.contracts.update(
        dataclasses.replace(book.contracts.get("c-alder"), title="Cold chain and depots")
    )
    export(book, tmp_path / "6.ics", now=stamp + timedelta(hours=2))
    assert int(events(tmp_path / "6.ics")[notice_uid]["SEQUENCE"]) == 2


def test_reminders_follow_the_stored_settings(book, tmp_path):
    export(book, tmp_path / "1.ics")
    evs = events(tmp_path / "1.ics")

    def triggers(e):
        return sorted(-a["TRIGGER"].dt.days for a in e.walk("VALARM"))

    for e in evs.values():
        uid = str(e["UID"])
        for alarm in e.walk("VALARM"):
            assert str(alarm["ACTION"]) == "DISPLAY" and str(alarm["DESCRIPTION"])
        if uid.endswith(("-notice@renewalcoach.org", "-option@renewalcoach.org")):
            assert triggers(e) == [7, 30], uid
        else:
            assert triggers(e) == [7], uid
    text = (tmp_path / "1.ics").read_text(encoding="utf-8")
    assert "TRIGGER:-P30D" in text and "TRIGGER:-P7D" in text

    save_deadline_settings(book, DeadlineSettings(alarm_days_hard=(60, 14, 1), alarm_days_other=()))
    export(book, tmp_path / "2.ics", now=LATER)
    evs = events(tmp_path / "2.ics")
    notice = evs["c-alder-notice@renewalcoach.org"]
    assert triggers(notice) == [1, 14, 60]
    assert int(notice["SEQUENCE"]) == 1  # new reminders reach a calendar that has the event
    assert triggers(evs["c-alder-end@renewalcoach.org"]) == []


def test_done_deleted_and_closed_items_come_back_cancelled_once(book, tmp_path):
    export(book, tmp_path / "1.ics")
    first = events(tmp_path / "1.ics")
    milestone_uid = next(u for u in first if u.startswith("c-world-M1-"))
    code, occurrence = milestone_uid.split("@")[0].split("-")[2:4]
    book.milestones.add(
        m.Milestone(
            contract_id="c-world",
            code=code,
            occurrence=int(occurrence),
            done_on=TODAY,
            note="MILESTONE-NOTE",
        )
    )
    ours = book.commitments.get("k-ours")
    book.commitments.update(dataclasses.replace(ours, done_on=TODAY))
    book.commitments.delete("k-theirs")
    alder_contract = book.contracts.get("c-alder")
    book.contracts.update(dataclasses.replace(alder_contract, status=ContractStatus.RENEWED))

    report = export(book, tmp_path / "2.ics", now=LATER)
    second = events(tmp_path / "2.ics")
    cancelled = {u for u, e in second.items() if str(e["STATUS"]) == "CANCELLED"}
    gone = {milestone_uid, "k-ours-commitment@renewalcoach.org"}
    gone |= {"k-theirs-commitment@renewalcoach.org"}
    gone |= {u for u in first if u.startswith("c-alder-")}
    assert cancelled == gone
    assert report.cancellations == len(gone)
    for uid in gone:
        e = second[uid]
        assert int(e["SEQUENCE"]) == int(first[uid]["SEQUENCE"]) + 1
        assert e["DTSTART"].dt == first[uid]["DTSTART"].dt
        assert str(e["SUMMARY"]).startswith("Cancelled: ")
        assert e["LAST-MODIFIED"].dt == LATER
        assert not e.walk("VALARM")
    assert "cancelled" in report.summary()

    # Written once: the next export neither repeats nor counts them.
    report = export(book, tmp_path / "3.ics", now=LATER + timedelta(hours=1))
    third = events(tmp_path / "3.ics")
    assert not gone & set(third) and report.cancellations == 0

    # Undone: the milestone is due again, with a SEQUENCE above the cancellation's.
    record = book.milestones.where("contract_id = ? AND code = ?", ["c-world", code])[0]
    book.milestones.delete(record.id)
    export(book, tmp_path / "4.ics", now=LATER + timedelta(hours=2))
    back = events(tmp_path / "4.ics")[milestone_uid]
    assert str(back["STATUS"]) == "CONFIRMED"
    assert int(back["SEQUENCE"]) == int(second[milestone_uid]["SEQUENCE"]) + 1


def test_archived_and_deleted_accounts_cancel_but_a_narrower_export_leaves_others(book, tmp_path):
    export(book, tmp_path / "all.ics")
    alder = book.accounts.find_by_name("Alder Foods")
    world = book.accounts.find_by_name(LONG_NAME)
    # Priya's export covers Alder only: the other account's events are not hers to cancel.
    book.accounts.update(dataclasses.replace(world, archived=True))
    report = export(book, tmp_path / "priya.ics", now=LATER, owner="priya")
    assert report.cancellations == 0
    assert all("Alder" in str(e["SUMMARY"]) for e in events(tmp_path / "priya.ics").values())
    # One account's export leaves the others alone too.
    report = export(book, tmp_path / "alder.ics", now=LATER, account_id=alder.id)
    assert report.cancellations == 0 and "for Alder Foods" in report.summary()
    # Everyone's export cancels the archived account's events.
    report = export(book, tmp_path / "all2.ics", now=LATER)
    cancelled = [e for e in events(tmp_path / "all2.ics").values() if e["STATUS"] == "CANCELLED"]
    assert cancelled and all(LONG_NAME in str(e["SUMMARY"]) for e in cancelled)
    # A deleted account's events are cancelled by an export of everyone's.
    book.accounts.delete(alder.id)
    report = export(book, tmp_path / "all3.ics", now=LATER + timedelta(hours=1))
    cancelled = [e for e in events(tmp_path / "all3.ics").values() if e["STATUS"] == "CANCELLED"]
    assert cancelled and all("Alder Foods" in str(e["SUMMARY"]) for e in cancelled)


def test_a_changed_event_outside_the_window_is_moved_not_left_stale(book, tmp_path):
    export(book, tmp_path / "1.ics")
    alder = book.contracts.get("c-alder")
    book.contracts.update(
        dataclasses.replace(
            alder, end_date=date(2030, 3, 31), notice_period_days=None, decision_date=None
        )
    )
    export(book, tmp_path / "2.ics", now=LATER)
    end = events(tmp_path / "2.ics")["c-alder-end@renewalcoach.org"]
    assert end["DTSTART"].dt == date(2030, 3, 31)
    assert int(end["SEQUENCE"]) == 1


def test_long_and_non_ascii_lines_fold_and_unfold_exactly(book, tmp_path):
    out = tmp_path / "fold.ics"
    export(book, out)
    raw = out.read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b""  # every line ends in CRLF
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    for line in lines:
        line.decode("utf-8")  # no character cut in two at a fold
    summary = f"{LONG_NAME} (ZS-Ω-7): End date"
    assert len(summary.encode()) > 75
    e = by_summary(events(out), summary)
    assert str(e["SUMMARY"]) == summary
    assert ("Tram depots " + "and more " * 12).strip() in str(e["DESCRIPTION"])
    cal = vobject.readOne(raw.decode("utf-8"))
    assert summary in {v.summary.value for v in cal.vevent_list}
    # Commas and line breaks in text are escaped, and come back as they were.
    assert "\\," in raw.decode("utf-8") and "\\n" in raw.decode("utf-8")


def test_nothing_internal_reaches_the_calendar(book, tmp_path):
    out = tmp_path / "shared.ics"
    book.milestones.add(
        m.Milestone(contract_id="c-alder", code="M0", done_on=None, note="MILESTONE-NOTE")
    )
    export(book, out)
    text = icalendar.Calendar.from_ical(out.read_bytes()).to_ical().decode("utf-8")
    unfolded = text.replace("\r\n ", "").lower()
    for secret in SECRETS:
        assert secret.lower() not in unfolded
    for word in ("walk-away", "walk away", "risk", "score", "segment", "treasure", "margin"):
        assert word not in unfolded, word
    for band in ("guarded", "elevated", "obsessive", "neglect", "drain", "attitude", "sceptic"):
        assert band not in unfolded, band


def test_read_only_database_still_exports_and_says_it_could_not_remember(book, db_path, tmp_path):
    book.close()
    os.chmod(db_path, stat.S_IRUSR | stat.S_IRGRP)
    try:
        store, why = open_to_remember(db_path)
        assert store.read_only and why == "the database file is read-only"
        report = export(store, tmp_path / "ro.ics", cannot_remember=why)
        assert report.path is not None and report.events > 0
        assert not report.remembered
        assert "could not be remembered (the database file is read-only)" in report.summary()
        assert remembered_events(store) == {}
        store.close()
        # A store opened for viewing only says so too.
        store = Store(open_database(db_path, create=False, readonly=True))
        report = export(store, tmp_path / "ro2.ics")
        assert not report.remembered and report.events > 0
        assert "(the portfolio is open read-only)" in report.summary()
        store.close()
    finally:
        os.chmod(db_path, stat.S_IRUSR | stat.S_IWUSR)
    store = Store(open_database(db_path, create=False))
    assert remembered_events(store) == {}
    store.close()


def test_what_was_exported_is_remembered(book, tmp_path):
    report = export(book, tmp_path / "1.ics")
    rows = remembered_events(book)
    assert len(rows) == report.events
    notice = rows["c-alder-notice@renewalcoach.org"]
    assert notice.status == "active" and notice.sequence == 0
    assert notice.due == date(2026, 12, 11) and notice.summary.startswith("Alder Foods")
    assert len(notice.content_hash) == 64


def test_nothing_due_writes_no_file(book, tmp_path):
    out = tmp_path / "none.ics"
    report = export(book, out, owner="nobody at all")
    assert report.path is None and not out.exists()
    assert report.summary().startswith("Nothing to put in the calendar")
    assert "owned by nobody at all" in report.summary()


def test_bad_window_unknown_account_and_unwritable_file_are_explained(book, tmp_path):
    with pytest.raises(ValidationError, match="from 1 to 120"):
        export(book, tmp_path / "x.ics", months=0)
    with pytest.raises(ValidationError):
        export(book, tmp_path / "x.ics", months=121)
    with pytest.raises(NotFoundError):
        export(book, tmp_path / "x.ics", account_id="no-such-id")
    with pytest.raises(FileWriteError, match="does not exist"):
        export(book, tmp_path / "missing" / "x.ics")
    assert remembered_events(book) == {}  # nothing remembered when the file was not written


def test_writing_needs_no_time_zone_database(book, tmp_path):
    """All-day dates and UTC stamps only: the file is written even where no time zone
    database exists (a Windows build without the tzdata package)."""
    book.close()
    out = tmp_path / "no-tz.ics"
    code = (
        "import sys, zoneinfo\n"
        "sys.modules['tzdata'] = None\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from renewal_coach.export.calendar import export_calendar\n"
        "from renewal_coach.storage.db import open_database\n"
        "from renewal_coach.storage.repository import Store\n"
        "try:\n"
        "    zoneinfo.ZoneInfo('UTC')\n"
        "except zoneinfo.ZoneInfoNotFoundError:\n"
        "    pass\n"
        "else:\n"
        "    sys.exit('a time zone database was found')\n"
        f"store = Store(open_database({str(book.path)!r}, create=False))\n"
        f"print(export_calendar(store, Path({str(out)!r}), date(2026, 12, 7)).headline())\n"
    )
    env = dict(os.environ, PYTHONTZPATH=str(tmp_path / "nothing"))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote ")
    assert "DTSTAMP:" in out.read_text(encoding="utf-8")
