"""Benchmark: the This Week agenda and the start-of-day nudge on a large portfolio.

Usage: ``python bench/agenda_bench.py DB [--repeat 5]`` where DB comes from bench/generate.py.

The app already holds the portfolio's scores when it builds This Week, so the agenda's own cost
is what it adds on top: the rows it reads (open commitments, open concerns, people with a
contact rhythm and their last contact) and walking every live contract's milestones. It is
reported beside a bare baseline run side by side on the same database: reading the same tables
with plain ``SELECT *`` and nothing else, and the scoring the page waits for anyway. The
command line (``renewal-coach agenda``) pays for both, the scores and the agenda.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renewal_coach.storage.agenda import load_agenda, load_nudges  # noqa: E402
from renewal_coach.storage.db import open_database  # noqa: E402
from renewal_coach.storage.repository import Store  # noqa: E402
from renewal_coach.storage.scores import portfolio_scores  # noqa: E402


def _bare(store: Store) -> int:
    """The baseline: the same tables read with no rules at all."""
    n = 0
    for table in ("accounts", "contracts", "commitments", "concerns", "stakeholders"):
        n += len(store.db.execute(f"SELECT * FROM {table}").fetchall())
    n += len(store.db.execute("SELECT * FROM interaction_stakeholders").fetchall())
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
    store = Store(open_database(args.db, create=False, readonly=True))
    today = date.today()
    accounts = store.accounts.count()
    scores = portfolio_scores(store, today)
    rows = {
        "bare read of the same tables (baseline)": lambda: _bare(store),
        "portfolio scores (the app holds them already)": lambda: portfolio_scores(store, today),
        "agenda, 14 days, given the scores": lambda: load_agenda(store, today, scores=scores),
        "agenda, 14 days, one owner": lambda: load_agenda(
            store, today, scores=scores, owner="Owner 7"
        ),
        "start-of-day nudge": lambda: load_nudges(store, today),
    }
    agenda = load_agenda(store, today, scores=scores)
    print(f"{accounts} accounts; agenda: {agenda.summary()}")
    times = {label: _time(fn, args.repeat) for label, fn in rows.items()}
    base = times["bare read of the same tables (baseline)"][0]
    print("| what | best | median | ratio to baseline |")
    print("|---|---:|---:|---:|")
    for label, (best, median) in times.items():
        print(f"| {label} | {best:.3f} s | {median:.3f} s | {best / base:.1f}× |")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
