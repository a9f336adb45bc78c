"""Hard limits on numbers: whatever a person (or a file) types, the result is small or refused.

Every numeric and money field either gets a value with a bounded number of digits and no huge
exponent, or a ValidationError whose message quotes at most the first 60 characters of the input.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewal_coach.core import models as m
from renewal_coach.core.dates import parse_date
from renewal_coach.core.enums import Segment
from renewal_coach.core.errors import ValidationError
from renewal_coach.core.money import parse_money
from renewal_coach.core.numbers import MAX_NUMBER_CHARS, bounded_decimal
from renewal_coach.core.records import fields_of, validated
from renewal_coach.core.text import QUOTE_LIMIT, quote
from renewal_coach.storage.repository import Store

# Longest message a problem may carry: the label, the quoted value, and a sentence of advice.
MESSAGE_LIMIT = QUOTE_LIMIT + 160

_BASE: dict[type, dict[str, Any]] = {
    m.Account: {"name": "Fenwick Health Trust"},
    m.Contract: {
        "account_id": "a",
        "title": "Estates",
        "reference": "FHT-1",
        "start_date": date(2024, 4, 1),
        "end_date": date(2027, 3, 31),
    },
    m.Interaction: {"account_id": "a", "occurred_on": date(2026, 1, 5), "purpose": "Review"},
}

#: Every numeric field of the three entities people type most into: (entity, field, kind).
NUMERIC_FIELDS = [
    (cls, fi.name, fi.kind)
    for cls in _BASE
    for fi in fields_of(cls)
    if fi.kind in ("int", "money", "decimal")
]

_exponent_text = st.builds(
    lambda mantissa, exponent, marker: f"{mantissa}{marker}{exponent}",
    st.sampled_from(["1", "0", "-1", "9.99", "0.000", "12.5", "-0", "1_0"]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from(["E", "e", "e+", "E-"]),
)
_hostile = st.one_of(
    st.text(max_size=120),
    st.from_regex(r"\A *[-+]?[0-9,]{0,60}(\.[0-9]{0,60})?([eE][-+]?[0-9]{1,22})?[kKmM]? *\Z"),
    _exponent_text,
    st.integers(min_value=-(10**60), max_value=10**60),
    st.integers(min_value=10**5000, max_value=10**5000 + 10).map(lambda n: n * 7),
    st.floats(),
    st.decimals(),
    st.decimals(places=None).map(str),
)


def _validate(cls: type, name: str, value: Any) -> Any:
    return validated(cls(**{**_BASE[cls], name: value}))


def _assert_bounded(value: Any, kind: str) -> None:
    if value is None:
        return
    if kind == "decimal":
        assert isinstance(value, Decimal)
        assert len(format(value, "f")) <= MAX_NUMBER_CHARS
    else:
        assert isinstance(value, int) and not isinstance(value, bool)
        assert abs(value) <= 10**15


@settings(max_examples=300, deadline=None)
@given(value=_hostile, which=st.sampled_from(NUMERIC_FIELDS))
def test_any_input_to_a_numeric_field_is_bounded_or_refused_briefly(
    value: Any, which: tuple[type, str, str]
) -> None:
    cls, name, kind = which
    try:
        record = _validate(cls, name, value)
    except ValidationError as err:
        for problem in err.problems:
            assert len(problem.message) <= MESSAGE_LIMIT, problem.message
        return
    _assert_bounded(getattr(record, name), kind)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=_hostile)
def test_what_is_stored_from_hostile_hours_is_small(store: Store, value: Any) -> None:
    if not store.accounts.count():
        store.accounts.add(m.Account(name="Fenwick Health Trust"))
    account = store.accounts.all()[0]
    fields = {**_BASE[m.Interaction], "account_id": account.id, "effort_hours": value}
    try:
        saved = store.interactions.add(m.Interaction(**fields))
    except ValidationError as err:
        assert len(err.message) <= MESSAGE_LIMIT
        return
    row = store.db.execute(
        "SELECT length(effort_hours) FROM interactions WHERE id = ?", [saved.id]
    ).fetchone()
    assert row[0] is None or row[0] <= MAX_NUMBER_CHARS
    assert store.interactions.get(saved.id).effort_hours == saved.effort_hours


@pytest.mark.parametrize(
    "hostile",
    ["1e-999999999999999999", "1E-100000000", "1E+100000000", "9" * 100_000],
    ids=["tiny", "small", "big", "long"],
)
def test_the_numbers_that_used_to_exhaust_memory_are_refused_by_name(
    store: Store, hostile: str
) -> None:
    account = store.accounts.add(m.Account(name="Fenwick Health Trust"))
    fields = {**_BASE[m.Interaction], "account_id": account.id, "effort_hours": hostile}
    with pytest.raises(ValidationError) as err:
        store.interactions.add(m.Interaction(**fields))
    assert err.value.field == "effort_hours"
    assert err.value.message.startswith("Our effort (hours) ")
    assert len(err.value.message) <= MESSAGE_LIMIT
    assert store.interactions.count() == 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12.5", Decimal("12.5")),
        ("12.50", Decimal("12.50")),
        ("1,250", Decimal("1250")),
        ("2.500000000", Decimal("2.5")),
        ("1E+3", Decimal("1000")),
        ("0E-999999999", Decimal(0)),
        (7, Decimal(7)),
        (0.25, Decimal("0.25")),
    ],
)
def test_ordinary_numbers_keep_their_value_and_print_plainly(typed: Any, expected: Decimal) -> None:
    value = bounded_decimal(typed)
    assert value == expected
    assert "E" not in str(value)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1.1234567", "has more than 6 decimal places"),
        ("123456789012345678901", "has too many digits"),
        ("1E+16", "is far too large"),
        ("x" * 41, "is too long for a number"),
    ],
)
def test_numbers_beyond_the_limits_say_which_limit(typed: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        bounded_decimal(typed)


@pytest.mark.parametrize(
    ("typed", "minor"),
    [("1,250,000", 125_000_000), ("£1.2m", 120_000_000), ("450k", 45_000_000), ("0.10", 10)],
)
def test_money_still_reads_what_people_type(typed: str, minor: int) -> None:
    assert parse_money(typed, "GBP") == minor


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1E+999999999", "implausibly large"),
        ("1E-999999999999999999", "more than 2 decimal places for GBP"),
        ("1.0000000000000000000000000000001k", "too many digits"),
        ("1.5", "more than 0 decimal places for JPY"),
        (10**100_000, "implausibly large"),
        ("1" * 200, "too long for an amount"),
    ],
    ids=["exp-big", "exp-tiny", "digits", "yen", "huge-int", "long"],
)
def test_money_beyond_the_limits_is_refused_without_arithmetic_on_it(
    typed: Any, problem: str
) -> None:
    currency = "JPY" if typed == "1.5" else "GBP"
    with pytest.raises(ValueError, match=problem) as err:
        parse_money(typed, currency)
    assert len(str(err.value)) <= MESSAGE_LIMIT


def test_a_negative_money_field_has_a_floor_too() -> None:
    with pytest.raises(ValidationError, match="must be at least -1,000,000,000,000"):
        _validate(m.Account, "forecast_contribution_minor", -(10**40))
    assert _validate(
        m.Account, "forecast_contribution_minor", "-5k"
    ).forecast_contribution_minor == (-500_000)


LONG = "Z" * 5000


@pytest.mark.parametrize(
    "check",
    [
        lambda: parse_date(LONG),
        lambda: Segment.parse(LONG),
        lambda: parse_money(LONG[:30] + "q"),
        lambda: bounded_decimal(LONG[:40]),
        lambda: _validate(m.Account, "currency", LONG[:150]),
        lambda: _validate(m.Account, "reference_site", LONG),
        lambda: _validate(m.Contract, "notice_period_days", LONG[:40]),
    ],
)
def test_messages_quote_at_most_the_first_60_characters(check: Any) -> None:
    with pytest.raises((ValueError, ValidationError)) as err:
        check()
    quoted = str(err.value).split("'")[1]
    assert quoted.startswith("ZZZ")
    assert len(quoted) <= QUOTE_LIMIT


def test_quote_keeps_short_values_and_cuts_long_ones_to_one_line() -> None:
    assert quote(10**100_000) == "a number with thousands of digits"
    assert quote("12 weeks") == "12 weeks"
    assert quote("a\nb\tc") == "a b c"
    cut = quote("x" * 1_000_000)
    assert len(cut) == QUOTE_LIMIT and cut.endswith("…")


@pytest.mark.parametrize("number", ["1e999", "-1e999", "NaN", "12345678901234", "1e300"])
@pytest.mark.parametrize("key", ["unrated_months", "treasure_share", "version"])
def test_stored_score_settings_with_hostile_numbers_are_reported_not_crashed_on(
    key: str, number: str
) -> None:
    from renewal_coach.core.settings import ScoreSettings

    with pytest.raises(ValidationError, match=f"'{key}' is not a usable number"):
        ScoreSettings.from_json(f'{{"{key}": {number}}}')


def test_hostile_numbers_inside_a_settings_map_are_reported_too() -> None:
    from dataclasses import asdict

    from renewal_coach.core.settings import DEFAULT_SETTINGS, ScoreSettings

    name = next(k for k, v in asdict(DEFAULT_SETTINGS).items() if isinstance(v, dict))
    inner = next(iter(getattr(DEFAULT_SETTINGS, name)))
    with pytest.raises(ValidationError, match="not a usable number"):
        ScoreSettings.from_json(f'{{"{name}": {{"{inner}": 1e999}}}}')


@pytest.mark.parametrize(
    "answer", ["x" * 5000, 10**10000, list(range(5000))], ids=["text", "int", "list"]
)
def test_assessment_answers_quote_a_rejected_value_briefly(answer: object) -> None:
    from renewal_coach.core.scoring.assessments import MATURITY_BY_KEY, score_maturity

    key = next(iter(MATURITY_BY_KEY))
    with pytest.raises(ValueError, match=f"Maturity answer for '{key}' must be a level") as err:
        score_maturity({key: answer})  # type: ignore[dict-item]
    assert len(str(err.value)) <= MESSAGE_LIMIT
