"""The rendered .docx, opened again with python-docx: page, margins, fonts and the Decree 30 boxes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from mattran.documents.issuers import IssuerLines, issuer_lines
from mattran.documents.official import (
    Bullet,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    render_docx,
)
from mattran.documents.tests.factories import standing_board
from mattran.organisations.tests.factories import build_tree

FONT = "Times New Roman"
ISSUER = IssuerLines(parent=("ỦY BAN MTTQ VIỆT NAM", "QUẬN HAI BÀ TRƯNG"), body=("BAN THƯỜNG TRỰC",))


def sample(**overrides: object) -> OfficialDocument:
    values: dict[str, object] = {
        "issuer": ISSUER,
        "number": "05/BC-MTTQ-BTT",
        "place": "Hà Nội",
        "issued_on": dt.date(2022, 7, 1),
        "doc_type_name": "Báo cáo",
        "title": "Kết quả công tác Mặt trận 6 tháng đầu năm 2022",
        "addressees": ("Ban Thường trực Ủy ban MTTQ Việt Nam thành phố Hà Nội",),
        "blocks": (
            Heading("Kết quả thực hiện"),
            Heading("Công tác tuyên truyền", level=2),
            Paragraph("Ban Thường trực đã phối hợp tổ chức 12 hội nghị tuyên truyền."),
            Paragraph("Căn cứ Luật Mặt trận Tổ quốc Việt Nam năm 2015;", italic=True),
            Bullet("Tổ chức 12 hội nghị"),
            Heading("Công tác vận động", level=2),
            Table(header=("Chỉ tiêu", "Kết quả"), rows=(("Số hội nghị", "12"), ("Số tiền vận động", "1.200.000"))),
            Heading("Phương hướng nhiệm vụ"),
            Heading("Tiếp tục tuyên truyền", level=2),
        ),
        "recipients": ("Ban Thường trực Ủy ban MTTQ thành phố (để b/c)", "Quận ủy, HĐND, UBND quận (để b/c)"),
        "archive": "VP",
        "signature": Signature("TM. BAN THƯỜNG TRỰC", "Chủ tịch", "Nguyễn Văn An"),
    }
    values.update(overrides)
    return OfficialDocument(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render_docx(sample())


@pytest.fixture(scope="module")
def docx(rendered: bytes):
    return Document(io.BytesIO(rendered))


def mm(length: int) -> float:
    """Word stores lengths in twentieths of a point; compare to a tenth of a millimetre."""
    return round(length / Mm(1), 1)


def texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def runs_with(document, text: str) -> list:
    found = []
    containers = [document, *(c for t in document.tables for r in t.rows for c in r.cells)]
    for container in containers:
        for paragraph in container.paragraphs:
            if text in paragraph.text:
                found.extend(run for run in paragraph.runs if run.text)
    return found


def test_page_is_a4_portrait_with_the_chosen_margins(docx) -> None:
    section = docx.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert mm(section.top_margin) == 20
    assert mm(section.bottom_margin) == 20
    assert mm(section.left_margin) == 30
    assert mm(section.right_margin) == 15


def test_every_style_and_run_is_times_new_roman_for_every_script(rendered: bytes, docx) -> None:
    with zipfile.ZipFile(io.BytesIO(rendered)) as archive:
        names = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
        xml = {n: archive.read(n).decode() for n in names}
    assert "word/stylesWithEffects.xml" not in xml
    for name, text in xml.items():
        if name.startswith(("word/document", "word/header", "word/styles")):
            # A theme font attribute would override the named font in Word.
            for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                assert theme not in text, f"{theme} in {name}"
    styles = docx.styles.element
    rfonts = list(styles.iter(qn("w:rFonts")))
    assert rfonts, "styles must name the font"
    for element in rfonts:
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert element.get(qn(attr)) == FONT
    assert docx.styles["Normal"].font.name == FONT
    assert docx.styles["Normal"].font.size == Pt(14)
    parts = [docx.element.body, *(s.header._element for s in docx.sections)]
    for part in parts:
        for run in part.iter(qn("w:r")):
            fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
            assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {FONT}


def test_header_boxes(docx) -> None:
    header = docx.tables[0]
    left, right = header.rows[0].cells
    assert texts(left) == ["ỦY BAN MTTQ VIỆT NAM", "QUẬN HAI BÀ TRƯNG", "BAN THƯỜNG TRỰC"]
    parent_runs = [r for p in left.paragraphs[:2] for r in p.runs]
    assert all(not r.bold and r.font.size == Pt(13) for r in parent_runs)
    body_run = left.paragraphs[2].runs[0]
    assert body_run.bold and body_run.font.size == Pt(13)
    # The short rule under the issuing body: an empty paragraph with a bottom border.
    assert left.paragraphs[3].text == ""
    assert left.paragraphs[3]._p.pPr.find(qn("w:pBdr")) is not None

    assert texts(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    national, motto = right.paragraphs[0].runs[0], right.paragraphs[1].runs[0]
    assert national.bold and Pt(12) <= national.font.size <= Pt(13)
    assert motto.bold and Pt(13) <= motto.font.size <= Pt(14)
    assert right.paragraphs[2]._p.pPr.find(qn("w:pBdr")) is not None

    number_cell, date_cell = header.rows[1].cells
    assert texts(number_cell) == ["Số: 05/BC-MTTQ-BTT"]
    assert number_cell.paragraphs[0].runs[0].font.size == Pt(13)
    assert texts(date_cell) == ["Hà Nội, ngày 01 tháng 7 năm 2022"]
    date_run = date_cell.paragraphs[0].runs[0]
    assert date_run.italic and Pt(13) <= date_run.font.size <= Pt(14)


def test_header_table_has_no_borders(docx) -> None:
    borders = docx.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_title_and_addressee(docx) -> None:
    paragraphs = [p for p in docx.paragraphs if p.text]
    assert paragraphs[0].text == "BÁO CÁO"
    assert paragraphs[0].runs[0].bold
    assert paragraphs[1].text == "Kết quả công tác Mặt trận 6 tháng đầu năm 2022"
    assert paragraphs[1].runs[0].bold
    assert paragraphs[2].text == "Kính gửi: Ban Thường trực Ủy ban MTTQ Việt Nam thành phố Hà Nội"


def test_body_headings_numbering_and_paragraph_format(docx) -> None:
    body = [p for p in docx.paragraphs if p.text][3:]
    assert [p.text for p in body if p.runs[0].bold] == [
        "I. KẾT QUẢ THỰC HIỆN", "1. Công tác tuyên truyền", "2. Công tác vận động",
        "II. PHƯƠNG HƯỚNG NHIỆM VỤ", "1. Tiếp tục tuyên truyền",
    ]
    paragraph = next(p for p in body if p.text.startswith("Ban Thường trực đã"))
    fmt = paragraph.paragraph_format
    assert paragraph.alignment == 3  # justified
    assert mm(fmt.first_line_indent) == 10
    assert fmt.space_after >= Pt(6)
    assert paragraph.runs[0].font.size == Pt(14)
    legal = next(p for p in body if p.text.startswith("Căn cứ"))
    assert legal.runs[0].italic
    assert any(p.text == "- Tổ chức 12 hội nghị" for p in body)


def test_simple_table(docx) -> None:
    table = docx.tables[1]
    assert [c.text for c in table.rows[0].cells] == ["Chỉ tiêu", "Kết quả"]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert [c.text for c in table.rows[2].cells] == ["Số tiền vận động", "1.200.000"]


def test_recipients_and_signature(docx) -> None:
    closing = docx.tables[-1]
    recipients, signature = closing.rows[0].cells
    lines = texts(recipients)
    assert lines == [
        "Nơi nhận:",
        "- Ban Thường trực Ủy ban MTTQ thành phố (để b/c);",
        "- Quận ủy, HĐND, UBND quận (để b/c);",
        "- Lưu: VT, VP.",
    ]
    heading = recipients.paragraphs[0].runs[0]
    assert heading.bold and heading.italic and heading.font.size == Pt(12)
    assert all(p.runs[0].font.size == Pt(11) for p in recipients.paragraphs[1:])
    assert texts(signature) == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Nguyễn Văn An"]
    assert all(p.runs[0].bold for p in signature.paragraphs if p.text)


def test_deputy_signs_for_the_chair() -> None:
    docx = Document(io.BytesIO(render_docx(sample(signature=Signature("KT. CHỦ TỊCH", "Phó Chủ tịch", "Trần Thị B")))))
    assert texts(docx.tables[-1].rows[0].cells[1]) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị B"]


def test_archive_line_without_a_drafting_unit() -> None:
    docx = Document(io.BytesIO(render_docx(sample(recipients=(), archive=""))))
    assert texts(docx.tables[-1].rows[0].cells[0]) == ["Nơi nhận:", "- Lưu: VT."]


def test_page_number_field_in_the_top_margin_except_on_page_one(docx) -> None:
    section = docx.sections[0]
    assert section.different_first_page_header_footer
    header = section.header._element
    instructions = [t.text.strip() for t in header.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert section.header.paragraphs[0].alignment == 1  # centred
    assert not list(section.first_page_header._element.iter(qn("w:instrText")))


def test_several_addressees_are_listed() -> None:
    docx = Document(io.BytesIO(render_docx(sample(addressees=("Quận ủy Hai Bà Trưng", "UBND quận Hai Bà Trưng")))))
    lines = [p.text for p in docx.paragraphs if p.text]
    assert lines[2:5] == ["Kính gửi:", "- Quận ủy Hai Bà Trưng;", "- UBND quận Hai Bà Trưng;"]


@pytest.mark.django_db
def test_header_built_from_a_front_body() -> None:
    board = standing_board(build_tree()["district"])
    docx = Document(io.BytesIO(render_docx(sample(issuer=issuer_lines(board)))))
    assert texts(docx.tables[0].rows[0].cells[0]) == ["ỦY BAN MTTQ VIỆT NAM", "QUẬN HAI BÀ TRƯNG", "BAN THƯỜNG TRỰC"]
