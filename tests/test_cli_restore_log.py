"""renewal-coach restore goes through the change history, and renewal-coach history shows it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from renewal_coach.cli import main
from renewal_coach.core import models as m
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store
from tests.storage.test_backups import flip_pages


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_restore_latest_yes_logs_the_differences_and_history_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "portfolio.db"
    assert _run(capsys, "user", "--set", "Cleo Marsh")[0] == 0
    assert _run(capsys, "sample", str(path))[0] == 0
    assert _run(capsys, "backup", "--db", str(path))[0] == 0
    store = Store(open_database(path))
    first = store.accounts.all()[0]
    store.accounts.update(dataclasses.replace(first, notes="Edited after the backup"))
    store.accounts.add(m.Account(name="Added after the backup"))
    store.close()
    _code, before, _ = _run(capsys, "history", "--db", str(path), "--json")
    logged_before = json.loads(before)

    code, out, err = _run(capsys, "restore", "latest", "--yes", "--db", str(path))

    assert code == 0, err
    assert "Restored" in out and "kept as" in out
    assert "2 entries of kind 'restore'" in out  # the notes back, the added account gone
    _code, after, _ = _run(capsys, "history", "--db", str(path), "--json")
    entries = json.loads(after)
    restored = [e for e in entries if e["op_kind"] == "restore"]
    assert entries[len(restored) :] == logged_before  # every earlier entry is still there
    assert sorted((e["label"], e["field"], e["change"]) for e in restored) == [
        ("Added after the backup", "", "delete"),
        (first.name, "notes", "edit"),
    ]
    assert {e["who"] for e in restored} == {"Cleo Marsh"}
    assert len({e["op_id"] for e in restored}) == 1
    _code, table, _ = _run(capsys, "history", first.name, "--db", str(path), "--limit", "1")
    assert "restore" in table.splitlines()[1] and "Edited after the backup →" in table

    # Nothing differs now: a second restore of the same backup adds nothing.
    backup = next(p for p in (tmp_path / "backups").iterdir() if p.name.endswith("-manual.db"))
    code, out, _ = _run(capsys, "restore", str(backup), "--yes", "--db", str(path))
    assert code == 0 and "nothing was added to the change history" in out
    _code, again, _ = _run(capsys, "history", "--db", str(path), "--json")
    assert json.loads(again) == entries


def test_restore_over_a_damaged_file_replaces_it_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "portfolio.db"
    assert _run(capsys, "sample", str(path))[0] == 0
    assert _run(capsys, "backup", "--db", str(path))[0] == 0
    flip_pages(path)

    code, out, err = _run(capsys, "restore", "latest", "--yes", "--db", str(path))

    assert code == 0, err
    assert "backup's file was put in its place" in out
    _code, history, _ = _run(capsys, "history", "--db", str(path), "--limit", "1")
    line = history.splitlines()[1]
    assert "restore" in line and "File portfolio.db" in line and "Contents" in line


def test_a_restore_that_changed_one_record_says_so_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "portfolio.db"
    store = Store(open_database(path))
    store.accounts.add(m.Account(name="Kept"))
    store.close()
    assert _run(capsys, "backup", "--db", str(path))[0] == 0
    store = Store(open_database(path))
    store.accounts.add(m.Account(name="Added after the backup"))
    store.close()
    code, out, err = _run(capsys, "restore", "latest", "--yes", "--db", str(path))
    assert code == 0, err
    assert "1 entry of kind 'restore' says what changed" in out
    assert "lists it." in out
