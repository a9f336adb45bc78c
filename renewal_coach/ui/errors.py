"""The two presentations of errors.

Expected problems (a locked or damaged file, a refused edit) are typed exceptions from the core
with a message for people: :func:`show_expected_error` puts that message in a plain dialog.
Anything else is a bug: :class:`ExceptionHook` writes the traceback to a log file in the data
folder and shows a crash dialog with copyable details, so nothing ever fails silently.
"""

from __future__ import annotations

import platform
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, Signal, Slot, qVersion
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core.errors import RenewalCoachError
from .dialogs import messages

#: The crash log, in the per-user data folder.
LOG_NAME = "renewal-coach.log"
#: The log is rotated to ``.1`` when it grows past this size.
MAX_LOG_BYTES = 1_000_000
#: Called after the log was rotated: whatever holds the log open (the native crash handler)
#: opens the new file.
after_rotation: list[Callable[[], None]] = []
#: Called (on the GUI thread) with the message when an uncaught error turns out to be damage
#: in the database file: the main window offers its recovery choices instead of the crash
#: dialog. Empty until a window registers.
damage_handlers: list[Callable[[str], None]] = []


def show_expected_error(parent: QWidget | None, what_failed: str, error: BaseException) -> None:
    """Explain an expected failure: ``what_failed`` in a sentence, the error's message as detail."""
    messages.show_error(
        parent, QApplication.translate("errors", "Renewal Coach"), what_failed, str(error)
    )


def is_expected(error: BaseException) -> bool:
    """True for the typed errors the app explains, False for bugs."""
    return isinstance(error, RenewalCoachError)


def format_details(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """Version information and the full traceback, as plain text to copy into a report."""
    lines = [
        f"Renewal Coach {__version__}",
        f"Python {platform.python_version()}, Qt {qVersion()}, PySide6 {pyside_version}",
        f"{platform.platform()}",
        f"Time: {datetime.now().isoformat(timespec='seconds')}",
        "",
    ]
    lines += traceback.format_exception(exc_type, exc, tb)
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write_log(log_path: Path, text: str) -> bool:
    """Append ``text`` to the log, rotating it when large; False when it cannot be written."""
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        if log_path.exists() and log_path.stat().st_size > MAX_LOG_BYTES:
            log_path.replace(log_path.with_name(log_path.name + ".1"))
            for reopen in after_rotation:
                reopen()
        with log_path.open("a", encoding="utf-8") as handle:
            handle.write("=" * 78 + "\n" + text + "\n")
    except OSError:
        return False
    return True


class CrashDialog(QDialog):
    """Tells the person something unexpected happened, with the details in a box they can copy."""

    def __init__(self, details: str, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unexpected Problem"))
        self.setModal(True)

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        heading = QLabel(self.tr("Renewal Coach ran into a problem it did not expect."))
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)

        explain = self.tr(
            "Every change is saved when you make it, so your earlier work is safe. You can "
            "carry on; if something looks wrong, restart the app. Please include the details "
            "below when you report the problem."
        )
        body = QLabel(explain)
        body.setWordWrap(True)
        where = QLabel()
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if log_path is not None:
            where.setText(self.tr("They are also saved in {path}").format(path=log_path))
        where.setVisible(log_path is not None)

        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setAccessibleName(self.tr("Technical details"))
        self.details.setMinimumHeight(220)

        self.copy_button = QPushButton(self.tr("&Copy Details"))
        self.copy_button.setAccessibleName(self.tr("Copy details to the clipboard"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)

        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(icon)
        text = QVBoxLayout()
        text.setSpacing(8)
        text.addWidget(heading)
        text.addWidget(body)
        text.addWidget(where)
        top.addLayout(text, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(680, 460)

    def add_details(self, more: str) -> None:
        """Append the report of a further error that happened while this dialog was open."""
        self.details.appendPlainText("\n" + more)

    @Slot()
    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText(self.tr("Copied"))


class ExceptionHook(QObject):
    """``sys.excepthook`` (and ``threading.excepthook``) that logs and then shows a crash dialog.

    The dialog is always shown from the GUI thread: the report travels through a signal, which
    Qt queues when the error happened in a worker thread.
    """

    crashed = Signal(str)
    damaged = Signal(str)

    def __init__(self, log_path: Path | None) -> None:
        super().__init__()
        self.log_path = log_path
        self._dialog: CrashDialog | None = None
        self._previous: tuple[object, object] | None = None
        self.crashed.connect(self._show)
        self.damaged.connect(self._damaged)

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        details = format_details(exc_type, exc, tb)
        logged = self.log_path is not None and write_log(self.log_path, details)
        # Keep a copy on stderr for whoever started the app from a terminal (a windowed build
        # on Windows has no stderr at all).
        if sys.stderr is not None:
            print(details, file=sys.stderr)
        if QApplication.instance() is None:
            return
        if damage_handlers and _is_damage(exc):
            # Not a bug: the file is damaged. Said as such, with the ways out, never as a crash.
            self.damaged.emit(str(exc))
            return
        self.crashed.emit(details if logged else details + "\n(The log file could not be written.)")

    def install(self) -> ExceptionHook:
        """Become the hook for uncaught exceptions in every thread."""
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self
        threading.excepthook = self._thread_hook
        return self

    def uninstall(self) -> None:
        """Put back the hooks that were there before :meth:`install`."""
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(str)
    def _damaged(self, message: str) -> None:
        for handler in list(damage_handlers):
            handler(message)

    @Slot(str)
    def _show(self, details: str) -> None:
        if self._dialog is not None:
            # A further error while the dialog is open: add it rather than stack dialogs.
            self._dialog.add_details(details)
            return
        try:
            self._dialog = CrashDialog(details, self.log_path, QApplication.activeWindow())
            self._dialog.exec()
        except Exception:
            # The last resort: never lose the report, even if the dialog itself fails.
            if sys.stderr is not None:
                traceback.print_exc(file=sys.stderr)
        finally:
            if self._dialog is not None:
                self._dialog.deleteLater()
            self._dialog = None


def _is_damage(exc: BaseException) -> bool:
    from ..storage.integrity import is_damage

    return is_damage(exc)


def install_exception_hook(log_path: Path | None) -> ExceptionHook:
    """Create and install the global hook; keep the returned object alive for the app's lifetime."""
    return ExceptionHook(log_path).install()
