"""What can be imported, how CRM column names map onto it, and saved mappings. Qt-free.

Each kind of record (accounts, contracts, stakeholders, interactions) has a list of
:class:`ImportField`. Header names written by Salesforce, HubSpot, Dynamics and plain
spreadsheets are recognised with case, spaces and punctuation ignored. A CRM's "Annual Revenue"
(the size of the customer's own company) is deliberately never mapped to our revenue from them.

A :class:`Mapping` is what a user decides: which column feeds which field, how cell values
translate (on top of the built-in defaults), the date order and the decimal mark. It is saved
and read as JSON: ``{"kind": "contracts", "columns": {"Header": "field"}, "values": {"field":
{"text": "value"}}, "date_order": "dmy", "decimal": ","}``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import enums as e
from ..core.errors import RenewalCoachError
from .values import DATE_ORDERS, fold, quote

KINDS = ("accounts", "contracts", "stakeholders", "interactions")


class MappingError(RenewalCoachError):
    """A mapping file or choice that cannot be used; the message says what is wrong."""


@dataclass(frozen=True)
class ImportField:
    """One thing a column can feed.

    ``type`` is how cells are read: text, date, money, days, months, int, bool, currency,
    enum (``enum`` names the closed set), account (a reference by name or CRM id) or people
    (names or emails of the account's stakeholders).
    """

    name: str
    label: str
    type: str
    headers: tuple[str, ...] = ()
    enum: type[e.LabelledEnum] | None = None
    help: str = ""


def _f(
    name: str, label: str, type_: str, *headers: str, enum: Any = None, help: str = ""
) -> ImportField:
    return ImportField(name, label, type_, tuple(fold(h) for h in headers), enum, help)


_ACCOUNT_REF = (
    "account",
    "company / account",
    "account name",
    "accountname",
    "company",
    "company name",
    "associated company",
    "associated company name",
    "customer",
    "customer name",
    "organisation",
    "organization",
    "parent customer",
    "account id",
    "accountid",
    # HubSpot's association columns: the company's record id when no name column is there.
    "record id company",
    "associated company id",
    "associated company ids",
)

FIELDS: dict[str, tuple[ImportField, ...]] = {
    "accounts": (
        _f(
            "name",
            "Account name",
            "text",
            "account name",
            "accountname",
            "company name",
            "company",
            "name",
            "customer",
            "customer name",
            "organisation",
            "organization",
            "organisation name",
            "organization name",
            "account",
        ),
        _f(
            "external_id",
            "CRM id",
            "text",
            "record id",
            "account id",
            "accountid",
            "company id",
            "crm id",
            "external id",
            "id",
            help="Kept on the account so a later import of the same CRM matches it.",
        ),
        _f("industry", "Industry", "text", "industry", "sector", "industry sector"),
        _f("region", "Region", "text", "region", "territory", "sales territory", "country/region"),
        _f(
            "owner",
            "Account owner",
            "text",
            "account owner",
            "company owner",
            "owner",
            "owner name",
            "account manager",
            "owning user",
            "account owner name",
        ),
        _f(
            "currency",
            "Currency",
            "currency",
            "currency",
            "account currency",
            "currency code",
            "currencyisocode",
            "account currency code",
        ),
        _f(
            "revenue",
            "Our revenue from them (12 months)",
            "money",
            "revenue 12m",
            "revenue 12 months",
            "revenue (12 months)",
            "revenue last 12 months",
            "our revenue",
            "revenue from customer",
            "revenue from them",
            "ltm revenue",
            "12m revenue",
            "trailing 12 month revenue",
            help="What the customer paid us over the last 12 months. A CRM's 'Annual Revenue' is "
            "the size of their own company, not this.",
        ),
        _f(
            "direct_cost",
            "Direct cost (12 months)",
            "money",
            "direct cost",
            "direct costs",
            "direct cost 12m",
            "direct cost (12 months)",
            "cost of delivery",
            "delivery cost",
        ),
        _f(
            "customer_since",
            "Customer since",
            "date",
            "customer since",
            "client since",
            "first contract date",
            "customer start date",
        ),
        _f("notes", "Notes", "text", "notes", "account notes", "description"),
    ),
    "contracts": (
        _f("account", "Account", "account", *_ACCOUNT_REF),
        _f(
            "reference",
            "Contract reference",
            "text",
            "contract number",
            "contractnumber",
            "reference",
            "contract reference",
            "contract ref",
            "ref",
            "agreement number",
            "contract no",
            "contract #",
        ),
        _f(
            "external_id",
            "CRM id",
            "text",
            "contract id",
            "contractid",
            "record id",
            "id",
            "crm id",
            "external id",
        ),
        _f(
            "title",
            "Title",
            "text",
            "contract name",
            "title",
            "contract title",
            "name",
            "agreement name",
            "subject",
        ),
        _f(
            "start_date",
            "Start date",
            "date",
            "start date",
            "startdate",
            "contract start date",
            "start",
            "effective date",
            "commencement date",
        ),
        _f(
            "end_date",
            "End date",
            "date",
            "end date",
            "enddate",
            "contract end date",
            "end",
            "expiry date",
            "expiration date",
            "expires",
        ),
        _f(
            "term_months",
            "Term (months)",
            "months",
            "contract term",
            "contractterm",
            "term (months)",
            "term months",
            "term",
            "contract term (months)",
            help="Used to work out the end date (start + term − 1 day) when there is none.",
        ),
        _f(
            "notice_days",
            "Notice period (days)",
            "days",
            "owner expiration notice",
            "ownerexpirationnotice",
            "notice period",
            "notice period (days)",
            "notice days",
            "notice",
        ),
        _f(
            "notice_deadline",
            "Notice deadline",
            "date",
            "notice deadline",
            "notice date",
            "notice by",
            "termination notice date",
        ),
        _f(
            "annual_value",
            "Annual value",
            "money",
            "annual value",
            "annual contract value",
            "acv",
            "value per year",
            "yearly value",
            "annual value (gbp)",
            "contract value (annual)",
        ),
        _f(
            "currency",
            "Currency",
            "currency",
            "currency",
            "contract currency",
            "currencyisocode",
            "currency code",
        ),
        _f(
            "status",
            "Status",
            "enum",
            "status",
            "contract status",
            "statuscode",
            "state",
            enum=e.ContractStatus,
        ),
        _f(
            "public_sector",
            "Public sector",
            "bool",
            "public sector",
            "public",
            "public sector customer",
        ),
        _f(
            "decision_date",
            "Expected decision date",
            "date",
            "decision date",
            "expected decision date",
            "customer decision date",
        ),
        _f(
            "market_approach",
            "Expected market approach",
            "date",
            "market approach",
            "expected market approach",
            "market approach date",
            "tender date",
            "procurement start",
        ),
        _f(
            "route",
            "Procurement route",
            "enum",
            "route",
            "procurement route",
            "renewal route",
            enum=e.ProcurementRoute,
        ),
        _f("notes", "Notes (internal)", "text", "description", "notes", "contract notes"),
        _f(
            "option_exercise_by",
            "Option exercise-by date",
            "date",
            "option exercise by",
            "extension exercise by",
            "option date",
            "exercise by",
            "option exercise date",
        ),
        _f(
            "extension_months",
            "Extension length (months)",
            "months",
            "extension months",
            "extension length",
            "option length",
            "extension (months)",
            "option length (months)",
        ),
    ),
    "stakeholders": (
        _f("account", "Account", "account", *_ACCOUNT_REF),
        _f("name", "Full name", "text", "full name", "name", "contact name", "contact", "fullname"),
        _f("first_name", "First name", "text", "first name", "firstname", "given name", "forename"),
        _f("last_name", "Last name", "text", "last name", "lastname", "surname", "family name"),
        _f(
            "email",
            "Email",
            "text",
            "email",
            "email address",
            "e-mail",
            "work email",
            "primary email",
            "e-mail address",
            "emailaddress1",
        ),
        _f(
            "phone",
            "Phone",
            "text",
            "phone",
            "phone number",
            "business phone",
            "mobile",
            "mobile phone",
            "mobile phone number",
            "telephone",
            "work phone",
            "telephone1",
        ),
        _f("title", "Job title", "text", "job title", "title", "jobtitle", "position"),
        _f(
            "buying_role",
            "Buying role",
            "enum",
            "buying role",
            "role in decision",
            "decision role",
            enum=e.BuyingRole,
        ),
        _f("influence", "Influence", "enum", "influence", "influence level", enum=e.Influence),
        _f(
            "external_id",
            "CRM id",
            "text",
            "record id",
            "contact id",
            "contactid",
            "id",
            "crm id",
            "external id",
        ),
    ),
    "interactions": (
        _f("account", "Account", "account", *_ACCOUNT_REF, "regarding", "related to"),
        _f(
            "date",
            "Date",
            "date",
            "date",
            "activity date",
            "meeting date",
            "call date",
            "activity date/time",
            "completed date",
            "date of contact",
            "start time",
        ),
        _f(
            "type",
            "Type",
            "enum",
            "type",
            "activity type",
            "task subtype",
            "activity",
            "engagement type",
            "activity type name",
            enum=e.InteractionType,
        ),
        _f(
            "purpose",
            "Purpose",
            "text",
            "purpose",
            "subject",
            "activity subject",
            "title",
            "reason",
            "topic",
            "call title",
            "meeting name",
            "meeting title",
            "email subject",
        ),
        _f(
            "initiated_by",
            "Initiated by",
            "enum",
            "initiated by",
            "direction",
            "call direction",
            "email direction",
            "call type",
            "initiator",
            enum=e.Party,
        ),
        _f(
            "people",
            "People involved",
            "people",
            "people",
            "contacts",
            "contact",
            "associated contacts",
            "associated contact",
            "attendees",
            "participants",
            "contact name",
            "name",
            "who",
        ),
        _f(
            "brought_value",
            "Brought value to the customer",
            "bool",
            "brought value",
            "value to customer",
            "of value",
            "valuable to customer",
            "brought value to customer",
        ),
        _f(
            "customer_asked",
            "Customer asked for it",
            "bool",
            "customer asked",
            "requested by customer",
            "customer request",
            "customer asked for it",
        ),
        _f(
            "external_id",
            "CRM id",
            "text",
            "activity id",
            "record id",
            "engagement id",
            "activityid",
            "id",
            "crm id",
            "external id",
        ),
    ),
}

#: Headers that look like ours but mean something else: never mapped, and said why.
NOT_MAPPED: dict[str, str] = {
    fold("annual revenue"): "a CRM's Annual Revenue is the customer's own company size, "
    "not what they pay us",
    fold("annualrevenue"): "a CRM's Annual Revenue is the customer's own company size, "
    "not what they pay us",
    fold("revenue"): "say whether this is our revenue from them or their company's revenue",
}

#: Built-in translations of cell values, by field, as CRMs write them (folded text).
DEFAULT_VALUES: dict[str, dict[str, str]] = {
    "status": {
        "activated": "active",
        "active": "active",
        "in effect": "active",
        "live": "active",
        "signed": "active",
        "current": "active",
        "expired": "expired",
        "ended": "expired",
        "renewing": "renewing",
        "in renewal": "renewing",
        "renewal": "renewing",
        "renewed": "renewed",
        "lost": "lost",
        "terminated": "exited",
        "cancelled": "exited",
        "canceled": "exited",
        "exited": "exited",
        # Salesforce in German, French, Spanish, Italian and Dutch user locales.
        "aktiviert": "active",
        "aktiv": "active",
        "activo": "active",
        "activado": "active",
        "attivato": "active",
        "attivo": "active",
        "geactiveerd": "active",
        "actief": "active",
        "abgelaufen": "expired",
        "expire": "expired",
        "caducado": "expired",
        "vencido": "expired",
        "scaduto": "expired",
        "verlopen": "expired",
        "gekundigt": "exited",
        "beendet": "exited",
        "resilie": "exited",
        "annule": "exited",
        "cancelado": "exited",
    },
    "type": {
        "call": "call",
        "phone call": "call",
        "phone": "call",
        "log a call": "call",
        "logged call": "call",
        "outbound call": "call",
        "inbound call": "call",
        "email": "email",
        "e mail": "email",
        "email sent": "email",
        "logged email": "email",
        "list email": "email",
        "incoming email": "email",
        "forwarded email": "email",
        "meeting": "meeting",
        "event": "meeting",  # Salesforce: an Event is a calendar meeting
        "appointment": "meeting",
        "visit": "meeting",
        "site visit": "meeting",
        "video call": "meeting",
        "teams meeting": "meeting",
        "executive review": "executive_review",
        "qbr": "executive_review",
        "business review": "executive_review",
        "quarterly business review": "executive_review",
        "workshop": "workshop",
        "survey": "feedback_request",
        "nps survey": "feedback_request",
        "feedback request": "feedback_request",
        "demo": "sales_pitch",
        "sales pitch": "sales_pitch",
        "pitch": "sales_pitch",
        "escalation": "escalation",
        "value recap": "value_recap",
        "hospitality": "hospitality",
        "lunch": "hospitality",
        "dinner": "hospitality",
        "tender clarification": "tender_clarification",
        "clarification": "tender_clarification",
    },
    "initiated_by": {
        "us": "us",
        "we": "us",
        "outbound": "us",
        "outgoing": "us",
        "supplier": "us",
        "internal": "us",
        "customer": "customer",
        "inbound": "customer",
        "incoming": "customer",
        "client": "customer",
        "them": "customer",
    },
    "influence": {
        "high": "high",
        "h": "high",
        "3": "high",
        "medium": "medium",
        "med": "medium",
        "m": "medium",
        "2": "medium",
        "low": "low",
        "l": "low",
        "1": "low",
    },
    "buying_role": {
        "economic buyer": "economic_buyer",
        "decision maker": "economic_buyer",
        "budget holder": "economic_buyer",
        "user": "user",
        "end user": "user",
        "technical": "technical",
        "technical buyer": "technical",
        "evaluator": "technical",
        "technical evaluator": "technical",
        "coach": "coach",
        "unknown": "unknown",
    },
    "route": {
        "option to extend": "option_to_extend",
        "extension": "option_to_extend",
        "negotiated": "negotiated",
        "direct award": "negotiated",
        "direct negotiation": "negotiated",
        "selective tender": "selective_tender",
        "restricted": "selective_tender",
        "restricted procedure": "selective_tender",
        "open tender": "open_tender",
        "open procedure": "open_tender",
        "tender": "open_tender",
        "panel": "panel",
        "framework": "panel",
        "call off": "panel",
        "unknown": "unknown",
    },
}


def fields_for(kind: str) -> tuple[ImportField, ...]:
    """The fields a file of ``kind`` can feed; MappingError for an unknown kind."""
    if kind not in FIELDS:
        raise MappingError(f"'{quote(kind)}' is not a kind of record: use {', '.join(KINDS)}.")
    return FIELDS[kind]


def field_named(kind: str, name: str) -> ImportField:
    """One field of ``kind`` by name; MappingError naming the choices otherwise."""
    for f in fields_for(kind):
        if f.name == name:
            return f
    names = ", ".join(f.name for f in fields_for(kind))
    raise MappingError(f"'{quote(name)}' is not a field of {kind}: use one of {names}.")


def is_bookkeeping(header: str) -> bool:
    """True for a column a CRM adds for its own round trip, never for people: Dynamics 365
    puts "(Do Not Modify) Account", "(Do Not Modify) Row Checksum" and "(Do Not Modify)
    Modified On" in hidden columns of its Excel exports."""
    return fold(header).startswith("do not modify")


def guess_columns(kind: str, headers: list[str]) -> dict[str, str]:
    """Header → field for every header recognised for ``kind`` (each field used once).

    Bookkeeping columns (:func:`is_bookkeeping`) are never recognised."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    folded = ["" if is_bookkeeping(h) else fold(h) for h in headers]
    # Earlier names in a field's list are better matches: take them first across all headers.
    for f in fields_for(kind):
        for alias in f.headers:
            if f.name in taken:
                break
            for header, key in zip(headers, folded, strict=True):
                if header in out or not key or key in NOT_MAPPED:
                    continue
                if key == alias or key.replace(" ", "") == alias.replace(" ", ""):
                    out[header] = f.name
                    taken.add(f.name)
                    break
    return out


#: The fields whose presence says most clearly what a file holds.
_SIGNATURE = {
    "accounts": {"name", "industry", "owner", "revenue", "customer_since", "region"},
    "contracts": {
        "reference",
        "start_date",
        "end_date",
        "term_months",
        "notice_days",
        "annual_value",
    },
    "stakeholders": {"first_name", "last_name", "email", "phone", "buying_role", "influence"},
    "interactions": {"date", "type", "purpose", "initiated_by", "people"},
}


#: Columns only one kind of activity export has (HubSpot's calls, meetings and emails
#: exports have no type column: the file is all of one type), folded.
_TYPE_OF_COLUMNS = {
    "call direction": "call",
    "call title": "call",
    "call outcome": "call",
    "call duration": "call",
    "call duration hh mm ss": "call",
    "call notes": "call",
    "meeting name": "meeting",
    "meeting title": "meeting",
    "meeting outcome": "meeting",
    "meeting start time": "meeting",
    "meeting location": "meeting",
    "email subject": "email",
    "email direction": "email",
    "email send status": "email",
}


def activity_type_of(headers: list[str]) -> str | None:
    """The interaction type a file without a type column holds, when its columns say (a
    HubSpot calls export has "Call direction" and "Call title"); None otherwise."""
    found = {_TYPE_OF_COLUMNS.get(fold(h)) for h in headers} - {None}
    return found.pop() if len(found) == 1 else None


def guess_kind(headers: list[str]) -> str | None:
    """Which kind of record a file with these headers holds, when it is clear; else None."""
    scores = []
    for kind in KINDS:
        mapped = set(guess_columns(kind, headers).values())
        signature = len(mapped & _SIGNATURE[kind])
        scores.append((signature, len(mapped), kind))
    scores.sort(reverse=True)
    best, second = scores[0], scores[1]
    if best[0] == 0 or best[0] == second[0]:
        return None
    return best[2]


@dataclass
class Mapping:
    """A user's mapping of one file onto one kind of record."""

    kind: str
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    date_order: str | None = None
    decimal: str | None = None

    def __post_init__(self) -> None:
        fields_for(self.kind)
        used: dict[str, str] = {}
        for header, name in self.columns.items():
            if name == "":
                continue  # the user chose to leave this column out
            field_named(self.kind, name)
            if name in used:
                raise MappingError(
                    f"Two columns feed the field '{name}': '{quote(used[name])}' and "
                    f"'{quote(header)}'. Map only one of them."
                )
            used[name] = header
        for name, table in self.values.items():
            f = field_named(self.kind, name)
            if f.type not in ("enum", "bool"):
                raise MappingError(
                    f"Values can only be translated for choice fields, not '{name}'."
                )
            for target in table.values():
                _check_value(f, target)
        if self.date_order is not None and self.date_order not in DATE_ORDERS:
            raise MappingError(
                f"date_order '{quote(self.date_order)}' is not one of {', '.join(DATE_ORDERS)}."
            )
        if self.decimal is not None and self.decimal not in (".", ","):
            raise MappingError(f"decimal '{quote(self.decimal)}' must be '.' or ','.")

    def resolved_columns(self, headers: list[str]) -> dict[str, str]:
        """Header → field for this file: the user's choices, then recognised headers for the
        fields still free. A column mapped to "" is left out."""
        chosen = {h: f for h, f in self.columns.items() if h in headers and f}
        taken = set(chosen.values())
        # Only the columns the user left open are recognised: a column they left out does not
        # keep its field from the next best column ("Record ID - Company" for the account).
        open_headers = [h for h in headers if h not in self.columns]
        for header, name in guess_columns(self.kind, open_headers).items():
            if name not in taken:
                chosen[header] = name
                taken.add(name)
        return {h: chosen[h] for h in headers if h in chosen}

    def value_for(self, name: str, text: str) -> str | None:
        """The user's or the built-in translation of a cell of field ``name``, if any."""
        key = fold(text)
        user = {fold(k): v for k, v in self.values.get(name, {}).items()}
        if key in user:
            return user[key]
        return DEFAULT_VALUES.get(name, {}).get(key)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "columns": dict(self.columns)}
        if self.values:
            out["values"] = {k: dict(v) for k, v in self.values.items()}
        if self.date_order:
            out["date_order"] = self.date_order
        if self.decimal:
            out["decimal"] = self.decimal
        return out

    @classmethod
    def from_json(cls, data: Any) -> Mapping:
        """Build a mapping from parsed JSON; MappingError for anything malformed."""
        if not isinstance(data, dict):
            raise MappingError("A mapping must be a JSON object with 'kind' and 'columns'.")
        unknown = set(data) - {"kind", "columns", "values", "date_order", "decimal"}
        if unknown:
            raise MappingError(f"Unknown keys in the mapping: {', '.join(sorted(unknown))}.")
        kind = data.get("kind")
        columns = data.get("columns", {})
        values = data.get("values", {})
        if not isinstance(kind, str):
            raise MappingError("The mapping must say its 'kind' (accounts, contracts, ...).")
        if not isinstance(columns, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
        ):
            raise MappingError("'columns' must map header text to field names.")
        if not isinstance(values, dict) or not all(
            isinstance(k, str)
            and isinstance(v, dict)
            and all(isinstance(a, str) and isinstance(b, str) for a, b in v.items())
            for k, v in values.items()
        ):
            raise MappingError("'values' must map field names to {text in file: value}.")
        for key in ("date_order", "decimal"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise MappingError(f"'{key}' must be text.")
        return cls(
            kind=kind,
            columns=dict(columns),
            values={k: dict(v) for k, v in values.items()},
            date_order=data.get("date_order"),
            decimal=data.get("decimal"),
        )


def _check_value(f: ImportField, target: str) -> None:
    if f.type == "bool":
        if target.casefold() not in ("true", "false", "yes", "no", "1", "0"):
            raise MappingError(f"'{quote(target)}' is not yes or no for {f.name}.")
        return
    assert f.enum is not None
    try:
        f.enum.parse(target)
    except ValueError:
        allowed = ", ".join(m.value for m in f.enum)
        raise MappingError(
            f"'{quote(target)}' is not a value of {f.name}: use one of {allowed}."
        ) from None


#: Largest mapping file read: a mapping is a few kilobytes.
MAX_MAPPING_BYTES = 1024 * 1024


def load_mapping(path: str | os.PathLike[str]) -> Mapping:
    """Read a mapping JSON file; MappingError with a plain message when it is not one."""
    file = Path(path).expanduser()
    try:
        if file.stat().st_size > MAX_MAPPING_BYTES:
            raise MappingError(f"{file.name} is too large to be a mapping file.")
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise MappingError(f"The mapping file {file} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"The mapping file {file} cannot be read: {exc}.") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise MappingError(f"The mapping file {file.name} is not valid JSON: {exc}.") from None
    return Mapping.from_json(data)


def save_mapping(mapping: Mapping, path: str | os.PathLike[str]) -> None:
    """Write ``mapping`` as JSON (whole file or nothing)."""
    from ..fileio import atomic_write

    with atomic_write(path, text=True) as stream:
        json.dump(mapping.to_json(), stream, ensure_ascii=False, indent=2)
        stream.write("\n")


def user_mapping_dir() -> Path:
    """Where the app keeps the mappings a person saved (JSON files, one per mapping)."""
    from ..paths import default_data_dir

    return default_data_dir() / "mappings"


def saved_mappings() -> list[Path]:
    """The saved mapping files, by name."""
    folder = user_mapping_dir()
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.json"), key=lambda p: p.stem.casefold())
