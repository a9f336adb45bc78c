"""The change history: every add, edit and delete, appended to the ``changes`` table. Qt-free.

How entries get written: the :class:`ChangeLog` of a
:class:`~renewal_coach.storage.repository.Store` installs TEMP triggers on its own connection,
one set per record table, generated from the entities' field specs. A TEMP trigger lives only as
long as the connection and is never stored in the file; it reads the open *operation* (a one-row
TEMP table holding the operation id and kind, the person's name, the device id and the clock
reading) and writes one ``changes`` row per field that an UPDATE changed, one row holding the
new record's given fields as a JSON object for an INSERT, and one row holding the whole record
for a DELETE (the tombstone). Triggers see what the repositories
cannot: rows the database deletes or clears by itself through foreign keys (an account's
contracts, a deleted person dropped from a plan), so those are logged in the same operation.
List fields kept in link tables (an interaction's people, a plan's attendees) are logged by the
repository as one whole-list value.

Every write of the Store runs inside an operation (``Store.atomic(kind)``): one save, one import,
one undo or redo is one operation, with one ``op_id``. Writes made on a connection without the
triggers (another program, a migration) are not logged.

See docs/decisions.md, "Change history and the sync it prepares".
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from ..core.history import OP_KINDS, Author, HybridClock, Stamp
from ..core.money import DEFAULT_CURRENCY
from ..core.records import FieldInfo, Record, fields_of, show_value
from .migrations import _SEARCH_SOURCES

if TYPE_CHECKING:
    from .repository import Store

#: How each table names a record in the history (SQL over the row ``X``), beside the search
#: index's labels.
_LABELS: dict[str, str] = {
    **{table: source[2].replace("NEW.", "X.") for table, source in _SEARCH_SOURCES.items()},
    "milestones": "X.code || CASE WHEN X.occurrence > 0 THEN ' #' || X.occurrence ELSE '' END",
    "assessments": "X.kind || ' ' || coalesce(X.taken_on, '')",
}
#: Tables whose rows carry no account id: (parent table, parent id column).
_PARENTS: dict[str, tuple[str, str]] = {
    "milestones": ("contracts", "contract_id"),
    "coaching_sessions": ("plans", "plan_id"),
}

_COLUMNS = (
    "hlc, entity, record_id, account_id, label, field, internal, change, old_value, new_value, "
    "changed_at, who, device, op_id, op_kind"
)
#: The stamp of the operation's n-th record change, as the triggers write it.
#: The counter climbs with the log's own row numbers from where the operation started (no
#: bookkeeping write per record): the entries one statement writes share a stamp.
_STAMP_SQL = (
    "printf('%013d-%010d-%s', o.wall, "
    "o.counter + coalesce((SELECT max(seq) FROM changes), 0) - o.base, o.device)"
)


def _account_sql(table: str) -> str:
    if table == "accounts":
        return "X.id"
    if table in _PARENTS:
        parent, column = _PARENTS[table]
        # When a whole account goes, its contracts (and plans) are deleted before their
        # milestones (and sessions): the parent's account id was kept aside just before.
        return (
            f"coalesce((SELECT account_id FROM {parent} WHERE id = X.{column}), "
            f"(SELECT account_id FROM change_parents WHERE id = X.{column}))"
        )
    return "X.account_id"


def _triggers(table: str, fields: Sequence[FieldInfo]) -> list[str]:
    """The TEMP triggers that log inserts, updates and deletes on ``table``."""
    account = _account_sql(table)
    label = "coalesce(" + _LABELS.get(table, "''") + ", '')"
    guard = "WHEN EXISTS (SELECT 1 FROM change_op)"

    def logged(row: str, change: str, values: str, where: str) -> str:
        return (
            f"INSERT INTO changes ({_COLUMNS}) SELECT {_STAMP_SQL}, '{table}', {row}.id, "
            f"{account.replace('X.', row + '.')}, {label.replace('X.', row + '.')}, f.field, "
            f"f.internal, '{change}', f.old, f.new, o.at, o.who, o.device, o.op_id, o.kind "
            f"FROM change_op AS o, ({values}) AS f {where};"
        )

    def branch(fi: FieldInfo, old: str, new: str, where: str = "") -> str:
        internal = 1 if fi.meta.get("internal") else 0
        return (
            f"SELECT '{fi.name}' AS field, {internal} AS internal, {old} AS old, "
            f"{new} AS new{where}"
        )

    # A new record is one entry holding its fields as a JSON object (a tombstone's mirror),
    # not one per field: an import of thousands of records would otherwise multiply the file.
    # Empty fields and unticked boxes are left out: they hold the defaults.
    # json_patch drops the keys whose value is null (RFC 7396), so empty fields go in as null.
    given = ", ".join(
        f"'{fi.name}', NULLIF(NEW.\"{fi.name}\", " + ("0)" if fi.kind == "bool" else "'')")
        for fi in fields
    )
    added = (
        "SELECT '' AS field, 0 AS internal, NULL AS old, "
        f"json_patch('{{}}', json_object({given})) AS new"
    )
    edited = " UNION ALL ".join(
        branch(
            fi,
            f'OLD."{fi.name}"',
            f'NEW."{fi.name}"',
            f' WHERE OLD."{fi.name}" IS NOT NEW."{fi.name}"',
        )
        for fi in fields
    )
    whole = ", ".join(f"'{fi.name}', OLD.\"{fi.name}\"" for fi in fields)
    tombstone = f"SELECT '' AS field, 0 AS internal, json_object({whole}) AS old, NULL AS new"
    out = [
        f"CREATE TEMP TRIGGER IF NOT EXISTS changes_{table}_ai AFTER INSERT ON main.{table} "
        f"{guard} BEGIN\n" + logged("NEW", "add", added, "") + "\nEND",
        f"CREATE TEMP TRIGGER IF NOT EXISTS changes_{table}_au AFTER UPDATE ON main.{table} "
        f"{guard} BEGIN\n" + logged("NEW", "edit", edited, "") + "\nEND",
        f"CREATE TEMP TRIGGER IF NOT EXISTS changes_{table}_ad AFTER DELETE ON main.{table} "
        f"{guard} BEGIN\n" + logged("OLD", "delete", tombstone, "") + "\nEND",
    ]
    if table in {parent for parent, _column in _PARENTS.values()}:
        out.append(
            f"CREATE TEMP TRIGGER IF NOT EXISTS changes_{table}_bd BEFORE DELETE ON "
            f"main.{table} {guard} BEGIN\n"
            "INSERT OR REPLACE INTO change_parents (id, account_id) "
            "VALUES (OLD.id, OLD.account_id);\nEND"
        )
    return out


@dataclass(frozen=True, slots=True)
class Operation:
    """One save, import, undo or redo: every entry it writes carries its id and kind."""

    op_id: str
    kind: str
    first: Stamp


class ChangeLog:
    """Writes the history of one Store's connection. Created by the Store; ``author`` says who
    writes on this device (from the per-user settings, never from the database; read from
    ``user.json`` when not given)."""

    def __init__(self, store: Store, author: Author | None = None) -> None:
        self.store = store
        self._author = author
        #: Without a given author, the settings are read again at each operation, so a name
        #: changed in Preferences signs the very next change.
        self._from_settings = author is None
        self._clock: HybridClock | None = None
        self.current: Operation | None = None
        self._installed = False

    @property
    def author(self) -> Author:
        """Who writes on this device; read from the per-user settings when none was given."""
        if self._author is None:
            from ..user import author

            self._author = author()
        return self._author

    @property
    def clock(self) -> HybridClock:
        """This device's hybrid logical clock."""
        if self._clock is None:
            self._clock = HybridClock(self.author.device)
        return self._clock

    def prepare(self) -> None:
        """Install the triggers on this connection if they are not there yet.

        Done outside any transaction when possible: triggers created inside one vanish if it
        rolls back, and are then created again at the next operation."""
        if self._installed:
            return
        db = self.store.db
        exists = db.execute(
            "SELECT 1 FROM sqlite_temp_master WHERE type = 'table' AND name = 'change_op'"
        ).fetchone()
        if not exists:
            self._install()
        self._installed = not db.conn.in_transaction

    def _install(self) -> None:
        db = self.store.db
        db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS change_op (op_id TEXT, kind TEXT, who TEXT, "
            "device TEXT, at TEXT, wall INTEGER, counter INTEGER, base INTEGER)"
        )
        db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS change_parents (id TEXT PRIMARY KEY, account_id TEXT)"
        )
        for table, entity in self.store.entities().items():
            fields = [fi for fi in fields_of(entity) if fi.kind != "idlist"]
            for sql in _triggers(table, fields):
                db.execute(sql)

    @contextmanager
    def operation(self, kind: str) -> Iterator[Operation]:
        """Run the body as one operation of ``kind``; the caller holds the transaction.

        A nested call joins the operation already open (its kind is kept)."""
        if self.current is not None:
            yield self.current
            return
        if kind not in OP_KINDS:
            raise ValueError(f"unknown kind of change: {kind}")
        self.prepare()
        if self._from_settings:
            self._author = None
        db = self.store.db
        self.clock.observe(db.execute("SELECT max(hlc) FROM changes").fetchone()[0])
        first = self.clock.tick()
        op = Operation(str(uuid.uuid4()), kind, first)
        at = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        who = self.author
        base = db.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
        db.execute(
            "INSERT INTO change_op VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [op.op_id, kind, who.who, who.device, at, first.wall_ms, first.counter, base],
        )
        self.current = op
        try:
            yield op
        finally:
            self.current = None
            with contextlib.suppress(sqlite3.Error):
                last = db.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
                if last > base + 1:
                    self.clock.observe(
                        Stamp(first.wall_ms, first.counter + last - base - 1, first.device)
                    )
                db.execute("DELETE FROM change_op")
                db.execute("DELETE FROM change_parents")

    def log_list(
        self, table: str, record: Record, name: str, old: list[str], new: list[str]
    ) -> None:
        """Log a list field kept in a link table (people at an interaction, a plan's
        attendees), as one value: the whole list before and after."""
        if self.current is None or old == new:
            return
        info = next(fi for fi in fields_of(type(record)) if fi.name == name)
        label = ("coalesce(" + _LABELS.get(table, "''") + ", '')").replace("X.", "r.")
        self.store.db.execute(
            f"INSERT INTO changes ({_COLUMNS}) SELECT {_STAMP_SQL}, ?, r.id, "
            f"{_account_sql(table).replace('X.', 'r.')}, {label}, ?, ?, ?, ?, ?, "
            f"o.at, o.who, o.device, o.op_id, o.kind FROM change_op AS o, {table} AS r "
            "WHERE r.id = ?",
            [
                table,
                name,
                1 if info.meta.get("internal") else 0,
                "add" if not old else "edit",
                json.dumps(old) if old else None,
                json.dumps(new) if new else None,
                record.id,
            ],
        )

    def log_file_replaced(self, database: str, backup: str, kept_as: str | None) -> None:
        """Log that the whole file was replaced by a backup's file (the restore used when the
        file was too damaged to restore into): one entry of entity ``file`` whose record id and
        label are the database's file name, field ``contents``, change ``edit``; the old value
        names the copy the file as it was is kept as (None when there was none), the new value
        the backup put in place. Entries made after that backup are not in the file any more;
        they are in the kept copy."""
        if self.current is None:
            return
        self.store.db.execute(
            f"INSERT INTO changes ({_COLUMNS}) SELECT {_STAMP_SQL}, 'file', ?, NULL, ?, "
            "'contents', 0, 'edit', ?, ?, o.at, o.who, o.device, o.op_id, o.kind "
            "FROM change_op AS o",
            [database, database, kept_as, backup],
        )


# ---- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the history, as stored. ``field`` is "" for a delete, whose ``old_value``
    holds the whole record as JSON (the tombstone)."""

    seq: int
    hlc: str
    entity: str
    record_id: str
    account_id: str | None
    label: str
    field: str
    internal: bool
    change: str
    old_value: Any
    new_value: Any
    changed_at: str
    who: str
    device: str
    op_id: str
    op_kind: str

    @property
    def whole_record(self) -> bool:
        """True for an entry holding a whole record as JSON: an add's fields, a tombstone."""
        return self.field == "" and self.change in ("add", "delete")

    def lines(self) -> list[FieldLine]:
        """The entry field by field: an add's JSON object becomes one line per given field;
        a delete stays one line (the record went, not its fields one by one)."""
        if self.change == "add" and self.field == "":
            try:
                given = json.loads(self.new_value) if isinstance(self.new_value, str) else {}
            except ValueError:
                given = {}
            if not isinstance(given, dict):
                given = {}
            return [
                FieldLine(name, is_internal(self.entity, name), None, value)
                for name, value in given.items()
            ]
        return [FieldLine(self.field, self.internal, self.old_value, self.new_value)]

    def as_json(self) -> dict[str, Any]:
        """The entry as plain JSON types (what ``renewal-coach history --json`` prints). An
        entry holding a whole record carries it as an object, and names its internal-only
        fields in ``internal_fields``."""
        out = {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]
        if self.whole_record:
            key = "new_value" if self.change == "add" else "old_value"
            with contextlib.suppress(TypeError, ValueError):
                out[key] = json.loads(getattr(self, key))
            whole = out[key] if isinstance(out[key], dict) else {}
            out["internal_fields"] = sorted(n for n in whole if is_internal(self.entity, n))
        return out


@dataclass(frozen=True, slots=True)
class FieldLine:
    """One field of an entry: its name, whether it is internal-only, the stored values."""

    field: str
    internal: bool
    old_value: Any
    new_value: Any


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """Which entries to read: one account's, one record's, or all; since a date or stamp;
    whose field, record or values contain ``text`` (field labels count)."""

    account_id: str | None = None
    record_id: str | None = None
    since: str | None = None
    text: str = ""
    #: Only entries up to this one (``seq``): a list being paged through stays as it was
    #: when it opened, whatever is written meanwhile.
    upto: int | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition and its parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.account_id is not None:
            parts.append("account_id = ?")
            params.append(self.account_id)
        if self.record_id is not None:
            parts.append("record_id = ?")
            params.append(self.record_id)
        if self.since:
            parts.append("changed_at >= ?")
            params.append(self.since)
        if self.upto is not None:
            parts.append("seq <= ?")
            params.append(self.upto)
        text = self.text.strip()
        if text:
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            names = fields_matching(text)
            cond = (
                "(field LIKE ? ESCAPE '\\' OR label LIKE ? ESCAPE '\\' "
                "OR CAST(old_value AS TEXT) LIKE ? ESCAPE '\\' "
                "OR CAST(new_value AS TEXT) LIKE ? ESCAPE '\\' OR who LIKE ? ESCAPE '\\'"
            )
            params += [like] * 5
            if names:
                ordered = sorted(names)
                cond += f" OR field IN ({','.join('?' * len(ordered))})"
                params += ordered
                # An added record holds its fields in one JSON object.
                cond += (
                    " OR EXISTS (SELECT 1 FROM json_each(CASE WHEN field = '' AND change = 'add' "
                    f"THEN new_value END) WHERE key IN ({','.join('?' * len(ordered))}))"
                )
                params += ordered
            parts.append(cond + ")")
        return (" AND ".join(parts) or "1"), params


def read_changes(
    store: Store,
    query: HistoryQuery,
    *,
    limit: int | None = None,
    offset: int = 0,
    before: int | None = None,
) -> list[Change]:
    """Entries matching ``query``, newest first; ``limit`` and ``offset`` page through them,
    or ``before`` (the ``seq`` of the last entry of the previous page), which stays quick
    however deep the page."""
    where, params = query.where()
    if before is not None:
        where += " AND seq < ?"
        params.append(before)
    sql = f"SELECT seq, {_COLUMNS} FROM changes WHERE {where} ORDER BY seq DESC"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    with store.errors():
        rows = store.db.execute(sql, params).fetchall()
    return [
        Change(
            seq=r[0],
            hlc=r[1],
            entity=r[2],
            record_id=r[3],
            account_id=r[4],
            label=r[5],
            field=r[6],
            internal=bool(r[7]),
            change=r[8],
            old_value=r[9],
            new_value=r[10],
            changed_at=r[11],
            who=r[12],
            device=r[13],
            op_id=r[14],
            op_kind=r[15],
        )
        for r in rows
    ]


def last_seq(store: Store) -> int:
    """The ``seq`` of the newest entry (0 when the log is empty)."""
    with store.errors():
        return store.db.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]


def count_changes(store: Store, query: HistoryQuery) -> int:
    """How many entries match ``query``."""
    where, params = query.where()
    with store.errors():
        return store.db.execute(f"SELECT count(*) FROM changes WHERE {where}", params).fetchone()[0]


def changed_records(store: Store, after_seq: int = 0) -> dict[str, set[str]]:
    """Ids of the records changed after the entry ``after_seq``, by table (what to re-score)."""
    out: dict[str, set[str]] = {}
    with store.errors():
        for entity, record_id in store.db.execute(
            "SELECT DISTINCT entity, record_id FROM changes WHERE seq > ?", [after_seq]
        ):
            out.setdefault(entity, set()).add(record_id)
    return out


@dataclass(frozen=True, slots=True)
class AccountRef:
    """An account named on the command line: its id and name (it may have been deleted)."""

    id: str
    name: str
    deleted: bool


def find_account(store: Store, name_or_id: str) -> list[AccountRef]:
    """Accounts whose id or name (any case) is ``name_or_id``, including deleted ones whose
    history is kept. Several results mean the name is ambiguous."""
    text = name_or_id.strip()
    with store.errors():
        live = store.db.execute(
            "SELECT id, name FROM accounts WHERE id = ? OR name = ? COLLATE NOCASE", [text, text]
        ).fetchall()
        if live:
            return [AccountRef(i, n, False) for i, n in live]
        gone = store.db.execute(
            "SELECT record_id, label FROM changes WHERE entity = 'accounts' AND change = 'delete' "
            "AND (record_id = ? OR label = ? COLLATE NOCASE) GROUP BY record_id",
            [text, text],
        ).fetchall()
    return [AccountRef(i, n, True) for i, n in gone]


# ---- showing ----------------------------------------------------------------------------------


def field_info(entity: str, field: str) -> FieldInfo | None:
    """The spec of ``field`` in the table ``entity`` (None for a tombstone or an unknown field)."""
    cls = entity_classes().get(entity)
    if cls is None or not field:
        return None
    return next((fi for fi in fields_of(cls) if fi.name == field), None)


def is_internal(entity: str, field: str) -> bool:
    """True when ``field`` of the table ``entity`` is internal-only (DOMAIN.md section 6)."""
    info = field_info(entity, field)
    return bool(info is not None and info.meta.get("internal"))


def field_label(entity: str, field: str) -> str:
    """The field's name as the forms show it ("Walk-away position")."""
    info = field_info(entity, field)
    if info is not None:
        return info.label
    return field.replace("_", " ").capitalize()


def fields_matching(text: str) -> set[str]:
    """Names of the fields whose label contains ``text`` (any case)."""
    wanted = text.casefold()
    return {
        fi.name
        for cls in entity_classes().values()
        for fi in fields_of(cls)
        if wanted in fi.label.casefold()
    }


def native_value(entity: str, field: str, raw: Any) -> Any:
    """A stored history value as the record holds it (a date, a Decimal, an enum member...);
    the raw value when it cannot be read back that way."""
    from .repository import from_db  # the one converter the repositories use

    info = field_info(entity, field)
    if info is None or raw is None:
        return raw
    if info.kind == "idlist":
        try:
            return list(json.loads(raw))
        except (TypeError, ValueError):
            return raw
    try:
        return from_db(info, raw)
    except (KeyError, ValueError, ArithmeticError, TypeError):
        return raw


def entity_classes() -> dict[str, type[Record]]:
    """The entity class of each table the history covers."""
    from ..core import models as m

    return {
        "accounts": m.Account,
        "contracts": m.Contract,
        "stakeholders": m.Stakeholder,
        "interactions": m.Interaction,
        "goals": m.CustomerGoal,
        "evidence": m.ValueEvidence,
        "concerns": m.Concern,
        "improvements": m.Improvement,
        "change_events": m.ChangeEvent,
        "milestones": m.Milestone,
        "plans": m.ConversationPlan,
        "commitments": m.Commitment,
        "assessments": m.Assessment,
        "coaching_sessions": m.CoachingSession,
    }


#: How each table names one of its records.
ENTITY_NOUNS: dict[str, str] = {
    "accounts": "account",
    "contracts": "contract",
    "stakeholders": "person",
    "interactions": "interaction",
    "goals": "customer goal",
    "evidence": "value evidence",
    "concerns": "concern",
    "improvements": "improvement",
    "change_events": "change event",
    "milestones": "milestone",
    "plans": "conversation plan",
    "commitments": "commitment",
    "assessments": "assessment",
    "coaching_sessions": "coaching session",
    # Not a record: the whole file, replaced by a backup's (ChangeLog.log_file_replaced).
    "file": "file",
}


@dataclass(frozen=True, slots=True)
class ShownChange:
    """One line of an entry in words: the record it touched, the field by its label, whether
    that field is internal-only, and the values as the app shows that field ("" for none).
    A delete is one line with no field and no values."""

    entry: Change
    record: str
    field: str
    internal: bool
    old: str
    new: str
    #: The stored values of this field (not of the whole entry).
    raw_old: Any = None
    raw_new: Any = None


class ChangeTexts:
    """Turns entries into words, reading what it needs (currencies, names of referenced records)
    from the store in a few queries per page. ``show_date`` and ``yes`` are how dates and ticked
    boxes are written (the command line keeps ISO dates; the app passes its own)."""

    def __init__(
        self,
        store: Store,
        show_date: Callable[[date], str] = date.isoformat,
        yes: str = "yes",
    ) -> None:
        self.store = store
        self.show_date = show_date
        self.yes = yes
        self._currencies: dict[str | None, str] = {}
        self._names: dict[str, str] = {}

    def shown(self, entries: Sequence[Change], text: str = "") -> list[ShownChange]:
        """The entries in words, in the order given, an added record field by field; with
        ``text``, only the lines that hold it (in the record, field, values or who)."""
        lines = self._lines(entries)
        wanted = text.strip().casefold()
        if not wanted:
            return lines
        return [
            line
            for line in lines
            if wanted
            in " ".join(
                str(part)
                for part in (
                    line.record,
                    line.field,
                    line.entry.field,
                    line.old,
                    line.new,
                    line.raw_old,
                    line.raw_new,
                    line.entry.who,
                )
            ).casefold()
            or (line.entry.field == "" and wanted in line.entry.label.casefold())
        ]

    def _lines(self, entries: Sequence[Change]) -> list[ShownChange]:
        self._learn_names(entries)
        out: list[ShownChange] = []
        for entry in entries:
            noun = ENTITY_NOUNS.get(entry.entity, entry.entity)
            record = f"{noun.capitalize()} {entry.label}".strip()
            if entry.change == "delete" and entry.field == "":
                out.append(ShownChange(entry, record, "", False, "", ""))
                continue
            for line in entry.lines():
                out.append(
                    ShownChange(
                        entry,
                        record,
                        field_label(entry.entity, line.field),
                        line.internal,
                        self._value(entry, line.field, line.old_value),
                        self._value(entry, line.field, line.new_value),
                        line.old_value,
                        line.new_value,
                    )
                )
        return out

    def _value(self, entry: Change, field: str, raw: Any) -> str:
        info = field_info(entry.entity, field)
        if raw is None or info is None:
            return "" if raw is None else _short(str(raw))
        value = native_value(entry.entity, field, raw)
        if info.kind == "id":
            return self._names.get(str(value), str(value))
        if info.kind == "idlist" and isinstance(value, list):
            return ", ".join(self._names.get(str(v), str(v)) for v in value)
        if info.kind == "json":
            return _short(str(raw))
        if value is raw and info.kind in ("date", "enum", "decimal"):
            return _short(str(raw))  # a value this version cannot read back: shown as stored
        return show_value(info, value, self._currency(entry.account_id), self.show_date, self.yes)

    def _currency(self, account_id: str | None) -> str:
        if account_id not in self._currencies:
            row = self.store.db.execute(
                "SELECT currency FROM accounts WHERE id = ?", [account_id]
            ).fetchone()
            self._currencies[account_id] = row[0] if row else DEFAULT_CURRENCY
        return self._currencies[account_id]

    def _learn_names(self, entries: Sequence[Change]) -> None:
        from .repository import _REF_TABLES

        wanted: dict[str, set[str]] = {}
        for entry in entries:
            for line in entry.lines():
                info = field_info(entry.entity, line.field)
                if info is None or info.kind not in ("id", "idlist"):
                    continue
                table = _REF_TABLES.get(line.field, "")
                for raw in (line.old_value, line.new_value):
                    value = native_value(entry.entity, line.field, raw)
                    for v in value if isinstance(value, list) else [value]:
                        if v and str(v) not in self._names:
                            wanted.setdefault(table, set()).add(str(v))
        for table, ids in wanted.items():
            ordered = sorted(ids)
            for start in range(0, len(ordered), 500):
                chunk = ordered[start : start + 500]
                marks = ",".join("?" * len(chunk))
                # The latest name each record went by, deleted records included; then, for
                # records older than the history, the name they have now.
                for record_id, label, _seq in self.store.db.execute(
                    f"SELECT record_id, label, max(seq) FROM changes "
                    f"WHERE record_id IN ({marks}) GROUP BY record_id",
                    chunk,
                ):
                    self._names[record_id] = label
                missing = [i for i in chunk if i not in self._names]
                if missing and table in _LABELS:
                    marks = ",".join("?" * len(missing))
                    for record_id, label in self.store.db.execute(
                        f"SELECT X.id, {_LABELS[table]} FROM {table} AS X WHERE X.id IN ({marks})",
                        missing,
                    ):
                        self._names[record_id] = label or ""


def _short(text: str, limit: int = 80) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"
