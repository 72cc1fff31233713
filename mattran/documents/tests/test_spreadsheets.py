from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

from mattran.documents.spreadsheets import Column, Sheet, render_xlsx


def sheet_xml(data: bytes, index: int = 1) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode()


def shared_strings(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/sharedStrings.xml").decode()
    return re.findall(r"<t[^>]*>([^<]*)</t>", xml)


INDICATORS = Sheet(
    name="Chỉ tiêu 6 tháng",
    title="KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 6 THÁNG ĐẦU NĂM 2022",
    note="(Kèm theo Báo cáo số 05/BC-MTTQ-BTT)",
    columns=(Column("STT", width=6), Column("Chỉ tiêu", width=40), Column("Kết quả", width=16, numeric=True)),
    rows=(
        (1, "Số tiền ủng hộ Quỹ Vì người nghèo (đồng)", 1_250_000_000),
        (2, "Tỷ lệ hộ gia đình văn hóa (%)", Decimal("92.50")),
        (3, "Ghi chú", None),
    ),
)


def test_workbook_opens_with_title_header_and_numbers() -> None:
    data = render_xlsx([INDICATORS])
    assert data[:2] == b"PK"
    strings = shared_strings(data)
    for text in ["KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU 6 THÁNG ĐẦU NĂM 2022", "STT", "Chỉ tiêu", "Kết quả",
                 "Số tiền ủng hộ Quỹ Vì người nghèo (đồng)"]:
        assert text in strings
    xml = sheet_xml(data)
    assert '<mergeCell ref="A1:C1"/>' in xml
    assert "<v>1250000000</v>" in xml  # a number, not text
    assert "<v>92.5</v>" in xml
    assert 'width="40.7109375"' in xml  # 40 characters plus Excel's padding
    assert "<pane " in xml  # header row frozen


def test_number_formats_have_thousands_separators_and_header_is_bold() -> None:
    data = render_xlsx([INDICATORS])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml").decode()
        book = archive.read("xl/workbook.xml").decode()
    assert 'formatCode="#,##0.00"' in styles
    assert 'formatCode="#,##0"' in styles
    assert "<b/>" in styles
    assert 'name="Chỉ tiêu 6 tháng"' in book


def test_sheet_names_are_made_valid_and_unique() -> None:
    sheets = [Sheet(name="Báo cáo: quý I/2022 [chính thức] rất dài tên", title="", columns=(), rows=())] * 2
    with zipfile.ZipFile(io.BytesIO(render_xlsx(sheets))) as archive:
        book = archive.read("xl/workbook.xml").decode()
    names = re.findall(r'<sheet name="([^"]+)"', book)
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
