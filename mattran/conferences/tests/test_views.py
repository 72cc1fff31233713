from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.conferences import services
from mattran.conferences.models import Attendance, Conference
from mattran.conferences.tests.factories import committee_term, conference_in
from mattran.plans.models import Task
from mattran.plans.tests.factories import TaskGroupFactory, WorkPlanFactory

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_form_prefills_the_next_number(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"])
    for _ in range(9):
        services.conference_create(actor=None, body=term.body, term=term, date=dt.date(2022, 1, 1))
    client = _client(user_with_role(Role.CADRE, tree["district"]))
    html = client.get(reverse("conferences:conference_create", args=[tree["district"].pk])).content.decode()
    assert 'name="number" value="10"' in html
    assert '<label for="id_number">Lần thứ' in html


def test_create_then_detail_shows_the_full_title(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"])
    client = _client(user_with_role(Role.CADRE, tree["district"]))
    response = client.post(reverse("conferences:conference_create", args=[tree["district"].pk]),
                           {"term": term.pk, "number": "10", "date": "2022-07-01", "place": "Hội trường quận"},
                           follow=True)
    assert "Hội nghị lần thứ 10 Ủy ban MTTQ Việt Nam quận Hai Bà Trưng khóa XV, nhiệm kỳ 2019–2024" in (
        response.content.decode())


def test_colliding_number_is_shown_with_the_typed_input(tree: dict[str, Any]) -> None:
    term = committee_term(tree["district"])
    services.conference_create(actor=None, body=term.body, term=term, date=dt.date(2022, 1, 1), number=10)
    client = _client(user_with_role(Role.CADRE, tree["district"]))
    response = client.post(reverse("conferences:conference_create", args=[tree["district"].pk]),
                           {"term": term.pk, "number": "10", "date": "2022-07-01", "place": "Nhà văn hóa phường"})
    html = response.content.decode()
    assert response.status_code == 200 and "đã có Hội nghị lần thứ 10" in html
    assert 'value="Nhà văn hóa phường"' in html and Conference.objects.count() == 1


def test_ward_cadre_gets_404_for_another_wards_conference(tree: dict[str, Any]) -> None:
    other = conference_in(tree["vinh_tuy"])
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    assert client.get(reverse("conferences:conference_detail", args=[other.pk])).status_code == 404
    response = client.post(reverse("conferences:minutes_draft", args=[other.pk]), {"text": "Sửa trộm"})
    assert response.status_code == 404 and not other.minutes_versions.exists()


def test_roll_call_and_quorum_badge(tree: dict[str, Any]) -> None:
    term = committee_term(tree["bach_mai"], members=3)
    conference = services.conference_create(actor=None, body=term.body, term=term, date=dt.date(2022, 7, 1))
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    client.post(reverse("conferences:roll_call", args=[conference.pk]))
    detail = reverse("conferences:conference_detail", args=[conference.pk])
    assert "Chưa đủ số lượng" in client.get(detail).content.decode()
    statuses = {f"p{a.person_id}": Attendance.Status.PRESENT for a in conference.attendances.all()}
    client.post(reverse("conferences:attendance_mark", args=[conference.pk]), statuses)
    assert "Đủ số lượng" in client.get(detail).content.decode()
    assert services.quorum_met(conference)


def test_adopted_minutes_page_refuses_edits(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"])
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    client.post(reverse("conferences:minutes_draft", args=[conference.pk]), {"text": "Bản đầu"})
    version = conference.minutes_versions.get()
    client.post(reverse("conferences:minutes_adopt", args=[conference.pk]), {"version": version.pk})
    response = client.post(reverse("conferences:minutes_draft", args=[conference.pk]), {"text": "Sửa lại"})
    assert "Biên bản đã được thông qua, không thể sửa." in response.content.decode()
    assert conference.minutes_versions.count() == 1


def test_conclusion_to_task_from_the_page(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"])
    conclusion = services.conclusion_add(actor=None, conference=conference, text="Vận động Quỹ Vì người nghèo")
    group = TaskGroupFactory(plan=WorkPlanFactory(unit=tree["bach_mai"]))
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    html = client.get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    assert "→ giao thành nhiệm vụ" in html
    response = client.post(reverse("conferences:conclusion_to_task", args=[conference.pk]),
                           {"conclusion": conclusion.pk, "group": group.pk, "deadline": "2022-10-17"})
    task = Task.objects.get()
    assert response.status_code == 302 and task.source_conclusion == conclusion


def test_viewer_sees_no_management_forms(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"])
    client = _client(user_with_role(Role.VIEWER, tree["bach_mai"]))
    html = client.get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    assert "Thêm kết luận" not in html and "Soạn biên bản" not in html
    assert client.post(reverse("conferences:conclusion_add", args=[conference.pk]), {"text": "X"}).status_code == 403


def test_list_shows_only_visible_conferences(tree: dict[str, Any]) -> None:
    conference_in(tree["bach_mai"], place="Nhà văn hóa Bạch Mai")
    conference_in(tree["vinh_tuy"], place="Nhà văn hóa Vĩnh Tuy")
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    html = client.get(reverse("conferences:conference_list")).content.decode()
    assert "Phường Bạch Mai" in html and "Phường Vĩnh Tuy" not in html


def test_a_cadre_corrects_the_details_from_the_page(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"], place="Nhà văn hóa")
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    detail = client.get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    edit_url = reverse("conferences:conference_edit", args=[conference.pk])
    assert f'href="{edit_url}"' in detail
    form = client.get(edit_url).content.decode()
    assert 'value="Nhà văn hóa"' in form and 'name="term"' not in form
    response = client.post(edit_url, {"number": conference.number, "date": "2022-07-05",
                                      "place": "Hội trường UBND phường"})
    assert response.status_code == 302
    conference.refresh_from_db()
    assert (conference.place, conference.date) == ("Hội trường UBND phường", dt.date(2022, 7, 5))


def test_a_bad_correction_keeps_the_typed_input_with_the_reason(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"], place="A")
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    response = client.post(reverse("conferences:conference_edit", args=[conference.pk]),
                           {"number": "", "date": "32/13/2022", "place": "Hội trường mới"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vui lòng nhập số thứ tự hội nghị." in html and "Ngày không hợp lệ." in html
    assert 'value="Hội trường mới"' in html
    conference.refresh_from_db()
    assert conference.place == "A"


def test_agenda_items_are_edited_moved_and_removed_from_the_page(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"])
    first, second = (services.agenda_item_add(actor=None, conference=conference, title=t)
                     for t in ("Khai mạc", "Báo cáo"))
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    edit = reverse("conferences:agenda_edit", args=[second.pk])
    assert 'value="Báo cáo"' in client.get(edit).content.decode()
    client.post(edit, {"title": "Báo cáo 6 tháng", "presenter_body": "Ban Thường trực"})
    client.post(reverse("conferences:agenda_move", args=[second.pk]), {"huong": "len"})
    assert [i.title for i in conference.agenda_items.all()] == ["Báo cáo 6 tháng", "Khai mạc"]
    client.post(reverse("conferences:agenda_remove", args=[first.pk]))
    assert [i.title for i in conference.agenda_items.all()] == ["Báo cáo 6 tháng"]


def test_after_adoption_the_page_offers_no_corrections_and_refuses_them(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"], place="A")
    item = services.agenda_item_add(actor=None, conference=conference, title="Báo cáo")
    services.minutes_adopt(actor=None, version=services.minutes_draft(actor=None, conference=conference, text="B"))
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    detail = client.get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    assert reverse("conferences:conference_edit", args=[conference.pk]) not in detail
    assert reverse("conferences:agenda_remove", args=[item.pk]) not in detail
    response = client.get(reverse("conferences:conference_edit", args=[conference.pk]), follow=True)
    assert services.RECORD_FROZEN in response.content.decode()
    response = client.post(reverse("conferences:agenda_remove", args=[item.pk]), follow=True)
    assert services.RECORD_FROZEN in response.content.decode()
    assert conference.agenda_items.count() == 1


def test_another_wards_cadre_cannot_reach_the_correction_pages(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"])
    item = services.agenda_item_add(actor=None, conference=conference, title="Báo cáo")
    client = _client(user_with_role(Role.CADRE, tree["vinh_tuy"]))
    assert client.get(reverse("conferences:conference_edit", args=[conference.pk])).status_code == 404
    assert client.post(reverse("conferences:agenda_remove", args=[item.pk])).status_code == 404
    assert client.get(reverse("conferences:agenda_edit", args=[item.pk])).status_code == 404
    assert conference.agenda_items.count() == 1


def test_a_conference_is_deleted_from_its_page_and_the_list_no_longer_shows_it(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"], place="Hội trường nhập nhầm")
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    detail_url = reverse("conferences:conference_detail", args=[conference.pk])
    delete_url = reverse("conferences:conference_delete", args=[conference.pk])
    assert f'action="{delete_url}"' in client.get(detail_url).content.decode()
    listing = client.post(delete_url, follow=True).content.decode()
    assert "Đã xóa Hội nghị lần thứ" in listing and "Hội trường nhập nhầm" not in listing
    assert not Conference.objects.filter(pk=conference.pk).exists()
    assert client.get(detail_url).status_code == 404


def test_a_refused_deletion_says_why_on_the_page(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"])
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    services.minutes_adopt(actor=None, version=services.minutes_draft(actor=None, conference=conference, text="BB"))
    detail = client.get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    assert "Xóa hội nghị" not in detail
    refused = client.post(reverse("conferences:conference_delete", args=[conference.pk]), follow=True)
    assert "không xóa được" in refused.content.decode() and Conference.objects.filter(pk=conference.pk).exists()
    other_ward = _client(user_with_role(Role.CADRE, tree["vinh_tuy"]))
    assert other_ward.post(reverse("conferences:conference_delete", args=[conference.pk])).status_code == 404


def test_conclusions_are_corrected_and_removed_from_the_page(tree: dict[str, Any]) -> None:
    conference = conference_in(tree["bach_mai"])
    typo = services.conclusion_add(actor=None, conference=conference, text="Vận động Quỹ Vì ngừi nghèo")
    extra = services.conclusion_add(actor=None, conference=conference, text="Thêm nhầm")
    client = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    edit_url = reverse("conferences:conclusion_edit", args=[typo.pk])
    html = client.get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    assert f'href="{edit_url}"' in html
    form = client.get(edit_url).content.decode()
    assert "Vận động Quỹ Vì ngừi nghèo" in form
    empty = client.post(edit_url, {"text": "  "}).content.decode()
    assert "Vui lòng nhập nội dung kết luận." in empty
    response = client.post(edit_url, {"text": "Vận động Quỹ Vì người nghèo"})
    assert response.status_code == 302 and response["Location"].endswith("#ket-luan")
    client.post(reverse("conferences:conclusion_remove", args=[extra.pk]))
    assert list(conference.conclusions.values_list("text", flat=True)) == ["Vận động Quỹ Vì người nghèo"]

    services.conclusion_to_task(actor=None, conclusion=typo,
                                group=TaskGroupFactory(plan=WorkPlanFactory(unit=tree["bach_mai"])))
    html = client.get(reverse("conferences:conference_detail", args=[conference.pk])).content.decode()
    assert f'href="{edit_url}"' not in html
    redirected = client.get(edit_url, follow=True).content.decode()
    assert "đã được giao thành nhiệm vụ" in redirected
