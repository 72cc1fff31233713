"""Writes on accounts: creating users, granting roles, locking accounts and resetting passwords, each audited.

Who may grant what (decision 0017): ``ACCESS_MANAGE`` on the unit (the standing committee's role), and for the
standing role itself a unit strictly below one where the granter holds it, so that nobody makes a peer or a
superior. Who may lock, unlock or reset an account: whoever may grant *every* role it holds (decision 0019).
``actor=None`` is the system (the demo, management commands).
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mattran.accounts.models import Role, RoleGrant, User
from mattran.accounts.permissions import Action, can, scope_paths
from mattran.audit.services import record
from mattran.organisations.models import AdminUnit

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
TEMPORARY_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # noqa: S105 - letters to draw from; no 0/o, 1/l
TEMPORARY_PASSWORD_LENGTH = 12


def may_grant(actor: Any, unit: AdminUnit, role: str) -> bool:
    """May ``actor`` give ``role`` on ``unit`` (or take it back)?"""
    if actor is None:
        return True
    if not can(actor, Action.ACCESS_MANAGE, unit):
        return False
    if role != Role.STANDING:
        return True
    paths = scope_paths(actor, Action.ACCESS_MANAGE)
    return paths is None or any(unit.path.startswith(p) and unit.path != p for p in paths)


def grantable_roles(actor: Any, unit: AdminUnit) -> list[Role]:
    """The roles ``actor`` may give on ``unit``, for the form's choices."""
    return [role for role in Role if may_grant(actor, unit, role)]


def _require_grant(actor: Any, unit: AdminUnit, role: str) -> None:
    if not may_grant(actor, unit, role):
        raise PermissionDenied(
            "Chỉ Thường trực cấp trên mới cấp hoặc thu hồi vai trò Thường trực của đơn vị này."
            if role == Role.STANDING and can(actor, Action.ACCESS_MANAGE, unit)
            else "Bạn không có quyền cấp hoặc thu hồi vai trò trên đơn vị này.")


@transaction.atomic
def user_create(
    *, actor: Any, username: str, password: str | None, full_name: str = "", email: str = "",
    is_superuser: bool = False, is_demo: bool = False,
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "Tên đăng nhập này đã có người dùng."})
    user = User(username=username, full_name=full_name, email=email, is_superuser=is_superuser,
                is_staff=is_superuser, is_demo=is_demo)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record(actor=actor, action="accounts.user.create", target=user,
           changes={"username": username, "full_name": full_name, "is_superuser": is_superuser})
    return user


@transaction.atomic
def role_grant(*, actor: Any, user: User, unit: AdminUnit, role: Role | str) -> RoleGrant:
    if role not in Role.values:
        raise ValidationError({"role": "Vai trò không hợp lệ."})
    _require_grant(actor, unit, role)
    if not user.is_active:
        raise ValidationError({"username": f"Tài khoản {user.username} đang bị khóa."})
    grant, created = RoleGrant.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"granted_by": actor if getattr(actor, "pk", None) else None}
    )
    if created:
        record(actor=actor, action="accounts.role.grant", target=grant, unit=unit,
               changes={"user": user.username, "role": str(role), "unit": unit.name})
    return grant


@transaction.atomic
def role_grant_by_username(*, actor: Any, username: str, unit: AdminUnit, role: Role | str) -> RoleGrant:
    """:func:`role_grant` to the account named ``username`` (any case), for the "existing account" form."""
    username = username.strip()
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        raise ValidationError({"username": f"Không có tài khoản “{username}”. Hãy tạo tài khoản mới ở phần trên."})
    return role_grant(actor=actor, user=user, unit=unit, role=role)


@transaction.atomic
def role_revoke(*, actor: Any, grant: RoleGrant) -> None:
    unit = grant.unit
    if actor is not None and grant.user_id == actor.pk:
        raise ValidationError("Không tự thu hồi vai trò của chính mình; hãy nhờ người có quyền khác.")
    _require_grant(actor, unit, grant.role)
    record(actor=actor, action="accounts.role.revoke", target=grant, unit=unit,
           changes={"user": grant.user.username, "role": grant.role, "unit": unit.name})
    grant.delete()


def temporary_password() -> str:
    return "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(TEMPORARY_PASSWORD_LENGTH))


@transaction.atomic
def account_create(
    *, actor: Any, unit: AdminUnit, role: Role | str, username: str, full_name: str, email: str = "",
) -> tuple[User, str]:
    """A new account with ``role`` on ``unit`` and a temporary password, returned once to be handed over (it is
    stored only hashed; the holder changes it at /doi-mat-khau/). Nothing is saved when anything is refused."""
    if role not in Role.values:
        raise ValidationError({"role": "Vai trò không hợp lệ."})
    _require_grant(actor, unit, role)
    username = username.strip().lower()
    errors: dict[str, str] = {}
    if not USERNAME.match(username):
        errors["username"] = ("Tên đăng nhập dài 3–40 ký tự, gồm chữ thường không dấu, chữ số và các dấu . _ -, "
                              "bắt đầu bằng chữ hoặc số (ví dụ: nguyenvana, lan.bachmai).")
    if not full_name.strip():
        errors["full_name"] = "Vui lòng nhập họ và tên."
    if errors:
        raise ValidationError(errors)
    password = temporary_password()
    # An account made from a demo account is a demo account too: it signs in only while the demo is on.
    user = user_create(actor=actor, username=username, password=password, full_name=full_name.strip(),
                       email=email.strip(), is_demo=bool(getattr(actor, "is_demo", False)))
    role_grant(actor=actor, user=user, unit=unit, role=role)
    return user, password


# --- Locking accounts and resetting passwords (decision 0019) --------------------------------------------------


def may_manage_account(actor: Any, user: User) -> bool:
    """May ``actor`` lock, unlock or reset the password of ``user``? Only if ``user`` holds at least one role and
    ``actor`` may grant every one of them: a ward's standing committee cannot lock out a district cadre who also
    holds a role in the ward. Never one's own account, never a system administrator's."""
    if actor is None:
        return True
    if user.pk == actor.pk or user.is_superuser:
        return False
    grants = list(user.grants.all())  # the staff page prefetches them with their units (selectors.unit_grants)
    return bool(grants) and all(may_grant(actor, grant.unit, grant.role) for grant in grants)


def _require_manage_account(actor: Any, user: User) -> None:
    if actor is not None and user.pk == actor.pk:
        raise ValidationError("Không tự khóa hay đặt lại mật khẩu tài khoản của chính mình; để đổi mật khẩu, "
                              "dùng mục “Đổi mật khẩu”.")
    if not may_manage_account(actor, user):
        raise PermissionDenied("Tài khoản này còn vai trò ở đơn vị ngoài quyền của bạn (hoặc là tài khoản quản trị "
                               "hệ thống); hãy đề nghị cấp trên thực hiện.")


def _set_active(*, actor: Any, user: User, active: bool) -> bool:
    _require_manage_account(actor, user)
    if user.is_active == active:
        return False
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(actor=actor, action="accounts.user.unlock" if active else "accounts.user.lock", target=user,
           changes={"username": user.username})
    return True


@transaction.atomic
def account_lock(*, actor: Any, user: User) -> bool:
    """Lock ``user`` out (``is_active`` off): they cannot sign in, and their open sessions end at their next
    request. Their roles stay, so unlocking restores them. Returns False when it was locked already."""
    return _set_active(actor=actor, user=user, active=False)


@transaction.atomic
def account_unlock(*, actor: Any, user: User) -> bool:
    """Let ``user`` sign in again. Returns False when it was not locked."""
    return _set_active(actor=actor, user=user, active=True)


@transaction.atomic
def password_reset(*, actor: Any, user: User) -> str:
    """A new temporary password for ``user``, who forgot theirs, returned once to be handed over (stored only
    hashed, never audited). Their open sessions end, since the password they signed in with is gone."""
    _require_manage_account(actor, user)
    if not user.is_active:
        raise ValidationError(f"Tài khoản {user.username} đang bị khóa; hãy mở khóa trước khi đặt lại mật khẩu.")
    password = temporary_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=actor, action="accounts.user.password_reset", target=user, changes={"username": user.username})
    return password
