from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from mattran.common.models import TimeStampedModel


class User(AbstractUser):
    full_name = models.CharField("họ và tên", max_length=120, blank=True)
    is_demo = models.BooleanField(
        "tài khoản trình diễn", default=False,
        help_text="Chỉ đăng nhập được khi máy chủ chạy ở chế độ trình diễn (MATTRAN_DEMO=1).",
    )

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    """What a grant lets its holder do; the actions of each role are in :mod:`mattran.accounts.permissions`."""

    STANDING = "thuong_truc", "Cán bộ Thường trực"
    CADRE = "can_bo", "Cán bộ chuyên trách"
    EDITOR = "bien_tap", "Biên tập viên tin tức"
    VIEWER = "theo_doi", "Theo dõi (chỉ xem)"


class RoleGrant(TimeStampedModel):
    """A role granted on a unit; it applies to the unit and to every unit below it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    unit = models.ForeignKey("organisations.AdminUnit", on_delete=models.PROTECT, related_name="grants")
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["user", "unit__path"]
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_grant")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"
