"""Portfolio scores for every page, computed in small steps so the window never freezes.

The scoring engine offers the work as a generator of steps
(:func:`~renewal_coach.storage.scores.portfolio_scores_steps`). This service runs them through a
:class:`~renewal_coach.ui.stepper.Stepper` in short slices between events, so typing, scrolling
and painting carry on while a large portfolio is scored; a run is abandoned at any step when the
data changes again.

``updated`` fires when a complete, consistent set of scores is in :attr:`scores`; a newer
refresh started meanwhile simply replaces the running one.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..core.errors import RenewalCoachError
from ..core.scoring.portfolio import AccountScores
from ..storage.repository import Store
from ..storage.scores import portfolio_scores_steps
from .stepper import Stepper

#: Longest stretch of scoring per turn of the event loop.
SLICE_SECONDS = 0.015


class ScoreService(QObject):
    """Holds the latest portfolio scores of one store and recomputes them on request."""

    updated = Signal()
    failed = Signal(str)
    #: The scoring met damage in the database file (the message says what SQLite reported).
    damaged = Signal(str)
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
        #: Whether the cyclic garbage collector was on when a run paused it (None: not paused).
        #: Kept in a dict shared with the ``destroyed`` handler, which must not hold ``self``,
        #: so the collector comes back on even if the service is deleted mid-run.
        self._gc = {"was_enabled": None}
        state = self._gc
        self.destroyed.connect(lambda *_a: _restore_gc(state))
        self._stepper = Stepper(self, slice_seconds=SLICE_SECONDS)
        self._stepper.progress.connect(lambda done: self.progress.emit(float(done)))
        self._stepper.finished.connect(lambda result: self._finish(result, ""))
        self._stepper.failed.connect(self._failed)

    @property
    def busy(self) -> bool:
        return self._stepper.busy

    def set_store(self, store: Store) -> None:
        """Score another database; the old scores are dropped at once."""
        self.use_store(store)
        self.refresh()

    def cancel(self) -> None:
        """Abandon any run in progress (the last complete scores stay)."""
        self._stepper.cancel()
        self._restore_gc()

    def use_store(self, store: Store) -> None:
        """Score another database from the next :meth:`refresh` on; old scores are dropped."""
        self.cancel()
        self._store = store
        self.scores = {}

    def refresh(self) -> None:
        """Start scoring afresh (any run in progress is abandoned)."""
        self._stepper.cancel()
        # Scoring makes a few hundred thousand objects and no cycles; left on between steps the
        # collector would walk the growing pile again and again (0.1-0.15 s pauses at 5,000
        # accounts). It is paused for the run and restored when the run ends.
        if self._gc["was_enabled"] is None:
            self._gc["was_enabled"] = gc.isenabled()
            gc.disable()
        self.scored_on = self._today()
        self._stepper.start(portfolio_scores_steps(self._store, self.scored_on))

    def wait(self) -> bool:
        """Finish any scoring now (for quitting and tests); True when the scores are current."""
        self._stepper.wait()
        return not self.problem

    def _failed(self, error: object) -> None:
        from ..storage.integrity import is_damage

        if isinstance(error, BaseException) and is_damage(error):
            self._finish(None, str(error))
            self.damaged.emit(str(error))
            return
        if isinstance(error, RenewalCoachError):
            self._finish(None, str(error))
        else:
            # A bug (or a value no check foresaw): stop cleanly and say so; the stepper then
            # lets the exception reach the crash handler.
            self._finish(
                None, self.tr("Scoring stopped on an unexpected error: {e}").format(e=error)
            )

    def _restore_gc(self) -> None:
        _restore_gc(self._gc)

    def _finish(self, result: Any, problem: str) -> None:
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
