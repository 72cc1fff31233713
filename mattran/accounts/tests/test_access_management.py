"""The standing committee manages its cadres' accounts and roles (decision 0017)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from mattran.accounts import services
from mattran.accounts.models import Role, RoleGrant, User
from mattran.accounts.permissions import Action, can
from mattran.accounts.tests.factories import PASSWORD, UserFactory, user_with_role
from mattran.audit.models import AuditEvent
from mattran.organisations.tests.factories import build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> dict[str, Any]:
    return build_tree()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_district_standing_committee_creates_a_ward_cadres_account(tree: dict[str, Any]) -> None:
    standing = user_with_role(Role.STANDING, tree["district"])
    user, password = services.account_create(actor=standing, unit=tree["bach_mai"], role=Role.CADRE,
                                              username=" NguyenVanA ", full_name="Nguyễn Văn A")
    assert user.username == "nguyenvana" and user.full_name == "Nguyễn Văn A"
    assert authenticate(username="nguyenvana", password=password) == user
    assert len(password) == services.TEMPORARY_PASSWORD_LENGTH and password not in user.password
    assert can(user, Action.REPORT_EDIT, tree["bach_mai"]) and not can(user, Action.VIEW_UNIT, tree["vinh_tuy"])
    grant = RoleGrant.objects.get(user=user)
    assert grant.granted_by == standing
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"accounts.user.create", "accounts.role.grant"} <= actions
    assert password not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_nobody_makes_a_peer_or_reaches_beyond_their_subtree(tree: dict[str, Any]) -> None:
    standing = user_with_role(Role.STANDING, tree["district"])
    cadre = user_with_role(Role.CADRE, tree["district"])
    someone = UserFactory()
    # The standing role is given below one's own level only.
    assert services.may_grant(standing, tree["bach_mai"], Role.STANDING)
    assert not services.may_grant(standing, tree["district"], Role.STANDING)
    with pytest.raises(PermissionDenied, match="Thường trực cấp trên"):
        services.role_grant(actor=standing, user=someone, unit=tree["district"], role=Role.STANDING)
    # Other units, and cadres (who do not manage accounts), are refused.
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=standing, user=someone, unit=tree["other_commune"], role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.account_create(actor=cadre, unit=tree["bach_mai"], role=Role.VIEWER, username="abc",
                                full_name="A")
    assert services.grantable_roles(standing, tree["district"]) == [Role.CADRE, Role.EDITOR, Role.VIEWER]
    assert not RoleGrant.objects.filter(user=someone).exists()
    assert not User.objects.filter(username="abc").exists()


def test_bad_input_is_refused_whole_with_reasons_in_vietnamese(tree: dict[str, Any]) -> None:
    standing = user_with_role(Role.STANDING, tree["district"])
    UserFactory(username="lan.bachmai")
    for username, full_name, field in [("ng", "A", "username"), ("nguyễn", "A", "username"),
                                       ("ok.name", "  ", "full_name"), ("LAN.bachmai", "Lan", "username")]:
        with pytest.raises(ValidationError) as caught:
            services.account_create(actor=standing, unit=tree["bach_mai"], role=Role.CADRE, username=username,
                                    full_name=full_name)
        assert field in caught.value.message_dict
    assert User.objects.count() == 2 and RoleGrant.objects.count() == 1


def test_a_role_is_taken_back_but_never_ones_own(tree: dict[str, Any]) -> None:
    standing = user_with_role(Role.STANDING, tree["district"])
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    services.role_revoke(actor=standing, grant=RoleGrant.objects.get(user=cadre))
    assert not can(cadre, Action.VIEW_UNIT, tree["bach_mai"])
    with pytest.raises(ValidationError, match="chính mình"):
        services.role_revoke(actor=standing, grant=RoleGrant.objects.get(user=standing))
    peer = user_with_role(Role.STANDING, tree["district"])
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=standing, grant=RoleGrant.objects.get(user=peer))
    assert AuditEvent.objects.filter(action="accounts.role.revoke").count() == 1


def test_the_page_creates_an_account_shows_its_password_once_and_grants_and_revokes(tree: dict[str, Any]) -> None:
    standing = user_with_role(Role.STANDING, tree["district"])
    client = _client(standing)
    detail = client.get(reverse("workspace:unit_detail", args=[tree["bach_mai"].pk])).content.decode()
    page_url = reverse("accounts_staff:unit_access", args=[tree["bach_mai"].pk])
    assert f'href="{page_url}"' in detail
    page = client.get(page_url).content.decode()
    assert 'value="thuong_truc"' in page  # the district may make Bạch Mai's standing members
    response = client.post(reverse("accounts_staff:account_create", args=[tree["bach_mai"].pk]),
                           {"full_name": "Trần Thị Lan", "username": "lan.bachmai", "role": "can_bo"})
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    user = User.objects.get(username="lan.bachmai")
    password = html.split('<strong class="secret"><code>')[1].split("</code>")[0]
    assert authenticate(username="lan.bachmai", password=password) == user
    assert password not in client.get(page_url).content.decode()  # shown once

    other = UserFactory(username="hung")
    client.post(reverse("accounts_staff:grant_add", args=[tree["bach_mai"].pk]),
                {"username": "HUNG", "role": "theo_doi"})
    assert RoleGrant.objects.filter(user=other, unit=tree["bach_mai"], role=Role.VIEWER).exists()
    missing = client.post(reverse("accounts_staff:grant_add", args=[tree["bach_mai"].pk]),
                          {"username": "khongco", "role": "theo_doi"}).content.decode()
    assert "Không có tài khoản “khongco”" in missing and 'value="khongco"' in missing

    grant = RoleGrant.objects.get(user=other)
    client.post(reverse("accounts_staff:grant_revoke", args=[grant.pk]))
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_a_bad_form_keeps_what_was_typed(tree: dict[str, Any]) -> None:
    client = _client(user_with_role(Role.STANDING, tree["district"]))
    response = client.post(reverse("accounts_staff:account_create", args=[tree["bach_mai"].pk]),
                           {"full_name": "Trần Thị Lan", "username": "Lan Bạch Mai", "role": "can_bo"})
    html = response.content.decode()
    assert "Tên đăng nhập dài 3–40 ký tự" in html and 'value="Trần Thị Lan"' in html
    assert not User.objects.filter(full_name="Trần Thị Lan").exists()


def test_ward_cadres_and_other_wards_have_no_access_page(tree: dict[str, Any]) -> None:
    cadre = _client(user_with_role(Role.CADRE, tree["bach_mai"]))
    assert cadre.get(reverse("accounts_staff:unit_access", args=[tree["bach_mai"].pk])).status_code == 403
    ward_standing = _client(user_with_role(Role.STANDING, tree["vinh_tuy"]))
    assert ward_standing.get(reverse("accounts_staff:unit_access", args=[tree["bach_mai"].pk])).status_code == 404
    grant = RoleGrant.objects.get(unit=tree["bach_mai"])
    assert ward_standing.post(reverse("accounts_staff:grant_revoke", args=[grant.pk])).status_code == 404
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_a_user_changes_their_temporary_password(tree: dict[str, Any]) -> None:
    user = user_with_role(Role.CADRE, tree["bach_mai"])
    client = _client(user)
    assert "Đổi mật khẩu" in client.get(reverse("workspace:dashboard")).content.decode()
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2026")
    wrong = client.post(reverse("accounts:password_change"), {
        "old_password": "sai", "new_password1": "x", "new_password2": "y"})
    assert wrong.status_code == 200


def test_an_account_made_from_a_demo_account_is_a_demo_account(tree: dict[str, Any]) -> None:
    demo = user_with_role(Role.STANDING, tree["district"], is_demo=True)
    user, _ = services.account_create(actor=demo, unit=tree["bach_mai"], role=Role.CADRE, username="demo.moi",
                                      full_name="Người mới")
    real, _ = services.account_create(actor=user_with_role(Role.STANDING, tree["district"]), unit=tree["bach_mai"],
                                      role=Role.CADRE, username="that.su", full_name="Người thật")
    assert (user.is_demo, real.is_demo) == (True, False)


# --- Locking accounts and resetting forgotten passwords (decision 0019) ----------------------------------------


def test_the_standing_committee_locks_unlocks_and_resets_a_cadres_account(tree: dict[str, Any]) -> None:
    standing = user_with_role(Role.STANDING, tree["district"])
    cadre = user_with_role(Role.CADRE, tree["bach_mai"], username="lan")
    session = _client(cadre)
    assert session.get(reverse("workspace:dashboard")).status_code == 200

    assert services.account_lock(actor=standing, user=cadre) is True
    assert services.account_lock(actor=standing, user=cadre) is False  # already locked: nothing recorded twice
    assert authenticate(username="lan", password=PASSWORD) is None
    assert session.get(reverse("workspace:dashboard")).status_code == 302  # the open session has ended
    assert RoleGrant.objects.filter(user=cadre).exists()  # the roles stay for when it is unlocked
    with pytest.raises(ValidationError, match="đang bị khóa"):
        services.password_reset(actor=standing, user=cadre)

    assert services.account_unlock(actor=standing, user=cadre) is True
    session = _client(cadre)
    password = services.password_reset(actor=standing, user=cadre)
    assert len(password) == services.TEMPORARY_PASSWORD_LENGTH
    assert authenticate(username="lan", password=password) == User.objects.get(pk=cadre.pk)
    assert authenticate(username="lan", password=PASSWORD) is None
    assert session.get(reverse("workspace:dashboard")).status_code == 302  # signed in with the old password
    actions = list(AuditEvent.objects.filter(action__startswith="accounts.user.").values_list("action", flat=True))
    assert actions.count("accounts.user.lock") == 1
    assert {"accounts.user.unlock", "accounts.user.password_reset"} <= set(actions)
    assert password not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_only_who_could_grant_every_role_of_an_account_locks_or_resets_it(tree: dict[str, Any]) -> None:
    ward_standing = user_with_role(Role.STANDING, tree["bach_mai"])
    district_cadre = user_with_role(Role.CADRE, tree["district"])
    RoleGrant.objects.create(user=district_cadre, unit=tree["bach_mai"], role=Role.VIEWER)
    ward_cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    admin = user_with_role(Role.CADRE, tree["bach_mai"], is_superuser=True)
    peer = user_with_role(Role.STANDING, tree["bach_mai"])
    # A role in the district, beyond the ward's reach; a system administrator; the ward's own standing peer.
    for user in (district_cadre, admin, peer):
        assert not services.may_manage_account(ward_standing, user)
        with pytest.raises(PermissionDenied, match="ngoài quyền của bạn"):
            services.account_lock(actor=ward_standing, user=user)
        with pytest.raises(PermissionDenied):
            services.password_reset(actor=ward_standing, user=user)
    with pytest.raises(ValidationError, match="chính mình"):
        services.account_lock(actor=ward_standing, user=ward_standing)
    assert services.may_manage_account(ward_standing, ward_cadre)
    assert User.objects.filter(is_active=False).count() == 0


def test_the_page_resets_a_password_showing_it_once_and_locks_and_unlocks(tree: dict[str, Any]) -> None:
    standing = user_with_role(Role.STANDING, tree["district"])
    cadre = user_with_role(Role.CADRE, tree["bach_mai"], username="lan")
    client = _client(standing)
    page_url = reverse("accounts_staff:unit_access", args=[tree["bach_mai"].pk])
    reset_url = reverse("accounts_staff:password_reset", args=[tree["bach_mai"].pk, cadre.pk])
    lock_url = reverse("accounts_staff:account_lock", args=[tree["bach_mai"].pk, cadre.pk])
    page = client.get(page_url).content.decode()
    assert f'action="{reset_url}"' in page and f'action="{lock_url}"' in page

    response = client.post(reset_url)
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = html.split('<strong class="secret"><code>')[1].split("</code>")[0]
    assert authenticate(username="lan", password=password) is not None
    assert password not in client.get(page_url).content.decode()  # shown once

    followed = client.post(lock_url, follow=True).content.decode()
    assert "Đã khóa tài khoản lan" in followed and "đã khóa" in followed
    assert not User.objects.get(pk=cadre.pk).is_active
    unlock_url = reverse("accounts_staff:account_unlock", args=[tree["bach_mai"].pk, cadre.pk])
    assert f'action="{unlock_url}"' in followed
    assert "Đã mở khóa tài khoản lan" in client.post(unlock_url, follow=True).content.decode()
    assert User.objects.get(pk=cadre.pk).is_active

    # One's own account has no such buttons, and the service refuses it with a message, not an error page.
    own = reverse("accounts_staff:account_lock", args=[tree["district"].pk, standing.pk])
    assert f'action="{own}"' not in client.get(reverse("accounts_staff:unit_access",
                                                       args=[tree["district"].pk])).content.decode()
    refused = client.post(own, follow=True).content.decode()
    assert "Không tự khóa" in refused and User.objects.get(pk=standing.pk).is_active


def test_accounts_of_other_units_are_not_found_from_a_units_page(tree: dict[str, Any]) -> None:
    ward_standing = _client(user_with_role(Role.STANDING, tree["vinh_tuy"]))
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    # Another ward's account, named through one's own ward page, and through the other ward's page.
    for unit in ("vinh_tuy", "bach_mai"):
        url = reverse("accounts_staff:account_lock", args=[tree[unit].pk, cadre.pk])
        assert ward_standing.post(url).status_code == 404
    assert User.objects.get(pk=cadre.pk).is_active
