"""One list of system packages: README's install line, the in-app check and CI agree with
packaging/apt-packages.txt."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from renewal_coach import qt_check

ROOT = Path(__file__).resolve().parents[2]
LIST = ROOT / "packaging" / "apt-packages.txt"


def groups() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    current = None
    for raw in LIST.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("["):
            current = line.strip("[]")
            found[current] = []
        else:
            assert current is not None, f"package before any [group]: {raw}"
            found[current] += line.split()
    return found


def user_line() -> str:
    g = groups()
    return "sudo apt-get install -y " + " ".join(g["python"] + g["qt"] + g["x11"])


def readme_install_lines() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n\s*", "", text)  # shell line continuations
    return [
        " ".join(m.split()) for m in re.findall(r"^sudo apt-get install -y [^\n`]+$", joined, re.M)
    ]


def test_the_list_has_the_groups_the_readme_and_ci_use() -> None:
    g = groups()
    assert {"python", "qt", "x11", "ci"} <= set(g)
    everything = [p for packages in g.values() for p in packages]
    assert len(everything) == len(set(everything)), "a package is listed twice"
    assert "python3-venv" in g["python"]
    assert "xvfb" in g["ci"]


def test_the_readme_quick_start_shows_the_list() -> None:
    lines = readme_install_lines()
    assert lines, "README.md has no apt-get install line"
    assert lines[0] == user_line()


def test_the_in_app_check_prints_the_same_line() -> None:
    g = groups()
    assert qt_check.BASE_PACKAGES.split() == g["qt"]
    assert qt_check.X11_PACKAGES.split() == g["x11"]
    assert qt_check.PYTHON_PACKAGES.split() == g["python"]
    assert user_line() == qt_check.APT_LINE
    assert set(qt_check._BASE_LIBS.values()) <= set(g["qt"])
    assert set(qt_check._X11_LIBS.values()) <= set(g["x11"])


def test_the_missing_libraries_message_ends_with_the_readme_line(monkeypatch) -> None:
    monkeypatch.setattr(qt_check.sys, "platform", "linux")
    monkeypatch.setattr(qt_check, "_missing", lambda libs: ["libxcb-cursor0"] if libs else [])
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    message = qt_check.qt_problem()
    assert message is not None
    assert "sudo apt-get install -y libxcb-cursor0" in message
    assert user_line() in message


def test_ci_installs_every_group_from_the_list() -> None:
    printed = subprocess.run(
        ["bash", str(ROOT / "packaging" / "apt-packages.sh")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert printed == [p for packages in groups().values() for p in packages]
    only_user = subprocess.run(
        ["bash", str(ROOT / "packaging" / "apt-packages.sh"), "python", "qt", "x11"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert "sudo apt-get install -y " + only_user == user_line()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "packaging/apt-packages.sh)" in ci
    assert "packaging/smoke_build.sh" in ci
