"""A coaching or rehearsal session over one plan: where we are, time per section, what was noted.

Qt-free so the session's rules (timing, overrun, what a typed line means, the summary saved at
the end) are tested without a screen. The clock is passed in as a function returning seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from .enums import Party
from .models import CoachingSession, Commitment, ConversationPlan
from .text import clean_line

#: Typed lines that start with one of these become commitments for that party.
_PREFIXES: tuple[tuple[str, Party], ...] = (
    ("we:", Party.US),
    ("us:", Party.US),
    ("they:", Party.CUSTOMER),
    ("them:", Party.CUSTOMER),
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One typed line: a note, or a commitment for us or for the customer."""

    section: int
    text: str
    party: Party | None = None

    @property
    def is_commitment(self) -> bool:
        return self.party is not None


def parse_entry(section: int, line: str) -> Entry | None:
    """Read a typed line: ``we: …`` / ``they: …`` make commitments, anything else a note."""
    text = clean_line(line)
    if not text:
        return None
    lowered = text.lower()
    for prefix, party in _PREFIXES:
        if lowered.startswith(prefix):
            rest = text[len(prefix) :].strip()
            return Entry(section, rest, party) if rest else None
    return Entry(section, text)


def format_clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a non-negative number of seconds."""
    total = int(max(0, seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(slots=True)
class CoachingRun:
    """The live state of a session: current section, time spent in each, entries typed."""

    plan: ConversationPlan
    clock: Callable[[], float]
    current: int = 0
    spent: list[float] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    _since: float = 0.0
    _start: float = 0.0

    def __post_init__(self) -> None:
        self.spent = [0.0] * len(self.plan.sections)
        self._since = self._start = self.clock()

    @property
    def count(self) -> int:
        return len(self.plan.sections)

    def section(self, index: int | None = None) -> dict[str, Any]:
        return self.plan.sections[self.current if index is None else index]

    def _bank(self) -> None:
        now = self.clock()
        if self.count:
            self.spent[self.current] += now - self._since
        self._since = now

    def go(self, index: int) -> bool:
        """Move to section ``index`` (clamped); True when the section changed."""
        if not self.count:
            return False
        index = max(0, min(self.count - 1, index))
        if index == self.current:
            return False
        self._bank()
        self.current = index
        return True

    def next(self) -> bool:
        return self.go(self.current + 1)

    def previous(self) -> bool:
        return self.go(self.current - 1)

    def elapsed(self, index: int | None = None) -> float:
        """Seconds spent in a section so far (including the running stretch)."""
        index = self.current if index is None else index
        running = self.clock() - self._since if index == self.current else 0.0
        return self.spent[index] + running if self.count else 0.0

    def allowed(self, index: int | None = None) -> float:
        return float(int(self.section(index).get("minutes", 0) or 0) * 60) if self.count else 0.0

    def remaining(self, index: int | None = None) -> float:
        """Seconds left in the section; negative when it has overrun."""
        return self.allowed(index) - self.elapsed(index)

    def total_elapsed(self) -> float:
        return self.clock() - self._start

    def add(self, line: str) -> Entry | None:
        """Record a typed line against the current section."""
        entry = parse_entry(self.current, line)
        if entry is not None:
            self.entries.append(entry)
        return entry

    def remove_last(self) -> Entry | None:
        return self.entries.pop() if self.entries else None

    def finish(
        self, *, ended_at: datetime | None = None, due_on: date | None = None, owner: str = ""
    ) -> tuple[CoachingSession, list[Commitment]]:
        """The session record to save, and the commitments it produced (not yet saved)."""
        self._bank()
        ended = ended_at or datetime.now(UTC)
        notes = [e for e in self.entries if not e.is_commitment]
        commitments = [e for e in self.entries if e.is_commitment]
        timings = [
            {
                "code": s.get("code", ""),
                "title": s.get("title", ""),
                "planned_minutes": int(s.get("minutes", 0) or 0),
                "seconds": round(self.spent[i]),
            }
            for i, s in enumerate(self.plan.sections)
        ]
        summary = {
            "duration_seconds": round(self.total_elapsed()),
            "sections": timings,
            "notes": [{"section": e.section, "text": e.text} for e in notes],
            "commitments": [
                {"section": e.section, "party": e.party.value, "text": e.text}
                for e in commitments
                if e.party is not None
            ],
        }
        session = CoachingSession(
            plan_id=self.plan.id,
            started_at=self.started_at.isoformat(timespec="seconds"),
            ended_at=ended.isoformat(timespec="seconds"),
            notes="\n".join(e.text for e in notes),
            actions="\n".join(
                f"{'Us' if e.party is Party.US else 'Customer'}: {e.text}" for e in commitments
            ),
            summary=summary,
        )
        records = [
            Commitment(
                account_id=self.plan.account_id,
                plan_id=self.plan.id,
                party=e.party,
                description=e.text,
                owner=owner if e.party is Party.US else "",
                due_on=due_on,
            )
            for e in commitments
            if e.party is not None
        ]
        return session, records
