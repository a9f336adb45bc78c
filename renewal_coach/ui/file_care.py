"""Looking after the open database file: the daily check and backup, backups after changes,
the banners that say why a file may only be looked at, and keeping edits off while it is so.

- :class:`DailyCare` runs after the window is on screen, on a worker thread with connections of
  its own: SQLite's quick check (at most once a day per file, remembered in the settings) and,
  when the file is sound and has no backup from today, a backup into its backups folder.
- :func:`backup_after_changes` makes the backup taken when the app closes a file it changed.
- :class:`WriteGuard` keeps every control that would change data disabled while the store is
  read-only (``Store.read_only``), whatever the pages' own logic would enable.
- :class:`FileBanner` is the strip above the pages saying why (read-only, another window is
  writing, a network share).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ..storage import backups as bk
from ..storage.errors import StorageError
from ..storage.integrity import CheckResult, quick_check
from ..storage.repository import Store
from .settings import INTEGRITY_CHECKED, Settings

#: How many files' last check day are remembered.
REMEMBERED_FILES = 50


# ---- the daily check and backup -----------------------------------------------------------------


class _CareSignals(QObject):
    checked = Signal(object)  # CheckResult
    backed_up = Signal(object)  # Path
    failed = Signal(str)
    done = Signal()


class _CareJob(QRunnable):
    """Quick check and/or backup of one file on a pool thread; connections of its own."""

    def __init__(
        self, path: Path, *, check: bool, backup: bool, now: datetime, kind: str = bk.OPEN
    ) -> None:
        super().__init__()
        self.path = path
        self.check = check
        self.backup = backup
        self.now = now
        self.kind = kind
        self.signals = _CareSignals()

    def run(self) -> None:
        try:
            sound = True
            if self.check:
                result = quick_check(self.path)
                self.signals.checked.emit(result)
                sound = result.ok
            if self.backup and sound:
                conn = bk._connect_ro(self.path)
                try:
                    made = bk.make_backup(conn, self.path, self.kind, now=self.now)
                finally:
                    conn.close()
                self.signals.backed_up.emit(made)
        except StorageError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # an unreadable file is the check's business, not a crash
            self.signals.failed.emit(str(exc))
        finally:
            self.signals.done.emit()


class DailyCare(QObject):
    """Starts the day's check and backup of a store's file, and says what came of them.

    ``damaged(message)`` fires when the quick check finds damage; ``backed_up(path)`` after the
    day's backup; ``checked(result)`` after every check.
    """

    checked = Signal(object)
    damaged = Signal(str)
    backed_up = Signal(object)
    #: The check or the backup could not run (the message says why); the file is untouched.
    failed = Signal(str)

    def __init__(
        self,
        settings: Settings,
        *,
        now: Callable[[], datetime] = datetime.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._now = now
        self._jobs: list[_CareJob] = []
        #: Bumped when the window's file changes: reports of earlier runs are then dropped.
        self._generation = 0

    def start(self, store: Store, *, backups: bool = True) -> bool:
        """Check ``store``'s file if it was not checked today and back it up if it has no
        backup from today (never a read-only store's, nor when ``backups`` is False). Returns
        True when work was started."""
        path = store.path
        if path is None:
            return False
        today = self._now().date()
        check = self.last_checked(path) != today
        backup = backups and not store.read_only and not bk.backed_up_on(path, today)
        if not check and not backup:
            return False
        self._run(_CareJob(path, check=check, backup=backup, now=self._now()))
        return True

    def back_up_closed(self, path: Path) -> None:
        """The backup of a file the window changed and has just closed (another file was
        opened): made on the worker, from a connection of its own."""
        self._run(_CareJob(path, check=False, backup=True, now=self._now(), kind=bk.CLOSE))

    def _run(self, job: _CareJob) -> None:
        path = job.path
        job.setAutoDelete(False)
        generation = self._generation
        job.signals.checked.connect(
            lambda result, p=path, g=generation: self._checked(p, result, g)
        )
        job.signals.backed_up.connect(self.backed_up)
        job.signals.failed.connect(self.failed)
        job.signals.done.connect(lambda j=job: self._jobs.remove(j) if j in self._jobs else None)
        self._jobs.append(job)
        QThreadPool.globalInstance().start(job)

    def forget(self) -> None:
        """The file shown changed (another opened, a backup restored): what running checks
        find out about the earlier file is no longer news."""
        self._generation += 1

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def wait(self, msecs: int = 60_000) -> bool:
        """Block until the running check ends (for quitting and tests)."""
        return QThreadPool.globalInstance().waitForDone(msecs)

    def last_checked(self, path: Path) -> date | None:
        """The day ``path`` last passed through the check (None: never, or forgotten)."""
        value = self._days().get(_key(path))
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None

    def _days(self) -> dict[str, str]:
        try:
            data = json.loads(self._settings.get(INTEGRITY_CHECKED) or "{}")
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def _checked(self, path: Path, result: CheckResult, generation: int = -1) -> None:
        if generation not in (-1, self._generation):
            return
        days = self._days()
        days.pop(_key(path), None)
        if result.ok:  # a damaged file is checked again next time
            days[_key(path)] = self._now().date().isoformat()
        recent = dict(list(days.items())[-REMEMBERED_FILES:])
        self._settings.set(INTEGRITY_CHECKED, json.dumps(recent))
        self.checked.emit(result)
        if not result.ok:
            self.damaged.emit(
                f"{path} is damaged: SQLite's check of every page found {result.summary}."
            )


def _key(path: Path) -> str:
    try:
        return str(path.expanduser().resolve())
    except OSError:
        return str(path)


def backup_after_changes(store: Store, *, skip: bool = False) -> Path | None:
    """The backup taken when the app closes a file it changed (None when nothing changed, the
    store is read-only or in memory, or ``skip``). Never raises: a failure is reported on
    stderr, and closing goes on."""
    if skip or store.path is None or store.read_only or store.closed:
        return None
    try:
        if not store.changed:
            return None
        return bk.make_backup(store.db.conn, store.path, bk.CLOSE)
    except Exception as exc:  # closing must go on; the file itself is saved
        if sys.stderr is not None:
            print(f"renewal-coach: no backup was made on closing: {exc}", file=sys.stderr)
        return None


# ---- read-only: banners and disabled edits ------------------------------------------------------


class FileBanner(QFrame):
    """A strip above the pages that says something about the open file, with an optional
    button; warm-toned for a warning."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(self.label.textFormat().RichText)
        self.button = QPushButton()
        self.button.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(12)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        # A warning tint that reads in light and dark schemes alike.
        self.setStyleSheet(
            f"#{name} {{ background: rgba(230, 160, 40, 40); border: 1px solid "
            "rgba(200, 130, 20, 140); border-radius: 4px; }"
        )

    def say(self, html_text: str, button: str = "") -> None:
        self.label.setText(html_text)
        self.label.setAccessibleName(self.label.text())
        self.button.setText(button)
        self.button.setVisible(bool(button))


class WriteGuard(QObject):
    """Keeps the given widgets and actions disabled while ``read_only()`` is True.

    The pages enable their buttons by their own rules (a row selected, an account open); the
    guard undoes any such enabling while the store is read-only, and remembers what each
    control last asked for, so it comes back as the page wants when the store is writable.
    """

    def __init__(self, read_only: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._read_only = read_only
        self._wanted: dict[int, bool] = {}
        self._items: list[QWidget | QAction] = []
        self._applying = False

    def guard(self, items: Iterable[QWidget | QAction | None]) -> None:
        for item in items:
            if item is None or any(item is known for known in self._items):
                continue
            self._items.append(item)
            self._wanted[id(item)] = (
                item.isEnabled()
                if isinstance(item, QAction)
                else not item.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled)
            )
            if isinstance(item, QAction):
                item.changed.connect(self._sender_changed)
            else:
                item.installEventFilter(self)
        self.apply()

    def apply(self) -> None:
        """Disable everything (read-only) or give each control back what it asked for."""
        read_only = self._read_only()
        self._applying = True
        try:
            for item in self._items:
                item.setEnabled(False if read_only else self._wanted.get(id(item), True))
        finally:
            self._applying = False

    @Slot()
    def _sender_changed(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            # RuntimeError: the action is being deleted with its window.
            with contextlib.suppress(RuntimeError):
                self._action_changed(action)

    def _action_changed(self, action: QAction) -> None:
        if self._applying:
            return
        if action.isEnabled():
            self._wanted[id(action)] = True
            if self._read_only():
                self._applying = True
                try:
                    action.setEnabled(False)
                finally:
                    self._applying = False
        elif not self._read_only():
            self._wanted[id(action)] = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.EnabledChange and not self._applying:
            widget = watched
            if isinstance(widget, QWidget):
                # The widget's own setting, not its parent's (a hidden tab's page is disabled).
                enabled = not widget.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled)
                if enabled:
                    self._wanted[id(widget)] = True
                    if self._read_only():
                        self._applying = True
                        try:
                            widget.setEnabled(False)
                        finally:
                            self._applying = False
                elif not self._read_only():
                    self._wanted[id(widget)] = False
        return super().eventFilter(watched, event)
