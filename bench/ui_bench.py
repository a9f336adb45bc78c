"""Desktop responsiveness on a large portfolio: start-up, a filter keystroke, opening an account.

Usage: ``python bench/ui_bench.py [--db /tmp/big5k.db] [--runs 3]``

Each start-up is a fresh process, timed from launch to the main window's first paint (the
moment a person sees it and can type). For scale it also times a bare PySide6 window (just a
QMainWindow with a label) the same way. Runs under the offscreen platform unless DISPLAY is
set (``xvfb-run -a python bench/ui_bench.py`` for a real X server).

The harness wraps ``MainWindow.show`` from outside the product: the app has no benchmark mode.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = r"""
import sys, time, json
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1366, 768); w.show()
def done():
    print(json.dumps({"shown": time.time()})); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""

APP = r"""
import sys, time, json
from pathlib import Path
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import renewal_coach.ui.main_window as mw

measured = {{}}
original_show = mw.MainWindow.show

def show(self):
    original_show(self)
    def after_paint():
        measured["shown"] = time.time()
        app = QApplication.instance()
        page = getattr(self, "portfolio", None)
        edit = getattr(page, "filter_edit", None)
        if edit is not None:
            def keystrokes():
                times = []
                for text in ("h", "ha", "hal", "hald", ""):
                    t0 = time.perf_counter()
                    edit.setText(text)
                    app.processEvents()
                    times.append(time.perf_counter() - t0)
                return [round(t * 1000, 1) for t in times]
            # First while the scores are still being computed in slices, then once they are in.
            measured["filter_busy_ms"] = keystrokes()
            t0 = time.perf_counter()
            page.wait_for_scores()
            measured["scores_s"] = round(time.perf_counter() - t0, 2)
            measured["filter_ms"] = keystrokes()
            measured["rows"] = page.proxy.rowCount()
        opener = getattr(self, "open_account", None)
        if opener is not None and page is not None and page.model.rowCount():
            account_id = page.model.row_at(0).id
            t0 = time.perf_counter()
            opener(account_id)
            app.processEvents()
            measured["open_account_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        print(json.dumps(measured), flush=True)
        self.close()
        app.quit()
    QTimer.singleShot(0, after_paint)

mw.MainWindow.show = show
from renewal_coach.app import run_gui
run_gui(Path({db!r}), ["renewal-coach"])
"""


def launch(code: str, env: dict[str, str]) -> dict:
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"no measurement:\n{out.stdout}\n{out.stderr}")
    result = json.loads(lines[-1])
    result["startup_s"] = result["shown"] - start
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/big5k.db")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    home = Path("/tmp/rc-bench-home")
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
    )
    bare = [launch(BARE, env)["startup_s"] for _ in range(args.runs)]
    runs = [launch(APP.format(root=str(ROOT), db=args.db), env) for _ in range(args.runs)]
    print(f"platform: {env.get('QT_QPA_PLATFORM') or 'xcb ' + env['DISPLAY']}")
    print(f"bare PySide6 window on screen: median {statistics.median(bare):.2f} s")
    print(
        f"Renewal Coach on {args.db} ({runs[0].get('rows', '?')} accounts) on screen: "
        f"median {statistics.median(r['startup_s'] for r in runs):.2f} s "
        f"(runs: {', '.join(format(r['startup_s'], '.2f') for r in runs)})"
    )
    busy = [ms for r in runs for ms in r.get("filter_busy_ms", [])]
    if busy:
        print(
            f"filter keystroke while scores are computed: median {statistics.median(busy):.1f} "
            f"ms, worst {max(busy):.1f} ms"
        )
    filters = [ms for r in runs for ms in r.get("filter_ms", [])]
    if filters:
        print(
            f"filter keystroke once scored: median {statistics.median(filters):.1f} ms, "
            f"worst {max(filters):.1f} ms"
        )
    scoring = [r["scores_s"] for r in runs if "scores_s" in r]
    if scoring:
        print(
            "rest of the scoring after the first keystrokes: "
            f"median {statistics.median(scoring):.2f} s"
        )
    opens = [r["open_account_ms"] for r in runs if "open_account_ms" in r]
    if opens:
        print(
            f"open an account: median {statistics.median(opens):.0f} ms, worst {max(opens):.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
