"""Importing a real book: matching, updating, rejecting, dry runs, undo and the errors file."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from renewal_coach.core import models as m
from renewal_coach.storage.repository import Store
from renewal_coach.tables.importer import (
    DateOrderNeeded,
    ImportFileError,
    account_key,
    prepare,
    run_import,
)
from renewal_coach.tables.mapping import Mapping, MappingError, load_mapping

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 12, 7)


def imp(store: Store, path: Path, **kw):
    dry = kw.pop("dry_run", False)
    return run_import(store, prepare(path, **kw), dry_run=dry, today=TODAY)


@pytest.fixture
def book(store: Store) -> Store:
    """The Salesforce accounts and contracts of a UK team, imported."""
    imp(store, DATA / "salesforce_accounts_uk.csv")
    imp(store, DATA / "salesforce_contracts_uk.csv")
    return store


def test_salesforce_accounts_are_created_and_annual_revenue_is_left_alone(store: Store) -> None:
    plan, result = imp(store, DATA / "salesforce_accounts_uk.csv")
    assert plan.kind == "accounts"
    assert plan.counts == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 1}
    assert "Annual Revenue" not in plan.prepared.columns
    calder = store.accounts.find_by_name("Calder Freight Ltd")
    assert calder.external_id == "0015g00000AbCdE"
    assert calder.revenue_12m_minor is None  # their company size is not our revenue
    assert calder.owner == "Priya Raman"
    (bad,) = plan.rejected
    assert bad.row == 5 and bad.problems[0][0] == "Account Name"
    assert result is not None and len(result.created) == 3


def test_contracts_match_accounts_by_loose_name_and_derive_what_is_missing(book: Store) -> None:
    calder = book.accounts.find_by_name("Calder Freight Ltd")
    contracts = {c.reference: c for c in book.contracts.for_account(calder.id)}
    # "Calder Freight Limited" and "calder freight" both name the same account.
    assert set(contracts) == {"00000101", "00000102"}
    first = contracts["00000101"]
    assert (first.start_date, first.end_date) == (date(2024, 4, 1), date(2027, 3, 31))
    assert first.annual_value_minor == 180_000_000
    assert first.notice_period_days == 90
    assert first.status == m.ContractStatus.ACTIVE
    # No end date in the file: start + 48 months − 1 day.
    assert contracts["00000102"].end_date == date(2027, 9, 14)
    assert first.tracked_since == date.today()  # tracked from the day it was imported


def test_money_with_a_currency_moves_an_account_that_holds_no_money_yet(book: Store) -> None:
    mueller = book.accounts.find_by_name("Müller Kältetechnik GmbH")
    assert mueller.currency == "EUR"
    (contract,) = book.contracts.for_account(mueller.id)
    assert contract.annual_value_minor == 95_000_000


def test_a_currency_unlike_the_accounts_is_rejected_with_that_reason(
    book: Store, tmp_path: Path
) -> None:
    path = tmp_path / "eur.csv"
    path.write_text(
        "Contract Number,Account Name,Contract Start Date,Contract End Date,Annual Contract Value\n"
        "00000199,Calder Freight Ltd,01/01/2026,31/12/2028,EUR 950000\n",
        encoding="utf-8",
    )
    plan, _ = imp(book, path)
    (bad,) = plan.rejected
    assert bad.problems[0][0] == "Annual Contract Value"
    assert "EUR" in bad.message and "GBP" in bad.message
    assert book.accounts.find_by_name("Calder Freight Ltd").currency == "GBP"


def test_importing_the_same_files_twice_creates_nothing(book: Store) -> None:
    before = (book.accounts.count(), book.contracts.count())
    plan_a, _ = imp(book, DATA / "salesforce_accounts_uk.csv")
    plan_c, _ = imp(book, DATA / "salesforce_contracts_uk.csv")
    assert plan_a.counts["created"] == plan_c.counts["created"] == 0
    assert plan_a.counts["updated"] == plan_c.counts["updated"] == 0
    assert plan_a.counts["unchanged"] == 3 and plan_c.counts["unchanged"] == 3
    assert (book.accounts.count(), book.contracts.count()) == before


def test_an_update_changes_only_the_fields_the_file_holds(book: Store, tmp_path: Path) -> None:
    calder = book.accounts.find_by_name("Calder Freight Ltd")
    book.accounts.update(
        m.Account(**{**_fields(calder), "notes": "Kept by hand", "region": "North"})
    )
    path = tmp_path / "owners.csv"
    path.write_text("Account ID,Account Owner\n0015g00000AbCdE,Noor Haddad\n", encoding="utf-8")
    plan, _ = imp(book, path, kind="accounts")
    assert plan.counts["updated"] == 1
    assert plan.shown("updated")[0].changes == ("owner",)
    after = book.accounts.get(calder.id)
    assert (after.owner, after.notes, after.region) == ("Noor Haddad", "Kept by hand", "North")


def _fields(record) -> dict:
    import dataclasses

    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


def test_rows_naming_an_unknown_account_are_rejected_not_attached(book: Store) -> None:
    plan, _ = imp(book, DATA / "hubspot_contacts.csv")
    reasons = {o.row: o.message for o in plan.rejected}
    assert "no account 'Unknown Holdings'" in reasons[6]
    assert "import accounts first" in reasons[6].lower()
    assert "does not look like an address" in reasons[5]
    assert plan.counts["created"] == 3
    (aisha,) = [p for p in book.stakeholders.all() if p.email.startswith("aisha")]
    assert aisha.name == "Aisha Okafor" and aisha.phone == "+44 20 7946 0101"
    assert aisha.external_id == "501"


def test_people_are_matched_by_email_before_name(book: Store, tmp_path: Path) -> None:
    imp(book, DATA / "hubspot_contacts.csv")
    path = tmp_path / "renamed.csv"
    path.write_text(
        "Email,First Name,Last Name,Associated Company,Job Title\n"
        "aisha.okafor@calderfreight.example,Aisha,Okafor-Reid,Calder Freight Ltd,COO\n",
        encoding="utf-8",
    )
    plan, _ = imp(book, path)
    assert plan.counts["updated"] == 1
    names = sorted(p.name for p in book.stakeholders.all())
    assert "Aisha Okafor-Reid" in names and "Aisha Okafor" not in names


def test_interactions_link_people_and_use_the_files_date_order(book: Store) -> None:
    imp(book, DATA / "hubspot_contacts.csv")
    plan, _ = imp(book, DATA / "salesforce_activities_mdy.csv")
    assert plan.date_order == "mdy"
    assert plan.counts["created"] == 3
    reasons = {o.row: o.message for o in plan.rejected}
    assert "no one called 'Nobody Known'" in reasons[5]
    assert "Purpose is required" in reasons[6]
    assert "'Task' has no match" in reasons[7]
    items = {i.purpose: i for i in book.interactions.all()}
    qbr = items["Quarterly business review"]
    assert qbr.occurred_on == date(2026, 3, 14)
    assert qbr.type == m.InteractionType.EXECUTIVE_REVIEW
    both = items["Follow-up on depot KPIs"]
    assert len(both.stakeholder_ids) == 2 and both.channel == m.Channel.EMAIL
    asked = items["Asked for a price breakdown"]
    assert asked.initiated_by == m.Party.CUSTOMER and len(asked.stakeholder_ids) == 1
    again, _ = imp(book, DATA / "salesforce_activities_mdy.csv")
    assert again.counts["created"] == 0 and again.counts["unchanged"] == 3


def test_user_value_mapping_translates_crm_words(book: Store) -> None:
    imp(book, DATA / "hubspot_contacts.csv")
    mapping = Mapping(kind="interactions", values={"type": {"Task": "meeting"}})
    plan, _ = imp(book, DATA / "salesforce_activities_mdy.csv", mapping=mapping)
    assert 7 not in {o.row for o in plan.rejected}


def test_european_file_with_a_saved_mapping(book: Store) -> None:
    mapping = load_mapping(DATA / "european_contracts_mapping.json")
    plan, _ = imp(book, DATA / "european_contracts_cp1252.csv", mapping=mapping)
    assert plan.decimal == ","
    assert plan.counts == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    mueller = book.accounts.find_by_name("Müller Kältetechnik GmbH")
    by_ref = {c.reference: c for c in book.contracts.for_account(mueller.id)}
    assert by_ref["DE-2024-07"].annual_value_minor == 125_000_000
    assert by_ref["DE-2024-07"].start_date == date(2024, 7, 1)
    assert by_ref["DE-2025-01"].annual_value_minor == 8_750_050
    assert by_ref["DE-2025-01"].notice_period_days == 91  # "3 Monate"
    assert by_ref["DE-2025-02"].annual_value_minor == 100_050  # "1.000,5"


def test_ambiguous_dates_need_an_order(store: Store, tmp_path: Path) -> None:
    imp(store, DATA / "salesforce_accounts_uk.csv")
    path = tmp_path / "ambiguous.csv"
    path.write_text(
        "Contract Number,Account Name,Start Date,End Date\n"
        "A-1,Calder Freight Ltd,04/03/2025,03/04/2028\n",
        encoding="utf-8",
    )
    with pytest.raises(DateOrderNeeded) as info:
        imp(store, path)
    assert "04/03/2025" in str(info.value)
    plan, _ = imp(store, path, date_order="mdy")
    (contract,) = [c for c in store.contracts.all() if c.reference == "A-1"]
    assert contract.start_date == date(2025, 4, 3)
    assert plan.counts["created"] == 1


def test_dry_run_writes_nothing_and_reports_exactly(store: Store) -> None:
    plan, result = imp(store, DATA / "salesforce_accounts_uk.csv", dry_run=True)
    assert result is None
    assert store.accounts.count() == 0
    assert plan.counts["created"] == 3
    assert [o.label for o in plan.shown("created")] == [
        "Calder Freight Ltd",
        "Müller Kältetechnik GmbH",
        "Harbour, Dock & Co",
    ]


def test_undo_reverses_the_whole_import_and_redo_brings_it_back(book: Store, tmp_path) -> None:
    imp(book, DATA / "hubspot_contacts.csv")
    snapshot = sorted((p.id, p.title) for p in book.stakeholders.all())
    path = tmp_path / "more.csv"
    path.write_text(
        "Email,First Name,Last Name,Associated Company,Job Title\n"
        "aisha.okafor@calderfreight.example,Aisha,Okafor,Calder Freight Ltd,CEO\n"
        "new.person@calderfreight.example,New,Person,Calder Freight Ltd,Analyst\n",
        encoding="utf-8",
    )
    plan, result = imp(book, path)
    assert plan.counts["created"] == 1 and plan.counts["updated"] == 1
    after = sorted((p.id, p.title) for p in book.stakeholders.all())
    result.undo(book)
    assert sorted((p.id, p.title) for p in book.stakeholders.all()) == snapshot
    result.redo(book)
    assert sorted((p.id, p.title) for p in book.stakeholders.all()) == after


def test_errors_file_can_be_fixed_and_imported_again(book: Store, tmp_path: Path) -> None:
    plan, _ = imp(book, DATA / "salesforce_contracts_uk.csv")
    out = tmp_path / "errors.csv"
    plan.write_errors(out)
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][-1] == "problem" and rows[0][:-1] == plan.prepared.source.headers
    assert len(rows) == 1 + len(plan.rejected)
    formula_row = next(r for r in rows if r[0] == "00000106")
    assert formula_row[7].startswith("'=")  # neutralised for spreadsheets
    # Fix the rows in place, drop the problem column, import again.
    fixed = tmp_path / "fixed.csv"
    with fixed.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(rows[0][:-1])
        for r in rows[1:]:
            cells = r[:-1]
            if cells[0] == "00000104":
                cells[1], cells[6] = "Harbour, Dock & Co", "Activated"
            if cells[0] == "00000105":
                cells[2], cells[3] = "01/01/2026", "31/12/2026"
            if cells[0] == "00000106":
                cells[7] = "GBP 12,000"
            writer.writerow(cells)
    again, _ = imp(book, fixed, kind="contracts")
    assert again.counts["rejected"] == 0 and again.counts["created"] == 3


def test_formula_cells_are_rejected_not_stored(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "inject.csv"
    path.write_text("Account Name,Industry\n=cmd|' /C calc'!A0,IT\nSafe Ltd,@SUM(1)\n")
    plan, _ = imp(store, path, kind="accounts")
    assert plan.counts["rejected"] == 2 and store.accounts.count() == 0
    assert all("formula" in o.message for o in plan.rejected)


def test_ten_thousand_bad_rows_are_each_reported_and_good_ones_import(
    store: Store, tmp_path: Path
) -> None:
    lines = ["Account Name,Customer Since"]
    lines += [f"Bad {i},not a date" for i in range(10_000)]
    lines += ["Good One Ltd,2020-01-01"]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    plan, _ = imp(store, path, kind="accounts")
    assert plan.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 10_000}
    assert plan.rejected[-1].row == 10_001
    assert store.accounts.count() == 1


def test_kind_is_guessed_from_headers_or_refused(tmp_path: Path) -> None:
    assert prepare(DATA / "salesforce_contracts_uk.csv").kind == "contracts"
    assert prepare(DATA / "hubspot_contacts.csv").kind == "stakeholders"
    assert prepare(DATA / "salesforce_activities_mdy.csv").kind == "interactions"
    assert prepare(DATA / "salesforce_accounts_uk.csv").kind == "accounts"
    odd = tmp_path / "odd.csv"
    odd.write_text("Colour,Shape\nred,round\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="Cannot tell"):
        prepare(odd)
    with pytest.raises(ImportFileError, match="No column"):
        prepare(odd, kind="accounts")


def test_child_file_without_an_account_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "orphans.csv"
    path.write_text("Contract Number,Start Date,End Date\nX,2025-01-01,2026-01-01\n")
    with pytest.raises(ImportFileError, match="which account"):
        prepare(path, kind="contracts")


def test_mapping_files_are_checked(tmp_path: Path) -> None:
    bad = tmp_path / "map.json"
    for text, reason in [
        ("{", "not valid JSON"),
        ("[]", "JSON object"),
        ('{"kind": "deals", "columns": {}}', "not a kind"),
        ('{"kind": "contracts", "columns": {"A": "nonsense"}}', "not a field"),
        ('{"kind": "contracts", "columns": {"A": "reference", "B": "reference"}}', "Two columns"),
        ('{"kind": "contracts", "values": {"status": {"Draft": "pending"}}}', "not a value"),
        ('{"kind": "contracts", "date_order": "ydm"}', "date_order"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
    ]:
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(MappingError, match=reason):
            load_mapping(bad)


def test_account_names_match_without_legal_noise() -> None:
    assert account_key("Calder Freight Ltd") == account_key("CALDER FREIGHT LIMITED")
    assert account_key("The Calder Freight plc") == account_key("calder  freight")
    assert account_key("Müller Kältetechnik GmbH") == account_key("Muller Kaltetechnik")
    assert account_key("Brabant Koeltransport B.V.") == account_key("Brabant Koeltransport")
    assert account_key("Harbour, Dock & Co") == account_key("Harbour Dock and")
    assert account_key("Ltd") == "ltd"


def test_hubspot_workbook_with_date_cells_and_industry_codes(store: Store, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Record ID", "Company name", "Company owner", "Industry", "Create Date"])
    ws.append([7001, "Calder Freight Ltd", "Priya Raman", "LOGISTICS_AND_SUPPLY_CHAIN", None])
    ws.append([7002, "Pip & Bloom 🌱 Garden Centres", "Noor Haddad", "RETAIL", None])
    path = tmp_path / "hubspot-companies.xlsx"
    book.save(path)
    plan, _ = imp(store, path)
    assert plan.kind == "accounts" and plan.counts["created"] == 2
    calder = store.accounts.find_by_name("Calder Freight Ltd")
    assert calder.industry == "Logistics and supply chain" and calder.external_id == "7001"
    assert store.accounts.find_by_name("Pip & Bloom 🌱 Garden Centres").industry == "RETAIL"


def test_salesforce_api_names_and_excel_date_cells(store: Store, tmp_path: Path) -> None:
    import openpyxl

    imp(store, DATA / "salesforce_accounts_uk.csv")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(
        [
            "ContractNumber",
            "AccountId",
            "StartDate",
            "EndDate",
            "ContractTerm",
            "OwnerExpirationNotice",
            "Status",
            "Description",
        ]
    )
    from datetime import datetime

    ws.append(
        [
            "00000301",
            "0015g00000AbCdE",
            datetime(2025, 3, 1),
            None,
            24,
            "120 Days",
            "Activated",
            "Fleet maintenance, north depots",
        ]
    )
    path = tmp_path / "contracts.xlsx"
    book.save(path)
    plan, _ = imp(store, path)
    assert plan.kind == "contracts" and plan.counts["created"] == 1, plan.rejected
    (c,) = [c for c in store.contracts.all() if c.reference == "00000301"]
    assert (c.start_date, c.end_date) == (date(2025, 3, 1), date(2027, 2, 28))
    assert c.notice_period_days == 120 and c.notes == "Fleet maintenance, north depots"
    assert c.effective_notice_deadline() == date(2026, 10, 31)


def test_preview_shows_rows_as_they_would_be_read() -> None:
    from renewal_coach.tables.importer import preview

    shown = preview(prepare(DATA / "salesforce_contracts_uk.csv"), limit=3)
    assert shown.rows == [2, 3, 4]
    assert shown.date_order == "dmy" and shown.decimal == "."
    start = shown.headers.index("Contract Start Date")
    assert shown.cells[0][start] == ("2024-04-01", "")
    value = shown.headers.index("Annual Contract Value")
    assert shown.cells[0][value] == ("1,800,000.00 GBP", "")
    status = shown.headers.index("Status")
    assert shown.cells[0][status] == ("Active", "")
    assert set(shown.values["status"]) == {"Activated", "Draft", "Expired"}
    formula = preview(prepare(DATA / "salesforce_contracts_uk.csv"), limit=10)
    assert "not an amount" in formula.cells[-1][value][1]


def test_the_plan_says_when_an_account_takes_a_currency(store: Store) -> None:
    imp(store, DATA / "salesforce_accounts_uk.csv")
    plan, _ = imp(store, DATA / "salesforce_contracts_uk.csv", dry_run=True)
    assert plan.notes == [
        "Müller Kältetechnik GmbH will keep its money in EUR, the currency its first amounts "
        "are written in (it was GBP, with no amounts yet)."
    ]
    assert store.accounts.find_by_name("Müller Kältetechnik GmbH").currency == "GBP"
