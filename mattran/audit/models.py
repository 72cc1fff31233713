"""The append-only audit log. This app imports no domain app; targets are stored by type and id."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from mattran.common.models import AppendOnlyModel


class AuditEvent(AppendOnlyModel):
    """One thing somebody did: who, when, what, on which object, in which unit, with old and new values.

    ``unit_path`` copies the materialised path of the organisation unit the event belongs to, so that a
    superior reads the log of every unit below it with one prefix filter and without importing that app.
    """

    occurred_at = models.DateTimeField("lúc", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    actor_label = models.CharField("người thực hiện (lúc ghi)", max_length=200, blank=True)
    action = models.CharField("hành động", max_length=80, db_index=True)
    target_type = models.CharField("loại đối tượng", max_length=80)
    target_id = models.CharField("mã đối tượng", max_length=64, blank=True)
    target_repr = models.CharField("đối tượng", max_length=300, blank=True)
    unit_id = models.BigIntegerField("đơn vị", null=True, blank=True)
    unit_path = models.CharField("đường dẫn đơn vị", max_length=255, blank=True, db_index=True)
    changes = models.JSONField("thay đổi", default=dict, blank=True)

    append_only_message = "Nhật ký chỉ được ghi thêm, không được sửa hay xóa."

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "sự kiện nhật ký"
        verbose_name_plural = "nhật ký"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_repr}"

    @property
    def action_label(self) -> str:
        from mattran.audit.labels import label_for

        return label_for(self.action)

    def change_rows(self) -> list[tuple[str, Any, Any, bool]]:
        """``(field, old, new, is_change)`` per entry: ``[old, new]`` pairs from :func:`diff` read as a change,
        anything else (the values of a creation) as a plain value in ``new``."""
        rows = []
        for field, value in (self.changes or {}).items():
            if isinstance(value, list) and len(value) == 2:
                rows.append((field, value[0], value[1], True))
            else:
                rows.append((field, None, value, False))
        return rows
