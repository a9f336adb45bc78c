"""Exporting Word documents from the app without freezing the window.

The work is :func:`renewal_coach.export.commands.export_document`, run on a QThreadPool worker
with its own read-only connection (one connection per thread). Progress appears only when the
export takes longer than half a second. When it is done the person can open the document or
the folder that holds it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from ..core.errors import RenewalCoachError
from ..storage.db import open_database
from ..storage.errors import StorageError
from ..storage.repository import Store
from .errors import show_expected_error
from .jobs import JobKeeper

#: Computes the scores a coaching brief shows, from a store opened on the worker thread.
ScoresFor = Callable[[Store, str, date], Any]

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("export", text)


def suggested_file_name(kind: str, account: str, reference: str, today: date) -> str:
    """A file name people recognise: account, contract, what it is and the date."""
    what = _tr("renewal proposal draft") if kind == "proposal" else _tr("coaching brief")
    name = f"{account} - {reference} - {what} - {today.isoformat()}"
    name = _UNSAFE.sub(" ", name)
    name = re.sub(r"\s+", " ", name).strip(" .")[:150]
    return f"{name}.docx"


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _ExportJob(QRunnable):
    """Runs one export on a pool thread; talks back only through signals."""

    def __init__(
        self,
        kind: str,
        database: Path,
        contract_id: str,
        out_path: Path,
        today: date,
        template: Path | None,
        scores_for: ScoresFor | None,
        plan_id: str | None = None,
    ) -> None:
        super().__init__()
        self.signals = _Signals()
        self._args = (kind, database, contract_id, out_path, today, template, scores_for)
        self._plan_id = plan_id

    def run(self) -> None:
        kind, database, contract_id, out_path, today, template, scores_for = self._args
        try:
            store = Store(open_database(database, create=False, readonly=True))
        except StorageError as err:
            self.signals.failed.emit(err)
            return
        try:
            report = run_export(
                store,
                kind,
                contract_id,
                out_path,
                today,
                template,
                scores_for,
                lambda step, total, what: self.signals.progress.emit(step, total, what),
                plan_id=self._plan_id,
            )
        except Exception as err:  # handed to the GUI thread, which decides what it is
            self.signals.failed.emit(err)
        else:
            self.signals.finished.emit(report)
        finally:
            store.close()


def run_export(
    store: Store,
    kind: str,
    contract_id: str,
    out_path: Path,
    today: date,
    template: Path | None,
    scores_for: ScoresFor | None,
    progress: Callable[[int, int, str], None] | None = None,
    *,
    plan_id: str | None = None,
) -> Any:
    """The export itself (any thread): scores for a brief, then the document."""
    from ..export.commands import export_document
    from ..user import user_name

    scores = scores_for(store, contract_id, today) if kind == "brief" and scores_for else None
    return export_document(
        kind,  # type: ignore[arg-type]
        store,
        contract_id,
        out_path,
        today,
        template=template,
        progress=progress,
        scores=scores,
        plan_id=plan_id,
        author=user_name(),
    )


class ExportController(QObject):
    """Asks where to save, runs the export off the GUI thread, and reports the result.

    ``done(report)`` fires after a successful export, ``failed(error)`` after an expected one.
    """

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        *,
        template: Callable[[], Path | None] = lambda: None,
        scores_for: ScoresFor | None = None,
        today: Callable[[], date] = date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._template = template
        self._scores_for = scores_for
        self._today = today
        self._jobs = JobKeeper()
        self.last_folder: Path | None = None
        self.ask_path: Callable[[QWidget | None, Path], Path | None] = _ask_path
        self.show_result: Callable[[QWidget | None, Any], None] = _show_result

    def export(
        self,
        kind: str,
        store: Store,
        contract_id: str,
        parent: QWidget | None,
        *,
        plan_id: str | None = None,
    ) -> None:
        """Ask for a file name, then export there in the background (``plan_id``: the plan a
        brief presents)."""
        contract = store.contracts.get(contract_id)
        account = store.accounts.get(contract.account_id)
        folder = self.last_folder or _documents()
        suggested = folder / suggested_file_name(
            kind, account.name, contract.reference, self._today()
        )
        path = self.ask_path(parent, suggested)
        if path is None:
            return
        if path.suffix.lower() != ".docx":
            path = path.with_name(path.name + ".docx")
        self.last_folder = path.parent
        self.start(kind, store, contract_id, path, parent, plan_id=plan_id)

    def start(
        self,
        kind: str,
        store: Store,
        contract_id: str,
        path: Path,
        parent: QWidget | None,
        *,
        plan_id: str | None = None,
    ) -> None:
        """Export to ``path`` without asking. In-memory stores run on this thread."""
        what = (
            _tr("Writing the proposal draft…")
            if kind == "proposal"
            else _tr("Writing the coaching brief…")
        )
        dialog = QProgressDialog(what, "", 0, 0, parent)
        dialog.setWindowTitle(_tr("Export to Word"))
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)
        dialog.setAutoClose(False)
        dialog.setValue(0)

        def progress(step: int, total: int, text: str) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(step, total))
            if text:
                dialog.setLabelText(text)

        def finished(report: Any) -> None:
            dialog.close()
            self.done.emit(report)
            self.show_result(parent, report)

        def failed(error: BaseException) -> None:
            dialog.close()
            if isinstance(error, (RenewalCoachError, OSError)):
                self.failed.emit(error)
                show_expected_error(parent, _tr("The document could not be exported."), error)
            else:
                raise error

        template = self._template()
        if store.path is None:
            try:
                report = run_export(
                    store,
                    kind,
                    contract_id,
                    path,
                    self._today(),
                    template,
                    self._scores_for,
                    progress,
                    plan_id=plan_id,
                )
            except (RenewalCoachError, OSError) as err:
                failed(err)
            else:
                finished(report)
            return
        job = _ExportJob(
            kind,
            store.path,
            contract_id,
            path,
            self._today(),
            template,
            self._scores_for,
            plan_id,
        )
        self._jobs.start(job, progress=progress, finished=finished, failed=failed)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until running exports finish (for quitting and tests)."""
        return self._jobs.wait(msecs)

    @property
    def busy(self) -> bool:
        return self._jobs.busy


def _documents() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(location) if location else Path.home()
    return path if path.is_dir() else Path.home()


def _ask_path(parent: QWidget | None, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(
        parent, _tr("Export to Word"), str(suggested), _tr("Word documents (*.docx)")
    )
    return Path(name) if name else None


def _show_result(parent: QWidget | None, report: Any) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_tr("Export to Word"))
    box.setText(_tr("The document is ready."))
    box.setInformativeText(report.summary())
    open_doc = box.addButton(_tr("Open Document"), QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton(_tr("Open Folder"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is open_doc:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(report.path)))
    elif box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(report.path.parent)))
