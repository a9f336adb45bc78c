"""Portfolio scores for every page, computed in small steps so the window never freezes.

The scoring engine offers the work as a generator of steps
(:func:`~renewal_coach.storage.scores.portfolio_scores_steps`). This service runs steps from a
zero-interval timer for at most a slice of time per turn of the event loop, so typing, scrolling
and painting carry on while a large portfolio is scored. Steps on the GUI thread need no second
connection and no locking, and they can be abandoned at any step when the data changes again.

``updated`` fires when a complete, consistent set of scores is in :attr:`scores`; a newer
refresh started meanwhile simply replaces the running one.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Generator
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.errors import RenewalCoachError
from ..core.scoring.portfolio import AccountScores
from ..storage.repository import Store
from ..storage.scores import portfolio_scores_steps

#: Longest stretch of scoring per turn of the event loop.
SLICE_SECONDS = 0.015


class ScoreService(QObject):
    """Holds the latest portfolio scores of one store and recomputes them on request."""

    updated = Signal()
    failed = Signal(str)
    progress = Signal(float)

    def __init__(
        self,
        store: Store,
        *,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._today = today
        self.scores: dict[str, AccountScores] = {}
        self.scored_on: date | None = None
        self.problem = ""
        self._steps: Generator[float, None, dict[str, AccountScores]] | None = None
        #: Whether the cyclic garbage collector was on when a run paused it (None: not paused).
        #: Kept in a dict shared with the ``destroyed`` handler, which must not hold ``self``,
        #: so the collector comes back on even if the service is deleted mid-run.
        self._gc = {"was_enabled": None}
        state = self._gc
        self.destroyed.connect(lambda *_a: _restore_gc(state))
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._work)

    @property
    def busy(self) -> bool:
        return self._steps is not None

    def set_store(self, store: Store) -> None:
        """Score another database; the old scores are dropped at once."""
        self.use_store(store)
        self.refresh()

    def cancel(self) -> None:
        """Abandon any run in progress (the last complete scores stay)."""
        if self._steps is not None:
            self._steps.close()
            self._steps = None
        self._timer.stop()
        self._restore_gc()

    def use_store(self, store: Store) -> None:
        """Score another database from the next :meth:`refresh` on; old scores are dropped."""
        self.cancel()
        self._store = store
        self.scores = {}

    def refresh(self) -> None:
        """Start scoring afresh (any run in progress is abandoned)."""
        if self._steps is not None:
            self._steps.close()
        # Scoring makes a few hundred thousand objects and no cycles; left on between steps the
        # collector would walk the growing pile again and again (0.1-0.15 s pauses at 5,000
        # accounts). It is paused for the run and restored when the run ends.
        if self._gc["was_enabled"] is None:
            self._gc["was_enabled"] = gc.isenabled()
            gc.disable()
        self.scored_on = self._today()
        self._steps = portfolio_scores_steps(self._store, self.scored_on)
        self._timer.start()

    def wait(self) -> bool:
        """Finish any scoring now (for quitting and tests); True when the scores are current."""
        while self._steps is not None:
            self._work(deadline=float("inf"))
        return not self.problem

    def _work(self, deadline: float | None = None) -> None:
        steps = self._steps
        if steps is None:
            self._timer.stop()
            return
        end = time.monotonic() + SLICE_SECONDS if deadline is None else deadline
        try:
            while True:
                done = next(steps)
                self.progress.emit(float(done))
                if time.monotonic() >= end:
                    return
        except StopIteration as finished:
            self._finish(finished.value, "")
        except RenewalCoachError as exc:
            self._finish(None, str(exc))
        except BaseException as exc:
            # A bug (or a value no check foresaw): stop cleanly, say so, then let the
            # exception reach the crash handler.
            self._finish(None, self.tr("Scoring stopped on an unexpected error: {e}").format(e=exc))
            raise

    def _restore_gc(self) -> None:
        _restore_gc(self._gc)

    def _finish(self, result: Any, problem: str) -> None:
        self._steps = None
        self._timer.stop()
        self._restore_gc()
        self.problem = problem
        if result is not None:
            self.scores = result
            self.updated.emit()
        else:
            self.failed.emit(problem)


def _restore_gc(state: dict[str, bool | None]) -> None:
    """Switch the collector back on if a run paused it."""
    if state["was_enabled"]:
        gc.enable()
    state["was_enabled"] = None
