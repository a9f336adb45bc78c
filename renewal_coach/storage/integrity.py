"""Is the file sound? SQLite's own page-by-page check, and telling damage from other errors.

``PRAGMA quick_check`` reads every page of the file and checks that each is well formed (it
leaves out the slower comparison of indexes against their tables that ``integrity_check``
adds). It is run on its own connection, so the app can run it on a worker thread while the
window carries on, and by ``renewal-coach check``. Qt-free.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DatabaseCorruptError, NotOurDatabaseError

#: At most this many problems are kept from the check's report.
MAX_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of a check: ``ok``, the problems SQLite named, and how long it took."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def summary(self) -> str:
        if self.ok:
            return "no damage found"
        first = self.problems[0] if self.problems else "damaged"
        more = len(self.problems) - 1
        return first if more <= 0 else f"{first} (and {more} more)"


def quick_check(path: Path, *, full: bool = False) -> CheckResult:
    """Check the database file at ``path`` on a read-only connection of its own.

    ``full`` runs ``integrity_check`` (indexes against tables too). A file too damaged to be
    read at all gives a failed result rather than an exception.
    """
    start = time.perf_counter()
    from .db import _connect_read_only

    try:
        conn = _connect_read_only(Path(path).expanduser(), 5.0)
    except sqlite3.Error as exc:
        return CheckResult(False, [str(exc)], time.perf_counter() - start)
    try:
        return check_connection(conn, full=full, started=start)
    finally:
        conn.close()


def check_connection(
    conn: sqlite3.Connection, *, full: bool = False, started: float | None = None
) -> CheckResult:
    """Run the check on an open connection (see :func:`quick_check`)."""
    start = time.perf_counter() if started is None else started
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = conn.execute(f"PRAGMA {pragma}({MAX_PROBLEMS})").fetchall()
    except sqlite3.DatabaseError as exc:
        return CheckResult(False, [str(exc)], time.perf_counter() - start)
    # One row can hold several problems, a line each.
    problems = [
        line.strip()
        for r in rows
        if r and r[0] != "ok"
        for line in str(r[0]).splitlines()
        if line.strip() and not line.startswith("*** in database")
    ]
    sound = all(r and r[0] == "ok" for r in rows)
    if not sound and not problems:
        problems = ["damaged pages"]
    return CheckResult(sound, problems, time.perf_counter() - start)


def is_damage(error: BaseException) -> bool:
    """True when ``error`` (or what caused it) says the file is damaged: a
    :class:`DatabaseCorruptError`, or SQLite's "malformed" / "not a database"."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DatabaseCorruptError):
            return not isinstance(current, NotOurDatabaseError)
        if isinstance(current, sqlite3.DatabaseError):
            text = str(current).lower()
            if "malformed" in text or "not a database" in text or "corrupt" in text:
                return True
        current = current.__cause__ or current.__context__
    return False
