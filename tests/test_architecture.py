"""The core has no Qt: core/, storage/ and export/ must import nothing from PySide6."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "renewal_coach"
QT_FREE = ("core", "storage", "export", "tables")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_qt_free_layers_do_not_import_pyside6() -> None:
    offenders = []
    files = [f for layer in QT_FREE for f in (PACKAGE / layer).rglob("*.py")]
    assert files, "expected Python files in the Qt-free layers"
    for path in files:
        if any(name.split(".")[0] in ("PySide6", "shiboken6") for name in _imports(path)):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_importing_the_qt_free_layers_and_cli_loads_no_qt() -> None:
    modules = [
        f"renewal_coach.{p.relative_to(PACKAGE).with_suffix('').as_posix().replace('/', '.')}"
        for layer in QT_FREE
        for p in (PACKAGE / layer).rglob("*.py")
    ] + ["renewal_coach.cli"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name.removesuffix('.__init__'))\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
