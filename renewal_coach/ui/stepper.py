"""Running long Qt-free work (a generator of steps) in short slices between events.

Scoring the portfolio and the import's planner and writer are generators that yield progress.
:class:`Stepper` calls ``next()`` on one from a zero-interval timer for at most a slice of time
per turn of the event loop, so the window keeps painting and answering while the work runs.
Steps run on the GUI thread: the work shares the window's database connection and needs no
locks, and it can be abandoned at any step.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.errors import RenewalCoachError

#: Longest stretch of work per turn of the event loop, unless a stepper is given its own.
SLICE_SECONDS = 0.03


class Stepper(QObject):
    """Runs one generator to its end in slices.

    ``progress(value)`` carries each yielded value; ``finished(result)`` fires with the
    generator's return value when it is exhausted, ``failed(error)`` when it raised (an
    expected error stops there; a bug propagates to the crash handler after ``failed``).
    :meth:`cancel` closes the generator, which runs its ``finally`` and ``with`` blocks (an open
    transaction rolls back).
    """

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(
        self, parent: QObject | None = None, *, slice_seconds: float = SLICE_SECONDS
    ) -> None:
        super().__init__(parent)
        self._slice = slice_seconds
        self._steps: Iterator[Any] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._work)

    @property
    def busy(self) -> bool:
        return self._steps is not None

    def start(self, steps: Iterator[Any]) -> None:
        """Run ``steps`` (a generator) from the next turn of the event loop on."""
        self.cancel()
        self._steps = steps
        self._timer.start()

    def cancel(self) -> None:
        """Stop the run in progress, if any, letting the generator clean up."""
        steps, self._steps = self._steps, None
        self._timer.stop()
        if isinstance(steps, Generator):
            steps.close()

    def wait(self) -> None:
        """Run whatever is left now, without returning to the event loop (tests, quitting)."""
        while self._steps is not None:
            self._work(deadline=float("inf"))

    def _work(self, deadline: float | None = None) -> None:
        steps = self._steps
        if steps is None:
            self._timer.stop()
            return
        end = time.monotonic() + self._slice if deadline is None else deadline
        try:
            while True:
                value = next(steps)
                self.progress.emit(value)
                if time.monotonic() >= end:
                    return
        except StopIteration as done:
            self._steps = None
            self._timer.stop()
            self.finished.emit(done.value)
        except RenewalCoachError as exc:
            self._steps = None
            self._timer.stop()
            self.failed.emit(exc)
        except BaseException as exc:
            self._steps = None
            self._timer.stop()
            self.failed.emit(exc)
            raise
