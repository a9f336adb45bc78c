"""Repositories: validated writes and typed reads of one entity each, returning dataclasses.

A :class:`Store` bundles one repository per entity over one connection. Every write validates
with the core rules, checks references and duplicates against the database, and runs inside
``db.atomic()`` so a failure leaves nothing half-written.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlite_utils import Database

from ..core import models as m
from ..core.dates import utc_now_iso
from ..core.errors import FieldProblem, NotFoundError, ValidationError
from ..core.history import Author
from ..core.records import FieldInfo, Record, fields_of, validated
from ..core.text import quote
from .db import close_database, database_path, translate
from .errors import DatabaseReadOnlyError
from .history import ChangeLog

R = TypeVar("R", bound=Record)

#: Which table an id field points at.
_REF_TABLES: dict[str, str] = {
    "account_id": "accounts",
    "contract_id": "contracts",
    "plan_id": "plans",
    "session_id": "coaching_sessions",
    "goal_id": "goals",
    "confirmed_by_id": "stakeholders",
    "validated_by_id": "stakeholders",
    "stakeholder_ids": "stakeholders",
    "attendee_ids": "stakeholders",
}
#: Link tables behind list-of-id fields: (table, owner column, member column).
_LINKS: dict[str, tuple[str, str, str]] = {
    "stakeholder_ids": ("interaction_stakeholders", "interaction_id", "stakeholder_id"),
    "attendee_ids": ("plan_attendees", "plan_id", "stakeholder_id"),
}
_NOUNS: dict[str, str] = {
    "accounts": "account",
    "contracts": "contract",
    "stakeholders": "stakeholder",
    "plans": "conversation plan",
    "coaching_sessions": "coaching session",
    "goals": "customer goal",
}


def _to_db(fi: FieldInfo, value: Any) -> Any:
    if value is None:
        return None
    kind = fi.kind
    if kind == "bool":
        return 1 if value else 0
    if kind == "date":
        return value.isoformat()
    if kind == "decimal":
        return format(value, "f")
    if kind == "enum":
        return value.value
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return value


def _from_db_converter(fi: FieldInfo) -> Callable[[Any], Any] | None:
    kind = fi.kind
    if kind == "bool":
        return bool
    if kind == "date":
        return date.fromisoformat
    if kind == "decimal":
        return Decimal
    if kind == "enum":
        assert fi.enum is not None
        # A dict lookup is several times faster than Enum.__call__ on large reads.
        return {member.value: member for member in fi.enum}.__getitem__
    if kind == "json":
        return json.loads
    return None


def from_db(fi: FieldInfo, value: Any) -> Any:
    """A stored column value as the record holds it (the reverse of the write conversion)."""
    if value is None:
        return None
    convert = _from_db_converter(fi)
    return convert(value) if convert is not None else value


class Repository(Generic[R]):
    """CRUD for one entity type over one table.

    Subclasses only name the table and the entity; rules come from the entity's field specs.
    """

    table: str
    entity: type[R]
    order_by: str = "created_at"

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db: Database = store.db
        self._fields = [fi for fi in fields_of(self.entity) if fi.kind != "idlist"]
        self._links = [fi for fi in fields_of(self.entity) if fi.kind == "idlist"]
        self._columns = ["id", "created_at", "updated_at"] + [fi.name for fi in self._fields]
        converters = [None, None, None] + [_from_db_converter(fi) for fi in self._fields]
        self._convert_at = [(i, conv) for i, conv in enumerate(converters) if conv is not None]
        self._select = f"SELECT {', '.join(self._q(c) for c in self._columns)} FROM {self.table}"

    @staticmethod
    def _q(column: str) -> str:
        return f'"{column}"'

    # ---- reading -----------------------------------------------------------------------------

    def _build(self, row: Sequence[Any]) -> R:
        values = list(row)
        for index, convert in self._convert_at:
            value = values[index]
            if value is not None:
                values[index] = convert(value)
        return self.entity(**dict(zip(self._columns, values, strict=True)))

    def _query(
        self, where: str = "", params: Sequence[Any] = (), order: str | None = None
    ) -> list[R]:
        sql = self._select
        if where:
            sql += f" WHERE {where}"
        sql += f" ORDER BY {order or self.order_by}, id"
        with self.store.errors():
            rows = self.db.execute(sql, list(params)).fetchall()
            records = [self._build(row) for row in rows]
            if self._links and records:
                self._attach_links(records, everything=not where)
        return records

    def _attach_links(self, records: list[R], *, everything: bool) -> None:
        ids = [r.id for r in records]
        by_id = {r.id: r for r in records}
        for fi in self._links:
            table, owner, member = _LINKS[fi.name]
            found: dict[str, list[str]] = defaultdict(list)
            if everything:
                # One scan of the link table beats hundreds of IN (...) lookups.
                for own, mem in self.db.execute(
                    f"SELECT {owner}, {member} FROM {table} ORDER BY rowid"
                ):
                    found[own].append(mem)
                ids = []
            for chunk_start in range(0, len(ids), 900):
                chunk = ids[chunk_start : chunk_start + 900]
                marks = ",".join("?" * len(chunk))
                for own, mem in self.db.execute(
                    f"SELECT {owner}, {member} FROM {table} WHERE {owner} IN ({marks}) "
                    f"ORDER BY rowid",
                    chunk,
                ):
                    found[own].append(mem)
            for rid, members in found.items():
                setattr(by_id[rid], fi.name, members)

    def find(self, record_id: str) -> R | None:
        """The record with ``record_id``, or None."""
        rows = self._query("id = ?", [record_id])
        return rows[0] if rows else None

    def get(self, record_id: str) -> R:
        """The record with ``record_id``; raises NotFoundError when there is none."""
        record = self.find(record_id)
        if record is None:
            raise NotFoundError(f"No {self.noun} with id {record_id}.")
        return record

    def all(self) -> list[R]:
        """Every record of this type, oldest first, in one query."""
        return self._query()

    def where(self, where: str, params: Sequence[Any] = (), order: str | None = None) -> list[R]:
        """Records matching an SQL condition on this table's columns."""
        return self._query(where, params, order)

    def for_account(self, account_id: str) -> list[R]:
        """Every record belonging to one account."""
        return self._query("account_id = ?", [account_id])

    def count(self) -> int:
        """How many records of this type exist."""
        with self.store.errors():
            return self.db.execute(f"SELECT count(*) FROM {self.table}").fetchone()[0]

    @property
    def noun(self) -> str:
        return _NOUNS.get(self.table, self.entity.__name__.lower())

    # ---- writing -----------------------------------------------------------------------------

    def add(self, record: R, *, checked: bool = False) -> R:
        """Validate and insert ``record``; return it as stored (with id and timestamps).

        ``checked`` says the caller already ran :func:`validated` on exactly this record (an
        import validates every row while planning); the database checks still run.
        """
        clean = record if checked else validated(record)
        now = utc_now_iso()
        clean = dataclasses.replace(
            self._new(clean), id=clean.id or str(uuid.uuid4()), created_at=now, updated_at=now
        )
        with self.store.atomic("add"):
            self._check_references(clean)
            self._check_unique(clean)
            self._insert(clean)
        return clean

    def _new(self, record: R) -> R:
        """Defaults a new record takes when it is first stored; the default has none."""
        return record

    def update(self, record: R, *, checked: bool = False) -> R:
        """Validate and save changes to an existing record; return it as stored.

        ``checked`` as for :meth:`add`."""
        if not record.id:
            raise NotFoundError(f"Cannot update a {self.noun} that was never saved.")
        clean = record if checked else validated(record)
        clean = dataclasses.replace(clean, updated_at=utc_now_iso())
        with self.store.atomic("edit"):
            existing = self.db.execute(
                f"SELECT created_at FROM {self.table} WHERE id = ?", [clean.id]
            ).fetchone()
            if existing is None:
                raise NotFoundError(f"This {self.noun} no longer exists; it may have been deleted.")
            clean = dataclasses.replace(clean, created_at=existing[0])
            self._check_references(clean)
            self._check_unique(clean)
            assignments = ", ".join(f"{self._q(c)} = ?" for c in self._columns[1:])
            values = self._row(clean)[1:]
            self._execute(
                f"UPDATE {self.table} SET {assignments} WHERE id = ?", [*values, clean.id]
            )
            self._write_links(clean, replace=True)
        return clean

    def delete(self, record_id: str) -> None:
        """Delete one record (and, through foreign keys, what belongs only to it)."""
        with self.store.atomic("delete"):
            cursor = self._execute(f"DELETE FROM {self.table} WHERE id = ?", [record_id])
            if cursor.rowcount == 0:
                raise NotFoundError(f"This {self.noun} no longer exists.")

    def put_back(self, record: R) -> R:
        """Write ``record`` over the stored one exactly as given, timestamps included: the undo
        (and redo) of an edit. The record is validated as any write is."""
        clean = dataclasses.replace(
            validated(record), created_at=record.created_at, updated_at=record.updated_at
        )
        with self.store.atomic("edit"):
            self._check_references(clean)
            self._check_unique(clean)
            assignments = ", ".join(f"{self._q(c)} = ?" for c in self._columns[1:])
            cursor = self._execute(
                f"UPDATE {self.table} SET {assignments} WHERE id = ?",
                [*self._row(clean)[1:], clean.id],
            )
            if cursor.rowcount == 0:
                raise NotFoundError(f"This {self.noun} no longer exists; it may have been deleted.")
            self._write_links(clean, replace=True)
        return clean

    def restore(self, records: Iterable[R]) -> None:
        """Put back records exactly as they were (ids and timestamps kept): the undo of delete."""
        with self.store.atomic("restore"):
            for record in records:
                self._insert(record)

    def _row(self, record: R) -> list[Any]:
        values: list[Any] = [record.id, record.created_at, record.updated_at]
        values += [_to_db(fi, getattr(record, fi.name)) for fi in self._fields]
        return values

    def _insert(self, record: R) -> None:
        marks = ", ".join("?" * len(self._columns))
        cols = ", ".join(self._q(c) for c in self._columns)
        self._execute(f"INSERT INTO {self.table} ({cols}) VALUES ({marks})", self._row(record))
        self._write_links(record, replace=False)

    def _write_links(self, record: R, *, replace: bool) -> None:
        for fi in self._links:
            table, owner, member = _LINKS[fi.name]
            members = list(dict.fromkeys(getattr(record, fi.name)))
            before: list[str] = []
            if replace:
                before = [
                    row[0]
                    for row in self.db.execute(
                        f"SELECT {member} FROM {table} WHERE {owner} = ? ORDER BY rowid",
                        [record.id],
                    )
                ]
                self._execute(f"DELETE FROM {table} WHERE {owner} = ?", [record.id])
            self.store.history.log_list(self.table, record, fi.name, before, members)
            self.db.conn.executemany(
                f"INSERT INTO {table} ({owner}, {member}) VALUES (?, ?)",
                [(record.id, mem) for mem in members],
            )

    def _execute(self, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        try:
            return self.db.execute(sql, list(params))
        except sqlite3.IntegrityError as exc:
            raise ValidationError(
                FieldProblem("id", f"The database refused this {self.noun}: {exc}"),
                entity=self.entity.__name__,
            ) from exc

    # ---- checks that need the database -------------------------------------------------------

    def _check_references(self, record: R) -> None:
        problems: list[FieldProblem] = []
        account_id = getattr(record, "account_id", None)
        for fi in fields_of(self.entity):
            table = _REF_TABLES.get(fi.name)
            if table is None:
                continue
            value = getattr(record, fi.name)
            ids = value if fi.kind == "idlist" else ([value] if value else [])
            for ref in ids:
                # Every referenced table but these two carries its own account_id.
                cols = "id" if table in ("accounts", "coaching_sessions") else "account_id"
                row = self.db.execute(f"SELECT {cols} FROM {table} WHERE id = ?", [ref]).fetchone()
                noun = _NOUNS.get(table, table)
                if row is None:
                    problems.append(
                        FieldProblem(
                            fi.name, f"{fi.label}: the chosen {noun} does not exist (deleted?)"
                        )
                    )
                    break
                if (
                    account_id
                    and fi.name != "account_id"
                    and cols == "account_id"
                    and row[0] != account_id
                ):
                    problems.append(
                        FieldProblem(
                            fi.name, f"{fi.label}: the chosen {noun} belongs to another account"
                        )
                    )
                    break
        if problems:
            raise ValidationError(problems, entity=self.entity.__name__)

    def _check_unique(self, record: R) -> None:
        """Entity-specific duplicate checks; the default has none."""


class AccountRepository(Repository[m.Account]):
    table = "accounts"
    entity = m.Account
    order_by = "name COLLATE NOCASE"

    def _check_unique(self, record: m.Account) -> None:
        row = self.db.execute(
            "SELECT id, archived FROM accounts WHERE name = ? COLLATE NOCASE AND id != ?",
            [record.name, record.id],
        ).fetchone()
        if row:
            extra = " (archived)" if row[1] else ""
            raise ValidationError(
                FieldProblem(
                    "name", f"An account named '{quote(record.name)}' already exists{extra}"
                ),
                entity="Account",
            )

    def find_by_name(self, name: str) -> m.Account | None:
        """The account with this name (case-insensitive), or None."""
        rows = self._query("name = ? COLLATE NOCASE", [name.strip()])
        return rows[0] if rows else None

    def snapshot(self, account_id: str) -> AccountSnapshot:
        """Everything that deleting this account would remove, for undo."""
        return AccountSnapshot.capture(self.store, account_id)


class ContractRepository(Repository[m.Contract]):
    table = "contracts"
    entity = m.Contract
    order_by = "end_date"

    def _check_unique(self, record: m.Contract) -> None:
        row = self.db.execute(
            "SELECT title FROM contracts WHERE account_id = ? AND reference = ? COLLATE NOCASE "
            "AND id != ?",
            [record.account_id, record.reference, record.id],
        ).fetchone()
        if row:
            raise ValidationError(
                FieldProblem(
                    "reference",
                    "This account already has a contract with reference "
                    f"'{quote(record.reference)}' ({row[0]})",
                ),
                entity="Contract",
            )

    def _new(self, record: m.Contract) -> m.Contract:
        # The campaign is kept from the day the contract is entered (DOMAIN.md section 4),
        # unless the user says it was tracked from earlier.
        if record.tracked_since is None:
            return dataclasses.replace(record, tracked_since=date.today())
        return record

    def find_by_reference(self, reference: str) -> list[m.Contract]:
        """Contracts whose reference matches (case-insensitive) or whose id is ``reference``."""
        return self._query("reference = ? COLLATE NOCASE OR id = ?", [reference.strip()] * 2)

    def ending_between(self, start: date, end: date) -> list[m.Contract]:
        """Contracts whose end date falls within ``start``..``end`` inclusive, soonest first."""
        return self._query("end_date BETWEEN ? AND ?", [start.isoformat(), end.isoformat()])


class StakeholderRepository(Repository[m.Stakeholder]):
    table = "stakeholders"
    entity = m.Stakeholder
    order_by = "name COLLATE NOCASE"

    def same_name(self, record: m.Stakeholder) -> list[m.Stakeholder]:
        """Other people at the record's account with its name (any case, spacing tidied).

        Two people may share a name, so this is not refused like a duplicate account: the app
        asks before adding a second one.
        """
        wanted = " ".join(record.name.split()).casefold()
        if not wanted:
            return []
        return [
            s
            for s in self.for_account(record.account_id)
            if s.id != record.id and " ".join(s.name.split()).casefold() == wanted
        ]


class InteractionRepository(Repository[m.Interaction]):
    table = "interactions"
    entity = m.Interaction
    order_by = "occurred_on DESC"


class GoalRepository(Repository[m.CustomerGoal]):
    table = "goals"
    entity = m.CustomerGoal
    order_by = "priority"


class EvidenceRepository(Repository[m.ValueEvidence]):
    table = "evidence"
    entity = m.ValueEvidence


class ConcernRepository(Repository[m.Concern]):
    table = "concerns"
    entity = m.Concern
    order_by = "opened_on DESC"


class ImprovementRepository(Repository[m.Improvement]):
    table = "improvements"
    entity = m.Improvement


class ChangeEventRepository(Repository[m.ChangeEvent]):
    table = "change_events"
    entity = m.ChangeEvent
    order_by = "occurred_on DESC"


class MilestoneRepository(Repository[m.Milestone]):
    table = "milestones"
    entity = m.Milestone
    order_by = "code"

    def _check_unique(self, record: m.Milestone) -> None:
        row = self.db.execute(
            "SELECT 1 FROM milestones WHERE contract_id = ? AND code = ? AND occurrence = ? "
            "AND id != ?",
            [record.contract_id, record.code, record.occurrence, record.id],
        ).fetchone()
        if row:
            raise ValidationError(
                FieldProblem("code", f"Milestone {record.code} is already recorded"),
                entity="Milestone",
            )


class PlanRepository(Repository[m.ConversationPlan]):
    table = "plans"
    entity = m.ConversationPlan
    order_by = "meeting_date DESC"


class CommitmentRepository(Repository[m.Commitment]):
    table = "commitments"
    entity = m.Commitment
    order_by = "due_on"


class AssessmentRepository(Repository[m.Assessment]):
    table = "assessments"
    entity = m.Assessment
    order_by = "taken_on"


class CoachingSessionRepository(Repository[m.CoachingSession]):
    table = "coaching_sessions"
    entity = m.CoachingSession
    order_by = "started_at"


@dataclasses.dataclass
class AccountSnapshot:
    """An account and every record that belongs to it, as stored: enough to undo a delete."""

    records: list[tuple[str, list[Record]]]

    @classmethod
    def capture(cls, store: Store, account_id: str) -> AccountSnapshot:
        account = store.accounts.get(account_id)
        captured: list[tuple[str, list[Record]]] = [("accounts", [account])]
        contract_ids = [c.id for c in store.contracts.for_account(account_id)]
        plan_ids: list[str] = []
        for name in store.ACCOUNT_CHILDREN:
            repo = store.repo(name)
            rows = repo.for_account(account_id)
            captured.append((name, list(rows)))
            if name == "plans":
                plan_ids = [r.id for r in rows]
        if contract_ids:
            marks = ",".join("?" * len(contract_ids))
            captured.append(
                (
                    "milestones",
                    list(store.milestones.where(f"contract_id IN ({marks})", contract_ids)),
                )
            )
        if plan_ids:
            marks = ",".join("?" * len(plan_ids))
            captured.append(
                (
                    "coaching_sessions",
                    list(store.coaching_sessions.where(f"plan_id IN ({marks})", plan_ids)),
                )
            )
        captured.append(("assessments", list(store.assessments.for_account(account_id))))
        return cls(captured)

    def restore(self, store: Store) -> None:
        """Re-insert every captured record, in dependency order, in one transaction."""
        order = [
            "accounts",
            "contracts",
            "stakeholders",
            "interactions",
            "goals",
            "evidence",
            "concerns",
            "improvements",
            "change_events",
            "milestones",
            "plans",
            "coaching_sessions",
            "commitments",
            "assessments",
        ]
        by_name = dict(self.records)
        with store.atomic():
            for name in order:
                if name in by_name:
                    store.repo(name).restore(by_name[name])


class Store:
    """One connection and a repository per entity; the only way the app reads and writes data."""

    ACCOUNT_CHILDREN = (
        "contracts",
        "stakeholders",
        "interactions",
        "goals",
        "evidence",
        "concerns",
        "improvements",
        "change_events",
        "plans",
        "commitments",
    )

    def __init__(self, db: Database, author: Author | None = None) -> None:
        """``author`` names who writes and from which device, for the change history; by
        default it is read from the per-user settings (``user.json``) at the first write."""
        self.db = db
        self.path: Path | None = database_path(db)
        self.history = ChangeLog(self, author)
        #: Why this store only shows data ("" when it may change it): set by whoever opened it
        #: read-only, for the banner; :attr:`read_only` is what everyone checks.
        self.read_only_reason = ""
        self._read_only = bool(db.execute("PRAGMA query_only").fetchone()[0])
        #: Rows written through this connection when it was handed over (see :attr:`changed`).
        self._changes_at_open = db.conn.total_changes
        self.accounts = AccountRepository(self)
        self.contracts = ContractRepository(self)
        self.stakeholders = StakeholderRepository(self)
        self.interactions = InteractionRepository(self)
        self.goals = GoalRepository(self)
        self.evidence = EvidenceRepository(self)
        self.concerns = ConcernRepository(self)
        self.improvements = ImprovementRepository(self)
        self.change_events = ChangeEventRepository(self)
        self.milestones = MilestoneRepository(self)
        self.plans = PlanRepository(self)
        self.commitments = CommitmentRepository(self)
        self.assessments = AssessmentRepository(self)
        self.coaching_sessions = CoachingSessionRepository(self)

    def repo(self, table: str) -> Repository[Any]:
        """The repository for a table name (``"contracts"`` and so on)."""
        repo = getattr(self, table, None)
        if not isinstance(repo, Repository):
            raise KeyError(table)
        return repo

    def entities(self) -> dict[str, type[Record]]:
        """The entity class stored in each table."""
        return {
            name: repo.entity for name, repo in vars(self).items() if isinstance(repo, Repository)
        }

    @property
    def read_only(self) -> bool:
        """True when this store may only be looked at: the file is read-only, another process
        is writing it, or the person chose to view it. Every write is refused, and the app
        disables every action that would make one."""
        return self._read_only

    def make_read_only(self, reason: str) -> None:
        """From now on refuse every write, saying ``reason`` (the file turned out damaged)."""
        self._read_only = True
        self.read_only_reason = reason

    @property
    def changed(self) -> bool:
        """True when records were written through this store since it was opened."""
        return self.db.conn.total_changes > self._changes_at_open

    @contextmanager
    def atomic(self, kind: str = "edit") -> Iterator[None]:
        """One transaction (or savepoint, when nested): all of it is saved, or none of it.

        The outermost block is also one operation of the change history, of ``kind`` (see
        :data:`~renewal_coach.core.history.OP_KINDS`): every change inside it is logged under one
        operation id. Nested blocks join it."""
        if self._read_only:
            raise DatabaseReadOnlyError(
                self.read_only_reason or "This portfolio is open read-only: nothing was changed."
            )
        with self.errors():
            self.history.prepare()
        with self.errors(), self.db.atomic(), self.history.operation(kind):
            yield

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Translate low-level SQLite failures into StorageError with a plain message."""
        try:
            yield
        except sqlite3.IntegrityError as exc:
            raise ValidationError(
                FieldProblem("id", f"The database refused the change: {exc}")
            ) from exc
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from exc

    def is_empty(self) -> bool:
        """True when there are no accounts at all."""
        return self.accounts.count() == 0

    @property
    def closed(self) -> bool:
        return bool(getattr(self, "_closed", False))

    def close(self) -> None:
        """Close the connection (and give back the file's writer lock); again is harmless."""
        if getattr(self, "_closed", False):
            return
        self._closed = True
        close_database(self.db)
