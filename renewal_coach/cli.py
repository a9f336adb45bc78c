"""Headless commands. Same storage and core as the app; imports no Qt.

Exit codes: 0 success, 1 an expected problem explained on one line of stderr (missing, locked,
corrupt or newer database; unknown record), 2 wrong arguments (with the usage message).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import APP_NAME, __version__
from .core.dates import add_months
from .core.errors import RenewalCoachError
from .core.money import format_money, money_str
from .paths import default_database_path
from .storage.db import open_database
from .storage.repository import Store

PROG = "renewal-coach"


def _months(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of months") from None
    if not 1 <= value <= 600:
        raise argparse.ArgumentTypeError("months must be between 1 and 600")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command (exposed for tests and help generation)."""
    db_help = f"database file (default: {default_database_path()})"
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=f"{APP_NAME}: plan and win contract renewals with your major customers. "
        "Without a command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--db", metavar="FILE", type=Path, help=db_help)
    db_parent = argparse.ArgumentParser(add_help=False)
    db_parent.add_argument(
        "--db", metavar="FILE", type=Path, default=argparse.SUPPRESS, help=db_help
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sample = commands.add_parser(
        "sample",
        help="write the sample portfolio into a new database file",
        description="Write the fictional sample portfolio, with dates set relative to today, "
        "into a new database file. An existing file is never overwritten.",
    )
    sample.add_argument("file", metavar="FILE", type=Path, help="the new database file")

    renewals = commands.add_parser(
        "renewals",
        parents=[db_parent],
        help="list contracts ending soon",
        description="List contracts whose end date falls between today and N months ahead.",
    )
    renewals.add_argument(
        "--months", type=_months, default=18, metavar="N", help="how far ahead (default 18)"
    )
    renewals.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.command is None:
        return _gui(args.db)
    try:
        if args.command == "sample":
            return _sample(args.file)
        if args.command == "renewals":
            return _renewals(args.db, args.months, as_json=args.json)
    except RenewalCoachError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    parser.error(f"unknown command {args.command}")  # pragma: no cover - argparse catches it
    return 2  # pragma: no cover


def _gui(db: Path | None) -> int:
    from .qt_check import qt_problem

    problem = qt_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from .app import run_gui

    return run_gui(db)


def _open_readonly(db: Path | None) -> Store:
    path = db or default_database_path()
    return Store(open_database(path, create=False, readonly=True))


def _sample(file: Path) -> int:
    from .storage.sample import create_sample_database

    path = create_sample_database(file)
    print(f"Sample portfolio written to {path}")
    return 0


@dataclass(frozen=True, slots=True)
class RenewalRow:
    """One line of the ``renewals`` listing."""

    account: str
    reference: str
    title: str
    end_date: date
    notice_deadline: date | None
    annual_value_minor: int | None
    currency: str
    status: str

    def to_json(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "reference": self.reference,
            "title": self.title,
            "end_date": self.end_date.isoformat(),
            "notice_deadline": self.notice_deadline.isoformat() if self.notice_deadline else None,
            "annual_value": money_str(self.annual_value_minor, self.currency),
            "currency": self.currency,
            "status": self.status,
        }


def renewal_rows(store: Store, today: date, months: int) -> list[RenewalRow]:
    """Contracts of live accounts ending between ``today`` and ``today + months``, soonest first."""
    accounts = {a.id: a for a in store.accounts.all() if not a.archived}
    rows = []
    for contract in store.contracts.ending_between(today, add_months(today, months)):
        account = accounts.get(contract.account_id)
        if account is None:
            continue
        assert contract.end_date is not None
        rows.append(
            RenewalRow(
                account=account.name,
                reference=contract.reference,
                title=contract.title,
                end_date=contract.end_date,
                notice_deadline=contract.effective_notice_deadline(),
                annual_value_minor=contract.annual_value_minor,
                currency=account.currency,
                status=contract.status.value,
            )
        )
    return rows


def _renewals(db: Path | None, months: int, *, as_json: bool) -> int:
    store = _open_readonly(db)
    try:
        rows = renewal_rows(store, date.today(), months)
    finally:
        store.close()
    if as_json:
        json.dump([r.to_json() for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print(f"No contracts end in the next {months} months.")
        return 0
    table = [
        (
            r.account,
            r.reference,
            r.title,
            r.end_date.isoformat(),
            r.notice_deadline.isoformat() if r.notice_deadline else "—",
            format_money(r.annual_value_minor, r.currency),
            r.status,
        )
        for r in rows
    ]
    _print_table(
        ("Account", "Reference", "Title", "Ends", "Notice by", "Annual value", "Status"), table
    )
    return 0


def _print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [min(40, max(len(str(c)) for c in col)) for col in zip(header, *rows, strict=False)]

    def fit(text: str, width: int) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    for line in (header, *rows):
        print(
            "  ".join(fit(str(c), w).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        )
