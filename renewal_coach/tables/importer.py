"""Importing accounts, contracts, people and interactions from CRM and spreadsheet files. Qt-free.

An import runs in three steps, each usable on its own:

1. :func:`prepare` opens the file, decides what it holds and which column feeds which field.
2. :class:`Planner` reads every row, parses its cells, matches it to what the portfolio already
   holds and decides its outcome: created, updated (only the fields the file holds), unchanged,
   or rejected with the spreadsheet row, the column and a plain reason. Planning writes nothing:
   a plan *is* the dry run.
3. :func:`apply_plan` writes the planned records in one transaction and returns an
   :class:`ImportResult` that can undo and redo the whole import.

Planner and apply expose ``steps()`` generators that yield progress, so a GUI can run them in
slices between events; :func:`run_import` drives them to the end for the command line.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..core import models as m
from ..core.dates import add_months
from ..core.errors import RenewalCoachError, ValidationError
from ..core.records import Record, validated
from ..core.text import plural
from ..storage.repository import Store
from .mapping import (
    KINDS,
    ImportField,
    Mapping,
    MappingError,
    activity_type_of,
    field_named,
    fields_for,
    guess_kind,
    is_bookkeeping,
)
from .sources import TableSource, is_overflow, open_table
from .values import (
    Evidence,
    fold,
    is_blank,
    looks_like_formula,
    parse_bool,
    parse_currency,
    parse_date,
    parse_money,
    parse_whole,
    quote,
    text_of,
    to_minor,
    unneutralise,
)

#: How many rows a planning or writing step handles before it yields.
STEP_ROWS = 100
#: Outcomes kept per kind of outcome for showing (all rejections are always kept).
SHOWN = 20

#: The record field each import field writes, where it is a plain copy.
_ATTR: dict[str, dict[str, str]] = {
    "accounts": {
        "name": "name",
        "external_id": "external_id",
        "industry": "industry",
        "region": "region",
        "owner": "owner",
        "currency": "currency",
        "revenue": "revenue_12m_minor",
        "direct_cost": "direct_cost_12m_minor",
        "customer_since": "customer_since",
        "notes": "notes",
    },
    "contracts": {
        "account": "account_id",
        "reference": "reference",
        "external_id": "external_id",
        "title": "title",
        "start_date": "start_date",
        "end_date": "end_date",
        "notice_days": "notice_period_days",
        "notice_deadline": "notice_deadline",
        "annual_value": "annual_value_minor",
        "status": "status",
        "public_sector": "public_sector",
        "decision_date": "decision_date",
        "market_approach": "market_approach_date",
        "route": "procurement_route",
        "option_exercise_by": "extension_exercise_by",
        "extension_months": "extension_months",
        "notes": "notes",
    },
    "stakeholders": {
        "account": "account_id",
        "name": "name",
        "email": "email",
        "phone": "phone",
        "title": "title",
        "buying_role": "buying_role",
        "influence": "influence",
        "external_id": "external_id",
    },
    "interactions": {
        "account": "account_id",
        "date": "occurred_on",
        "type": "type",
        "purpose": "purpose",
        "initiated_by": "initiated_by",
        "people": "stakeholder_ids",
        "brought_value": "brought_value",
        "customer_asked": "customer_asked",
        "external_id": "external_id",
    },
}
_ENTITY: dict[str, type[Record]] = {
    "accounts": m.Account,
    "contracts": m.Contract,
    "stakeholders": m.Stakeholder,
    "interactions": m.Interaction,
}
_CHANNEL_OF_TYPE = {
    "call": m.Channel.PHONE,
    "email": m.Channel.EMAIL,
    "feedback_request": m.Channel.EMAIL,
    "value_recap": m.Channel.EMAIL,
    "tender_clarification": m.Channel.PORTAL,
}
_LEGAL_FORMS = frozenset(
    [
        "ltd",
        "limited",
        "plc",
        "llc",
        "llp",
        "inc",
        "incorporated",
        "gmbh",
        "ag",
        "bv",
        "nv",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "co",
        "corp",
        "corporation",
        "company",
        "oy",
        "ab",
        "as",
        "aps",
        "kg",
    ]
)
_MONEY_FIELDS = (
    "revenue_12m_minor",
    "direct_cost_12m_minor",
    "hourly_rate_minor",
    "bid_cost_minor",
    "special_terms_cost_minor",
    "support_cost_minor",
    "forecast_contribution_minor",
)


_CODE_WORDS = re.compile(r"[A-Z]+(?:_[A-Z]+)+")
_NAME_AND_EMAIL = re.compile(r"^(.*?)\s*[(<]\s*([^\s()<>]+@[^\s()<>]+)\s*[)>]$")


class ImportFileError(RenewalCoachError):
    """The file cannot be imported at all (unreadable, or no column recognised)."""


class DateOrderNeeded(RenewalCoachError):
    """The dates could be day/month or month/day and nothing in the file tells which."""

    def __init__(self, example: str) -> None:
        self.example = example
        super().__init__(
            f"The dates in this file (such as '{example}') could be day/month/year or "
            "month/day/year, and no value in the file tells which. Say which order it uses."
        )


def account_key(name: str) -> str:
    """An account name folded for matching: case, accents, spacing, punctuation, "the" and
    legal forms such as Ltd, Limited and plc do not count."""
    words = fold(name).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    # "b v" and "s a" are what fold makes of B.V. and S.A.
    while len(words) > 2 and " ".join(words[-2:]) in ("b v", "n v", "s a", "s l"):
        words = words[:-2]
    return " ".join(words)


# ---- step 1: the file and the mapping ---------------------------------------------------------


@dataclass
class Prepared:
    """A file opened for import, with its kind and columns decided."""

    source: TableSource
    kind: str
    mapping: Mapping
    columns: dict[str, str]  # header -> field name
    kind_guessed: bool = False

    @property
    def header_of(self) -> dict[str, str]:
        """Field name -> header."""
        return {f: h for h, f in self.columns.items()}

    def unmapped(self) -> list[str]:
        """Headers no field takes (a CRM's bookkeeping columns are not worth mentioning)."""
        return [h for h in self.source.headers if h not in self.columns and not is_bookkeeping(h)]


def prepare(
    path: str | Path,
    *,
    kind: str | None = None,
    mapping: Mapping | None = None,
    sheet: str | None = None,
    date_order: str | None = None,
    decimal: str | None = None,
) -> Prepared:
    """Open ``path`` and decide its kind and columns.

    ``kind`` may be None when the mapping names it or the headers make it clear. Options given
    here override the mapping's. Raises TableFileError (unreadable), ImportFileError (kind
    unclear, or no column recognised) or MappingError (a mapping that does not fit).
    """
    source = open_table(path, sheet=sheet, header_names=mapping.columns if mapping else ())
    guessed = False
    if kind is not None and kind not in KINDS:
        raise MappingError(f"'{quote(kind)}' is not a kind of record: use {', '.join(KINDS)}.")
    if mapping is not None and kind is not None and mapping.kind != kind:
        raise MappingError(f"The mapping is for {mapping.kind}, but {kind} were asked for.")
    chosen = kind or (mapping.kind if mapping else None)
    if chosen is None:
        chosen = guess_kind(source.headers)
        guessed = True
        if chosen is None:
            raise ImportFileError(
                f"Cannot tell from its headers whether {source.path.name} holds accounts, "
                "contracts, people or interactions. Say which (one file holds one kind)."
            )
    base = mapping or Mapping(kind=chosen)
    mapping = dataclasses.replace(
        base,
        date_order=date_order or base.date_order,
        decimal=decimal or base.decimal,
    )
    Mapping.__post_init__(mapping)
    columns = mapping.resolved_columns(source.headers)
    if not columns:
        shown = ", ".join(f"'{quote(h)}'" for h in source.headers[:8])
        raise ImportFileError(
            f"No column of {source.path.name} is one this app recognises for {chosen} "
            f"(its headers: {shown}). Map the columns in the app, or give a mapping file."
        )
    if chosen != "accounts" and "account" not in columns.values():
        raise ImportFileError(
            f"No column of {source.path.name} says which account each row belongs to. Map one "
            "to 'account' (the account's name or CRM id)."
        )
    return Prepared(source, chosen, mapping, columns, guessed)


@dataclass
class Preview:
    """The first rows of a file as the import would read them, for the column-mapping page.

    ``cells[r][c]`` is (what the cell becomes, the problem if it cannot be read) for each
    header; unmapped columns show the raw text. ``values`` lists, for each mapped choice field,
    the distinct texts met in the rows scanned, so a person can say what each one means.
    """

    headers: list[str]
    fields: list[ImportField | None]
    rows: list[int]
    cells: list[list[tuple[str, str]]]
    date_order: str | None
    decimal: str
    needs_date_order: bool
    values: dict[str, list[str]]


def shown_value(value: Any) -> str:
    """A parsed cell as the preview shows it."""
    if isinstance(value, tuple):  # money: (amount, currency or None)
        amount, currency = value
        return f"{amount:,f} {currency}" if currency else f"{amount:,f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    label = getattr(value, "label", None)
    return str(label if label is not None else value)


def preview(prepared: Prepared, *, limit: int = 50, scan: int = 2000) -> Preview:
    """Read the first ``limit`` rows as the import would (dates, money, choices), deciding the
    date order and decimal mark from the first ``scan`` rows. Reads no more of the file."""
    source = prepared.source
    mapping = prepared.mapping
    fields = [
        field_named(prepared.kind, prepared.columns[h]) if h in prepared.columns else None
        for h in source.headers
    ]
    evidence = Evidence()
    choices: dict[str, dict[str, None]] = {
        f.name: {} for f in fields if f is not None and f.type in ("enum", "bool")
    }
    sample = list(source.rows(limit=scan))
    for _number, cells in sample:
        for f, cell in zip(fields, cells, strict=False):
            if f is None or is_blank(cell) or is_overflow(cell):
                continue
            if f.type == "date":
                evidence.see_date(cell)
            elif f.type in ("money", "days", "months"):
                evidence.see_number(cell)
            elif f.name in choices and len(choices[f.name]) < 200:
                choices[f.name][text_of(cell)] = None
    try:
        order = mapping.date_order or evidence.date_order()
    except ValueError:
        order = None
    needs = mapping.date_order is None and (
        evidence.needs_date_order or bool(evidence.day_first and evidence.month_first)
    )
    decimal = mapping.decimal or evidence.decimal_mark("," if source.delimiter == ";" else ".")
    rows, table = [], []
    for number, cells in sample[:limit]:
        line = []
        for f, cell in zip(fields, cells, strict=False):
            if is_overflow(cell):
                continue
            if is_blank(cell):
                line.append(("", ""))
            elif f is None:
                line.append((text_of(cell), ""))
            else:
                try:
                    line.append((shown_value(read_cell(f, cell, mapping, order, decimal)), ""))
                except ValueError as exc:
                    line.append((text_of(cell), str(exc)))
        rows.append(number)
        table.append(line)
    return Preview(
        headers=list(source.headers),
        fields=fields,
        rows=rows,
        cells=table,
        date_order=order,
        decimal=decimal,
        needs_date_order=needs,
        values={name: list(found) for name, found in choices.items()},
    )


# ---- step 2: planning -------------------------------------------------------------------------


@dataclass
class Outcome:
    """What happens to one row: created, updated, unchanged or rejected."""

    row: int
    action: str
    label: str = ""
    changes: tuple[str, ...] = ()
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    cells: list[Any] | None = None  # kept for rejected rows, for the errors file

    @property
    def message(self) -> str:
        return "; ".join(msg for _col, msg in self.problems)


@dataclass
class _Write:
    table: str
    action: str  # create or update
    record: Record
    before: Record | None = None


@dataclass
class ImportPlan:
    """Everything an import would do. Building it writes nothing."""

    prepared: Prepared
    date_order: str | None
    decimal: str
    outcomes: list[Outcome] = field(default_factory=list)
    writes: list[_Write] = field(default_factory=list)
    counts: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    )
    #: Side effects worth saying, such as an account taking the currency of its first amounts.
    notes: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.prepared.kind

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def rejected(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "rejected"]

    def shown(self, action: str, limit: int = SHOWN) -> list[Outcome]:
        """The first ``limit`` outcomes of one kind, for a dry-run summary."""
        return [o for o in self.outcomes if o.action == action][:limit]

    def summary(self) -> dict[str, Any]:
        """The JSON summary of the command line: kind, rows, counts and every rejection."""
        return {
            "kind": self.kind,
            "rows": self.rows,
            "created": self.counts["created"],
            "updated": self.counts["updated"],
            "unchanged": self.counts["unchanged"],
            "rejected": [
                {"row": o.row, "column": col, "message": msg}
                for o in self.rejected
                for col, msg in o.problems
            ],
        }

    def write_errors(self, path: str | Path) -> int:
        """Write the rejected rows, with the file's own columns and a "problem" column, to a
        CSV file a spreadsheet opens; return how many rows were written."""
        from ..fileio import atomic_write

        headers = self.prepared.source.headers
        rejected = self.rejected
        with atomic_write(path, text=True, encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow([*headers, "problem"])
            for o in rejected:
                cells = [_csv_safe(text_of(c)) for c in (o.cells or [])][: len(headers)]
                cells += [""] * (len(headers) - len(cells))
                writer.writerow([*cells, _csv_safe(f"row {o.row}: {o.message}")])
        return len(rejected)


def _csv_safe(text: str) -> str:
    # A cell a spreadsheet would run as a formula gets an apostrophe; the importer drops it
    # again, so a corrected errors file imports as the user wrote it.
    if text[:1] in ("=", "@", "\t", "\r") or (
        text[:1] in ("+", "-") and len(text) > 1 and not text[1].isdigit() and text[1] != " "
    ):
        return "'" + text
    return text


def read_cell(
    f: ImportField, raw: Any, mapping: Mapping, date_order: str | None, decimal: str
) -> Any:
    """One non-blank cell read as field ``f``; ValueError with a reason otherwise."""
    kind = f.type
    if kind in ("text", "account", "people"):
        text = text_of(raw)
        if len(text) > 20_000:
            raise ValueError(f"the text is {len(text):,} characters long; at most 20,000 fit")
        if f.name == "industry" and _CODE_WORDS.fullmatch(text):
            # HubSpot writes industries as codes: LOGISTICS_AND_SUPPLY_CHAIN.
            text = text.replace("_", " ").capitalize()
        return text
    if kind == "date":
        return parse_date(raw, date_order)
    if kind == "money":
        return parse_money(raw, decimal)
    if kind == "days":
        value = parse_whole(raw, decimal, unit="days")
        if value < 0:
            raise ValueError(f"'{quote(raw)}' is negative")
        return value
    if kind == "months":
        value = parse_whole(raw, decimal, unit="months")
        if not 1 <= value <= 600:
            raise ValueError(f"'{quote(raw)}' is not a term from 1 to 600 months")
        return value
    if kind == "currency":
        return parse_currency(raw)
    if kind == "bool":
        mapped = mapping.value_for(f.name, text_of(raw))
        return parse_bool(mapped if mapped is not None else raw)
    if kind == "enum":
        assert f.enum is not None
        text = text_of(raw)
        mapped = mapping.value_for(f.name, text)
        try:
            return f.enum.parse(mapped if mapped is not None else text)
        except ValueError:
            allowed = ", ".join(m.label.lower() for m in f.enum)
            raise ValueError(
                f"'{quote(text)}' has no match among {allowed}. Map it to one of them in "
                "the import's value mapping"
            ) from None
    raise AssertionError(kind)  # pragma: no cover


class _RowProblem(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class Planner:
    """Works out an :class:`ImportPlan` for a prepared file against ``store``; writes nothing.

    ``steps()`` yields the number of rows read so far; ``plan`` holds the result afterwards.
    :meth:`run` does it all at once. Raises :class:`DateOrderNeeded` when the dates are
    ambiguous and no order was given.
    """

    def __init__(self, store: Store, prepared: Prepared, *, today: date | None = None) -> None:
        self.store = store
        self.prepared = prepared
        self.kind = prepared.kind
        self.today = today or date.today()
        self.plan: ImportPlan | None = None
        self._staged: dict[tuple[str, str], _Write] = {}
        self._fields = {f.name: f for f in fields_for(self.kind)}
        self._header_of = prepared.header_of
        self._index = [
            (i, self._fields[prepared.columns[h]])
            for i, h in enumerate(prepared.source.headers)
            if h in prepared.columns
        ]
        # Interactions without a type column: the type a calls or meetings export implies.
        implied = activity_type_of(prepared.source.headers) if self.kind == "interactions" else None
        self._default_type = m.InteractionType(implied or m.InteractionType.MEETING.value)

    def run(self) -> ImportPlan:
        """Plan the whole file and return the plan."""
        for _ in self.steps():
            pass
        assert self.plan is not None
        return self.plan

    def steps(self) -> Iterator[int]:
        """Plan in slices; yields rows read so far (the file is read twice: evidence, then
        rows)."""
        source = self.prepared.source
        mapping = self.prepared.mapping
        evidence = Evidence()
        dated = [i for i, f in self._index if f.type == "date"]
        numbered = [i for i, f in self._index if f.type in ("money", "days", "months")]
        seen = 0
        for seen, (_number, cells) in enumerate(source.rows(), start=1):
            for i in dated:
                evidence.see_date(cells[i])
            for i in numbered:
                evidence.see_number(cells[i])
            if seen % (STEP_ROWS * 5) == 0:
                yield seen
        order = mapping.date_order
        if order is None:
            try:
                order = evidence.date_order()
            except ValueError as exc:
                raise DateOrderNeeded(evidence.examples.get("ambiguous", "")) from exc
            if order is None and evidence.needs_date_order:
                raise DateOrderNeeded(evidence.examples["ambiguous"])
        default_mark = "," if source.delimiter == ";" else "."
        decimal = mapping.decimal or evidence.decimal_mark(default_mark)
        self.plan = ImportPlan(self.prepared, order, decimal)
        self._load_indexes()
        done = 0
        for number, cells in source.rows():
            self._plan_row(number, cells)
            done += 1
            if done % STEP_ROWS == 0:
                yield seen + done
        yield seen + done

    # ---- what the portfolio holds ------------------------------------------------------------

    def _load_indexes(self) -> None:
        store = self.store
        self.accounts: dict[str, m.Account] = {a.id: a for a in store.accounts.all()}
        self.account_keys: dict[str, list[str]] = defaultdict(list)
        self.account_ext: dict[str, str] = {}
        for a in self.accounts.values():
            self.account_keys[account_key(a.name)].append(a.id)
            if a.external_id:
                self.account_ext[a.external_id.casefold()] = a.id
        self.account_names = {a.name.casefold(): a.id for a in self.accounts.values()}
        self.money_held: set[str] = {
            a.id
            for a in self.accounts.values()
            if any(getattr(a, f) is not None for f in _MONEY_FIELDS)
        }
        self.children: dict[str, Any] = {}
        if self.kind == "contracts":
            contracts = store.contracts.all()
            for c in contracts:
                if c.annual_value_minor is not None:
                    self.money_held.add(c.account_id)
            self.children = {c.id: c for c in contracts}
            self.by_key = {(c.account_id, c.reference.casefold()): c.id for c in contracts}
        elif self.kind == "stakeholders":
            people = store.stakeholders.all()
            self.children = {p.id: p for p in people}
            self.by_key = {(p.account_id, fold(p.name)): p.id for p in people}
            self.by_email = {(p.account_id, p.email.casefold()): p.id for p in people if p.email}
        elif self.kind == "interactions":
            items = store.interactions.all()
            self.children = {i.id: i for i in items}
            self.by_key = {
                (i.account_id, i.occurred_on, i.type.value, fold(i.purpose)): i.id for i in items
            }
            people = store.stakeholders.all()
            self.people_by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
            self.people_by_email: dict[tuple[str, str], str] = {}
            for p in people:
                self.people_by_name[(p.account_id, fold(p.name))].append(p.id)
                if p.email:
                    self.people_by_email[(p.account_id, p.email.casefold())] = p.id
        self.child_ext = {
            r.external_id.casefold(): r.id for r in self.children.values() if r.external_id
        }

    # ---- one row ------------------------------------------------------------------------------

    def _plan_row(self, number: int, cells: list[Any]) -> None:
        plan = self.plan
        assert plan is not None
        outcome = Outcome(row=number, action="rejected")
        try:
            if cells and is_overflow(cells[-1]):
                raise _RowProblem(
                    "",
                    "has "
                    + plural(cells[-1].cells, "{n} filled cell", "{n} filled cells")
                    + " beyond the last header; a separator inside an unquoted value can cause "
                    "this",
                )
            values = self._parse(cells)
            getattr(self, f"_plan_{self.kind}")(values, outcome)
        except _RowProblem as problem:
            outcome.action = "rejected"
            outcome.problems = [(problem.column, problem.message)]
        except ValidationError as exc:
            outcome.action = "rejected"
            outcome.problems = [(self._column_of_attr(p.field), p.message) for p in exc.problems]
        if outcome.action == "rejected":
            outcome.cells = [None if is_overflow(c) else c for c in cells]
            outcome.label = outcome.label or self._raw_label(cells)
            plan.outcomes.append(outcome)
        elif plan.counts[outcome.action] < SHOWN:
            plan.outcomes.append(outcome)
        plan.counts[outcome.action] += 1

    def _raw_label(self, cells: list[Any]) -> str:
        """A few words naming a row that could not be read: its key cells as written."""
        keys = ("account", "reference", "name", "first_name", "last_name", "date", "purpose")
        parts = []
        for key in keys:
            header = self._header_of.get(key)
            if header is None:
                continue
            index = self.prepared.source.headers.index(header)
            text = text_of(cells[index]) if index < len(cells) else ""
            if text and not is_overflow(cells[index]):
                parts.append(quote(text))
        return " · ".join(parts[:3])

    def _column_of_attr(self, attr: str) -> str:
        for name, target in _ATTR[self.kind].items():
            if target == attr and name in self._header_of:
                return self._header_of[name]
        if attr == "end_date" and "term_months" in self._header_of:
            return self._header_of["term_months"]
        if attr == "name" and "first_name" in self._header_of:
            return self._header_of["first_name"]
        return ""

    def _parse(self, cells: list[Any]) -> dict[str, Any]:
        """Field name -> parsed value for every mapped, non-blank cell; money stays (amount,
        currency) until the account's currency is known."""
        plan = self.plan
        assert plan is not None
        out: dict[str, Any] = {}
        for index, f in self._index:
            raw = cells[index]
            if is_blank(raw):
                continue
            column = self.prepared.source.headers[index]
            if isinstance(raw, str):
                raw = unneutralise(raw.strip())
                if looks_like_formula(raw):
                    raise _RowProblem(
                        column,
                        f"{column}: '{quote(raw)}' is a spreadsheet formula, not a value. Export "
                        "values from your spreadsheet, or remove the leading '='.",
                    )
            try:
                out[f.name] = read_cell(
                    f, raw, self.prepared.mapping, plan.date_order, plan.decimal
                )
            except ValueError as exc:
                raise _RowProblem(column, f"{column}: {exc}") from None
        return out

    # ---- matching helpers ---------------------------------------------------------------------

    def _account_for(self, values: dict[str, Any]) -> m.Account:
        column = self._header_of.get("account", "")
        text = values.get("account")
        if not text:
            raise _RowProblem(column, f"{column or 'Account'}: no account is named")
        found = self.account_ext.get(text.casefold())
        if found is None:
            exact = self.account_names.get(text.casefold())
            ids = [exact] if exact else self.account_keys.get(account_key(text), [])
            if len(ids) > 1:
                names = " and ".join(f"'{self.accounts[i].name}'" for i in ids[:2])
                raise _RowProblem(
                    column, f"{column}: '{quote(text)}' could be {names}; use the exact name"
                )
            found = ids[0] if ids else None
        if found is None:
            raise _RowProblem(
                column,
                f"{column}: there is no account '{quote(text)}' in this portfolio. Import "
                "accounts first (or check the spelling)",
            )
        return self.accounts[found]

    def _currency_for(
        self, account: m.Account, values: dict[str, Any], money_fields: tuple[str, ...]
    ) -> str:
        """The currency the row's money is in: the account's unless the row says otherwise,
        which only an account holding no money yet may take on."""
        stated: dict[str, str] = {}
        if "currency" in values:
            stated[self._header_of["currency"]] = values["currency"]
        for name in money_fields:
            if name in values and values[name][1]:
                stated[self._header_of[name]] = values[name][1]
        codes = set(stated.values())
        if len(codes) > 1:
            column = next(iter(stated))
            raise _RowProblem(
                column,
                f"{column}: the row names more than one currency ({', '.join(sorted(codes))})",
            )
        if not codes or codes == {account.currency}:
            return account.currency
        code = codes.pop()
        if account.id in self.money_held:
            column = next(iter(stated))
            raise _RowProblem(
                column,
                f"{column}: the amount is in {code}, but '{account.name}' keeps its money in "
                f"{account.currency}. Convert it, or import it into an account in {code}",
            )
        return code

    def _minor(self, values: dict[str, Any], name: str, currency: str) -> int | None:
        if name not in values:
            return None
        amount, _code = values[name]
        try:
            return to_minor(amount, currency)
        except ValueError as exc:
            column = self._header_of[name]
            raise _RowProblem(column, f"{column}: {exc}") from None

    def _set_account_currency(
        self, account: m.Account, currency: str, outcome: Outcome
    ) -> m.Account:
        """Plan moving an account that holds no money yet to ``currency``."""
        if account.currency == currency:
            return account
        changed = validated(dataclasses.replace(account, currency=currency))
        assert self.plan is not None
        self.plan.notes.append(
            f"{account.name} will keep its money in {currency}, the currency its first amounts "
            f"are written in (it was {account.currency}, with no amounts yet)."
        )
        self._stage("accounts", changed, self.accounts[account.id])
        self.accounts[account.id] = changed
        return changed

    def _stage(self, table: str, record: Record, before: Record | None) -> None:
        plan = self.plan
        assert plan is not None
        if before is None:
            write = _Write(table, "create", record)
            self._staged[(table, record.id)] = write
            plan.writes.append(write)
            return
        # Several rows may change the same record: the first "before" is what undo restores.
        staged = self._staged.get((table, record.id))
        if staged is not None:
            staged.record = record
            return
        write = _Write(table, "update", record, before)
        self._staged[(table, record.id)] = write
        plan.writes.append(write)

    def _finish(
        self, table: str, record: Record, before: Record | None, outcome: Outcome, label: str
    ) -> Record:
        """Validate ``record`` and stage it as created or updated (or find it unchanged)."""
        clean = validated(record)
        outcome.label = label
        if before is None:
            self._stage(table, clean, None)
            outcome.action = "created"
            return clean
        changes = tuple(
            f.name
            for f in dataclasses.fields(clean)
            if f.name not in ("id", "created_at", "updated_at")
            and getattr(clean, f.name) != getattr(before, f.name)
        )
        if not changes:
            outcome.action = "unchanged"
            return before
        self._stage(table, clean, before)
        outcome.action = "updated"
        outcome.changes = changes
        return clean

    def _changes(self, values: dict[str, Any], skip: set[str]) -> dict[str, Any]:
        """Record field -> value for the plain fields the row holds (one replace per row:
        building records is most of an import's time)."""
        attrs = _ATTR[self.kind]
        return {
            attrs[name]: value
            for name, value in values.items()
            if name in attrs and name not in skip
        }

    # ---- each kind ----------------------------------------------------------------------------

    def _plan_accounts(self, values: dict[str, Any], outcome: Outcome) -> None:
        name = values.get("name", "")
        ext = values.get("external_id", "")
        found = self.account_ext.get(ext.casefold()) if ext else None
        if found is None and name:
            exact = self.account_names.get(name.casefold())
            ids = [exact] if exact else self.account_keys.get(account_key(name), [])
            if len(ids) > 1:
                column = self._header_of["name"]
                names = " and ".join(f"'{self.accounts[i].name}'" for i in ids[:2])
                raise _RowProblem(column, f"{column}: '{quote(name)}' could be {names}")
            found = ids[0] if ids else None
        before = self.accounts.get(found) if found else None
        if before is None and not name:
            column = self._header_of.get("name", "")
            raise _RowProblem(column, "The account has no name")
        template = before or m.Account(id=str(uuid.uuid4()))
        currency = self._currency_for(template, values, ("revenue", "direct_cost"))
        money = {
            attr: self._minor(values, name_, currency)
            for name_, attr in (
                ("revenue", "revenue_12m_minor"),
                ("direct_cost", "direct_cost_12m_minor"),
            )
            if name_ in values
        }
        changes = self._changes(values, {"revenue", "direct_cost", "currency"})
        if (
            before is not None
            and "name" in values
            and account_key(values["name"]) == account_key(before.name)
        ):
            # Matched by a looser spelling ("Acme Ltd" for "ACME Limited"): keep the stored name.
            changes["name"] = before.name
        record = dataclasses.replace(template, currency=currency, **money, **changes)
        label = record.name
        stored = self._finish("accounts", record, before, outcome, label)
        assert isinstance(stored, m.Account)
        self.accounts[stored.id] = stored
        self.account_keys[account_key(stored.name)] = [stored.id]
        self.account_names[stored.name.casefold()] = stored.id
        if stored.external_id:
            self.account_ext[stored.external_id.casefold()] = stored.id
        if any(getattr(stored, f) is not None for f in _MONEY_FIELDS):
            self.money_held.add(stored.id)

    def _child_match(self, values: dict[str, Any], key: Any) -> Record | None:
        ext = values.get("external_id", "")
        found = self.child_ext.get(ext.casefold()) if ext else None
        if found is None and key is not None:
            found = self.by_key.get(key)
        return self.children.get(found) if found else None

    def _remember_child(self, record: Record, key: Any) -> None:
        self.children[record.id] = record
        if key is not None:
            self.by_key[key] = record.id
        ext = getattr(record, "external_id", "")
        if ext:
            self.child_ext[ext.casefold()] = record.id

    def _plan_contracts(self, values: dict[str, Any], outcome: Outcome) -> None:
        account = self._account_for(values)
        reference = values.get("reference", "")
        key = (account.id, reference.casefold()) if reference else None
        before = self._child_match(values, key)
        if before is not None and before.account_id != account.id:
            column = self._header_of.get("account", "")
            raise _RowProblem(column, f"{column}: this contract belongs to another account")
        if before is None and not reference:
            column = self._header_of.get("reference", "")
            raise _RowProblem(column, "The contract has no reference")
        currency = self._currency_for(account, values, ("annual_value",))
        value = self._minor(values, "annual_value", currency)
        template = before or m.Contract(id=str(uuid.uuid4()), account_id=account.id)
        changes = self._changes(values, {"account", "annual_value"})
        changes["account_id"] = account.id
        if "annual_value" in values:
            changes["annual_value_minor"] = value
        if not changes.get("title", template.title) and reference:
            changes["title"] = reference
        start = changes.get("start_date", template.start_date)
        if "end_date" not in values and "term_months" in values and start:
            changes["end_date"] = add_months(start, values["term_months"]) - timedelta(days=1)
        record = dataclasses.replace(template, **changes)
        if record.end_date is None and record.start_date is not None:
            column = self._header_of.get("end_date") or self._header_of.get("start_date", "")
            raise _RowProblem(
                column, "The contract has no end date, and no term to work it out from"
            )
        label = f"{account.name} · {record.reference}"
        stored = self._finish("contracts", record, before, outcome, label)
        if value is not None and currency != account.currency:
            account = self._set_account_currency(account, currency, outcome)
        if value is not None:
            self.money_held.add(account.id)
        self._remember_child(stored, (account.id, stored.reference.casefold()))

    def _plan_stakeholders(self, values: dict[str, Any], outcome: Outcome) -> None:
        account = self._account_for(values)
        name = values.get("name") or " ".join(
            part for part in (values.get("first_name", ""), values.get("last_name", "")) if part
        )
        email = values.get("email", "")
        before = None
        if email:
            found = self.by_email.get((account.id, email.casefold()))
            before = self.children.get(found) if found else None
        if before is None:
            before = self._child_match(values, (account.id, fold(name)) if name else None)
        if before is not None and before.account_id != account.id:
            column = self._header_of.get("account", "")
            raise _RowProblem(column, f"{column}: this person is recorded at another account")
        if before is None and not name:
            column = self._header_of.get("name") or self._header_of.get("first_name", "")
            raise _RowProblem(column, "The person has no name")
        template = before or m.Stakeholder(id=str(uuid.uuid4()), account_id=account.id)
        changes = self._changes(values, {"account"})
        changes["account_id"] = account.id
        if name and (before is None or fold(name) != fold(before.name)):
            changes["name"] = name
        record = dataclasses.replace(template, **changes)
        stored = self._finish(
            "stakeholders", record, before, outcome, f"{account.name} · {record.name}"
        )
        self._remember_child(stored, (account.id, fold(stored.name)))
        if stored.email:
            self.by_email[(account.id, stored.email.casefold())] = stored.id

    def _people(self, account: m.Account, text: str) -> list[str]:
        column = self._header_of.get("people", "")
        parts = [p.strip() for p in text.replace("\n", ";").split(";")]
        if len(parts) == 1 and "," in text and not self._person(account, text.strip()):
            parts = [p.strip() for p in text.split(",")]
        ids = []
        for part in filter(None, parts):
            found = self._person(account, part)
            if found is None:
                raise _RowProblem(
                    column,
                    f"{column}: no one called '{quote(part)}' is recorded at {account.name}. "
                    "Import people first, or leave them out",
                )
            ids.append(found)
        return list(dict.fromkeys(ids))

    def _person(self, account: m.Account, text: str) -> str | None:
        named = _NAME_AND_EMAIL.match(text)
        if named:
            # HubSpot writes an associated contact as "Aisha Okafor (aisha@example.com)".
            found = self.people_by_email.get((account.id, named.group(2).casefold()))
            return found or self._person(account, named.group(1))
        if "@" in text:
            return self.people_by_email.get((account.id, text.casefold()))
        ids = self.people_by_name.get((account.id, fold(text)), [])
        return ids[0] if len(ids) == 1 else None

    def _plan_interactions(self, values: dict[str, Any], outcome: Outcome) -> None:
        account = self._account_for(values)
        when = values.get("date")
        kind = values.get("type", self._default_type)
        purpose = values.get("purpose", "")
        key = (account.id, when, kind.value, fold(purpose)) if when else None
        before = self._child_match(values, key)
        if before is not None and before.account_id != account.id:
            column = self._header_of.get("account", "")
            raise _RowProblem(column, f"{column}: this interaction belongs to another account")
        if before is None and when is None:
            column = self._header_of.get("date", "")
            raise _RowProblem(column, "The interaction has no date")
        people = self._people(account, values["people"]) if "people" in values else None
        template = before or m.Interaction(
            id=str(uuid.uuid4()),
            account_id=account.id,
            type=kind,
            channel=_CHANNEL_OF_TYPE.get(kind.value, m.Channel.IN_PERSON),
        )
        changes = self._changes(values, {"account", "people"})
        changes["account_id"] = account.id
        if people is not None:
            changes["stakeholder_ids"] = people
        record = dataclasses.replace(template, **changes)
        label = f"{account.name} · {when.isoformat() if when else ''} {purpose}".strip()
        stored = self._finish("interactions", record, before, outcome, label)
        assert isinstance(stored, m.Interaction)
        self._remember_child(
            stored,
            (account.id, stored.occurred_on, stored.type.value, fold(stored.purpose)),
        )


# ---- step 3: writing, undo and redo -----------------------------------------------------------


@dataclass
class ImportResult:
    """What an import wrote, enough to undo it and redo it exactly."""

    plan: ImportPlan
    created: list[tuple[str, Record]] = field(default_factory=list)
    updated: list[tuple[str, Record, Record]] = field(default_factory=list)  # before, after

    def touched_accounts(self) -> set[str]:
        """Ids of the accounts the import created or changed (or whose records it did)."""
        ids = set()
        for table, record in self.created:
            ids.add(record.id if table == "accounts" else getattr(record, "account_id", ""))
        for table, _before, after in self.updated:
            ids.add(after.id if table == "accounts" else getattr(after, "account_id", ""))
        ids.discard("")
        return ids

    def undo(self, store: Store) -> None:
        """Put the portfolio back as it was before the import, in one transaction."""
        with store.atomic():
            for table, before, _after in reversed(self.updated):
                store.repo(table).put_back(before)
            for table, record in reversed(self.created):
                store.repo(table).delete(record.id)

    def redo(self, store: Store) -> None:
        """Write the import again exactly as it was first written, in one transaction."""
        with store.atomic():
            for table, record in self.created:
                store.repo(table).restore([record])
            for table, _before, after in self.updated:
                store.repo(table).put_back(after)


_ORDER = {"accounts": 0, "contracts": 1, "stakeholders": 1, "interactions": 2}


def apply_steps(store: Store, plan: ImportPlan, result: ImportResult) -> Iterator[int]:
    """Write ``plan`` into ``result`` in slices, yielding records written so far.

    Everything happens in one transaction that stays open across the slices: run the generator
    to its end (or close it, which rolls everything back).
    """
    writes = sorted(plan.writes, key=lambda w: _ORDER[w.table])
    # One operation in the change history: every record of the import shares its id.
    with store.atomic("import"):
        for done, write in enumerate(writes, start=1):
            repo = store.repo(write.table)
            if write.action == "create":
                result.created.append((write.table, repo.add(write.record, checked=True)))
            else:
                assert write.before is not None
                result.updated.append(
                    (write.table, write.before, repo.update(write.record, checked=True))
                )
            if done % STEP_ROWS == 0:
                yield done
    yield len(writes)


def apply_plan(store: Store, plan: ImportPlan) -> ImportResult:
    """Write everything ``plan`` holds in one transaction; all of it is saved or none."""
    result = ImportResult(plan)
    for _ in apply_steps(store, plan, result):
        pass
    return result


def run_import(
    store: Store,
    prepared: Prepared,
    *,
    dry_run: bool = False,
    today: date | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> tuple[ImportPlan, ImportResult | None]:
    """Plan the import and, unless ``dry_run``, write it. Returns the plan and the result."""
    planner = Planner(store, prepared, today=today)
    for rows in planner.steps():
        if progress:
            progress("reading", rows)
    plan = planner.plan
    assert plan is not None
    if dry_run:
        return plan, None
    result = ImportResult(plan)
    for written in apply_steps(store, plan, result):
        if progress:
            progress("writing", written)
    return plan, result


def field_help(kind: str) -> list[tuple[str, str, str]]:
    """(name, what it is, how it is read) for every field of ``kind``, for --fields."""
    readings = {
        "text": "text",
        "date": "a date: 2027-03-31, 31/03/2027, 03/31/2027, 31.03.2027, 31 Mar 2027, a date cell",
        "money": "an amount: 1800000, GBP 1,800,000.00, 1.250.000,00 €, 250k",
        "days": "whole days: 90 or '90 Days' (months and weeks are converted)",
        "months": "whole months: 36 or '3 years'",
        "bool": "yes/no, true/false, 1/0, x",
        "currency": "a currency code such as GBP or EUR (or £ € $)",
        "account": "the account's name or CRM id (the account must exist: import accounts first)",
        "people": "names or emails of people at the account, separated by ';'",
    }
    out = []
    for f in fields_for(kind):
        how = readings.get(f.type, "")
        if f.type == "enum" and f.enum is not None:
            how = "one of: " + ", ".join(m.value for m in f.enum)
        out.append((f.name, f.label + (f" — {f.help}" if f.help else ""), how))
    return out


__all__ = [
    "DateOrderNeeded",
    "ImportFileError",
    "ImportPlan",
    "ImportResult",
    "Outcome",
    "Planner",
    "Prepared",
    "account_key",
    "apply_plan",
    "apply_steps",
    "field_help",
    "field_named",
    "prepare",
    "run_import",
]
