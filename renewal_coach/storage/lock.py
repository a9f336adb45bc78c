"""One writer per database file, and where the file lives. Qt-free.

Two processes writing one SQLite file each believe what they showed is what was saved; the
second window's save quietly wins. So every process that opens a database for changes takes
the *writer lock*: a small file ``<database>.lock`` beside it, locked with the operating
system's advisory lock (``flock``) and holding the owner's process id, host name and start time
as JSON so another process can say who has it.

The operating system drops the lock the moment its owner dies, however it died, so a lock left
by a killed process never blocks: the file may still be there, but nobody holds it, and the next
opener takes it over. Where advisory locks are not available (a file system that refuses them,
or Windows) the recorded owner is checked instead: a process that is no longer running on this
host is no owner.

Inside one process the lock is counted, so the app and its own helpers (a second connection, a
restore that closes and reopens the file) never lock each other out.

:func:`network_filesystem` tells when a database sits on a network share, where SQLite's
write-ahead log cannot work safely (it needs shared memory on one machine).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import __version__
from .errors import DatabaseInUseError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows: the recorded owner is checked instead
    fcntl = None  # type: ignore[assignment]

LOCK_SUFFIX = ".lock"

#: File system types that are network shares (``/proc/mounts``); FUSE types are written
#: ``fuse.<name>``.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smbfs",
        "smb2",
        "smb3",
        "sshfs",
        "fuse.sshfs",
        "afs",
        "ncpfs",
        "9p",
        "glusterfs",
        "fuse.glusterfs",
        "ceph",
        "fuse.ceph",
        "davfs",
        "fuse.davfs",
        "fuse.rclone",
        "fuse.s3fs",
        "lustre",
        "gpfs",
    }
)


@dataclass(frozen=True, slots=True)
class LockOwner:
    """Who holds (or last held) a writer lock."""

    pid: int
    host: str
    since: str = ""
    version: str = ""

    def describe(self) -> str:
        """ "process 4242 on laptop-7, since 09:14 on 2026-12-07" for messages."""
        when = ""
        with contextlib.suppress(ValueError):
            moment = datetime.fromisoformat(self.since)
            when = f", since {moment:%H:%M} on {moment:%Y-%m-%d}"
        return f"process {self.pid} on {self.host or 'an unknown computer'}{when}"


def lock_path(database: Path) -> Path:
    """The lock file of ``database``: ``portfolio.db.lock`` beside ``portfolio.db``."""
    return database.with_name(database.name + LOCK_SUFFIX)


def this_host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """True when a process with this id runs on this computer."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it is someone else's
    except OSError:
        return False
    return True


def read_owner(database: Path) -> LockOwner | None:
    """The owner recorded in the lock file of ``database``, or None (no file, unreadable)."""
    try:
        data = json.loads(lock_path(database).read_text(encoding="utf-8"))
        return LockOwner(
            pid=int(data["pid"]),
            host=str(data.get("host", "")),
            since=str(data.get("since", "")),
            version=str(data.get("version", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass
class _Held:
    fd: int
    count: int
    path: Path


_held: dict[str, _Held] = {}
_guard = threading.Lock()


def _key(database: Path) -> str:
    return str(database.expanduser().resolve())


def held_here(database: Path) -> bool:
    """True when this process holds the writer lock of ``database``."""
    with _guard:
        return _key(database) in _held


def acquire(database: Path) -> bool:
    """Take the writer lock of ``database`` (again, when this process has it already).

    Returns False when no lock file can be made at all (a read-only folder): nobody else can
    write there either, so the caller carries on without one. Raises
    :class:`~renewal_coach.storage.errors.DatabaseInUseError` when another live process holds it.
    """
    key = _key(database)
    with _guard:
        held = _held.get(key)
        if held is not None:
            held.count += 1
            return True
        fd = _take(Path(key))
        if fd is None:
            return False
        _held[key] = _Held(fd=fd, count=1, path=lock_path(Path(key)))
        return True


def release(database: Path) -> None:
    """Give back one hold on the writer lock; the last one removes the lock file."""
    key = _key(database)
    with _guard:
        held = _held.get(key)
        if held is None:
            return
        held.count -= 1
        if held.count > 0:
            return
        del _held[key]
        with contextlib.suppress(OSError):
            held.path.unlink()  # removed while still locked, so nobody takes the old file
        with contextlib.suppress(OSError):
            os.close(held.fd)


def release_all() -> None:
    """Give back every lock this process holds (at exit)."""
    with _guard:
        keys = list(_held)
    for key in keys:
        with _guard:
            held = _held.get(key)
            if held is not None:
                held.count = 1
        release(Path(key))


def _take(database: Path) -> int | None:
    path = lock_path(database)
    for _attempt in range(5):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return None  # read-only folder or file: nobody can write the database here either
        if not _lock(fd, path, database):
            os.close(fd)
            raise _in_use(database)
        # The holder before us may have removed the file between our open and our lock: then
        # we hold a lock on a file nobody else will ever look at. Start again on the new one.
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except OSError:
            same = False
        if not same:
            os.close(fd)
            continue
        _write_owner(fd)
        return fd
    raise _in_use(database)


def _lock(fd: int, path: Path, database: Path) -> bool:
    """True when this process now has the lock; False when a live process holds it."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        except OSError:
            pass  # the file system does not do advisory locks: fall back to the owner check
    owner = read_owner(database)
    if owner is None or owner.pid == os.getpid():
        return True
    if owner.host != this_host():
        return False  # cannot tell whether it still runs: assume it does, the message says who
    return not pid_alive(owner.pid)


def _write_owner(fd: int) -> None:
    data = {
        "pid": os.getpid(),
        "host": this_host(),
        "since": datetime.now().isoformat(timespec="seconds"),
        "version": __version__,
    }
    payload = json.dumps(data).encode("utf-8")
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, payload)
        os.fsync(fd)


def _in_use(database: Path) -> DatabaseInUseError:
    owner = read_owner(database)
    who = owner.describe() if owner is not None else "another program"
    return DatabaseInUseError(
        f"{database} is open for changes in another Renewal Coach ({who}). Only one program "
        "may change a file at a time, or each would overwrite the other's work.",
        owner=owner,
    )


def network_filesystem(path: Path, mounts: str | None = None) -> str | None:
    """The file system type when ``path`` lies on a network share (``"nfs4"``), else None.

    Reads ``/proc/mounts`` (Linux) unless ``mounts`` gives its text; elsewhere says None.
    """
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    try:
        target = str(path.expanduser().resolve())
    except OSError:
        target = str(path)
    best = ""
    kind = ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2].lower()
    if kind in NETWORK_FILESYSTEMS or kind.startswith(("nfs", "smb")):
        return kind
    return None
