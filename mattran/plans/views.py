"""Work-plan pages in the staff workspace (/quan-ly/ke-hoach/).

Every view declares its coarse permission with :func:`staff_view` and loads its object through a selector
scoped by the viewer (404 out of scope). Refused input is shown again with the error, as typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from mattran.accounts.permissions import Action, can, home_unit
from mattran.common.forms import attach_errors, refusal_message
from mattran.common.vn import fold
from mattran.organisations import selectors as org
from mattran.plans import exports, selectors, services
from mattran.plans.forms import GroupForm, PlanForm, ProgressForm, TaskForm
from mattran.plans.models import Task, WorkPlan
from mattran.plans.permissions import may_update_task
from mattran.workspace.access import staff_view

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GIVEN_SHOWN = 50  # tasks "cấp trên giao" listed on the plans page; beyond, the page asks to filter by unit




@staff_view(Action.VIEW_UNIT)
def plan_list(request: HttpRequest) -> HttpResponse:
    unit = None
    if request.GET.get("don_vi", "").isdigit():
        unit = org.unit_get_visible(user=request.user, unit_id=int(request.GET["don_vi"]))
    page = Paginator(selectors.plans_visible_to(user=request.user, unit=unit), 30).get_page(request.GET.get("trang"))
    create_unit = unit or home_unit(request.user)
    if create_unit is not None and not can(request.user, Action.PLAN_MANAGE, create_unit):
        create_unit = None
    given = selectors.tasks_given_to(user=request.user, unit=unit)
    shown = list(given[:GIVEN_SHOWN + 1])
    return render(request, "plans/plan_list.html", {
        "page": page, "unit": unit, "create_unit": create_unit,
        "given": shown[:GIVEN_SHOWN], "given_more": len(shown) > GIVEN_SHOWN,
    })


@staff_view(Action.PLAN_MANAGE)
def plan_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = org.unit_get_for_action(user=request.user, unit_id=unit_id, action=Action.PLAN_MANAGE)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(actor=request.user, unit=unit, title=data["title"],
                                        period_start=data["period_start"], period_end=data["period_end"],
                                        period_label=data["period_label"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã tạo kế hoạch. Hãy thêm các nhóm nhiệm vụ.")
            return redirect("plans:plan_detail", plan_id=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "unit": unit})


def _detail(request: HttpRequest, plan: WorkPlan, **bound: forms.BaseForm) -> HttpResponse:
    can_manage = can(request.user, Action.PLAN_MANAGE, plan.unit)
    can_update = can(request.user, Action.TASK_UPDATE, plan.unit)
    groups = [
        (group, [(task, ProgressForm(task_id=task.pk, initial={"progress": task.progress})
                  if can_update and not task.is_closed else None) for task in group.tasks.all()])
        for group in plan.groups.all()
    ]
    context: dict[str, Any] = {
        "plan": plan,
        "groups": groups,
        "can_manage": can_manage,
        "can_update": can_update,
        "group_form": GroupForm(),
        "task_form": TaskForm(groups=plan.groups.order_by("order"), unit=plan.unit),
    }
    context.update(bound)
    return render(request, "plans/plan_detail.html", context)


@staff_view(Action.VIEW_UNIT)
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _detail(request, selectors.plan_get_visible(user=request.user, plan_id=plan_id))


@staff_view(Action.VIEW_UNIT)
def plan_results(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get_visible(user=request.user, plan_id=plan_id)
    results = services.plan_results_summary(plan)
    return render(request, "plans/plan_results.html",
                  {"plan": plan, "results": results, "text": services.render_results_text(results)})


def _plan_filename(plan: WorkPlan) -> str:
    what = slugify(fold(plan.period_label or plan.title))[:60].strip("-") or str(plan.pk)
    return f"ke-hoach-{slugify(fold(plan.unit.short_name))}-{what}.docx"


@staff_view(Action.VIEW_UNIT)
def plan_docx(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan as an official .docx: numbered from the register once adopted, a blank number before."""
    plan = selectors.plan_get_visible(user=request.user, plan_id=plan_id)
    try:
        content = exports.plan_docx(plan, actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("plans:plan_detail", plan_id=plan.pk)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{_plan_filename(plan)}"'
    return response


def _managed(request: HttpRequest, plan_id: int) -> WorkPlan:
    return selectors.plan_get_for_action(user=request.user, plan_id=plan_id, action=Action.PLAN_MANAGE)


@staff_view(Action.PLAN_MANAGE)
@require_POST
def group_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _managed(request, plan_id)
    form = GroupForm(request.POST)
    if form.is_valid():
        try:
            services.task_group_add(actor=request.user, plan=plan, title=form.cleaned_data["title"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã thêm nhóm nhiệm vụ.")
            return redirect("plans:plan_detail", plan_id=plan.pk)
    return _detail(request, plan, group_form=form)


@staff_view(Action.PLAN_MANAGE)
@require_POST
def task_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _managed(request, plan_id)
    form = TaskForm(request.POST, groups=plan.groups.order_by("order"), unit=plan.unit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.task_add(actor=request.user, group=data["group"], title=data["title"],
                              deadline=data["deadline"], owner_unit=data["owner_unit"], owner_org=data["owner_org"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã thêm nhiệm vụ.")
            return redirect("plans:plan_detail", plan_id=plan.pk)
    return _detail(request, plan, task_form=form)


@staff_view(Action.PLAN_MANAGE)
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get_for_manage(user=request.user, task_id=task_id)
    plan = task.group.plan
    if task.is_closed:
        messages.error(request, services.closed_task_message(task))
        return redirect("plans:task_detail", task_id=task.pk)
    form = TaskForm(request.POST or None, groups=plan.groups.order_by("order"), unit=plan.unit, initial={
        "group": task.group_id, "title": task.title, "deadline": task.deadline,
        "owner_unit": task.owner_unit_id, "owner_org": task.owner_org_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_update(actor=request.user, task=task, group=data["group"], title=data["title"],
                                 deadline=data["deadline"], owner_unit=data["owner_unit"],
                                 owner_org=data["owner_org"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã sửa nhiệm vụ.")
            return redirect("plans:task_detail", task_id=task.pk)
    return render(request, "plans/task_form.html", {"form": form, "task": task, "plan": plan})


@staff_view(Action.PLAN_MANAGE)
@require_POST
def plan_adopt(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _managed(request, plan_id)
    try:
        services.plan_adopt(actor=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, "Đã ghi nhận kế hoạch được thông qua.")
    return redirect("plans:plan_detail", plan_id=plan.pk)


def _task_page(request: HttpRequest, task: Task, form: ProgressForm | None = None) -> HttpResponse:
    can_update = may_update_task(request.user, task) and not task.is_closed
    plan = task.group.plan
    context = {"task": task, "plan": plan, "can_update": can_update,
               "can_edit": can(request.user, Action.PLAN_MANAGE, plan.unit) and not task.is_closed,
               # A unit given a task of a higher unit's plan sees the task, not the plan or its conference.
               "plan_visible": can(request.user, Action.VIEW_UNIT, plan.unit),
               "form": form or ProgressForm(task_id=task.pk, initial={"progress": task.progress})}
    return render(request, "plans/task_detail.html", context)


@staff_view(Action.VIEW_UNIT)
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    return _task_page(request, selectors.task_get_visible(user=request.user, task_id=task_id))


@staff_view(Action.TASK_UPDATE)
@require_POST
def task_progress(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get_for_update(user=request.user, task_id=task_id)
    form = ProgressForm(request.POST, request.FILES, task_id=task.pk)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.task_update_progress(actor=request.user, task=task, progress=data["progress"],
                                          note=data["note"], evidence=data.get("evidence") or None,
                                          status=form.status())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã cập nhật tiến độ.")
            return redirect("plans:task_detail", task_id=task.pk)
    return _task_page(request, task, form)
