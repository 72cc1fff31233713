from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.audit.models import AuditEvent
from mattran.conferences import services
from mattran.conferences.models import Attendance, Conference, MinutesVersion
from mattran.conferences.tests.factories import committee_term
from mattran.organisations.models import FrontBody
from mattran.organisations.tests.factories import PersonFactory
from mattran.plans.models import Task
from mattran.plans.tests.factories import TaskGroupFactory, WorkPlanFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2022, 7, 1)


def _create(term: Any, **kwargs: Any) -> Conference:
    return services.conference_create(actor=None, body=term.body, term=term, date=kwargs.pop("date", DAY), **kwargs)


def test_numbers_count_up_within_a_term(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"])
    assert [_create(term).number for _ in range(3)] == [1, 2, 3]


def test_numbering_restarts_with_each_term(tree: dict[str, Any]) -> None:
    old = committee_term(tree["district"], ordinal=15)
    new = committee_term(tree["district"], ordinal=16)
    for _ in range(15):
        _create(old)
    assert _create(new).number == 1
    assert _create(old).number == 16


def test_numbering_is_per_body(tree: dict[str, Any]) -> None:
    district = committee_term(tree["district"])
    ward = committee_term(tree["bach_mai"])
    _create(district)
    _create(district)
    assert _create(ward).number == 1


def test_extraordinary_conference_takes_the_next_number(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"])
    _create(term)
    extra = _create(term, is_extraordinary=True)
    assert extra.number == 2 and extra.is_extraordinary
    assert _create(term).number == 3


def test_a_given_number_is_used(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"])
    assert _create(term, number=10).number == 10
    assert _create(term).number == 11


def test_a_colliding_number_is_refused_and_nothing_is_saved(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"])
    _create(term, number=10)
    before = (Conference.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        _create(term, number=10, is_extraordinary=True, place="Nơi khác")
    assert "đã có Hội nghị lần thứ 10" in str(exc.value.message_dict["number"])
    assert (Conference.objects.count(), AuditEvent.objects.count()) == before


def test_term_of_another_body_is_refused(tree: dict[str, Any]) -> None:
    district = committee_term(tree["district"])
    ward = committee_term(tree["bach_mai"])
    with pytest.raises(ValidationError):
        services.conference_create(actor=None, body=district.body, term=ward, date=DAY)


def test_title_reads_as_in_official_documents(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"])
    conference = _create(term, number=10)
    assert conference.title == (
        "Hội nghị lần thứ 10 Ủy ban MTTQ Việt Nam quận Hai Bà Trưng khóa XV, nhiệm kỳ 2019–2024"
    )


def test_a_ward_cadre_cannot_create_a_conference_of_another_ward(tree: dict[str, Any]) -> None:
    term = committee_term(tree["vinh_tuy"])
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    with pytest.raises(PermissionDenied):
        services.conference_create(actor=cadre, body=term.body, term=term, date=DAY)


def test_creation_is_audited(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"])
    cadre = user_with_role(Role.CADRE, tree["district"])
    conference = services.conference_create(actor=cadre, body=term.body, term=term, date=DAY)
    event = AuditEvent.objects.get(action="conferences.conference.create")
    assert event.target_id == str(conference.pk) and event.actor == cadre


def test_agenda_items_are_numbered_and_attachments_checked(tree: dict[str, Any]) -> None:
    conference = _create(committee_term(tree["district"]))
    first = services.agenda_item_add(actor=None, conference=conference, title="Báo cáo 6 tháng đầu năm",
                                     presenter_body="Ban Thường trực")
    second = services.agenda_item_add(
        actor=None, conference=conference, title="Báo cáo kết quả phát triển kinh tế - xã hội",
        presenter_body="UBND quận", attachment=SimpleUploadedFile("bao-cao.pdf", "%PDF-1.4 nội dung".encode()),
    )
    assert (first.order, second.order) == (1, 2) and second.attachment.name.endswith(".pdf")
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=None, conference=conference, title="Tờ trình",
                                 attachment=SimpleUploadedFile("to-trinh.pdf", b"MZ\x90\x00 not a pdf"))
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=None, conference=conference, title="Tờ trình",
                                 attachment=SimpleUploadedFile("virus.exe", b"MZ\x90\x00"))
    assert conference.agenda_items.count() == 2


def test_agenda_item_may_link_a_report_by_type_and_id(tree: dict[str, Any]) -> None:
    conference = _create(committee_term(tree["district"]))
    item = services.agenda_item_add(actor=None, conference=conference, title="Dự thảo báo cáo",
                                    target_type="reports.report", target_id="42")
    assert (item.target_type, item.target_id) == ("reports.report", "42")
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=None, conference=conference, title="X", target_type="reports.report")


def test_roll_call_lists_the_term_members_once(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"], members=6)
    conference = _create(term)
    assert services.attendance_roll_call(actor=None, conference=conference) == 6
    assert services.attendance_roll_call(actor=None, conference=conference) == 0
    assert conference.attendances.filter(status=Attendance.Status.ABSENT).count() == 6


@pytest.mark.parametrize(("members", "present", "met"), [(9, 6, True), (9, 5, False), (10, 7, True),
                                                        (10, 6, False), (3, 2, True), (0, 0, False)])
def test_quorum_is_two_thirds_of_the_term_members(
    tree: dict[str, Any], members: int, present: int, met: bool
) -> None:
    term = committee_term(tree["district"], members=members)
    conference = _create(term)
    services.attendance_roll_call(actor=None, conference=conference)
    ids = list(conference.attendances.values_list("person_id", flat=True))
    services.attendance_mark(actor=None, conference=conference,
                             statuses={pid: Attendance.Status.PRESENT for pid in ids[:present]}
                             | {pid: Attendance.Status.EXCUSED for pid in ids[present:]})
    assert services.quorum_met(conference) is met


def test_quorum_ratio_is_a_setting(tree: dict[str, Any], settings: Any) -> None:
    settings.CONFERENCE_QUORUM_RATIO = "1/2"
    term = committee_term(tree["district"], members=10)
    conference = _create(term)
    services.attendance_roll_call(actor=None, conference=conference)
    ids = list(conference.attendances.values_list("person_id", flat=True))
    services.attendance_mark(actor=None, conference=conference, statuses={p: "co_mat" for p in ids[:5]})
    assert services.quorum(conference).required == 5 and services.quorum_met(conference)


def test_marking_someone_off_the_roll_is_refused(tree: dict[str, Any]) -> None:
    conference = _create(committee_term(tree["district"], members=2))
    services.attendance_roll_call(actor=None, conference=conference)
    stranger = PersonFactory(unit=tree["district"])
    with pytest.raises(ValidationError):
        services.attendance_mark(actor=None, conference=conference, statuses={stranger.pk: "co_mat"})


def test_minutes_versions_count_up(tree: dict[str, Any]) -> None:
    conference = _create(committee_term(tree["district"]))
    v1 = services.minutes_draft(actor=None, conference=conference, text="Bản đầu")
    v2 = services.minutes_draft(actor=None, conference=conference, text="Bản sửa")
    assert (v1.number, v2.number) == (1, 2)


def test_minutes_edit_after_adoption_is_refused(tree: dict[str, Any]) -> None:
    conference = _create(committee_term(tree["district"]))
    v1 = services.minutes_draft(actor=None, conference=conference, text="Bản đầu")
    services.minutes_draft(actor=None, conference=conference, text="Bản sửa")
    services.minutes_adopt(actor=None, version=v1)
    with pytest.raises(ValidationError) as exc:
        services.minutes_draft(actor=None, conference=conference, text="Sửa sau khi thông qua")
    assert exc.value.messages == ["Biên bản đã được thông qua, không thể sửa."]
    assert conference.minutes_versions.count() == 2


def test_only_one_version_is_adopted(tree: dict[str, Any]) -> None:
    conference = _create(committee_term(tree["district"]))
    v1 = services.minutes_draft(actor=None, conference=conference, text="Bản đầu")
    v2 = services.minutes_draft(actor=None, conference=conference, text="Bản sửa")
    services.minutes_adopt(actor=None, version=v2)
    with pytest.raises(ValidationError):
        services.minutes_adopt(actor=None, version=v1)
    assert list(MinutesVersion.objects.filter(is_adopted=True)) == [v2]


def test_conclusion_becomes_a_task_of_the_same_unit(tree: dict[str, Any]) -> None:
    conference = _create(committee_term(tree["district"]))
    conclusion = services.conclusion_add(actor=None, conference=conference,
                                         text="Tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở 100% khu dân cư")
    group = TaskGroupFactory(plan=WorkPlanFactory(unit=tree["district"]))
    task = services.conclusion_to_task(actor=None, conclusion=conclusion, group=group,
                                       deadline=dt.date(2022, 11, 18), owner_unit=tree["bach_mai"])
    assert isinstance(task, Task)
    assert task.source_conclusion == conclusion and task.group == group and task.title == conclusion.text
    with pytest.raises(ValidationError):
        services.conclusion_to_task(actor=None, conclusion=conclusion, group=group)
    assert Task.objects.count() == 1


def test_conclusion_cannot_feed_another_units_plan(tree: dict[str, Any]) -> None:
    conference = _create(committee_term(tree["district"]))
    conclusion = services.conclusion_add(actor=None, conference=conference, text="Kết luận")
    group = TaskGroupFactory(plan=WorkPlanFactory(unit=tree["bach_mai"]))
    with pytest.raises(ValidationError):
        services.conclusion_to_task(actor=None, conclusion=conclusion, group=group)
    assert not Task.objects.exists()


def test_body_kind_other_than_committee_counts_separately(tree: dict[str, Any]) -> None:
    committee = committee_term(tree["district"])
    board = FrontBody.objects.create(unit=tree["district"], kind=FrontBody.Kind.STANDING_BOARD)
    from mattran.organisations.tests.factories import TermFactory

    board_term = TermFactory(body=board)
    _create(committee)
    assert _create(board_term).number == 1


# --- correcting a conference and its agenda ------------------------------------------------------------------


def _adopt(conference: Conference) -> None:
    services.minutes_adopt(actor=None, version=services.minutes_draft(actor=None, conference=conference, text="BB"))


def test_a_conference_is_corrected_with_an_audit_of_what_changed(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"])
    conference = _create(term, place="Hội trường UBND quận")
    chair = PersonFactory(unit=tree["district"])
    services.conference_update(actor=None, conference=conference, date=dt.date(2022, 7, 2), number=5,
                               place=" Hội trường Quận ủy ", chair=chair, is_extraordinary=True)
    conference.refresh_from_db()
    assert (conference.date, conference.number, conference.place, conference.chair, conference.is_extraordinary) == (
        dt.date(2022, 7, 2), 5, "Hội trường Quận ủy", chair, True)
    event = AuditEvent.objects.get(action="conferences.conference.update")
    assert event.changes["number"] == [1, 5]
    assert event.changes["place"] == ["Hội trường UBND quận", "Hội trường Quận ủy"]
    assert "invited_delegates" not in event.changes


def test_a_correction_may_not_take_another_conferences_number(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"])
    first, second = _create(term), _create(term)
    with pytest.raises(ValidationError) as caught:
        services.conference_update(actor=None, conference=second, date=DAY, number=first.number)
    assert "đã có Hội nghị lần thứ 1" in str(caught.value)
    second.refresh_from_db()
    assert second.number == 2
    # Keeping its own number is not a collision.
    services.conference_update(actor=None, conference=second, date=DAY, number=2, place="Phòng họp")


def test_adopted_minutes_freeze_the_details_and_the_agenda(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"])
    conference = _create(term, place="A")
    item = services.agenda_item_add(actor=None, conference=conference, title="Báo cáo 6 tháng")
    _adopt(conference)
    calls = [
        lambda: services.conference_update(actor=None, conference=conference, date=DAY, number=1, place="B"),
        lambda: services.agenda_item_update(actor=None, item=item, title="Khác"),
        lambda: services.agenda_item_remove(actor=None, item=item),
        lambda: services.agenda_item_move(actor=None, item=item, up=True),
    ]
    for call in calls:
        with pytest.raises(ValidationError, match="đã được thông qua"):
            call()
    conference.refresh_from_db()
    item.refresh_from_db()
    assert (conference.place, item.title) == ("A", "Báo cáo 6 tháng")


def test_agenda_items_are_corrected_moved_and_removed(tree: dict[str, Any]) -> None:
    conference = _create(committee_term(tree["district"]))
    first, second, third = (services.agenda_item_add(actor=None, conference=conference, title=t)
                            for t in ("Khai mạc", "Báo cáo", "Bế mạc"))
    services.agenda_item_update(actor=None, item=second, title=" Báo cáo kết quả 6 tháng ",
                                presenter_body="Ban Thường trực")
    assert services.agenda_item_move(actor=None, item=third, up=True) is True
    assert services.agenda_item_move(actor=None, item=first, up=True) is False  # already first
    assert [i.title for i in conference.agenda_items.all()] == ["Khai mạc", "Bế mạc", "Báo cáo kết quả 6 tháng"]
    services.agenda_item_remove(actor=None, item=first)
    assert [i.title for i in conference.agenda_items.all()] == ["Bế mạc", "Báo cáo kết quả 6 tháng"]
    removed = AuditEvent.objects.get(action="conferences.agenda.remove")
    assert removed.changes["title"] == "Khai mạc"
    assert AuditEvent.objects.get(action="conferences.agenda.update").changes["presenter_body"] == [
        "", "Ban Thường trực"]
    with pytest.raises(ValidationError):
        services.agenda_item_update(actor=None, item=second, title="   ")


def test_a_cadre_of_another_unit_cannot_correct_a_conference(tree: dict[str, Any]) -> None:
    conference = _create(committee_term(tree["bach_mai"]), place="A")
    item = services.agenda_item_add(actor=None, conference=conference, title="Báo cáo")
    outsider = user_with_role(Role.CADRE, tree["vinh_tuy"])
    with pytest.raises(PermissionDenied):
        services.conference_update(actor=outsider, conference=conference, date=DAY, number=1, place="B")
    with pytest.raises(PermissionDenied):
        services.agenda_item_remove(actor=outsider, item=item)
    assert conference.agenda_items.count() == 1


# --- Deleting a conference entered by mistake; correcting and removing conclusions ----------------------------


def test_a_conference_entered_by_mistake_is_deleted_and_the_audit_keeps_what_it_held(tree: dict[str, Any]) -> None:
    cadre = user_with_role(Role.CADRE, tree["district"])
    conference = _create(committee_term(tree["district"]))
    services.agenda_item_add(actor=None, conference=conference, title="Báo cáo công tác quý III",
                             presenter_name="Nguyễn Văn A")
    services.minutes_draft(actor=None, conference=conference, text="Dự thảo biên bản")
    services.conclusion_add(actor=None, conference=conference, text="Giao Ban Thường trực chuẩn bị đại hội")
    services.conference_delete(actor=cadre, conference=conference)
    assert not Conference.objects.filter(pk=conference.pk).exists()
    event = AuditEvent.objects.get(action="conferences.conference.delete")
    assert event.changes["agenda"] == ["Báo cáo công tác quý III — Nguyễn Văn A"]
    assert event.changes["minutes_versions"] == ["Dự thảo biên bản"]
    assert event.changes["conclusions"] == ["Giao Ban Thường trực chuẩn bị đại hội"]
    assert event.changes["number"] == conference.number and event.unit_id == tree["district"].pk


def test_a_conference_with_adopted_minutes_or_conclusions_made_tasks_is_not_deleted(tree: dict[str, Any]) -> None:
    district_term = committee_term(tree["district"])
    adopted = _create(district_term)
    services.minutes_adopt(actor=None, version=services.minutes_draft(actor=None, conference=adopted, text="BB"))
    with pytest.raises(ValidationError, match="không xóa được"):
        services.conference_delete(actor=None, conference=adopted)
    tasked = _create(committee_term(tree["bach_mai"]))
    conclusion = services.conclusion_add(actor=None, conference=tasked, text="Kết luận")
    services.conclusion_to_task(actor=None, conclusion=conclusion,
                                group=TaskGroupFactory(plan=WorkPlanFactory(unit=tree["bach_mai"])))
    with pytest.raises(ValidationError, match="giao thành nhiệm vụ"):
        services.conference_delete(actor=None, conference=tasked)
    with pytest.raises(PermissionDenied):
        services.conference_delete(actor=user_with_role(Role.CADRE, tree["vinh_tuy"]),
                                   conference=_create(district_term))
    assert Conference.objects.count() == 3 and not AuditEvent.objects.filter(
        action="conferences.conference.delete").exists()


def test_a_conclusion_is_corrected_or_removed_until_it_becomes_a_task(tree: dict[str, Any]) -> None:
    conference = _create(committee_term(tree["district"]))
    first = services.conclusion_add(actor=None, conference=conference, text="Kết luận có lỗi chính ta")
    second = services.conclusion_add(actor=None, conference=conference, text="Kết luận thêm nhầm")
    services.conclusion_update(actor=None, conclusion=first, text="  Kết luận có lỗi chính tả  ")
    first.refresh_from_db()
    assert first.text == "Kết luận có lỗi chính tả"
    with pytest.raises(ValidationError, match="Vui lòng nhập"):
        services.conclusion_update(actor=None, conclusion=first, text="   ")
    services.conclusion_remove(actor=None, conclusion=second)
    assert list(conference.conclusions.values_list("text", flat=True)) == ["Kết luận có lỗi chính tả"]
    changes = {e.action: e.changes for e in AuditEvent.objects.filter(action__startswith="conferences.conclusion.")}
    assert changes["conferences.conclusion.update"]["text"] == ["Kết luận có lỗi chính ta", "Kết luận có lỗi chính tả"]
    assert changes["conferences.conclusion.remove"]["text"] == "Kết luận thêm nhầm"

    services.conclusion_to_task(actor=None, conclusion=first,
                                group=TaskGroupFactory(plan=WorkPlanFactory(unit=tree["district"])))
    for attempt in (lambda: services.conclusion_update(actor=None, conclusion=first, text="Khác"),
                    lambda: services.conclusion_remove(actor=None, conclusion=first)):
        with pytest.raises(ValidationError, match="đã được giao thành nhiệm vụ"):
            attempt()
    first.refresh_from_db()
    assert first.text == "Kết luận có lỗi chính tả"
