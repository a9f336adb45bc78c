"""Exporting from the app: runs off the GUI thread, proposes a file name, reports problems."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx

from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import create_sample_database
from renewal_coach.ui.export_runner import ExportController, suggested_file_name

TODAY = date(2026, 11, 23)


def test_file_names_are_readable_and_safe() -> None:
    name = suggested_file_name("proposal", 'Pip & Bloom / "Garden"', "PB:01", TODAY)
    assert name == "Pip & Bloom Garden - PB 01 - renewal proposal draft - 2026-11-23.docx"
    assert suggested_file_name("brief", "Ünïcode ✓", "R-1", TODAY).startswith("Ünïcode ✓ - R-1")


def test_a_proposal_is_written_on_a_worker_and_the_result_shown(qtbot, tmp_path: Path) -> None:
    path = create_sample_database(tmp_path / "sample.db", today=TODAY)
    store = Store(open_database(path))
    contract = store.contracts.all()[0]
    controller = ExportController(today=lambda: TODAY)
    asked: list[Path] = []
    shown: list = []
    controller.ask_path = lambda _parent, suggested: (
        asked.append(suggested) or (tmp_path / "out" / "draft")
    )
    controller.show_result = lambda _parent, report: shown.append(report)
    (tmp_path / "out").mkdir()
    with qtbot.waitSignal(controller.done, timeout=30_000) as blocker:
        controller.export("proposal", store, contract.id, None)
    report = blocker.args[0]
    assert asked[0].name.endswith("renewal proposal draft - 2026-11-23.docx")
    assert report.path == tmp_path / "out" / "draft.docx" and report.path.exists()
    assert shown == [report]
    assert docx.Document(str(report.path)).paragraphs  # a real Word document
    store.close()


def test_an_unwritable_folder_gives_a_clear_error_not_a_crash(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    path = create_sample_database(tmp_path / "sample.db", today=TODAY)
    store = Store(open_database(path))
    contract = store.contracts.all()[0]
    controller = ExportController(today=lambda: TODAY)
    shown: list[str] = []
    monkeypatch.setattr(
        "renewal_coach.ui.export_runner.show_expected_error",
        lambda _parent, what, err: shown.append(f"{what} {err}"),
    )
    with qtbot.waitSignal(controller.failed, timeout=30_000):
        controller.start("proposal", store, contract.id, tmp_path / "missing" / "x.docx", None)
    assert "could not be exported" in shown[0] and "does not exist" in shown[0]
    store.close()
