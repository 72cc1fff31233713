"""A small, real disclosure: the Vietcombank fixture imported into a published account behind a public drive,
plus an unpublished account, a pledge, a cash receipt and a published allocation with a payment. Used by the
public page, API and selector tests and by the browser test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from mattran.accounts.tests.factories import UserFactory
from mattran.funds.importing import statement_import
from mattran.funds.models import (
    AccountKind,
    Allocation,
    CashReceipt,
    Drive,
    DriveAccount,
    Fund,
    FundKind,
    LedgerEntry,
    Payment,
    PaymentMethod,
    Pledge,
    ReceivingAccount,
    RecipientKind,
)
from mattran.funds.services import LedgerRow, checkpoint_day, ledger_append
from mattran.funds.tests.factories import ReceivingAccountFactory
from mattran.organisations.models import AdminUnit, UnitLevel
from mattran.organisations.tests.factories import AdminUnitFactory

VCB_CUT = Path(__file__).parent / "fixtures" / "vcb_cut.csv"
VCB_NUMBER = "0011001932418"
VCB_HOLDER = "MAT TRAN TO QUOC VN - BAN CUU TRO TW"
DRIVE_SLUG = "ung-ho-dong-bao-bao-lu-yagi"


@dataclass
class Disclosure:
    unit: AdminUnit
    ward: AdminUnit
    drive: Drive
    published: ReceivingAccount
    hidden: ReceivingAccount
    cash: ReceivingAccount
    pledge: Pledge
    allocation: Allocation


def build_disclosure(*, unit: AdminUnit | None = None) -> Disclosure:
    """The Vietcombank cut (36 rows, 01–10/09/2024) in a published account of a public drive; a second,
    unpublished bank account of the drive with two credits; a ward's pledge whose memo code one transfer
    carries; a cash receipt for that pledge; a published allocation in a residential area, half paid."""
    unit = unit or AdminUnitFactory(level=UnitLevel.CENTRAL, type_name="Trung ương", short_name="Trung ương",
                                    name="Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam")
    ward = AdminUnitFactory(short_name="Bạch Mai", parent=unit)
    staff = UserFactory()
    published = ReceivingAccountFactory(number=VCB_NUMBER, holder_name=VCB_HOLDER, unit=unit,
                                        statement_published=True)
    statement_import(actor=None, account_number=VCB_NUMBER, paths=[VCB_CUT])
    hidden = ReceivingAccountFactory(number="1500201113838", bank_name="Agribank", bank_bin="970405", unit=unit,
                                     statement_published=False)
    ledger_append(actor=None, account=hidden, rows=[
        LedgerRow(booked_on=dt.date(2024, 9, 5), amount=2_000_000, memo_raw="TRAN VAN BI MAT ung ho 0912345678",
                  donor_name="Trần Văn Bí Mật", source_ref="hidden-1"),
        LedgerRow(booked_on=dt.date(2024, 9, 6), amount=3_000_000, memo_raw="CONG TY AN ung ho",
                  source_ref="hidden-2"),
    ])
    checkpoint_day(account=hidden, day=dt.date(2024, 9, 5))
    cash = ReceivingAccount.objects.create(kind=AccountKind.CASH, unit=unit, bank_name="Tiền mặt",
                                           number="TM-TW", holder_name=unit.name, statement_published=True)
    fund = Fund.objects.create(name="Quỹ cứu trợ Trung ương", kind=FundKind.RELIEF, unit=unit)
    drive = Drive.objects.create(
        fund=fund, unit=unit, title="Ủng hộ đồng bào bị ảnh hưởng bởi bão số 3 (Yagi)", slug=DRIVE_SLUG,
        memo_code="UNGHOYAGI", starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2024, 9, 30),
        target_amount=10_000_000, appeal_number="1234/MTTW-BTT", is_public=True,
    )
    for account in (published, hidden, cash):
        DriveAccount.objects.create(drive=drive, account=account)
    # "NGUYEN HOAI NAM ung ho" (200.000 ₫ on 03/09) carries the ward's code "NAM UNG HO" once folded.
    pledge = Pledge.objects.create(drive=drive, unit=ward, amount=5_000_000, memo_code="NAM UNG HO")
    receipt_entry = _cash_receipt(cash, drive, pledge, staff)
    checkpoint_day(account=cash, day=receipt_entry.booked_on)
    allocation = Allocation.objects.create(
        drive=drive, recipient_kind=RecipientKind.HOUSEHOLD, recipient_name="Hộ bà Lò Thị Xuân",
        area_unit=ward, residential_area="Tổ dân phố số 5", purpose="Hỗ trợ làm lại nhà sau lũ quét",
        amount=600_000, decision_number="15/QĐ-MTTW", decision_date=dt.date(2024, 9, 20), created_by=staff,
    )
    Payment.objects.create(allocation=allocation, amount=300_000, paid_on=dt.date(2024, 9, 21),
                           method=PaymentMethod.CASH, created_by=staff)
    Allocation.objects.create(
        drive=drive, recipient_kind=RecipientKind.HOUSEHOLD, recipient_name="Hộ ông Chưa Công Bố",
        area_unit=ward, residential_area="Tổ dân phố số 5", purpose="Hỗ trợ", amount=100_000,
        decision_number="16/QĐ-MTTW", decision_date=dt.date(2024, 9, 20), created_by=staff, is_published=False,
    )
    return Disclosure(unit=unit, ward=ward, drive=drive, published=published, hidden=hidden, cash=cash,
                      pledge=pledge, allocation=allocation)


def _cash_receipt(cash: ReceivingAccount, drive: Drive, pledge: Pledge, staff: object) -> LedgerEntry:
    ledger_append(actor=None, account=cash, rows=[LedgerRow(
        booked_on=dt.date(2024, 9, 4), amount=1_000_000, memo_raw="Biên lai số 000001/2024",
        donor_name="Phạm Thị Lan", source="cash", source_ref="bien-lai/2024/1")])
    entry = LedgerEntry.objects.get(account=cash, source_ref="bien-lai/2024/1")
    CashReceipt.objects.create(unit=pledge.unit, year=2024, number=1, drive=drive, pledge=pledge,
                               payer_name="Phạm Thị Lan", amount=1_000_000, received_on=dt.date(2024, 9, 4),
                               received_by=staff, entry=entry)
    return entry


def entry_with(memo_part: str) -> LedgerEntry:
    return LedgerEntry.objects.select_related("account").get(memo_raw__contains=memo_part)
