"""A work plan (kế hoạch công tác) as an official document in the Decree 30 layout (.docx).

The unit's standing board issues the plan (the committee when the unit has no standing board on record).
An adopted plan takes a ``KH`` number from the register (the plan as target, so every download shows the same
number); a draft leaves the number blank, as drafts do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mattran.common.vn import date_short
from mattran.documents import services as document_services
from mattran.documents.issuers import issuer_lines, issuer_place, signing_authority, working_issuer
from mattran.documents.models import DocType, DocumentNumber
from mattran.documents.official import Bullet, Heading, OfficialDocument, Paragraph, Signature, Table, render_docx
from mattran.organisations.models import AdminUnit, FrontBody
from mattran.organisations.selectors import committee_chair_name
from mattran.plans import services
from mattran.plans.models import TaskStatus, WorkPlan

DOC_TYPE_NAME = "KẾ HOẠCH"


def _numbered(plan: WorkPlan, issuer: FrontBody, actor: Any) -> DocumentNumber | None:
    """An adopted plan's register entry (see :func:`document_number_for_export`); a draft has none."""
    if plan.status != WorkPlan.Status.ADOPTED:
        return None
    # WorkPlan rows change only on create and adopt, so updated_at is the adoption date.
    return document_services.document_number_for_export(
        actor=actor, issuer=issuer, doc_type=DocType.PLAN, title=plan.title,
        issued_on=timezone.localdate(plan.updated_at), target=plan,
    )


def _period_text(plan: WorkPlan) -> str:
    if plan.period_label:
        return plan.period_label
    return f"từ ngày {date_short(plan.period_start)} đến ngày {date_short(plan.period_end)}"


def _place_name(unit: AdminUnit) -> str:
    return f"{unit.type_name.lower()} {unit.short_name}" if unit.type_name else unit.name


def _task_line(task: Any) -> str:
    details = []
    if task.owner is not None:
        details.append(f"chủ trì: {task.owner}")
    details.append(f"thời hạn: {date_short(task.deadline)}" if task.deadline else "thời hạn: thường xuyên")
    return f"{task.title.rstrip('.; ')} ({'; '.join(details)})."


def _has_progress(plan: WorkPlan) -> bool:
    """Has any (not cancelled) task been started, progressed or completed?"""
    return any(task.progress > 0 or task.status in (TaskStatus.IN_PROGRESS, TaskStatus.DONE)
               for group in plan.groups.all() for task in group.tasks.all())


def plan_document(plan: WorkPlan, *, actor: Any, today: dt.date | None = None) -> OfficialDocument:
    today = today or timezone.localdate()
    issuer = working_issuer(plan.unit)
    place = _place_name(plan.unit)
    period = _period_text(plan)
    board = f"Ban Thường trực Ủy ban MTTQ Việt Nam {place}"

    blocks: list[Any] = [Heading("Mục đích, yêu cầu")]
    blocks.append(Paragraph(
        f"Cụ thể hóa các nhiệm vụ trọng tâm của công tác Mặt trận {place} {period}; phân công rõ đơn vị chủ trì "
        "và thời hạn hoàn thành của từng nhiệm vụ."))
    blocks.append(Paragraph(
        "Các nhiệm vụ được triển khai kịp thời, đồng bộ, đúng tiến độ; phát huy vai trò của các tổ chức thành "
        "viên và Ban công tác Mặt trận ở khu dân cư; thường xuyên theo dõi, đôn đốc, đánh giá kết quả thực hiện."))

    blocks.append(Heading("Nhiệm vụ trọng tâm"))
    groups = sorted(plan.groups.all(), key=lambda g: g.order)
    for group in groups:
        blocks.append(Heading(group.title, level=2))
        tasks = [t for t in group.tasks.all() if t.status != TaskStatus.CANCELLED]
        blocks.extend(Bullet(_task_line(task)) for task in tasks)
    if not groups:
        blocks.append(Paragraph("(Kế hoạch chưa có nhóm nhiệm vụ.)", italic=True))

    blocks.append(Heading("Tổ chức thực hiện"))
    blocks.append(Paragraph(
        f"{board} chỉ đạo, hướng dẫn, theo dõi và đôn đốc việc thực hiện kế hoạch."))
    blocks.append(Paragraph(
        "Các đơn vị, tổ chức thành viên được phân công chủ trì chủ động xây dựng kế hoạch cụ thể, triển khai "
        "thực hiện và định kỳ cập nhật tiến độ, báo cáo kết quả về Ban Thường trực."))
    blocks.append(Paragraph(
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị kịp thời phản ánh về Ban Thường "
        "trực để xem xét, giải quyết."))

    if _has_progress(plan):
        results = services.plan_results_summary(plan, today=today)
        blocks.append(Heading(f"Kết quả thực hiện đến ngày {date_short(today)}", numbered=False))
        blocks.append(Table(
            header=("TT", "Nhóm nhiệm vụ", "Hoàn thành", "Quá hạn"),
            rows=tuple((str(i), r.title, f"{r.done}/{r.total}", str(r.overdue))
                       for i, r in enumerate(results, start=1)),
            widths_mm=(12, 103, 28, 22),
        ))

    parent = plan.unit.parent
    recipients = []
    if parent is not None:
        recipients.append(f"Ban Thường trực Ủy ban MTTQ Việt Nam {_place_name(parent)} (để b/c)")
    recipients += [f"Thường trực Đảng ủy, HĐND, UBND {place} (để b/c)", "Các tổ chức thành viên",
                   "Các đơn vị được phân công chủ trì"]
    entry = _numbered(plan, issuer, actor)
    authority = signing_authority(issuer)
    return OfficialDocument(
        issuer=issuer_lines(issuer),
        number=entry.symbol if entry is not None else document_services.blank_symbol(issuer, DocType.PLAN),
        place=issuer_place(issuer),
        issued_on=entry.issued_on if entry is not None else today,
        doc_type_name=DOC_TYPE_NAME,
        title=plan.title,
        blocks=tuple(blocks),
        recipients=tuple(recipients),
        archive="VP",
        signature=Signature(authority=authority, title="CHỦ TỊCH",
                            name=committee_chair_name(unit=plan.unit, start=plan.period_start, end=plan.period_end)),
    )


def plan_docx(plan: WorkPlan, *, actor: Any) -> bytes:
    return render_docx(plan_document(plan, actor=actor))
