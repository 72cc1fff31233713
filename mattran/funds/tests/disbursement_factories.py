"""Makers for drives with money in them, allocations and payments (disbursement tests and the matrix test)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from mattran.funds.models import (
    AccountKind,
    Allocation,
    Drive,
    DriveAccount,
    EntrySource,
    Fund,
    LedgerEntry,
    Payment,
    PaymentMethod,
    ReceivingAccount,
    RecipientKind,
)
from mattran.funds.services import LedgerRow, ledger_append
from mattran.funds.tests.factories import ReceivingAccountFactory
from mattran.organisations.models import AdminUnit

_serial = itertools.count(1)


def drive_in(unit: AdminUnit, *, title: str | None = None, starts_on: dt.date = dt.date(2024, 9, 1),
             ends_on: dt.date | None = dt.date(2024, 12, 31), accounts: int = 1, **kwargs: Any) -> Drive:
    """A drive of ``unit`` with ``accounts`` new bank accounts of the unit attached."""
    n = next(_serial)
    fund = Fund.objects.create(name=f"Quỹ cứu trợ {unit.short_name}", unit=unit)
    drive = Drive.objects.create(
        fund=fund, unit=unit, title=title or f"Ủng hộ đồng bào bão lũ {unit.short_name}",
        slug=f"dot-{n}", memo_code=f"BAOLU{n}", starts_on=starts_on, ends_on=ends_on, **kwargs,
    )
    for _ in range(accounts):
        DriveAccount.objects.create(drive=drive, account=ReceivingAccountFactory(unit=unit))
    return drive


def drive_account(drive: Drive) -> ReceivingAccount:
    return drive.accounts.filter(kind=AccountKind.BANK).order_by("pk").first()  # type: ignore[return-value]


def book(account: ReceivingAccount, *rows: tuple[dt.date, int] | tuple[dt.date, int, str]) -> list[LedgerEntry]:
    """Append statement rows ``(booked_on, amount[, memo])`` to ``account``; returns the new entries."""
    before = LedgerEntry.objects.filter(account=account).count()
    ledger_rows = []
    for row in rows:
        n = next(_serial)
        memo = row[2] if len(row) > 2 else (  # type: ignore[misc]
            f"NGUYEN VAN A {n} ung ho" if row[1] > 0 else f"CHI HO TRO {n}")
        ledger_rows.append(LedgerRow(booked_on=row[0], amount=row[1], memo_raw=memo,
                                     donor_name=f"Nguyễn Văn A {n}" if row[1] > 0 else "",
                                     source=EntrySource.STATEMENT, source_ref=f"row-{n}"))
    ledger_append(actor=None, account=account, rows=ledger_rows)
    return list(LedgerEntry.objects.filter(account=account).order_by("sequence")[before:])


def allocation_in(drive: Drive, *, amount: int = 1_000_000, created_by: Any, **kwargs: Any) -> Allocation:
    """An allocation written directly (no invariant checks): for read-side tests and the matrix test."""
    defaults: dict[str, Any] = {
        "recipient_kind": RecipientKind.HOUSEHOLD, "recipient_name": "Hộ ông Trần Văn Bình",
        "residential_area": "Tổ dân phố 3", "purpose": "Hỗ trợ sửa nhà sau bão",
        "decision_number": "12/QĐ-MTTQ", "decision_date": dt.date(2024, 10, 1),
        "decision_issuer": "Ban Thường trực Ủy ban MTTQ",
    }
    defaults.update(kwargs)
    return Allocation.objects.create(drive=drive, amount=amount, created_by=created_by, **defaults)


def payment_in(allocation: Allocation, *, amount: int | None = None, created_by: Any, **kwargs: Any) -> Payment:
    defaults: dict[str, Any] = {"paid_on": dt.date(2024, 10, 5), "method": PaymentMethod.CASH}
    defaults.update(kwargs)
    return Payment.objects.create(allocation=allocation, amount=amount or allocation.amount,
                                  created_by=created_by, **defaults)
