"""Building blocks shared by the Word exports: the template, safe text, and styled content.

Every export starts from a template (:func:`open_template`): the bundled default, or a company
template a person chose. Styles the export needs but the company template lacks are copied in
from the default template, so the document keeps the default look for them, and their names are
reported so the app can say what was missing.

All text goes through :func:`clean` before it reaches the document: characters that XML (and so
Word) cannot hold are dropped, bidirectional override codes that could scramble a line are
removed, and right-to-left words get runs marked right-to-left so Word and LibreOffice order
them correctly inside left-to-right sentences. Emoji and other characters outside the basic
plane are kept.

Content is written with styles by name (never ad-hoc fonts), so a bid team can restyle the
document in Word.
"""

from __future__ import annotations

import copy
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Pt

from ..core.errors import RenewalCoachError
from ..paths import resource_path

if TYPE_CHECKING:  # pragma: no cover
    from docx.document import Document as DocxDocument
    from docx.section import Section
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

#: The bundled template; every style the exports use is defined in it.
DEFAULT_TEMPLATE = resource_path("resources", "templates", "renewal-coach.docx")

#: Paragraph styles the exports write with, by name.
PARAGRAPH_STYLES: tuple[str, ...] = (
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Caption",
    "Quote",
    "List Bullet",
    "List Number",
    "Header",
    "Footer",
    "Cover Detail",
    "Table Text",
    "Note",
    "Internal Banner",
)
#: Character styles the exports use.
CHARACTER_STYLES: tuple[str, ...] = ("Placeholder",)
#: Table styles the exports use.
TABLE_STYLES: tuple[str, ...] = ("Table Grid", "Light List Accent 1")
#: Every style an export needs; a template missing any of them gets the default definition.
REQUIRED_STYLES: tuple[str, ...] = (*PARAGRAPH_STYLES, *CHARACTER_STYLES, *TABLE_STYLES)

#: The table style for data tables (header row in the accent colour).
DATA_TABLE_STYLE = "Light List Accent 1"
#: Who comments are signed by.
COMMENT_AUTHOR = "Renewal Coach"
COMMENT_INITIALS = "RC"

_WORD_TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_WORD_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


class TemplateError(RenewalCoachError):
    """A Word template cannot be used; ``str(err)`` says which file and why."""


# ---- text ---------------------------------------------------------------------------------------

# Not allowed in XML 1.0 (C0 controls except tab and line breaks, lone surrogates, U+FFFE/FFFF),
# plus C1 controls, the byte-order mark and Unicode non-characters, which no document needs.
_XML_BAD = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0010fffe\U0010ffff]"
)
# Embedding, override and isolate controls: pasted text can carry unbalanced ones that reverse
# the rest of a line. Direction is handled with right-to-left runs instead.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def sanitise(value: object) -> str:
    """``value`` as text with only what a Word document can hold, ends untouched.

    Drops what XML cannot hold (most control characters, lone surrogates, non-characters) and
    bidirectional override codes; normalises to NFC and line breaks to ``\\n``; keeps emoji
    and right-to-left scripts. ``None`` gives ``""``.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return _BIDI_CONTROLS.sub("", _XML_BAD.sub("", text))


def clean(value: object) -> str:
    """Text made safe for a Word document (see :func:`sanitise`), trimmed; line breaks and
    tabs are kept, trailing spaces and runs of blank lines are not."""
    text = "\n".join(line.rstrip() for line in sanitise(value).split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def clean_line(value: object) -> str:
    """One line of safe text: line breaks and tabs become spaces, runs of spaces collapse."""
    text = clean(value).replace("\n", " ").replace("\t", " ").replace("\u2028", " ")
    return _SPACES.sub(" ", text.replace("\u2029", " ")).strip()


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = clean_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def _strong_direction(char: str) -> str | None:
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL"):
        return "rtl"
    if kind == "L":
        return "ltr"
    return None


def bidi_segments(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into (segment, right_to_left) pieces.

    Text with no right-to-left letters is one left-to-right piece; text with no left-to-right
    letters is one right-to-left piece. In mixed text, spaces and punctuation between two
    right-to-left letters belong to the right-to-left piece, so a Hebrew or Arabic name with
    spaces stays whole; brackets and everything else stay left-to-right, so a pair of brackets
    is never split between a right-to-left and a left-to-right run.
    """
    if not text:
        return []
    directions = [_strong_direction(c) for c in text]
    if "rtl" not in directions:
        return [(text, False)]
    if "ltr" not in directions:
        return [(text, True)]
    directions = [
        "ltr" if unicodedata.mirrored(c) else d for c, d in zip(text, directions, strict=True)
    ]
    resolved: list[bool] = []
    for i, direction in enumerate(directions):
        if direction is not None:
            resolved.append(direction == "rtl")
            continue
        before = next((d for d in reversed(directions[:i]) if d is not None), None)
        after = next((d for d in directions[i + 1 :] if d is not None), None)
        resolved.append(before == "rtl" and after == "rtl")
    pieces: list[tuple[str, bool]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or resolved[i] != resolved[start]:
            pieces.append((text[start:i], resolved[start]))
            start = i
    return pieces


def add_text(paragraph: Paragraph, text: object, style: str | None = None) -> list[Run]:
    """Append ``text``, sanitised, to ``paragraph`` as runs; return them.

    ``style`` is a character style name. Right-to-left pieces get runs marked right-to-left.
    Line breaks and tabs in the text become Word breaks and tabs.
    """
    runs = []
    for piece, rtl in bidi_segments(sanitise(text)):
        run = paragraph.add_run(piece, style=style)
        if rtl:
            run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
        runs.append(run)
    return runs


# ---- the template -------------------------------------------------------------------------------


def _load(path: Path) -> DocxDocument:
    """Open a .docx, or a .dotx by presenting it to python-docx as a document."""
    if not path.is_file():
        raise TemplateError(f"The Word template {path} does not exist or is not a file.")
    try:
        return Document(str(path))
    except PackageNotFoundError:
        raise TemplateError(f"{path} is not a Word document (.docx or .dotx).") from None
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        if _WORD_TEMPLATE.split("/")[-1] not in str(exc):
            raise TemplateError(f"{path} cannot be used as a Word template: {exc}") from exc
    try:
        buffer = io.BytesIO()
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    data = data.replace(_WORD_TEMPLATE.encode(), _WORD_DOCUMENT.encode())
                target.writestr(item, data)
        buffer.seek(0)
        return Document(buffer)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise TemplateError(f"{path} cannot be used as a Word template: {exc}") from exc


def _style_elements(document: DocxDocument) -> dict[str, Any]:
    """The template's ``w:style`` elements by styleId."""
    return {el.get(qn("w:styleId")): el for el in document.styles.element.findall(qn("w:style"))}


def _copy_numbering(source: DocxDocument, target: DocxDocument, style_el: Any) -> None:
    """Give a copied list style its own numbering definition in ``target``.

    A list style points at a numbering instance by number; the target's instance with that
    number (if any) is someone else's list, so the source's definition is copied under new ids.
    """
    num_id_el = style_el.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id_el is None:
        return
    src_numbering = source.part.numbering_part.element
    num_id = num_id_el.get(qn("w:val"))
    num = next(
        (n for n in src_numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id), None
    )
    if num is None:
        num_id_el.getparent().getparent().remove(num_id_el.getparent())
        return
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a
        for a in src_numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == abstract_id
    )
    dst_numbering = target.part.numbering_part.element
    used_abstract = [
        int(a.get(qn("w:abstractNumId"))) for a in dst_numbering.findall(qn("w:abstractNum"))
    ]
    used_num = [int(n.get(qn("w:numId"))) for n in dst_numbering.findall(qn("w:num"))]
    new_abstract = str(max(used_abstract, default=-1) + 1)
    new_num = str(max(used_num, default=0) + 1)
    abstract_copy = copy.deepcopy(abstract)
    abstract_copy.set(qn("w:abstractNumId"), new_abstract)
    for nsid in abstract_copy.findall(qn("w:nsid")):  # a fresh list, not a continuation
        abstract_copy.remove(nsid)
    num_copy = copy.deepcopy(num)
    num_copy.set(qn("w:numId"), new_num)
    num_copy.find(qn("w:abstractNumId")).set(qn("w:val"), new_abstract)
    # Schema order: every abstractNum before the first num.
    first_num = dst_numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract_copy)
    else:
        dst_numbering.append(abstract_copy)
    dst_numbering.append(num_copy)
    num_id_el.set(qn("w:val"), new_num)


def _copy_style(source: DocxDocument, target: DocxDocument, name: str) -> None:
    """Copy the style called ``name`` (and any style it is based on that is missing) from
    ``source`` into ``target``."""
    src_style = source.styles[name]
    src_by_id = _style_elements(source)
    dst_by_id = _style_elements(target)
    element = copy.deepcopy(src_style.element)
    style_id = element.get(qn("w:styleId"))
    if style_id in dst_by_id:  # same id, different name: keep theirs, give ours a new id
        element.set(qn("w:styleId"), style_id + "RC")
    for link in ("w:basedOn", "w:next", "w:link"):
        ref = element.find(qn(link))
        if ref is None or ref.get(qn("w:val")) in dst_by_id:
            continue
        base = src_by_id.get(ref.get(qn("w:val")))
        if link == "w:basedOn" and base is not None:
            base_name = base.find(qn("w:name")).get(qn("w:val"))
            _copy_style(source, target, base_name)
        else:
            element.remove(ref)
    if element.get(qn("w:type")) == "paragraph":
        _copy_numbering(source, target, element)
    target.styles.element.append(element)


def _has_style(document: DocxDocument, name: str) -> bool:
    try:
        document.styles[name]
    except KeyError:
        return False
    return True


def _clear_body(document: DocxDocument) -> None:
    """Remove the template's own content, keeping its page setup (the final section)."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


@dataclass(slots=True)
class OpenedTemplate:
    """A document ready to write into, and what its template lacked."""

    document: DocxDocument
    missing_styles: list[str]
    template: Path


def open_template(template: str | Path | None = None) -> OpenedTemplate:
    """Open ``template`` (default: the bundled one) as an empty document to write into.

    The template's body is cleared; its page setup, headers, footers and styles are kept. Each
    style in :data:`REQUIRED_STYLES` that the template does not define is copied from the
    bundled template (list styles with their numbering), so those parts keep the default look;
    their names are returned in ``missing_styles``. Raises :class:`TemplateError` when a file
    cannot be opened as a Word document.
    """
    default = _load(DEFAULT_TEMPLATE)
    path = Path(template) if template is not None else DEFAULT_TEMPLATE
    document = default if template is None else _load(path)
    missing = [name for name in REQUIRED_STYLES if not _has_style(document, name)]
    for name in missing:
        if not _has_style(document, name):  # may have come in as the base of another
            _copy_style(default, document, name)
    _clear_body(document)
    return OpenedTemplate(document=document, missing_styles=missing, template=path)


# ---- page setup ---------------------------------------------------------------------------------


def text_width(document: DocxDocument) -> Length:
    """Width between the margins of the document's last section."""
    section = document.sections[-1]
    width = section.page_width or Emu(7_560_000)
    if section.orientation == WD_ORIENT.LANDSCAPE and section.page_height:
        width = max(width, section.page_height)
    return Emu(width - (section.left_margin or 0) - (section.right_margin or 0))


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    text = OxmlElement("w:t")
    text.text = placeholder
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, text, end):
        run._r.append(element)


def _has_page_field(part_element: Any) -> bool:
    for instr in part_element.iter(qn("w:instrText")):
        if (instr.text or "").strip().upper().startswith("PAGE"):
            return True
    return any(
        (simple.get(qn("w:instr")) or "").strip().upper().startswith("PAGE")
        for simple in part_element.iter(qn("w:fldSimple"))
    )


def _headers(document: DocxDocument, section: Section, *, footer: bool) -> list[Any]:
    """The header (or footer) objects of ``section`` that are shown on some page."""
    prefix = "footer" if footer else "header"
    found = [getattr(section, prefix)]
    if section.different_first_page_header_footer:
        found.append(getattr(section, f"first_page_{prefix}"))
    if document.settings.odd_and_even_pages_header_footer:
        found.append(getattr(section, f"even_page_{prefix}"))
    return found


def _first_paragraph(block: Any, style: str) -> Paragraph:
    """The block's only paragraph when it is empty, or a new one; styled ``style``."""
    paragraphs = block.paragraphs
    if len(paragraphs) == 1 and not paragraphs[0].text and not paragraphs[0].runs:
        paragraph = paragraphs[0]
    else:
        paragraph = block.add_paragraph()
    paragraph.style = style
    return paragraph


def ensure_page_numbers(document: DocxDocument) -> None:
    """Make every page footer show "Page N of M", unless the template already numbers pages.

    A cover page with its own (different first page) footer is left alone.
    """
    for section in document.sections:
        footers = [section.footer]
        if document.settings.odd_and_even_pages_header_footer:
            footers.append(section.even_page_footer)
        for footer in footers:
            footer.is_linked_to_previous = False
            if _has_page_field(footer._element):
                continue
            paragraph = _first_paragraph(footer, "Footer")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.add_run("Page ")
            _field(paragraph, "PAGE")
            paragraph.add_run(" of ")
            _field(paragraph, "NUMPAGES")


def set_running_header(document: DocxDocument, text: str, *, style: str = "Header") -> None:
    """Put ``text`` at the top of the header of every page but a cover page."""
    for section in document.sections:
        headers = [section.header]
        if document.settings.odd_and_even_pages_header_footer:
            headers.append(section.even_page_header)
        for header in headers:
            header.is_linked_to_previous = False
            add_text(_first_paragraph(header, style), clean_line(text))


def set_banner(document: DocxDocument, text: str, *, style: str = "Internal Banner") -> None:
    """Put ``text`` in the header of every page, the first and even pages included."""
    for section in document.sections:
        for header in _headers(document, section, footer=False):
            header.is_linked_to_previous = False
            paragraph = _first_paragraph(header, style)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            add_text(paragraph, clean_line(text))


def plain_cover(document: DocxDocument) -> None:
    """Give the first page (the cover) no header or footer, unless the template has its own."""
    for section in document.sections:
        if not section.different_first_page_header_footer:
            section.different_first_page_header_footer = True


def set_properties(
    document: DocxDocument,
    *,
    title: str,
    subject: str = "",
    author: str = "",
    keywords: str = "",
    status: str = "",
    category: str = "",
    when: datetime | None = None,
) -> None:
    """Replace every core document property (none is inherited from the template)."""
    props = document.core_properties
    stamp = when or datetime.now()
    props.title = clean_line(title)[:255]
    props.subject = clean_line(subject)[:255]
    props.author = clean_line(author)[:255]
    props.last_modified_by = clean_line(author)[:255]
    props.keywords = clean_line(keywords)[:255]
    props.content_status = clean_line(status)[:255]
    props.category = clean_line(category)[:255]
    props.comments = ""
    props.identifier = ""
    props.language = ""
    props.version = ""
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    core = props._element
    for printed in core.findall(qn("cp:lastPrinted")):
        core.remove(printed)


# ---- content ------------------------------------------------------------------------------------


def heading(document: DocxDocument, text: str, level: int = 1) -> Paragraph:
    """A heading (``Heading 1`` to ``Heading 3``). Refuses empty text: no blank headings."""
    text = clean_line(text)
    if not text:
        raise ValueError("A heading needs text")
    paragraph = document.add_paragraph(style=f"Heading {max(1, min(level, 3))}")
    add_text(paragraph, text)
    return paragraph


def _space_after_table(para: Paragraph) -> Paragraph:
    """Tables have no space after them in Word: open a gap before the paragraph that follows."""
    previous = para._p.getprevious()
    if previous is not None and previous.tag == qn("w:tbl"):
        para.paragraph_format.space_before = Pt(10)
    return para


def paragraph(
    container: Any, text: object = "", style: str | None = None, *, char_style: str | None = None
) -> Paragraph:
    """A paragraph with cleaned ``text`` in ``container`` (document, cell or comment)."""
    para = container.add_paragraph(style=style)
    if text:
        add_text(para, clean(text), char_style)
    return _space_after_table(para)


def rich_paragraph(
    container: Any, pieces: Iterable[tuple[object, str | None]], style: str | None = None
) -> Paragraph:
    """A paragraph made of (text, character style or None) pieces."""
    para = container.add_paragraph(style=style)
    for text, char_style in pieces:
        if text:
            add_text(para, text, char_style)
    return _space_after_table(para)


def bullets(
    document: DocxDocument, items: Iterable[object], *, numbered: bool = False
) -> list[Paragraph]:
    """One list paragraph per non-empty item (``List Bullet`` or ``List Number``)."""
    style = "List Number" if numbered else "List Bullet"
    return [paragraph(document, item, style) for item in items if clean(item)]


def note(document: DocxDocument, text: str) -> Paragraph:
    """A short muted note, e.g. to say a section has nothing recorded yet."""
    return paragraph(document, text, "Note")


def page_break(document: DocxDocument) -> None:
    """Start a new page."""
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


#: A table cell: plain text, or (text, character style) pieces.
Cell = str | Sequence[tuple[str, str | None]]


#: Rows with more text than this may break across pages (a taller row could not fit on one).
KEEP_ROW_CHARS = 700


def _keep_rows_whole(table: Table) -> None:
    """Repeat the header row on each page and keep short rows from breaking across pages."""
    for index, row in enumerate(table.rows):
        props = row._tr.get_or_add_trPr()
        if sum(len(cell.text) for cell in row.cells) <= KEEP_ROW_CHARS:
            props.append(OxmlElement("w:cantSplit"))
        if index == 0:
            props.append(OxmlElement("w:tblHeader"))


def _fill(cell: _Cell, value: Cell, style: str) -> None:
    para = cell.paragraphs[0]
    para.style = style
    if isinstance(value, str):
        text = clean(value)
        lines = text.split("\n\n") if text else [""]
        add_text(para, lines[0])
        for more in lines[1:]:
            add_text(cell.add_paragraph(style=style), more)
    else:
        for text, char_style in value:
            if text:
                add_text(para, text, char_style)


def table(
    document: DocxDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float] | None = None,
    *,
    style: str = DATA_TABLE_STYLE,
    text_style: str = "Table Text",
) -> Table:
    """A data table: a header row repeated on every page, then ``rows``.

    ``widths`` are relative column widths (any unit); the table fills the text width with a
    fixed layout, so a long word wraps inside its cell instead of pushing the table off the
    page.
    """
    columns = len(header)
    grid = document.add_table(rows=1 + len(rows), cols=columns)
    grid.style = style
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # a fixed layout: python-docx writes w:tblLayout in schema order
    total = int(text_width(document))
    shares = list(widths) if widths and len(widths) == columns else [1.0] * columns
    scale = total / sum(shares)
    column_widths = [Emu(int(share * scale)) for share in shares]
    for index, column in enumerate(grid.columns):
        column.width = column_widths[index]
    for r, values in enumerate([list(header), *rows]):
        cells = grid.rows[r].cells
        for c in range(columns):
            cells[c].width = column_widths[c]
            _fill(cells[c], values[c] if c < len(values) else "", text_style)
    for cell in grid.rows[0].cells:
        for para in cell.paragraphs:
            for run in para.runs:
                run.bold = True
    # Only the header row gets the table style's emphasis, not the first column.
    look = grid._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:firstColumn"), "0")
        look.set(qn("w:val"), "0420")
    _keep_rows_whole(grid)
    return grid


def key_value_table(
    document: DocxDocument, rows: Sequence[tuple[str, Cell]], widths: tuple[float, float] = (1, 2)
) -> Table:
    """A two-column table of labels and values, without a header row, in ``Table Grid``."""
    grid = table(document, ["", ""], list(rows), list(widths), style="Table Grid")
    grid._tbl.remove(grid.rows[0]._tr)
    for row in grid.rows:
        for run in row.cells[0].paragraphs[0].runs:
            run.bold = True
    return grid


def picture(
    document: DocxDocument,
    png: bytes,
    *,
    caption: str,
    alt_text: str,
    width_share: float = 1.0,
) -> Paragraph:
    """An image across ``width_share`` of the text width, with a caption and alt text."""
    holder = _space_after_table(document.add_paragraph())
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    holder.paragraph_format.keep_with_next = True
    run = holder.add_run()
    shape = run.add_picture(io.BytesIO(png), width=Emu(int(text_width(document) * width_share)))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", clean_line(alt_text)[:1000])
    doc_pr.set("title", clean_line(caption)[:255])
    return paragraph(document, caption, "Caption")


def comment(document: DocxDocument, anchor: Paragraph | Sequence[Run], text: str) -> None:
    """A Word comment signed by the app on ``anchor`` (a paragraph or its runs)."""
    runs = list(anchor.runs) if hasattr(anchor, "runs") else list(anchor)
    if not runs:
        runs = [anchor.add_run("")]  # type: ignore[union-attr]
    body = clean(text)
    lines = [line for line in body.split("\n") if line.strip()] or ["(no text)"]
    note_ = document.add_comment(
        runs, text=lines[0], author=COMMENT_AUTHOR, initials=COMMENT_INITIALS
    )
    for line in lines[1:]:
        note_.add_paragraph(line)


# ---- reading back ------------------------------------------------------------------------------


def _block_text(block: Any) -> Iterator[str]:
    for para in block.paragraphs:
        yield para.text
    for grid in block.tables:
        for row in grid.rows:
            for cell in row.cells:
                yield from _block_text(cell)


def _has_comments_part(document: DocxDocument) -> bool:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        document.part.part_related_by(RT.COMMENTS)
    except KeyError:
        return False
    return True


def all_text(document: DocxDocument) -> str:
    """Every piece of text in ``document``: body, tables, headers, footers, comments, alt text
    and core properties, one per line. Used to check what a document would reveal."""
    parts: list[str] = list(_block_text(document))
    for section in document.sections:
        for name in (
            "header",
            "footer",
            "first_page_header",
            "first_page_footer",
            "even_page_header",
            "even_page_footer",
        ):
            block = getattr(section, name)
            if not block.is_linked_to_previous:
                parts.extend(_block_text(block))
    if _has_comments_part(document):
        for item in document.comments:
            parts.append(item.author)
            parts.extend(_block_text(item))
    for shape in document.element.body.iter(qn("wp:docPr")):
        parts.extend([shape.get("descr", ""), shape.get("title", "")])
    props = document.core_properties
    parts += [
        props.title,
        props.subject,
        props.author,
        props.last_modified_by,
        props.keywords,
        props.comments,
        props.category,
        props.content_status,
    ]
    return "\n".join(p for p in parts if p)


# ---- writing a whole document -------------------------------------------------------------------

#: Reports progress of a long export: ``progress(step, total_steps, what_is_happening)``.
Progress = Callable[[int, int, str], None]


def long_date(day: date | None) -> str:
    """``14 April 2027`` (``""`` for None)."""
    return f"{day.day} {day:%B %Y}" if day else ""


def month_year(day: date | None) -> str:
    """``April 2027`` (``""`` for None)."""
    return f"{day:%B %Y}" if day else ""


@dataclass(slots=True)
class BuiltDocument:
    """A finished document in memory and what went into it."""

    document: DocxDocument
    template: Path
    missing_styles: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    omitted: list[str] = field(default_factory=list)
    comments: int = 0
    charts: int = 0
    warnings: list[str] = field(default_factory=list)


class DocumentWriter:
    """Writes one document and keeps count of its sections, comments and charts."""

    def __init__(self, opened: OpenedTemplate, progress: Progress | None, steps: int) -> None:
        self.document = opened.document
        self.built = BuiltDocument(
            document=opened.document,
            template=opened.template,
            missing_styles=list(opened.missing_styles),
        )
        self._progress = progress
        self._steps = steps
        self._step = 0

    def step(self, what: str) -> None:
        """Report that the next step, ``what``, is starting."""
        if self._progress is not None:
            self._progress(min(self._step, self._steps), self._steps, what)
        self._step += 1

    def finish(self) -> BuiltDocument:
        """Report completion and return what was built."""
        if self._progress is not None:
            self._progress(self._steps, self._steps, "Done")
        return self.built

    def section(self, title: str) -> Paragraph:
        """A top-level heading, recorded as a section of the document."""
        self.built.sections.append(clean_line(title))
        return heading(self.document, title, 1)

    def omit(self, title: str) -> None:
        """Record that a section was left out because it had nothing to say."""
        self.built.omitted.append(clean_line(title))

    def comment(self, anchor: Paragraph | Sequence[Run], text: str) -> None:
        """A comment for whoever edits the document next."""
        comment(self.document, anchor, text)
        self.built.comments += 1

    def picture(self, png: bytes, *, caption: str, alt_text: str) -> Paragraph:
        """An embedded chart with its caption."""
        self.built.charts += 1
        return picture(self.document, png, caption=caption, alt_text=alt_text)

    def warn(self, text: str) -> None:
        """Something the person exporting should know about the result."""
        self.built.warnings.append(clean_line(text))
