"""The renewals page: contracts by quarter, the overdue filter, marking a milestone done, and the
horizon chart and the list selecting each other."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest
from pytestqt.qtbot import QtBot

from renewal_coach.core import models as m
from renewal_coach.core.dates import add_months
from renewal_coach.core.scoring.portfolio import AccountScores
from renewal_coach.core.scoring.timeline import LIVE
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import load_sample
from renewal_coach.storage.scores import portfolio_scores
from renewal_coach.ui.pages.renewals.mark_done import MarkDoneDialog
from renewal_coach.ui.pages.renewals.renewals_model import (
    RenewalsFilterProxy,
    RenewalsModel,
    renewal_rows,
)
from renewal_coach.ui.pages.renewals.renewals_page import RenewalsPage

TODAY = date(2026, 1, 15)
M = RenewalsModel


@pytest.fixture
def scores(store: Store) -> dict[str, AccountScores]:
    load_sample(store, TODAY)
    return portfolio_scores(store, TODAY)


@pytest.fixture
def page(qtbot: QtBot, scores: dict[str, AccountScores]) -> Iterator[RenewalsPage]:
    widget = RenewalsPage()
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.set_scores(scores, TODAY)
    yield widget
    if widget.mark_done_dialog is not None:
        widget.mark_done_dialog.reject()


def _expected(scores: dict[str, AccountScores]) -> dict[str, tuple[date, int]]:
    """Contract id -> (anchor, overdue count) for what the page must list, worked out here."""
    until = add_months(TODAY, 36)
    out = {}
    for s in scores.values():
        for c in s.contracts:
            camp = c.campaign
            if c.contract.status in LIVE and (
                TODAY <= camp.anchor <= until or camp.overdue_count > 0
            ):
                out[c.contract.id] = (camp.anchor, camp.overdue_count)
    return out


def _children(model: RenewalsModel | RenewalsFilterProxy, group: int) -> list[QModelIndex]:
    parent = model.index(group, 0)
    return [model.index(r, 0, parent) for r in range(model.rowCount(parent))]


def _shown(qtbot: QtBot, page: RenewalsPage) -> None:
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.chart.is_built and not page.chart.is_stale)


# ---- the model ---------------------------------------------------------------------------------


def test_model_and_proxy_pass_the_qt_model_tester(scores: dict[str, AccountScores]) -> None:
    rows = renewal_rows(scores, TODAY)
    model = RenewalsModel()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    proxy = RenewalsFilterProxy()
    proxy.setSourceModel(model)
    proxy_tester = QAbstractItemModelTester(
        proxy, QAbstractItemModelTester.FailureReportingMode.Fatal
    )
    model.set_rows(rows, TODAY)
    model.sort(M.VALUE, Qt.SortOrder.DescendingOrder)
    model.sort(M.ANCHOR, Qt.SortOrder.DescendingOrder)
    proxy.set_overdue_only(True)
    proxy.set_filter_text("calder")
    proxy.set_filter_text("")
    proxy.set_overdue_only(False)
    model.set_rows(rows[:3], TODAY)
    model.set_rows([], TODAY)
    model.set_rows(rows, TODAY)
    assert tester is not None and proxy_tester is not None
    assert model.rowCount() > 3


def test_lists_live_contracts_due_within_36_months_or_late_grouped_by_quarter(
    scores: dict[str, AccountScores],
) -> None:
    model = RenewalsModel()
    model.set_rows(renewal_rows(scores, TODAY), TODAY)
    expected = _expected(scores)
    assert expected, "the sample should have renewals"

    seen: dict[str, date] = {}
    quarters = []
    for g in range(model.rowCount()):
        header = model.index(g, 0)
        label = model.data(header)
        match = re.match(r"^(\d{4}) Q([1-4]) · (\d+) contracts?", label)
        assert match, label
        year, quarter, count = (int(x) for x in match.groups())
        quarters.append((year, quarter))
        assert model.data(header, M.GROUP_ROLE) is True
        assert not model.flags(header) & Qt.ItemFlag.ItemIsSelectable
        children = _children(model, g)
        assert len(children) == count
        for child in children:
            contract_id = model.data(child, M.CONTRACT_ROLE)
            anchor = model.data(child, M.SORT_ROLE).toPython()
            assert (anchor.year, (anchor.month - 1) // 3 + 1) == (year, quarter)
            seen[contract_id] = anchor
    assert quarters == sorted(quarters), "quarters run in date order"
    assert seen == {k: v[0] for k, v in expected.items()}


def test_status_is_words_and_a_symbol_and_money_is_formatted(
    scores: dict[str, AccountScores],
) -> None:
    model = RenewalsModel()
    model.set_rows(renewal_rows(scores, TODAY), TODAY)
    statuses = set()
    for g in range(model.rowCount()):
        for child in _children(model, g):
            row = model.row_of(child)
            assert row is not None
            status = model.data(child.siblingAtColumn(M.STATUS))
            statuses.add(status.split(" (")[0])
            value = model.data(child.siblingAtColumn(M.VALUE))
            symbol = {"GBP": "£", "EUR": "€"}[row.currency]
            assert value.startswith(symbol) and "." not in value, value
            assert model.data(child.siblingAtColumn(M.MILESTONE)).startswith(row.next_code + " ")
    assert "⚠ Overdue" in statuses
    assert "○ Upcoming" in statuses


def test_sorting_uses_real_money_and_dates_within_each_quarter(
    scores: dict[str, AccountScores],
) -> None:
    model = RenewalsModel()
    model.set_rows(renewal_rows(scores, TODAY), TODAY)
    proxy = RenewalsFilterProxy()
    proxy.setSourceModel(model)

    proxy.sort(M.VALUE, Qt.SortOrder.DescendingOrder)
    compared = 0
    for g in range(proxy.rowCount()):
        values = [
            proxy.data(child.siblingAtColumn(M.VALUE), M.SORT_ROLE) for child in _children(proxy, g)
        ]
        assert all(isinstance(v, int) for v in values)
        # By currency, then amount: yen and pounds are never compared as numbers.
        currencies = [model.row_of(proxy.mapToSource(c)).currency for c in _children(proxy, g)]
        keyed = list(zip(currencies, values, strict=True))
        assert keyed == sorted(keyed, reverse=True)
        compared += len(values) > 1
    assert compared, "some quarter should hold several contracts"
    groups = [proxy.data(proxy.index(g, 0), M.SORT_ROLE) for g in range(proxy.rowCount())]
    assert groups == sorted(groups), "other columns keep the quarters in date order"

    proxy.sort(M.ANCHOR, Qt.SortOrder.DescendingOrder)
    anchors = [
        proxy.data(child, M.SORT_ROLE)
        for g in range(proxy.rowCount())
        for child in _children(proxy, g)
    ]
    assert all(isinstance(a, QDate) for a in anchors)
    days = [a.toPython() for a in anchors]
    assert days == sorted(days, reverse=True)

    proxy.sort(M.DUE, Qt.SortOrder.AscendingOrder)
    for g in range(proxy.rowCount()):
        due = [
            proxy.data(child.siblingAtColumn(M.DUE), M.SORT_ROLE).toPython()
            for child in _children(proxy, g)
        ]
        assert due == sorted(due)


def test_sorting_keeps_the_selection_on_the_same_contract(qtbot: QtBot, page: RenewalsPage) -> None:
    ids = page.visible_contract_ids()
    target = ids[len(ids) // 2]
    assert page.select_contract(target)
    page.tree.sortByColumn(M.VALUE, Qt.SortOrder.DescendingOrder)
    assert page.selected_contract_id() == target
    assert page.visible_contract_ids() != ids


# ---- filters and empty states ------------------------------------------------------------------


def test_overdue_only_shows_exactly_the_contracts_with_overdue_milestones(
    page: RenewalsPage, scores: dict[str, AccountScores]
) -> None:
    expected = _expected(scores)
    late = {k for k, (_anchor, overdue) in expected.items() if overdue > 0}
    assert late and late != set(expected), "the sample should hold both kinds"
    assert set(page.visible_contract_ids()) == set(expected)

    page.overdue_check.setChecked(True)
    assert set(page.visible_contract_ids()) == late
    for g in range(page.proxy.rowCount()):
        assert _children(page.proxy, g), "no empty quarter headers left behind"
    assert page.count_label.text() == f"{len(late)} of {len(expected)} contracts"

    page.overdue_check.setChecked(False)
    assert set(page.visible_contract_ids()) == set(expected)


def test_search_matches_every_word_and_an_empty_result_says_so(page: RenewalsPage) -> None:
    page.search_edit.setText("calderbrook clb-fm")
    shown = page.visible_contract_ids()
    assert len(shown) == 1
    assert page.model.row_of(page.model.index_of(shown[0])).reference == "CLB-FM-2021"

    page.search_edit.setText("no such contract")
    assert page.visible_contract_ids() == []
    assert page.stack.currentIndex() == RenewalsPage.EMPTY_PAGE
    assert page.empty.title.text() == "No matching renewals"
    page.empty.action.click()
    assert page.search_edit.text() == ""
    assert page.stack.currentIndex() == RenewalsPage.TABLE_PAGE


def test_no_renewals_shows_an_explanation_not_an_empty_table(qtbot: QtBot) -> None:
    page = RenewalsPage()
    qtbot.addWidget(page)
    page.set_scores({}, TODAY)
    assert page.stack.currentIndex() == RenewalsPage.EMPTY_PAGE
    assert page.empty.title.text() == "No renewals coming up"
    assert page.filter_bar.isHidden()
    assert not page.mark_done_button.isEnabled()


# ---- actions -----------------------------------------------------------------------------------


def test_mark_done_dialog_rejects_a_bad_date_next_to_the_field(
    qtbot: QtBot, page: RenewalsPage, scores: dict[str, AccountScores]
) -> None:
    _shown(qtbot, page)
    target = next(cid for cid, (_anchor, overdue) in _expected(scores).items() if overdue > 1)
    assert page.select_contract(target)
    row = page.selected_row()
    assert row is not None
    page.tree.setFocus()
    requests = []
    page.milestone_done_requested.connect(lambda *args: requests.append(args))

    QTest.keyClick(page.tree, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dialog = page.mark_done_dialog
    assert isinstance(dialog, MarkDoneDialog)
    nxt = row.scores.campaign.next_milestone()
    chosen = dialog.selected_milestone()
    assert (chosen.code, chosen.occurrence) == (nxt.code, nxt.occurrence)
    assert dialog.milestone_combo.count() == len(row.open_milestones()) > 1
    assert dialog.date_edit.text() == TODAY.isoformat()

    dialog.date_edit.setText("2026-02-30")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.date_error.isVisible()
    assert "not a real calendar date" in dialog.date_error.text()
    dialog.date_edit.setText("31/12/2025")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "YYYY-MM-DD" in dialog.date_error.text()
    dialog.date_edit.setText("2026-01-16")  # tomorrow
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "future" in dialog.date_error.text()
    assert requests == []

    QTest.keyClicks(dialog.date_edit, "x")
    assert dialog.date_error.isHidden(), "typing clears the old message"
    dialog.milestone_combo.setCurrentIndex(1)
    second = dialog.selected_milestone()
    dialog.date_edit.setText("2026-01-10")
    dialog.note_edit.setPlainText("  Kickoff held with the FM director  ")
    with qtbot.waitSignal(page.milestone_done_requested) as blocker:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [
        target,
        second.code,
        second.occurrence,
        date(2026, 1, 10),
        "Kickoff held with the FM director",
    ]
    assert not dialog.isVisible()


def test_selection_survives_new_scores(
    page: RenewalsPage, store: Store, scores: dict[str, AccountScores]
) -> None:
    ids = page.visible_contract_ids()
    target = ids[-3]
    page.select_contract(target)
    page.set_scores(portfolio_scores(store, TODAY), TODAY)
    assert page.selected_contract_id() == target
    assert page.mark_done_button.isEnabled()


def test_enter_opens_the_account_and_plan_names_account_and_contract(
    qtbot: QtBot, page: RenewalsPage
) -> None:
    _shown(qtbot, page)
    assert not page.plan_button.isEnabled()
    target = page.visible_contract_ids()[0]
    page.select_contract(target)
    row = page.selected_row()
    page.tree.setFocus()
    with qtbot.waitSignal(page.account_activated) as opened:
        QTest.keyClick(page.tree, Qt.Key.Key_Return)
    assert opened.args == [row.account_id]
    with qtbot.waitSignal(page.plan_requested) as planned:
        qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    assert planned.args == [row.account_id, target]


def test_arrow_keys_step_over_the_quarter_headers(qtbot: QtBot, page: RenewalsPage) -> None:
    _shown(qtbot, page)
    ids = page.visible_contract_ids()
    page.select_contract(ids[0])
    page.tree.setFocus()
    for expected in ids[1:6]:
        QTest.keyClick(page.tree, Qt.Key.Key_Down)
        assert page.selected_contract_id() == expected


# The offscreen platform cannot raise a popup or grab the keyboard for it, and says so.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_context_menu_offers_the_actions_for_the_clicked_contract(
    qtbot: QtBot, page: RenewalsPage
) -> None:
    _shown(qtbot, page)
    target = page.visible_contract_ids()[2]
    index = page.proxy.mapFromSource(page.model.index_of(target))
    pos = page.tree.visualRect(index).center()
    page.tree.customContextMenuRequested.emit(pos)
    menu = page.context_menu
    assert menu is not None
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["&Mark milestone done…", "&Plan a conversation…", "Ope&n account"]
    assert page.selected_contract_id() == target
    menu.close()


# ---- chart and list ----------------------------------------------------------------------------


def test_chart_is_built_only_when_the_page_is_shown(qtbot: QtBot, page: RenewalsPage) -> None:
    assert not page.chart.is_built
    _shown(qtbot, page)
    assert page.chart.figure is not None
    assert len(page.chart.points) > 5


def test_clicking_a_bubble_selects_its_contract_and_selecting_rings_the_bubble(
    qtbot: QtBot, page: RenewalsPage, store: Store
) -> None:
    _shown(qtbot, page)
    chart = page.chart
    listed = set(page.visible_contract_ids())
    keys = [key for key, *_ in chart.points]
    assert set(keys) <= listed

    # Hit testing in pixels: the exact centre hits, a spot well away from every point misses.
    target = keys[len(keys) // 2]
    x, y = chart.display_position(target)
    assert chart.hit_test(x, y) == target
    assert chart.hit_test(x + 3, y - 3) == target
    assert chart.hit_test(-50, -50) is None

    # A real click on the canvas.
    page.select_contract(keys[0])
    pos = chart.widget_position(target)
    QTest.mouseClick(chart.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
    assert page.selected_contract_id() == target
    index = page.tree.selectionModel().selectedRows()[0]
    assert page.tree.viewport().rect().intersects(page.tree.visualRect(index)), "scrolled to"
    assert chart.highlighted == target

    # Selecting in the list rings the bubble; a contract off the chart removes the ring.
    other = keys[-1]
    page.select_contract(other)
    assert chart.highlighted == other
    # A contract whose customer decided last month with the campaign never kept: it is late, so
    # it is listed, but its anchor is behind us, so it is not drawn on the horizon.
    account = store.accounts.all()[0]
    store.contracts.add(
        m.Contract(
            account_id=account.id,
            title="Decided without us",
            reference="PAST-1",
            start_date=date(2023, 1, 1),
            end_date=date(2026, 3, 31),
            decision_date=date(2025, 12, 1),
            tracked_since=date(2023, 1, 1),
        )
    )
    page.set_scores(portfolio_scores(store, TODAY), TODAY)
    _shown(qtbot, page)
    keys = [key for key, *_ in chart.points]
    late_only = [cid for cid in page.visible_contract_ids() if cid not in keys]
    assert late_only, "past-anchor contracts with overdue milestones are listed, not drawn"
    page.select_contract(late_only[0])
    assert chart.highlighted == late_only[0]
    assert chart._rings == []


def test_clicking_a_bubble_hidden_by_the_filter_reveals_it(
    qtbot: QtBot, page: RenewalsPage, scores: dict[str, AccountScores]
) -> None:
    _shown(qtbot, page)
    on_time = {k for k, (_anchor, overdue) in _expected(scores).items() if overdue == 0}
    target = next(key for key, *_ in page.chart.points if key in on_time)
    page.overdue_check.setChecked(True)
    assert target not in page.visible_contract_ids()
    pos = page.chart.widget_position(target)
    QTest.mouseClick(
        page.chart.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos
    )
    assert not page.overdue_check.isChecked()
    assert page.selected_contract_id() == target


@pytest.mark.qt_log_ignore("does not support raise")  # the tooltip, offscreen
def test_hovering_a_bubble_names_it(qtbot: QtBot, page: RenewalsPage) -> None:
    _shown(qtbot, page)
    chart = page.chart
    key, _x, _y, text = chart.points[0]
    QTest.mouseMove(chart.canvas, chart.widget_position(key))
    qtbot.waitUntil(lambda: chart.hovered == key)
    assert chart.caption.text() == text
    assert "risk" in text and "a year" in text


def test_importing_the_pages_does_not_load_matplotlib() -> None:
    code = (
        "import sys\n"
        "import renewal_coach.ui.pages.insights, renewal_coach.ui.pages.renewals.renewals_page\n"
        "import renewal_coach.ui.widgets.chart_view\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_list_gets_the_width_its_columns_need_unless_a_layout_was_restored(
    qtbot: QtBot, scores: dict[str, AccountScores]
) -> None:
    wide = RenewalsPage()
    qtbot.addWidget(wide)
    wide.resize(1920, 1080)
    wide.set_scores(scores, TODAY)
    _shown(qtbot, wide)
    table, chart = wide.splitter.sizes()
    assert table >= wide.tree.header().length()
    assert chart >= 520

    saved = RenewalsPage()
    qtbot.addWidget(saved)
    saved.splitter.setSizes([300, 900])
    state = saved.splitter.saveState()
    restored = RenewalsPage()
    qtbot.addWidget(restored)
    restored.splitter.restoreState(state)
    restored.resize(1920, 1080)
    restored.set_scores(scores, TODAY)
    _shown(qtbot, restored)
    table, chart = restored.splitter.sizes()
    assert table < chart, "the saved proportions are kept"


def test_a_title_that_only_repeats_the_reference_is_shown_once() -> None:
    from renewal_coach.ui.pages.renewals.renewals_model import contract_text

    assert contract_text("00000101", "00000101") == "00000101"
    assert contract_text("C-104", "Managed print") == "C-104 – Managed print"
    assert contract_text("C-104", "") == "C-104"


@pytest.mark.parametrize(
    ("width", "in_view"),
    [
        # the page in the default window (1224 px): the status stays in view
        (1180, (RenewalsModel.STATUS,)),
        # the page in a maximised 1440 px window: the risk and the value too
        (1390, (RenewalsModel.STATUS, RenewalsModel.RISK, RenewalsModel.VALUE)),
    ],
)
def test_a_narrow_list_narrows_names_before_the_status_falls_off(
    qtbot: QtBot, scores: dict[str, AccountScores], width: int, in_view: tuple[int, ...]
) -> None:
    page = RenewalsPage()
    qtbot.addWidget(page)
    page.resize(width, 700)
    page.set_scores(scores, TODAY)
    _shown(qtbot, page)
    header = page.tree.header()
    room = page.tree.viewport().width()
    for column in in_view:
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= room, (
            page.model.headerData(column, Qt.Orientation.Horizontal)
        )
    for column in range(RenewalsModel.COLUMN_COUNT):
        assert header.sectionSize(column) >= header.sectionSizeHint(column)  # headings whole
    # A column the person widens stays as they set it when the window changes.
    header.resizeSection(RenewalsModel.ACCOUNT, 260)
    page.resize(width - 100, 700)
    qtbot.wait(50)
    assert header.sectionSize(RenewalsModel.ACCOUNT) == 260
