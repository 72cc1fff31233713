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


class AccountKind(models.TextChoices):
    BANK = "bank", "Tài khoản ngân hàng"
    CASH = "cash", "Sổ tiền mặt"


class ReceivingAccount(TimeStampedModel):
    """A bank account that receives donations, or a unit's cash book (``kind=cash``, receipts at the office).

    ``unit`` is the unit that manages it: the permission policy scopes ``FUNDS_MANAGE`` by it. An account
    registered by ``import_statement`` before it is given a unit is managed by system administrators only.
    """

    kind = models.CharField("loại", max_length=8, choices=AccountKind.choices, default=AccountKind.BANK)
    unit = models.ForeignKey("organisations.AdminUnit", verbose_name="đơn vị quản lý", on_delete=models.PROTECT,
                             related_name="receiving_accounts", null=True, blank=True)
    bank_name = models.CharField("ngân hàng", max_length=120)
    bank_bin = models.CharField("mã BIN ngân hàng", max_length=6, blank=True,
                                help_text="6 chữ số, theo danh sách NAPAS; để trống với sổ tiền mặt.")
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
            models.CheckConstraint(condition=Q(kind="cash") | ~Q(bank_bin=""), name="funds_account_bank_has_bin"),
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
    appeal_date = models.DateField("ngày văn bản kêu gọi", null=True, blank=True)
    memo_code = models.CharField(
        "mã nội dung chuyển khoản", max_length=20, unique=True,
        help_text="Chữ in hoa không dấu và số, ví dụ BIENDAO2025: in vào mã VietQR và dùng để nhận diện "
                  "khoản ủng hộ khi nhập sao kê.")
    is_public = models.BooleanField("công bố trên trang minh bạch", default=True)
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


class Pledge(TimeStampedModel):
    """A unit that collects for a drive ("đơn vị vận động"), with what it pledges to raise and its memo code.

    Transfers whose memo carries ``memo_code`` are attributed to the unit (the VietQR code of the pledge puts it
    there); cash receipts name the pledge directly.
    """

    drive = models.ForeignKey(Drive, verbose_name="đợt vận động", on_delete=models.CASCADE, related_name="pledges")
    unit = models.ForeignKey("organisations.AdminUnit", verbose_name="đơn vị vận động", on_delete=models.PROTECT,
                             related_name="pledges")
    amount = models.BigIntegerField("số cam kết (đồng)", null=True, blank=True)
    memo_code = models.CharField("mã nội dung chuyển khoản", max_length=25,
                                 help_text="Chữ in hoa không dấu và số, ví dụ BIENDAO2025 BACHMAI.")
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        ordering = ["drive", "unit__path"]
        verbose_name = "đơn vị vận động"
        verbose_name_plural = "đơn vị vận động"
        constraints = [
            models.UniqueConstraint(fields=["drive", "unit"], name="funds_pledge_unit_once"),
            models.UniqueConstraint(fields=["drive", "memo_code"], name="funds_pledge_memo_code_unique"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0),
                                   name="funds_pledge_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.drive} — {self.unit}"


class EntrySource(models.TextChoices):
    STATEMENT = "statement", "Sao kê ngân hàng"
    CASH = "cash", "Biên lai tiền mặt"
    CORRECTION = "correction", "Bút toán điều chỉnh"


class LedgerEntry(AppendOnlyModel):
    """One movement on a receiving account: credit > 0 (money in), debit < 0 (money out), in đồng."""

    # No index of its own: the unique (account, sequence) index starts with the account and serves every lookup
    # by account; a second one only cost each import's write (decision 0009).
    account = models.ForeignKey(ReceivingAccount, verbose_name="tài khoản", on_delete=models.PROTECT,
                                related_name="entries", db_index=False)
    sequence = models.PositiveBigIntegerField("số thứ tự")
    booked_on = models.DateField("ngày giao dịch")
    amount = models.BigIntegerField("số tiền (đồng)")
    memo_raw = models.TextField("nội dung gốc", blank=True)
    memo_public = models.TextField("nội dung công khai", blank=True, editable=False,
                                   help_text="Nội dung gốc với số tài khoản và số điện thoại đã che.")
    search_text = models.TextField("chuỗi tìm kiếm", blank=True, editable=False,
                                   help_text="Tên người ủng hộ và nội dung công khai, chữ thường không dấu.")
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


class AnonymityRequest(AppendOnlyModel):
    """A donor asked, after the fact, to be shown as "Nhà hảo tâm ẩn danh": the public pages then hide the name
    and the memo of that entry. The entry itself (and its hash) never changes."""

    entry = models.OneToOneField(LedgerEntry, verbose_name="bút toán", on_delete=models.PROTECT,
                                 related_name="anonymity_request")
    note = models.CharField("ghi chú", max_length=300, blank=True)
    recorded_by = models.ForeignKey("accounts.User", verbose_name="người ghi nhận", on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField("ghi lúc", auto_now_add=True)

    append_only_message = "Yêu cầu ẩn danh đã ghi không sửa hay xóa được."

    class Meta:
        verbose_name = "yêu cầu ẩn danh"
        verbose_name_plural = "yêu cầu ẩn danh"

    def __str__(self) -> str:
        return f"Ẩn danh: {self.entry}"


class CashReceipt(AppendOnlyModel):
    """A numbered receipt ("biên lai") for cash handed in at the office; its entry joins the unit's cash book.

    Numbers run per issuing unit and year (``number``/``year``). A receipt is never edited; a mistake is
    corrected by a reversing ledger entry with the reason, and the receipt then shows as cancelled.
    """

    unit = models.ForeignKey("organisations.AdminUnit", verbose_name="đơn vị thu", on_delete=models.PROTECT,
                             related_name="cash_receipts")
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveIntegerField("số biên lai")
    drive = models.ForeignKey(Drive, verbose_name="đợt vận động", on_delete=models.PROTECT,
                              related_name="cash_receipts")
    pledge = models.ForeignKey(Pledge, verbose_name="đơn vị vận động", on_delete=models.PROTECT,
                               related_name="cash_receipts", null=True, blank=True)
    payer_name = models.CharField("người nộp", max_length=200)
    payer_address = models.CharField("địa chỉ", max_length=300, blank=True)
    amount = models.BigIntegerField("số tiền (đồng)")
    received_on = models.DateField("ngày thu")
    is_anonymous = models.BooleanField("công bố ẩn danh", default=False)
    note = models.CharField("nội dung", max_length=300, blank=True)
    received_by = models.ForeignKey("accounts.User", verbose_name="người thu", on_delete=models.PROTECT,
                                    related_name="+")
    entry = models.OneToOneField(LedgerEntry, verbose_name="bút toán", on_delete=models.PROTECT,
                                 related_name="cash_receipt")
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)

    append_only_message = "Biên lai đã lập không sửa hay xóa được; hãy hủy bằng bút toán điều chỉnh."

    class Meta:
        ordering = ["unit", "-year", "-number"]
        verbose_name = "biên lai"
        verbose_name_plural = "biên lai"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="funds_receipt_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_receipt_amount_positive"),
            models.CheckConstraint(condition=Q(number__gte=1), name="funds_receipt_number_positive"),
        ]

    def __str__(self) -> str:
        return f"Biên lai số {self.number:06d}/{self.year}"


class RecipientKind(models.TextChoices):
    HOUSEHOLD = "household", "Hộ gia đình"
    PERSON = "person", "Cá nhân"
    UNIT = "unit", "Đơn vị"
    PROJECT = "project", "Công trình, dự án"


class Allocation(TimeStampedModel):
    """A decision to give part of a drive's money to a recipient ("phân bổ"), with its decision document.

    Households and persons are listed publicly by their residential area (``residential_area``, under the
    ward ``area_unit``) so that neighbours can check the list, as the Front's rules on relief ask.
    """

    drive = models.ForeignKey(Drive, verbose_name="đợt vận động", on_delete=models.PROTECT,
                              related_name="allocations")
    recipient_kind = models.CharField("loại người nhận", max_length=12, choices=RecipientKind.choices)
    recipient_name = models.CharField("người/đơn vị nhận", max_length=250)
    recipient_unit = models.ForeignKey("organisations.AdminUnit", verbose_name="đơn vị nhận",
                                       on_delete=models.PROTECT, related_name="allocations_received",
                                       null=True, blank=True)
    area_unit = models.ForeignKey("organisations.AdminUnit", verbose_name="xã, phường", on_delete=models.PROTECT,
                                  related_name="allocations_in_area", null=True, blank=True)
    residential_area = models.CharField("khu dân cư", max_length=200, blank=True,
                                        help_text="Thôn, tổ dân phố nơi niêm yết danh sách.")
    purpose = models.CharField("nội dung hỗ trợ", max_length=300)
    amount = models.BigIntegerField("số tiền phân bổ (đồng)")
    decision_number = models.CharField("số quyết định", max_length=60)
    decision_date = models.DateField("ngày quyết định")
    decision_issuer = models.CharField("cơ quan quyết định", max_length=200, blank=True)
    is_published = models.BooleanField("công khai", default=True)
    created_by = models.ForeignKey("accounts.User", verbose_name="người lập", on_delete=models.PROTECT,
                                   related_name="+")
    cancelled_at = models.DateTimeField("hủy lúc", null=True, blank=True,
                                        help_text="Một phân bổ chưa chi đồng nào có thể hủy; hàng vẫn được giữ.")
    cancel_reason = models.CharField("lý do hủy", max_length=300, blank=True)

    class Meta:
        ordering = ["drive", "-decision_date", "recipient_name"]
        verbose_name = "phân bổ"
        verbose_name_plural = "phân bổ"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_allocation_amount_positive"),
            models.CheckConstraint(condition=Q(cancelled_at__isnull=True) | ~Q(cancel_reason=""),
                                   name="funds_allocation_cancel_has_reason"),
        ]

    @property
    def is_cancelled(self) -> bool:
        """A cancelled allocation counts for nothing: not in the drive's allocated total, not on public lists."""
        return self.cancelled_at is not None

    def __str__(self) -> str:
        return f"{self.recipient_name} — {self.decision_number}"


class PaymentMethod(models.TextChoices):
    BANK = "bank", "Chuyển khoản"
    CASH = "cash", "Tiền mặt"


class Payment(TimeStampedModel):
    """Money actually paid against an allocation; a bank payment is matched to the statement's debit row."""

    allocation = models.ForeignKey(Allocation, verbose_name="phân bổ", on_delete=models.PROTECT,
                                   related_name="payments")
    amount = models.BigIntegerField("số tiền chi (đồng)")
    paid_on = models.DateField("ngày chi")
    method = models.CharField("hình thức", max_length=8, choices=PaymentMethod.choices)
    entry = models.ForeignKey(LedgerEntry, verbose_name="dòng sao kê (ghi nợ)", on_delete=models.PROTECT,
                              related_name="payments", null=True, blank=True)
    reference = models.CharField("chứng từ", max_length=120, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    created_by = models.ForeignKey("accounts.User", verbose_name="người ghi", on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["allocation", "paid_on", "pk"]
        verbose_name = "khoản chi"
        verbose_name_plural = "khoản chi"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"Chi {self.amount} cho {self.allocation}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang nhập"
    DONE = "done", "Đã nhập xong"
    REFUSED = "refused", "Bị từ chối"
    FAILED = "failed", "Lỗi hệ thống"


class StatementImportJob(TimeStampedModel):
    """A statement import started from the staff pages and run by the background worker, with its progress.

    The uploaded files stay under ``VAR_DIR/private/statement-imports/<id>/`` (outside MEDIA_ROOT, never served)
    until the job ends. ``report`` holds the import report (rows read, added, already present, breaks, totals by
    day) or the row-level errors of a refused import, as JSON. See decision 0012 for the worker.
    """

    account = models.ForeignKey(ReceivingAccount, verbose_name="tài khoản", on_delete=models.PROTECT,
                                related_name="import_jobs", null=True, blank=True)
    unit = models.ForeignKey("organisations.AdminUnit", verbose_name="đơn vị quản lý", on_delete=models.PROTECT,
                             related_name="+", null=True, blank=True,
                             help_text="Đơn vị của tài khoản; với tài khoản mới, đơn vị sẽ quản lý nó.")
    account_number = models.CharField("số tài khoản", max_length=19)
    bank = models.CharField("ngân hàng (tài khoản mới)", max_length=120, blank=True)
    holder = models.CharField("chủ tài khoản (tài khoản mới)", max_length=200, blank=True)
    fmt = models.CharField("định dạng", max_length=40, default="auto")
    mapping_json = models.TextField("mapping JSON", blank=True)
    files = models.JSONField("tệp", default=list)
    status = models.CharField("trạng thái", max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    phase = models.CharField("bước", max_length=120, blank=True)
    rows_total = models.PositiveIntegerField("tổng số dòng", default=0)
    rows_done = models.PositiveIntegerField("số dòng đã xử lý", default=0)
    message = models.TextField("thông báo", blank=True)
    report = models.JSONField("báo cáo", default=dict, blank=True)
    created_by = models.ForeignKey("accounts.User", verbose_name="người nhập", on_delete=models.PROTECT,
                                   related_name="+")
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    started_at = models.DateTimeField("bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "lượt nhập sao kê"
        verbose_name_plural = "lượt nhập sao kê"

    def __str__(self) -> str:
        return f"Nhập sao kê {self.account_number} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0
