"""Opening CSV and XLSX files as CRMs, spreadsheets and careless hands leave them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from renewal_coach.tables import sources
from renewal_coach.tables.sources import TableFileError, open_table

DATA = Path(__file__).parent / "data"


def test_salesforce_export_with_bom_and_crlf() -> None:
    table = open_table(DATA / "salesforce_accounts_uk.csv")
    assert table.headers[0] == "Account Name"  # no BOM left on the first header
    assert table.delimiter == ","
    rows = list(table.rows())
    assert rows[0][0] == 2 and rows[0][1][0] == "Calder Freight Ltd"
    assert rows[2][1][0] == "Harbour, Dock & Co"  # quoted comma kept in one cell


def test_european_file_semicolons_and_windows_encoding() -> None:
    table = open_table(DATA / "european_contracts_cp1252.csv")
    assert table.delimiter == ";"
    assert table.encoding == "Windows-1252"
    assert "Kündigungsfrist" in table.headers
    first = next(table.rows())[1]
    assert first[0] == "Müller Kältetechnik GmbH" and first[6] == "1.250.000,00 €"


def test_tab_separated_utf16_as_excel_saves_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_text("Name\tOwner\nPip & Bloom 🌱\tNoor\n", encoding="utf-16")
    table = open_table(path)
    assert table.delimiter == "\t"
    assert next(table.rows())[1] == ["Pip & Bloom 🌱", "Noor"]


def test_row_numbers_count_records_not_lines(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text('Name,Notes\n"A","line one\nline two"\n\n"B","x"\n', encoding="utf-8")
    numbers = [n for n, _cells in open_table(path).rows()]
    assert numbers == [2, 4]  # the blank line is row 3 in a spreadsheet


def test_duplicate_headers_are_renamed_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "dupes.csv"
    path.write_text("Name,Email,Email\nA,a@x.example,b@x.example\n", encoding="utf-8")
    table = open_table(path)
    assert table.headers == ["Name", "Email", "Email (2)"]
    assert any("Email (2)" in w for w in table.warnings)


def test_row_with_more_cells_than_headers_is_marked(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("Name,Owner\nA,B,stray\nC,D\n", encoding="utf-8")
    rows = list(open_table(path).rows())
    assert sources.is_overflow(rows[0][1][-1])
    assert rows[1][1] == ["C", "D"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "only blank lines"),
        (b"\x00\x01\x02binary\x00junk" * 10, "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-style Excel"),
        (b"PK\x03\x04 not really a workbook", "not a readable Excel workbook"),
        (b"%PDF-1.7\n", "PDF"),
    ],
)
def test_files_that_are_not_tables_get_a_plain_message(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(TableFileError, match=reason):
        open_table(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(TableFileError, match="does not exist"):
        open_table(tmp_path / "nope.csv")
    with pytest.raises(TableFileError, match="folder"):
        open_table(tmp_path)


def test_oversized_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_BYTES", 1000)
    path = tmp_path / "big.csv"
    path.write_text("Name\n" + "x\n" * 1000, encoding="utf-8")
    with pytest.raises(TableFileError, match="Split it"):
        open_table(path)


def test_xlsx_with_real_date_cells_and_a_second_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Companies"
    ws.append(["Record ID", "Company name", "Create Date"])
    ws.append([9001, "Calder Freight Ltd", datetime(2024, 2, 11, 9, 30)])
    ws.append([])
    ws.append([9002, "Harbour, Dock & Co", datetime(2023, 1, 5)])
    book.create_sheet("Notes").append(["ignored"])
    path = tmp_path / "hubspot.xlsx"
    book.save(path)
    table = open_table(path)
    assert table.headers == ["Record ID", "Company name", "Create Date"]
    assert "2 sheets" in table.warnings[0]
    rows = list(table.rows())
    assert [n for n, _ in rows] == [2, 4]
    assert rows[0][1][2] == datetime(2024, 2, 11, 9, 30)
    assert open_table(path, sheet="Notes").headers == ["ignored"]
    with pytest.raises(TableFileError, match="no sheet called"):
        open_table(path, sheet="Deals")


def test_preview_reads_only_what_it_shows(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("Name\n" + "".join(f"Account {i}\n" for i in range(5000)), encoding="utf-8")
    rows = list(open_table(path).rows(limit=10))
    assert len(rows) == 10 and rows[-1][1] == ["Account 9"]
