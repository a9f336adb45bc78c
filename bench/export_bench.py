"""Word export speed: a renewal proposal with two charts, target under 2 s.

Usage: ``python bench/export_bench.py [--runs 5] [--contract CLB-FM-2021] [--kind proposal]``

Each run exports from the sample portfolio (loaded in memory) to a temporary file through
:func:`renewal_coach.export.commands.export_document`, the same call the app and the CLI make.
The first run is cold (it pays for importing matplotlib and reading the template); the rest are
warm. The script exits with status 1 when the cold run misses the target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_SECONDS = 2.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--contract", default="CLB-FM-2021")
    parser.add_argument("--kind", choices=("proposal", "brief"), default="proposal")
    args = parser.parse_args(argv)

    from renewal_coach.storage.db import open_database
    from renewal_coach.storage.repository import Store
    from renewal_coach.storage.sample import load_sample

    store = Store(open_database(":memory:"))
    today = date.today()
    load_sample(store, today)

    started = time.perf_counter()
    from renewal_coach.export.commands import export_document

    import_seconds = time.perf_counter() - started
    times = []
    charts = size = 0
    with tempfile.TemporaryDirectory() as folder:
        for run in range(max(1, args.runs)):
            out = Path(folder) / f"run{run}.docx"
            t0 = time.perf_counter()
            report = export_document(args.kind, store, args.contract, out, today)
            times.append(time.perf_counter() - t0)
            charts, size = report.charts, out.stat().st_size
    cold = times[0] + import_seconds
    warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
    print(f"{args.kind} for {args.contract}: {charts} chart(s), {size / 1024:.0f} KiB")
    print(f"cold (first export, imports included): {cold:.2f} s")
    print(f"warm (median of {len(times) - 1} more):  {warm:.2f} s")
    ok = cold < TARGET_SECONDS
    print(f"target < {TARGET_SECONDS:.0f} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
