"""The one permission policy: roles granted on a unit apply to its whole subtree; everything else is denied.

``can(user, action, unit)`` and ``units_where(user, action)`` are computed from the same grants, so a view
that checks one and a selector that filters with the other cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from mattran.accounts.models import Role, RoleGrant
from mattran.organisations.models import AdminUnit


class Action(StrEnum):
    WORKSPACE = "workspace.enter"
    VIEW_UNIT = "unit.view"
    CHANGE_UNIT = "unit.change"
    VIEW_CONTACTS = "people.view_contacts"
    MANAGE_PEOPLE = "people.manage"
    VIEW_AUDIT = "audit.view"
    EDIT_NEWS = "news.edit"
    PUBLISH_NEWS = "news.publish"
    MODERATE_COMMENTS = "news.moderate"
    REPORT_VIEW = "report.view"
    REPORT_EDIT = "report.edit"
    REPORT_REVIEW = "report.review"  # return or approve the reports of the units below
    CONFERENCE_MANAGE = "conference.manage"
    PLAN_MANAGE = "plan.manage"
    TASK_UPDATE = "task.update"
    FUNDS_MANAGE = "funds.manage"  # funds, drives, receiving accounts, statement import
    ACCESS_MANAGE = "accounts.manage"  # create accounts and grant roles in the subtree (decision 0017)


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.STANDING: frozenset(Action),
    Role.CADRE: frozenset(
        {Action.WORKSPACE, Action.VIEW_UNIT, Action.CHANGE_UNIT, Action.VIEW_CONTACTS, Action.MANAGE_PEOPLE,
         Action.VIEW_AUDIT, Action.EDIT_NEWS}
        | {Action.CONFERENCE_MANAGE, Action.PLAN_MANAGE, Action.TASK_UPDATE}
        | {Action.REPORT_VIEW, Action.REPORT_EDIT}
        | {Action.FUNDS_MANAGE}
    ),
    Role.EDITOR: frozenset(
        {Action.WORKSPACE, Action.VIEW_UNIT, Action.EDIT_NEWS, Action.PUBLISH_NEWS, Action.MODERATE_COMMENTS,
         Action.REPORT_VIEW}
    ),
    Role.VIEWER: frozenset({Action.WORKSPACE, Action.VIEW_UNIT, Action.REPORT_VIEW}),
}


@dataclass(frozen=True)
class _Grant:
    unit_id: int
    path: str
    actions: frozenset[Action]


def _grants(user: Any) -> list[_Grant]:
    """The user's grants, loaded once per request object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_mattran_grants", None)
    if cached is None:
        cached = [
            _Grant(unit_id=g.unit_id, path=g.unit.path, actions=ROLE_ACTIONS.get(g.role, frozenset()))
            for g in RoleGrant.objects.filter(user=user).select_related("unit").only("unit_id", "unit__path", "role")
        ]
        user._mattran_grants = cached
    return cached


def _paths_for(user: Any, action: Action) -> list[str]:
    paths = sorted({g.path for g in _grants(user) if action in g.actions})
    # Drop paths already covered by a shorter one.
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def can(user: Any, action: Action, unit: AdminUnit | None = None) -> bool:
    """May ``user`` do ``action`` on ``unit`` (or, with no unit, on at least one unit)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    paths = _paths_for(user, action)
    if unit is None:
        return bool(paths)
    return any(unit.path.startswith(p) for p in paths)


def units_where(user: Any, action: Action) -> QuerySet[AdminUnit]:
    """Every unit on which ``user`` may do ``action``, as a queryset."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AdminUnit.objects.none()
    if user.is_superuser:
        return AdminUnit.objects.all()
    paths = _paths_for(user, action)
    if not paths:
        return AdminUnit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return AdminUnit.objects.filter(condition)


def scope_paths(user: Any, action: Action) -> list[str] | None:
    """Path prefixes for filtering other tables by their unit path; ``None`` means unrestricted."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    return _paths_for(user, action)


def require(user: Any, action: Action, unit: AdminUnit | None = None) -> None:
    """Raise :class:`PermissionDenied` unless :func:`can` allows it.

    Services call this with their ``actor``. ``None`` stands for the system itself (management commands,
    data loads, the demo scenario); views always pass ``request.user``, which is never ``None`` — an
    anonymous visitor is an ``AnonymousUser`` and is denied.
    """
    if user is None:
        return
    if not can(user, action, unit):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này trên đơn vị này.")


def home_unit(user: Any) -> AdminUnit | None:
    """The highest unit the user holds a grant on (the dashboard's default unit)."""
    grants = _grants(user)
    if not grants:
        return AdminUnit.objects.filter(parent__isnull=True).first() if getattr(user, "is_superuser", False) else None
    best = min(grants, key=lambda g: (g.path.count("/"), g.path))
    return AdminUnit.objects.get(pk=best.unit_id)
