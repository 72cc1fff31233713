from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.plans.models import Task, TaskGroup, TaskStatus, WorkPlan
from mattran.plans.tests.factories import task_in

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_plan_add_group_and_task(tree: dict[str, Any]) -> None:
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    response = client.post(reverse("plans:plan_create", args=[tree["bach_mai"].pk]), {
        "title": "Kế hoạch công tác 6 tháng cuối năm 2022", "period_label": "6 tháng cuối năm 2022",
        "period_start": "2022-07-01", "period_end": "2022-12-31"})
    plan = WorkPlan.objects.get()
    assert response.status_code == 302 and plan.unit == tree["bach_mai"]
    client.post(reverse("plans:group_add", args=[plan.pk]), {"title": "Tuyên truyền, kỷ niệm các ngày lễ lớn"})
    group = TaskGroup.objects.get()
    client.post(reverse("plans:task_add", args=[plan.pk]), {"group": group.pk, "title": "Kỷ niệm 2/9",
                                                            "deadline": "2022-09-02"})
    html = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "Kỷ niệm 2/9" in html and "Chưa bắt đầu" in html


def test_plan_form_keeps_input_on_error(tree: dict[str, Any]) -> None:
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    response = client.post(reverse("plans:plan_create", args=[tree["bach_mai"].pk]), {
        "title": "Kế hoạch ngược", "period_start": "2022-12-31", "period_end": "2022-07-01"})
    html = response.content.decode()
    assert "Ngày kết thúc không được trước ngày bắt đầu." in html and 'value="Kế hoạch ngược"' in html
    assert not WorkPlan.objects.exists()


def test_overdue_task_is_marked(tree: dict[str, Any]) -> None:
    task = task_in(tree["bach_mai"], deadline=dt.date(2020, 1, 1), title="Việc trễ hạn")
    client = _client(user_with_role(Role.VIEWER, tree["bach_mai"]))
    html = client.get(reverse("plans:plan_detail", args=[task.group.plan_id])).content.decode()
    assert "Quá hạn" in html and "Cập nhật tiến độ" not in html


def test_progress_update_with_evidence(tree: dict[str, Any]) -> None:
    task = task_in(tree["bach_mai"])
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    evidence = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(reverse("plans:task_progress", args=[task.pk]),
                           {"progress": "60", "note": "Đã tổ chức ở 10/18 khu dân cư", "evidence": evidence})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.progress, task.status) == (60, TaskStatus.IN_PROGRESS)
    html = client.get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    assert "Đã tổ chức ở 10/18 khu dân cư" in html and "Minh chứng" in html


def test_progress_out_of_bounds_is_refused_with_the_typed_note(tree: dict[str, Any]) -> None:
    task = task_in(tree["bach_mai"])
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    response = client.post(reverse("plans:task_progress", args=[task.pk]),
                           {"progress": "150", "note": "Ghi chú đã gõ"})
    html = response.content.decode()
    assert response.status_code == 200 and "Tiến độ phải từ 0 đến 100 (%)." in html and "Ghi chú đã gõ" in html
    task.refresh_from_db()
    assert task.progress == 0


def test_completed_task_refuses_updates(tree: dict[str, Any]) -> None:
    task = task_in(tree["bach_mai"], status=TaskStatus.DONE, progress=100)
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    response = client.post(reverse("plans:task_progress", args=[task.pk]), {"progress": "50"})
    assert "Nhiệm vụ đã hoàn thành, không thể cập nhật thêm." in response.content.decode()
    assert not task.updates.exists()


def test_ward_cadre_cannot_see_or_edit_another_wards_plan(tree: dict[str, Any]) -> None:
    task = task_in(tree["vinh_tuy"])
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    assert client.get(reverse("plans:plan_detail", args=[task.group.plan_id])).status_code == 404
    assert client.get(reverse("plans:task_detail", args=[task.pk])).status_code == 404
    response = client.post(reverse("plans:task_progress", args=[task.pk]), {"progress": "50"})
    assert response.status_code == 404
    assert Task.objects.get().progress == 0


def test_results_page_shows_the_report_text(tree: dict[str, Any]) -> None:
    task = task_in(tree["bach_mai"], status=TaskStatus.DONE)
    client = _client(user_with_role(Role.VIEWER, tree["bach_mai"]))
    html = client.get(reverse("plans:plan_results", args=[task.group.plan_id])).content.decode()
    assert "hoàn thành 1/1 nhiệm vụ" in html


def test_a_ward_reports_progress_on_a_task_the_districts_plan_gives_it(tree: dict[str, Any]) -> None:
    """The district gives a task to Bạch Mai: Bạch Mai's cadre finds it under "cấp trên giao", opens it and reports
    progress, without seeing the rest of the district's plan; another ward's cadre sees none of it."""
    task = task_in(tree["district"], title="Tổ chức Ngày hội Đại đoàn kết ở 100% khu dân cư",
                   owner_unit=tree["bach_mai"], deadline=dt.date(2030, 11, 18))
    other_task = task_in(tree["district"], title="Nhiệm vụ của quận", owner_unit=None)
    ward = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    listing = ward.get(reverse("plans:plan_list")).content.decode()
    assert "Nhiệm vụ cấp trên giao" in listing and task.title in listing
    assert other_task.title not in listing
    page = ward.get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    assert "Cập nhật tiến độ" in page
    assert reverse("plans:plan_detail", args=[task.group.plan.pk]) not in page  # the plan stays the district's
    response = ward.post(reverse("plans:task_progress", args=[task.pk]),
                         {"progress": "40", "note": "Đã tổ chức ở 7/18 khu dân cư"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.progress, task.status) == (40, TaskStatus.IN_PROGRESS)
    assert ward.get(reverse("plans:task_detail", args=[other_task.pk])).status_code == 404
    assert ward.get(reverse("plans:plan_detail", args=[task.group.plan.pk])).status_code == 404

    neighbour = _client(user_with_role(Role.CADRE, tree["vinh_tuy"]))
    assert task.title not in neighbour.get(reverse("plans:plan_list")).content.decode()
    assert neighbour.get(reverse("plans:task_detail", args=[task.pk])).status_code == 404
    assert neighbour.post(reverse("plans:task_progress", args=[task.pk]), {"progress": "90"}).status_code == 404
    task.refresh_from_db()
    assert task.progress == 40


def test_a_cadre_corrects_a_task_from_its_page(tree: dict[str, Any]) -> None:
    task = task_in(tree["bach_mai"], title="Tổ chức hội nghi")
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    edit = reverse("plans:task_edit", args=[task.pk])
    assert f'href="{edit}"' in client.get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    assert "Tổ chức hội nghi" in client.get(edit).content.decode()
    bad = client.post(edit, {"group": task.group_id, "title": "", "deadline": "31/02/2030"}).content.decode()
    assert "Vui lòng nhập nhiệm vụ." in bad and "Ngày không hợp lệ." in bad
    response = client.post(edit, {"group": task.group_id, "title": "Tổ chức hội nghị", "deadline": "2030-06-30"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.deadline) == ("Tổ chức hội nghị", dt.date(2030, 6, 30))
    ward = _client(user_with_role(Role.CADRE, tree["vinh_tuy"]))
    assert ward.get(edit).status_code == 404
