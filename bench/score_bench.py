"""Benchmark: score the whole portfolio and draw each chart, at several portfolio sizes.

Usage: ``python bench/score_bench.py [--sizes 500,5000,50000] [--repeat 3] [--keep DIR]``

For each size a portfolio is generated with bench/generate.py (cached in --keep DIR when given),
then timed: loading everything the scores read (one query per table), scoring every account,
and building + rendering each portfolio chart to PNG. Best of --repeat runs is reported.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renewal_coach.core.scoring.portfolio import score_portfolio  # noqa: E402
from renewal_coach.storage.db import open_database  # noqa: E402
from renewal_coach.storage.portfolio_data import load_portfolio  # noqa: E402
from renewal_coach.storage.repository import Store  # noqa: E402


def best(fn, repeat: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def run(size: int, folder: Path, repeat: int) -> dict[str, float]:
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
    out: dict[str, float] = {}
    out["load"], datas = best(lambda: load_portfolio(store, today), repeat)
    out["score"], scores = best(lambda: score_portfolio(datas, today), repeat)

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
    counts = {
        "contracts": sum(len(d.contracts) for d in datas),
        "interactions (window)": sum(len(d.interactions) for d in datas),
    }
    print(f"{size:>6} accounts: {counts}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="folder to keep generated databases in")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows = [(size, run(size, folder, args.repeat)) for size in sizes]
    keys = ["load", "score", "virtual-line", "horizon", "engagement"]
    print("\n| accounts | " + " | ".join(keys) + " |")
    print("|---:|" + "---:|" * len(keys))
    for size, r in rows:
        print(f"| {size:,} | " + " | ".join(f"{r[k]:.3f} s" for k in keys) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
