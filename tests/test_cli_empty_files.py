"""A database file that holds nothing is refused by every command, never made into a portfolio
behind the person's back; a --db file that does not exist yet still becomes a new portfolio."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from renewal_coach.cli import main
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store

CSV = "Name,Industry\nFenwick Health Trust,Healthcare\n"


def _zero(path: Path) -> None:
    path.write_bytes(b"")


def _no_tables(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()


@pytest.fixture(params=[_zero, _no_tables], ids=["zero-bytes", "no-tables"])
def hollow(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "portfolio.db"
    request.param(path)
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["renewals"],
        ["renewals", "--json"],
        ["account", "Fenwick Health Trust"],
        ["chart", "horizon", "--out", "{tmp}/h.png"],
        ["export", "portfolio", "--out", "{tmp}/p.csv"],
        ["export", "brief", "--contract", "X-1", "--out", "{tmp}/b.docx"],
        ["import", "{tmp}/accounts.csv"],
        ["import", "{tmp}/accounts.csv", "--dry-run"],
    ],
    ids=lambda a: "-".join(x for x in a if not x.startswith("{")),
)
def test_every_command_refuses_a_file_that_holds_nothing(
    hollow: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    (tmp_path / "accounts.csv").write_text(CSV, encoding="utf-8")
    before = hollow.read_bytes()
    argv = ["--db", str(hollow)] + [a.replace("{tmp}", str(tmp_path)) for a in args]
    code = main(argv)
    _out, err = capsys.readouterr()
    assert code == 1
    assert "holds no Renewal Coach portfolio" in err and "Nothing was changed" in err
    assert "older version" not in err
    assert hollow.read_bytes() == before
    assert not any(p.name.startswith("portfolio.db-") for p in tmp_path.iterdir())


def test_import_into_a_db_that_does_not_exist_makes_a_new_portfolio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "accounts.csv"
    source.write_text(CSV, encoding="utf-8")
    new = tmp_path / "new.db"
    assert main(["import", str(source), "--db", str(new)]) == 0
    assert "Created 1" in capsys.readouterr().out
    store = Store(open_database(new, create=False))
    try:
        assert [a.name for a in store.accounts.all()] == ["Fenwick Health Trust"]
    finally:
        store.close()
