"""The default window at 1200×760: names, columns and filter choices readable, the rest on hover."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QStyleOptionViewItem, QToolTip
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.ui.main_window import MainWindow, default_window_size
from renewal_coach.ui.pages.portfolio import AccountTableModel
from renewal_coach.ui.settings import Settings


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    store = opener.open_sample()
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win = MainWindow(store, settings, opener)
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    qtbot.waitExposed(win)
    assert win.portfolio.wait_for_scores()
    qtbot.wait(50)
    yield win
    win.portfolio.wait_for_scores()
    win.store.close()


@pytest.mark.parametrize(
    ("screen", "smallest"),
    [
        ((1366, 728), (1200, 680)),
        ((800, 600), (750, 560)),
        ((1920, 1040), (1600, 880)),
        ((3840, 2100), (1600, 1000)),
    ],
)
def test_default_size_comes_from_the_screen(screen, smallest) -> None:
    size = default_window_size(*screen)
    assert size.width() <= screen[0] and size.height() <= screen[1]
    assert size.width() >= smallest[0] and size.height() >= smallest[1]


def test_filter_choices_read_whole_at_the_default_size(window: MainWindow) -> None:
    page = window.portfolio
    for combo in (page.segment_filter, page.risk_filter, page.engagement_filter):
        metrics = combo.fontMetrics()
        widest = max(metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
        assert combo.width() >= widest + 16, combo.accessibleName()


def test_names_fit_and_no_column_falls_off_at_the_default_size(
    qtbot: QtBot, window: MainWindow
) -> None:
    table = window.portfolio.table
    header = table.horizontalHeader()
    assert table.horizontalScrollBar().maximum() == 0, "every column is in view"
    metrics = table.fontMetrics()
    model = window.portfolio.model
    names = [model.display_text(r, AccountTableModel.NAME) for r in range(model.rowCount())]
    # the most important column keeps its names whole; industry and owner give way first
    widest = max(metrics.horizontalAdvance(n) for n in names)
    name = header.sectionSize(AccountTableModel.NAME)
    assert name >= 150
    if name < widest:  # only once the text columns that elide well are at their floor
        for column in (AccountTableModel.INDUSTRY, AccountTableModel.OWNER):
            assert header.sectionSize(column) == max(90, header.sectionSizeHint(column))
    for column in range(model.columnCount()):
        # no heading is cut ("Account owne")
        assert header.sectionSize(column) >= header.sectionSizeHint(column), column
    # wider, and the names get the room back first
    window.resize(1500, 900)
    qtbot.waitUntil(lambda: header.sectionSize(AccountTableModel.NAME) >= widest)
    for column in (AccountTableModel.RISK, AccountTableModel.ENGAGEMENT):
        for r in range(model.rowCount()):
            text = model.display_text(r, column)
            assert header.sectionSize(column) >= metrics.horizontalAdvance(text) + 8, text


@pytest.mark.qt_log_ignore("does not support raise")
def test_a_cut_cell_shows_its_whole_text_on_hover(qtbot: QtBot, window: MainWindow) -> None:
    table = window.portfolio.table
    header = table.horizontalHeader()
    header.resizeSection(AccountTableModel.INDUSTRY, 40)  # the person drags it narrow
    proxy = window.portfolio.proxy
    row = next(
        r
        for r in range(proxy.rowCount())
        if len(proxy.index(r, AccountTableModel.INDUSTRY).data() or "") > 8
    )
    index = proxy.index(row, AccountTableModel.INDUSTRY)
    rect = table.visualRect(index)
    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.rect = rect
    option.widget = table
    event = QHelpEvent(
        QEvent.Type.ToolTip, rect.center(), table.viewport().mapToGlobal(rect.center())
    )
    assert table.itemDelegate().helpEvent(event, table, option, index)
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    assert QToolTip.text().startswith(index.data())
    # with room for its text, the cell has no tooltip of its own (the model gives none)
    QToolTip.hideText()
    header.resizeSection(AccountTableModel.INDUSTRY, 400)
    option.rect = table.visualRect(index)
    centre = option.rect.center()
    again = QHelpEvent(QEvent.Type.ToolTip, centre, table.viewport().mapToGlobal(centre))
    assert not table.itemDelegate().helpEvent(again, table, option, index)
