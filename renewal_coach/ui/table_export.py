"""File ▸ Export Table…: the rows and columns a page shows, to CSV or XLSX, off the GUI thread.

A page hands over a :class:`~renewal_coach.tables.table.Table` built from its proxy model (the
rows filtered and sorted as shown, the visible columns in their order). Writing it
(:func:`renewal_coach.tables.writers.write_table`) runs on a QThreadPool worker: the table is a
snapshot of immutable rows, so the window stays usable while thousands of rows are written.
Progress appears only when writing takes longer than half a second.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHeaderView, QProgressDialog, QWidget

from ..core.errors import RenewalCoachError
from ..tables.table import Table
from ..tables.writers import SUFFIXES, write_table
from .errors import show_expected_error
from .jobs import JobKeeper


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("table_export", text)


def visible_columns(header: QHeaderView) -> list[int]:
    """The model columns a header shows, left to right (moved sections where they were moved
    to, hidden ones left out)."""
    out = []
    for visual in range(header.count()):
        logical = header.logicalIndex(visual)
        if logical >= 0 and not header.isSectionHidden(logical):
            out.append(logical)
    return out


#: Filters offered by the save dialog, with the suffix each one adds.
FILTERS = (
    ("Excel workbook (*.xlsx)", ".xlsx"),
    ("CSV, comma-separated, UTF-8 (*.csv)", ".csv"),
)


def with_suffix(name: str, chosen_filter: str) -> Path:
    """The file name typed, given the suffix of the filter chosen unless it has .csv or .xlsx."""
    path = Path(name)
    if path.suffix.lower() in SUFFIXES:
        return path
    suffix = next((s for f, s in FILTERS if _tr(f) == chosen_filter), ".xlsx")
    return path.with_name(path.name + suffix)


def _ask_path(parent: QWidget | None, suggested: Path) -> Path | None:
    filters = [_tr(f) for f, _s in FILTERS]
    chosen = filters[1] if suggested.suffix.lower() == ".csv" else filters[0]
    name, chosen = QFileDialog.getSaveFileName(
        parent, _tr("Export Table"), str(suggested), ";;".join(filters), chosen
    )
    return with_suffix(name, chosen) if name else None


def _documents() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(location) if location else Path.home()
    return path if path.is_dir() else Path.home()


class _Signals(QObject):
    progress = Signal(int)
    finished = Signal(int)
    failed = Signal(object)


class _WriteJob(QRunnable):
    """Writes one table on a pool thread; talks back only through signals."""

    def __init__(self, path: Path, table: Table) -> None:
        super().__init__()
        self.signals = _Signals()
        self.path = path
        self.table = table

    def run(self) -> None:
        try:
            count = write_table(self.path, self.table, self.signals.progress.emit)
        except Exception as err:  # handed to the GUI thread, which decides what it is
            self.signals.failed.emit(err)
        else:
            self.signals.finished.emit(count)


class TableExporter(QObject):
    """Asks where to save a page's table, writes it off the GUI thread, and says how it went.

    ``done(message)`` fires after a successful export with the sentence for the status bar
    ("Exported 12 accounts to …"); ``failed(error)`` after an expected failure, which is also
    explained in a dialog.
    """

    done = Signal(str)
    failed = Signal(object)

    def __init__(
        self, *, today: Callable[[], date] = date.today, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._jobs = JobKeeper()
        self.last_folder: Path | None = None
        self.last_suffix = ".xlsx"
        self.ask_path: Callable[[QWidget | None, Path], Path | None] = _ask_path

    def export(self, table: Table, nouns: tuple[str, str], parent: QWidget | None) -> None:
        """Ask for a file name, then write ``table`` there in the background. ``nouns`` are
        what one row is, singular and plural ("account", "accounts")."""
        folder = self.last_folder or _documents()
        suggested = folder / f"{table.name} {self._today().isoformat()}{self.last_suffix}"
        path = self.ask_path(parent, suggested)
        if path is None:
            return
        self.last_folder = path.parent
        self.last_suffix = path.suffix.lower() if path.suffix.lower() in SUFFIXES else ".xlsx"
        self.start(path, table, nouns, parent)

    def start(
        self, path: Path, table: Table, nouns: tuple[str, str], parent: QWidget | None
    ) -> None:
        """Write ``table`` to ``path`` without asking."""
        dialog = QProgressDialog(
            _tr("Writing {name}…").format(name=path.name), "", 0, max(len(table.rows), 1), parent
        )
        dialog.setWindowTitle(_tr("Export Table"))
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)
        dialog.setAutoClose(False)
        dialog.setValue(0)

        def finished(count: int) -> None:
            dialog.close()
            noun = nouns[0] if count == 1 else nouns[1]
            self.done.emit(
                _tr("Exported {count} {noun} to {path}").format(count=count, noun=noun, path=path)
            )

        def failed(error: BaseException) -> None:
            dialog.close()
            if isinstance(error, RenewalCoachError | OSError | ValueError):
                self.failed.emit(error)
                show_expected_error(parent, _tr("The table could not be exported."), error)
            else:
                raise error

        job = _WriteJob(path, table)
        self._jobs.start(
            job,
            progress=lambda n: dialog.setValue(min(n, dialog.maximum())),
            finished=finished,
            failed=failed,
        )

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until running exports finish (for quitting and tests)."""
        return self._jobs.wait(msecs)

    @property
    def busy(self) -> bool:
        return self._jobs.busy
