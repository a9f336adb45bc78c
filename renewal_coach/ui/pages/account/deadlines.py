"""The deadlines of the contract chosen on the account page, under its Contracts tab."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ...widgets.deadlines import ContractDeadlines
from .records_tab import RecordsTab


def add_deadlines_to(tab: RecordsTab, today: Callable[[], date]) -> ContractDeadlines:
    """Put the five deadlines of the selected contract under ``tab``'s table, kept in step
    with the selection and with every reload of the list."""
    panel = ContractDeadlines()
    panel.setAccessibleName(tab.tr("Deadlines of the selected contract"))
    tab.layout().addWidget(panel)

    def show(*_: object) -> None:
        panel.show_contract(tab.selected_record(), today())

    tab.selected.connect(show)
    # The current row can change before the selection follows (a click, selectRow).
    tab.table.selectionModel().selectionChanged.connect(show)
    tab.model.modelReset.connect(show)
    return panel
