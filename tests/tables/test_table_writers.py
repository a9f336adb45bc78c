"""CSV and XLSX writers: typed cells, formula-safe text, hostile names, whole files or none."""

from __future__ import annotations

import csv
import gc
import sys
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from renewal_coach.fileio import FileWriteError
from renewal_coach.tables.table import Column, Table
from renewal_coach.tables.writers import (
    UnsupportedFormat,
    format_for,
    neutralise,
    write_csv,
    write_table,
    write_xlsx,
)

COLUMNS = (
    Column("name", "Account"),
    Column("ends", "Ends", "date"),
    Column("value", "Annual value", "money"),
    Column("currency", "Currency"),
    Column("count", "Contracts", "int"),
    Column("ratio", "Share", "number"),
)

HOSTILE = [
    "=cmd|' /C calc'!A0",
    "=1+1",
    "@SUM(A1:A2)",
    "+cmd|' /C notepad'!A0",
    "-2+3+A1",
    "\t=1+1",
    "\r=1+1",
    'Zoë\'s 🚀 "Rocket", Ltd',
    "first line\nsecond, line",
    "مستشفى الأمل",  # right-to-left text
    "שלום, עולם",
    '"quoted"',
    "",
]


def _table(names: list[str]) -> Table:
    rows = []
    for i, name in enumerate(names):
        rows.append(
            (
                name,
                date(2027, 3, 31) if i % 2 == 0 else None,
                Decimal("1250000.50") if i % 3 else Decimal("-12.05"),
                "GBP",
                i,
                Decimal("0.125"),
            )
        )
    rows.append(("Yen account", date(2026, 1, 2), Decimal(950000), "JPY", 1, 0.5))
    return Table("Accounts: list / test", COLUMNS, rows)


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark so Excel reads UTF-8"
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+cmd|x", "'+cmd|x"),
        ("-A1*2", "'-A1*2"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\tnote", "'\tnote"),
        ("\rnote", "'\rnote"),
        ("+44 20 7946 0000", "+44 20 7946 0000"),
        ("+1 (555) 010-4477", "+1 (555) 010-4477"),
        ("-12.5", "-12.5"),
        ("+", "'+"),
        ("Acme = best", "Acme = best"),
        ("O'Neill & Sons", "O'Neill & Sons"),
        ("", ""),
    ],
)
def test_neutralise_only_what_a_spreadsheet_would_run(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def test_xlsx_cells_keep_their_types_and_text_is_never_a_formula(tmp_path: Path) -> None:
    table = _table(HOSTILE)
    out = tmp_path / "accounts.xlsx"
    assert write_xlsx(out, table) == len(HOSTILE) + 1

    sheet = openpyxl.load_workbook(out).active
    assert sheet.title == "Accounts  list   test"
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == list(table.titles)
    assert all(c.font.b for c in rows[0])
    assert len(rows) == len(table.rows) + 1
    for cells, source in zip(rows[1:], table.rows, strict=True):
        name, ends, value, currency, count, _ratio = cells
        # Text exactly as given (an empty text is an empty cell), always a string cell.
        if source[0]:
            assert name.data_type == "s" and name.value == source[0]
        else:
            assert name.value is None
        if source[1] is None:
            assert ends.value is None
        else:
            assert ends.is_date and ends.value.date() == source[1]
            assert ends.number_format == "yyyy-mm-dd"
        assert value.data_type == "n"
        assert Decimal(str(value.value)) == source[2]
        digits = "#,##0" if source[3] == "JPY" else "#,##0.00"
        assert value.number_format == digits
        assert currency.value == source[3] and currency.data_type == "s"
        assert count.data_type == "n" and count.value == source[4]
    # No formula anywhere in the sheet's XML.
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        xml = "".join(archive.read(n).decode("utf-8") for n in sheets)
    assert "<f>" not in xml and "<f " not in xml
    assert "=cmd|" in xml  # the text itself is there, as text


def test_xlsx_replaces_characters_xml_cannot_hold(tmp_path: Path) -> None:
    table = Table("T", (Column("name", "Name"),), [("bell\x07 and nul\x00",)])
    out = tmp_path / "t.xlsx"
    write_xlsx(out, table)
    assert openpyxl.load_workbook(out).active["A2"].value == "bell\ufffd and nul\ufffd"


def test_csv_round_trips_hostile_text_and_neutralises_formulas(tmp_path: Path) -> None:
    table = _table(HOSTILE)
    out = tmp_path / "accounts.csv"
    assert write_csv(out, table) == len(HOSTILE) + 1
    rows = _read_csv(out)
    assert rows[0] == list(table.titles)
    assert len(rows) == len(table.rows) + 1
    for got, source in zip(rows[1:], table.rows, strict=True):
        name = source[0]
        runs = name[:1] in ("=", "@", "\t", "\r") or name[:1] in ("+", "-")
        assert got[0] == ("'" + name if runs else name)
        assert got[1] == (source[1].isoformat() if source[1] else "")
        assert Decimal(got[2]) == source[2]
        assert got[3] == source[3]
        assert got[4] == str(source[4])
    # Money is a plain decimal with the currency's digits, never float noise.
    assert rows[1][2] == "-12.05"
    assert rows[2][2] == "1250000.50"
    assert rows[-1][2] == "950000"
    assert rows[1][5] == "0.125"


def test_csv_keeps_phone_numbers_and_negative_numbers_as_typed(tmp_path: Path) -> None:
    table = Table("T", (Column("phone", "Phone"),), [("+44 20 7946 0000",), ("-40",)])
    out = tmp_path / "t.csv"
    write_csv(out, table)
    assert _read_csv(out)[1:] == [["+44 20 7946 0000"], ["-40"]]


def test_money_as_a_float_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    table = Table(
        "T",
        (Column("v", "Value", "money"), Column("currency", "Currency")),
        [(Decimal("1.00"), "GBP"), (0.1 + 0.2, "GBP")],
    )
    out = tmp_path / "t.csv"
    out.write_text("old content", encoding="utf-8")
    with pytest.raises(TypeError, match="float"):
        write_table(out, table)
    assert out.read_text(encoding="utf-8") == "old content"
    with pytest.raises(TypeError):
        write_table(tmp_path / "t.xlsx", table)
    assert not (tmp_path / "t.xlsx").exists()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        (Column("d", "D", "date"), "2027-01-01"),
        (Column("t", "T"), 12),
        (Column("i", "I", "int"), True),
        (Column("i", "I", "int"), Decimal("1.5")),
    ],
)
def test_values_must_match_their_column_kind(column: Column, value: object) -> None:
    with pytest.raises(TypeError):
        Table("T", (column,), [(value,)]).check()


def test_money_needs_its_currency_column() -> None:
    with pytest.raises(ValueError, match="currency"):
        Table("T", (Column("v", "Value", "money"),))


def test_select_keeps_order_and_brings_the_currency_along() -> None:
    table = _table(["A", "B"])
    picked = table.select(["value", "name"])
    assert picked.keys == ("value", "currency", "name")
    assert picked.rows[0] == (table.rows[0][2], "GBP", "A")


def test_format_follows_the_suffix_and_anything_else_is_refused(tmp_path: Path) -> None:
    assert format_for("a.CSV") == "csv"
    assert format_for("a.b.xlsx") == "xlsx"
    for name in ("a.xls", "a.txt", "a"):
        with pytest.raises(UnsupportedFormat, match=r"\.csv or \.xlsx"):
            write_table(tmp_path / name, _table(["A"]))
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_cannot_be_written_is_a_plain_error_and_leaves_no_debris(
    tmp_path: Path,
) -> None:
    with pytest.raises(FileWriteError, match="does not exist"):
        write_table(tmp_path / "missing" / "t.csv", _table(["A"]))
    folder = tmp_path / "taken.xlsx"
    folder.mkdir()
    with pytest.raises(FileWriteError, match="folder"):
        write_table(folder, _table(["A"]))
    assert [p.name for p in tmp_path.iterdir()] == ["taken.xlsx"]


def test_large_tables_stream_with_progress(tmp_path: Path) -> None:
    rows = [(f"Account {i}", date(2027, 1, 1), Decimal(i), "EUR", i, i) for i in range(5000)]
    table = Table("Big", COLUMNS, rows)
    seen: list[int] = []
    for name in ("big.csv", "big.xlsx"):
        seen.clear()
        assert write_table(tmp_path / name, table, seen.append) == 5000
        assert seen[-1] == 5000 and seen == sorted(seen) and len(seen) > 5
    sheet = openpyxl.load_workbook(tmp_path / "big.xlsx", read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 5001


@pytest.mark.parametrize("name", ["stopped.csv", "stopped.xlsx"])
def test_a_write_stopped_part_way_keeps_the_old_file_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    out = tmp_path / name
    out.write_bytes(b"the previous export")
    rows = [(f"Account {i}", None, Decimal(i), "EUR", i, i) for i in range(2000)]

    def stop(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_table(out, Table("Big", COLUMNS, rows), stop)
    gc.collect()
    assert out.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert unraisable == []
