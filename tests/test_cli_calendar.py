"""`renewal-coach calendar`: the calendar file from the command line, on a small book and on
the sample portfolio, read back with vobject and compared with deadlines worked out apart."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

from renewal_coach.cli import main
from renewal_coach.core import models as m
from renewal_coach.core.dates import add_months
from renewal_coach.core.deadlines import DeadlineSettings
from renewal_coach.storage.agenda import save_deadline_settings
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store

TODAY = date(2026, 12, 7)


@pytest.fixture
def book(db_path: Path) -> Path:
    store = Store(open_database(db_path))
    alder = store.accounts.add(m.Account(name="Alder Foods", owner="Priya Shah"))
    birch = store.accounts.add(m.Account(name="Birch Rail", owner="Tom Kerr"))
    store.contracts.add(
        m.Contract(
            account_id=alder.id,
            title="Cold chain",
            reference="AF-1",
            start_date=date(2024, 4, 1),
            end_date=date(2027, 3, 31),
            notice_period_days=110,  # 11 Dec 2026
            tracked_since=TODAY,
        )
    )
    store.contracts.add(
        m.Contract(
            account_id=birch.id,
            title="Signalling",
            reference="BR-1",
            start_date=date(2025, 1, 1),
            end_date=date(2029, 12, 31),
            tracked_since=TODAY,
        )
    )
    store.commitments.add(
        m.Commitment(
            account_id=birch.id,
            party="customer",
            description="Name the approver",
            due_on=TODAY + timedelta(days=3),
        )
    )
    store.close()
    return db_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def calendar(capsys, db: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return run(
        capsys, "--db", str(db), "calendar", "--out", str(out), "--today", TODAY.isoformat(),
        *extra,
    )  # fmt: skip


def uids(path: Path) -> dict[str, icalendar.Event]:
    return {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    }


def test_calendar_writes_the_file_and_says_what_it_wrote(book, tmp_path, capsys):
    out = tmp_path / "deadlines.ics"
    code, text, err = calendar(capsys, book, out)
    assert code == 0 and err == ""
    evs = uids(out)
    assert text.splitlines()[0] == f"Wrote {len(evs)} events to {out}."
    assert f"{len(evs)} new" in text
    summaries = {str(e["SUMMARY"]) for e in evs.values()}
    assert "Alder Foods (AF-1): Notice deadline" in summaries
    assert "Birch Rail – they owe us: Name the approver" in summaries
    # 18 months by default: Birch Rail's end in 2029 is outside.
    assert "Birch Rail (BR-1): End date" not in summaries
    assert max(e["DTSTART"].dt for e in evs.values()) <= add_months(TODAY, 18)

    # Again: the same UIDs, nothing new.
    code, text, _ = calendar(capsys, book, tmp_path / "again.ics")
    assert code == 0 and f"{len(evs)} unchanged" in text
    assert set(uids(tmp_path / "again.ics")) == set(evs)


def test_calendar_owner_account_and_months(book, tmp_path, capsys):
    code, text, _ = calendar(capsys, book, tmp_path / "p.ics", "--owner", "priya")
    assert code == 0 and "owned by priya" in text
    assert all("Alder" in str(e["SUMMARY"]) for e in uids(tmp_path / "p.ics").values())

    code, text, _ = calendar(capsys, book, tmp_path / "b.ics", "--account", "birch rail")
    assert code == 0 and "for Birch Rail" in text
    assert all("Birch" in str(e["SUMMARY"]) for e in uids(tmp_path / "b.ics").values())

    code, text, _ = calendar(capsys, book, tmp_path / "long.ics", "--months", "60")
    assert code == 0
    summaries = {str(e["SUMMARY"]) for e in uids(tmp_path / "long.ics").values()}
    assert "Birch Rail (BR-1): End date" in summaries

    store = Store(open_database(book))
    save_deadline_settings(store, DeadlineSettings(calendar_months=1))
    store.close()
    code, text, _ = calendar(capsys, book, tmp_path / "one.ics")
    assert "to 7 January 2027" in text


def test_calendar_reminders_come_from_the_database(book, tmp_path, capsys):
    store = Store(open_database(book))
    save_deadline_settings(store, DeadlineSettings(alarm_days_hard=(45,)))
    store.close()
    calendar(capsys, book, tmp_path / "r.ics")
    notice = next(e for e in uids(tmp_path / "r.ics").values() if "Notice deadline" in e["SUMMARY"])
    assert [a["TRIGGER"].dt.days for a in notice.walk("VALARM")] == [-45]


def test_calendar_explains_bad_input(book, tmp_path, capsys):
    code, _, err = calendar(capsys, book, tmp_path / "x.ics", "--account", "Nobody Ltd")
    assert code == 1 and "No account called or with id 'Nobody Ltd'" in err
    assert not (tmp_path / "x.ics").exists()

    code, _, err = calendar(capsys, book, tmp_path / "missing" / "x.ics")
    assert code == 1 and "does not exist" in err

    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, stat.S_IRUSR | stat.S_IXUSR)
    # An administrator may write into any folder, but not into the kernel's /sys.
    target = locked / "x.ics" if not os.access(locked, os.W_OK) else Path("/sys/x.ics")
    try:
        code, _, err = calendar(capsys, book, target)
    finally:
        os.chmod(locked, stat.S_IRWXU)
    assert code == 1 and "cannot be written" in err

    for months, message in (("0", "between 1 and 120"), ("121", "between 1 and 120")):
        with pytest.raises(SystemExit) as stop:
            calendar(capsys, book, tmp_path / "x.ics", "--months", months)
        assert stop.value.code == 2
        assert message in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        calendar(capsys, book, tmp_path / "x.txt")
    assert stop.value.code == 2 and "must end in .ics" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        calendar(capsys, book, tmp_path)
    assert stop.value.code == 2


def test_calendar_from_a_read_only_database(book, tmp_path, capsys):
    os.chmod(book, stat.S_IRUSR)
    try:
        code, text, _ = calendar(capsys, book, tmp_path / "ro.ics")
    finally:
        os.chmod(book, stat.S_IRUSR | stat.S_IWUSR)
    assert code == 0 and (tmp_path / "ro.ics").exists()
    assert "could not be remembered (the database file is read-only)" in text
    with sqlite3.connect(book) as conn:
        assert conn.execute("SELECT COUNT(*) FROM calendar_events").fetchone()[0] == 0


def test_calendar_nothing_due(book, tmp_path, capsys):
    code, text, _ = calendar(capsys, book, tmp_path / "n.ics", "--owner", "Zoe")
    assert code == 0 and text.startswith("Nothing to put in the calendar")
    assert not (tmp_path / "n.ics").exists()


def test_sample_portfolio_calendar_matches_deadlines_worked_out_apart(tmp_path, capsys):
    db = tmp_path / "sample.db"
    assert run(capsys, "sample", str(db))[0] == 0
    out = tmp_path / "sample.ics"
    today = date.today()
    code, text, _ = run(capsys, "--db", str(db), "calendar", "--out", str(out))
    assert code == 0 and text.startswith("Wrote ")

    cal = vobject.readOne(out.read_text(encoding="utf-8"))
    got = {v.uid.value: v.dtstart.value for v in cal.vevent_list}
    # Every deadline of every live contract of a live account within 18 months, straight
    # from the table: stated notice deadline or end date less the notice period, and so on.
    end = add_months(today, 18)
    expected = {}
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT c.id, c.end_date, c.notice_period_days, c.notice_deadline, "
            "c.extension_exercise_by, c.market_approach_date, c.decision_date "
            "FROM contracts c JOIN accounts a ON a.id = c.account_id "
            "WHERE a.archived = 0 AND c.status IN ('active', 'renewing')"
        ).fetchall()
    for cid, ends, period, stated, option, market, decision in rows:
        ends = date.fromisoformat(ends)
        notice = (
            date.fromisoformat(stated)
            if stated
            else ends - timedelta(days=period)
            if period
            else None
        )
        for kind, day in (
            ("notice", notice),
            ("option", date.fromisoformat(option) if option else None),
            ("market", date.fromisoformat(market) if market else None),
            ("decision", date.fromisoformat(decision) if decision else None),
            ("end", ends),
        ):
            if day is not None and today <= day <= end:
                expected[f"{cid}-{kind}@renewalcoach.org"] = day
    assert expected, "the sample should have deadlines ahead"
    deadlines = {u: d for u, d in got.items() if u.rsplit("@")[0].rsplit("-", 1)[1] in (
        "notice", "option", "market", "decision", "end")}  # fmt: skip
    assert deadlines == expected
    # Milestones and commitments are there too, and every event has a reminder.
    assert any("-M" in u for u in got) and any(u.endswith("-commitment@renewalcoach.org")
                                               for u in got)  # fmt: skip
    assert all(len(v.valarm_list) >= 1 for v in cal.vevent_list)


def test_calendar_while_the_app_has_the_file_open(book, tmp_path, capsys):
    from tests.storage.test_lock import hold_in_other_process

    proc = hold_in_other_process(book)
    try:
        code, text, err = calendar(capsys, book, tmp_path / "busy.ics")
    finally:
        proc.kill()
        proc.wait()
    assert code == 0 and err == "" and (tmp_path / "busy.ics").exists()
    assert "could not be remembered (another program has the file open for changes" in text
    with sqlite3.connect(book) as conn:
        assert conn.execute("SELECT COUNT(*) FROM calendar_events").fetchone()[0] == 0
