"""Benchmark: score the whole portfolio and draw each chart, at several portfolio sizes.

Usage: ``python bench/score_bench.py [--sizes 500,5000,50000] [--repeat 3] [--keep DIR]``

For each size a portfolio is generated with bench/generate.py (cached in --keep DIR when given),
then timed, best of --repeat runs:

- load: reading everything the scores need (``load_portfolio``: a few queries per table);
- score: scoring every account from what was read (``score_portfolio``);
- total: ``portfolio_scores`` as the app calls it (read, score, free what was read, and the
  garbage collector's first pass over the results);
- longest step: the longest single step of ``portfolio_scores_steps`` (``--chunk`` accounts per
  scoring step), which is how long the GUI would stop answering at worst;
- each portfolio chart, built and rendered to PNG.

load and score run with the cyclic garbage collector paused, as ``portfolio_scores`` runs them.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renewal_coach.core.scoring.portfolio import CHUNK, score_portfolio  # noqa: E402
from renewal_coach.storage.db import open_database  # noqa: E402
from renewal_coach.storage.portfolio_data import load_portfolio  # noqa: E402
from renewal_coach.storage.repository import Store  # noqa: E402
from renewal_coach.storage.scores import (  # noqa: E402
    load_settings,
    paused_gc,
    portfolio_scores,
    portfolio_scores_steps,
)


def best(fn, repeat: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeat):
        result = None  # free the last result first: its freeing is not what is timed
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def longest_step(store: Store, today: date, chunk: int) -> tuple[float, int]:
    """The longest step of portfolio_scores_steps and how many steps there were."""
    gc.collect()
    steps = portfolio_scores_steps(store, today, chunk=chunk)
    longest = 0.0
    count = 0
    while True:
        start = time.perf_counter()
        try:
            next(steps)
        except StopIteration:
            break
        finally:
            longest = max(longest, time.perf_counter() - start)
        count += 1
    return longest, count


def run(size: int, folder: Path, repeat: int, chunk: int) -> dict[str, float]:
    path = folder / f"bench-{size}.db"
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "generate.py"),
                str(path),
                "--accounts",
                str(size),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    store = Store(open_database(path, readonly=True))
    today = date.today()
    settings = load_settings(store)
    out: dict[str, float] = {}

    def load():
        with paused_gc():
            return load_portfolio(store, today, settings)

    out["load"], read = best(load, repeat)
    datas: list = read

    def score():
        with paused_gc():
            return score_portfolio(datas, today, settings)

    out["score"], scores = best(score, repeat)
    counts = {
        "contracts": sum(len(d.contracts) for d in datas),
        "interactions (window)": sum(len(d.interactions) for d in datas),
    }
    read = datas = []  # free the portfolio before timing the whole
    out["total"], _ = best(lambda: portfolio_scores(store, today, settings), repeat)
    out["longest step"], steps = longest_step(store, today, chunk)

    from renewal_coach.export import charts
    from renewal_coach.export.chart_data import (
        engagement_points,
        horizon_bubbles,
        virtual_line_points,
    )

    def chart(build):
        return lambda: charts.figure_png(build())

    charts.figure_png(charts.empty_figure("warm-up", "matplotlib import and font cache"))
    out["virtual-line"], _ = best(
        chart(lambda: charts.virtual_line_figure(virtual_line_points(scores))), repeat
    )
    out["horizon"], _ = best(
        chart(lambda: charts.horizon_figure(horizon_bubbles(scores, today), today)), repeat
    )
    out["engagement"], _ = best(
        chart(lambda: charts.engagement_figure(engagement_points(scores))), repeat
    )
    store.close()
    print(f"{size:>6} accounts: {counts}, {steps} steps of portfolio_scores_steps")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=CHUNK, help="accounts per scoring step")
    parser.add_argument("--keep", type=Path, help="folder to keep generated databases in")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows = [(size, run(size, folder, args.repeat, args.chunk)) for size in sizes]
    keys = ["load", "score", "total", "longest step", "virtual-line", "horizon", "engagement"]
    print("\n| accounts | " + " | ".join(keys) + " |")
    print("|---:|" + "---:|" * len(keys))
    for size, r in rows:
        print(f"| {size:,} | " + " | ".join(f"{r[k]:.3f} s" for k in keys) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
