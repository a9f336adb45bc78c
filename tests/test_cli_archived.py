"""Every command on a portfolio where one account is archived.

Archived accounts leave the portfolio's lists, rankings and charts, but a person can still look
one up by name and write its documents (the commands used to crash with a KeyError there).
"""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from renewal_coach.cli import main
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import create_sample_database

TODAY = date(2026, 11, 23)
NAME = "Ashcombe County Council"


@pytest.fixture(scope="module")
def archived_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = create_sample_database(tmp_path_factory.mktemp("arch") / "sample.db", TODAY)
    store = Store(open_database(path))
    try:
        account = store.accounts.find_by_name(NAME)
        assert account is not None and store.contracts.for_account(account.id)
        account.archived = True
        store.accounts.update(account)
    finally:
        store.close()
    return path


def _run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args, "--today", TODAY.isoformat()])
    out, err = capsys.readouterr()
    return code, out, err


def _reference(db: Path) -> str:
    store = Store(open_database(db, readonly=True, create=False))
    try:
        account = store.accounts.find_by_name(NAME)
        assert account is not None
        return store.contracts.for_account(account.id)[0].reference
    finally:
        store.close()


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as doc:
        return doc.read("word/document.xml").decode("utf-8")


def test_account_shows_an_archived_account_and_says_it_is_archived(
    archived_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, archived_db, "account", NAME)
    assert code == 0, err
    assert out.startswith(NAME)
    assert "Segment: " in out
    assert "Archived: left out of the portfolio lists" in out
    code, out, err = _run(capsys, archived_db, "account", NAME, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["archived"] is True and data["name"] == NAME
    assert data["segment"]["band"] in ("treasure", "develop", "maintain", "drain", "unrated")


def test_a_live_account_keeps_its_rank_when_another_is_archived(
    archived_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, archived_db, "account", "Penrose University", "--json")
    assert code == 0
    assert json.loads(out)["archived"] is False


def test_renewals_leave_the_archived_account_out(
    archived_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, archived_db, "renewals", "--months", "600", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and NAME not in {row["account"] for row in rows}
    code, out, _ = _run(capsys, archived_db, "renewals", "--months", "600")
    assert code == 0 and NAME not in out


@pytest.mark.parametrize("kind", ["brief", "proposal"])
def test_documents_for_an_archived_accounts_contract_are_written(
    archived_db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    out_file = tmp_path / f"{kind}.docx"
    reference = _reference(archived_db)
    code, out, err = _run(
        capsys, archived_db, "export", kind, "--contract", reference, "--out", str(out_file)
    )
    assert code == 0, err
    assert f"{NAME} ({reference})" in out
    assert NAME in _docx_text(out_file)


@pytest.mark.parametrize("kind", ["portfolio", "renewals"])
def test_table_exports_leave_the_archived_account_out(
    archived_db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    out_file = tmp_path / f"{kind}.csv"
    code, _out, err = _run(capsys, archived_db, "export", kind, "--out", str(out_file))
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8-sig")
    assert text.count("\n") > 5
    assert NAME not in text


@pytest.mark.parametrize("kind", ["virtual-line", "horizon", "engagement"])
def test_charts_are_drawn_without_the_archived_account(
    archived_db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    out_file = tmp_path / f"{kind}.png"
    code, _out, err = _run(capsys, archived_db, "chart", kind, "--out", str(out_file))
    assert code == 0, err
    assert out_file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_importing_a_contract_for_an_archived_account_adds_it_there(
    archived_db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(archived_db.read_bytes())
    source = tmp_path / "contracts.csv"
    source.write_text(
        "Account,Reference,Title,Start date,End date,Annual value\n"
        f"{NAME},ACC-NEW-2026,Grounds care,2026-01-01,2028-12-31,100000\n",
        encoding="utf-8",
    )
    code, out, err = _run(capsys, db, "import", str(source))
    assert code == 0, err
    assert "Created 1" in out
    store = Store(open_database(db))
    try:
        [account] = [a for a in store.accounts.all() if a.name == NAME]
        assert account.archived
        assert "ACC-NEW-2026" in {c.reference for c in store.contracts.for_account(account.id)}
    finally:
        store.close()
    code, out, err = _run(capsys, db, "import", str(source), "--dry-run")
    assert code == 0, err
