"""Shared fixtures. Qt runs offscreen; every database is migrated through the real chain."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from renewal_coach.qt_check import qt_problem

# pytest-qt imports Qt as soon as it is configured; a missing system library would end in an
# obscure traceback, so say what to install first.
_problem = qt_problem(need_window=False)
if _problem:
    pytest.exit(_problem, returncode=3)

from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep every test away from the real user's data and settings folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return home


@pytest.fixture
def store() -> Iterator[Store]:
    """An empty, fully migrated in-memory store."""
    s = Store(open_database(":memory:"))
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a database file that does not exist yet."""
    return tmp_path / "portfolio.db"
