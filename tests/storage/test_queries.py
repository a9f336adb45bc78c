"""account_rows: one aggregate query gives each account's next renewal and live annual value."""

from __future__ import annotations

import uuid
from datetime import date

from renewal_coach.core import models as m
from renewal_coach.core.enums import ContractStatus
from renewal_coach.storage.queries import AccountRow, account_rows
from renewal_coach.storage.repository import Store

TODAY = date(2026, 1, 15)


def _account(store: Store, name: str, **kw: object) -> m.Account:
    return store.accounts.add(m.Account(name=name, **kw))  # type: ignore[arg-type]


def _contract(
    store: Store,
    account: m.Account,
    reference: str,
    end: str,
    value: int | None,
    status: ContractStatus = ContractStatus.ACTIVE,
) -> m.Contract:
    return store.contracts.add(
        m.Contract(
            account_id=account.id,
            title=f"Contract {reference}",
            reference=reference,
            start_date=date(2020, 1, 1),
            end_date=date.fromisoformat(end),
            annual_value_minor=value,
            status=status,
        )
    )


def _by_name(rows: list[AccountRow]) -> dict[str, AccountRow]:
    return {row.name: row for row in rows}


def test_account_without_contracts_has_no_renewal_and_no_value(store: Store) -> None:
    account = _account(store, "Quiet Ltd", industry="Retail", owner="Sam", currency="EUR")
    assert account_rows(store, TODAY) == [
        AccountRow(
            id=account.id,
            name="Quiet Ltd",
            industry="Retail",
            owner="Sam",
            currency="EUR",
            next_renewal=None,
            annual_value_minor=None,
        )
    ]


def test_next_renewal_is_the_earliest_live_contract_ending_on_or_after_today(
    store: Store,
) -> None:
    acme = _account(store, "Acme")
    _contract(store, acme, "ENDED", "2025-12-31", 100)  # live but already over
    _contract(store, acme, "LATER", "2027-06-30", 200)
    _contract(store, acme, "SOON", "2026-09-30", 300, ContractStatus.RENEWING)
    _contract(store, acme, "WON", "2026-02-01", 5_000, ContractStatus.RENEWED)  # not live
    _contract(store, acme, "GONE", "2026-03-01", 7_000, ContractStatus.LOST)  # not live

    row = account_rows(store, TODAY)[0]

    assert row.next_renewal == date(2026, 9, 30)
    # Every active or renewing contract counts for the value, ended or not; the others never do.
    assert row.annual_value_minor == 100 + 200 + 300


def test_a_contract_ending_today_is_still_the_next_renewal(store: Store) -> None:
    acme = _account(store, "Acme")
    _contract(store, acme, "TODAY", TODAY.isoformat(), 1)
    assert account_rows(store, TODAY)[0].next_renewal == TODAY
    assert account_rows(store, date(2026, 1, 16))[0].next_renewal is None


def test_contracts_without_a_value_do_not_blank_the_total(store: Store) -> None:
    acme = _account(store, "Acme")
    _contract(store, acme, "A", "2027-01-01", None)
    _contract(store, acme, "B", "2027-02-01", 900_000)
    other = _account(store, "Blank plc")
    _contract(store, other, "C", "2027-01-01", None)

    rows = _by_name(account_rows(store, TODAY))

    assert rows["Acme"].annual_value_minor == 900_000
    assert rows["Blank plc"].annual_value_minor is None
    assert rows["Blank plc"].next_renewal == date(2027, 1, 1)


def test_figures_stay_with_their_own_account(store: Store) -> None:
    north = _account(store, "Northwind")
    south = _account(store, "Southwind")
    _contract(store, north, "N1", "2026-05-01", 10)
    _contract(store, south, "S1", "2026-04-01", 20)
    _contract(store, south, "S2", "2028-04-01", 30)

    rows = _by_name(account_rows(store, TODAY))

    assert (rows["Northwind"].next_renewal, rows["Northwind"].annual_value_minor) == (
        date(2026, 5, 1),
        10,
    )
    assert (rows["Southwind"].next_renewal, rows["Southwind"].annual_value_minor) == (
        date(2026, 4, 1),
        50,
    )


def test_rows_are_ordered_by_name_ignoring_case(store: Store) -> None:
    for name in ("beta", "Alpha", "gamma", "Delta"):
        _account(store, name)
    assert [r.name for r in account_rows(store, TODAY)] == ["Alpha", "beta", "Delta", "gamma"]


def test_archived_accounts_are_left_out_unless_asked_for(store: Store) -> None:
    _account(store, "Current")
    _account(store, "Old Co", archived=True)

    assert [r.name for r in account_rows(store, TODAY)] == ["Current"]
    rows = account_rows(store, TODAY, include_archived=True)
    assert [(r.name, r.archived) for r in rows] == [("Current", False), ("Old Co", True)]


def test_empty_portfolio_gives_no_rows(store: Store) -> None:
    assert account_rows(store, TODAY) == []


def _bulk_insert(store: Store, accounts: int, contracts_each: int) -> None:
    """Insert straight into the tables: per-record validation is not what is measured here."""
    now = "2026-01-01T00:00:00Z"
    account_values = []
    contract_values = []
    for i in range(accounts):
        account_id = str(uuid.uuid4())
        account_values.append((account_id, now, now, f"Account {i:05d}", "Industry", "Owner"))
        for j in range(contracts_each):
            contract_values.append(
                (
                    str(uuid.uuid4()),
                    now,
                    now,
                    account_id,
                    "Services",
                    f"R{j}",
                    "2020-01-01",
                    f"{2026 + j}-0{1 + i % 9}-15",
                    1_000 * (i + 1),
                    "active" if j % 3 else "renewing",
                )
            )
    with store.db.atomic():
        store.db.conn.executemany(
            "INSERT INTO accounts (id, created_at, updated_at, name, industry, owner) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            account_values,
        )
        store.db.conn.executemany(
            "INSERT INTO contracts (id, created_at, updated_at, account_id, title, reference, "
            "start_date, end_date, annual_value_minor, status) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            contract_values,
        )


def test_five_thousand_accounts_take_two_queries(store: Store) -> None:
    _bulk_insert(store, accounts=5_000, contracts_each=3)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        rows = account_rows(store, TODAY)
    finally:
        store.db.conn.set_trace_callback(None)

    assert len(rows) == 5_000
    # One aggregate, one read of the live contracts for the next renewal: not one per account.
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2
    first = rows[0]
    assert first.name == "Account 00000"
    assert first.annual_value_minor == 3 * 1_000
    assert first.next_renewal == date(2026, 1, 15)


def test_next_renewal_is_the_contract_the_customer_decides_on_first(store: Store) -> None:
    """The scores' next renewal, not simply the earliest end date: one definition everywhere."""
    from renewal_coach.core.scoring.timeline import next_renewal
    from renewal_coach.storage.scores import portfolio_scores

    account = _account(store, "Two Contracts plc")
    # Ends later, but the customer decides in September 2027 (an expected decision date).
    early_decision = store.contracts.add(
        m.Contract(
            account_id=account.id,
            title="Fleet",
            reference="FLEET",
            start_date=date(2024, 1, 8),
            end_date=date(2028, 1, 7),
            decision_date=date(2027, 9, 7),
            annual_value_minor=100,
        )
    )
    # Ends first, decided at its end.
    _contract(store, account, "DEPOT", "2027-12-01", 100)

    contracts = store.contracts.for_account(account.id)
    assert next_renewal(contracts, TODAY).id == early_decision.id
    assert account_rows(store, TODAY)[0].next_renewal == date(2028, 1, 7)
    # Once it has ended, the other contract is the next renewal.
    assert account_rows(store, date(2028, 1, 8))[0].next_renewal is None
    assert account_rows(store, date(2027, 12, 2))[0].next_renewal == date(2028, 1, 7)
    # The renewal risk is about the same contract.
    assert portfolio_scores(store, TODAY)[account.id].primary.contract.id == early_decision.id
