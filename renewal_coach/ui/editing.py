"""Every change a person makes to the portfolio, with undo and redo.

:class:`Editor` is the one way the UI writes records. Each method does the write first (so a
refused change raises its :class:`~renewal_coach.core.errors.ValidationError` to the form that
asked, and nothing lands on the undo stack), then pushes a command that can take it back.
``changed(account_id)`` says which account's data moved ("" when the list of accounts itself
changed); pages decide what to refresh.

Undoing a delete puts back exactly what the delete took away: the record, whatever cascaded
from it, and the references the database cleared in records that stayed. Changes made since
outside the undo stack (a plan saved, an assessment taken) are kept.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core.errors import RenewalCoachError
from ..core.models import Account, Contract, Milestone
from ..core.records import Record
from ..storage.plan_store import SavedCapture
from ..storage.repository import AccountSnapshot, Store
from ..tables.importer import ImportResult
from .text import plural

#: Table of each entity the editor writes.
TABLES: dict[type[Record], str] = {}


def _tables() -> dict[type[Record], str]:
    if not TABLES:
        from ..core import models as m

        TABLES.update(
            {
                m.Account: "accounts",
                m.Contract: "contracts",
                m.Stakeholder: "stakeholders",
                m.Interaction: "interactions",
                m.CustomerGoal: "goals",
                m.ValueEvidence: "evidence",
                m.Concern: "concerns",
                m.Improvement: "improvements",
                m.ChangeEvent: "change_events",
                m.Milestone: "milestones",
                m.ConversationPlan: "plans",
                m.Commitment: "commitments",
                m.Assessment: "assessments",
                m.CoachingSession: "coaching_sessions",
            }
        )
    return TABLES


def table_of(record: Record | type[Record]) -> str:
    """The table that stores ``record`` (an instance or an entity class)."""
    cls = record if isinstance(record, type) else type(record)
    return _tables()[cls]


def noun_of(record: Record | type[Record]) -> str:
    """A short lower-case name for the kind of record, for undo texts and questions."""
    cls = record if isinstance(record, type) else type(record)
    return _NOUNS.get(cls.__name__, cls.__name__.lower())


_NOUNS = {
    "Account": "account",
    "Contract": "contract",
    "Stakeholder": "stakeholder",
    "Interaction": "interaction",
    "CustomerGoal": "customer goal",
    "ValueEvidence": "value evidence",
    "Concern": "concern",
    "Improvement": "improvement",
    "ChangeEvent": "change event",
    "Milestone": "milestone",
    "ConversationPlan": "conversation plan",
    "Commitment": "commitment",
    "Assessment": "assessment",
    "CoachingSession": "coaching session",
}


def describe(record: Record) -> str:
    """A few words naming one record, for undo texts ("contract C-104")."""
    for name in ("name", "reference", "title", "purpose", "statement", "description", "code"):
        value = getattr(record, name, "")
        if isinstance(value, str) and value.strip():
            text = value.strip().splitlines()[0]
            return text if len(text) <= 40 else text[:39] + "…"
    return ""


def account_of(store: Store, record: Record) -> str:
    """The id of the account a record belongs to ("" for organisation-wide records)."""
    if isinstance(record, Account):
        return record.id
    account_id = getattr(record, "account_id", None)
    if account_id:
        return str(account_id)
    if isinstance(record, Milestone):
        row = store.db.execute(
            "SELECT account_id FROM contracts WHERE id = ?", [record.contract_id]
        ).fetchone()
        return row[0] if row else ""
    return ""


class _Command(QUndoCommand):
    """A change already applied when pushed: the first ``redo`` (from ``push``) does nothing;
    later ones call ``apply``, undo calls ``revert``."""

    def __init__(
        self,
        editor: Editor,
        text: str,
        account_id: str,
        apply: Callable[[], object],
        revert: Callable[[], object],
    ) -> None:
        super().__init__(text)
        self._editor = editor
        self._applied = True
        self._apply = apply
        self._revert = revert
        self.account_id = account_id

    def redo(self) -> None:
        if self._applied:
            self._applied = False  # from now on redo really re-applies
            return
        self._editor._run(self.text(), self._apply, self.account_id, "redo")

    def undo(self) -> None:
        self._editor._run(self.text(), self._revert, self.account_id, "undo")


@dataclasses.dataclass
class _Removal:
    """What one delete took away: the records that went (the record and whatever cascaded
    from it), and, for records that stayed, the references the database cleared."""

    gone: list[tuple[str, list[Record]]]
    #: (table, record id, {field: value before the delete}) for references set to NULL or
    #: link lists that lost members.
    cleared: list[tuple[str, str, dict[str, Any]]]


def _remove(store: Store, record: Record, account_id: str) -> _Removal:
    """Delete ``record`` and work out exactly what the delete changed in its account."""
    if not account_id:
        # Organisation-wide (an assessment of the whole organisation): nothing cascades.
        store.repo(table_of(record)).delete(record.id)
        return _Removal([(table_of(record), [record])], [])
    with store.atomic("delete"):
        before = AccountSnapshot.capture(store, account_id)
        store.repo(table_of(record)).delete(record.id)
        if isinstance(record, Account):
            return _Removal(before.records, [])
        after = {
            r.id: r
            for _table, rows in AccountSnapshot.capture(store, account_id).records
            for r in rows
        }
    gone: list[tuple[str, list[Record]]] = []
    cleared: list[tuple[str, str, dict[str, Any]]] = []
    for table, rows in before.records:
        gone_rows = [r for r in rows if r.id not in after]
        if gone_rows:
            gone.append((table, gone_rows))
        for old in rows:
            now = after.get(old.id)
            if now is None or now == old:
                continue
            changed = {
                f.name: getattr(old, f.name)
                for f in dataclasses.fields(old)
                if f.name not in ("created_at", "updated_at")
                and getattr(old, f.name) != getattr(now, f.name)
            }
            if changed:
                cleared.append((table, old.id, changed))
    return _Removal(gone, cleared)


def _put_back(store: Store, removal: _Removal) -> None:
    """Undo a delete: re-insert what went, then restore the references the database cleared,
    leaving every other change made since (plans saved, assessments taken) as it is."""
    gone_ids = {r.id for _table, rows in removal.gone for r in rows}
    with store.atomic():
        AccountSnapshot(removal.gone).restore(store)
        for table, record_id, fields in removal.cleared:
            repo = store.repo(table)
            current = repo.find(record_id)
            if current is None:
                continue
            values: dict[str, Any] = {}
            for name, old in fields.items():
                now = getattr(current, name)
                if isinstance(old, list):
                    # Members the delete took out go back in their old place; members added
                    # since stay at the end.
                    keep = [x for x in old if x in now or x in gone_ids]
                    values[name] = keep + [x for x in now if x not in keep]
                elif now is None and old in gone_ids:
                    values[name] = old
            if values:
                repo.update(dataclasses.replace(current, **values))


class Editor(QObject):
    """Writes records for the UI and keeps one undo stack for the open database.

    ``changed(account_id)`` fires after every write, undo and redo. ``failed(message)`` fires
    when an undo or redo could not be applied (for example the file became read-only); the
    stack is then cleared, because what it remembers no longer matches the file.
    """

    changed = Signal(str)
    failed = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(200)

    def set_store(self, store: Store) -> None:
        """Edit another database; the old one's history is forgotten."""
        self.store = store
        self.undo_stack.clear()

    # ---- writes ----------------------------------------------------------------------------

    def add(self, record: Record) -> Record:
        """Validate and add ``record``; return it as stored. Raises ValidationError."""
        repo = self.store.repo(table_of(record))
        stored = repo.add(record)
        account_id = account_of(self.store, stored)
        text = self.tr("Add {noun} {what}").format(noun=noun_of(stored), what=describe(stored))
        self.undo_stack.push(
            _Command(
                self,
                text,
                account_id,
                lambda: repo.restore([stored]),
                lambda: repo.delete(stored.id),
            )
        )
        self._changed(account_id, stored)
        return stored

    def update(self, record: Record) -> Record:
        """Save changes to an existing record; return it as stored. Raises ValidationError."""
        repo = self.store.repo(table_of(record))
        before = repo.get(record.id)
        after = repo.update(record)
        account_id = account_of(self.store, after)
        text = self.tr("Edit {noun} {what}").format(noun=noun_of(after), what=describe(after))
        self.undo_stack.push(
            _Command(
                self, text, account_id, lambda: repo.put_back(after), lambda: repo.put_back(before)
            )
        )
        self._changed(account_id, after)
        return after

    def set_archived(self, account: Account, archived: bool) -> Account:
        """Archive (or bring back) ``account``: it leaves (or rejoins) the portfolio's lists,
        rankings and charts. One undo step; raises ValidationError like any edit."""
        repo = self.store.accounts
        before = repo.get(account.id)
        after = repo.update(dataclasses.replace(before, archived=archived))
        what = describe(after)
        text = (
            self.tr("Archive account {what}").format(what=what)
            if archived
            else self.tr("Unarchive account {what}").format(what=what)
        )
        self.undo_stack.push(
            _Command(
                self,
                text,
                after.id,
                lambda: repo.put_back(after),
                lambda: repo.put_back(before),
            )
        )
        self._changed(after.id, after)
        return after

    def delete(self, record: Record) -> None:
        """Delete ``record`` (and what cascades from it); undo puts all of it back."""
        account_id = account_of(self.store, record)
        # Each redo deletes again and records afresh what that delete took away.
        removal = [_remove(self.store, record, account_id)]

        def apply() -> None:
            removal[0] = _remove(self.store, record, account_id)

        text = self.tr("Delete {noun} {what}").format(noun=noun_of(record), what=describe(record))
        self.undo_stack.push(
            _Command(self, text, account_id, apply, lambda: _put_back(self.store, removal[0]))
        )
        self._changed("" if isinstance(record, Account) else account_id, record)

    def mark_milestone(
        self, contract_id: str, code: str, occurrence: int, done_on: date, note: str = ""
    ) -> Milestone:
        """Record a campaign milestone as done (or update the existing record of it)."""
        existing = self.store.milestones.where(
            "contract_id = ? AND code = ? AND occurrence = ?", [contract_id, code, occurrence]
        )
        if existing:
            return self.update(dataclasses.replace(existing[0], done_on=done_on, note=note))
        return self.add(
            Milestone(
                contract_id=contract_id,
                code=code,
                occurrence=occurrence,
                done_on=done_on,
                note=note,
            )
        )

    def record_capture(self, saved: SavedCapture) -> None:
        """Put an already-saved meeting capture on the undo stack."""
        account_id = saved.plan.account_id
        text = self.tr("Record the outcome of {what}").format(what=describe(saved.plan))
        self.undo_stack.push(
            _Command(
                self,
                text,
                account_id,
                lambda: saved.redo(self.store),
                lambda: saved.undo(self.store),
            )
        )
        self.changed.emit(account_id)

    def record_import(self, result: ImportResult, name: str) -> None:
        """Put an import that has been written on the undo stack: one step for all of it."""
        count = len(result.created) + len(result.updated)
        text = plural(
            count,
            self.tr("Import {n} record from {name}"),
            self.tr("Import {n} records from {name}"),
        ).format(name=name)
        self.undo_stack.push(
            _Command(
                self,
                text,
                "",
                lambda: result.redo(self.store),
                lambda: result.undo(self.store),
            )
        )
        self.changed.emit("")
        for account_id in sorted(result.touched_accounts()):
            self.changed.emit(account_id)

    def notify(self, account_id: str) -> None:
        """Say that something outside the editor (a plan, an assessment) changed an account."""
        self.changed.emit(account_id)

    # ---- internals -------------------------------------------------------------------------

    def _changed(self, account_id: str, record: Record) -> None:
        if isinstance(record, (Account, Contract)):
            # Names, values and dates show in the portfolio list: refresh it as well.
            self.changed.emit("")
        if account_id:
            self.changed.emit(account_id)

    def _run(self, text: str, action: Callable[[], Any], account_id: str, kind: str) -> None:
        try:
            # One operation in the change history, logged as an undo (or redo) of its own.
            with self.store.atomic(kind):
                action()
        except RenewalCoachError as exc:
            self.failed.emit(
                self.tr("“{what}” could not be applied: {why}").format(what=text, why=exc)
            )
            # Clearing inside undo()/redo() would delete the running command.
            QTimer.singleShot(0, self.undo_stack.clear)
        self.changed.emit("")
        if account_id:
            self.changed.emit(account_id)
