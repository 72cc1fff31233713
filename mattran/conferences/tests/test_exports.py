"""Minutes as an official .docx (Decree 30 layout): opened again with python-docx."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.conferences import exports, services
from mattran.conferences.models import Attendance, Conference
from mattran.conferences.tests.factories import committee_term, conference_in
from mattran.documents.models import DocumentNumber
from mattran.organisations.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TITLE = "Hội nghị lần thứ 10 Ủy ban MTTQ Việt Nam quận Hai Bà Trưng khóa XV, nhiệm kỳ 2019–2024"


def _open(content: bytes) -> tuple[Any, str, str]:
    document = Document(io.BytesIO(content))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    return document, body, cells


def _mm(length: int) -> float:
    return round(length / Mm(1), 1)


@pytest.fixture
def conference(tree: dict[str, Any]) -> Conference:
    district = tree["district"]
    term = committee_term(district, members=3)
    chair = PersonFactory(unit=district, full_name="Trần Thị Chủ Trì")
    conference = services.conference_create(
        actor=None, body=term.body, term=term, date=dt.date(2022, 7, 5), place="Hội trường UBND quận",
        chair=chair, number=10, invited_delegates="Thường trực Quận ủy\nThường trực HĐND quận",
    )
    services.agenda_item_add(actor=None, conference=conference, title="Báo cáo kết quả công tác 6 tháng đầu năm",
                             presenter_name="Lê Văn Phó", presenter_body="Ban Thường trực")
    services.agenda_item_add(actor=None, conference=conference, title="Hiệp thương cử bổ sung ủy viên")
    services.attendance_roll_call(actor=None, conference=conference)
    rows = list(conference.attendances.all())
    services.attendance_mark(actor=None, conference=conference, statuses={
        rows[0].person_id: Attendance.Status.PRESENT, rows[1].person_id: Attendance.Status.PRESENT,
        rows[2].person_id: Attendance.Status.EXCUSED,
    })
    services.conclusion_add(actor=None, conference=conference, text="Tập trung tuyên truyền ngày hội đại đoàn kết.")
    return conference


@pytest.fixture
def cadre(tree: dict[str, Any]) -> Any:
    return user_with_role(Role.CADRE, tree["district"], full_name="Phạm Thư Ký")


def test_draft_minutes_are_marked_and_carry_a_blank_number(conference: Conference, cadre: Any) -> None:
    services.minutes_draft(actor=cadre, conference=conference, text="Khai mạc hội nghị.\n\nThảo luận sôi nổi.")
    document, _body, cells = _open(exports.minutes_docx(conference, actor=cadre))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    assert (_mm(section.top_margin), _mm(section.bottom_margin), _mm(section.left_margin),
            _mm(section.right_margin)) == (20, 20, 30, 15)
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == "BIÊN BẢN"
    assert paragraphs[1] == f"{TITLE} (DỰ THẢO)"
    left = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left == ["ỦY BAN MTTQ VIỆT NAM", "QUẬN HAI BÀ TRƯNG"]
    assert "Số:       /BB-MTTQ" in cells
    assert "Hai Bà Trưng, ngày 05 tháng 7 năm 2022" in cells
    assert not DocumentNumber.objects.exists()
    # The latest draft's text, a paragraph per line, blank lines dropped.
    assert "Khai mạc hội nghị." in paragraphs and "Thảo luận sôi nổi." in paragraphs


def test_adopted_minutes_take_one_number_and_list_the_proceedings(conference: Conference, cadre: Any) -> None:
    services.minutes_draft(actor=cadre, conference=conference, text="Bản thứ nhất.")
    version = services.minutes_draft(actor=cadre, conference=conference, text="Khai mạc.\nBiểu quyết thông qua.")
    services.minutes_adopt(actor=cadre, version=version)
    conference = Conference.objects.get(pk=conference.pk)
    document, body, cells = _open(exports.minutes_docx(conference, actor=cadre))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[1] == TITLE
    assert "DỰ THẢO" not in body
    assert "Số: 01/BB-MTTQ" in cells and "BTT" not in cells.split("Số:")[1].split("\n")[0]
    assert "Thời gian: ngày 5 tháng 7 năm 2022." in body
    assert "Địa điểm: Hội trường UBND quận." in body
    assert "Chủ trì hội nghị: Trần Thị Chủ Trì." in body
    assert "Ủy viên có mặt: 2/3 ủy viên của khóa (vắng có lý do: 1)." in body
    assert "Hội nghị đủ số lượng ủy viên theo quy định (cần ít nhất 2 ủy viên có mặt)." in body
    assert "1. Báo cáo kết quả công tác 6 tháng đầu năm" in paragraphs
    assert "Trình bày: Lê Văn Phó, Ban Thường trực." in paragraphs
    assert "2. Hiệp thương cử bổ sung ủy viên" in paragraphs
    assert "Khai mạc." in paragraphs and "Biểu quyết thông qua." in paragraphs and "Bản thứ nhất." not in body
    assert "1. Tập trung tuyên truyền ngày hội đại đoàn kết." in paragraphs
    assert "THƯ KÝ HỘI NGHỊ: Phạm Thư Ký" in paragraphs
    closing = [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert closing == ["CHỦ TRÌ HỘI NGHỊ", "Trần Thị Chủ Trì"]
    # Downloading again returns the same number.
    _document, _body, again = _open(exports.minutes_docx(conference, actor=cadre))
    assert "Số: 01/BB-MTTQ" in again
    entry = DocumentNumber.objects.get()
    assert (entry.doc_type, entry.target_type, entry.target_id) == ("BB", "conferences.minutesversion",
                                                                     str(version.pk))


def test_quorum_not_met_is_stated(tree: dict[str, Any]) -> None:
    term = committee_term(tree["bach_mai"], members=3)
    conference = services.conference_create(actor=None, body=term.body, term=term, date=dt.date(2022, 7, 1))
    _document, body, _cells = _open(exports.minutes_docx(conference, actor=None))
    assert "Ủy viên có mặt: 0/3 ủy viên của khóa." in body
    assert "Hội nghị chưa đủ số lượng ủy viên theo quy định" in body
    assert "(Chưa có nội dung biên bản.)" in body


def test_a_viewer_gets_the_blank_number_until_a_cadre_numbers_the_minutes(
    tree: dict[str, Any], conference: Conference, cadre: Any,
) -> None:
    version = services.minutes_draft(actor=cadre, conference=conference, text="Khai mạc.")
    services.minutes_adopt(actor=cadre, version=version)
    viewer = user_with_role(Role.VIEWER, tree["district"])
    assert "Số:       /BB-MTTQ" in _open(exports.minutes_docx(conference, actor=viewer))[2]
    assert not DocumentNumber.objects.exists()
    exports.minutes_docx(conference, actor=cadre)
    assert "Số: 01/BB-MTTQ" in _open(exports.minutes_docx(conference, actor=viewer))[2]


def test_download_view_in_scope_and_404_for_another_ward(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"], number=3)
    url = reverse("conferences:minutes_docx", args=[conference.pk])
    assert url.endswith(f"/{conference.pk}/bien-ban.docx")
    own = Client()
    own.force_login(user_with_role(Role.CADRE, tree["bach_mai"]))
    response = own.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == (
        'attachment; filename="bien-ban-hoi-nghi-lan-3-bach-mai-2022-07-01.docx"')
    _document, body, cells = _open(response.content)
    assert "BIÊN BẢN" in body and "PHƯỜNG BẠCH MAI" in cells
    detail = own.get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    assert f'href="{url}"' in detail and "Tải biên bản (.docx)" in detail

    other = Client()
    other.force_login(user_with_role(Role.CADRE, tree["vinh_tuy"]))
    assert other.get(url).status_code == 404
