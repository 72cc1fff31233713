"""drive_money: the one definition of a drive's received / allocated / paid / balance (decision 0013)."""

from __future__ import annotations

import datetime as dt

import pytest

from mattran.accounts.tests.factories import UserFactory
from mattran.funds.disbursement_selectors import drive_money, drive_received
from mattran.funds.models import AccountKind, CashReceipt, DriveAccount, LedgerEntry
from mattran.funds.services import LedgerRow, ledger_append, ledger_correct
from mattran.funds.tests.disbursement_factories import (
    allocation_in,
    book,
    drive_account,
    drive_in,
    payment_in,
)
from mattran.funds.tests.factories import ReceivingAccountFactory
from mattran.organisations.tests.factories import AdminUnitFactory

pytestmark = pytest.mark.django_db

D = dt.date


def test_received_counts_credits_in_the_drive_period_only() -> None:
    drive = drive_in(AdminUnitFactory(), starts_on=D(2024, 9, 10), ends_on=D(2024, 9, 30))
    account = drive_account(drive)
    book(account, (D(2024, 9, 9), 100_000), (D(2024, 9, 10), 200_000), (D(2024, 9, 30), 300_000),
         (D(2024, 10, 1), 400_000), (D(2024, 9, 15), -50_000))
    assert drive_received(drive) == 500_000


def test_open_drive_counts_up_to_today() -> None:
    drive = drive_in(AdminUnitFactory(), starts_on=D(2024, 9, 1), ends_on=None)
    book(drive_account(drive), (D(2024, 9, 5), 100_000), (D(2024, 9, 20), 50_000))
    assert drive_received(drive, today=D(2024, 9, 10)) == 100_000
    assert drive_received(drive, today=D(2024, 9, 30)) == 150_000


def test_a_corrected_credit_no_longer_counts_and_a_corrected_correction_counts_again() -> None:
    drive = drive_in(AdminUnitFactory())
    entries = book(drive_account(drive), (D(2024, 9, 5), 100_000), (D(2024, 9, 6), 70_000))
    correction = ledger_correct(actor=None, entry=entries[0], reason="Ghi trùng", booked_on=D(2025, 1, 10))
    assert drive_received(drive) == 70_000
    ledger_correct(actor=None, entry=correction, reason="Điều chỉnh nhầm", booked_on=D(2025, 1, 11))
    assert drive_received(drive) == 170_000


def test_correcting_a_debit_does_not_change_received() -> None:
    drive = drive_in(AdminUnitFactory())
    entries = book(drive_account(drive), (D(2024, 9, 5), 100_000), (D(2024, 9, 6), -30_000))
    ledger_correct(actor=None, entry=entries[1], reason="Chi nhầm", booked_on=D(2024, 9, 7))
    assert drive_received(drive) == 100_000


def test_cash_receipts_of_the_drive_count_and_those_of_another_drive_do_not() -> None:
    unit = AdminUnitFactory()
    user = UserFactory()
    drive = drive_in(unit)
    other = drive_in(unit)
    cash = ReceivingAccountFactory(unit=unit, kind=AccountKind.CASH, bank_bin="", number="TM-1")
    DriveAccount.objects.create(drive=drive, account=cash)  # the cash book may also be attached
    for number, (target, amount) in enumerate([(drive, 500_000), (other, 800_000)], start=1):
        ledger_append(actor=None, account=cash, rows=[LedgerRow(
            booked_on=D(2024, 9, 20), amount=amount, memo_raw="Nộp tiền mặt", donor_name="Bà Lê Thị C",
            source="cash", source_ref=f"BL-{number}")])
        entry = LedgerEntry.objects.get(account=cash, source_ref=f"BL-{number}")
        CashReceipt.objects.create(unit=unit, year=2024, number=number, drive=target, payer_name="Bà Lê Thị C",
                                   amount=amount, received_on=D(2024, 9, 20), received_by=user, entry=entry)
    assert drive_received(drive) == 500_000
    assert drive_received(other) == 800_000


def test_drive_money_figures_and_unpacking() -> None:
    user = UserFactory()
    drive = drive_in(AdminUnitFactory())
    book(drive_account(drive), (D(2024, 9, 5), 3_000_000))
    first = allocation_in(drive, amount=1_000_000, created_by=user)
    allocation_in(drive, amount=500_000, created_by=user)
    allocation_in(drive, amount=700_000, created_by=user, cancelled_at=dt.datetime(2024, 10, 2, tzinfo=dt.UTC),
                  cancel_reason="Quyết định bị thu hồi")
    payment_in(first, amount=400_000, created_by=user)
    money = drive_money(drive)
    received, allocated, paid, balance = money
    assert (received, allocated, paid, balance) == (3_000_000, 1_500_000, 400_000, 2_600_000)
    assert money.unallocated == 1_500_000
    assert money.unpaid == 1_100_000


def test_a_transfer_on_an_account_two_running_drives_share_counts_for_one_of_them() -> None:
    """A committee's year-round account takes a relief appeal too (decision 0014): during the overlap a transfer
    naming a drive's code goes to that drive, one naming neither to the newer appeal, so nothing counts twice."""
    unit = AdminUnitFactory()
    yearly = drive_in(unit, starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31))
    relief = drive_in(unit, starts_on=D(2024, 9, 10), ends_on=D(2024, 10, 31), accounts=0)
    account = drive_account(yearly)
    DriveAccount.objects.create(drive=relief, account=account)
    # The yearly code is inside the relief code, as a committee may well choose them.
    type(yearly).objects.filter(pk=yearly.pk).update(memo_code="VNN")
    type(relief).objects.filter(pk=relief.pk).update(memo_code="VNN BAOLU")
    yearly.refresh_from_db()
    relief.refresh_from_db()
    book(account,
         (D(2024, 8, 1), 100_000),  # before the appeal: the yearly drive's
         (D(2024, 9, 15), 200_000),  # no code, during the appeal: the newer drive's
         (D(2024, 11, 5), 1_600_000))  # after the appeal: the yearly drive's
    ledger_append(actor=None, account=account, rows=[
        LedgerRow(booked_on=D(2024, 9, 16), amount=400_000, memo_raw="VNN ung ho nguoi ngheo", source_ref="y"),
        LedgerRow(booked_on=D(2024, 9, 17), amount=800_000, memo_raw="VNNBAOLU Nguyen Van A", source_ref="r"),
    ])
    assert drive_received(yearly) == 2_100_000
    assert drive_received(relief) == 1_000_000
    # Each credit once: the two drives' figures add up to what the account received.
    assert drive_received(yearly) + drive_received(relief) == 3_100_000
