"""`renewal-coach search TEXT`: text and JSON output, exit codes, and text that is not syntax."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from renewal_coach.cli import main
from renewal_coach.core import models as m
from renewal_coach.storage.db import open_database
from renewal_coach.storage.repository import Store


@pytest.fixture
def portfolio(db_path: Path) -> Path:
    store = Store(open_database(db_path))
    rail = store.accounts.add(m.Account(name="Larkspur Rail", notes="Kestrel depot is political"))
    media = store.accounts.add(m.Account(name="Ostrava Média"))
    store.contracts.add(
        m.Contract(
            account_id=rail.id,
            title="Station cleaning",
            reference="LR-7",
            start_date=date(2024, 1, 1),
            end_date=date(2027, 1, 1),
            walk_away="No deal under 3 percent",
        )
    )
    store.stakeholders.add(
        m.Stakeholder(account_id=media.id, name="Jana Kestrel", title="Head of Estates")
    )
    store.close()
    return db_path


def test_text_output_names_each_record_its_account_and_the_matching_words(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "kestrel", "--db", str(portfolio)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Person: Jana Kestrel · Ostrava Média"
    assert out[1].strip() == "Jana [Kestrel]  (in name)"
    assert out[2] == "Account: Larkspur Rail"
    assert out[3].strip() == "[Kestrel] depot is political  (in internal notes)"
    assert len(out) == 4


def test_json_output_has_one_object_per_hit(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "media", "--db", str(portfolio), "--json"]) == 0
    (hit,) = json.loads(capsys.readouterr().out)
    assert hit["kind"] == "account"
    assert hit["title"] == hit["account_name"] == "Ostrava Média"
    assert hit["snippet"] == "Ostrava Média"
    assert hit["snippet_marked"] == "Ostrava [Média]"
    assert hit["matched_in"] == ["name"]
    assert isinstance(hit["rank"], float)


def test_several_words_must_all_match(portfolio: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "station", "clean", "--db", str(portfolio), "--json"]) == 0
    assert [h["title"] for h in json.loads(capsys.readouterr().out)] == ["LR-7 Station cleaning"]
    assert main(["search", "station", "rail", "--db", str(portfolio), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_nothing_found_is_said_plainly(portfolio: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", 'NEAR("x"', "--db", str(portfolio)]) == 0
    assert capsys.readouterr().out == 'Nothing matches “NEAR("x"”.\n'


def test_text_without_letters_is_refused_with_a_message(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "--db", str(portfolio), "--", "-", "*"]) == 2
    err = capsys.readouterr().err
    assert "at least one letter or digit" in err


def test_the_limit_is_respected_and_said(
    portfolio: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "kestrel", "--limit", "1", "--db", str(portfolio)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Person: Jana Kestrel")
    assert out[-1] == "(the first 1; use --limit to see more)"


def test_a_missing_database_is_an_error_not_a_new_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.db"
    assert main(["search", "x", "--db", str(missing)]) == 1
    assert "There is no database" in capsys.readouterr().err
    assert not missing.exists()
