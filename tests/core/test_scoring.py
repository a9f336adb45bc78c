"""The coaching brain, rule by rule, with the arithmetic written out (DOMAIN.md 3 and 4)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from renewal_coach.core import models as m
from renewal_coach.core.dates import show_day
from renewal_coach.core.enums import (
    Attitude,
    BuyingRole,
    ChangeKind,
    ContractStatus,
    ImprovementStatus,
    Influence,
    InteractionType,
    Party,
    ProcurementRoute,
    Segment,
)
from renewal_coach.core.errors import ValidationError
from renewal_coach.core.scoring.data import AccountData
from renewal_coach.core.scoring.engagement import band_for, engagement
from renewal_coach.core.scoring.portfolio import score_account, score_portfolio, serving_label
from renewal_coach.core.scoring.risk import band_for as risk_band
from renewal_coach.core.scoring.risk import renewal_risk
from renewal_coach.core.scoring.segments import contribution, segment_portfolio
from renewal_coach.core.scoring.timeline import MILESTONES, campaign
from renewal_coach.core.settings import DEFAULT_SETTINGS, ScoreSettings

TODAY = date(2026, 6, 1)


def account(name: str = "Acme", revenue: int | None = 1_000_00, **kw) -> m.Account:
    kw.setdefault("direct_cost_12m_minor", 0)
    kw.setdefault("customer_since", date(2015, 1, 1))
    return m.Account(id=f"a-{name}", name=name, revenue_12m_minor=revenue, **kw)


def contract(**kw) -> m.Contract:
    base = dict(
        id="c1",
        account_id="a-Acme",
        title="Facilities",
        reference="FM-1",
        start_date=date(2024, 1, 1),
        end_date=date(2027, 1, 1),
        decision_date=date(2026, 10, 1),
    )
    base.update(kw)
    return m.Contract(**base)


def person(pid: str, **kw) -> m.Stakeholder:
    return m.Stakeholder(id=pid, account_id="a-Acme", name=kw.pop("name", pid), **kw)


def touch(days_ago: int, kind=InteractionType.MEETING, who=(), **kw) -> m.Interaction:
    kw.setdefault("purpose", "Review their plans")
    kw.setdefault("brought_value", True)
    return m.Interaction(
        id=f"i{days_ago}-{kind}-{len(who)}-{id(kw)}",
        account_id="a-Acme",
        occurred_on=TODAY - timedelta(days=days_ago),
        type=kind,
        stakeholder_ids=list(who),
        **kw,
    )


# ---- 3.1 segments ---------------------------------------------------------------------------


def test_contribution_subtracts_direct_cost_and_every_part_of_cost_to_serve():
    a = account(
        revenue=1_000_000,
        direct_cost_12m_minor=600_000,
        serve_hours_12m=Decimal("10.5"),
        hourly_rate_minor=2_000,  # 10.5 h × 20.00 = 210.00 = 21,000 minor
        bid_cost_minor=5_000,
        special_terms_cost_minor=3_000,
        support_cost_minor=1_000,
    )
    # 1,000,000 − 600,000 − 21,000 − 5,000 − 3,000 − 1,000 = 370,000
    assert contribution(a).value == 370_000
    assert contribution(a).cost_to_serve == 30_000


def test_virtual_line_thresholds_are_on_the_share_before_each_account():
    # Contributions 500, 300, 150, 50, −10: positive total P = 1,000.
    accounts = [
        account("A", 500),
        account("B", 300),
        account("C", 150),
        account("D", 50),
        account("E", -10),
        account("F", 900, customer_since=TODAY - timedelta(days=100)),  # young: unrated
    ]
    seg = segment_portfolio(accounts, TODAY)
    # A: before 0/1000 = 0 < .8 Treasure; B: 500/1000 = .5 Treasure;
    # C: 800/1000 = .8, not < .8 → Develop; D: 950/1000 = .95, not < .95 → Maintain;
    # E: contribution ≤ 0 → Drain; F: customer for 100 days → Unrated, not ranked.
    assert {k[2:]: v.band for k, v in seg.items()} == {
        "A": "treasure",
        "B": "treasure",
        "C": "develop",
        "D": "maintain",
        "E": "drain",
        "F": "unrated",
    }
    assert seg["a-C"].score == pytest.approx(0.8)
    assert seg["a-F"].extra["rank"] is None


def test_override_needs_a_reason_and_keeps_both_values():
    with pytest.raises(ValidationError, match="reason"):
        from renewal_coach.core.records import validated

        validated(account("A", 500, segment_override=Segment.DRAIN))
    accounts = [
        account("A", 500, segment_override=Segment.MAINTAIN, segment_override_reason="Exit"),
        account("B", 100),
    ]
    seg = segment_portfolio(accounts, TODAY)["a-A"]
    assert seg.band == "maintain"
    assert seg.extra["calculated"] == "treasure"
    assert seg.extra["override_reason"] == "Exit"


def test_missing_revenue_is_unrated_with_lower_confidence():
    seg = segment_portfolio([account("A", None, direct_cost_12m_minor=None)], TODAY)["a-A"]
    assert seg.band == "unrated"
    assert "revenue (12 months)" in seg.missing
    assert seg.confidence < 1


def test_cost_to_serve_quadrants_split_at_the_medians():
    # margins: A 50%, B 50%, C 10%, D 10%; cts: A 5%, B 30%, C 5%, D 30%
    rows = [
        ("A", 500, 50),
        ("B", 500, 300),
        ("C", 900, 50),
        ("D", 900, 300),
    ]
    accounts = [
        account(n, 1000, direct_cost_12m_minor=dc, support_cost_minor=cts) for n, dc, cts in rows
    ]
    seg = segment_portfolio(accounts, TODAY)
    quad = {k[2:]: v.extra["quadrant"] for k, v in seg.items()}
    assert quad == {"A": "protect", "B": "earn_its_keep", "C": "build", "D": "danger"}


@given(st.lists(st.integers(-10_000, 1_000_000), min_size=1, max_size=40))
def test_segments_partition_the_portfolio(values):
    accounts = [account(f"n{i}", v) for i, v in enumerate(values)]
    seg = segment_portfolio(accounts, TODAY)
    assert set(seg) == {a.id for a in accounts}
    for a in accounts:
        band = seg[a.id].band
        assert band in {s.value for s in Segment}
        assert (band == "drain") == (a.revenue_12m_minor <= 0)
    treasure = [a.revenue_12m_minor for a in accounts if seg[a.id].band == "treasure"]
    if any(v > 0 for v in values):
        assert treasure, "the biggest positive contributor is always Treasure"


# ---- 4 campaign timeline --------------------------------------------------------------------


def test_full_term_milestones_count_back_from_the_decision_date():
    camp = campaign(contract(), "develop", TODAY)
    due = {(x.code, x.occurrence): x.due for x in camp.milestones}
    assert camp.anchor == date(2026, 10, 1)  # decision before end date
    assert due[("M0", 0)] == date(2024, 1, 1)
    assert due[("M3", 0)] == date(2025, 4, 1)  # 18 months before
    assert due[("M4", 0)] == date(2025, 7, 1)
    assert due[("M5", 0)] == date(2025, 10, 1)
    assert due[("M6", 0)] == date(2026, 1, 1)
    assert due[("M7", 0)] == date(2026, 4, 1)
    assert due[("M8", 0)] == date(2026, 7, 1)  # no market approach: anchor − 3 months
    assert due[("M9", 0)] == date(2026, 10, 1)
    assert due[("M10", 0)] == date(2027, 1, 2)
    # Value reviews every 6 months before the anchor: Jul 24, Jan 25, Jul 25, Jan 26, Jul 26.
    assert [d for (c, _), d in due.items() if c == "M1"] == [
        date(2024, 7, 1),
        date(2025, 1, 1),
        date(2025, 7, 1),
        date(2026, 1, 1),
        date(2026, 7, 1),
    ]
    # On 1 June 2026: past M7 (1 April), before M8 (1 July) → Ready phase.
    assert camp.phase == "ready"


def test_procurement_and_decision_fall_on_their_own_dates_after_an_early_anchor():
    # The market approach (1 Sep 2026) sets the anchor a month before it (1 Aug); the tender
    # runs until the customer decides on 1 Nov 2026. M3-M7 count back from the anchor, M8 sits
    # on the market approach and M9 on the decision (DOMAIN.md section 4).
    c = contract(market_approach_date=date(2026, 9, 1), decision_date=date(2026, 11, 1))
    due = {(x.code, x.occurrence): x.due for x in campaign(c, "develop", TODAY).milestones}
    assert campaign(c, "develop", TODAY).anchor == date(2026, 8, 1)
    assert due[("M7", 0)] == date(2026, 2, 1)
    assert due[("M8", 0)] == date(2026, 9, 1)
    assert due[("M9", 0)] == date(2026, 11, 1)
    # Mid-tender (1 Oct 2026): past the anchor, yet procurement, not decided, and M9 not late.
    during = campaign(c, "develop", date(2026, 10, 1))
    assert during.phase == "procurement"
    assert {x.code: x.status for x in during.milestones}["M9"] != "overdue"
    assert campaign(c, "develop", date(2026, 11, 2)).phase == "decided"
    # Without a decision date M9 falls on the anchor, but never before M8.
    no_decision = contract(market_approach_date=date(2026, 9, 1), decision_date=None)
    due = {
        (x.code, x.occurrence): x.due for x in campaign(no_decision, "develop", TODAY).milestones
    }
    assert due[("M9", 0)] == due[("M8", 0)] == date(2026, 9, 1)


def test_treasure_reviews_are_quarterly_and_anchor_takes_market_approach():
    c = contract(market_approach_date=date(2026, 8, 15))
    camp = campaign(c, "treasure", TODAY)
    # market approach − 1 month = 15 July 2026, earlier than the decision (1 October)
    assert camp.anchor == date(2026, 7, 15)
    assert camp.anchor_basis == "market approach − 1 month"
    reviews = [x.due for x in camp.milestones if x.code == "M1"]
    # every 3 months from 1 Jan 2024 while before 15 Jul 2026: Apr 24 … Jul 26 = 10 reviews
    assert len(reviews) == 10
    assert reviews[-1] == date(2026, 7, 1)


def test_short_terms_shrink_offsets_but_kickoff_stays_nine_months_out():
    # 18-month term: scale s = 18/36 = 0.5
    c = contract(start_date=date(2025, 1, 1), end_date=date(2026, 7, 1), decision_date=None)
    camp = campaign(c, "develop", date(2025, 2, 1))
    due = {x.code: x.due for x in camp.milestones if x.occurrence == 0}
    assert due["M3"] == date(2025, 10, 1)  # max(9, 18 × 0.5) = 9 months before 1 Jul 2026
    # M4: 15 × 0.5 = 7.5 months = round(7.5 × 30.436875) = 228 days before the anchor
    assert due["M4"] == date(2026, 7, 1) - timedelta(days=228)
    assert due["M7"] == date(2026, 4, 1)  # 6 × 0.5 = 3 whole months


def test_very_short_term_never_puts_a_milestone_before_the_start():
    c = contract(start_date=date(2026, 1, 1), end_date=date(2026, 7, 1), decision_date=None)
    camp = campaign(c, "develop", TODAY)
    assert min(x.due for x in camp.milestones) == date(2026, 1, 1)


def test_notice_and_option_milestones_come_60_days_before():
    c = contract(notice_period_days=90, extension_months=12, extension_exercise_by=date(2026, 9, 1))
    due = {x.code: x.due for x in campaign(c, "develop", TODAY).milestones}
    # notice deadline = 1 Jan 2027 − 90 days = 3 Oct 2026; − 60 days = 4 Aug 2026
    assert due["N"] == date(2026, 8, 4)
    assert due["X"] == date(2026, 7, 3)  # 1 Sep 2026 − 60 days


def test_milestone_status_done_overdue_due_upcoming():
    done = [m.Milestone(id="x", contract_id="c1", code="M3", done_on=date(2025, 4, 2))]
    camp = campaign(contract(), "develop", date(2026, 6, 10), done)
    status = {(x.code, x.occurrence): x.status for x in camp.milestones}
    assert status[("M3", 0)] == "done"
    assert status[("M4", 0)] == "overdue"
    assert status[("M8", 0)] == "due"  # 1 July is within 30 days of 10 June
    assert status[("M9", 0)] == "upcoming"
    nxt = camp.next_milestone()
    assert nxt is not None and nxt.status == "overdue"
    # due so far: M0, M1×4 (Jul 24 … Jan 26), M2, M3, M4, M5, M6, M7 = 11; one done → 10 overdue
    assert camp.due_so_far == 11
    assert camp.overdue_count == 10


def test_closed_contracts_have_nothing_overdue():
    camp = campaign(contract(status=ContractStatus.RENEWED), "develop", TODAY)
    assert camp.phase == "closed"
    assert camp.overdue_count == 0
    assert all(x.status == "closed" for x in camp.milestones)


# A contract signed three years before TODAY (1 Jun 2026) and entered in the app two months ago.
# Four-year term, no decision or market date: anchor = end date = 31 May 2027, offsets unscaled.
#   M0 1 Jun 23 · M1 1 Dec 23, 1 Jun 24, 1 Dec 24, 1 Jun 25, 1 Dec 25, 1 Jun 26, 1 Dec 26
#   M2 31 May 25 (730 of 1,460 days) · M3 30 Nov 25 · M4 28 Feb 26 · M5 31 May 26
#   M6 31 Aug 26 · M7 30 Nov 26 · M8 28 Feb 27 · M9 31 May 27 · M10 1 Jun 27
_OLD = dict(start_date=date(2023, 6, 1), end_date=date(2027, 5, 31), decision_date=None)
_TWO_MONTHS_AGO = date(2026, 4, 1)


def _statuses(camp) -> dict[tuple[str, int], str]:
    return {(x.code, x.occurrence): x.status for x in camp.milestones}


def test_milestones_due_before_tracking_began_are_neither_done_nor_overdue():
    camp = campaign(contract(**_OLD, tracked_since=_TWO_MONTHS_AGO), "develop", TODAY)
    status = _statuses(camp)
    # in date order: M0, reviews of Dec 23, Jun 24, Dec 24, M2, review Jun 25, M3, review Dec 25, M4
    before = ["M0", "M1", "M1", "M1", "M2", "M1", "M3", "M1", "M4"]
    assert [x.code for x in camp.milestones if x.status == "before_tracking"] == before
    assert [x.occurrence for x in camp.before_tracking if x.code == "M1"] == [0, 1, 2, 3, 4]
    assert status[("M5", 0)] == "overdue"  # 31 May 2026: after tracking began, before today
    assert status[("M1", 5)] == "due"  # 1 Jun 2026 is today
    assert status[("M6", 0)] == "upcoming"
    # Lateness counts only M5: one due so far, one overdue.
    assert (camp.due_so_far, camp.overdue_count) == (1, 1)
    assert [x.code for x in camp.overdue] == ["M5"]
    nxt = camp.next_milestone()
    assert nxt is not None and (nxt.code, nxt.status) == ("M5", "overdue")


def test_next_milestone_passes_over_what_came_before_tracking():
    done = [m.Milestone(id="x", contract_id="c1", code="M5", done_on=date(2026, 5, 20))]
    camp = campaign(contract(**_OLD, tracked_since=_TWO_MONTHS_AGO), "develop", TODAY, done)
    assert (camp.due_so_far, camp.overdue_count) == (1, 0)
    nxt = camp.next_milestone()
    assert nxt is not None and (nxt.code, nxt.occurrence, nxt.status) == ("M1", 5, "due")


def test_a_milestone_from_before_tracking_can_still_be_marked_done():
    done = [
        m.Milestone(id="x", contract_id="c1", code="M3", done_on=date(2025, 12, 5)),
        m.Milestone(id="y", contract_id="c1", code="M1", occurrence=4, done_on=date(2025, 12, 9)),
    ]
    camp = campaign(contract(**_OLD, tracked_since=_TWO_MONTHS_AGO), "develop", TODAY, done)
    status = _statuses(camp)
    assert status[("M3", 0)] == "done"
    assert status[("M1", 4)] == "done"
    assert status[("M4", 0)] == "before_tracking"
    # The two done count as due and done, like any done milestone; M5 is still the one late.
    assert (camp.due_so_far, camp.overdue_count) == (3, 1)


def test_tracked_since_set_earlier_brings_the_old_milestones_back_as_overdue():
    done = [m.Milestone(id="x", contract_id="c1", code="M3", done_on=date(2025, 12, 5))]
    # Tracked since 1 Jan 2025: M0 and the reviews of Dec 23, Jun 24 and Dec 24 stay before.
    camp = campaign(contract(**_OLD, tracked_since=date(2025, 1, 1)), "develop", TODAY, done)
    assert len(camp.before_tracking) == 4
    # Due since: M1 Jun 25 and Dec 25, M2, M3 (done), M4, M5 = 6, five of them overdue.
    assert (camp.due_so_far, camp.overdue_count) == (6, 5)
    # Tracked since the first day: everything past and not done is overdue, as without a date.
    for tracked in (date(2023, 6, 1), date(2020, 1, 1), None):
        camp = campaign(contract(**_OLD, tracked_since=tracked), "develop", TODAY, done)
        assert camp.before_tracking == ()
        # M0, five reviews, M2, M3, M4, M5 = 10 due; M3 done → 9 overdue
        assert (camp.due_so_far, camp.overdue_count) == (10, 9)
        assert camp.overdue[0].code == "M0"


def test_lateness_factor_leaves_out_what_came_before_tracking():
    data = _risk_case()
    c = dataclasses.replace(data.contracts[0], **_OLD)
    late = renewal_risk(data, c, campaign(c, "develop", TODAY), "develop", TODAY)
    c2 = dataclasses.replace(c, tracked_since=_TWO_MONTHS_AGO)
    done = [m.Milestone(id="x", contract_id=c.id, code="M5", done_on=date(2026, 5, 20))]
    kept = renewal_risk(data, c2, campaign(c2, "develop", TODAY, done), "develop", TODAY)
    f_late = {x.key: x.normalised for x in late.factors}
    f_kept = {x.key: x.normalised for x in kept.factors}
    assert f_late["lateness"] == pytest.approx(1.0)  # 10 of 10 due are overdue
    assert f_kept["lateness"] == pytest.approx(0.0)  # the one due since tracking is done
    assert kept.score < late.score


def test_a_closed_contract_stays_closed_whatever_its_tracking_date():
    c = contract(**_OLD, tracked_since=_TWO_MONTHS_AGO, status=ContractStatus.RENEWED)
    camp = campaign(c, "develop", TODAY)
    assert {x.status for x in camp.milestones} == {"closed"}
    assert (camp.due_so_far, camp.overdue_count) == (0, 0)


# ---- 3.3 renewal risk -----------------------------------------------------------------------


def _risk_case() -> AccountData:
    people = [
        person(
            "eb",
            buying_role=BuyingRole.ECONOMIC_BUYER,
            influence=Influence.HIGH,
            attitude=Attitude.SUPPORTER,
        ),
        person("u", influence=Influence.MEDIUM, attitude=Attitude.SCEPTIC),
        person("l", influence=Influence.LOW, attitude=Attitude.CHAMPION),
    ]
    return AccountData(
        account=account(),
        contracts=[
            contract(
                kpis_total=10,
                kpis_met=8,
                price_gap_pct=Decimal("5"),
                procurement_route=ProcurementRoute.OPEN_TENDER,
            )
        ],
        stakeholders=people,
        interactions=[touch(10, InteractionType.MEETING, who=["eb"])],
        goals=[
            m.CustomerGoal(
                id="g1",
                account_id="a-Acme",
                statement="Cut energy",
                priority=1,
                confirmed_by_id="eb",
                confirmed_on=date(2026, 1, 1),
                our_response="LED programme",
            ),
            m.CustomerGoal(
                id="g2",
                account_id="a-Acme",
                statement="Fewer outages",
                priority=2,
                confirmed_by_id="eb",
                confirmed_on=date(2026, 1, 1),
            ),
        ],
        evidence=[
            m.ValueEvidence(
                id="e1",
                account_id="a-Acme",
                description="Saved 10%",
                validated_by_id="eb",
                validated_on=date(2026, 2, 1),
            )
        ],
        changes=[
            m.ChangeEvent(
                id="ch1",
                account_id="a-Acme",
                kind=ChangeKind.COMPETITOR_ENGAGED,
                occurred_on=date(2026, 3, 1),
            )
        ],
        improvements=[
            m.Improvement(
                id="im1",
                account_id="a-Acme",
                title="New rota",
                status=ImprovementStatus.DELIVERED,
                proposed_on=date(2025, 12, 1),
                delivered_on=date(2026, 2, 1),
            )
        ],
    )


def test_risk_hand_computed_example():
    data = _risk_case()
    c = data.contracts[0]
    camp = campaign(c, "develop", TODAY)
    r = renewal_risk(data, c, camp, "develop", TODAY)
    f = {x.key: x.normalised for x in r.factors}
    # lateness: every milestone due so far is overdue (none recorded) → 1.0
    assert f["lateness"] == pytest.approx(1.0)
    assert f["delivery"] == pytest.approx(0.2)  # 1 − 8/10
    # coverage: key people = eb (high, 3) and u (medium, 2); only eb talked to: 1 − 3/5
    assert f["coverage"] == pytest.approx(0.4)
    # opposition: (3×0.25 + 2×0.75 + 1×0) / 6 = 2.25/6
    assert f["opposition"] == pytest.approx(0.375)
    assert f["evidence"] == pytest.approx(0.5)  # 1 − 1/2 (not Treasure: target 2)
    assert f["future"] == pytest.approx(0.5)  # 1 of 2 confirmed goals answered
    assert f["change"] == pytest.approx(1 / 3)  # 1 event / 3
    assert f["market"] == pytest.approx(1.0)  # open tender 0.8 + competitor 0.2
    assert f["complacency"] == pytest.approx(0.25)  # delivered, not acknowledged
    assert f["commercial"] == pytest.approx(0.25)  # 5% / 20%
    expected = 100 * (
        0.10 * 1
        + 0.15 * 0.2
        + 0.12 * 0.4
        + 0.12 * 0.375
        + 0.10 * 0.5
        + 0.10 * 0.5
        + 0.08 / 3
        + 0.10 * 1.0
        + 0.08 * 0.25
        + 0.05 * 0.25
    )  # = 48.17
    assert r.score == pytest.approx(expected)
    assert r.band == "elevated"
    assert r.confidence == 1.0
    assert [x.key for x in r.top_factors()] == ["lateness", "market", "evidence"]
    assert sum(x.contribution for x in r.factors) == pytest.approx(r.score)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "low"),
        (24.99, "low"),
        (25, "guarded"),
        (44.99, "guarded"),
        (45, "elevated"),
        (64.99, "elevated"),
        (65, "high"),
        (100, "high"),
    ],
)
def test_risk_band_edges(score, band):
    assert risk_band(score) == band


def test_missing_inputs_count_half_and_lower_confidence():
    data = AccountData(account=account(), contracts=[contract()])
    c = data.contracts[0]
    r = renewal_risk(data, c, campaign(c, "develop", TODAY), "develop", TODAY)
    missing = {x.key for x in r.factors if not x.known}
    # no KPI results, no attitudes, unknown route, no price test
    assert missing == {"delivery", "opposition", "market", "commercial"}
    assert r.confidence == pytest.approx(0.6)
    assert {x.key: x.normalised for x in r.factors}["commercial"] == 0.5


def test_hard_floor_holds_band_at_elevated_near_the_anchor():
    good = _risk_case()
    # Make everything rosy, then remove the economic buyer.
    c = contract(
        kpis_total=10,
        kpis_met=10,
        price_gap_pct=Decimal("-5"),
        procurement_route=ProcurementRoute.OPTION_TO_EXTEND,
        decision_date=None,
        end_date=date(2026, 12, 1),
        start_date=date(2025, 12, 1),
    )
    done = [
        m.Milestone(id=f"d{k}", contract_id="c1", code=k, done_on=date(2026, 1, 1))
        for k in ("M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7")
    ]
    good.contracts = [c]
    good.milestones = done
    good.stakeholders = [person("u", influence=Influence.LOW, attitude=Attitude.CHAMPION)]
    good.interactions = [touch(5, who=["u"])]
    camp = campaign(c, "develop", TODAY, done)
    r = renewal_risk(good, c, camp, "develop", TODAY)
    assert r.score < 45
    assert r.band == "elevated"
    assert r.extra["floored"] is True
    assert "buyer_unknown" in {f.code for f in r.flags}
    # The same account 13 months before the anchor has no floor.
    early = TODAY - timedelta(days=400)
    camp2 = campaign(c, "develop", early, done)
    assert renewal_risk(good, c, camp2, "develop", early).flags == ()


def test_visible_serious_concern_and_unanswered_tender_mandate_are_floors():
    data = _risk_case()
    data.concerns = [
        m.Concern(
            id="k",
            account_id="a-Acme",
            description="Outage",
            severity=1,
            opened_on=date(2026, 5, 25),
            visible_to_customer=True,
        )
    ]
    data.changes.append(
        m.ChangeEvent(
            id="t",
            account_id="a-Acme",
            kind=ChangeKind.TENDER_MANDATED,
            occurred_on=date(2026, 4, 1),
        )
    )
    c = data.contracts[0]
    r = renewal_risk(data, c, campaign(c, "develop", TODAY), "develop", TODAY)
    assert {"serious_concern", "unanswered_change"} <= {f.code for f in r.flags}


@given(st.sets(st.sampled_from(["M0", "M2", "M3", "M4", "M5", "M6", "M7"])), st.data())
@hsettings(max_examples=40, deadline=None)
def test_more_overdue_milestones_never_lower_risk(done_codes, data_strategy):
    data = _risk_case()
    c = data.contracts[0]
    done = [
        m.Milestone(id=k, contract_id="c1", code=k, done_on=date(2025, 1, 1)) for k in done_codes
    ]
    fewer_done = done[: data_strategy.draw(st.integers(0, len(done)))]
    a = renewal_risk(data, c, campaign(c, "develop", TODAY, done), "develop", TODAY)
    b = renewal_risk(data, c, campaign(c, "develop", TODAY, fewer_done), "develop", TODAY)
    assert b.score >= a.score - 1e-9


# ---- 3.2 engagement balance -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("balance", "customer_led", "band"),
    [
        (0.0, False, "neglect"),
        (0.4999, False, "neglect"),
        (0.5, False, "proportionate"),
        (1.5, False, "proportionate"),
        (1.5001, False, "intense"),
        (2.5, False, "intense"),
        (2.5001, False, "obsessive"),
        (9.0, True, "intense"),
    ],
)
def test_engagement_band_edges(balance, customer_led, band):
    assert band_for(balance, customer_led) == band


def _far_contract():
    return contract(start_date=date(2025, 1, 1), end_date=date(2030, 1, 1), decision_date=None)


def test_engagement_hand_computed_example():
    data = AccountData(
        account=account(),
        contracts=[_far_contract()],
        interactions=[
            touch(10, InteractionType.EXECUTIVE_REVIEW),  # 3
            touch(20, InteractionType.MEETING),  # 2
            touch(30, InteractionType.MEETING),  # 2
            touch(40, InteractionType.EMAIL),  # 0.5
            touch(95, InteractionType.WORKSHOP),  # outside the 90-day window
        ],
    )
    r = engagement(data, "develop", TODAY)
    # points 7.5 → I = 7.5 / 3 = 2.5 a month; Develop far from renewal T = 3 → B = 0.8333
    assert r.extra["points"] == pytest.approx(7.5)
    assert r.score == pytest.approx(2.5 / 3)
    assert r.band == "proportionate"
    # the explanation is the same sum, written so a person can redo it by hand
    rows = {f.key: (f.count, f.weight, f.contribution) for f in r.factors}
    assert rows == {"executive_review": (1, 3, 3), "meeting": (2, 2, 4), "email": (1, 0.5, 0.5)}
    assert sum(c * w for c, w, _ in rows.values()) == pytest.approx(r.extra["points"])
    said = dict(r.details)
    assert said["Intensity"] == "7.5 ÷ 3 months = 2.50 points a month"
    assert said["Target"].startswith("3.00 points a month: Develop segment target 3, outside")
    assert said["Balance"].startswith("2.50 ÷ 3.00 = 0.83 → Proportionate (0.5 to 1.5)")


def test_renewal_run_up_multiplies_target_and_cadence_replaces_it():
    near = AccountData(account=account(), contracts=[contract()])  # anchor Oct 2026
    assert engagement(near, "develop", TODAY).extra["target"] == pytest.approx(4.5)  # 3 × 1.5
    asked = AccountData(account=account(contact_cadence_days=15), contracts=[contract()])
    # one contact every 15 days = 30.436875 / 15 = 2.029 points a month
    assert engagement(asked, "develop", TODAY).extra["target"] == pytest.approx(30.436875 / 15)
    # and the Why says which target applied and why
    run_up = dict(engagement(near, "develop", TODAY).details)["Target"]
    assert "Develop segment target 3 × 1.5 for the renewal run-up of" in run_up
    assert "18 months before its anchor" in run_up and run_up.endswith("= 4.50")
    rhythm = dict(engagement(asked, "develop", TODAY).details)["Target"]
    assert "their stated rhythm: one contact every 15 days" in rhythm
    assert "= 2.03 a month" in rhythm


def test_customer_led_contact_is_capped_at_intense():
    many = [
        touch(d, InteractionType.EXECUTIVE_REVIEW, initiated_by=Party.CUSTOMER)
        for d in range(1, 80, 8)
    ]  # 10 × 3 = 30 points → I = 10, B = 10/3 = 3.3
    data = AccountData(account=account(), contracts=[_far_contract()], interactions=many)
    assert engagement(data, "develop", TODAY).band == "intense"
    ours = [touch(d, InteractionType.EXECUTIVE_REVIEW) for d in range(1, 80, 8)]
    data.interactions = ours
    assert engagement(data, "develop", TODAY).band == "obsessive"


@given(
    st.lists(st.sampled_from(list(InteractionType)), max_size=25),
    st.lists(st.sampled_from(list(InteractionType)), min_size=1, max_size=25),
    st.sampled_from([s.value for s in Segment]),
)
@hsettings(max_examples=60, deadline=None)
def test_customer_contact_never_makes_the_band_obsessive(ours, theirs, segment):
    base = [touch(1 + i * 3, k) for i, k in enumerate(ours)]
    data = AccountData(account=account(), contracts=[_far_contract()], interactions=base)
    before = engagement(data, segment, TODAY).band
    data.interactions = base + [
        touch(2 + i * 3, k, initiated_by=Party.CUSTOMER) for i, k in enumerate(theirs)
    ]
    after = engagement(data, segment, TODAY)
    if before != "obsessive":
        assert after.band != "obsessive"
    assert after.score >= 0


def test_noise_flag_over_40_percent_without_value():
    rows = [touch(d, brought_value=d > 40) for d in (10, 20, 30, 50, 60)]  # 3 of 5 = 60%
    data = AccountData(account=account(), contracts=[_far_contract()], interactions=rows)
    assert "noise" in {f.code for f in engagement(data, "develop", TODAY).flags}
    rows = [touch(d, brought_value=d > 20) for d in (10, 30, 50, 60, 70)]  # 1 of 5 = 20%
    data.interactions = rows
    assert "noise" not in {f.code for f in engagement(data, "develop", TODAY).flags}


def test_survey_fatigue_and_intrusive_and_single_thread():
    p = person("p", contact_cadence_days=45)
    q = person("q", no_surveys=True)
    rows = [
        touch(100, InteractionType.FEEDBACK_REQUEST, who=["p"]),
        touch(20, InteractionType.FEEDBACK_REQUEST, who=["p"]),  # second in 180 days
        touch(30, who=["p"]),
        touch(40, who=["p"]),  # p: 3 of our contacts in 90 days; asked for 90/45 = 2
        touch(50, InteractionType.FEEDBACK_REQUEST, who=["q"]),  # q said no surveys
    ]
    data = AccountData(
        account=account(), contracts=[_far_contract()], stakeholders=[p, q], interactions=rows
    )
    flags = {f.code: f.reason for f in engagement(data, "develop", TODAY).flags}
    assert "survey_fatigue" in flags
    assert "intrusive" in flags and "no surveys" in flags["intrusive"]
    # p is in 3 of 4 named contacts in 90 days = 75% > 70%
    assert "single_thread" in flags


def test_fear_concession_and_pitch_heavy_and_probity():
    rows = [
        touch(10, InteractionType.SALES_PITCH),
        touch(20, InteractionType.SALES_PITCH),
        touch(30, concession_offered=True),  # not asked for
        touch(40, InteractionType.CALL, concession_offered=True, concession_requested=True),
    ]
    tender = contract(
        public_sector=True,
        procurement_route=ProcurementRoute.OPEN_TENDER,
        market_approach_date=date(2026, 5, 1),
        decision_date=date(2026, 9, 1),
    )
    data = AccountData(account=account(), contracts=[tender], interactions=rows)
    flags = {f.code for f in engagement(data, "develop", TODAY).flags}
    assert {"fear_concession", "pitch_heavy", "probity"} <= flags  # 2 of 4 pitches = 50%
    data.interactions = [touch(10, InteractionType.TENDER_CLARIFICATION)]
    assert "probity" not in {f.code for f in engagement(data, "develop", TODAY).flags}


# ---- the whole portfolio and settings -----------------------------------------------------


def test_effort_share_against_value_share():
    a = AccountData(account=account("A", 900), interactions=[touch(5, InteractionType.CALL)])
    b = AccountData(
        account=account("B", 100),
        interactions=[touch(5, InteractionType.WORKSHOP) for _ in range(4)],
    )
    scored = score_portfolio([a, b], TODAY)
    # effort: A 1 point, B 8 points → 1/9 and 8/9; value 0.9 and 0.1
    assert scored["a-A"].effort_share == pytest.approx(1 / 9)
    assert scored["a-B"].effort_ratio == pytest.approx((8 / 9) / 0.1)
    assert serving_label(scored["a-B"]) == "over-serving"
    assert serving_label(scored["a-A"]) == "neglect alert"  # Treasure at 0.12 < 0.5


def test_settings_round_trip_and_version_recorded():
    calibrated = DEFAULT_SETTINGS.calibrated(risk_high_from=70)
    assert calibrated.version == 2
    again = ScoreSettings.from_json(calibrated.to_json())
    assert again == calibrated
    data = _risk_case()
    seg = segment_portfolio([data.account], TODAY, again)[data.id]
    assert score_account(data, seg, TODAY, again).risk.settings_version == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not readable"),
        ('{"schema": 99}', "newer"),
        ('{"treasure_share": 0.99, "develop_share": 0.5}', "Treasure share"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(text, message):
    with pytest.raises(ValidationError, match=message):
        ScoreSettings.from_json(text)


@given(
    st.integers(0, 40),
    st.integers(0, 40),
    st.sampled_from(list(Attitude)),
    st.sampled_from(list(ProcurementRoute)),
    st.one_of(st.none(), st.integers(-100, 500)),
)
@hsettings(max_examples=60, deadline=None)
def test_scores_stay_in_range(n_ours, n_theirs, attitude, route, gap):
    data = _risk_case()
    data.stakeholders[1] = person("u", influence=Influence.MEDIUM, attitude=attitude)
    data.contracts = [
        contract(procurement_route=route, price_gap_pct=None if gap is None else Decimal(gap))
    ]
    data.interactions = [touch(1 + i % 89) for i in range(n_ours)] + [
        touch(1 + i % 89, initiated_by=Party.CUSTOMER) for i in range(n_theirs)
    ]
    seg = segment_portfolio([data.account], TODAY)[data.id]
    s = score_account(data, seg, TODAY)
    assert 0 <= s.risk.score <= 100
    assert 0 <= s.risk.confidence <= 1
    assert all(0 <= f.normalised <= 1 for f in s.risk.factors)
    assert s.engagement.score >= 0


# ---- speed without changing a result ---------------------------------------------------------


def test_a_deferred_result_reads_exactly_like_an_eager_one():
    from renewal_coach.core.scoring.result import FactorRow, Flag, ScoreResult

    factor = FactorRow("k", "Key", "2 of 3", 0.5, 0.25, 12.5, known=False)
    parts = ((factor,), ("Key",), (("Score", "12.5"),), ("Do it",))
    calls = []

    def explain(*args):
        calls.append(args)
        return parts

    flags = (Flag("f", "Flag", "why"),)
    eager = ScoreResult("risk", 12.5, "low", "Low", *parts[:2], 0.9, 3, flags, *parts[2:], {"x": 1})
    lazy = ScoreResult.deferred(
        "risk",
        12.5,
        "low",
        "Low",
        explain,
        (1, 2),
        confidence=0.9,
        settings_version=3,
        flags=flags,
        extra={"x": 1},
    )
    assert lazy.band == "low" and lazy.extra == {"x": 1}
    assert calls == []  # nothing explained until asked
    assert lazy == eager
    assert repr(lazy) == repr(eager)
    assert lazy.to_json() == eager.to_json()
    assert lazy.top_factors() == (factor,)
    assert calls == [(1, 2)]  # explained once, then kept
    with pytest.raises(AttributeError):
        _ = lazy.no_such_thing


def test_scores_explain_themselves_on_first_read_and_agree_with_to_json():
    data = _risk_case()
    seg = segment_portfolio([data.account], TODAY)[data.id]
    s = score_account(data, seg, TODAY)
    for result in (s.segment, s.engagement, s.risk):
        as_json = result.to_json()
        assert [f["key"] for f in as_json["factors"]] == [f.key for f in result.factors]
        assert as_json["advice"] == list(result.advice)
        assert as_json["missing"] == list(result.missing)
    # the risk contributions add up to the score, factor by factor
    assert sum(f.contribution for f in s.risk.factors) == s.risk.score


@given(
    start=st.dates(date(2018, 1, 1), date(2027, 12, 31)),
    months=st.integers(1, 84),
    extra_days=st.integers(0, 30),
    today_offset=st.integers(-400, 3000),
    segment=st.sampled_from(["treasure", "develop", "drain"]),
    status=st.sampled_from([ContractStatus.ACTIVE, ContractStatus.RENEWED]),
    decision=st.one_of(st.none(), st.integers(0, 400)),
    market=st.one_of(st.none(), st.integers(30, 500)),
    notice=st.one_of(st.none(), st.integers(1, 200)),
    tracked=st.one_of(st.none(), st.integers(-100, 3000)),
    done_picks=st.sets(st.integers(0, 60), max_size=12),
)
@hsettings(max_examples=150, deadline=None)
def test_campaign_counts_agree_with_its_milestone_list(
    start,
    months,
    extra_days,
    today_offset,
    segment,
    status,
    decision,
    market,
    notice,
    tracked,
    done_picks,
):
    from renewal_coach.core.dates import add_months

    end = add_months(start, months) + timedelta(days=extra_days)
    c = contract(
        start_date=start,
        end_date=end,
        decision_date=None if decision is None else end - timedelta(days=decision),
        market_approach_date=None if market is None else end - timedelta(days=market),
        notice_period_days=notice,
        status=status,
        tracked_since=None if tracked is None else start + timedelta(days=tracked),
    )
    today = start + timedelta(days=today_offset)
    plan = campaign(c, segment, today).milestones
    done = [
        m.Milestone(
            id=f"d{i}", contract_id="c1", code=x.code, occurrence=x.occurrence, done_on=x.due
        )
        for i, x in enumerate(plan)
        if i in done_picks
    ]
    camp = campaign(c, segment, today, done)
    ms = camp.milestones
    assert [x.status == "done" for x in ms] == [i in done_picks for i in range(len(ms))]
    assert list(ms) == sorted(
        ms, key=lambda x: (x.due, list(MILESTONES).index(x.code), x.occurrence)
    )
    interval = 3 if segment == "treasure" else 6
    reviews = [x for x in ms if x.code == "M1"]
    expected = [add_months(start, interval * k) for k in range(1, 200)]
    assert [x.due for x in reviews] == [d for d in expected if d < camp.anchor]
    if camp.closed:
        assert (camp.due_so_far, camp.overdue_count, camp.phase) == (0, 0, "closed")
        assert {x.status for x in ms if x.status != "done"} <= {"closed"}
    else:
        counted = [x for x in ms if x.due < today and x.status != "before_tracking"]
        assert camp.due_so_far == len(counted)
        assert camp.overdue_count == sum(1 for x in ms if x.status == "overdue")
        since = c.tracked_since
        for x in ms:
            assert (x.status == "before_tracking") == (
                x.status != "done" and since is not None and x.due < min(since, today)
            )


def test_people_facts_read_the_same_from_contacts_given_or_found():
    from renewal_coach.core.scoring.risk import people_facts

    data = _risk_case()
    data.interactions += [touch(200, who=["u"]), touch(5, InteractionType.EMAIL, who=["l"])]
    found = people_facts(data, TODAY)
    since = TODAY - timedelta(days=DEFAULT_SETTINGS.coverage_window_days)
    window = [r for r in data.interactions if since < r.occurred_on <= TODAY]
    given_ = people_facts(data, TODAY, contacts=window)
    for name in ("coverage", "opposition", "opposition_known", "buyer_seen", "words"):
        assert getattr(found, name) == getattr(given_, name)
    assert found.rows == given_.rows


def test_portfolio_scores_in_steps_are_the_same_scores():
    from renewal_coach.core.scoring.portfolio import run_steps, score_portfolio_steps

    datas = [_risk_case()]
    other = _risk_case()
    other.account = account("Other", 400)
    datas.append(other)
    whole = score_portfolio(datas, TODAY)
    steps = score_portfolio_steps(datas, TODAY, chunk=1)
    seen = []
    while True:
        try:
            seen.append(next(steps))
        except StopIteration as stop:
            stepped = stop.value
            break
    assert len(seen) > 2 and seen == sorted(seen) and seen[-1] == 1.0  # ranking, then 1 by 1
    assert {k: v.to_json() for k, v in stepped.items()} == {
        k: v.to_json() for k, v in whole.items()
    }
    assert run_steps(score_portfolio_steps(datas, TODAY)).keys() == whole.keys()


def test_settings_of_schema_1_read_the_fourth_segment_as_maintain():
    from renewal_coach.core.settings import ScoreSettings

    data = json.loads(ScoreSettings().to_json())
    data["schema"] = 1
    targets = data["segment_targets"]
    targets["proportionate"] = targets.pop("maintain") * 2
    upgraded = ScoreSettings.from_json(json.dumps(data))
    assert upgraded.segment_targets["maintain"] == 3.0
    assert "proportionate" not in upgraded.segment_targets
    # Current settings keep the new key as it is.
    assert json.loads(upgraded.to_json())["segment_targets"]["maintain"] == 3.0


def test_the_fourth_segment_is_maintain_and_its_former_name_is_still_understood():
    assert Segment.MAINTAIN.value == "maintain"
    assert Segment.MAINTAIN.label == "Maintain"
    assert Segment.parse("Proportionate") is Segment.MAINTAIN
    assert Segment.parse("maintain") is Segment.MAINTAIN
    assert "proportionate" not in {s.value for s in Segment}


def test_readings_write_dates_as_the_screens_do_and_count_in_words():
    # Seen on the account page: "anchor 2027-0…" in the engagement Why and "0 of the top 1
    # confirmed goals have our response" in the risk table.
    near = AccountData(account=account(), contracts=[contract()])
    target = dict(engagement(near, "develop", TODAY).details)["Target"]
    assert "anchor 1 Oct 2026 until the decision" in target
    data = _risk_case()
    c = data.contracts[0]
    r = renewal_risk(data, c, campaign(c, "develop", TODAY), "develop", TODAY)
    said = dict(r.details)
    assert said["Anchor date"].startswith(show_day(campaign(c, "develop", TODAY).anchor) + " (")
    assert "-" not in said["Anchor date"].split(" (")[0]  # not ISO
    reading = {x.key: x.input for x in r.factors}["future"]
    assert reading == "1 of the top 2 confirmed goals have our response"
    one = dataclasses.replace(data, goals=[g for g in data.goals if g.confirmed][:1])
    r1 = renewal_risk(one, c, campaign(c, "develop", TODAY), "develop", TODAY)
    assert {x.key: x.input for x in r1.factors}["future"].endswith(
        "of the top confirmed goal has our response"
    )


def test_show_day_is_the_screens_form():
    assert show_day(date(2028, 1, 7)) == "7 Jan 2028"
    assert show_day(date(2026, 12, 31)) == "31 Dec 2026"
