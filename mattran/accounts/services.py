"""Writes on accounts: creating users and granting roles, each audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from mattran.accounts.models import Role, RoleGrant, User
from mattran.audit.services import record
from mattran.organisations.models import AdminUnit


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
    grant, created = RoleGrant.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"granted_by": actor if getattr(actor, "pk", None) else None}
    )
    if created:
        record(actor=actor, action="accounts.role.grant", target=grant, unit=unit,
               changes={"user": user.username, "role": str(role), "unit": unit.name})
    return grant


@transaction.atomic
def role_revoke(*, actor: Any, grant: RoleGrant) -> None:
    unit = grant.unit
    record(actor=actor, action="accounts.role.revoke", target=grant, unit=unit,
           changes={"user": grant.user.username, "role": grant.role, "unit": unit.name})
    grant.delete()
