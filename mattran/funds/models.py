"""Funds, drives, receiving accounts and the append-only, hash-chained ledger of each account.

The ledger (:class:`LedgerEntry`) is written only by :func:`mattran.funds.services.ledger_append` and
:func:`~mattran.funds.services.ledger_correct`. Like the audit log, rows are never updated or deleted: the
model and its queryset refuse, the database refuses a second row with the same ``(account, sequence)`` or
``(account, source_ref)`` and a zero amount, and on PostgreSQL a trigger refuses UPDATE and DELETE outright
(migration 0002). A correction is a new entry that reverses an old one. See decision 0008.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from mattran.common.models import AppendOnlyModel, TimeStampedModel

APPEND_ONLY = "Sổ quỹ chỉ được ghi thêm; muốn sửa thì ghi một bút toán điều chỉnh."


class FundKind(models.TextChoices):
    POOR = "poor", "Vì người nghèo"
    SEA_ISLANDS = "sea_islands", "Vì biển, đảo Việt Nam"
    RELIEF = "relief", "Cứu trợ"
    OTHER = "other", "Khác"


class Fund(TimeStampedModel):
    name = models.CharField("tên quỹ", max_length=200)
    kind = models.CharField("loại quỹ", max_length=16, choices=FundKind.choices, default=FundKind.OTHER)
    unit = models.ForeignKey("organisations.AdminUnit", verbose_name="đơn vị quản lý", on_delete=models.PROTECT,
                             related_name="funds")

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = "quỹ"
        verbose_name_plural = "quỹ"

    def __str__(self) -> str:
        return self.name


class ReceivingAccount(TimeStampedModel):
    bank_name = models.CharField("ngân hàng", max_length=120)
    bank_bin = models.CharField("mã BIN ngân hàng", max_length=6, help_text="6 chữ số, theo danh sách NAPAS.")
    number = models.CharField("số tài khoản", max_length=19)
    holder_name = models.CharField("chủ tài khoản", max_length=200)
    statement_published = models.BooleanField(
        "công khai sao kê", default=False,
        help_text="Khi không công khai, trang minh bạch chỉ hiện tổng số, không hiện từng giao dịch.",
    )

    class Meta:
        ordering = ["bank_name", "number"]
        verbose_name = "tài khoản nhận"
        verbose_name_plural = "tài khoản nhận"
        constraints = [
            models.UniqueConstraint(fields=["bank_bin", "number"], name="funds_account_unique_per_bank"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.number}"

    @property
    def chain_id(self) -> str:
        """How the hash chain names this account: ``<BIN>/<number>``, e.g. ``970436/0011001932418``."""
        return f"{self.bank_bin}/{self.number}"


class Drive(TimeStampedModel):
    """An appeal ("đợt vận động") for a fund, by a unit, with its period and receiving accounts."""

    fund = models.ForeignKey(Fund, verbose_name="quỹ", on_delete=models.PROTECT, related_name="drives")
    unit = models.ForeignKey("organisations.AdminUnit", verbose_name="đơn vị phát động", on_delete=models.PROTECT,
                             related_name="drives")
    title = models.CharField("tên đợt vận động", max_length=250)
    slug = models.SlugField("đường dẫn", max_length=120, unique=True)
    appeal_number = models.CharField("số văn bản kêu gọi", max_length=60, blank=True)
    appeal_text = models.TextField("nội dung lời kêu gọi", blank=True)
    target_amount = models.BigIntegerField("chỉ tiêu (đồng)", null=True, blank=True)
    starts_on = models.DateField("bắt đầu")
    ends_on = models.DateField("kết thúc", null=True, blank=True)
    accounts = models.ManyToManyField(ReceivingAccount, through="DriveAccount", related_name="drives",
                                      verbose_name="tài khoản nhận")

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = "đợt vận động"
        verbose_name_plural = "đợt vận động"
        constraints = [
            models.CheckConstraint(condition=Q(target_amount__isnull=True) | Q(target_amount__gt=0),
                                   name="funds_drive_target_positive"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="funds_drive_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class DriveAccount(models.Model):
    drive = models.ForeignKey(Drive, verbose_name="đợt vận động", on_delete=models.CASCADE)
    account = models.ForeignKey(ReceivingAccount, verbose_name="tài khoản", on_delete=models.PROTECT)

    class Meta:
        verbose_name = "tài khoản của đợt vận động"
        verbose_name_plural = "tài khoản của đợt vận động"
        constraints = [models.UniqueConstraint(fields=["drive", "account"], name="funds_drive_account_unique")]

    def __str__(self) -> str:
        return f"{self.drive} — {self.account}"


class EntrySource(models.TextChoices):
    STATEMENT = "statement", "Sao kê ngân hàng"
    CASH = "cash", "Biên lai tiền mặt"
    CORRECTION = "correction", "Bút toán điều chỉnh"


class LedgerEntry(AppendOnlyModel):
    """One movement on a receiving account: credit > 0 (money in), debit < 0 (money out), in đồng."""

    account = models.ForeignKey(ReceivingAccount, verbose_name="tài khoản", on_delete=models.PROTECT,
                                related_name="entries")
    sequence = models.PositiveBigIntegerField("số thứ tự")
    booked_on = models.DateField("ngày giao dịch")
    amount = models.BigIntegerField("số tiền (đồng)")
    memo_raw = models.TextField("nội dung gốc", blank=True)
    donor_name = models.CharField("người ủng hộ", max_length=200, blank=True)
    donor_folded = models.CharField("người ủng hộ (không dấu)", max_length=200, blank=True, editable=False)
    is_anonymous = models.BooleanField("ẩn danh", default=False)
    source = models.CharField("nguồn", max_length=12, choices=EntrySource.choices)
    source_ref = models.CharField("mã dòng nguồn", max_length=120, blank=True,
                                  help_text="Định danh của dòng sao kê hoặc số biên lai; không trùng trong tài khoản.")
    reverses = models.OneToOneField("self", verbose_name="điều chỉnh bút toán", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversed_by")
    reason = models.CharField("lý do điều chỉnh", max_length=300, blank=True)
    prev_hash = models.CharField("băm bút toán trước", max_length=64)
    entry_hash = models.CharField("băm", max_length=64, unique=True)
    created_at = models.DateTimeField("ghi lúc", auto_now_add=True)

    append_only_message = APPEND_ONLY

    class Meta:
        ordering = ["account", "sequence"]
        verbose_name = "bút toán"
        verbose_name_plural = "sổ quỹ"
        constraints = [
            models.UniqueConstraint(fields=["account", "sequence"], name="funds_entry_sequence_unique"),
            models.UniqueConstraint(fields=["account", "source_ref"], condition=~Q(source_ref=""),
                                    name="funds_entry_source_ref_unique"),
            models.CheckConstraint(condition=~Q(amount=0), name="funds_entry_amount_nonzero"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="funds_entry_sequence_positive"),
            models.CheckConstraint(
                condition=(Q(source=EntrySource.CORRECTION) & Q(reverses__isnull=False) & ~Q(reason=""))
                | (~Q(source=EntrySource.CORRECTION) & Q(reverses__isnull=True)),
                name="funds_entry_correction_has_target_and_reason",
            ),
        ]
        indexes = [models.Index(fields=["account", "booked_on"], name="funds_entry_account_day")]

    def __str__(self) -> str:
        return f"{self.account.number} #{self.sequence}"

    def hash_fields(self) -> dict[str, Any]:
        """The fields the chain hashes (see :mod:`mattran.funds.chain`), read from this row."""
        return {
            "account": self.account.chain_id,
            "sequence": self.sequence, "booked_on": self.booked_on, "amount": self.amount,
            "memo_raw": self.memo_raw, "donor_name": self.donor_name, "is_anonymous": self.is_anonymous,
            "source": self.source, "source_ref": self.source_ref,
            "reverses": self.reverses.sequence if self.reverses is not None else None,
            "reason": self.reason, "prev_hash": self.prev_hash,
        }


class DayCheckpoint(AppendOnlyModel):
    """The state of an account's ledger at the end of one day; written once, never changed."""

    account = models.ForeignKey(ReceivingAccount, verbose_name="tài khoản", on_delete=models.PROTECT,
                                related_name="checkpoints")
    day = models.DateField("ngày")
    last_sequence = models.PositiveBigIntegerField("số thứ tự cuối")
    entry_count = models.PositiveIntegerField("số bút toán")
    credit_total = models.BigIntegerField("tổng thu (đồng)")
    debit_total = models.BigIntegerField("tổng chi (đồng)", help_text="Số âm hoặc 0.")
    merkle_root = models.CharField("gốc Merkle", max_length=64)
    chain_hash = models.CharField("băm chuỗi cuối ngày", max_length=64)
    checkpoint_hash = models.CharField("băm điểm chốt", max_length=64)
    created_at = models.DateTimeField("chốt lúc", auto_now_add=True)

    append_only_message = APPEND_ONLY

    class Meta:
        ordering = ["account", "day"]
        verbose_name = "điểm chốt ngày"
        verbose_name_plural = "điểm chốt ngày"
        constraints = [
            models.UniqueConstraint(fields=["account", "day"], name="funds_checkpoint_unique_day"),
            models.CheckConstraint(condition=Q(credit_total__gte=0) & Q(debit_total__lte=0),
                                   name="funds_checkpoint_totals_signed"),
        ]

    def __str__(self) -> str:
        return f"{self.account.number} {self.day:%d/%m/%Y}"

    def hash_fields(self) -> dict[str, Any]:
        return {
            "account": self.account.chain_id, "day": self.day, "last_sequence": self.last_sequence,
            "entry_count": self.entry_count, "credit_total": self.credit_total, "debit_total": self.debit_total,
            "merkle_root": self.merkle_root, "chain_hash": self.chain_hash,
        }
