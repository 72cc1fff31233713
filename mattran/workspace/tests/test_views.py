import pytest
from django.urls import reverse

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import UserFactory, user_with_role
from mattran.audit.services import record
from mattran.organisations.models import Person
from mattran.organisations.tests.factories import PersonFactory, build_tree

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("workspace:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_resident_without_a_role_gets_a_friendly_403(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory())
    response = client.get(reverse("workspace:dashboard"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_the_dashboard_shows_the_users_unit_and_recent_activity(client) -> None:  # type: ignore[no-untyped-def]
    tree = build_tree()
    cadre = user_with_role(Role.CADRE, tree["bach_mai"], full_name="Trần Minh Đức")
    record(actor=None, action="organisations.person.create", target=tree["bach_mai"], unit=tree["bach_mai"])
    client.force_login(cadre)
    html = client.get(reverse("workspace:dashboard")).content.decode()
    assert "Trần Minh Đức" in html
    assert "Phường Bạch Mai" in html
    assert "thêm cá nhân" in html


def test_contacts_are_hidden_from_viewers_and_shown_to_cadres(client) -> None:  # type: ignore[no-untyped-def]
    tree = build_tree()
    person = PersonFactory(unit=tree["bach_mai"], phone="0900 000 777")
    url = reverse("workspace:person_detail", args=[person.pk])
    client.force_login(user_with_role(Role.VIEWER, tree["bach_mai"]))
    assert "0900 000 777" not in client.get(url).content.decode()
    client.force_login(user_with_role(Role.CADRE, tree["bach_mai"]))
    assert "0900 000 777" in client.get(url).content.decode()


def test_unit_search_ignores_diacritics(client) -> None:  # type: ignore[no-untyped-def]
    tree = build_tree()
    client.force_login(user_with_role(Role.STANDING, tree["district"]))
    html = client.get(reverse("workspace:unit_list"), {"q": "vinh tuy"}).content.decode()
    assert "Phường Vĩnh Tuy" in html
    assert "Phường Bạch Mai" not in html


def test_adding_a_person_with_bad_input_keeps_what_was_typed(client) -> None:  # type: ignore[no-untyped-def]
    tree = build_tree()
    client.force_login(user_with_role(Role.CADRE, tree["bach_mai"]))
    url = reverse("workspace:person_add", args=[tree["bach_mai"].pk])
    response = client.post(url, {"full_name": "Đỗ Thị Hoa", "phone": "abc", "email": "khong-hop-le"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Số điện thoại chỉ gồm" in html
    assert "Địa chỉ thư điện tử không hợp lệ" in html
    assert 'value="Đỗ Thị Hoa"' in html
    assert not Person.objects.exists()


def test_adding_a_person_is_audited(client) -> None:  # type: ignore[no-untyped-def]
    tree = build_tree()
    client.force_login(user_with_role(Role.CADRE, tree["bach_mai"]))
    url = reverse("workspace:person_add", args=[tree["bach_mai"].pk])
    response = client.post(url, {"full_name": "Đỗ Thị Hoa", "phone": "0900 000 321", "email": ""})
    person = Person.objects.get()
    assert response.status_code == 302
    log = client.get(reverse("workspace:audit_log")).content.decode()
    assert "organisations.person.create" in log
    assert person.full_name in log


def test_the_audit_log_of_a_ward_is_not_visible_to_another_ward(client) -> None:  # type: ignore[no-untyped-def]
    tree = build_tree()
    record(actor=None, action="secret.in.vinh.tuy", target=tree["vinh_tuy"], unit=tree["vinh_tuy"])
    client.force_login(user_with_role(Role.CADRE, tree["bach_mai"]))
    assert "secret.in.vinh.tuy" not in client.get(reverse("workspace:audit_log")).content.decode()
    client.force_login(user_with_role(Role.STANDING, tree["district"]))
    assert "secret.in.vinh.tuy" in client.get(reverse("workspace:audit_log")).content.decode()


def test_django_admin_is_for_superusers_only(client) -> None:  # type: ignore[no-untyped-def]
    tree = build_tree()
    staff = user_with_role(Role.STANDING, tree["district"], is_staff=True)
    client.force_login(staff)
    assert client.get("/quan-tri/").status_code == 302  # back to the admin login
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/quan-tri/").status_code == 200


def test_a_colliding_term_number_is_refused_next_to_the_field(client) -> None:  # type: ignore[no-untyped-def]
    from mattran.organisations.models import FrontBody, Term
    from mattran.organisations.tests.factories import TermFactory

    tree = build_tree()
    term = TermFactory(body__unit=tree["bach_mai"], body__kind=FrontBody.Kind.COMMITTEE, ordinal=20)
    client.force_login(user_with_role(Role.CADRE, tree["bach_mai"]))
    url = reverse("workspace:term_add", args=[tree["bach_mai"].pk])
    response = client.post(url, {"body": term.body.pk, "ordinal": "20", "start_year": "2024", "end_year": "2029"})
    assert "đã có khóa số 20" in response.content.decode()
    assert Term.objects.count() == 1
    response = client.post(url, {"body": term.body.pk, "ordinal": "21", "start_year": "2024", "end_year": "2029"})
    assert response.status_code == 302
    assert Term.objects.filter(ordinal=21, body=term.body).exists()


def test_pages_of_the_audit_log_keep_the_unit_filter(client) -> None:  # type: ignore[no-untyped-def]
    tree = build_tree()
    for number in range(55):
        record(actor=None, action=f"test.{number}", target=tree["bach_mai"], unit=tree["bach_mai"])
    client.force_login(user_with_role(Role.STANDING, tree["district"]))
    html = client.get(reverse("workspace:audit_log"), {"don_vi": tree["bach_mai"].pk}).content.decode()
    assert f"?don_vi={tree['bach_mai'].pk}&amp;trang=2" in html
