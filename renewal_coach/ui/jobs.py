"""Work off the GUI thread: one small keeper of the jobs a controller has running.

Exports (Word documents, tables) run as ``QRunnable`` jobs on Qt's global thread pool and talk
back only through their ``signals`` object. A job is kept referenced here until it reports, so
neither Python nor Qt deletes it while it runs, and a controller can wait for its jobs when the
app quits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QRunnable, QThreadPool

T = TypeVar("T")


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


def run_while_busy(parent: Any, label: str, work: Callable[[], T]) -> T:
    """Run ``work`` on a worker thread while a modal "working" dialog keeps the window
    painting and answering, then return its result (or raise what it raised) here.

    For the few steps that must finish before the window can go on (a restore replacing the
    open file) and that take seconds on a large portfolio: the person sees why the window
    waits instead of a frozen one. The dialog cannot be cancelled: half a restore is worse
    than a slow one.
    """
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QProgressDialog

    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed back to the caller on the window's thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="renewal-coach-busy", daemon=True)
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)  # quick work shows no dialog at all
    dialog.setAutoClose(False)
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(30)
    poll.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
    thread.start()
    poll.start()
    try:
        if thread.is_alive():
            loop.exec()
    finally:
        poll.stop()
        thread.join()
        dialog.reset()
        dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
