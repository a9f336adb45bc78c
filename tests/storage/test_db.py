"""Opening, migrating, guarding and backing up the database file."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlite_utils import Database

from renewal_coach.core import models as m
from renewal_coach.core.errors import ValidationError
from renewal_coach.storage.db import APPLICATION_ID, open_database
from renewal_coach.storage.errors import (
    DatabaseCorruptError,
    DatabaseEmptyError,
    DatabaseLockedError,
    DatabaseMissingError,
    DatabaseNeedsUpgradeError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
    NotOurDatabaseError,
)
from renewal_coach.storage.migrations import SCHEMA_VERSION, known_names, migrations
from renewal_coach.storage.repository import Store


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_gets_every_migration_and_the_pragmas(db_path: Path) -> None:
    db = open_database(db_path)
    applied = [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == known_names()
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    # A brand-new database has nothing to back up.
    assert not (db_path.parent / "backups").exists()
    db.close()


def test_reopening_a_current_file_changes_nothing_and_makes_no_backup(db_path: Path) -> None:
    open_database(db_path).close()
    open_database(db_path).close()
    assert not (db_path.parent / "backups").exists()


@pytest.mark.parametrize("stop_index", range(1, len(known_names())))
def test_upgrade_from_every_earlier_version_keeps_data_and_backs_up(
    db_path: Path, stop_index: int
) -> None:
    # Build the file as an older release would have left it: only the first migrations.
    old = Database(str(db_path))
    migrations.apply(old, stop_before=known_names()[stop_index])
    old.execute(f"PRAGMA user_version = {stop_index}")
    old.execute(
        "INSERT INTO accounts (id, created_at, updated_at, name, revenue_12m_minor) "
        "VALUES ('a1', 't', 't', 'Harbour Trust', 123456)"
    )
    old.conn.commit()
    old.close()
    before = _digest(db_path)

    store = Store(open_database(db_path))

    applied = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == known_names()
    account = store.accounts.get("a1")
    assert account.name == "Harbour Trust"
    assert account.revenue_12m_minor == 123456
    # The copy joins the backups folder and its rotation, named for why it was made.
    backups = list((db_path.parent / "backups").glob("portfolio-*-upgrade.db"))
    assert len(backups) == 1
    # The backup is the file as it was, before the upgrade.
    backup = Database(str(backups[0]))
    assert [r[0] for r in backup.execute("SELECT name FROM _sqlite_migrations")] == (
        known_names()[:stop_index]
    )
    assert before  # the original was readable
    store.close()


def _no_tables(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: p.write_bytes(b""), "the file is empty (0 bytes)"),
        (_no_tables, "an SQLite database with no tables"),
    ],
    ids=["zero-bytes", "no-tables"],
)
@pytest.mark.parametrize(
    "how",
    [{}, {"create": True}, {"create": False}, {"readonly": True, "create": False}],
    ids=["default", "create", "no-create", "read-only"],
)
def test_a_file_that_holds_nothing_is_refused_and_left_as_it_was(
    db_path: Path, make: object, said: str, how: dict[str, bool]
) -> None:
    make(db_path)  # type: ignore[operator]
    before = db_path.read_bytes()
    with pytest.raises(DatabaseEmptyError) as err:
        open_database(db_path, **how)
    message = str(err.value)
    assert str(db_path) in message and said in message
    assert "holds no Renewal Coach portfolio" in message and "Nothing was changed" in message
    assert "older version" not in message
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


@pytest.mark.parametrize("make", [lambda p: p.write_bytes(b""), _no_tables])
def test_a_file_that_holds_nothing_becomes_a_portfolio_when_asked(
    db_path: Path, make: object
) -> None:
    make(db_path)  # type: ignore[operator]
    store = Store(open_database(db_path, new_portfolio=True))
    assert store.is_empty()
    store.accounts.add(m.Account(name="First Customer"))
    store.close()
    again = Store(open_database(db_path))  # from now on an ordinary portfolio
    assert [a.name for a in again.accounts.all()] == ["First Customer"]
    again.close()


def test_a_missing_file_still_becomes_a_new_portfolio(db_path: Path) -> None:
    assert not db_path.exists()
    store = Store(open_database(db_path, create=True))
    assert store.is_empty()
    store.close()


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(db_path: Path) -> None:
    db = open_database(db_path)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('renewal_coach', 'm999_from_the_future', 'later')"
    )
    db.conn.commit()
    db.close()
    before = _digest(db_path)
    with pytest.raises(DatabaseTooNewError, match="newer version"):
        open_database(db_path)
    assert _digest(db_path) == before


def test_a_higher_user_version_alone_is_refused(db_path: Path) -> None:
    db = open_database(db_path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    db.close()
    with pytest.raises(DatabaseTooNewError, match=f"up to {SCHEMA_VERSION}"):
        open_database(db_path)


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.db.execute(
            "INSERT INTO contracts (id, created_at, updated_at, account_id, title, reference, "
            "start_date, end_date) VALUES ('c', 't', 't', 'missing', 'T', 'R', '2025-01-01', "
            "'2026-01-01')"
        )


def test_a_failing_multi_row_write_rolls_back_completely(store: Store) -> None:
    with pytest.raises(ValidationError), store.atomic():
        account = store.accounts.add(m.Account(name="Northgate Water"))
        store.contracts.add(
            m.Contract(
                account_id=account.id,
                title="Leak detection",
                reference="NW-1",
                start_date="2025-01-01",
                end_date="2027-01-01",
            )
        )
        # Second contract is invalid: end before start. Everything above must vanish too.
        store.contracts.add(
            m.Contract(
                account_id=account.id,
                title="Metering",
                reference="NW-2",
                start_date="2025-01-01",
                end_date="2024-01-01",
            )
        )
    assert store.accounts.count() == 0
    assert store.contracts.count() == 0


def test_deleting_an_account_cascades(store: Store) -> None:
    account = store.accounts.add(m.Account(name="Kestrel Logistics"))
    store.contracts.add(
        m.Contract(
            account_id=account.id,
            title="Fleet",
            reference="K-1",
            start_date="2025-01-01",
            end_date="2027-01-01",
        )
    )
    store.accounts.delete(account.id)
    assert store.contracts.count() == 0


def test_missing_file_without_create_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissingError, match="no database"):
        open_database(tmp_path / "nope.db", create=False)
    assert not (tmp_path / "nope.db").exists()


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseCorruptError, match="folder"):
        open_database(tmp_path)


def test_a_text_file_is_reported_as_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("Quarterly review notes\n")
    with pytest.raises(DatabaseCorruptError, match="not an SQLite file"):
        open_database(bogus)
    assert bogus.read_text() == "Quarterly review notes\n"


def test_a_damaged_sqlite_file_is_reported_as_damaged(db_path: Path) -> None:
    store = Store(open_database(db_path))
    store.accounts.add(m.Account(name="Damaged Ltd"))
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(db_path.read_bytes())
    # Keep the magic string, scribble over the rest of the header and the schema page.
    data[16:4096] = os.urandom(4096 - 16)
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorruptError, match=r"damaged|not an SQLite"):
        open_database(db_path)


def test_another_programs_sqlite_file_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "music.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE tracks (title TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(NotOurDatabaseError, match="another program"):
        open_database(other)


def test_a_locked_database_is_reported(db_path: Path) -> None:
    open_database(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseLockedError, match="in use"):
            open_database(db_path, timeout=0.1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_read_only_file_is_refused_for_writing_but_can_be_read(db_path: Path) -> None:
    store = Store(open_database(db_path))
    store.accounts.add(m.Account(name="Read Only Council"))
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    db_path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        with pytest.raises(DatabaseReadOnlyError, match="read-only"):
            open_database(db_path)
        reader = Store(open_database(db_path, readonly=True))
        assert [a.name for a in reader.accounts.all()] == ["Read Only Council"]
        reader.close()
    finally:
        db_path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_read_only_open_of_an_older_file_asks_for_an_upgrade(db_path: Path) -> None:
    old = Database(str(db_path))
    migrations.apply(old, stop_before=known_names()[-1])
    old.close()
    with pytest.raises(DatabaseNeedsUpgradeError, match="older version"):
        open_database(db_path, readonly=True)


def test_memory_database_is_fully_migrated() -> None:
    db = open_database(":memory:")
    assert set(known_names()) <= {r[0] for r in db.execute("SELECT name FROM _sqlite_migrations")}
    db.close()
