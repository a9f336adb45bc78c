"""Backups of a database file: made, kept on a rotation, listed, checked and restored. Qt-free.

Every copy is made with SQLite's online backup API, so it is consistent even while another
connection writes (it copies one snapshot, and starts again if the source changes under it).
Copies of ``portfolio.db`` go to ``backups/`` beside it, named
``portfolio-YYYYmmdd-HHMMSS-KIND.db``; the kind says why it was made:

- ``open``: the first time the app opens the file on a day;
- ``close``: when the app closes the file after changes;
- ``manual``: File ▸ Back Up Now… or ``renewal-coach backup`` into the folder;
- ``upgrade``: just before a newer version upgrades the file;
- ``restore``: the file as it was just before a backup was restored over it.

All of them share one rotation (:class:`Rotation`): the newest copy of each of the last 7 days
that have one, of the last 4 weeks and of the last 12 months is kept, plus the newest copy in
each older data format (what the upgrade left behind) while it is younger than the monthly
window. The counts are stored in the database's own settings, so each portfolio keeps its own
and the command line and the app read the same. Files in the folder that do not follow the
naming are never touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sqlite3
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from ..core.dates import utc_now_iso
from ..core.history import Author
from .errors import (
    DatabaseCorruptError,
    DatabaseMissingError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
    StorageError,
)
from .migrations import SCHEMA_VERSION

FOLDER = "backups"
OPEN = "open"
CLOSE = "close"
MANUAL = "manual"
UPGRADE = "upgrade"
RESTORE = "restore"
KINDS = (OPEN, CLOSE, MANUAL, UPGRADE, RESTORE)
#: What each kind of backup is, in words for lists.
KIND_WORDS = {
    OPEN: "when opened",
    CLOSE: "when closed after changes",
    MANUAL: "made by hand",
    UPGRADE: "before an upgrade",
    RESTORE: "before a restore",
}
SETTINGS_KEY = "backup_rotation"
_STAMP = "%Y%m%d-%H%M%S"
#: Highest count of each rotation period a person may ask to keep.
MAX_KEEP = 1000


class BackupError(StorageError):
    """A backup could not be made, read or restored; the message says why and what is safe."""


@dataclass(frozen=True, slots=True)
class Rotation:
    """How many backups to keep: the newest of each of the last ``daily`` days that have one,
    ``weekly`` ISO weeks and ``monthly`` calendar months."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12

    def problems(self) -> list[str]:
        """What is wrong with these counts, in words; empty when they can be used."""
        out = []
        for name in ("daily", "weekly", "monthly"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_KEEP:
                out.append(f"Keep between 0 and {MAX_KEEP} {name} backups.")
        if not out and self.daily + self.weekly + self.monthly == 0:
            out.append("Keep at least one backup.")
        return out

    def to_json(self) -> str:
        return json.dumps(
            {"daily": self.daily, "weekly": self.weekly, "monthly": self.monthly}, sort_keys=True
        )

    @classmethod
    def from_json(cls, text: str) -> Rotation:
        """The rotation stored as JSON; the defaults for anything missing or unusable."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        base = cls()
        values = {}
        for name in ("daily", "weekly", "monthly"):
            value = data.get(name, getattr(base, name))
            ok = isinstance(value, int) and not isinstance(value, bool)
            values[name] = value if ok and 0 <= value <= MAX_KEEP else getattr(base, name)
        rotation = cls(**values)
        return rotation if not rotation.problems() else cls()


def load_rotation(conn: sqlite3.Connection) -> Rotation:
    """The rotation kept in this database's settings (the defaults when none is stored)."""
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", [SETTINGS_KEY]).fetchone()
    except sqlite3.Error:
        return Rotation()  # a file from before settings existed, or one being upgraded
    return Rotation.from_json(row[0]) if row else Rotation()


def save_rotation(conn: sqlite3.Connection, rotation: Rotation) -> None:
    """Keep ``rotation`` in the database's settings; raises BackupError for bad counts."""
    problems = rotation.problems()
    if problems:
        raise BackupError(" ".join(problems))
    with conn:
        conn.execute(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at",
            [SETTINGS_KEY, rotation.to_json(), utc_now_iso()],
        )


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file in the folder, known from its name and size alone (cheap to list)."""

    path: Path
    made: datetime
    kind: str
    size: int
    #: When the file was written (ns), to order backups made within the same second.
    written: int = 0

    @property
    def kind_words(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind)


@dataclass(frozen=True, slots=True)
class Contents:
    """What a backup holds, read from the copy itself."""

    schema_version: int
    accounts: int | None
    contracts: int | None
    #: The newest ``updated_at`` of any record (UTC, ISO), or "" when it holds none.
    last_change: str
    #: Why the counts could not be read ("" when they were).
    problem: str = ""

    @property
    def too_new(self) -> bool:
        return self.schema_version > SCHEMA_VERSION


def folder_of(database: Path) -> Path:
    """The backups folder of ``database``: ``backups/`` beside it."""
    return database.parent / FOLDER


def _pattern(database: Path) -> re.Pattern[str]:
    stem = re.escape(database.stem)
    kinds = "|".join(KINDS)
    return re.compile(rf"^{stem}-(\d{{8}}-\d{{6}})(?:-\d+)?-({kinds})\.db$")


def list_backups(database: Path) -> list[Backup]:
    """The backups of ``database`` in its backups folder, newest first."""
    folder = folder_of(database)
    pattern = _pattern(database)
    found: list[Backup] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or not entry.is_file():
            continue
        try:
            made = datetime.strptime(match.group(1), _STAMP)
            info = entry.stat()
        except (ValueError, OSError):
            continue
        found.append(Backup(Path(entry.path), made, match.group(2), info.st_size, info.st_mtime_ns))
    found.sort(key=_newest_first, reverse=True)
    return found


def _newest_first(backup: Backup) -> tuple[datetime, int, str]:
    return (backup.made, backup.written, backup.path.name)


def backed_up_on(database: Path, day: date) -> bool:
    """True when a backup of ``database`` was made on ``day`` (any kind)."""
    return any(b.made.date() == day for b in list_backups(database))


def schema_version_of(path: Path) -> int:
    """The data format a database file was written in, read from its header (no SQLite
    connection); 0 when the header cannot be read."""
    try:
        with path.open("rb") as handle:
            header = handle.read(64)
    except OSError:
        return 0
    if len(header) < 64 or not header.startswith(b"SQLite format 3\x00"):
        return 0
    return struct.unpack(">i", header[60:64])[0]


def copy_database(source: sqlite3.Connection, target: Path, *, overwrite: bool = False) -> Path:
    """Copy the database behind ``source`` into the new file ``target`` with SQLite's online
    backup; the copy appears whole or not at all (it is written beside and then renamed).

    An existing ``target`` is an error unless ``overwrite`` says the person agreed.
    """
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; nothing was overwritten. Choose another name.")
    partial = target.with_name(f".{target.name}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        dest = sqlite3.connect(str(partial))
        try:
            source.backup(dest)
            # One self-contained file, whatever the source's journal mode.
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        os.replace(partial, target)
    except sqlite3.Error as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        from .db import translate

        raise translate(exc, target) from exc
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise BackupError(
            f"The backup could not be written to {target}: {exc.strerror or exc}."
        ) from exc
    return target


def make_backup(
    source: sqlite3.Connection,
    database: Path,
    kind: str,
    *,
    now: datetime | None = None,
    rotation: Rotation | None = None,
    protect: Iterable[Path] = (),
) -> Path:
    """Copy the open database into its backups folder as a backup of ``kind``, then apply the
    rotation (the one stored in the database unless ``rotation`` is given), never removing the
    files in ``protect``. Returns the copy.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of backup {kind!r}")
    moment = now or datetime.now()
    target = _new_name(database, moment, kind)
    copy_database(source, target)
    _adopt_old_copies(database)
    _sweep_partials(database)
    prune(database, rotation or load_rotation(source), today=moment.date(), protect=protect)
    return target


def _new_name(database: Path, moment: datetime, kind: str) -> Path:
    """A name in the backups folder not taken yet: ``portfolio-YYYYmmdd-HHMMSS[-N]-KIND.db``."""
    folder = folder_of(database)
    name = f"{database.stem}-{moment.strftime(_STAMP)}"
    target = folder / f"{name}-{kind}.db"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{name}-{counter}-{kind}.db"
    return target


#: A half-written copy this old belongs to a backup that was killed, not to one under way.
_PARTIAL_AGE = timedelta(hours=1)


def _sweep_partials(database: Path) -> None:
    """Delete the hidden ``.partial`` copies (and their journals) that killed backups of
    ``database`` left behind, so they do not fill the disk unseen."""
    prefix = f".{database.stem}-"
    cutoff = datetime.now().timestamp() - _PARTIAL_AGE.total_seconds()  # file times are real
    try:
        entries = list(os.scandir(folder_of(database)))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or not (
            name.endswith(".partial") or name.endswith(".partial-journal")
        ):
            continue
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)


def _adopt_old_copies(database: Path) -> None:
    """Move the pre-upgrade copies older versions left beside the file
    (``portfolio.backup-YYYYmmdd-HHMMSS.db``) into the backups folder, so one rotation sees all.
    """
    legacy = re.compile(rf"^{re.escape(database.stem)}\.backup-(\d{{8}}-\d{{6}})(-\d+)?\.db$")
    try:
        entries = list(os.scandir(database.parent))
    except OSError:
        return
    for entry in entries:
        match = legacy.match(entry.name)
        if not match:
            continue
        target = folder_of(database) / (
            f"{database.stem}-{match.group(1)}{match.group(2) or ''}-{UPGRADE}.db"
        )
        if not target.exists():
            with contextlib.suppress(OSError):
                os.replace(entry.path, target)


def to_keep(
    backups: Sequence[Backup],
    rotation: Rotation,
    today: date,
    versions: dict[Path, int] | None = None,
) -> set[Path]:
    """The backups the rotation keeps (pure: ``versions`` gives each file's data format).

    The newest backup of each of the last ``daily`` days that have one, ``weekly`` ISO weeks
    and ``monthly`` months; and the newest backup of each data format older than the newest,
    while it is younger than the monthly window (so the copy taken before an upgrade outlives
    the day's later backups).
    """
    ordered = sorted(backups, key=_newest_first, reverse=True)
    keep: set[Path] = set()
    for count, period in (
        (rotation.daily, lambda d: (d.year, d.month, d.day)),
        (rotation.weekly, lambda d: tuple(d.isocalendar())[:2]),
        (rotation.monthly, lambda d: (d.year, d.month)),
    ):
        seen: set[tuple[int, ...]] = set()
        for backup in ordered:
            if len(seen) >= count:
                break
            key = period(backup.made.date())
            if key not in seen:
                seen.add(key)
                keep.add(backup.path)
    if versions:
        newest = max(versions.values(), default=0)
        oldest_day = today - timedelta(days=31 * max(rotation.monthly, 1))
        formats: set[int] = set()
        for backup in ordered:
            version = versions.get(backup.path, newest)
            if version < newest and version not in formats and backup.made.date() >= oldest_day:
                formats.add(version)
                keep.add(backup.path)
    return keep


def prune(
    database: Path, rotation: Rotation, *, today: date, protect: Iterable[Path] = ()
) -> list[Path]:
    """Delete the backups of ``database`` the rotation no longer keeps (never those in
    ``protect``); return them."""
    backups = list_backups(database)
    versions = {b.path: schema_version_of(b.path) for b in backups}
    keep = to_keep(backups, rotation, today, versions) | {Path(p) for p in protect}
    removed = []
    for backup in backups:
        if backup.path not in keep:
            with contextlib.suppress(OSError):
                backup.path.unlink()
                removed.append(backup.path)
    return removed


def _connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection; on a read-only disk, where a WAL file's ``-shm`` cannot be made,
    the file is read as it lies (see ``db._connect_read_only``)."""
    from .db import _connect_read_only

    return _connect_read_only(path, 2.0)


def _change_tables() -> tuple[str, ...]:
    """Tables whose newest ``updated_at`` is a file's "last change" when it has no history."""
    from .repository import Store

    return ("accounts", *Store.ACCOUNT_CHILDREN, "milestones", "assessments", "coaching_sessions")


def contents(path: Path) -> Contents:
    """Read what a backup (or any database file) holds: data format, accounts, contracts and
    the time of the newest change. Never raises for a damaged file: ``problem`` says so."""
    version = schema_version_of(path)
    try:
        conn = _connect_ro(path)
    except sqlite3.Error as exc:
        return Contents(version, None, None, "", f"It cannot be read: {exc}.")
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        accounts = conn.execute("SELECT count(*) FROM accounts").fetchone()[0]
        contracts = conn.execute("SELECT count(*) FROM contracts").fetchone()[0]
        last = _last_logged_change(conn) if "changes" in tables else ""
        parts = [f"SELECT max(updated_at) AS m FROM {t}" for t in _change_tables() if t in tables]
        if parts and not last:
            row = conn.execute(f"SELECT max(m) FROM ({' UNION ALL '.join(parts)})")
            last = row.fetchone()[0] or ""
        return Contents(version, accounts, contracts, last)
    except sqlite3.Error as exc:
        return Contents(version, None, None, "", f"It cannot be read: {exc}.")
    finally:
        conn.close()


def _last_logged_change(conn: sqlite3.Connection) -> str:
    """When the newest entry of the change history was made ("" when it has none): one row
    read, where the newest ``updated_at`` of every table is a scan of each."""
    row = conn.execute("SELECT changed_at FROM changes ORDER BY seq DESC LIMIT 1").fetchone()
    return str(row[0]) if row and row[0] else ""


def check_backup(path: Path) -> None:
    """Refuse a backup that cannot be restored: missing, from a newer version, or damaged."""
    if not path.is_file():
        raise DatabaseMissingError(f"There is no backup at {path}.")
    version = schema_version_of(path)
    if version > SCHEMA_VERSION:
        raise DatabaseTooNewError(
            f"{path.name} was made by a newer version of Renewal Coach (data format {version}; "
            f"this version understands up to {SCHEMA_VERSION}). Restoring it could lose data, "
            "so it was not restored. Install the newer version to use it."
        )
    from .integrity import quick_check

    result = quick_check(path)
    if not result.ok:
        raise DatabaseCorruptError(
            f"{path.name} is damaged itself ({result.summary}), so it was not restored. Choose "
            "an older backup."
        )


def latest_good_backup(database: Path, candidates: Iterable[Backup] | None = None) -> Path | None:
    """The newest backup of ``database`` that can be restored (this version's format or older,
    passing the quick check), or None."""
    for backup in candidates if candidates is not None else list_backups(database):
        try:
            check_backup(backup.path)
        except StorageError:
            continue
        return backup.path
    return None


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did: the file restored, and where the file as it was went (None when
    there was no file to keep)."""

    database: Path
    backup: Path
    kept_as: Path | None
    #: Entries the restore added to the change history (kind ``restore``).
    logged: int = 0
    #: True when the backup's file was put in place (the file could not be restored into).
    replaced: bool = False


def restore_backup(
    backup: Path, database: Path, *, now: datetime | None = None, author: Author | None = None
) -> Restored:
    """Restore ``backup`` into ``database``, after keeping ``database`` as it was among its
    backups (kind ``restore``). The caller must have closed its own connections to it and holds
    (or checked) its writer lock.

    The records are made equal to the backup's inside the file, as one operation of the change
    history (``storage/restoring.py``), so the history is kept and says what the restore
    changed. Only a file that cannot be read is replaced by the backup's file, with one entry
    saying so. ``author`` signs the entries (by default the person's settings).
    """
    from .restoring import CannotRestoreInPlace, log_replaced_file, restore_in_place

    backup = backup.expanduser()
    database = database.expanduser()
    check_backup(backup)
    if _same(backup, database):
        raise BackupError("A file cannot be restored over itself.")
    _refuse_read_only(database)
    kept: Path | None = None
    if database.exists() and database.stat().st_size > 0:
        kept = _keep_current(database, now=now, protect=backup)
    try:
        done = restore_in_place(backup, database, author=author)
    except CannotRestoreInPlace:
        pass
    except StorageError as exc:
        where = f" The file as it was is also kept as {kept}." if kept else ""
        raise BackupError(
            f"{database} was not restored from {backup.name}, and is unchanged: {exc}{where}"
        ) from exc
    else:
        return Restored(database, backup, kept, done.entries)
    try:
        _put_in_place(backup, database)
    except (OSError, sqlite3.Error) as exc:
        where = f" The file as it was is kept as {kept}." if kept else ""
        raise BackupError(
            f"{database} could not be restored from {backup.name}: {exc}.{where}"
        ) from exc
    logged = log_replaced_file(database, backup, kept, author=author)
    return Restored(database, backup, kept, logged, replaced=True)


def _refuse_read_only(database: Path) -> None:
    """A file marked read-only is not replaced, though its folder would allow it."""
    from .db import is_read_only

    if database.exists() and is_read_only(database):
        raise DatabaseReadOnlyError(
            f"{database} is read-only, so it was not replaced by the backup. Make the file and "
            "its folder writable first, or restore the backup under another name."
        )


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _keep_current(database: Path, *, now: datetime | None, protect: Path) -> Path:
    """A backup of the file about to be replaced. A damaged file cannot go through SQLite, so
    then its bytes (and its write-ahead log) are copied as they are."""
    try:
        conn = _connect_ro(database)
        try:
            return make_backup(conn, database, RESTORE, now=now, protect=[protect])
        finally:
            conn.close()
    except StorageError:
        pass
    except sqlite3.Error:
        pass
    target = _new_name(database, now or datetime.now(), RESTORE)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(database, target)
        wal = database.with_name(database.name + "-wal")
        if wal.exists():
            shutil.copy2(wal, target.with_name(target.name + "-wal"))
    except OSError as exc:
        raise BackupError(
            f"{database} was not restored: it could not be kept first ({exc.strerror or exc})."
        ) from exc
    return target


def _put_in_place(backup: Path, database: Path) -> None:
    """Copy ``backup`` into a new file beside ``database`` and swap it in, dropping the old
    file's write-ahead log first so SQLite never applies it to the restored pages."""
    fresh = database.with_name(f".{database.name}.restoring")
    fresh.unlink(missing_ok=True)
    source = _connect_ro(backup)
    try:
        dest = sqlite3.connect(str(fresh))
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
    finally:
        source.close()
    for suffix in ("-wal", "-shm", "-journal"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    os.replace(fresh, database)
