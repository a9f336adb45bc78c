"""Where things live: bundled resources, the source tree, and the per-user data folder. Qt-free.

This is the one place that knows how the app was installed. Resources (the top-level
``resources/`` and ``data/`` folders of the source tree) are shipped inside the package as
``renewal_coach/resources`` and ``renewal_coach/data`` (setup.py maps the folders onto those
names for wheels; build.spec copies them to the same place in a frozen build), and are found
through :mod:`importlib.resources` from the package. In a source checkout or an editable
install, where the package folder does not hold them, they are read from the checkout's
top-level folders. Resources are only ever read: :func:`source_path` is for the developer tools
that write into the source tree.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

from . import APP_ID

DATABASE_NAME = "portfolio.db"
SAMPLE_DATABASE_NAME = "sample-portfolio.db"
#: The top-level folders shipped as package data.
RESOURCE_FOLDERS = ("resources", "data")


class NotASourceTreeError(RuntimeError):
    """A developer tool was run from an installed copy, which it must not write into."""


def _package_dir() -> Path:
    # A real folder in every supported install: source tree, wheel/pipx (unzipped) and a
    # PyInstaller build (which unpacks package data under sys._MEIPASS/renewal_coach).
    return Path(str(resources.files(__package__ or "renewal_coach")))


def source_tree() -> Path | None:
    """The source checkout this package runs from, or None for an installed or frozen copy."""
    if getattr(sys, "frozen", False):
        return None
    root = _package_dir().parent
    if (root / "pyproject.toml").is_file() and (root / "resources").is_dir():
        return root
    return None


def resource_path(*parts: str) -> Path:
    """Path of a bundled, read-only file: ``resource_path("data", "sample_portfolio.json")``.

    The first part is the top-level folder (``resources`` or ``data``).
    """
    if not parts or parts[0] not in RESOURCE_FOLDERS:
        raise ValueError(f"resource paths start with one of {RESOURCE_FOLDERS}, not {parts!r}")
    packaged = _package_dir() / parts[0]
    if packaged.is_dir():
        return packaged.joinpath(*parts[1:])
    root = source_tree()
    if root is None:  # an install that lost its data: the caller's "file not found" says so
        return packaged.joinpath(*parts[1:])
    return root.joinpath(*parts)


def source_path(*parts: str) -> Path:
    """A path in the source checkout, for developer tools that write files there.

    Raises :class:`NotASourceTreeError` from an installed or frozen copy, whose files belong to
    the installer and must never be changed.
    """
    root = source_tree()
    if root is None:
        raise NotASourceTreeError(
            "This developer tool writes into the source tree and only runs from a checkout "
            f"(python -m ... in a clone of {APP_ID}), not from an installed copy."
        )
    return root.joinpath(*parts)


def default_data_dir() -> Path:
    """The per-user data folder, matching Qt's ``AppDataLocation`` for this app.

    Linux: ``$XDG_DATA_HOME/renewal-coach`` (``~/.local/share/renewal-coach``); macOS:
    ``~/Library/Application Support/renewal-coach``; Windows: ``%APPDATA%\\renewal-coach``.
    """
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / APP_ID


def default_config_dir() -> Path:
    """The per-user settings folder, where Qt keeps ``settings.ini`` for this app.

    Linux and macOS: ``$XDG_CONFIG_HOME/renewal-coach`` (``~/.config/renewal-coach``); Windows:
    ``%APPDATA%\\renewal-coach``.
    """
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        xdg = os.environ.get("XDG_CONFIG_HOME", "")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return base / APP_ID


def default_database_path() -> Path:
    """The user's own database in the per-user data folder."""
    return default_data_dir() / DATABASE_NAME


def sample_database_path() -> Path:
    """The separate database that holds the sample portfolio (never mixed with the user's)."""
    return default_data_dir() / SAMPLE_DATABASE_NAME


def user_playbook_dir() -> Path:
    """Where a person's own playbooks live (they add to or replace the built-in ones)."""
    return default_data_dir() / "playbooks"
