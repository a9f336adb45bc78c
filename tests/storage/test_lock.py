"""One writer per file: another live process is detected, a killed one never blocks, and a
database on a network share is recognised."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from renewal_coach.storage import lock
from renewal_coach.storage.db import open_database
from renewal_coach.storage.errors import DatabaseInUseError
from renewal_coach.storage.repository import Store

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from renewal_coach.storage.db import open_database
    from renewal_coach.storage.repository import Store
    store = Store(open_database(Path(sys.argv[1])))
    print("ready", flush=True)
    time.sleep(60)
    """
)


def hold_in_other_process(path: Path) -> subprocess.Popen[str]:
    """Another process with ``path`` open for changes (as a second app would have)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_a_second_process_is_refused_while_the_first_lives(db_path: Path) -> None:
    Store(open_database(db_path)).close()
    proc = hold_in_other_process(db_path)
    try:
        with pytest.raises(DatabaseInUseError) as err:
            open_database(db_path)
        assert f"process {proc.pid}" in str(err.value)
        assert err.value.owner is not None and err.value.owner.pid == proc.pid
        # Looking is still allowed.
        viewer = Store(open_database(db_path, create=False, readonly=True))
        assert viewer.read_only
        viewer.close()
    finally:
        proc.kill()
        proc.wait()
    # Killed with no chance to clean up: its lock file stays, but blocks nobody.
    assert lock.lock_path(db_path).exists()
    store = Store(open_database(db_path))
    assert lock.read_owner(db_path).pid == os.getpid()
    store.close()
    assert not lock.lock_path(db_path).exists()


def test_a_lock_file_of_a_dead_process_is_taken_over(db_path: Path) -> None:
    Store(open_database(db_path)).close()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    lock.lock_path(db_path).write_text(
        json.dumps({"pid": gone.pid, "host": lock.this_host(), "since": "2026-01-01T09:00:00"})
    )
    store = Store(open_database(db_path))
    assert lock.read_owner(db_path).pid == os.getpid()
    store.close()


def test_the_same_process_may_open_its_file_twice(db_path: Path) -> None:
    first = Store(open_database(db_path))
    second = Store(open_database(db_path))
    second.close()
    assert lock.held_here(db_path)  # the first still has it
    first.close()
    assert not lock.held_here(db_path)


def test_the_lock_is_given_back_when_opening_fails(db_path: Path) -> None:
    db_path.write_bytes(b"")
    with pytest.raises(Exception):  # noqa: B017 - the empty file is refused
        open_database(db_path)
    assert not lock.held_here(db_path)
    assert not lock.lock_path(db_path).exists()


def test_pid_alive() -> None:
    assert lock.pid_alive(os.getpid())
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    assert lock.pid_alive(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(0.05)
    assert not lock.pid_alive(proc.pid)


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export/home /home/team nfs4 rw,relatime 0 0
//nas/share /mnt/share cifs rw 0 0
me@host:/srv /mnt/remote fuse.sshfs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/team/portfolio.db", "nfs4"),
        ("/mnt/share/a/b.db", "cifs"),
        ("/mnt/remote/p.db", "fuse.sshfs"),
        ("/tmp/p.db", None),
        ("/home/teammate/p.db", None),
        ("/var/p.db", None),
    ],
)
def test_network_filesystems_are_recognised(path: str, kind: str | None) -> None:
    assert lock.network_filesystem(Path(path), MOUNTS) == kind
