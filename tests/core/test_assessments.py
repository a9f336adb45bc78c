"""Maturity, posture and readiness scores (DOMAIN.md 3.4), checked against hand arithmetic."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_coach.core.questionnaires import (
    MATURITY,
    MATURITY_KEYS,
    POSTURE,
    POSTURE_KEYS,
    READINESS,
    READINESS_KEYS,
)
from renewal_coach.core.scoring.assessments import (
    score_maturity,
    score_posture,
    score_readiness,
)
from renewal_coach.core.settings import DEFAULT_SETTINGS

# Maturity keys in questionnaire order:
# customer_knowledge, measurement, data, management_model, complaints, lifecycle_focus,
# success_metrics
MK = MATURITY_KEYS


def levels(*values: int) -> dict[str, int]:
    return dict(zip(MK, values, strict=True))


# ---- questionnaire content --------------------------------------------------------------------


def test_maturity_content_has_seven_dimensions_with_four_levels_and_advice() -> None:
    assert MK == (
        "customer_knowledge",
        "measurement",
        "data",
        "management_model",
        "complaints",
        "lifecycle_focus",
        "success_metrics",
    )
    for dim in MATURITY:
        assert dim.label and dim.question.endswith("?") and dim.advice
        assert len(dim.levels) == 4 and all(text.strip() for text in dim.levels)
        assert len(set(dim.levels)) == 4


def test_posture_content_has_both_kinds_and_four_options() -> None:
    assert len(POSTURE) >= 7
    assert len(set(POSTURE_KEYS)) == len(POSTURE_KEYS)
    kinds = [item.kind for item in POSTURE]
    assert kinds.count("fear") >= 3 and kinds.count("complacency") >= 3
    assert set(kinds) == {"fear", "complacency"}
    for item in POSTURE:
        assert len(item.options) == 4 and all(o.strip() for o in item.options)


def test_readiness_content_has_the_fourteen_checks() -> None:
    assert READINESS_KEYS == (
        "decision_route_notice",
        "owner_team",
        "kpi_compiled",
        "evidence_validated",
        "stakeholder_map",
        "future_goals_asked",
        "improvements_documented",
        "price_tested",
        "scope_shaped",
        "competitors_known",
        "concerns_in_hand",
        "next_term_plan",
        "probity_plan",
        "walk_away_set",
    )
    assert [i.key for i in READINESS if i.allows_na] == ["probity_plan"]
    assert all(i.question.endswith("?") and i.action for i in READINESS)


# ---- maturity ---------------------------------------------------------------------------------


def test_maturity_worked_example_six_at_three_one_at_two() -> None:
    # levels [3,3,3,3,3,3,2]: index = (6×3 + 2) / 7 = 20/7 ≈ 2.857
    # stage: k=3 → 6 of 7 reach 3 (≥ 6) ✓; k=4 → 0 of 7 ✗ → stage 3
    # limiting = level < stage + 1 = 4 → all seven; the one at 2 comes first (lowest level)
    result = score_maturity(levels(3, 3, 3, 3, 3, 3, 2))
    assert result.kind == "maturity"
    assert result.score == pytest.approx(20 / 7)
    assert result.extra["index"] == pytest.approx(20 / 7)
    assert result.extra["stage"] == 3
    assert result.band == "stage_3"
    assert result.band_label == "Stage 3 – Focus"
    assert result.extra["limiting"][0] == "success_metrics"
    assert set(result.extra["limiting"]) == set(MK)
    assert result.advice[0] == MATURITY[-1].advice
    assert result.confidence == 1.0
    assert result.missing == ()
    assert result.settings_version == DEFAULT_SETTINGS.version


def test_maturity_limiting_are_only_those_below_the_next_stage() -> None:
    # levels [4,4,4,4,4,3,2]: index = (5×4 + 3 + 2) / 7 = 25/7
    # k=4 → 5 of 7 reach 4 ✗; k=3 → 6 of 7 reach 3 ✓ → stage 3
    # limiting = level < 4 → lifecycle_focus (3) and success_metrics (2), lowest first
    result = score_maturity(levels(4, 4, 4, 4, 4, 3, 2))
    assert result.score == pytest.approx(25 / 7)
    assert result.extra["stage"] == 3
    assert result.extra["limiting"] == ("success_metrics", "lifecycle_focus")
    assert result.advice == (MATURITY[6].advice, MATURITY[5].advice)


@pytest.mark.parametrize(
    ("values", "stage"),
    [
        # exactly 6 of 7 reach 2 → stage 2
        ((2, 2, 2, 2, 2, 2, 1), 2),
        # only 5 of 7 reach 2 → falls back to stage 1 (all 7 reach 1)
        ((2, 2, 2, 2, 2, 1, 1), 1),
        # exactly 6 of 7 reach 4 → stage 4, however low the seventh
        ((4, 4, 4, 4, 4, 4, 1), 4),
        # 5 of 7 reach 4 but 6 reach 3 (4,4,4,4,4,3) → stage 3
        ((4, 4, 4, 4, 4, 3, 1), 3),
        # all at 1 → stage 1
        ((1, 1, 1, 1, 1, 1, 1), 1),
    ],
)
def test_maturity_stage_boundaries(values: tuple[int, ...], stage: int) -> None:
    result = score_maturity(levels(*values))
    assert result.extra["stage"] == stage
    assert result.band == f"stage_{stage}"


def test_maturity_stage_four_has_no_limiting_dimensions() -> None:
    # [4,4,4,4,4,4,1]: index = 25/7, stage 4 → nothing limits
    result = score_maturity(levels(4, 4, 4, 4, 4, 4, 1))
    assert result.band_label == "Stage 4 – Customer-led"
    assert result.score == pytest.approx(25 / 7)
    assert result.extra["limiting"] == ()
    assert result.advice == ()


def test_maturity_missing_dimensions_are_excluded_and_lower_confidence() -> None:
    # six answered at 4, success_metrics missing: index = 24/6 = 4.0
    # k=4 → 6 of 7 reach 4 (the missing one does not) → stage 4; confidence 6/7
    answers = levels(4, 4, 4, 4, 4, 4, 1)
    del answers["success_metrics"]
    result = score_maturity(answers)
    assert result.score == 4.0
    assert result.extra["stage"] == 4
    assert result.missing == ("Success metrics",)
    assert result.confidence == pytest.approx(6 / 7)
    row = result.factors[-1]
    assert row.key == "success_metrics" and row.known is False and row.normalised == 0.5


def test_maturity_with_five_answers_has_no_stage() -> None:
    # five answered at 4: index 4.0, but only 5 of 7 reach any k → stage 0 → not_yet
    answers = dict(levels(4, 4, 4, 4, 4, 4, 4))
    answers["lifecycle_focus"] = None  # type: ignore[assignment]
    del answers["success_metrics"]
    result = score_maturity(answers)
    assert result.score == 4.0
    assert result.extra["stage"] == 0
    assert result.band == "not_yet"
    assert result.missing == ("Lifecycle focus", "Success metrics")
    assert result.confidence == pytest.approx(5 / 7)
    assert result.extra["limiting"] == ()
    assert "Lifecycle focus" in result.advice[0]


def test_maturity_with_nothing_answered() -> None:
    result = score_maturity({})
    assert result.score == 0.0
    assert result.band == "not_yet"
    assert result.confidence == 0.0
    assert len(result.missing) == 7


def test_maturity_factor_rows() -> None:
    # level 3 → normalised (3-1)/3 = 2/3, weight 1/7, contribution 2/21
    # level 1 → normalised 0, contribution 0; level 4 → 1 and 1/7
    result = score_maturity(levels(3, 1, 4, 2, 2, 2, 2))
    first, second, third = result.factors[:3]
    assert first.input == "Level 3 – Focus"
    assert first.normalised == pytest.approx(2 / 3)
    assert first.weight == pytest.approx(1 / 7)
    assert first.contribution == pytest.approx(2 / 21)
    assert second.normalised == 0.0 and second.contribution == 0.0
    assert third.input == "Level 4 – Customer-led"
    assert third.contribution == pytest.approx(1 / 7)
    json.dumps(result.to_json())


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"vision": 3}, "Unknown maturity key: vision"),
        ({"data": 0}, "'data' must be a level from 1 to 4, not 0"),
        ({"data": 5}, "'data' must be a level from 1 to 4, not 5"),
        ({"data": True}, "not True"),
        ({"data": 2.0}, "not 2.0"),
        ({"data": "3"}, "not '3'"),
    ],
)
def test_maturity_rejects_bad_input(answers: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score_maturity(answers)  # type: ignore[arg-type]


# ---- posture ----------------------------------------------------------------------------------

FEAR = [i.key for i in POSTURE if i.kind == "fear"]
COMPLACENCY = [i.key for i in POSTURE if i.kind == "complacency"]


def posture(fear: list[int], complacency: list[int]) -> dict[str, int]:
    return dict(zip(FEAR, fear, strict=True)) | dict(zip(COMPLACENCY, complacency, strict=True))


def test_posture_items_split_four_and_four() -> None:
    # the examples below are written for 4 fear and 4 complacency items
    assert len(FEAR) == 4 and len(COMPLACENCY) == 4


def test_posture_conviction() -> None:
    # fear = 0/12 = 0, complacency = (1+0+0+0)/12 = 1/12 → both < 0.5 → conviction
    result = score_posture(posture([0, 0, 0, 0], [1, 0, 0, 0]))
    assert result.kind == "posture"
    assert result.band == "conviction"
    assert result.band_label == "Conviction"
    assert result.extra["fear"] == 0.0
    assert result.extra["complacency"] == pytest.approx(1 / 12)
    # score = round(100 × max(0, 1/12), 1) = round(8.333, 1) = 8.3
    assert result.score == 8.3
    assert result.confidence == 1.0
    assert 2 <= len(result.advice) <= 3


def test_posture_fearful_exactly_on_the_boundary() -> None:
    # fear = (1+2+2+1) / (3×4) = 6/12 = 0.5 → reaches 0.5 → fearful
    # complacency = 4/12 = 1/3 < 0.5
    result = score_posture(posture([1, 2, 2, 1], [1, 1, 1, 1]))
    assert result.extra["fear"] == 0.5
    assert result.band == "fearful"
    assert result.score == 50.0


def test_posture_just_below_the_boundary_is_conviction() -> None:
    # fear = (1+2+1+1)/12 = 5/12 ≈ 0.417 < 0.5; complacency = 5/12 too → conviction
    result = score_posture(posture([1, 2, 1, 1], [2, 1, 1, 1]))
    assert result.band == "conviction"
    assert result.score == 41.7


def test_posture_complacent() -> None:
    # fear = 3/12 = 0.25; complacency = 12/12 = 1.0 → complacent, score 100
    result = score_posture(posture([0, 1, 1, 1], [3, 3, 3, 3]))
    assert result.band == "complacent"
    assert result.extra == {"fear": 0.25, "complacency": 1.0}
    assert result.score == 100.0


def test_posture_mixed_with_complacency_exactly_half() -> None:
    # fear = 8/12 = 2/3; complacency = (2+1+2+1)/12 = 0.5 → both ≥ 0.5 → mixed
    # score = round(100 × 2/3, 1) = 66.7
    result = score_posture(posture([2, 2, 2, 2], [2, 1, 2, 1]))
    assert result.band == "mixed"
    assert result.extra["complacency"] == 0.5
    assert result.score == 66.7


def test_posture_factor_rows() -> None:
    # answer 3 on a fear item → normalised 3/3 = 1, weight 1/4, contribution 1/4
    result = score_posture(posture([3, 0, 0, 0], [0, 0, 0, 0]))
    row = next(f for f in result.factors if f.key == FEAR[0])
    assert row.normalised == 1.0 and row.weight == 0.25 and row.contribution == 0.25
    assert row.input == POSTURE[[i.key for i in POSTURE].index(FEAR[0])].options[3]
    # fear reading = sum of fear contributions when every fear item is answered
    assert sum(f.contribution for f in result.factors if f.key in FEAR) == result.extra["fear"]


def test_posture_unanswered_kind_counts_as_half() -> None:
    # only complacency answered, all 0 → complacency 0; fear unknown → 0.5 → fearful
    # confidence = 4 answered / 8 items = 0.5
    result = score_posture(dict(zip(COMPLACENCY, [0, 0, 0, 0], strict=True)))
    assert result.extra["fear"] == 0.5
    assert result.band == "fearful"
    assert result.confidence == 0.5
    assert any("fear" in m for m in result.missing)
    assert sum(1 for f in result.factors if not f.known) == 4


def test_posture_partly_answered_kind_uses_answered_items_only() -> None:
    # fear: one answer of 3 → 3/3 = 1.0; complacency: [0, 0] → 0 → fearful
    result = score_posture({FEAR[0]: 3, COMPLACENCY[0]: 0, COMPLACENCY[1]: 0})
    assert result.extra == {"fear": 1.0, "complacency": 0.0}
    assert result.band == "fearful"
    assert result.confidence == 3 / 8


def test_posture_nothing_answered_is_unknown() -> None:
    result = score_posture({})
    assert result.band == "unknown"
    assert result.confidence == 0.0
    assert result.score == 50.0


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"loyalty": 1}, "Unknown posture key: loyalty"),
        ({"price_tested": 4}, "'price_tested' must be an option score from 0 to 3, not 4"),
        ({"price_tested": -1}, "not -1"),
        ({"price_tested": False}, "not False"),
    ],
)
def test_posture_rejects_bad_input(answers: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score_posture(answers)  # type: ignore[arg-type]


# ---- readiness --------------------------------------------------------------------------------

RK = READINESS_KEYS


def readiness(*values: str) -> dict[str, str]:
    return dict(zip(RK, values, strict=True))


def test_readiness_all_yes() -> None:
    result = score_readiness(readiness(*["yes"] * 14), phase="procurement")
    assert result.kind == "readiness"
    assert result.score == 100.0
    assert result.band == "on_track"
    assert result.extra == {"expected": 90.0, "phase": "procurement"}
    assert result.advice == ()
    assert result.confidence == 1.0


def test_readiness_exactly_on_the_ready_expectation_is_on_track() -> None:
    # 10 yes + 1 partial + 3 no = 10 + 0.5 = 10.5 of 14 → 100 × 10.5 / 14 = 75.0 = expected
    answers = readiness(*["yes"] * 10, "partial", "no", "no", "no")
    result = score_readiness(answers, phase="ready")
    assert result.score == 75.0
    assert result.band == "on_track"
    assert result.band_label == "On track: 75 against 75 expected in the Ready phase"
    # contributions add up to the score: 10 × 100/14 + 0.5 × 100/14 = 75
    assert sum(f.contribution for f in result.factors) == pytest.approx(75.0)


def test_readiness_just_below_the_ready_expectation_is_behind() -> None:
    # 10 yes + 4 no = 10 of 14 → 100 × 10/14 = 71.43 < 75 → behind (shown rounded down: 71.4)
    answers = readiness(*["yes"] * 10, "no", "no", "no", "no")
    result = score_readiness(answers, phase="ready")
    assert result.score == pytest.approx(1000 / 14)
    assert result.band == "behind"
    assert result.band_label == "Behind: 71.4 against 75 expected in the Ready phase"
    # advice: first three not-done items in order (concerns, next-term plan, probity plan)
    assert result.advice == tuple(READINESS[i].action for i in (10, 11, 12))


def test_readiness_advice_includes_partial_and_stops_at_three() -> None:
    answers = readiness("partial", "yes", "no", "yes", "partial", "no", *["yes"] * 8)
    result = score_readiness(answers)
    assert result.advice == tuple(READINESS[i].action for i in (0, 2, 4))


def test_readiness_probity_not_applicable_leaves_the_denominator() -> None:
    # 13 yes + probity n/a → 13 / 13 → 100
    answers = readiness(*["yes"] * 14)
    answers["probity_plan"] = "n/a"
    result = score_readiness(answers, phase="procurement")
    assert result.score == 100.0
    assert result.confidence == 1.0
    row = next(f for f in result.factors if f.key == "probity_plan")
    assert row.weight == 0.0 and row.contribution == 0.0


def test_readiness_private_sector_ignores_the_probity_answer() -> None:
    # public_sector=False: probity is n/a whatever was answered ("no" here)
    # 12 yes + 1 partial over 13 checks = 12.5 / 13 → 100 × 12.5 / 13 ≈ 96.15 ≥ 90 → on track
    answers = readiness(*["yes"] * 11, "partial", "no", "yes")
    result = score_readiness(answers, phase="procurement", public_sector=False)
    assert result.score == pytest.approx(1250 / 13)
    assert result.band == "on_track"
    assert result.band_label == "On track: 96.1 against 90 expected in the formal procurement phase"
    assert READINESS[12].action not in result.advice
    # the same answers in the public sector: 12.5 / 14 ≈ 89.29 < 90 → behind
    public = score_readiness(answers, phase="procurement", public_sector=True)
    assert public.score == pytest.approx(1250 / 14)
    assert public.band == "behind"


def test_readiness_unanswered_counts_zero_and_is_missing() -> None:
    # 7 yes, rest unanswered: 7 / 14 = 50 ≥ 40 (Shape) → on track; confidence 7/14
    answers = dict(zip(RK[:7], ["yes"] * 7, strict=True))
    result = score_readiness(answers, phase="shape")
    assert result.score == 50.0
    assert result.band == "on_track"
    assert result.confidence == 0.5
    assert len(result.missing) == 7
    assert result.missing[0] == READINESS[7].label


def test_readiness_phase_expectation_uses_settings_and_version() -> None:
    settings = DEFAULT_SETTINGS.calibrated(
        readiness_expected={"shape": 50.0, "ready": 75.0, "procurement": 90.0}
    )
    # 7 yes / 14 = 50 = the calibrated Shape expectation → on track, version 2
    result = score_readiness(readiness(*["yes"] * 7, *["no"] * 7), phase="shape", settings=settings)
    assert result.band == "on_track"
    assert result.extra["expected"] == 50.0
    assert result.settings_version == 2
    # 6.5 / 14 ≈ 46.4 < 50 → behind
    behind = score_readiness(
        readiness(*["yes"] * 6, "partial", *["no"] * 7), phase="shape", settings=settings
    )
    assert behind.band == "behind"


@pytest.mark.parametrize("phase", [None, "delivery", "Ready"])
def test_readiness_without_a_known_phase_has_no_expectation(phase: str | None) -> None:
    result = score_readiness(readiness(*["no"] * 14), phase=phase)
    assert result.score == 0.0
    assert result.band == "on_track"
    assert result.extra == {"expected": None, "phase": phase}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"budget": "yes"}, "Unknown readiness key: budget"),
        ({"owner_team": "n/a"}, "'owner_team' cannot be n/a: only probity_plan"),
        ({"owner_team": "maybe"}, "must be one of yes, partial, no, n/a, not 'maybe'"),
        ({"owner_team": 1}, "not 1"),
    ],
)
def test_readiness_rejects_bad_input(answers: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score_readiness(answers)  # type: ignore[arg-type]


# ---- properties -------------------------------------------------------------------------------


def _subset_answers(keys: tuple[str, ...], values: st.SearchStrategy) -> st.SearchStrategy:
    return st.dictionaries(st.sampled_from(keys), values)


@given(_subset_answers(MK, st.integers(1, 4)))
def test_maturity_stays_in_range(answers: dict[str, int]) -> None:
    result = score_maturity(answers)
    assert 0 <= result.extra["stage"] <= 4
    if answers:
        assert 1 <= result.score <= 4
        assert min(answers.values()) <= result.score <= max(answers.values())
    assert 0 <= result.confidence <= 1
    assert all(0 <= f.normalised <= 1 for f in result.factors)
    for key in result.extra["limiting"]:
        assert answers[key] <= result.extra["stage"]


@given(_subset_answers(POSTURE_KEYS, st.integers(0, 3)))
def test_posture_stays_in_range(answers: dict[str, int]) -> None:
    result = score_posture(answers)
    assert 0 <= result.score <= 100
    assert 0 <= result.extra["fear"] <= 1 and 0 <= result.extra["complacency"] <= 1
    assert result.band in {"conviction", "fearful", "complacent", "mixed", "unknown"}
    assert result.confidence == Fraction(len(answers), len(POSTURE_KEYS))


@given(
    _subset_answers(RK, st.sampled_from(["yes", "partial", "no"])),
    st.booleans(),
    st.sampled_from([None, "shape", "ready", "procurement"]),
)
def test_readiness_stays_in_range(answers: dict[str, str], public: bool, phase: str | None) -> None:
    result = score_readiness(answers, phase=phase, public_sector=public)
    assert 0 <= result.score <= 100
    assert 0 <= result.confidence <= 1
    assert sum(f.contribution for f in result.factors) == pytest.approx(result.score)
    assert len(result.advice) <= 3
    assert result.band in {"on_track", "behind"}
    expected = result.extra["expected"]
    assert (result.band == "behind") == (expected is not None and result.score < expected - 1e-9)
