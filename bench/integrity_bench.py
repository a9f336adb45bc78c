"""Benchmark: the integrity check, a backup and reading a backup's contents on a large file.

Usage: ``python bench/integrity_bench.py DB [--repeat 5]`` where DB comes from bench/generate.py.

``PRAGMA quick_check`` reads every page of the file, so its floor is reading the file itself:
the bare baseline reads every byte of it in 1 MB blocks (warm in the page cache, as it is after
the first run). The app runs the check once a day per file on a worker thread after the window
is up, and ``renewal-coach check`` runs it on request; a backup (SQLite's online backup into
the backups folder) is made at most once a day on opening and when closing after changes; the
Restore dialog reads each backup's contents (counts and newest change).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renewal_coach.storage import backups as bk  # noqa: E402
from renewal_coach.storage.integrity import quick_check  # noqa: E402


def _bare(path: Path) -> int:
    """The baseline: every byte of the file, read once."""
    n = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            n += len(block)
    return n


def _time(fn, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return min(runs), statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "portfolio.db"
        shutil.copy2(args.db, work)  # backups go beside the file: keep them out of the source
        conn = sqlite3.connect(work)
        counter = iter(range(10_000))
        start = datetime(2026, 1, 1, 9, 0)

        def backup() -> Path:
            # One simulated day apart, so the rotation keeps (and prunes) as over weeks of use.
            return bk.make_backup(conn, work, bk.OPEN, now=start + timedelta(days=next(counter)))

        sample = backup()
        rows = {
            "bare read of every byte (baseline)": lambda: _bare(work),
            "quick_check (app once a day; renewal-coach check)": lambda: quick_check(work),
            "integrity_check (indexes too; not used)": lambda: quick_check(work, full=True),
            "backup into backups/ with rotation": backup,
            "contents of one backup (Restore dialog row)": lambda: bk.contents(sample),
        }
        size = work.stat().st_size
        accounts = conn.execute("SELECT count(*) FROM accounts").fetchone()[0]
        print(f"{args.db}: {accounts:,} accounts, {size / 1e6:.1f} MB, best and median")
        base = None
        print("| what | best | median | ratio to baseline |")
        print("|---|---:|---:|---:|")
        for name, fn in rows.items():
            fn()  # warm the page cache and the code
            best, median = _time(fn, args.repeat)
            base = base or best
            print(f"| {name} | {best:.3f} s | {median:.3f} s | {best / base:.1f}× |")
        assert quick_check(work).ok
        conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
