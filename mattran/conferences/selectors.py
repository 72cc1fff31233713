"""Reads on conferences, each scoped by the viewer: out of scope is 404, like a missing id."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mattran.accounts.permissions import Action, require, units_where
from mattran.conferences.models import AgendaItem, Attendance, Conclusion, Conference, MinutesVersion
from mattran.organisations.models import AdminUnit, FrontBody, Term

_Part = TypeVar("_Part", AgendaItem, Conclusion)


def conferences_visible_to(*, user: Any, unit: AdminUnit | None = None) -> QuerySet[Conference]:
    qs = Conference.objects.filter(body__unit__in=units_where(user, Action.VIEW_UNIT))
    if unit is not None:
        qs = qs.filter(body__unit=unit)
    return qs.select_related("body__unit", "term", "chair").order_by("-date", "-number")


def conference_get_visible(*, user: Any, conference_id: int) -> Conference:
    conference = (
        conferences_visible_to(user=user)
        .prefetch_related(
            "agenda_items",
            Prefetch("attendances", queryset=Attendance.objects.select_related("person").order_by("person__full_name")),
            Prefetch("minutes_versions", queryset=MinutesVersion.objects.select_related("author").order_by("-number")),
            Prefetch("conclusions", queryset=Conclusion.objects.prefetch_related("tasks").order_by("order")),
        )
        .filter(pk=conference_id).first()
    )
    if conference is None:
        raise Http404("Không tìm thấy hội nghị.")
    return conference


def conference_get_for_action(*, user: Any, conference_id: int, action: Action) -> Conference:
    """404 outside what the viewer sees; 403 when they see it but may not do ``action`` there."""
    conference = conference_get_visible(user=user, conference_id=conference_id)
    require(user, action, conference.unit)
    return conference


def _part_get_for_action(model: type[_Part], *, user: Any, pk: int, action: Action, missing: str) -> _Part:
    """A row of ``model`` belonging to a conference the viewer sees (404 with ``missing`` otherwise); 403 when
    they may not do ``action`` on its unit."""
    part = (model.objects.filter(conference__in=conferences_visible_to(user=user), pk=pk)
            .select_related("conference__body__unit").first())
    if part is None:
        raise Http404(missing)
    require(user, action, part.conference.unit)
    return part


def agenda_item_get_for_action(*, user: Any, item_id: int, action: Action) -> AgendaItem:
    """An agenda item of a conference the viewer sees (404 otherwise); 403 when they may not do ``action``."""
    return _part_get_for_action(AgendaItem, user=user, pk=item_id, action=action,
                                missing="Không tìm thấy nội dung chương trình.")


def conclusion_get_for_action(*, user: Any, conclusion_id: int, action: Action) -> Conclusion:
    """A conclusion of a conference the viewer sees (404 otherwise); 403 when they may not do ``action``."""
    return _part_get_for_action(Conclusion, user=user, pk=conclusion_id, action=action,
                                missing="Không tìm thấy kết luận.")


def terms_for_conferences(*, user: Any, unit: AdminUnit) -> QuerySet[Term]:
    """Terms of the unit's bodies that hold numbered conferences, newest first."""
    return (
        Term.objects.filter(body__unit=unit, body__unit__in=units_where(user, Action.CONFERENCE_MANAGE))
        .exclude(body__kind=FrontBody.Kind.RESIDENTIAL_BOARD)
        .select_related("body__unit").order_by("body__kind", "-ordinal")
    )
