"""Periodic reports: periods, the indicator catalogue, templates per level, reports and their values.

A report belongs to one unit and one period; its figures are whole numbers (money in đồng), guarded by a
database constraint. Roll-up along the tree is computed, never stored: see :mod:`mattran.reports.rollup`.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from mattran.common import vn
from mattran.common.models import TimeStampedModel
from mattran.organisations.models import AdminUnit, UnitLevel


class PeriodKind(models.TextChoices):
    MONTH = "month", "Tháng"
    QUARTER = "quarter", "Quý"
    HALF = "half", "6 tháng"
    YEAR = "year", "Năm"
    MIDTERM = "midterm", "Giữa nhiệm kỳ"
    ENDTERM = "endterm", "Cuối nhiệm kỳ"


TERM_KINDS = frozenset({PeriodKind.MIDTERM, PeriodKind.ENDTERM})
INDEX_RANGE = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}


def calendar_bounds(kind: str, year: int, index: int) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar period (month, quarter, half, year); terms have no fixed bounds."""
    months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}[PeriodKind(kind)]
    first_month = (index - 1) * months + 1
    last_month = first_month + months - 1
    return dt.date(year, first_month, 1), dt.date(year, last_month, _calendar.monthrange(year, last_month)[1])


def period_label(kind: str, year: int, index: int) -> str:
    """``Tháng 3 năm 2022``, ``Quý II năm 2022``, ``6 tháng đầu năm 2022``, ``Năm 2022``,
    ``Giữa nhiệm kỳ 2019–2024`` (for terms, ``index`` is the term's last year)."""
    match kind:
        case PeriodKind.MONTH:
            return f"Tháng {index} năm {year}"
        case PeriodKind.QUARTER:
            return f"Quý {vn.roman(index)} năm {year}"
        case PeriodKind.HALF:
            return f"6 tháng {'đầu' if index == 1 else 'cuối'} năm {year}"
        case PeriodKind.YEAR:
            return f"Năm {year}"
        case PeriodKind.MIDTERM:
            return f"Giữa nhiệm kỳ {year}–{index}"
        case _:
            return f"Cuối nhiệm kỳ {year}–{index}"


class Period(models.Model):
    """A reporting period. For calendar kinds ``index`` is the month, quarter or half (1 for a year); for
    mid-term and end-of-term reports ``year``–``index`` are the term's first and last years."""

    kind = models.CharField("loại kỳ", max_length=16, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    index = models.PositiveSmallIntegerField("số thứ tự trong năm", default=1)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    label = models.CharField("tên kỳ", max_length=80)

    class Meta:
        ordering = ["start", "end"]
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "index"], name="unique_period"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.label


class Indicator(models.Model):
    """One figure of the catalogue, e.g. ``quy_vnn_van_dong`` "Số tiền vận động Quỹ Vì người nghèo" in đồng."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên chỉ tiêu", max_length=200)
    unit_of_measure = models.CharField("đơn vị tính", max_length=20)
    is_money = models.BooleanField("là số tiền (đồng)", default=False)
    group = models.CharField("nhóm", max_length=80, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"

    def __str__(self) -> str:
        return f"{self.name} ({self.unit_of_measure})"


class ReportTemplate(TimeStampedModel):
    """The sections and indicators of the reports of one level."""

    level = models.CharField("cấp", max_length=16, choices=UnitLevel.choices)
    name = models.CharField("tên mẫu", max_length=200)
    is_active = models.BooleanField("đang dùng", default=True)
    indicators = models.ManyToManyField(Indicator, verbose_name="chỉ tiêu", blank=True, related_name="templates")

    class Meta:
        ordering = ["level", "name"]
        verbose_name = "mẫu báo cáo"
        verbose_name_plural = "mẫu báo cáo"
        constraints = [
            models.UniqueConstraint(
                fields=["level"], condition=Q(is_active=True), name="one_active_template_per_level"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TemplateSection(models.Model):
    """A heading of the report skeleton (DOMAIN §2.2). ``key`` matches sections across levels, so the texts
    of the lower units' reports can be gathered under the upper unit's same section."""

    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField("mã phần", max_length=40)
    number = models.CharField("số mục", max_length=8)
    heading = models.CharField("tiêu đề", max_length=200)
    guidance = models.TextField("gợi ý nội dung", blank=True)
    order = models.PositiveSmallIntegerField("thứ tự")

    class Meta:
        ordering = ["template", "order"]
        verbose_name = "phần của mẫu báo cáo"
        verbose_name_plural = "phần của mẫu báo cáo"
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="unique_section_key")]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã gửi"
    RETURNED = "returned", "Trả lại để sửa"
    APPROVED = "approved", "Đã duyệt"


EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


class Report(TimeStampedModel):
    unit = models.ForeignKey(AdminUnit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(Period, verbose_name="kỳ báo cáo", on_delete=models.PROTECT, related_name="reports")
    template = models.ForeignKey(ReportTemplate, verbose_name="mẫu", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "trạng thái", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField("phiên bản", default=1, help_text="Tăng mỗi lần lưu; chống ghi đè.")
    due_on = models.DateField("hạn gửi", null=True, blank=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["period", "unit__path"]
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="unique_report_per_unit_period"),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
        ]
        indexes = [models.Index(fields=["period", "status"], name="report_period_status")]

    def __str__(self) -> str:
        return f"Báo cáo {self.period} — {self.unit}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ReportSection(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    section = models.ForeignKey(TemplateSection, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("nội dung", blank=True)

    class Meta:
        ordering = ["report", "section__order"]
        verbose_name = "nội dung phần báo cáo"
        verbose_name_plural = "nội dung phần báo cáo"
        constraints = [models.UniqueConstraint(fields=["report", "section"], name="unique_report_section")]

    def __str__(self) -> str:
        return f"{self.report} — {self.section}"


class IndicatorValue(models.Model):
    """A reported figure: a whole number (money in whole đồng), never negative."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.BigIntegerField("giá trị")

    class Meta:
        verbose_name = "số liệu chỉ tiêu"
        verbose_name_plural = "số liệu chỉ tiêu"
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="unique_value_per_report_indicator"),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} = {self.value}"


class ReviewNote(models.Model):
    """The upper unit's comment when it returns a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="review_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField("ý kiến")
    created_at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        ordering = ["report", "created_at", "pk"]
        verbose_name = "ý kiến trả lại"
        verbose_name_plural = "ý kiến trả lại"

    def __str__(self) -> str:
        return self.text[:80]
