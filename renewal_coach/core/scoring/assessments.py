"""Scores for the three self-assessments of DOMAIN.md section 3.4: maturity, posture, readiness.

Pure functions over the answers a person gave (keys from :mod:`renewal_coach.core.questionnaires`).
A key left out, or given as ``None``, is unanswered. Anything else that is not a valid answer
raises ValueError with a message that names the key and what is allowed.

Arithmetic that decides a band or a stage is done on whole numbers or fractions, so a result
exactly on a threshold always lands the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from ..questionnaires import (
    LEVEL_NAMES,
    MATURITY,
    MATURITY_BY_KEY,
    POSTURE,
    POSTURE_BY_KEY,
    POSTURE_KINDS,
    READINESS,
    READINESS_ANSWER_LABELS,
    READINESS_ANSWERS,
    READINESS_BY_KEY,
    READINESS_PHASE_LABELS,
    level_label,
)
from ..settings import DEFAULT_SETTINGS, ScoreSettings
from ..text import quote
from .result import FactorRow, ScoreResult, clamp01

#: A maturity stage k needs at least this many of the seven dimensions at level k or above.
STAGE_QUORUM = 6

#: Fear or complacency at or above this share reads as that posture.
POSTURE_THRESHOLD = Fraction(1, 2)

_NOT_ANSWERED = "Not answered"


def _check_keys(answers: Mapping[str, object], known: Mapping[str, object], what: str) -> None:
    unknown = sorted(str(k) for k in answers if k not in known)
    if unknown:
        raise ValueError(
            f"Unknown {what} {'key' if len(unknown) == 1 else 'keys'}: {', '.join(unknown)}. "
            f"Known keys: {', '.join(known)}"
        )


def _whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


# ---- maturity ---------------------------------------------------------------------------------


def score_maturity(
    answers: Mapping[str, int | None], settings: ScoreSettings = DEFAULT_SETTINGS
) -> ScoreResult:
    """Maturity index (mean level, 1..4) and stage (0..4) over the seven dimensions.

    ``score`` is the index (0.0 when nothing is answered). Stage k is the highest k for which at
    least 6 of the 7 dimensions reach level k; an unanswered dimension reaches nothing, so with
    fewer than 6 answers the stage is 0 and the band ``not_yet``. Below stage 4 the answered
    dimensions below stage + 1 (level ≤ stage) are the limiting ones, lowest level first: their
    keys are in ``extra["limiting"]`` and their advice in ``advice``.
    """
    _check_keys(answers, MATURITY_BY_KEY, "maturity")
    levels: dict[str, int] = {}
    for key, value in answers.items():
        if value is None:
            continue
        if not _whole(value, 1, 4):
            raise ValueError(
                f"Maturity answer for '{quote(key)}' must be a level from 1 to 4, "
                f"not {quote(value, literal=True)}"
            )
        levels[key] = value

    total = len(MATURITY)
    weight = 1 / total
    factors: list[FactorRow] = []
    missing: list[str] = []
    for dim in MATURITY:
        level = levels.get(dim.key)
        if level is None:
            missing.append(dim.label)
            factors.append(
                FactorRow(dim.key, dim.label, _NOT_ANSWERED, 0.5, weight, 0.5 * weight, False)
            )
        else:
            normalised = (level - 1) / 3
            factors.append(
                FactorRow(
                    dim.key, dim.label, level_label(level), normalised, weight, normalised * weight
                )
            )

    answered = len(levels)
    index = sum(levels.values()) / answered if answered else 0.0
    stage = 0
    for k in range(1, 5):
        if sum(1 for level in levels.values() if level >= k) >= STAGE_QUORUM:
            stage = k

    if stage:
        band = f"stage_{stage}"
        band_label = f"Stage {stage} – {LEVEL_NAMES[stage - 1]}"
    else:
        band = "not_yet"
        band_label = f"No stage yet: answer at least {STAGE_QUORUM} of the {total} dimensions"

    limiting: tuple[str, ...] = ()
    if 0 < stage < 4:
        # the furthest behind first, ties in questionnaire order
        limiting = tuple(
            sorted(
                (d.key for d in MATURITY if d.key in levels and levels[d.key] <= stage),
                key=lambda k: levels[k],
            )
        )
    advice: tuple[str, ...] = tuple(MATURITY_BY_KEY[key].advice for key in limiting)
    if not stage and missing:
        advice = (f"Answer the remaining dimensions ({', '.join(missing)}) to see a stage.",)

    details: list[tuple[str, str]] = [
        ("Index", f"{index:.2f} of 4" if answered else _NOT_ANSWERED),
        ("Answered", f"{answered} of {total} dimensions"),
    ]
    if limiting:
        details.append(
            ("Holding back the next stage", ", ".join(MATURITY_BY_KEY[k].label for k in limiting))
        )

    return ScoreResult(
        kind="maturity",
        score=index,
        band=band,
        band_label=band_label,
        factors=tuple(factors),
        missing=tuple(missing),
        confidence=clamp01(answered / total),
        settings_version=settings.version,
        details=tuple(details),
        advice=advice,
        extra={"index": index, "stage": stage, "limiting": limiting},
    )


# ---- posture ----------------------------------------------------------------------------------

_POSTURE_LABELS = {
    "conviction": "Conviction",
    "fearful": "Fearful",
    "complacent": "Complacent",
    "mixed": "Mixed: fearful and complacent",
    "unknown": "Not answered yet",
}

_POSTURE_ADVICE: dict[str, tuple[str, ...]] = {
    "conviction": (
        "You are working from conviction: attention follows value and what the customer asked for.",
        "Keep it that way by re-asking stakeholders about their goals and contact preferences "
        "at least once a year.",
    ),
    "fearful": (
        "Fear is steering the account: discounts, extra contact and concessions are standing in "
        "for a plan.",
        "Before the next concession, ask what has changed for the customer and agree a "
        "walk-away position.",
        "Let each stakeholder tell you how often they want to hear from you, and stick to it.",
    ),
    "complacent": (
        "The renewal is being taken for granted: the past is doing the talking and the price "
        "has not been tested.",
        "Spend at least half of the next conversation on the customer's future, and bring one "
        "idea tied to their goals.",
        "Check the price against the market before the customer does.",
    ),
    "mixed": (
        "Fear and complacency are both showing: little is done early and then too much in a "
        "rush near the end.",
        "Put dated renewal milestones in the plan now so effort is steady, not panicked.",
        "Agree a walk-away position and spend the next conversation on the customer's future.",
    ),
    "unknown": (
        "Answer the posture items to see whether fear or complacency is steering the account.",
    ),
}


def score_posture(
    answers: Mapping[str, int | None], settings: ScoreSettings = DEFAULT_SETTINGS
) -> ScoreResult:
    """Fear and complacency readings (0..1) and the posture they add up to.

    Each reading is the mean of its answered items divided by 3. A reading with no answered
    items counts as the neutral 0.5 and is listed in ``missing``. Posture (the band) is
    ``mixed`` when both readings are at least 0.5, ``fearful`` or ``complacent`` when only one
    is, otherwise ``conviction``; with nothing answered at all it is ``unknown``. ``score`` is
    the larger reading on 0..100, rounded to one decimal.
    """
    _check_keys(answers, POSTURE_BY_KEY, "posture")
    scores: dict[str, int] = {}
    for key, value in answers.items():
        if value is None:
            continue
        if not _whole(value, 0, 3):
            raise ValueError(
                f"Posture answer for '{quote(key)}' must be an option score from 0 to 3, "
                f"not {quote(value, literal=True)}"
            )
        scores[key] = value

    counts = {kind: sum(1 for i in POSTURE if i.kind == kind) for kind in POSTURE_KINDS}
    factors: list[FactorRow] = []
    missing: list[str] = []
    for item in POSTURE:
        weight = 1 / counts[item.kind]
        value = scores.get(item.key)
        if value is None:
            missing.append(item.label)
            factors.append(
                FactorRow(item.key, item.label, _NOT_ANSWERED, 0.5, weight, 0.5 * weight, False)
            )
        else:
            normalised = value / 3
            factors.append(
                FactorRow(
                    item.key,
                    item.label,
                    item.options[value],
                    normalised,
                    weight,
                    normalised * weight,
                )
            )

    readings: dict[str, Fraction] = {}
    for kind in POSTURE_KINDS:
        answered = [scores[i.key] for i in POSTURE if i.kind == kind and i.key in scores]
        if answered:
            readings[kind] = Fraction(sum(answered), 3 * len(answered))
        else:
            readings[kind] = Fraction(1, 2)
            missing.append(f"All {kind} items (reading taken as 0.5)")

    fear, complacency = readings["fear"], readings["complacency"]
    if not scores:
        band = "unknown"
    elif fear >= POSTURE_THRESHOLD and complacency >= POSTURE_THRESHOLD:
        band = "mixed"
    elif fear >= POSTURE_THRESHOLD:
        band = "fearful"
    elif complacency >= POSTURE_THRESHOLD:
        band = "complacent"
    else:
        band = "conviction"

    return ScoreResult(
        kind="posture",
        score=round(100 * float(max(fear, complacency)), 1),
        band=band,
        band_label=_POSTURE_LABELS[band],
        factors=tuple(factors),
        missing=tuple(missing),
        confidence=clamp01(len(scores) / len(POSTURE)),
        settings_version=settings.version,
        details=(
            ("Fear", f"{float(fear):.2f}"),
            ("Complacency", f"{float(complacency):.2f}"),
        ),
        advice=_POSTURE_ADVICE[band],
        extra={"fear": float(fear), "complacency": float(complacency)},
    )


# ---- readiness --------------------------------------------------------------------------------

_READINESS_POINTS = {"yes": 2, "partial": 1, "no": 0}  # in half points: yes 1, partial 0.5
_READINESS_ADVICE_MAX = 3


def _tenths_down(numerator: int, denominator: int) -> str:
    """``numerator / denominator`` rounded down to one decimal, without a trailing ``.0``."""
    tenths = (10 * numerator) // denominator
    whole, rest = divmod(tenths, 10)
    return f"{whole}.{rest}" if rest else str(whole)


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def score_readiness(
    answers: Mapping[str, str | None],
    *,
    phase: str | None = None,
    public_sector: bool = True,
    settings: ScoreSettings = DEFAULT_SETTINGS,
) -> ScoreResult:
    """Readiness 0..100 over the fourteen checks, against what the campaign phase expects.

    yes = 1, partial = 0.5, no or unanswered = 0; unanswered checks are listed in ``missing``.
    ``n/a`` is accepted only for the probity plan, which is also not applicable whenever
    ``public_sector`` is False; a check that does not apply leaves the denominator.
    ``phase`` ("shape", "ready" or "procurement") picks the expected score from
    ``settings.readiness_expected``; any other phase, or None, sets no expectation. The band is
    ``behind`` below the expectation, otherwise ``on_track``; reaching it exactly is on track.
    ``advice`` turns the first three checks answered no or partial into short actions.
    """
    _check_keys(answers, READINESS_BY_KEY, "readiness")
    given: dict[str, str] = {}
    for key, value in answers.items():
        if value is None:
            continue
        item = READINESS_BY_KEY[key]
        if not isinstance(value, str) or value not in READINESS_ANSWERS:
            raise ValueError(
                f"Readiness answer for '{quote(key)}' must be one of "
                f"{', '.join(READINESS_ANSWERS)}, "
                f"not {quote(value, literal=True)}"
            )
        if value == "n/a" and not item.allows_na:
            allowed = ", ".join(i.key for i in READINESS if i.allows_na)
            raise ValueError(
                f"Readiness answer for '{quote(key)}' cannot be n/a: only {allowed} may be "
                "not applicable"
            )
        given[key] = value

    applicable = [
        i
        for i in READINESS
        if not (i.allows_na and (given.get(i.key) == "n/a" or not public_sector))
    ]
    n = len(applicable)
    weight = 1 / n
    half_points = 0
    answered = 0
    factors: list[FactorRow] = []
    missing: list[str] = []
    applicable_keys = {i.key for i in applicable}
    for item in READINESS:
        if item.key not in applicable_keys:
            reading = "Not applicable" + ("" if public_sector else " (private sector)")
            factors.append(FactorRow(item.key, item.label, reading, 0.0, 0.0, 0.0))
            continue
        value = given.get(item.key)
        if value is None:
            missing.append(item.label)
            factors.append(FactorRow(item.key, item.label, _NOT_ANSWERED, 0.0, weight, 0.0, False))
            continue
        answered += 1
        half_points += _READINESS_POINTS[value]
        normalised = _READINESS_POINTS[value] / 2
        factors.append(
            FactorRow(
                item.key,
                item.label,
                READINESS_ANSWER_LABELS[value],
                normalised,
                weight,
                100 * normalised * weight,
            )
        )

    # score = 100 × (half_points / 2) / n
    score = 100 * half_points / (2 * n)
    expected_raw = (
        settings.readiness_expected.get(phase) if phase in READINESS_PHASE_LABELS else None
    )
    expected = None if expected_raw is None else float(expected_raw)
    shown = _tenths_down(100 * half_points, 2 * n)
    if expected is None:
        band = "on_track"
        band_label = f"Readiness {shown} of 100 (no expectation for this phase)"
    else:
        phase_name = READINESS_PHASE_LABELS[phase]  # type: ignore[index]
        # score ≥ expected  ⇔  100 × half_points ≥ expected × 2n, compared without division
        on_track = Fraction(100 * half_points) >= Fraction(expected) * 2 * n
        band = "on_track" if on_track else "behind"
        band_label = (
            f"{'On track' if on_track else 'Behind'}: {shown} against {_number(expected)} "
            f"expected in the {phase_name} phase"
        )

    not_done = [i.action for i in applicable if given.get(i.key) in ("no", "partial")][
        :_READINESS_ADVICE_MAX
    ]

    details: list[tuple[str, str]] = [("Answered", f"{answered} of {n} checks that apply")]
    if expected is not None:
        details.append(("Expected in this phase", _number(expected)))

    return ScoreResult(
        kind="readiness",
        score=score,
        band=band,
        band_label=band_label,
        factors=tuple(factors),
        missing=tuple(missing),
        confidence=clamp01(answered / n),
        settings_version=settings.version,
        details=tuple(details),
        advice=tuple(not_done),
        extra={"expected": expected, "phase": phase},
    )
