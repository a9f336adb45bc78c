"""The sample portfolio: its shape, the situations it was designed to show, and how it loads."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from renewal_coach.cli import main as cli_main
from renewal_coach.core import enums
from renewal_coach.core import models as m
from renewal_coach.core.dates import add_months
from renewal_coach.core.records import Record, fields_of
from renewal_coach.storage import sample
from renewal_coach.storage.db import open_database
from renewal_coach.storage.errors import StorageError
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import (
    LOAD_ORDER,
    SampleDataError,
    SampleTargetExistsError,
    StoreNotEmptyError,
    create_sample_database,
    load_sample,
    read_sample,
    sample_file,
)
from renewal_coach.tools import make_sample

TODAY = date(2026, 3, 15)


@pytest.fixture
def loaded(store: Store) -> Store:
    """The in-memory store with the sample loaded as of TODAY."""
    load_sample(store, TODAY)
    return store


def _contribution(a: m.Account) -> Decimal:
    serve = (a.serve_hours_12m or 0) * (a.hourly_rate_minor or 0)
    costs = (
        (a.bid_cost_minor or 0) + (a.special_terms_cost_minor or 0) + (a.support_cost_minor or 0)
    )
    return Decimal((a.revenue_12m_minor or 0) - (a.direct_cost_12m_minor or 0)) - serve - costs


def _snapshot(store: Store) -> dict[str, list[Record]]:
    """Every record per table, with the load-time timestamps blanked out."""
    return {
        name: [
            dataclasses.replace(r, created_at="", updated_at="")
            for r in store.repo(name).where("1", order="id")
        ]
        for name in LOAD_ORDER
    }


# ---- size and spread -------------------------------------------------------------------------


def test_load_returns_the_count_of_every_table(loaded: Store) -> None:
    counts = {name: loaded.repo(name).count() for name in LOAD_ORDER}
    assert 28 <= counts["accounts"] <= 32
    assert 42 <= counts["contracts"] <= 48
    assert all(counts.values()), counts
    # What load_sample reported is what is in the store.
    other = Store(open_database(":memory:"))
    try:
        assert load_sample(other, TODAY) == counts
    finally:
        other.close()


def test_contract_end_dates_run_from_three_months_ago_to_three_years_ahead(
    loaded: Store,
) -> None:
    ends = sorted(c.end_date for c in loaded.contracts.all())
    assert add_months(TODAY, -4) <= ends[0] <= add_months(TODAY, -2)
    assert add_months(TODAY, 33) <= ends[-1] <= add_months(TODAY, 36)
    # Spread, not bunched: ends fall in every year of the horizon.
    years_ahead = Counter((e - TODAY).days // 365 for e in ends if e > TODAY)
    assert set(years_ahead) == {0, 1, 2}


def test_interactions_cover_twelve_months_and_none_is_in_the_future(loaded: Store) -> None:
    days = [i.occurred_on for i in loaded.interactions.all()]
    assert TODAY - timedelta(days=366) <= min(days) <= add_months(TODAY, -11)
    assert TODAY - timedelta(days=14) <= max(days) <= TODAY
    # Every quarter of the year has contact, and every live account has some history.
    quarters = Counter((TODAY - d).days // 92 for d in days)
    assert set(quarters) == {0, 1, 2, 3}
    with_contact = {i.account_id for i in loaded.interactions.all()}
    assert with_contact == {a.id for a in loaded.accounts.all()}


def test_contributions_form_a_whale_curve(loaded: Store) -> None:
    accounts = loaded.accounts.all()
    values = sorted((_contribution(a) for a in accounts), reverse=True)
    positive = sum(v for v in values if v > 0)
    top = values[: round(len(values) * 0.2)]
    assert Decimal("0.70") <= sum(top) / positive <= Decimal("0.90")
    assert sum(1 for v in values if v < 0) >= 2
    # Revenue rank and value rank disagree: a loss-maker is among the biggest by revenue.
    by_revenue = sorted(accounts, key=lambda a: a.revenue_12m_minor or 0, reverse=True)
    assert any(_contribution(a) < 0 for a in by_revenue[: len(accounts) // 3])


# ---- variety for teaching --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "field", "enum"),
    [
        ("stakeholders", "buying_role", enums.BuyingRole),
        ("stakeholders", "strategic_role", enums.StrategicRole),
        ("stakeholders", "influence", enums.Influence),
        ("stakeholders", "attitude", enums.Attitude),
        ("stakeholders", "response_mode", enums.ResponseMode),
        ("change_events", "kind", enums.ChangeKind),
        ("contracts", "procurement_route", enums.ProcurementRoute),
        ("contracts", "status", enums.ContractStatus),
        ("improvements", "status", enums.ImprovementStatus),
        ("interactions", "type", enums.InteractionType),
    ],
)
def test_every_value_of_an_enum_is_present(loaded: Store, table: str, field: str, enum) -> None:
    present = {getattr(r, field) for r in loaded.repo(table).all()}
    assert present == set(enum)


def test_goals_and_evidence_are_both_confirmed_and_assumed(loaded: Store) -> None:
    goals = loaded.goals.all()
    assert any(g.confirmed for g in goals) and any(not g.confirmed for g in goals)
    confirmed = [g for g in goals if g.confirmed]
    assert any(g.our_response for g in confirmed) and any(not g.our_response for g in confirmed)
    evidence = loaded.evidence.all()
    assert any(e.validated for e in evidence) and any(not e.validated for e in evidence)
    recent = TODAY - timedelta(days=365)
    assert any(e.validated_on and e.validated_on < recent for e in evidence), "no stale evidence"


def test_risk_situations_are_represented(loaded: Store) -> None:
    contracts = loaded.contracts.all()
    people = loaded.stakeholders.all()
    accounts = loaded.accounts.all()
    open_sev1 = [
        c
        for c in loaded.concerns.all()
        if c.severity == 1
        and c.resolved_on is None
        and c.visible_to_customer
        and (TODAY - c.opened_on).days > 30
    ]
    assert open_sev1
    current_buyers = {
        p.account_id for p in people if p.buying_role == "economic_buyer" and p.left_on is None
    }
    assert 0 < len(current_buyers) < len(accounts), "need accounts with and without a buyer"
    assert any(e.kind == "tender_mandated" and not e.response for e in loaded.change_events.all())
    assert any(e.response for e in loaded.change_events.all())
    assert any(c.notice_deadline for c in contracts)
    assert any(c.notice_period_days for c in contracts)
    assert any(c.extension_exercise_by and c.extension_holder for c in contracts)
    assert any(c.price_gap_pct is not None for c in contracts)
    assert any(c.walk_away for c in contracts) and any(c.notes for c in contracts)
    assert any(c.kpis_total and c.kpis_met is not None for c in contracts)
    assert any(c.public_sector for c in contracts)
    assert any(not a.customer_since or (TODAY - a.customer_since).days < 365 for a in accounts)
    assert any(a.segment_override and a.segment_override_reason for a in accounts)
    assert any(a.contact_cadence_days for a in accounts)
    assert any(p.no_surveys for p in people) and any(p.contact_cadence_days for p in people)
    currencies = Counter(a.currency for a in accounts)
    assert currencies["EUR"] >= 2 and currencies["GBP"] > len(accounts) / 2
    done = loaded.milestones.all()
    assert {"M0", "M1"} <= {ms.code for ms in done} and all(ms.done_on for ms in done)
    commitments = loaded.commitments.all()
    assert {c.party for c in commitments} == {"us", "customer"}
    assert any(c.done_on for c in commitments) and any(not c.done_on for c in commitments)
    asked = [i for i in loaded.interactions.all() if i.concession_offered]
    assert any(i.concession_requested for i in asked) and any(
        not i.concession_requested for i in asked
    )


def test_emoji_and_right_to_left_text_survive_the_round_trip(loaded: Store) -> None:
    emoji = [a for a in loaded.accounts.all() if any(ord(ch) > 0xFFFF for ch in a.name)]
    assert emoji and loaded.accounts.find_by_name(emoji[0].name) == emoji[0]
    arabic = [p for p in loaded.stakeholders.all() if re.search("[\u0600-\u06ff]", p.name)]
    assert arabic and loaded.stakeholders.get(arabic[0].id).name == arabic[0].name


def test_design_names_every_band_and_every_flag() -> None:
    design = read_sample()["design"]
    assert {d["band"] for d in design} == {"neglect", "proportionate", "intense", "obsessive"}
    assert {f for d in design for f in d["flags"]} == set(make_sample.FLAGS)
    assert sum(1 for d in design if d["band"] == "proportionate") >= 3
    assert any(d["segment"] == "treasure" and d["band"] == "neglect" for d in design)
    ids = {a["id"] for a in read_sample()["tables"]["accounts"]}
    assert {d["account_id"] for d in design} == ids


def test_generated_sample_meets_its_design() -> None:
    """Segments, bands and flags recomputed from the rows match what each account is for."""
    assert make_sample.check(make_sample.build()) == []


def test_committed_file_is_what_the_generator_writes() -> None:
    expected = make_sample.render(make_sample.build())
    assert sample_file().read_text(encoding="utf-8") == expected, (
        "data/sample_portfolio.json is out of date: run python -m renewal_coach.tools.make_sample"
    )


# ---- the campaign as the team kept it ---------------------------------------------------------


def _campaigns(store: Store, today: date = TODAY) -> dict[str, Any]:
    from renewal_coach.storage.scores import portfolio_scores

    return {
        c.contract.reference: c.campaign
        for s in portfolio_scores(store, today).values()
        for c in s.contracts
    }


def test_every_contract_states_when_its_campaign_began_to_be_kept(loaded: Store) -> None:
    contracts = loaded.contracts.all()
    late = {ref: TODAY + timedelta(days=d) for ref, d in make_sample.TRACKED_LATE.items()}
    assert 3 <= len(late) < len(contracts) // 4  # a few imported recently, most kept from day 1
    for c in contracts:
        assert c.tracked_since == late.get(c.reference, c.start_date), c.reference
        assert c.tracked_since >= c.start_date


def test_only_the_designed_milestones_are_overdue(loaded: Store) -> None:
    campaigns = _campaigns(loaded)
    overdue = Counter(
        (ref, x.code)
        for ref, camp in campaigns.items()
        for x in camp.milestones
        if x.status == "overdue"
    )
    assert overdue == Counter((ref, code) for ref, code, _occ in make_sample.LATE)
    live = [camp for camp in campaigns.values() if not camp.closed]
    late_contracts = sum(1 for camp in live if camp.overdue_count)
    # A handful, each with a reason, not a wall: most live contracts are on time.
    assert 4 <= sum(overdue.values()) <= 7
    assert late_contracts <= len(live) // 5
    assert sum(camp.overdue_count for camp in live) == sum(overdue.values())


def test_history_is_done_with_dates_owners_and_notes(loaded: Store) -> None:
    campaigns = _campaigns(loaded)
    done = [x for camp in campaigns.values() for x in camp.milestones if x.status == "done"]
    past = [
        x
        for camp in campaigns.values()
        for x in camp.milestones
        if x.due < TODAY and x.status not in ("before_tracking", "closed")
    ]
    assert len(done) > 0.9 * len(past)
    assert all(x.done_on is not None and x.done_on <= TODAY and x.owner for x in done)
    assert sum(1 for x in done if x.note) > len(done) // 2
    assert all(x.done_on <= TODAY for x in done)


def test_recently_imported_contracts_show_history_before_tracking(loaded: Store) -> None:
    campaigns = _campaigns(loaded)
    with_history = set()
    for ref, camp in campaigns.items():
        before = camp.before_tracking
        if ref not in make_sample.TRACKED_LATE:
            assert before == (), ref
            continue
        tracked = TODAY + timedelta(days=make_sample.TRACKED_LATE[ref])
        assert all(x.due < tracked for x in before)
        # nothing from before tracking counts towards lateness
        assert camp.due_so_far == sum(
            1 for x in camp.milestones if x.due < TODAY and x.status != "before_tracking"
        )
        if before:
            with_history.add(ref)
    assert len(with_history) >= 3
    # An old milestone can be on record from the team's notes: it shows as done.
    recorded = [
        x
        for ref in make_sample.TRACKED_LATE
        for x in campaigns[ref].milestones
        if x.status == "done" and x.due < TODAY + timedelta(days=make_sample.TRACKED_LATE[ref])
    ]
    assert recorded


def test_the_campaign_state_holds_whatever_day_the_sample_is_loaded() -> None:
    assert make_sample.campaign_problems(make_sample.build()) == []
    counts = set()
    for day in (date(2025, 12, 31), date(2026, 8, 1), date(2027, 2, 28)):
        store = Store(open_database(":memory:"))
        try:
            load_sample(store, day)
            statuses = Counter(
                x.status for camp in _campaigns(store, day).values() for x in camp.milestones
            )
            counts.add((statuses["overdue"], statuses["before_tracking"]))
        finally:
            store.close()
    assert len(counts) == 1  # the same overdue and before-tracking counts on every day
    assert next(iter(counts))[0] == len(make_sample.LATE)


# ---- dates, ids and determinism --------------------------------------------------------------


def test_every_date_in_the_file_is_a_whole_day_offset() -> None:
    data = json.loads(sample_file().read_text(encoding="utf-8"))
    assert set(data["tables"]) == set(LOAD_ORDER)
    checked = 0
    for name, rows in data["tables"].items():
        entity = make_sample.ENTITY[name]
        date_fields = {fi.name for fi in fields_of(entity) if fi.kind == "date"}
        for row in rows:
            for field in date_fields & row.keys():
                value = row[field]
                assert value is None or type(value) is int, (name, field, value)
                checked += 1
    assert checked > 1000


def test_two_loads_give_identical_records(loaded: Store) -> None:
    other = Store(open_database(":memory:"))
    try:
        load_sample(other, TODAY)
        assert _snapshot(other) == _snapshot(loaded)
    finally:
        other.close()


def test_dates_are_resolved_relative_to_the_load_day() -> None:
    early_day, late_day = date(2026, 1, 1), date(2027, 6, 30)
    early, late = Store(open_database(":memory:")), Store(open_database(":memory:"))
    try:
        load_sample(early, early_day)
        load_sample(late, late_day)
        compared = 0
        for name in LOAD_ORDER:
            late_by_id = {r.id: r for r in late.repo(name).all()}
            date_fields = [fi.name for fi in fields_of(late.repo(name).entity) if fi.kind == "date"]
            for record in early.repo(name).all():
                twin = late_by_id[record.id]
                for field in date_fields:
                    a, b = getattr(record, field), getattr(twin, field)
                    assert (a is None) == (b is None), (name, field)
                    if a is not None:
                        assert (a - early_day) == (b - late_day), (name, record.id, field)
                        compared += 1
        assert compared > 1000
    finally:
        early.close()
        late.close()


# ---- refusing to mix or overwrite --------------------------------------------------------------


def test_loading_into_a_store_that_has_data_is_refused(store: Store) -> None:
    store.accounts.add(m.Account(name="Our real customer"))
    with pytest.raises(StoreNotEmptyError) as err:
        load_sample(store, TODAY)
    assert isinstance(err.value, StorageError)
    assert "empty database" in str(err.value) and "(accounts: 1)" in str(err.value)
    assert store.accounts.count() == 1 and store.contracts.count() == 0


def test_a_damaged_sample_loads_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    data = read_sample()
    broken = json.loads(json.dumps(data))
    broken["tables"]["interactions"][-1]["occurred_on"] = "2026-01-01"
    monkeypatch.setattr(sample, "read_sample", lambda: broken)
    with pytest.raises(SampleDataError) as err:
        load_sample(store, TODAY)
    assert "interactions record" in str(err.value) and "whole number of days" in str(err.value)
    assert all(store.repo(name).count() == 0 for name in LOAD_ORDER)


def test_create_sample_database_writes_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "folder" / "sample.db"
    assert create_sample_database(path, TODAY) == path
    store = Store(open_database(path, create=False, readonly=True))
    try:
        assert 28 <= store.accounts.count() <= 32
        assert min(c.end_date for c in store.contracts.all()) < TODAY
    finally:
        store.close()


def _real_database(path: Path) -> None:
    store = Store(open_database(path))
    store.accounts.add(m.Account(name="Someone's real work"))
    store.close()


@pytest.mark.parametrize(
    "make",
    [
        _real_database,
        lambda p: p.write_bytes(b"not a database at all \x00\xff" * 50),
        lambda p: p.write_bytes(b""),
    ],
    ids=["database", "other-file", "empty-file"],
)
def test_create_sample_database_never_overwrites(tmp_path: Path, make: Any) -> None:
    path = tmp_path / "portfolio.db"
    make(path)
    before = path.read_bytes()
    with pytest.raises(SampleTargetExistsError) as err:
        create_sample_database(path, TODAY)
    assert isinstance(err.value, StorageError)
    assert "already exists" in str(err.value) and "Nothing was changed" in str(err.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio.db"]


def test_a_failed_creation_removes_the_half_made_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(store: Store, today: date | None = None) -> dict[str, int]:
        store.accounts.add(m.Account(name="Half written"))
        raise RuntimeError("disk vanished")

    monkeypatch.setattr(sample, "load_sample", explode)
    path = tmp_path / "sample.db"
    with pytest.raises(RuntimeError):
        create_sample_database(path, TODAY)
    assert list(tmp_path.iterdir()) == []


def test_the_sample_command_uses_the_loader(tmp_path: Path, capsys) -> None:
    path = tmp_path / "sample.db"
    assert cli_main(["sample", str(path)]) == 0
    assert str(path) in capsys.readouterr().out
    assert cli_main(["sample", str(path)]) == 1
    assert "already exists" in capsys.readouterr().err
