"""Reads that compose several apps for the workspace, scoped by the viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mattran.accounts.permissions import Action, scope_paths
from mattran.audit.models import AuditEvent
from mattran.audit.selectors import events_under_paths
from mattran.organisations.models import AdminUnit


def audit_events_visible_to(*, user: Any, unit: AdminUnit | None = None) -> QuerySet[AuditEvent]:
    """The log of every unit the viewer may audit; narrowed to ``unit``'s subtree when given."""
    paths = scope_paths(user, Action.VIEW_AUDIT)
    qs = AuditEvent.objects.select_related("actor") if paths is None else events_under_paths(paths)
    if unit is not None:
        qs = qs.filter(unit_path__startswith=unit.path)
    return qs
