"""Resources are found the same way from a checkout and from an installed copy, and the
developer tools that write files refuse to write into an installed copy.

An installed copy is laid out as a wheel lays it out (the package with ``resources/`` and
``data/`` inside it, no ``pyproject.toml`` beside it) in a temporary folder and run in a fresh
interpreter. packaging/smoke_build.sh checks a real wheel and a real PyInstaller build.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from renewal_coach import paths

ROOT = Path(__file__).resolve().parents[2]


def test_from_the_checkout_resources_are_its_top_level_folders() -> None:
    assert paths.source_tree() == ROOT
    assert paths.resource_path("data", "sample_portfolio.json") == ROOT / "data" / (
        "sample_portfolio.json"
    )
    assert paths.resource_path("resources", "playbooks").is_dir()
    assert paths.source_path("docs", "screenshots") == ROOT / "docs" / "screenshots"


def test_resource_path_refuses_anything_but_the_shipped_folders() -> None:
    with pytest.raises(ValueError, match="resources"):
        paths.resource_path("docs", "screenshots")
    with pytest.raises(ValueError):
        paths.resource_path()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """site-packages as a wheel of this checkout would leave it (code and package data only)."""
    site = tmp_path_factory.mktemp("site")
    package = site / "renewal_coach"
    shutil.copytree(ROOT / "renewal_coach", package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources", package / "resources")
    shutil.copytree(ROOT / "data", package / "data")
    return site


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # PYTHONPATH comes before site-packages, and the editable install's finder is appended
    # after the path finder, so the copy in ``site`` is the one imported.
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_installed_copy_reads_its_resources_from_inside_the_package(
    installed: Path, tmp_path: Path
) -> None:
    code = (
        "import json; from renewal_coach import paths; "
        "from renewal_coach.core.playbooks import load_library\n"
        "print(json.dumps({'tree': str(paths.source_tree()), "
        "'sample': str(paths.resource_path('data', 'sample_portfolio.json')), "
        "'template': str(paths.resource_path('resources', 'templates', 'renewal-coach.docx')), "
        "'file': paths.__file__, 'playbooks': len(load_library().playbooks)}))"
    )
    result = _run(installed, tmp_path, "-c", code)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["file"].startswith(str(installed))  # really the installed copy
    assert found["tree"] == "None"
    assert found["playbooks"] >= 6
    package = installed / "renewal_coach"
    assert found["sample"] == str(package / "data" / "sample_portfolio.json")
    assert found["template"] == str(package / "resources" / "templates" / "renewal-coach.docx")


@pytest.mark.parametrize(
    "tool",
    ["make_sample", "make_template", "make_icons", "screenshots"],
)
def test_developer_tools_refuse_to_write_into_an_installed_copy(
    installed: Path, tmp_path: Path, tool: str
) -> None:
    before = {p: p.stat().st_mtime_ns for p in installed.rglob("*") if p.is_file()}
    result = _run(installed, tmp_path, "-m", f"renewal_coach.tools.{tool}")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "source tree" in result.stderr
    after = {p: p.stat().st_mtime_ns for p in installed.rglob("*") if p.is_file()}
    assert after == before


def test_the_wheel_mapping_ships_both_resource_folders() -> None:
    """setup.py maps resources/ and data/ onto the package names paths.py looks for."""
    text = (ROOT / "setup.py").read_text(encoding="utf-8")
    for folder in paths.RESOURCE_FOLDERS:
        assert f'"renewal_coach.{folder}": "{folder}"' in text
