from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from mattran.funds.models import (
    CashReceipt,
    Drive,
    DriveAccount,
    Fund,
    FundKind,
    LedgerEntry,
    Pledge,
    ReceivingAccount,
)
from mattran.funds.services import LedgerRow
from mattran.organisations.tests.factories import AdminUnitFactory


class ReceivingAccountFactory(factory.django.DjangoModelFactory[ReceivingAccount]):
    class Meta:
        model = ReceivingAccount

    bank_name = "Vietcombank"
    bank_bin = "970436"
    number = factory.Sequence(lambda n: f"00110019{n:05d}")
    holder_name = "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"
    statement_published = True


class FundFactory(factory.django.DjangoModelFactory[Fund]):
    class Meta:
        model = Fund

    name = factory.Sequence(lambda n: f"Quỹ Vì người nghèo {n}")
    kind = FundKind.POOR
    unit = factory.SubFactory(AdminUnitFactory)


class DriveFactory(factory.django.DjangoModelFactory[Drive]):
    class Meta:
        model = Drive

    fund = factory.SubFactory(FundFactory, unit=factory.SelfAttribute("..unit"))
    unit = factory.SubFactory(AdminUnitFactory)
    title = factory.Sequence(lambda n: f"Ủng hộ đồng bào bị thiệt hại do bão số {n}")
    slug = factory.Sequence(lambda n: f"ung-ho-bao-{n}")
    memo_code = factory.Sequence(lambda n: f"UNGHO{n:04d}")
    starts_on = dt.date(2024, 9, 1)
    ends_on = dt.date(2024, 12, 31)
    target_amount = 100_000_000


class PledgeFactory(factory.django.DjangoModelFactory[Pledge]):
    class Meta:
        model = Pledge

    drive = factory.SubFactory(DriveFactory)
    unit = factory.LazyAttribute(lambda o: AdminUnitFactory(parent=o.drive.unit))
    memo_code = factory.Sequence(lambda n: f"PLEDGE{n:04d}")
    amount = 10_000_000


def drive_with_account(unit: object, **kwargs: object) -> Drive:
    """A drive of ``unit`` that receives on one bank account of the same unit."""
    drive = DriveFactory(unit=unit, **kwargs)
    DriveAccount.objects.create(drive=drive, account=ReceivingAccountFactory(unit=unit))
    return drive


def statement_rows(n: int, *, start: dt.date = dt.date(2024, 9, 10), per_day: int = 5,
                   prefix: str = "ref") -> list[LedgerRow]:
    """``n`` credit rows, ``per_day`` a day from ``start``, with distinct source refs."""
    return [
        LedgerRow(
            booked_on=start + dt.timedelta(days=i // per_day), amount=10_000 * (i % 7 + 1),
            memo_raw=f"NGUYỄN VĂN ĐỨC {i} ủng hộ đồng bào bão lũ", donor_name=f"Nguyễn Văn Đức {i}",
            source_ref=f"{prefix}-{i}",
        )
        for i in range(n)
    ]


def tamper(sql: str, params: list) -> None:
    """Run raw SQL on the ledger behind the model's back, as an attacker with database access would.

    On PostgreSQL the append-only trigger has to be disabled first (which needs the table owner); deferred
    foreign-key checks of the test's own inserts are flushed so that ALTER TABLE is allowed.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE funds_ledgerentry DISABLE TRIGGER funds_ledgerentry_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE funds_ledgerentry ENABLE TRIGGER funds_ledgerentry_append_only")


# --- objects living in a unit, for view tests and the permission matrix ----------------------------------------

def fund_in(unit: Any, name: str = "Quỹ Vì người nghèo") -> Fund:
    return FundFactory(unit=unit, name=name)


def drive_in(unit: Any, title: str = "Ủng hộ đồng bào bị bão lũ") -> Drive:
    """A public drive of ``unit`` receiving on one Vietcombank account of the same unit."""
    return drive_with_account(unit, title=title)


def pledge_in(unit: Any, note: str = "") -> Pledge:
    """``unit`` collecting for its own drive."""
    return PledgeFactory(drive=drive_in(unit), unit=unit, note=note)


def entry_in(unit: Any, memo: str = "NGUYEN VAN A ung ho") -> LedgerEntry:
    """One statement credit on a bank account managed by ``unit``."""
    from mattran.funds.services import ledger_append

    account = ReceivingAccountFactory(unit=unit)
    ledger_append(actor=None, account=account, rows=[LedgerRow(
        booked_on=dt.date(2024, 9, 15), amount=500_000, memo_raw=memo, donor_name=memo[:200], source_ref="r-1")])
    return LedgerEntry.objects.get(account=account)


def receipt_in(unit: Any, payer_name: str = "Nguyễn Văn A", amount: int = 1_250_000) -> CashReceipt:
    """A cash receipt issued by ``unit`` for its own drive (by a system administrator)."""
    from mattran.accounts.tests.factories import UserFactory
    from mattran.funds.drive_services import cash_receipt_issue

    return cash_receipt_issue(actor=UserFactory(is_superuser=True), drive=drive_in(unit), payer_name=payer_name,
                              payer_address="Số 1 phố Huế", amount=amount, received_on=dt.date(2024, 9, 15))
