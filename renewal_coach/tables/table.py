"""A table to write out: named, typed columns and rows of native values. Qt-free.

A :class:`Table` is what the portfolio and renewals lists hand to the CSV and XLSX writers
(:mod:`renewal_coach.tables.writers`). Each column has a kind that fixes what its values may be,
so a spreadsheet gets real numbers and dates rather than the text shown on screen:

========  ===============================================================================
text      ``str`` (or None for a blank)
money     ``Decimal`` or ``int`` in major units, never a float; the row's currency code is in
          the column named by :attr:`Column.currency` (``"currency"`` by default)
date      ``datetime.date`` (not a datetime)
number    ``int``, ``Decimal`` or ``float`` (a measure, never money)
int       ``int``
========  ===============================================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

ColumnKind = Literal["text", "money", "date", "number", "int"]
KINDS: tuple[str, ...] = ("text", "money", "date", "number", "int")

#: The key and title of the column that carries the currency of a row's money columns.
CURRENCY_KEY = "currency"
CURRENCY_TITLE = "Currency"


@dataclass(frozen=True, slots=True)
class Column:
    """One column: a stable ``key`` (for code), a ``title`` (the header people read) and a
    ``kind``. A money column names the column holding its currency in ``currency``."""

    key: str
    title: str
    kind: ColumnKind = "text"
    currency: str = CURRENCY_KEY

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key!r}: unknown kind {self.kind!r}")

    def check(self, value: Any) -> None:
        """Raise TypeError when ``value`` does not belong in a column of this kind."""
        if value is None:
            return
        kind = self.kind
        ok = (
            (kind == "text" and isinstance(value, str))
            or (kind == "money" and (_is_int(value) or isinstance(value, Decimal)))
            or (kind == "date" and isinstance(value, date) and not isinstance(value, datetime))
            or (kind == "number" and (_is_int(value) or isinstance(value, Decimal | float)))
            or (kind == "int" and _is_int(value))
        )
        if not ok:
            raise TypeError(
                f"column {self.key!r} ({kind}) cannot hold {type(value).__name__} {value!r}"
            )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class Table:
    """Columns and rows (one tuple per row, a value per column, in column order).

    ``name`` titles the XLSX sheet. Building a table checks the header; :meth:`check` checks
    every value against its column's kind (the writers call it, so nothing with a wrong type
    ever reaches a file).
    """

    name: str
    columns: tuple[Column, ...]
    rows: Sequence[tuple[Any, ...]] = field(default_factory=list)

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate column keys in {keys}")
        for column in self.columns:
            if column.kind == "money" and column.currency not in keys:
                raise ValueError(
                    f"money column {column.key!r} needs its currency column {column.currency!r}"
                )

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(c.title for c in self.columns)

    def index(self, key: str) -> int:
        return self.keys.index(key)

    def check(self) -> None:
        """Raise TypeError or ValueError for a row of the wrong length or a value of the wrong
        type (money as a float, a date as text, ...)."""
        width = len(self.columns)
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(f"row {number} has {len(row)} values for {width} columns")
            for column, value in zip(self.columns, row, strict=True):
                column.check(value)

    def select(self, keys: Iterable[str]) -> Table:
        """The same rows with only the columns ``keys``, in that order.

        A money column brings its currency column along, placed just after the first money
        column that needs it, unless ``keys`` already place it.
        """
        wanted = list(dict.fromkeys(keys))
        unknown = [k for k in wanted if k not in self.keys]
        if unknown:
            raise KeyError(f"no such columns: {', '.join(unknown)}")
        chosen: list[str] = []
        for key in wanted:
            chosen.append(key)
            column = self.columns[self.index(key)]
            if column.kind == "money" and column.currency not in wanted + chosen:
                chosen.append(column.currency)
        picks = [self.index(k) for k in chosen]
        return Table(
            self.name,
            tuple(self.columns[i] for i in picks),
            [tuple(row[i] for i in picks) for row in self.rows],
        )
