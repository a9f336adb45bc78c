"""`renewal-coach history [ACCOUNT] [--since DATE] [--json]`: text, JSON, filters and errors."""

from __future__ import annotations

import dataclasses
import json
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from renewal_coach.cli import main
from renewal_coach.core import models as m
from renewal_coach.core.history import Author
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store
from renewal_coach.user import set_user_name


@pytest.fixture
def portfolio(db_path: Path) -> Path:
    set_user_name("Ana Kovač")  # the per-user settings of the isolated home
    store = Store(open_database(db_path))
    rail = store.accounts.add(m.Account(name="Larkspur Rail"))
    store.accounts.add(m.Account(name="Ostrava Média"))
    contract = store.contracts.add(
        m.Contract(
            account_id=rail.id,
            title="Station cleaning",
            reference="LR-7",
            start_date=date(2024, 1, 1),
            end_date=date(2027, 1, 1),
            annual_value_minor=180_000_000,
            walk_away="No deal under 3 percent",
        )
    )
    store.close()
    # A colleague, on another device, changes the walk-away later.
    store = Store(open_database(db_path), Author("Bea Lind", "fedcba9876543210"))
    store.contracts.update(dataclasses.replace(contract, walk_away="No deal under 2 percent"))
    store.close()
    return db_path


def test_text_lists_who_changed_the_walk_away_newest_first(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "larkspur rail", "--db", str(portfolio)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["When", "Who", "How", "Record", "Field", "Change"]
    first = out[1]
    assert "Bea Lind" in first
    assert "Walk-away position (internal)" in first
    assert "No deal under 3 percent → No deal under 2 percent" in first
    assert any(
        "Ana Kovač" in line and "Annual value" in line and "1,800,000" in line for line in out
    )
    assert not any("Ostrava" in line for line in out)  # the other account's history is not shown


def test_json_carries_every_column_and_the_whole_portfolio_without_an_account(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "--db", str(portfolio), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert {e["label"] for e in entries if e["entity"] == "accounts"} == {
        "Larkspur Rail",
        "Ostrava Média",
    }
    newest = entries[0]
    assert newest["field"] == "walk_away" and newest["internal"] is True
    assert (newest["who"], newest["device"]) == ("Bea Lind", "fedcba9876543210")
    assert newest["hlc"].endswith("-fedcba9876543210")
    stamps = [e["hlc"] for e in entries]
    assert stamps == sorted(stamps, reverse=True)
    assert {e["op_kind"] for e in entries} == {"add", "edit"}


def test_since_and_limit(portfolio: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--db", str(portfolio), "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out.strip() == (
        "No changes recorded for the portfolio since 2999-01-01."
    )
    assert main(["history", "--db", str(portfolio), "--since", "2999-01-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    today = date.today().isoformat()
    assert main(["history", "--db", str(portfolio), "--since", today, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) > 3
    assert main(["history", "--db", str(portfolio), "--limit", "1", "--json"]) == 0
    assert [e["field"] for e in json.loads(capsys.readouterr().out)] == ["walk_away"]


def test_a_deleted_account_can_still_be_named(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(open_database(portfolio))
    rail = store.accounts.find_by_name("Larkspur Rail")
    assert rail is not None
    store.accounts.delete(rail.id)
    store.close()
    assert main(["history", "Larkspur Rail", "--db", str(portfolio), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    deletes = {e["entity"] for e in entries if e["change"] == "delete"}
    assert deletes == {"accounts", "contracts"}
    assert main(["history", "Larkspur Rail", "--db", str(portfolio)]) == 0
    assert "record deleted" in capsys.readouterr().out


def test_unknown_accounts_and_bad_dates_are_clear_errors(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "Nobody Ltd", "--db", str(portfolio)]) == 1
    assert "No account called or with id 'Nobody Ltd'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["history", "--db", str(portfolio), "--since", "last week"])
    assert exit_info.value.code == 2
    assert "is not a date like" in capsys.readouterr().err
    assert main(["history", "--db", str(portfolio.with_name("missing.db"))]) == 1
    assert "There is no database" in capsys.readouterr().err


def test_an_import_on_the_command_line_is_one_operation_signed_from_user_json(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_user_name("Cal Ortiz")
    data = Path(__file__).parent / "tables" / "data" / "salesforce_accounts_uk.csv"
    assert main(["import", str(data), "--db", str(db_path), "--json"]) in (0, 3)
    capsys.readouterr()
    assert main(["history", "--db", str(db_path), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert entries and {e["op_kind"] for e in entries} == {"import"}
    assert len({e["op_id"] for e in entries}) == 1
    assert {e["who"] for e in entries} == {"Cal Ortiz"}
    assert all(isinstance(e["new_value"], dict) and e["new_value"]["name"] for e in entries)


def test_a_log_longer_than_a_page_is_printed_whole_and_in_order(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(open_database(db_path), Author("Ana", "0123456789abcdef"))
    account = store.accounts.add(m.Account(name="Harbour Trust"))
    with store.atomic("import"):
        for n in range(1500):
            store.accounts.update(dataclasses.replace(account, industry=f"Industry {n}"))
    store.close()
    assert main(["history", "Harbour Trust", "--db", str(db_path), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert len(entries) == 1501
    assert [e["seq"] for e in entries] == sorted((e["seq"] for e in entries), reverse=True)
    assert entries[0]["new_value"] == "Industry 1499"
    assert main(["history", "Harbour Trust", "--db", str(db_path), "--limit", "1200"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + 1200  # the heading once, then the rows


def test_since_starts_at_local_midnight(
    portfolio: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(open_database(portfolio))
    stamps = [row[0] for row in store.db.execute("SELECT changed_at FROM changes")]
    store.close()
    newest = max(stamps)  # e.g. 2026-12-07T13:38:58.123Z
    day = date.fromisoformat(newest[:10])
    # Pick a zone where the local day and the UTC day disagree about the changes just made.
    if int(newest[11:13]) >= 10:
        # UTC+14: the next local day starts at 10:00 UTC today, so the changes count as made
        # "since" tomorrow's local date.
        zone, since, start = "Etc/GMT-14", day + timedelta(days=1), f"{day}T10:00:00.000Z"
    else:
        # UTC-12: today's local day starts at noon UTC, after the changes.
        zone, since, start = "Etc/GMT+12", day, f"{day}T12:00:00.000Z"
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert (
            main(["history", "--db", str(portfolio), "--since", since.isoformat(), "--json"]) == 0
        )
        found = json.loads(capsys.readouterr().out)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    expected = [s for s in stamps if s >= start]
    assert len(found) == len(expected)
    naive = [s for s in stamps if s >= since.isoformat()]
    assert len(expected) != len(naive)  # the test tells local days from UTC days
