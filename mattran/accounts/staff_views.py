"""Accounts and roles of a unit, in the staff workspace (/quan-ly/tai-khoan/): the standing committee creates its
cadres' accounts and grants or takes back roles on its unit and the units below (decision 0017), and locks,
unlocks or resets the password of the accounts whose every role it could grant (decision 0019)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mattran.accounts import selectors, services
from mattran.accounts.forms import AccountCreateForm, GrantForm
from mattran.accounts.models import Role, User
from mattran.accounts.permissions import Action
from mattran.common.forms import attach_errors, refusal_message
from mattran.organisations import selectors as org
from mattran.organisations.models import AdminUnit
from mattran.workspace.access import staff_view


def _unit(request: HttpRequest, unit_id: int) -> AdminUnit:
    return org.unit_get_for_action(user=request.user, unit_id=unit_id, action=Action.ACCESS_MANAGE)


def _page(request: HttpRequest, unit: AdminUnit, *, status: int = 200, **context: Any) -> HttpResponse:
    roles = services.grantable_roles(request.user, unit)
    context.setdefault("create_form", AccountCreateForm(roles=roles, initial={"role": Role.CADRE}))
    context.setdefault("grant_form", GrantForm(roles=roles, initial={"role": Role.CADRE}))
    grants = list(selectors.unit_grants(user=request.user, unit=unit))
    revocable = {g.pk for g in grants
                 if g.user_id != request.user.pk and services.may_grant(request.user, unit, g.role)}
    manageable = {g.user_id for g in grants if services.may_manage_account(request.user, g.user)}
    return render(request, "accounts/unit_access.html", {
        "unit": unit, "grants": grants, "revocable": revocable, "manageable": manageable,
        "children": org.unit_children(user=request.user, unit=unit), **context,
    }, status=status)


@staff_view(Action.ACCESS_MANAGE)
def unit_access(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _page(request, _unit(request, unit_id))


@never_cache  # the response shows a new password once
@staff_view(Action.ACCESS_MANAGE)
@require_POST
def account_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    form = AccountCreateForm(request.POST, roles=services.grantable_roles(request.user, unit))
    if form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.account_create(
                actor=request.user, unit=unit, role=data["role"], username=data["username"],
                full_name=data["full_name"], email=data["email"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return _page(request, unit, created=user, password=password,
                         created_role=Role(data["role"]).label)
    return _page(request, unit, create_form=form)


@staff_view(Action.ACCESS_MANAGE)
@require_POST
def grant_add(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    form = GrantForm(request.POST, roles=services.grantable_roles(request.user, unit))
    if form.is_valid():
        try:
            grant = services.role_grant_by_username(actor=request.user, username=form.cleaned_data["username"],
                                                    unit=unit, role=form.cleaned_data["role"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã cấp vai trò “{grant.get_role_display()}” "
                                      f"cho {grant.user.display_name} trên {unit.name}.")
            return redirect("accounts_staff:unit_access", unit_id=unit.pk)
    return _page(request, unit, grant_form=form)


@staff_view(Action.ACCESS_MANAGE)
@require_POST
def grant_revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = selectors.grant_get_for_action(user=request.user, grant_id=grant_id)
    unit = grant.unit
    try:
        services.role_revoke(actor=request.user, grant=grant)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, f"Đã thu hồi vai trò “{grant.get_role_display()}” của "
                                  f"{grant.user.display_name} trên {unit.name}.")
    return redirect("accounts_staff:unit_access", unit_id=unit.pk)


def _member(request: HttpRequest, unit_id: int, member_id: int) -> tuple[AdminUnit, User]:
    unit = _unit(request, unit_id)
    return unit, selectors.member_get_for_manage(user=request.user, unit=unit, member_id=member_id)


def _member_action(request: HttpRequest, unit_id: int, member_id: int, action: Callable[..., bool], done: str,
                   unchanged: str) -> HttpResponse:
    unit, member = _member(request, unit_id, member_id)
    try:
        changed = action(actor=request.user, user=member)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, (done if changed else unchanged).format(name=member.display_name,
                                                                          username=member.username))
    return redirect("accounts_staff:unit_access", unit_id=unit.pk)


@staff_view(Action.ACCESS_MANAGE)
@require_POST
def account_lock(request: HttpRequest, unit_id: int, member_id: int) -> HttpResponse:
    return _member_action(request, unit_id, member_id, services.account_lock,
                          "Đã khóa tài khoản {username} của {name}: không đăng nhập được nữa; vai trò vẫn giữ.",
                          "Tài khoản {username} đã bị khóa từ trước.")


@staff_view(Action.ACCESS_MANAGE)
@require_POST
def account_unlock(request: HttpRequest, unit_id: int, member_id: int) -> HttpResponse:
    return _member_action(request, unit_id, member_id, services.account_unlock,
                          "Đã mở khóa tài khoản {username} của {name}.",
                          "Tài khoản {username} không bị khóa.")


@never_cache  # the response shows a new password once
@staff_view(Action.ACCESS_MANAGE)
@require_POST
def password_reset(request: HttpRequest, unit_id: int, member_id: int) -> HttpResponse:
    unit, member = _member(request, unit_id, member_id)
    try:
        password = services.password_reset(actor=request.user, user=member)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_message(exc))
        return redirect("accounts_staff:unit_access", unit_id=unit.pk)
    return _page(request, unit, reset=member, password=password)
