"""Cell values as CRMs and spreadsheets write them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewal_coach.tables.values import (
    Evidence,
    looks_like_formula,
    parse_bool,
    parse_currency,
    parse_date,
    parse_decimal,
    parse_money,
    parse_whole,
    unneutralise,
)


@pytest.mark.parametrize(
    ("text", "mark", "amount", "currency"),
    [
        ("GBP 1,800,000.00", ".", Decimal("1800000.00"), "GBP"),
        ("1.250.000,00 €", ",", Decimal("1250000.00"), "EUR"),
        ("250k", ".", Decimal(250000), None),
        ("£1.2m", ".", Decimal("1200000.0"), "GBP"),
        ("1 250 000,50", ",", Decimal("1250000.50"), None),
        ("1\u202f250\u202f000,50 EUR", ",", Decimal("1250000.50"), "EUR"),
        ("USD 95", ".", Decimal(95), "USD"),
        ("87.500,50 €", ",", Decimal("87500.50"), "EUR"),
        (1800000, ".", Decimal(1800000), None),
        (1250.5, ",", Decimal("1250.5"), None),
    ],
)
def test_money_as_crms_write_it(text, mark, amount, currency) -> None:
    assert parse_money(text, mark) == (amount, currency)


@pytest.mark.parametrize(
    "text", ["-5", "(1,000.00)", "lots", "1e9999", "GBP", "1.2.3,4,5", "9" * 60, "NaN"]
)
def test_money_refuses_what_is_not_a_plain_amount(text) -> None:
    with pytest.raises(ValueError) as info:
        parse_money(text, ".")
    assert len(str(info.value)) < 200


def test_huge_amount_is_refused_in_words() -> None:
    with pytest.raises(ValueError, match="implausibly large"):
        parse_money("5000000000000", ".")


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_formatted_numbers_read_back_in_both_locales(whole: int, cents: int) -> None:
    uk = f"{whole:,}.{cents:02d}"
    de = uk.replace(",", "_").replace(".", ",").replace("_", ".")
    expected = Decimal(f"{whole}.{cents:02d}")
    assert parse_decimal(uk, ".") == expected
    assert parse_decimal(de, ",") == expected


@pytest.mark.parametrize(
    ("value", "order", "expected"),
    [
        ("31/03/2027", None, date(2027, 3, 31)),
        ("03/31/2027", None, date(2027, 3, 31)),
        ("04/03/2027", "dmy", date(2027, 3, 4)),
        ("04/03/2027", "mdy", date(2027, 4, 3)),
        ("04.03.2027", "mdy", date(2027, 3, 4)),  # dotted dates are day first everywhere
        ("2027-03-31", None, date(2027, 3, 31)),
        ("2027-03-31T00:00:00Z", None, date(2027, 3, 31)),
        ("2024-02-11 09:30", None, date(2024, 2, 11)),
        ("2027/03/31", None, date(2027, 3, 31)),
        ("31 Mar 2027", None, date(2027, 3, 31)),
        ("31-Mar-27", None, date(2027, 3, 31)),
        ("March 31, 2027", None, date(2027, 3, 31)),
        ("1. März 2027", None, date(2027, 3, 1)),
        ("29/02/2028", "dmy", date(2028, 2, 29)),
        (datetime(2027, 3, 31, 0, 0), None, date(2027, 3, 31)),
        (date(2027, 3, 31), None, date(2027, 3, 31)),
    ],
)
def test_dates_in_the_orders_people_write(value, order, expected) -> None:
    assert parse_date(value, order) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("04/03/2027", "day/month or month/day"),
        ("31/02/2027", "not a real calendar date"),
        ("29/02/2027", "not a real calendar date"),
        ("next Tuesday", "not a date"),
        (45000, "is a number, not a date"),
        ("01/01/2999", "outside the years"),
    ],
)
def test_dates_that_cannot_be_read_say_why(value, reason) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(value, None)


def test_evidence_decides_the_date_order_from_the_whole_file() -> None:
    evidence = Evidence()
    for value in ("04/03/2027", "05/06/2027", "2027-01-01", "13/04/2027"):
        evidence.see_date(value)
    assert evidence.date_order() == "dmy"
    us = Evidence()
    for value in ("04/03/2027", "12/31/2026"):
        us.see_date(value)
    assert us.date_order() == "mdy"


def test_evidence_says_when_it_cannot_tell_or_is_contradicted() -> None:
    unsure = Evidence()
    unsure.see_date("04/03/2027")
    unsure.see_date("01.02.2027")  # dotted: no evidence about slashed dates
    assert unsure.date_order() is None and unsure.needs_date_order
    mixed = Evidence()
    mixed.see_date("13/04/2027")
    mixed.see_date("04/13/2027")
    with pytest.raises(ValueError, match="mix two orders"):
        mixed.date_order()


def test_evidence_decides_the_decimal_mark() -> None:
    uk = Evidence()
    for value in ("1,250", "GBP 1,800,000.00"):
        uk.see_number(value)
    assert uk.decimal_mark(",") == "."
    de = Evidence()
    for value in ("1.250", "1.250.000,00 €"):
        de.see_number(value)
    assert de.decimal_mark(".") == ","
    unsure = Evidence()
    unsure.see_number("1,250")
    assert unsure.decimal_mark(",") == ","


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("90 Days", "days", 90),
        ("90", "days", 90),
        (120, "days", 120),
        ("3 months", "days", 91),
        ("2 weeks", "days", 14),
        ("36", "months", 36),
        ("3 years", "months", 36),
    ],
)
def test_whole_numbers_with_units(value, unit, expected) -> None:
    assert parse_whole(value, ".", unit=unit) == expected


def test_whole_numbers_refuse_fractions_and_words() -> None:
    for value in ("2.5", "ninety days", "1e999"):
        with pytest.raises(ValueError):
            parse_whole(value, ".", unit="days")


def test_booleans() -> None:
    for yes in ("Yes", "TRUE", "1", "x", "✓", "ja", True, 1):
        assert parse_bool(yes) is True
    for no in ("No", "false", "0", "", "nein", False, 0):
        assert parse_bool(no) is False
    with pytest.raises(ValueError, match="not yes or no"):
        parse_bool("perhaps")


def test_formulas_are_recognised_and_our_own_neutralising_is_undone() -> None:
    assert looks_like_formula("=cmd|' /C calc'!A0")
    assert looks_like_formula("@SUM(A1)")
    assert not looks_like_formula("+44 20 7946 0000")
    assert unneutralise("'=HYPERLINK(x)") == "=HYPERLINK(x)"
    assert unneutralise("'quoted'") == "'quoted'"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Pound Sterling", "GBP"),
        ("Euro", "EUR"),
        ("US Dollar", "USD"),
        ("Swiss Franc", "CHF"),
        ("Euro (EUR)", "EUR"),
        ("GBP - British Pound", "GBP"),
        ("eur", "EUR"),
        ("€", "EUR"),
    ],
)
def test_currencies_by_code_symbol_or_the_name_a_crm_shows(text, code) -> None:
    assert parse_currency(text) == code


@pytest.mark.parametrize("text", ["Dollar", "Bitcoin", "EUR or GBP", "XYZ"])
def test_currency_that_cannot_be_told_is_refused(text) -> None:
    with pytest.raises(ValueError, match="not a currency"):
        parse_currency(text)


@pytest.mark.parametrize(
    ("text", "mark", "amount", "currency"),
    [
        ("$1.2M", ".", Decimal("1200000.0"), "USD"),
        ("$1.2MM", ".", Decimal("1200000.0"), "USD"),
        ("$1.2 million", ".", Decimal("1200000.0"), "USD"),
        ("$2.5B", ".", Decimal("2500000000.0"), "USD"),
        ("€1,25 Mio.", ",", Decimal("1250000.00"), "EUR"),
        ("1,2 Mio. €", ",", Decimal("1200000.0"), "EUR"),
        ("2 Mrd", ",", Decimal(2000000000), None),
        ("12,34,567.00", ".", Decimal("1234567.00"), None),  # Indian grouping
    ],
)
def test_money_with_the_multipliers_people_write(text, mark, amount, currency) -> None:
    assert parse_money(text, mark) == (amount, currency)


@pytest.mark.parametrize(
    ("text", "mark"),
    [("£1.8m", ","), ("1,5", "."), ("GBP 1,8", "."), ("1000,000", "."), ("1.2345", ",")],
)
def test_a_separator_that_cannot_group_thousands_is_refused_not_multiplied(text, mark) -> None:
    # '£1.8m' read with ',' as the decimal mark used to give eighteen million.
    with pytest.raises(ValueError, match="does not read as a number") as info:
        parse_money(text, mark)
    assert f"'{text}'" in str(info.value)


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("2026-03-14T10:30:00Z", None),
        ("2026-03-14T10:30:00.000-05:00", None),
        ("2026-03-14 10:30:00 GMT", None),
        ("2026-03-14 10:30 UTC", None),
        ("2026-03-14 10:30:00 +01:00", None),
        ("2026-03-14 10:30 (UTC+01:00)", None),
        ("2026-03-14T10:30:00+01:00[Europe/Paris]", None),
        ("14/03/2026 10:30 GMT", "dmy"),
        ("3/14/2026 10:30 AM EDT", "mdy"),
        ("Mar 14, 2026 10:30 AM", None),
        ("Sat, 14 Mar 2026 10:30:00 +0000", None),
        ("14 March 2026 at 10:30", None),
        ("14.03.2026 um 10:30", None),
    ],
)
def test_timestamps_with_time_zones_give_the_date_as_written(text, order) -> None:
    assert parse_date(text, order) == date(2026, 3, 14)


def test_timestamps_teach_the_date_order_too() -> None:
    evidence = Evidence()
    evidence.see_date("03/04/2026 10:30 GMT")
    evidence.see_date("25/04/2026 09:00 BST")
    assert evidence.date_order() == "dmy"


def test_salesforce_multi_currency_amount_keeps_the_records_own_currency() -> None:
    text = "EUR 950.000,00 (GBP 820.000,00)"
    evidence = Evidence()
    evidence.see_number(text)
    assert evidence.decimal_mark(".") == ","
    assert parse_money(text, ",") == (Decimal("950000.00"), "EUR")
    assert parse_money("USD 1,200.00 (GBP 950.00)", ".") == (Decimal("1200.00"), "USD")
