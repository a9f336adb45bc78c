"""The person's name: asked once in a banner, kept outside the database, used for "we:"
commitments, plan history and exported documents, and readable by the command line."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from renewal_coach import cli
from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.core.enums import Party
from renewal_coach.core.plans import build_plan
from renewal_coach.core.playbooks import load_library
from renewal_coach.storage.plan_store import load_context, save_plan
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.settings import Settings
from renewal_coach.user import UserSettingsError, set_user_name, user_file, user_name


@pytest.fixture(autouse=True)
def _login_is_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """The system login the app must not use for people."""
    monkeypatch.setattr(getpass, "getuser", lambda: "root")


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win = MainWindow(opener.open_sample(), settings, opener)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.portfolio.wait_for_scores()
    yield win
    win.portfolio.wait_for_scores()
    win.store.close()


def test_the_name_is_kept_in_the_settings_folder_not_the_database(
    _isolated_home: Path,
) -> None:
    assert user_name() == ""
    assert set_user_name("  Priya \n Shah ") == "Priya Shah"
    assert user_name() == "Priya Shah"
    assert user_file() == _isolated_home / ".config" / "renewal-coach" / "user.json"
    with pytest.raises(UserSettingsError, match="80 characters"):
        set_user_name("x" * 81)
    assert user_name() == "Priya Shah"  # a refused name leaves the old one
    user_file().write_text("{not json", encoding="utf-8")
    assert user_name() == ""  # a damaged file means "not given yet", never a crash


def test_the_command_line_reads_and_sets_the_same_name(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["user", "--set", "Tomás Ferreira"]) == 0
    capsys.readouterr()
    assert cli.main(["user"]) == 0
    assert capsys.readouterr().out.strip() == "Tomás Ferreira"
    assert user_name() == "Tomás Ferreira"


def test_the_banner_asks_once_and_we_commitments_carry_the_name(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    banner = window.name_banner
    assert banner.isVisible()
    # Nothing typed: Save says what to do and keeps the banner.
    qtbot.mouseClick(banner.name_edit, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is banner.name_edit
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert banner.error.isVisible() and banner.isVisible()
    qtbot.keyClicks(QApplication.focusWidget(), "Priya Shah")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert not banner.isVisible()
    assert user_name() == "Priya Shah"
    assert window.store.path is not None
    assert b"Priya Shah" not in window.store.path.read_bytes()  # not in the portfolio file

    # A coaching session: the "we:" commitment is owned by the name, not the login.
    store = window.store
    account = next(a for a in store.accounts.all() if store.stakeholders.for_account(a.id))
    ctx = load_context(store, account.id)
    plan = save_plan(
        store,
        build_plan(
            load_library().get("discovery"),
            ctx,
            contract_id=ctx.contracts[0].id if ctx.contracts else None,
            meeting_date=date.today(),
            attendee_ids=[ctx.stakeholders[0].id],
        ),
    )
    session = window.present_plan(plan.id)
    assert session is not None
    qtbot.waitUntil(session.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N)
    qtbot.keyClicks(QApplication.focusWidget(), "we: send the revised rota")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    with qtbot.waitSignal(session.finished):
        session.end(save=True)
    ours = [
        c
        for c in window.store.commitments.for_account(plan.account_id)
        if c.description == "send the revised rota"
    ]
    assert [(c.party, c.owner) for c in ours] == [(Party.US, "Priya Shah")]

    # A window opened later does not ask again.
    second = MainWindow(
        window.store,
        Settings(QSettings(str(tmp_path / "s2.ini"), QSettings.Format.IniFormat)),
        window._databases,
    )
    qtbot.addWidget(second)
    second.show()
    assert not second.name_banner.isVisible()
    second.portfolio.wait_for_scores()


def test_exports_name_the_person_as_author(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "p.db"
    assert cli.main(["sample", str(db)]) == 0
    from renewal_coach.storage.db import open_database
    from renewal_coach.storage.repository import Store

    store = Store(open_database(db))
    reference = store.contracts.all()[0].reference
    store.close()
    set_user_name("Priya Shah")
    out = tmp_path / "brief.docx"
    assert (
        cli.main(["--db", str(db), "export", "brief", "--contract", reference, "--out", str(out)])
        == 0
    )
    props = Document(str(out)).core_properties
    assert props.author == "Priya Shah" and props.last_modified_by == "Priya Shah"
