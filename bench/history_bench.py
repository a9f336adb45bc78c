"""Benchmark: what the change history costs an import, and how fast it reads back.

Usage: ``python bench/history_bench.py [--accounts 5000] [--repeat 3]``

Writes the three CRM-style CSV files of ``import_bench.py`` (accounts; 3 contracts and 4 people
each), then imports them into a new database file twice, side by side:

- with the change history as the app writes it (TEMP triggers, one row per field given);
- without it: the same Store with the history's triggers dropped from the connection, the
  import otherwise unchanged;

and reports the overhead (wall time, and the CPU time of the process, which a busy machine
disturbs less), the number of history rows and the growth of the file. Then, on the
database with the history, it times what reading it costs: one account's history (the CLI's
``history ACCOUNT`` and the panel), the first page and the count of the whole log (the panel
on a portfolio), and a text filter over the whole log (the panel's filter line).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_bench import write_files  # noqa: E402

from renewal_coach.core.history import Author  # noqa: E402
from renewal_coach.storage.db import open_database  # noqa: E402
from renewal_coach.storage.history import (  # noqa: E402
    ChangeTexts,
    HistoryQuery,
    count_changes,
    read_changes,
)
from renewal_coach.storage.repository import Store  # noqa: E402
from renewal_coach.tables.importer import prepare, run_import  # noqa: E402

AUTHOR = Author("Bench Mark", "0123456789abcdef")


def _store(db_path: Path, *, log: bool) -> Store:
    store = Store(open_database(db_path), AUTHOR)
    store.history.prepare()
    if not log:
        names = [
            row[0]
            for row in store.db.execute(
                "SELECT name FROM sqlite_temp_master WHERE type = 'trigger' "
                "AND name LIKE 'changes_%'"
            )
        ]
        for name in names:
            store.db.execute(f"DROP TRIGGER temp.{name}")
    return store


def import_files(files: tuple[Path, ...], db_path: Path, *, log: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of importing the files."""
    store = _store(db_path, log=log)
    start, cpu = time.perf_counter(), time.process_time()
    try:
        for path in files:
            run_import(store, prepare(path), today=date(2026, 12, 7))
    finally:
        store.close()
    return time.perf_counter() - start, time.process_time() - cpu


def timed(action, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = write_files(folder, args.accounts)
        rows = sum(sum(1 for _ in p.open(encoding="utf-8-sig")) - 1 for p in files)
        with_log, without = [], []
        for run in range(args.repeat):
            without.append(import_files(files, folder / f"bare{run}.db", log=False))
            with_log.append(import_files(files, folder / f"log{run}.db", log=True))
        logged = folder / "log0.db"
        bare = folder / "bare0.db"
        store = Store(open_database(logged), AUTHOR)
        entries = count_changes(store, HistoryQuery())
        ops = store.db.execute("SELECT count(DISTINCT op_id) FROM changes").fetchone()[0]
        account = store.db.execute("SELECT id FROM accounts ORDER BY name LIMIT 1").fetchone()[0]

        def one_account() -> None:
            found = read_changes(store, HistoryQuery(account_id=account))
            ChangeTexts(store).shown(found)

        def first_page() -> None:
            count_changes(store, HistoryQuery())
            ChangeTexts(store).shown(read_changes(store, HistoryQuery(), limit=200))

        def filtered() -> None:
            query = HistoryQuery(text="notice")
            count_changes(store, query)
            read_changes(store, query, limit=200)

        times = {
            "one account's history, read and put into words": timed(one_account),
            "whole log: count + first page of 200 in words": timed(first_page),
            "whole log filtered by 'notice': count + first page": timed(filtered),
        }
        store.close()
        size_log = logged.stat().st_size
        size_bare = bare.stat().st_size
    print(f"rows in the three files: {rows:,} ({args.accounts:,} accounts), best of {args.repeat}")
    for label, pick in (("wall", 0), ("CPU", 1)):
        best_with = min(r[pick] for r in with_log)
        best_without = min(r[pick] for r in without)
        print(
            f"import, {label} time: {best_without:.2f} s without the history, "
            f"{best_with:.2f} s with it (+{(best_with / best_without - 1) * 100:.0f}%)"
        )
    print(f"history written: {entries:,} entries in {ops} operations")
    print(f"file size: {size_bare / 1e6:.1f} MB without, {size_log / 1e6:.1f} MB with the history")
    for what, seconds in times.items():
        print(f"{what}: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
