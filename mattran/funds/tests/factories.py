from __future__ import annotations

import datetime as dt

import factory

from mattran.funds.models import Drive, DriveAccount, Fund, FundKind, Pledge, ReceivingAccount
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
