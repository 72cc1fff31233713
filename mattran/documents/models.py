"""The number register of official documents (sổ đăng ký văn bản đi).

Decree 30/2020/NĐ-CP: numbers restart every calendar year for each issuing body. :class:`NumberCounter` holds
the last number handed out per (issuer, year) and is the row the numbering service locks; the unique
constraint on :class:`DocumentNumber` is the last guard.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from mattran.common.models import TimeStampedModel
from mattran.documents.issuers import issuer_symbol_groups
from mattran.documents.symbols import document_symbol
from mattran.organisations.models import FrontBody


class DocType(models.TextChoices):
    """Abbreviations of document types (Decree 30, Appendix III) used by Front bodies."""

    REPORT = "BC", "Báo cáo"
    PLAN = "KH", "Kế hoạch"
    MINUTES = "BB", "Biên bản"
    SUBMISSION = "TTr", "Tờ trình"
    DECISION = "QĐ", "Quyết định"
    NOTICE = "TB", "Thông báo"
    PROGRAMME = "CTr", "Chương trình"
    RESOLUTION = "NQ", "Nghị quyết"
    GUIDANCE = "HD", "Hướng dẫn"
    LETTER = "CV", "Công văn"
    INVITATION = "GM", "Giấy mời"


class NumberCounter(models.Model):
    """The last number issued by ``issuer`` in ``year``; locked while the next one is taken."""

    issuer = models.ForeignKey(FrontBody, verbose_name="cơ quan ban hành", on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    last = models.PositiveIntegerField("số cuối đã cấp", default=0)

    class Meta:
        verbose_name = "bộ đếm số văn bản"
        verbose_name_plural = "bộ đếm số văn bản"
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="unique_counter_per_issuer_year")]

    def __str__(self) -> str:
        return f"{self.issuer} — {self.year}: {self.last}"


class DocumentNumber(TimeStampedModel):
    """One entry of the register: a number given to a document of ``issuer`` in ``year``."""

    issuer = models.ForeignKey(FrontBody, verbose_name="cơ quan ban hành", on_delete=models.PROTECT,
                               related_name="document_numbers")
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveIntegerField("số")
    doc_type = models.CharField("loại văn bản", max_length=8, choices=DocType.choices)
    title = models.CharField("trích yếu", max_length=500)
    issued_on = models.DateField("ngày ban hành")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người lấy số", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    target_type = models.CharField("loại đối tượng", max_length=100, blank=True,
                                   help_text="Nhãn mô hình của văn bản được cấp số, ví dụ “reports.report”.")
    target_id = models.CharField("mã đối tượng", max_length=64, blank=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = "số văn bản"
        verbose_name_plural = "sổ đăng ký văn bản"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "number"], name="unique_document_number"),
            models.UniqueConstraint(fields=["target_type", "target_id"], condition=~Q(target_type=""),
                                    name="unique_document_number_per_target"),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_number_positive"),
        ]
        indexes = [models.Index(fields=["issuer", "-year", "-number"], name="documents_register_idx")]

    def __str__(self) -> str:
        return f"{self.symbol} — {self.title}"

    @property
    def symbol(self) -> str:
        """``05/BC-MTTQ-BTT``."""
        return document_symbol(self.number, self.doc_type, *issuer_symbol_groups(self.issuer))
