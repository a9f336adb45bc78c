"""File ▸ Export Table…: the rows and columns on screen, typed, written off the GUI thread."""

from __future__ import annotations

import csv
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate, QElapsedTimer, Qt, QTimer
from pytestqt.qtbot import QtBot

from renewal_coach.core.lists import STATUS_LABELS
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import load_sample
from renewal_coach.storage.scores import portfolio_scores
from renewal_coach.tables.lists import load_portfolio_table, load_renewals_table
from renewal_coach.tables.table import Column, Table
from renewal_coach.ui.pages.portfolio import AccountTableModel, PortfolioPage
from renewal_coach.ui.pages.renewals.renewals_model import RenewalsModel
from renewal_coach.ui.pages.renewals.renewals_page import RenewalsPage
from renewal_coach.ui.table_export import TableExporter, visible_columns, with_suffix

TODAY = date(2026, 1, 15)
P = AccountTableModel


@pytest.fixture
def sample(store: Store) -> Store:
    load_sample(store, TODAY)
    return store


@pytest.fixture
def portfolio(qtbot: QtBot, sample: Store) -> PortfolioPage:
    page = PortfolioPage(sample, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    page.wait_for_scores()
    qtbot.waitUntil(lambda: page.model.scores_of(page.model.row_at(0).id) is not None)
    return page


@pytest.fixture
def renewals(qtbot: QtBot, sample: Store) -> RenewalsPage:
    page = RenewalsPage()
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.set_scores(portfolio_scores(sample, TODAY), TODAY)
    return page


def _write(qtbot: QtBot, table: Table, path: Path) -> str:
    exporter = TableExporter(today=lambda: TODAY)
    with qtbot.waitSignal(exporter.done, timeout=30_000) as blocker:
        exporter.start(path, table, ("row", "rows"), None)
    return blocker.args[0]


def _xlsx(path: Path) -> tuple[list[str], list[list[openpyxl.cell.Cell]]]:
    rows = list(openpyxl.load_workbook(path).active.iter_rows())
    return [c.value for c in rows[0]], [list(r) for r in rows[1:]]


def _shown(page: PortfolioPage, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> list:
    return [page.proxy.index(r, column).data(role) for r in range(page.proxy.rowCount())]


def test_portfolio_export_is_the_filtered_sorted_rows_and_visible_columns(
    qtbot: QtBot, portfolio: PortfolioPage, tmp_path: Path
) -> None:
    total = portfolio.proxy.rowCount()
    # Filter as a person would: type in the filter box, then pick an owner.
    portfolio.filter_edit.setFocus()
    qtbot.keyClicks(portfolio.filter_edit, "l")
    owner = portfolio.model.row_at(0).owner
    portfolio.set_filters(owner=owner)
    shown = portfolio.proxy.rowCount()
    assert 0 < shown < total
    # Sort by annual value, largest first; move the value column first; hide the industry.
    portfolio.table.sortByColumn(P.ANNUAL_VALUE, Qt.SortOrder.DescendingOrder)
    header = portfolio.table.horizontalHeader()
    header.moveSection(header.visualIndex(P.ANNUAL_VALUE), 0)
    header.setSectionHidden(P.INDUSTRY, True)
    assert visible_columns(header)[:3] == [P.ANNUAL_VALUE, P.NAME, P.OWNER]

    out = tmp_path / "portfolio.xlsx"
    message = _write(qtbot, portfolio.export_table(), out)
    assert message == f"Exported {shown} rows to {out}"
    titles, rows = _xlsx(out)
    assert titles == [
        "Annual value",
        "Currency",
        "Account",
        "Account owner",
        "Next renewal",
        "Segment",
        "Contribution",
        "Renewal risk",
        "Risk score",
        "Engagement",
        "Decision date",
    ]
    assert len(rows) == shown
    # The same accounts in the same order as on screen.
    assert [r[2].value for r in rows] == _shown(portfolio, P.NAME)
    assert {r[3].value for r in rows} == {owner}
    # Money: the numbers behind the text, exactly; dates: real date cells.
    minor = _shown(portfolio, P.ANNUAL_VALUE, P.SORT_ROLE)
    for cells, value in zip(rows, minor, strict=True):
        if value is None:
            assert cells[0].value is None
        else:
            assert cells[0].data_type == "n"
            assert Decimal(str(cells[0].value)) == Decimal(value) / 100
        assert cells[1].value == "GBP" or cells[1].value == "EUR"
    renewals = _shown(portfolio, P.NEXT_RENEWAL, P.SORT_ROLE)
    for cells, day in zip(rows, renewals, strict=True):
        if isinstance(day, QDate):
            assert cells[4].is_date and cells[4].value.date() == day.toPython()
    # On screen each segment has its symbol before the name; the file has the name alone.
    segments = [s.split(" ", 1)[1] for s in _shown(portfolio, P.SEGMENT)]
    assert [r[5].value for r in rows] == segments
    values = [Decimal(str(r[0].value)) for r in rows if r[0].value is not None]
    assert values == sorted(values, reverse=True)


def test_portfolio_page_unfiltered_exports_what_the_cli_writes(
    qtbot: QtBot, portfolio: PortfolioPage, sample: Store
) -> None:
    page_table = portfolio.export_table()
    cli_table = load_portfolio_table(sample, TODAY)
    assert page_table.titles == cli_table.titles
    assert list(page_table.rows) == list(cli_table.rows)


def test_renewals_export_follows_the_search_and_the_columns_shown(
    qtbot: QtBot, renewals: RenewalsPage, sample: Store, tmp_path: Path
) -> None:
    # Unfiltered: the page and `renewal-coach export renewals` give the same table.
    assert list(renewals.export_table().rows) == list(load_renewals_table(sample, TODAY).rows)

    renewals.overdue_check.setChecked(True)
    renewals.search_edit.setText("calder")
    ids = renewals.visible_contract_ids()
    assert ids
    header = renewals.tree.header()
    header.setSectionHidden(RenewalsModel.RISK, True)
    out = tmp_path / "renewals.csv"
    _write(qtbot, renewals.export_table(), out)
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == [
        "Quarter",
        "Anchor date",
        "Account",
        "Reference",
        "Contract",
        "Next milestone",
        "Due",
        "Status",
        "Overdue milestones",
        "Annual value",
        "Currency",
        "Notice deadline",
        "Milestones before tracking",
        "Tracked since",
    ]
    listed = {r.contract_id: r for r in renewals.model.rows()}
    assert [r["Reference"] for r in rows] == [listed[i].reference for i in ids]
    for got, contract_id in zip(rows, ids, strict=True):
        row = listed[contract_id]
        assert "calder" in (got["Account"] + got["Reference"] + got["Contract"]).casefold() or (
            "calder" in got["Next milestone"].casefold()
        )
        assert got["Anchor date"] == row.anchor.isoformat()
        assert got["Status"] == STATUS_LABELS[row.next_status]
        assert got["Due"] == (row.next_due.isoformat() if row.next_due else "")
        assert int(got["Milestones before tracking"]) == row.before_tracking_count
        assert got["Tracked since"] == row.tracked_since.isoformat()
        notice = row.notice_deadline
        assert got["Notice deadline"] == (notice.isoformat() if notice else "")


def test_save_dialog_suffix_follows_the_chosen_format() -> None:
    assert with_suffix("/tmp/list", "CSV, comma-separated, UTF-8 (*.csv)") == Path("/tmp/list.csv")
    assert with_suffix("/tmp/list", "Excel workbook (*.xlsx)") == Path("/tmp/list.xlsx")
    assert with_suffix("/tmp/list.CSV", "Excel workbook (*.xlsx)") == Path("/tmp/list.CSV")
    assert with_suffix("/tmp/list.txt", "Excel workbook (*.xlsx)") == Path("/tmp/list.txt.xlsx")


def test_a_failed_export_is_explained_and_reported(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "renewal_coach.ui.table_export.show_expected_error",
        lambda _parent, what, err: shown.append(f"{what} {err}"),
    )
    exporter = TableExporter()
    table = Table("T", (Column("a", "A"),), [("x",)])
    with qtbot.waitSignal(exporter.failed, timeout=30_000):
        exporter.start(tmp_path / "missing" / "t.xlsx", table, ("row", "rows"), None)
    assert "could not be exported" in shown[0] and "does not exist" in shown[0]


def test_a_large_table_is_written_while_the_window_keeps_responding(
    qtbot: QtBot, tmp_path: Path
) -> None:
    columns = (
        Column("name", "Account"),
        Column("ends", "Ends", "date"),
        Column("value", "Value", "money"),
        Column("currency", "Currency"),
    )
    rows = [(f"Account {i}", date(2027, 1, 1), Decimal(i) / 100, "GBP") for i in range(20_000)]
    table = Table("Big", columns, rows)
    exporter = TableExporter()
    gaps: list[int] = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setInterval(10)

    def tick() -> None:
        gaps.append(clock.restart())

    timer.timeout.connect(tick)
    started = time.perf_counter()
    clock.start()
    timer.start()
    with qtbot.waitSignal(exporter.done, timeout=60_000):
        exporter.start(tmp_path / "big.xlsx", table, ("row", "rows"), None)
    timer.stop()
    took = time.perf_counter() - started
    # The event loop kept turning all along: many timer ticks, none held up for long.
    assert len(gaps) > 10, (len(gaps), took)
    assert max(gaps) < 1000, max(gaps)
    print(f"wrote 20,000 rows in {took:.2f} s; longest pause of the event loop {max(gaps)} ms")


def test_file_menu_export_table_works_on_the_two_lists_only(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from renewal_coach.app import DatabaseOpener, Locations
    from renewal_coach.ui.main_window import MainWindow
    from renewal_coach.ui.settings import Settings

    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    win = MainWindow(opener.open_sample(), settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    try:
        file_menu = win.menuBar().actions()[0].menu()
        assert win.export_table_action in file_menu.actions()
        asked: list[Path] = []
        target = tmp_path / "out.xlsx"
        win.table_exports.ask_path = lambda _parent, suggested: asked.append(suggested) or target

        win.show_portfolio()
        win.portfolio.wait_for_scores()
        assert win.export_table_action.isEnabled()
        with qtbot.waitSignal(win.table_exports.done, timeout=30_000):
            win.export_table_action.trigger()
        shown = win.portfolio.proxy.rowCount()
        assert asked[0].name.startswith("Portfolio ") and asked[0].suffix == ".xlsx"
        assert win.statusBar().currentMessage() == f"Exported {shown} accounts to {target}"
        assert len(_xlsx(target)[1]) == shown

        win.show_renewals()
        assert win.export_table_action.isEnabled()
        target = tmp_path / "renewals.csv"
        with qtbot.waitSignal(win.table_exports.done, timeout=30_000):
            win.export_table_action.trigger()
        count = len(win.renewals.visible_contract_ids())
        assert win.statusBar().currentMessage() == f"Exported {count} contracts to {target}"

        win.show_insights()
        assert not win.export_table_action.isEnabled()
    finally:
        win.table_exports.wait()
        win.store.close()
