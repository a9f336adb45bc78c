"""Word building blocks: safe text, right-to-left runs, templates with missing styles, tables."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn

from renewal_coach.export import docx_common as dc

HOSTILE = (
    "nul\x00 bell\x07 vt\x0b ff\x0c esc\x1b del\x7f c1\x85\x9f "
    "nonchar\ufffe\uffff\ufdd0 lone\ud800surrogate bom\ufeff "
    "override\u202eevil\u202c isolate\u2066x\u2069"
)


def _saved(document, tmp_path: Path, name: str = "out.docx") -> Path:
    path = tmp_path / name
    document.save(str(path))
    return path


# ---- text ---------------------------------------------------------------------------------------


def test_clean_drops_what_xml_cannot_hold_and_bidi_overrides() -> None:
    text = dc.clean(HOSTILE)
    for bad in "\x00\x07\x0b\x0c\x1b\x7f\x85\x9f\ufffe\uffff\ufdd0\ud800\ufeff\u202e\u2066":
        assert bad not in text
    assert text == "nul bell vt ff esc del c1 nonchar lonesurrogate bom overrideevil isolatex"


def test_clean_keeps_emoji_right_to_left_tabs_and_line_breaks() -> None:
    family = "👩\u200d👩\u200d👧"
    text = dc.clean(f"  Ünïcödé {family} 🚀\tשרה כהן\r\nمرحبا   \n\n\n\nend  ")
    assert text == f"Ünïcödé {family} 🚀\tשרה כהן\nمرحبا\n\nend"
    assert dc.clean(None) == ""
    assert dc.clean_line("a\nb\tc   d\u2028e") == "a b c d e"


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    assert dc.shorten("short", 10) == "short"
    cut = dc.shorten("the quick brown fox jumps over the lazy dog", 20)
    assert cut.endswith("…") and len(cut) <= 20 and cut.startswith("the quick brown")


def test_right_to_left_pieces_keep_their_inner_spaces() -> None:
    pieces = dc.bidi_segments("Confirmed by שרה כהן on 3 May")
    assert pieces == [("Confirmed by ", False), ("שרה כהן", True), (" on 3 May", False)]
    assert dc.bidi_segments("plain") == [("plain", False)]
    assert dc.bidi_segments("") == []
    assert dc.bidi_segments("ليلى حداد (مديرة)") == [("ليلى حداد (مديرة)", True)]
    # Brackets never end up split across directions.
    assert dc.bidi_segments("ליאור כהן (סמנכ״ל), 14 May") == [
        ("ליאור כהן", True),
        (" (", False),
        ("סמנכ״ל", True),
        ("), 14 May", False),
    ]


def test_right_to_left_runs_are_marked_for_word() -> None:
    document = Document()
    paragraph = document.add_paragraph()
    runs = dc.add_text(paragraph, "Owner: ليلى حداد (CTO)")
    marked = [
        r.text for r in runs if r._r.rPr is not None and r._r.rPr.find(qn("w:rtl")) is not None
    ]
    assert marked == ["ليلى حداد"]
    assert paragraph.text == "Owner: ليلى حداد (CTO)"


def test_hostile_text_survives_a_save_and_reopen(tmp_path: Path) -> None:
    opened = dc.open_template()
    document = opened.document
    dc.heading(document, HOSTILE, 1)
    dc.paragraph(document, HOSTILE + " 🚀 שלום")
    dc.table(document, ["A", "B"], [[HOSTILE, "x" * 5000]])
    dc.comment(document, document.paragraphs[0], HOSTILE)
    dc.set_properties(document, title=HOSTILE, author=HOSTILE)
    reopened = Document(str(_saved(document, tmp_path)))
    text = dc.all_text(reopened)
    assert "overrideevil" in text and "🚀 שלום" in text and "x" * 5000 in text
    assert "\x00" not in text and "\u202e" not in text


def test_headings_refuse_to_be_blank() -> None:
    document = dc.open_template().document
    with pytest.raises(ValueError):
        dc.heading(document, " \x00 \n ", 1)


# ---- templates ----------------------------------------------------------------------------------


def test_the_default_template_defines_every_required_style_and_starts_empty() -> None:
    opened = dc.open_template()
    assert opened.missing_styles == []
    names = {s.name for s in opened.document.styles}
    assert set(dc.REQUIRED_STYLES) <= names
    assert list(opened.document.element.body) == [opened.document.element.body.sectPr]
    assert opened.template == dc.DEFAULT_TEMPLATE


def test_template_generator_and_export_agree_on_the_styles() -> None:
    from renewal_coach.tools import make_template

    assert set(make_template.REQUIRED_STYLES) == set(dc.REQUIRED_STYLES)


def _company_template(tmp_path: Path, drop: tuple[str, ...] = ("Caption", "List Bullet")) -> Path:
    """A user template made from python-docx's blank document, with some styles deleted and
    some text in its body and header."""
    document = Document()
    for name in drop:
        element = document.styles[name].element
        element.getparent().remove(element)
    document.add_paragraph("Company letterhead text that must not appear in exports")
    document.sections[0].header.paragraphs[0].text = "ACME Ltd"
    return _saved(document, tmp_path, "company.docx")


def test_a_company_template_gets_the_missing_styles_with_the_default_look(tmp_path: Path) -> None:
    opened = dc.open_template(_company_template(tmp_path))
    document = opened.document
    assert set(opened.missing_styles) == {
        "Caption",
        "List Bullet",
        "Cover Detail",
        "Table Text",
        "Note",
        "Internal Banner",
        "Placeholder",
    }
    default = Document(str(dc.DEFAULT_TEMPLATE)).styles
    for name in opened.missing_styles:
        copied, original = document.styles[name], default[name]
        assert copied.type == original.type
        assert copied.font.size == original.font.size
        assert copied.font.color.rgb == original.font.color.rgb
    assert document.styles["Placeholder"].font.highlight_color == WD_COLOR_INDEX.YELLOW
    # The template's own body is gone; its header stays.
    assert document.paragraphs == []
    assert document.sections[0].header.paragraphs[0].text == "ACME Ltd"


def test_a_copied_list_style_brings_its_own_numbering(tmp_path: Path) -> None:
    document = dc.open_template(_company_template(tmp_path)).document
    style = document.styles["List Bullet"].element
    num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    numbering = document.part.numbering_part.element
    nums = {n.get(qn("w:numId")): n for n in numbering.findall(qn("w:num"))}
    assert num_id in nums
    abstract_id = nums[num_id].find(qn("w:abstractNumId")).get(qn("w:val"))
    abstracts = {a.get(qn("w:abstractNumId")) for a in numbering.findall(qn("w:abstractNum"))}
    assert abstract_id in abstracts
    dc.bullets(document, ["one", "two"])
    reopened = Document(str(_saved(document, tmp_path)))
    assert [p.style.name for p in reopened.paragraphs] == ["List Bullet", "List Bullet"]


def test_a_dotx_template_is_accepted(tmp_path: Path) -> None:
    source = _company_template(tmp_path, drop=())
    dotx = tmp_path / "company.dotx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dotx, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            zout.writestr(item, data)
    opened = dc.open_template(dotx)
    assert "Placeholder" in opened.missing_styles
    dc.paragraph(opened.document, "hello")
    assert Document(str(_saved(opened.document, tmp_path))).paragraphs[0].text == "hello"


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "does not exist"), (b"not a zip at all", "not a Word document")],
)
def test_unusable_templates_raise_a_clear_error(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "broken.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(dc.TemplateError, match=message):
        dc.open_template(path)


# ---- page furniture and properties -------------------------------------------------------------


def _footer_has_page_field(section) -> bool:
    return any(
        (i.text or "").strip().startswith("PAGE")
        for i in section.footer._element.iter(qn("w:instrText"))
    )


def test_page_numbers_are_added_once(tmp_path: Path) -> None:
    document = dc.open_template(_company_template(tmp_path)).document
    assert not _footer_has_page_field(document.sections[0])
    dc.ensure_page_numbers(document)
    dc.ensure_page_numbers(document)
    assert _footer_has_page_field(document.sections[0])
    fields = [i.text.strip() for i in document.sections[0].footer._element.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    # The default template already numbers its pages: nothing is added.
    default = dc.open_template().document
    before = default.sections[0].footer._element.xml
    dc.ensure_page_numbers(default)
    assert default.sections[0].footer._element.xml == before


def test_the_banner_is_on_first_and_even_pages_too(tmp_path: Path) -> None:
    document = dc.open_template(_company_template(tmp_path)).document
    document.sections[0].different_first_page_header_footer = True
    document.settings.odd_and_even_pages_header_footer = True
    dc.set_banner(document, "Internal")
    section = document.sections[0]
    for header in (section.header, section.first_page_header, section.even_page_header):
        assert "Internal" in [p.text for p in header.paragraphs]
        assert any(p.style.name == "Internal Banner" for p in header.paragraphs)


def test_properties_are_replaced_not_inherited(tmp_path: Path) -> None:
    source = Document()
    source.core_properties.author = "Someone Else"
    source.core_properties.comments = "confidential template comment"
    source.core_properties.keywords = "secret"
    path = _saved(source, tmp_path, "t.docx")
    document = dc.open_template(path).document
    dc.set_properties(document, title="Renewal proposal", author="Tom", status="Draft")
    props = Document(str(_saved(document, tmp_path))).core_properties
    assert (props.title, props.author, props.last_modified_by) == ("Renewal proposal", "Tom", "Tom")
    assert props.comments == "" and props.keywords == "" and props.content_status == "Draft"
    assert props.revision == 1


# ---- tables, pictures, comments ----------------------------------------------------------------


def test_tables_fill_the_width_repeat_their_header_and_use_named_styles(tmp_path: Path) -> None:
    document = dc.open_template().document
    grid = dc.table(
        document,
        ["Name", "Notes"],
        [["Ann", "short"], ["Bob", [("[fill in]", "Placeholder")]]],
        [1, 3],
    )
    assert grid.style.name == dc.DATA_TABLE_STYLE
    widths = [c.width for c in grid.columns]
    assert abs(sum(widths) - dc.text_width(document)) < 10
    assert widths[1] > 2.9 * widths[0]
    first_row = grid.rows[0]._tr.trPr
    assert first_row.find(qn("w:tblHeader")) is not None
    reopened = Document(str(_saved(document, tmp_path)))
    table = reopened.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Name", "Notes"],
        ["Ann", "short"],
        ["Bob", "[fill in]"],
    ]
    assert {p.style.name for row in table.rows for c in row.cells for p in c.paragraphs} == {
        "Table Text"
    }
    assert table.rows[2].cells[1].paragraphs[0].runs[0].style.name == "Placeholder"


def test_a_paragraph_after_a_table_gets_breathing_space() -> None:
    document = dc.open_template().document
    dc.table(document, ["A"], [["1"]])
    after = dc.paragraph(document, "next")
    assert after.paragraph_format.space_before is not None


def test_all_text_sees_headers_footers_comments_alt_text_and_properties(tmp_path: Path) -> None:
    from renewal_coach.export.charts import empty_figure, figure_png

    document = dc.open_template().document
    dc.set_running_header(document, "HEADER-X")
    body = dc.paragraph(document, "BODY-X")
    dc.comment(document, body, "COMMENT-X\nsecond line")
    dc.picture(
        document, figure_png(empty_figure("t", "m"), dpi=30), caption="CAP-X", alt_text="ALT-X"
    )
    dc.set_properties(document, title="TITLE-X", author="AUTHOR-X")
    reopened = Document(str(_saved(document, tmp_path)))
    text = dc.all_text(reopened)
    for marker in ("HEADER-X", "BODY-X", "COMMENT-X", "second line", "CAP-X", "ALT-X", "TITLE-X"):
        assert marker in text
    assert [c.author for c in reopened.comments] == [dc.COMMENT_AUTHOR]
    assert len(reopened.inline_shapes) == 1
