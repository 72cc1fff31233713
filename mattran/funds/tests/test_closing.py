"""Closing days: a checkpoint per complete day, for bank accounts on request and for cash books on their own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.funds.chain import verify_proof
from mattran.funds.drive_services import cash_receipt_issue
from mattran.funds.models import DayCheckpoint, LedgerEntry
from mattran.funds.services import (
    CASH_BOOK_GRACE_DAYS,
    LedgerError,
    LedgerRow,
    cash_books_close,
    checkpoint_proof,
    ledger_append,
    ledger_close_days,
    verify_ledger,
)
from mattran.funds.tests.factories import ReceivingAccountFactory, drive_in
from mattran.organisations.tests.factories import build_tree

pytestmark = pytest.mark.django_db

D1, D2, D3 = dt.date(2024, 9, 1), dt.date(2024, 9, 2), dt.date(2024, 9, 3)


@pytest.fixture
def tree() -> dict[str, Any]:
    return build_tree()


def _append(account: Any, day: dt.date, ref: str) -> None:
    ledger_append(actor=None, account=account, rows=[LedgerRow(booked_on=day, amount=100_000, memo_raw="ung ho",
                                                               source_ref=ref)])


def test_closing_through_a_day_checkpoints_every_open_day_up_to_it_and_only_those(tree: dict[str, Any]) -> None:
    account = ReceivingAccountFactory(unit=tree["bach_mai"])
    for i, day in enumerate((D1, D1, D2, D3)):
        _append(account, day, f"r{i}")
    closed = ledger_close_days(actor=None, account=account, through=D2)
    assert [(c.day, c.entry_count) for c in closed] == [(D1, 2), (D2, 1)]
    assert ledger_close_days(actor=None, account=account, through=D2) == []  # idempotent
    assert not DayCheckpoint.objects.filter(account=account, day=D3).exists()
    assert verify_ledger(account).ok


def test_a_closed_day_takes_no_more_entries_and_the_ledger_is_unchanged(tree: dict[str, Any]) -> None:
    account = ReceivingAccountFactory(unit=tree["bach_mai"])
    _append(account, D1, "r1")
    ledger_close_days(actor=None, account=account, through=D1)
    with pytest.raises(LedgerError, match="đã chốt sổ ngày 01/09/2024"):
        _append(account, D1, "r2")
    assert LedgerEntry.objects.filter(account=account).count() == 1
    assert verify_ledger(account).ok


def test_only_a_manager_of_the_accounts_unit_may_close_its_days(tree: dict[str, Any]) -> None:
    account = ReceivingAccountFactory(unit=tree["bach_mai"])
    _append(account, D1, "r1")
    with pytest.raises(PermissionDenied):
        ledger_close_days(actor=user_with_role(Role.CADRE, tree["vinh_tuy"]), account=account, through=D1)
    unassigned = ReceivingAccountFactory(unit=None)
    _append(unassigned, D1, "r1")
    with pytest.raises(PermissionDenied):
        ledger_close_days(actor=user_with_role(Role.CADRE, tree["bach_mai"]), account=unassigned, through=D1)
    assert not DayCheckpoint.objects.exists()
    ledger_close_days(actor=user_with_role(Role.CADRE, tree["bach_mai"]), account=account, through=D1)
    assert DayCheckpoint.objects.filter(account=account, day=D1).exists()


def test_cash_books_close_their_days_after_the_grace_period_and_receipts_get_a_proof(tree: dict[str, Any]) -> None:
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    drive = drive_in(tree["bach_mai"])
    today = dt.date(2024, 9, 20)
    old = cash_receipt_issue(actor=cadre, drive=drive, payer_name="Nguyễn Văn A", amount=200_000,
                             received_on=today - dt.timedelta(days=CASH_BOOK_GRACE_DAYS))
    recent = cash_receipt_issue(actor=cadre, drive=drive, payer_name="Trần Thị B", amount=300_000,
                                received_on=today - dt.timedelta(days=CASH_BOOK_GRACE_DAYS - 1))
    assert cash_books_close(today) == 1
    assert cash_books_close(today) == 0
    checkpoint, proof = checkpoint_proof(old.entry)
    assert checkpoint is not None and checkpoint.day == old.received_on
    assert verify_proof(old.entry.entry_hash, proof, checkpoint.merkle_root)
    assert checkpoint_proof(recent.entry)[0] is None  # still open: a late receipt for that day is accepted
    late = cash_receipt_issue(actor=cadre, drive=drive, payer_name="Lê Văn C", amount=100_000,
                              received_on=recent.received_on)
    assert late.number == 3
    assert verify_ledger().ok


def test_a_receipts_number_in_its_memo_is_not_masked_as_an_account_number(tree: dict[str, Any]) -> None:
    receipt = cash_receipt_issue(actor=user_with_role(Role.CADRE, tree["bach_mai"]), drive=drive_in(tree["bach_mai"]),
                                 payer_name="Nguyễn Văn A", amount=200_000, received_on=D1)
    assert receipt.entry.memo_public.startswith("Biên lai số 1/2024 — ")
    assert "*" not in receipt.entry.memo_public


def test_the_command_closes_cash_books_or_one_account_through_a_date(tree: dict[str, Any], capsys: Any) -> None:
    account = ReceivingAccountFactory(unit=tree["bach_mai"], number="0011001932418")
    _append(account, D1, "r1")
    _append(account, D2, "r2")
    call_command("close_ledger_days", "--account", "0011001932418", "--through", "01/09/2024")
    assert "đã chốt 1 ngày đến hết 01/09/2024" in capsys.readouterr().out
    assert list(DayCheckpoint.objects.values_list("day", flat=True)) == [D1]
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("close_ledger_days", "--account", "0011001932418", "--through", "31/02/2024")
    with pytest.raises(CommandError, match="Cần cả --account và --through"):
        call_command("close_ledger_days", "--account", "0011001932418")
    call_command("close_ledger_days")
    assert "sổ tiền mặt" in capsys.readouterr().out


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_raw_changes_to_receipts_and_anonymity_requests(tree: dict[str, Any]) -> None:
    from django.db import DatabaseError, transaction

    from mattran.funds.drive_services import anonymity_request_record

    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    receipt = cash_receipt_issue(actor=cadre, drive=drive_in(tree["bach_mai"]), payer_name="Nguyễn Văn A",
                                 amount=200_000, received_on=D1)
    anonymity_request_record(actor=cadre, entry=receipt.entry, note="gọi điện")
    for sql in ("UPDATE funds_cashreceipt SET amount = 1", "DELETE FROM funds_cashreceipt",
                "UPDATE funds_anonymityrequest SET note = ''", "DELETE FROM funds_anonymityrequest"):
        with pytest.raises(DatabaseError, match="chỉ được ghi thêm"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql)
