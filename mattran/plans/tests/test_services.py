from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.audit.models import AuditEvent
from mattran.organisations.tests.factories import MemberOrganisationFactory
from mattran.plans import services
from mattran.plans.models import Task, TaskStatus, TaskUpdate
from mattran.plans.tests.factories import TaskFactory, TaskGroupFactory, WorkPlanFactory, task_in

pytestmark = pytest.mark.django_db


def test_plan_groups_and_tasks_are_created_in_order(tree: dict[str, Any]) -> None:
    plan = services.plan_create(actor=None, unit=tree["district"], title="Kế hoạch 6 tháng cuối năm 2022",
                                period_start=dt.date(2022, 7, 1), period_end=dt.date(2022, 12, 31),
                                period_label="6 tháng cuối năm 2022")
    groups = [services.task_group_add(actor=None, plan=plan, title=f"Nhóm {n}") for n in range(1, 9)]
    assert [g.order for g in groups] == list(range(1, 9))
    task = services.task_add(actor=None, group=groups[0], title="Tuyên truyền kỷ niệm 2/9",
                             owner_unit=tree["bach_mai"], deadline=dt.date(2022, 9, 2))
    assert task.status == TaskStatus.NOT_STARTED and task.owner == tree["bach_mai"]


def test_plan_period_must_be_ordered(tree: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        services.plan_create(actor=None, unit=tree["district"], title="X",
                             period_start=dt.date(2022, 12, 31), period_end=dt.date(2022, 7, 1))


def test_task_owner_is_a_unit_or_an_organisation_below_the_plan(tree: dict[str, Any]) -> None:
    group = TaskGroupFactory(plan=WorkPlanFactory(unit=tree["district"]))
    org = MemberOrganisationFactory(unit=tree["district"])
    with pytest.raises(ValidationError):
        services.task_add(actor=None, group=group, title="X", owner_unit=tree["bach_mai"], owner_org=org)
    with pytest.raises(ValidationError):
        services.task_add(actor=None, group=group, title="X", owner_unit=tree["other_commune"])
    assert services.task_add(actor=None, group=group, title="X", owner_org=org).owner == org


@pytest.mark.parametrize("progress", [-1, 101, 250])
def test_progress_outside_0_100_is_refused(tree: dict[str, Any], progress: int) -> None:
    task = task_in(tree["district"])
    with pytest.raises(ValidationError) as exc:
        services.task_update_progress(actor=None, task=task, progress=progress, note="Sai")
    assert "từ 0 đến 100" in str(exc.value)
    task.refresh_from_db()
    assert task.progress == 0 and not TaskUpdate.objects.exists()


def test_progress_moves_the_status(tree: dict[str, Any]) -> None:
    task = task_in(tree["district"])
    services.task_update_progress(actor=None, task=task, progress=40, note="Đã tổ chức 3 buổi")
    task.refresh_from_db()
    assert (task.progress, task.status) == (40, TaskStatus.IN_PROGRESS)
    services.task_update_progress(actor=None, task=task, progress=100, note="Xong")
    task.refresh_from_db()
    assert (task.progress, task.status) == (100, TaskStatus.DONE)
    event = AuditEvent.objects.filter(action="plans.task.progress").order_by("pk").last()
    assert event is not None and event.changes["progress"] == [40, 100]


@pytest.mark.parametrize(("status", "message"), [(TaskStatus.DONE, "đã hoàn thành"), (TaskStatus.CANCELLED, "đã hủy")])
def test_closed_tasks_take_no_updates(tree: dict[str, Any], status: str, message: str) -> None:
    task = task_in(tree["district"], status=status)
    with pytest.raises(ValidationError) as exc:
        services.task_update_progress(actor=None, task=task, progress=50)
    assert message in str(exc.value)


def test_evidence_is_checked(tree: dict[str, Any]) -> None:
    task = task_in(tree["district"])
    with pytest.raises(ValidationError):
        services.task_update_progress(actor=None, task=task, progress=10,
                                      evidence=SimpleUploadedFile("anh.jpg", b"not a jpeg"))
    update = services.task_update_progress(actor=None, task=task, progress=10,
                                           evidence=SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0rest"))
    assert update.evidence.name.endswith(".jpg")


def test_evidence_size_limit(tree: dict[str, Any], settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 10
    task = task_in(tree["district"])
    with pytest.raises(ValidationError) as exc:
        services.task_update_progress(actor=None, task=task, progress=10,
                                      evidence=SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 20))
    assert "quá lớn" in str(exc.value)


def test_a_ward_cadre_cannot_update_a_task_of_another_ward(tree: dict[str, Any]) -> None:
    task = task_in(tree["vinh_tuy"])
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    with pytest.raises(PermissionDenied):
        services.task_update_progress(actor=cadre, task=task, progress=10)


def test_a_viewer_cannot_update_progress(tree: dict[str, Any]) -> None:
    task = task_in(tree["bach_mai"])
    viewer = user_with_role(Role.VIEWER, tree["bach_mai"])
    with pytest.raises(PermissionDenied):
        services.task_update_progress(actor=viewer, task=task, progress=10)


def test_overdue_is_derived(tree: dict[str, Any]) -> None:
    today = dt.date(2023, 1, 10)
    late = task_in(tree["district"], deadline=dt.date(2022, 12, 31))
    done = TaskFactory(group=late.group, deadline=dt.date(2022, 12, 31), status=TaskStatus.DONE)
    assert late.is_overdue(today) and not done.is_overdue(today)
    assert list(Task.objects.overdue(today)) == [late]


def test_results_summary_per_group(tree: dict[str, Any]) -> None:
    plan = WorkPlanFactory(unit=tree["district"])
    g1 = TaskGroupFactory(plan=plan, order=1, title="Tuyên truyền")
    g2 = TaskGroupFactory(plan=plan, order=2, title="Phong trào thi đua")
    a = TaskFactory(group=g1, title="Kỷ niệm 2/9")
    TaskFactory(group=g1, title="Kỷ niệm 20/10", deadline=dt.date(2022, 10, 20))
    TaskFactory(group=g1, title="Đã bỏ", status=TaskStatus.CANCELLED)
    TaskFactory(group=g2, title="Ngày hội Đại đoàn kết", status=TaskStatus.DONE)
    services.task_update_progress(actor=None, task=a, progress=100, note="Tổ chức 18/18 phường")

    results = services.plan_results_summary(plan, today=dt.date(2022, 11, 1))

    assert [(r.order, r.done, r.total, r.overdue, r.cancelled) for r in results] == [(1, 1, 2, 1, 1), (2, 1, 1, 0, 0)]
    assert results[0].notes == ["Kỷ niệm 2/9: Tổ chức 18/18 phường"]
    text = services.render_results_text(results)
    assert text.splitlines()[0] == "1. Tuyên truyền: hoàn thành 1/2 nhiệm vụ (1 quá hạn, 1 đã hủy)."
    assert "   - Kỷ niệm 2/9: Tổ chức 18/18 phường" in text
    assert "2. Phong trào thi đua: hoàn thành 1/1 nhiệm vụ." in text


def test_the_unit_given_a_task_may_report_on_it_and_no_other_unit_below(tree: dict[str, Any]) -> None:
    task = task_in(tree["district"], owner_unit=tree["bach_mai"])
    services.task_update_progress(actor=user_with_role(Role.CADRE, tree["bach_mai"]), task=task, progress=30)
    with pytest.raises(PermissionDenied):
        services.task_update_progress(actor=user_with_role(Role.CADRE, tree["vinh_tuy"]), task=task, progress=90)
    # A task the district keeps for itself is the district's alone.
    own = task_in(tree["district"], owner_unit=tree["district"])
    with pytest.raises(PermissionDenied):
        services.task_update_progress(actor=user_with_role(Role.CADRE, tree["bach_mai"]), task=own, progress=10)
    task.refresh_from_db()
    own.refresh_from_db()
    assert (task.progress, own.progress) == (30, 0)
    assert AuditEvent.objects.filter(action="plans.task.progress").count() == 1


def test_an_open_task_is_corrected_with_an_audit_and_a_closed_one_is_not(tree: dict[str, Any]) -> None:
    task = task_in(tree["district"], title="Tổ chức hội nghi", owner_unit=tree["district"])
    other_group = TaskGroupFactory(plan=task.group.plan, title="Công tác tuyên truyền")
    services.task_update(actor=None, task=task, group=other_group, title=" Tổ chức hội nghị ",
                         deadline=dt.date(2030, 6, 30), owner_unit=tree["bach_mai"])
    task.refresh_from_db()
    assert (task.title, task.group, task.deadline, task.owner_unit) == (
        "Tổ chức hội nghị", other_group, dt.date(2030, 6, 30), tree["bach_mai"])
    changes = AuditEvent.objects.get(action="plans.task.update").changes
    assert changes["title"] == ["Tổ chức hội nghi", "Tổ chức hội nghị"] and "owner" in changes

    with pytest.raises(ValidationError, match="cùng kế hoạch"):
        services.task_update(actor=None, task=task, group=TaskGroupFactory(), title="X")
    services.task_update_progress(actor=None, task=task, progress=100)
    with pytest.raises(ValidationError, match="hoàn thành"):
        services.task_update(actor=None, task=task, group=other_group, title="Khác")
    task.refresh_from_db()
    assert task.title == "Tổ chức hội nghị"


def test_the_ward_given_a_task_reports_on_it_but_does_not_rewrite_it(tree: dict[str, Any]) -> None:
    task = task_in(tree["district"], owner_unit=tree["bach_mai"])
    with pytest.raises(PermissionDenied):
        services.task_update(actor=user_with_role(Role.CADRE, tree["bach_mai"]), task=task, group=task.group,
                             title="Việc nhẹ hơn")
