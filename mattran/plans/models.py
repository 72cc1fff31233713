"""Work plans of a unit for a period: task groups ("8 nhóm nhiệm vụ trọng tâm"), tasks and their progress.

"Quá hạn" (overdue) is derived from the deadline and the status, never stored.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mattran.common.models import TimeStampedModel
from mattran.organisations.models import AdminUnit, MemberOrganisation


class WorkPlan(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ADOPTED = "adopted", "Đã thông qua"

    unit = models.ForeignKey(AdminUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="work_plans")
    title = models.CharField("tên kế hoạch", max_length=255)
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    period_label = models.CharField("kỳ", max_length=80, blank=True, help_text="Ví dụ: “6 tháng cuối năm 2022”.")
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = "kế hoạch công tác"
        verbose_name_plural = "kế hoạch công tác"
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="workplan_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class TaskGroup(TimeStampedModel):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField("thứ tự")
    title = models.CharField("nhóm nhiệm vụ", max_length=300)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = "nhóm nhiệm vụ"
        verbose_name_plural = "nhóm nhiệm vụ"
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="unique_task_group_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "chua_bat_dau", "Chưa bắt đầu"
    IN_PROGRESS = "dang_thuc_hien", "Đang thực hiện"
    DONE = "hoan_thanh", "Hoàn thành"
    CANCELLED = "huy", "Hủy"


CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)


class TaskQuerySet(models.QuerySet["Task"]):
    def overdue(self, today: dt.date | None = None) -> TaskQuerySet:
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today).exclude(status__in=CLOSED_STATUSES)


class Task(TimeStampedModel):
    group = models.ForeignKey(TaskGroup, verbose_name="nhóm", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField("nhiệm vụ", max_length=500)
    owner_unit = models.ForeignKey(AdminUnit, verbose_name="đơn vị chủ trì", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="owned_tasks")
    owner_org = models.ForeignKey(MemberOrganisation, verbose_name="tổ chức thành viên chủ trì", null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="owned_tasks")
    deadline = models.DateField("thời hạn", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=16, choices=TaskStatus.choices,
                              default=TaskStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    source_conclusion = models.ForeignKey(
        "conferences.Conclusion", verbose_name="từ kết luận hội nghị", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="tasks",
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["group", "deadline", "pk"]
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100), name="task_progress_0_100"),
            models.CheckConstraint(condition=Q(owner_unit__isnull=True) | Q(owner_org__isnull=True),
                                   name="task_one_owner_at_most"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> AdminUnit | MemberOrganisation | None:
        return self.owner_unit or self.owner_org

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.deadline and self.deadline < today and self.status not in CLOSED_STATUSES)

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class TaskUpdate(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người cập nhật", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    note = models.TextField("ghi chú tiến độ", blank=True)
    progress = models.PositiveSmallIntegerField("tiến độ (%)")
    evidence = models.FileField("minh chứng", upload_to="plans/%Y/%m/", blank=True)
    created_at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        ordering = ["task", "-created_at", "-pk"]
        verbose_name = "cập nhật tiến độ"
        verbose_name_plural = "cập nhật tiến độ"
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100),
                                   name="task_update_progress_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.task} — {self.progress}%"
