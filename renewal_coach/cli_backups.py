"""The command line's backup, backups, restore and check commands. Qt-free.

``cli.py`` adds these parsers and hands the parsed arguments here; each returns the exit code
(0 done, 1 an expected problem said on stderr, 2 wrong arguments).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from .core.dates import local_time
from .core.text import file_size, plural
from .paths import default_database_path
from .storage import backups as bk
from .storage import lock as writer_lock
from .storage.db import MEMORY, _empty_message, open_database, translate
from .storage.errors import (
    DatabaseCorruptError,
    DatabaseEmptyError,
    DatabaseMissingError,
    StorageError,
)

PROG = "renewal-coach"
COMMANDS = ("backup", "backups", "restore", "check")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text[:60]}' is not a whole number") from None
    if not 0 <= value <= bk.MAX_KEEP:
        raise argparse.ArgumentTypeError(f"keep between 0 and {bk.MAX_KEEP}")
    return value


def add_parsers(commands: Any, db_parent: argparse.ArgumentParser) -> None:
    """Add the four commands to the CLI's subparsers."""
    backup = commands.add_parser(
        "backup",
        parents=[db_parent],
        help="copy the database into its backups folder, or to a file",
        description="Copy the database with SQLite's online backup, which is safe while the "
        "app has it open. Without --out the copy joins the backups folder beside the database "
        "and its rotation; an existing --out file is never overwritten.",
    )
    backup.add_argument("--out", type=Path, metavar="FILE", help="write the copy to FILE")

    listing = commands.add_parser(
        "backups",
        parents=[db_parent],
        help="list the database's backups, or set how many to keep",
        description="List the backups in the backups folder beside the database, newest first, "
        "with what each holds. The --keep options change how many are kept (stored in the "
        "database, so the app uses the same counts).",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    for period, noun, default in (
        ("daily", "days", 7),
        ("weekly", "weeks", 4),
        ("monthly", "months", 12),
    ):
        listing.add_argument(
            f"--keep-{period}",
            type=_count,
            metavar="N",
            help=f"keep the newest backup of each of the last N {noun} (default {default})",
        )

    restore = commands.add_parser(
        "restore",
        parents=[db_parent],
        help="put a backup in place of the database (keeping the current file as a backup)",
        description="Make the database hold what BACKUP holds. The current file is first "
        "copied into the backups folder, so a restore can itself be undone. The records are "
        "set to the backup's as one operation of the change history (kind 'restore'), so the "
        "history keeps its earlier entries and says what the restore changed; a file too "
        "damaged to read is replaced by the backup's file instead. A backup made by a newer "
        "version, or a damaged one, is refused. Asks before replacing when run in a terminal; "
        "otherwise needs --yes.",
    )
    restore.add_argument(
        "backup",
        metavar="BACKUP",
        help="a backup file, or the name of one in the backups folder, or 'latest'",
    )
    restore.add_argument("--yes", action="store_true", help="replace without asking")

    commands.add_parser(
        "check",
        parents=[db_parent],
        help="check the database file for damage (reads every page)",
        description="Run SQLite's quick check over every page of the database. Exit status 0: "
        "no damage found; 1: the file is damaged or cannot be read (the message names the "
        "latest good backup).",
    )


def run(args: argparse.Namespace) -> int:
    """Run one of :data:`COMMANDS`; StorageError is left to the caller to report."""
    path = Path(getattr(args, "db", None) or default_database_path()).expanduser()
    if str(path) == MEMORY:
        print(f"{PROG}: an in-memory database has no file to back up or check.", file=sys.stderr)
        return 1
    if args.command == "backup":
        return _backup(path, args.out)
    if args.command == "backups":
        return _backups(path, args)
    if args.command == "restore":
        return _restore(path, args.backup, yes=args.yes)
    return _check(path)


def _source(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database file, for copying it (any data format)."""
    if not path.is_file():
        raise DatabaseMissingError(f"There is no database at {path}.")
    try:
        conn = bk._connect_ro(path)
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    if not tables:
        conn.close()
        raise DatabaseEmptyError(_empty_message(path))
    return conn


def _holds_no_tables(path: Path) -> bool:
    """True for a zero-byte file or an SQLite file without tables; a file that cannot be read
    is left to the check to report."""
    try:
        conn = bk._connect_ro(path)
    except sqlite3.Error:
        return False
    try:
        return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _backup(path: Path, out: Path | None) -> int:
    conn = _source(path)
    try:
        if out is None:
            target = bk.make_backup(conn, path, bk.MANUAL)
        else:
            out = out.expanduser()
            if out.is_dir():
                out = out / f"{path.stem}-backup.db"
            target = bk.copy_database(conn, out)
    finally:
        conn.close()
    held = bk.contents(target)
    print(f"Backed up {path} to {target} ({file_size(target.stat().st_size)}; {_holds(held)}).")
    return 0


def _holds(contents: bk.Contents) -> str:
    if contents.problem:
        return contents.problem.rstrip(".")
    parts = [
        plural(contents.accounts or 0, "{n} account", "{n} accounts"),
        plural(contents.contracts or 0, "{n} contract", "{n} contracts"),
    ]
    return ", ".join(parts)


def _backups(path: Path, args: argparse.Namespace) -> int:
    keep = {
        period: getattr(args, f"keep_{period}")
        for period in ("daily", "weekly", "monthly")
        if getattr(args, f"keep_{period}", None) is not None
    }
    if keep:
        db = open_database(path, create=False)
        try:
            current = bk.load_rotation(db.conn)
            rotation = bk.Rotation(**{**_as_dict(current), **keep})
            bk.save_rotation(db.conn, rotation)
            removed = bk.prune(path, rotation, today=_today())
        finally:
            from .storage.db import close_database

            close_database(db)
        days = plural(rotation.daily, "{n} day", "{n} days")
        weeks = plural(rotation.weekly, "{n} week", "{n} weeks")
        months = plural(rotation.monthly, "{n} month", "{n} months")
        gone = plural(len(removed), "; {n} backup removed", "; {n} backups removed")
        print(
            f"Keeping the newest backup of each of the last {days}, {weeks} and {months}"
            + (gone if removed else "")
            + "."
        )
        return 0
    rows = []
    for backup in bk.list_backups(path):
        held = bk.contents(backup.path)
        rows.append((backup, held))
    if args.json:
        json.dump(
            [
                {
                    "file": str(b.path),
                    "made": b.made.isoformat(timespec="seconds"),
                    "kind": b.kind,
                    "size": b.size,
                    "data_format": c.schema_version,
                    "newer_version": c.too_new,
                    "accounts": c.accounts,
                    "contracts": c.contracts,
                    "last_change": c.last_change or None,
                    "problem": c.problem or None,
                }
                for b, c in rows
            ],
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
        return 0
    if not rows:
        print(f"No backups of {path} yet (they go in {bk.folder_of(path)}).")
        return 0
    from .cli import _print_table

    print(f"Backups of {path} in {bk.folder_of(path)}, newest first:")
    _print_table(
        ("Made", "Why", "Size", "Accounts", "Contracts", "Last change", "File"),
        [
            (
                b.made.strftime("%Y-%m-%d %H:%M"),
                b.kind_words + (" (newer version)" if c.too_new else ""),
                file_size(b.size),
                "?" if c.accounts is None else f"{c.accounts:,}",
                "?" if c.contracts is None else f"{c.contracts:,}",
                local_time(c.last_change) if not c.problem else "cannot be read",
                b.path.name,
            )
            for b, c in rows
        ],
        widths=(16, 40, 10, 8, 9, 16, 60),
    )
    return 0


def _as_dict(rotation: bk.Rotation) -> dict[str, int]:
    return {"daily": rotation.daily, "weekly": rotation.weekly, "monthly": rotation.monthly}


def _today() -> Any:
    from datetime import date

    return date.today()


def _find_backup(path: Path, name: str) -> Path:
    if name == "latest":
        found = bk.latest_good_backup(path)
        if found is None:
            raise DatabaseMissingError(
                f"There is no backup of {path} that can be restored (none in "
                f"{bk.folder_of(path)}, or none readable by this version)."
            )
        return found
    given = Path(name).expanduser()
    if given.exists():
        return given
    inside = bk.folder_of(path) / name
    if inside.exists():
        return inside
    raise DatabaseMissingError(
        f"There is no backup at {given}, nor one called {name} in {bk.folder_of(path)}. "
        f"'{PROG} backups' lists them."
    )


def _restore(path: Path, name: str, *, yes: bool) -> int:
    backup = _find_backup(path, name)
    bk.check_backup(backup)  # refuse a newer or damaged backup before asking anything
    held = bk.contents(backup)
    if not yes:
        if not sys.stdin.isatty():
            print(
                f"{PROG}: restoring replaces {path} with {backup.name}. Run again with --yes "
                "to confirm (the current file is kept as a backup first).",
                file=sys.stderr,
            )
            return 1
        answer = input(
            f"Replace {path} with {backup.name} ({_holds(held)}; last change "
            f"{local_time(held.last_change)})? The current file is kept as a backup first. [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was changed.")
            return 1
    locked = writer_lock.acquire(path)
    try:
        done = bk.restore_backup(backup, path)
    finally:
        if locked:
            writer_lock.release(path)
    print(f"Restored {path} from {backup.name} ({_holds(held)}).")
    if done.kept_as is not None:
        print(f"The file as it was is kept as {done.kept_as}.")
    print(_restore_logged(done))
    return 0


def _restore_logged(done: bk.Restored) -> str:
    """What a restore wrote in the change history, in words."""
    if done.replaced:
        return (
            "The file could not be restored into (it could not be read), so the backup's file "
            "was put in its place; its change history is the backup's, and one entry says so. "
            f"'{PROG} history' lists it."
        )
    if not done.logged:
        return "No record differed from the backup: nothing was added to the change history."
    entries = plural(
        done.logged, "{n} entry of kind 'restore' says", "{n} entries of kind 'restore' say"
    )
    them = "it" if done.logged == 1 else "them"
    return (
        f"The change history keeps every earlier entry; {entries} what changed. "
        f"'{PROG} history' lists {them}."
    )


def _check(path: Path) -> int:
    from .storage.integrity import quick_check

    if not path.is_file():
        raise DatabaseMissingError(f"There is no database at {path}.")
    if _holds_no_tables(path):  # a file with no portfolio in it is not "undamaged"
        raise DatabaseEmptyError(_empty_message(path))
    result = quick_check(path)
    if result.ok:
        print(f"{path}: no damage found (every page checked in {result.seconds:.2f} s).")
        return 0
    latest = bk.latest_good_backup(path)
    advice = (
        f"The latest good backup is {latest}: '{PROG} restore {latest.name} --db {path}' puts "
        "it back (the damaged file is kept as a backup first)."
        if latest is not None
        else f"No good backup of it was found in {bk.folder_of(path)}."
    )
    raise DatabaseCorruptError(f"{path} is damaged: {result.summary}. {advice}")


def in_use_hint() -> str:
    """Added to the message when a writing command meets a file another process is writing."""
    return (
        "Close it there and run the command again. Commands that only read (renewals, agenda, "
        "account, search, export, backup, check) work meanwhile."
    )


__all__ = ["COMMANDS", "StorageError", "add_parsers", "in_use_hint", "run"]
