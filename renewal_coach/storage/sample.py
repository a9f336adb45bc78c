"""Loading the bundled sample portfolio into a store, or into a new database file.

The sample (``data/sample_portfolio.json``, written by
``python -m renewal_coach.tools.make_sample``) stores every date as a whole number of days
relative to the day it is loaded: ``-45`` means 45 days before that day, ``null`` means no date.
:func:`load_sample` resolves the offsets against ``today``, so the portfolio always looks
current. Ids are fixed in the file, so two loads give the same records.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..core.errors import ValidationError
from ..core.records import Record, fields_of
from ..paths import resource_path
from .db import open_database
from .errors import StorageError
from .repository import Store

#: What the sample file says it is, and the only layout this loader reads.
SAMPLE_FORMAT = "renewal-coach-sample"
SAMPLE_FORMAT_VERSION = 1

#: Tables in the order they are loaded: every record only refers to records loaded before it.
LOAD_ORDER: tuple[str, ...] = (
    "accounts",
    "contracts",
    "stakeholders",
    "goals",
    "interactions",
    "evidence",
    "concerns",
    "improvements",
    "change_events",
    "milestones",
    "commitments",
)


class SampleError(StorageError):
    """The sample portfolio could not be loaded. ``str(err)`` says why, for people."""


class SampleDataError(SampleError):
    """The bundled sample file is missing or damaged (a packaging problem, not the user's)."""


class StoreNotEmptyError(SampleError):
    """The sample is only ever loaded into an empty database, never mixed with real data."""


class SampleTargetExistsError(SampleError):
    """A file already exists where the sample database was to be created; it was not touched."""


def sample_file() -> Path:
    """Where the bundled sample portfolio lives (``data/sample_portfolio.json``)."""
    return resource_path("data", "sample_portfolio.json")


def read_sample(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Read and sanity-check the sample file; return its parsed content.

    Raises :class:`SampleDataError` when the file is missing, is not JSON, or is not a sample
    portfolio in the format this version understands.
    """
    file = Path(path) if path is not None else sample_file()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SampleDataError(
            f"The sample portfolio is missing from this installation (expected {file})."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SampleDataError(f"The sample portfolio file {file} cannot be read: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != SAMPLE_FORMAT:
        raise SampleDataError(f"{file} is not a Renewal Coach sample portfolio.")
    if data.get("format_version") != SAMPLE_FORMAT_VERSION:
        raise SampleDataError(
            f"{file} uses sample format {data.get('format_version')!r}; this version of Renewal "
            f"Coach reads format {SAMPLE_FORMAT_VERSION}."
        )
    tables = data.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(v, list) for v in tables.values()):
        raise SampleDataError(f"{file} has no tables of records.")
    unknown = sorted(set(tables) - set(LOAD_ORDER))
    if unknown:
        raise SampleDataError(f"{file} has tables this version does not know: {unknown}.")
    return data


def resolve_row(entity: type[Record], row: dict[str, Any], today: date) -> Record:
    """Build one entity from a sample row, turning day offsets into dates relative to ``today``.

    Raises ValueError naming the field when the row has an unknown field or a date that is not
    a whole number of days.
    """
    known = {fi.name: fi for fi in fields_of(entity)}
    values: dict[str, Any] = {}
    for name, value in row.items():
        if name == "id":
            values["id"] = value
            continue
        fi = known.get(name)
        if fi is None:
            raise ValueError(f"unknown field '{name}'")
        if fi.kind == "date" and value is not None:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"'{name}' must be a whole number of days, not {value!r}")
            value = today + timedelta(days=value)
        values[name] = value
    return entity(**values)


def load_sample(store: Store, today: date | None = None) -> dict[str, int]:
    """Insert the sample portfolio into an empty ``store``; return how many records per table.

    Every date in the sample is an offset in days; it is resolved against ``today`` (default:
    the current date), so the same sample loaded a year later is a year later too. Records go
    through the repositories, so they are validated like any other write, and all of them are
    written in one transaction: either the whole sample is loaded or nothing is.

    Raises :class:`StoreNotEmptyError` when the store already holds any records, and
    :class:`SampleDataError` when the bundled sample is missing or damaged.
    """
    day = today or date.today()
    data = read_sample()
    held = {name: store.repo(name).count() for name in _ALL_TABLES}
    if any(held.values()):
        what = ", ".join(
            f"{name.replace('_', ' ')}: {count}" for name, count in held.items() if count
        )
        raise StoreNotEmptyError(
            "The sample portfolio can only be loaded into an empty database, and this one "
            f"already holds records ({what}). Create a separate sample database instead; "
            "nothing was changed."
        )
    counts: dict[str, int] = {}
    with store.atomic("import"):
        for name in LOAD_ORDER:
            repo = store.repo(name)
            rows = data["tables"].get(name, [])
            for index, row in enumerate(rows, start=1):
                try:
                    if not isinstance(row, dict):
                        raise ValueError("is not a record")
                    repo.add(resolve_row(repo.entity, row, day))
                except (ValueError, TypeError, ValidationError) as exc:
                    raise SampleDataError(
                        f"The sample portfolio is damaged: {name} record {index}: {exc}"
                    ) from exc
            counts[name] = len(rows)
    return counts


def create_sample_database(path: str | os.PathLike[str], today: date | None = None) -> Path:
    """Create a new database file at ``path`` holding the sample portfolio; return its path.

    An existing file is never overwritten or changed: :class:`SampleTargetExistsError` says so.
    If anything fails part-way, the half-made file is removed again, so a failed attempt leaves
    nothing behind.
    """
    file = Path(path).expanduser()
    siblings = [file.with_name(file.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
    existing_siblings = {s for s in siblings if s.exists()}
    if file.is_dir():
        raise SampleTargetExistsError(
            f"{file} is a folder. Choose a file name for the sample database."
        )
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        # Exclusive creation: if the file appears between a check and the write, we still refuse.
        with file.open("xb"):
            pass
    except FileExistsError:
        raise SampleTargetExistsError(
            f"{file} already exists, and the sample is only ever written to a new file. Nothing "
            "was changed: choose another file name, or move the existing file away first."
        ) from None
    except OSError as exc:
        raise SampleError(
            f"Cannot create the sample database {file}: {exc.strerror or exc}."
        ) from exc
    store: Store | None = None
    try:
        # The file was made empty just above, for this portfolio.
        store = Store(open_database(file, new_portfolio=True))
        load_sample(store, today)
        store.close()
        store = None
    except BaseException:
        if store is not None:
            with contextlib.suppress(Exception):  # the original failure is what matters
                store.close()
        for leftover in [file, *siblings]:
            if leftover == file or leftover not in existing_siblings:
                leftover.unlink(missing_ok=True)
        raise
    return file


_ALL_TABLES: tuple[str, ...] = (
    *LOAD_ORDER,
    "plans",
    "assessments",
    "coaching_sessions",
)
