"""The account overview and the portfolio's score columns, used the way a bid manager would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core import models as m
from renewal_coach.core.enums import InteractionType
from renewal_coach.storage.repository import Store
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.pages.account.account_page import RowsModel
from renewal_coach.ui.pages.portfolio import AccountTableModel
from renewal_coach.ui.settings import WORD_TEMPLATE, Settings
from renewal_coach.ui.text import show_date
from renewal_coach.ui.widgets.bands import TONES_LIGHT


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    store = opener.open_sample()
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win = MainWindow(store, settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.portfolio.wait_for_scores()
    qtbot.waitUntil(lambda: win.portfolio.model.scores_of(_id(win.store, "Halden")) is not None)
    yield win
    win.portfolio.wait_for_scores()
    win.store.close()


def _id(store: Store, prefix: str) -> str:
    return next(a.id for a in store.accounts.all() if a.name.startswith(prefix))


def _row_of(win: MainWindow, account_id: str) -> int:
    proxy = win.portfolio.proxy
    return next(
        r
        for r in range(proxy.rowCount())
        if proxy.index(r, 0).data(AccountTableModel.ID_ROLE) == account_id
    )


def test_portfolio_shows_bands_in_words_and_sorts_on_real_scores(window: MainWindow) -> None:
    proxy = window.portfolio.proxy
    row = _row_of(window, _id(window.store, "Calderbrook"))
    assert proxy.index(row, AccountTableModel.SEGMENT).data() == "★ Treasure"
    assert proxy.index(row, AccountTableModel.RISK).data().startswith("■ High")
    assert proxy.index(row, AccountTableModel.ENGAGEMENT).data() == "▽ Neglect"
    window.portfolio.table.sortByColumn(AccountTableModel.RISK, Qt.SortOrder.DescendingOrder)
    model = window.portfolio.model
    scores = [
        model.scores_of(proxy.index(r, 0).data(AccountTableModel.ID_ROLE)).risk_score
        for r in range(proxy.rowCount())
    ]
    known = [s for s in scores if s is not None]
    assert known == sorted(known, reverse=True)  # on the number, not on the text


def test_open_account_explains_the_scores_and_goes_back(qtbot: QtBot, window: MainWindow) -> None:
    aid = _id(window.store, "Calderbrook")
    window.portfolio.table.setFocus()
    window.portfolio.table.setCurrentIndex(window.portfolio.proxy.index(_row_of(window, aid), 0))
    qtbot.keyClick(window.portfolio.table, Qt.Key.Key_Return)
    page = window.account_page
    assert window.pages.currentWidget() is page
    assert page.title.text() == "Calderbrook Logistics plc"
    assert "High" in page.risk_card.band.text()
    assert "Neglect" in page.engagement_card.band.text()
    assert page.segment_card.band.text() == "★ Treasure"
    assert page.todo_label.text().count("<li>") == 3
    assert "Economic buyer not contacted" in page.warnings_label.text()
    keys = [page.risk_model.key(r) for r in range(page.risk_model.rowCount())]
    assert len(keys) == 10 and "coverage" in keys
    window.back_action.trigger()
    assert window.pages.currentWidget() is window.portfolio


def test_logging_contact_moves_the_engagement_band(window: MainWindow) -> None:
    aid = _id(window.store, "Calderbrook")
    window.open_account(aid)
    assert "Neglect" in window.account_page.engagement_card.band.text()
    for _ in range(8):
        window.store.interactions.add(
            m.Interaction(
                account_id=aid,
                occurred_on=date.today(),
                type=InteractionType.EXECUTIVE_REVIEW,
                purpose="Their plans for the next term",
                brought_value=True,
            )
        )
    window.refresh_action.trigger()
    assert "Neglect" not in window.account_page.engagement_card.band.text()


def test_export_buttons_ask_for_the_selected_contract(window: MainWindow) -> None:
    window.open_account(_id(window.store, "Halden"))
    asked: list[tuple[str, str]] = []
    suggested: list[Path] = []
    window.exports.ask_path = lambda _parent, path: suggested.append(path)  # cancel the dialog
    window.account_page.export_requested.connect(lambda k, c: asked.append((k, c)))
    window.account_page.proposal_button.click()
    kind, contract_id = asked[0]
    assert kind == "proposal"
    assert window.store.contracts.get(contract_id).reference == "HWS-NAM-2022"  # next renewal
    assert "Halden Water Services Ltd - HWS-NAM-2022 - renewal proposal draft" in suggested[0].name


def test_models_pass_the_qt_model_tester(qtbot: QtBot, window: MainWindow) -> None:
    window.open_account(_id(window.store, "Halden"))
    page = window.account_page
    for model in (page.risk_model, page.engagement_model, page.segment_model, page.contracts_model):
        QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    QAbstractItemModelTester(
        window.portfolio.model, QAbstractItemModelTester.FailureReportingMode.Fatal
    )
    empty = RowsModel(["A"])
    QAbstractItemModelTester(empty, QAbstractItemModelTester.FailureReportingMode.Fatal)


def test_template_preference_round_trips(window: MainWindow, tmp_path: Path) -> None:
    from renewal_coach.ui.dialogs.preferences import PreferencesDialog

    dialog = PreferencesDialog("", window)
    dialog.path_edit.setText(str(tmp_path / "missing.docx"))
    assert "no file" in dialog.problem.text()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    real = tmp_path / "company.docx"
    real.write_bytes(b"x")
    dialog.path_edit.setText(str(real))
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    window._settings.set(WORD_TEMPLATE, dialog.template())
    assert window._template_path() == real


def test_decision_date_column_shows_the_campaign_anchor_and_sorts_as_a_date(
    window: MainWindow,
) -> None:
    from datetime import date as _date

    from renewal_coach.storage.scores import account_scores

    model = window.portfolio.model
    halden = _id(window.store, "Halden")
    expected = account_scores(window.store, halden, _date.today()).primary.campaign.anchor
    assert model.scores_of(halden).anchor == expected
    window.portfolio.table.sortByColumn(AccountTableModel.ANCHOR, Qt.SortOrder.AscendingOrder)
    proxy = window.portfolio.proxy
    anchors = [
        model.scores_of(proxy.index(r, 0).data(AccountTableModel.ID_ROLE)).anchor
        for r in range(proxy.rowCount())
    ]
    known = [a for a in anchors if a is not None]
    assert known == sorted(known) and len(known) > 10
    assert anchors[: len(known)] == known  # blanks last


def test_the_page_reuses_the_portfolio_segment_and_gets_the_same_scores(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date as _date

    import renewal_coach.ui.pages.account.account_page as page_module
    from renewal_coach.storage.scores import account_scores

    halden = _id(window.store, "Halden")
    full = account_scores(window.store, halden, _date.today()).to_json()
    calls: list[str] = []
    real = page_module.account_scores
    monkeypatch.setattr(
        page_module, "account_scores", lambda *a, **k: (calls.append("full"), real(*a, **k))[1]
    )
    window.open_account(halden)
    assert calls == []  # the portfolio's ranking was reused, not recomputed
    assert window.account_page.scores.to_json() == full
    # While the portfolio is being rescored the page ranks for itself.
    window.scores.refresh()
    window.account_page.refresh()
    assert calls == ["full"]
    assert window.account_page.scores.to_json() == full


def test_overview_lists_the_campaign_with_history_before_tracking_greyed_and_in_words(
    window: MainWindow,
) -> None:
    # Stourhaven's contract was imported 60 days ago: its older milestones came before tracking.
    aid = _id(window.store, "Stourhaven")
    window.open_account(aid)
    page = window.account_page
    contract = window.store.contracts.for_account(aid)[0]
    camp = next(c.campaign for c in page.scores.contracts if c.contract.id == contract.id)
    before = camp.before_tracking
    assert before, "the sample imports this contract part-way through its term"
    row = next(
        r
        for r in range(page.contracts_model.rowCount())
        if page.contracts_model.key(r) == contract.id
    )
    summary = page.contracts_model.index(row, 8).data()
    assert f"{len(before)} before tracking" in summary
    page.contracts.selectRow(row)

    model = page.milestones_model
    assert model.rowCount() == len(camp.milestones)
    assert show_date(contract.tracked_since) in page.milestones_heading.text()
    grey = QColor(TONES_LIGHT["muted"])  # the tests run in the light scheme
    seen = 0
    for r in range(model.rowCount()):
        status = model.index(r, 1).data()
        colour = model.index(r, 1).data(Qt.ItemDataRole.ForegroundRole)
        if "Before tracking" in status:
            seen += 1
            assert status.startswith("◌") and colour == grey  # greyed, and said in words
        else:
            assert colour != grey
    assert seen == len(before)
    # none of them is counted as overdue
    assert camp.overdue_count == sum(
        1 for r in range(model.rowCount()) if "Overdue" in model.index(r, 1).data()
    )


def test_contract_form_has_tracked_since_among_the_campaign_fields_with_help() -> None:
    from renewal_coach.ui.dialogs.record_form import RecordForm

    form = RecordForm(m.Contract)
    names = list(form.editors)
    assert "tracked_since" in names
    # with the public campaign dates, not under the internal heading at the end
    assert names.index("tracked_since") < names.index("walk_away")
    assert names.index("decision_date") < names.index("tracked_since")
    widget = form.editors["tracked_since"].widget
    assert "before tracking" in widget.toolTip() and "overdue" in widget.toolTip()
    assert widget.accessibleDescription() == widget.toolTip()
    day = date(2025, 3, 1)
    form.set_record(m.Contract(tracked_since=day))
    assert form.record().tracked_since == day.isoformat()  # as typed, for the core to read


def test_tab_leaves_every_table_on_the_account_overview(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QApplication, QTableView

    window.open_account(_id(window.store, "Calderbrook"))
    window.activateWindow()
    page = window.account_page
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.contracts)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not page.contracts  # out of the table in one Tab
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is page.contracts
    # Around the whole window: wherever Tab lands in a table, the next Tab leaves it.
    tables_reached = set()
    for _ in range(80):
        before = QApplication.focusWidget()
        qtbot.keyClick(before, Qt.Key.Key_Tab)
        if isinstance(before, QTableView):
            tables_reached.add(before.accessibleName())
            assert QApplication.focusWidget() is not before, before.accessibleName()
    assert len(tables_reached) >= 2
    # And no table anywhere in the window keeps Tab for its cells.
    trapping = [
        t.accessibleName() or t.objectName()
        for t in window.findChildren(QTableView)
        if t.tabKeyNavigation()
    ]
    assert trapping == []


def test_the_fourth_segment_reads_maintain_with_its_symbol_in_table_filter_and_overview(
    qtbot: QtBot, window: MainWindow
) -> None:
    portfolio = window.portfolio
    proxy = portfolio.proxy
    aid = _id(window.store, "Brabant")  # overridden from Drain to the fourth segment
    assert proxy.index(_row_of(window, aid), AccountTableModel.SEGMENT).data() == "● Maintain"
    shown = {proxy.index(r, AccountTableModel.SEGMENT).data() for r in range(proxy.rowCount())}
    assert not any("Proportionate" in s for s in shown)
    # The filter offers the same words and symbol, and keeps exactly those accounts.
    combo = portfolio.segment_filter
    assert combo.findText("● Maintain") >= 0
    assert combo.findText("● Proportionate") < 0
    combo.setFocus()
    combo.setCurrentIndex(combo.findText("● Maintain"))
    kept = {proxy.index(r, AccountTableModel.SEGMENT).data() for r in range(proxy.rowCount())}
    assert kept == {"● Maintain"}
    assert proxy.rowCount() > 1
    # The overview card of the account says the same, as a person opening it sees it.
    portfolio.table.setFocus()
    portfolio.table.setCurrentIndex(proxy.index(_row_of(window, aid), 0))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.account_page
    assert window.account_page.segment_card.band.text() == "● Maintain"


def test_the_risk_table_shows_every_factor_without_its_own_scroll_bar(
    qtbot: QtBot, window: MainWindow
) -> None:
    aid = _id(window.store, "Calderbrook")
    window.portfolio.table.setFocus()
    window.portfolio.table.setCurrentIndex(window.portfolio.proxy.index(_row_of(window, aid), 0))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    page = window.account_page
    assert window.pages.currentWidget() is page
    table = page.risk_table
    qtbot.waitUntil(lambda: table.isVisible() and page.risk_model.rowCount() == 10)
    last = page.risk_model.rowCount() - 1
    bottom = table.rowViewportPosition(last) + table.rowHeight(last)
    assert table.rowViewportPosition(0) == 0 and bottom <= table.viewport().height()
    assert table.verticalScrollBar().maximum() == 0


def test_no_risk_reading_says_a_bracketed_plural(window: MainWindow) -> None:
    page = window.account_page
    readings = []
    for account in window.store.accounts.all():
        window.open_account(account.id)
        model = page.risk_model
        readings += [model.index(r, 1).data() for r in range(model.rowCount())]
    assert readings and not [r for r in readings if "(s)" in r]
    assert any(" in 12 months" in r for r in readings)


def _shown(model: RowsModel) -> list[list[str]]:
    return [
        [model.index(r, c).data() or "" for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


@pytest.mark.parametrize("prefix", ["Calderbrook", "Halden"])
def test_engagement_why_table_is_a_sum_a_person_can_redo(window: MainWindow, prefix: str) -> None:
    window.open_account(_id(window.store, prefix))
    page = window.account_page
    rows = _shown(page.engagement_model)
    kinds = [r for r in rows if not r[0].startswith("= ")]
    summary = {r[0][2:]: r for r in rows if r[0].startswith("= ")}
    assert kinds, "the sample account has contact in the window"
    total = 0.0
    for _label, how, count, each, points in kinds:
        # the columns multiply: count × points each = points, and the reading says the same
        assert float(count) * float(each) == pytest.approx(float(points))
        assert how == f"{count} × {each} {'point' if each == '1' else 'points'} = {points}"
        total += float(points)
    assert float(summary["Contact points"][4]) == pytest.approx(total)
    intensity = float(summary["Intensity"][4])
    assert intensity == pytest.approx(total / 3, abs=0.005)
    assert f"{summary['Contact points'][4]} ÷ 3 months" in summary["Intensity"][1]
    target = float(summary["Target"][4])
    target_why = summary["Target"][1]
    assert "segment target" in target_why or "stated rhythm" in target_why
    balance = float(summary["Balance"][4])
    assert balance == pytest.approx(intensity / target, abs=0.01)
    # the balance shown is the score the card and the portfolio show, unchanged
    assert balance == pytest.approx(page.scores.engagement.score, abs=0.005)
    assert page.scores.engagement.band_label in summary["Balance"][1]


def test_the_engagement_why_shows_its_whole_target_reason_in_the_default_window(
    qtbot: QtBot, window: MainWindow
) -> None:
    # At the default size the target's reason ran past the column: "…before its anchor 2027-0…".
    window.resize(1000, 700)
    aid = _id(window.store, "Calderbrook")
    window.portfolio.table.setFocus()
    window.portfolio.table.setCurrentIndex(window.portfolio.proxy.index(_row_of(window, aid), 0))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    page = window.account_page
    page.why.setCurrentIndex(1)  # the Engagement tab
    table = page.why.currentWidget()
    assert table.model() is page.engagement_model
    qtbot.waitUntil(lambda: table.isVisible() and page.engagement_model.rowCount() > 0)
    model = page.engagement_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "= Target")
    reason = model.index(row, 1).data()
    assert "renewal run-up" in reason
    metrics = table.fontMetrics()
    assert metrics.horizontalAdvance(reason) > table.columnWidth(1), "the window is narrow"
    # wrapped onto as many lines as it needs, every row in view, no scroll bar of its own
    lines = metrics.boundingRect(
        0, 0, table.columnWidth(1) - 8, 10_000, int(Qt.TextFlag.TextWordWrap), reason
    ).height()
    # a cell wider than its column is drawn whole only when the table wraps it
    assert table.wordWrap(), "the reason would be cut at the column's edge"
    assert table.rowHeight(row) >= lines
    last = model.rowCount() - 1
    assert table.rowViewportPosition(last) + table.rowHeight(last) <= table.viewport().height()
    assert table.verticalScrollBar().maximum() == 0
