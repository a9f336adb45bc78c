"""Who is using the app: the person's name, kept per user beside the settings. Qt-free.

The name owns the commitments "we" make in a coaching session and signs the plans a person
edits. It is not the operating-system login (often "root" or a staff number), and it is not
kept in the database: a portfolio file copied to a colleague must not carry someone else's
name into their work. The app and the command line read the same small JSON file,
``user.json`` in the per-user settings folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from .core.errors import RenewalCoachError
from .core.text import clean_line
from .paths import default_config_dir

FILE_NAME = "user.json"
#: Longest name kept; longer input is refused with a message rather than cut.
MAX_NAME = 80


class UserSettingsError(RenewalCoachError):
    """The name could not be kept (bad input, or the settings folder cannot be written)."""


def user_file() -> Path:
    return default_config_dir() / FILE_NAME


def user_name(path: Path | None = None) -> str:
    """The person's name, or "" when none has been given yet (or the file is unreadable)."""
    file = path or user_file()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    name = data.get("name", "") if isinstance(data, dict) else ""
    return clean_line(name)[:MAX_NAME] if isinstance(name, str) else ""


def set_user_name(name: str, path: Path | None = None) -> str:
    """Keep ``name`` (tidied to one line) as the person's name and return it; "" forgets it.

    Raises :class:`UserSettingsError` for a name over :data:`MAX_NAME` characters or when the
    file cannot be written; the name stored before is then left as it was.
    """
    text = clean_line(name)
    if len(text) > MAX_NAME:
        raise UserSettingsError(
            f"Keep the name to {MAX_NAME} characters or fewer (this one has {len(text)})."
        )
    file = path or user_file()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    data["name"] = text
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".user-", suffix=".json", dir=file.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=2)
            os.replace(temp, file)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    except OSError as exc:
        raise UserSettingsError(
            f"Your name could not be saved in {file}: {exc.strerror or exc}."
        ) from exc
    return text
