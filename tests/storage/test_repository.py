"""Validated writes at the storage boundary: every rule names the field and keeps data intact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from renewal_coach.core import models as m
from renewal_coach.core.enums import Attitude, ContractStatus
from renewal_coach.core.errors import NotFoundError, ValidationError
from renewal_coach.storage.repository import Store


def _account(store: Store, name: str = "Fenwick Health Trust") -> m.Account:
    return store.accounts.add(m.Account(name=name, industry="Healthcare"))


def _contract(store: Store, account: m.Account, **kw: object) -> m.Contract:
    values: dict[str, object] = {
        "account_id": account.id,
        "title": "Estates maintenance",
        "reference": "FHT-001",
        "start_date": "2024-04-01",
        "end_date": "2027-03-31",
    }
    values.update(kw)
    return store.contracts.add(m.Contract(**values))  # type: ignore[arg-type]


def test_add_returns_a_stored_copy_with_id_and_timestamps(store: Store) -> None:
    account = _account(store)
    assert len(account.id) == 36
    assert account.created_at and account.created_at == account.updated_at
    assert store.accounts.get(account.id) == account


@pytest.mark.parametrize("name", ["", "   ", "\x00\x07"])
def test_empty_names_are_refused(store: Store, name: str) -> None:
    with pytest.raises(ValidationError) as err:
        store.accounts.add(m.Account(name=name))
    assert err.value.field == "name"
    assert "required" in err.value.message
    assert store.accounts.count() == 0


def test_end_date_before_start_date_is_refused(store: Store) -> None:
    account = _account(store)
    with pytest.raises(ValidationError) as err:
        _contract(store, account, start_date="2026-01-01", end_date="2025-12-31")
    assert err.value.field == "end_date"
    assert "after the start date" in err.value.message
    assert store.contracts.count() == 0


@pytest.mark.parametrize("bad", ["31/12/2026", "2026-02-30", "next tuesday", "2026-1-5"])
def test_invalid_dates_name_the_field_and_the_format(store: Store, bad: str) -> None:
    account = _account(store)
    with pytest.raises(ValidationError) as err:
        _contract(store, account, end_date=bad)
    assert err.value.field == "end_date"
    assert "date" in err.value.message


def test_negative_money_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError) as err:
        store.accounts.add(m.Account(name="Negative plc", revenue_12m_minor=-1))
    assert err.value.field == "revenue_12m_minor"
    assert "negative" in err.value.message


def test_negative_counts_and_hours_are_refused(store: Store) -> None:
    account = _account(store)
    with pytest.raises(ValidationError) as err:
        _contract(store, account, notice_period_days=-30)
    assert err.value.field == "notice_period_days"
    with pytest.raises(ValidationError) as err:
        store.interactions.add(
            m.Interaction(
                account_id=account.id, occurred_on="2026-10-01", purpose="Review", effort_hours="-2"
            )
        )
    assert err.value.field == "effort_hours"


def test_a_forecast_contribution_may_be_negative(store: Store) -> None:
    account = store.accounts.add(m.Account(name="Loss Leader", forecast_contribution_minor="-5000"))
    assert account.forecast_contribution_minor == -500000


def test_money_text_is_parsed_exactly_into_minor_units(store: Store) -> None:
    account = store.accounts.add(
        m.Account(name="Parsing Ltd", revenue_12m_minor="£1,234,567.89", bid_cost_minor="12.5k")
    )
    assert account.revenue_12m_minor == 123456789
    assert account.bid_cost_minor == 1250000
    with pytest.raises(ValidationError, match="decimal places"):
        store.accounts.add(m.Account(name="Fractions", revenue_12m_minor="10.005"))


def test_unknown_enum_values_are_refused_with_the_allowed_values(store: Store) -> None:
    account = _account(store)
    with pytest.raises(ValidationError) as err:
        store.stakeholders.add(m.Stakeholder(account_id=account.id, name="Ola", attitude="fan"))
    assert err.value.field == "attitude"
    assert "champion" in err.value.message
    stored = store.stakeholders.add(
        m.Stakeholder(account_id=account.id, name="Ola", attitude="Supporter")
    )
    assert stored.attitude is Attitude.SUPPORTER


def test_unknown_currency_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError) as err:
        store.accounts.add(m.Account(name="Doubloons", currency="XXX"))
    assert err.value.field == "currency"


def test_dangling_references_are_refused(store: Store) -> None:
    with pytest.raises(ValidationError) as err:
        store.contracts.add(
            m.Contract(
                account_id="no-such-account",
                title="T",
                reference="R",
                start_date="2025-01-01",
                end_date="2026-01-01",
            )
        )
    assert err.value.field == "account_id"
    assert "does not exist" in err.value.message
    account = _account(store)
    with pytest.raises(ValidationError) as err:
        store.goals.add(
            m.CustomerGoal(
                account_id=account.id,
                statement="Cut waiting times",
                confirmed_by_id="ghost",
                confirmed_on="2026-01-01",
            )
        )
    assert err.value.field == "confirmed_by_id"


def test_records_cannot_point_at_another_accounts_people_or_contracts(store: Store) -> None:
    first, second = _account(store, "First"), _account(store, "Second")
    contract = _contract(store, first)
    person = store.stakeholders.add(m.Stakeholder(account_id=first.id, name="Priya Shah"))
    with pytest.raises(ValidationError) as err:
        store.interactions.add(
            m.Interaction(
                account_id=second.id,
                contract_id=contract.id,
                occurred_on="2026-09-01",
                purpose="Check-in",
                stakeholder_ids=[person.id],
            )
        )
    fields = {p.field for p in err.value.problems}
    assert fields == {"contract_id", "stakeholder_ids"}
    assert store.interactions.count() == 0


def test_duplicate_contract_reference_within_an_account_is_refused(store: Store) -> None:
    account = _account(store)
    _contract(store, account, reference="FHT-001")
    with pytest.raises(ValidationError) as err:
        _contract(store, account, reference="fht-001", title="Another")
    assert err.value.field == "reference"
    assert "already has a contract" in err.value.message
    # The same reference at another customer is fine.
    other = _account(store, "Other Trust")
    assert _contract(store, other, reference="FHT-001").reference == "FHT-001"


def test_duplicate_account_names_are_refused_ignoring_case(store: Store) -> None:
    _account(store, "Brightwater Utilities")
    with pytest.raises(ValidationError, match="already exists"):
        _account(store, "brightwater utilities")


def test_update_keeps_created_at_and_checks_duplicates(store: Store) -> None:
    account = _account(store)
    a = _contract(store, account, reference="A")
    b = _contract(store, account, reference="B")
    changed = store.contracts.update(
        m.Contract(**{**_fields(a), "title": "Renamed", "status": ContractStatus.RENEWING})
    )
    assert changed.created_at == a.created_at
    assert store.contracts.get(a.id).title == "Renamed"
    with pytest.raises(ValidationError):
        store.contracts.update(m.Contract(**{**_fields(b), "reference": "a"}))
    assert store.contracts.get(b.id).reference == "B"


def test_updating_or_deleting_a_missing_record_says_so(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.accounts.update(m.Account(id="gone", name="Gone"))
    with pytest.raises(NotFoundError):
        store.accounts.delete("gone")
    with pytest.raises(NotFoundError):
        store.accounts.get("gone")


def test_odd_text_is_cleaned_but_emoji_and_right_to_left_survive(store: Store) -> None:
    account = store.accounts.add(
        m.Account(name="  Café 🚀\x00 Group\u202e  ", notes="line one\r\nline\x0btwo\ttab")
    )
    assert account.name == "Café 🚀 Group\u202e"
    assert account.notes == "line one\nlinetwo\ttab"
    person = store.stakeholders.add(m.Stakeholder(account_id=account.id, name="נועה כהן"))
    assert store.stakeholders.get(person.id).name == "נועה כהן"


def test_huge_text_is_refused_with_its_length(store: Store) -> None:
    with pytest.raises(ValidationError) as err:
        store.accounts.add(m.Account(name="x" * 201))
    assert "too long" in err.value.message and "201" in err.value.message
    with pytest.raises(ValidationError):
        store.accounts.add(m.Account(name="Long notes", notes="y" * 20_001))


def test_every_problem_is_reported_at_once(store: Store) -> None:
    with pytest.raises(ValidationError) as err:
        store.contracts.add(
            m.Contract(
                account_id="", title="", reference="", start_date="soon", annual_value_minor="-1"
            )
        )
    fields = {p.field for p in err.value.problems}
    assert {
        "account_id",
        "title",
        "reference",
        "start_date",
        "end_date",
        "annual_value_minor",
    } <= fields


def test_override_needs_a_reason_and_goal_confirmation_needs_who_and_when(store: Store) -> None:
    with pytest.raises(ValidationError) as err:
        store.accounts.add(m.Account(name="Override", segment_override="treasure"))
    assert err.value.field == "segment_override_reason"
    account = _account(store)
    with pytest.raises(ValidationError) as err:
        store.goals.add(
            m.CustomerGoal(
                account_id=account.id, statement="Halve call waits", confirmed_on="2026-01-01"
            )
        )
    assert err.value.field == "confirmed_by_id"


def test_types_round_trip(store: Store) -> None:
    account = _account(store)
    contract = _contract(
        store, account, price_gap_pct="7.5", public_sector=True, notice_period_days=90
    )
    again = store.contracts.get(contract.id)
    assert again.price_gap_pct == Decimal("7.5")
    assert again.public_sector is True
    assert again.start_date == date(2024, 4, 1)
    # 2027-03-31 minus 90 days: 31 (Mar) + 28 (Feb) + 31 (Jan) = 90 -> 2026-12-31.
    assert again.effective_notice_deadline() == date(2026, 12, 31)


def test_account_delete_can_be_undone_with_everything_that_belonged_to_it(store: Store) -> None:
    account = _account(store)
    contract = _contract(store, account)
    person = store.stakeholders.add(m.Stakeholder(account_id=account.id, name="Tom Reyes"))
    store.interactions.add(
        m.Interaction(
            account_id=account.id,
            contract_id=contract.id,
            occurred_on="2026-08-01",
            purpose="Quarterly review",
            stakeholder_ids=[person.id],
        )
    )
    store.milestones.add(m.Milestone(contract_id=contract.id, code="M0", done_on="2024-04-02"))
    snapshot = store.accounts.snapshot(account.id)
    store.accounts.delete(account.id)
    assert store.interactions.count() == 0 and store.milestones.count() == 0
    snapshot.restore(store)
    restored = store.interactions.all()[0]
    assert restored.stakeholder_ids == [person.id]
    assert store.milestones.count() == 1
    assert store.accounts.get(account.id) == account


def _fields(record: object) -> dict[str, object]:
    import dataclasses

    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}  # type: ignore[arg-type]


def test_put_back_writes_a_record_exactly_as_given_and_still_validates(store: Store) -> None:
    import dataclasses

    account = _account(store)
    old = store.accounts.get(account.id)
    store.accounts.update(dataclasses.replace(old, industry="Health"))
    back = store.accounts.put_back(old)
    assert store.accounts.get(account.id) == old == back  # timestamps included
    with pytest.raises(ValidationError):
        store.accounts.put_back(dataclasses.replace(old, name=""))
    store.accounts.delete(account.id)
    with pytest.raises(NotFoundError):
        store.accounts.put_back(old)
