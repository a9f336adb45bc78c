"""A restore goes through the change history: the records become the backup's, the entries made
after the backup stay, and entries of kind ``restore`` say exactly what the restore changed."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from renewal_coach.core import models as m
from renewal_coach.core.history import Author
from renewal_coach.core.records import fields_of
from renewal_coach.storage import backups as bk
from renewal_coach.storage.db import open_database
from renewal_coach.storage.history import entity_classes
from renewal_coach.storage.migrations import known_names, migrations
from renewal_coach.storage.repository import _LINKS, Store
from tests.storage.test_backups import flip_pages

BEA = Author("Bea Lind", "fedcba9876543210")
EVA = Author("Eva Restorer", "0011223344556677")


def _seed(path: Path) -> dict[str, Any]:
    """A small portfolio: two accounts with a contract, people and an interaction each."""
    store = Store(open_database(path), BEA)
    made: dict[str, Any] = {}
    for i, name in enumerate(("Harbour Trust", "Penrose University")):
        account = store.accounts.add(m.Account(name=name, region="North"))
        contract = store.contracts.add(
            m.Contract(
                account_id=account.id,
                reference=f"REF-{i}",
                title="Estates maintenance",
                start_date=date(2025, 1, 1),
                end_date=date(2027, 1, 1),
            )
        )
        people = [
            store.stakeholders.add(m.Stakeholder(account_id=account.id, name=f"{who} {i}"))
            for who in ("Ada", "Ben")
        ]
        meeting = store.interactions.add(
            m.Interaction(
                account_id=account.id,
                contract_id=contract.id,
                occurred_on=date(2026, 2, 1),
                purpose="Quarterly review",
                stakeholder_ids=[p.id for p in people],
            )
        )
        made[name] = {
            "account": account,
            "contract": contract,
            "people": people,
            "meeting": meeting,
        }
    store.db.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES ('probe', 'backup', 't')"
    )
    store.db.conn.commit()
    store.close()
    return made


def _records(path: Path) -> dict[str, dict[str, tuple]]:
    """Every row of every record and link table, by table and id (what a restore must match)."""
    conn = sqlite3.connect(path)
    try:
        out: dict[str, dict[str, tuple]] = {}
        for table in entity_classes():
            out[table] = {r[0]: tuple(r) for r in conn.execute(f"SELECT * FROM {table}")}
        for link, owner, member in _LINKS.values():
            rows = conn.execute(f"SELECT {owner}, {member} FROM {link} ORDER BY rowid")
            out[link] = {}
            for own, mem in rows:
                out[link].setdefault(own, ())
                out[link][own] += (mem,)
        return out
    finally:
        conn.close()


def _expected(now: Path, backup: Path) -> set[tuple]:
    """The differences between two files, worked out from their rows alone: (table, id, change,
    field, old, new) per field edited, (table, id, "add"/"delete") per whole record, and
    (table, id, list field, old list, new list) per list that differs."""
    a, b = sqlite3.connect(now), sqlite3.connect(backup)
    out: set[tuple] = set()
    try:
        for table, cls in entity_classes().items():
            fields = [fi.name for fi in fields_of(cls) if fi.kind != "idlist"]
            cols = ", ".join(["id", *(f'"{f}"' for f in fields)])
            before = {r[0]: r[1:] for r in a.execute(f"SELECT {cols} FROM {table}")}
            after = {r[0]: r[1:] for r in b.execute(f"SELECT {cols} FROM {table}")}
            for rid in before.keys() - after.keys():
                out.add((table, rid, "delete"))
            for rid in after.keys() - before.keys():
                out.add((table, rid, "add"))
            for rid in before.keys() & after.keys():
                for name, old, new in zip(fields, before[rid], after[rid], strict=True):
                    if old != new:
                        out.add((table, rid, "edit", name, old, new))
            for fi in fields_of(cls):
                if fi.kind != "idlist":
                    continue
                link, owner, member = _LINKS[fi.name]

                def lists(conn: sqlite3.Connection) -> dict[str, list[str]]:
                    found: dict[str, list[str]] = {}
                    for own, mem in conn.execute(
                        f"SELECT {owner}, {member} FROM {link} ORDER BY rowid"  # noqa: B023
                    ):
                        found.setdefault(own, []).append(mem)
                    return found

                old_lists, new_lists = lists(a), lists(b)
                for rid in after:
                    old, new = old_lists.get(rid, []), new_lists.get(rid, [])
                    if old != new:
                        out.add(
                            (table, rid, fi.name, json.dumps(old) if old else None, json.dumps(new))
                        )
    finally:
        a.close()
        b.close()
    return out


def _restore_entries(path: Path, since_seq: int = 0) -> list[sqlite3.Row]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(
            "SELECT * FROM changes WHERE seq > ? AND op_kind = 'restore' ORDER BY seq", [since_seq]
        ).fetchall()
    finally:
        conn.close()


def _as_differences(entries: list[sqlite3.Row]) -> set[tuple]:
    out: set[tuple] = set()
    list_names = {
        fi.name for cls in entity_classes().values() for fi in fields_of(cls) if fi.kind == "idlist"
    }
    for e in entries:
        if e["field"] in list_names:
            out.add((e["entity"], e["record_id"], e["field"], e["old_value"], e["new_value"]))
        elif e["field"] == "":
            out.add((e["entity"], e["record_id"], e["change"]))
        else:
            out.add(
                (
                    e["entity"],
                    e["record_id"],
                    e["change"],
                    e["field"],
                    e["old_value"],
                    e["new_value"],
                )
            )
    return out


def _log(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM changes ORDER BY seq").fetchall()
    finally:
        conn.close()


def _backup(path: Path, when: datetime) -> Path:
    conn = sqlite3.connect(path)
    try:
        return bk.make_backup(conn, path, bk.MANUAL, now=when)
    finally:
        conn.close()


def test_a_restore_sets_the_records_keeps_the_log_and_logs_each_difference(db_path: Path) -> None:
    made = _seed(db_path)
    backup = _backup(db_path, datetime(2026, 3, 1, 9, 0))

    # After the backup: an edit, an add, a whole account deleted (its records cascade), a list
    # changed, a new contract that an existing interaction is moved to (a restore deletes the
    # contract: the interaction's move back must be logged once, not as a cleared field too).
    store = Store(open_database(db_path), BEA)
    harbour, penrose = made["Harbour Trust"], made["Penrose University"]
    store.accounts.update(dataclasses.replace(harbour["account"], name="Harbour Trust plc"))
    store.contracts.update(
        dataclasses.replace(
            harbour["contract"], title="Estates and grounds", annual_value_minor=5_000_000
        )
    )
    extra = store.contracts.add(
        m.Contract(
            account_id=harbour["account"].id,
            reference="REF-NEW",
            title="Grounds",
            start_date=date(2026, 1, 1),
            end_date=date(2028, 1, 1),
        )
    )
    meeting = store.interactions.get(harbour["meeting"].id)
    store.interactions.update(
        dataclasses.replace(
            meeting, contract_id=extra.id, stakeholder_ids=[harbour["people"][1].id]
        )
    )
    store.accounts.add(m.Account(name="Added after the backup"))
    store.accounts.delete(penrose["account"].id)
    store.db.execute("UPDATE settings SET value = 'changed' WHERE key = 'probe'")
    store.db.execute(
        "INSERT INTO calendar_events (uid, account_id, due, content_hash, first_exported, "
        "changed_at, last_exported) VALUES ('e1@x', ?, '2026-05-01', 'h', 't', 't', 't')",
        [harbour["account"].id],
    )
    store.db.conn.commit()
    store.close()
    log_before = _log(db_path)
    last_seq = log_before[-1][0]
    expected = _expected(db_path, backup)

    done = bk.restore_backup(backup, db_path, now=datetime(2026, 3, 2, 9, 0), author=EVA)

    assert not done.replaced and done.kept_as is not None
    # The records are the backup's.
    assert _records(db_path) == _records(backup)
    # The log kept every entry, the ones made after the backup included, and grew.
    log_after = _log(db_path)
    assert log_after[: len(log_before)] == log_before
    entries = _restore_entries(db_path, last_seq)
    assert len(entries) == len(log_after) - len(log_before) == done.logged
    # One operation, signed by the person restoring.
    assert {(e["op_id"], e["who"], e["device"]) for e in entries} == {
        (entries[0]["op_id"], "Eva Restorer", EVA.device)
    }
    # Exactly the differences, field by field; each (record, field) once.
    assert _as_differences(entries) == expected
    keys = [(e["entity"], e["record_id"], e["field"]) for e in entries]
    assert len(keys) == len(set(keys))
    names = {(e["entity"], e["change"], e["field"], e["new_value"]) for e in entries}
    assert ("accounts", "edit", "name", "Harbour Trust") in names
    assert ("interactions", "edit", "contract_id", harbour["contract"].id) in names
    assert any(k == ("accounts", penrose["account"].id, "") for k in keys)  # added back
    # Every entry names its account, so the account's History panel shows it.
    assert all(e["account_id"] for e in entries)
    # Settings come from the backup; what the calendar holds stays.
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT value FROM settings WHERE key = 'probe'").fetchone() == ("backup",)
    assert conn.execute("SELECT count(*) FROM calendar_events").fetchone() == (1,)
    # The search index follows the records.
    hits = conn.execute(
        "SELECT label FROM search_docs WHERE kind = 'account' ORDER BY label"
    ).fetchall()
    conn.close()
    assert [h[0] for h in hits] == ["Harbour Trust", "Penrose University"]
    # The file as it was is kept, with its own history.
    assert len(_log(done.kept_as)) == len(log_before)


def test_a_restore_that_changes_nothing_adds_no_entry(db_path: Path) -> None:
    _seed(db_path)
    backup = _backup(db_path, datetime(2026, 3, 1, 9, 0))
    before = _log(db_path)

    done = bk.restore_backup(backup, db_path, author=EVA)

    assert done.logged == 0 and not done.replaced
    assert _log(db_path) == before


def test_restoring_twice_undoes_the_restore_through_the_log(db_path: Path) -> None:
    made = _seed(db_path)
    backup = _backup(db_path, datetime(2026, 3, 1, 9, 0))
    store = Store(open_database(db_path), BEA)
    store.accounts.delete(made["Harbour Trust"]["account"].id)
    store.close()
    after_edit = _records(db_path)

    first = bk.restore_backup(backup, db_path, now=datetime(2026, 3, 2, 9, 0), author=EVA)
    assert first.kept_as is not None
    second = bk.restore_backup(first.kept_as, db_path, now=datetime(2026, 3, 2, 10, 0))

    assert _records(db_path) == after_edit
    entries = _restore_entries(db_path)
    assert len({e["op_id"] for e in entries}) == 2
    # Put back: the account, its contract, two people, the interaction and its people list;
    # deleted again: the five records (a deleted record's list goes with its tombstone).
    assert (first.logged, second.logged) == (6, 5)
    assert {e["change"] for e in entries[first.logged :]} == {"delete"}


def _old_file(path: Path, stop_before: str) -> None:
    """A file as an older release left it: the migrations before ``stop_before`` only."""
    old = Database(str(path))
    migrations.apply(old, stop_before=stop_before)
    old.execute(f"PRAGMA user_version = {known_names().index(stop_before)}")
    old.execute(
        "INSERT INTO accounts (id, created_at, updated_at, name, revenue_12m_minor, "
        "segment_override, segment_override_reason) VALUES "
        "('a-old', 't', 't', 'Brabant Koeltransport', 100000, 'proportionate', 'Reference')"
    )
    old.execute(
        "INSERT INTO contracts (id, created_at, updated_at, account_id, title, reference, "
        "start_date, end_date) VALUES ('c-old', 't', 't', 'a-old', 'Cold store', 'BK-1', "
        "'2025-01-01', '2027-01-01')"
    )
    old.conn.commit()
    old.close()


def test_a_backup_from_before_the_history_is_upgraded_on_a_copy_and_restored_through_it(
    db_path: Path, tmp_path: Path
) -> None:
    old = tmp_path / "older.db"
    _old_file(old, "m008_segment_maintain")  # before the segment rename and the history
    old_bytes = old.read_bytes()
    made = _seed(db_path)
    log_before = _log(db_path)

    done = bk.restore_backup(old, db_path, author=EVA)

    assert old.read_bytes() == old_bytes  # the person's backup is never touched
    assert not done.replaced
    store = Store(open_database(db_path), BEA)
    try:
        accounts = store.accounts.all()
        assert [a.name for a in accounts] == ["Brabant Koeltransport"]
        assert accounts[0].segment_override is not None
        assert accounts[0].segment_override.value == "maintain"  # m008 ran on the copy
        assert [c.reference for c in store.contracts.all()] == ["BK-1"]
    finally:
        store.close()
    assert _log(db_path)[: len(log_before)] == log_before
    entries = _restore_entries(db_path, log_before[-1][0])
    gone = {e["record_id"] for e in entries if e["change"] == "delete"}
    for name in ("Harbour Trust", "Penrose University"):
        assert made[name]["account"].id in gone
        assert made[name]["contract"].id in gone
    added = {e["record_id"] for e in entries if e["change"] == "add" and e["field"] == ""}
    assert added == {"a-old", "c-old"}
    assert len(entries) == done.logged


def test_a_damaged_file_is_replaced_by_the_backup_and_one_entry_says_so(db_path: Path) -> None:
    store = Store(open_database(db_path), BEA)
    for i in range(120):
        store.accounts.add(m.Account(name=f"Customer {i:03d}", notes="x" * 200))
    store.close()
    backup = _backup(db_path, datetime(2026, 3, 1, 9, 0))
    log_in_backup = _log(backup)
    flip_pages(db_path)

    done = bk.restore_backup(backup, db_path, now=datetime(2026, 3, 2, 9, 0), author=EVA)

    assert done.replaced and done.logged == 1 and done.kept_as is not None
    log = _log(db_path)
    assert log[: len(log_in_backup)] == log_in_backup
    (entry,) = _restore_entries(db_path)
    assert (entry["entity"], entry["record_id"], entry["field"], entry["change"]) == (
        "file",
        db_path.name,
        "contents",
        "edit",
    )
    assert entry["old_value"] == done.kept_as.name and entry["new_value"] == backup.name
    assert entry["who"] == "Eva Restorer" and entry["account_id"] is None
    assert _records(db_path) == _records(backup)


def test_values_passed_along_a_chain_of_records_are_set_one_at_a_time(db_path: Path) -> None:
    made = _seed(db_path)
    account = made["Harbour Trust"]["account"]
    store = Store(open_database(db_path), BEA)
    second = store.contracts.add(
        m.Contract(
            account_id=account.id,
            reference="REF-B",
            title="Security",
            start_date=date(2025, 1, 1),
            end_date=date(2027, 1, 1),
        )
    )
    store.close()
    backup = _backup(db_path, datetime(2026, 3, 1, 9, 0))
    store = Store(open_database(db_path), BEA)
    # REF-B moves on to REF-C, then the first contract takes REF-B: restoring must give the
    # second contract REF-B back only once the first has let go of it.
    store.contracts.update(dataclasses.replace(store.contracts.get(second.id), reference="REF-C"))
    first = store.contracts.get(made["Harbour Trust"]["contract"].id)
    store.contracts.update(dataclasses.replace(first, reference="REF-B"))
    store.close()

    done = bk.restore_backup(backup, db_path, author=EVA)

    assert not done.replaced
    assert _records(db_path) == _records(backup)
    edits = {(e["record_id"], e["new_value"]) for e in _restore_entries(db_path)}
    assert edits == {(first.id, "REF-0"), (second.id, "REF-B")}


def test_a_true_swap_of_unique_values_falls_back_to_replacing_the_file(db_path: Path) -> None:
    made = _seed(db_path)
    backup = _backup(db_path, datetime(2026, 3, 1, 9, 0))
    store = Store(open_database(db_path), BEA)
    a = made["Harbour Trust"]["account"]
    b = made["Penrose University"]["account"]
    store.accounts.update(dataclasses.replace(store.accounts.get(a.id), name="Swap"))
    store.accounts.update(dataclasses.replace(store.accounts.get(b.id), name="Harbour Trust"))
    store.accounts.update(dataclasses.replace(store.accounts.get(a.id), name="Penrose University"))
    store.close()

    done = bk.restore_backup(backup, db_path, author=EVA)

    assert done.replaced and done.logged == 1
    assert _records(db_path) == _records(backup)


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_a_file_with_nothing_in_it_is_replaced(db_path: Path, tmp_path: Path, kind: str) -> None:
    source = tmp_path / "source.db"
    _seed(source)
    backup = _backup(source, datetime(2026, 3, 1, 9, 0))
    if kind == "empty":
        db_path.write_bytes(b"")

    done = bk.restore_backup(backup, db_path, author=EVA)

    assert done.replaced and done.logged == 1 and done.kept_as is None
    (entry,) = _restore_entries(db_path)
    assert entry["old_value"] is None and entry["new_value"] == backup.name
    assert _records(db_path) == _records(backup)
