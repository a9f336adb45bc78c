"""File ▸ Restore…: the open file's backups with what each holds, and how many to keep.

The dialog only chooses: the main window makes the restore (it must close the file first).
:func:`choose_backup_target` asks where File ▸ Back Up Now… writes its copy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.dates import local_time
from ...core.text import file_size
from ...storage import backups as bk
from ...storage.errors import StorageError
from ...storage.repository import Store
from .. import theme
from ..stepper import Stepper
from ..text import plural

_Index = QModelIndex | QPersistentModelIndex


#: The ``problem`` of a backup whose contents are still being read.
_READING = "reading"


def _reading(path: Path) -> bk.Contents:
    """What is known of a backup before it is opened: its data format, from the header."""
    return bk.Contents(bk.schema_version_of(path), None, None, "", _READING)


def _count(held: bk.Contents, value: int | None) -> str:
    if value is not None:
        return f"{value:,}"
    return "…" if held.problem == _READING else "?"


class BackupsModel(QAbstractTableModel):
    """One row per backup: when, why, size, accounts, contracts, last change."""

    MADE, WHY, SIZE, ACCOUNTS, CONTRACTS, LAST_CHANGE = range(6)
    COLUMN_COUNT = 6
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[bk.Backup, bk.Contents]] = []

    def set_backups(self, rows: list[tuple[bk.Backup, bk.Contents]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def set_contents(self, row: int, held: bk.Contents) -> None:
        """What the backup of ``row`` holds, now that it has been read."""
        if 0 <= row < len(self.rows):
            self.rows[row] = (self.rows[row][0], held)
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.COLUMN_COUNT - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Made"),
            self.tr("Why"),
            self.tr("Size"),
            self.tr("Accounts"),
            self.tr("Contracts"),
            self.tr("Last change"),
        )[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        backup, held = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.MADE:
                return backup.made.strftime("%Y-%m-%d %H:%M")
            if column == self.WHY:
                words = self.tr(backup.kind_words.capitalize())
                if held.too_new:
                    return self.tr("{why} — from a newer version").format(why=words)
                if held.problem and held.problem != _READING:
                    return self.tr("{why} — cannot be read").format(why=words)
                return words
            if column == self.SIZE:
                return file_size(backup.size)
            if column == self.ACCOUNTS:
                return _count(held, held.accounts)
            if column == self.CONTRACTS:
                return _count(held, held.contracts)
            if column == self.LAST_CHANGE:
                return "…" if held.problem == _READING else local_time(held.last_change)
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(backup.path) + (f"\n{held.problem}" if held.problem else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            self.SIZE,
            self.ACCOUNTS,
            self.CONTRACTS,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BackupsDialog(QDialog):
    """Lists the backups of the open file; Restore… closes with :attr:`chosen` set."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.chosen: Path | None = None
        path = store.path
        self.setWindowTitle(self.tr("Restore From a Backup"))
        folder = bk.folder_of(path) if path is not None else None
        intro = QLabel(
            self.tr(
                "Backups of <b>{name}</b>, newest first. Restoring puts the backup in place "
                "of the file; the file as it is now is kept among the backups first, so a "
                "restore can be undone the same way."
            ).format(name=path.name if path else self.tr("this portfolio"))
        )
        intro.setWordWrap(True)
        where = QLabel(self.tr("Folder: {folder}").format(folder=folder or "—"))
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setWordWrap(True)
        theme.set_tone(where, "muted")

        self.model = BackupsModel(self)
        self._reader = Stepper(self, slice_seconds=0.02)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("Backups"))
        self.table.doubleClicked.connect(lambda _i: self.restore_button.click())
        self.empty = QLabel(
            self.tr(
                "No backups yet. One is made the first time the app opens the file each day, "
                "and when it closes the file after changes."
            )
        )
        self.empty.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        theme.set_tone(self.problem, "error")
        self.problem.hide()

        self.daily = self._spin()
        self.weekly = self._spin()
        self.monthly = self._spin()
        rotation = bk.load_rotation(store.db.conn)
        self.daily.setValue(rotation.daily)
        self.weekly.setValue(rotation.weekly)
        self.monthly.setValue(rotation.monthly)
        keep = QHBoxLayout()
        keep.addWidget(QLabel(self.tr("Keep the newest backup of each of the last")))
        for spin, unit in (
            (self.daily, self.tr("days,")),
            (self.weekly, self.tr("weeks and")),
            (self.monthly, self.tr("months")),
        ):
            keep.addWidget(spin)
            label = QLabel(unit)
            label.setBuddy(spin)
            keep.addWidget(label)
        keep.addStretch(1)
        self.keep_button = QPushButton(self.tr("&Keep These"))
        self.keep_button.setToolTip(
            self.tr("Store these counts in the portfolio and remove the backups they leave out")
        )
        self.keep_button.clicked.connect(self.save_rotation)
        self.keep_button.setEnabled(not store.read_only)
        keep.addWidget(self.keep_button)
        self.daily.setAccessibleName(self.tr("Daily backups to keep"))
        self.weekly.setAccessibleName(self.tr("Weekly backups to keep"))
        self.monthly.setAccessibleName(self.tr("Monthly backups to keep"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton(self.tr("&Restore…"))
        self.restore_button.setToolTip(self.tr("Put the selected backup in place of the file"))
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self._restore)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(where)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.problem)
        layout.addLayout(keep)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.resize(820, 460)
        self.reload()

    def _spin(self) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(0, bk.MAX_KEEP)
        spin.setEnabled(not self.store.read_only)
        return spin

    def reload(self) -> None:
        """Read the folder again. What each backup holds is read a backup per step after the
        list is shown (about 0.1 s each at 5,000 accounts), so the dialog never stalls."""
        path = self.store.path
        backups = bk.list_backups(path) if path else []
        rows = [(b, _reading(b.path)) for b in backups]
        self.model.set_backups(rows)
        self._reader.start(self._read_contents(backups))
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if rows:
            self.table.selectRow(0)
        self._update()

    def _read_contents(self, backups: list[bk.Backup]) -> Iterator[int]:
        for row, backup in enumerate(backups):
            held = bk.contents(backup.path)
            self.model.set_contents(row, held)
            if row == self._selected_row():
                self._update()
            yield row

    def wait(self) -> None:
        """Read every backup's contents now (tests)."""
        self._reader.wait()

    def _selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def selected(self) -> tuple[bk.Backup, bk.Contents] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _update(self, *_: object) -> None:
        chosen = self.selected()
        ok = chosen is not None and not chosen[1].too_new and not chosen[1].problem
        self.restore_button.setEnabled(ok)
        if chosen is not None and chosen[1].too_new:
            self.restore_button.setToolTip(
                self.tr("This backup was made by a newer version of Renewal Coach")
            )
        else:
            self.restore_button.setToolTip(self.tr("Put the selected backup in place of the file"))

    def _restore(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        backup, _held = chosen
        try:
            bk.check_backup(backup.path)
        except StorageError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        self.chosen = backup.path
        self.accept()

    def save_rotation(self) -> bool:
        rotation = bk.Rotation(self.daily.value(), self.weekly.value(), self.monthly.value())
        path = self.store.path
        try:
            bk.save_rotation(self.store.db.conn, rotation)
            removed = bk.prune(path, rotation, today=datetime.now().date()) if path else []
        except (StorageError, sqlite3.Error) as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return False
        self.problem.hide()
        self.reload()
        if removed:
            self.problem.setText(
                plural(len(removed), "{n} older backup removed.", "{n} older backups removed.")
            )
            theme.set_tone(self.problem, "muted")
            self.problem.show()
        return True


def choose_backup_target(parent: QWidget | None, suggested: Path) -> Path | None:
    """Where File ▸ Back Up Now… writes; None when cancelled. The file dialog asks before an
    existing file is replaced."""
    name, _ = QFileDialog.getSaveFileName(
        parent,
        QDialog.tr("Back Up Now"),
        str(suggested),
        QDialog.tr("Renewal Coach databases (*.db);;All files (*)"),
    )
    if not name:
        return None
    chosen = Path(name)
    return chosen if chosen.suffix else chosen.with_suffix(".db")
