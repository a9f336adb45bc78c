"""Money parsing and formatting, text cleaning, date parsing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_coach.core.dates import add_months, parse_date
from renewal_coach.core.money import format_money, money_str, parse_money
from renewal_coach.core.text import clean_line, clean_text


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("1250000", 125000000),
        ("1,250,000.50", 125000050),
        ("£1.2m", 120000000),
        ("450k", 45000000),
        ("GBP 99.99", 9999),
        ("1 000", 100000),
        ("0", 0),
    ],
)
def test_parse_money(text: str, minor: int) -> None:
    assert parse_money(text, "GBP") == minor


def test_yen_has_no_minor_units() -> None:
    assert parse_money("1500", "JPY") == 1500
    with pytest.raises(ValueError, match="decimal places"):
        parse_money("1500.5", "JPY")


@pytest.mark.parametrize("bad", ["", "abc", "-5", "1e400", "NaN", "2000000000000"])
def test_bad_money_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_money(bad)


def test_format_money() -> None:
    assert format_money(125000000, "GBP") == "£1,250,000"
    assert format_money(125000050, "GBP") == "£1,250,000.50"
    assert format_money(125000000, "GBP", compact=True) == "£1.25m"
    assert format_money(-4500000, "EUR", compact=True) == "-€45k"
    assert format_money(None) == "—"
    assert money_str(125000050, "GBP") == "1250000.50"
    assert money_str(1500, "JPY") == "1500"


@given(st.integers(min_value=0, max_value=10**14))
def test_money_round_trips_through_its_exact_string(minor: int) -> None:
    assert parse_money(money_str(minor, "GBP") or "", "GBP") == minor


def test_clean_line_and_text() -> None:
    assert clean_line(" a\tb\nc\x00d ") == "a b c d"
    assert clean_text("keep\nlines\x0b\x1f and\ttabs ") == "keep\nlines and\ttabs"
    assert clean_line("مرحبا 👋") == "مرحبا 👋"


@given(st.text())
def test_cleaned_text_holds_no_xml_incompatible_characters(text: str) -> None:
    for cleaned in (clean_line(text), clean_text(text)):
        assert not any(
            (ord(c) < 32 and c not in "\t\n") or 0xD800 <= ord(c) <= 0xDFFF for c in cleaned
        )


def test_parse_date() -> None:
    assert parse_date("2027-02-28") == date(2027, 2, 28)
    for bad in ("2027-02-29", "28/02/2027", "2027-2-28", "1800-01-01"):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 3, 31), -18) == date(2025, 9, 30)


def test_plural_chooses_one_or_many_and_writes_the_number() -> None:
    from renewal_coach.core.text import plural

    assert plural(1, "{n} item", "{n} items") == "1 item"
    assert plural(0, "{n} item", "{n} items") == "0 items"
    assert plural(12000, "{n} row", "{n} rows") == "12,000 rows"
    assert plural(3, "{n} row", "{n} rows", number=lambda n: f"<{n}>") == "<3> rows"
