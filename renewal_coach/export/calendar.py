"""The calendar export: deadlines, milestones and commitments as an RFC 5545 file (issue 15).

:func:`export_calendar` is plain, Qt-free long work: the app runs it on a worker thread, the
command line (``renewal-coach calendar``) calls it directly. What goes in, and what changed
since the last export, is decided in :mod:`renewal_coach.core.calendar_items`; the events an
export wrote are remembered in the database (:mod:`renewal_coach.storage.calendar_events`), so
the next export keeps their UIDs, raises SEQUENCE where the date or words changed, and cancels
those whose item was done, deleted or closed in the meantime. Writing uses the ``icalendar``
package, which escapes text and folds long lines (75 octets, never inside a character).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import APP_NAME, __version__
from ..core.calendar_items import (
    ExportPlan,
    calendar_items,
    filter_accounts,
    in_scope,
    long_date,
    plan_export,
)
from ..core.dates import add_months
from ..core.deadlines import DeadlineSettings
from ..core.errors import FieldProblem, ValidationError
from ..core.text import plural

if TYPE_CHECKING:  # pragma: no cover
    from ..storage.repository import Store

#: The range ``--months`` and the dialog accept (the same as the stored default's).
MONTHS_RANGE = DeadlineSettings._LIMITS["calendar_months"]

#: Words a cancelled event carries, for calendar programs that keep it on show.
CANCELLED_PREFIX = "Cancelled: "
CANCELLED_TEXT = (
    "No longer needed: the item was done, removed, or its contract or account closed since "
    "the last calendar export."
)


@dataclass(frozen=True, slots=True)
class CalendarReport:
    """What a calendar export did, for the app to show and the command line to print.

    ``path`` is None when there was nothing to write (no file was made). ``remembered`` says
    whether the database now knows what was exported; ``problem`` says why not."""

    path: Path | None
    start: date
    end: date
    counts: Mapping[str, int]
    remembered: bool
    problem: str = ""
    scope: str = ""

    @property
    def events(self) -> int:
        """Events written that are not cancellations."""
        return sum(self.counts.get(k, 0) for k in ("new", "changed", "unchanged", "revived"))

    @property
    def cancellations(self) -> int:
        return self.counts.get("cancelled", 0)

    def headline(self) -> str:
        """One line: how many events and cancellations went where."""
        events = plural(self.events, "{n} event", "{n} events")
        if self.path is None:
            return (
                f"Nothing to put in the calendar: no deadlines, milestones or commitments "
                f"from {long_date(self.start)} to {long_date(self.end)}{self.scope}, and "
                "nothing to cancel. No file was written."
            )
        line = f"Wrote {events}"
        if self.cancellations:
            line += " and " + plural(self.cancellations, "{n} cancellation", "{n} cancellations")
        return f"{line} to {self.path}."

    def summary(self) -> str:
        """A few lines: the headline, what changed since the last export, and whether the
        export could be remembered."""
        lines = [self.headline()]
        if self.path is None:
            return lines[0]
        parts = []
        for key, one, many in (
            ("new", "{n} new", "{n} new"),
            ("changed", "{n} changed since the last export", "{n} changed since the last export"),
            ("revived", "{n} due again", "{n} due again"),
            ("unchanged", "{n} unchanged", "{n} unchanged"),
        ):
            n = self.counts.get(key, 0)
            if n:
                parts.append(plural(n, one, many))
        if parts:
            lines.append(
                f"From {long_date(self.start)} to {long_date(self.end)}{self.scope}: "
                + ", ".join(parts)
                + "."
            )
        if self.cancellations:
            lines.append(
                plural(
                    self.cancellations,
                    "{n} event is cancelled: its item was done, removed or closed since.",
                    "{n} events are cancelled: their items were done, removed or closed since.",
                )
            )
        if not self.remembered:
            why = self.problem or "the database cannot be written"
            lines.append(
                f"This export could not be remembered ({why}): the next export cannot cancel "
                "events for items done or removed in the meantime. The calendar file itself "
                "is complete."
            )
        return "\n".join(lines)


def export_calendar(
    store: Store,
    out: Path,
    today: date,
    *,
    months: int | None = None,
    owner: str = "",
    account_id: str | None = None,
    scores: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
    cannot_remember: str = "",
) -> CalendarReport:
    """Write the calendar for ``months`` months from ``today`` (default: the stored setting)
    to ``out``, for every live account, those whose owner matches ``owner``, or one account.

    ``scores`` (account id → AccountScores) saves scoring the portfolio again when the caller
    has them. ``cannot_remember`` says why the store was opened read-only (the file is then
    written but the export not remembered). Raises ValidationError for a window out of range,
    NotFoundError for an unknown account, FileWriteError when ``out`` cannot be written
    (nothing is remembered then).
    """
    from ..fileio import atomic_write
    from ..storage.agenda import contracts_by_account, load_deadline_settings
    from ..storage.calendar_events import (
        all_accounts,
        option_holders,
        remember_export,
        remembered_events,
    )
    from ..storage.errors import DatabaseReadOnlyError, StorageError

    tell = progress or (lambda _text: None)
    settings = load_deadline_settings(store)
    months = settings.calendar_months if months is None else months
    low, high = MONTHS_RANGE
    if isinstance(months, bool) or not isinstance(months, int) or not low <= months <= high:
        raise ValidationError(
            FieldProblem("months", f"Give a whole number of months from {low} to {high}")
        )
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    now_iso = stamp.isoformat()
    end = add_months(today, months)

    everyone = all_accounts(store)
    if account_id is not None and account_id not in {a.id for a, _ in everyone}:
        from ..core.errors import NotFoundError

        raise NotFoundError(f"There is no account with id '{account_id}'.")
    covered = filter_accounts([a for a, _ in everyone], owner=owner, account_id=account_id)
    archived = {a.id for a, gone in everyone if gone}
    live = [a for a in covered if a.id not in archived]

    tell("Working out the campaign milestones…")
    if scores is None:
        if account_id is not None:
            from ..storage.scores import account_scores

            scores = {a.id: account_scores(store, a.id, today) for a in live}
        else:
            from ..storage.scores import portfolio_scores

            scores = portfolio_scores(store, today)
    commitments = store.commitments.where("done_on IS NULL AND due_on IS NOT NULL")
    remembered = remembered_events(store)
    still_open: set[str] = set()
    items = calendar_items(
        accounts=live,
        contracts=contracts_by_account(scores),
        commitments=commitments,
        settings=settings,
        holders=option_holders(store),
        # Items far ahead that no calendar holds yet need no words, only to be known open.
        keep=lambda uid, due: today <= due <= end or uid in remembered,
        seen=still_open,
    )
    scope_ids = {a.id for a in covered}
    known_ids = {a.id for a, _ in everyone}
    plan = plan_export(
        items,
        remembered,
        start=today,
        end=end,
        now=now_iso,
        covers=lambda aid: in_scope(
            aid, scope_ids=scope_ids, known_ids=known_ids, single_account=account_id is not None
        ),
        still_open=still_open,
    )
    scope = _scope_words(owner, [a.name for a in covered] if account_id else None)
    if plan.empty:
        return CalendarReport(None, today, end, plan.counts, remembered=True, scope=scope)

    tell("Writing the calendar file…")
    name = _calendar_name(owner, covered, account_id)
    with atomic_write(out) as stream:
        for chunk in calendar_chunks(plan, now=stamp, name=name):
            stream.write(chunk)

    remembered, problem = True, ""
    try:
        if cannot_remember:
            remembered, problem = False, cannot_remember
        elif getattr(store, "read_only", False):
            remembered, problem = False, "the portfolio is open read-only"
        else:
            remember_export(store, plan.events, now_iso)
    except DatabaseReadOnlyError:
        remembered, problem = False, "the database file is read-only"
    except StorageError as exc:
        remembered, problem = False, str(exc).rstrip(".")
    return CalendarReport(
        Path(out), today, end, plan.counts, remembered=remembered, problem=problem, scope=scope
    )


def _scope_words(owner: str, accounts: list[str] | None) -> str:
    if accounts:
        return f" for {accounts[0]}"
    if owner.strip():
        return f" for accounts owned by {owner.strip()}"
    return ""


def _calendar_name(owner: str, covered: list[Any], account_id: str | None) -> str:
    if account_id is not None and covered:
        return f"{APP_NAME}: {covered[0].name}"
    if owner.strip():
        return f"{APP_NAME}: {owner.strip()}"
    return f"{APP_NAME}: renewals"


def _utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def calendar_bytes(plan: ExportPlan, *, now: datetime, name: str = APP_NAME) -> bytes:
    """The iCalendar file for ``plan`` in one piece (see :func:`calendar_chunks`)."""
    return b"".join(calendar_chunks(plan, now=now, name=name))


def calendar_chunks(plan: ExportPlan, *, now: datetime, name: str = APP_NAME) -> Iterator[bytes]:
    """The iCalendar file for ``plan``, a piece at a time: the calendar's opening lines, one
    all-day event per planned event (with reminders, SEQUENCE, CREATED, LAST-MODIFIED and
    DTSTAMP, which is ``now`` in UTC), and the closing line. Lines end in CRLF and are folded
    at 75 octets. Each event is built, written out and dropped in turn, so a large portfolio
    never holds the whole calendar as objects."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", f"-//{APP_NAME}//{APP_NAME} {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    whole = cal.to_ical()
    end = whole.rindex(b"END:VCALENDAR")
    yield whole[:end]
    stamp = now.astimezone(UTC)
    for planned in plan.events:
        yield _event(planned, stamp).to_ical()
    yield whole[end:]


def _event(planned: Any, stamp: datetime) -> Any:
    from icalendar import Alarm, Event, vDatetime

    event = Event()
    event.add("uid", planned.uid)
    # Set as ready-made UTC values: ``add()`` would look UTC up in the time zone database,
    # which a Windows build (no system database) may not have.
    event["DTSTAMP"] = vDatetime(stamp)
    event.add("dtstart", planned.due)
    event.add("dtend", planned.due + timedelta(days=1))
    event.add("sequence", planned.sequence)
    event["CREATED"] = vDatetime(_utc(planned.created))
    event["LAST-MODIFIED"] = vDatetime(_utc(planned.last_modified))
    event.add("transp", "TRANSPARENT")
    item = planned.item
    if item is None:
        event.add("summary", CANCELLED_PREFIX + planned.summary)
        event.add("description", CANCELLED_TEXT)
        event.add("status", "CANCELLED")
        return event
    event.add("summary", item.summary)
    event.add("description", item.description)
    event.add("status", "CONFIRMED")
    event.add("categories", [APP_NAME, item.category])
    for days in item.alarm_days:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        when = "today" if days == 0 else plural(days, "in {n} day", "in {n} days")
        alarm.add("description", f"{item.summary} ({when})")
        alarm.add("trigger", timedelta(days=-days))
        event.add_component(alarm)
    return event
