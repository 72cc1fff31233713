"""Reads on accounts for the staff pages, scoped by the viewer: out of scope is 404, like a missing id."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mattran.accounts.models import RoleGrant, User
from mattran.accounts.permissions import Action, units_where
from mattran.organisations.models import AdminUnit


def unit_grants(*, user: Any, unit: AdminUnit) -> QuerySet[RoleGrant]:
    """The roles granted on ``unit`` itself (those on units below are on their own pages), if the viewer manages
    accounts there; none otherwise."""
    return (RoleGrant.objects.filter(unit=unit, unit__in=units_where(user, Action.ACCESS_MANAGE))
            .select_related("user", "granted_by")
            # Every role each holder has, anywhere: whether the viewer may lock or reset the account depends on
            # all of them (services.may_manage_account), asked once per row.
            .prefetch_related(Prefetch("user__grants", queryset=RoleGrant.objects.select_related("unit")))
            .order_by("role", "user__full_name", "user__username"))


def grant_get_for_action(*, user: Any, grant_id: int) -> RoleGrant:
    """A grant on a unit where the viewer manages accounts; 404 otherwise."""
    grant = (RoleGrant.objects.filter(unit__in=units_where(user, Action.ACCESS_MANAGE), pk=grant_id)
             .select_related("user", "unit").first())
    if grant is None:
        raise Http404("Không tìm thấy vai trò.")
    return grant


def member_get_for_manage(*, user: Any, unit: AdminUnit, member_id: int) -> User:
    """An account holding a role on ``unit`` (whose page the viewer manages: the view checked it); 404
    otherwise, so that ids of accounts elsewhere tell nothing."""
    member = User.objects.filter(pk=member_id, grants__unit=unit,
                                 grants__unit__in=units_where(user, Action.ACCESS_MANAGE)).distinct().first()
    if member is None:
        raise Http404("Không tìm thấy tài khoản.")
    return member
