"""Writing files for the user: whole or not at all, with the user's normal permissions. Qt-free.

Every file the app writes for a person (Word documents, CSV and XLSX tables, calendar files,
backups) goes through :func:`atomic_write`: the content is written to a temporary file in the
target folder, flushed to disk, given the permissions a new file would get under the user's
umask, and then moved over the target in one step. A failure part-way leaves the old file (or no
file) and never half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .core.errors import RenewalCoachError


class FileWriteError(RenewalCoachError):
    """A file could not be written; the message says why in plain words."""


def _umask() -> int:
    # os.umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def explain_os_error(path: Path, exc: OSError) -> str:
    """A sentence for people about why ``path`` could not be written."""
    if isinstance(exc, PermissionError):
        return (
            f"{path} cannot be written: permission denied, or the file is open in another "
            "program. Close it, or choose another name."
        )
    if isinstance(exc, IsADirectoryError):
        return f"{path} is a folder; choose a file name."
    return f"{path} cannot be written: {exc.strerror or exc}."


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str],
    *,
    text: bool = False,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Open a temporary file to write ``path``'s new content; on success it replaces ``path``.

    Yields a binary file object, or a text one when ``text`` is true. When the ``with`` block
    raises, the temporary file is removed and ``path`` is untouched. OS failures become
    :class:`FileWriteError` with a plain message.
    """
    target = Path(path).expanduser()
    folder = target.parent
    if not folder.is_dir():
        raise FileWriteError(f"The folder {folder} does not exist.")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise FileWriteError(explain_os_error(target, exc)) from exc
    temp = Path(temp_name)
    done = False
    try:
        mode = "w" if text else "wb"
        kwargs: dict[str, Any] = {"encoding": encoding, "newline": newline} if text else {}
        with os.fdopen(handle, mode, **kwargs) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes 0600 files; a saved document should get what any new file gets.
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
        done = True
    except OSError as exc:
        raise FileWriteError(explain_os_error(target, exc)) from exc
    finally:
        if not done:
            with contextlib.suppress(OSError):
                temp.unlink()


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through :func:`atomic_write`."""
    with atomic_write(path) as stream:
        stream.write(data)
