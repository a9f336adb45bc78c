"""The History panel: a change made through the record form shows, with who, when and values;
undo and redo add entries of their own; the filter narrows; big logs load a page at a time."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.core.history import Author
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store
from renewal_coach.ui.dialogs.history_dialog import PAGE, HistoryDialog, HistoryModel
from renewal_coach.ui.dialogs.record_form import RecordDialog
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.settings import Settings
from renewal_coach.user import device_id, set_user_name


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    set_user_name("Ana Kovač")
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


def _rows(model: HistoryModel) -> list[list[str]]:
    return [
        [model.index(r, c).data() or "" for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _edit_walk_away(window: MainWindow, monkeypatch: pytest.MonkeyPatch, text: str) -> Any:
    account = next(a for a in window.store.accounts.all() if a.name.startswith("Halden"))
    window.open_account(account.id)
    tab = window.account_page.show_tab(m.Contract)
    contract = window.store.contracts.for_account(account.id)[0]
    assert tab.select(contract.id)

    def fill(dialog: RecordDialog) -> None:
        widget = dialog.form.editors["walk_away"].widget
        assert isinstance(widget, QPlainTextEdit)
        widget.setPlainText(text)
        dialog.accept()

    monkeypatch.setattr(RecordDialog, "exec", lambda self: (fill(self), self.result())[1])
    assert tab.edit_selected() is not None
    return account, contract, tab


def test_a_change_made_in_the_record_form_shows_in_the_records_history(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _account, contract, tab = _edit_walk_away(window, monkeypatch, "Walk below 1.4m a year")

    assert tab.history_button.isEnabled()
    dialog = tab.show_history()
    assert isinstance(dialog, HistoryDialog)
    qtbot.addWidget(dialog)
    model = dialog.model
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    rows = _rows(model)
    newest = rows[0]
    assert newest[HistoryModel.WHO] == "Ana Kovač"
    assert newest[HistoryModel.HOW] == "Edited"
    assert newest[HistoryModel.FIELD] == "Walk-away position (internal)"
    assert newest[HistoryModel.BEFORE] == (contract.walk_away.strip().splitlines() or [""])[0]
    assert newest[HistoryModel.AFTER] == "Walk below 1.4m a year"
    assert contract.reference in newest[HistoryModel.RECORD]
    entry = model.index(0, 0).data(HistoryModel.ENTRY_ROLE)
    assert entry.device == device_id()
    tip = model.index(0, HistoryModel.FIELD).data(Qt.ItemDataRole.ToolTipRole)
    assert "never appears in anything written for the customer" in tip
    # Only this contract's entries: the sample's import of it, and the edit.
    assert {r[HistoryModel.RECORD] for r in rows} == {newest[HistoryModel.RECORD]}
    assert "Import" in {r[HistoryModel.HOW] for r in rows}
    # Values read as the form shows them: money with its currency, dates in words.
    value = next(r for r in rows if r[HistoryModel.FIELD] == "Annual value")
    assert value[HistoryModel.AFTER][0] in "£€$" or value[HistoryModel.AFTER][:3].isalpha()


def test_undo_and_redo_add_their_own_entries(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    account, contract, _tab = _edit_walk_away(window, monkeypatch, "Walk below 1.4m a year")
    stack = window.editor.undo_stack
    stack.undo()
    stack.redo()
    window.history_action.trigger()
    dialog = window.account_page.findChild(HistoryDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    rows = _rows(dialog.model)[:3]
    assert [r[HistoryModel.HOW] for r in rows] == ["Redo", "Undo", "Edited"]
    assert rows[1][HistoryModel.BEFORE] == "Walk below 1.4m a year"  # undo put it back
    assert rows[0][HistoryModel.AFTER] == "Walk below 1.4m a year"
    assert account.name in dialog.windowTitle()
    entries = [dialog.model.index(r, 0).data(HistoryModel.ENTRY_ROLE) for r in range(3)]
    assert len({e.op_id for e in entries}) == 3
    assert all(e.record_id == contract.id for e in entries)


def test_the_filter_narrows_by_field_label(qtbot: QtBot, window: MainWindow, monkeypatch) -> None:
    _edit_walk_away(window, monkeypatch, "Walk below 1.4m a year")
    dialog = window.account_page.show_history()
    assert isinstance(dialog, HistoryDialog)
    qtbot.addWidget(dialog)
    everything = dialog.model.total
    dialog.activateWindow()
    dialog.filter.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.filter)
    qtbot.keyClicks(QApplication.focusWidget(), "walk-away")
    qtbot.waitUntil(lambda: dialog.model.total < everything)
    rows = _rows(dialog.model)
    assert "Walk-away position (internal)" in {r[HistoryModel.FIELD] for r in rows}
    # Every row left names the field or holds the words in a value: an added contract shows
    # only its walk-away line, not all its fields.
    for line in dialog.model.rows:
        assert line.field == "Walk-away position" or "walk-away" in (
            f"{line.old} {line.new} {line.raw_old} {line.raw_new}".lower()
        )
    assert "change" in dialog.count_label.text()
    dialog.filter.setText("no such words anywhere")
    dialog.apply_filter()
    assert dialog.model.rowCount() == 0
    assert "No change matches" in dialog.empty.text()


def test_a_big_log_is_read_a_page_at_a_time(qtbot: QtBot, tmp_path: Path) -> None:
    store = Store(open_database(tmp_path / "big.db"), Author("Ana", "0123456789abcdef"))
    account = store.accounts.add(m.Account(name="Harbour Trust"))
    with store.atomic("import"):
        for n in range(3 * PAGE):
            store.accounts.update(dataclasses.replace(account, industry=f"Industry {n}"))
    dialog = HistoryDialog(store, "History", account_id=account.id)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.total > 3 * PAGE
    assert model.rowCount() == PAGE
    assert model.canFetchMore()
    # A change made while the panel is open does not shift the pages being read.
    store.accounts.update(dataclasses.replace(account, industry="Written meanwhile"))
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE
    assert _rows(model)[0][HistoryModel.AFTER] == f"Industry {3 * PAGE - 1}"
    seqs = [r.entry.seq for r in model.rows]
    assert seqs == sorted(set(seqs), reverse=True)  # no entry twice, none skipped out of order
    while model.canFetchMore():
        model.fetchMore()
    assert model.read == model.total  # every entry read once (an added record: a row a field)
    assert "Written meanwhile" not in {r.new for r in model.rows}
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    dialog.close()
    store.close()


def test_deleting_a_contract_and_undoing_it_are_both_in_the_accounts_history(
    qtbot: QtBot, window: MainWindow
) -> None:
    store = window.store
    account = next(a for a in store.accounts.all() if a.name.startswith("Halden"))
    contract = store.contracts.for_account(account.id)[0]
    milestones = store.milestones.where("contract_id = ?", [contract.id])
    assert milestones  # the sample's campaign has some recorded
    window.open_account(account.id)
    window.editor.delete(contract)
    window.editor.undo_stack.undo()
    dialog = window.account_page.show_history()
    assert isinstance(dialog, HistoryDialog)
    qtbot.addWidget(dialog)
    rows = dialog.model.rows
    undo = [r.entry for r in rows if r.entry.op_kind == "undo"]
    delete = [r.entry for r in rows if r.entry.op_kind == "delete"]
    gone = {contract.id} | {x.id for x in milestones}
    # The delete left a tombstone for the contract and each of its milestones, in one operation.
    assert {e.record_id for e in delete if e.change == "delete"} >= gone
    assert len({e.op_id for e in delete}) == 1
    # The undo put each of them back: an add entry each, in one operation of its own.
    assert {e.record_id for e in undo if e.change == "add"} >= gone
    assert len({e.op_id for e in undo}) == 1
    shown = {dialog.model.text(r, HistoryModel.HOW) for r in rows if r.entry.op_kind != "import"}
    assert {"Deleted", "Undo"} <= shown
