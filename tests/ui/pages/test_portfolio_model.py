"""The portfolio table: a well-behaved model, numeric sorting, instant filtering, activation."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from renewal_coach.core import models as m
from renewal_coach.storage.queries import AccountRow
from renewal_coach.storage.repository import Store
from renewal_coach.ui.pages.portfolio import AccountFilterProxy, AccountTableModel, PortfolioPage

TODAY = date(2026, 1, 15)
M = AccountTableModel


def _row(
    name: str,
    value: int | None = None,
    renewal: date | None = None,
    industry: str = "",
    owner: str = "",
) -> AccountRow:
    return AccountRow(
        id=f"id-{name}",
        name=name,
        industry=industry,
        owner=owner,
        currency="GBP",
        next_renewal=renewal,
        annual_value_minor=value,
    )


ROWS = [
    _row("Acme Logistics", 900_000, date(2026, 9, 1), "Logistics", "Priya Shah"),
    _row("Bluewater Utilities", 1_000_000, date(2026, 3, 1), "Utilities", "Tom Becker"),
    _row("Caldera Mining", None, None, "Mining", "Priya Shah"),
    _row("Harbour City Council", 750_000_000, date(2027, 1, 31), "Public sector", "Aisha Okafor"),
]


@pytest.fixture
def model() -> AccountTableModel:
    model = AccountTableModel()
    model.set_rows(ROWS, TODAY)
    return model


@pytest.fixture
def proxy(model: AccountTableModel) -> AccountFilterProxy:
    proxy = AccountFilterProxy()
    proxy.setSourceModel(model)
    return proxy


def _column(proxy: QSortFilterProxyModel, column: int = M.NAME) -> list[str]:
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def test_model_passes_qt_model_tester(model: AccountTableModel) -> None:
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_rows(ROWS[:2], TODAY)
    model.set_rows([], TODAY)
    model.set_rows(ROWS, TODAY)
    model.sort(M.ANNUAL_VALUE, Qt.SortOrder.DescendingOrder)
    model.sort(M.NAME, Qt.SortOrder.AscendingOrder)
    assert tester is not None


def test_proxy_passes_qt_model_tester_while_sorting_and_filtering(
    proxy: AccountFilterProxy,
) -> None:
    tester = QAbstractItemModelTester(proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)
    proxy.sort(M.ANNUAL_VALUE, Qt.SortOrder.DescendingOrder)
    proxy.set_filter_text("shah")
    proxy.set_filter_text("")
    assert tester is not None


def test_shape_and_headers(model: AccountTableModel) -> None:
    assert model.rowCount() == 4
    assert model.columnCount() == 10
    assert model.rowCount(model.index(0, 0)) == 0
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(10)]
    assert headers == [
        "Account",
        "Industry",
        "Owner",
        "Next renewal",
        "Annual value",
        "Segment",
        "Contribution",
        "Renewal risk",
        "Engagement",
        "Decision date",
    ]
    # Until the scoring job reports, the score cells say they are coming.
    assert model.index(0, M.RISK).data() == "…"
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_display_text_and_native_sort_values(model: AccountTableModel) -> None:
    acme = model.index(0, M.ANNUAL_VALUE)
    assert acme.data() == "£9,000"
    assert acme.data(M.SORT_ROLE) == 900_000
    renewal = model.index(0, M.NEXT_RENEWAL)
    assert renewal.data() == "1 Sep 2026"
    assert renewal.data(M.SORT_ROLE) == QDate(2026, 9, 1)
    assert "229 days" in renewal.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, M.NAME).data(M.ID_ROLE) == "id-Acme Logistics"
    alignment = Qt.AlignmentFlag(acme.data(Qt.ItemDataRole.TextAlignmentRole))
    assert alignment & Qt.AlignmentFlag.AlignRight


def test_missing_values_show_a_dash_and_have_no_sort_value(model: AccountTableModel) -> None:
    caldera = 2
    assert model.index(caldera, M.NEXT_RENEWAL).data() == "—"
    assert model.index(caldera, M.ANNUAL_VALUE).data() == "—"
    # model.data(), not index.data(): PySide6 6.12 on Python 3.11 drops a reference to None
    # each time QModelIndex.data() returns None from a Python model.
    assert model.data(model.index(caldera, M.NEXT_RENEWAL), M.SORT_ROLE) is None
    assert model.data(model.index(caldera, M.ANNUAL_VALUE), M.SORT_ROLE) is None


def test_sorting_by_value_compares_amounts_not_text(proxy: AccountFilterProxy) -> None:
    # As text, "£10,000" < "£7,500,000" < "£9,000"; as money, 9,000 < 10,000 < 7,500,000.
    proxy.sort(M.ANNUAL_VALUE, Qt.SortOrder.AscendingOrder)
    assert _column(proxy, M.ANNUAL_VALUE) == ["£9,000", "£10,000", "£7,500,000", "—"]
    proxy.sort(M.ANNUAL_VALUE, Qt.SortOrder.DescendingOrder)
    # Blanks stay last in both directions: the largest contracts come first.
    assert _column(proxy, M.ANNUAL_VALUE) == ["£7,500,000", "£10,000", "£9,000", "—"]


def test_sorting_by_renewal_compares_dates_with_blanks_last(proxy: AccountFilterProxy) -> None:
    proxy.sort(M.NEXT_RENEWAL, Qt.SortOrder.AscendingOrder)
    assert _column(proxy) == [
        "Bluewater Utilities",
        "Acme Logistics",
        "Harbour City Council",
        "Caldera Mining",
    ]


def test_sorting_by_text_ignores_case_and_accents() -> None:
    model = AccountTableModel()
    model.set_rows([_row("beta"), _row("Émile Ltd"), _row("Alpha"), _row("Gamma")], TODAY)
    proxy = AccountFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(M.NAME, Qt.SortOrder.AscendingOrder)
    assert _column(proxy) == ["Alpha", "beta", "Émile Ltd", "Gamma"]


def test_equal_values_stay_in_name_order_whichever_the_direction() -> None:
    model = AccountTableModel()
    model.set_rows([_row("C", 5), _row("A", 5), _row("B", 9)], TODAY)
    model.sort(M.ANNUAL_VALUE, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, M.NAME).data() for r in range(3)] == ["B", "A", "C"]


def test_sorting_keeps_persistent_indexes_on_their_rows(model: AccountTableModel) -> None:
    harbour = QPersistentModelIndex(model.index(3, M.OWNER))
    model.sort(M.ANNUAL_VALUE, Qt.SortOrder.DescendingOrder)
    assert harbour.row() == 0
    assert harbour.column() == M.OWNER
    assert harbour.data() == "Aisha Okafor"


def test_a_reload_keeps_the_chosen_order(model: AccountTableModel) -> None:
    model.sort(M.ANNUAL_VALUE, Qt.SortOrder.DescendingOrder)
    model.set_rows([*ROWS, _row("Zenith", 2_000_000_000)], TODAY)
    assert model.index(0, M.NAME).data() == "Zenith"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 4),
        ("HARBOUR", 1),  # name, any case
        ("mining", 1),  # industry
        ("shah", 2),  # owner
        ("shah logist", 1),  # every word must match somewhere
        ("nothing like it", 0),
        ("1 sep", 0),  # dates and amounts are not searched
    ],
)
def test_filter_matches_name_industry_and_owner(
    proxy: AccountFilterProxy, text: str, expected: int
) -> None:
    proxy.set_filter_text(text)
    assert proxy.rowCount() == expected


# ---- the page --------------------------------------------------------------------------------


def _store_with_accounts(store: Store) -> Store:
    for name, industry, owner, value, end in [
        ("Acme Logistics", "Logistics", "Priya Shah", 900_000, "2026-09-01"),
        ("Bluewater Utilities", "Utilities", "Tom Becker", 1_000_000, "2026-03-01"),
        ("Harbour City Council", "Public sector", "Aisha Okafor", 750_000_000, "2027-01-31"),
    ]:
        account = store.accounts.add(m.Account(name=name, industry=industry, owner=owner))
        store.contracts.add(
            m.Contract(
                account_id=account.id,
                title="Services",
                reference="C1",
                start_date=date(2023, 1, 1),
                end_date=date.fromisoformat(end),
                annual_value_minor=value,
            )
        )
    return store


@pytest.fixture
def page(qtbot: QtBot, store: Store) -> PortfolioPage:
    page = PortfolioPage(_store_with_accounts(store), today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_page_lists_accounts_soonest_renewal_first(page: PortfolioPage) -> None:
    assert page.stack.currentIndex() == page.TABLE_PAGE
    assert _column(page.proxy) == ["Bluewater Utilities", "Acme Logistics", "Harbour City Council"]
    assert page.count_label.text() == "3 accounts"


def test_typing_in_the_filter_narrows_the_list_instantly(qtbot: QtBot, page: PortfolioPage) -> None:
    qtbot.keyClicks(page.filter_edit, "uti")
    assert _column(page.proxy) == ["Bluewater Utilities"]
    assert page.count_label.text() == "1 of 3 accounts"

    page.filter_edit.clear()
    qtbot.keyClicks(page.filter_edit, "OKAFOR")
    assert _column(page.proxy) == ["Harbour City Council"]


def test_no_match_shows_a_message_and_a_way_back(qtbot: QtBot, page: PortfolioPage) -> None:
    qtbot.keyClicks(page.filter_edit, "zzz")
    assert page.proxy.rowCount() == 0
    assert page.stack.currentIndex() == page.EMPTY_PAGE
    assert "zzz" in page.empty.body.text()

    qtbot.mouseClick(page.empty.action, Qt.MouseButton.LeftButton)

    assert page.filter_edit.text() == ""
    assert page.stack.currentIndex() == page.TABLE_PAGE
    assert page.proxy.rowCount() == 3


def test_empty_portfolio_shows_an_empty_state_offering_the_sample(
    qtbot: QtBot, store: Store
) -> None:
    page = PortfolioPage(store, today=lambda: TODAY)
    qtbot.addWidget(page)
    assert page.stack.currentIndex() == page.EMPTY_PAGE
    assert page.empty.title.text() == "No accounts yet"
    assert page.filter_bar.isHidden()
    with qtbot.waitSignal(page.sample_requested, timeout=1000):
        qtbot.mouseClick(page.empty.action, Qt.MouseButton.LeftButton)


def test_clicking_a_header_sorts_by_that_column(qtbot: QtBot, page: PortfolioPage) -> None:
    header = page.table.horizontalHeader()

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )

    click(M.ANNUAL_VALUE)
    first = _column(page.proxy, M.ANNUAL_VALUE)
    click(M.ANNUAL_VALUE)
    second = _column(page.proxy, M.ANNUAL_VALUE)

    assert header.sortIndicatorSection() == M.ANNUAL_VALUE
    assert {tuple(first), tuple(second)} == {
        ("£9,000", "£10,000", "£7,500,000"),
        ("£7,500,000", "£10,000", "£9,000"),
    }


def _id_at(page: PortfolioPage, row: int) -> str:
    return page.proxy.index(row, 0).data(M.ID_ROLE)


def test_enter_on_a_row_activates_its_account(qtbot: QtBot, page: PortfolioPage) -> None:
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(1, 0))
    with qtbot.waitSignal(page.account_activated, timeout=1000) as signal:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert signal.args == [_id_at(page, 1)]


def test_double_click_activates_the_account(qtbot: QtBot, page: PortfolioPage) -> None:
    rect = page.table.visualRect(page.proxy.index(2, M.NAME))
    # A real double-click starts with a click; QTest's mouseDClick alone sends no first press.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(page.account_activated, timeout=1000) as signal:
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [_id_at(page, 2)]


def test_switching_store_reloads_and_clears_the_filter(
    qtbot: QtBot, page: PortfolioPage, store: Store
) -> None:
    from renewal_coach.storage.db import open_database

    qtbot.keyClicks(page.filter_edit, "acme")
    other = Store(open_database(":memory:"))
    other.accounts.add(m.Account(name="Zephyr Air"))
    try:
        page.set_store(other)
        assert page.store is other
        assert page.filter_edit.text() == ""
        assert _column(page.proxy) == ["Zephyr Air"]
    finally:
        page.set_store(store)
        other.close()


def test_view_state_round_trips(qtbot: QtBot, page: PortfolioPage) -> None:
    page.table.sortByColumn(M.OWNER, Qt.SortOrder.DescendingOrder)
    state = page.save_view_state()
    page.table.sortByColumn(M.NAME, Qt.SortOrder.AscendingOrder)

    page.restore_view_state(state)

    assert page.table.horizontalHeader().sortIndicatorSection() == M.OWNER
    assert page.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_invalid_index_gives_nothing(model: AccountTableModel) -> None:
    assert model.data(QModelIndex()) is None
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_keyboard_flow_from_the_filter(qtbot: QtBot, page: PortfolioPage) -> None:
    page.focus_filter()
    qtbot.keyClicks(page.filter_edit, "a")  # every account has an "a" somewhere

    with qtbot.waitSignal(page.account_activated, timeout=1000) as signal:
        qtbot.keyClick(page.filter_edit, Qt.Key.Key_Return)
    assert signal.args == [_id_at(page, 0)]

    qtbot.keyClick(page.filter_edit, Qt.Key.Key_Escape)
    assert page.filter_edit.text() == ""

    qtbot.keyClick(page.filter_edit, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    assert page.table.currentIndex().row() == 0


def test_next_renewal_tooltip_says_which_date_it_is(model: AccountTableModel) -> None:
    row = next(r for r in range(model.rowCount()) if model.row_at(r).name == "Bluewater Utilities")
    tip = model.index(row, M.NEXT_RENEWAL).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Ends in 45 days")
    assert "decides on first" in tip and "Decision date" in tip
