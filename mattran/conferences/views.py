"""Conference pages in the staff workspace (/quan-ly/hoi-nghi/).

Every view declares its coarse permission with :func:`staff_view` and loads the conference through a selector
scoped by the viewer (404 out of scope). Forms posted from the detail page re-render it with the typed input
and the error when a service refuses.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from mattran.accounts.permissions import Action, can, home_unit
from mattran.common.forms import attach_errors, refusal_message
from mattran.common.vn import fold
from mattran.conferences import exports, selectors, services
from mattran.conferences.forms import (
    AdoptForm,
    AgendaItemEditForm,
    AgendaItemForm,
    AttendanceForm,
    ConclusionForm,
    ConclusionToTaskForm,
    ConferenceEditForm,
    ConferenceForm,
    MinutesForm,
)
from mattran.conferences.models import AgendaItem, Conclusion, Conference
from mattran.organisations import selectors as org
from mattran.plans import selectors as plan_selectors
from mattran.workspace.access import staff_view

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"




@staff_view(Action.VIEW_UNIT)
def conference_list(request: HttpRequest) -> HttpResponse:
    unit = None
    if request.GET.get("don_vi", "").isdigit():
        unit = org.unit_get_visible(user=request.user, unit_id=int(request.GET["don_vi"]))
    conferences = selectors.conferences_visible_to(user=request.user, unit=unit)
    page = Paginator(conferences, 30).get_page(request.GET.get("trang"))
    create_unit = unit or home_unit(request.user)
    if create_unit is not None and not can(request.user, Action.CONFERENCE_MANAGE, create_unit):
        create_unit = None
    return render(request, "conferences/conference_list.html",
                  {"page": page, "unit": unit, "create_unit": create_unit})


@staff_view(Action.CONFERENCE_MANAGE)
def conference_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = org.unit_get_for_action(user=request.user, unit_id=unit_id, action=Action.CONFERENCE_MANAGE)
    terms = selectors.terms_for_conferences(user=request.user, unit=unit)
    first = terms.first()
    initial = {"term": first.pk, "number": services.next_number(first)} if first else {}
    form = ConferenceForm(request.POST or None, terms=terms, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conference = services.conference_create(
                actor=request.user, body=data["term"].body, term=data["term"], date=data["date"],
                place=data["place"], chair=data["chair"], invited_delegates=data["invited_delegates"],
                is_extraordinary=data["is_extraordinary"], number=data["number"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã tạo {conference.title}.")
            return redirect("conferences:conference_detail", conference_id=conference.pk)
    return render(request, "conferences/conference_form.html", {"form": form, "unit": unit, "has_terms": bool(first)})


def _frozen(request: HttpRequest, conference: Conference) -> HttpResponse | None:
    """A redirect to the conference, with the reason, when its minutes are adopted and it can no longer change."""
    if services.minutes_adopted(conference):
        messages.error(request, services.RECORD_FROZEN)
        return redirect("conferences:conference_detail", conference_id=conference.pk)
    return None


@staff_view(Action.CONFERENCE_MANAGE)
def conference_edit(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = _managed(request, conference_id)
    if (frozen := _frozen(request, conference)) is not None:
        return frozen
    initial = {"number": conference.number, "is_extraordinary": conference.is_extraordinary,
               "date": conference.date, "place": conference.place, "chair": conference.chair_id,
               "invited_delegates": conference.invited_delegates}
    form = ConferenceEditForm(request.POST or None, unit=conference.body.unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.conference_update(
                actor=request.user, conference=conference, date=data["date"], number=data["number"],
                place=data["place"], chair=data["chair"], invited_delegates=data["invited_delegates"],
                is_extraordinary=data["is_extraordinary"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu thông tin {conference.title}.")
            return redirect("conferences:conference_detail", conference_id=conference.pk)
    return render(request, "conferences/conference_form.html",
                  {"form": form, "unit": conference.body.unit, "has_terms": True, "conference": conference})


def _managed_item(request: HttpRequest, agenda_item_id: int) -> AgendaItem:
    return selectors.agenda_item_get_for_action(user=request.user, item_id=agenda_item_id,
                                                action=Action.CONFERENCE_MANAGE)


@staff_view(Action.CONFERENCE_MANAGE)
def agenda_edit(request: HttpRequest, agenda_item_id: int) -> HttpResponse:
    item = _managed_item(request, agenda_item_id)
    conference = item.conference
    if (frozen := _frozen(request, conference)) is not None:
        return frozen
    form = AgendaItemEditForm(request.POST or None, initial={
        "title": item.title, "presenter_name": item.presenter_name, "presenter_body": item.presenter_body})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agenda_item_update(actor=request.user, item=item, title=data["title"],
                                        presenter_name=data["presenter_name"], presenter_body=data["presenter_body"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã sửa nội dung chương trình.")
            return redirect(reverse("conferences:conference_detail", args=[conference.pk]) + "#chuong-trinh")
    return render(request, "conferences/agenda_item_form.html",
                  {"form": form, "conference": conference, "item": item})


@staff_view(Action.CONFERENCE_MANAGE)
@require_POST
def agenda_remove(request: HttpRequest, agenda_item_id: int) -> HttpResponse:
    item = _managed_item(request, agenda_item_id)
    conference = item.conference
    try:
        services.agenda_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, f"Đã bỏ “{item.title}” khỏi chương trình.")
    return redirect(reverse("conferences:conference_detail", args=[conference.pk]) + "#chuong-trinh")


@staff_view(Action.CONFERENCE_MANAGE)
@require_POST
def agenda_move(request: HttpRequest, agenda_item_id: int) -> HttpResponse:
    item = _managed_item(request, agenda_item_id)
    conference = item.conference
    try:
        services.agenda_item_move(actor=request.user, item=item, up=request.POST.get("huong") != "xuong")
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
    return redirect(reverse("conferences:conference_detail", args=[conference.pk]) + "#chuong-trinh")


def _task_form(conclusion_id: Any, groups: Any, data: Any = None) -> ConclusionToTaskForm:
    return ConclusionToTaskForm(data, groups=groups, auto_id=f"kl{conclusion_id}_%s",
                                initial={"conclusion": conclusion_id})


def _detail(request: HttpRequest, conference: Conference, status: int = 200, **bound: forms.BaseForm) -> HttpResponse:
    user = request.user
    can_manage = can(user, Action.CONFERENCE_MANAGE, conference.unit)
    rows = list(conference.attendances.all())
    versions = list(conference.minutes_versions.all())
    adopted = next((v for v in versions if v.is_adopted), None)
    groups = plan_selectors.task_groups_for_unit(user=user, unit=conference.unit) if can_manage else None
    latest_text = versions[0].text if versions else ""
    context: dict[str, Any] = {
        "conference": conference,
        "can_manage": can_manage,
        "attendances": rows,
        "quorum": services.quorum(conference),
        "quorum_ratio": services.quorum_ratio(),
        "versions": versions,
        "adopted": adopted,
        "agenda_form": AgendaItemForm(),
        "attendance_form": AttendanceForm(rows=rows),
        "minutes_form": MinutesForm(initial={"text": latest_text}),
        "conclusion_form": ConclusionForm(),
        "has_groups": bool(groups is not None and groups.exists()),
    }
    task_form = bound.pop("task_form", None)
    context.update(bound)
    rows_c = []
    for conclusion in conference.conclusions.all():
        form = None
        if groups is not None and not conclusion.tasks.all():
            if task_form is not None and str(task_form.data.get("conclusion")) == str(conclusion.pk):
                form = task_form
            else:
                form = _task_form(conclusion.pk, groups)
        rows_c.append((conclusion, form))
    context["conclusion_rows"] = rows_c
    context["can_plan"] = groups is not None
    return render(request, "conferences/conference_detail.html", context, status=status)


@staff_view(Action.VIEW_UNIT)
def conference_detail(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = selectors.conference_get_visible(user=request.user, conference_id=conference_id)
    return _detail(request, conference)


def _minutes_filename(conference: Conference) -> str:
    unit = slugify(fold(conference.unit.short_name))
    return f"bien-ban-hoi-nghi-lan-{conference.number}-{unit}-{conference.date:%Y-%m-%d}.docx"


@staff_view(Action.VIEW_UNIT)
def minutes_docx(request: HttpRequest, conference_id: int) -> HttpResponse:
    """The minutes as an official .docx: adopted ones numbered from the register, a draft marked as such."""
    conference = selectors.conference_get_visible(user=request.user, conference_id=conference_id)
    try:
        content = exports.minutes_docx(conference, actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("conferences:conference_detail", conference_id=conference.pk)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{_minutes_filename(conference)}"'
    return response


def _managed(request: HttpRequest, conference_id: int) -> Conference:
    return selectors.conference_get_for_action(user=request.user, conference_id=conference_id,
                                               action=Action.CONFERENCE_MANAGE)


@staff_view(Action.CONFERENCE_MANAGE)
@require_POST
def agenda_add(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = _managed(request, conference_id)
    form = AgendaItemForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.agenda_item_add(
                actor=request.user, conference=conference, title=data["title"],
                presenter_name=data["presenter_name"], presenter_body=data["presenter_body"],
                attachment=data.get("attachment") or None, target_type=data["target_type"],
                target_id=data["target_id"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã thêm nội dung vào chương trình.")
            return redirect("conferences:conference_detail", conference_id=conference.pk)
    return _detail(request, conference, agenda_form=form)


@staff_view(Action.CONFERENCE_MANAGE)
@require_POST
def roll_call(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = _managed(request, conference_id)
    added = services.attendance_roll_call(actor=request.user, conference=conference)
    if added:
        messages.success(request, f"Đã lập danh sách điểm danh gồm {added} ủy viên.")
    else:
        messages.warning(request, "Không có ủy viên mới nào của khóa để thêm vào danh sách.")
    return redirect("conferences:conference_detail", conference_id=conference.pk)


@staff_view(Action.CONFERENCE_MANAGE)
@require_POST
def attendance_mark(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = _managed(request, conference_id)
    form = AttendanceForm(request.POST, rows=list(conference.attendances.all()))
    if form.is_valid():
        try:
            changed = services.attendance_mark(actor=request.user, conference=conference, statuses=form.statuses())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu điểm danh ({changed} thay đổi).")
            return redirect("conferences:conference_detail", conference_id=conference.pk)
    return _detail(request, conference, attendance_form=form)


@staff_view(Action.CONFERENCE_MANAGE)
@require_POST
def minutes_draft(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = _managed(request, conference_id)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            version = services.minutes_draft(actor=request.user, conference=conference, text=form.cleaned_data["text"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu biên bản, bản số {version.number}.")
            return redirect("conferences:conference_detail", conference_id=conference.pk)
    return _detail(request, conference, minutes_form=form)


@staff_view(Action.CONFERENCE_MANAGE)
@require_POST
def minutes_adopt(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = _managed(request, conference_id)
    form = AdoptForm(request.POST)
    version = None
    if form.is_valid():
        version = conference.minutes_versions.filter(pk=form.cleaned_data["version"]).first()
    if version is None:
        messages.error(request, "Vui lòng chọn một bản biên bản để thông qua.")
        return redirect("conferences:conference_detail", conference_id=conference.pk)
    try:
        services.minutes_adopt(actor=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, f"Đã thông qua biên bản (bản số {version.number}).")
    return redirect("conferences:conference_detail", conference_id=conference.pk)


@staff_view(Action.CONFERENCE_MANAGE)
@require_POST
def conclusion_add(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = _managed(request, conference_id)
    form = ConclusionForm(request.POST)
    if form.is_valid():
        try:
            services.conclusion_add(actor=request.user, conference=conference, text=form.cleaned_data["text"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã thêm kết luận.")
            return redirect("conferences:conference_detail", conference_id=conference.pk)
    return _detail(request, conference, conclusion_form=form)


@staff_view(Action.CONFERENCE_MANAGE)
@require_POST
def conclusion_to_task(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = _managed(request, conference_id)
    if not can(request.user, Action.PLAN_MANAGE, conference.unit):
        raise PermissionDenied
    raw = request.POST.get("conclusion", "")
    conclusion = conference.conclusions.filter(pk=int(raw)).first() if raw.isdigit() else None
    if conclusion is None:
        messages.error(request, "Không tìm thấy kết luận cần giao.")
        return redirect("conferences:conference_detail", conference_id=conference.pk)
    groups = plan_selectors.task_groups_for_unit(user=request.user, unit=conference.unit)
    form = _task_form(conclusion.pk, groups, request.POST)
    if form.is_valid():
        try:
            task = services.conclusion_to_task(actor=request.user, conclusion=conclusion,
                                               group=form.cleaned_data["group"],
                                               deadline=form.cleaned_data["deadline"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã giao kết luận thành nhiệm vụ.")
            return redirect("plans:task_detail", task_id=task.pk)
    return _detail(request, conference, task_form=form)


@staff_view(Action.CONFERENCE_MANAGE)
@require_POST
def conference_delete(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = _managed(request, conference_id)
    title, unit_id = conference.title, conference.body.unit_id
    try:
        services.conference_delete(actor=request.user, conference=conference)
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
        return redirect("conferences:conference_detail", conference_id=conference.pk)
    messages.success(request, f"Đã xóa {title}. Nhật ký hệ thống vẫn lưu nội dung của hội nghị.")
    return redirect(reverse("conferences:conference_list") + f"?don_vi={unit_id}")


def _managed_conclusion(request: HttpRequest, conclusion_id: int) -> Conclusion:
    return selectors.conclusion_get_for_action(user=request.user, conclusion_id=conclusion_id,
                                               action=Action.CONFERENCE_MANAGE)


def _conclusions_url(conference: Conference) -> str:
    return reverse("conferences:conference_detail", args=[conference.pk]) + "#ket-luan"


@staff_view(Action.CONFERENCE_MANAGE)
def conclusion_edit(request: HttpRequest, conclusion_id: int) -> HttpResponse:
    conclusion = _managed_conclusion(request, conclusion_id)
    conference = conclusion.conference
    if conclusion.tasks.exists():
        messages.error(request, services.CONCLUSION_IS_TASK)
        return redirect(_conclusions_url(conference))
    form = ConclusionForm(request.POST or None, initial={"text": conclusion.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.conclusion_update(actor=request.user, conclusion=conclusion, text=form.cleaned_data["text"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã sửa kết luận.")
            return redirect(_conclusions_url(conference))
    return render(request, "conferences/conclusion_form.html",
                  {"form": form, "conference": conference, "conclusion": conclusion})


@staff_view(Action.CONFERENCE_MANAGE)
@require_POST
def conclusion_remove(request: HttpRequest, conclusion_id: int) -> HttpResponse:
    conclusion = _managed_conclusion(request, conclusion_id)
    conference = conclusion.conference
    try:
        services.conclusion_remove(actor=request.user, conclusion=conclusion)
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, "Đã bỏ kết luận. Nhật ký hệ thống vẫn lưu nội dung của nó.")
    return redirect(_conclusions_url(conference))
