"""The Qt binding must not leak references to None: with PySide6 6.12.0 on Python 3.11 every
call that returns nothing took one away, and a long session aborted with "deallocating None"."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_calls_returning_nothing_keep_none_alive(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    app = QApplication.instance()
    before = sys.getrefcount(None)
    for _ in range(500):
        widget.update()
        app.processEvents()
    # A healthy binding leaves the count where it was (give or take a few live frames).
    assert sys.getrefcount(None) > before - 50
