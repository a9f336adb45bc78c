"""What goes into a calendar file, and what changed since the last one (issue 15). Qt-free.

A calendar export holds one all-day event per contract deadline (DOMAIN.md 5a), per open
campaign milestone (section 4) and per open commitment, both ways. The dates come from
:mod:`renewal_coach.core.deadlines` and the campaign timeline; nothing here works a deadline
out again.

Calendars get shared with assistants and colleagues, so the words are plain facts: which
account, which contract, what is due, what "done" means and how much notice time is left. No
scores, bands, segments, walk-away positions, internal notes or judgements (DOMAIN.md 6).

Each item has a stable UID (record id, what is due, occurrence for repeating milestones), so a
fresh export imported into the same calendar updates the events it holds. :func:`plan_export`
compares the items with what earlier exports wrote (kept in the database) and decides which
events to write, which get a higher SEQUENCE because their date or words changed, and which
are written once more as cancelled because the item was done, deleted or closed since.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .deadlines import (
    DEADLINE_KINDS,
    AgendaAccount,
    AgendaContract,
    DeadlineSettings,
    contract_deadlines,
    is_live,
    notice_deadline,
    owner_matches,
)
from .text import clean_line, clean_text, plural

#: The right-hand side of every UID: fixed, so UIDs stay the same from one export to the next.
UID_DOMAIN = "renewalcoach.org"

#: Kinds of calendar item, with the category a calendar program shows.
CATEGORIES = {"deadline": "Contract deadline", "milestone": "Campaign milestone"}
COMMITMENT_CATEGORY = "Commitment"

#: What "done" means for each deadline, in words fit for a shared calendar.
DEADLINE_DONE: dict[str, str] = {
    "notice": (
        "This is the last day on which notice can be given under the contract. Done when our "
        "position (continue, renegotiate or leave) is agreed and any notice the contract asks "
        "for has gone out in writing."
    ),
    "option": (
        "This is the last day to take up the extension option. Done when the choice on the "
        "option is made and, where it is ours to make, confirmed to the customer in writing."
    ),
    "market": (
        "The customer is expected to go to market around this day. Done when the proposal team "
        "is ready and every contact runs through the formal channels from here on."
    ),
    "decision": (
        "The customer is expected to decide around this day. Done when we know the outcome "
        "and a debrief is booked, whatever the result."
    ),
    "end": (
        "The contract term ends on this day. Done when the next term is signed, or the "
        "handover or exit is complete and orderly."
    ),
}

#: What "done" means for each campaign milestone (DOMAIN.md section 4), rewritten for a
#: calendar others may see: the milestone's own text on screen names internal positions.
MILESTONE_DONE: dict[str, str] = {
    "M0": (
        "Done when the customer's goals are written down as a baseline, the review rhythm "
        "and how often they want to hear from us are agreed, and the evidence log is started."
    ),
    "M1": (
        "Done when a value review has been held with the customer and what it showed is "
        "logged as evidence."
    ),
    "M2": (
        "Done when the mid-term health check is held: how the relationship stands, how ready "
        "both sides are, and the option and notice dates confirmed against the contract."
    ),
    "M3": (
        "Done when the renewal campaign has an owner and a team, the situation has been "
        "reviewed and the outcome we aim for is agreed."
    ),
    "M4": (
        "Done when every stakeholder with a strong say has been asked about their goals for "
        "the years ahead."
    ),
    "M5": (
        "Done when the first readiness check is complete, each open concern has a plan to fix "
        "it, and the scope has been shaped while the customer's buying plans are still open."
    ),
    "M6": (
        "Done when the plan for the next term is ready for the customer's executives: what "
        "changes, which improvements and ideas we bring, and the price reviewed."
    ),
    "M7": (
        "Done when the second readiness check is complete, the buying route is known, the "
        "evidence pack is complete and the team has been briefed on probity."
    ),
    "M8": (
        "Procurement is live. Done when every contact goes through the formal channels and "
        "the proposal answers the customer's evaluation criteria."
    ),
    "M9": (
        "Done when the decision is known, a debrief has been held whatever the result, and "
        "the lessons are written down."
    ),
    "M10": (
        "Done when the outcome is followed through: a new term starts with fresh goals, or "
        "the handover is orderly with an eye on winning the customer back, or the reason for "
        "leaving is written down."
    ),
    "N": (
        "The notice deadline is two months away. Done when our position on notice is agreed, "
        "in good time."
    ),
    "X": (
        "The option exercise date is two months away. Done when the choice on the extension "
        "option is agreed, in good time."
    ),
}

COMMITMENT_DONE = {
    "us": "Done when we have delivered what we promised and told the customer so.",
    "customer": (
        "Done when the customer has delivered what they promised; if it has not arrived, a "
        "friendly reminder is due."
    ),
}

#: Longest summary line: calendar programs show the start of it anyway.
SUMMARY_LIMIT = 160


def long_date(day: date) -> str:
    """``12 March 2027``: a date written out, the same in every locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def notice_line(day: date, notice: date | None) -> str:
    """How much notice time is left on ``day``, in words that do not change from one export to
    the next (they depend on the dates only, never on the day of the export)."""
    if notice is None:
        return "No notice deadline is recorded for this contract."
    left = (notice - day).days
    if left > 0:
        days = plural(left, "{n} day", "{n} days")
        return f"On this day {days} of notice time remain: the notice deadline is " + (
            f"{long_date(notice)}."
        )
    if left == 0:
        return "This is the notice deadline itself: the last day to give notice."
    return f"The notice deadline ({long_date(notice)}) has passed by this day."


@dataclass(frozen=True, slots=True)
class CalendarItem:
    """One event a calendar export can hold: an all-day event on ``due``."""

    uid: str
    account_id: str
    due: date
    summary: str
    description: str
    category: str
    #: Reminders, in whole days before the day.
    alarm_days: tuple[int, ...]

    @property
    def content_hash(self) -> str:
        """A fingerprint of everything a calendar shows: date, words and reminders."""
        text = "\x1f".join(
            (
                self.due.isoformat(),
                self.summary,
                self.description,
                self.category,
                ",".join(str(d) for d in self.alarm_days),
            )
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_uid(record_id: str, what: str, occurrence: int | None = None) -> str:
    """``<record id>-<what>[-<occurrence>]@renewalcoach.org``: the same for the same item in
    every export."""
    tail = f"-{occurrence}" if occurrence is not None else ""
    return f"{record_id}-{what}{tail}@{UID_DOMAIN}"


def _summary(text: str) -> str:
    text = clean_line(text)
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1].rstrip() + "…"


def _about(account: str, reference: str) -> str:
    return f"{account} ({reference})" if reference else account


def _holder(value: str) -> str:
    return {
        "customer": " The option is the customer's.",
        "supplier": " The option is ours.",
        "mutual": " The option needs both sides to agree.",
    }.get(value, "")


def deadline_item(
    account: AgendaAccount,
    contract: Any,
    kind: str,
    due: date,
    settings: DeadlineSettings,
    holder: str = "",
) -> CalendarItem:
    """The event for one deadline of one contract (``holder``: who holds the extension
    option, "customer", "supplier" or "mutual", when known)."""
    label = DEADLINE_KINDS[kind]
    name = clean_line(account.name)
    reference = clean_line(contract.reference)
    done = DEADLINE_DONE[kind] + (_holder(holder) if kind == "option" else "")
    lines = [
        f"{label} for {name}, contract {reference} ({clean_line(contract.title)}).",
        "",
        done,
        "",
        notice_line(due, notice_deadline(contract)),
    ]
    if account.owner:
        lines.append(f"Account owner: {clean_line(account.owner)}.")
    hard = kind in ("notice", "option")
    return CalendarItem(
        uid=make_uid(contract.id, kind),
        account_id=account.id,
        due=due,
        summary=_summary(f"{_about(name, reference)}: {label}"),
        description="\n".join(lines),
        category=CATEGORIES["deadline"],
        alarm_days=settings.alarm_days_hard if hard else settings.alarm_days_other,
    )


def milestone_item(
    account: AgendaAccount, contract: Any, milestone: Any, settings: DeadlineSettings
) -> CalendarItem:
    """The event for one open campaign milestone (code and occurrence make it unique)."""
    name = clean_line(account.name)
    reference = clean_line(contract.reference)
    label = clean_line(milestone.label)
    owner = clean_line(getattr(milestone, "owner", "") or account.owner)
    lines = [
        f"Campaign milestone {milestone.code}, {label}, for {name}, contract {reference} "
        f"({clean_line(contract.title)}).",
        "",
        MILESTONE_DONE.get(milestone.code, ""),
        "",
        notice_line(milestone.due, notice_deadline(contract)),
    ]
    if owner:
        lines.append(f"Owner: {owner}.")
    return CalendarItem(
        uid=make_uid(contract.id, milestone.code, milestone.occurrence),
        account_id=account.id,
        due=milestone.due,
        summary=_summary(f"{_about(name, reference)}: {label}"),
        description="\n".join(lines),
        category=CATEGORIES["milestone"],
        alarm_days=settings.alarm_days_other,
    )


def commitment_item(
    account: AgendaAccount, commitment: Any, settings: DeadlineSettings
) -> CalendarItem:
    """The event for one open commitment, ours or the customer's."""
    party = str(getattr(commitment.party, "value", commitment.party))
    name = clean_line(account.name)
    text = clean_text(commitment.description)
    first = clean_line(text.splitlines()[0]) if text else ""
    ours = party == "us"
    who = "we owe" if ours else "they owe us"
    lines = [
        f"A commitment we made to {name}:" if ours else f"A commitment {name} made to us:",
        text,
        "",
        COMMITMENT_DONE["us" if ours else "customer"],
    ]
    if commitment.owner:
        lines.append(f"Owner: {clean_line(commitment.owner)}.")
    return CalendarItem(
        uid=make_uid(commitment.id, "commitment"),
        account_id=account.id,
        due=commitment.due_on,
        summary=_summary(f"{name} – {who}: {first}"),
        description="\n".join(lines),
        category=COMMITMENT_CATEGORY,
        alarm_days=settings.alarm_days_other,
    )


_OPEN = ("overdue", "due", "upcoming")


def calendar_items(
    *,
    accounts: Iterable[AgendaAccount],
    contracts: Mapping[str, Iterable[AgendaContract]],
    commitments: Iterable[Any] = (),
    settings: DeadlineSettings,
    holders: Mapping[str, str] | None = None,
    keep: Callable[[str, date], bool] | None = None,
    seen: set[str] | None = None,
) -> list[CalendarItem]:
    """Every item that still calls for something, whatever its date: each deadline of every
    live contract, every open milestone (not done, not before tracking) and every commitment
    not done that has a due date, for ``accounts`` (the caller leaves out archived ones and
    applies any filter). ``holders`` maps a contract id to who holds its extension option.
    Soonest first.

    ``keep(uid, due)``, when given, says which items are worth their words (those in the
    window, and those an earlier export wrote); the others are only counted into ``seen``, the
    UIDs of every open item, which is all :func:`plan_export` needs of them."""
    holders = holders or {}
    wanted = {a.id: a for a in accounts}
    items: list[CalendarItem] = []

    def wants(uid: str, due: date) -> bool:
        if seen is not None:
            seen.add(uid)
        return keep is None or keep(uid, due)

    for account_id, account in wanted.items():
        for entry in contracts.get(account_id, ()):
            c = entry.contract
            if not is_live(c):
                continue
            for d in contract_deadlines(c):
                if wants(make_uid(c.id, d.kind), d.due):
                    holder = holders.get(c.id, "")
                    items.append(deadline_item(account, c, d.kind, d.due, settings, holder))
            for ms in entry.open_milestones():
                if ms.status in _OPEN and wants(make_uid(c.id, ms.code, ms.occurrence), ms.due):
                    items.append(milestone_item(account, c, ms, settings))
    for k in commitments:
        account = wanted.get(k.account_id)
        if account is None or k.done_on is not None or k.due_on is None:
            continue
        if wants(make_uid(k.id, "commitment"), k.due_on):
            items.append(commitment_item(account, k, settings))
    items.sort(key=lambda i: (i.due, i.summary.casefold(), i.uid))
    return items


@dataclass(frozen=True, slots=True)
class Remembered:
    """An event an earlier export wrote (a row of the ``calendar_events`` table)."""

    uid: str
    account_id: str
    due: date
    summary: str
    content_hash: str
    sequence: int
    status: str  # "active" or "cancelled"
    first_exported: str
    changed_at: str


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    """An event to write: the item (None for a cancellation), its SEQUENCE and timestamps.

    ``change`` is "new", "changed", "unchanged", "revived" (cancelled before, due again) or
    "cancelled"."""

    uid: str
    account_id: str
    due: date
    summary: str
    sequence: int
    change: str
    created: str
    last_modified: str
    item: CalendarItem | None = None

    @property
    def cancelled(self) -> bool:
        return self.item is None

    @property
    def content_hash(self) -> str:
        return self.item.content_hash if self.item is not None else ""


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """What one export writes, in date order."""

    events: tuple[PlannedEvent, ...]
    start: date
    end: date
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def written(self) -> tuple[PlannedEvent, ...]:
        return tuple(e for e in self.events if not e.cancelled)

    @property
    def cancellations(self) -> tuple[PlannedEvent, ...]:
        return tuple(e for e in self.events if e.cancelled)

    @property
    def empty(self) -> bool:
        return not self.events


def in_scope(
    account_id: str,
    *,
    scope_ids: set[str],
    known_ids: set[str],
    single_account: bool,
) -> bool:
    """Whether a remembered event belongs to this export: its account is one the export covers
    (archived ones included, so their events are cancelled), or, when the export is not limited
    to one account, its account no longer exists."""
    if account_id in scope_ids:
        return True
    return not single_account and account_id not in known_ids


def plan_export(
    items: Iterable[CalendarItem],
    remembered: Mapping[str, Remembered],
    *,
    start: date,
    end: date,
    now: str,
    covers: Any = None,
    still_open: set[str] | None = None,
) -> ExportPlan:
    """Decide what an export from ``start`` to ``end`` (both included) writes.

    - An item due in the window is written; its SEQUENCE is the remembered one, raised by one
      when its date, words or reminders changed (or when it had been cancelled and is due again).
    - An item outside the window is written only when an earlier export put it in a calendar
      and it has changed since, so that the calendar moves it rather than keep a stale date.
    - A remembered event that is still active, belongs to this export (``covers(account_id)``
      is true; every one when ``covers`` is None) and is no longer an item (done, deleted,
      closed, archived) is written once more, cancelled, with a raised SEQUENCE.
    ``now`` is the export's UTC timestamp, the LAST-MODIFIED of anything that changes now.
    ``still_open`` holds the UIDs of open items left out of ``items`` (see
    :func:`calendar_items`' ``keep``): their events are not cancelled.
    """
    counts = dict.fromkeys(("new", "changed", "unchanged", "revived", "cancelled"), 0)
    events: list[PlannedEvent] = []
    current: set[str] = set(still_open or ())
    for item in items:
        current.add(item.uid)
        old = remembered.get(item.uid)
        inside = start <= item.due <= end
        if old is None:
            if not inside:
                continue
            change, sequence, created, modified = "new", 0, now, now
        elif old.status == "cancelled":
            if not inside:
                continue
            change, sequence, created, modified = (
                "revived",
                old.sequence + 1,
                old.first_exported,
                now,
            )
        elif old.content_hash != item.content_hash:
            change, sequence, created, modified = (
                "changed",
                old.sequence + 1,
                old.first_exported,
                now,
            )
        else:
            if not inside:
                continue
            change = "unchanged"
            sequence, created, modified = old.sequence, old.first_exported, old.changed_at
        counts[change] += 1
        events.append(
            PlannedEvent(
                uid=item.uid,
                account_id=item.account_id,
                due=item.due,
                summary=item.summary,
                sequence=sequence,
                change=change,
                created=created,
                last_modified=modified,
                item=item,
            )
        )
    for old in remembered.values():
        if old.status != "active" or old.uid in current:
            continue
        if covers is not None and not covers(old.account_id):
            continue
        counts["cancelled"] += 1
        events.append(
            PlannedEvent(
                uid=old.uid,
                account_id=old.account_id,
                due=old.due,
                summary=old.summary,
                sequence=old.sequence + 1,
                change="cancelled",
                created=old.first_exported,
                last_modified=now,
            )
        )
    events.sort(key=lambda e: (e.due, e.cancelled, e.summary.casefold(), e.uid))
    return ExportPlan(events=tuple(events), start=start, end=end, counts=counts)


def filter_accounts(
    accounts: Iterable[AgendaAccount], *, owner: str = "", account_id: str | None = None
) -> list[AgendaAccount]:
    """The accounts an export covers: one account, or every one whose owner matches."""
    return [
        a
        for a in accounts
        if (account_id is None or a.id == account_id) and owner_matches(a.owner, owner)
    ]
