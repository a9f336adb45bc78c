"""Totals under the portfolio list: per currency, the value shown and its split by risk band;
money of different currencies never added together nor sorted as one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.core.lists import money_key
from renewal_coach.core.money import format_money
from renewal_coach.core.totals import NO_BAND, RISK_BANDS, value_totals
from renewal_coach.storage.queries import LIVE_STATUSES, AccountRow
from renewal_coach.storage.repository import Store
from renewal_coach.ui.pages.portfolio import AccountTableModel, PortfolioPage
from renewal_coach.ui.pages.portfolio_totals import share

M = AccountTableModel
TODAY = date(2026, 1, 15)


# ---- the arithmetic ------------------------------------------------------------------------------


def test_totals_are_per_currency_and_the_bands_add_up() -> None:
    totals = value_totals(
        [
            ("GBP", 100_00, "low"),
            ("EUR", 5_000_00, "high"),
            ("GBP", 250_00, "high"),
            ("gbp", 1, None),  # not scored: counted, under no band
            ("JPY", 70_000, "elevated"),
            ("GBP", None, "low"),  # no value: adds nothing
            ("EUR", 7, "unknown-band"),
        ]
    )
    assert [t.currency for t in totals] == ["EUR", "GBP", "JPY"]
    eur, gbp, jpy = totals
    assert gbp.total_minor == 100_00 + 250_00 + 1
    assert gbp.by_band == {"low": 100_00, "guarded": 0, "elevated": 0, "high": 250_00, "": 1}
    assert gbp.accounts == 3
    assert eur.total_minor == 5_000_07
    assert eur.by_band[NO_BAND] == 7
    assert jpy.total_minor == 70_000
    for total in totals:
        assert sum(total.by_band.values()) == total.total_minor


def test_amounts_must_be_integer_minor_units() -> None:
    with pytest.raises(TypeError):
        value_totals([("GBP", 1.5, "low")])  # type: ignore[list-item]


def test_share_rounds_half_up_and_survives_zero() -> None:
    assert share(1, 3) == 33
    assert share(1, 8) == 13  # 12.5 → 13
    assert share(0, 0) == 0
    assert share(5, 5) == 100


# ---- sorting money -----------------------------------------------------------------------------


def _row(name: str, currency: str, value: int | None) -> AccountRow:
    return AccountRow(
        id=f"id-{name}",
        name=name,
        industry="",
        owner="",
        currency=currency,
        next_renewal=None,
        annual_value_minor=value,
    )


def test_value_sorts_by_currency_then_amount_never_across_currencies() -> None:
    model = AccountTableModel()
    # 900,000 yen is a number larger than 50,000.00 pounds in minor units, and smaller in money.
    model.set_rows(
        [
            _row("Yen big", "JPY", 900_000),
            _row("Pound big", "GBP", 50_000_00),
            _row("Pound small", "GBP", 10_00),
            _row("Euro", "EUR", 20_000_00),
            _row("Nothing", "GBP", None),
        ],
        TODAY,
    )
    model.sort(M.ANNUAL_VALUE, Qt.SortOrder.AscendingOrder)
    names = [model.row_at(r).name for r in range(model.rowCount())]
    assert names == ["Euro", "Pound small", "Pound big", "Yen big", "Nothing"]
    model.sort(M.ANNUAL_VALUE, Qt.SortOrder.DescendingOrder)
    names = [model.row_at(r).name for r in range(model.rowCount())]
    assert names == ["Yen big", "Pound big", "Pound small", "Euro", "Nothing"]
    # The sort role still gives the amount itself, in minor units.
    assert model.data(model.index(0, M.ANNUAL_VALUE), M.SORT_ROLE) == 900_000
    assert money_key("gbp", None) is None
    assert money_key("gbp", 5) == ("GBP", 5)


# ---- the page ------------------------------------------------------------------------------


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[Store]:
    store = DatabaseOpener(Locations.in_folder(tmp_path / "data")).open_sample()
    yield store
    store.close()


@pytest.fixture
def page(qtbot: QtBot, sample: Store) -> PortfolioPage:
    page = PortfolioPage(sample)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    page.wait_for_scores()
    qtbot.waitUntil(lambda: page.model.scores_of(page.model.row_at(0).id) is not None)
    return page


def _hand_totals(store: Store, page: PortfolioPage) -> dict[str, dict[str, int]]:
    """Per currency and risk band, summed straight from the contracts of the accounts shown."""
    live = {s.value for s in LIVE_STATUSES}
    shown = set(page.visible_account_ids())
    accounts = {a.id: a for a in store.accounts.all()}
    sums: dict[str, dict[str, int]] = {}
    for contract in store.contracts.all():
        if contract.account_id not in shown or contract.annual_value_minor is None:
            continue
        if str(getattr(contract.status, "value", contract.status)) not in live:
            continue
        summary = page.model.scores_of(contract.account_id)
        band = (summary.risk_band if summary else None) or NO_BAND
        currency = accounts[contract.account_id].currency
        per_band = sums.setdefault(currency, dict.fromkeys((*RISK_BANDS, NO_BAND), 0))
        per_band[band] += contract.annual_value_minor
    return sums


def _page_totals(page: PortfolioPage) -> dict[str, dict[str, int]]:
    return {t.currency: dict(t.by_band) for t in page.totals.totals}


def test_totals_follow_the_filters_and_equal_a_hand_sum(
    qtbot: QtBot, page: PortfolioPage, sample: Store
) -> None:
    assert page.totals.isVisible()
    everything = _page_totals(page)
    assert everything == _hand_totals(sample, page)
    assert len(everything) >= 2, "the sample holds more than one currency"
    # What the page shows is those numbers, each in its own currency.
    text = page.totals.label.text()
    for total in page.totals.totals:
        assert format_money(total.total_minor, total.currency) in text
        assert total.total_minor == sum(total.by_band.values())

    # A risk filter: all the value then sits in that band.
    page.set_filters(risk="high")
    high = _page_totals(page)
    assert high == _hand_totals(sample, page)
    assert high, "the sample has high-risk accounts"
    for per_band in high.values():
        assert sum(per_band.values()) == per_band["high"]

    # Typing in the filter box, as a person would: the totals follow each keystroke.
    page.set_filters()
    page.filter_edit.setFocus()
    qtbot.waitUntil(lambda: page.filter_edit.hasFocus())
    from PySide6.QtWidgets import QApplication

    owner = page.model.row_at(0).owner
    qtbot.keyClicks(QApplication.focusWidget(), owner.split()[0])
    assert 0 < page.proxy.rowCount() < page.model.rowCount()
    assert _page_totals(page) == _hand_totals(sample, page)
    assert _page_totals(page) != everything

    # Nothing shown: no totals.
    qtbot.keyClicks(QApplication.focusWidget(), "zzzz-no-such-account")
    assert page.proxy.rowCount() == 0
    assert not page.totals.isVisible()


def test_an_account_in_another_currency_gets_its_own_line(qtbot: QtBot, store: Store) -> None:
    for name, currency, value in (("Alpha", "GBP", 1_000_00), ("Beta", "EUR", 2_000_00)):
        account = store.accounts.add(m.Account(name=name, currency=currency))
        store.contracts.add(
            m.Contract(
                account_id=account.id,
                title="Services",
                reference="C1",
                start_date=date(2025, 1, 1),
                end_date=date(2027, 1, 1),
                annual_value_minor=value,
            )
        )
    page = PortfolioPage(store, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.show()
    page.wait_for_scores()
    totals = {t.currency: t.total_minor for t in page.totals.totals}
    assert totals == {"EUR": 2_000_00, "GBP": 1_000_00}
    assert "€2,000" in page.totals.label.text()
    assert "£1,000" in page.totals.label.text()
    assert "£3,000" not in page.totals.label.text()


def test_many_currencies_never_widen_the_window(qtbot: QtBot, store: Store) -> None:
    currencies = ("GBP", "EUR", "USD", "CHF", "SEK", "JPY")
    for i, currency in enumerate(currencies):
        account = store.accounts.add(m.Account(name=f"A{i}", currency=currency))
        store.contracts.add(
            m.Contract(
                account_id=account.id,
                title="Services",
                reference="C1",
                start_date=date(2025, 1, 1),
                end_date=date(2027, 1, 1),
                annual_value_minor=123_456_789_00,
            )
        )
    page = PortfolioPage(store, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(600, 500)
    page.show()
    qtbot.waitExposed(page)
    page.wait_for_scores()
    assert [t.currency for t in page.totals.totals] == sorted(currencies)
    # The lines scroll sideways rather than force a wider window, and none is cut off.
    assert page.totals.minimumSizeHint().width() < 400
    assert page.totals.label.width() >= page.totals.label.sizeHint().width()
    scroll = page.totals.scroll
    qtbot.waitUntil(lambda: scroll.horizontalScrollBar().maximum() > 0)
    assert scroll.height() >= page.totals.label.sizeHint().height()
