"""Benchmark: Search Everything on a large portfolio.

Usage: ``python bench/search_bench.py DB [--repeat 5]`` where DB comes from bench/generate.py.

Reports the size of the index, how long building it from scratch takes (what the upgrade of an
existing database does once, timed as an FTS5 'rebuild'), and for a set of queries as a person
types them (one letter, a prefix, a word, two words, a word that matches nothing) the best and
worst of --repeat runs of ``search(store, text, 50)``, the call the dialog makes per pause in
typing. Runs on a copy, so DB is left as it was.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renewal_coach.storage.db import open_database  # noqa: E402
from renewal_coach.storage.repository import Store  # noqa: E402
from renewal_coach.storage.search import search  # noqa: E402

#: The generated portfolio's words: "Regular contact" is the purpose of all 150,000 interactions
#: (the worst case: every one of them is ranked), accounts are "Account 01234" owned by "Owner 7".
QUERIES = [
    "r",
    "reg",
    "regular contact",
    "service",
    "account 036",
    "account 03679",
    "owner 39 logistics",
    "ref 03882",
    "zzzzqx",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "bench.db"
        shutil.copy(args.db, copy)
        store = Store(open_database(copy))
        docs = store.db.execute("SELECT count(*) FROM search_docs").fetchone()[0]
        accounts = store.accounts.count()
        print(f"{accounts} accounts, {docs} records in the index")
        start = time.perf_counter()
        with store.atomic():
            store.db.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        print(f"rebuild of the whole index: {time.perf_counter() - start:.2f} s")
        print("| query | hits | best | median | worst |")
        print("|---|---:|---:|---:|---:|")
        for text in QUERIES:
            times = []
            hits = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                hits = search(store, text, 50)
                times.append(time.perf_counter() - start)
            print(
                f"| `{text}` | {len(hits)} | {min(times) * 1000:.1f} ms | "
                f"{statistics.median(times) * 1000:.1f} ms | {max(times) * 1000:.1f} ms |"
            )
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
