"""Files written for the user get their normal permissions (umask), through the one writer."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from renewal_coach.cli import main
from renewal_coach.storage.sample import create_sample_database


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create_sample_database(tmp_path_factory.mktemp("sample") / "sample.db")


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o027)
    yield
    os.umask(old)


def _first_contract(sample_db: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["renewals", "--db", str(sample_db), "--json"]) == 0
    return json.loads(capsys.readouterr().out)[0]["reference"]


@pytest.mark.parametrize("kind", ["proposal", "brief"])
def test_word_exports_follow_the_umask(
    kind: str, sample_db: Path, tmp_path: Path, umask: None, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = _first_contract(sample_db, capsys)
    out = tmp_path / f"{kind}.docx"
    out.write_bytes(b"an older document")
    out.chmod(0o600)
    args = ["export", kind, "--contract", ref, "--db", str(sample_db), "--out", str(out)]
    assert main(args) == 0
    assert out.stat().st_mode & 0o777 == 0o640  # 0666 under umask 027, not mkstemp's 0600
    assert len(Document(str(out)).paragraphs) > 5
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_the_chart_png_follows_the_umask(sample_db: Path, tmp_path: Path, umask: None) -> None:
    out = tmp_path / "horizon.png"
    assert main(["chart", "horizon", "--db", str(sample_db), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    assert out.stat().st_mode & 0o777 == 0o640


def test_a_chart_into_a_missing_folder_is_one_line_and_exit_1(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nowhere" / "horizon.png"
    assert main(["chart", "horizon", "--db", str(sample_db), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err
    assert len(err.strip().splitlines()) == 1
