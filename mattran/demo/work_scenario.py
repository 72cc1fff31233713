"""Demo: the district committee's 10th conference of khóa XV (1 July 2022) and its plan for the second half
of 2022 with 8 task groups. Written for this project; goes through the conference and plan services."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from mattran.conferences import services as conf_services
from mattran.conferences.models import Attendance, Conference
from mattran.organisations.models import AdminUnit, FrontBody, MemberOrganisation, Position, Term
from mattran.plans import services as plan_services
from mattran.plans.models import WorkPlan

CONFERENCE_DAY = dt.date(2022, 7, 1)

AGENDA = [
    ("Dự thảo báo cáo kết quả công tác Mặt trận 6 tháng đầu năm và phương hướng, nhiệm vụ trọng tâm "
     "6 tháng cuối năm 2022", "Đỗ Văn Thịnh, Phó Chủ tịch thường trực", "Ban Thường trực Ủy ban MTTQ quận"),
    ("Thông báo kết quả hoạt động 6 tháng đầu năm 2022 của Thường trực HĐND quận", "Đại diện Thường trực HĐND",
     "Thường trực HĐND quận"),
    ("Báo cáo tình hình kinh tế – xã hội, quốc phòng – an ninh 6 tháng đầu năm và nhiệm vụ 6 tháng cuối năm 2022",
     "Đại diện lãnh đạo UBND quận", "UBND quận"),
    ("Tờ trình hiệp thương cử bổ sung Ủy viên Ủy ban MTTQ quận khóa XV", "Hoàng Đức Long, Ủy viên Thường trực",
     "Ban Thường trực Ủy ban MTTQ quận"),
    ("Thảo luận, kết luận hội nghị", "Nguyễn Thị Thu Hằng, Chủ tịch", "Ban Thường trực Ủy ban MTTQ quận"),
]

MINUTES_DRAFT = (
    "Hồi 8 giờ 00 ngày 01/7/2022, tại Hội trường UBND quận, Ủy ban MTTQ Việt Nam quận Hai Bà Trưng tổ chức "
    "Hội nghị lần thứ 10, khóa XV, nhiệm kỳ 2019–2024.\n"
    "Chủ trì: đồng chí Nguyễn Thị Thu Hằng, Chủ tịch Ủy ban MTTQ quận.\n"
    "Hội nghị đã nghe dự thảo báo cáo của Ban Thường trực, thông báo của Thường trực HĐND quận và báo cáo của "
    "UBND quận; các ý kiến thảo luận tập trung vào công tác nắm tình hình Nhân dân và vận động Quỹ “Vì người nghèo”."
)
MINUTES_ADOPTED = MINUTES_DRAFT + (
    "\nHội nghị nhất trí thông qua báo cáo 6 tháng đầu năm, phương hướng nhiệm vụ 6 tháng cuối năm 2022 và hiệp "
    "thương cử bổ sung 02 Ủy viên Ủy ban MTTQ quận khóa XV.\nHội nghị kết thúc hồi 11 giờ 30 cùng ngày."
)

GROUPS: list[tuple[str, list[tuple[str, dt.date, str | None, int]]]] = [
    ("Tuyên truyền, vận động Nhân dân; kỷ niệm các ngày lễ lớn, 92 năm Ngày truyền thống MTTQ Việt Nam",
     [("Tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở 100% khu dân cư", dt.date(2022, 11, 18), "wards", 100)]),
    ("Các phong trào thi đua, cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”",
     [("Bình xét, công nhận gia đình văn hóa, tổ dân phố văn hóa năm 2022", dt.date(2022, 12, 15), "Bạch Mai", 100)]),
    ("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; nhân rộng mô hình “Dân vận khéo”",
     [("Giới thiệu 18 mô hình “Dân vận khéo” tiêu biểu của các phường", dt.date(2022, 10, 31), None, 80)]),
    ("Nắm tình hình tư tưởng, tập hợp ý kiến, kiến nghị của cử tri và Nhân dân",
     [("Tổng hợp ý kiến, kiến nghị cử tri trước kỳ họp cuối năm của HĐND", dt.date(2022, 11, 30), None, 100)]),
    ("Giám sát và phản biện xã hội",
     [("Giám sát việc thu, chi các khoản đóng góp tự nguyện ở khu dân cư", dt.date(2022, 12, 20), "Vĩnh Tuy", 60)]),
    ("Vận động Quỹ “Vì người nghèo”, chăm lo an sinh xã hội",
     [("Ra quân Tháng cao điểm “Vì người nghèo” (17/10–18/11)", dt.date(2022, 11, 18), "Hội LHPN", 100)]),
    ("Tham gia xây dựng Đảng, chính quyền trong sạch, vững mạnh; phòng, chống tham nhũng, lãng phí",
     [("Tổ chức hội nghị góp ý xây dựng Đảng, chính quyền cuối năm", dt.date(2022, 12, 10), None, 0)]),
    ("Kiện toàn tổ chức, đổi mới nội dung, phương thức hoạt động của Mặt trận",
     [("Kiện toàn Ban công tác Mặt trận các tổ dân phố còn thiếu", dt.date(2022, 9, 30), "wards", 100)]),
]

CONCLUSIONS = [
    "Ban Thường trực tiếp thu ý kiến tại hội nghị, hoàn chỉnh báo cáo 6 tháng gửi Ủy ban MTTQ thành phố.",
    "Các phường tổ chức tốt Ngày hội Đại đoàn kết toàn dân tộc ở 100% tổ dân phố.",
    "Đẩy mạnh vận động Quỹ “Vì người nghèo”, ưu tiên hộ nghèo, hộ cận nghèo dịp cuối năm.",
]


def _owner(district: AdminUnit, label: str | None) -> dict[str, object]:
    if label is None or label == "wards":
        return {}
    org = MemberOrganisation.objects.filter(unit=district, short_name=label).first()
    if org is not None:
        return {"owner_org": org}
    return {"owner_unit": district.children.get(short_name=label)}


@transaction.atomic
def load(district: AdminUnit) -> Conference:
    committee = FrontBody.objects.get(unit=district, kind=FrontBody.Kind.COMMITTEE)
    term = Term.objects.get(body=committee, ordinal=15)
    existing = Conference.objects.filter(term=term, number=10).first()
    if existing is not None:
        return existing
    chair = Position.objects.get(term=term, role=Position.Role.CHAIR).person
    conference = conf_services.conference_create(
        actor=None, body=committee, term=term, date=CONFERENCE_DAY, number=10, chair=chair,
        place="Hội trường UBND quận Hai Bà Trưng",
        invited_delegates=(
            "Thường trực Quận ủy, Thường trực HĐND quận, lãnh đạo UBND quận; Chủ tịch Ủy ban MTTQ 18 phường"
        ),
    )
    for title, presenter, body in AGENDA:
        conf_services.agenda_item_add(actor=None, conference=conference, title=title, presenter_name=presenter,
                                      presenter_body=body)
    conf_services.attendance_roll_call(actor=None, conference=conference)
    rows = list(conference.attendances.order_by("person__full_name"))
    statuses: dict[int, str] = {a.person_id: Attendance.Status.PRESENT for a in rows}
    if rows:
        statuses[rows[-1].person_id] = Attendance.Status.EXCUSED
    conf_services.attendance_mark(actor=None, conference=conference, statuses=statuses)
    conf_services.minutes_draft(actor=None, conference=conference, text=MINUTES_DRAFT)
    adopted = conf_services.minutes_draft(actor=None, conference=conference, text=MINUTES_ADOPTED)
    conf_services.minutes_adopt(actor=None, version=adopted)
    conclusions = [conf_services.conclusion_add(actor=None, conference=conference, text=t) for t in CONCLUSIONS]

    plan = plan_services.plan_create(
        actor=None, unit=district, title="Kế hoạch công tác Mặt trận 6 tháng cuối năm 2022",
        period_start=dt.date(2022, 7, 1), period_end=dt.date(2022, 12, 31), period_label="6 tháng cuối năm 2022",
    )
    groups = []
    for title, tasks in GROUPS:
        group = plan_services.task_group_add(actor=None, plan=plan, title=title)
        groups.append(group)
        for task_title, deadline, owner, progress in tasks:
            task = plan_services.task_add(actor=None, group=group, title=task_title, deadline=deadline,
                                          **_owner(district, owner))  # type: ignore[arg-type]
            if progress:
                plan_services.task_update_progress(
                    actor=None, task=task, progress=progress,
                    note="Đã hoàn thành theo kế hoạch." if progress == 100 else "Đang triển khai ở các phường.",
                )
    conf_services.conclusion_to_task(actor=None, conclusion=conclusions[1], group=groups[0],
                                     deadline=dt.date(2022, 11, 18))
    conf_services.conclusion_to_task(actor=None, conclusion=conclusions[2], group=groups[5],
                                     deadline=dt.date(2022, 12, 31))
    plan_services.plan_adopt(actor=None, plan=plan)
    return conference


def plan_for(district: AdminUnit) -> WorkPlan | None:
    return WorkPlan.objects.filter(unit=district, title__startswith="Kế hoạch công tác Mặt trận 6 tháng cuối").first()
