"""Funds in the Django admin (superusers only): read-only.

The ledger, checkpoints, receipts and anonymity requests are append-only, and every other funds record is written
by a service that checks the tree policy and records an audit event (the staff pages at /quan-ly/quy/), so the
admin only lets a superuser look, never add, change or delete.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mattran.funds.models import (
    Allocation,
    AnonymityRequest,
    CashReceipt,
    DayCheckpoint,
    Drive,
    Fund,
    LedgerEntry,
    Payment,
    Pledge,
    ReceivingAccount,
    StatementImportJob,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False  # no COUNT(*) over a ledger of millions of rows on every page
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "unit"]
    list_select_related = ["unit"]
    list_filter = ["kind"]


@admin.register(ReceivingAccount)
class ReceivingAccountAdmin(ReadOnlyAdmin):
    list_display = ["bank_name", "number", "holder_name", "kind", "unit", "statement_published"]
    list_select_related = ["unit"]
    list_filter = ["kind", "bank_name", "statement_published"]
    search_fields = ["number", "holder_name"]


@admin.register(Drive)
class DriveAdmin(ReadOnlyAdmin):
    list_display = ["title", "fund", "unit", "memo_code", "starts_on", "ends_on", "is_public"]
    list_select_related = ["fund", "unit"]
    search_fields = ["title", "memo_code", "slug"]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["drive", "unit", "memo_code", "amount"]
    list_select_related = ["drive", "unit"]
    search_fields = ["memo_code"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["account", "sequence", "booked_on", "amount", "donor_name", "source", "source_ref"]
    list_select_related = ["account"]
    list_filter = ["source"]
    search_fields = ["=source_ref", "=entry_hash"]
    ordering = ["-id"]


@admin.register(DayCheckpoint)
class DayCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["account", "day", "entry_count", "credit_total", "debit_total", "checkpoint_hash"]
    list_select_related = ["account"]


@admin.register(CashReceipt)
class CashReceiptAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "unit", "payer_name", "amount", "received_on", "drive"]
    list_select_related = ["unit", "drive"]
    search_fields = ["payer_name"]


@admin.register(AnonymityRequest)
class AnonymityRequestAdmin(ReadOnlyAdmin):
    list_display = ["entry", "recorded_by", "created_at"]
    list_select_related = ["entry__account", "recorded_by"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["recipient_name", "drive", "amount", "decision_number", "decision_date"]
    list_select_related = ["drive"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["allocation", "amount", "paid_on", "method"]
    list_select_related = ["allocation"]


@admin.register(StatementImportJob)
class StatementImportJobAdmin(ReadOnlyAdmin):
    list_display = ["account_number", "status", "rows_done", "rows_total", "created_by", "created_at"]
    list_select_related = ["created_by"]
    list_filter = ["status"]
