"""The public ledger search: diacritics both ways, prefixes, filters, scope, anonymity, hostile input."""

from __future__ import annotations

import datetime as dt

import pytest

from mattran.funds.models import LedgerEntry
from mattran.funds.search import LedgerQuery, ledger_search, ledger_search_iter, parse_amount
from mattran.funds.services import LedgerRow, ledger_append
from mattran.funds.tests.factories import ReceivingAccountFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 9, 10)


def _append(account, rows):
    ledger_append(actor=None, account=account, rows=[
        LedgerRow(booked_on=r.get("day", DAY), amount=r.get("amount", 100_000), memo_raw=r.get("memo", ""),
                  donor_name=r.get("donor", ""), source_ref=f"r{i}-{account.pk}",
                  is_anonymous=r.get("anonymous", False))
        for i, r in enumerate(rows)
    ])


def _memos(page) -> list[str]:
    return [e.memo_raw for e in page.entries]


def test_diacritics_are_ignored_both_ways() -> None:
    account = ReceivingAccountFactory()
    _append(account, [{"memo": "NGUYEN VAN DUC ung ho"}, {"memo": "Nguyễn Văn Đức ủng hộ"}, {"memo": "TRAN B"}])
    for text in ("Nguyễn Văn Đức", "nguyen van duc", "NGUYEN VAN ĐUC", "nguyen van d"):
        page = ledger_search(LedgerQuery(text=text, account_ids=(account.pk,)))
        assert sorted(_memos(page)) == ["NGUYEN VAN DUC ung ho", "Nguyễn Văn Đức ủng hộ"], text
        assert page.count == 2
    assert list(ledger_search_iter(LedgerQuery(text="duc", account_ids=(account.pk,))))
    assert parse_amount("500.000") == 500_000
    assert LedgerEntry.objects.count() == 3
