"""Benchmark: does the This Week page freeze the window while it works the agenda out?

Usage: ``python bench/this_week_freeze.py DB`` where DB comes from bench/generate.py.

The portfolio is scored first (the window already holds the scores when it asks for the
agenda). Then the page is asked for its agenda while a 10 ms timer ticks on the window's
thread; the longest gap between two ticks is how long the window could not answer. The same
is measured with the agenda worked out on the window's thread, for comparison.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from renewal_coach.storage.db import open_database  # noqa: E402
from renewal_coach.storage.repository import Store  # noqa: E402
from renewal_coach.storage.scores import portfolio_scores  # noqa: E402
from renewal_coach.ui.pages.this_week.builder import work_out  # noqa: E402
from renewal_coach.ui.pages.this_week.page import ThisWeekPage  # noqa: E402


def _longest_gap(app: QApplication, start, done) -> tuple[float, float]:
    """(longest gap between ticks, total time) while ``start()`` runs until ``done()``."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    began = time.perf_counter()
    ticks.append(began)
    start()
    while not done():
        app.processEvents()
        time.sleep(0.001)
    ended = time.perf_counter()
    ticks.append(ended)
    timer.stop()
    return max(b - a for a, b in itertools.pairwise(ticks)), ended - began


def main() -> None:
    path = Path(sys.argv[1])
    app = QApplication([])
    today = date.today()
    store = Store(open_database(path, create=False))
    scores = portfolio_scores(store, today)
    page = ThisWeekPage(store)
    got: list[object] = []
    page.built.connect(got.append)

    gap, total = _longest_gap(app, lambda: page.set_scores(scores, today), lambda: bool(got))
    items = len(page.result.agenda.items) if page.result else 0
    print(f"worker thread : {total:.2f} s for {items:,} items, longest pause {gap * 1000:.0f} ms")

    answer: list[object] = []
    gap, total = _longest_gap(
        app,
        lambda: answer.append(work_out(store, today, "", scores)),
        lambda: bool(answer),
    )
    print(f"window thread : {total:.2f} s, longest pause {gap * 1000:.0f} ms")
    page.builder.wait()
    store.close()


if __name__ == "__main__":
    main()
