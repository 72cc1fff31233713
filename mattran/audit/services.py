"""Recording audit events. Every service that writes calls :func:`record` inside its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

from django.db import models

from mattran.audit.models import AuditEvent


class _UnitLike(Protocol):
    pk: Any
    path: str


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, for use as ``before`` in :func:`diff`."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    unit: _UnitLike | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``changes`` is ``{field: [old, new]}`` (or ``{field: value}`` for creations)."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else "hệ thống")[:200],
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk or ""),
        target_repr=str(target)[:300],
        unit_id=unit.pk if unit is not None else None,
        unit_path=unit.path if unit is not None else "",
        changes={k: _plain(v) for k, v in (changes or {}).items()},
    )
