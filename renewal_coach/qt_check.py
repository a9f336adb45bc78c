"""Find out, before Qt is imported, whether the system can run it, and say how to fix it if not.

Qt aborts the whole process (no exception) when a platform plugin cannot load, so the libraries
are probed here with ctypes first. Qt-free on purpose.
"""

from __future__ import annotations

import ctypes
import os
import sys

# These lists are packaging/apt-packages.txt's [qt] and [x11] groups (the one list of system
# packages); tests/test_packaging.py checks they agree with it and with README.md.

#: The Quick start's prerequisite (Debian/Ubuntu ship venv separately).
PYTHON_PACKAGES = "python3-venv"
#: Debian/Ubuntu packages Qt needs for any window, including the offscreen platform.
BASE_PACKAGES = (
    "libgl1 libegl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3 fonts-dejavu-core "
    "fonts-noto-color-emoji fonts-symbola"
)
#: Extra packages for a real X11 window.
X11_PACKAGES = (
    "libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 "
    "libxcb-shape0 libxkbcommon-x11-0"
)
#: The install line README.md shows: everything the Quick start and a real window need.
APT_LINE = f"sudo apt-get install -y {PYTHON_PACKAGES} {BASE_PACKAGES} {X11_PACKAGES}"
_BASE_LIBS = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}
_X11_LIBS = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def _missing(libs: dict[str, str]) -> list[str]:
    missing = []
    for soname, package in libs.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(package)
    return missing


def qt_problem(*, need_window: bool = True) -> str | None:
    """A message saying what to install or set up for Qt, or None when all is well.

    ``need_window`` also checks what a real X11 window needs (not the offscreen platform).
    Only Linux is probed; elsewhere the Qt wheels carry what they need.
    """
    if not sys.platform.startswith("linux"):
        return _import_problem()
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    missing = _missing(_BASE_LIBS)
    x11 = need_window and platform in ("", "xcb") and not os.environ.get("WAYLAND_DISPLAY")
    if x11:
        missing += _missing(_X11_LIBS)
    if missing:
        return (
            "Qt cannot start: system libraries are missing. Install them with:\n"
            f"  sudo apt-get install -y {' '.join(missing)}\n"
            f"(everything, as in the README: {APT_LINE})"
        )
    if (
        need_window
        and not platform
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        return (
            "No display found (DISPLAY is not set). Run Renewal Coach from a desktop session, "
            "or on a server use: xvfb-run -a renewal-coach"
        )
    return _import_problem()


def _import_problem() -> str | None:
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as exc:
        return (
            f"Qt for Python could not be loaded ({exc}). Reinstall the app with its "
            "dependencies (pipx install, or pip install -e . in a checkout: see the README), "
            f"and on Debian/Ubuntu the system libraries:\n  {APT_LINE}"
        )
    return None
