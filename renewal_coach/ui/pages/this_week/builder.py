"""Working out the agenda away from the window's thread.

The agenda reads every live contract, commitment, concern and person with a contact rhythm:
about two seconds on a 5,000-account portfolio (``bench/agenda_bench.py``). It runs as a job
on Qt's thread pool with its own read-only connection (one connection per thread), given the
portfolio scores the window already holds (their campaigns carry the milestones). Only the
newest request's answer is used: one asked for while another runs replaces it. A database
kept in memory has no file for a second connection; its agenda is worked out on the window's
thread, from the next turn of the event loop.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QTimer, Signal

from ....core.deadlines import Agenda, DeadlineSettings
from ....core.errors import RenewalCoachError
from ....storage.agenda import load_agenda, load_deadline_settings, load_nudges
from ....storage.db import open_database
from ....storage.repository import Store
from ...jobs import JobKeeper


@dataclass(frozen=True, slots=True)
class ThisWeek:
    """One answer: the agenda, the start-of-day nudges and the settings they used, with the
    agenda's groups and summary worked out on the worker too (over 100,000 items are walked
    for them on a large generated book)."""

    agenda: Agenda
    nudges: list[tuple[str, Any, Any]]
    settings: DeadlineSettings
    groups: list[tuple[str, str, list[Any]]]
    summary: str


def work_out(store: Store, today: date, owner: str, scores: Mapping[str, Any] | None) -> ThisWeek:
    """The agenda and the nudges of ``store`` as of ``today`` (Qt-free; runs on any thread
    that owns ``store``)."""
    settings = load_deadline_settings(store)
    agenda = load_agenda(store, today, owner=owner, scores=scores, settings=settings)
    nudges = load_nudges(store, today, settings)
    return ThisWeek(agenda, nudges, settings, agenda.groups(), agenda.summary())


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    """One agenda on a pool thread, with a connection of its own; reports through signals."""

    def __init__(
        self, path: Path, today: date, owner: str, scores: Mapping[str, Any] | None, tag: int
    ) -> None:
        super().__init__()
        self.signals = _Signals()
        self._args = (path, today, owner, scores)
        self.tag = tag

    def run(self) -> None:
        path, today, owner, scores = self._args
        # The agenda makes a great many small objects and no cycles. A full collection run
        # meanwhile walks the portfolio's scores too and holds every thread for most of a
        # second on a large book, so the collector rests while this job runs (if another
        # job paused it first, that one turns it back on).
        paused = gc.isenabled()
        gc.disable()
        try:
            self._work(path, today, owner, scores)
        finally:
            if paused:
                gc.enable()

    def _work(self, path: Path, today: date, owner: str, scores: Mapping[str, Any] | None) -> None:
        try:
            store = Store(open_database(path, create=False, readonly=True))
            try:
                result = work_out(store, today, owner, scores)
            finally:
                store.close()
        except RenewalCoachError as exc:
            self.signals.failed.emit((self.tag, exc))
            return
        except Exception as exc:  # a bug: reported on the window's thread, never swallowed
            self.signals.failed.emit((self.tag, exc))
            return
        self.signals.finished.emit((self.tag, result))


class AgendaBuilder(QObject):
    """Builds :class:`ThisWeek` answers on request; ``built(ThisWeek)`` carries the newest,
    ``failed(message)`` says why one could not be made."""

    built = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = JobKeeper()
        self._tag = 0
        self.pending = False

    def request(
        self, store: Store, today: date, owner: str, scores: Mapping[str, Any] | None
    ) -> None:
        """Work out the agenda again; any answer still on its way is dropped."""
        self._tag += 1
        tag = self._tag
        self.pending = True
        if store.path is None:
            QTimer.singleShot(0, self, lambda: self._inline(tag, store, today, owner, scores))
            return
        job = _Job(store.path, today, owner, scores, tag)
        self._jobs.start(job, finished=self._finished, failed=self._failed)

    def cancel(self) -> None:
        """Forget any answer still on its way."""
        self._tag += 1
        self.pending = False

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until running jobs end (quitting, tests); their answers arrive as events."""
        return self._jobs.wait(msecs)

    def _inline(
        self, tag: int, store: Store, today: date, owner: str, scores: Mapping[str, Any] | None
    ) -> None:
        if tag != self._tag:
            return
        try:
            result = work_out(store, today, owner, scores)
        except RenewalCoachError as exc:
            self._failed((tag, exc))
            return
        self._finished((tag, result))

    def _finished(self, answer: tuple[int, ThisWeek]) -> None:
        tag, result = answer
        if tag != self._tag:
            return
        self.pending = False
        self.built.emit(result)

    def _failed(self, answer: tuple[int, BaseException]) -> None:
        tag, error = answer
        if tag != self._tag:
            return
        self.pending = False
        if not isinstance(error, RenewalCoachError):
            raise error  # a bug: to the crash handler, like any other
        self.failed.emit(str(error))
