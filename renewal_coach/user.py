"""Who is using the app: the person's name, kept per user beside the settings. Qt-free.

The name owns the commitments "we" make in a coaching session and signs the plans a person
edits. It is not the operating-system login (often "root" or a staff number), and it is not
kept in the database: a portfolio file copied to a colleague must not carry someone else's
name into their work. The app and the command line read the same small JSON file,
``user.json`` in the per-user settings folder. The same file keeps this device's id, made once,
which stamps every entry of the change history (with the name) as this device's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import uuid
from pathlib import Path

from .core.errors import RenewalCoachError
from .core.history import Author
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
        _write(file, data)
    except OSError as exc:
        raise UserSettingsError(
            f"Your name could not be saved in {file}: {exc.strerror or exc}."
        ) from exc
    return text


def device_id(path: Path | None = None) -> str:
    """This device's id for the change history: made once, kept in ``user.json`` beside the name.

    A portfolio file copied to another computer does not carry it, so every device stamps its
    own changes. When the settings file cannot be written, an id derived from this machine's
    network address is used instead: still stable on this machine, just not stored.
    """
    file = path or user_file()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    current = data.get("device_id")
    if isinstance(current, str) and _valid_device(current):
        return current
    new = uuid.uuid4().hex[:DEVICE_DIGITS]
    data["device_id"] = new
    try:
        _write(file, data)
    except OSError:
        return hashlib.sha256(str(uuid.getnode()).encode()).hexdigest()[:DEVICE_DIGITS]
    return new


def author(path: Path | None = None) -> Author:
    """Who is writing from this device: the name and the device id, for the change history."""
    return Author(user_name(path), device_id(path))


#: Length of a device id (hex digits).
DEVICE_DIGITS = 16


def _valid_device(text: str) -> bool:
    return len(text) == DEVICE_DIGITS and all(c in "0123456789abcdef" for c in text)


def _write(file: Path, data: dict[str, object]) -> None:
    """Replace ``file`` with ``data`` as JSON in one step (a temporary file renamed over it)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".user-", suffix=".json", dir=file.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
        os.replace(temp, file)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
