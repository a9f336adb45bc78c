"""Benchmark: importing a CRM export into an empty portfolio, and previewing a large file.

Usage: ``python bench/import_bench.py [--accounts 5000] [--repeat 1] [--preview-rows 100000]``

Writes three CSV files as a CRM report export would (accounts; contracts with UK dates, money
with a currency code and Salesforce's "90 Days" notice; people with first/last name and email),
then times, side by side:

- the bare baseline: reading the same files with ``csv`` and inserting the same number of rows
  with plain ``executemany`` into the same schema (no parsing, matching or validation): the
  floor any importer stands on;
- the import: ``prepare`` + ``run_import`` for each file in turn, into a new database file;
- a second import of the same files (everything matched, nothing written);
- the preview of a file of ``--preview-rows`` rows: opening it and reading the first 50 rows,
  which is what the app's column-mapping page shows.

The target is an import of 5,000 accounts, 15,000 contracts and 20,000 people under 15 s on this
2-core machine, linear in rows, and a preview under 1 s.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renewal_coach.storage.db import open_database  # noqa: E402
from renewal_coach.storage.repository import Store  # noqa: E402
from renewal_coach.tables.importer import (  # noqa: E402
    ImportResult,
    Planner,
    apply_steps,
    prepare,
    run_import,
)
from renewal_coach.tables.sources import open_table  # noqa: E402


def write_files(folder: Path, accounts: int, seed: int = 7) -> tuple[Path, Path, Path]:
    """Three CRM-style CSV files: accounts, contracts (3 each), people (4 each)."""
    rng = random.Random(seed)
    a_path, c_path, p_path = (
        folder / "accounts.csv",
        folder / "contracts.csv",
        folder / "people.csv",
    )
    names = [
        f"Customer {i:05d} {rng.choice(['Ltd', 'plc', 'Limited', 'Group'])}"
        for i in range(accounts)
    ]
    with a_path.open("w", encoding="utf-8-sig", newline="") as stream:
        w = csv.writer(stream)
        w.writerow(["Account Name", "Account ID", "Industry", "Account Owner", "Annual Revenue"])
        for i, name in enumerate(names):
            w.writerow([name, f"001{i:012d}", "Logistics", "Priya Raman", "GBP 90,000,000.00"])
    with c_path.open("w", encoding="utf-8-sig", newline="") as stream:
        w = csv.writer(stream)
        w.writerow(
            [
                "Contract Number",
                "Account Name",
                "Contract Start Date",
                "Contract Term (months)",
                "Owner Expiration Notice",
                "Status",
                "Annual Contract Value",
            ]
        )
        for i, name in enumerate(names):
            for k in range(3):
                start = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 900))
                w.writerow(
                    [
                        f"C{i:05d}-{k}",
                        name,
                        start.strftime("%d/%m/%Y"),
                        rng.choice([24, 36, 48]),
                        "90 Days",
                        "Activated",
                        f"GBP {rng.randrange(10_000, 2_000_000):,}.00",
                    ]
                )
    with p_path.open("w", encoding="utf-8-sig", newline="") as stream:
        w = csv.writer(stream)
        w.writerow(["First Name", "Last Name", "Email", "Job Title", "Associated Company"])
        for i, name in enumerate(names):
            for k in range(4):
                w.writerow([f"Person{k}", f"Surname{i}", f"p{k}.{i}@example.com", "Director", name])
    return a_path, c_path, p_path


def baseline(files: tuple[Path, ...], db_path: Path) -> float:
    """csv read + plain executemany of the same row counts into the same schema."""
    start = time.perf_counter()
    store = Store(open_database(db_path))
    db = store.db
    now = "2026-12-07T00:00:00+00:00"
    with db.atomic():
        ids = []
        for kind, path in zip(("accounts", "contracts", "stakeholders"), files, strict=True):
            with path.open(encoding="utf-8-sig", newline="") as stream:
                rows = list(csv.reader(stream))[1:]
            if kind == "accounts":
                ids = [str(uuid.uuid4()) for _ in rows]
                db.conn.executemany(
                    "INSERT INTO accounts (id, created_at, updated_at, name) VALUES (?,?,?,?)",
                    [(i, now, now, r[0]) for i, r in zip(ids, rows, strict=True)],
                )
            elif kind == "contracts":
                db.conn.executemany(
                    "INSERT INTO contracts (id, created_at, updated_at, account_id, title, "
                    "reference, start_date, end_date) VALUES (?,?,?,?,?,?,?,?)",
                    [
                        (
                            str(uuid.uuid4()),
                            now,
                            now,
                            ids[n // 3],
                            r[0],
                            r[0],
                            "2024-01-01",
                            "2026-12-31",
                        )
                        for n, r in enumerate(rows)
                    ],
                )
            else:
                db.conn.executemany(
                    "INSERT INTO stakeholders (id, created_at, updated_at, account_id, name) "
                    "VALUES (?,?,?,?,?)",
                    [(str(uuid.uuid4()), now, now, ids[n // 4], r[0]) for n, r in enumerate(rows)],
                )
    store.close()
    return time.perf_counter() - start


def import_all(files: tuple[Path, ...], db_path: Path) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    store = Store(open_database(db_path))
    counts = []
    try:
        for path in files:
            plan, _ = run_import(store, prepare(path), today=date(2026, 12, 7))
            counts.append({"file": path.name, **plan.counts})
    finally:
        store.close()
    return time.perf_counter() - start, counts


def longest_step(files: tuple[Path, ...], db_path: Path) -> float:
    """The longest single step of planning or writing, as the app runs them between events."""
    store = Store(open_database(db_path))
    worst = 0.0
    try:
        for path in files:
            planner = Planner(store, prepare(path), today=date(2026, 12, 7))
            steps = planner.steps()
            while True:
                start = time.perf_counter()
                try:
                    next(steps)
                except StopIteration:
                    break
                worst = max(worst, time.perf_counter() - start)
            assert planner.plan is not None
            writes = apply_steps(store, planner.plan, ImportResult(planner.plan))
            while True:
                start = time.perf_counter()
                try:
                    next(writes)
                except StopIteration:
                    break
                worst = max(worst, time.perf_counter() - start)
    finally:
        store.close()
    return worst


def preview(path: Path) -> float:
    start = time.perf_counter()
    table = open_table(path)
    rows = list(table.rows(limit=50))
    assert len(rows) == 50
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--preview-rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = write_files(folder, args.accounts)
        rows = sum(sum(1 for _ in p.open(encoding="utf-8-sig")) - 1 for p in files)
        bare, first, second = [], [], []
        counts: list[dict] = []
        for run in range(args.repeat):
            bare.append(baseline(files, folder / f"bare{run}.db"))
            elapsed, counts = import_all(files, folder / f"import{run}.db")
            first.append(elapsed)
            second.append(import_all(files, folder / f"import{run}.db")[0])
        worst = longest_step(files, folder / "steps.db")
        big = folder / "big.csv"
        with big.open("w", encoding="utf-8", newline="") as stream:
            w = csv.writer(stream)
            w.writerow(["Subject", "Date", "Type", "Company / Account", "Contact"])
            for i in range(args.preview_rows):
                w.writerow([f"Call {i}", "03/14/2026", "Call", f"Customer {i % 5000:05d} Ltd", "X"])
        shown = min(preview(big) for _ in range(3))
    print(f"rows in the three files: {rows:,} ({args.accounts:,} accounts)")
    for c in counts:
        print(f"  {c}")
    print(f"bare baseline (csv + executemany): {min(bare):.2f} s")
    print(
        f"import into an empty portfolio:    {min(first):.2f} s "
        f"({min(first) / min(bare):.1f}x the baseline, {rows / min(first):,.0f} rows/s)"
    )
    print(f"same files again (all unchanged):  {min(second):.2f} s")
    print(f"longest single step (window busy):  {worst * 1000:.0f} ms")
    print(f"preview of a {args.preview_rows:,}-row file: {shown * 1000:.0f} ms")


if __name__ == "__main__":
    main()
