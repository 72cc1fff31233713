"""Writes on work plans: create, groups, tasks, progress updates. All audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mattran.accounts.permissions import Action, require
from mattran.audit.services import diff, record
from mattran.conferences.uploads import check_attachment
from mattran.organisations.models import AdminUnit, MemberOrganisation
from mattran.plans.models import Task, TaskGroup, TaskStatus, TaskUpdate, WorkPlan
from mattran.plans.permissions import require_task_update


@transaction.atomic
def plan_create(
    *, actor: Any, unit: AdminUnit, title: str, period_start: dt.date, period_end: dt.date, period_label: str = "",
) -> WorkPlan:
    require(actor, Action.PLAN_MANAGE, unit)
    if not title.strip():
        raise ValidationError({"title": "Vui lòng nhập tên kế hoạch."})
    if period_end < period_start:
        raise ValidationError({"period_end": "Ngày kết thúc không được trước ngày bắt đầu."})
    plan = WorkPlan.objects.create(unit=unit, title=title.strip(), period_start=period_start,
                                   period_end=period_end, period_label=period_label.strip())
    record(actor=actor, action="plans.plan.create", target=plan, unit=unit,
           changes={"title": plan.title, "period_start": period_start, "period_end": period_end})
    return plan


@transaction.atomic
def plan_adopt(*, actor: Any, plan: WorkPlan) -> WorkPlan:
    require(actor, Action.PLAN_MANAGE, plan.unit)
    if plan.status == WorkPlan.Status.ADOPTED:
        raise ValidationError("Kế hoạch đã được thông qua.")
    plan.status = WorkPlan.Status.ADOPTED
    plan.save(update_fields=["status", "updated_at"])
    record(actor=actor, action="plans.plan.adopt", target=plan, unit=plan.unit,
           changes={"status": [WorkPlan.Status.DRAFT, WorkPlan.Status.ADOPTED]})
    return plan


@transaction.atomic
def task_group_add(*, actor: Any, plan: WorkPlan, title: str) -> TaskGroup:
    require(actor, Action.PLAN_MANAGE, plan.unit)
    if not title.strip():
        raise ValidationError({"title": "Vui lòng nhập tên nhóm nhiệm vụ."})
    highest = plan.groups.aggregate(m=Max("order"))["m"] or 0
    group = TaskGroup.objects.create(plan=plan, order=highest + 1, title=title.strip())
    record(actor=actor, action="plans.group.add", target=plan, unit=plan.unit,
           changes={"order": group.order, "title": group.title})
    return group


def _check_task(plan: WorkPlan, title: str, owner_unit: AdminUnit | None,
                owner_org: MemberOrganisation | None) -> None:
    """A task's wording and owner, for adding and correcting alike: the owner is a unit at or below the plan's
    unit, or a member organisation there, or nobody."""
    if not title.strip():
        raise ValidationError({"title": "Vui lòng nhập tên nhiệm vụ."})
    if owner_unit is not None and owner_org is not None:
        raise ValidationError({"owner_org": "Chỉ chọn một đơn vị hoặc một tổ chức thành viên chủ trì."})
    if owner_unit is not None and not owner_unit.is_within(plan.unit):
        raise ValidationError({"owner_unit": "Đơn vị chủ trì phải là đơn vị này hoặc đơn vị trực thuộc."})
    if owner_org is not None and not owner_org.unit.is_within(plan.unit):
        raise ValidationError({"owner_org": "Tổ chức thành viên phải thuộc đơn vị này hoặc đơn vị trực thuộc."})


@transaction.atomic
def task_add(
    *, actor: Any, group: TaskGroup, title: str, deadline: dt.date | None = None,
    owner_unit: AdminUnit | None = None, owner_org: MemberOrganisation | None = None,
    source_conclusion: Any = None,
) -> Task:
    """Add a task; its owner is a unit at or below the plan's unit, or a member organisation there, or nobody."""
    plan = group.plan
    require(actor, Action.PLAN_MANAGE, plan.unit)
    _check_task(plan, title, owner_unit, owner_org)
    task = Task.objects.create(group=group, title=title.strip()[:500], deadline=deadline, owner_unit=owner_unit,
                               owner_org=owner_org, source_conclusion=source_conclusion)
    record(actor=actor, action="plans.task.add", target=task, unit=plan.unit,
           changes={"title": task.title, "group": group.order, "deadline": deadline,
                    "owner": task.owner, "source_conclusion": source_conclusion})
    return task


def _task_values(task: Task) -> dict[str, Any]:
    return {"title": task.title, "group": f"{task.group.order}. {task.group.title}", "deadline": task.deadline,
            "owner": str(task.owner) if task.owner else None}


def closed_task_message(task: Task) -> str:
    """Why a completed or cancelled task is not corrected."""
    return f"Nhiệm vụ đã {TaskStatus(task.status).label.lower()}, không sửa được nữa."


@transaction.atomic
def task_update(
    *, actor: Any, task: Task, group: TaskGroup, title: str, deadline: dt.date | None = None,
    owner_unit: AdminUnit | None = None, owner_org: MemberOrganisation | None = None,
) -> Task:
    """Correct a task: its wording, group (within the same plan), deadline or owner. A completed or cancelled
    task is a record of what was done and does not change; its progress history stays as it is."""
    # ``of=self``: PostgreSQL does not lock the nullable side of the owners' outer joins.
    task = (Task.objects.select_for_update(of=("self",))
            .select_related("group__plan__unit", "owner_unit", "owner_org").get(pk=task.pk))
    plan = task.group.plan
    require(actor, Action.PLAN_MANAGE, plan.unit)
    if task.is_closed:
        raise ValidationError(closed_task_message(task))
    if group.plan_id != plan.pk:
        raise ValidationError({"group": "Chỉ chuyển được sang nhóm khác của cùng kế hoạch."})
    _check_task(plan, title, owner_unit, owner_org)
    before = _task_values(task)
    task.group, task.title, task.deadline = group, title.strip()[:500], deadline
    task.owner_unit, task.owner_org = owner_unit, owner_org
    task.save(update_fields=["group", "title", "deadline", "owner_unit", "owner_org", "updated_at"])
    changes = diff(before, _task_values(task))
    if changes:
        record(actor=actor, action="plans.task.update", target=task, unit=plan.unit, changes=changes)
    return task


@transaction.atomic
def task_update_progress(
    *, actor: Any, task: Task, progress: int, note: str = "", evidence: IO[bytes] | None = None,
    status: str | None = None,
) -> TaskUpdate:
    """Record progress (0–100) with a note and optional evidence.

    100 % completes the task; more than 0 % starts it. ``status`` may cancel it. A completed or cancelled task
    takes no more updates.
    """
    task = (Task.objects.select_for_update(of=("self",))  # see task_update
            .select_related("group__plan__unit", "owner_unit").get(pk=task.pk))
    plan = task.group.plan
    require_task_update(actor, task)  # the plan's unit, or the unit the task is given to
    if task.status == TaskStatus.DONE:
        raise ValidationError("Nhiệm vụ đã hoàn thành, không thể cập nhật thêm.")
    if task.status == TaskStatus.CANCELLED:
        raise ValidationError("Nhiệm vụ đã hủy, không thể cập nhật.")
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ValidationError({"progress": "Tiến độ phải là số nguyên từ 0 đến 100 (%)."})
    if status is not None and status not in TaskStatus.values:
        raise ValidationError({"status": "Trạng thái không hợp lệ."})
    if evidence is not None:
        check_attachment(evidence, field="evidence")
    old = {"progress": task.progress, "status": task.status}
    if status == TaskStatus.CANCELLED:
        new_status = TaskStatus.CANCELLED
    elif progress == 100 or status == TaskStatus.DONE:
        new_status, progress = TaskStatus.DONE, 100
    elif progress > 0 or status == TaskStatus.IN_PROGRESS:
        new_status = TaskStatus.IN_PROGRESS
    else:
        new_status = TaskStatus(task.status)
    update = TaskUpdate(task=task, note=note.strip(), progress=progress,
                        author=actor if getattr(actor, "is_authenticated", False) else None)
    if evidence is not None:
        update.evidence = evidence
    update.save()
    task.progress, task.status = progress, new_status
    task.save(update_fields=["progress", "status", "updated_at"])
    changes: dict[str, Any] = {k: [old[k], v] for k, v in {"progress": progress, "status": new_status}.items()
                               if old[k] != v}
    if note.strip():
        changes["note"] = note.strip()[:200]
    record(actor=actor, action="plans.task.progress", target=task, unit=plan.unit, changes=changes)
    return update


# --- Results, to pre-fill the next report's section -------------------------------------------------------


@dataclass
class GroupResult:
    order: int
    title: str
    total: int = 0
    done: int = 0
    in_progress: int = 0
    cancelled: int = 0
    overdue: int = 0
    notes: list[str] = field(default_factory=list)


def plan_results_summary(plan: WorkPlan, *, today: dt.date | None = None) -> list[GroupResult]:
    """Per task group: tasks done / total (cancelled tasks left out of the total), overdue, and the notes
    (each task's latest progress note)."""
    today = today or timezone.localdate()
    results: list[GroupResult] = []
    groups = plan.groups.prefetch_related("tasks__updates").order_by("order")
    for group in groups:
        result = GroupResult(order=group.order, title=group.title)
        for task in group.tasks.all():
            if task.status == TaskStatus.CANCELLED:
                result.cancelled += 1
                continue
            result.total += 1
            if task.status == TaskStatus.DONE:
                result.done += 1
            elif task.status == TaskStatus.IN_PROGRESS:
                result.in_progress += 1
            if task.is_overdue(today):
                result.overdue += 1
            latest = next((u for u in task.updates.all() if u.note), None)
            if latest is not None:
                result.notes.append(f"{task.title}: {latest.note}")
        results.append(result)
    return results


def render_results_text(results: list[GroupResult]) -> str:
    """The summary as Vietnamese paragraphs, one per group, ready to paste into a report section."""
    lines: list[str] = []
    for r in results:
        line = f"{r.order}. {r.title}: hoàn thành {r.done}/{r.total} nhiệm vụ"
        extra = []
        if r.in_progress:
            extra.append(f"{r.in_progress} đang thực hiện")
        if r.overdue:
            extra.append(f"{r.overdue} quá hạn")
        if r.cancelled:
            extra.append(f"{r.cancelled} đã hủy")
        line += f" ({', '.join(extra)})." if extra else "."
        lines.append(line)
        lines.extend(f"   - {note}" for note in r.notes)
    return "\n".join(lines)
