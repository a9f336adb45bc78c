"""Restoring a backup through the change history (a *logical* restore). Qt-free.

The change history is append-only, and a later team sync reads it to learn which records
changed. Putting a backup's file in place of the portfolio would rewind the history to the
backup's and record nothing. So, when the current file can be read, a restore instead makes
every record equal to the backup's *inside the current file*, as one operation of kind
``restore`` (one ``op_id``, signed with the person's name and device like any other save):

1. a copy of the backup is brought up to this version's data format through the normal
   open-and-migrate path (the person's backup is never touched), and attached to the
   connection of the current file;
2. references that differ on records both files hold are pointed where the backup points
   (so deleting a record the backup lacks cannot cascade into a record it keeps);
3. records the backup lacks are deleted, children before parents;
4. the other fields that differ are set to the backup's values (one entry per field);
5. records only the backup holds are inserted, parents before children;
6. the people of an interaction and the attendees of a plan are set to the backup's lists
   (one entry per list, as a save logs them);
7. the settings are taken from the backup (the history does not cover settings).

The history's triggers write the entries, as for any other save. The history itself
(``changes``) is kept and appended to; ``calendar_events`` is kept (it remembers what the
person's calendar holds, so the next export can cancel events correctly); the search index
follows through its own triggers; ``_sqlite_migrations`` stays. A restore that changes no
record writes no entry.

When the current file cannot be read (damaged, empty, from a newer version), the backup's
file is put in place as before and one entry of kind ``restore`` says so
(:meth:`~renewal_coach.storage.history.ChangeLog.log_file_replaced`).

See docs/decisions.md, "Change history and the sync it prepares".
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import RenewalCoachError, ValidationError
from ..core.history import Author
from ..core.records import fields_of
from .db import close_database, open_database
from .errors import StorageError

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .repository import Store

#: The schema name the migrated copy of the backup is attached under.
SOURCE = "restored"


class CannotRestoreInPlace(Exception):
    """The current file cannot take a logical restore (damaged, empty, newer, not ours): the
    backup's file has to be put in its place instead."""


@dataclass(frozen=True, slots=True)
class LoggedRestore:
    """What a logical restore wrote: its operation id and how many history entries."""

    op_id: str
    entries: int


def restore_in_place(
    backup: Path, database: Path, *, author: Author | None = None
) -> LoggedRestore:
    """Make the records of ``database`` equal to those of ``backup``, logged as one operation
    of kind ``restore``. The caller holds the file's writer lock and has kept the current file
    as a backup. Raises :class:`CannotRestoreInPlace` when the current file cannot take it (it
    is then unchanged); StorageError for any other failure (nothing was changed either)."""
    from .integrity import quick_check

    if not database.is_file() or database.stat().st_size == 0:
        raise CannotRestoreInPlace(f"{database} holds nothing to restore into.")
    if not quick_check(database).ok:
        raise CannotRestoreInPlace(f"{database} is damaged.")
    with tempfile.TemporaryDirectory(prefix="renewal-coach-restore-") as folder:
        source = _migrated_copy(backup, Path(folder))
        store = _open_current(database, author)
        try:
            return _apply(store, source)
        except ValidationError as exc:
            # The database refused the records as the backup has them beside the current
            # ones (see _update_fields): everything was rolled back.
            raise CannotRestoreInPlace(str(exc)) from exc
        finally:
            store.close()


def _migrated_copy(backup: Path, folder: Path) -> Path:
    """A copy of ``backup`` in ``folder``, upgraded to this version's data format the way any
    older file is when opened."""
    from .backups import _connect_ro, copy_database

    conn = _connect_ro(backup)
    try:
        copy = copy_database(conn, folder / "backup.db")
    finally:
        conn.close()
    db = open_database(copy, create=False)
    close_database(db)
    return copy


def _open_current(database: Path, author: Author | None) -> Store:
    from .repository import Store

    try:
        db = open_database(database, create=False)
    except StorageError as exc:
        from .errors import DatabaseInUseError, DatabaseLockedError

        if isinstance(exc, DatabaseInUseError | DatabaseLockedError):
            raise
        raise CannotRestoreInPlace(str(exc)) from exc
    return Store(db, author)


def _apply(store: Store, source: Path) -> LoggedRestore:
    db = store.db
    with store.errors():
        db.execute(f"ATTACH DATABASE ? AS {SOURCE}", [str(source)])
    try:
        tables = _parents_first(db, list(store.entities()))
        with store.atomic("restore"):
            op = store.history.current
            assert op is not None
            # Records may point at records inserted later in the operation: checked at the end.
            db.execute("PRAGMA defer_foreign_keys = ON")
            lists = _lists_to_set(store)
            for table in tables:
                _point_references(db, table)
            for table in reversed(tables):
                db.execute(
                    f"DELETE FROM main.{table} WHERE id NOT IN (SELECT id FROM {SOURCE}.{table})"
                )
            for table in tables:
                _update_fields(db, table, _columns(db, table))
            for table in tables:
                columns = ", ".join(f'"{c}"' for c in _columns(db, table))
                db.execute(
                    f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM "
                    f"{SOURCE}.{table} WHERE id NOT IN (SELECT id FROM main.{table})"
                )
            for (table, name), owners in lists.items():
                _set_lists(store, table, name, owners)
            db.execute("DELETE FROM main.settings")
            db.execute(f"INSERT INTO main.settings SELECT * FROM {SOURCE}.settings")
        entries = db.execute("SELECT count(*) FROM changes WHERE op_id = ?", [op.op_id])
        return LoggedRestore(op.op_id, entries.fetchone()[0])
    finally:
        with contextlib.suppress(sqlite3.Error):
            db.execute(f"DETACH DATABASE {SOURCE}")


def _columns(db: Database, table: str) -> list[str]:
    """The columns of ``table``; the copy was migrated through the same chain, so both files
    have the same ones."""
    here = [r[1] for r in db.execute(f"PRAGMA main.table_info({table})")]
    there = [r[1] for r in db.execute(f"PRAGMA {SOURCE}.table_info({table})")]
    if here != there:
        raise StorageError(
            f"The backup's {table} do not have the columns this version writes; nothing was "
            "restored."
        )
    return here


def _references(db: Database, table: str) -> list[tuple[str, str]]:
    """(column, referenced table) of each foreign key of ``table``."""
    return [(r[3], r[2]) for r in db.execute(f"PRAGMA main.foreign_key_list({table})")]


def _parents_first(db: Database, tables: Sequence[str]) -> list[str]:
    """``tables`` ordered so that every table comes after the tables it references."""
    wanted = set(tables)
    out: list[str] = []
    seen: set[str] = set()

    def visit(table: str, path: frozenset[str]) -> None:
        if table in seen or table in path:
            return
        for _column, parent in _references(db, table):
            if parent in wanted and parent != table:
                visit(parent, path | {table})
        seen.add(table)
        out.append(table)

    for table in tables:
        visit(table, frozenset())
    return out


def _differing(db: Database, table: str, columns: Sequence[str]) -> str:
    """SQL selecting the ids of records both files hold whose ``columns`` differ."""
    test = " OR ".join(f'm."{c}" IS NOT b."{c}"' for c in columns)
    return (
        f"SELECT m.id FROM main.{table} AS m JOIN {SOURCE}.{table} AS b ON b.id = m.id WHERE {test}"
    )


def _set_from_source(db: Database, table: str, columns: Sequence[str]) -> None:
    if not columns:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    db.execute(
        f"UPDATE main.{table} SET ({names}) = (SELECT {names} FROM {SOURCE}.{table} AS b "
        f"WHERE b.id = main.{table}.id) WHERE id IN ({_differing(db, table, columns)})"
    )


def _point_references(db: Database, table: str) -> None:
    """Point the references of kept records where the backup's point."""
    _set_from_source(db, table, [column for column, _parent in _references(db, table)])


def _update_fields(db: Database, table: str, columns: Sequence[str]) -> None:
    """Give kept records the backup's values (the triggers log each field that changes).

    When one record's new value is still held by another kept record (two contracts whose
    references were swapped one after the other, say), the records are set one at a time, in
    as many rounds as it takes; a true swap cannot be made without a value in between, and
    raises the IntegrityError (the caller then replaces the file)."""
    columns = [c for c in columns if c != "id"]
    try:
        _set_from_source(db, table, columns)
        return
    except sqlite3.IntegrityError:
        pass  # the statement was backed out whole; retry record by record
    names = ", ".join(f'"{c}"' for c in columns)
    waiting = [r[0] for r in db.execute(_differing(db, table, columns))]
    while waiting:
        failed: list[str] = []
        problem: sqlite3.IntegrityError | None = None
        for record_id in waiting:
            try:
                db.execute(
                    f"UPDATE main.{table} SET ({names}) = (SELECT {names} FROM "
                    f"{SOURCE}.{table} AS b WHERE b.id = main.{table}.id) WHERE id = ?",
                    [record_id],
                )
            except sqlite3.IntegrityError as exc:
                failed.append(record_id)
                problem = exc
        if len(failed) == len(waiting):
            assert problem is not None
            raise problem
        waiting = failed


def _members(db: Database, schema: str, link: tuple[str, str, str]) -> dict[str, list[str]]:
    table, owner, member = link
    found: dict[str, list[str]] = {}
    for own, mem in db.execute(f"SELECT {owner}, {member} FROM {schema}.{table} ORDER BY rowid"):
        found.setdefault(own, []).append(mem)
    return found


def _lists_to_set(store: Store) -> dict[tuple[str, str], dict[str, tuple[list[str], list[str]]]]:
    """For each list kept in a link table, the records the backup holds whose list differs:
    their list now and the backup's."""
    from .repository import _LINKS

    db = store.db
    out: dict[tuple[str, str], dict[str, tuple[list[str], list[str]]]] = {}
    for table, entity in store.entities().items():
        for fi in fields_of(entity):
            if fi.kind != "idlist":
                continue
            link = _LINKS[fi.name]
            now = _members(db, "main", link)
            then = _members(db, SOURCE, link)
            kept = {r[0] for r in db.execute(f"SELECT id FROM {SOURCE}.{table}")}
            out[(table, fi.name)] = {
                owner: (now.get(owner, []), then.get(owner, []))
                for owner in kept
                if now.get(owner, []) != then.get(owner, [])
            }
    return out


def _set_lists(
    store: Store, table: str, name: str, owners: dict[str, tuple[list[str], list[str]]]
) -> None:
    from .repository import _LINKS

    link_table, owner_column, member_column = _LINKS[name]
    db = store.db
    repo = store.repo(table)
    for owner in sorted(owners):
        before, after = owners[owner]
        db.execute(f"DELETE FROM main.{link_table} WHERE {owner_column} = ?", [owner])
        db.conn.executemany(
            f"INSERT INTO main.{link_table} ({owner_column}, {member_column}) VALUES (?, ?)",
            [(owner, member) for member in after],
        )
        record = repo.find(owner)
        if record is not None:
            store.history.log_list(table, record, name, before, after)


def log_replaced_file(
    database: Path, backup: Path, kept_as: Path | None, *, author: Author | None = None
) -> int:
    """After the backup's file was put in place of ``database``: append the one entry saying
    so (kind ``restore``). Returns how many entries were written (0 when the restored file
    could not be opened to write it: the restore itself stands)."""
    from .repository import Store

    try:
        store = Store(open_database(database, create=False), author)
    except StorageError:
        return 0
    try:
        with store.atomic("restore"):
            store.history.log_file_replaced(
                database.name, backup.name, kept_as.name if kept_as is not None else None
            )
        return 1
    except (StorageError, RenewalCoachError):
        return 0
    finally:
        store.close()
