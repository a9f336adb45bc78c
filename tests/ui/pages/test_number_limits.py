"""Hostile numbers typed into the record forms: an inline message, nothing written, then a
sensible value saves as usual."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.core.text import QUOTE_LIMIT
from renewal_coach.ui.dialogs.record_form import RecordDialog, RecordForm
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.settings import Settings


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    store = opener.open_sample()
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win = MainWindow(store, settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.portfolio.wait_for_scores()
    yield win
    win.portfolio.wait_for_scores()
    win.store.close()


def _drive(monkeypatch: pytest.MonkeyPatch, step: Callable[[Any], None]) -> None:
    def fake_exec(self: Any) -> int:
        step(self)
        return self.result()

    monkeypatch.setattr(RecordDialog, "exec", fake_exec)


def _type(form: RecordForm, name: str, text: str) -> None:
    widget = form.editors[name].widget
    assert isinstance(widget, QLineEdit)
    widget.setText(text)
    widget.editingFinished.emit()


def _error(form: RecordForm, name: str) -> str:
    label = form.editors[name].error
    return label.text() if label.isVisibleTo(form) else ""


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("1e-999999999999999999", "more than 6 decimal places"),
        ("1E-100000000", "more than 6 decimal places"),
        ("9" * 2000, "too long for a number"),
    ],
    ids=["tiny-exponent", "small-exponent", "many-digits"],
)
def test_hostile_effort_hours_get_an_inline_message_and_nothing_is_written(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, typed: str, said: str
) -> None:
    store = window.store
    account = next(a for a in store.accounts.all() if a.name.startswith("Halden"))
    window.open_account(account.id)
    tab = window.account_page.show_tab(m.Interaction)
    before = store.interactions.count()
    seen: dict[str, str] = {}

    def fill(dialog: RecordDialog) -> None:
        form = dialog.form
        _type(form, "occurred_on", "2026-10-01")
        _type(form, "purpose", "Quarterly review")
        _type(form, "effort_hours", typed)
        dialog.accept()
        seen["error"] = _error(form, "effort_hours")
        assert store.interactions.count() == before
        _type(form, "effort_hours", "1.5")
        dialog.accept()

    _drive(monkeypatch, fill)
    saved = tab.add_record()
    assert said in seen["error"]
    assert len(seen["error"]) <= QUOTE_LIMIT + 120
    assert saved is not None
    assert store.interactions.get(saved.id).effort_hours == Decimal("1.5")
