"""Render every page of the app on the sample portfolio into docs/screenshots/.

Run ``python -m renewal_coach.tools.screenshots [--out DIR] [--size 1366x768]``. It uses Qt's
offscreen platform unless ``QT_QPA_PLATFORM`` says otherwise (set it to ``xcb`` under Xvfb to
capture real window decorations-free renders through the X server). The sample portfolio is
created in a temporary folder, so nothing of the user's is touched. The README shows the
results; re-run after changing the look.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..paths import NotASourceTreeError, source_path

#: Where the screenshots go, relative to the source tree (never into an installed copy).
DEFAULT_OUT = ("docs", "screenshots")


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size like 1366x768") from None
    if not (640 <= width <= 7680 and 480 <= height <= 4320):
        raise argparse.ArgumentTypeError(f"{text} is outside 640x480 to 7680x4320")
    return width, height


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m renewal_coach.tools.screenshots",
        description="Render each page of Renewal Coach on the sample portfolio to PNG files.",
    )
    parser.add_argument(
        "--out", type=Path, help="folder for the PNGs (default: docs/screenshots in the checkout)"
    )
    parser.add_argument("--size", type=_size, default=(1366, 768), help="window size, WxH")
    args = parser.parse_args(argv)
    if args.out is None:
        try:
            args.out = source_path(*DEFAULT_OUT)
        except NotASourceTreeError as exc:
            parser.exit(2, f"{exc}\n")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QSettings, QThread
    from PySide6.QtWidgets import QApplication

    from ..app import DatabaseOpener, Locations, configure_application
    from ..ui.main_window import MainWindow
    from ..ui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_application(app)
    args.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="rc-shots-") as tmp:
        folder = Path(tmp)
        opener = DatabaseOpener(Locations.in_folder(folder))
        settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(opener.open_sample(), settings, opener)
        window.resize(*args.size)
        window.show()
        app.processEvents()
        window.portfolio.wait_for_scores()
        app.processEvents()

        def shot(name: str, widget: object | None = None) -> None:
            # Let queued layouts and deferred widget creation settle before grabbing.
            for _ in range(5):
                app.processEvents()
                QThread.msleep(30)
            app.processEvents()
            target = widget or window
            path = args.out / f"{name}.png"
            target.grab().save(str(path))  # type: ignore[attr-defined]
            written.append(path)

        for name, prepare in _scenes(window):
            widget = prepare()
            shot(name, widget)
            if widget is not None and widget is not window:
                widget.setWindowModified(False)  # type: ignore[attr-defined]
                widget.close()  # type: ignore[attr-defined]
        window.close()
        window.store.close()
    for path in written:
        print(path)
    return 0


def _scenes(window: object) -> list[tuple[str, Callable[[], object | None]]]:
    """Each screenshot: a name and a function that brings the page up (and may return a
    separate window to capture instead of the main one)."""
    from ..core import models as m

    w = window  # MainWindow; kept untyped so importing this module needs no Qt

    def account(prefix: str) -> str:
        return next(a.id for a in w.store.accounts.all() if a.name.startswith(prefix))

    def portfolio() -> None:
        w.show_portfolio()

    def overview() -> None:
        w.open_account(account("Halden"))

    def people() -> None:
        w.open_account(account("Halden"))
        w.account_page.show_tab(m.Stakeholder)

    def goals() -> None:
        w.open_account(account("Calderbrook"))
        w.account_page.show_tab(m.CustomerGoal)

    def insights() -> None:
        w.show_insights()
        w.insights.show_details(account("Calderbrook"))

    def plan() -> object:
        from ..ui.coaching.new_plan import NewPlanDialog
        from ..ui.coaching.plan_editor import PlanEditor

        account_id = account("Ashcombe")
        buyer = next(
            p.id
            for p in w.store.stakeholders.for_account(account_id)
            if p.buying_role.value == "economic_buyer"
        )
        dialog = NewPlanDialog(w.store, account_id, today=w._today, parent=w)
        dialog.select_playbook("discovery")
        dialog.set_attendees([buyer])
        dialog.accept()
        editor = PlanEditor(w.store, dialog.plan(), today=w._today, user="bid manager")
        editor.save()
        editor.resize(w.size())
        editor.show()
        return editor

    def coaching() -> object:
        from ..ui.coaching.plan_editor import present_plan

        plan_id = w.store.plans.all()[-1].id
        window = present_plan(w.store, plan_id, today=w._today, user="bid manager")
        window.resize(1920, 1080)
        window.show()
        return window

    return [
        ("portfolio", portfolio),
        ("renewals", w.show_renewals),
        ("insights", insights),
        ("account-overview", overview),
        ("account-people", people),
        ("account-goals", goals),
        ("plan-editor", plan),
        ("coaching-mode", coaching),
    ]


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
