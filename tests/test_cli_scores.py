"""The scoring commands: renewals --json, account, chart and export, on the sample portfolio.

The JSON is checked against the formulas recomputed here from the factor rows and the raw
records, not against numbers copied from a previous run.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from renewal_coach.cli import main
from renewal_coach.storage.sample import create_sample_database

TODAY = date.today()
WEIGHTS = {
    "lateness": 0.10,
    "delivery": 0.15,
    "coverage": 0.12,
    "opposition": 0.12,
    "evidence": 0.10,
    "future": 0.10,
    "change": 0.08,
    "market": 0.10,
    "complacency": 0.08,
    "commercial": 0.05,
}
POINTS = {
    "executive_review": 3,
    "workshop": 2,
    "meeting": 2,
    "call": 1,
    "feedback_request": 1,
    "sales_pitch": 1,
    "escalation": 1,
    "email": 0.5,
    "value_recap": 0.5,
    "hospitality": 0.5,
    "tender_clarification": 0,
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "sample.db"
    create_sample_database(path, today=TODAY)
    return path


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_renewals_json_carries_the_scores(sample: Path, capsys) -> None:
    code, out, _ = _run(capsys, "renewals", "--db", str(sample), "--json", "--months", "36")
    assert code == 0
    rows = json.loads(out)
    assert rows
    for row in rows:
        assert {"anchor_date", "next_milestone", "risk", "engagement", "segment"} <= set(row)
        assert date.fromisoformat(row["anchor_date"]) <= date.fromisoformat(row["end_date"])
        assert row["risk"]["band"] in {"low", "guarded", "elevated", "high"}
        assert 0 <= row["risk"]["score"] <= 100
        assert len(row["risk"]["top_factors"]) <= 3
        assert row["engagement"]["band"] in {"neglect", "proportionate", "intense", "obsessive"}
        assert row["segment"] in {"treasure", "develop", "maintain", "drain", "unrated"}
        nxt = row["next_milestone"]
        assert nxt is None or nxt["status"] in {"overdue", "due", "upcoming"}


def test_account_json_recomputes_from_its_own_factors(sample: Path, capsys) -> None:
    code, out, _ = _run(
        capsys, "account", "halden water services ltd", "--db", str(sample), "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["name"] == "Halden Water Services Ltd"
    risk = data["risk"]
    recomputed = 100 * sum(WEIGHTS[f["key"]] * f["normalised"] for f in risk["factors"])
    assert risk["score"] == pytest.approx(recomputed, abs=0.01)
    assert risk["confidence"] == pytest.approx(
        sum(f["known"] for f in risk["factors"]) / len(risk["factors"])
    )
    eng = data["engagement"]
    assert eng["extra"]["balance"] == pytest.approx(
        eng["extra"]["points"] / 3 / eng["extra"]["target"], abs=1e-3
    )
    assert data["segment"]["band"] == "treasure"


def test_engagement_points_match_the_interactions_in_the_database(sample: Path, capsys) -> None:
    import sqlite3

    con = sqlite3.connect(sample)
    (aid,) = con.execute("SELECT id FROM accounts WHERE name = 'Corvedale Foods Ltd'").fetchone()
    since = (TODAY - timedelta(days=90)).isoformat()
    types = [
        t
        for (t,) in con.execute(
            "SELECT type FROM interactions WHERE account_id = ? AND occurred_on > ? "
            "AND occurred_on <= ?",
            [aid, since, TODAY.isoformat()],
        )
    ]
    con.close()
    _code, out, _ = _run(capsys, "account", aid, "--db", str(sample), "--json")
    data = json.loads(out)
    assert data["engagement"]["extra"]["points"] == pytest.approx(sum(POINTS[t] for t in types))
    assert data["engagement"]["band"] == "obsessive"
    assert "fear_concession" in {f["code"] for f in data["engagement"]["flags"]}


def test_account_text_output_explains_factors(sample: Path, capsys) -> None:
    code, out, _ = _run(capsys, "account", "Calderbrook Logistics plc", "--db", str(sample))
    assert code == 0
    assert "Renewal risk" in out and "Stakeholder coverage" in out
    assert "Economic buyer not contacted" in out


def test_unknown_account_is_one_line_and_exit_1(sample: Path, capsys) -> None:
    code, _out, err = _run(capsys, "account", "Nobody Ltd", "--db", str(sample))
    assert code == 1
    assert "No account" in err and err.count("\n") == 1


@pytest.mark.parametrize("kind", ["virtual-line", "horizon", "engagement"])
def test_chart_writes_a_png(sample: Path, tmp_path: Path, capsys, kind: str) -> None:
    out = tmp_path / f"{kind}.png"
    code, _stdout, _ = _run(capsys, "chart", kind, "--db", str(sample), "--out", str(out))
    assert code == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 20_000  # a drawn chart, not an empty canvas


def test_export_commands_write_documents_and_refuse_unknown_refs(
    sample: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "proposal.docx"
    code, _stdout, _ = _run(
        capsys,
        "export",
        "proposal",
        "--contract",
        "HWS-NAM-2022",
        "--db",
        str(sample),
        "--out",
        str(out),
    )
    assert code == 0 and out.exists()
    brief = tmp_path / "brief.docx"
    code, _, _ = _run(
        capsys,
        "export",
        "brief",
        "--contract",
        "HWS-NAM-2022",
        "--db",
        str(sample),
        "--out",
        str(brief),
    )
    assert code == 0
    from docx import Document

    doc = Document(str(brief))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Stakeholder coverage" in cells  # risk factors from the scoring engine
    code, _, err = _run(
        capsys,
        "export",
        "proposal",
        "--contract",
        "NO-SUCH",
        "--db",
        str(sample),
        "--out",
        str(tmp_path / "x.docx"),
    )
    assert code == 1 and "NO-SUCH" in err


def test_json_names_the_fourth_segment_maintain_and_overrides_with_it(sample: Path, capsys) -> None:
    code, out, _ = _run(capsys, "renewals", "--db", str(sample), "--json", "--months", "36")
    assert code == 0
    segments = {row["segment"] for row in json.loads(out)}
    assert "maintain" in segments
    assert "proportionate" not in segments
    # The sample's override to the fourth segment is stored and printed under the new name.
    code, out, _ = _run(
        capsys, "account", "Brabant Koeltransport B.V.", "--db", str(sample), "--json"
    )
    assert code == 0
    segment = json.loads(out)["segment"]
    assert segment["band"] == "maintain"
    assert segment["band_label"] == "Maintain"
    assert segment["extra"]["calculated"] == "drain"
    code, out, _ = _run(capsys, "account", "Brabant Koeltransport B.V.", "--db", str(sample))
    assert code == 0
    assert "Maintain" in out
    assert "Proportionate" not in out.split("Engagement")[0]
