"""Where things live: bundled resources, and the per-user data folder. Qt-free.

This is the one place that knows the difference between running from the source tree and from
a PyInstaller build.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import APP_ID

DATABASE_NAME = "portfolio.db"
SAMPLE_DATABASE_NAME = "sample-portfolio.db"


def _root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """Path of a bundled file: ``resource_path("data", "sample_portfolio.json")``.

    The first part is the top-level folder (``resources`` or ``data``).
    """
    return _root().joinpath(*parts)


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
