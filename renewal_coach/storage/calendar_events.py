"""What earlier calendar exports wrote, kept so the next one keeps UIDs, raises SEQUENCE and
cancels events whose item has gone (issue 15). Qt-free.

Rows live in ``calendar_events`` (migration ``m010_calendar_events``), one per event UID. They
are written only after the calendar file itself was written, and only when the database can be
written: a read-only file still gets its calendar, and the export says it could not remember.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date

from ..core.calendar_items import PlannedEvent, Remembered
from ..core.deadlines import AgendaAccount
from .db import open_database
from .errors import DatabaseInUseError, DatabaseReadOnlyError
from .repository import Store


def open_to_remember(path: str | os.PathLike[str]) -> tuple[Store, str]:
    """Open an existing database for a calendar export: for writing, so the export can be
    remembered; read-only when the file cannot be written or another program has it open for
    changes (the export still works). Returns the store and, when it is read-only, why."""
    try:
        return Store(open_database(path, create=False)), ""
    except DatabaseInUseError as exc:
        why = f"another program has the file open for changes: {str(exc).rstrip('.')}"
    except DatabaseReadOnlyError:
        why = "the database file is read-only"
    return Store(open_database(path, create=False, readonly=True)), why


def remembered_events(store: Store) -> dict[str, Remembered]:
    """Every event an earlier export wrote, by UID."""
    with store.errors():
        rows = store.db.execute(
            "SELECT uid, account_id, due, summary, content_hash, sequence, status, "
            "first_exported, changed_at FROM calendar_events"
        ).fetchall()
    out = {}
    for uid, account_id, due, summary, digest, sequence, status, first, changed in rows:
        try:
            day = date.fromisoformat(due)
        except (TypeError, ValueError):
            continue  # an unreadable row is left alone rather than lose the whole export
        out[uid] = Remembered(
            uid, account_id, day, summary, digest, int(sequence), status, first, changed
        )
    return out


def remember_export(store: Store, events: Iterable[PlannedEvent], now: str) -> int:
    """Record what an export wrote (new, changed, revived and cancelled events; unchanged ones
    get their last-exported time). One transaction. Returns how many rows were written."""
    count = 0
    with store.atomic():
        for e in events:
            status = "cancelled" if e.cancelled else "active"
            if e.cancelled or e.change != "unchanged":
                store.db.execute(
                    "INSERT INTO calendar_events (uid, account_id, due, summary, content_hash, "
                    "sequence, status, first_exported, changed_at, last_exported) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(uid) DO UPDATE SET account_id = excluded.account_id, "
                    "due = excluded.due, summary = excluded.summary, "
                    "content_hash = CASE WHEN excluded.status = 'cancelled' "
                    "THEN calendar_events.content_hash ELSE excluded.content_hash END, "
                    "sequence = excluded.sequence, status = excluded.status, "
                    "changed_at = excluded.changed_at, last_exported = excluded.last_exported",
                    [
                        e.uid,
                        e.account_id,
                        e.due.isoformat(),
                        e.summary,
                        e.content_hash,
                        e.sequence,
                        status,
                        e.created,
                        e.last_modified,
                        now,
                    ],
                )
            else:
                store.db.execute(
                    "UPDATE calendar_events SET last_exported = ? WHERE uid = ?", [now, e.uid]
                )
            count += 1
    return count


def all_accounts(store: Store) -> list[tuple[AgendaAccount, bool]]:
    """Every account, archived ones too, with whether it is archived."""
    with store.errors():
        rows = store.db.execute("SELECT id, name, owner, archived FROM accounts").fetchall()
    return [(AgendaAccount(r[0], r[1], r[2] or ""), bool(r[3])) for r in rows]


def option_holders(store: Store) -> dict[str, str]:
    """Who holds each contract's extension option ("customer", "supplier" or "mutual"), by
    contract id, for the contracts that say."""
    with store.errors():
        rows = store.db.execute(
            "SELECT id, extension_holder FROM contracts WHERE extension_holder IS NOT NULL"
        ).fetchall()
    return {r[0]: r[1] for r in rows}
