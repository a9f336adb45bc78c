"""Bugs are logged and shown with copyable details; expected errors get a plain message."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from renewal_coach.storage.errors import DatabaseLockedError
from renewal_coach.ui import errors
from renewal_coach.ui.errors import CrashDialog, ExceptionHook, show_expected_error, write_log


@dataclass
class Shown:
    dialog: CrashDialog
    details: str


@pytest.fixture
def shown(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> list[Shown]:
    """Crash dialogs that would have been shown; exec() returns at once instead of blocking.

    The details are captured during exec(): the hook deletes the dialog once it is closed.
    """
    seen: list[Shown] = []

    def fake_exec(self: CrashDialog) -> int:
        seen.append(Shown(self, self.details.toPlainText()))
        return 0

    monkeypatch.setattr(CrashDialog, "exec", fake_exec)
    return seen


@pytest.fixture
def hook(tmp_path: Path) -> Iterator[ExceptionHook]:
    hook = ExceptionHook(tmp_path / "data" / "renewal-coach.log")
    yield hook
    hook.uninstall()


def _raise_and_report(hook: ExceptionHook, exc: BaseException) -> None:
    try:
        raise exc
    except BaseException as caught:
        hook(type(caught), caught, caught.__traceback__)


def test_an_unexpected_error_is_logged_and_shown_with_details(
    hook: ExceptionHook, shown: list[Shown], capsys: pytest.CaptureFixture[str]
) -> None:
    _raise_and_report(hook, ZeroDivisionError("division by zero in the forecast"))

    [seen] = shown
    assert "Traceback (most recent call last)" in seen.details
    assert "ZeroDivisionError: division by zero in the forecast" in seen.details
    assert "Renewal Coach" in seen.details
    assert hook.log_path is not None
    assert "ZeroDivisionError" in hook.log_path.read_text(encoding="utf-8")
    assert "ZeroDivisionError" in capsys.readouterr().err


def test_copy_button_puts_the_details_on_the_clipboard(qtbot: QtBot) -> None:
    dialog = CrashDialog("Traceback ...\nKeyError: 'missing'", Path("/data/renewal-coach.log"))
    qtbot.addWidget(dialog)
    assert dialog.details.isReadOnly()
    assert dialog.details.accessibleName() == "Technical details"

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)

    assert QGuiApplication.clipboard().text() == "Traceback ...\nKeyError: 'missing'"
    assert dialog.copy_button.text() == "Copied"


def test_an_error_while_the_dialog_is_open_is_added_to_it(
    hook: ExceptionHook, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Shown] = []

    def exec_that_meets_another_error(self: CrashDialog) -> int:
        opened.append(self)
        _raise_and_report(hook, ValueError("second problem"))
        return 0

    monkeypatch.setattr(CrashDialog, "exec", exec_that_meets_another_error)

    _raise_and_report(hook, RuntimeError("first problem"))

    [dialog] = opened
    text = dialog.details.toPlainText()
    assert "RuntimeError: first problem" in text
    assert "ValueError: second problem" in text


def test_errors_in_other_threads_reach_the_dialog_on_the_gui_thread(
    qtbot: QtBot, hook: ExceptionHook, shown: list[Shown]
) -> None:
    hook.install()
    assert sys.excepthook is hook

    def work() -> None:
        raise OSError("worker failed")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()

    qtbot.waitUntil(lambda: len(shown) == 1, timeout=2000)
    assert "OSError: worker failed" in shown[0].details


def test_uninstall_puts_the_previous_hooks_back(hook: ExceptionHook) -> None:
    before = (sys.excepthook, threading.excepthook)
    hook.install()
    hook.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_keyboard_interrupt_is_not_a_crash(hook: ExceptionHook, shown: list[Shown]) -> None:
    _raise_and_report(hook, KeyboardInterrupt())
    assert shown == []


def test_log_is_rotated_when_it_grows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(errors, "MAX_LOG_BYTES", 100)
    log = tmp_path / "renewal-coach.log"
    assert write_log(log, "a" * 200)
    assert write_log(log, "fresh")
    assert (tmp_path / "renewal-coach.log.1").read_text(encoding="utf-8").count("a") == 200
    assert "fresh" in log.read_text(encoding="utf-8")


def test_an_unwritable_log_does_not_hide_the_dialog(tmp_path: Path, shown: list[Shown]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    hook = ExceptionHook(blocker / "renewal-coach.log")  # its folder is a file
    _raise_and_report(hook, RuntimeError("still shown"))
    [seen] = shown
    assert "could not be written" in seen.details


def test_expected_errors_show_their_message_plainly(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes: list[QMessageBox] = []

    def fake_exec(self: QMessageBox) -> int:
        boxes.append(self)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)

    show_expected_error(None, "Could not save.", DatabaseLockedError("The file is in use."))

    [box] = boxes
    assert box.text() == "Could not save."
    assert box.informativeText() == "The file is in use."
    assert box.icon() == QMessageBox.Icon.Warning
