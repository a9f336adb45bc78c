"""Build the default Word template, resources/templates/renewal-coach.docx.

Run ``python -m renewal_coach.tools.make_template``. The template defines every style the
exports use (title, subtitle, headings, body, table, caption, quote, bullet and numbered
lists, plus the app's own cover, table text, note, internal banner and placeholder styles) and a
footer with page numbers, so exported documents are styled by name and a bid team
can restyle them in Word. Re-run after changing the look; the result is committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..paths import NotASourceTreeError, source_path

#: Where the template is written, relative to the source tree (never into an installed copy).
TEMPLATE = ("resources", "templates", "renewal-coach.docx")

INK = RGBColor(0x1F, 0x2A, 0x37)
ACCENT = RGBColor(0x00, 0x5A, 0x8C)
MUTED = RGBColor(0x5A, 0x64, 0x70)
WARNING = RGBColor(0xB4, 0x23, 0x18)
BODY_FONT = "Carlito"  # metric-compatible with Calibri; Word substitutes Calibri if absent

#: Every paragraph style the exports use, with (size pt, bold, colour, space before, after).
PARAGRAPH_STYLES: dict[str, tuple[float, bool, RGBColor, float, float]] = {
    "Normal": (10.5, False, INK, 0, 6),
    "Title": (28, True, INK, 0, 6),
    "Subtitle": (14, False, MUTED, 0, 18),
    "Heading 1": (16, True, ACCENT, 18, 6),
    "Heading 2": (13, True, INK, 12, 4),
    "Heading 3": (11, True, INK, 10, 2),
    "Caption": (9, False, MUTED, 2, 10),
    "Quote": (10.5, False, MUTED, 6, 6),
    "List Bullet": (10.5, False, INK, 0, 3),
    "List Number": (10.5, False, INK, 0, 3),
    "Header": (8.5, False, MUTED, 0, 0),
    "Footer": (8.5, False, MUTED, 0, 0),
    # Styles of this app (a company template will not have them; the export copies them in).
    "Cover Detail": (12, False, MUTED, 0, 4),
    "Table Text": (9.5, False, INK, 1, 1),
    "Note": (10, False, MUTED, 2, 8),
    "Internal Banner": (9, True, WARNING, 0, 0),
}
#: Character styles: "Placeholder" marks text the bid team must replace before sending.
CHARACTER_STYLES = ("Placeholder",)
#: Styles the exports need that the template must define; checked against user templates.
REQUIRED_STYLES = (*PARAGRAPH_STYLES, *CHARACTER_STYLES, "Table Grid", "Light List Accent 1")


def _page_number_field(paragraph) -> None:
    """Append a PAGE field (Word fills in the number) to ``paragraph``."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, placeholder, end):
        run._r.append(element)


def _complex_script(rpr, size: float, bold: bool) -> None:
    """Give ``rpr`` (a style's run properties) complex-script size and weight."""
    for tag in ("w:bCs", "w:szCs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    weight = OxmlElement("w:bCs")
    weight.set(qn("w:val"), "1" if bold else "0")
    script_size = OxmlElement("w:szCs")
    script_size.set(qn("w:val"), str(round(size * 2)))
    # Schema order: b, bCs, i, ... sz, szCs.
    anchor = rpr.find(qn("w:b"))
    if anchor is not None:
        anchor.addnext(weight)
    else:
        rpr.insert(0, weight)
    size_el = rpr.find(qn("w:sz"))
    if size_el is not None:
        size_el.addnext(script_size)
    else:
        rpr.append(script_size)


def build(path: Path) -> Path:
    """Write the template to ``path`` and return it."""
    document = Document()
    styles = document.styles
    for name, (size, bold, colour, before, after) in PARAGRAPH_STYLES.items():
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
        style.font.name = BODY_FONT
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.color.rgb = colour
        fmt = style.paragraph_format
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(after)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), BODY_FONT)
        for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme_attr), None)
        # Right-to-left and other complex-script text has its own size and weight: keep it in
        # step with the rest, or Hebrew and Arabic names come out larger (and bold in tables).
        _complex_script(rpr, size, bold)
    styles["Quote"].font.italic = True
    styles["Note"].font.italic = True
    styles["Table Text"].paragraph_format.line_spacing = 1.0
    styles["Internal Banner"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Internal Banner"].font.all_caps = True
    placeholder = styles.add_style("Placeholder", WD_STYLE_TYPE.CHARACTER)
    placeholder.font.bold = True
    placeholder.font.color.rgb = ACCENT
    placeholder.font.highlight_color = WD_COLOR_INDEX.YELLOW
    styles["Quote"].paragraph_format.left_indent = Cm(1)
    styles["Title"].paragraph_format.space_before = Pt(120)
    styles["Normal"].paragraph_format.line_spacing = 1.15
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        styles[name].paragraph_format.keep_with_next = True

    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    footer = section.footer.paragraphs[0]
    footer.style = styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    _page_number_field(footer)
    section.header.paragraphs[0].style = styles["Header"]

    # No author or comment inherited from python-docx's own default document.
    props = document.core_properties
    props.author = props.last_modified_by = props.comments = props.title = ""
    props.subject = props.keywords = props.category = ""

    # The template carries styles only: remove python-docx's default empty paragraph.
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    """Write the template (to the file given, else into the source tree); the exit code."""
    args = sys.argv[1:] if argv is None else argv
    try:
        target = Path(args[0]) if args else source_path(*TEMPLATE)
    except NotASourceTreeError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"Template written to {build(target)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
