"""Start-up decisions: where data lives, which database opens, recovery, and the first run."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from renewal_coach import app as app_module
from renewal_coach import paths
from renewal_coach.app import (
    DatabaseOpener,
    Locations,
    apply_first_run_choice,
    configure_application,
    first_run_needed,
    initial_path,
    open_initial_store,
    open_with_recovery,
    resolve_locations,
    run_gui,
)
from renewal_coach.core import models as m
from renewal_coach.storage.errors import DatabaseMissingError, StorageError
from renewal_coach.storage.repository import Store
from renewal_coach.ui.dialogs import messages
from renewal_coach.ui.dialogs.messages import (
    FirstRunChoice,
    FirstRunDialog,
    OpenFailedDialog,
    Recovery,
)
from renewal_coach.ui.settings import (
    FIRST_RUN_CHOICE,
    LAST_DATABASE,
    REGISTRY,
    Setting,
    Settings,
    default_qsettings,
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def opener(tmp_path: Path) -> DatabaseOpener:
    return DatabaseOpener(Locations.in_folder(tmp_path / "data"))


@pytest.fixture
def with_sample(opener: DatabaseOpener) -> Path:
    """A ready sample file, so these tests do not depend on how the sample is generated."""
    path = opener.sample_path
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(app_module.open_database(path))
    store.accounts.add(m.Account(name="Sample Account"))
    store.close()
    return path


@pytest.fixture
def app_names(qapp: QApplication) -> Iterator[QApplication]:
    """Let a test rename the shared QApplication, then put the old names back."""
    saved = (
        qapp.applicationName(),
        qapp.organizationName(),
        qapp.organizationDomain(),
        qapp.applicationVersion(),
        qapp.applicationDisplayName(),
    )
    yield qapp
    qapp.setApplicationName(saved[0])
    qapp.setOrganizationName(saved[1])
    qapp.setOrganizationDomain(saved[2])
    qapp.setApplicationVersion(saved[3])
    qapp.setApplicationDisplayName(saved[4])


@pytest.fixture
def user_config(tmp_path: Path) -> Path:
    """Point user-scope QSettings at this test's folder (Qt caches the first path it saw)."""
    folder = tmp_path / "config"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


def _broken(tmp_path: Path, name: str = "broken.db") -> Path:
    path = tmp_path / name
    path.write_bytes(b"definitely not SQLite" * 20)
    return path


class _Asked:
    """A stand-in for the recovery dialog that answers from a script and records questions."""

    def __init__(self, *answers: Recovery) -> None:
        self.answers = list(answers)
        self.questions: list[tuple[Path, str, bool]] = []
        #: Whether each question offered a new portfolio in the file (it holds nothing).
        self.offered_new: list[bool] = []
        #: The further ways out each question offered (read-only viewing, a backup).
        self.more: list[dict[str, object]] = []

    def __call__(
        self, path: Path, message: str, offer_default: bool, offer_new: bool = False, **more: object
    ) -> Recovery:
        self.questions.append((path, message, offer_default))
        self.offered_new.append(offer_new)
        self.more.append(more)
        return self.answers.pop(0)


def _never(*_args: object) -> object:
    raise AssertionError("should not have been asked")


# ---- where things live ---------------------------------------------------------------------


def test_qt_data_folder_matches_the_qt_free_paths(app_names: QApplication) -> None:
    configure_application(app_names)
    locations = resolve_locations()
    assert app_names.applicationDisplayName() == "Renewal Coach"
    assert locations.user_database == paths.default_database_path()
    assert locations.sample_database == paths.sample_database_path()
    assert locations.log_file.parent == paths.default_data_dir()


def test_settings_file_is_the_documented_ini() -> None:
    name = Path(default_qsettings().fileName())
    assert name.parts[-2:] == ("renewal-coach", "settings.ini")


# ---- typed settings ------------------------------------------------------------------------


def test_settings_are_typed_with_defaults(settings: Settings) -> None:
    assert settings.get(LAST_DATABASE) == ""
    settings.set(LAST_DATABASE, "/data/a, b.db")
    settings.sync()
    assert settings.get(LAST_DATABASE) == "/data/a, b.db"
    settings.reset(LAST_DATABASE)
    assert settings.get(LAST_DATABASE) == ""
    with pytest.raises(TypeError):
        settings.set(LAST_DATABASE, 3)  # type: ignore[arg-type]
    assert {s.name for s in REGISTRY} >= {"last_database", "first_run_choice"}


def test_settings_survive_a_restart_and_bad_values_fall_back(tmp_path: Path) -> None:
    path = str(tmp_path / "s.ini")
    count: Setting[int] = Setting("count", int, 7)
    flag: Setting[bool] = Setting("flag", bool, False)
    first = Settings(QSettings(path, QSettings.Format.IniFormat))
    first.set(count, 42)
    first.set(flag, True)
    first.sync()

    second = Settings(QSettings(path, QSettings.Format.IniFormat))
    assert second.get(count) == 42
    assert second.get(flag) is True

    raw = QSettings(path, QSettings.Format.IniFormat)
    raw.setValue("preferences/count", "lots")
    raw.sync()
    assert Settings(QSettings(path, QSettings.Format.IniFormat)).get(count) == 7


def test_window_state_is_kept_apart_from_preferences(tmp_path: Path) -> None:
    from PySide6.QtCore import QByteArray

    qs = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings = Settings(qs)
    settings.set(LAST_DATABASE, "x.db")
    settings.set_window_state("main_geometry", QByteArray(b"\x01\x02"))
    assert settings.window_state("main_geometry") == QByteArray(b"\x01\x02")
    assert settings.window_state("missing") is None
    assert sorted(qs.childGroups()) == ["preferences", "window"]


# ---- which database opens ------------------------------------------------------------------


def test_initial_path_prefers_the_argument_then_the_last_database(
    settings: Settings, opener: DatabaseOpener, tmp_path: Path
) -> None:
    assert initial_path(None, settings, opener) == opener.user_path
    settings.set(LAST_DATABASE, str(tmp_path / "last.db"))
    assert initial_path(None, settings, opener) == tmp_path / "last.db"
    assert initial_path(tmp_path / "given.db", settings, opener) == tmp_path / "given.db"


def test_only_the_users_own_database_is_created_when_missing(
    opener: DatabaseOpener, tmp_path: Path
) -> None:
    with pytest.raises(DatabaseMissingError):
        opener.open(tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()

    store = opener.open(opener.user_path)
    try:
        assert opener.user_path.exists()
        assert store.is_empty()
    finally:
        store.close()


# ---- StorageError on open: handled, never a traceback ----------------------------------------


def test_a_broken_file_offers_the_users_own_database(
    opener: DatabaseOpener, tmp_path: Path
) -> None:
    broken = _broken(tmp_path)
    ask = _Asked(Recovery.USE_DEFAULT)

    store = open_with_recovery(broken, opener, ask=ask, choose_file=_never)  # type: ignore[arg-type]

    assert store is not None
    try:
        assert store.path == opener.user_path.resolve()
        [(path, message, offer_default)] = ask.questions
        assert path == broken
        assert "not a Renewal Coach database" in message
        assert offer_default is True
    finally:
        store.close()


def test_choosing_another_file_opens_it_and_a_cancelled_choice_asks_again(
    opener: DatabaseOpener, tmp_path: Path
) -> None:
    good = tmp_path / "good.db"
    Store(app_module.open_database(good)).close()
    choices: list[Path | None] = [None, good]
    ask = _Asked(Recovery.CHOOSE_FILE, Recovery.CHOOSE_FILE)

    store = open_with_recovery(
        _broken(tmp_path), opener, ask=ask, choose_file=lambda _start: choices.pop(0)
    )

    assert store is not None
    try:
        assert store.path == good.resolve()
        assert len(ask.questions) == 2
    finally:
        store.close()


def test_quitting_from_the_error_returns_none(opener: DatabaseOpener, tmp_path: Path) -> None:
    assert (
        open_with_recovery(
            _broken(tmp_path),
            opener,
            ask=_Asked(Recovery.QUIT),
            choose_file=_never,  # type: ignore[arg-type]
        )
        is None
    )


def test_when_the_default_itself_fails_it_is_not_offered(opener: DatabaseOpener) -> None:
    opener.user_path.parent.mkdir(parents=True)
    opener.user_path.write_bytes(b"garbage" * 100)
    ask = _Asked(Recovery.USE_DEFAULT)

    store = open_with_recovery(opener.user_path, opener, ask=ask, choose_file=_never)  # type: ignore[arg-type]

    assert store is None
    assert ask.questions[0][2] is False


def test_run_gui_returns_1_when_the_person_quits_at_the_error(
    app_names: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user_config: Path
) -> None:
    asked: list[str] = []

    def fake_ask(
        path: Path,
        message: str,
        *,
        offer_default: bool,
        offer_new: bool = False,
        parent: object = None,
        **more: object,
    ):
        asked.append(message)
        return Recovery.QUIT

    monkeypatch.setattr(messages, "ask_recovery", fake_ask)
    before = sys.excepthook

    assert run_gui(_broken(tmp_path)) == 1

    assert asked and "not a Renewal Coach database" in asked[0]
    assert sys.excepthook is before


# ---- the first run ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("is_user_database", "is_empty", "choice_made", "expected"),
    [
        (True, True, "", True),
        (True, True, "empty", False),
        (True, True, "sample", False),
        (True, False, "", False),
        (False, True, "", False),
    ],
)
def test_first_run_is_offered_only_for_an_empty_own_portfolio_never_answered(
    is_user_database: bool, is_empty: bool, choice_made: str, expected: bool
) -> None:
    assert (
        first_run_needed(
            is_user_database=is_user_database, is_empty=is_empty, choice_made=choice_made
        )
        is expected
    )


def test_choosing_the_sample_opens_it_separately_and_is_remembered(
    opener: DatabaseOpener, settings: Settings, with_sample: Path
) -> None:
    own = opener.open(opener.user_path)
    shown = apply_first_run_choice(own, FirstRunChoice.SAMPLE, opener, settings, on_error=_never)
    try:
        assert shown is not own
        assert shown.path == with_sample.resolve()
        assert settings.get(FIRST_RUN_CHOICE) == "sample"
        check = opener.open(opener.user_path)
        assert check.is_empty(), "the sample must never be copied into the user's data"
        check.close()
    finally:
        shown.close()
        own.close()


def test_the_sample_is_built_in_its_own_file_when_missing(
    opener: DatabaseOpener, settings: Settings
) -> None:
    own = opener.open(opener.user_path)
    assert not opener.sample_path.exists()
    shown = apply_first_run_choice(own, FirstRunChoice.SAMPLE, opener, settings, on_error=_never)
    try:
        assert opener.sample_path.exists()
        assert opener.is_sample(shown.path)
        assert shown.accounts.count() > 0
        mine = opener.open(opener.user_path)
        assert mine.is_empty()
        mine.close()
    finally:
        shown.close()


def test_choosing_empty_keeps_the_own_portfolio_and_is_remembered(
    opener: DatabaseOpener, settings: Settings
) -> None:
    own = opener.open(opener.user_path)
    try:
        assert (
            apply_first_run_choice(own, FirstRunChoice.EMPTY, opener, settings, on_error=_never)
            is own
        )
        assert settings.get(FIRST_RUN_CHOICE) == "empty"
    finally:
        own.close()


def test_closing_the_welcome_without_choosing_is_not_remembered(
    opener: DatabaseOpener, settings: Settings
) -> None:
    own = opener.open(opener.user_path)
    try:
        assert apply_first_run_choice(own, None, opener, settings, on_error=_never) is own
        assert settings.get(FIRST_RUN_CHOICE) == ""
    finally:
        own.close()


def test_a_sample_that_cannot_open_is_explained_and_the_own_portfolio_stays(
    opener: DatabaseOpener, settings: Settings
) -> None:
    opener.sample_path.parent.mkdir(parents=True)
    opener.sample_path.write_bytes(b"garbage" * 100)
    errors: list[StorageError] = []
    own = opener.open(opener.user_path)
    try:
        shown = apply_first_run_choice(
            own, FirstRunChoice.SAMPLE, opener, settings, on_error=errors.append
        )
        assert shown is own
        assert len(errors) == 1
    finally:
        own.close()


def test_startup_asks_once_and_then_reopens_what_was_chosen(
    opener: DatabaseOpener, settings: Settings, with_sample: Path
) -> None:
    asked: list[int] = []

    def ask_first_run() -> FirstRunChoice:
        asked.append(1)
        return FirstRunChoice.SAMPLE

    def start() -> Store | None:
        return open_initial_store(
            None,
            settings,
            opener,
            ask=_never,  # type: ignore[arg-type]
            choose_file=_never,  # type: ignore[arg-type]
            ask_first_run=ask_first_run,
            on_error=_never,
        )

    first = start()
    assert first is not None and opener.is_sample(first.path)
    first.close()
    second = start()
    assert second is not None and opener.is_sample(second.path)
    second.close()

    assert asked == [1]
    assert settings.get(LAST_DATABASE) == str(with_sample.resolve())
    assert opener.user_path.exists()


def test_an_explicit_database_is_never_met_with_the_welcome(
    opener: DatabaseOpener, settings: Settings, tmp_path: Path
) -> None:
    given = tmp_path / "given.db"
    Store(app_module.open_database(given)).close()
    store = open_initial_store(
        given,
        settings,
        opener,
        ask=_never,  # type: ignore[arg-type]
        choose_file=_never,  # type: ignore[arg-type]
        ask_first_run=_never,  # type: ignore[arg-type]
        on_error=_never,
    )
    assert store is not None
    assert store.path == given.resolve()
    store.close()


# ---- the dialogs themselves, clicked without exec() ------------------------------------------


def test_welcome_dialog_records_the_choice(qtbot: QtBot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert dialog.sample_button.accessibleName() == "Open the sample portfolio"
    qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is FirstRunChoice.EMPTY
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_open_failed_dialog_offers_the_default_only_when_it_helps(qtbot: QtBot) -> None:
    with_default = OpenFailedDialog(Path("/x/a.db"), "It is damaged.", offer_default=True)
    qtbot.addWidget(with_default)
    assert with_default.button_for(Recovery.USE_DEFAULT) is not None
    assert "a.db" in with_default.text()
    assert with_default.informativeText() == "It is damaged."

    without = OpenFailedDialog(Path("/x/a.db"), "It is damaged.", offer_default=False)
    qtbot.addWidget(without)
    assert without.button_for(Recovery.USE_DEFAULT) is None
    choose = without.button_for(Recovery.CHOOSE_FILE)
    qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    assert without.recovery() is Recovery.CHOOSE_FILE


def test_run_gui_opens_the_window_on_the_own_portfolio_after_the_welcome(
    app_names: QApplication, monkeypatch: pytest.MonkeyPatch, user_config: Path
) -> None:
    from renewal_coach.ui.main_window import MainWindow

    monkeypatch.setattr(messages, "ask_first_run", lambda _parent=None: FirstRunChoice.EMPTY)
    seen: list[MainWindow] = []

    def fake_exec() -> int:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(w for w in windows if w.isVisible())
        for window in windows:
            window.close()
        return 0

    monkeypatch.setattr(app_names, "exec", fake_exec)
    before = sys.excepthook

    assert run_gui(None) == 0

    [window] = seen
    assert window.store.path == paths.default_database_path().resolve()
    assert "portfolio.db" in window.windowTitle()
    assert sys.excepthook is before
    saved = Settings(default_qsettings())
    assert Path(saved.file_name) == user_config / "renewal-coach" / "settings.ini"
    assert saved.get(FIRST_RUN_CHOICE) == "empty"
    assert saved.get(LAST_DATABASE) == str(paths.default_database_path().resolve())
    assert saved.window_state("main_geometry") is not None
    window.deleteLater()


# ---- files that hold nothing, and damage met at the first read --------------------------------


def _damaged_portfolio(path: Path) -> Path:
    """A real portfolio whose account pages (table and indexes) are overwritten: the schema
    still reads, so the file opens, but counting the accounts fails."""
    import sqlite3

    from renewal_coach.storage.sample import create_sample_database

    create_sample_database(path)
    conn = sqlite3.connect(path)
    roots = [
        r[0]
        for r in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'accounts' AND rootpage > 0"
        )
    ]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    for root in roots:
        data[(root - 1) * size : root * size] = b"\xde\xad" * (size // 2)
    path.write_bytes(bytes(data))
    return path


def test_damage_met_at_the_first_read_gets_the_recovery_question_not_a_crash(
    opener: DatabaseOpener, settings: Settings
) -> None:
    opener.user_path.parent.mkdir(parents=True)
    _damaged_portfolio(opener.user_path)
    ask = _Asked(Recovery.QUIT)
    store = open_initial_store(
        None,
        settings,
        opener,
        ask=ask,
        choose_file=_never,  # type: ignore[arg-type]
        ask_first_run=_never,  # type: ignore[arg-type]
        on_error=_never,
    )
    assert store is None
    [(path, message, offer_default)] = ask.questions
    assert path == opener.user_path and "damaged" in message
    assert offer_default is False and ask.offered_new == [False]


def test_a_damaged_file_chosen_later_is_met_the_same_way(
    opener: DatabaseOpener, tmp_path: Path
) -> None:
    damaged = _damaged_portfolio(tmp_path / "damaged.db")
    ask = _Asked(Recovery.USE_DEFAULT)
    store = open_with_recovery(damaged, opener, ask=ask, choose_file=_never)  # type: ignore[arg-type]
    assert store is not None
    try:
        assert store.path == opener.user_path.resolve()
        assert "damaged" in ask.questions[0][1]
    finally:
        store.close()


@pytest.mark.parametrize("content", [b"", None], ids=["zero-bytes", "no-tables"])
def test_an_own_database_that_holds_nothing_is_refused_until_a_new_portfolio_is_asked_for(
    opener: DatabaseOpener, settings: Settings, content: bytes | None
) -> None:
    import sqlite3

    opener.user_path.parent.mkdir(parents=True)
    if content is None:
        conn = sqlite3.connect(opener.user_path)
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
        conn.close()
    else:
        opener.user_path.write_bytes(content)
    before = opener.user_path.read_bytes()

    ask = _Asked(Recovery.QUIT)
    assert open_with_recovery(opener.user_path, opener, ask=ask, choose_file=_never) is None  # type: ignore[arg-type]
    assert "holds no Renewal Coach portfolio" in ask.questions[0][1]
    assert ask.offered_new == [True]
    assert opener.user_path.read_bytes() == before  # quitting changed nothing

    ask = _Asked(Recovery.START_NEW)
    chose: list[int] = []
    store = open_initial_store(
        None,
        settings,
        opener,
        ask=ask,
        choose_file=_never,  # type: ignore[arg-type]
        ask_first_run=lambda: chose.append(1) or FirstRunChoice.EMPTY,
        on_error=_never,
    )
    assert store is not None
    try:
        assert store.path == opener.user_path.resolve()
        assert store.is_empty()
        assert chose == [1]  # an empty own portfolio: the welcome follows as on a first run
    finally:
        store.close()


def test_a_broken_file_is_not_offered_as_a_new_portfolio(
    opener: DatabaseOpener, tmp_path: Path
) -> None:
    ask = _Asked(Recovery.START_NEW)  # not offered: taken as quitting, the file untouched
    broken = _broken(tmp_path)
    before = broken.read_bytes()
    assert open_with_recovery(broken, opener, ask=ask, choose_file=_never) is None  # type: ignore[arg-type]
    assert ask.offered_new == [False]
    assert broken.read_bytes() == before


def test_open_failed_dialog_offers_a_new_portfolio_only_when_asked(qtbot: QtBot) -> None:
    plain = OpenFailedDialog(Path("/x/a.db"), "It is damaged.", offer_default=False)
    qtbot.addWidget(plain)
    assert plain.button_for(Recovery.START_NEW) is None
    empty = OpenFailedDialog(
        Path("/x/a.db"), "It holds nothing.", offer_default=False, offer_new=True
    )
    qtbot.addWidget(empty)
    button = empty.button_for(Recovery.START_NEW)
    assert button is not None and "New Portfolio" in button.text()  # type: ignore[attr-defined]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    assert empty.recovery() is Recovery.START_NEW


def test_an_empty_sample_file_left_by_an_interrupted_build_is_built_again(
    opener: DatabaseOpener,
) -> None:
    opener.sample_path.parent.mkdir(parents=True)
    opener.sample_path.write_bytes(b"")
    store = open_with_recovery(opener.sample_path, opener, ask=_never, choose_file=_never)  # type: ignore[arg-type]
    assert store is not None
    try:
        assert not store.is_empty()
        assert opener.is_sample(store.path)
    finally:
        store.close()


def test_welcome_dialog_offers_to_begin_with_an_import(qtbot: QtBot, tmp_path) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert dialog.import_button.accessibleName() == "Import your accounts from a file"
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.import_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.import_button)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert dialog.choice is FirstRunChoice.IMPORT
    # Beginning with an import keeps the person's own (empty) portfolio open.
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    own = opener.open(opener.user_path)
    shown = apply_first_run_choice(own, FirstRunChoice.IMPORT, opener, settings, on_error=_never)
    assert shown is own and shown.is_empty()
    assert settings.get(FIRST_RUN_CHOICE) == "import"
    own.close()
