"""Work off the GUI thread: one small keeper of the jobs a controller has running.

Exports (Word documents, tables) run as ``QRunnable`` jobs on Qt's global thread pool and talk
back only through their ``signals`` object. A job is kept referenced here until it reports, so
neither Python nor Qt deletes it while it runs, and a controller can wait for its jobs when the
app quits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRunnable, QThreadPool


class JobKeeper:
    """Starts jobs on the global thread pool and remembers them until they finish or fail."""

    def __init__(self) -> None:
        self._pool = QThreadPool.globalInstance()
        self._running: list[QRunnable] = []

    def start(
        self,
        job: Any,
        *,
        finished: Callable[..., object],
        failed: Callable[..., object],
        progress: Callable[..., object] | None = None,
    ) -> None:
        """Run ``job`` (a QRunnable with ``signals.finished``/``failed`` and maybe
        ``progress``), calling the slots on the GUI thread as it reports."""
        job.setAutoDelete(False)
        if progress is not None:
            job.signals.progress.connect(progress)
        job.signals.finished.connect(finished)
        job.signals.failed.connect(failed)
        job.signals.finished.connect(lambda *_a, j=job: self._forget(j))
        job.signals.failed.connect(lambda *_a, j=job: self._forget(j))
        self._running.append(job)
        self._pool.start(job)

    def _forget(self, job: QRunnable) -> None:
        if job in self._running:
            self._running.remove(job)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until running jobs finish (for quitting and tests)."""
        return self._pool.waitForDone(msecs)

    @property
    def busy(self) -> bool:
        return bool(self._running)
