"""renewal-coach backup, backups, restore and check; writing commands on a file another process
is writing."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from renewal_coach.cli import main
from renewal_coach.core import models as m
from renewal_coach.storage import backups as bk
from renewal_coach.storage.db import open_database
from renewal_coach.storage.migrations import SCHEMA_VERSION
from renewal_coach.storage.repository import Store
from tests.storage.test_backups import flip_pages
from tests.storage.test_lock import hold_in_other_process


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    path = tmp_path / "portfolio.db"
    store = Store(open_database(path))
    for i in range(80):
        store.accounts.add(m.Account(name=f"Customer {i:03d}", industry="Facilities"))
    store.close()
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_backup_into_the_folder_and_list_it(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "backup", "--db", str(portfolio))
    assert code == 0 and "80 accounts" in out
    made = bk.list_backups(portfolio)
    assert len(made) == 1 and made[0].kind == bk.MANUAL
    code, out, _ = _run(capsys, "backups", "--db", str(portfolio), "--json")
    listed = json.loads(out)
    assert code == 0 and listed[0]["accounts"] == 80 and listed[0]["contracts"] == 0
    assert listed[0]["data_format"] == SCHEMA_VERSION and listed[0]["last_change"]
    code, out, _ = _run(capsys, "backups", "--db", str(portfolio))
    assert "made by hand" in out and made[0].path.name in out


def test_backup_out_never_overwrites(
    portfolio: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "elsewhere" / "copy.db"
    assert _run(capsys, "backup", "--db", str(portfolio), "--out", str(out_file))[0] == 0
    assert bk.contents(out_file).accounts == 80
    out_file.write_bytes(b"precious")
    code, _, err = _run(capsys, "backup", "--db", str(portfolio), "--out", str(out_file))
    assert code == 1 and "already exists" in err
    assert out_file.read_bytes() == b"precious"


def test_keep_counts_are_stored_and_applied(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(portfolio)
    for day in range(1, 6):
        bk.make_backup(conn, portfolio, bk.OPEN, now=datetime(2026, 1, day, 9, 0))
    conn.close()
    code, out, _ = _run(
        capsys,
        "backups",
        "--db",
        str(portfolio),
        "--keep-daily",
        "2",
        "--keep-weekly",
        "0",
        "--keep-monthly",
        "0",
    )
    assert code == 0 and "2 days" in out
    assert len(bk.list_backups(portfolio)) == 2
    conn = sqlite3.connect(portfolio)
    assert bk.load_rotation(conn) == bk.Rotation(2, 0, 0)
    conn.close()
    with pytest.raises(SystemExit) as exit_:
        main(["backups", "--db", str(portfolio), "--keep-daily", "-3"])
    assert exit_.value.code == 2 and "keep between 0 and" in capsys.readouterr().err


def test_restore_asks_or_needs_yes_and_keeps_the_current_file(
    portfolio: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(capsys, "backup", "--db", str(portfolio))[0] == 0
    backup = bk.list_backups(portfolio)[0].path
    store = Store(open_database(portfolio))
    store.accounts.add(m.Account(name="After the backup"))
    store.close()

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal
    code, _, err = _run(capsys, "restore", backup.name, "--db", str(portfolio))
    assert code == 1 and "--yes" in err
    assert bk.contents(portfolio).accounts == 81

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, out, _ = _run(capsys, "restore", backup.name, "--db", str(portfolio))
    assert code == 1 and "Nothing was changed" in out
    assert bk.contents(portfolio).accounts == 81

    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    code, out, _ = _run(capsys, "restore", backup.name, "--db", str(portfolio))
    assert code == 0 and "Restored" in out and "kept as" in out
    assert bk.contents(portfolio).accounts == 80
    kept = [b for b in bk.list_backups(portfolio) if b.kind == bk.RESTORE]
    assert len(kept) == 1 and bk.contents(kept[0].path).accounts == 81


def test_restore_refuses_a_backup_from_a_newer_version(
    portfolio: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(portfolio)
    bk.copy_database(conn, newer)
    conn.close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    conn.commit()
    conn.close()
    before = portfolio.read_bytes()
    code, _, err = _run(capsys, "restore", str(newer), "--db", str(portfolio), "--yes")
    assert code == 1 and "newer version" in err
    assert portfolio.read_bytes() == before


def test_check_reports_a_flipped_page_with_the_latest_good_backup(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "check", "--db", str(portfolio))
    assert code == 0 and "no damage found" in out
    assert _run(capsys, "backup", "--db", str(portfolio))[0] == 0
    good = bk.list_backups(portfolio)[0].path
    flip_pages(portfolio)
    code, out, err = _run(capsys, "check", "--db", str(portfolio))
    assert code == 1 and "is damaged" in err and good.name in err
    assert "Traceback" not in err
    # And the way back the message names works.
    code, out, err = _run(capsys, "restore", "latest", "--db", str(portfolio), "--yes")
    assert code == 0
    assert _run(capsys, "check", "--db", str(portfolio))[0] == 0


def test_writing_commands_refuse_a_file_another_process_writes(
    portfolio: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "accounts.csv"
    csv.write_text("Name,Industry\nFenwick Health Trust,Healthcare\n", encoding="utf-8")
    proc = hold_in_other_process(portfolio)
    try:
        code, _, err = _run(capsys, "import", str(csv), "--db", str(portfolio))
        assert code == 1
        assert f"process {proc.pid}" in err and "run the command again" in err
        code, _, err = _run(capsys, "restore", "latest", "--db", str(portfolio), "--yes")
        assert code == 1
        # Reading goes on.
        assert _run(capsys, "renewals", "--db", str(portfolio))[0] == 0
        assert _run(capsys, "check", "--db", str(portfolio))[0] == 0
    finally:
        proc.kill()
        proc.wait()
    assert bk.contents(portfolio).accounts == 80
    assert _run(capsys, "import", str(csv), "--db", str(portfolio))[0] == 0


@pytest.mark.parametrize("kind", ["zero-byte", "no tables"])
def test_check_and_backup_say_a_file_without_a_portfolio_holds_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """'check' must not call an empty file undamaged, and 'backup' must not add it to the
    rotation as if it were a portfolio (where it could push a good backup out)."""
    path = tmp_path / "empty.db"
    if kind == "zero-byte":
        path.write_bytes(b"")
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (x)")
        conn.execute("DROP TABLE t")
        conn.close()
    before = path.read_bytes()
    code, out, err = _run(capsys, "check", "--db", str(path))
    assert code == 1 and "no damage found" not in out
    assert "holds no Renewal Coach portfolio" in err and "Traceback" not in err
    code, out, err = _run(capsys, "backup", "--db", str(path))
    assert code == 1 and "holds no Renewal Coach portfolio" in err
    assert bk.list_backups(path) == []
    assert path.read_bytes() == before


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write to (so SQLite cannot make a ``-shm`` file there): a chmod for a
    normal user; a read-only bind mount for root, which ignores folder permissions."""
    import os
    import subprocess

    source = tmp_path / "src"
    source.mkdir()
    if os.geteuid() != 0:
        yield source
        source.chmod(0o755)
        return
    view = tmp_path / "view"
    view.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(source), str(view)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot make a read-only folder here")
    try:
        if subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(view)], capture_output=True
        ).returncode:
            pytest.skip("cannot make a read-only folder here")
        yield view
    finally:
        subprocess.run(["umount", str(view)], capture_output=True)


def test_check_and_backup_read_a_portfolio_in_a_read_only_folder(
    portfolio: Path, read_only_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a read-only disk (a CD, a read-only share) 'check' must not call a sound file
    damaged, and 'backup --out' must still copy it."""
    import os
    import shutil

    source = read_only_folder if os.geteuid() != 0 else tmp_path / "src"
    shutil.copy(portfolio, source / "portfolio.db")
    if os.geteuid() != 0:
        source.chmod(0o555)
    path = read_only_folder / "portfolio.db"
    code, out, err = _run(capsys, "check", "--db", str(path))
    assert code == 0 and "no damage found" in out, err
    code, out, err = _run(capsys, "backup", "--db", str(path), "--out", str(tmp_path / "c.db"))
    assert code == 0 and "80 accounts" in out, err


def test_commands_on_a_badly_damaged_file_say_so_without_a_traceback(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    size = portfolio.stat().st_size
    with portfolio.open("r+b") as handle:
        for share in (0.3, 0.6, 0.9):
            handle.seek(int(size * share) // 4096 * 4096)
            handle.write(b"\xde\xad" * 4096 * 2)
    for argv in (["check"], ["agenda"], ["search", "customer"], ["renewals"]):
        code, _out, err = _run(capsys, *argv, "--db", str(portfolio))
        assert "Traceback" not in err
        if argv == ["check"]:
            assert code == 1 and "is damaged" in err and "***" not in err
