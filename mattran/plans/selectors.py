"""Reads on work plans, each scoped by the viewer: out of scope is 404, like a missing id."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from mattran.accounts.permissions import Action, require, units_where
from mattran.organisations.models import AdminUnit
from mattran.plans.models import CLOSED_STATUSES, Task, TaskGroup, TaskStatus, WorkPlan
from mattran.plans.permissions import require_task_update, tasks_visible_q


def plans_visible_to(*, user: Any, unit: AdminUnit | None = None) -> QuerySet[WorkPlan]:
    qs = WorkPlan.objects.filter(unit__in=units_where(user, Action.VIEW_UNIT))
    if unit is not None:
        qs = qs.filter(unit=unit)
    return (
        qs.select_related("unit")
        .annotate(task_count=Count("groups__tasks", filter=~Q(groups__tasks__status=TaskStatus.CANCELLED)),
                  done_count=Count("groups__tasks", filter=Q(groups__tasks__status=TaskStatus.DONE)))
        .order_by("-period_start", "title")
    )


def plan_get_visible(*, user: Any, plan_id: int) -> WorkPlan:
    tasks = Task.objects.select_related("owner_unit", "owner_org", "source_conclusion__conference")
    plan = (
        WorkPlan.objects.filter(unit__in=units_where(user, Action.VIEW_UNIT), pk=plan_id)
        .select_related("unit")
        .prefetch_related(Prefetch("groups", queryset=TaskGroup.objects.order_by("order").prefetch_related(
            Prefetch("tasks", queryset=tasks))))
        .first()
    )
    if plan is None:
        raise Http404("Không tìm thấy kế hoạch.")
    return plan


def plan_get_for_action(*, user: Any, plan_id: int, action: Action) -> WorkPlan:
    plan = plan_get_visible(user=user, plan_id=plan_id)
    require(user, action, plan.unit)
    return plan


def task_get_visible(*, user: Any, task_id: int) -> Task:
    """A task of a plan the viewer may see, or one given to a unit the viewer may see (:mod:`.permissions`)."""
    task = (
        Task.objects.filter(tasks_visible_q(user), pk=task_id)
        .select_related("group__plan__unit", "owner_unit", "owner_org", "source_conclusion__conference__body__unit")
        .prefetch_related("updates__author")
        .first()
    )
    if task is None:
        raise Http404("Không tìm thấy nhiệm vụ.")
    return task


def task_get_for_manage(*, user: Any, task_id: int) -> Task:
    """A task of a plan the viewer manages (404 when not visible, 403 when visible but not theirs to change:
    a ward given a district's task reports on it but does not rewrite it)."""
    task = task_get_visible(user=user, task_id=task_id)
    require(user, Action.PLAN_MANAGE, task.group.plan.unit)
    return task


def task_get_for_update(*, user: Any, task_id: int) -> Task:
    """A visible task the viewer may record progress on; PermissionDenied otherwise."""
    task = task_get_visible(user=user, task_id=task_id)
    require_task_update(user, task)
    return task


def tasks_given_to(*, user: Any, unit: AdminUnit | None = None) -> QuerySet[Task]:
    """Open tasks that plans of higher units give to the units the viewer may see (to ``unit`` only, when given),
    soonest deadline first: what "cấp trên giao" on the plans page lists (the viewer does not see those plans)."""
    units = units_where(user, Action.VIEW_UNIT)
    owners = units.filter(pk=unit.pk) if unit is not None else units
    return (
        Task.objects.filter(owner_unit__in=owners).exclude(group__plan__unit__in=units)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("group__plan__unit", "owner_unit")
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )


def task_groups_for_unit(*, user: Any, unit: AdminUnit) -> QuerySet[TaskGroup]:
    """Groups of the unit's plans the viewer may add tasks to (the choices for "giao thành nhiệm vụ")."""
    return (
        TaskGroup.objects.filter(plan__unit=unit, plan__unit__in=units_where(user, Action.PLAN_MANAGE))
        .select_related("plan").order_by("-plan__period_start", "order")
    )
