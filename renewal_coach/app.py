"""Composition root of the desktop app.

Builds the QApplication, the exception hook, the settings and the store, then hands them to the
main window. Decisions taken on the way (which database to open, what to do when it cannot be
opened, what to offer on the first run) are plain functions that take their dialogs as
arguments, so each can be tested without showing anything.
"""

from __future__ import annotations

import faulthandler
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from PySide6.QtCore import QCoreApplication, QSize, QStandardPaths, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from . import APP_ID, APP_NAME, __version__, paths
from .desktop_entry import ICON_SIZES
from .storage.db import is_read_only, open_database
from .storage.errors import (
    DatabaseEmptyError,
    DatabaseInUseError,
    DatabaseReadOnlyError,
    StorageError,
)
from .storage.repository import Store
from .ui import errors as ui_errors
from .ui import theme
from .ui.dialogs import messages
from .ui.dialogs.messages import FirstRunChoice, Recovery
from .ui.errors import LOG_NAME, install_exception_hook, show_expected_error
from .ui.file_care import backup_after_changes
from .ui.main_window import MainWindow
from .ui.settings import (
    COLOUR_SCHEME,
    FIRST_RUN_CHOICE,
    LAST_DATABASE,
    Settings,
    default_qsettings,
)

#: Asked when a database cannot be opened: (path, message, offer the default?, offer a new
#: portfolio in that file, which holds nothing?) -> choice; with the keywords
#: ``offer_read_only`` (bool) and ``restore_from`` (the latest good backup, or None) when
#: those ways out exist.
AskRecovery = Callable[..., Recovery]
#: Asked for another file to open, starting in a folder; None when cancelled.
ChooseFile = Callable[[Path], Path | None]
#: Asked on the first run; None when closed without choosing.
AskFirstRun = Callable[[], FirstRunChoice | None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("app", text)


@dataclass(frozen=True, slots=True)
class Locations:
    """Where this user's files live: all in the per-user data folder."""

    data_dir: Path
    user_database: Path
    sample_database: Path
    log_file: Path

    @classmethod
    def in_folder(cls, data_dir: Path) -> Locations:
        return cls(
            data_dir=data_dir,
            user_database=data_dir / paths.DATABASE_NAME,
            sample_database=data_dir / paths.SAMPLE_DATABASE_NAME,
            log_file=data_dir / LOG_NAME,
        )


def configure_application(app: QCoreApplication) -> None:
    """Name the app so Qt's per-user folders are ``renewal-coach`` with no organisation level."""
    app.setApplicationName(APP_ID)
    app.setOrganizationName("")
    app.setOrganizationDomain("")
    app.setApplicationVersion(__version__)
    if isinstance(app, QApplication):
        app.setApplicationDisplayName(APP_NAME)
        app.setDesktopFileName(APP_ID)
        app.setWindowIcon(application_icon())


def application_icon() -> QIcon:
    """The app's icon in every size shipped in resources/icons (window, taskbar, Alt+Tab)."""
    icon = QIcon()
    for size in ICON_SIZES:
        png = paths.resource_path("resources", "icons", f"{APP_ID}-{size}.png")
        if png.is_file():
            icon.addFile(str(png), QSize(size, size))
    return icon


class NativeCrashLog:
    """Writes native crashes (a segmentation fault, an abort inside Qt) into the crash log.

    The exception hook logs Python errors; a crash in native code kills the process before
    any Python runs, so :mod:`faulthandler` writes the Python stack of every thread there.
    """

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self._stream: IO[str] | None = None
        self._was_enabled = False

    def install(self) -> NativeCrashLog:
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = self.log_path.open("a", encoding="utf-8")
        except OSError:
            return self  # no log folder: the exception hook explains that on the first error
        self._was_enabled = faulthandler.is_enabled()
        faulthandler.enable(file=self._stream, all_threads=True)
        return self

    def reopen(self) -> None:
        """Point at the log file anew: after the log was rotated, the open stream writes into
        the old file (now ``.1``)."""
        if self._stream is None:
            return
        try:
            stream = self.log_path.open("a", encoding="utf-8")
        except OSError:
            return
        faulthandler.enable(file=stream, all_threads=True)
        self._stream.close()
        self._stream = stream

    def uninstall(self) -> None:
        if self._stream is None:
            return
        faulthandler.disable()
        if self._was_enabled and sys.stderr is not None:
            faulthandler.enable()
        self._stream.close()
        self._stream = None


def resolve_locations() -> Locations:
    """The data folder from ``QStandardPaths.AppDataLocation`` (the Qt-free fallback if empty).

    Call after :func:`configure_application`, which sets the names Qt builds the folder from.
    """
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Locations.in_folder(Path(location) if location else paths.default_data_dir())


def same_file(a: Path | None, b: Path | None) -> bool:
    """True when both paths name the same file (after resolving links and ``..``)."""
    return a is not None and b is not None and a.expanduser().resolve() == b.expanduser().resolve()


class DatabaseOpener:
    """Opens stores by the app's rules: only the user's own database is created when missing,
    and the sample portfolio is (re)built in its own file whenever it is asked for and absent.
    """

    def __init__(self, locations: Locations) -> None:
        self.locations = locations

    @property
    def user_path(self) -> Path:
        return self.locations.user_database

    @property
    def sample_path(self) -> Path:
        return self.locations.sample_database

    def is_sample(self, path: Path | None) -> bool:
        return same_file(path, self.sample_path)

    def open(self, path: Path, *, new_portfolio: bool = False, read_only_reason: str = "") -> Store:
        """A store on ``path``; raises StorageError with a message for people.

        The accounts are counted before the store is handed over, so a file whose data pages
        are damaged fails here, where the caller handles it, rather than in the first page
        that reads it. ``new_portfolio`` turns a file that holds nothing (zero bytes, or no
        tables) into a new portfolio: only when the person asked for that.

        A file that cannot be written (its permissions, or its folder's) opens read-only by
        itself; ``read_only_reason`` opens any file so, and says why (``Store.read_only``).
        Another live process writing the file raises DatabaseInUseError."""
        path = path.expanduser()
        sample = self.is_sample(path)
        if sample:
            ensure_sample(path)
        create = same_file(path, self.user_path)
        try:
            if read_only_reason:
                db = open_database(path, create=False, readonly=True)
            else:
                db = open_database(path, create=create, new_portfolio=new_portfolio)
        except DatabaseReadOnlyError:
            if not (path.is_file() and is_read_only(path)):
                raise
            db = open_database(path, create=False, readonly=True)
            read_only_reason = _tr(
                "{name} is read-only (the file or its folder cannot be written), so it is "
                "open for looking only. To change it, make it writable or save a copy with "
                "File ▸ Back Up Now… and open that."
            ).format(name=path.name)
        except DatabaseEmptyError:
            if not sample:
                raise
            # The app's own sample file, left empty by an interrupted build: it holds nothing,
            # so it is built again rather than offered as a new portfolio.
            path.unlink()
            ensure_sample(path)
            db = open_database(path, create=create)
        store = Store(db)
        store.read_only_reason = read_only_reason
        try:
            store.is_empty()
        except BaseException:
            store.close()
            raise
        return store

    def read_only_reason(self, path: Path, error: StorageError) -> str:
        """What the read-only banner says when the person chose to look after ``error``."""
        return _read_only_reason(path, error)

    def restore(self, path: Path, backup: Path) -> Path | None:
        """Put ``backup`` in place of the (closed) file ``path``, keeping the file as it was
        among its backups first; returns where it was kept. Refuses while another process
        writes the file."""
        from .storage import lock as writer_lock
        from .storage.backups import restore_backup

        path = path.expanduser()
        locked = writer_lock.acquire(path)
        try:
            return restore_backup(backup, path).kept_as
        finally:
            if locked:
                writer_lock.release(path)

    def open_sample(self) -> Store:
        return self.open(self.sample_path)

    def create(self, path: Path) -> Store:
        """A new, empty portfolio at ``path``; an existing file is never overwritten."""
        path = path.expanduser()
        if path.exists():
            raise StorageError(
                _tr("{path} already exists. Open it instead, or choose a new name.").format(
                    path=path
                )
            )
        if not path.parent.is_dir():
            raise StorageError(
                _tr("The folder {folder} does not exist.").format(folder=path.parent)
            )
        return Store(open_database(path, create=True))


def ensure_sample(path: Path) -> None:
    """Create the sample portfolio at ``path`` unless a file is already there."""
    if path.exists():
        return
    from .storage.sample import create_sample_database

    try:
        create_sample_database(path)
    except OSError as exc:
        raise DatabaseReadOnlyError(
            _tr("Cannot create the sample portfolio at {path}: {reason}.").format(
                path=path, reason=exc.strerror or exc
            )
        ) from exc


def initial_path(db_path: Path | None, settings: Settings, opener: DatabaseOpener) -> Path:
    """The database to open at start: the one asked for, else the last one, else the user's own."""
    if db_path is not None:
        return db_path
    last = settings.get(LAST_DATABASE)
    return Path(last) if last else opener.user_path


def open_with_recovery(
    path: Path, opener: DatabaseOpener, *, ask: AskRecovery, choose_file: ChooseFile
) -> Store | None:
    """Open ``path``; when that fails, ask what to do until something opens or the person quits.

    Returns None when they chose to quit. The user's own database is offered as a way out
    unless it is the one that failed; a file that holds nothing can become a new portfolio; a
    file another window is writing, or a damaged one, can be opened read-only; a damaged file
    can be replaced by its latest good backup.
    """
    new_portfolio = False
    read_only = ""
    note = ""
    while True:
        try:
            return opener.open(path, new_portfolio=new_portfolio, read_only_reason=read_only)
        except StorageError as err:
            offer_default = not same_file(path, opener.user_path)
            offer_new = isinstance(err, DatabaseEmptyError)
            damaged = _is_damage(err)
            offer_read_only = not read_only and (isinstance(err, DatabaseInUseError) or damaged)
            backup = _latest_good_backup(path) if damaged else None
            extra = {}
            if offer_read_only:
                extra["offer_read_only"] = True
            if backup is not None:
                extra["restore_from"] = backup
            message = f"{note} {err}".strip()
            choice = ask(path, message, offer_default, offer_new, **extra)
            reason = _read_only_reason(path, err)
        new_portfolio = False
        read_only = ""
        note = ""
        if choice is Recovery.START_NEW and offer_new:
            new_portfolio = True
        elif choice is Recovery.OPEN_READ_ONLY and offer_read_only:
            read_only = reason
        elif choice is Recovery.RESTORE_BACKUP and backup is not None:
            try:
                opener.restore(path, backup)
            except StorageError as failed:
                note = _tr("The backup was not restored: {why}").format(why=failed)
        elif choice is Recovery.CHOOSE_FILE:
            picked = choose_file(path.parent if path.parent.is_dir() else opener.user_path.parent)
            if picked is not None:
                path = picked
        elif choice is Recovery.USE_DEFAULT and offer_default:
            path = opener.user_path
        else:
            return None


def _is_damage(err: BaseException) -> bool:
    from .storage.integrity import is_damage

    return is_damage(err)


def _latest_good_backup(path: Path) -> Path | None:
    from .storage.backups import latest_good_backup

    return latest_good_backup(path.expanduser())


def _read_only_reason(path: Path, err: StorageError) -> str:
    """What the read-only banner says when the person chose to look after ``err``."""
    if isinstance(err, DatabaseInUseError):
        return _tr(
            "{name} is open for changes in another Renewal Coach window ({who}), so this one "
            "shows it read-only. Close the other window and open the file again to change it."
        ).format(
            name=path.name,
            who=err.owner.describe() if err.owner is not None else _tr("another program"),
        )
    return _tr(
        "{name} is damaged, so it is open for looking only: what can be read is shown. "
        "Restore the latest good backup with File ▸ Restore…."
    ).format(name=path.name)


def first_run_needed(*, is_user_database: bool, is_empty: bool, choice_made: str) -> bool:
    """Offer the sample only when the person's own database is empty and they have not chosen."""
    return is_user_database and is_empty and not choice_made


def apply_first_run_choice(
    store: Store,
    choice: FirstRunChoice | None,
    opener: DatabaseOpener,
    settings: Settings,
    *,
    on_error: Callable[[StorageError], None],
) -> Store:
    """Remember the choice and return the store to show: the sample's, or ``store`` unchanged.

    Closing the dialog without a choice is not remembered, so it is offered again next time.
    If the sample cannot be opened, ``on_error`` explains why and the empty portfolio stays.
    """
    if choice is None:
        return store
    settings.set(FIRST_RUN_CHOICE, choice.value)
    if choice is not FirstRunChoice.SAMPLE:
        return store
    try:
        sample = opener.open_sample()
    except StorageError as err:
        on_error(err)
        return store
    store.close()
    return sample


def open_initial_store(
    db_path: Path | None,
    settings: Settings,
    opener: DatabaseOpener,
    *,
    ask: AskRecovery,
    choose_file: ChooseFile,
    ask_first_run: AskFirstRun,
    on_error: Callable[[StorageError], None],
) -> Store | None:
    """Everything between launch and the main window: pick, open, recover, first run."""
    store = open_with_recovery(
        initial_path(db_path, settings, opener), opener, ask=ask, choose_file=choose_file
    )
    if store is None:
        return None
    if first_run_needed(
        is_user_database=same_file(store.path, opener.user_path),
        is_empty=store.is_empty(),
        choice_made=settings.get(FIRST_RUN_CHOICE),
    ):
        store = apply_first_run_choice(store, ask_first_run(), opener, settings, on_error=on_error)
    if store.path is not None:
        settings.set(LAST_DATABASE, str(store.path))
    return store


def run_gui(db_path: Path | None = None, argv: Sequence[str] | None = None) -> int:
    """Run the desktop app on ``db_path`` (None: the last database, or the user's own).

    Returns the process exit code: 0 after a normal quit, 1 when no database could be opened
    and the person chose to quit.
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else None
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    configure_application(app)
    locations = resolve_locations()
    hook = install_exception_hook(locations.log_file)
    native = NativeCrashLog(locations.log_file).install()
    ui_errors.after_rotation.append(native.reopen)
    settings = Settings(default_qsettings())
    # Before any window: the first-run and recovery questions are drawn in the chosen scheme.
    theme.apply_choice(settings.get(COLOUR_SCHEME))
    opener = DatabaseOpener(locations)

    chosen: list[FirstRunChoice | None] = []
    store = open_initial_store(
        db_path,
        settings,
        opener,
        ask=lambda path, message, offer, offer_new, **more: messages.ask_recovery(
            path, message, offer_default=offer, offer_new=offer_new, **more
        ),
        choose_file=lambda start: messages.choose_database_file(None, start),
        ask_first_run=lambda: chosen.append(messages.ask_first_run(None)) or chosen[-1],
        on_error=lambda err: show_expected_error(
            None, _tr("Could not open the sample portfolio. Your own portfolio is open."), err
        ),
    )
    if store is None:
        settings.sync()
        native.uninstall()
        hook.uninstall()
        return 1

    window = MainWindow(store, settings, opener)
    window.show()
    # After the first paint: the day's integrity check and backup, on a worker thread.
    QTimer.singleShot(0, window.care_for_file)
    # Once the window is up: load the charts' matplotlib meanwhile (see chart_view).
    from .ui.widgets.chart_view import load_chart_modules_in_background

    QTimer.singleShot(1000, load_chart_modules_in_background)
    if chosen and chosen[-1] is FirstRunChoice.IMPORT:
        # The person chose to begin by importing: open the wizard over the empty portfolio.
        QTimer.singleShot(0, window.import_file)
    try:
        return app.exec()
    finally:
        window.file_care.wait()
        backup_after_changes(window.store, skip=opener.is_sample(window.store.path))
        window.store.close()
        settings.sync()
        native.uninstall()
        hook.uninstall()
