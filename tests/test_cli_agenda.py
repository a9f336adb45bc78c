"""`renewal-coach agenda`: the This Week list on the command line, read from a real database."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from renewal_coach.cli import main
from renewal_coach.core import models as m
from renewal_coach.core.deadlines import DeadlineSettings
from renewal_coach.storage.agenda import (
    load_agenda,
    load_deadline_settings,
    load_nudges,
    save_deadline_settings,
)
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store

TODAY = date(2026, 12, 7)


@pytest.fixture
def book(db_path: Path) -> Path:
    store = Store(open_database(db_path))
    alder = store.accounts.add(m.Account(name="Alder Foods", owner="Priya Shah"))
    birch = store.accounts.add(m.Account(name="Birch Rail", owner="Tom Kerr"))
    gone = store.accounts.add(m.Account(name="Gone Ltd", owner="Priya Shah", archived=True))
    # notice: 31 Mar 2027 less 110 days = 11 Dec 2026, four days from TODAY
    store.contracts.add(
        m.Contract(
            account_id=alder.id,
            title="Cold chain",
            reference="AF-1",
            start_date=date(2024, 4, 1),
            end_date=date(2027, 3, 31),
            notice_period_days=110,
            tracked_since=TODAY,  # nothing before today is overdue
        )
    )
    store.contracts.add(
        m.Contract(
            account_id=gone.id,
            title="Archived",
            reference="GL-1",
            start_date=date(2024, 1, 1),
            end_date=TODAY + timedelta(days=3),
            tracked_since=TODAY,
        )
    )
    person = store.stakeholders.add(
        m.Stakeholder(account_id=birch.id, name="Ola Berg", contact_cadence_days=14)
    )
    store.interactions.add(
        m.Interaction(
            account_id=birch.id,
            occurred_on=TODAY - timedelta(days=20),
            type="call",
            channel="phone",
            initiated_by="us",
            purpose="Catch up",
            stakeholder_ids=[person.id],
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


def test_agenda_lists_groups_with_days_left(book, capsys):
    code, out, _ = run(capsys, "--db", str(book), "agenda", "--today", TODAY.isoformat())
    assert code == 0
    assert out.splitlines()[0] == "3 things to see to in the next 14 days, 1 of them overdue."
    assert "Deadlines (1)" in out
    line = next(x for x in out.splitlines() if "AF-1" in x)
    assert "⚠ in 4 days" in line and "2026-12-11" in line and "Notice deadline" in line
    assert "Gone Ltd" not in out  # archived
    assert "Ola Berg: every 14 days (last contact 2026-11-17)" in out
    assert "✕ 6 days overdue" in out
    assert "Commitments the customer owes us (1)" in out


def test_agenda_owner_filter_json_and_empty(book, capsys):
    code, out, _ = run(
        capsys, "--db", str(book), "agenda", "--today", TODAY.isoformat(), "--owner", "PRIYA",
        "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    items = [i for g in data["groups"] for i in g["items"]]
    assert [(i["account"], i["title"], i["days_left"]) for i in items] == [
        ("Alder Foods", "Notice deadline", 4)
    ]
    code, out, _ = run(
        capsys, "--db", str(book), "agenda", "--today", TODAY.isoformat(), "--owner", "Zoe"
    )
    assert code == 0
    assert out.strip() == "Nothing needs you in the next 14 days on Zoe's accounts."


def test_agenda_days_and_stored_settings(book, capsys):
    _code, out, _ = run(
        capsys, "--db", str(book), "agenda", "--today", TODAY.isoformat(), "--days", "3"
    )
    assert "AF-1" not in out and "Name the approver" in out
    store = Store(open_database(book))
    save_deadline_settings(store, DeadlineSettings(agenda_days=2))
    assert load_deadline_settings(store).agenda_days == 2
    store.close()
    _code, out, _ = run(capsys, "--db", str(book), "agenda", "--today", TODAY.isoformat())
    assert out.splitlines()[0].endswith("in the next 2 days, 1 of them overdue.")
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(book), "agenda", "--days", "x"])
    assert stop.value.code == 2
    assert "'x' is not a whole number of days" in capsys.readouterr().err


def test_agenda_and_nudges_from_storage(book):
    store = Store(open_database(book))
    agenda = load_agenda(store, TODAY)
    assert {i.group for i in agenda.items} == {"deadline", "rhythm", "theirs"}
    found = load_nudges(store, TODAY)
    assert [(name, c.reference, d.kind) for name, c, d in found] == [
        ("Alder Foods", "AF-1", "notice")
    ]
    store.close()


def test_agenda_on_a_missing_database_is_a_clear_error(tmp_path, capsys):
    code, _, err = run(capsys, "--db", str(tmp_path / "none.db"), "agenda")
    assert code == 1
    assert "none.db" in err
