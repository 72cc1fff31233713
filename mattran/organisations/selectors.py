"""Reads on the organisation tree, each scoped by the viewer through the permission policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from mattran.accounts.permissions import Action, can, require, units_where
from mattran.organisations.models import AdminUnit, FrontBody, Person, Position, Term


def units_visible_to(*, user: Any) -> QuerySet[AdminUnit]:
    return units_where(user, Action.VIEW_UNIT)


def unit_get_visible(*, user: Any, unit_id: int) -> AdminUnit:
    """The unit, or 404 when it does not exist *or* lies outside the viewer's scope (no existence leak)."""
    unit = units_visible_to(user=user).select_related("parent").filter(pk=unit_id).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    return unit


def unit_get_for_action(*, user: Any, unit_id: int, action: Action) -> AdminUnit:
    """The unit when the viewer may do ``action`` on it: 404 outside what they can see, 403 when they can see
    it but not do this there (a viewer opening an edit form)."""
    unit = unit_get_visible(user=user, unit_id=unit_id)
    require(user, action, unit)
    return unit


def unit_children(*, user: Any, unit: AdminUnit) -> QuerySet[AdminUnit]:
    return (
        units_visible_to(user=user).filter(parent=unit)
        .annotate(child_count=Count("children"))
        .order_by("valid_to", "name")
    )


def unit_bodies(*, unit: AdminUnit) -> QuerySet[FrontBody]:
    positions = Position.objects.select_related("person", "representing").order_by("role", "person__full_name")
    terms = Term.objects.order_by("-ordinal").prefetch_related(Prefetch("positions", queryset=positions))
    return FrontBody.objects.filter(unit=unit).prefetch_related(Prefetch("terms", queryset=terms))


def unit_ancestors(*, unit: AdminUnit) -> list[AdminUnit]:
    ids = unit.ancestor_ids()[:-1]
    by_id = AdminUnit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def person_get_visible(*, user: Any, person_id: int) -> Person:
    person = (
        Person.objects.select_related("unit")
        .filter(unit__in=units_visible_to(user=user), pk=person_id)
        .first()
    )
    if person is None:
        raise Http404("Không tìm thấy cá nhân.")
    return person


def person_positions(*, person: Person) -> QuerySet[Position]:
    return person.positions.select_related("term__body__unit", "representing").order_by("-term__start_year")


def can_see_contacts(*, user: Any, unit: AdminUnit) -> bool:
    return can(user, Action.VIEW_CONTACTS, unit)


def unit_successors(*, unit: AdminUnit) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(predecessions__predecessor=unit).distinct()


def unit_predecessors(*, unit: AdminUnit) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(successions__successor=unit).distinct()


def committee_chair_name(*, unit: AdminUnit, start: dt.date, end: dt.date) -> str:
    """Full name of the chair of ``unit``'s committee in the latest term overlapping ``start``–``end`` (the signer
    of its documents); empty when none is on record."""
    term = (
        Term.objects.filter(body__unit=unit, body__kind=FrontBody.Kind.COMMITTEE,
                            start_year__lte=end.year, end_year__gte=start.year)
        .order_by("-ordinal").first()
    )
    if term is None:
        return ""
    chair = Position.objects.filter(term=term, role=Position.Role.CHAIR).select_related("person").first()
    return chair.person.full_name if chair else ""
