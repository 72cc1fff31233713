"""Reads on the number register, scoped to the viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mattran.accounts.permissions import Action, units_where
from mattran.documents.models import DocumentNumber


def document_numbers_visible_to(*, user: Any, year: int | None = None) -> QuerySet[DocumentNumber]:
    """Register entries of every issuer whose unit ``user`` may view, newest first (optionally one year)."""
    entries = (
        DocumentNumber.objects.filter(issuer__unit__in=units_where(user, Action.VIEW_UNIT))
        .select_related("issuer__unit", "created_by")
        .order_by("-year", "-issued_on", "-number", "-id")
    )
    if year is not None:
        entries = entries.filter(year=year)
    return entries


def document_years_visible_to(*, user: Any) -> list[int]:
    """The years that have entries visible to ``user``, newest first (for the year filter)."""
    years = (
        DocumentNumber.objects.filter(issuer__unit__in=units_where(user, Action.VIEW_UNIT))
        .order_by("-year").values_list("year", flat=True).distinct()
    )
    return list(years)
