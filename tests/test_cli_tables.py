"""``renewal-coach export portfolio|renewals``: the pages' rows to CSV and XLSX, on the sample.

The expected portfolio rows are recomputed here from the raw accounts and contracts; the
renewals rows are checked against the list the Renewals page is given
(tests/ui/test_table_export.py checks both against the pages themselves).
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from renewal_coach.cli import main
from renewal_coach.core.dates import add_months
from renewal_coach.core.enums import ContractStatus
from renewal_coach.core.lists import STATUS_LABELS, renewal_rows
from renewal_coach.core.money import to_decimal
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import create_sample_database
from renewal_coach.storage.scores import portfolio_scores

TODAY = date(2026, 6, 15)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tables") / "sample.db"
    create_sample_database(path, today=TODAY)
    return path


def _run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def _export(capsys, sample: Path, kind: str, out: Path) -> tuple[int, str, str]:
    return _run(
        capsys, "export", kind, "--db", str(sample), "--out", str(out), "--today", str(TODAY)
    )


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def _xlsx(path: Path) -> tuple[list[str], list[list[openpyxl.cell.Cell]]]:
    rows = list(openpyxl.load_workbook(path).active.iter_rows())
    return [c.value for c in rows[0]], [list(r) for r in rows[1:]]


def _expected_portfolio(sample: Path) -> list[tuple[str, str, date | None, Decimal | None]]:
    """(name, currency, next renewal, annual value) of each live account, in the page's
    opening order: next renewal first, accounts without one last, ties by name."""
    store = Store(open_database(sample, create=False, readonly=True))
    try:
        live = (ContractStatus.ACTIVE, ContractStatus.RENEWING)
        out = []
        for account in store.accounts.all():
            if account.archived:
                continue
            contracts = [c for c in store.contracts.for_account(account.id) if c.status in live]
            # The next renewal: of the contracts not ended yet, the one the customer decides on
            # first (decision date, market approach less a month, or end; never before the
            # start), then by reference; its end date is shown.
            ahead = [c for c in contracts if c.end_date >= TODAY]

            def decided(c):
                approach = c.market_approach_date and add_months(c.market_approach_date, -1)
                day = min(d for d in (c.decision_date, approach, c.end_date) if d)
                return max(day, c.start_date), c.reference

            ends = [min(ahead, key=decided).end_date] if ahead else []
            values = [c.annual_value_minor for c in contracts if c.annual_value_minor is not None]
            out.append(
                (
                    account.name,
                    account.currency,
                    min(ends) if ends else None,
                    to_decimal(sum(values), account.currency) if values else None,
                )
            )
    finally:
        store.close()
    out.sort(key=lambda r: r[0].casefold())
    with_end = sorted((r for r in out if r[2]), key=lambda r: r[2])  # ties stay by name
    return with_end + [r for r in out if not r[2]]


def test_export_portfolio_csv_holds_the_pages_rows(sample: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "portfolio.csv"
    code, stdout, err = _export(capsys, sample, "portfolio", out)
    assert code == 0, err
    rows = _csv(out)
    expected = _expected_portfolio(sample)
    assert f"Wrote {len(expected)} accounts to {out}" in stdout
    assert list(rows[0]) == [
        "Account",
        "Industry",
        "Account owner",
        "Next renewal",
        "Annual value",
        "Currency",
        "Segment",
        "Contribution",
        "Renewal risk",
        "Risk score",
        "Engagement",
        "Decision date",
    ]
    got = [
        (
            r["Account"],
            r["Currency"],
            date.fromisoformat(r["Next renewal"]) if r["Next renewal"] else None,
            Decimal(r["Annual value"]) if r["Annual value"] else None,
        )
        for r in rows
    ]
    assert got == expected
    # Score columns agree with the scoring engine.
    store = Store(open_database(sample, create=False, readonly=True))
    try:
        scores = {s.name: s for s in portfolio_scores(store, TODAY).values()}
    finally:
        store.close()
    for r in rows:
        s = scores[r["Account"]]
        assert r["Segment"] == s.segment.band_label
        assert r["Engagement"] == s.engagement.band_label
        if s.risk is not None:
            assert r["Renewal risk"] == s.risk.band_label
            assert int(r["Risk score"]) == round(s.risk.score)
        if s.primary is not None:
            assert r["Decision date"] == s.primary.campaign.anchor.isoformat()


def test_export_portfolio_xlsx_has_date_cells_and_numeric_money(
    sample: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "portfolio.xlsx"
    code, _stdout, err = _export(capsys, sample, "portfolio", out)
    assert code == 0, err
    header, rows = _xlsx(out)
    expected = _expected_portfolio(sample)
    assert len(rows) == len(expected)
    renewal, value, currency = (
        header.index("Next renewal"),
        header.index("Annual value"),
        header.index("Currency"),
    )
    for cells, (name, cur, ends, annual) in zip(rows, expected, strict=True):
        assert cells[0].value == name and cells[0].data_type == "s"
        if ends:
            assert cells[renewal].is_date and cells[renewal].value.date() == ends
        if annual is not None:
            assert cells[value].data_type == "n"
            assert Decimal(str(cells[value].value)) == annual
            assert cells[value].number_format == "#,##0.00"
        assert cells[currency].value == cur


def test_export_renewals_writes_the_renewals_list(sample: Path, tmp_path: Path, capsys) -> None:
    store = Store(open_database(sample, create=False, readonly=True))
    try:
        listed = renewal_rows(portfolio_scores(store, TODAY), TODAY)
    finally:
        store.close()
    assert listed, "the sample should have renewals to list"
    out = tmp_path / "renewals.csv"
    code, stdout, err = _export(capsys, sample, "renewals", out)
    assert code == 0, err
    assert f"Wrote {len(listed)} contracts" in stdout
    rows = _csv(out)
    assert [r["Reference"] for r in rows] == [r.reference for r in listed]
    for got, row in zip(rows, listed, strict=True):
        assert got["Account"] == row.account_name
        assert got["Contract"] == row.title
        assert got["Anchor date"] == row.anchor.isoformat()
        assert got["Quarter"] == f"{row.anchor.year} Q{(row.anchor.month - 1) // 3 + 1}"
        assert got["Next milestone"] == (
            f"{row.next_code} {row.next_label}" if row.next_code else ""
        )
        assert got["Due"] == (row.next_due.isoformat() if row.next_due else "")
        assert got["Status"] == STATUS_LABELS[row.next_status]
        assert int(got["Overdue milestones"]) == row.overdue_count
        assert got["Currency"] == row.currency
    # Anchor order, as the page opens.
    anchors = [r["Anchor date"] for r in rows]
    assert anchors == sorted(anchors)

    xlsx = tmp_path / "renewals.xlsx"
    code, _stdout, err = _export(capsys, sample, "renewals", xlsx)
    assert code == 0, err
    header, cells = _xlsx(xlsx)
    assert header[:3] == ["Quarter", "Anchor date", "Account"]
    due, value = header.index("Due"), header.index("Annual value")
    for line, row in zip(cells, listed, strict=True):
        assert line[1].is_date and line[1].value.date() == row.anchor
        if row.next_due:
            assert line[due].is_date and line[due].value.date() == row.next_due
        if row.annual_value_minor is not None:
            assert line[value].data_type == "n"
            assert Decimal(str(line[value].value)) == to_decimal(row.annual_value_minor, "GBP")


def test_export_refuses_other_suffixes_with_a_usage_error(
    sample: Path, tmp_path: Path, capsys
) -> None:
    for name in ("renewals.txt", "renewals.xls", "renewals"):
        code, _stdout, err = _export(capsys, sample, "renewals", tmp_path / name)
        assert code == 2
        assert ".csv or .xlsx" in err
    assert list(tmp_path.iterdir()) == []


def test_export_to_a_place_that_cannot_be_written_is_one_line_and_exit_1(
    sample: Path, tmp_path: Path, capsys
) -> None:
    for name in ("p.csv", "p.xlsx"):
        code, _stdout, err = _export(capsys, sample, "portfolio", tmp_path / "nowhere" / name)
        assert code == 1
        assert err.count("\n") == 1 and "does not exist" in err
    (tmp_path / "taken.xlsx").mkdir()
    code, _stdout, err = _export(capsys, sample, "portfolio", tmp_path / "taken.xlsx")
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err


def test_contract_is_required_only_for_documents(sample: Path, tmp_path: Path, capsys) -> None:
    code, _stdout, err = _run(
        capsys, "export", "proposal", "--db", str(sample), "--out", str(tmp_path / "p.docx")
    )
    assert code == 2 and "--contract" in err
    code, _stdout, err = _run(
        capsys,
        "export",
        "portfolio",
        "--contract",
        "X",
        "--db",
        str(sample),
        "--out",
        str(tmp_path / "p.csv"),
    )
    assert code == 2 and "--contract" in err
    code, _stdout, err = _run(capsys, "export", "everything", "--out", str(tmp_path / "p.csv"))
    assert code == 2 and "everything" in err
