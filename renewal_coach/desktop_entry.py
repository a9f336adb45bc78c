"""Add Renewal Coach to the current user's application menu (freedesktop). Qt-free.

``renewal-coach --install-desktop-entry`` writes, under ``$XDG_DATA_HOME`` (default
``~/.local/share``):

- ``applications/renewal-coach.desktop``: the menu entry, whose name matches the app's
  ``QGuiApplication.setDesktopFileName``, with ``Exec`` set to the program that was run (a pipx
  or venv script, or the frozen executable), so the entry starts this very copy;
- ``icons/hicolor/NxN/apps/renewal-coach.png`` and ``scalable/apps/renewal-coach.svg``;
- ``metainfo/org.renewalcoach.RenewalCoach.metainfo.xml``: the AppStream description that
  software centres read.

Running it again rewrites the same files (after a move or an upgrade). To remove the entry,
delete those files. No cache is updated: desktops watch these folders, and an icon cache made in
a user's folder would hide icons other programs add there later.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from . import APP_ID
from .fileio import write_bytes
from .paths import resource_path

DESKTOP_FILE = f"{APP_ID}.desktop"
#: AppStream wants a reverse-DNS component id; its launchable is the .desktop file above.
APPSTREAM_ID = "org.renewalcoach.RenewalCoach"
METAINFO_FILE = f"{APPSTREAM_ID}.metainfo.xml"
#: PNG sizes installed into the hicolor theme (resources/icons holds them).
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


@dataclass(frozen=True, slots=True)
class Installed:
    desktop_file: Path
    files: tuple[Path, ...]
    command: str


def data_home() -> Path:
    """``$XDG_DATA_HOME`` when set to an absolute path, else ``~/.local/share``."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    return Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"


def _quote(arg: str) -> str:
    """One argument quoted by the Desktop Entry spec's rules for ``Exec``."""
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`%"):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg).replace("%", "%%")
    return f'"{escaped}"'


def launch_command() -> list[str]:
    """The command that starts this copy of the app, as absolute paths."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == APP_ID:
        found = script if script.is_file() else shutil.which(str(script))
        if found:
            return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "renewal_coach"]


def desktop_entry_text(command: list[str]) -> str:
    """The shipped .desktop file with Exec and TryExec pointing at ``command``."""
    template = resource_path("resources", "desktop", DESKTOP_FILE).read_text(encoding="utf-8")
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(_quote(part) for part in command)
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0]
        lines.append(line)
    return "\n".join(lines) + "\n"


def install(target: Path | None = None, command: list[str] | None = None) -> Installed:
    """Write the menu entry, icons and metainfo under ``target`` (default: :func:`data_home`).

    Raises :class:`~renewal_coach.fileio.FileWriteError` with a plain message on failure.
    """
    base = target or data_home()
    command = command or launch_command()
    written: list[Path] = []

    def put(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, data)
        written.append(path)

    icons = resource_path("resources", "icons")
    try:
        for size in ICON_SIZES:
            source = icons / f"{APP_ID}-{size}.png"
            put(
                base / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png",
                source.read_bytes(),
            )
        put(
            base / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
            (icons / f"{APP_ID}.svg").read_bytes(),
        )
        desktop = resource_path("resources", "desktop")
        put(base / "metainfo" / METAINFO_FILE, (desktop / METAINFO_FILE).read_bytes())
        entry = base / "applications" / DESKTOP_FILE
        put(entry, desktop_entry_text(command).encode("utf-8"))
    except OSError as exc:
        from .fileio import FileWriteError, explain_os_error

        raise FileWriteError(explain_os_error(Path(exc.filename or base), exc)) from exc
    return Installed(entry, tuple(written), " ".join(command))
