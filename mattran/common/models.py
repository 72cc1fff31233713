"""Abstract base classes shared by every domain app."""

from typing import Any

from django.db import models


class TimeStampedModel(models.Model):
    """Adds ``created_at``/``updated_at`` (aware datetimes) to a model."""

    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses bulk ``update()`` and ``delete()``: rows of an append-only model are never changed or removed."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError(self.model.append_only_message)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(self.model.append_only_message)


class AppendOnlyModel(models.Model):
    """A row is written once: saving an existing row or deleting one raises ``PermissionError`` with
    ``append_only_message``; the default manager refuses bulk updates and deletes as well. A correction is a
    new row (the audit log, the donation ledger and its checkpoints)."""

    append_only_message = "Dữ liệu này chỉ được ghi thêm, không được sửa hay xóa."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(self.append_only_message)
