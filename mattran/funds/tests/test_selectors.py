"""Public reads of the ledger: what the public may see, the figures, the receipts and their proofs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.utils import timezone

from mattran.accounts.tests.factories import UserFactory
from mattran.funds import chain, selectors
from mattran.funds.disbursement_selectors import drive_money
from mattran.funds.models import AnonymityRequest, DayCheckpoint, Drive, LedgerEntry, Payment, PaymentMethod
from mattran.funds.services import LedgerRow, ledger_append, ledger_correct
from mattran.funds.tests.factories import ReceivingAccountFactory
from mattran.funds.tests.transparency_data import Disclosure, build_disclosure, entry_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def data() -> Disclosure:
    cache.clear()
    return build_disclosure()


def test_only_published_accounts_are_searched(data: Disclosure) -> None:
    orphan = ReceivingAccountFactory(statement_published=True)
    assert set(selectors.published_account_ids()) == {data.published.pk, data.cash.pk, orphan.pk}


def test_an_unpublished_account_has_a_page_only_when_a_public_drive_uses_it(data: Disclosure) -> None:
    lonely = ReceivingAccountFactory(statement_published=False)
    visible = set(selectors.public_accounts().values_list("pk", flat=True))
    assert data.hidden.pk in visible
    assert lonely.pk not in visible
    with pytest.raises(Http404):
        selectors.public_account_get(bank_bin=lonely.bank_bin, number=lonely.number)
    assert selectors.public_account_get(bank_bin="tien-mat", number="TM-TW") == data.cash
    Drive.objects.filter(pk=data.drive.pk).update(is_public=False)
    assert not selectors.public_accounts().filter(pk=data.hidden.pk).exists()


def test_a_drive_that_is_not_public_is_not_found(data: Disclosure) -> None:
    Drive.objects.filter(pk=data.drive.pk).update(is_public=False)
    with pytest.raises(Http404):
        selectors.public_drive_get(slug=data.drive.slug)
    assert not selectors.public_drives().exists()


def test_public_entries_show_the_masked_memo_and_their_day_checkpoint(data: Disclosure) -> None:
    entry = LedgerEntry.objects.select_related("account").filter(memo_raw__contains="1018144916").first()
    assert entry is not None
    (row,) = selectors.present_entries([entry])
    assert "1018144916" not in row.memo
    assert "*******916" in row.memo
    assert row.checkpoint_hash == DayCheckpoint.objects.get(account=entry.account, day=entry.booked_on).checkpoint_hash
    assert "1018144916" not in str(row.as_json())


def test_anonymous_entries_hide_the_name_and_the_memo(data: Disclosure) -> None:
    entry = entry_with("LE THI MY HANH")
    AnonymityRequest.objects.create(entry=entry, recorded_by=UserFactory())
    ledger_append(actor=None, account=data.published, rows=[LedgerRow(
        booked_on=dt.date(2024, 9, 11), amount=50_000, memo_raw="TRAN THI KIN DAO ung ho", donor_name="Trần Thị Kín",
        source_ref="anon-1", is_anonymous=True)])
    other = entry_with("TRAN THI KIN DAO")
    rows = selectors.present_entries([entry, other])
    assert [r.donor for r in rows] == [selectors.ANONYMOUS_DONOR] * 2
    assert [r.memo for r in rows] == ["", ""]
    assert all(r.anonymous and "HANH" not in str(r.as_json()) and "Kín" not in str(r.as_json()) for r in rows)


def test_a_correction_shows_its_reason(data: Disclosure) -> None:
    entry = entry_with("LE THI MY HANH")
    correction = ledger_correct(actor=None, entry=entry, reason="Ghi trùng khi nhập tay")
    (row,) = selectors.present_entries([LedgerEntry.objects.select_related("account").get(pk=correction.pk)])
    assert row.memo.endswith("— Ghi trùng khi nhập tay")


def test_account_totals_net_out_corrections(data: Disclosure) -> None:
    before = selectors.account_totals(data.published)
    assert before.entry_count == 36
    assert before.paid_out == 55_000  # the SMS fee on 07/09
    entry = entry_with("LE THI MY HANH")
    ledger_correct(actor=None, entry=entry, reason="Khoản chuyển nhầm, đã hoàn trả", booked_on=dt.date(2024, 9, 12))
    after = selectors.account_totals(data.published)  # the data version moved: recomputed, not cached
    assert after.received == before.received - 20_000
    assert after.paid_out == before.paid_out
    assert after.balance == before.balance - 20_000
    assert (after.first_day, after.last_day) == (dt.date(2024, 9, 1), dt.date(2024, 9, 12))


def test_drive_figures_are_drive_money_and_follow_new_payments(data: Disclosure) -> None:
    money = selectors.drive_money_map([data.drive])[data.drive.pk]
    assert money == drive_money(data.drive)
    assert (money.allocated, money.paid) == (700_000, 300_000)
    Payment.objects.create(allocation=data.allocation, amount=300_000, paid_on=dt.date(2024, 9, 25),
                           method=PaymentMethod.CASH, created_by=UserFactory())
    assert selectors.drive_money_map([data.drive])[data.drive.pk].paid == 600_000


def test_the_data_version_moves_with_every_write(data: Disclosure) -> None:
    first = selectors.data_version()
    assert selectors.data_version() == first
    ledger_append(actor=None, account=data.published, rows=[LedgerRow(
        booked_on=dt.date(2024, 9, 11), amount=1_000, memo_raw="X", source_ref="v-1")])
    second = selectors.data_version()
    assert second != first
    Drive.objects.filter(pk=data.drive.pk).update(title="Đổi tên", updated_at=timezone.now())
    assert selectors.data_version() != second


def test_drive_days_count_the_credits_of_every_drive_account(data: Disclosure) -> None:
    days = dict(selectors.drive_days(data.drive))
    assert days[dt.date(2024, 9, 5)] == 3_000 + 2_000_000  # Vietcombank + the unpublished Agribank account
    assert days[dt.date(2024, 9, 4)] == 20_000 + 80_000 + 10_000 + 1_000_000  # three transfers + cash receipt
    assert sum(days.values()) == drive_money(data.drive).received


def test_a_pledge_collects_its_memo_code_transfers_and_its_cash(data: Disclosure) -> None:
    (row,) = selectors.pledge_rows(data.drive)
    assert (row.by_transfer, row.in_cash, row.collected) == (200_000, 1_000_000, 1_200_000)
    entry = entry_with("NGUYEN HOAI NAM ung ho")
    ledger_correct(actor=None, entry=entry, reason="Chuyển nhầm")
    (row,) = selectors.pledge_rows(data.drive)
    assert row.by_transfer == 0


def test_recipients_are_the_published_allocations_grouped_by_area(data: Disclosure) -> None:
    (group,) = selectors.recipient_groups(data.drive)
    assert group.ward == data.ward
    assert group.residential_area == "Tổ dân phố số 5"
    assert [a.recipient_name for a in group.allocations] == ["Hộ bà Lò Thị Xuân"]
    assert (group.allocated, group.paid) == (600_000, 300_000)


def test_checkpoints_are_listed_only_for_published_accounts(data: Disclosure) -> None:
    accounts = selectors.drive_accounts(data.drive)
    listed = {c.account_id for c in selectors.checkpoints_for(accounts)}
    assert listed == {data.published.pk, data.cash.pk}
    assert DayCheckpoint.objects.filter(account=data.hidden).exists()


def test_a_receipt_carries_a_proof_that_climbs_to_the_checkpoint(data: Disclosure) -> None:
    entry = entry_with("LE THI MY HANH")
    found = selectors.receipt_get(entry_hash=entry.entry_hash)
    assert found.proof_valid
    assert found.checkpoint is not None
    assert chain.verify_proof(entry.entry_hash, found.proof, found.checkpoint.merkle_root)
    doc = found.as_json()
    assert doc["checkpoint"]["checkpoint_hash"] == found.checkpoint.checkpoint_hash
    assert chain.checkpoint_hash({k: v for k, v in doc["checkpoint"].items()}) == found.checkpoint.checkpoint_hash


def test_a_receipt_whose_checkpoint_was_tampered_with_is_not_valid(data: Disclosure) -> None:
    entry = entry_with("LE THI MY HANH")
    with connection.cursor() as cursor:  # as an attacker with database access would (see factories.tamper)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE funds_daycheckpoint DISABLE TRIGGER funds_daycheckpoint_append_only")
        cursor.execute("UPDATE funds_daycheckpoint SET merkle_root = %s WHERE account_id = %s AND day = %s",
                       ["f" * 64, entry.account_id, entry.booked_on])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE funds_daycheckpoint ENABLE TRIGGER funds_daycheckpoint_append_only")
    assert not selectors.receipt_get(entry_hash=entry.entry_hash).proof_valid


@pytest.mark.parametrize("bad", ["", "abc", "G" * 64, "A" * 64, "0" * 63, "' OR 1=1 --"])
def test_a_malformed_receipt_hash_is_not_found(data: Disclosure, bad: str) -> None:
    with pytest.raises(Http404):
        selectors.receipt_get(entry_hash=bad)


def test_entries_of_an_unpublished_account_have_no_receipt(data: Disclosure) -> None:
    entry = LedgerEntry.objects.filter(account=data.hidden).first()
    assert entry is not None
    with pytest.raises(Http404):
        selectors.receipt_get(entry_hash=entry.entry_hash)
