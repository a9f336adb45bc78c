"""File ▸ Open Recent: the database files opened last, newest first.

The list is kept in the settings (:data:`~renewal_coach.ui.settings.RECENT_DATABASES`), one
absolute path per line. A file is listed once, however it was reached (the paths are compared
after resolving links and ``..``). The database open now is left out: it is the one on screen.
A file that cannot be found (a network drive not mounted, a USB stick taken out) stays listed but
disabled, so it comes back when the drive does; "Clear the List" forgets them all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from .settings import RECENT_DATABASES, Settings

#: How many files the menu keeps.
MAX_RECENT = 8


def _key(path: Path) -> str:
    """What two spellings of one file have in common."""
    try:
        return os.path.normcase(str(path.expanduser().resolve()))
    except (OSError, RuntimeError):
        return os.path.normcase(str(path.expanduser().absolute()))


def read_recent(settings: Settings) -> list[Path]:
    """The remembered files, newest first, each once."""
    paths: list[Path] = []
    seen: set[str] = set()
    for line in settings.get(RECENT_DATABASES).splitlines():
        line = line.strip()
        if not line:
            continue
        path = Path(line)
        key = _key(path)
        if key not in seen:
            seen.add(key)
            paths.append(path)
    return paths[:MAX_RECENT]


def remember(settings: Settings, path: Path) -> list[Path]:
    """Put ``path`` at the top of the list (moving it there if it was already listed)."""
    text = str(path.expanduser().absolute())
    if "\n" in text or "\r" in text:
        return read_recent(settings)  # a name no settings line can hold: not remembered
    key = _key(path)
    paths = [Path(text)] + [p for p in read_recent(settings) if _key(p) != key]
    paths = paths[:MAX_RECENT]
    settings.set(RECENT_DATABASES, "\n".join(str(p) for p in paths))
    return paths


class RecentDatabases(QObject):
    """Builds the Open Recent menu each time it opens and opens what is chosen.

    ``current`` gives the path of the database open now (None for one in memory); ``open_path``
    opens a file and says whether it worked; ``skip`` says which files the menu leaves out
    (the sample portfolio, which has a menu entry of its own).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        current: Callable[[], Path | None],
        open_path: Callable[[Path], bool],
        skip: Callable[[Path], bool] = lambda _p: False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._current = current
        self._open_path = open_path
        self._skip = skip
        self.menu = QMenu(self.tr("Open &Recent"), parent)
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self.rebuild)
        self.clear_action = QAction(self.tr("&Clear the List"), self)
        self.clear_action.setStatusTip(self.tr("Forget the database files opened recently"))
        self.clear_action.triggered.connect(self.clear)
        self.rebuild()

    def note_opened(self, path: object = None) -> None:
        """Remember the database open now (connected to the window's ``database_changed``)."""
        current = self._current()
        if current is not None and not self._skip(current):
            remember(self._settings, current)
        self.rebuild()

    def paths(self) -> list[Path]:
        """What the menu lists: remembered files other than the one open now, newest first."""
        current = self._current()
        here = _key(current) if current is not None else None
        return [p for p in read_recent(self._settings) if _key(p) != here and not self._skip(p)]

    def rebuild(self) -> None:
        menu = self.menu
        menu.clear()  # deletes the entries it owns; Clear the List belongs to this object
        paths = self.paths()
        if not paths:
            empty = menu.addAction(self.tr("No recent databases"))
            empty.setEnabled(False)
        for number, path in enumerate(paths, start=1):
            # A "&" in a name is shown as itself, not taken as a menu mnemonic.
            name, folder = (str(part).replace("&", "&&") for part in (path.name, path.parent))
            label = f"&{number}  {name}" if number < 10 else name
            action = menu.addAction(f"{label}  —  {folder}")
            action.setData(str(path))
            if path.is_file():
                action.setToolTip(str(path))
                action.setStatusTip(self.tr("Open {path}").format(path=path))
            else:
                action.setEnabled(False)
                action.setToolTip(self.tr("Not found: {path}").format(path=path))
                action.setText(self.tr("{label} (not found)").format(label=action.text()))
            action.triggered.connect(lambda _c=False, p=path: self._open(p))
        menu.addSeparator()
        menu.addAction(self.clear_action)
        self.clear_action.setEnabled(bool(read_recent(self._settings)))

    def clear(self) -> None:
        self._settings.reset(RECENT_DATABASES)
        self.rebuild()

    def _open(self, path: Path) -> None:
        # The window's database_changed signal calls note_opened once the file is open.
        self._open_path(path)
