"""Write a :class:`~renewal_coach.tables.table.Table` to CSV or XLSX. Qt-free.

Both formats go through :func:`renewal_coach.fileio.atomic_write`: the file is whole or not
there, and a problem (folder missing, permission denied, file open in Excel on Windows, disk
full) is a :class:`~renewal_coach.fileio.FileWriteError` with a plain message.

CSV is UTF-8 with a byte-order mark (so Excel does not read it as the local code page), comma
separated, fields quoted when they hold a comma, quote or line break. Dates are ISO text
(``2027-03-31``) and money is a plain decimal number (``1250000.00``) beside a currency column.
Text a spreadsheet would run as a formula gets a leading apostrophe (see :func:`neutralise`).

XLSX is written with openpyxl's write-only mode (rows stream out; memory stays flat for large
tables). Dates are date cells, money is a numeric cell from the exact Decimal with a two-decimal
number format (none for currencies without minor units), and every text cell is forced to be a
string cell, so text starting with "=" is shown as typed and never evaluated.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.money import minor_digits
from ..fileio import atomic_write
from .table import Column, Table

#: Formats the writers know, by file suffix.
SUFFIXES = (".csv", ".xlsx")

#: Called with the number of rows written so far (every :data:`PROGRESS_EVERY` rows and at
#: the end).
Progress = Callable[[int], None]
PROGRESS_EVERY = 500

# A leading + or - is harmless when what follows is a number or a phone number: digits with
# spaces, dots, commas, brackets, slashes or dashes, and nothing a formula could call.
_PLAIN_NUMBER = re.compile(r"[+-]\s*\(?\d[\d\s().,/-]*")
_FORMULA_START = ("=", "@", "\t", "\r", "\n")

#: Characters XML 1.0 (and so XLSX) cannot hold: control characters other than tab, LF, CR.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Excel's limit on the text in one cell.
XLSX_CELL_LIMIT = 32_767


class UnsupportedFormat(ValueError):
    """The file name's suffix is not one the writers know."""


def neutralise(text: str) -> str:
    """``text`` made safe for a CSV cell: a leading apostrophe when a spreadsheet would
    otherwise take it as a formula.

    That is text starting with ``=``, ``@``, a tab or a line break, or with ``+`` or ``-``
    followed by anything other than a number ("+44 20 7946 0000" and "-12.5" stay as they are;
    "+cmd|..." and "-2+3+A1" do not). Spreadsheets show the apostrophe as typed or hide it as
    their own "this is text" mark; either way nothing runs.
    """
    if not text:
        return text
    first = text[0]
    if first in _FORMULA_START:
        return "'" + text
    if first in "+-" and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def format_for(path: str | Path) -> str:
    """``"csv"`` or ``"xlsx"`` from the suffix of ``path`` (any case); UnsupportedFormat
    otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        shown = f"'{suffix}'" if suffix else "no suffix"
        raise UnsupportedFormat(
            f"{Path(path).name} has {shown}: name the file .csv or .xlsx to choose the format."
        )
    return suffix[1:]


def write_table(path: str | Path, table: Table, progress: Progress | None = None) -> int:
    """Write ``table`` to ``path`` as CSV or XLSX, chosen by the suffix; return the number of
    rows written. Raises UnsupportedFormat for another suffix and FileWriteError when the file
    cannot be written (an existing file is then left as it was)."""
    kind = format_for(path)
    if kind == "csv":
        return write_csv(path, table, progress)
    return write_xlsx(path, table, progress)


# ---- CSV ----------------------------------------------------------------------------------------


def _csv_cell(column: Column, value: Any, currency: str | None) -> str:
    if value is None:
        return ""
    kind = column.kind
    if kind == "text":
        return neutralise(value)
    if kind == "date":
        return value.isoformat()
    if kind == "money":
        return _money_text(value, currency)
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _money_text(value: int | Decimal, currency: str | None) -> str:
    digits = minor_digits(currency or "")
    exact = Decimal(value)
    if -exact.as_tuple().exponent <= digits:  # type: ignore[operator]
        exact = exact.quantize(Decimal(1).scaleb(-digits))
    return f"{exact:f}"


def write_csv(path: str | Path, table: Table, progress: Progress | None = None) -> int:
    """Write ``table`` as a UTF-8 CSV file with a byte-order mark; return the rows written."""
    table.check()
    currency_at = _currency_positions(table)
    count = 0
    with atomic_write(path, text=True, encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow([neutralise(title) for title in table.titles])
        for row in table.rows:
            writer.writerow(
                [
                    _csv_cell(column, value, _currency(row, currency_at[i]))
                    for i, (column, value) in enumerate(zip(table.columns, row, strict=True))
                ]
            )
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
    if progress is not None:
        progress(count)
    return count


def _currency_positions(table: Table) -> list[int | None]:
    """For each column, where its row's currency code is (money columns only)."""
    return [table.index(c.currency) if c.kind == "money" else None for c in table.columns]


def _currency(row: tuple[Any, ...], position: int | None) -> str | None:
    return None if position is None else row[position]


# ---- XLSX ---------------------------------------------------------------------------------------

DATE_FORMAT = "yyyy-mm-dd"
_MONEY_FORMATS = {0: "#,##0", 2: "#,##0.00", 3: "#,##0.000"}


def _sheet_title(name: str) -> str:
    """A valid sheet name: no []:*?/\\ characters, at most 31 characters, not blank."""
    title = re.sub(r"[\[\]:*?/\\]", " ", name).strip().strip("'")[:31].strip()
    return title or "Table"


def _xlsx_text(text: str) -> str:
    text = _XML_ILLEGAL.sub("\ufffd", text)
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - 1] + "…"
    return text


def write_xlsx(path: str | Path, table: Table, progress: Progress | None = None) -> int:
    """Write ``table`` as an XLSX workbook of one sheet; return the rows written.

    The header row is bold and frozen, with a filter on every column; column widths follow
    the longest text of the first rows.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    table.check()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(table.name))
    sheet.freeze_panes = "A2"
    width = len(table.columns)
    if width:
        sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{len(table.rows) + 1}"
    for i in range(1, len(table.columns) + 1):
        sheet.column_dimensions[get_column_letter(i)].width = _column_width(table, i - 1)

    bold = Font(bold=True)

    def text_cell(value: str, font: Font | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
        # openpyxl makes a formula of any str starting with "=": force a plain string.
        cell.data_type = "s"
        if font is not None:
            cell.font = font
        return cell

    currency_at = _currency_positions(table)
    count = 0
    with atomic_write(path) as stream:
        try:
            sheet.append([text_cell(title, bold) for title in table.titles])
            for row in table.rows:
                cells = []
                for i, (column, value) in enumerate(zip(table.columns, row, strict=True)):
                    if value is None:
                        cells.append(None)
                    elif column.kind == "text":
                        cells.append(text_cell(value))
                    else:
                        cell = WriteOnlyCell(sheet, value=value)
                        if column.kind == "date":
                            cell.number_format = DATE_FORMAT
                        elif column.kind == "money":
                            digits = minor_digits(_currency(row, currency_at[i]) or "")
                            cell.number_format = _MONEY_FORMATS.get(digits, "#,##0.00")
                        cells.append(cell)
                sheet.append(cells)
                count += 1
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(count)
            workbook.save(stream)
        except BaseException:
            _discard(sheet)
            raise
    if progress is not None:
        progress(count)
    return count


def _discard(sheet: Any) -> None:
    """Finish a write-only sheet left half-written and remove its temporary file, so that
    nothing is printed when it is collected and nothing stays in the temporary folder."""
    with contextlib.suppress(Exception):
        if not sheet.closed:
            sheet.close()
    writer = getattr(sheet, "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.cleanup()


def _column_width(table: Table, i: int, sample: int = 200) -> float:
    column = table.columns[i]
    # The header is bold and carries the filter's drop-down button.
    longest = round(len(column.title) * 1.2) + 3
    if column.kind == "date":
        longest = max(longest, 10)
    elif column.kind == "money":
        longest = max(longest, 14)
    for row in table.rows[:sample]:
        value = row[i]
        if isinstance(value, str):
            longest = max(longest, max((len(line) for line in value.splitlines()), default=0))
        elif value is not None and not isinstance(value, date):
            longest = max(longest, len(str(value)) + 2)
    return min(max(longest + 2, 8), 60)
