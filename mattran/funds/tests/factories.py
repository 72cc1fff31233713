from __future__ import annotations

import datetime as dt

import factory

from mattran.funds.models import ReceivingAccount
from mattran.funds.services import LedgerRow


class ReceivingAccountFactory(factory.django.DjangoModelFactory[ReceivingAccount]):
    class Meta:
        model = ReceivingAccount

    bank_name = "Vietcombank"
    bank_bin = "970436"
    number = factory.Sequence(lambda n: f"00110019{n:05d}")
    holder_name = "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"
    statement_published = True


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
