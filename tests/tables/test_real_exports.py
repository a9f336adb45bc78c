"""Files as Salesforce, HubSpot, Dynamics 365 and European and US spreadsheets really write them.

Each test here failed against the first importer: title blocks above the header, report footers,
Excel's "sep=" line, Dynamics' hidden columns and currency names, and the like.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from renewal_coach.storage.repository import Store
from renewal_coach.tables.importer import prepare, run_import
from renewal_coach.tables.sources import open_table

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 12, 7)


def imp(store: Store, path: Path, **kw):
    dry = kw.pop("dry_run", False)
    return run_import(store, prepare(path, **kw), dry_run=dry, today=TODAY)


@pytest.fixture
def uk_book(store: Store) -> Store:
    """The accounts a UK team keeps in Salesforce."""
    plan, _ = imp(store, DATA / "salesforce_accounts_uk.csv")
    assert plan.counts["created"] == 3
    return store


# ---- Salesforce formatted (XLSX) report: title block above the header ------------------------


def test_header_row_is_found_below_a_report_title_block() -> None:
    table = open_table(DATA / "salesforce_contracts_formatted.xlsx")
    assert table.header_row == 11
    assert table.headers[1:3] == ["Contract Number", "Account Name"]
    assert any("row 11" in w for w in table.warnings)
    first_number, first = next(table.rows())
    assert first_number == 12 and first[1] == "00000101"


def test_title_lines_above_a_csv_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text(
        "Contracts renewing next year\nRun by Priya Raman on 07/12/2026\n\n"
        "Contract Number,Account Name,Start Date,End Date\n"
        "C-1,Calder Freight Ltd,01/04/2024,31/03/2027\n",
        encoding="utf-8",
    )
    table = open_table(path)
    assert table.headers == ["Contract Number", "Account Name", "Start Date", "End Date"]
    assert [n for n, _ in table.rows()] == [5]


def test_title_lines_of_a_file_in_another_language(tmp_path: Path) -> None:
    path = tmp_path / "de.csv"
    path.write_text(
        "Verträge\nKunde;Nummer;Beginn;Ende\nMüller;DE-1;01.07.2024;30.06.2027\n",
        encoding="utf-8",
    )
    table = open_table(path)  # no name recognised: the first row as wide as the table
    assert table.delimiter == ";"
    assert table.headers == ["Kunde", "Nummer", "Beginn", "Ende"] and table.header_row == 2


def test_a_mapping_names_the_header_row_when_widths_cannot_tell(tmp_path: Path) -> None:
    path = tmp_path / "de.csv"
    path.write_text(
        "Verträge;Stand 07.12.2026\nKunde;Nummer;Beginn\nMüller;DE-1;01.07.2024\n",
        encoding="utf-8",
    )
    assert open_table(path).header_row == 1
    table = open_table(path, header_names=["Kunde", "Nummer", "Beginn"])
    assert table.headers == ["Kunde", "Nummer", "Beginn"] and table.header_row == 2


def test_formatted_report_imports_its_contracts(uk_book: Store) -> None:
    plan, _ = imp(uk_book, DATA / "salesforce_contracts_formatted.xlsx")
    assert plan.kind == "contracts"
    assert plan.counts["created"] == 2
    refs = {c.reference for c in uk_book.contracts.all()}
    assert refs == {"00000101", "00000102"}
