"""The ledger services: append, skip what is present, correct, checkpoint, verify; the append-only guards."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import UserFactory, user_with_role
from mattran.audit.models import AuditEvent
from mattran.funds import chain
from mattran.funds.models import DayCheckpoint, EntrySource, LedgerEntry
from mattran.funds.services import (
    LedgerError,
    LedgerRow,
    checkpoint_day,
    checkpoint_proof,
    ledger_append,
    ledger_correct,
    verify_ledger,
)
from mattran.funds.tests.factories import ReceivingAccountFactory, statement_rows, tamper
from mattran.organisations.tests.factories import AdminUnitFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 9, 10)


def test_append_numbers_entries_from_one_and_the_chain_verifies() -> None:
    account = ReceivingAccountFactory()
    result = ledger_append(actor=None, account=account, rows=statement_rows(12))
    assert (result.read, result.added, result.already_present) == (12, 12, 0)
    entries = list(LedgerEntry.objects.filter(account=account))
    assert [e.sequence for e in entries] == list(range(1, 13))
    assert entries[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
    assert entries[0].entry_hash == chain.entry_hash(entries[0].hash_fields())
    assert entries[0].donor_folded == "nguyen van duc 0"
    assert verify_ledger(account).ok


def test_append_accepts_plain_dicts_and_continues_the_chain() -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=statement_rows(3))
    ledger_append(actor=None, account=account, rows=[
        {"booked_on": DAY, "amount": -50_000, "memo_raw": "Chi hỗ trợ", "source": EntrySource.STATEMENT,
         "source_ref": "out-1"},
        {"booked_on": DAY, "amount": 200_000, "memo_raw": "Tiền mặt", "donor_name": "Trần Thị Bình",
         "source": EntrySource.CASH, "source_ref": "BL-0001", "is_anonymous": True},
    ])
    assert list(LedgerEntry.objects.filter(account=account).values_list("sequence", flat=True)) == [1, 2, 3, 4, 5]
    assert verify_ledger().ok


def test_reappending_the_same_rows_adds_nothing_and_overlap_adds_only_new_rows() -> None:
    account = ReceivingAccountFactory()
    rows = statement_rows(10)
    ledger_append(actor=None, account=account, rows=rows)
    again = ledger_append(actor=None, account=account, rows=rows)
    assert (again.added, again.already_present) == (0, 10)
    overlap = ledger_append(actor=None, account=account, rows=rows[5:] + statement_rows(3, prefix="new"))
    assert (overlap.added, overlap.already_present) == (3, 5)
    assert LedgerEntry.objects.filter(account=account).count() == 13
    assert verify_ledger(account).ok


def test_duplicate_refs_inside_one_call_are_added_once() -> None:
    account = ReceivingAccountFactory()
    rows = statement_rows(2)
    result = ledger_append(actor=None, account=account, rows=rows + rows)
    assert (result.added, result.already_present) == (2, 2)


def test_same_ref_on_another_account_is_a_different_row() -> None:
    a, b = ReceivingAccountFactory(), ReceivingAccountFactory()
    ledger_append(actor=None, account=a, rows=statement_rows(2))
    assert ledger_append(actor=None, account=b, rows=statement_rows(2)).added == 2


def test_one_audit_event_per_call_with_counts() -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=statement_rows(7))
    events = AuditEvent.objects.filter(action="funds.ledger_append")
    assert events.count() == 1
    assert events.get().changes["added"] == 7


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"booked_on": DAY, "amount": 0}, "khác 0"),
        ({"booked_on": DAY, "amount": 1.5}, "số nguyên"),
        ({"booked_on": DAY, "amount": True}, "số nguyên"),
        ({"booked_on": "2024-09-10", "amount": 1}, "ngày giao dịch"),
        ({"amount": 1}, "thiếu"),
        ({"booked_on": DAY, "amount": 1, "source": EntrySource.CORRECTION}, "ledger_correct"),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_written(row: dict, message: str) -> None:
    account = ReceivingAccountFactory()
    with pytest.raises(LedgerError, match=message):
        ledger_append(actor=None, account=account, rows=[*statement_rows(2), row])
    assert not LedgerEntry.objects.exists()


def test_append_needs_the_funds_permission() -> None:
    account = ReceivingAccountFactory()
    with pytest.raises(PermissionDenied):
        ledger_append(actor=UserFactory(), account=account, rows=statement_rows(1))
    cadre = user_with_role(Role.CADRE, AdminUnitFactory())
    assert ledger_append(actor=cadre, account=account, rows=statement_rows(1)).added == 1


def test_correction_appends_a_reversing_entry_with_its_reason() -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=statement_rows(3))
    wrong = LedgerEntry.objects.get(account=account, sequence=2)
    fix = ledger_correct(actor=None, entry=wrong, reason="Ghi trùng giao dịch", booked_on=DAY)
    assert (fix.sequence, fix.amount, fix.reverses, fix.source) == (4, -wrong.amount, wrong, EntrySource.CORRECTION)
    assert fix.reason == "Ghi trùng giao dịch"
    assert LedgerEntry.objects.get(pk=wrong.pk).amount == wrong.amount  # the original stays
    assert verify_ledger(account).ok
    with pytest.raises(LedgerError, match="đã được điều chỉnh"):
        ledger_correct(actor=None, entry=wrong, reason="lần nữa")
    with pytest.raises(LedgerError, match="lý do"):
        ledger_correct(actor=None, entry=LedgerEntry.objects.get(account=account, sequence=1), reason="  ")


def test_model_and_queryset_refuse_updates_and_deletes() -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=statement_rows(6))
    checkpoint_day(account=account, day=DAY)
    entry = LedgerEntry.objects.first()
    assert entry is not None
    entry.amount = 1
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(PermissionError):
        LedgerEntry.objects.all().delete()
    checkpoint = DayCheckpoint.objects.get()
    with pytest.raises(PermissionError):
        checkpoint.save()
    with pytest.raises(PermissionError):
        DayCheckpoint.objects.all().update(entry_count=0)
    with pytest.raises(PermissionError):
        checkpoint.delete()


def test_database_constraints_are_the_last_guard() -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=statement_rows(1))
    base = dict(account=account, booked_on=DAY, source=EntrySource.STATEMENT, prev_hash=chain.GENESIS)
    for values in (
        dict(sequence=1, amount=5, source_ref="other", entry_hash="a" * 64),       # duplicate sequence
        dict(sequence=2, amount=5, source_ref="ref-0", entry_hash="b" * 64),       # duplicate source_ref
        dict(sequence=3, amount=0, source_ref="zero", entry_hash="c" * 64),        # zero amount
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            LedgerEntry.objects.create(**base, **values)


def test_checkpoint_is_idempotent_and_proofs_verify_for_every_entry_of_the_day() -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=statement_rows(7, per_day=7))
    first = checkpoint_day(account=account, day=DAY)
    assert first.created and first.mismatch is None
    cp = first.checkpoint
    assert (cp.entry_count, cp.last_sequence) == (7, 7)
    assert cp.credit_total == sum(LedgerEntry.objects.values_list("amount", flat=True)) and cp.debit_total == 0
    assert cp.chain_hash == LedgerEntry.objects.get(sequence=7).entry_hash
    assert cp.checkpoint_hash == chain.checkpoint_hash(cp.hash_fields())
    again = checkpoint_day(account=account, day=DAY)
    assert not again.created and again.mismatch is None and again.checkpoint.pk == cp.pk
    for entry in LedgerEntry.objects.filter(account=account):
        checkpoint, proof = checkpoint_proof(entry)
        assert checkpoint == cp
        assert chain.verify_proof(entry.entry_hash, proof, cp.merkle_root)
    assert verify_ledger(account).ok


def test_a_late_row_or_correction_for_a_checkpointed_day_is_refused() -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=statement_rows(3, per_day=3))
    cp = checkpoint_day(account=account, day=DAY).checkpoint
    with pytest.raises(LedgerError, match=r"đã chốt sổ ngày 10/09/2024"):
        ledger_append(actor=None, account=account, rows=[LedgerRow(booked_on=DAY, amount=1_000, source_ref="late")])
    first = LedgerEntry.objects.get(account=account, sequence=1)
    with pytest.raises(LedgerError, match="đã chốt sổ"):
        ledger_correct(actor=None, entry=first, reason="Ghi nhầm", booked_on=DAY)
    assert LedgerEntry.objects.filter(account=account).count() == 3
    # A row already in the ledger is still only skipped, and the next day is open.
    again = ledger_append(actor=None, account=account, rows=[
        *statement_rows(1), LedgerRow(booked_on=DAY + dt.timedelta(days=1), amount=1_000, source_ref="next")])
    assert (again.added, again.already_present) == (1, 1)
    result = checkpoint_day(account=account, day=DAY)
    assert not result.created and result.mismatch is None and result.checkpoint == cp
    assert verify_ledger(account).ok


def test_checkpoint_of_an_empty_day_is_refused() -> None:
    with pytest.raises(LedgerError, match="không có bút toán"):
        checkpoint_day(account=ReceivingAccountFactory(), day=DAY)


def test_a_row_altered_in_the_database_is_named() -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=statement_rows(20))
    target = LedgerEntry.objects.get(account=account, sequence=9)
    tamper("UPDATE funds_ledgerentry SET amount = amount * 10 WHERE id = %s", [target.pk])
    result = verify_ledger()
    assert not result.ok and result.first_bad_entry == target
    assert "số 9" in result.message


def test_a_row_altered_with_its_hash_recomputed_is_still_caught_by_the_next_link() -> None:
    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=statement_rows(5))
    target = LedgerEntry.objects.select_related("account").get(account=account, sequence=3)
    fields = target.hash_fields() | {"memo_raw": "sửa"}
    tamper("UPDATE funds_ledgerentry SET memo_raw = %s, entry_hash = %s WHERE id = %s",
                ["sửa", chain.entry_hash(fields), target.pk])
    result = verify_ledger(account)
    assert not result.ok and result.first_bad_entry == target


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_trigger_refuses_raw_update_and_delete() -> None:
    from django.db import DatabaseError

    account = ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=statement_rows(2))
    checkpoint_day(account=account, day=DAY)
    for sql in ("UPDATE funds_ledgerentry SET amount = 1", "DELETE FROM funds_ledgerentry",
                "UPDATE funds_daycheckpoint SET entry_count = 0", "DELETE FROM funds_daycheckpoint"):
        with pytest.raises(DatabaseError, match="chỉ được ghi thêm"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_documented_offline_receipt_check_works_with_only_hashlib_and_json() -> None:
    """Decision 0008, "Checking a receipt offline", step by step, without the project's code."""
    import hashlib
    import json

    account = ReceivingAccountFactory(number="0011001932418")
    ledger_append(actor=None, account=account, rows=statement_rows(5, per_day=5))
    checkpoint = checkpoint_day(account=account, day=DAY).checkpoint
    entry = LedgerEntry.objects.select_related("account").get(sequence=4)
    _, proof = checkpoint_proof(entry)

    fields = {
        "account": "970436/0011001932418", "sequence": 4, "booked_on": "2024-09-10", "amount": entry.amount,
        "memo_raw": entry.memo_raw, "donor_name": entry.donor_name, "is_anonymous": False, "source": "statement",
        "source_ref": "ref-3", "reverses": None, "reason": "", "prev_hash": entry.prev_hash,
    }
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    node = hashlib.sha256((entry.prev_hash + text).encode()).hexdigest()
    assert node == entry.entry_hash
    for side, sibling in proof:
        pair = sibling + node if side == "L" else node + sibling
        node = hashlib.sha256(pair.encode()).hexdigest()
    assert node == checkpoint.merkle_root


def test_the_ledger_keeps_one_index_per_lookup_and_none_on_the_account_alone() -> None:
    """Each index costs every import's write (decision 0009): the account is looked up through the unique
    (account, sequence) index, so there is no index on ``account_id`` alone; the entry hash has its unique index
    only; the others are each used."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, LedgerEntry._meta.db_table)
    indexed = {tuple(c["columns"]) for c in constraints.values() if c["index"] or c["unique"]}
    assert ("account_id",) not in indexed
    # One index on the entry hash (the unique one), not PostgreSQL's second pattern-matching copy (migration 0010).
    assert [name for name, c in constraints.items() if c["columns"] == ["entry_hash"]
            and (c["index"] or c["unique"])] == [name for name, c in constraints.items()
                                                 if c["columns"] == ["entry_hash"] and c["unique"]]
    # No word index in the ledger table on PostgreSQL: its search index is the replica of decision 0018.
    assert not any("search_words" in c["columns"] for c in constraints.values())
    assert {("account_id", "sequence"), ("account_id", "booked_on"), ("account_id", "source_ref"),
            ("amount", "id"), ("entry_hash",)} <= indexed
