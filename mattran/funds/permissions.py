"""Who may manage a receiving account's money: ``FUNDS_MANAGE`` on its unit, through the one policy over the
organisation tree (:mod:`mattran.accounts.permissions`).

The funds rule on top of it: an account without a unit (registered by ``import_statement`` before anyone gave
it one) is managed by system administrators only. ``can(user, action, None)`` means "on at least one unit",
which would let any cadre of any ward touch such an account, so every funds check goes through here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from mattran.accounts.permissions import Action, can
from mattran.organisations.models import AdminUnit

UNASSIGNED = "Tài khoản này chưa có đơn vị quản lý; chỉ quản trị hệ thống được thao tác."


def is_system_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and getattr(user, "is_active", False))


def may_manage(user: Any, unit: AdminUnit | None) -> bool:
    """May ``user`` manage the money of ``unit`` (``None``: an account without a unit)? ``user=None`` is the
    system itself (commands, the worker, the demo), as in ``accounts.permissions.require``."""
    if user is None:
        return True
    return is_system_admin(user) if unit is None else can(user, Action.FUNDS_MANAGE, unit)


def require_manage(actor: Any, unit: AdminUnit | None) -> None:
    """Raise ``PermissionDenied`` unless :func:`may_manage`."""
    if not may_manage(actor, unit):
        raise PermissionDenied(UNASSIGNED if unit is None else
                               "Bạn không có quyền quản lý quỹ của đơn vị này.")
