"""Typed access to QSettings: every preference is declared once with its name, type and default.

Preferences (choices the person made) live under ``preferences/``; window geometry and view state
live under ``window/`` so that resetting the layout never touches a preference. Values are plain
strings, numbers, booleans or Qt's own byte arrays: nothing is ever pickled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from .. import APP_ID

T = TypeVar("T", str, int, bool)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    """One preference: its key under ``preferences/``, its Python type and its default."""

    name: str
    type: type[T]
    default: T

    @property
    def key(self) -> str:
        return f"preferences/{self.name}"


#: The database opened last; empty until one has been opened.
LAST_DATABASE: Setting[str] = Setting("last_database", str, "")
#: File ▸ Open Recent: absolute paths of the databases opened last, newest first, one a line.
RECENT_DATABASES: Setting[str] = Setting("recent_databases", str, "")
#: What the person chose when their portfolio was empty on first run: "sample", "empty" or "".
FIRST_RUN_CHOICE: Setting[str] = Setting("first_run_choice", str, "")

#: The company Word template for exports; empty for the bundled default.
WORD_TEMPLATE: Setting[str] = Setting("word_template", str, "")

#: The page shown when the window was last closed: "this_week", "portfolio", "renewals" or
#: "insights".
LAST_PAGE: Setting[str] = Setting("last_page", str, "portfolio")

#: Light or dark: "system" (follow the desktop), "light" or "dark" (see ``ui/theme.py``).
COLOUR_SCHEME: Setting[str] = Setting("colour_scheme", str, "system")

#: The day each database file last passed SQLite's quick check (JSON: resolved path -> ISO
#: date), so the check reads every page at most once a day per file (``ui/file_care.py``).
INTEGRITY_CHECKED: Setting[str] = Setting("integrity_checked", str, "")
#: This Week: the account owner typed in its filter ("" for every account).
THIS_WEEK_OWNER: Setting[str] = Setting("this_week_owner", str, "")
#: The day the app last started (ISO), so the next start knows what fell due since.
LAST_START: Setting[str] = Setting("last_start", str, "")
#: Announce near notice and option dates with a tray notification too (off unless asked).
TRAY_NUDGE: Setting[bool] = Setting("tray_nudge", bool, False)
#: File ▸ Export Calendar…: the folder the last calendar file was saved in.
CALENDAR_FOLDER: Setting[str] = Setting("calendar_folder", str, "")

#: Every known preference, for tools and tests that walk the registry.
REGISTRY: tuple[Setting, ...] = (
    LAST_DATABASE,
    RECENT_DATABASES,
    FIRST_RUN_CHOICE,
    WORD_TEMPLATE,
    LAST_PAGE,
    COLOUR_SCHEME,
    INTEGRITY_CHECKED,
    THIS_WEEK_OWNER,
    LAST_START,
    TRAY_NUDGE,
    CALENDAR_FOLDER,
)


def default_qsettings() -> QSettings:
    """The app's settings file: ``~/.config/renewal-coach/settings.ini`` on Linux."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_ID, "settings")


class Settings:
    """Preferences and window state over one QSettings (passed in, so tests can use a temp file)."""

    def __init__(self, qsettings: QSettings) -> None:
        self._qs = qsettings

    @property
    def file_name(self) -> str:
        return self._qs.fileName()

    def get(self, setting: Setting[T]) -> T:
        """The stored value converted to the setting's type; the default when missing or invalid."""
        raw = self._qs.value(setting.key)
        if raw is None:
            return setting.default
        return _convert(raw, setting)

    def set(self, setting: Setting[T], value: T) -> None:
        """Store ``value``, which must already have the setting's type."""
        if not isinstance(value, setting.type):
            raise TypeError(f"{setting.name} takes {setting.type.__name__}, not {value!r}")
        self._qs.setValue(setting.key, value)

    def reset(self, setting: Setting[T]) -> None:
        """Forget the stored value, so the default applies again."""
        self._qs.remove(setting.key)

    # ---- window geometry and view state (kept apart from preferences) -----------------------

    def window_state(self, name: str) -> QByteArray | None:
        """Bytes saved by ``saveGeometry()``/``saveState()`` under ``window/<name>``, or None."""
        raw = self._qs.value(f"window/{name}")
        return raw if isinstance(raw, QByteArray) and not raw.isEmpty() else None

    def set_window_state(self, name: str, data: QByteArray) -> None:
        self._qs.setValue(f"window/{name}", data)

    def sync(self) -> None:
        """Write pending changes to disk now."""
        self._qs.sync()


def _convert(raw: object, setting: Setting[T]) -> T:
    kind = setting.type
    if kind is bool:
        if isinstance(raw, bool):
            return raw  # type: ignore[return-value]
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True  # type: ignore[return-value]
        if text in _FALSE:
            return False  # type: ignore[return-value]
        return setting.default
    if kind is int:
        try:
            return int(str(raw).strip())  # type: ignore[return-value]
        except ValueError:
            return setting.default
    if isinstance(raw, (list, tuple)):
        # An ini value containing a comma reads back as a list; rejoin it.
        return ",".join(str(part) for part in raw)  # type: ignore[return-value]
    return str(raw)  # type: ignore[return-value]
