"""The import wizard as a person uses it: keys into the focused widget, Next, Import, Ctrl+Z."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWizard
from pytestqt.qtbot import QtBot

from renewal_coach.app import DatabaseOpener, Locations
from renewal_coach.storage.repository import Store
from renewal_coach.ui.editing import Editor
from renewal_coach.ui.importer.models import ColumnMapModel, ValuesModel
from renewal_coach.ui.importer.wizard import ImportWizard
from renewal_coach.ui.main_window import MainWindow
from renewal_coach.ui.settings import Settings

DATA = Path(__file__).parents[1] / "tables" / "data"


@pytest.fixture
def editor(store: Store) -> Editor:
    return Editor(store)


@pytest.fixture
def wizard(qtbot: QtBot, store: Store, editor: Editor) -> Iterator[ImportWizard]:
    said: list[str] = []
    wiz = ImportWizard(store, editor, start_dir=DATA, say=said.append)
    wiz.said = said  # type: ignore[attr-defined]
    qtbot.addWidget(wiz)
    wiz.show()
    qtbot.waitExposed(wiz)
    yield wiz
    wiz.check_page.stepper.cancel()


def type_path(qtbot: QtBot, wiz: ImportWizard, path: Path) -> None:
    wiz.file_page.path_edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is wiz.file_page.path_edit)
    qtbot.keyClicks(QApplication.focusWidget(), str(path))


def next_page(wiz: ImportWizard) -> None:
    button = wiz.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled(), "Next is disabled"
    button.click()


def test_accounts_file_end_to_end_with_one_undo(
    qtbot: QtBot, wizard: ImportWizard, store: Store, editor: Editor
) -> None:
    type_path(qtbot, wizard, DATA / "salesforce_accounts_uk.csv")
    next_page(wizard)
    assert wizard.currentPage() is wizard.columns_page
    model = wizard.columns_page.column_model
    assert model is not None
    mapped = model.mapped()
    assert mapped["Account Name"] == "name" and mapped["Annual Revenue"] == ""
    preview = wizard.columns_page.preview_model
    assert preview.rowCount() == 4
    next_page(wizard)
    wizard.check_page.stepper.wait()
    plan = wizard.plan
    assert plan is not None and plan.counts["created"] == 3 and plan.counts["rejected"] == 1
    assert "3 to create" in wizard.check_page.status.text()
    assert wizard.check_page.outcomes.rowCount() >= 4
    assert store.accounts.count() == 0  # the check writes nothing
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wizard.wait()
    assert store.accounts.count() == 3
    assert not wizard.isVisible()
    assert "Ctrl+Z" in wizard.said[-1]  # type: ignore[attr-defined]
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert store.accounts.count() == 0
    editor.undo_stack.redo()
    assert store.accounts.count() == 3


def test_unreadable_file_is_explained_on_the_first_page(
    qtbot: QtBot, wizard: ImportWizard, tmp_path: Path
) -> None:
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    type_path(qtbot, wizard, bad)
    next_page(wizard)
    assert wizard.currentPage() is wizard.file_page
    assert wizard.file_page.error.isVisible()
    assert "binary" in wizard.file_page.error.text()


def test_ambiguous_dates_hold_the_wizard_until_an_order_is_chosen(
    qtbot: QtBot, wizard: ImportWizard, store: Store, tmp_path: Path
) -> None:
    from renewal_coach.core import models as m

    store.accounts.add(m.Account(name="Calder Freight Ltd"))
    path = tmp_path / "c.csv"
    path.write_text(
        "Contract Number,Account Name,Start Date,End Date\nA-1,Calder Freight,04/03/2025,"
        "03/04/2028\n",
        encoding="utf-8",
    )
    type_path(qtbot, wizard, path)
    next_page(wizard)
    page = wizard.columns_page
    assert "date order" in page.error.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.date_combo.setCurrentIndex(page.date_combo.findData("mdy"))
    assert page.error.isHidden()
    next_page(wizard)
    wizard.check_page.stepper.wait()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    wizard.wait()
    (contract,) = store.contracts.all()
    assert contract.start_date.isoformat() == "2025-04-03"


def test_column_and_value_choices_change_what_is_imported(
    qtbot: QtBot, wizard: ImportWizard, store: Store
) -> None:
    from renewal_coach.tables.importer import prepare, run_import

    run_import(store, prepare(DATA / "salesforce_accounts_uk.csv"))
    type_path(qtbot, wizard, DATA / "salesforce_contracts_uk.csv")
    next_page(wizard)
    page = wizard.columns_page
    values = page.values_model
    draft = next(r for r in range(values.rowCount()) if values.rows[r][1] == "Draft")
    assert "no match" in values.index(draft, ValuesModel.BECOMES).data().lower()
    # Choose "Active" for Draft in the combo box the row shows.
    combo = page.values_view.indexWidget(values.index(draft, ValuesModel.BECOMES))
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo)
    combo.setCurrentIndex(combo.findData("active"))
    combo.activated.emit(combo.currentIndex())
    assert values.user == {"status": {"Draft": "active"}}
    # Leave the value column out: amounts are no longer read (and no longer rejected).
    columns = page.column_model
    assert columns is not None
    row = columns.headers.index("Annual Contract Value")
    columns.setData(columns.index(row, ColumnMapModel.FIELD), "")
    next_page(wizard)
    wizard.check_page.stepper.wait()
    plan = wizard.plan
    assert plan is not None
    reasons = " ".join(o.message for o in plan.rejected)
    assert "Draft" not in reasons and "formula" not in reasons
    # "Nobody Plc" is still not an account: that row stays rejected for that reason.
    assert "Nobody Plc" in reasons


def test_main_window_menu_and_empty_portfolio_offer_import(
    qtbot: QtBot, tmp_path: Path, store: Store
) -> None:
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    window = MainWindow(store, settings, opener)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    empty = window.portfolio.empty
    labels = [b.text() for b in empty.extras if b.isVisible()]
    assert any("Import" in t for t in labels) and any("New Account" in t for t in labels)
    assert window.import_action.shortcut().toString() == "Ctrl+Shift+I"
    empty.extras[0].click()
    wizard = window._import_wizard
    assert isinstance(wizard, ImportWizard) and wizard.isVisible()
    wizard.reject()


def test_new_database_never_overwrites(qtbot: QtBot, tmp_path: Path, store: Store, monkeypatch):
    from renewal_coach.ui.dialogs import messages

    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    opener = DatabaseOpener(Locations.in_folder(tmp_path / "data"))
    window = MainWindow(store, settings, opener)
    qtbot.addWidget(window)
    existing = tmp_path / "keep.db"
    existing.write_bytes(b"precious")
    shown: list[str] = []
    monkeypatch.setattr(messages, "choose_new_database_file", lambda *_a: existing)
    monkeypatch.setattr(
        "renewal_coach.ui.main_window.show_expected_error",
        lambda _p, title, err: shown.append(f"{title} {err}"),
    )
    window.new_database()
    assert existing.read_bytes() == b"precious"
    assert shown and "already exists" in shown[0]
    fresh = tmp_path / "fresh.db"
    monkeypatch.setattr(messages, "choose_new_database_file", lambda *_a: fresh)
    window.new_database()
    assert window.store.path == fresh and window.store.is_empty()
    window.store.close()


def test_keys_reach_the_wizard_from_the_focused_widget(qtbot: QtBot, wizard: ImportWizard) -> None:
    type_path(qtbot, wizard, DATA / "hubspot_contacts.csv")
    assert wizard.file_page.path_edit.text().endswith("hubspot_contacts.csv")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.columns_page)
    assert wizard.prepared is not None and wizard.prepared.kind == "stakeholders"
