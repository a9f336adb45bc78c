"""The coaching brief: internal on every page, every section present or marked empty, scores
plugged in from outside, plans with questions and prep cards, charts as images."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document

from renewal_coach.core import enums as e
from renewal_coach.core import models as m
from renewal_coach.core.errors import NotFoundError
from renewal_coach.core.plans import build_plan
from renewal_coach.core.playbooks import load_library
from renewal_coach.export import docx_common as dc
from renewal_coach.export.brief import (
    BANNER,
    SECTION_TITLES,
    BriefScores,
    Factor,
    ScoreView,
    contribution,
    virtual_line,
)
from renewal_coach.export.charts import TimelineMilestone, VirtualLinePoint
from renewal_coach.export.commands import export_document
from renewal_coach.storage.plan_store import load_context, save_plan
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import load_sample

TODAY = date(2026, 3, 15)
REF = "CLB-FM-2021"


@pytest.fixture
def sample(store: Store) -> Store:
    """The sample portfolio with a renewal-proposal plan and an assessment for CLB-FM-2021."""
    load_sample(store, TODAY)
    contract = store.contracts.find_by_reference(REF)[0]
    ctx = load_context(store, contract.account_id)
    playbook = load_library().get("renewal-proposal")
    assert playbook is not None
    attendees = [p.id for p in ctx.stakeholders[:2]]
    plan = build_plan(
        playbook, ctx, contract_id=contract.id, meeting_date=TODAY, attendee_ids=attendees
    )
    plan.sections[0]["questions"][0]["answer"] = "They want a board-ready summary"
    plan.sections[0]["questions"][0]["asked"] = True
    save_plan(store, plan)
    store.assessments.add(
        m.Assessment(
            kind=e.AssessmentKind.READINESS,
            account_id=contract.account_id,
            contract_id=contract.id,
            taken_on=TODAY - timedelta(days=3),
            answers={"decision_date_known": "yes"},
            result={
                "score": 62.5,
                "expected": 75,
                "phase": "Ready",
                "gaps": ["Price not tested", "No walk-away set"],
                "items": [
                    {"item": "Decision date known", "answer": "yes"},
                    {"item": "Price tested", "answer": "no"},
                ],
            },
        )
    )
    return store


def _brief(store: Store, tmp_path: Path, ref: str = REF, **kwargs):
    report = export_document("brief", store, ref, tmp_path / "brief.docx", TODAY, **kwargs)
    return report, Document(str(report.path))


def _texts(document) -> str:
    return dc.all_text(document)


def test_internal_banner_on_every_page(sample: Store, tmp_path: Path) -> None:
    _, document = _brief(sample, tmp_path)
    for section in document.sections:
        texts = [p.text for p in section.header.paragraphs]
        assert BANNER in texts
        assert not section.different_first_page_header_footer
        banner = next(p for p in section.header.paragraphs if p.text == BANNER)
        assert banner.style.name == "Internal Banner"
    assert document.core_properties.content_status == "Internal"
    assert document.core_properties.category == "Internal coaching brief"


def test_banner_reaches_a_company_template_with_a_different_first_page(
    sample: Store, tmp_path: Path
) -> None:
    company = Document()
    company.sections[0].different_first_page_header_footer = True
    company.sections[0].first_page_header.paragraphs[0].text = "ACME cover header"
    template = tmp_path / "company.docx"
    company.save(str(template))
    report, document = _brief(sample, tmp_path, template=template)
    section = document.sections[0]
    assert BANNER in [p.text for p in section.first_page_header.paragraphs]
    assert BANNER in [p.text for p in section.header.paragraphs]
    assert "Internal Banner" in report.missing_styles


def test_sections_in_order_with_charts_as_images(sample: Store, tmp_path: Path) -> None:
    report, document = _brief(sample, tmp_path)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(SECTION_TITLES) == list(report.sections)
    assert document.paragraphs[0].style.name == "Title"
    assert report.charts == 2 and len(document.inline_shapes) == 2
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert any("virtual line" in c for c in captions)
    assert any("Contract timeline for CLB-FM-2021" in c for c in captions)


def test_internal_data_is_shown(sample: Store, tmp_path: Path) -> None:
    _, document = _brief(sample, tmp_path)
    text = _texts(document)
    contract = sample.contracts.find_by_reference(REF)[0]
    account = sample.accounts.get(contract.account_id)
    assert contract.walk_away in text
    assert account.notes in text
    assert "Cost to serve" in text and "£371,000" in text
    assert "Contribution" in text and "£2,450,000" in text
    assert "Treasure. 0.0% of positive contribution sits with accounts ranked above it" in text


def test_stakeholder_map_has_attitudes_modes_and_wins(sample: Store, tmp_path: Path) -> None:
    _, document = _brief(sample, tmp_path)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Person")
    assert [c.text for c in table.rows[0].cells] == [
        "Person",
        "Role",
        "Attitude and mode",
        "Their win",
        "Contact",
    ]
    rows = {r.cells[0].text.split("\n")[0]: [c.text for c in r.cells] for r in table.rows[1:]}
    bethany = rows["Bethany Osei"]
    assert "Supporter" in bethany[2] and "Trouble mode" in bethany[2]
    assert "Personal:" in bethany[3] and "✓ Confirmed with them" in bethany[3]
    # High influence first.
    assert table.rows[1].cells[1].text.endswith("High influence")


def test_plan_with_guardrails_questions_answers_and_prep_cards(
    sample: Store, tmp_path: Path
) -> None:
    _, document = _brief(sample, tmp_path)
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 2", "Guardrails") in paragraphs
    assert ("Heading 2", "Prep cards") in paragraphs
    assert ("Quote", "Answer: They want a board-ready summary") in paragraphs
    questions = [t for s, t in paragraphs if s == "List Bullet"]
    assert any("Have we got them right?" in q for q in questions)
    guardrails = next(t for t in document.tables if t.rows[0].cells[0].text == "Check")
    assert len(guardrails.rows) == 8
    assert {r.cells[1].text for r in guardrails.rows[1:]} <= {"Pass", "Warn", "Overridden"}
    cards = [t for s, t in paragraphs if s == "Heading 3" and ", " in t and "·" not in t]
    assert len(cards) == 2
    text = _texts(document)
    assert "Red flags" in text and "Personal win" in text


def test_a_chosen_plan_is_presented_instead_of_the_latest(sample: Store, tmp_path: Path) -> None:
    contract = sample.contracts.find_by_reference(REF)[0]
    ctx = load_context(sample, contract.account_id)
    discovery = load_library().get("discovery")
    assert discovery is not None
    older = build_plan(
        discovery,
        ctx,
        contract_id=contract.id,
        meeting_date=TODAY - timedelta(days=40),
        attendee_ids=[ctx.stakeholders[0].id],
    )
    older.title = "Discovery with the operations director"
    older = save_plan(sample, older)
    _, latest = _brief(sample, tmp_path)
    assert ("Heading 1", "Latest conversation plan") in [
        (p.style.name, p.text) for p in latest.paragraphs
    ]
    assert "Discovery with the operations director" not in _texts(latest)
    _, chosen = _brief(sample, tmp_path, plan_id=older.id)
    headings = [p.text for p in chosen.paragraphs if p.style.name == "Heading 1"]
    assert "Conversation plan" in headings and "Latest conversation plan" not in headings
    assert "Discovery with the operations director" in _texts(chosen)

    other = next(a for a in sample.accounts.all() if a.id != contract.account_id)
    foreign = save_plan(
        sample,
        build_plan(
            discovery,
            load_context(sample, other.id),
            contract_id=None,
            meeting_date=TODAY,
            attendee_ids=[],
        ),
    )
    with pytest.raises(NotFoundError, match="another account"):
        _brief(sample, tmp_path, plan_id=foreign.id)


def test_assessment_results_are_rendered(sample: Store, tmp_path: Path) -> None:
    _, document = _brief(sample, tmp_path)
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    heading = next(t for s, t in paragraphs if s == "Heading 2" and t.startswith("Readiness"))
    assert "this account" in heading
    text = _texts(document)
    assert "62.5" in text and "Price not tested; No walk-away set" in text
    items = next(t for t in document.tables if "Item" in [c.text for c in t.rows[0].cells])
    header = [c.text for c in items.rows[0].cells]
    rows = [dict(zip(header, [c.text for c in r.cells], strict=True)) for r in items.rows[1:]]
    assert {"Item": "Price tested", "Answer": "no"} in rows


def test_brief_is_scored_by_the_engine(sample: Store, tmp_path: Path) -> None:
    _, document = _brief(sample, tmp_path)
    notes = [p.text for p in document.paragraphs if p.style.name == "Note"]
    assert not any(n.startswith("Not scored in this brief") for n in notes)
    text = _texts(document)
    # Calderbrook (the sample's neglected Treasure account) is designed to be High risk and
    # in Neglect; the brief shows the engine's verdict, factors and hard floors.
    assert "High" in text and "Neglect" in text
    assert "Stakeholder coverage" in text
    assert "Economic buyer not contacted" in text


def test_scores_plug_in_as_an_object_or_a_mapping(sample: Store, tmp_path: Path) -> None:
    risk = ScoreView(
        value=58.0,
        band="Elevated",
        confidence=0.8,
        factors=[
            Factor("Market test", "negotiated, competitor active", 0.6, 0.10, 6.0),
            Factor("Opposition", "one sceptic", 0.45, 0.12, 5.4),
            Factor("Delivery", "19 of 24 KPIs", 0.21, 0.15, 3.15),
            Factor("Evidence gap", "none validated", 1.0, 0.10, 10.0),
        ],
        missing=["commercial position"],
    )
    engagement = {
        "value": 0.4,
        "band": e.Segment.DRAIN,  # any labelled enum reads as its label
        "flags": ["Single thread: 72% of contact with one person"],
        "details": [("Intensity", 2.4), ("Target", 6.0)],
    }
    milestones = [
        TimelineMilestone("M0", TODAY - timedelta(days=1400), "done"),
        TimelineMilestone("M1", TODAY - timedelta(days=1300), "before_tracking"),
        TimelineMilestone("M3", TODAY - timedelta(days=100), "overdue"),
        TimelineMilestone("M4", TODAY + timedelta(days=10), "upcoming"),
    ]
    portfolio = [VirtualLinePoint("Calderbrook Logistics plc", 100, "treasure")]
    for scores in (
        BriefScores(
            segment=e.Segment.DEVELOP,
            segment_note="Overridden thresholds",
            risk=risk,
            engagement=engagement,
            milestones=milestones,
            portfolio=portfolio,
        ),
        {
            "segment": "develop",
            "segment_note": "Overridden thresholds",
            "risk": risk,
            "engagement": engagement,
            "milestones": milestones,
            "portfolio": portfolio,
        },
    ):
        report, document = _brief(sample, tmp_path, scores=scores)
        text = _texts(document)
        assert "Develop. Overridden thresholds" in text
        assert "Largest contributors: Evidence gap, Market test, Opposition." in text
        factors = next(t for t in document.tables if t.rows[0].cells[0].text == "Factor")
        assert [c.text for c in factors.rows[1].cells] == [
            "Market test",
            "negotiated, competitor active",
            "0.6",
            "0.1",
            "6",
        ]
        assert "Missing inputs (counted as 0.5): commercial position." in text
        assert "Single thread: 72% of contact with one person" in text
        assert "80% of the factors had real data" in text
        timeline = next(
            t for t in document.tables if len(t.columns) > 3 and t.rows[0].cells[2].text == "Due"
        )
        assert [r.cells[3].text for r in timeline.rows[1:]] == [
            "Done",
            "Before tracking",
            "Overdue",
            "Upcoming",
        ]
        # the row from before tracking is explained, in words
        assert "1 milestone marked “Before tracking” fell due before" in text
        assert "not counted as late" in text
        assert not any(p.text.startswith("Not scored") for p in document.paragraphs)
        assert report.charts == 2


def test_an_empty_account_marks_every_section_instead_of_leaving_it_blank(
    store: Store, tmp_path: Path
) -> None:
    account = store.accounts.add(m.Account(name="Empty Co"))
    store.contracts.add(
        m.Contract(
            account_id=account.id,
            title="Nothing yet",
            reference="E-1",
            start_date=TODAY - timedelta(days=30),
            end_date=TODAY + timedelta(days=700),
        )
    )
    report, document = _brief(store, tmp_path, ref="E-1")
    assert report.sections == SECTION_TITLES and report.omitted == ()
    body = list(document.element.body.iterchildren())
    for index, child in enumerate(body):
        if child.tag.endswith("}p") and "Heading" in child.xml[:600]:
            following = body[index + 1]
            assert not (following.tag.endswith("}p") and 'w:val="Heading1"' in following.xml)
    notes = [p.text for p in document.paragraphs if p.style.name == "Note"]
    assert any("No stakeholders recorded" in n for n in notes)
    assert any("No conversation plan yet" in n for n in notes)
    assert any("No maturity, posture or readiness" in n for n in notes)
    assert "Unrated. No revenue figure for the last 12 months" in _texts(document)


def test_hostile_names_and_notes_survive(store: Store, tmp_path: Path) -> None:
    account = store.accounts.add(
        m.Account(name="مؤسسة النور 🌙", notes="Line one\x07\nLine two 🚀 " + "x" * 15_000)
    )
    store.stakeholders.add(
        m.Stakeholder(account_id=account.id, name="דוד לוי", title="מנהל", notes="‮reversed")
    )
    store.contracts.add(
        m.Contract(
            account_id=account.id,
            title="Lighting <b>&</b>",
            reference="H-1",
            start_date=TODAY - timedelta(days=400),
            end_date=TODAY + timedelta(days=400),
        )
    )
    _, document = _brief(store, tmp_path, ref="H-1")
    text = _texts(document)
    assert "مؤسسة النور 🌙" in text and "דוד לוי" in text and "Lighting <b>&</b>" in text
    assert "Line two 🚀" in text and "x" * 15_000 in text
    assert "\u202e" not in text


def test_contribution_and_virtual_line_follow_the_documented_rule() -> None:
    def account(name: str, revenue: int, cost: int, **kw) -> m.Account:
        return m.Account(
            id=name, name=name, revenue_12m_minor=revenue, direct_cost_12m_minor=cost, **kw
        )

    big = account("big", 100_000, 20_000, serve_hours_12m=10, hourly_rate_minor=100)
    assert contribution(big).value == 100_000 - 20_000 - 1_000
    accounts = [
        big,
        account("mid", 20_000, 10_000),
        account("small", 3_000, 2_000),
        account("loss", 1_000, 5_000),
        account("new", 50_000, 0, customer_since=TODAY - timedelta(days=100)),
        account("forced", 1_000, 500, segment_override=e.Segment.TREASURE),
        m.Account(id="blank", name="blank"),
    ]
    placed = virtual_line(accounts, TODAY)
    segments = {key: segment.value for key, (_, segment) in placed.items()}
    assert segments == {
        "big": "treasure",
        "new": "unrated",
        "mid": "develop",
        "small": "maintain",
        "forced": "maintain",
        "loss": "drain",
    }
    assert placed["forced"][0].segment == "treasure"  # the override is what the chart shows


def test_milestones_too_close_to_name_on_the_timeline_are_listed_beside_it(
    sample: Store, tmp_path: Path
) -> None:
    # Twenty years of quarterly reviews on one chart: the names cannot all fit.
    contract = sample.contracts.find_by_reference(REF)[0]
    started = contract.start_date
    contract.start_date = date(2006, 1, 1)
    sample.contracts.update(contract)
    _report, document = _brief(sample, tmp_path)
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "Not named on the chart"]
    assert len(tables) == 1
    listed = [row.cells[0].text for row in tables[0].rows[1:]]
    assert listed and all(code[0] in "MN" for code in listed), listed
    # each with its due date and status, as the chart would have shown them
    assert all(row.cells[1].text and row.cells[2].text for row in tables[0].rows[1:])
    # and the short chart of the sample, where every name fits, has no such table
    contract.start_date = started
    sample.contracts.update(contract)
    _report, document = _brief(sample, tmp_path)
    assert not [t for t in document.tables if t.rows[0].cells[0].text == "Not named on the chart"]


def test_the_score_is_said_once_and_every_milestone_has_its_name(
    sample: Store, tmp_path: Path
) -> None:
    # Seen in the brief: the risk table had two "Score" rows (66.4 and 66.4 of 100), and the
    # notice deadline's row in the milestone table had no name.
    _, document = _brief(sample, tmp_path)
    for table in document.tables:
        keys = [row.cells[0].text for row in table.rows]
        assert keys.count("Score") <= 1, keys
    risk = next(
        t for t in document.tables if [r.cells[0].text for r in t.rows][:2] == ["Score", "Band"]
    )
    assert risk.rows[0].cells[1].text.endswith(" of 100")
    milestones = next(
        t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["Code", "Milestone"]
    )
    rows = [[c.text for c in r.cells] for r in milestones.rows[1:]]
    assert rows and all(name for _code, name, *_ in rows), rows
    assert any(code == "N" and name.startswith("Notice deadline") for code, name, *_ in rows)
