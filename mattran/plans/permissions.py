"""Who may see a task and report its progress: the plan's unit, through the one policy over the organisation tree
(:mod:`mattran.accounts.permissions`), and also the unit the task is given to.

A district's plan gives tasks to its wards ("đơn vị chủ trì"). The ward's cadres hold their grants on the ward,
not on the district, so by the tree alone they could neither open the task nor report on it. The plans rule on top
of the policy: ``VIEW_UNIT`` / ``TASK_UPDATE`` on the task's owner unit counts like the same grant on the plan's
unit, for that task only (not for the rest of the plan).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from mattran.accounts.permissions import Action, can, units_where
from mattran.plans.models import Task


def tasks_visible_q(user: Any) -> Q:
    """Tasks of plans the user may view, and tasks given to a unit the user may view."""
    units = units_where(user, Action.VIEW_UNIT)
    return Q(group__plan__unit__in=units) | Q(owner_unit__in=units)


def may_update_task(user: Any, task: Task) -> bool:
    """May ``user`` record progress on ``task``? ``user=None`` is the system itself."""
    if user is None:
        return True
    if can(user, Action.TASK_UPDATE, task.group.plan.unit):
        return True
    return task.owner_unit is not None and can(user, Action.TASK_UPDATE, task.owner_unit)


def require_task_update(user: Any, task: Task) -> None:
    """Raise ``PermissionDenied`` unless :func:`may_update_task`."""
    if not may_update_task(user, task):
        raise PermissionDenied("Bạn không có quyền cập nhật nhiệm vụ này.")
