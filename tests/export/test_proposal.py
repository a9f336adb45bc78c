"""The renewal proposal draft: future first, validated value only, bid-team notes in comments,
and never a trace of internal data anywhere in the file."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from renewal_coach.core import enums as e
from renewal_coach.core import models as m
from renewal_coach.core.money import format_money
from renewal_coach.core.records import fields_of, internal_fields
from renewal_coach.export import docx_common as dc
from renewal_coach.export.commands import (
    AmbiguousContractError,
    ExportError,
    UnknownContractError,
    export_document,
    suggested_file_name,
)
from renewal_coach.export.proposal import (
    SECTION_TITLES,
    build_proposal,
    cadence_words,
    parse_number,
    public_copy,
)
from renewal_coach.storage.history import HistoryQuery, read_changes
from renewal_coach.storage.repository import Store
from renewal_coach.storage.sample import load_sample

TODAY = date(2026, 3, 15)

#: Words that name internal concepts; none may appear in a proposal.
INTERNAL_WORDS = (
    "treasure",
    "drain",
    "unrated",
    "proportionate",
    "maintain",
    "champion",
    "sceptic",
    "opponent",
    "overconfident",
    "even keel",
    "attitude",
    "response mode",
    "segment",
    "margin",
    "contribution",
    "cost to serve",
    "walk-away",
    "walk away",
    "risk score",
    "neglect",
    "obsessive",
    "engagement band",
)


def _days(n: int) -> date:
    return TODAY + timedelta(days=n)


# ---- a fully populated account whose internal fields hold markers ------------------------------

#: A value per internal field kind that is not text; text gets a ``LEAK-`` marker.
_NON_TEXT: dict[str, Any] = {
    "money": 987_654_321,
    "decimal": Decimal("987.654"),
}
_ENUM_VALUES: dict[type, Any] = {
    e.Segment: e.Segment.DRAIN,
    e.Attitude: e.Attitude.OPPONENT,
    e.ResponseMode: e.ResponseMode.OVERCONFIDENT,
}


def _markers(entity: type[m.Record], tag: str) -> dict[str, Any]:
    """A value for every internal field of ``entity``: ``LEAK-<tag>-<field>`` for text."""
    values: dict[str, Any] = {}
    for fi in fields_of(entity):
        if fi.name not in internal_fields(entity):
            continue
        if fi.name == "email":
            values[fi.name] = f"LEAK-{tag}-email@leak.example"
        elif fi.name == "phone":
            values[fi.name] = "+44 987 654 321"
        elif fi.kind in ("str", "text"):
            values[fi.name] = f"LEAK-{tag}-{fi.name}"
        elif fi.kind == "enum":
            values[fi.name] = _ENUM_VALUES[fi.enum]
        else:
            values[fi.name] = _NON_TEXT[fi.kind]
    return values


def leaky_account(store: Store, *, name: str = "Orbital Foods Ltd") -> m.Contract:
    """An account with every section of the proposal filled, and every internal field of every
    record holding a marker. Returns the contract."""
    account = store.accounts.add(
        m.Account(
            name=name,
            industry="Food",
            region="North",
            owner="Priya Raman",
            customer_since=_days(-2000),
            contact_cadence_days=30,
            **_markers(m.Account, "account"),
        )
    )
    contract = store.contracts.add(
        m.Contract(
            account_id=account.id,
            title="Cold chain logistics",
            reference="OFL-CC-1",
            start_date=_days(-1000),
            end_date=_days(300),
            annual_value_minor=1_250_000_00,
            notice_period_days=120,
            decision_date=_days(200),
            extension_months=12,
            extension_exercise_by=_days(250),
            extension_holder=e.OptionHolder.CUSTOMER,
            kpis_total=10,
            kpis_met=9,
            **_markers(m.Contract, "contract"),
        )
    )
    people = [
        store.stakeholders.add(
            m.Stakeholder(
                account_id=account.id,
                name=person,
                title=title,
                buying_role=role,
                influence=e.Influence.HIGH,
                win_business="Fewer spoiled loads",
                contact_cadence_days=cadence,
                preferred_channel=e.Channel.VIDEO,
                no_surveys=True,
                **_markers(m.Stakeholder, f"person{i}"),
            )
        )
        for i, (person, title, role, cadence) in enumerate(
            [
                ("Dana Holt", "Chief Operating Officer", e.BuyingRole.ECONOMIC_BUYER, 91),
                ("Yusuf Ali", "Logistics Manager", e.BuyingRole.USER, 14),
            ]
        )
    ]
    confirmed = store.goals.add(
        m.CustomerGoal(
            account_id=account.id,
            contract_id=contract.id,
            statement="Deliver every chilled load within its temperature band",
            metric="loads out of band per month",
            metric_from="14",
            metric_to="2",
            target_date=_days(400),
            priority=1,
            confirmed_by_id=people[0].id,
            confirmed_on=_days(-60),
            our_response="Live temperature tracking with alerts to the depot",
        )
    )
    store.goals.add(
        m.CustomerGoal(
            account_id=account.id,
            statement="ASSUMED-GOAL expand into frozen ready meals",
            priority=2,
        )
    )
    store.evidence.add(
        m.ValueEvidence(
            account_id=account.id,
            contract_id=contract.id,
            description="Re-routed the night trunk runs",
            metric="late deliveries per week",
            before="12",
            after="3",
            period_start=_days(-400),
            period_end=_days(-100),
            validated_by_id=people[1].id,
            validated_on=_days(-90),
        )
    )
    store.evidence.add(
        m.ValueEvidence(
            account_id=account.id,
            description="UNVALIDATED-EVIDENCE new pallet wrap",
            metric="damaged pallets",
            before="40",
            after="20",
        )
    )
    store.improvements.add(
        m.Improvement(
            account_id=account.id,
            contract_id=contract.id,
            title="Driver handover app",
            description="Drivers log temperatures at each stop.",
            status=e.ImprovementStatus.ACKNOWLEDGED,
            proposed_on=_days(-500),
            delivered_on=_days(-300),
            acknowledged_on=_days(-250),
        )
    )
    store.improvements.add(
        m.Improvement(
            account_id=account.id,
            title="Shared depot dashboard",
            description="One screen for both teams.",
            status=e.ImprovementStatus.PROPOSED,
            proposed_on=_days(-30),
        )
    )
    store.improvements.add(
        m.Improvement(
            account_id=account.id,
            title="Predictive maintenance on fridges",
            status=e.ImprovementStatus.AGREED,
            proposed_on=_days(-40),
            goal_id=confirmed.id,
        )
    )
    store.concerns.add(
        m.Concern(
            account_id=account.id,
            description="Late collections at the north depot",
            severity=1,
            opened_on=_days(-50),
        )
    )
    store.concerns.add(
        m.Concern(
            account_id=account.id,
            description="HIDDEN-CONCERN our driver rota is thin",
            opened_on=_days(-50),
            visible_to_customer=False,
        )
    )
    store.change_events.add(
        m.ChangeEvent(
            account_id=account.id,
            kind=e.ChangeKind.NEW_ECONOMIC_BUYER,
            occurred_on=_days(-120),
            description="Dana replaced the old COO",
        )
    )
    store.change_events.add(
        m.ChangeEvent(
            account_id=account.id,
            kind=e.ChangeKind.COMPETITOR_ENGAGED,
            occurred_on=_days(-20),
            description="RIVAL-SEEN at the depot",
        )
    )
    plan = store.plans.add(
        m.ConversationPlan(
            account_id=account.id,
            contract_id=contract.id,
            title="Value review",
            meeting_date=_days(-10),
            attendee_ids=[people[0].id],
        )
    )
    session = store.coaching_sessions.add(
        m.CoachingSession(
            plan_id=plan.id, started_at="2026-03-01T10:00:00", **_markers(m.CoachingSession, "s")
        )
    )
    store.commitments.add(
        m.Commitment(
            account_id=account.id,
            plan_id=plan.id,
            party=e.Party.CUSTOMER,
            description="Share the depot floor plans",
            owner="Dana Holt",
            due_on=_days(20),
        )
    )
    store.commitments.add(
        m.Commitment(
            account_id=account.id,
            party=e.Party.US,
            description="Send the tracking pilot plan",
            owner="Priya Raman",
            due_on=_days(30),
        )
    )
    store.commitments.add(
        m.Commitment(
            account_id=account.id,
            session_id=session.id,
            description="REHEARSAL-ONLY practise the pricing answer",
            due_on=_days(5),
        )
    )
    store.commitments.add(
        m.Commitment(
            account_id=account.id,
            description="Old promise past its date",
            due_on=_days(-5),
        )
    )
    return contract


def _markers_everywhere() -> list[str]:
    out = []
    for entity, tag in (
        (m.Account, "account"),
        (m.Contract, "contract"),
        (m.Stakeholder, "person0"),
        (m.Stakeholder, "person1"),
        (m.CoachingSession, "s"),
    ):
        out += [
            v for v in _markers(entity, tag).values() if type(v) is str and v.startswith("LEAK-")
        ]
    return out


def _package_text(path: Path) -> str:
    """Every XML part of the .docx, as text (body, headers, footers, comments, properties)."""
    with zipfile.ZipFile(path) as package:
        return "\n".join(
            package.read(name).decode("utf-8")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        )


@pytest.fixture
def leaky(store: Store) -> m.Contract:
    return leaky_account(store)


@pytest.fixture
def sample(store: Store) -> Store:
    load_sample(store, TODAY)
    return store


def _export(store: Store, ref: str, tmp_path: Path, **kwargs: Any):
    out = tmp_path / f"{ref}.docx"
    report = export_document("proposal", store, ref, out, TODAY, **kwargs)
    return report, Document(str(report.path))


def _body_blocks(document) -> list[tuple[str, str]]:
    """(style name or "table", text) for each body paragraph and table, in order."""
    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            from docx.text.paragraph import Paragraph

            p = Paragraph(child, document)
            blocks.append((p.style.name, p.text))
        elif child.tag.endswith("}tbl"):
            blocks.append(("table", ""))
    return blocks


# ---- never leaks --------------------------------------------------------------------------------


def test_every_internal_field_is_covered_by_the_leak_markers() -> None:
    for entity in m.ENTITIES:
        hidden = internal_fields(entity)
        assert set(_markers(entity, "x")) == hidden


def test_no_internal_data_reaches_any_part_of_the_proposal(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    report, document = _export(store, leaky.reference, tmp_path)
    raw = _package_text(report.path)
    text = dc.all_text(document)
    markers = _markers_everywhere()
    assert markers and all(marker.startswith("LEAK-") for marker in markers)
    assert "LEAK-" not in raw and "LEAK-" not in text
    for amount in (987_654_321, 9_876_543, 98_765):
        for shown in (str(amount), f"{amount:,}", format_money(amount, "GBP")):
            assert shown not in raw
    assert "987.654" not in raw and "987.65" not in raw
    assert "987 654 321" not in raw
    for word in INTERNAL_WORDS:
        assert not re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE), word
    # Things never shown to the customer, even though they are not marked internal.
    for secret in ("RIVAL-SEEN", "REHEARSAL-ONLY", "HIDDEN-CONCERN", "competitor"):
        assert secret.lower() not in raw.lower()
    assert report.warnings == ()


def test_the_change_history_never_reaches_the_proposal(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    # The walk-away was edited: the history holds the old text as well, and it stays there.
    store.contracts.update(dataclasses.replace(leaky, walk_away="HISTORY-OLD-WALKAWAY"))
    store.contracts.update(dataclasses.replace(leaky, walk_away="HISTORY-NEW-WALKAWAY"))
    held = read_changes(store, HistoryQuery(record_id=leaky.id, text="HISTORY-OLD"))
    assert held and all(e.internal for e in held if e.field)
    report, document = _export(store, leaky.reference, tmp_path)
    raw = _package_text(report.path)
    assert "HISTORY-" not in raw and "HISTORY-" not in dc.all_text(document)
    assert "LEAK-" not in raw  # what the record held before the edits is not there either


def test_comments_and_properties_carry_no_internal_data(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    _, document = _export(store, leaky.reference, tmp_path)
    comments = " ".join(c.text for c in document.comments)
    assert comments and "LEAK-" not in comments
    props = document.core_properties
    assert props.title == "Renewal proposal: Cold chain logistics"
    assert props.author == "Priya Raman" and props.last_modified_by == "Priya Raman"
    assert props.subject == "Orbital Foods Ltd, contract OFL-CC-1"
    assert props.content_status == "Draft"
    assert "python-docx" not in " ".join(
        [props.comments, props.author, props.keywords, props.category]
    )


def test_public_copy_blanks_exactly_the_internal_fields() -> None:
    person = m.Stakeholder(name="A", attitude=e.Attitude.OPPONENT, notes="secret", title="CFO")
    copy = public_copy(person)
    assert copy.attitude is e.Attitude.UNKNOWN and copy.notes == "" and copy.win_personal == ""
    assert copy.name == "A" and copy.title == "CFO"
    assert person.notes == "secret"  # the original is untouched


def test_internal_text_copied_into_a_public_field_is_reported(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    account = store.accounts.get(leaky.account_id)
    store.goals.add(
        m.CustomerGoal(
            account_id=account.id,
            statement=f"Goal that quotes {account.notes} by mistake",
            confirmed_by_id=store.stakeholders.for_account(account.id)[0].id,
            confirmed_on=_days(-3),
        )
    )
    report, _ = _export(store, leaky.reference, tmp_path)
    assert len(report.warnings) == 1
    assert "Account Notes" in report.warnings[0]


def test_sample_proposals_hold_no_internal_text_or_vocabulary(sample: Store) -> None:
    from renewal_coach.export.proposal import internal_texts

    checked = 0
    for contract in sample.contracts.all()[::5]:
        built = build_proposal(sample, contract.id, TODAY)
        text = dc.all_text(built.document)
        for where, value in internal_texts(sample, contract.account_id):
            assert value not in text, where
        for word in INTERNAL_WORDS:
            assert not re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE), (
                contract.reference,
                word,
            )
        assert built.warnings == []
        checked += 1
    assert checked >= 8


# ---- content ------------------------------------------------------------------------------------


def test_sections_come_in_order_future_first(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    report, document = _export(store, leaky.reference, tmp_path)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(SECTION_TITLES)
    assert report.sections == SECTION_TITLES and report.omitted == ()
    assert headings.index("Your goals for the next term") == 1


def test_cover_page_has_title_account_and_contract_then_a_page_break(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    _, document = _export(store, leaky.reference, tmp_path)
    first = [(p.style.name, p.text) for p in document.paragraphs[:8]]
    assert first[0] == ("Title", "Renewal proposal")
    assert first[1] == ("Subtitle", "Orbital Foods Ltd")
    details = [text for style, text in first if style == "Cover Detail"]
    assert "Cold chain logistics" in details
    assert "Contract reference OFL-CC-1" in details
    assert f"Draft of {dc.long_date(TODAY)}" in details
    assert 'w:type="page"' in document.paragraphs[len(details) + 2]._p.xml
    # The cover has no header or footer; the other pages do.
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert "Orbital Foods Ltd · Renewal proposal · Draft" in section.header.paragraphs[-1].text


def test_only_confirmed_goals_are_presented_as_theirs(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    _, document = _export(store, leaky.reference, tmp_path)
    goals = document.tables[0]
    assert [c.text for c in goals.rows[0].cells] == ["Your goal", "Measure", "By", "Confirmed by"]
    assert len(goals.rows) == 2
    row = [c.text for c in goals.rows[1].cells]
    assert row[0] == "Deliver every chilled load within its temperature band"
    assert row[1] == "loads out of band per month: 14 → 2"
    assert row[2] == dc.long_date(_days(400))
    assert row[3] == f"Dana Holt (Chief Operating Officer), {dc.long_date(_days(-60))}"
    body = "\n".join(text for _, text in _body_blocks(document))
    body += " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "ASSUMED-GOAL" not in body
    assert any("ASSUMED-GOAL" in c.text for c in document.comments)


def test_value_table_shows_validated_evidence_only_marked_as_such(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    report, document = _export(store, leaky.reference, tmp_path)
    value = next(t for t in document.tables if t.rows[0].cells[0].text == "What we delivered")
    rows = [[c.text for c in r.cells] for r in value.rows[1:]]
    assert rows == [
        [
            "Re-routed the night trunk runs",
            "late deliveries per week",
            "12",
            "3",
            f"✓ Validated by Yusuf Ali (Logistics Manager), {dc.long_date(_days(-90))}",
        ]
    ]
    assert report.charts == 2
    assert len(document.inline_shapes) == 2
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == 2
    comments = " ".join(c.text for c in document.comments)
    assert "UNVALIDATED-EVIDENCE" in comments
    assert "9 of 10 KPIs" in comments


def test_changes_are_neutral_and_competitors_never_mentioned(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    _, document = _export(store, leaky.reference, tmp_path)
    blocks = _body_blocks(document)
    start = blocks.index(("Heading 1", "What has changed"))
    bullets = [t for s, t in blocks[start + 1 : start + 5] if s == "List Bullet"]
    assert bullets == [
        f"New leadership of the budget that funds these services (since "
        f"{dc.month_year(_days(-120))})."
    ]
    assert any("Dana replaced the old COO" in c.text for c in document.comments)


def test_improvements_ideas_and_working_together(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    _, document = _export(store, leaky.reference, tmp_path)
    blocks = _body_blocks(document)
    texts = [t for _, t in blocks]
    assert ("Heading 2", "Delivered this term") in blocks
    assert ("Heading 2", "Proposed for the next term") in blocks
    assert ("List Bullet", "Shared depot dashboard: One screen for both teams.") in blocks
    idea_heading = (
        "Heading 2",
        "For your goal: Deliver every chilled load within its temperature band",
    )
    assert idea_heading in blocks
    at = blocks.index(idea_heading)
    ideas = [t for s, t in blocks[at + 1 : at + 3] if s == "List Bullet"]
    assert ideas == [
        "Predictive maintenance on fridges: Agreed with you.",
        "Live temperature tracking with alerts to the depot.",
    ]
    assert "Across Orbital Foods Ltd: every month, as you asked." in texts
    rhythm = next(
        t for t in document.tables if t.rows[0].cells[0].text == "Who" and len(t.columns) == 5
    )
    assert [c.text for c in rhythm.rows[1].cells] == [
        "Dana Holt",
        "Chief Operating Officer",
        "Every quarter",
        "Video call",
        "No surveys: we ask in conversation instead",
    ]


def test_commercial_section_is_marked_placeholders(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    _, document = _export(store, leaky.reference, tmp_path)
    commercial = next(t for t in document.tables if t.rows[0].cells[1].text == "Current term")
    assert commercial.rows[1].cells[1].text == "£1,250,000"
    placeholders = [
        run
        for row in commercial.rows
        for cell in row.cells
        for run in cell.paragraphs[0].runs
        if run.text.startswith("[")
    ]
    assert len(placeholders) >= 7
    assert {run.style.name for run in placeholders} == {"Placeholder"}
    assert all(run.text.endswith("]") for run in placeholders)


def test_commitments_and_next_steps(store: Store, leaky: m.Contract, tmp_path: Path) -> None:
    _, document = _export(store, leaky.reference, tmp_path)
    commitments = next(t for t in document.tables if t.rows[0].cells[1].text == "Commitment")
    rows = [[c.text for c in r.cells] for r in commitments.rows[1:]]
    assert rows == [
        ["Us", "Send the tracking pilot plan", "Priya Raman", dc.long_date(_days(30))],
        ["Orbital Foods Ltd", "Share the depot floor plans", "Dana Holt", dc.long_date(_days(20))],
    ]
    steps = next(t for t in document.tables if t.rows[0].cells[0].text == "When")
    names = [r.cells[1].text for r in steps.rows[1:]]
    assert names == [
        "Share the depot floor plans",
        "Send the tracking pilot plan",
        "Notice date under the current contract",
        "Your decision on the next term (expected)",
        "Last day to take up the extension option",
        "Current term ends",
        "Next term begins",
    ]
    assert any("Old promise past its date" in c.text for c in document.comments)


def test_guidance_lives_in_comments_signed_by_the_app(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    report, document = _export(store, leaky.reference, tmp_path)
    comments = list(document.comments)
    assert report.comments == len(comments) >= 4
    assert {c.author for c in comments} == {dc.COMMENT_AUTHOR}
    assert "delete every comment" in comments[0].text
    assert any("Late collections at the north depot (severity 1)" in c.text for c in comments)
    body = " ".join(p.text for p in document.paragraphs)
    assert "bid team" not in body.replace("[Bid team", "")


# ---- empty and hostile --------------------------------------------------------------------------


def _assert_no_blank_headings(document) -> None:
    blocks = _body_blocks(document)
    for index, (style, text) in enumerate(blocks):
        if style.startswith("Heading"):
            assert text.strip(), "blank heading"
            assert index + 1 < len(blocks), f"heading at the end: {text}"
            following = blocks[index + 1][0]
            level = int(style[-1])
            assert not (following.startswith("Heading") and int(following[-1]) <= level), (
                f"empty section: {text}"
            )


def test_an_empty_contract_omits_sections_and_says_so_in_a_comment(
    store: Store, tmp_path: Path
) -> None:
    account = store.accounts.add(m.Account(name="Bare Ltd"))
    store.contracts.add(
        m.Contract(
            account_id=account.id,
            title="Bare contract",
            reference="BARE-1",
            start_date=_days(-800),
            end_date=_days(-10),
        )
    )
    report, document = _export(store, "bare-1", tmp_path)
    assert report.sections == ("Executive summary", "Commercial proposal")
    assert set(report.omitted) == set(SECTION_TITLES) - set(report.sections)
    _assert_no_blank_headings(document)
    assert any("Left out because" in c.text for c in document.comments)
    assert any("ended on" in p.text for p in document.paragraphs)


def test_hostile_text_is_cleaned_and_kept_readable(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    account = store.accounts.get(leaky.account_id)
    person = store.stakeholders.add(
        m.Stakeholder(account_id=account.id, name="ליאור כהן", title="סמנכ״ל תפעול")
    )
    long_text = "Make every depot carbon neutral " * 55
    store.goals.add(
        m.CustomerGoal(
            account_id=account.id,
            statement="Zero waste 🚀♻️ <w:t>&amp; ]]> \x07bell " + long_text,
            metric="tonnes\x0b landfilled",
            metric_from="120",
            metric_to="0",
            confirmed_by_id=person.id,
            confirmed_on=_days(-1),
        )
    )
    report, document = _export(store, leaky.reference, tmp_path)
    cells = [c.text for r in document.tables[0].rows for c in r.cells]
    goal = next(c for c in cells if c.startswith("Zero waste"))
    assert "🚀♻️ <w:t>&amp; ]]> bell" in goal and "\x07" not in goal
    assert len(goal) > 1700
    assert any(c.startswith("ליאור כהן (סמנכ״ל תפעול)") for c in cells)
    _assert_no_blank_headings(document)
    assert "\x0b" not in _package_text(report.path)


# ---- templates, errors, the command -------------------------------------------------------------


def test_a_company_template_missing_styles_is_reported_and_still_styled(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    company = Document()
    caption = company.styles["Caption"].element
    caption.getparent().remove(caption)
    template = tmp_path / "company.docx"
    company.save(str(template))
    report, document = _export(store, leaky.reference, tmp_path, template=template)
    assert report.template == template
    assert {"Placeholder", "Table Text", "Cover Detail", "Caption"} <= set(report.missing_styles)
    assert "lacks these styles" in report.summary()
    used = {p.style.name for p in document.paragraphs}
    assert {"Cover Detail", "Caption", "Title", "Heading 1"} <= used
    default = Document(str(dc.DEFAULT_TEMPLATE)).styles
    for name in ("Table Text", "Cover Detail", "Caption"):
        assert document.styles[name].font.size == default[name].font.size
    assert document.styles["Placeholder"].font.highlight_color == (
        default["Placeholder"].font.highlight_color
    )


def test_unknown_and_ambiguous_references_raise_clear_errors(
    store: Store, leaky: m.Contract
) -> None:
    with pytest.raises(UnknownContractError, match="NOPE-9"):
        export_document("proposal", store, "NOPE-9", "/tmp/x.docx", TODAY)
    other = leaky_account(store, name="Second Foods Ltd")
    assert other.reference == leaky.reference
    with pytest.raises(AmbiguousContractError, match="Second Foods Ltd"):
        export_document("proposal", store, leaky.reference, "/tmp/x.docx", TODAY)
    with pytest.raises(ValueError, match="Unknown export"):
        export_document("memo", store, leaky.id, "/tmp/x.docx", TODAY)  # type: ignore[arg-type]


def test_export_by_id_appends_docx_reports_progress_and_replaces(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    seen: list[tuple[int, int, str]] = []
    out = tmp_path / "proposal"
    report = export_document(
        "proposal", store, leaky.id, out, TODAY, progress=lambda *a: seen.append(a)
    )
    assert report.path == tmp_path / "proposal.docx" and report.path.exists()
    assert report.kind == "proposal" and report.contract_reference == "OFL-CC-1"
    assert report.account_name == "Orbital Foods Ltd" and report.missing_styles == ()
    steps = [s for s, _, _ in seen]
    assert steps == sorted(steps) and seen[-1][0] == seen[-1][1]
    assert "written to" in report.summary()
    again = export_document("proposal", store, leaky.id, report.path, TODAY)
    assert again.path == report.path
    assert [p.name for p in tmp_path.iterdir()] == ["proposal.docx"]


def test_an_unwritable_target_is_an_export_error(
    store: Store, leaky: m.Contract, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        export_document("proposal", store, leaky.id, tmp_path / "no" / "x.docx", TODAY)


def test_suggested_file_names_are_safe() -> None:
    name = suggested_file_name("proposal", 'A/B: "C"', "R*1", TODAY)
    assert name == "A_B_ _C_ - R_1 - renewal proposal draft 2026-03-15.docx"
    assert "(internal)" in suggested_file_name("brief", "A", "R", TODAY)


@pytest.mark.parametrize(
    ("days", "words"),
    [(7, "Every week"), (30, "Every month"), (91, "Every quarter"), (45, "Every 45 days")],
)
def test_cadence_in_words(days: int, words: str) -> None:
    assert cadence_words(days) == words


def test_numbers_are_read_from_short_measures() -> None:
    assert parse_number("£4.10") == 4.10
    assert parse_number("1,200 hours") == 1200
    assert parse_number("92%") == 92
    assert parse_number("none") is None
