"""Numbered conferences of a Front body, with agenda, attendance, minutes and conclusions.

A conference is "Hội nghị … lần thứ N, khóa K": N is counted per term and restarts with each term
(see docs/decisions/0007-conferences-and-plans.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from mattran.common.models import TimeStampedModel
from mattran.organisations.models import AdminUnit, FrontBody, Person, Term


class Conference(TimeStampedModel):
    body = models.ForeignKey(FrontBody, verbose_name="cơ quan", on_delete=models.PROTECT,
                             related_name="conferences")
    term = models.ForeignKey(Term, verbose_name="khóa", on_delete=models.PROTECT, related_name="conferences")
    number = models.PositiveSmallIntegerField("lần thứ")
    is_extraordinary = models.BooleanField("hội nghị bất thường", default=False)
    date = models.DateField("ngày họp")
    place = models.CharField("địa điểm", max_length=255, blank=True)
    chair = models.ForeignKey(Person, verbose_name="chủ trì", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="chaired_conferences")
    invited_delegates = models.TextField("đại biểu khách mời", blank=True)

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = "hội nghị"
        verbose_name_plural = "hội nghị"
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="unique_conference_number_per_term"),
            models.CheckConstraint(condition=Q(number__gte=1), name="conference_number_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def unit(self) -> AdminUnit:
        return self.body.unit

    @property
    def title(self) -> str:
        """``Hội nghị lần thứ 10 Ủy ban MTTQ Việt Nam quận Hai Bà Trưng khóa XV, nhiệm kỳ 2019–2024``."""
        kind = "Hội nghị bất thường" if self.is_extraordinary else "Hội nghị"
        return f"{kind} lần thứ {self.number} {self.body} {self.term}"


class AgendaItem(TimeStampedModel):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField("thứ tự")
    title = models.CharField("nội dung", max_length=300)
    presenter_name = models.CharField("người trình bày", max_length=120, blank=True)
    presenter_body = models.CharField("cơ quan trình bày", max_length=160, blank=True,
                                      help_text="Ví dụ: “Thường trực HĐND quận”, “UBND quận”.")
    attachment = models.FileField("tài liệu đính kèm", upload_to="conferences/%Y/%m/", blank=True)
    #: A document of this platform (a report…), named without a foreign key so this app needs no other.
    target_type = models.CharField("loại tài liệu liên kết", max_length=100, blank=True)
    target_id = models.CharField("mã tài liệu liên kết", max_length=40, blank=True)

    class Meta:
        ordering = ["conference", "order"]
        verbose_name = "nội dung chương trình"
        verbose_name_plural = "chương trình hội nghị"
        constraints = [models.UniqueConstraint(fields=["conference", "order"], name="unique_agenda_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Attendance(TimeStampedModel):
    class Status(models.TextChoices):
        PRESENT = "co_mat", "Có mặt"
        EXCUSED = "vang_co_ly_do", "Vắng có lý do"
        ABSENT = "vang", "Vắng"

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, verbose_name="ủy viên", on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField("điểm danh", max_length=16, choices=Status.choices, default=Status.ABSENT)

    class Meta:
        ordering = ["conference", "person__full_name"]
        verbose_name = "điểm danh"
        verbose_name_plural = "điểm danh"
        constraints = [models.UniqueConstraint(fields=["conference", "person"], name="unique_attendance")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_status_display()}"


class MinutesVersion(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="minutes_versions")
    number = models.PositiveSmallIntegerField("bản số")
    text = models.TextField("nội dung biên bản")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người soạn", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    is_adopted = models.BooleanField("đã thông qua", default=False)

    class Meta:
        ordering = ["conference", "-number"]
        verbose_name = "bản biên bản"
        verbose_name_plural = "các bản biên bản"
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="unique_minutes_version"),
            models.UniqueConstraint(fields=["conference"], condition=Q(is_adopted=True),
                                    name="one_adopted_minutes_per_conference"),
        ]

    def __str__(self) -> str:
        return f"Biên bản — bản {self.number}"


class Conclusion(TimeStampedModel):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="conclusions")
    order = models.PositiveSmallIntegerField("thứ tự")
    text = models.TextField("nội dung kết luận")

    class Meta:
        ordering = ["conference", "order"]
        verbose_name = "kết luận"
        verbose_name_plural = "kết luận"
        constraints = [models.UniqueConstraint(fields=["conference", "order"], name="unique_conclusion_order")]

    def __str__(self) -> str:
        return f"Kết luận {self.order}: {self.text[:80]}"
