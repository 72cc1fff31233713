from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mattran.audit.models import AuditEvent


def events_under_paths(paths: list[str]) -> QuerySet[AuditEvent]:
    """Events of units whose path starts with any of ``paths`` (a unit and everything below it)."""
    if not paths:
        return AuditEvent.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(unit_path__startswith=path)
    return AuditEvent.objects.filter(condition).select_related("actor")


def events_for_target(target: Any) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
