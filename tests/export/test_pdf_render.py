"""The documents open in LibreOffice: a proposal and a brief convert to PDF with a sensible
number of pages, the brief is marked internal on every page, and hostile text converts too.

Skipped when LibreOffice (``soffice``) or poppler (``pdfinfo``, ``pdftotext``) is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from renewal_coach.core import models as m
from renewal_coach.export.commands import export_document
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import load_sample

TODAY = date(2026, 3, 15)

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("soffice", "pdfinfo", "pdftotext")),
    reason="LibreOffice (soffice) and poppler-utils (pdfinfo, pdftotext) are needed",
)


def _to_pdf(files: list[Path], out: Path, profile: Path) -> list[Path]:
    """Convert with a fresh LibreOffice profile; it exits 0 even on failure, so check files."""
    command = [
        "soffice",
        "--headless",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *map(str, files),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240)
    pdfs = [out / f"{f.stem}.pdf" for f in files]
    missing = [p.name for p in pdfs if not p.is_file() or p.stat().st_size == 0]
    assert not missing, f"LibreOffice did not convert {missing}: {result.stdout}{result.stderr}"
    return pdfs


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert found, info.stdout
    return int(found.group(1))


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[: _pages(pdf)]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A sample proposal, a sample brief and a hostile proposal, converted in one go."""
    from renewal_coach.storage.db import open_database

    folder = tmp_path_factory.mktemp("pdf")
    store = Store(open_database(":memory:"))
    try:
        load_sample(store, TODAY)
        account = store.accounts.add(m.Account(name="שרה 🚀 \x07Ltd", notes="x" * 5000))
        person = store.stakeholders.add(
            m.Stakeholder(account_id=account.id, name="ليلى حداد", title="CTO")
        )
        store.contracts.add(
            m.Contract(
                account_id=account.id,
                title="Hostile \x1b<xml/> &amp; " + "long " * 30,
                reference="HOST-1",
                start_date=TODAY - timedelta(days=500),
                end_date=TODAY + timedelta(days=200),
            )
        )
        store.goals.add(
            m.CustomerGoal(
                account_id=account.id,
                statement="Grow ♻️ " + "very long goal text " * 90,
                confirmed_by_id=person.id,
                confirmed_on=TODAY - timedelta(days=1),
            )
        )
        files = []
        for kind, ref, name in (
            ("proposal", "CLB-FM-2021", "proposal"),
            ("brief", "CLB-FM-2021", "brief"),
            ("proposal", "HOST-1", "hostile"),
        ):
            report = export_document(kind, store, ref, folder / f"{name}.docx", TODAY)
            files.append(report.path)
    finally:
        store.close()
    pdfs = _to_pdf(files, folder, folder / "lo-profile")
    return {p.stem: p for p in pdfs}


def test_the_proposal_converts_with_a_cover_and_a_few_pages(pdfs: dict[str, Path]) -> None:
    pages = _page_texts(pdfs["proposal"])
    assert 3 <= len(pages) <= 8
    assert "Renewal proposal" in pages[0] and "Calderbrook Logistics plc" in pages[0]
    assert "Page" not in pages[0]  # the cover has no footer
    body = "\n".join(pages[1:])
    order = ["Executive summary", "Your goals for the next term", "Commercial proposal"]
    positions = [body.index(heading) for heading in order]
    assert positions == sorted(positions)


def test_the_brief_converts_and_is_internal_on_every_page(pdfs: dict[str, Path]) -> None:
    pages = _page_texts(pdfs["brief"])
    assert 4 <= len(pages) <= 12
    for number, text in enumerate(pages, start=1):
        assert "INTERNAL – NOT FOR CUSTOMERS" in text, f"page {number} is not marked internal"


def test_hostile_text_converts(pdfs: dict[str, Path]) -> None:
    pages = _page_texts(pdfs["hostile"])
    assert 2 <= len(pages) <= 8
    assert "<xml/> &amp;" in "\n".join(pages)
