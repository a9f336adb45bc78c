"""Opening the table files people bring: CSV in any common dialect, and XLSX. Qt-free.

A :class:`TableSource` gives the header row and then the data rows, each with the row number a
spreadsheet shows, reading no more of the file than asked for. Files are untrusted: anything
that is not a readable table becomes a :class:`TableFileError` with a plain message.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..core.errors import RenewalCoachError
from .values import fold, is_blank, text_of

#: Largest file accepted: far above any CRM export of a bid team's book.
MAX_BYTES = 64 * 1024 * 1024
#: Longest single cell: a long description, not a dump.
MAX_CELL = 100_000
#: Most columns a table may have.
MAX_COLUMNS = 500

_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


class TableFileError(RenewalCoachError):
    """The file is not a table this app can read; the message says why and what to do."""


@dataclass
class TableSource:
    """One table read from a file: its headers, and its rows on demand.

    ``rows()`` yields ``(row_number, cells)`` with ``cells`` as long as ``headers`` (blank rows
    are skipped); ``warnings`` says what was adjusted (renamed duplicate headers and the like).
    """

    path: Path
    format: str  # "csv" or "xlsx"
    headers: list[str]
    header_row: int
    warnings: list[str] = field(default_factory=list)
    delimiter: str = ""
    encoding: str = ""
    sheet: str = ""
    _text: str = ""
    _skip: int = 0  # rows before any table (Excel's "sep=;" line)

    def describe(self) -> str:
        """One line about how the file was read, for people."""
        if self.format == "csv":
            name = _DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))
            return f"CSV, {name}-separated, {self.encoding}"
        return f"Excel workbook, sheet '{self.sheet}'"

    def rows(self, limit: int | None = None) -> Iterator[tuple[int, list[Any]]]:
        """Data rows after the header as (spreadsheet row number, cells); at most ``limit``."""
        width = len(self.headers)
        produced = 0
        for number, cells in self._raw_rows(start_after=self.header_row):
            if limit is not None and produced >= limit:
                return
            if all(is_blank(c) for c in cells):
                continue
            if len(cells) > width:
                extra = [c for c in cells[width:] if not is_blank(c)]
                cells = cells[:width]
                if extra:
                    # Kept as a marker the importer reports for this row alone.
                    cells.append(_Overflow(len(extra)))
            elif len(cells) < width:
                cells = list(cells) + [None] * (width - len(cells))
            produced += 1
            yield number, list(cells)

    def _raw_rows(self, start_after: int) -> Iterator[tuple[int, list[Any]]]:
        if self.format == "csv":
            yield from _csv_rows(self._text, self.delimiter, start_after)
        else:
            yield from _xlsx_rows(self.path, self.sheet, start_after)


@dataclass(frozen=True)
class _Overflow:
    """Stands at the end of a row that had more filled cells than the file has headers."""

    cells: int


def is_overflow(value: object) -> bool:
    """True for the marker :meth:`TableSource.rows` appends to a row with too many cells."""
    return isinstance(value, _Overflow)


def open_table(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    header_names: Iterable[str] = (),
) -> TableSource:
    """Open a CSV or XLSX file and read its header row.

    The header row is found below a report's title block too; ``header_names`` adds names to
    look for besides those the app recognises (the columns of a saved mapping).

    Raises :class:`TableFileError` for a missing, empty, binary, oversized or damaged file, an
    old .xls workbook, or a table without a header row.
    """
    file = Path(path).expanduser()
    try:
        size = file.stat().st_size
        with file.open("rb") as stream:
            head = stream.read(8)
    except FileNotFoundError:
        raise TableFileError(f"{file} does not exist.") from None
    except IsADirectoryError:
        raise TableFileError(f"{file} is a folder, not a file.") from None
    except OSError as exc:
        raise TableFileError(f"{file} cannot be read: {exc.strerror or exc}.") from None
    if file.is_dir():
        raise TableFileError(f"{file} is a folder, not a file.")
    if size == 0:
        raise TableFileError(f"{file.name} is empty: there is nothing to import.")
    if size > MAX_BYTES:
        raise TableFileError(
            f"{file.name} is {size / 1024 / 1024:,.0f} MB; the most this app imports in one go "
            f"is {MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    known = _known_headers() | {fold(name) for name in header_names}
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(file, sheet, known)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableFileError(
            f"{file.name} is an old-style Excel (.xls) workbook. Open it in your spreadsheet "
            "program and save it as .xlsx or CSV, then import that."
        )
    if head.startswith(b"%PDF"):
        raise TableFileError(f"{file.name} is a PDF document, not a table.")
    return _open_csv(file, known)


# ---- CSV --------------------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "") + " with BOM"
            except UnicodeDecodeError:
                raise TableFileError(
                    f"{name} says it is {encoding} text but is not: it may be damaged."
                ) from None
    if b"\x00" in data[:65536]:
        raise TableFileError(
            f"{name} is not a text table (it holds binary data). Import a CSV or XLSX file."
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Windows spreadsheets save CSV in the ANSI code page; cp1252 covers Western Europe.
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def _sniff(text: str) -> str:
    """The delimiter whose rows agree best on one field count (more than one field)."""
    sample = text[:65536]
    lines = sample.splitlines()[:60]
    if len(lines) > 1 and len(sample) == 65536:
        lines = lines[:-1]  # the last line may be cut off
    best, best_score = ",", (-1.0, 0)
    for delimiter in _DELIMITERS:
        try:
            counts = [
                len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
            ]
        except csv.Error:
            continue
        counts = [c for c in counts if c > 0]
        # Title lines above a report's table are one field whatever the separator: the
        # table's own rows decide.
        several = [c for c in counts if c > 1]
        if not several:
            continue
        common = max(sorted(set(several)), key=several.count)
        score = (several.count(common) / len(counts), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(text: str, delimiter: str, start_after: int) -> Iterator[tuple[int, list[Any]]]:
    # A quoted cell can span several lines, so the row number a spreadsheet shows is the
    # record count, not csv's line_num.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    number = 0
    try:
        for cells in reader:
            number += 1
            if number <= start_after:
                continue
            if len(cells) > MAX_COLUMNS:
                raise TableFileError(
                    f"Row {number} has {len(cells):,} cells; a table here has at most "
                    f"{MAX_COLUMNS} columns."
                )
            yield number, cells
    except csv.Error as exc:
        raise TableFileError(f"Row {number + 1} cannot be read: {exc}.") from None


def _open_csv(file: Path, known: frozenset[str]) -> TableSource:
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise TableFileError(f"{file} cannot be read: {exc.strerror or exc}.") from None
    text, encoding = _decode(data, file.name)
    if not text.strip():
        raise TableFileError(f"{file.name} holds only blank lines: there is nothing to import.")
    delimiter = _sniff(text)
    source = TableSource(
        path=file, format="csv", headers=[], header_row=0, delimiter=delimiter, encoding=encoding
    )
    source._text = text
    _read_headers(source, known)
    return source


# ---- XLSX -------------------------------------------------------------------------------------


def _load_workbook(file: Path) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise TableFileError(
            f"{file.name} is not a readable Excel workbook ({type(exc).__name__}). Save it again "
            "from your spreadsheet program as .xlsx, or export it as CSV."
        ) from None


def _xlsx_rows(file: Path, sheet: str, start_after: int) -> Iterator[tuple[int, list[Any]]]:
    book = _load_workbook(file)
    try:
        ws = book[sheet]
        first = ws.min_row or 1
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=first):
            if number <= start_after:
                continue
            if len(cells) > MAX_COLUMNS:
                raise TableFileError(
                    f"Row {number} has {len(cells):,} cells; a table here has at most "
                    f"{MAX_COLUMNS} columns."
                )
            yield number, list(cells)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise TableFileError(
            f"{file.name} is damaged and cannot be read to the end ({type(exc).__name__})."
        ) from None
    finally:
        book.close()


def _open_xlsx(file: Path, sheet: str | None, known: frozenset[str]) -> TableSource:
    book = _load_workbook(file)
    try:
        names = [ws.title for ws in book.worksheets]
    finally:
        book.close()
    if not names:
        raise TableFileError(f"{file.name} has no worksheets.")
    if sheet is None:
        chosen = names[0]
    elif sheet in names:
        chosen = sheet
    else:
        raise TableFileError(
            f"{file.name} has no sheet called '{sheet}'; it has: {', '.join(names)}."
        )
    source = TableSource(path=file, format="xlsx", headers=[], header_row=0, sheet=chosen)
    if len(names) > 1 and sheet is None:
        source.warnings.append(
            f"The workbook has {len(names)} sheets; reading the first, '{chosen}'."
        )
    _read_headers(source, known)
    return source


# ---- headers ----------------------------------------------------------------------------------


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


#: How many non-blank rows at the top are looked at for the header row.
HEADER_SCAN = 30


@cache
def _known_headers() -> frozenset[str]:
    """Every header name some field recognises, folded (for finding the header row)."""
    from .mapping import FIELDS, NOT_MAPPED

    names = {alias for fields in FIELDS.values() for f in fields for alias in f.headers}
    names.update(NOT_MAPPED)
    return frozenset(names)


def _header_score(cells: list[Any], known: frozenset[str]) -> tuple[int, int]:
    """(recognised header names, filled cells) of a row that might be the header row."""
    filled = [text_of(c) for c in cells if not is_blank(c)]
    recognised = 0
    for text in filled:
        key = fold(text)
        if key in known or key.replace(" ", "") in known:
            recognised += 1
    return recognised, len(filled)


def _find_header_row(
    source: TableSource, known: frozenset[str]
) -> tuple[int, list[Any], int] | None:
    """The header row: (row number, cells, non-blank rows above it), or None for no rows.

    Report exports put a title block above the table (report name, "Filtered By:" lines,
    when it was run), so the header is not always the first row: it is the row among the
    first few with the most header names this app recognises; when no row has two, the first
    row filled at least half as wide as the widest row near the top.
    """
    candidates: list[tuple[int, list[Any], tuple[int, int]]] = []
    for number, cells in source._raw_rows(start_after=source._skip):
        if all(is_blank(c) for c in cells):
            if number > 200 and not candidates:
                break
            continue
        candidates.append((number, list(cells), _header_score(cells, known)))
        if len(candidates) >= HEADER_SCAN:
            break
    if not candidates:
        return None
    best = max(recognised for _n, _c, (recognised, _w) in candidates)
    if best >= 2:
        index = next(i for i, (_n, _c, s) in enumerate(candidates) if s[0] == best)
    else:
        widest = max(width for _n, _c, (_r, width) in candidates)
        need = max(min(2, widest), (widest + 1) // 2)
        index = next(i for i, (_n, _c, s) in enumerate(candidates) if s[1] >= need)
    number, cells, _score = candidates[index]
    return number, cells, index


def _read_headers(source: TableSource, known: frozenset[str]) -> None:
    found = _find_header_row(source, known)
    if found is None:
        raise TableFileError(f"{source.path.name} has no header row: there is nothing to import.")
    number, cells, above = found
    if above:
        source.warnings.append(
            f"The column headers are in row {number}; the {above} line(s) above them (a report "
            "title, its filters and the like) are not imported."
        )
    while cells and is_blank(cells[-1]):
        cells = cells[:-1]
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = " ".join(text_of(cell).split())[:120] or f"Column {_column_letter(index)}"
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            renamed = f"{name} ({seen[key]})"
            source.warnings.append(
                f"Two columns are called '{name}'; the one in column "
                f"{_column_letter(index)} is shown as '{renamed}' and is only used if you "
                "map it yourself."
            )
            name = renamed
        else:
            seen[key] = 1
        headers.append(name)
    source.headers = headers
    source.header_row = number
