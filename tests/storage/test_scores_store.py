"""Scores over the stored sample: every band and flag shows up, bulk and single paths agree,
and the settings live in the database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from renewal_coach.core.errors import ValidationError
from renewal_coach.core.settings import DEFAULT_SETTINGS
from renewal_coach.storage.sample import load_sample
from renewal_coach.storage.scores import (
    account_scores,
    load_settings,
    portfolio_scores,
    save_settings,
)

TODAY = date(2026, 11, 23)
DESIGN = {
    d["account_id"]: d
    for d in json.loads(
        (Path(__file__).parents[2] / "data" / "sample_portfolio.json").read_text("utf-8")
    )["design"]
}


@pytest.fixture
def sample(store):
    load_sample(store, TODAY)
    return store


def test_sample_lands_where_it_was_designed_and_covers_every_band_and_flag(sample) -> None:
    scores = portfolio_scores(sample, TODAY)
    assert set(scores) == set(DESIGN)
    for aid, s in scores.items():
        want = DESIGN[aid]
        assert s.segment.extra["calculated"] == want["segment"], s.name
        assert s.engagement.band == want["band"], s.name
        assert sorted(f.code for f in s.engagement.flags) == sorted(want["flags"]), s.name
    bands = {s.engagement.band for s in scores.values()}
    flags = {f.code for s in scores.values() for f in s.engagement.flags}
    assert bands == {"neglect", "proportionate", "intense", "obsessive"}
    assert flags == {
        "noise",
        "survey_fatigue",
        "fear_concession",
        "pitch_heavy",
        "single_thread",
        "intrusive",
        "probity",
    }
    risk_bands = {s.risk.band for s in scores.values() if s.risk}
    assert risk_bands == {"low", "guarded", "elevated", "high"}


def test_single_account_path_matches_the_bulk_path(sample) -> None:
    bulk = portfolio_scores(sample, TODAY)
    for aid, s in bulk.items():
        one = account_scores(sample, aid, TODAY).to_json()
        many = s.to_json()
        for key in ("effort_share", "value_share", "effort_ratio"):
            one.pop(key)
            many.pop(key)
        assert one == many, s.name


def test_capture_moves_the_scores(sample) -> None:
    from renewal_coach.core import models as m
    from renewal_coach.core.enums import InteractionType

    aid = next(k for k, d in DESIGN.items() if d["band"] == "neglect")
    before = account_scores(sample, aid, TODAY).engagement
    for _ in range(6):
        sample.interactions.add(
            m.Interaction(
                account_id=aid,
                occurred_on=TODAY,
                type=InteractionType.EXECUTIVE_REVIEW,
                purpose="Their plans for next year",
                brought_value=True,
            )
        )
    after = account_scores(sample, aid, TODAY).engagement
    assert after.extra["points"] == before.extra["points"] + 18
    assert after.band != "neglect"


def test_settings_default_then_saved_and_read_back(store) -> None:
    assert load_settings(store) == DEFAULT_SETTINGS
    calibrated = DEFAULT_SETTINGS.calibrated(noise_share=0.5)
    save_settings(store, calibrated)
    assert load_settings(store) == calibrated
    assert load_settings(store).version == 2


def test_unreadable_stored_settings_are_reported_not_replaced(store) -> None:
    store.db.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES ('score_settings', '{oops', 'x')"
    )
    with pytest.raises(ValidationError, match="not readable"):
        load_settings(store)


def _as_json(scores) -> str:
    return json.dumps({k: v.to_json() for k, v in sorted(scores.items())}, sort_keys=True)


def test_scores_in_steps_are_the_same_scores(sample) -> None:
    import gc

    from renewal_coach.storage.scores import portfolio_scores_steps

    steps = portfolio_scores_steps(sample, TODAY, chunk=4)
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as stop:
            stepped = stop.value
            break
        assert gc.isenabled()  # paused only while a step runs
    assert len(progress) > 8  # pages of every table, then 30 accounts 4 at a time
    assert progress == sorted(progress)
    assert progress[0] >= 0 and progress[-1] == 1.0
    assert _as_json(stepped) == _as_json(portfolio_scores(sample, TODAY))
    assert gc.isenabled()


def test_scores_in_steps_can_be_stopped_early(sample) -> None:
    import gc

    from renewal_coach.storage.scores import portfolio_scores_steps

    steps = portfolio_scores_steps(sample, TODAY)
    next(steps)
    next(steps)
    steps.close()
    assert gc.isenabled()
    gc.disable()
    try:
        portfolio_scores(sample, TODAY)
        assert not gc.isenabled()  # the state found is the state left
    finally:
        gc.enable()


def test_the_portfolio_reads_the_same_in_pages_of_any_size_and_without_json(
    sample, monkeypatch
) -> None:
    from renewal_coach.core.scoring.portfolio import run_steps
    from renewal_coach.storage import portfolio_data

    fields = ("contracts", "stakeholders", "interactions", "goals", "evidence", "concerns")
    fields += ("improvements", "changes", "milestones")

    def rows(datas):
        return [(d.account, *(getattr(d, f) for f in fields)) for d in datas]

    sample.db.execute(
        "UPDATE accounts SET archived = 1 WHERE id IN (SELECT id FROM accounts LIMIT 2)"
    )
    for archived in (False, True):
        whole = rows(portfolio_data.load_portfolio(sample, TODAY, include_archived=archived))
        assert any(d[3] for d in whole) and any(
            len(i.stakeholder_ids) > 1 for d in whole for i in d[3]
        )
        for size in (1, 5, 1000):
            paged = portfolio_data.load_portfolio_steps(
                sample, TODAY, include_archived=archived, size=size
            )
            assert rows(run_steps(paged)) == whole
        monkeypatch.setattr(portfolio_data, "_JSON", [False])
        assert (
            rows(portfolio_data.load_portfolio(sample, TODAY, include_archived=archived)) == whole
        )
        monkeypatch.undo()
    for d in whole:
        dates = [i.occurred_on for i in d[3]]
        assert dates == sorted(dates)


def test_tracked_since_edited_earlier_brings_old_milestones_back_as_overdue(sample) -> None:
    import dataclasses

    from renewal_coach.tools.make_sample import TRACKED_LATE

    ref = next(iter(TRACKED_LATE))
    contract = sample.contracts.find_by_reference(ref)[0]

    def campaign_now():
        scores = account_scores(sample, contract.account_id, TODAY)
        return next(c.campaign for c in scores.contracts if c.contract.id == contract.id)

    before = campaign_now()
    untracked = len(before.before_tracking)
    assert untracked > 0 and contract.tracked_since > contract.start_date
    sample.contracts.update(dataclasses.replace(contract, tracked_since=contract.start_date))
    after = campaign_now()
    assert after.before_tracking == ()
    assert after.overdue_count == before.overdue_count + untracked
    assert after.due_so_far == before.due_so_far + untracked
    # and the bulk path reads the stored date the same way
    bulk = portfolio_scores(sample, TODAY)[contract.account_id]
    camp = next(c.campaign for c in bulk.contracts if c.contract.id == contract.id)
    assert (camp.due_so_far, camp.overdue_count) == (after.due_so_far, after.overdue_count)
