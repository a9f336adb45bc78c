"""Help ▸ User Guide (F1) and Help ▸ Keyboard Shortcuts.

The guide is an HTML file shipped with the app (``resources/help/guide.html``, read through
:func:`renewal_coach.paths.resource_path`). The shortcut list is read from the window's actions
each time it opens, so an action added later, or a shortcut changed, shows up without anyone
editing a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..paths import resource_path

#: Where the guide lives, under the bundled ``resources`` folder.
GUIDE_PARTS = ("resources", "help", "guide.html")


def guide_path() -> Path:
    return resource_path(*GUIDE_PARTS)


class HelpWindow(QDialog):
    """The user guide in a window of its own, beside the app (not modal)."""

    def __init__(self, parent: QWidget | None = None, *, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Renewal Coach User Guide"))
        self.setModal(False)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setAccessibleName(self.tr("User guide"))
        self.path = path or guide_path()
        self.problem = ""
        try:
            html = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.problem = str(exc)
            self.browser.setPlainText(
                self.tr(
                    "The user guide could not be read from {path} ({why}). Reinstalling "
                    "Renewal Coach puts it back; nothing else is affected."
                ).format(path=self.path, why=getattr(exc, "strerror", None) or exc)
            )
        else:
            self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(self.path)))
            # Links to the guide's other pages (calendar.html) are found beside it.
            self.browser.setSearchPaths([str(self.path.parent)])
            self.browser.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry() if self.screen() else None
        width = min(860, int(screen.width() * 0.8)) if screen else 860
        height = min(900, int(screen.height() * 0.85)) if screen else 700
        self.resize(width, height)

    def show_topic(self, anchor: str = "") -> None:
        """Show the window at ``anchor`` (a section name such as "portfolio"), or the top."""
        if anchor:
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)
        self.show()
        self.raise_()
        self.activateWindow()
        self.browser.setFocus()


@dataclass(frozen=True, slots=True)
class ShortcutRow:
    """One action with a shortcut: where it lives, what it is called, and its keys."""

    place: str
    name: str
    keys: str
    action: QAction


def _plain(text: str) -> str:
    """A menu text as people read it: no mnemonic ampersands (a doubled one is a real "&")."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _menu_places(menu: QMenu, trail: str, places: dict[QAction, str]) -> None:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            _menu_places(sub, f"{trail} ▸ {_plain(sub.title())}", places)
        elif not action.isSeparator():
            places.setdefault(action, trail)


def shortcut_rows(window: QMainWindow) -> list[ShortcutRow]:
    """Every action of ``window`` that has a shortcut, as it is at this moment.

    Actions in the menu bar come first, in menu order, named by their menu; then any other
    action the window holds (added with ``addAction`` or owned by it) under "Window".
    """
    places: dict[QAction, str] = {}
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            _menu_places(menu, _plain(menu.title()), places)
    ordered = list(places)
    seen = set(ordered)
    for action in [*window.actions(), *window.findChildren(QAction)]:
        if action not in seen:
            seen.add(action)
            ordered.append(action)
    rows = []
    listed: set[tuple[str, str, str]] = set()
    for action in ordered:
        keys = [k for k in action.shortcuts() if not k.isEmpty() and not _media_key(k)]
        if not keys:
            continue
        text = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
        name = _plain(action.text()) or _plain(action.toolTip()) or _plain(action.statusTip())
        place = places.get(action) or _local_place(action) or window.tr("Window")
        if (place, name, text) in listed:  # the same key in each of several alike lists
            continue
        listed.add((place, name, text))
        rows.append(ShortcutRow(place, name, text, action))
    return rows


def _media_key(sequence: QKeySequence) -> bool:
    """A dedicated key of some keyboards (Back, Redo, Refresh…), listed beside the usual ones
    by Qt's standard bindings: not something to teach."""
    return sequence.count() == 1 and sequence[0].key().value >= Qt.Key.Key_Back.value


def _local_place(action: QAction) -> str:
    """Where a shortcut that only works in one list or panel works, in words."""
    place = action.property("helpPlace")
    if isinstance(place, str) and place:
        return place
    if action.shortcutContext() in (
        Qt.ShortcutContext.WidgetShortcut,
        Qt.ShortcutContext.WidgetWithChildrenShortcut,
    ):
        for obj in action.associatedObjects():
            if isinstance(obj, QWidget) and obj.accessibleName():
                return obj.accessibleName()
    return ""


class ShortcutsDialog(QDialog):
    """Help ▸ Keyboard Shortcuts: a table built from the window's actions when it opens."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self.rows = shortcut_rows(window)
        intro = QLabel(
            self.tr(
                "The shortcuts of the main window, read from its menus just now. Coaching mode "
                "has keys of its own: see the user guide (F1), section Keys."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.rows), 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Where"), self.tr("Command"), self.tr("Shortcut")]
        )
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        for r, row in enumerate(self.rows):
            for c, text in enumerate((row.place, row.name, row.keys)):
                item = QTableWidgetItem(text)
                item.setToolTip(row.action.statusTip() or text)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.resizeColumnsToContents()
        wanted = sum(header.sectionSize(c) for c in range(3)) + 60
        rows_height = self.table.verticalHeader().length() + header.height() + 140
        self.resize(max(560, min(wanted, 900)), max(360, min(rows_height, 720)))

    def texts(self) -> list[tuple[str, str, str]]:
        """What the table shows, row by row."""
        return [
            tuple(self.table.item(r, c).text() for c in range(3))  # type: ignore[misc]
            for r in range(self.table.rowCount())
        ]
