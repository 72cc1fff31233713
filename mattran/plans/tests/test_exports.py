"""Work plans as an official .docx (Decree 30 layout): opened again with python-docx."""

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
from mattran.documents.models import DocumentNumber
from mattran.organisations.models import FrontBody, Position
from mattran.organisations.tests.factories import FrontBodyFactory, MemberOrganisationFactory, PersonFactory
from mattran.plans import exports, services
from mattran.plans.models import TaskStatus, WorkPlan
from mattran.plans.selectors import plan_get_visible
from mattran.plans.tests.factories import TaskFactory, TaskGroupFactory, WorkPlanFactory

pytestmark = pytest.mark.django_db

TITLE = "Kế hoạch công tác Mặt trận 6 tháng cuối năm 2022"


def _open(content: bytes) -> tuple[Any, str, str]:
    document = Document(io.BytesIO(content))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    return document, body, cells


def _mm(length: int) -> float:
    return round(length / Mm(1), 1)


@pytest.fixture
def plan(tree: dict[str, Any]) -> WorkPlan:
    district = tree["district"]
    committee = FrontBodyFactory(unit=district, kind=FrontBody.Kind.COMMITTEE)
    FrontBodyFactory(unit=district, kind=FrontBody.Kind.STANDING_BOARD)
    term = committee.terms.create(ordinal=15, start_year=2019, end_year=2024)
    Position.objects.create(person=PersonFactory(unit=district, full_name="Nguyễn Thị Chủ Tịch"), term=term,
                            role=Position.Role.CHAIR)
    plan = WorkPlanFactory(unit=district)
    propaganda = TaskGroupFactory(plan=plan, order=1, title="Công tác tuyên truyền")
    TaskGroupFactory(plan=plan, order=2, title="Cuộc vận động “Ngày vì người nghèo”")
    TaskFactory(group=propaganda, title="Tổ chức kỷ niệm 92 năm Ngày truyền thống MTTQ Việt Nam",
                deadline=dt.date(2022, 11, 18), owner_unit=tree["bach_mai"])
    TaskFactory(group=propaganda, title="Tuyên truyền bầu cử", deadline=dt.date(2022, 9, 5),
                owner_org=MemberOrganisationFactory(unit=district, name="Hội Liên hiệp Phụ nữ quận"))
    TaskFactory(group=propaganda, title="Nhiệm vụ đã hủy", status=TaskStatus.CANCELLED)
    return plan


def _visible(plan: WorkPlan, user: Any) -> WorkPlan:
    return plan_get_visible(user=user, plan_id=plan.pk)


@pytest.fixture
def cadre(tree: dict[str, Any]) -> Any:
    return user_with_role(Role.CADRE, tree["district"])


def test_draft_plan_has_the_layout_the_tasks_and_a_blank_number(plan: WorkPlan, cadre: Any) -> None:
    document, body, cells = _open(exports.plan_docx(_visible(plan, cadre), actor=cadre))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    assert (_mm(section.top_margin), _mm(section.bottom_margin), _mm(section.left_margin),
            _mm(section.right_margin)) == (20, 20, 30, 15)
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[0] == "KẾ HOẠCH"
    assert paragraphs[1] == TITLE
    left = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left == ["ỦY BAN MTTQ VIỆT NAM", "QUẬN HAI BÀ TRƯNG", "BAN THƯỜNG TRỰC"]
    assert "Số:       /KH-MTTQ-BTT" in cells
    assert not DocumentNumber.objects.exists()
    headings = [p for p in paragraphs if p[:3] in ("I. ", "II.", "III")]
    assert headings == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ TRỌNG TÂM", "III. TỔ CHỨC THỰC HIỆN"]
    assert "1. Công tác tuyên truyền" in paragraphs
    assert "2. Cuộc vận động “Ngày vì người nghèo”" in paragraphs
    assert ("- Tổ chức kỷ niệm 92 năm Ngày truyền thống MTTQ Việt Nam (chủ trì: Phường Bạch Mai; "
            "thời hạn: 18/11/2022).") in paragraphs
    assert "- Tuyên truyền bầu cử (chủ trì: Hội Liên hiệp Phụ nữ quận; thời hạn: 05/09/2022)." in paragraphs
    assert "Nhiệm vụ đã hủy" not in body
    # No progress yet (a cancelled task is not progress): no results table, only the header and closing ones.
    assert len(document.tables) == 2
    closing = [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert closing == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Nguyễn Thị Chủ Tịch"]
    recipients = [p.text for p in document.tables[-1].rows[0].cells[0].paragraphs if p.text]
    assert recipients[0] == "Nơi nhận:"
    assert "- Ban Thường trực Ủy ban MTTQ Việt Nam thành phố Hà Nội (để b/c);" in recipients
    assert recipients[-1] == "- Lưu: VT, VP."


def test_an_adopted_plan_takes_one_kh_number(plan: WorkPlan, cadre: Any) -> None:
    services.plan_adopt(actor=cadre, plan=plan)
    _document, _body, cells = _open(exports.plan_docx(_visible(plan, cadre), actor=cadre))
    assert "Số: 01/KH-MTTQ-BTT" in cells
    _document, _body, again = _open(exports.plan_docx(_visible(plan, cadre), actor=cadre))
    assert "Số: 01/KH-MTTQ-BTT" in again
    entry = DocumentNumber.objects.get()
    assert (entry.doc_type, entry.target_type, entry.target_id) == ("KH", "plans.workplan", str(plan.pk))
    assert entry.issuer.kind == FrontBody.Kind.STANDING_BOARD


def test_progress_adds_a_results_table(plan: WorkPlan, cadre: Any) -> None:
    task = plan.groups.get(order=1).tasks.get(title="Tuyên truyền bầu cử")
    services.task_update_progress(actor=cadre, task=task, progress=100, note="Đã xong")
    document = Document(io.BytesIO(exports.plan_docx(_visible(plan, cadre), actor=cadre)))
    table = document.tables[1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["TT", "Nhóm nhiệm vụ", "Hoàn thành", "Quá hạn"]
    assert rows[1][:3] == ["1", "Công tác tuyên truyền", "1/2"]
    assert rows[2][:3] == ["2", "Cuộc vận động “Ngày vì người nghèo”", "0/0"]


def test_committee_issues_when_there_is_no_standing_board(tree: dict[str, Any]) -> None:
    FrontBodyFactory(unit=tree["bach_mai"], kind=FrontBody.Kind.COMMITTEE)
    plan = WorkPlanFactory(unit=tree["bach_mai"], status=WorkPlan.Status.ADOPTED)
    document, _body, cells = _open(exports.plan_docx(plan, actor=None))
    assert "Số: 01/KH-MTTQ" in cells and "KH-MTTQ-BTT" not in cells
    left = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left == ["ỦY BAN MTTQ VIỆT NAM", "PHƯỜNG BẠCH MAI"]
    closing = [p.text for p in document.tables[-1].rows[0].cells[1].paragraphs if p.text]
    assert closing[:2] == ["TM. ỦY BAN", "CHỦ TỊCH"]


def test_download_view_in_scope_404_for_another_ward_and_a_message_without_a_front_body(
    tree: dict[str, Any],
) -> None:
    FrontBodyFactory(unit=tree["bach_mai"], kind=FrontBody.Kind.STANDING_BOARD)
    plan = WorkPlanFactory(unit=tree["bach_mai"])
    url = reverse("plans:plan_docx", args=[plan.pk])
    assert url.endswith(f"/{plan.pk}/ke-hoach.docx")
    own = Client()
    own.force_login(user_with_role(Role.CADRE, tree["bach_mai"]))
    response = own.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach-bach-mai-6-thang-cuoi-nam-2022.docx"'
    _document, body, cells = _open(response.content)
    assert "KẾ HOẠCH" in body and TITLE in body and "PHƯỜNG BẠCH MAI" in cells
    detail = own.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert f'href="{url}"' in detail and "Tải kế hoạch (.docx)" in detail

    other = Client()
    other.force_login(user_with_role(Role.CADRE, tree["vinh_tuy"]))
    assert other.get(url).status_code == 404

    bare = WorkPlanFactory(unit=tree["vinh_tuy"])
    response = other.get(reverse("plans:plan_docx", args=[bare.pk]), follow=True)
    assert "chưa khai báo cơ quan Mặt trận" in response.content.decode()
