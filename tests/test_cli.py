"""The headless command line: output, JSON shape and exit codes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from renewal_coach import __version__
from renewal_coach.cli import main
from renewal_coach.core import models as m
from renewal_coach.core.dates import add_months
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store


@pytest.fixture
def portfolio(db_path: Path) -> Path:
    """Three contracts: ending in 2 months, in 20 months, and one already ended."""
    today = date.today()
    store = Store(open_database(db_path))
    acme = store.accounts.add(m.Account(name="Larkspur Rail", currency="GBP"))
    euro = store.accounts.add(m.Account(name="Ostrava Média", currency="EUR"))
    store.contracts.add(
        m.Contract(
            account_id=acme.id,
            title="Station cleaning",
            reference="LR-7",
            start_date=today - timedelta(days=900),
            end_date=add_months(today, 2),
            annual_value_minor=123456789,
            notice_period_days=30,
            status="renewing",
        )
    )
    store.contracts.add(
        m.Contract(
            account_id=euro.id,
            title="Hosting",
            reference="OM-1",
            start_date=today - timedelta(days=300),
            end_date=add_months(today, 20),
            annual_value_minor=5000000,
        )
    )
    store.contracts.add(
        m.Contract(
            account_id=acme.id,
            title="Old deal",
            reference="LR-1",
            start_date=today - timedelta(days=2000),
            end_date=today - timedelta(days=10),
            status="renewed",
        )
    )
    store.close()
    return db_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_renewals_json_lists_contracts_in_the_window(portfolio: Path, capsys) -> None:
    code, out, err = _run(capsys, "renewals", "--db", str(portfolio), "--json")
    assert code == 0, err
    rows = json.loads(out)
    # Default window is 18 months: only the contract ending in 2 months.
    assert [r["reference"] for r in rows] == ["LR-7"]
    row = rows[0]
    today = date.today()
    scored = {
        k: row.pop(k)
        for k in (
            "anchor_date",
            "phase",
            "tracked_since",
            "milestones",
            "next_milestone",
            "risk",
            "engagement",
            "segment",
        )
    }
    # Entered today, 900 days into its term: what fell due before today came before tracking.
    # Term about 32 months, anchor = end date in 2 months. Past: M0, reviews at 6, 12, 18 and
    # 24 months, M2, M3 to M7 (scaled offsets, 16 to 5 months out), M8 (anchor − 3 months) and
    # the notice milestone (end − 30 − 60 days) = 13. The 30-month review is about 2 weeks off.
    assert scored["tracked_since"] == today.isoformat()
    assert scored["milestones"] == {
        "overdue": 0,
        "due": 1,
        "upcoming": 2,
        "done": 0,
        "before_tracking": 13,
        "closed": 0,
    }
    assert scored["next_milestone"]["status"] == "due"
    # No decision or market approach date: the campaign is anchored on the end date.
    assert scored["anchor_date"] == add_months(today, 2).isoformat()
    assert scored["phase"] == "procurement"  # inside the last 3 months before the anchor
    assert row == {
        "account": "Larkspur Rail",
        "reference": "LR-7",
        "title": "Station cleaning",
        "end_date": add_months(today, 2).isoformat(),
        "notice_deadline": (add_months(today, 2) - timedelta(days=30)).isoformat(),
        "annual_value": "1234567.89",
        "currency": "GBP",
        "status": "renewing",
    }


def test_renewals_months_widens_the_window_and_sorts_by_end_date(portfolio: Path, capsys) -> None:
    code, out, _ = _run(capsys, "--db", str(portfolio), "renewals", "--months", "36", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["reference"] for r in rows] == ["LR-7", "OM-1"]
    assert rows[1]["annual_value"] == "50000.00" and rows[1]["currency"] == "EUR"


def test_renewals_table_output(portfolio: Path, capsys) -> None:
    code, out, _ = _run(capsys, "renewals", "--db", str(portfolio))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Account", "Reference", "Title"]
    assert "£1,234,567.89" in lines[1] and "renewing" in lines[1]


def test_renewals_on_an_empty_database_says_so(db_path: Path, capsys) -> None:
    open_database(db_path).close()
    code, out, _ = _run(capsys, "renewals", "--db", str(db_path))
    assert code == 0 and "No contracts end" in out


@pytest.mark.parametrize(
    "args",
    [
        ["renewals", "--months", "-3"],
        ["renewals", "--months", "x"],
        ["frobnicate"],
        ["renewals", "--bogus"],
        ["sample"],
    ],
)
def test_wrong_arguments_print_usage_and_exit_2(args: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_missing_database_is_one_line_and_exit_1(tmp_path: Path, capsys) -> None:
    code, out, err = _run(capsys, "renewals", "--db", str(tmp_path / "none.db"))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "no database" in err.lower()
    assert "Traceback" not in err
    assert not (tmp_path / "none.db").exists()


def test_corrupt_database_is_one_line_and_exit_1(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00garbage" * 100)
    code, _, err = _run(capsys, "renewals", "--db", str(bad))
    assert code == 1 and err.count("\n") == 1 and "not an SQLite file" in err


def test_newer_database_is_refused_with_exit_1(db_path: Path, capsys) -> None:
    db = open_database(db_path)
    db.execute("PRAGMA user_version = 999")
    db.close()
    code, _, err = _run(capsys, "renewals", "--db", str(db_path))
    assert code == 1 and "newer version" in err and err.count("\n") == 1


def test_locked_database_is_refused_with_exit_1(portfolio: Path, capsys) -> None:
    holder = sqlite3.connect(portfolio, isolation_level=None)
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, _, err = _run(capsys, "renewals", "--db", str(portfolio))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1 and "in use" in err and err.count("\n") == 1


def test_version_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "renewal_coach", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"renewal-coach {__version__}"


def test_cli_commands_never_import_qt(portfolio: Path) -> None:
    code = (
        "import sys\n"
        "from renewal_coach.cli import main\n"
        f"rc = main(['renewals', '--db', {str(portfolio)!r}, '--json'])\n"
        "assert rc == 0\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')]\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
