"""Backups: consistent copies while writing, the rotation over simulated days, restores,
the refusal of newer and damaged backups, and the integrity check on a damaged file."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from renewal_coach.core import models as m
from renewal_coach.storage import backups as bk
from renewal_coach.storage.db import open_database
from renewal_coach.storage.errors import (
    DatabaseCorruptError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
)
from renewal_coach.storage.integrity import is_damage, quick_check
from renewal_coach.storage.migrations import SCHEMA_VERSION
from renewal_coach.storage.repository import Store


def _portfolio(path: Path, accounts: int = 3) -> Store:
    store = Store(open_database(path))
    for i in range(accounts):
        account = store.accounts.add(m.Account(name=f"Customer {i}"))
        store.contracts.add(
            m.Contract(
                account_id=account.id,
                reference=f"C-{i}",
                title="Cleaning",
                start_date=date(2025, 1, 1),
                end_date=date(2027, 1, 1),
            )
        )
    return store


def flip_pages(path: Path) -> None:
    """Damage the file the way a failing disk does: overwrite pages in the middle of it."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(os.urandom(4096 * 3))


def test_backup_while_another_connection_writes_is_consistent(db_path: Path) -> None:
    store = _portfolio(db_path, accounts=50)
    store.close()
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        conn = sqlite3.connect(db_path, timeout=10)
        n = 0
        while not stop.is_set():
            with conn:  # one account per transaction, as the app writes
                conn.execute(
                    "INSERT INTO accounts (id, created_at, updated_at, name) VALUES (?, ?, ?, ?)",
                    [f"w{n}", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", f"Writer {n}"],
                )
            n += 1
        written.append(n)
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = []
        source = sqlite3.connect(db_path, timeout=10)
        for i in range(5):
            copies.append(
                bk.make_backup(source, db_path, bk.MANUAL, now=datetime(2026, 3, 1 + i, 9, 0))
            )
        source.close()
    finally:
        stop.set()
        thread.join()
    assert written and written[0] > 0
    for copy in copies:
        assert quick_check(copy, full=True).ok
        conn = sqlite3.connect(copy)
        total = conn.execute("SELECT count(*) FROM accounts").fetchone()[0]
        names = conn.execute("SELECT count(*) FROM accounts WHERE name LIKE 'Writer %'").fetchone()[
            0
        ]
        # Every writer row in the copy is a whole transaction: the count is a snapshot.
        assert total == 50 + names
        ids = {r[0] for r in conn.execute("SELECT id FROM accounts WHERE id LIKE 'w%'")}
        assert ids == {f"w{n}" for n in range(names)}  # no gap: a prefix of the writes
        conn.close()


def test_restore_round_trip_keeps_the_current_file_first(db_path: Path) -> None:
    store = _portfolio(db_path, accounts=2)
    good = bk.make_backup(store.db.conn, db_path, bk.MANUAL, now=datetime(2026, 3, 1, 9, 0))
    store.accounts.add(m.Account(name="Added after the backup"))
    store.close()

    done = bk.restore_backup(good, db_path, now=datetime(2026, 3, 2, 9, 0))

    restored = Store(open_database(db_path))
    assert sorted(a.name for a in restored.accounts.all()) == ["Customer 0", "Customer 1"]
    restored.close()
    assert done.kept_as is not None and done.kept_as.name.endswith("-restore.db")
    kept = sqlite3.connect(done.kept_as)
    names = {r[0] for r in kept.execute("SELECT name FROM accounts")}
    kept.close()
    assert "Added after the backup" in names
    # Restoring the kept copy undoes the restore.
    bk.restore_backup(done.kept_as, db_path, now=datetime(2026, 3, 2, 10, 0))
    again = Store(open_database(db_path))
    assert "Added after the backup" in {a.name for a in again.accounts.all()}
    again.close()


def test_a_backup_from_a_newer_version_is_refused_and_nothing_changes(db_path: Path) -> None:
    store = _portfolio(db_path)
    newer = db_path.parent / "newer.db"
    bk.copy_database(store.db.conn, newer)
    store.close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseTooNewError) as err:
        bk.restore_backup(newer, db_path)
    assert "newer version" in str(err.value)
    assert db_path.read_bytes() == before
    assert not bk.folder_of(db_path).exists() or not list(bk.folder_of(db_path).iterdir())
    assert bk.contents(newer).too_new


def test_a_damaged_backup_is_refused_and_latest_good_skips_it(db_path: Path) -> None:
    store = _portfolio(db_path, accounts=40)
    older = bk.make_backup(store.db.conn, db_path, bk.OPEN, now=datetime(2026, 3, 1, 9, 0))
    newest = bk.make_backup(store.db.conn, db_path, bk.OPEN, now=datetime(2026, 3, 2, 9, 0))
    store.close()
    flip_pages(newest)
    with pytest.raises(DatabaseCorruptError):
        bk.restore_backup(newest, db_path)
    assert bk.latest_good_backup(db_path) == older


def test_quick_check_finds_a_flipped_page(db_path: Path) -> None:
    store = _portfolio(db_path, accounts=60)
    store.close()
    assert quick_check(db_path).ok
    flip_pages(db_path)
    result = quick_check(db_path)
    assert not result.ok and result.problems
    assert "no damage" not in result.summary


def test_is_damage_tells_damage_from_other_errors() -> None:
    assert is_damage(sqlite3.DatabaseError("database disk image is malformed"))
    assert is_damage(DatabaseCorruptError("damaged"))
    assert not is_damage(sqlite3.OperationalError("database is locked"))
    assert not is_damage(ValueError("x"))


def _made(path: Path, when: datetime, kind: str = bk.OPEN) -> bk.Backup:
    return bk.Backup(path / f"portfolio-{when:%Y%m%d-%H%M%S}-{kind}.db", when, kind, 1)


def test_rotation_keeps_seven_daily_four_weekly_twelve_monthly(tmp_path: Path) -> None:
    # Two backups a day (opened in the morning, closed after changes) for two years.
    start = datetime(2025, 1, 1, 9, 0)
    made = []
    for day in range(730):
        when = start + timedelta(days=day)
        made.append(_made(tmp_path, when))
        made.append(_made(tmp_path, when.replace(hour=17), bk.CLOSE))
    today = (start + timedelta(days=729)).date()
    keep = bk.to_keep(made, bk.Rotation(), today)
    kept = sorted((b for b in made if b.path in keep), key=lambda b: b.made, reverse=True)
    days = {b.made.date() for b in kept}
    # The last 7 days: each day's newest (the evening one).
    for back in range(7):
        assert today - timedelta(days=back) in days
    assert all(b.kind == bk.CLOSE for b in kept)
    weeks = {tuple(b.made.date().isocalendar())[:2] for b in kept}
    months = {(b.made.year, b.made.month) for b in kept}
    assert len(weeks) >= 4 and len(months) == 12
    assert len(kept) <= 7 + 4 + 12
    assert min(b.made for b in kept).date() > today - timedelta(days=366)


def test_rotation_over_simulated_days_on_disk(db_path: Path) -> None:
    store = _portfolio(db_path)
    start = datetime(2026, 1, 1, 8, 0)
    for day in range(60):
        bk.make_backup(store.db.conn, db_path, bk.OPEN, now=start + timedelta(days=day))
    store.close()
    left = bk.list_backups(db_path)
    days = sorted({b.made.date() for b in left})
    last = (start + timedelta(days=59)).date()
    assert days[-7:] == [last - timedelta(days=n) for n in range(6, -1, -1)]
    assert len(left) <= 7 + 4 + 12 and len(left) >= 9
    assert {(d.year, d.month) for d in days} == {(2026, 1), (2026, 2), (2026, 3)}
    # Files the app did not name are never touched.
    stranger = bk.folder_of(db_path) / "my-own-copy.db"
    stranger.write_bytes(b"mine")
    bk.prune(db_path, bk.Rotation(daily=1, weekly=0, monthly=0), today=last)
    assert stranger.exists()
    assert len(bk.list_backups(db_path)) == 1


def test_the_copy_before_an_upgrade_outlives_later_backups_of_the_day(tmp_path: Path) -> None:
    upgrade = _made(tmp_path, datetime(2026, 3, 1, 9, 0), bk.UPGRADE)
    later = _made(tmp_path, datetime(2026, 3, 1, 17, 0), bk.CLOSE)
    versions = {upgrade.path: SCHEMA_VERSION - 1, later.path: SCHEMA_VERSION}
    keep = bk.to_keep([upgrade, later], bk.Rotation(), date(2026, 3, 2), versions)
    assert keep == {upgrade.path, later.path}
    # ...until it is older than the monthly window.
    keep = bk.to_keep([upgrade, later], bk.Rotation(monthly=1), date(2026, 6, 1), versions)
    assert upgrade.path not in keep


def test_rotation_is_kept_in_the_database_and_checked(db_path: Path) -> None:
    store = _portfolio(db_path)
    assert bk.load_rotation(store.db.conn) == bk.Rotation(7, 4, 12)
    bk.save_rotation(store.db.conn, bk.Rotation(daily=3, weekly=2, monthly=6))
    assert bk.load_rotation(store.db.conn) == bk.Rotation(3, 2, 6)
    with pytest.raises(bk.BackupError):
        bk.save_rotation(store.db.conn, bk.Rotation(daily=-1))
    with pytest.raises(bk.BackupError):
        bk.save_rotation(store.db.conn, bk.Rotation(0, 0, 0))
    assert bk.Rotation.from_json('{"daily": "x"}') == bk.Rotation()
    store.close()


def test_contents_say_what_a_backup_holds(db_path: Path) -> None:
    store = _portfolio(db_path, accounts=4)
    copy = bk.make_backup(store.db.conn, db_path, bk.MANUAL)
    store.close()
    held = bk.contents(copy)
    assert (held.accounts, held.contracts, held.schema_version) == (4, 4, SCHEMA_VERSION)
    assert held.last_change.startswith(str(date.today().year)[:2])
    assert not held.problem


def test_old_pre_upgrade_copies_beside_the_file_join_the_folder(db_path: Path) -> None:
    store = _portfolio(db_path)
    legacy = db_path.with_name("portfolio.backup-20250101-101010.db")
    bk.copy_database(store.db.conn, legacy)
    bk.make_backup(store.db.conn, db_path, bk.MANUAL, now=datetime(2025, 1, 2, 9, 0))
    store.close()
    assert not legacy.exists()
    names = [b.path.name for b in bk.list_backups(db_path)]
    assert "portfolio-20250101-101010-upgrade.db" in names


def test_a_read_only_store_refuses_every_write(db_path: Path) -> None:
    _portfolio(db_path).close()
    store = Store(open_database(db_path, create=False, readonly=True))
    assert store.read_only
    with pytest.raises(DatabaseReadOnlyError):
        store.accounts.add(m.Account(name="Not allowed"))
    store.close()
    writable = Store(open_database(db_path))
    assert not writable.read_only and not writable.changed
    writable.accounts.add(m.Account(name="Allowed"))
    assert writable.changed
    writable.close()


def test_a_copy_left_half_written_by_a_killed_backup_is_swept_later(db_path: Path) -> None:
    """A backup killed mid-copy leaves its hidden .partial file; the next backup removes it once
    it is old enough that no other process can still be writing it."""
    store = _portfolio(db_path)
    folder = bk.folder_of(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stale = folder / f".{db_path.stem}-20260101-080000-manual.db.partial"
    stale_journal = folder / f"{stale.name}-journal"
    fresh = folder / f".{db_path.stem}-20260101-090000-open.db.partial"
    for path in (stale, stale_journal, fresh):
        path.write_bytes(b"half a copy")
    old = datetime.now().timestamp() - 2 * 3600
    os.utime(stale, (old, old))
    os.utime(stale_journal, (old, old))
    bk.make_backup(store.db.conn, db_path, bk.MANUAL)
    store.close()
    assert not stale.exists() and not stale_journal.exists()
    assert fresh.exists()  # perhaps another process's copy under way
    assert len(bk.list_backups(db_path)) == 1


def test_restore_refuses_a_file_marked_read_only_and_leaves_it_alone(db_path: Path) -> None:
    """Replacing a file only needs its folder to be writable; a file the person marked
    read-only must still not be swapped for a backup (nor lose its read-only mark)."""
    import stat

    store = _portfolio(db_path, accounts=2)
    good = bk.make_backup(store.db.conn, db_path, bk.MANUAL, now=datetime(2026, 3, 1, 9, 0))
    store.accounts.add(m.Account(name="Added after the backup"))
    store.close()
    db_path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        before = db_path.read_bytes()
        with pytest.raises(DatabaseReadOnlyError, match="read-only"):
            bk.restore_backup(good, db_path)
        assert db_path.read_bytes() == before
        assert not db_path.stat().st_mode & stat.S_IWUSR
        assert [b.kind for b in bk.list_backups(db_path)] == [bk.MANUAL]
    finally:
        db_path.chmod(stat.S_IRUSR | stat.S_IWUSR)
