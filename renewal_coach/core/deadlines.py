"""A contract's deadlines and the agenda of what needs the user soon (DOMAIN.md 5a). Qt-free.

The five dates a bid manager must never miss are worked out here once, for every page, list,
calendar file and command that shows them: the notice deadline (stated, or the end date less
the notice period), the option exercise date, the expected market approach, the expected
decision date and the end date. Each comes with the days left and a phrase that says, in words
and a symbol (never colour alone), whether it is near or has passed.

The agenda (the This Week page and ``renewal-coach agenda``) gathers everything due within a
window: deadlines, campaign milestones, commitments both ways, people past the contact rhythm
they asked for and concerns left open too long. :func:`build_agenda` is pure: the storage layer
reads the rows and hands them over.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from .errors import FieldProblem, ValidationError
from .text import plural

#: Every kind of deadline in the order a contract's life reaches them, with its label.
DEADLINE_KINDS: dict[str, str] = {
    "notice": "Notice deadline",
    "option": "Option exercise date",
    "market": "Expected market approach",
    "decision": "Expected decision date",
    "end": "End date",
}

#: Kinds a missed date costs money or choice for: reminded earlier and named in the nudge.
HARD_KINDS = ("notice", "option")

#: Symbols beside a deadline's words (the words carry the meaning; the symbol helps the eye).
NEAR_MARK = "⚠"
PASSED_MARK = "✕"
TODAY_MARK = "●"

#: Statuses of a live contract (the deadlines of a closed one no longer call for anything).
_LIVE = ("active", "renewing")


#: Defaults of :class:`DeadlineSettings` that plain functions take as keyword defaults.
NEAR_DAYS = 90
NUDGE_DAYS = 30


@dataclass(frozen=True, slots=True)
class DeadlineSettings:
    """How far ahead the agenda looks and when dates count as near. Stored in the database
    (``settings`` key ``deadlines``) so the app and the command line agree."""

    #: Days ahead the This Week page and ``agenda`` look.
    agenda_days: int = 14
    #: Passed deadlines stay on the agenda this many days (so "passed yesterday" is seen).
    passed_days: int = 7
    #: A deadline this close is marked near.
    near_days: int = NEAR_DAYS
    #: A notice or option date this close is announced when the app starts.
    nudge_days: int = NUDGE_DAYS
    #: A concern of severity 1 left open longer than this many days is on the agenda.
    concern_serious_days: int = 30
    #: Any other open concern is on the agenda after this many days.
    concern_other_days: int = 90
    #: Months ahead a calendar export covers by default.
    calendar_months: int = 18
    #: Reminders before notice deadlines and option dates, in days.
    alarm_days_hard: tuple[int, ...] = (30, 7)
    #: Reminders before every other calendar event, in days.
    alarm_days_other: tuple[int, ...] = (7,)

    _LIMITS = {
        "agenda_days": (1, 366),
        "passed_days": (0, 366),
        "near_days": (1, 3650),
        "nudge_days": (1, 3650),
        "concern_serious_days": (1, 3650),
        "concern_other_days": (1, 3650),
        "calendar_months": (1, 120),
    }

    def problems(self) -> list[FieldProblem]:
        out: list[FieldProblem] = []
        for name, (low, high) in self._LIMITS.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                out.append(FieldProblem(name, f"Give a whole number from {low} to {high}"))
        for name in ("alarm_days_hard", "alarm_days_other"):
            days = getattr(self, name)
            if not isinstance(days, tuple) or len(days) > 5:
                out.append(FieldProblem(name, "Give at most five reminders"))
                continue
            if any(
                not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 365 for d in days
            ):
                out.append(
                    FieldProblem(name, "Each reminder is a whole number of days from 0 to 365")
                )
        return out

    def to_json(self) -> str:
        return json.dumps(
            {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()},
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> DeadlineSettings:
        """Settings from stored JSON: unknown keys are ignored, missing ones take the default.
        Raises :class:`ValidationError` for values out of range or of the wrong type."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValidationError(
                [FieldProblem("deadlines", "The stored deadline settings are not readable")]
            ) from exc
        if not isinstance(data, dict):
            raise ValidationError(
                [FieldProblem("deadlines", "The stored deadline settings are not readable")]
            )
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            values[key] = tuple(value) if isinstance(value, list) else value
        settings = replace(cls(), **values)
        problems = settings.problems()
        if problems:
            raise ValidationError(problems)
        return settings

    @staticmethod
    def parse_days(text: str) -> tuple[int, ...]:
        """Reminder days typed as "30, 7" (largest first, duplicates dropped). Raises
        :class:`ValidationError` with a clear message for anything else."""
        parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        out: set[int] = set()
        for part in parts:
            if not part.isdigit() or len(part) > 3:
                raise ValidationError(
                    [FieldProblem("alarm", f"'{part[:60]}' is not a number of days")]
                )
            out.add(int(part))
        return tuple(sorted(out, reverse=True))


DEFAULT_DEADLINE_SETTINGS = DeadlineSettings()


@dataclass(frozen=True, slots=True)
class Deadline:
    """One dated deadline of one contract."""

    kind: str  # a key of DEADLINE_KINDS
    due: date

    @property
    def label(self) -> str:
        return DEADLINE_KINDS[self.kind]

    @property
    def hard(self) -> bool:
        return self.kind in HARD_KINDS


def notice_deadline(contract: Any) -> date | None:
    """The stated notice deadline, or the end date less the notice period, or None."""
    stated = getattr(contract, "notice_deadline", None)
    if stated is not None:
        return stated
    period = getattr(contract, "notice_period_days", None)
    end = getattr(contract, "end_date", None)
    if period and end is not None:
        return end - timedelta(days=period)
    return None


def contract_deadlines(contract: Any) -> tuple[Deadline, ...]:
    """Every deadline ``contract`` has a date for, soonest first (ties in the order of
    :data:`DEADLINE_KINDS`). Works on a model record or a stored row alike."""
    dates = {
        "notice": notice_deadline(contract),
        "option": getattr(contract, "extension_exercise_by", None),
        "market": getattr(contract, "market_approach_date", None),
        "decision": getattr(contract, "decision_date", None),
        "end": getattr(contract, "end_date", None),
    }
    order = list(DEADLINE_KINDS)
    found = [Deadline(kind, when) for kind, when in dates.items() if when is not None]
    found.sort(key=lambda d: (d.due, order.index(d.kind)))
    return tuple(found)


def deadline_of(contract: Any, kind: str) -> Deadline | None:
    """The deadline of one kind, or None when the contract has no such date."""
    return next((d for d in contract_deadlines(contract) if d.kind == kind), None)


def days_left(due: date, today: date) -> int:
    """Whole days from ``today`` to ``due``: negative once it has passed."""
    return (due - today).days


def is_near(due: date, today: date, near_days: int = NEAR_DAYS) -> bool:
    """True from ``near_days`` before ``due`` until the day itself."""
    return 0 <= days_left(due, today) <= near_days


def when_plain(due: date, today: date) -> str:
    """How far away ``due`` is, in words: "in 12 days", "tomorrow", "today", "passed
    yesterday", "passed 3 days ago"."""
    n = days_left(due, today)
    if n == 0:
        return "today"
    if n < 0:
        return "passed yesterday" if n == -1 else f"passed {plural(-n, '{n} day', '{n} days')} ago"
    return "tomorrow" if n == 1 else f"in {plural(n, '{n} day', '{n} days')}"


def when_words(due: date, today: date, near_days: int = NEAR_DAYS) -> str:
    """:func:`when_plain` with a symbol for near, today and passed: "⚠ in 12 days",
    "in 140 days", "● today", "✕ passed 3 days ago". The words carry the meaning."""
    words = when_plain(due, today)
    state = when_state(due, today, near_days)
    mark = {"passed": PASSED_MARK, "today": TODAY_MARK, "near": NEAR_MARK}.get(state)
    return f"{mark} {words}" if mark else words


def when_state(due: date, today: date, near_days: int = NEAR_DAYS) -> str:
    """ "passed", "today", "near" or "later": for styling and sorting, beside the words."""
    n = days_left(due, today)
    if n < 0:
        return "passed"
    if n == 0:
        return "today"
    return "near" if n <= near_days else "later"


def is_live(contract: Any) -> bool:
    status = getattr(contract, "status", "")
    return str(getattr(status, "value", status)) in _LIVE


# ---- the agenda ------------------------------------------------------------------------------

#: Agenda groups in the order the page shows them, with their headings.
GROUPS: dict[str, str] = {
    "deadline": "Deadlines",
    "milestone": "Campaign milestones",
    "ours": "Commitments we owe",
    "theirs": "Commitments the customer owes us",
    "rhythm": "People past the contact rhythm they asked for",
    "concern": "Concerns open too long",
}


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One thing that needs the user: what, for which account, when, and which record it is."""

    group: str  # a key of GROUPS
    due: date
    account_id: str
    account: str
    title: str  # what is due, in words
    record: str  # "contract", "milestone", "commitment", "stakeholder" or "concern"
    record_id: str  # the record to open (for a milestone: its contract)
    contract_id: str | None = None
    reference: str = ""
    code: str = ""  # milestone code, or deadline kind
    occurrence: int = 0
    detail: str = ""
    owner: str = ""

    def days(self, today: date) -> int:
        return days_left(self.due, today)

    def overdue(self, today: date) -> bool:
        return self.due < today

    def when(self, today: date, near_days: int = NEAR_DAYS) -> str:
        """How far away it is in words: a deadline "passes", anything else falls "overdue"."""
        if self.group == "deadline":
            return when_words(self.due, today, near_days)
        n = self.days(today)
        if n < 0:
            late = "1 day" if n == -1 else plural(-n, "{n} day", "{n} days")
            return f"{PASSED_MARK} {late} overdue"
        if n == 0:
            return f"{TODAY_MARK} due today"
        return "due tomorrow" if n == 1 else f"due in {plural(n, '{n} day', '{n} days')}"

    def can_mark_done(self) -> bool:
        return self.record in ("milestone", "commitment")

    def to_json(self, today: date) -> dict[str, Any]:
        return {
            "group": self.group,
            "due": self.due.isoformat(),
            "days_left": self.days(today),
            "when": self.when(today),
            "overdue": self.overdue(today),
            "account": self.account,
            "account_id": self.account_id,
            "reference": self.reference or None,
            "contract_id": self.contract_id,
            "title": self.title,
            "detail": self.detail,
            "record": self.record,
            "record_id": self.record_id,
            "code": self.code or None,
            "occurrence": self.occurrence if self.record == "milestone" else None,
            "owner": self.owner or None,
        }


@dataclass(frozen=True, slots=True)
class Agenda:
    """The agenda as of ``today`` over ``days`` days, grouped in the order of :data:`GROUPS`."""

    today: date
    days: int
    owner: str
    items: tuple[AgendaItem, ...]

    def groups(self) -> list[tuple[str, str, list[AgendaItem]]]:
        """(key, heading, items) for every group that has items, in page order."""
        out = []
        for key, heading in GROUPS.items():
            found = [i for i in self.items if i.group == key]
            if found:
                out.append((key, heading, found))
        return out

    @property
    def empty(self) -> bool:
        return not self.items

    def overdue_count(self) -> int:
        return sum(1 for i in self.items if i.overdue(self.today))

    def fell_due_since(self, since: date) -> list[AgendaItem]:
        """Items that became due after ``since`` and by today (what the user has not seen)."""
        return [i for i in self.items if since < i.due <= self.today]

    def summary(self) -> str:
        """One calm line: how many things, how many overdue, or that nothing is due."""
        if self.empty:
            who = f" on {self.owner}'s accounts" if self.owner else ""
            return f"Nothing needs you in the next {plural(self.days, '{n} day', '{n} days')}{who}."
        late = self.overdue_count()
        things = plural(len(self.items), "{n} thing", "{n} things")
        line = f"{things} to see to in the next {plural(self.days, '{n} day', '{n} days')}"
        return line + (f", {late:,} of them overdue." if late else ".")

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "days": self.days,
            "owner": self.owner or None,
            "summary": self.summary(),
            "groups": [
                {
                    "group": key,
                    "heading": heading,
                    "items": [i.to_json(self.today) for i in items],
                }
                for key, heading, items in self.groups()
            ],
        }


def owner_matches(owner_field: str, wanted: str) -> bool:
    """True when every word of ``wanted`` is a whole word of ``owner_field``, ignoring case:
    "priya" matches "Priya Shah", "shah priya" matches it too, "ann" does not match "Joanna".
    An empty ``wanted`` matches every owner."""
    want = wanted.casefold().split()
    if not want:
        return True
    have = set(owner_field.casefold().replace(",", " ").split())
    return all(w in have for w in want)


@dataclass(frozen=True, slots=True)
class AgendaAccount:
    """What the agenda needs of an account."""

    id: str
    name: str
    owner: str = ""


@dataclass(frozen=True, slots=True)
class AgendaContract:
    """A contract with its campaign milestones (code, occurrence, label, done means, due,
    status): given as ``milestones``, or read from ``campaign`` (a scored
    :class:`~renewal_coach.core.scoring.timeline.Campaign`) only if the agenda needs them, so
    accounts another owner holds cost nothing."""

    contract: Any
    milestones: tuple[Any, ...] = ()
    campaign: Any = None

    def open_milestones(self) -> Iterable[Any]:
        if self.campaign is None:
            return self.milestones
        if self.campaign.closed:
            return ()
        return self.campaign.milestones


@dataclass(frozen=True, slots=True)
class PersonRhythm:
    """A person who asked to hear from us every ``cadence_days`` days, and their last contact
    (None when there was none; ``known_since`` is then the day they were added)."""

    id: str
    account_id: str
    name: str
    cadence_days: int
    last_contact: date | None
    known_since: date


def build_agenda(
    *,
    today: date,
    accounts: Iterable[AgendaAccount],
    contracts: Mapping[str, Iterable[AgendaContract]],
    commitments: Iterable[Any] = (),
    people: Iterable[PersonRhythm] = (),
    concerns: Iterable[Any] = (),
    days: int | None = None,
    owner: str = "",
    settings: DeadlineSettings = DEFAULT_DEADLINE_SETTINGS,
) -> Agenda:
    """Everything due by ``today + days`` and everything overdue, for the accounts given
    (archived ones are left out by the caller) whose owner matches ``owner``.

    ``contracts`` maps an account id to its contracts; closed contracts are skipped here.
    Milestones before tracking, done milestones and commitments without a due date are not
    on the agenda; passed deadlines stay for ``settings.passed_days`` days.
    """
    days = settings.agenda_days if days is None else days
    horizon = today + timedelta(days=days)
    recent = today - timedelta(days=settings.passed_days)
    wanted = {a.id: a for a in accounts if owner_matches(a.owner, owner)}
    items: list[AgendaItem] = []

    for account_id, account in wanted.items():
        for entry in contracts.get(account_id, ()):
            c = entry.contract
            if not is_live(c):
                continue
            for d in contract_deadlines(c):
                if recent <= d.due <= horizon:
                    items.append(
                        AgendaItem(
                            group="deadline",
                            due=d.due,
                            account_id=account_id,
                            account=account.name,
                            title=d.label,
                            record="contract",
                            record_id=c.id,
                            contract_id=c.id,
                            reference=c.reference,
                            code=d.kind,
                            detail=_title_beside(c),
                            owner=account.owner,
                        )
                    )
            for m in entry.open_milestones():
                if m.status not in ("overdue", "due", "upcoming") or m.due > horizon:
                    continue
                items.append(
                    AgendaItem(
                        group="milestone",
                        due=m.due,
                        account_id=account_id,
                        account=account.name,
                        title=m.label,
                        record="milestone",
                        record_id=c.id,
                        contract_id=c.id,
                        reference=c.reference,
                        code=m.code,
                        occurrence=m.occurrence,
                        detail=m.done_means,
                        owner=m.owner or account.owner,
                    )
                )

    for k in commitments:
        account = wanted.get(k.account_id)
        if account is None or k.done_on is not None or k.due_on is None or k.due_on > horizon:
            continue
        party = str(getattr(k.party, "value", k.party))
        items.append(
            AgendaItem(
                group="ours" if party == "us" else "theirs",
                due=k.due_on,
                account_id=account.id,
                account=account.name,
                title=_first_line(k.description),
                record="commitment",
                record_id=k.id,
                contract_id=None,
                owner=k.owner,
            )
        )

    for p in people:
        account = wanted.get(p.account_id)
        if account is None:
            continue
        since = p.last_contact or p.known_since
        due = since + timedelta(days=p.cadence_days)
        if due > horizon:
            continue
        last = (
            f"last contact {p.last_contact.isoformat()}"
            if p.last_contact
            else "no contact recorded yet"
        )
        items.append(
            AgendaItem(
                group="rhythm",
                due=due,
                account_id=account.id,
                account=account.name,
                title=f"{p.name}: every {plural(p.cadence_days, '{n} day', '{n} days')}",
                record="stakeholder",
                record_id=p.id,
                detail=last,
                owner=account.owner,
            )
        )

    for c in concerns:
        account = wanted.get(c.account_id)
        if account is None or c.resolved_on is not None or c.opened_on is None:
            continue
        limit = settings.concern_serious_days if c.severity == 1 else settings.concern_other_days
        due = c.opened_on + timedelta(days=limit)
        if due > horizon:
            continue
        items.append(
            AgendaItem(
                group="concern",
                due=due,
                account_id=account.id,
                account=account.name,
                title=_first_line(c.description),
                record="concern",
                record_id=c.id,
                contract_id=getattr(c, "contract_id", None),
                detail=f"severity {c.severity}, open since {c.opened_on.isoformat()}",
                owner=account.owner,
            )
        )

    order = list(GROUPS)
    items.sort(key=lambda i: (order.index(i.group), i.due, i.account.casefold(), i.title))
    return Agenda(today=today, days=days, owner=owner.strip(), items=tuple(items))


def nudges(
    contracts: Iterable[tuple[str, Any]],
    today: date,
    settings: DeadlineSettings = DEFAULT_DEADLINE_SETTINGS,
) -> list[tuple[str, Any, Deadline]]:
    """Notice deadlines and option dates from today to ``nudge_days`` ahead on live contracts:
    (account name, contract, deadline), soonest first. ``contracts`` pairs an account name with
    each contract (archived accounts left out by the caller)."""
    out = []
    for account, c in contracts:
        if not is_live(c):
            continue
        for d in contract_deadlines(c):
            if d.hard and 0 <= days_left(d.due, today) <= settings.nudge_days:
                out.append((account, c, d))
    out.sort(key=lambda t: (t[2].due, t[0].casefold()))
    return out


def nudge_line(
    found: list[tuple[str, Any, Deadline]],
    today: date,
    within: int = NUDGE_DAYS,
) -> str:
    """The start-of-day sentence for :func:`nudges`' result ("" when there is nothing)."""
    if not found:
        return ""
    account, c, d = found[0]
    first = f"{d.label} for {account} ({c.reference}): {when_plain(d.due, today)}"
    if len(found) == 1:
        return f"{first}."
    more = plural(
        len(found) - 1, "{n} more notice or option date", "{n} more notice or option dates"
    )
    return f"{first}; {more} within {plural(within, '{n} day', '{n} days')}."


def _title_beside(contract: Any) -> str:
    """The contract's title to show beside its reference, or "" when it only repeats it (an
    import without a title column gives the contract its reference as title)."""
    title = (contract.title or "").strip()
    return "" if title.casefold() == (contract.reference or "").strip().casefold() else title


def _first_line(text: str, limit: int = 120) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
