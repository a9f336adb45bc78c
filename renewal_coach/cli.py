"""Headless commands. Same storage and core as the app; imports no Qt.

Exit codes: 0 success, 1 an expected problem explained on one line of stderr (missing, locked,
corrupt or newer database; unknown record), 2 wrong arguments (with the usage message).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
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
from .core.numbers import bounded_int
from .core.text import quote
from .paths import default_database_path
from .storage.db import open_database
from .storage.repository import Store

PROG = "renewal-coach"


def _months(text: str) -> int:
    try:
        value = bounded_int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{quote(text)}' is not a whole number of months"
        ) from None
    if not 1 <= value <= 600:
        raise argparse.ArgumentTypeError("months must be between 1 and 600")
    return value


def _agenda_days(text: str) -> int:
    try:
        value = bounded_int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{quote(text)}' is not a whole number of days") from None
    if not 1 <= value <= 366:
        raise argparse.ArgumentTypeError("days must be between 1 and 366")
    return value


def _limit(text: str) -> int:
    try:
        value = bounded_int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{quote(text)}' is not a whole number") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("the limit must be between 1 and 1000")
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
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add Renewal Coach, with its icon, to your application menu "
        "(under $XDG_DATA_HOME, default ~/.local/share) and exit",
    )
    db_parent = argparse.ArgumentParser(add_help=False)
    db_parent.add_argument(
        "--db", metavar="FILE", type=Path, default=argparse.SUPPRESS, help=db_help
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    user = commands.add_parser(
        "user",
        help="show or set your name",
        description="Show the name Renewal Coach uses for you: it owns the commitments you "
        "make in coaching sessions, signs the plans you edit and is the author of the documents "
        "you export. It is kept in your own settings folder, never in a database file.",
    )
    user.add_argument("--set", metavar="NAME", dest="new_name", help="keep NAME as your name")

    sample = commands.add_parser(
        "sample",
        help="write the sample portfolio into a new database file",
        description="Write the fictional sample portfolio, with dates set relative to today, "
        "into a new database file. An existing file is never overwritten.",
    )
    sample.add_argument("file", metavar="FILE", type=Path, help="the new database file")

    _add_import_parser(commands, db_parent)
    _add_history_parser(commands, db_parent)
    _add_backup_parsers(commands, db_parent)

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
    renewals.add_argument("--today", type=_day, metavar="DATE", help=argparse.SUPPRESS)

    agenda = commands.add_parser(
        "agenda",
        parents=[db_parent],
        help="what needs you this week: deadlines, milestones, commitments",
        description="List everything due in the next N days and everything overdue, grouped as "
        "the This Week page groups it: contract deadlines, campaign milestones, commitments we "
        "owe and the customer owes us, people past the contact rhythm they asked for, and "
        "concerns open too long. Archived accounts and closed contracts are left out.",
    )
    agenda.add_argument(
        "--days",
        type=_agenda_days,
        default=None,
        metavar="N",
        help="how many days ahead (default: the This Week setting, 14 unless changed)",
    )
    agenda.add_argument(
        "--owner",
        default="",
        metavar="NAME",
        help="only accounts whose owner has these words in their name (any case)",
    )
    agenda.add_argument("--json", action="store_true", help="print JSON instead of text")
    agenda.add_argument("--today", type=_day, metavar="DATE", help=argparse.SUPPRESS)

    _add_calendar_parser(commands, db_parent)

    account = commands.add_parser(
        "account",
        parents=[db_parent],
        help="show one account's scores with their full breakdown",
        description="Show the segment, engagement balance, renewal risk and campaign of one "
        "account, with every factor, what was missing and the settings used.",
    )
    account.add_argument("name", metavar="NAME_OR_ID", help="account name (any case) or id")
    account.add_argument("--json", action="store_true", help="print JSON instead of text")
    account.add_argument("--today", type=_day, metavar="DATE", help=argparse.SUPPRESS)

    search = commands.add_parser(
        "search",
        parents=[db_parent],
        help="find records of every account by the words in them",
        description="Search accounts, contracts, people, interactions, goals, evidence, "
        "concerns, improvements, changes, commitments, plans and coaching notes. Every word must "
        "appear (as the start of a word, in any case and with or without accents); the best "
        "matches come first, with the matching words in [brackets].",
    )
    search.add_argument("text", metavar="TEXT", nargs="+", help="the words to look for")
    search.add_argument(
        "--limit",
        type=_limit,
        default=20,
        metavar="N",
        help="show at most N records (default 20)",
    )
    search.add_argument("--json", action="store_true", help="print JSON instead of text")

    chart = commands.add_parser(
        "chart",
        parents=[db_parent],
        help="draw a portfolio chart to a PNG file",
        description="Draw the virtual line, the renewal horizon (next 36 months) or effort "
        "against value for the whole portfolio.",
    )
    chart.add_argument("kind", choices=CHART_KINDS, help="which chart")
    chart.add_argument("--out", required=True, type=Path, metavar="FILE.png", help="PNG file")
    chart.add_argument("--today", type=_day, metavar="DATE", help=argparse.SUPPRESS)

    export = commands.add_parser(
        "export",
        help="write a Word document or a table (CSV or Excel) from the portfolio",
        description="Write a customer-facing renewal proposal draft or an internal coaching "
        "brief for one contract to a .docx file, or the Portfolio or Renewals list to a CSV or "
        "XLSX file.",
    )
    kinds = export.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, help_text in (
        ("proposal", "a renewal proposal draft for the customer (.docx)"),
        ("brief", "an internal coaching brief (.docx)"),
    ):
        doc = kinds.add_parser(
            kind,
            parents=[db_parent],
            help=help_text,
            description=f"Write {help_text} for one contract.",
        )
        doc.add_argument(
            "--contract", required=True, metavar="REF", help="contract reference or id"
        )
        doc.add_argument("--out", required=True, type=Path, metavar="FILE.docx", help="output")
        doc.add_argument("--template", type=Path, metavar="FILE.docx", help="company template")
        doc.add_argument("--today", type=_day, metavar="DATE", help=argparse.SUPPRESS)
    for kind, help_text, description in (
        (
            "portfolio",
            "the Portfolio list: every account that is not archived",
            "Write the accounts of the Portfolio page (all but archived ones), with its "
            "columns, in the order it opens in (next renewal first).",
        ),
        (
            "renewals",
            "the Renewals list: contracts near renewal or with overdue milestones",
            "Write the contracts of the Renewals page, in its order, with their next milestone "
            "and its status.",
        ),
    ):
        table = kinds.add_parser(
            kind,
            parents=[db_parent],
            help=help_text,
            description=description + " The format follows the file name: .csv (UTF-8, "
            "ISO dates) or .xlsx (date cells, money as numbers); money comes with a currency "
            "column.",
        )
        table.add_argument(
            "--out", required=True, type=Path, metavar="FILE.csv|FILE.xlsx", help="output"
        )
        table.add_argument("--today", type=_day, metavar="DATE", help=argparse.SUPPRESS)
    return parser


CHART_KINDS = ("virtual-line", "horizon", "engagement")
TABLE_KINDS = ("portfolio", "renewals")
#: The file suffixes ``export portfolio|renewals`` writes (renewal_coach.tables.writers.SUFFIXES,
#: repeated so that parsing the arguments imports nothing more).
TABLE_SUFFIXES = (".csv", ".xlsx")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{quote(text)}' is not a date like 2026-03-31") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.install_desktop_entry:
        if args.command is not None:
            parser.error("--install-desktop-entry takes no command")
        return _install_desktop_entry()
    if args.command is None:
        return _gui(args.db)
    try:
        if args.command == "sample":
            return _sample(args.file)
        if args.command == "user":
            return _user(args.new_name)
        if args.command == "import":
            return _import(args, parser)
        if args.command == "history":
            return _history(args)
        if args.command in _BACKUP_COMMANDS:
            return _backup_command(args)
        today = getattr(args, "today", None) or date.today()
        if args.command == "renewals":
            return _renewals(args.db, args.months, as_json=args.json, today=today)
        if args.command == "agenda":
            return _agenda(args.db, args.days, args.owner, as_json=args.json, today=today)
        if args.command == "calendar":
            return _calendar(args, parser, today)
        if args.command == "account":
            return _account(args.db, args.name, as_json=args.json, today=today)
        if args.command == "search":
            return _search(args.db, " ".join(args.text), args.limit, as_json=args.json)
        if args.command == "chart":
            return _chart(args.db, args.kind, args.out, today)
        if args.command == "export" and args.kind in TABLE_KINDS:
            if Path(args.out).suffix.lower() not in TABLE_SUFFIXES:
                parser.error(
                    f"export {args.kind}: --out {args.out} must end in .csv or .xlsx "
                    "(the format follows the file name)"
                )
            return _export_table(args.db, args.kind, args.out, today)
        if args.command == "export":
            return _export(args.db, args.kind, args.contract, args.out, args.template, today)
    except RenewalCoachError as exc:
        print(f"{PROG}: {exc}{_hint(exc)}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:  # met outside the storage layer's own translation
        from .storage.db import translate

        print(f"{PROG}: {translate(exc, getattr(args, 'db', None))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head and the like
        sys.stderr.close()
        return 0
    parser.error(f"unknown command {args.command}")  # pragma: no cover - argparse catches it
    return 2  # pragma: no cover


# ---- backups, restore, integrity check, one writer per file (cli_backups.py) ---------------

_BACKUP_COMMANDS = ("backup", "backups", "restore", "check")


def _add_backup_parsers(commands: Any, db_parent: argparse.ArgumentParser) -> None:
    from .cli_backups import add_parsers

    add_parsers(commands, db_parent)


def _backup_command(args: argparse.Namespace) -> int:
    from .cli_backups import run

    return run(args)


def _hint(exc: BaseException) -> str:
    """A further sentence for some errors: what to do when another process is writing."""
    from .storage.errors import DatabaseInUseError

    if isinstance(exc, DatabaseInUseError):
        from .cli_backups import in_use_hint

        return " " + in_use_hint()
    return ""


def _gui(db: Path | None) -> int:
    from .qt_check import qt_problem

    problem = qt_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from .app import run_gui

    return run_gui(db)


def _install_desktop_entry() -> int:
    from .desktop_entry import install

    try:
        done = install()
    except RenewalCoachError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    print(f"Menu entry written to {done.desktop_file} (starts: {done.command})")
    return 0


def _open_readonly(db: Path | None) -> Store:
    path = db or default_database_path()
    return Store(open_database(path, create=False, readonly=True))


def _user(new_name: str | None) -> int:
    from .user import set_user_name, user_file, user_name

    if new_name is not None:
        name = set_user_name(new_name)
        print(f"Your name is now {name}." if name else "Your name was forgotten.")
        return 0
    name = user_name()
    if name:
        print(name)
    else:
        print(
            f"No name yet: set it with '{PROG} user --set \"Your Name\"' (kept in {user_file()}).",
            file=sys.stderr,
        )
    return 0


def _sample(file: Path) -> int:
    from .storage.sample import create_sample_database

    path = create_sample_database(file)
    print(f"Sample portfolio written to {path}")
    return 0


def _add_import_parser(commands: Any, db_parent: argparse.ArgumentParser) -> None:
    from .tables.mapping import KINDS

    imp = commands.add_parser(
        "import",
        parents=[db_parent],
        help="import accounts, contracts, people or interactions from a CSV or XLSX file",
        description="Import one kind of record from a CRM or spreadsheet export (CSV or XLSX). "
        "Rows are matched to what the portfolio holds, so importing the same file twice "
        "creates nothing the second time. Rejected rows are reported with their row number, "
        "column and reason; the other rows still import. Exit status: 0 all rows imported, "
        "3 some rows rejected (the rest imported), 1 the file cannot be read or no column is "
        "recognised, 2 wrong arguments. A --db file that does not exist becomes a new "
        "portfolio.",
    )
    imp.add_argument("file", metavar="FILE", type=Path, nargs="?", help="CSV or XLSX file")
    imp.add_argument("--kind", choices=KINDS, help="what the file holds (default: from headers)")
    imp.add_argument("--mapping", type=Path, metavar="MAP.json", help="column mapping file")
    imp.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
    imp.add_argument("--errors", type=Path, metavar="OUT.csv", help="write rejected rows here")
    imp.add_argument("--json", action="store_true", help="print a JSON summary")
    imp.add_argument(
        "--date-order",
        choices=("dmy", "mdy", "ymd"),
        help="order of dates written as numbers, when the file's values cannot tell",
    )
    imp.add_argument("--decimal", choices=(",", "."), help="the file's decimal mark")
    imp.add_argument("--sheet", metavar="NAME", help="worksheet of an XLSX file (default: first)")
    imp.add_argument(
        "--fields", choices=KINDS, metavar="KIND", help="list the fields of KIND and exit"
    )
    imp.add_argument("--today", type=_day, metavar="DATE", help=argparse.SUPPRESS)


def _import(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .storage.db import MEMORY
    from .tables.importer import DateOrderNeeded, field_help, prepare, run_import
    from .tables.mapping import MappingError, load_mapping
    from .tables.sources import TableFileError

    if args.fields:
        rows = [(name, label, how) for name, label, how in field_help(args.fields)]
        _print_table(("Field", "What it is", "How it is read"), rows)
        return 0
    if args.file is None:
        parser.error("import needs a FILE (or --fields KIND)")
    try:
        mapping = load_mapping(args.mapping) if args.mapping else None
        prepared = prepare(
            args.file,
            kind=args.kind,
            mapping=mapping,
            sheet=args.sheet,
            date_order=args.date_order,
            decimal=args.decimal,
        )
    except (TableFileError, MappingError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except RenewalCoachError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    path = args.db if getattr(args, "db", None) else default_database_path()
    if args.dry_run and not Path(path).expanduser().exists():
        store = Store(open_database(MEMORY))
    elif args.dry_run:
        store = Store(open_database(path, create=False, readonly=True))
    else:
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        store = Store(open_database(path, create=True))
    try:
        try:
            plan, _result = run_import(
                store, prepared, dry_run=args.dry_run, today=args.today or date.today()
            )
        except DateOrderNeeded as exc:
            print(
                f"{PROG}: {exc} Run again with --date-order dmy (day first) or --date-order "
                "mdy (month first).",
                file=sys.stderr,
            )
            return 2
    finally:
        store.close()
    if args.errors is not None and plan.rejected:
        plan.write_errors(args.errors)
    if args.json:
        summary = plan.summary()
        summary["dry_run"] = bool(args.dry_run)
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_import(prepared, plan, args)
    return 3 if plan.rejected else 0


def _print_import(prepared: Any, plan: Any, args: argparse.Namespace) -> None:
    source = prepared.source
    print(f"{source.path.name}: {source.describe()}; {plan.rows:,} rows of {plan.kind}.")
    for warning in source.warnings:
        print(f"  note: {warning}")
    mapped = ", ".join(f"{h} → {f}" for h, f in prepared.columns.items())
    print(f"  columns: {mapped}")
    unused = prepared.unmapped()
    if unused:
        print(f"  not used: {', '.join(unused)}")
    order = {"dmy": "day first", "mdy": "month first", "ymd": "year first"}.get(
        plan.date_order or "", "as written (nothing ambiguous)"
    )
    print(f"  dates read {order}; decimal mark '{plan.decimal}'")
    verb = "Would create" if args.dry_run else "Created"
    c = plan.counts
    print(
        f"{verb} {c['created']:,}, update {c['updated']:,}, leave {c['unchanged']:,} unchanged, "
        f"reject {c['rejected']:,}."
        if args.dry_run
        else f"{verb} {c['created']:,}, updated {c['updated']:,}, "
        f"{c['unchanged']:,} unchanged, {c['rejected']:,} rejected."
    )
    if args.dry_run:
        for action in ("created", "updated", "unchanged"):
            for o in plan.shown(action, 5):
                extra = f" ({', '.join(o.changes)})" if o.changes else ""
                print(
                    f"  row {o.row}: {action[:-1] if action != 'unchanged' else action} "
                    f"{o.label}{extra}"
                )
    for note in plan.notes:
        print(f"  note: {note}")
    rejected = plan.rejected
    for o in rejected[:20]:
        for column, message in o.problems:
            # Most messages start with their column already ("Start Date: '31/02' is ...").
            where = f", {column}" if column and not message.startswith(f"{column}:") else ""
            print(f"  row {o.row}{where}: {message}")
    if len(rejected) > 20:
        print(f"  … and {len(rejected) - 20:,} more rejected rows")
    if rejected and args.errors is not None:
        print(f"Rejected rows written to {args.errors} (same columns, plus 'problem').")
    elif rejected:
        print("Write the rejected rows to a file to fix and import again with --errors FILE.csv.")
    if args.dry_run:
        print("Dry run: nothing was written.")


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
    scores: Any = None  # ContractScores
    account_scores: Any = None  # AccountScores

    def to_json(self) -> dict[str, Any]:
        out = self._basic()
        if self.scores is not None:
            camp = self.scores.campaign
            nxt = camp.next_milestone()
            risk = self.scores.risk
            eng = self.account_scores.engagement
            out.update(
                {
                    "anchor_date": camp.anchor.isoformat(),
                    "phase": camp.phase,
                    "tracked_since": _iso(self.scores.contract.tracked_since),
                    "milestones": camp.status_counts(),
                    "next_milestone": (
                        {"code": nxt.code, "due": nxt.due.isoformat(), "status": nxt.status}
                        if nxt
                        else None
                    ),
                    "risk": (
                        {
                            "score": round(risk.score, 2),
                            "band": risk.band,
                            "top_factors": [f.key for f in risk.top_factors()],
                        }
                        if risk
                        else None
                    ),
                    "engagement": {
                        "band": eng.band,
                        "balance": round(eng.score, 4),
                        "flags": [f.code for f in eng.flags],
                    },
                    "segment": self.account_scores.segment.band,
                }
            )
        return out

    def _basic(self) -> dict[str, Any]:
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


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def renewal_rows(
    store: Store, today: date, months: int, *, with_scores: bool = False
) -> list[RenewalRow]:
    """Contracts of live accounts ending between ``today`` and ``today + months``, soonest first.

    With ``with_scores`` each row carries its campaign, risk and the account's scores.
    """
    accounts = {a.id: a for a in store.accounts.all() if not a.archived}
    scored: dict[str, Any] = {}
    if with_scores:
        from .storage.scores import portfolio_scores

        scored = portfolio_scores(store, today)
    rows = []
    for contract in store.contracts.ending_between(today, add_months(today, months)):
        account = accounts.get(contract.account_id)
        if account is None:
            continue
        assert contract.end_date is not None
        acc_scores = scored.get(account.id)
        c_scores = (
            next((c for c in acc_scores.contracts if c.contract.id == contract.id), None)
            if acc_scores
            else None
        )
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
                scores=c_scores,
                account_scores=acc_scores,
            )
        )
    return rows


def _renewals(db: Path | None, months: int, *, as_json: bool, today: date) -> int:
    store = _open_readonly(db)
    try:
        rows = renewal_rows(store, today, months, with_scores=as_json)
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


def _agenda(db: Path | None, days: int | None, owner: str, *, as_json: bool, today: date) -> int:
    from .storage.agenda import load_agenda

    store = _open_readonly(db)
    try:
        agenda = load_agenda(store, today, days=days, owner=owner)
    finally:
        store.close()
    if as_json:
        json.dump(agenda.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print(agenda.summary())
    for _key, heading, items in agenda.groups():
        print()
        print(f"{heading} ({len(items)})")
        _print_table(
            ("When", "Due", "Account", "Contract", "What"),
            [
                (
                    item.when(today),
                    item.due.isoformat(),
                    item.account,
                    item.reference or "—",
                    item.title + (f" ({item.detail})" if item.group in _DETAILED else ""),
                )
                for item in items
            ],
            widths=(24, 10, 32, 18, 70),
        )
    return 0


#: Agenda groups whose detail is short and says something the title does not.
_DETAILED = ("rhythm", "concern")


def _print_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int] | None = None,
) -> None:
    """Columns as wide as their widest cell, at most 40 characters (or ``widths``)."""
    limits = widths or [40] * len(header)
    widths = [
        min(limit, max(len(str(c)) for c in col))
        for col, limit in zip(zip(header, *rows, strict=False), limits, strict=True)
    ]

    def fit(text: str, width: int) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    for line in (header, *rows):
        print(
            "  ".join(fit(str(c), w).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        )


def find_account(store: Store, name_or_id: str) -> Any:
    """The account with this id or name (any case); NotFoundError with a hint otherwise."""
    from .core.errors import NotFoundError

    account = store.accounts.find(name_or_id) or store.accounts.find_by_name(name_or_id.strip())
    if account is None:
        raise NotFoundError(
            f"No account called or with id '{quote(name_or_id)}'. "
            f"Run '{PROG} renewals' to see the accounts in this database."
        )
    return account


def _search(db: Path | None, text: str, limit: int, *, as_json: bool) -> int:
    from .storage.search import match_expression, search

    if not match_expression(text):
        print(f"{PROG}: type at least one letter or digit to search for.", file=sys.stderr)
        return 2
    store = _open_readonly(db)
    try:
        hits = search(store, text, limit)
    finally:
        store.close()
    if as_json:
        data = [
            {
                "kind": hit.kind,
                "record_id": hit.record_id,
                "account_id": hit.account_id,
                "account_name": hit.account_name,
                "title": hit.title,
                "snippet": hit.plain_snippet,
                "snippet_marked": hit.marked_snippet(),
                "matched_in": list(hit.fields),
                "rank": hit.rank,
                "archived": hit.archived,
            }
            for hit in hits
        ]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not hits:
        print(f"Nothing matches “{quote(text)}”.")
        return 0
    for hit in hits:
        where = f" · {hit.account_name}" if hit.account_name and hit.kind != "account" else ""
        archived = " (archived)" if hit.archived else ""
        print(f"{hit.kind_name}: {hit.shown_title()}{where}{archived}")
        print(f"    {hit.marked_snippet()}  (in {', '.join(hit.fields) or 'the record'})")
    if len(hits) == limit:
        print(f"(the first {limit}; use --limit to see more)")
    return 0


def _account(db: Path | None, name: str, *, as_json: bool, today: date) -> int:
    from .storage.scores import account_scores

    store = _open_readonly(db)
    try:
        account = find_account(store, name)
        scores = account_scores(store, account.id, today)
    finally:
        store.close()
    data = scores.to_json()
    data["today"] = today.isoformat()
    data["archived"] = bool(account.archived)
    if as_json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    _print_scores(scores)
    if account.archived:
        print(
            "\nArchived: left out of the portfolio lists and charts. Its segment is where it "
            "would rank if it were live again."
        )
    return 0


def _print_scores(scores: Any) -> None:
    def show(title: str, result: Any) -> None:
        if result is None:
            return
        value = "" if result.score is None else f" ({result.score:.2f})"
        print(f"\n{title}: {result.band_label}{value}, confidence {result.confidence:.0%}")
        for label, text in result.details:
            print(f"  {label}: {text}")
        if result.factors:
            _print_table(
                ("  Factor", "Input", "Normalised", "Weight", "Adds"),
                [
                    (
                        "  " + f.label,
                        f.input + ("" if f.known else " (missing: 0.5 used)"),
                        f"{f.normalised:.2f}",
                        f"{f.weight:.2f}",
                        f"{f.contribution:.2f}",
                    )
                    for f in result.factors
                ],
            )
        for flag in result.flags:
            print(f"  ! {flag.label}: {flag.reason}")
        for item in result.missing:
            print(f"  ? missing: {item}")
        for tip in result.advice:
            print(f"  > {tip}")

    print(scores.name)
    show("Segment", scores.segment)
    show("Engagement balance", scores.engagement)
    for c in scores.contracts:
        camp = c.campaign
        print(
            f"\nContract {c.contract.reference}: anchor {camp.anchor.isoformat()} "
            f"({camp.anchor_basis}), phase {camp.phase_label}"
        )
        tracked = c.contract.tracked_since
        if tracked:
            print(f"  Tracked since {tracked.isoformat()}")
        if not camp.closed:
            counts = camp.status_counts()
            line = f"  Milestones: {counts['overdue']} overdue of {camp.due_so_far} due so far"
            if counts["before_tracking"]:
                line += f"; {counts['before_tracking']} before tracking began (not counted as late)"
            print(line)
        nxt = camp.next_milestone()
        if nxt:
            print(f"  Next milestone: {nxt.code} {nxt.label}, {nxt.due.isoformat()} ({nxt.status})")
        show("  Renewal risk", c.risk)


def _chart(db: Path | None, kind: str, out: Path, today: date) -> int:
    from .export import charts
    from .export.chart_data import engagement_points, horizon_bubbles, virtual_line_points
    from .storage.scores import load_settings, portfolio_scores

    store = _open_readonly(db)
    try:
        settings = load_settings(store)
        scores = portfolio_scores(store, today, settings)
    finally:
        store.close()
    if kind == "virtual-line":
        fig = charts.virtual_line_figure(
            virtual_line_points(scores), pareto_share=settings.treasure_share
        )
    elif kind == "horizon":
        fig = charts.horizon_figure(horizon_bubbles(scores, today), today)
    else:
        fig = charts.engagement_figure(
            engagement_points(scores),
            over=settings.over_serving_ratio,
            under=settings.under_serving_ratio,
        )
    target = out if out.suffix.lower() == ".png" else out.with_suffix(out.suffix + ".png")
    from .fileio import write_bytes

    write_bytes(target, charts.figure_png(fig))  # FileWriteError says what went wrong
    print(f"Wrote {target}")
    return 0


def _export(
    db: Path | None, kind: str, ref: str, out: Path, template: Path | None, today: date
) -> int:
    from .export.commands import export_document
    from .user import user_name

    store = _open_readonly(db)
    try:
        report = export_document(
            kind,  # type: ignore[arg-type]
            store,
            ref,
            out,
            today,
            template=template,
            author=user_name(),
        )
    finally:
        store.close()
    print(report.summary())
    return 0


def _export_table(db: Path | None, kind: str, out: Path, today: date) -> int:
    from .tables.lists import load_portfolio_table, load_renewals_table
    from .tables.writers import write_table

    store = _open_readonly(db)
    try:
        load = load_portfolio_table if kind == "portfolio" else load_renewals_table
        table = load(store, today)
    finally:
        store.close()
    count = write_table(out, table)
    what = "account" if kind == "portfolio" else "contract"
    print(f"Wrote {count} {what}{'' if count == 1 else 's'} to {out}")
    return 0


# ---- renewal-coach calendar (issue 15) ---------------------------------------------------------


def _calendar_months(text: str) -> int:
    try:
        value = bounded_int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{quote(text)}' is not a whole number of months"
        ) from None
    if not 1 <= value <= 120:
        raise argparse.ArgumentTypeError("months must be between 1 and 120")
    return value


def _add_calendar_parser(commands: Any, db_parent: argparse.ArgumentParser) -> None:
    cal = commands.add_parser(
        "calendar",
        parents=[db_parent],
        help="write deadlines, milestones and commitments to a calendar file (.ics)",
        description="Write one all-day event, with reminders, for every contract deadline, "
        "open campaign milestone and open commitment due in the next N months, to an "
        "iCalendar file that Outlook, Google Calendar and Apple Calendar import. Importing a "
        "newer file into the same calendar updates its events instead of adding copies, and "
        "events for items done, removed or closed since the last export come back cancelled. "
        "The reminders are the ones set in the app.",
    )
    cal.add_argument("--out", required=True, type=Path, metavar="FILE.ics", help="output")
    cal.add_argument(
        "--months",
        type=_calendar_months,
        default=None,
        metavar="N",
        help="how many months ahead, 1 to 120 (default: the app's setting, 18 unless changed)",
    )
    cal.add_argument(
        "--owner",
        default="",
        metavar="NAME",
        help="only accounts whose owner has these words in their name (any case)",
    )
    cal.add_argument(
        "--account", metavar="NAME_OR_ID", help="only this account (name in any case, or id)"
    )
    cal.add_argument("--today", type=_day, metavar="DATE", help=argparse.SUPPRESS)


def _calendar(args: argparse.Namespace, parser: argparse.ArgumentParser, today: date) -> int:
    from .export.calendar import export_calendar
    from .storage.calendar_events import open_to_remember

    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".ics":
        parser.error(f"calendar: --out {args.out} must end in .ics")
    if out.is_dir():
        parser.error(f"calendar: --out {args.out} is a folder; give a file name ending in .ics")
    store, read_only = open_to_remember(args.db or default_database_path())
    try:
        account_id = find_account(store, args.account).id if args.account else None
        report = export_calendar(
            store,
            out,
            today,
            months=args.months,
            owner=args.owner,
            account_id=account_id,
            cannot_remember=read_only,
        )
    finally:
        store.close()
    print(report.summary())
    return 0


# ---- history: who changed what, and when -------------------------------------------------------


def _add_history_parser(commands: Any, db_parent: argparse.ArgumentParser) -> None:
    history = commands.add_parser(
        "history",
        parents=[db_parent],
        help="who changed what and when, for one account or the whole portfolio",
        description="List the change history, newest first: when, who (the name from your "
        "settings on the device that made the change), which record, which field, and the "
        "value before and after. Each save, import, undo or redo is one operation. An account "
        "can be named even after it was deleted. Internal-only fields are marked.",
    )
    history.add_argument(
        "account", metavar="ACCOUNT", nargs="?", help="account name (any case) or id"
    )
    history.add_argument(
        "--since", type=_day, metavar="DATE", help="only changes made on or after DATE"
    )
    history.add_argument(
        "--limit", type=_history_limit, metavar="N", help="show at most the N newest changes"
    )
    history.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _history_limit(text: str) -> int:
    try:
        value = bounded_int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{quote(text)}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("the limit must be at least 1")
    return value


def _history(args: argparse.Namespace) -> int:
    from .core.errors import NotFoundError
    from .storage.history import ChangeTexts, HistoryQuery, find_account, read_changes

    store = _open_readonly(args.db)
    try:
        account_id = None
        where = "the portfolio"
        if args.account is not None:
            found = find_account(store, args.account)
            if not found:
                raise NotFoundError(
                    f"No account called or with id '{quote(args.account)}', now or in the "
                    f"history. Run '{PROG} renewals' to see the accounts in this database."
                )
            if len(found) > 1:
                ids = ", ".join(ref.id for ref in found)
                raise NotFoundError(
                    f"Several deleted accounts were called '{quote(args.account)}': name one "
                    f"by its id ({ids})."
                )
            account_id = found[0].id
            where = found[0].name + (" (deleted)" if found[0].deleted else "")
        query = HistoryQuery(account_id=account_id, since=_local_midnight_utc(args.since))
        texts = ChangeTexts(store)
        page = 1000
        shown = 0
        before: int | None = None
        first = True
        if args.json:
            sys.stdout.write("[")
        while True:
            size = page if args.limit is None else min(page, args.limit - shown)
            entries = read_changes(store, query, limit=size, before=before) if size > 0 else []
            if not entries:
                break
            before = entries[-1].seq
            if args.json:
                for entry in entries:
                    sys.stdout.write(
                        ("\n  " if first else ",\n  ")
                        + json.dumps(entry.as_json(), ensure_ascii=False)
                    )
                    first = False
            else:
                rows = [
                    (
                        _local_time(row.entry.changed_at),
                        row.entry.who or "(no name set)",
                        row.entry.op_kind,
                        row.record,
                        row.field + (" (internal)" if row.internal else ""),
                        "record deleted"
                        if row.entry.change == "delete"
                        else _arrow(row.old, row.new),
                    )
                    for row in texts.shown(entries)
                ]
                if first:
                    _history_line(("When", "Who", "How", "Record", "Field", "Change"))
                for row in rows:
                    _history_line(row)
                first = False
            shown += len(entries)
        if args.json:
            sys.stdout.write("\n]\n" if shown else "]\n")
        elif not shown:
            since = f" since {args.since.isoformat()}" if args.since else ""
            print(f"No changes recorded for {where}{since}.")
    finally:
        store.close()
    return 0


#: Column widths of the history table (pages are printed as they are read, so widths are fixed).
_HISTORY_WIDTHS = (16, 18, 7, 34, 34, 90)


def _history_line(cells: Sequence[str]) -> None:
    def fit(text: str, width: int) -> str:
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    print(
        "  ".join(fit(c, w).ljust(w) for c, w in zip(cells, _HISTORY_WIDTHS, strict=True)).rstrip()
    )


def _local_midnight_utc(day: date | None) -> str | None:
    """The start of ``day`` in local time, as the UTC text the history stores times in."""
    from datetime import UTC, datetime

    if day is None:
        return None
    start = datetime(day.year, day.month, day.day).astimezone(UTC)
    return start.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _local_time(iso: str) -> str:
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _arrow(old: str, new: str) -> str:
    if not old:
        return f"→ {new}" if new else ""
    return f"{old} → {new or '(empty)'}"
