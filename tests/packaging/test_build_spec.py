"""build.spec's trimming rules keep what the app loads and drop what it never does.

The rules are read from build.spec itself (a literal list), so this checks the real ones;
packaging/smoke_build.sh builds with them and runs the result.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = (ROOT / "build.spec").read_text(encoding="utf-8")


def _literal(name: str):
    for node in ast.parse(SPEC).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned in build.spec")


DROP = re.compile("|".join(f"(?:{rule})" for rule in _literal("DROP")))
PLUGINS = "PySide6/Qt/plugins"


@pytest.mark.parametrize(
    "kept",
    [
        f"{PLUGINS}/platforms/libqxcb.so",
        f"{PLUGINS}/platforms/libqoffscreen.so",
        f"{PLUGINS}/imageformats/libqsvg.so",
        f"{PLUGINS}/imageformats/libqjpeg.so",
        f"{PLUGINS}/imageformats/libqico.so",
        f"{PLUGINS}/iconengines/libqsvgicon.so",
        f"{PLUGINS}/platformthemes/libqxdgdesktopportal.so",
        f"{PLUGINS}/xcbglintegrations/libqxcb-glx-integration.so",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/lib/libQt6Svg.so.6",
        "PySide6/Qt/lib/libQt6DBus.so.6",
        "PySide6/Qt/lib/libicudata.so.73",
        "libpython3.11.so.1.0",
        "libsqlite3.so.0",
        "libstdc++.so.6",
        "pillow.libs/libxcb-9065bb12.so.1.1.0",  # Pillow's own copy, not the system's
        "docx/templates/default-comments.xml",
        "matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf",
        "matplotlib/mpl-data/fonts/ttf/DejaVuSans-BoldOblique.ttf",
        "matplotlib/mpl-data/fonts/ttf/STIXGeneral.ttf",
        "matplotlib/mpl-data/fonts/ttf/LastResortHE-Regular.ttf",
        "matplotlib/mpl-data/matplotlibrc",
        "renewal_coach/resources/templates/renewal-coach.docx",
    ],
)
def test_kept(kept: str) -> None:
    assert not DROP.search(kept)


@pytest.mark.parametrize(
    "dropped",
    [
        f"{PLUGINS}/platforms/libqwayland.so",
        f"{PLUGINS}/platforms/libqeglfs.so",
        f"{PLUGINS}/platforms/libqvnc.so",
        f"{PLUGINS}/platforms/libqlinuxfb.so",
        f"{PLUGINS}/platforms/libqminimalegl.so",
        f"{PLUGINS}/wayland-shell-integration/libxdg-shell.so",
        f"{PLUGINS}/egldeviceintegrations/libqeglfs-kms-integration.so",
        f"{PLUGINS}/platformthemes/libqgtk3.so",
        f"{PLUGINS}/imageformats/libqpdf.so",
        f"{PLUGINS}/qmltooling/libqmldbg_debugger.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/lib/libQt6WebEngineCore.so.6",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6",
        "PySide6/Qt/lib/libQt6WaylandClient.so.6",
        "libgtk-3.so.0",
        "libglib-2.0.so.0",
        "libX11.so.6",
        "matplotlib/mpl-data/sample_data/goog.npz",
        "matplotlib/mpl-data/fonts/ttf/DejaVuSerif-Bold.ttf",
        "matplotlib/mpl-data/fonts/ttf/DejaVuSansMono.ttf",
    ],
)
def test_dropped(dropped: str) -> None:
    assert DROP.search(dropped)


def test_unittest_stays_and_the_gui_is_a_hidden_import() -> None:
    excludes = _literal("excludes")
    assert "unittest" not in excludes  # pyparsing (matplotlib) imports it
    assert "renewal_coach.app" in _literal("hiddenimports")
    assert not re.search(r"strip\s*=\s*True\s*[,)]", SPEC)  # it breaks numpy's libraries


def test_the_entry_script_imports_the_package_absolutely() -> None:
    launcher = (ROOT / "packaging" / "launcher.py").read_text(encoding="utf-8")
    assert "from renewal_coach.__main__ import main" in launcher
    assert 'os.path.join(ROOT, "packaging", "launcher.py")' in SPEC
