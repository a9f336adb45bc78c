"""A contract's deadlines show wherever the contract does, computed ones included (issue 15)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from renewal_coach.core import models as m
from renewal_coach.storage.repository import Store
from renewal_coach.storage.scores import portfolio_scores
from renewal_coach.ui.dialogs.contract_deadlines import attach_deadline_preview
from renewal_coach.ui.dialogs.record_form import RecordForm
from renewal_coach.ui.pages.account.account_page import AccountPage
from renewal_coach.ui.pages.renewals.renewals_model import RenewalsModel
from renewal_coach.ui.pages.renewals.renewals_page import RenewalsPage
from renewal_coach.ui.text import show_date

TODAY = date(2026, 11, 2)


@pytest.fixture
def contracts(store: Store) -> dict[str, m.Contract]:
    """One account with a contract whose notice deadline is only a period (the end date less
    90 days, 30 days from today), and one that states it (long past the near window)."""
    account = store.accounts.add(m.Account(name="Fernhill Water", owner="Priya Shah"))
    near = store.contracts.add(
        m.Contract(
            account_id=account.id,
            title="Metering",
            reference="FW-1",
            start_date=date(2023, 3, 1),
            end_date=TODAY + timedelta(days=120),
            notice_period_days=90,
            extension_months=12,
            extension_exercise_by=TODAY + timedelta(days=60),
            decision_date=TODAY + timedelta(days=100),
        )
    )
    far = store.contracts.add(
        m.Contract(
            account_id=account.id,
            title="Leak detection",
            reference="FW-2",
            start_date=date(2025, 1, 1),
            end_date=TODAY + timedelta(days=900),
            notice_deadline=TODAY + timedelta(days=400),
        )
    )
    return {"near": near, "far": far}


def _column(model, header: str) -> int:
    for c in range(model.columnCount()):
        if model.headerData(c, Qt.Orientation.Horizontal) == header:
            return c
    raise AssertionError(f"no column {header!r}")


def test_contracts_tab_shows_the_computed_notice_deadline_marked_near(
    qtbot: QtBot, store: Store, contracts: dict[str, m.Contract]
) -> None:
    page = AccountPage(store, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.show_account(contracts["near"].account_id)
    tab = page.record_tabs[m.Contract]
    model = tab.proxy
    notice = _column(model, "Notice deadline")
    texts = {
        model.index(r, 0).data(): model.index(r, notice).data() for r in range(model.rowCount())
    }
    computed = show_date(TODAY + timedelta(days=30))
    assert texts["FW-1"] == f"{computed} · ⚠ in 30 days"  # was blank: only stated ones showed
    assert texts["FW-2"] == f"{show_date(TODAY + timedelta(days=400))} · in 400 days"

    # Sorted by the date, not by the text ("1 Dec" would sort after "10 Dec" as text).
    tab.table.sortByColumn(notice, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["FW-2", "FW-1"]

    # The selected contract's five deadlines under the list.
    tab.select(contracts["near"].id)
    shown = page.contract_deadlines.strip.texts()
    assert shown["notice"] == (computed, "⚠ in 30 days")
    assert shown["option"] == (show_date(TODAY + timedelta(days=60)), "⚠ in 60 days")
    assert shown["market"][0] == "not set"
    assert shown["end"] == (show_date(TODAY + timedelta(days=120)), "in 120 days")


def test_overview_table_has_the_notice_deadline_with_days_left(
    qtbot: QtBot, store: Store, contracts: dict[str, m.Contract]
) -> None:
    page = AccountPage(store, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.show_account(contracts["near"].account_id)
    model = page.contracts_model
    notice = _column(model, "Notice deadline")
    row = next(r for r in range(model.rowCount()) if model.key(r) == contracts["near"].id)
    assert model.index(row, notice).data().endswith("⚠ in 30 days")
    assert model.index(row, notice).data(model.SORT_ROLE) == TODAY + timedelta(days=30)
    # The selected contract's five deadlines under the table.
    page.contracts.selectRow(row)
    assert page.deadlines.strip.texts()["option"][1] == "⚠ in 60 days"


def test_a_passed_deadline_says_so(qtbot: QtBot, store: Store, contracts: dict[str, m.Contract]):
    later = TODAY + timedelta(days=33)
    page = AccountPage(store, today=lambda: later)
    qtbot.addWidget(page)
    page.show_account(contracts["near"].account_id)
    tab = page.record_tabs[m.Contract]
    notice = _column(tab.proxy, "Notice deadline")
    texts = [tab.proxy.index(r, notice).data() for r in range(tab.proxy.rowCount())]
    assert any(t.endswith("✕ passed 3 days ago") for t in texts)


def test_renewals_list_and_detail_show_the_deadlines(
    qtbot: QtBot, store: Store, contracts: dict[str, m.Contract]
) -> None:
    page = RenewalsPage()
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.set_scores(portfolio_scores(store, TODAY), TODAY)
    source = page.model.index_of(contracts["near"].id, RenewalsModel.NOTICE)
    assert source.data() == f"{show_date(TODAY + timedelta(days=30))} · ⚠ in 30 days"
    assert "end date less 90 days" in source.data(Qt.ItemDataRole.ToolTipRole)
    header = page.tree.header()
    assert header.visualIndex(RenewalsModel.NOTICE) == RenewalsModel.VALUE + 1
    assert header.sectionSize(RenewalsModel.NOTICE) >= page.tree.fontMetrics().horizontalAdvance(
        source.data()
    )
    assert page.select_contract(contracts["near"].id)
    assert page.deadlines.isVisibleTo(page)
    assert page.deadlines.strip.texts()["decision"][1] == "in 100 days"
    assert "FW-1" in page.deadlines.heading.text()


def test_contract_form_works_out_the_notice_deadline_as_you_type(qtbot: QtBot) -> None:
    form = RecordForm(m.Contract)
    qtbot.addWidget(form)
    form.set_record(m.Contract(account_id="a"))
    preview = attach_deadline_preview(form, TODAY)
    assert "No notice deadline yet" in preview.notice.text()
    end = form.editors["end_date"].widget
    period = form.editors["notice_period_days"].widget
    end.setText((TODAY + timedelta(days=200)).isoformat())
    end.textEdited.emit(end.text())
    period.setText("180")
    period.textEdited.emit(period.text())
    expected = show_date(TODAY + timedelta(days=20))
    assert preview.notice.text() == (
        f"Worked out: {expected} · ⚠ in 20 days (the end date less 180 days)."
    )
    assert preview.lines["end_date"].text() == "in 200 days"
    # A stated deadline wins over the period.
    stated = form.editors["notice_deadline"].widget
    stated.setText((TODAY - timedelta(days=1)).isoformat())
    stated.textEdited.emit(stated.text())
    assert preview.notice.text().startswith("Applies: ")
    assert preview.notice.text().endswith("✕ passed yesterday.")
