"""`renewal-coach import`: the exact interface, exit codes and JSON of issue 12."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from renewal_coach.cli import main
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store

DATA = Path(__file__).parent / "data"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_into_a_new_database_then_again(capsys, tmp_path: Path) -> None:
    db = tmp_path / "new" / "book.db"
    code, out, _ = run(
        capsys, "import", str(DATA / "salesforce_accounts_uk.csv"), "--db", str(db), "--json"
    )
    summary = json.loads(out)
    assert code == 3  # one row has no name
    assert summary["kind"] == "accounts" and summary["rows"] == 4
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (3, 0, 0)
    assert summary["rejected"] == [
        {"row": 5, "column": "Account Name", "message": "The account has no name"}
    ]
    assert db.exists()
    code, out, _ = run(
        capsys, "import", str(DATA / "salesforce_contracts_uk.csv"), "--db", str(db), "--json"
    )
    first = json.loads(out)
    code, out, _ = run(
        capsys, "import", str(DATA / "salesforce_contracts_uk.csv"), "--db", str(db), "--json"
    )
    second = json.loads(out)
    assert first["created"] == 3 and second["created"] == 0 and second["unchanged"] == 3
    store = Store(open_database(db, create=False))
    try:
        assert store.contracts.count() == 3
    finally:
        store.close()


def test_clean_file_exits_zero_and_dry_run_writes_nothing(capsys, tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    clean = tmp_path / "clean.csv"
    clean.write_text("Company name,Company owner\nAcme Ltd,Noor\n", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(clean), "--db", str(db), "--dry-run")
    assert code == 0 and "Dry run: nothing was written" in out
    assert "row 2: create Acme Ltd" in out
    assert not db.exists()
    code, out, _ = run(capsys, "import", str(clean), "--db", str(db))
    assert code == 0 and "Created 1" in out


def test_errors_file_option(capsys, tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    errors = tmp_path / "errors.csv"
    run(capsys, "import", str(DATA / "salesforce_accounts_uk.csv"), "--db", str(db))
    code, out, _ = run(
        capsys,
        "import",
        str(DATA / "salesforce_contracts_uk.csv"),
        "--db",
        str(db),
        "--errors",
        str(errors),
    )
    assert code == 3 and "Rejected rows written to" in out
    assert errors.read_text(encoding="utf-8-sig").count("\n") == 4


def test_unreadable_file_and_unknown_columns_exit_one(capsys, tmp_path: Path) -> None:
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    code, _, err = run(capsys, "import", str(binary), "--db", str(tmp_path / "b.db"))
    assert code == 1 and "binary" in err and "Traceback" not in err
    odd = tmp_path / "odd.csv"
    odd.write_text("Colour,Shape\nred,round\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(odd), "--kind", "accounts")
    assert code == 1 and "No column" in err


def test_ambiguous_dates_refuse_and_name_the_option(capsys, tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    accounts = tmp_path / "a.csv"
    accounts.write_text("Account Name\nCalder Freight Ltd\n", encoding="utf-8")
    run(capsys, "import", str(accounts), "--db", str(db))
    contracts = tmp_path / "c.csv"
    contracts.write_text(
        "Contract Number,Account Name,Start Date,End Date\nA-1,Calder Freight,04/03/2025,"
        "03/04/2028\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "import", str(contracts), "--db", str(db))
    assert code == 2 and "--date-order" in err
    code, out, _ = run(
        capsys, "import", str(contracts), "--db", str(db), "--date-order", "dmy", "--json"
    )
    assert code == 0 and json.loads(out)["created"] == 1


def test_usage_errors_exit_two(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["import"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["import", "x.csv", "--kind", "deals"])
    assert info.value.code == 2


def test_fields_are_listed(capsys) -> None:
    code, out, _ = run(capsys, "import", "--fields", "contracts")
    assert code == 0
    for name in ("reference", "term_months", "notice_days", "decision_date", "route"):
        assert name in out


def test_mapping_file_option(capsys, tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    run(capsys, "import", str(DATA / "salesforce_accounts_uk.csv"), "--db", str(db))
    code, out, _ = run(
        capsys,
        "import",
        str(DATA / "european_contracts_cp1252.csv"),
        "--db",
        str(db),
        "--mapping",
        str(DATA / "european_contracts_mapping.json"),
        "--json",
    )
    assert code == 0 and json.loads(out)["created"] == 3
    broken = tmp_path / "broken.json"
    broken.write_text("{nope", encoding="utf-8")
    code, _, err = run(
        capsys, "import", str(DATA / "european_contracts_cp1252.csv"), "--mapping", str(broken)
    )
    assert code == 1 and "not valid JSON" in err
