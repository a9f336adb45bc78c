"""The change history's vocabulary: hybrid logical clock stamps, authors and kinds. Qt-free.

Every change the app writes is stamped with a hybrid logical clock (HLC): the wall time in
milliseconds, a counter and the id of the device that made it. Stamps are written as fixed-width
text, ``"0001765000000000-0000000003-a1b2c3d4e5f60718"``, so sorting the text sorts the changes
(wall time first, then counter, then device). The clock never runs backwards: when the wall
clock reads earlier than the last stamp (a clock set back, a laptop crossing time zones wrongly,
a stamp pulled from a device whose clock runs fast), the wall part stays and the counter climbs.
That is what lets a later team sync decide "last writer wins" field by field without trusting
anyone's clock (docs/decisions.md, "Change history and the sync it prepares").
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

#: Digits of the wall-time part (milliseconds since 1970; 13 digits last until the year 2286).
WALL_DIGITS = 13
#: Digits of the counter part.
COUNTER_DIGITS = 10
MAX_COUNTER = 10**COUNTER_DIGITS - 1

#: What one operation was; every entry of the history carries the kind of the operation that
#: wrote it. ``add``, ``edit`` and ``delete`` are single saves; ``import`` is one whole import;
#: ``undo`` and ``redo`` replay an earlier operation backwards or forwards; ``restore`` puts
#: deleted records back outside the undo stack.
OP_KINDS = ("add", "edit", "delete", "undo", "redo", "import", "restore")
#: What one entry did to its record.
CHANGES = ("add", "edit", "delete")


@dataclass(frozen=True, slots=True, order=True)
class Stamp:
    """One hybrid logical clock reading. Compares in the order the text form sorts."""

    wall_ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall_ms:0{WALL_DIGITS}d}-{self.counter:0{COUNTER_DIGITS}d}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """Read a stamp written by :meth:`__str__`; raises ValueError for anything else."""
        wall, counter, device = text.split("-", 2)
        if len(wall) != WALL_DIGITS or len(counter) != COUNTER_DIGITS or not device:
            raise ValueError(f"not a change stamp: {text!r}")
        return cls(int(wall), int(counter), device)


def wall_clock_ms() -> int:
    """The wall clock in whole milliseconds since 1970 (UTC)."""
    return time.time_ns() // 1_000_000


class HybridClock:
    """Issues stamps for one device that only ever increase.

    ``last`` is the highest stamp already seen (issued here, or read from the history, which
    holds other devices' stamps after a sync); ``now`` reads the wall clock and can be replaced
    in tests to move the clock backwards.
    """

    def __init__(self, device: str, now: Callable[[], int] = wall_clock_ms) -> None:
        if not device or "-" in device:
            raise ValueError("a device id is a non-empty text without '-'")
        self.device = device
        self.now = now
        self.last: Stamp | None = None

    def observe(self, stamp: Stamp | str | None) -> None:
        """Take a stamp seen elsewhere into account, so later stamps come after it."""
        if stamp is None:
            return
        seen = Stamp.parse(stamp) if isinstance(stamp, str) else stamp
        if self.last is None or (seen.wall_ms, seen.counter) > (
            self.last.wall_ms,
            self.last.counter,
        ):
            self.last = Stamp(seen.wall_ms, seen.counter, self.device)

    def tick(self, count: int = 1) -> Stamp:
        """The next stamp, reserving ``count`` consecutive counter values (one per record an
        operation changes: the caller numbers them from the returned stamp's counter)."""
        wall = self.now()
        last = self.last
        if last is None or wall > last.wall_ms:
            stamp = Stamp(wall, 0, self.device)
        else:
            stamp = Stamp(last.wall_ms, last.counter + 1, self.device)
        if stamp.counter + count - 1 > MAX_COUNTER:  # a billion changes in one millisecond
            stamp = Stamp(stamp.wall_ms + 1, 0, self.device)
        self.last = Stamp(stamp.wall_ms, stamp.counter + count - 1, self.device)
        return stamp


@dataclass(frozen=True, slots=True)
class Author:
    """Who makes the changes on this device: the person's name (may be empty) and the stable
    device id. Both come from the per-user settings, never from the database."""

    who: str
    device: str
