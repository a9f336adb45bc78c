"""The insights page and the chart view under it: drawn only when shown, points found in pixels,
and a click on a point explaining its account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from renewal_coach.core.scoring.portfolio import AccountScores
from renewal_coach.export.chart_data import virtual_line_positions
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import load_sample
from renewal_coach.storage.scores import portfolio_scores
from renewal_coach.ui.pages.insights import InsightsPage
from renewal_coach.ui.widgets.chart_view import ChartView

TODAY = date(2026, 1, 15)


@pytest.fixture
def scores(store: Store) -> dict[str, AccountScores]:
    load_sample(store, TODAY)
    return portfolio_scores(store, TODAY)


@pytest.fixture
def page(qtbot: QtBot, scores: dict[str, AccountScores]) -> InsightsPage:
    widget = InsightsPage()
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.set_scores(scores, TODAY)
    return widget


def _drawn(qtbot: QtBot, chart: ChartView) -> None:
    qtbot.waitUntil(lambda: chart.is_built and not chart.is_stale)


def _click(chart: ChartView, key: str) -> None:
    pos = chart.widget_position(key)
    assert pos is not None
    QTest.mouseClick(chart.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)


def _id(scores: dict[str, AccountScores], prefix: str) -> str:
    return next(k for k, s in scores.items() if s.name.startswith(prefix))


# ---- the page ----------------------------------------------------------------------------------


def test_charts_are_drawn_only_when_their_tab_is_first_shown(
    qtbot: QtBot, page: InsightsPage
) -> None:
    assert not any(chart.is_built for chart in page.charts)
    page.show()
    qtbot.waitExposed(page)
    _drawn(qtbot, page.virtual_line)
    assert not page.engagement.is_built
    assert not page.horizon.is_built
    page.tabs.setCurrentIndex(InsightsPage.HORIZON)
    _drawn(qtbot, page.horizon)
    assert not page.engagement.is_built


def test_new_scores_redraw_the_chart_on_screen_and_mark_the_others_stale(
    qtbot: QtBot, page: InsightsPage, scores: dict[str, AccountScores]
) -> None:
    page.show()
    _drawn(qtbot, page.virtual_line)
    page.tabs.setCurrentIndex(InsightsPage.ENGAGEMENT)
    _drawn(qtbot, page.engagement)
    shown_before = page.engagement.figure
    hidden_before = page.virtual_line.figure

    fewer = dict(list(scores.items())[:10])
    page.set_scores(fewer, TODAY)
    assert page.engagement.figure is not shown_before, "the visible chart is redrawn at once"
    assert not shown_before.axes, "the old figure is cleared, not left in memory"
    assert page.virtual_line.is_stale and page.virtual_line.figure is hidden_before
    assert {k for k, *_ in page.engagement.points} <= set(fewer)

    page.tabs.setCurrentIndex(InsightsPage.VIRTUAL_LINE)
    _drawn(qtbot, page.virtual_line)
    assert page.virtual_line.figure is not hidden_before


def test_clicking_a_point_explains_the_account_and_open_account_emits_its_id(
    qtbot: QtBot, page: InsightsPage, scores: dict[str, AccountScores]
) -> None:
    page.show()
    page.tabs.setCurrentIndex(InsightsPage.ENGAGEMENT)
    _drawn(qtbot, page.engagement)
    assert not page.details.open_button.isEnabled()
    calderbrook = _id(scores, "Calderbrook")

    _click(page.engagement, calderbrook)
    details = page.details
    assert details.title.text() == "Calderbrook Logistics plc"
    assert details.segment.text() == "Treasure, ranked 1"
    assert details.contribution.text() == "£2,450,000"
    assert "of our effort for 23.4% of value" in details.shares.text()
    assert "neglect alert" in details.shares.text()
    assert details.risk.text().startswith("■ High")
    assert details.engagement.text() == "▽ Neglect"
    assert page.engagement.highlighted == calderbrook
    assert page.virtual_line.highlighted == calderbrook, "ringed on every chart"

    with qtbot.waitSignal(page.account_activated) as opened:
        qtbot.mouseClick(details.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [calderbrook]


def test_a_horizon_bubble_shows_its_account_and_contract(
    qtbot: QtBot, page: InsightsPage, scores: dict[str, AccountScores]
) -> None:
    page.show()
    page.tabs.setCurrentIndex(InsightsPage.HORIZON)
    _drawn(qtbot, page.horizon)
    owner = {c.contract.id: s for s in scores.values() for c in s.contracts}
    key = page.horizon.points[len(page.horizon.points) // 2][0]
    _click(page.horizon, key)
    account = owner[key]
    contract = next(c.contract for c in account.contracts if c.contract.id == key)
    assert page.selected_account_id == account.account_id
    assert page.details.title.text() == account.name
    assert page.details.contract.text().startswith(f"{contract.reference} – {contract.title}")
    assert page.horizon.highlighted == key
    with qtbot.waitSignal(page.account_activated) as opened:
        page.details.open_button.click()
    assert opened.args == [account.account_id]


def test_virtual_line_points_sit_on_the_tops_of_the_bars(
    qtbot: QtBot, page: InsightsPage, scores: dict[str, AccountScores]
) -> None:
    page.show()
    _drawn(qtbot, page.virtual_line)
    bars = {
        round(p.get_x() + p.get_width() / 2, 6): p.get_y() + p.get_height()
        for p in page.virtual_line.figure.axes[0].patches
    }
    hits = virtual_line_positions(scores)
    assert len(hits) == len(bars) == len([s for s in scores.values() if s.segment.extra["rank"]])
    for _key, x, y in hits:
        assert bars[round(x, 6)] == pytest.approx(y)


def test_hovering_a_bar_names_the_account(
    qtbot: QtBot, page: InsightsPage, scores: dict[str, AccountScores]
) -> None:
    page.show()
    chart = page.virtual_line
    _drawn(qtbot, chart)
    halden = _id(scores, "Halden")
    x, y = chart.display_position(halden)
    # A bar is a target over its whole height, not only at its top.
    assert chart.hit_test(x + 2, y / 2) == halden
    text = next(t for k, _x, _y, t in chart.points if k == halden)
    assert text.startswith("Halden Water Services Ltd: contribution £1,500,000")


def test_an_empty_portfolio_shows_the_charts_own_message(qtbot: QtBot) -> None:
    page = InsightsPage()
    qtbot.addWidget(page)
    page.set_scores({}, TODAY)
    page.show()
    for index, chart in enumerate(page.charts):
        page.tabs.setCurrentIndex(index)
        _drawn(qtbot, chart)
        assert chart.points == []
        texts = [t.get_text() for ax in chart.figure.axes for t in ax.texts]
        assert any(t.startswith("No ") for t in texts), texts
        assert chart.hit_test(100, 100) is None
        assert chart.caption.text() == ""
    assert page.details.title.text() == "No account chosen"


# ---- the chart view on its own -----------------------------------------------------------------


def _dated_figure():  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.add_subplot()
    ax.scatter([date(2026, 3, 1), date(2026, 9, 1), date(2027, 3, 1)], [10, 50, 90])
    ax.set_ylim(0, 100)
    return fig


POINTS = [
    ("a", date(2026, 3, 1), 10, "first"),
    ("b", date(2026, 9, 1), 50, "second"),
    ("c", date(2027, 3, 1), 90, "third"),
]


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[ChartView]:
    widget = ChartView(_dated_figure, POINTS, name="Test chart")
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    yield widget


def test_a_chart_view_finds_dated_points_in_pixels(qtbot: QtBot, view: ChartView) -> None:
    assert not view.is_built
    view.show()
    _drawn(qtbot, view)
    ax = view.figure.axes[0]
    from matplotlib.dates import date2num

    for key, day, value, _text in POINTS:
        x, y = view.display_position(key)
        expected = ax.transData.transform((date2num(day), value))
        assert (x, y) == pytest.approx(tuple(expected))
        assert view.hit_test(x + 5, y + 5) == key  # within 8 pixels
        assert view.hit_test(x + 12, y) is None
    clicked = []
    view.point_clicked.connect(clicked.append)
    _click(view, "b")
    QTest.mouseClick(view.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    assert clicked == ["b"], "a click away from every point does nothing"


def test_a_chart_view_keeps_positions_right_after_a_resize(qtbot: QtBot, view: ChartView) -> None:
    view.show()
    _drawn(qtbot, view)
    before = view.display_position("c")
    view.resize(900, 600)
    qtbot.waitUntil(lambda: view.canvas.width() == 900)
    after = view.display_position("c")
    assert after != before
    assert view.hit_test(*after) == "c"


def test_a_new_figure_replaces_the_canvas_and_frees_the_old_figure(
    qtbot: QtBot, view: ChartView
) -> None:
    view.show()
    _drawn(qtbot, view)
    old_canvas, old_figure = view.canvas, view.figure
    view.highlight("a")
    view.set_figure(_dated_figure, POINTS[1:])
    assert view.canvas is not old_canvas and view.figure is not old_figure
    assert old_figure.axes == []
    assert old_canvas.isHidden()
    assert view.hit_test(*view.display_position("b")) == "b"
    assert view.display_position("a") is None
    assert view._rings == [], "the ring goes with a point that is no longer drawn"
    view.highlight("c")
    assert len(view._rings) == 2


@pytest.mark.qt_log_ignore("does not support raise")  # the tooltip, offscreen
def test_a_chart_view_steps_through_points_with_the_keyboard(qtbot: QtBot, view: ChartView) -> None:
    view.show()
    _drawn(qtbot, view)
    hovered, clicked = [], []
    view.point_hovered.connect(hovered.append)
    view.point_clicked.connect(clicked.append)
    view.canvas.setFocus()
    QTest.keyClick(view.canvas, Qt.Key.Key_Right)
    QTest.keyClick(view.canvas, Qt.Key.Key_Right)
    assert hovered == ["a", "b"]
    assert view.highlighted == "b"
    assert view.caption.text() == "second"
    QTest.keyClick(view.canvas, Qt.Key.Key_End)
    QTest.keyClick(view.canvas, Qt.Key.Key_Return)
    assert clicked == ["c"]


def test_portfolio_and_insights_show_the_same_next_renewal_for_every_account(
    qtbot: QtBot, store: Store, page: InsightsPage, scores: dict[str, AccountScores]
) -> None:
    from PySide6.QtCore import QDate, QLocale

    from renewal_coach.storage.queries import account_rows
    from renewal_coach.ui.pages.portfolio import AccountTableModel

    model = AccountTableModel()
    model.set_rows(account_rows(store, TODAY), TODAY)
    locale = QLocale()
    compared = differs = 0
    for row in range(model.rowCount()):
        account_id = model.index(row, 0).data(AccountTableModel.ID_ROLE)
        if account_id not in scores:
            continue
        on_portfolio = model.index(row, AccountTableModel.NEXT_RENEWAL).data()
        page.show_details(account_id)
        on_insights = page.details.renewal.text()
        if on_portfolio == "—":
            assert "No live contract" in on_insights, on_insights
            continue
        assert on_insights.endswith(f" ends {on_portfolio}"), (on_insights, on_portfolio)
        compared += 1
        # The customer's decision has its own name and row.
        anchor = scores[account_id].primary.campaign.anchor
        decision = page.details.decision.text()
        assert decision.startswith(locale.toString(QDate(anchor), "d MMM yyyy"))
        differs += decision.split(" (")[0] != on_portfolio
    assert compared >= 20
    assert differs >= 1  # the sample has decisions before the end date: two dates, two names
