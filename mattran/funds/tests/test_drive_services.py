"""Writes on funds, drives, pledges, accounts, cash receipts, anonymity requests and corrections."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.audit.models import AuditEvent
from mattran.funds import drive_services as ds
from mattran.funds.models import (
    AccountKind,
    AnonymityRequest,
    CashReceipt,
    Drive,
    DriveAccount,
    EntrySource,
    LedgerEntry,
    Pledge,
    ReceivingAccount,
)
from mattran.funds.services import ledger_append, verify_ledger
from mattran.funds.tests.factories import (
    DriveFactory,
    FundFactory,
    PledgeFactory,
    ReceivingAccountFactory,
    statement_rows,
)
from mattran.organisations.tests.factories import build_tree

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 9, 15)


@pytest.fixture
def world() -> dict:
    tree = build_tree()
    return {**tree,
            "district_cadre": user_with_role(Role.STANDING, tree["district"]),
            "ward_cadre": user_with_role(Role.CADRE, tree["bach_mai"]),
            "other_cadre": user_with_role(Role.CADRE, tree["vinh_tuy"]),
            "viewer": user_with_role(Role.VIEWER, tree["district"])}


def _drive(world: dict, **kwargs: object) -> Drive:
    fund = FundFactory(unit=world["district"])
    values: dict = {"fund": fund, "unit": world["district"], "title": "Vì biển, đảo Việt Nam năm 2025",
                    "starts_on": dt.date(2024, 9, 1), "ends_on": dt.date(2024, 12, 31), "memo_code": "biendao2025"}
    values.update(kwargs)
    return ds.drive_create(actor=world["district_cadre"], **values)


# --- drives --------------------------------------------------------------------------------------------------


def test_a_drive_gets_a_folded_slug_an_upper_case_code_its_accounts_and_an_audit_event(world: dict) -> None:
    account = ReceivingAccountFactory(unit=world["district"])
    drive = _drive(world, accounts=[account], memo_code="  Biển đảo   2025 ")
    assert drive.slug == "vi-bien-dao-viet-nam-nam-2025"
    assert drive.memo_code == "BIEN DAO 2025"
    assert list(drive.accounts.all()) == [account]
    event = AuditEvent.objects.get(action="funds.drive_create")
    assert event.target_id == str(drive.pk) and event.changes["accounts"] == [account.number]


def test_the_same_title_twice_gets_a_second_slug(world: dict) -> None:
    first = _drive(world)
    second = _drive(world, memo_code="BIENDAO2025 B")
    assert (first.slug, second.slug) == ("vi-bien-dao-viet-nam-nam-2025", "vi-bien-dao-viet-nam-nam-2025-2")


@pytest.mark.parametrize("code", ["ab", "UNG-HO!", "X" * 21, "   ", "中文字"])
def test_a_bad_memo_code_is_refused_and_nothing_is_saved(world: dict, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        _drive(world, memo_code=code)
    assert "memo_code" in info.value.message_dict
    assert not Drive.objects.exists() and not AuditEvent.objects.filter(action="funds.drive_create").exists()


def test_a_memo_code_used_by_another_drive_is_refused(world: dict) -> None:
    _drive(world)
    with pytest.raises(ValidationError, match="đã dùng"):
        _drive(world, memo_code="BIENDAO2025", title="Đợt khác")


def test_a_drive_cannot_take_an_account_of_a_unit_outside_the_actors_scope(world: dict) -> None:
    foreign = ReceivingAccountFactory(unit=world["other_commune"])
    with pytest.raises(ValidationError) as info:
        _drive(world, accounts=[foreign])
    assert "accounts" in info.value.message_dict and not Drive.objects.exists()


def test_a_drive_period_must_be_ordered_and_the_target_positive(world: dict) -> None:
    with pytest.raises(ValidationError) as info:
        _drive(world, ends_on=dt.date(2024, 8, 1), target_amount=0)
    assert {"ends_on", "target_amount"} <= set(info.value.message_dict)


def test_a_ward_cadre_cannot_launch_a_drive_for_the_district(world: dict) -> None:
    with pytest.raises(PermissionDenied):
        ds.drive_create(actor=world["ward_cadre"], fund=FundFactory(unit=world["district"]), unit=world["district"],
                        title="X", starts_on=DAY, memo_code="XYZ123")


def test_a_viewer_cannot_create_a_fund(world: dict) -> None:
    with pytest.raises(PermissionDenied):
        ds.fund_create(actor=world["viewer"], unit=world["district"], name="Quỹ")


def test_updating_a_drive_records_what_changed_and_keeps_the_slug(world: dict) -> None:
    drive = _drive(world)
    updated = ds.drive_update(actor=world["district_cadre"], drive=drive, fund=drive.fund, title="Tên mới",
                              starts_on=drive.starts_on, ends_on=drive.ends_on, memo_code=drive.memo_code,
                              target_amount=500_000_000)
    assert updated.slug == drive.slug and updated.title == "Tên mới"
    event = AuditEvent.objects.get(action="funds.drive_update")
    assert event.changes["title"] == ["Vì biển, đảo Việt Nam năm 2025", "Tên mới"]
    assert event.changes["target_amount"] == [None, 500_000_000]


# --- pledges -------------------------------------------------------------------------------------------------


def test_a_pledge_gets_the_drive_code_and_the_unit_name_by_default(world: dict) -> None:
    drive = _drive(world)
    pledge = ds.pledge_set(actor=world["district_cadre"], drive=drive, unit=world["bach_mai"], amount=50_000_000)
    assert pledge.memo_code == "BIENDAO2025 BACHMAI"
    changed = ds.pledge_set(actor=world["district_cadre"], drive=drive, unit=world["bach_mai"], amount=60_000_000,
                            memo_code="bien dao bach mai", pledge=pledge)
    assert (changed.pk, changed.amount, changed.memo_code) == (pledge.pk, 60_000_000, "BIEN DAO BACH MAI")
    assert AuditEvent.objects.filter(action__in=["funds.pledge_add", "funds.pledge_update"]).count() == 2


def test_a_pledge_unit_must_be_under_the_drive_unit_and_only_once(world: dict) -> None:
    drive = _drive(world)
    with pytest.raises(ValidationError) as info:
        ds.pledge_set(actor=world["district_cadre"], drive=drive, unit=world["other_commune"])
    assert "unit" in info.value.message_dict
    ds.pledge_set(actor=world["district_cadre"], drive=drive, unit=world["bach_mai"])
    with pytest.raises(ValidationError, match="đã có"):
        ds.pledge_set(actor=world["district_cadre"], drive=drive, unit=world["bach_mai"], memo_code="OTHER CODE")
    assert Pledge.objects.count() == 1


def test_a_ward_cadre_cannot_add_pledges_to_the_district_drive(world: dict) -> None:
    drive = _drive(world)
    with pytest.raises(PermissionDenied):
        ds.pledge_set(actor=world["ward_cadre"], drive=drive, unit=world["bach_mai"])


def test_a_pledge_with_receipts_cannot_be_removed(world: dict) -> None:
    drive = _drive(world)
    pledge = ds.pledge_set(actor=world["district_cadre"], drive=drive, unit=world["bach_mai"])
    ds.cash_receipt_issue(actor=world["ward_cadre"], drive=drive, pledge=pledge, payer_name="Lê Thị Hoa",
                          amount=200_000, received_on=DAY)
    with pytest.raises(ValidationError, match="biên lai"):
        ds.pledge_remove(actor=world["district_cadre"], pledge=pledge)
    assert Pledge.objects.filter(pk=pledge.pk).exists()
    empty = ds.pledge_set(actor=world["district_cadre"], drive=drive, unit=world["vinh_tuy"])
    ds.pledge_remove(actor=world["district_cadre"], pledge=empty)
    assert not Pledge.objects.filter(pk=empty.pk).exists()


# --- accounts ------------------------------------------------------------------------------------------------


def test_an_account_takes_its_bin_from_the_bank_and_refuses_non_digits_and_duplicates(world: dict) -> None:
    account = ds.account_register(actor=world["district_cadre"], unit=world["district"], bank_name="BIDV",
                                  number="1234 5678 90", holder_name="Ủy ban MTTQ quận")
    assert (account.bank_bin, account.number, account.kind) == ("970418", "1234567890", AccountKind.BANK)
    with pytest.raises(ValidationError) as info:
        ds.account_register(actor=world["district_cadre"], unit=world["district"], bank_name="BIDV",
                            number="1234567890", holder_name="X")
    assert "đã được đăng ký" in info.value.message_dict["number"][0]
    with pytest.raises(ValidationError) as info:
        ds.account_register(actor=world["district_cadre"], unit=world["district"], bank_name="Ngân hàng lạ",
                            number="12ab", holder_name="")
    assert {"bank_name", "number", "holder_name"} <= set(info.value.message_dict)
    assert ReceivingAccount.objects.count() == 1


def test_an_account_number_is_fixed_once_the_ledger_has_entries(world: dict) -> None:
    account = ReceivingAccountFactory(unit=world["district"])
    ledger_append(actor=None, account=account, rows=statement_rows(1))
    with pytest.raises(ValidationError, match="không đổi được"):
        ds.account_update(actor=world["district_cadre"], account=account, unit=world["district"],
                          bank_name="Vietcombank", number="999", holder_name="X", statement_published=True)
    changed = ds.account_update(actor=world["district_cadre"], account=account, unit=world["bach_mai"],
                                bank_name="Vietcombank", number=account.number, holder_name="Chủ mới",
                                statement_published=False)
    assert (changed.unit, changed.holder_name, changed.statement_published) == (world["bach_mai"], "Chủ mới", False)


def test_an_account_cannot_be_registered_for_a_unit_outside_scope(world: dict) -> None:
    with pytest.raises(PermissionDenied):
        ds.account_register(actor=world["ward_cadre"], unit=world["vinh_tuy"], bank_name="MB", number="1",
                            holder_name="X")


# --- cash receipts -------------------------------------------------------------------------------------------


def test_receipts_are_numbered_per_unit_and_year_and_join_the_cash_book(world: dict) -> None:
    drive = _drive(world, ends_on=dt.date(2025, 3, 1))
    issue = ds.cash_receipt_issue
    first = issue(actor=world["district_cadre"], drive=drive, payer_name="Nguyễn Văn Đức",
                  payer_address="Số 5 Bạch Mai", amount=1_250_000, received_on=DAY, note="Ủng hộ biển đảo")
    second = issue(actor=world["district_cadre"], drive=drive, payer_name="Trần Thị B", amount=500_000,
                   received_on=DAY)
    next_year = issue(actor=world["district_cadre"], drive=drive, payer_name="C", amount=1,
                      received_on=dt.date(2025, 1, 2))
    assert [(r.year, r.number) for r in (first, second, next_year)] == [(2024, 1), (2024, 2), (2025, 1)]
    book = ReceivingAccount.objects.get(kind=AccountKind.CASH)
    assert (book.unit, book.number, book.bank_bin) == (world["district"], f"TM-{world['district'].pk}", "")
    entry = first.entry
    assert (entry.account, entry.amount, entry.source, entry.source_ref) == (
        book, 1_250_000, EntrySource.CASH, "bien-lai/2024/1")
    assert entry.donor_name == "Nguyễn Văn Đức" and entry.memo_raw.startswith("Biên lai số 1/2024 — ")
    assert verify_ledger(book).ok
    assert AuditEvent.objects.filter(action="funds.cash_receipt_issue").count() == 3


def test_a_receipt_under_a_pledge_is_issued_by_the_collecting_unit(world: dict) -> None:
    drive = _drive(world)
    pledge = ds.pledge_set(actor=world["district_cadre"], drive=drive, unit=world["bach_mai"])
    district_receipt = ds.cash_receipt_issue(actor=world["district_cadre"], drive=drive, payer_name="A",
                                             amount=100_000, received_on=DAY)
    ward_receipt = ds.cash_receipt_issue(actor=world["ward_cadre"], drive=drive, pledge=pledge, payer_name="B",
                                         amount=100_000, received_on=DAY)
    assert (district_receipt.unit, district_receipt.number) == (world["district"], 1)
    assert (ward_receipt.unit, ward_receipt.number) == (world["bach_mai"], 1)
    assert ward_receipt.entry.account.number == f"TM-{world['bach_mai'].pk}"
    with pytest.raises(PermissionDenied):  # the ward may not issue in the district's own name
        ds.cash_receipt_issue(actor=world["ward_cadre"], drive=drive, payer_name="C", amount=1, received_on=DAY)
    with pytest.raises(PermissionDenied):  # nor may another ward under Bạch Mai's pledge
        ds.cash_receipt_issue(actor=world["other_cadre"], drive=drive, pledge=pledge, payer_name="C", amount=1,
                              received_on=DAY)


@pytest.mark.parametrize(("amount", "payer", "day", "field"), [
    (0, "A", DAY, "amount"), (-5, "A", DAY, "amount"), (10**13, "A", DAY, "amount"),
    (100, "   ", DAY, "payer_name"), (100, "A", dt.date(2023, 1, 1), "received_on"),
])
def test_a_bad_receipt_is_refused_and_leaves_no_trace(world: dict, amount: int, payer: str, day: dt.date,
                                                      field: str) -> None:
    drive = _drive(world)
    with pytest.raises(ValidationError) as info:
        ds.cash_receipt_issue(actor=world["district_cadre"], drive=drive, payer_name=payer, amount=amount,
                              received_on=day)
    assert field in info.value.message_dict
    assert not CashReceipt.objects.exists() and not LedgerEntry.objects.exists()


def test_the_database_refuses_a_second_receipt_with_the_same_number(world: dict) -> None:
    drive = _drive(world)
    receipt = ds.cash_receipt_issue(actor=world["district_cadre"], drive=drive, payer_name="A", amount=1,
                                    received_on=DAY)
    other = ds.cash_receipt_issue(actor=world["district_cadre"], drive=drive, payer_name="B", amount=2,
                                  received_on=DAY)
    duplicate = CashReceipt(unit=receipt.unit, year=receipt.year, number=receipt.number, drive=drive,
                            payer_name="C", amount=3, received_on=DAY, received_by=world["district_cadre"],
                            entry=other.entry)
    with pytest.raises(IntegrityError), transaction.atomic():
        CashReceipt.objects.bulk_create([duplicate])


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need a server database")
@pytest.mark.django_db(transaction=True)
def test_two_cadres_issuing_at_the_same_moment_get_different_numbers() -> None:
    tree = build_tree()
    cadre = user_with_role(Role.STANDING, tree["district"])
    drive = DriveFactory(unit=tree["district"], starts_on=dt.date(2024, 1, 1), ends_on=None)
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def issue(n: int) -> None:
        try:
            barrier.wait()
            ds.cash_receipt_issue(actor=cadre, drive=drive, payer_name=f"Người {n}", amount=1000 + n,
                                  received_on=DAY)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(CashReceipt.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert verify_ledger().ok


# --- anonymity and corrections -------------------------------------------------------------------------------


def test_an_anonymity_request_is_recorded_once_and_the_entry_is_untouched(world: dict) -> None:
    account = ReceivingAccountFactory(unit=world["bach_mai"])
    ledger_append(actor=None, account=account, rows=statement_rows(2))
    entry = LedgerEntry.objects.filter(account=account).first()
    before = entry.entry_hash
    ds.anonymity_request_record(actor=world["ward_cadre"], entry=entry, note="Gọi điện ngày 20/9")
    with pytest.raises(ValidationError, match="trước đó"):
        ds.anonymity_request_record(actor=world["ward_cadre"], entry=entry)
    with pytest.raises(PermissionDenied):
        ds.anonymity_request_record(actor=world["other_cadre"], entry=LedgerEntry.objects.last())
    assert AnonymityRequest.objects.get().entry == entry
    entry.refresh_from_db()
    assert entry.entry_hash == before and verify_ledger(account).ok
    assert AuditEvent.objects.filter(action="funds.anonymity_request").count() == 1


def test_a_correction_needs_a_reason_reverses_once_and_cancels_the_receipt(world: dict) -> None:
    drive = _drive(world)
    receipt = ds.cash_receipt_issue(actor=world["district_cadre"], drive=drive, payer_name="A", amount=300_000,
                                    received_on=DAY)
    with pytest.raises(ValidationError) as info:
        ds.entry_correct(actor=world["district_cadre"], entry=receipt.entry, reason="   ")
    assert "reason" in info.value.message_dict
    correction = ds.entry_correct(actor=world["district_cadre"], entry=receipt.entry, reason="Ghi nhầm số tiền")
    assert (correction.amount, correction.reverses, correction.reason) == (-300_000, receipt.entry,
                                                                          "Ghi nhầm số tiền")
    with pytest.raises(ValidationError, match="đã được điều chỉnh"):
        ds.entry_correct(actor=world["district_cadre"], entry=receipt.entry, reason="Lần nữa")
    with pytest.raises(ValidationError, match="bút toán điều chỉnh"):
        ds.entry_correct(actor=world["district_cadre"], entry=correction, reason="Đảo lại")
    assert verify_ledger().ok
    from mattran.funds.staff_selectors import drive_totals

    assert drive_totals(drive).cash == 0


def test_a_cadre_of_another_ward_cannot_correct_an_entry(world: dict) -> None:
    account = ReceivingAccountFactory(unit=world["bach_mai"])
    ledger_append(actor=None, account=account, rows=statement_rows(1))
    with pytest.raises(PermissionDenied):
        ds.entry_correct(actor=world["other_cadre"], entry=LedgerEntry.objects.get(), reason="X")
    assert LedgerEntry.objects.count() == 1


# --- totals --------------------------------------------------------------------------------------------------


def test_drive_totals_count_period_credits_pledge_codes_and_valid_cash(world: dict) -> None:
    from mattran.funds.services import LedgerRow
    from mattran.funds.staff_selectors import drive_totals, pledge_rows

    account = ReceivingAccountFactory(unit=world["district"])
    drive = _drive(world, accounts=[account], target_amount=10_000_000)
    pledge = ds.pledge_set(actor=world["district_cadre"], drive=drive, unit=world["bach_mai"], amount=2_000_000)
    ledger_append(actor=None, account=account, rows=[
        LedgerRow(booked_on=DAY, amount=1_000_000, memo_raw="BIENDAO2025 BACHMAI Nguyen Van A", source_ref="a"),
        LedgerRow(booked_on=DAY, amount=400_000, memo_raw="biendao2025bachmai", source_ref="b"),
        LedgerRow(booked_on=DAY, amount=2_000_000, memo_raw="ung ho", source_ref="c"),
        LedgerRow(booked_on=DAY, amount=-500_000, memo_raw="chi ho tro", source_ref="d"),
        LedgerRow(booked_on=dt.date(2024, 8, 1), amount=9_000_000, memo_raw="truoc dot", source_ref="e"),
    ])
    ds.cash_receipt_issue(actor=world["ward_cadre"], drive=drive, pledge=pledge, payer_name="B", amount=100_000,
                          received_on=DAY)
    ds.entry_correct(actor=world["district_cadre"], entry=LedgerEntry.objects.get(source_ref="c"),
                     reason="Chuyển nhầm, đã hoàn trả", booked_on=DAY)
    totals = drive_totals(drive)
    assert (totals.bank, totals.cash, totals.received, totals.percent) == (1_400_000, 100_000, 1_500_000, 15)
    (row,) = pledge_rows(drive, drive.pledges.all())
    assert (row.bank, row.cash, row.collected, row.percent) == (1_400_000, 100_000, 1_500_000, 75)


def _two_pledges_and_transfers(world: dict, codes: tuple[str, str],
                               transfers: list[tuple[int, str]]) -> tuple[Drive, Pledge, Pledge]:
    """A drive on one account with pledges of Bạch Mai and Vĩnh Tuy under ``codes``, and ``transfers`` (amount,
    memo) booked on that account: the drive and the two pledges."""
    from mattran.funds.services import LedgerRow

    account = ReceivingAccountFactory(unit=world["district"])
    drive = _drive(world, accounts=[account])
    pledges = [ds.pledge_set(actor=world["district_cadre"], drive=drive, unit=world[unit], memo_code=code)
               for unit, code in zip(("bach_mai", "vinh_tuy"), codes, strict=True)]
    ledger_append(actor=None, account=account, rows=[
        LedgerRow(booked_on=DAY, amount=amount, memo_raw=memo, source_ref=f"t{n}")
        for n, (amount, memo) in enumerate(transfers)])
    return drive, pledges[0], pledges[1]


def test_a_transfer_carrying_a_longer_code_counts_for_that_pledge_only(world: dict) -> None:
    """Numbered wards give codes that contain one another ("…PHUONG1" is in "…PHUONG10"): each transfer counts
    for one unit, so the units' figures never add up to more than the drive received."""
    from mattran.funds.staff_selectors import drive_totals, pledge_rows

    drive, one, ten = _two_pledges_and_transfers(world, ("BIENDAO2025 PHUONG1", "BIENDAO2025 PHUONG10"), [
        (100_000, "BIENDAO2025 PHUONG1 Nguyen Van A"), (200_000, "BIENDAO2025 PHUONG10 Tran Thi B"),
        (400_000, "biendao2025phuong10 le van c"), (800_000, "BIENDAO2025PHUONG1 Pham D"),
    ])
    by_unit = {row.pledge.pk: row.bank for row in pledge_rows(drive, drive.pledges.all())}
    assert by_unit == {one.pk: 900_000, ten.pk: 600_000}
    assert sum(by_unit.values()) == drive_totals(drive).bank == 1_500_000
    # Only one of the two listed (a filtered page): the other code still takes its transfers.
    (row,) = pledge_rows(drive, drive.pledges.filter(pk=one.pk))
    assert row.bank == 900_000


def test_a_transfer_naming_two_units_codes_counts_for_neither(world: dict) -> None:
    """A donor who types two collecting units' codes leaves it unclear which unit raised the money: the transfer
    stays in the drive's total and counts for no unit, never for both."""
    from mattran.funds.staff_selectors import drive_totals, pledge_rows

    drive, one, three = _two_pledges_and_transfers(world, ("BIENDAO2025 PHUONG1", "BIENDAO2025 PHUONG3"), [
        (100_000, "BIENDAO2025 PHUONG1 Nguyen Van A"), (300_000, "BIENDAO2025PHUONG3 Tran Thi B"),
        (5_000_000, "BIENDAO2025 PHUONG1 BIENDAO2025 PHUONG3 Le C"),
    ])
    by_unit = {row.pledge.pk: row.bank for row in pledge_rows(drive, drive.pledges.all())}
    assert by_unit == {one.pk: 100_000, three.pk: 300_000}
    assert drive_totals(drive).bank == 5_400_000


def test_a_pledge_factory_makes_a_pledge_below_its_drive_unit() -> None:
    pledge = PledgeFactory()
    assert pledge.unit.parent == pledge.drive.unit and pledge.drive.fund.unit == pledge.drive.unit


def test_editing_keeps_an_attached_account_that_another_unit_manages(world: dict) -> None:
    province_account = ReceivingAccountFactory(unit=world["hanoi"])
    drive = DriveFactory(unit=world["district"], fund=FundFactory(unit=world["district"]))
    DriveAccount.objects.create(drive=drive, account=province_account)
    updated = ds.drive_update(actor=world["district_cadre"], drive=drive, fund=drive.fund, title=drive.title,
                              starts_on=drive.starts_on, ends_on=drive.ends_on, memo_code=drive.memo_code,
                              accounts=[province_account])
    assert list(updated.accounts.all()) == [province_account]
    other = ReceivingAccountFactory(unit=world["hanoi"])
    with pytest.raises(ValidationError):  # but cannot add another one of the province's accounts
        ds.drive_update(actor=world["district_cadre"], drive=drive, fund=drive.fund, title=drive.title,
                        starts_on=drive.starts_on, memo_code=drive.memo_code, accounts=[province_account, other])


def test_a_receipt_and_an_anonymity_request_need_a_person(world: dict) -> None:
    drive = _drive(world)
    with pytest.raises(ValidationError, match="người thu tiền"):
        ds.cash_receipt_issue(actor=None, drive=drive, payer_name="A", amount=1, received_on=DAY)
    account = ReceivingAccountFactory(unit=world["district"])
    ledger_append(actor=None, account=account, rows=statement_rows(1))
    with pytest.raises(ValidationError, match="người tiếp nhận"):
        ds.anonymity_request_record(actor=None, entry=LedgerEntry.objects.get(account=account))
    assert not CashReceipt.objects.exists() and not AnonymityRequest.objects.exists()
