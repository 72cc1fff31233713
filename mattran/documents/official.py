"""Official documents in the layout of Decree 30/2020/NĐ-CP, Appendix I: a typed spec and its .docx rendering.

Other apps build an :class:`OfficialDocument` (plain data, no database) and call :func:`render_docx`. The
layout choices within the decree's ranges are recorded in docs/decisions/0005-official-documents.md.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from mattran.common.vn import date_official, roman
from mattran.documents.issuers import IssuerLines

FONT = "Times New Roman"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

# Page (A4 portrait) and margins, inside the decree's ranges (top/bottom 20–25, left 30–35, right 15–20 mm).
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(20)
MARGIN_BOTTOM = Mm(20)
MARGIN_LEFT = Mm(30)
MARGIN_RIGHT = Mm(15)
HEADER_DISTANCE = Mm(10)

BODY_SIZE = Pt(14)
HEADER_SIZE = Pt(13)
NATIONAL_NAME_SIZE = Pt(12)
MOTTO_SIZE = Pt(13)
RECIPIENTS_TITLE_SIZE = Pt(12)
RECIPIENTS_SIZE = Pt(11)
PAGE_NUMBER_SIZE = Pt(13)
FIRST_LINE_INDENT = Cm(1)
PARAGRAPH_SPACING = Pt(6)
LINE_SPACING = 1.15

# Header and signature tables: left and right column widths (together the 165 mm text width).
LEFT_COLUMN = Mm(65)
RIGHT_COLUMN = Mm(100)


# --- The spec ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A section heading. Level 1 is numbered "I.", "II." and printed in capitals; level 2 is numbered
    "1.", "2." (restarting under each level-1 heading); both bold. ``numbered=False`` prints the text as is."""

    text: str
    level: int = 1
    numbered: bool = True


@dataclass(frozen=True)
class Paragraph:
    """Body text: justified, first line indented 1 cm. Legal bases (căn cứ) are ``italic``."""

    text: str
    italic: bool = False
    bold: bool = False


@dataclass(frozen=True)
class Bullet:
    """A line beginning with "- ", indented like a paragraph."""

    text: str


@dataclass(frozen=True)
class Table:
    """A simple grid: a bold header row, then rows of text. Cells that look numeric are right-aligned."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_mm: tuple[float, ...] | None = None


Block = Heading | Paragraph | Bullet | Table


@dataclass(frozen=True)
class Signature:
    """Box 7: ``authority`` ("TM. BAN THƯỜNG TRỰC", "KT. CHỦ TỊCH" or empty), ``title`` ("CHỦ TỊCH",
    "PHÓ CHỦ TỊCH") and the signer's full name, with no academic titles."""

    authority: str
    title: str
    name: str


@dataclass(frozen=True)
class OfficialDocument:
    issuer: IssuerLines
    number: str  # number and symbol, "05/BC-MTTQ-BTT"
    place: str
    issued_on: dt.date
    doc_type_name: str  # "BÁO CÁO"
    title: str  # trích yếu
    blocks: tuple[Block, ...] = ()
    addressees: tuple[str, ...] = ()  # "Kính gửi"
    recipients: tuple[str, ...] = ()  # Nơi nhận, without the archive line
    archive: str = ""  # drafting unit after "Lưu: VT,"
    signature: Signature | None = None

    @property
    def date_line(self) -> str:
        return date_official(self.issued_on, self.place)

    @property
    def recipient_lines(self) -> list[str]:
        """"- A;" for each recipient, then "- Lưu: VT, <archive>." as the last line."""
        archive = f"Lưu: VT, {self.archive}." if self.archive else "Lưu: VT."
        return [f"- {r.rstrip(';. ')};" for r in self.recipients] + [f"- {archive}"]


# --- Low-level helpers ------------------------------------------------------------------------------------

# WordprocessingML fixes the order of children; these are the elements that must come after the one inserted.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                     "w:tblPrChange")


def _set_rfonts(rpr: Any) -> None:
    """Times New Roman for every script, with no theme font left to override it."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        first = rpr[0] if len(rpr) else None
        rpr.insert(1 if first is not None and first.tag == qn("w:rStyle") else 0, rfonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)


STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _setup_styles(document: object) -> None:
    # python-docx's template carries a Word 2010 copy of the styles with theme fonts (Calibri); Word reads
    # styles.xml when it is absent, so drop it rather than keep a second set of fonts in sync.
    part = document.part  # type: ignore[attr-defined]
    for r_id, rel in list(part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            part.drop_rel(r_id)
    styles_element = document.styles.element  # type: ignore[attr-defined]
    defaults = styles_element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rfonts(rpr)
    for style_rpr in styles_element.iter(qn("w:rPr")):
        if style_rpr.find(qn("w:rFonts")) is not None:
            _set_rfonts(style_rpr)
    normal = document.styles["Normal"]  # type: ignore[attr-defined]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    _set_rfonts(normal.element.get_or_add_rPr())
    lang = normal.element.get_or_add_rPr().find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        normal.element.get_or_add_rPr().append(lang)
    lang.set(qn("w:val"), "vi-VN")
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def _run(paragraph: DocxParagraph, text: str, *, size: Pt, bold: bool = False, italic: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.name = FONT
    _set_rfonts(run._r.get_or_add_rPr())
    run.font.size = size
    run.bold = bold
    run.italic = italic


def _para(
    container: object, text: str = "", *, size: Pt = BODY_SIZE, bold: bool = False, italic: bool = False,
    align: int | None = WD_ALIGN_PARAGRAPH.CENTER, first: bool = False,
) -> DocxParagraph:
    """A paragraph in a document or cell; ``first`` reuses the empty paragraph a new cell starts with."""
    reuse = first and isinstance(container, _Cell)
    paragraph = container.paragraphs[0] if reuse else container.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _rule(container: object, *, width: float, available: float) -> DocxParagraph:
    """A short horizontal line of ``width`` (EMU) centred in ``available``: an empty paragraph with a bottom
    border, narrowed by equal indents."""
    paragraph = _para(container, size=Pt(2))
    indent = max(int((available - width) / 2), 0)
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.insert_element_before(borders, *_AFTER_PBDR)
    # A 1 pt paragraph mark, so the rule sits right under the text above it.
    mark = OxmlElement("w:rPr")
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), "2")
        mark.append(size)
    ppr.insert_element_before(mark, "w:sectPr", "w:pPrChange")
    return paragraph


def _text_width(text: str, size: Pt, *, bold: bool = False) -> float:
    """Approximate printed width (EMU) of ``text`` in Times New Roman capitals and mixed case: an average
    glyph is about 0.42 em (0.45 em bold), as measured on the motto."""
    return len(text) * size * (0.45 if bold else 0.42)


def _borderless(table: object) -> None:
    tbl_pr = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(borders, *_AFTER_TBLBORDERS)


def _two_columns(document: object, rows: int) -> object:
    table = document.add_table(rows=rows, cols=2)  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borderless(table)
    table.columns[0].width = LEFT_COLUMN
    table.columns[1].width = RIGHT_COLUMN
    for row in table.rows:
        row.cells[0].width = LEFT_COLUMN
        row.cells[1].width = RIGHT_COLUMN
    return table


def _page_number_field(paragraph: DocxParagraph) -> None:
    """A PAGE field (begin, instruction, separate, "1", end) in 13 pt Times New Roman."""
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        run.font.name = FONT
        _set_rfonts(run._r.get_or_add_rPr())
        run.font.size = PAGE_NUMBER_SIZE
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


# --- Sections of the page ---------------------------------------------------------------------------------


def _page_setup(document: object) -> None:
    section = document.sections[0]  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.header_distance = HEADER_DISTANCE
    section.footer_distance = HEADER_DISTANCE
    # Page numbers centred in the top margin, from page 2 on: page 1 has its own, empty, header.
    section.different_first_page_header_footer = True
    header = section.header
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(paragraph)
    section.first_page_header.paragraphs[0].text = ""


def _heading_block(doc: OfficialDocument, document: object) -> None:
    table = _two_columns(document, rows=2)
    left, right = table.rows[0].cells  # type: ignore[attr-defined]
    issuer = doc.issuer
    first = True
    for line in issuer.parent:
        _para(left, line, size=HEADER_SIZE, first=first)
        first = False
    for line in issuer.body:
        _para(left, line, size=HEADER_SIZE, bold=True, first=first)
        first = False
    widest_body = max((_text_width(t, HEADER_SIZE, bold=True) for t in issuer.body), default=0.0)
    _rule(left, width=max(widest_body / 2.5, Mm(15)), available=LEFT_COLUMN)

    _para(right, NATIONAL_NAME, size=NATIONAL_NAME_SIZE, bold=True, first=True)
    _para(right, MOTTO, size=MOTTO_SIZE, bold=True)
    _rule(right, width=_text_width(MOTTO, MOTTO_SIZE, bold=True), available=RIGHT_COLUMN)

    number_cell, date_cell = table.rows[1].cells  # type: ignore[attr-defined]
    number = _para(number_cell, f"Số: {doc.number}", size=HEADER_SIZE, first=True)
    number.paragraph_format.space_before = Pt(6)
    date = _para(date_cell, doc.date_line, size=HEADER_SIZE, italic=True, first=True)
    date.paragraph_format.space_before = Pt(6)


def _title_block(doc: OfficialDocument, document: object) -> None:
    kind = _para(document, doc.doc_type_name.upper(), size=BODY_SIZE, bold=True)
    kind.paragraph_format.space_before = Pt(18)
    title_lines = [line.strip() for line in doc.title.splitlines() if line.strip()]
    for line in title_lines:
        _para(document, line, size=BODY_SIZE, bold=True)
    widest = max((_text_width(t, BODY_SIZE, bold=True) for t in title_lines), default=Mm(30))
    _rule(document, width=min(max(widest / 3, Mm(25)), Mm(60)), available=PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
    if doc.addressees:
        if len(doc.addressees) == 1:
            single = _para(document, size=BODY_SIZE)
            _run(single, "Kính gửi: ", size=BODY_SIZE)
            _run(single, doc.addressees[0], size=BODY_SIZE)
            single.paragraph_format.space_before = Pt(12)
        else:
            first = _para(document, "Kính gửi:", size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
            first.paragraph_format.left_indent = Mm(40)
            first.paragraph_format.space_before = Pt(12)
            for addressee in doc.addressees:
                entry = _para(document, f"- {addressee};", size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
                entry.paragraph_format.left_indent = Mm(60)
    spacer = _para(document, size=BODY_SIZE)
    spacer.paragraph_format.space_after = Pt(6)


def _body_paragraph(document: object, *, align: int = WD_ALIGN_PARAGRAPH.JUSTIFY) -> DocxParagraph:
    paragraph = _para(document, align=align)
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = FIRST_LINE_INDENT
    fmt.space_after = PARAGRAPH_SPACING
    fmt.line_spacing = LINE_SPACING
    return paragraph


def _is_number(text: str) -> bool:
    stripped = text.replace(".", "").replace(",", "").replace("%", "").replace("-", "").strip()
    return bool(stripped) and stripped.isdigit()


def _table_block(block: Table, document: object) -> None:
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if block.widths_mm:
        for row in table.rows:
            for cell, width in zip(row.cells, block.widths_mm, strict=False):
                cell.width = Mm(width)
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        _para(cell, text, size=Pt(13), bold=True, first=True)
    for row, values in zip(table.rows[1:], block.rows, strict=True):
        for cell, text in zip(row.cells, values, strict=False):
            align = WD_ALIGN_PARAGRAPH.RIGHT if _is_number(text) else WD_ALIGN_PARAGRAPH.LEFT
            _para(cell, text, size=Pt(13), align=align, first=True)
    after = _para(document, size=Pt(6))
    after.paragraph_format.space_after = PARAGRAPH_SPACING


def _body(doc: OfficialDocument, document: object) -> None:
    level1 = 0
    level2 = 0
    for block in doc.blocks:
        if isinstance(block, Heading):
            paragraph = _body_paragraph(document)
            if block.level <= 1:
                level1 += 1
                level2 = 0
                prefix = f"{roman(level1)}. " if block.numbered else ""
                _run(paragraph, prefix + block.text.upper(), size=BODY_SIZE, bold=True)
            else:
                level2 += 1
                prefix = f"{level2}. " if block.numbered else ""
                _run(paragraph, prefix + block.text, size=BODY_SIZE, bold=True)
            paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            paragraph = _body_paragraph(document)
            _run(paragraph, block.text, size=BODY_SIZE, bold=block.bold, italic=block.italic)
        elif isinstance(block, Bullet):
            paragraph = _body_paragraph(document)
            _run(paragraph, f"- {block.text}", size=BODY_SIZE)
        else:
            _table_block(block, document)


def _closing_block(doc: OfficialDocument, document: object) -> None:
    table = _two_columns(document, rows=1)
    left, right = table.rows[0].cells  # type: ignore[attr-defined]
    heading = _para(left, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    _run(heading, "Nơi nhận:", size=RECIPIENTS_TITLE_SIZE, bold=True, italic=True)
    for entry in doc.recipient_lines:
        _para(left, entry, size=RECIPIENTS_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
    signature = doc.signature
    if signature is None:
        return
    first = True
    if signature.authority:
        _para(right, signature.authority.upper(), size=BODY_SIZE, bold=True, first=True)
        first = False
    _para(right, signature.title.upper(), size=BODY_SIZE, bold=True, first=first)
    for _ in range(4):  # room for the signature and the seal
        _para(right, size=BODY_SIZE)
    _para(right, signature.name, size=BODY_SIZE, bold=True)


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes, laid out per Decree 30/2020/NĐ-CP Appendix I."""
    document = Document()
    _setup_styles(document)
    _page_setup(document)
    # The template starts with no paragraphs in the body; the header table comes first.
    _heading_block(doc, document)
    _title_block(doc, document)
    _body(doc, document)
    _closing_block(doc, document)
    core = document.core_properties
    core.title = f"{doc.doc_type_name} {doc.number}"
    core.subject = doc.title
    core.author = " ".join(doc.issuer.body).title()
    core.language = "vi-VN"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
