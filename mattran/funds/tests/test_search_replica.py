"""PostgreSQL: the FTS5 search replica of the ledger (decision 0018) follows the ledger — new entries, anonymity
requests, and a transaction it saw that was rolled back — and the import brings it up to date on commit."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from django.db import connection, transaction

from mattran.accounts.tests.factories import UserFactory
from mattran.funds import search_replica
from mattran.funds.models import AnonymityRequest, LedgerEntry, ReceivingAccount
from mattran.funds.search import LedgerQuery, ledger_search, ledger_search_iter
from mattran.funds.services import LedgerRow, ledger_append
from mattran.funds.tests.factories import ReceivingAccountFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the replica serves PostgreSQL deployments"),
]

DAY = dt.date(2024, 9, 10)


def _rows(*memos: str, first_ref: int = 0) -> list[LedgerRow]:
    return [LedgerRow(booked_on=DAY, amount=100_000 * (i + 1), memo_raw=memo, donor_name="",
                      source_ref=f"r{first_ref + i}") for i, memo in enumerate(memos)]


def _found(account: ReceivingAccount, text: str) -> list[str]:
    return [e.memo_raw for e in ledger_search(LedgerQuery(text=text, account_ids=(account.pk,))).entries]


def _replica_rows(account: ReceivingAccount) -> int:
    db = search_replica.synced()
    return db.execute("SELECT count(*) FROM funds_ledgerentry WHERE account_id = ?", [account.pk]).fetchone()[0]


def test_the_replica_follows_new_entries_and_anonymity_requests() -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=_rows("NGUYEN VAN DUC ung ho", "TRAN THI HONG ung ho"))
    assert _found(account, "ung ho") == ["TRAN THI HONG ung ho", "NGUYEN VAN DUC ung ho"]

    ledger_append(actor=None, account=account, rows=_rows("LE VAN AN ung ho", first_ref=2))
    assert _found(account, "ung ho") == ["LE VAN AN ung ho", "TRAN THI HONG ung ho", "NGUYEN VAN DUC ung ho"]
    assert _replica_rows(account) == 3  # caught up by appending, not by copying the account again

    entry = LedgerEntry.objects.get(account=account, memo_raw="TRAN THI HONG ung ho")
    AnonymityRequest.objects.create(entry=entry, recorded_by=UserFactory(), note="người gửi xin ẩn danh")
    assert _found(account, "tran thi hong") == []
    assert _found(account, "ung ho") == ["LE VAN AN ung ho", "NGUYEN VAN DUC ung ho"]
    # A listing without text (PostgreSQL itself, not the replica) still shows the entry, its name hidden.
    assert ledger_search(LedgerQuery(account_ids=(account.pk,))).count == 3


def test_entries_the_replica_saw_and_that_were_rolled_back_are_not_found() -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=_rows("NGUYEN VAN DUC ung ho"))

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        ledger_append(actor=None, account=account, rows=_rows("PHANTOM DONOR ung ho", first_ref=1))
        assert _found(account, "phantom") == ["PHANTOM DONOR ung ho"]  # the replica copied the row
        raise Undo
    # The same sequence number now holds another entry: the replica's head is no longer in the ledger.
    ledger_append(actor=None, account=account, rows=_rows("REAL DONOR ung ho", first_ref=1))
    assert _found(account, "phantom") == []
    assert _found(account, "ung ho") == ["REAL DONOR ung ho", "NGUYEN VAN DUC ung ho"]
    assert _replica_rows(account) == 2


def test_an_append_brings_the_replica_up_to_date_when_it_commits(django_capture_on_commit_callbacks) -> None:
    account = ReceivingAccountFactory()
    db = search_replica.synced()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ledger_append(actor=None, account=account, rows=_rows("NGUYEN VAN DUC ung ho", "LE VAN AN ung ho"))
    assert callbacks  # the sync waits for the commit
    heads, _ = search_replica._replica_state(db)
    assert heads[account.pk][0] == 2
    assert search_replica._replica_state(db) == search_replica._ledger_state()


def test_a_replica_of_an_older_layout_or_a_deleted_one_is_built_again(settings) -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=_rows("NGUYEN VAN DUC ung ho"))
    path = search_replica.replica_path()
    search_replica.forget_connections()
    path.parent.mkdir(parents=True, exist_ok=True)
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE IF NOT EXISTS stale (x)")
    old.execute("PRAGMA user_version = 999")
    old.commit()
    old.close()
    assert _found(account, "nguyen van duc") == ["NGUYEN VAN DUC ung ho"]

    search_replica.forget_connections()
    path.unlink()
    assert _found(account, "nguyen van duc") == ["NGUYEN VAN DUC ung ho"]


def test_without_a_usable_replica_appends_stand_and_searches_answer_from_a_plain_scan(settings, tmp_path,
                                                                                        caplog) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.LEDGER_SEARCH_REPLICA_DIR = blocker / "search"  # cannot be created
    search_replica.forget_connections()
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=_rows("NGUYEN VAN DUC ung ho", "TRAN THI HONG ung ho"))
    search_replica.sync_quietly()
    assert "could not bring it up to date" in caplog.text
    assert LedgerEntry.objects.filter(account=account).count() == 2

    assert _found(account, "ung ho") == ["TRAN THI HONG ung ho", "NGUYEN VAN DUC ung ho"]
    assert "answering from a plain scan" in caplog.text
    query = LedgerQuery(text="nguyen van d", account_ids=(account.pk,))
    assert [e.memo_raw for e in ledger_search_iter(query)] == ["NGUYEN VAN DUC ung ho"]
