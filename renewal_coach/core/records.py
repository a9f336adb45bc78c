"""The machinery behind every entity: typed fields with rules, coercion and validation.

Each entity in :mod:`renewal_coach.core.models` is a keyword-only dataclass whose fields carry
rules in their metadata (label, required, limits). :func:`validated` turns loosely typed input
(text from a form or the command line) into a clean record or raises a
:class:`~renewal_coach.core.errors.ValidationError` naming every field that is wrong.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from .dates import parse_date
from .errors import FieldProblem, ValidationError
from .money import DEFAULT_CURRENCY, format_money, parse_money
from .numbers import bounded_decimal, bounded_int
from .text import MAX_LINE, MAX_TEXT, clean_line, clean_text, quote

R = TypeVar("R", bound="Record")

#: Largest whole number accepted in count-like fields (days, hours, KPIs).
MAX_COUNT = 1_000_000


def spec(
    default: Any = dataclasses.MISSING,
    *,
    label: str,
    required: bool = False,
    multiline: bool = False,
    max_len: int | None = None,
    minimum: float | None = 0,
    maximum: float | None = None,
    internal: bool = False,
    help: str = "",
    default_factory: Any = dataclasses.MISSING,
) -> Any:
    """Declare an entity field with its validation rules.

    ``internal`` marks data that must never leave the building (DOMAIN.md section 6).
    ``help`` says in a sentence what the field means, for a form's tooltip.
    ``minimum`` applies to numbers, money included: money is never negative unless ``minimum`` is
    None.
    """
    meta = {
        "label": label,
        "required": required,
        "multiline": multiline,
        "max_len": max_len or (MAX_TEXT if multiline else MAX_LINE),
        "minimum": minimum,
        "maximum": maximum,
        "internal": internal,
        "help": help,
    }
    if default_factory is not dataclasses.MISSING:
        return field(default_factory=default_factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(kw_only=True, slots=True)
class Record:
    """Base of every stored entity: a UUID text id and creation/update timestamps (UTC ISO)."""

    id: str = ""
    created_at: str = ""
    updated_at: str = ""

    def problems(self) -> list[FieldProblem]:
        """Cross-field rules of this entity (overridden by entities that have any)."""
        return []


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """What the validator and the repositories need to know about one field."""

    name: str
    kind: str  # str, text, id, int, money, bool, date, decimal, enum, idlist, json
    optional: bool
    enum: type[Enum] | None
    meta: typing.Mapping[str, Any]

    @property
    def label(self) -> str:
        return self.meta.get("label", self.name.replace("_", " ").capitalize())


_BASE_FIELDS = {"id", "created_at", "updated_at"}


@cache
def fields_of(cls: type[Record]) -> tuple[FieldInfo, ...]:
    """The entity's own fields (not id or timestamps), with their kinds, in declaration order."""
    hints = typing.get_type_hints(cls)
    out: list[FieldInfo] = []
    for f in dataclasses.fields(cls):
        if f.name in _BASE_FIELDS:
            continue
        hint = hints[f.name]
        optional = False
        args = typing.get_args(hint)
        if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            non_none = [a for a in args if a is not type(None)]
            optional = len(non_none) < len(args)
            hint = non_none[0]
        origin = typing.get_origin(hint) or hint
        enum_type = None
        if isinstance(hint, type) and issubclass(hint, Enum):
            kind, enum_type = "enum", hint
        elif hint is bool:
            kind = "bool"
        elif hint is int:
            kind = "money" if f.name.endswith("_minor") else "int"
        elif hint is date:
            kind = "date"
        elif hint is Decimal:
            kind = "decimal"
        elif origin is list and typing.get_args(hint) == (str,):
            kind = "idlist"
        elif origin in (list, dict):
            kind = "json"
        elif hint is str:
            # A reference to another record; a CRM's own id (external_id) is plain text.
            if f.name.endswith("_id") and f.name != "external_id":
                kind = "id"
            elif f.metadata.get("multiline"):
                kind = "text"
            else:
                kind = "str"
        else:  # pragma: no cover - a programming error in an entity declaration
            raise TypeError(f"{cls.__name__}.{f.name}: unsupported type {hint!r}")
        out.append(FieldInfo(f.name, kind, optional, enum_type, f.metadata))
    return tuple(out)


def show_value(
    info: FieldInfo,
    value: Any,
    currency: str = DEFAULT_CURRENCY,
    show_date: Callable[[date], str] = date.isoformat,
    yes: str = "yes",
) -> str:
    """A field's value as tables show it: money with its currency, an option by its label, a
    date through ``show_date``, the first line of a long text (at most 80 characters); "" for
    nothing. The UI passes its own date format and "✓" for ``yes``; the command line the
    defaults."""
    if value is None or value == "" or value == []:
        return ""
    if info.kind == "money":
        return format_money(value, currency)
    if info.kind == "bool":
        return yes if value else ""
    if info.kind == "enum":
        return str(value.label)
    if info.kind == "date":
        return show_date(value)
    if info.kind == "text":
        first = str(value).strip().splitlines()[0] if str(value).strip() else ""
        return first if len(first) <= 80 else first[:79] + "…"
    return str(value)


def internal_fields(cls: type[Record]) -> frozenset[str]:
    """Names of the fields of ``cls`` marked internal-only."""
    return frozenset(fi.name for fi in fields_of(cls) if fi.meta.get("internal"))


def _coerce_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "on"):
        return True
    if text in ("0", "false", "no", "n", "off", ""):
        return False
    raise ValueError(f"'{quote(value)}' is not yes or no")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _coerce(fi: FieldInfo, value: Any, currency: str) -> Any:
    """Convert ``value`` to the field's type; raise ValueError with a message about the value."""
    meta = fi.meta
    if fi.kind in ("str", "text"):
        text = clean_text(value) if fi.kind == "text" else clean_line(value)
        if len(text) > meta["max_len"]:
            raise ValueError(f"is too long ({len(text):,} characters; at most {meta['max_len']:,})")
        return text
    if fi.kind == "id":
        return None if _blank(value) else str(value).strip()
    if fi.kind == "bool":
        return _coerce_bool(value)
    if _blank(value):
        if fi.kind == "json":
            return value if value is not None else ([] if fi.name.endswith("s") else {})
        if fi.kind == "idlist":
            return []
        return None
    if fi.kind == "enum":
        assert fi.enum is not None
        return fi.enum.parse(value) if hasattr(fi.enum, "parse") else fi.enum(value)
    if fi.kind == "date":
        return parse_date(value)
    if fi.kind == "money":
        if isinstance(value, int) and not isinstance(value, bool):
            number: Any = value
        else:
            negative = isinstance(value, str) and value.strip().startswith("-")
            if negative and meta["minimum"] is None:
                number = -parse_money(value.strip()[1:], currency)
            else:
                number = parse_money(value, currency)
        return _check_range(number, meta)
    if fi.kind == "int":
        return _check_range(bounded_int(value), meta)
    if fi.kind == "decimal":
        return _check_range(bounded_decimal(value), meta)
    if fi.kind == "idlist":
        if isinstance(value, str):
            raise ValueError("must be a list of ids")
        return [str(v).strip() for v in value if not _blank(v)]
    if fi.kind == "json":
        if not isinstance(value, (list, dict)):
            raise ValueError("must be structured data")
        return value
    raise AssertionError(fi.kind)  # pragma: no cover


def _check_range(number: Any, meta: typing.Mapping[str, Any]) -> Any:
    low, high = meta["minimum"], meta["maximum"]
    limit = high if high is not None else MAX_COUNT * 1_000_000
    if low is None and number < -limit:
        raise ValueError(f"must be at least {-limit:,}")
    if low is not None and number < low:
        raise ValueError("cannot be negative" if low == 0 else f"must be at least {low}")
    if number > limit:
        raise ValueError(f"must be at most {limit:,}")
    return number


def validated(record: R) -> R:
    """Return a cleaned copy of ``record``, or raise ValidationError naming every bad field.

    Types are coerced (text to dates, money, enums, numbers), text is cleaned of control
    characters, required fields must be present, limits are enforced, then the entity's own
    cross-field rules run on the coerced values.
    """
    cls = type(record)
    currency = getattr(record, "currency", None) or DEFAULT_CURRENCY
    problems: list[FieldProblem] = []
    values: dict[str, Any] = {}
    for fi in fields_of(cls):
        raw = getattr(record, fi.name)
        try:
            value = _coerce(fi, raw, str(currency))
        except ValueError as exc:
            problems.append(FieldProblem(fi.name, f"{fi.label} {exc}"))
            continue
        if fi.meta.get("required") and (value is None or value == "" or value == []):
            problems.append(FieldProblem(fi.name, f"{fi.label} is required"))
            continue
        if value is None and not fi.optional:
            value = getattr(cls(), fi.name) if _has_default(cls, fi.name) else value
        values[fi.name] = value
    if problems:
        raise ValidationError(problems, entity=cls.__name__)
    clean = dataclasses.replace(record, **values)
    cross = clean.problems()
    if cross:
        raise ValidationError(cross, entity=cls.__name__)
    return clean


def _has_default(cls: type[Record], name: str) -> bool:
    f = next(f for f in dataclasses.fields(cls) if f.name == name)
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
