"""Staff workspace at /quan-ly/. Every view declares its permission with :func:`staff_view`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mattran.accounts.permissions import Action, can, home_unit
from mattran.common.forms import attach_errors
from mattran.common.vn import fold
from mattran.news import selectors as news_selectors
from mattran.organisations import selectors as org
from mattran.organisations import services as org_services
from mattran.reports import selectors as report_selectors
from mattran.workspace.access import staff_view
from mattran.workspace.forms import PersonForm, PersonWithPositionForm, TermForm
from mattran.workspace.selectors import audit_events_visible_to


@staff_view(Action.WORKSPACE)
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    unit = home_unit(user)
    context = {
        "unit": unit,
        "recent_events": audit_events_visible_to(user=user)[:10] if can(user, Action.VIEW_AUDIT) else [],
        "due": [*report_selectors.workspace_due_items(user=user), *news_selectors.workspace_due_items(user=user)],
        "child_count": org.unit_children(user=user, unit=unit).count() if unit else 0,
    }
    return render(request, "workspace/dashboard.html", context)


@staff_view(Action.VIEW_UNIT)
def unit_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    units = org.units_visible_to(user=request.user).select_related("parent")
    if query:
        # Names are short; fold in Python so "Bach Mai" finds "Bạch Mai" on SQLite and PostgreSQL alike.
        needle = fold(query)
        ids = [pk for pk, name in units.values_list("pk", "name") if needle in fold(name)]
        units = units.filter(pk__in=ids)
    else:
        roots = home_unit(request.user)
        units = units.filter(pk=roots.pk) | units.filter(parent=roots) if roots else units.none()
    page = Paginator(units.order_by("path"), 50).get_page(request.GET.get("trang"))
    return render(request, "workspace/unit_list.html", {"page": page, "query": query})


@staff_view(Action.VIEW_UNIT)
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = org.unit_get_visible(user=request.user, unit_id=unit_id)
    context = {
        "unit": unit,
        "ancestors": [a for a in org.unit_ancestors(unit=unit) if can(request.user, Action.VIEW_UNIT, a)],
        "children": org.unit_children(user=request.user, unit=unit),
        "bodies": org.unit_bodies(unit=unit),
        "member_orgs": unit.member_orgs.all(),
        "successors": org.unit_successors(unit=unit),
        "predecessors": org.unit_predecessors(unit=unit),
        "people": unit.people.order_by("full_name"),
        "can_manage_people": can(request.user, Action.MANAGE_PEOPLE, unit),
        "can_change_unit": can(request.user, Action.CHANGE_UNIT, unit),
        "can_manage_access": can(request.user, Action.ACCESS_MANAGE, unit),
    }
    return render(request, "workspace/unit_detail.html", context)


@staff_view(Action.MANAGE_PEOPLE)
def person_add(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = org.unit_get_for_action(user=request.user, unit_id=unit_id, action=Action.MANAGE_PEOPLE)
    form = PersonWithPositionForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = org_services.person_create(
                    actor=request.user, unit=unit, full_name=data["full_name"], phone=data["phone"],
                    email=data["email"], address=data["address"],
                )
                if data.get("term"):
                    org_services.position_assign(actor=request.user, person=person, term=data["term"],
                                                 role=data["role"], representing=data.get("representing"))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm {person.full_name}.")
            return redirect("workspace:person_detail", person_id=person.pk)
    return render(request, "workspace/person_form.html", {"form": form, "unit": unit, "person": None})


@staff_view(Action.CHANGE_UNIT)
def term_add(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = org.unit_get_for_action(user=request.user, unit_id=unit_id, action=Action.CHANGE_UNIT)
    form = TermForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            term = org_services.term_create(actor=request.user, body=data["body"], ordinal=data["ordinal"],
                                            start_year=data["start_year"], end_year=data["end_year"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm {term}.")
            return redirect("workspace:unit_detail", unit_id=unit.pk)
    return render(request, "workspace/term_form.html", {"form": form, "unit": unit})


@staff_view(Action.VIEW_UNIT)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = org.person_get_visible(user=request.user, person_id=person_id)
    context = {
        "person": person,
        "positions": org.person_positions(person=person),
        "show_contacts": org.can_see_contacts(user=request.user, unit=person.unit),
        "can_edit": can(request.user, Action.MANAGE_PEOPLE, person.unit),
    }
    return render(request, "workspace/person_detail.html", context)


@staff_view(Action.MANAGE_PEOPLE)
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = org.person_get_visible(user=request.user, person_id=person_id)
    if not can(request.user, Action.MANAGE_PEOPLE, person.unit):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in ["full_name", "phone", "email", "address"]}
        person.refresh_from_db()  # the form wrote onto the instance; the service compares old and new
        try:
            org_services.person_update(actor=request.user, person=person, **values)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("workspace:person_detail", person_id=person.pk)
    return render(request, "workspace/person_form.html", {"form": form, "unit": person.unit, "person": person})


@staff_view(Action.VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    unit = None
    if request.GET.get("don_vi", "").isdigit():
        unit = org.unit_get_for_action(user=request.user, unit_id=int(request.GET["don_vi"]), action=Action.VIEW_AUDIT)
    events = audit_events_visible_to(user=request.user, unit=unit)
    page = Paginator(events, 50).get_page(request.GET.get("trang"))
    return render(request, "workspace/audit_log.html", {"page": page, "unit": unit})


