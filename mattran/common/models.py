"""Abstract base classes shared by every domain app."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds ``created_at``/``updated_at`` (aware datetimes) to a model."""

    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True
