"""Opening the database: checks, pragmas, refusal of newer files, backup, and migration.

Every connection the app makes goes through :func:`open_database`, so foreign keys are always on
and every failure a person can meet (missing, locked, read-only, corrupt, foreign or newer file)
arrives as a typed :class:`~renewal_coach.storage.errors.StorageError` with a plain message.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import urllib.parse
import weakref
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from . import lock as writer_lock
from .errors import (
    DatabaseCorruptError,
    DatabaseEmptyError,
    DatabaseLockedError,
    DatabaseMissingError,
    DatabaseNeedsUpgradeError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
    DiskFullError,
    NotOurDatabaseError,
    StorageError,
)
from .migrations import MIGRATION_SET, SCHEMA_VERSION, known_names, migrations

#: Written to the SQLite header so the file can be recognised as ours ("RnwC").
APPLICATION_ID = 0x526E7743
_SQLITE_MAGIC = b"SQLite format 3\x00"
MEMORY = ":memory:"
#: The databases opened for changes that hold their file's writer lock.
_locks: weakref.WeakKeyDictionary[Database, Path] = weakref.WeakKeyDictionary()


def open_database(
    path: str | os.PathLike[str],
    *,
    create: bool = True,
    readonly: bool = False,
    timeout: float = 2.0,
    new_portfolio: bool = False,
) -> Database:
    """Open (and, unless read-only, migrate) the Renewal Coach database at ``path``.

    ``path`` may be ``":memory:"``. With ``create=False`` a missing file is an error rather than
    a new database. With ``readonly=True`` nothing is written: the file must already be at the
    current schema, and the connection refuses writes (``PRAGMA query_only``). Before an
    existing file is migrated, a copy joins its backups (``storage/backups.py``).

    A file opened for changes takes its writer lock (``storage/lock.py``): when another live
    process has it, :class:`~renewal_coach.storage.errors.DatabaseInUseError` says who. Close
    it with :func:`close_database` (``Store.close`` does) to give the lock back.

    A file that already exists but holds nothing (zero bytes, or an SQLite file with no tables)
    is refused with :class:`DatabaseEmptyError`, unless ``new_portfolio`` says the person asked
    for a new portfolio in that very file (or the caller has just created it for one).

    Raises a :class:`StorageError` subclass with a message for people on every expected failure.
    """
    memory = str(path) == MEMORY
    file = None if memory else Path(path).expanduser()
    existed = False
    if file is not None:
        existed = _check_file(file, create=create, readonly=readonly)
    locked = file is not None and not readonly and writer_lock.acquire(file)
    try:
        if file is None:
            conn = sqlite3.connect(MEMORY, timeout=timeout)
        elif readonly:
            conn = _connect_read_only(file, timeout)
        else:
            conn = sqlite3.connect(str(file), timeout=timeout)
    except sqlite3.Error as exc:
        if locked:
            writer_lock.release(file)  # type: ignore[arg-type]
        raise translate(exc, file) from exc
    db = Database(conn, execute_plugins=False)
    try:
        _prepare(db, file, readonly=readonly, empty_ok=new_portfolio or not existed)
    except BaseException:
        conn.close()
        if locked:
            writer_lock.release(file)  # type: ignore[arg-type]
        raise
    if locked:
        _locks[db] = file  # type: ignore[assignment]
    return db


def _connect_read_only(file: Path, timeout: float) -> sqlite3.Connection:
    """A connection that cannot write. A database in write-ahead-log mode needs its ``-shm``
    file; in a folder nobody may write to, where that file cannot be made, the file is read
    as it lies on disk (``immutable``): nobody can change it there either."""
    uri = "file:" + urllib.parse.quote(str(file.resolve())) + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=timeout)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        conn.close()
        shm = file.with_name(file.name + "-shm")
        if "unable to open" not in str(exc).lower() or shm.exists():
            raise
        conn = sqlite3.connect(uri + "&immutable=1", uri=True, timeout=timeout)
    conn.execute("PRAGMA query_only = ON")
    return conn


def close_database(db: Database) -> None:
    """Close ``db`` and give back the writer lock it took (see ``storage/lock.py``)."""
    try:
        db.close()
    finally:
        file = _locks.pop(db, None)
        if file is not None:
            writer_lock.release(file)


def _check_file(file: Path, *, create: bool, readonly: bool) -> bool:
    """Refuse what cannot be opened; True when the file exists (False: it will be created)."""
    if file.is_dir():
        raise DatabaseCorruptError(f"{file} is a folder, not a database file.")
    if not file.exists():
        if not create or readonly:
            raise DatabaseMissingError(f"There is no database at {file}.")
        folder = file.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseReadOnlyError(
                f"Cannot create the folder {folder} for the database: {exc.strerror}."
            ) from exc
        if not os.access(folder, os.W_OK):
            raise DatabaseReadOnlyError(f"Cannot create a database in {folder}: it is read-only.")
        return False
    try:
        with file.open("rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseReadOnlyError(f"Cannot read {file}: {exc.strerror}.") from exc
    if header and header != _SQLITE_MAGIC:
        raise DatabaseCorruptError(
            f"{file} is not a Renewal Coach database: it is not an SQLite file at all, "
            "or its first bytes are damaged."
        )
    if not readonly and is_read_only(file):
        raise DatabaseReadOnlyError(
            f"{file} is read-only, so changes could not be saved. Make the file and its folder "
            "writable, or open a copy that you can write to."
        )
    return True


def is_read_only(file: Path) -> bool:
    """True when the file has no write permission bits, or this user cannot write it or its folder.

    The permission bits are honoured even for administrators: a file someone marked read-only is
    meant to stay that way.
    """
    try:
        mode = file.stat().st_mode
    except OSError:
        return False
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return True
    return not os.access(file, os.W_OK) or not os.access(file.parent, os.W_OK)


def _prepare(db: Database, file: Path | None, *, readonly: bool, empty_ok: bool = True) -> None:
    try:
        db.execute("PRAGMA foreign_keys = ON")
        # Reading the schema forces SQLite to parse the header: corruption shows up here.
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        user_version = db.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        raise translate(exc, file) from exc

    label = str(file) if file else "The in-memory database"
    if not tables and not empty_ok and file is not None:
        raise DatabaseEmptyError(_empty_message(file))
    ours = app_id == APPLICATION_ID or "_sqlite_migrations" in tables
    if tables and not ours:
        raise NotOurDatabaseError(
            f"{label} is an SQLite database from another program, not a Renewal Coach database."
        )
    applied = _applied(db) if "_sqlite_migrations" in tables else []
    unknown = [name for name in applied if name not in known_names()]
    if user_version > SCHEMA_VERSION or unknown:
        raise DatabaseTooNewError(
            f"{label} was saved by a newer version of Renewal Coach (data format "
            f"{max(user_version, len(applied))}; this version understands up to {SCHEMA_VERSION}). "
            "Install the newer version to open it. The file has not been changed."
        )
    pending = [name for name in known_names() if name not in applied]

    if readonly:
        if pending:
            raise DatabaseNeedsUpgradeError(
                f"{label} was saved by an older version of Renewal Coach. Open it once in the app "
                "to upgrade it (a backup copy is made first)."
            )
        return

    try:
        _check_writable(db)
        if file is not None:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        if pending:
            if file is not None and applied:
                from .backups import UPGRADE, make_backup

                make_backup(db.conn, file, UPGRADE)
            migrations.apply(db)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    except sqlite3.Error as exc:
        raise translate(exc, file) from exc


def _empty_message(file: Path) -> str:
    try:
        size = file.stat().st_size
    except OSError:
        size = -1
    what = (
        "the file is empty (0 bytes)"
        if size == 0
        else "it is an SQLite database with no tables in it"
    )
    return (
        f"{file} holds no Renewal Coach portfolio: {what}. It may be a copy that never "
        "finished, or a file another program made. Nothing was changed. Open another file, "
        "or start a new portfolio under a name that is not taken yet."
    )


def _applied(db: Database) -> list[str]:
    return [
        row[0]
        for row in db.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            [MIGRATION_SET],
        )
    ]


def _check_writable(db: Database) -> None:
    """Take and release the write lock, so a locked file is reported now, not at the first save."""
    db.execute("BEGIN IMMEDIATE")
    db.execute("ROLLBACK")


def translate(exc: sqlite3.Error, file: Path | None = None) -> StorageError:
    """Turn an sqlite3 error into the StorageError a person should see."""
    text = str(exc).lower()
    where = str(file) if file else "the database"
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(
            f"{where} is in use by another program or another Renewal Coach window. Close it and "
            "try again."
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseReadOnlyError(f"{where} is read-only, so the change was not saved.")
    if "disk is full" in text or "disk full" in text:
        return DiskFullError("The disk is full, so the last change was not saved. Free some space.")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseCorruptError(
            f"{where} is damaged and cannot be read. Restore the latest good backup (File ▸ "
            "Restore…, or 'renewal-coach restore'); backups are kept in the backups folder "
            "beside it."
        )
    if "unable to open" in text:
        return DatabaseMissingError(
            f"Cannot open {where}: the file or its folder is not accessible."
        )
    return StorageError(f"The database reported a problem: {exc}")


@contextlib.contextmanager
def storage_errors(file: Path | None = None) -> Iterator[None]:
    """Context manager that re-raises sqlite3 errors as StorageError with a plain message."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise
    except sqlite3.Error as exc:
        raise translate(exc, file) from exc


def database_path(db: Database) -> Path | None:
    """The file behind ``db``, or None for an in-memory database."""
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None
