"""The This Week page, used the way a bid manager would at the start of the day (issue 15)."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.core.deadlines import AgendaItem
from renewal_coach.core.enums import Party
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store
from renewal_coach.storage.scores import portfolio_scores
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.pages.this_week import actions
from renewal_coach.ui.pages.this_week.model import AgendaModel
from renewal_coach.ui.pages.this_week.page import ThisWeekPage
from renewal_coach.ui.settings import LAST_PAGE, LAST_START, THIS_WEEK_OWNER, Settings

TODAY = date.today()


def _book(store: Store, today: date = TODAY) -> dict[str, str]:
    """Two accounts with something in every group of the agenda; returns ids by name."""
    fern = store.accounts.add(m.Account(name="Fernhill Water", owner="Priya Shah"))
    osprey = store.accounts.add(m.Account(name="Osprey Rail", owner="Joanna Ward"))
    contract = store.contracts.add(
        m.Contract(
            account_id=fern.id,
            title="Metering",
            reference="FW-1",
            start_date=today - timedelta(days=700),
            end_date=today + timedelta(days=100),
            notice_period_days=90,  # notice deadline in 10 days, worked out
            tracked_since=today - timedelta(days=700),
        )
    )
    ours = store.commitments.add(
        m.Commitment(
            account_id=fern.id,
            party=Party.US,
            description="Send the leak report",
            owner="Priya",
            due_on=today - timedelta(days=1),
        )
    )
    theirs = store.commitments.add(
        m.Commitment(
            account_id=fern.id,
            party=Party.CUSTOMER,
            description="Confirm the pilot sites",
            due_on=today + timedelta(days=5),
        )
    )
    person = store.stakeholders.add(
        m.Stakeholder(account_id=fern.id, name="Dana Coyle", contact_cadence_days=30)
    )
    store.interactions.add(
        m.Interaction(
            account_id=fern.id,
            occurred_on=today - timedelta(days=40),
            purpose="Quarterly call",
            stakeholder_ids=[person.id],
        )
    )
    concern = store.concerns.add(
        m.Concern(
            account_id=fern.id,
            description="Meter reads late",
            severity=1,
            opened_on=today - timedelta(days=40),
        )
    )
    other = store.commitments.add(
        m.Commitment(
            account_id=osprey.id,
            party=Party.US,
            description="Book the depot visit",
            due_on=today + timedelta(days=2),
        )
    )
    return {
        "fern": fern.id,
        "osprey": osprey.id,
        "contract": contract.id,
        "ours": ours.id,
        "theirs": theirs.id,
        "person": person.id,
        "concern": concern.id,
        "other": other.id,
    }


def _page(qtbot: QtBot, store: Store, owner: str = "") -> ThisWeekPage:
    page = ThisWeekPage(store, owner=owner)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    with qtbot.waitSignal(page.built, timeout=10_000):
        page.set_scores(portfolio_scores(store, TODAY), TODAY)
    return page


def _shown(page: ThisWeekPage) -> list[AgendaItem]:
    return page.model.items()


def test_the_agenda_is_grouped_soonest_first_with_words_for_late_and_near(
    qtbot: QtBot, store: Store
) -> None:
    ids = _book(store)
    page = _page(qtbot, store)
    QAbstractItemModelTester(page.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert page.model.group_keys() == [
        "deadline",
        "milestone",
        "ours",
        "theirs",
        "rhythm",
        "concern",
    ]
    items = _shown(page)
    by_group: dict[str, list[AgendaItem]] = {}
    for item in items:
        by_group.setdefault(item.group, []).append(item)
    for group in by_group.values():
        assert [i.due for i in group] == sorted(i.due for i in group)
    notice = by_group["deadline"][0]
    assert notice.code == "notice" and notice.record_id == ids["contract"]
    row = page.model.index_of(notice)
    when = row.siblingAtColumn(AgendaModel.WHEN).data()
    assert when == "⚠ in 10 days"
    assert [i.record_id for i in by_group["ours"]] == [ids["ours"], ids["other"]]
    late = page.model.index_of(by_group["ours"][0]).siblingAtColumn(AgendaModel.WHEN).data()
    assert late == "✕ 1 day overdue"
    assert by_group["rhythm"][0].record_id == ids["person"]
    assert by_group["concern"][0].record_id == ids["concern"]
    # Headings say how many and how many are late.
    headings = [page.model.index(r, 0).data() for r in page.model.heading_rows()]
    assert headings[2] == "Commitments we owe (2) · 1 overdue"
    assert page.summary_label.text().startswith(f"{len(items)} things to see to")
    # The details show dates in the display format, not ISO.
    detail = page.model.index_of(by_group["rhythm"][0]).siblingAtColumn(AgendaModel.DETAIL)
    assert (TODAY - timedelta(days=40)).isoformat() not in detail.data()


def test_owner_filter_matches_whole_words_in_any_case(qtbot: QtBot, store: Store) -> None:
    ids = _book(store)
    page = _page(qtbot, store)
    owners = []
    page.owner_changed.connect(owners.append)
    with qtbot.waitSignal(page.built, timeout=10_000):
        page.owner_box.setEditText("PRIYA")
    assert {i.account_id for i in _shown(page)} == {ids["fern"]}
    assert owners[-1] == "PRIYA"
    with qtbot.waitSignal(page.built, timeout=10_000):
        page.owner_box.setEditText("ward joanna")
    assert {i.account_id for i in _shown(page)} == {ids["osprey"]}
    with qtbot.waitSignal(page.built, timeout=10_000):
        page.owner_box.setEditText("ann")  # not a whole word of "Joanna"
    assert _shown(page) == []
    assert page.stack.currentIndex() == page.EMPTY_PAGE
    assert page.empty_label.text() == "Nothing needs you in the next 14 days on ann's accounts."
    # The owners of the portfolio are offered.
    offered = [page.owner_box.itemText(i) for i in range(page.owner_box.count())]
    assert offered == ["Joanna Ward", "Priya Shah"]


def test_nothing_due_says_so_in_one_calm_line(qtbot: QtBot, store: Store) -> None:
    account = store.accounts.add(m.Account(name="Quiet Ltd", owner="Sam"))
    store.commitments.add(
        m.Commitment(account_id=account.id, description="Later", due_on=TODAY + timedelta(60))
    )
    page = _page(qtbot, store)
    assert page.model.rowCount() == 0
    assert page.stack.currentIndex() == page.EMPTY_PAGE
    assert page.empty_label.text() == "Nothing needs you in the next 14 days."
    # One line: not repeated above it, and no buttons with nothing to act on.
    assert not page.summary_label.isVisibleTo(page)
    assert not page.button_bar.isVisibleTo(page)
    assert not page.nudge_label.isVisibleTo(page)


# ---- in the window ---------------------------------------------------------------------------


@pytest.fixture
def book_path(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "book.db"
    store = Store(open_database(path))
    try:
        ids = _book(store)
    finally:
        store.close()
    return path, ids


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def _window(qtbot: QtBot, path: Path, settings: Settings, tmp_path: Path) -> MainWindow:
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    win = MainWindow(opener.open(path), settings, opener, today=lambda: TODAY)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.this_week.result is not None, timeout=15_000)
    return win


@pytest.fixture
def window(
    qtbot: QtBot, book_path: tuple[Path, dict[str, str]], settings: Settings, tmp_path: Path
) -> Iterator[MainWindow]:
    win = _window(qtbot, book_path[0], settings, tmp_path)
    yield win
    win.this_week.builder.wait()
    win.scores.cancel()
    win.store.close()


def _focus_key(qtbot: QtBot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


def _select(window: MainWindow, record_id: str) -> AgendaItem:
    page = window.this_week
    item = next(i for i in page.model.items() if i.record_id == record_id)
    assert page.select_item(item)
    page.tree.setFocus()
    return item


def test_ctrl_0_shows_this_week_and_ctrl_1_the_portfolio(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.portfolio.table.setFocus()
    assert window.pages.currentWidget() is window.portfolio
    _focus_key(qtbot, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.this_week
    assert window.this_week_page_action.isChecked()
    assert window.page_actions.actions()[0] is window.this_week_page_action
    _focus_key(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.portfolio


def test_enter_opens_the_record_on_its_tab(
    qtbot: QtBot, window: MainWindow, book_path: tuple[Path, dict[str, str]]
) -> None:
    ids = book_path[1]
    window.show_this_week()
    _select(window, ids["theirs"])
    _focus_key(qtbot, Qt.Key.Key_Return)
    page = window.account_page
    assert window.pages.currentWidget() is page
    tab = page.record_tabs[m.Commitment]
    assert page.tabs.currentWidget().isAncestorOf(tab)
    assert tab.selected_id() == ids["theirs"]

    window.show_this_week()
    item = next(i for i in window.this_week.model.items() if i.record == "milestone")
    assert actions.open_item(window, item)
    assert page.tabs.currentIndex() == 0
    assert page.selected_contract_id() == ids["contract"]


def test_a_commitment_is_marked_done_from_the_list_and_undone(
    qtbot: QtBot, window: MainWindow, book_path: tuple[Path, dict[str, str]]
) -> None:
    ids = book_path[1]
    window.show_this_week()
    window.activateWindow()
    _select(window, ids["ours"])
    _focus_key(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.store.commitments.get(ids["ours"]).done_on == TODAY
    qtbot.waitUntil(
        lambda: ids["ours"] not in {i.record_id for i in window.this_week.model.items()},
        timeout=15_000,
    )
    window.undo_action.trigger()
    assert window.store.commitments.get(ids["ours"]).done_on is None
    qtbot.waitUntil(
        lambda: ids["ours"] in {i.record_id for i in window.this_week.model.items()},
        timeout=15_000,
    )


def test_a_milestone_is_marked_done_from_the_list_and_undone(
    qtbot: QtBot, window: MainWindow, book_path: tuple[Path, dict[str, str]]
) -> None:
    window.show_this_week()
    page = window.this_week
    item = next(i for i in page.model.items() if i.record == "milestone")
    page.select_item(item)
    dialog = page.mark_done()
    assert dialog is not None
    chosen = dialog.selected_milestone()
    assert (chosen.code, chosen.occurrence) == (item.code, item.occurrence)
    dialog.note_edit.setPlainText("Reviewed with the customer")
    dialog.accept()
    found = window.store.milestones.where(
        "contract_id = ? AND code = ? AND occurrence = ?",
        [item.contract_id, item.code, item.occurrence],
    )
    assert found and found[0].done_on == TODAY
    qtbot.waitUntil(lambda: item not in page.model.items(), timeout=15_000)
    window.undo_action.trigger()
    assert not window.store.milestones.where(
        "contract_id = ? AND code = ? AND occurrence = ?",
        [item.contract_id, item.code, item.occurrence],
    )
    qtbot.waitUntil(lambda: item in page.model.items(), timeout=15_000)


def test_marking_done_on_a_read_only_file_is_refused_cleanly(
    qtbot: QtBot,
    window: MainWindow,
    book_path: tuple[Path, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, ids = book_path
    shown: list[str] = []
    monkeypatch.setattr(
        actions, "show_expected_error", lambda _p, what, err: shown.append(str(err))
    )
    window.show_this_week()
    _select(window, ids["ours"])
    path.chmod(stat.S_IRUSR)
    try:
        window.this_week.mark_done()
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert shown and "read-only" in shown[0]
    assert window.store.commitments.get(ids["ours"]).done_on is None
    assert not window.editor.undo_stack.canUndo()


def test_the_owner_typed_is_remembered(
    qtbot: QtBot, window: MainWindow, settings: Settings
) -> None:
    with qtbot.waitSignal(window.this_week.built, timeout=10_000):
        window.this_week.owner_box.setEditText("Joanna")
    assert settings.get(THIS_WEEK_OWNER) == "Joanna"


def test_opens_on_this_week_when_something_fell_due_since_the_last_start(
    qtbot: QtBot, book_path: tuple[Path, dict[str, str]], settings: Settings, tmp_path: Path
) -> None:
    settings.set(LAST_PAGE, "renewals")
    settings.set(LAST_START, (TODAY - timedelta(days=3)).isoformat())
    settings.set(THIS_WEEK_OWNER, "priya")
    win = _window(qtbot, book_path[0], settings, tmp_path)
    try:
        # The commitment due yesterday fell due since the start three days ago.
        qtbot.waitUntil(lambda: win.pages.currentWidget() is win.this_week)
        assert settings.get(LAST_START) == TODAY.isoformat()
        assert win.this_week.owner == "priya"
        assert {i.account_id for i in win.this_week.model.items()} == {book_path[1]["fern"]}
    finally:
        win.this_week.builder.wait()
        win.scores.cancel()
        win.store.close()


def test_stays_on_the_last_page_when_nothing_fell_due_since(
    qtbot: QtBot, book_path: tuple[Path, dict[str, str]], settings: Settings, tmp_path: Path
) -> None:
    settings.set(LAST_PAGE, "renewals")
    settings.set(LAST_START, TODAY.isoformat())  # started earlier today
    win = _window(qtbot, book_path[0], settings, tmp_path)
    try:
        assert win.pages.currentWidget() is win.renewals
        assert win.start_of_day.done
    finally:
        win.this_week.builder.wait()
        win.scores.cancel()
        win.store.close()


def test_deadline_preferences_round_trip_through_the_database(
    qtbot: QtBot, window: MainWindow, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from renewal_coach.storage.agenda import load_deadline_settings
    from renewal_coach.ui.dialogs.preferences import PreferencesDialog
    from renewal_coach.ui.widgets import deadlines as shown_deadlines

    monkeypatch.setitem(shown_deadlines._NEAR, "days", 90)  # put back after the test
    seen: list[dict[str, int]] = []

    def answer(dialog: PreferencesDialog) -> bool:
        box = dialog.deadlines
        assert box is not None
        seen.append({name: spin.value() for name, spin in box.boxes.items()})
        box.boxes["agenda_days"].setValue(21)
        box.boxes["near_days"].setValue(45)
        box.boxes["concern_serious_days"].setValue(400_000)  # out of range: held at the top
        return True

    monkeypatch.setattr(PreferencesDialog, "exec", answer)
    window.show_this_week()
    with qtbot.waitSignal(window.this_week.built, timeout=10_000):
        window.show_preferences()
    stored = load_deadline_settings(window.store)
    assert (stored.agenda_days, stored.near_days, stored.concern_serious_days) == (21, 45, 3650)
    assert stored.nudge_days == 30  # untouched
    assert seen[0]["agenda_days"] == 14
    assert "in the next 21 days" in window.this_week.summary_label.text()
    assert shown_deadlines.near_days() == 45
    # Opened again, the dialog shows what was saved.
    window.show_preferences()
    assert seen[1]["agenda_days"] == 21 and seen[1]["near_days"] == 45


def test_start_of_day_names_the_near_notice_date(window: MainWindow) -> None:
    line = "Notice deadline for Fernhill Water (FW-1): in 10 days."
    assert window.start_of_day.message == line
    assert window.statusBar().currentMessage() == f"⚠ {line}"
    assert window.this_week.nudge_label.text() == f"⚠ {line}"
    assert window.this_week.nudge_label.isVisibleTo(window.this_week)


def test_the_nudge_leaves_a_message_of_the_persons_own_in_the_status_bar(
    qtbot: QtBot, book_path: tuple[Path, dict[str, str]], settings: Settings, tmp_path: Path
) -> None:
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    win = MainWindow(opener.open(book_path[0]), settings, opener, today=lambda: TODAY)
    qtbot.addWidget(win)
    # Something the person did before the first agenda arrived (an export written, say).
    win.statusBar().showMessage("Wrote 12 events to renewals.ics.")
    win.show()
    qtbot.waitUntil(lambda: win.this_week.result is not None, timeout=15_000)
    try:
        assert win.start_of_day.message  # the book has a near notice date
        assert win.statusBar().currentMessage() == "Wrote 12 events to renewals.ics."
        assert win.this_week.nudge_label.text() == f"⚠ {win.start_of_day.message}"
    finally:
        win.this_week.builder.wait()
        win.scores.cancel()
        win.store.close()


def test_arrow_keys_step_over_the_headings(qtbot: QtBot, store: Store) -> None:
    _book(store)
    page = _page(qtbot, store)
    page.show()
    qtbot.waitExposed(page)
    groups = page.model.group_keys()
    first_of = {}
    last_of = {}
    for item in page.model.items():
        first_of.setdefault(item.group, item)
        last_of[item.group] = item
    page.select_item(last_of[groups[0]])
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_Down)
    assert page.selected_item() == first_of[groups[1]]
    qtbot.keyClick(page.tree, Qt.Key.Key_Up)
    assert page.selected_item() == last_of[groups[0]]


def test_keyboard_shortcuts_list_the_page_and_mark_done(window: MainWindow) -> None:
    from renewal_coach.ui.help import shortcut_rows

    rows = {(r.place, r.name, r.keys) for r in shortcut_rows(window)}
    assert ("View", "This Week", "Ctrl+0") in rows
    assert ("This week's list", "Mark Done…", "Ctrl+D") in rows


def test_the_tray_is_used_only_when_asked_and_available(
    window: MainWindow, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QSystemTrayIcon

    from renewal_coach.ui.settings import TRAY_NUDGE

    assert settings.get(TRAY_NUDGE) is False  # off unless asked
    assert window.start_of_day.tray is None
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    assert not window.start_of_day.notify("Notice deadline soon")
    assert window.start_of_day.tray is None


def test_failed_scores_are_explained_not_waited_for(qtbot: QtBot, store: Store) -> None:
    page = ThisWeekPage(store)
    qtbot.addWidget(page)
    assert page.summary_label.text() == "Working out what is due…"
    page.show_failure("The database is damaged.")
    assert page.summary_label.text() == (
        "The list could not be worked out: The database is damaged."
    )


def test_the_page_lists_what_renewal_coach_agenda_lists(
    qtbot: QtBot,
    window: MainWindow,
    book_path: tuple[Path, dict[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from renewal_coach.cli import main

    with qtbot.waitSignal(window.this_week.built, timeout=10_000):
        window.this_week.owner_box.setEditText("priya")
    db = str(book_path[0])
    args = ["agenda", "--db", db, "--owner", "priya", "--json", "--today", TODAY.isoformat()]
    assert main(args) == 0
    printed = json.loads(capsys.readouterr().out)
    cli = [
        (g["group"], i["record_id"], i["due"], i["when"])
        for g in printed["groups"]
        for i in g["items"]
    ]
    page = window.this_week
    shown = [(i.group, i.record_id, i.due.isoformat(), i.when(TODAY)) for i in page.model.items()]
    assert shown == cli
    assert page.summary_label.text() == printed["summary"]
