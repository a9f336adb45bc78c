"""Search everything: the FTS5 index follows every write, ranks, shows the words, takes any text."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from renewal_coach.core import models as m
from renewal_coach.storage.db import open_database
from renewal_coach.storage.migrations import SCHEMA_VERSION
from renewal_coach.storage.repository import Store
from renewal_coach.storage.search import MARK_END, MARK_START, match_expression, search
from renewal_coach.tables.importer import prepare, run_import

DATA = Path(__file__).parent.parent / "tables" / "data"


def _account(store: Store, name: str = "Fenwick Health Trust", **kw: object) -> m.Account:
    return store.accounts.add(m.Account(name=name, industry="Healthcare", **kw))  # type: ignore[arg-type]


def _contract(store: Store, account: m.Account, **kw: object) -> m.Contract:
    values: dict[str, object] = {
        "account_id": account.id,
        "title": "Estates maintenance",
        "reference": "FHT-001",
        "start_date": date(2024, 4, 1),
        "end_date": date(2027, 3, 31),
    }
    values.update(kw)
    return store.contracts.add(m.Contract(**values))  # type: ignore[arg-type]


def _ids(store: Store, text: str) -> list[str]:
    return [hit.record_id for hit in search(store, text)]


def test_a_new_record_is_found_with_its_account_and_the_words_marked(store: Store) -> None:
    account = _account(store)
    concern = store.concerns.add(
        m.Concern(
            account_id=account.id,
            description="Boiler outages in the east wing every winter",
            opened_on=date(2026, 1, 5),
        )
    )
    (hit,) = search(store, "boiler")
    assert (hit.kind, hit.record_id, hit.account_id) == ("concern", concern.id, account.id)
    assert hit.account_name == "Fenwick Health Trust"
    assert hit.title == "Boiler outages in the east wing every winter"
    assert f"{MARK_START}Boiler{MARK_END}" in hit.snippet
    assert hit.marked_snippet().startswith("[Boiler] outages")
    assert hit.fields == ("description",)


def test_words_are_prefixes_and_all_of_them_must_match(store: Store) -> None:
    account = _account(store)
    contract = _contract(store, account)
    assert _ids(store, "maint") == [contract.id]
    assert _ids(store, "estates maint") == [contract.id]
    assert _ids(store, "estates cleaning") == []


def test_an_edit_replaces_the_old_words_and_a_delete_removes_them(store: Store) -> None:
    account = _account(store)
    contract = _contract(store, account)
    store.contracts.update(dataclasses.replace(contract, title="Catering services"))
    assert _ids(store, "estates") == []
    assert _ids(store, "catering") == [contract.id]
    store.contracts.delete(contract.id)
    assert _ids(store, "catering") == []
    assert store.db.execute("SELECT count(*) FROM search_docs").fetchone()[0] == 1  # the account


def test_deleting_an_account_removes_its_records_and_undo_brings_them_back(store: Store) -> None:
    account = _account(store)
    _contract(store, account, notes="Ask about the solar canopy")
    snapshot = store.accounts.snapshot(account.id)
    store.accounts.delete(account.id)
    assert _ids(store, "solar") == []
    assert store.db.execute("SELECT count(*) FROM search_docs").fetchone()[0] == 0
    snapshot.restore(store)
    (hit,) = search(store, "solar")
    assert hit.kind == "contract" and hit.fields == ("internal notes",)


def test_renaming_an_account_shows_the_new_name_on_its_records(store: Store) -> None:
    account = _account(store)
    _contract(store, account)
    store.accounts.update(dataclasses.replace(account, name="Fenwick NHS Trust"))
    (hit,) = search(store, "estates")
    assert hit.account_name == "Fenwick NHS Trust"
    assert [h.kind for h in search(store, "nhs")] == ["account"]


def test_an_import_is_indexed_and_its_undo_takes_it_out_again(store: Store) -> None:
    _plan, result = run_import(store, prepare(DATA / "salesforce_accounts_uk.csv"))
    assert result is not None
    assert [h.title for h in search(store, "calder")] == ["Calder Freight Ltd"]
    result.undo(store)
    assert search(store, "calder") == []
    assert store.db.execute("SELECT count(*) FROM search_fts").fetchone()[0] == 0
    result.redo(store)
    assert [h.title for h in search(store, "calder")] == ["Calder Freight Ltd"]


def test_a_match_in_the_title_ranks_above_one_in_the_notes(store: Store) -> None:
    in_notes = _account(store, "Harbour Dock Co", notes="They mention Kestrel often")
    in_name = _account(store, "Kestrel Water")
    hits = search(store, "kestrel")
    assert [h.record_id for h in hits] == [in_name.id, in_notes.id]
    assert hits[0].rank < hits[1].rank
    assert hits[1].fields == ("internal notes",) and hits[1].internal


def test_the_walk_away_position_is_searchable_and_named(store: Store) -> None:
    account = _account(store)
    _contract(store, account, walk_away="Below 4 percent margin we let it go")
    (hit,) = search(store, "margin")
    assert hit.fields == ("walk-away position",)


def test_accents_and_case_do_not_matter(store: Store) -> None:
    _account(store, "Müller Kältetechnik GmbH")
    _account(store, "Café Olé")
    assert [h.title for h in search(store, "muller")] == ["Müller Kältetechnik GmbH"]
    assert [h.title for h in search(store, "KALTE")] == ["Müller Kältetechnik GmbH"]
    assert [h.title for h in search(store, "cafe ole")] == ["Café Olé"]
    assert [h.title for h in search(store, "CAFÉ")] == ["Café Olé"]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"unbalanced',
        'a"b',
        "-",
        "-estates",
        "NEAR",
        "NEAR(estates maintenance, 2)",
        "*",
        "estates*",
        ":",
        "title:estates",
        "AND",
        "OR NOT",
        "(",
        ")",
        "^",
        "+",
        "{title body}: x",
        "\x00",
        "'; DROP TABLE accounts; --",
        "",
        "   ",
        "🌱",
        "x" * 5000,
    ],
)
def test_hostile_text_never_raises_and_is_plain_text(store: Store, text: str) -> None:
    account = _account(store)
    _contract(store, account)
    search(store, text)
    assert store.accounts.count() == 1


def test_operators_are_searched_as_words(store: Store) -> None:
    account = _account(store)
    near = _contract(store, account, title="Near miss reporting", reference="NM-1")
    _contract(store, account, title="Grounds", reference="G-2", notes="and or not")
    assert _ids(store, "NEAR") == [near.id]
    assert [h.kind for h in search(store, "OR NOT")] == ["contract"]
    assert _ids(store, "near:miss") == [near.id]  # the phrase "near miss"
    assert _ids(store, "title:grounds") == []  # the phrase "title grounds", not a column filter
    assert _ids(store, "-miss") == [near.id]  # not a negation


def test_match_expression_quotes_every_word() -> None:
    assert match_expression('a "b" NEAR -c *') == '"a"* """b"""* "NEAR"* "-c"*'
    assert match_expression(" - * : ") == ""


def test_the_limit_is_respected(store: Store) -> None:
    for i in range(8):
        _account(store, f"Kestrel {i}")
    assert len(search(store, "kestrel", limit=3)) == 3
    assert search(store, "kestrel", limit=0) == []


def test_plans_sessions_and_commitments_are_found(store: Store) -> None:
    account = _account(store)
    plan = store.plans.add(
        m.ConversationPlan(account_id=account.id, title="Quarterly review", our_objectives="x")
    )
    store.coaching_sessions.add(
        m.CoachingSession(plan_id=plan.id, started_at="2026-03-01T10:00", notes="Zebra crossing")
    )
    store.commitments.add(m.Commitment(account_id=account.id, description="Send the zebra report"))
    kinds = sorted((h.kind, h.account_id) for h in search(store, "zebra"))
    assert kinds == [("commitment", account.id), ("session", account.id)]
    assert [h.kind for h in search(store, "quarterly")] == ["plan"]


def test_an_older_database_has_its_records_indexed_when_it_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = Store(open_database(path))
    account = _account(store, "Osprey Retail")
    _contract(store, account, title="Shopfitting")
    # Make the file look as a version without search left it.
    with store.atomic():
        for (name,) in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_%'"
        ).fetchall():
            store.db.execute(f"DROP TRIGGER {name}")
        store.db.execute("DROP TABLE search_fts")
        store.db.execute("DROP TABLE search_docs")
        store.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_search_index'")
    store.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    store.close()

    upgraded = Store(open_database(path))
    try:
        assert [h.kind for h in search(upgraded, "shopfitting")] == ["contract"]
        assert [h.title for h in search(upgraded, "osprey")] == ["Osprey Retail"]
    finally:
        upgraded.close()


def test_the_questions_and_answers_of_a_plan_are_found(store: Store) -> None:
    account = _account(store)
    sections = [
        {
            "code": "opening",
            "title": "Opening",
            "minutes": 5,
            "guidance": "Thank them",
            "questions": [{"text": "What keeps the warehouse awake?", "answer": "Pallets"}],
        }
    ]
    plan = store.plans.add(
        m.ConversationPlan(account_id=account.id, title="Review", sections=sections)
    )
    assert _ids(store, "warehouse awake") == [plan.id]
    assert _ids(store, "pallets") == [plan.id]
    assert _ids(store, "opening") == [plan.id]
    assert _ids(store, "minutes") == []  # keys are not text


def test_a_hit_says_when_its_account_is_archived(store: Store) -> None:
    account = _account(store)
    _contract(store, account)
    (hit,) = search(store, "estates")
    assert not hit.archived
    store.accounts.update(dataclasses.replace(account, archived=True))
    (hit,) = search(store, "estates")
    assert hit.archived


def test_an_interaction_is_named_by_its_date_and_shows_its_words(store: Store) -> None:
    account = _account(store)
    store.interactions.add(
        m.Interaction(
            account_id=account.id,
            occurred_on=date(2026, 5, 21),
            purpose="Walked the new loading bay",
            outcome="They want a second bay by spring",
        )
    )
    (hit,) = search(store, "bay spring")
    assert (hit.kind, hit.title) == ("interaction", "2026-05-21")
    assert hit.fields == ("purpose", "details")
    assert "[spring]" in hit.marked_snippet() or "[bay]" in hit.marked_snippet()
