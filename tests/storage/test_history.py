"""The change history: what each add, edit, delete, import, undo and redo appends."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest

from renewal_coach import user
from renewal_coach.core import models as m
from renewal_coach.core.errors import ValidationError
from renewal_coach.core.history import Author, HybridClock, Stamp
from renewal_coach.storage.db import open_database
from renewal_coach.storage.history import (
    ChangeTexts,
    HistoryQuery,
    changed_records,
    count_changes,
    find_account,
    native_value,
    read_changes,
)
from renewal_coach.storage.repository import Store
from renewal_coach.tables.importer import prepare, run_import

DATA = Path(__file__).parent.parent / "tables" / "data"
ANA = Author("Ana Kovač", "0123456789abcdef")


@pytest.fixture
def log_store() -> Store:
    return Store(open_database(":memory:"), ANA)


def _all(store: Store, **kw: object) -> list:
    return list(reversed(read_changes(store, HistoryQuery(**kw))))  # oldest first


def _contract(store: Store, account: m.Account) -> m.Contract:
    return store.contracts.add(
        m.Contract(
            account_id=account.id,
            title="Estates maintenance",
            reference="FHT-001",
            start_date="2024-04-01",
            end_date="2027-03-31",
            walk_away="Below 1.6m we walk",
        )
    )


def _lines(entries: list) -> list[tuple]:
    """(entry, line) for every field line of the entries."""
    return [(e, line) for e in entries for line in e.lines()]


def test_an_add_is_one_entry_holding_the_given_fields(log_store: Store) -> None:
    account = log_store.accounts.add(m.Account(name="Fenwick Health Trust", industry="Health"))

    entries = _all(log_store)
    assert len(entries) == 1
    added = entries[0]
    assert (added.change, added.op_kind, added.field, added.old_value) == ("add", "add", "", None)
    given = {line.field: line.new_value for line in added.lines()}
    assert given["name"] == "Fenwick Health Trust"
    assert given["industry"] == "Health"
    assert "notes" not in given  # empty fields are not logged
    assert "archived" not in given  # nor unticked boxes
    assert added.record_id == account.id
    assert added.account_id == account.id
    assert added.label == "Fenwick Health Trust"
    assert added.who == "Ana Kovač"
    assert added.device == ANA.device
    assert added.hlc.endswith("-" + ANA.device)


def test_an_edit_logs_only_the_fields_that_changed_with_old_and_new(log_store: Store) -> None:
    account = log_store.accounts.add(m.Account(name="Fenwick Health Trust"))
    contract = _contract(log_store, account)
    before = count_changes(log_store, HistoryQuery())

    log_store.contracts.update(dataclasses.replace(contract, walk_away="Below 1.5m we walk"))

    new = read_changes(
        log_store, HistoryQuery(), limit=count_changes(log_store, HistoryQuery()) - before
    )
    assert [(e.field, e.old_value, e.new_value, e.change, e.op_kind) for e in new] == [
        ("walk_away", "Below 1.6m we walk", "Below 1.5m we walk", "edit", "edit")
    ]
    assert new[0].internal is True  # the walk-away never leaves the building
    assert new[0].account_id == account.id
    assert new[0].label == "FHT-001 Estates maintenance"


def test_internal_fields_are_marked_in_lines_and_in_json(log_store: Store) -> None:
    account = log_store.accounts.add(m.Account(name="Fenwick Health Trust"))
    _contract(log_store, account)
    added = _all(log_store)[-1]
    internal = {line.field: line.internal for line in added.lines()}
    assert internal["title"] is False
    assert internal["walk_away"] is True
    data = added.as_json()
    assert data["new_value"]["walk_away"] == "Below 1.6m we walk"
    assert data["internal_fields"] == ["walk_away"]


def test_deleting_an_account_leaves_tombstones_for_everything_that_cascaded(
    log_store: Store,
) -> None:
    account = log_store.accounts.add(m.Account(name="Fenwick Health Trust"))
    contract = _contract(log_store, account)
    milestone = log_store.milestones.add(
        m.Milestone(contract_id=contract.id, code="M1", done_on="2026-01-05")
    )
    person = log_store.stakeholders.add(m.Stakeholder(account_id=account.id, name="Dee Ng"))

    log_store.accounts.delete(account.id)

    deletes = [e for e in _all(log_store) if e.change == "delete"]
    assert {e.record_id for e in deletes} == {account.id, contract.id, milestone.id, person.id}
    assert len({e.op_id for e in deletes}) == 1
    assert {e.op_kind for e in deletes} == {"delete"}
    # The milestone's contract was gone by the time its row went: its account is still known.
    assert {e.account_id for e in deletes} == {account.id}
    tomb = next(e for e in deletes if e.record_id == contract.id)
    assert tomb.field == ""
    assert json.loads(tomb.old_value)["walk_away"] == "Below 1.6m we walk"
    assert tomb.as_json()["old_value"]["reference"] == "FHT-001"
    # The history of the deleted account can still be found by its name.
    assert find_account(log_store, "fenwick health trust")[0].deleted


def test_list_fields_are_logged_as_whole_lists(log_store: Store) -> None:
    account = log_store.accounts.add(m.Account(name="Fenwick Health Trust"))
    one = log_store.stakeholders.add(m.Stakeholder(account_id=account.id, name="Dee Ng"))
    two = log_store.stakeholders.add(m.Stakeholder(account_id=account.id, name="Raj Patel"))
    meeting = log_store.interactions.add(
        m.Interaction(
            account_id=account.id, occurred_on="2026-11-02", purpose="QBR", stakeholder_ids=[one.id]
        )
    )
    log_store.interactions.update(dataclasses.replace(meeting, stakeholder_ids=[one.id, two.id]))
    log_store.interactions.update(
        dataclasses.replace(meeting, stakeholder_ids=[one.id, two.id], purpose="QBR")
    )

    people = [e for e in _all(log_store, record_id=meeting.id) if e.field == "stakeholder_ids"]
    assert [(e.change, e.old_value, e.new_value) for e in people] == [
        ("add", None, json.dumps([one.id])),
        ("edit", json.dumps([one.id]), json.dumps([one.id, two.id])),
    ]
    assert native_value("interactions", "stakeholder_ids", people[1].new_value) == [one.id, two.id]


def test_a_refused_save_logs_nothing(log_store: Store) -> None:
    log_store.accounts.add(m.Account(name="Fenwick Health Trust"))
    before = count_changes(log_store, HistoryQuery())
    with pytest.raises(ValidationError):
        log_store.accounts.add(m.Account(name="fenwick health trust"))
    with pytest.raises(ValidationError):
        log_store.contracts.add(m.Contract(account_id="nope", title="x", reference="r"))
    assert count_changes(log_store, HistoryQuery()) == before
    # And logging still works afterwards (the triggers survive a rolled back first write).
    log_store.accounts.add(m.Account(name="Harbour Trust"))
    assert count_changes(log_store, HistoryQuery()) > before


def test_a_refused_very_first_write_does_not_lose_the_triggers() -> None:
    store = Store(open_database(":memory:"), ANA)
    with pytest.raises(ValidationError):
        store.contracts.add(m.Contract(account_id="nope", title="x", reference="r"))
    store.accounts.add(m.Account(name="Harbour Trust"))
    assert count_changes(store, HistoryQuery()) >= 1


def test_an_import_is_one_operation(log_store: Store) -> None:
    _plan, result = run_import(log_store, prepare(DATA / "salesforce_accounts_uk.csv"))
    assert result is not None and result.created
    entries = _all(log_store)
    assert {e.op_kind for e in entries} == {"import"}
    assert len({e.op_id for e in entries}) == 1
    assert {e.record_id for e in entries} == {r.id for _t, r in result.created}
    assert len(entries) == len(result.created)  # one entry per record added

    result.undo(log_store)  # as the editor's undo runs it
    undone = [e for e in _all(log_store) if e.op_id != entries[0].op_id]
    assert {e.change for e in undone} == {"delete"}
    assert len({e.op_id for e in undone}) == 1


def test_the_log_is_append_only(log_store: Store) -> None:
    log_store.accounts.add(m.Account(name="Fenwick Health Trust"))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        log_store.db.execute("UPDATE changes SET who = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        log_store.db.execute("DELETE FROM changes")


def test_who_and_device_come_from_the_user_settings_file(tmp_path: Path) -> None:
    settings = tmp_path / "user.json"
    user.set_user_name("Bea Lind", settings)
    first = user.device_id(settings)
    assert first == user.device_id(settings)  # made once, then kept
    assert json.loads(settings.read_text())["name"] == "Bea Lind"

    store = Store(open_database(":memory:"), user.author(settings))
    store.accounts.add(m.Account(name="Fenwick Health Trust"))
    entries = _all(store)
    assert {e.who for e in entries} == {"Bea Lind"}
    assert {e.device for e in entries} == {first}


def test_the_default_author_is_read_from_the_per_user_settings_not_the_file(
    db_path: Path,
) -> None:
    user.set_user_name("Bea Lind")
    store = Store(open_database(db_path))
    store.accounts.add(m.Account(name="Fenwick Health Trust"))
    store.close()
    user.set_user_name("Cal Ortiz")  # a colleague opens a copy of the same file
    store = Store(open_database(db_path))
    store.accounts.add(m.Account(name="Harbour Trust"))
    assert [e.who for e in _all(store)] == ["Bea Lind", "Cal Ortiz"]
    tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
    assert not any("change_op" in t for t in tables)  # the operation never lands in the file


def test_stamps_keep_rising_when_the_wall_clock_goes_back() -> None:
    readings = iter([5_000, 5_000, 4_000, 3_000, 6_000, 6_000])
    clock = HybridClock("dev", now=lambda: next(readings))
    stamps = [clock.tick() for _ in range(6)]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 6
    assert [str(s) for s in stamps] == sorted(str(s) for s in stamps)
    assert stamps[3] == Stamp(5_000, 3, "dev")  # wall part held, counter climbing
    assert stamps[4] == Stamp(6_000, 0, "dev")
    assert Stamp.parse(str(stamps[5])) == stamps[5]


def test_stored_stamps_rise_across_operations_and_sessions_when_the_clock_goes_back(
    db_path: Path,
) -> None:
    store = Store(open_database(db_path), ANA)
    store.accounts.add(m.Account(name="Fenwick Health Trust", industry="Health"))
    store.close()
    # A new session whose clock is a day behind.
    store = Store(open_database(db_path), ANA)
    store.history.clock.now = lambda: 1_000  # 1970: far behind every stamp already stored
    account = store.accounts.find_by_name("Fenwick Health Trust")
    assert account is not None
    store.accounts.update(dataclasses.replace(account, industry="Healthcare"))
    store.accounts.add(m.Account(name="Harbour Trust"))
    stamps = [e.hlc for e in _all(store)]
    assert stamps == sorted(stamps)
    assert len(set(zip(stamps, [e.field for e in _all(store)], strict=True))) == len(stamps)


def test_changed_records_says_what_to_score_again(log_store: Store) -> None:
    account = log_store.accounts.add(m.Account(name="Fenwick Health Trust"))
    mark = read_changes(log_store, HistoryQuery(), limit=1)[0].seq
    contract = _contract(log_store, account)
    assert changed_records(log_store, mark) == {"contracts": {contract.id}}


def test_text_filter_matches_field_labels_and_values(log_store: Store) -> None:
    account = log_store.accounts.add(m.Account(name="Fenwick Health Trust"))
    _contract(log_store, account)
    log_store.accounts.update(dataclasses.replace(account, industry="Health"))
    # The contract's add holds the walk-away; the account's edit does not.
    found = read_changes(log_store, HistoryQuery(account_id=account.id, text="walk-away"))
    assert [(e.entity, e.change) for e in found] == [("contracts", "add")]
    shown = ChangeTexts(log_store).shown(found, "walk-away")
    assert [(s.field, s.internal, s.new) for s in shown] == [
        ("Walk-away position", True, "Below 1.6m we walk")
    ]
    assert read_changes(log_store, HistoryQuery(text="1.6m"))[0].entity == "contracts"
    assert [e.field for e in read_changes(log_store, HistoryQuery(text="industry"))] == ["industry"]
    assert read_changes(log_store, HistoryQuery(text="100%")) == []


def test_a_name_changed_mid_session_signs_the_next_change(db_path: Path) -> None:
    user.set_user_name("Bea Lind")
    store = Store(open_database(db_path))
    store.accounts.add(m.Account(name="Fenwick Health Trust"))
    user.set_user_name("Bea Lind-Ortiz")  # changed in Preferences while the app runs
    store.accounts.add(m.Account(name="Harbour Trust"))
    assert [e.who for e in _all(store)] == ["Bea Lind", "Bea Lind-Ortiz"]
    assert len({e.device for e in _all(store)}) == 1
