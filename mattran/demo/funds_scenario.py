"""Demo funds: the Central Committee's Yagi relief drive on a sample of its real statement, and the district's
"Vì biển, đảo Việt Nam" drive of 2024 with ward pledges, cash receipts and disbursements.

**The relief drive is real data.** Vietcombank account 0011001932418 is the relief account of the Central
Committee's relief board ("MAT TRAN TO QUOC VN - BAN CUU TRO TW" on the statement), so it is registered to the
central unit of the tree. Its ledger is a 4,026-row sample of the community parse of the statement the Central
Committee published for 1–10/9/2024 (``data/vcb_yagi_sample.csv.gz``, cut by :mod:`mattran.demo.make_funds_sample`),
imported through :func:`mattran.funds.importing.statement_import` like any statement: parsed, reconciled,
hash-chained and checkpointed per day. The drive starts on 1/9/2024, the first day of the published statement, so
its total is the sample's credit sum. The appeal itself was launched by the Central Front Presidium on 10/9/2024.

**The district drive is invented.** The receiving account (Vietcombank :data:`HBT_ACCOUNT`), the plan number, the
statement rows, the donors, the households and the decisions are fictitious demo data written for this project;
phone numbers are 0900 000 xxx (not assigned to subscribers). The statement is generated here in the community
Vietcombank CSV layout, with a running balance that reconciles, and imported through the same service. Memos carry
the pledges' memo codes, with and without diacritics, so the wards' collected amounts come from the transfers.

Everything goes through the funds services; the system (``actor=None``) registers and imports, cadres (the demo
accounts) issue receipts, record the anonymity request, allocate and pay. Running :func:`load` twice changes
nothing: every object is looked up by its natural key first, and a ledger that already holds its statement is
not imported again (a re-import would add no row but would still record an audit event).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from mattran.accounts.models import User
from mattran.funds import disbursements, drive_services
from mattran.funds.importing import statement_import
from mattran.funds.models import (
    Allocation,
    AnonymityRequest,
    CashReceipt,
    Drive,
    EntrySource,
    Fund,
    FundKind,
    LedgerEntry,
    Payment,
    PaymentMethod,
    Pledge,
    ReceivingAccount,
    RecipientKind,
)
from mattran.funds.services import cash_books_close
from mattran.organisations.models import AdminUnit, UnitLevel

DATA = Path(__file__).resolve().parent / "data"
YAGI_SAMPLE = DATA / "vcb_yagi_sample.csv.gz"

# --- the Central Committee's relief drive (real account, real statement sample) ---------------------------------

RELIEF_ACCOUNT = "0011001932418"
RELIEF_HOLDER = "MAT TRAN TO QUOC VN - BAN CUU TRO TW"
RELIEF_MEMO = "UNG HO BAO LU YAGI"
RELIEF_TITLE = "Ủng hộ đồng bào bị thiệt hại do bão số 3 (Yagi)"
RELIEF_STATEMENT_END = dt.date(2024, 9, 10)  # the published statement covers 1–10/9/2024 in full

# --- the district's "Vì biển, đảo Việt Nam" drive (fictitious) ---------------------------------------------------

HBT_ACCOUNT = "0021001502024"  # fictitious
HBT_HOLDER = "Ủy ban MTTQ Việt Nam quận Hai Bà Trưng"
HBT_MEMO = "BIENDAO HBT"
HBT_TITLE = "Vận động ủng hộ Quỹ “Vì biển, đảo Việt Nam” năm 2024"
HBT_STARTS, HBT_ENDS = dt.date(2024, 5, 15), dt.date(2024, 6, 30)
HBT_OPENING_BALANCE = 18_240_500

#: (ward short name, pledged amount)
PLEDGES = [("Bạch Mai", 40_000_000), ("Vĩnh Tuy", 50_000_000), ("Minh Khai", 30_000_000),
           ("Thanh Lương", 30_000_000), ("Đồng Tâm", 20_000_000)]

PROJECT_PAYMENT_MEMO = ("UY BAN MTTQ QUAN HAI BA TRUNG chuyen tien gop xay dung cong trinh phuc vu quan va dan "
                        "huyen dao Truong Sa theo QD 26/QD-MTTQ ngay 17/06/2024")
_CT = "toi 0021001502024 UY BAN MTTQ QUAN HAI BA TRUNG"
#: (day, debit, credit, memo) of the district account's statement, in the bank's order.
HBT_STATEMENT: list[tuple[dt.date, int, int, str]] = [
    (dt.date(2024, 5, 16), 0, 5_000_000, "MBVCB.5812034411.NGUYEN VAN HUNG chuyen tien BIENDAO HBT BACHMAI."
                                         f"CT tu 0011000123401 NGUYEN VAN HUNG {_CT}"),
    (dt.date(2024, 5, 17), 0, 2_000_000, "292976.170524.091544.TRAN THI BINH chuyen tien BIENDAO HBT VINHTUY"),
    (dt.date(2024, 5, 20), 0, 10_000_000, "Công ty TNHH Thương mại Minh Khai ủng hộ Quỹ Vì biển, đảo Việt Nam "
                                          "BIENDAO HBT MINHKHAI"),
    (dt.date(2024, 5, 21), 0, 500_000, "Nguyễn Thị Hoa ủng hộ Quỹ Vì biển đảo BIENDAO HBT BACHMAI"),
    (dt.date(2024, 5, 22), 0, 300_000, "LE VAN DUC ung ho BIENDAO HBT VINHTUY"),
    (dt.date(2024, 5, 23), 0, 1_000_000, "0200970422052312034520243KD7711204.12045. 120345.PHAM THI MAI chuyen "
                                         "tien BIENDAO HBT THANHLUONG"),
    (dt.date(2024, 5, 24), 0, 200_000, "ung ho quy vi bien dao truong sa"),
    (dt.date(2024, 5, 27), 0, 3_000_000, "Hội Cựu chiến binh phường Đồng Tâm ủng hộ BIENDAO HBT DONGTAM"),
    (dt.date(2024, 5, 28), 0, 1_500_000, "MBVCB.5830127745.HOANG MINH TUAN chuyen tien BIENDAO HBT BACHMAI."
                                         f"CT tu 0491000567812 HOANG MINH TUAN {_CT}"),
    (dt.date(2024, 5, 30), 0, 700_000, "VU THI LAN 0900000123 ung ho BIENDAO HBT VINHTUY"),
    (dt.date(2024, 5, 31), 11_000, 0, "THU PHI DICH VU SMS CHU DONG THANG 05/2024"),
    (dt.date(2024, 6, 3), 0, 20_000_000, "TRUONG THCS TRAN PHU ung ho Quy vi bien dao Viet Nam BIENDAO HBT"),
    (dt.date(2024, 6, 5), 0, 4_500_000, "BIENDAO HBT BACHMAI Hoi Lien hiep Phu nu phuong Bach Mai ung ho"),
    (dt.date(2024, 6, 7), 0, 6_000_000, "BIENDAO HBT VINHTUY Cong doan co so phuong Vinh Tuy ung ho"),
    (dt.date(2024, 6, 10), 0, 250_000, "Nguyễn Văn Đức ủng hộ biển đảo Trường Sa"),
    (dt.date(2024, 6, 12), 0, 2_000_000, "DANG THU HUONG chuyen khoan BIENDAO HBT MINHKHAI"),
    (dt.date(2024, 6, 14), 0, 8_000_000, "BIENDAO HBT THANHLUONG tap the can bo cong chuc phuong Thanh Luong"),
    (dt.date(2024, 6, 20), 30_000_000, 0, PROJECT_PAYMENT_MEMO),
    (dt.date(2024, 6, 25), 0, 1_000_000, "BUI QUANG LONG chuyen tien BIENDAO HBT DONGTAM"),
]
#: The donor who later asked to be shown as "Nhà hảo tâm ẩn danh" (a memo of :data:`HBT_STATEMENT`).
ANONYMOUS_MEMO = "Nguyễn Thị Hoa ủng hộ Quỹ Vì biển đảo BIENDAO HBT BACHMAI"


@dataclass(frozen=True)
class Receipt:
    cashier: str  # demo username
    ward: str | None  # the pledge's ward, or None for the district office
    payer: str
    address: str
    amount: int
    day: dt.date
    anonymous: bool = False
    note: str = ""


RECEIPTS = [
    Receipt("canbo.bachmai", "Bạch Mai", "Chi hội Người cao tuổi tổ dân phố số 2", "Tổ dân phố số 2, phường Bạch Mai",
            2_400_000, dt.date(2024, 5, 24), note="Hội viên đóng góp"),
    Receipt("canbo.bachmai", "Bạch Mai", "Trần Văn Sơn", "Tổ dân phố số 3, phường Bạch Mai", 500_000,
            dt.date(2024, 6, 4)),
    Receipt("canbo.vinhtuy", "Vĩnh Tuy", "Lê Thị Thảo", "Phường Vĩnh Tuy", 1_000_000, dt.date(2024, 5, 29),
            anonymous=True, note="Xin không công bố tên"),
    Receipt("thuongtruc.hbt", None, "Cán bộ, công chức cơ quan Ủy ban MTTQ quận", "Quận Hai Bà Trưng", 3_200_000,
            dt.date(2024, 6, 6), note="Một ngày lương"),
]

DECISION_ISSUER = "Ban Thường trực Ủy ban MTTQ Việt Nam quận Hai Bà Trưng"
HOUSEHOLD_DECISION = ("25/QĐ-MTTQ", dt.date(2024, 6, 17))
PROJECT_DECISION = ("26/QĐ-MTTQ", dt.date(2024, 6, 17))
HOUSEHOLD_PURPOSE = "Thăm hỏi, hỗ trợ gia đình quân nhân đang công tác tại quần đảo Trường Sa"
#: (household, residential area in Bạch Mai, amount, paid in cash on — or None: not yet paid)
HOUSEHOLDS = [
    ("Hộ ông Nguyễn Văn Hải", "Tổ dân phố số 1", 2_000_000, dt.date(2024, 6, 21)),
    ("Hộ bà Phạm Thị Lan", "Tổ dân phố số 2", 2_000_000, dt.date(2024, 6, 21)),
    ("Hộ ông Đỗ Minh Khánh", "Tổ dân phố số 3", 2_000_000, None),
]
PROJECT = ("Công trình phục vụ quân và dân huyện đảo Trường Sa",
           "Góp kinh phí xây dựng, chuyển qua Ban Vận động Quỹ “Vì biển, đảo Việt Nam” thành phố Hà Nội", 30_000_000)


def statement_csv(rows: list[tuple[dt.date, int, int, str]], opening_balance: int) -> str:
    """The rows as a community Vietcombank CSV (the built-in ``vcb_community_csv`` layout) with a running balance
    on every row, amounts with "." thousands separators."""
    def amount(value: int) -> str:
        return f"{value:,}".replace(",", ".") if value else ""

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["PageId", "TNXDate", "DocNo", "Debit", "Credit", "Balance", "TransactionDetails"])
    balance = opening_balance
    for number, (day, debit, credit, memo) in enumerate(rows, start=1):
        balance += credit - debit
        writer.writerow([1 + number // 10, f"{day:%d/%m/%Y}", f"5204.{30100 + number * 37}", amount(debit),
                         amount(credit), amount(balance), memo])
    return out.getvalue()


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _ward(district: AdminUnit, short_name: str) -> AdminUnit:
    """A ward of the district as it was in 2024 (before the 2025 reform)."""
    return district.children.get(short_name=short_name)


def _central() -> AdminUnit:
    return AdminUnit.objects.get(level=UnitLevel.CENTRAL, parent__isnull=True)


def _fund(unit: AdminUnit, name: str, kind: str) -> Fund:
    existing = Fund.objects.filter(unit=unit, kind=kind, name=name).first()
    return existing or drive_services.fund_create(actor=None, unit=unit, name=name, kind=kind)


def _account(unit: AdminUnit, number: str, holder: str) -> ReceivingAccount:
    existing = ReceivingAccount.objects.filter(bank_bin="970436", number=number).first()
    if existing is not None:
        return existing
    return drive_services.account_register(actor=None, unit=unit, bank_name="Vietcombank", number=number,
                                           holder_name=holder, statement_published=True)


def _import_once(account: ReceivingAccount, path: Path, complete_through: dt.date) -> None:
    """Import a statement known to be complete through ``complete_through`` (so that every day of it is
    checkpointed), unless the ledger already holds it."""
    if account.entries.filter(source=EntrySource.STATEMENT).exists():
        return
    statement_import(actor=None, account_number=account.number, paths=[path], complete_through=complete_through)


@transaction.atomic
def load_relief() -> Drive:
    central = _central()
    fund = _fund(central, "Quỹ Cứu trợ Trung ương", FundKind.RELIEF)
    account = _account(central, RELIEF_ACCOUNT, RELIEF_HOLDER)
    _import_once(account, YAGI_SAMPLE, complete_through=RELIEF_STATEMENT_END)
    drive = Drive.objects.filter(memo_code=RELIEF_MEMO).first()
    if drive is None:
        drive = drive_services.drive_create(
            actor=None, fund=fund, unit=central, title=RELIEF_TITLE, slug="ung-ho-bao-so-3-yagi",
            memo_code=RELIEF_MEMO, starts_on=dt.date(2024, 9, 1), appeal_date=dt.date(2024, 9, 10),
            appeal_text=(
                "Ngày 10/9/2024, Đoàn Chủ tịch Ủy ban Trung ương MTTQ Việt Nam ra Lời kêu gọi ủng hộ đồng bào bị "
                "thiệt hại do bão số 3 (Yagi). Trang này "
                "trình diễn bằng một mẫu 4.026 dòng của bản sao kê tài khoản Vietcombank 0011001932418 (1–10/9/2024) "
                "mà Ủy ban Trung ương đã công bố."),
            accounts=[account],
        )
    return drive


@transaction.atomic
def load_sea_islands(district: AdminUnit) -> Drive:
    fund = _fund(district, "Quỹ “Vì biển, đảo Việt Nam” quận Hai Bà Trưng", FundKind.SEA_ISLANDS)
    account = _account(district, HBT_ACCOUNT, HBT_HOLDER)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"vcb_{HBT_ACCOUNT}_2024-05-15_2024-06-30.csv"
        path.write_text(statement_csv(HBT_STATEMENT, HBT_OPENING_BALANCE), encoding="utf-8")
        _import_once(account, path, complete_through=HBT_ENDS)
    drive = Drive.objects.filter(memo_code=HBT_MEMO).first()
    if drive is None:
        drive = drive_services.drive_create(
            actor=None, fund=fund, unit=district, title=HBT_TITLE, slug="vi-bien-dao-hai-ba-trung-2024",
            memo_code=HBT_MEMO, starts_on=HBT_STARTS, ends_on=HBT_ENDS, target_amount=200_000_000,
            appeal_number="18/KH-MTTQ-BTT", appeal_date=dt.date(2024, 5, 10),
            appeal_text=(
                "Hưởng ứng Tuần lễ Biển và Hải đảo Việt Nam, Ban Thường trực Ủy ban MTTQ Việt Nam quận Hai Bà Trưng "
                "kêu gọi cán bộ, hội viên và Nhân dân trong quận ủng hộ Quỹ “Vì biển, đảo Việt Nam”. Khi chuyển "
                "khoản, xin ghi mã BIENDAO HBT và tên phường (ví dụ BIENDAO HBT BACHMAI) hoặc quét mã VietQR của "
                "phường. (Dữ liệu trình diễn, không có thật.)"),
            accounts=[account],
        )
    for short_name, amount in PLEDGES:
        ward = _ward(district, short_name)
        if not Pledge.objects.filter(drive=drive, unit=ward).exists():
            drive_services.pledge_set(actor=None, drive=drive, unit=ward, amount=amount,
                                      memo_code=drive_services.pledge_code_for(drive, ward))
    _receipts(drive, district)
    _anonymity(account)
    _disbursements(drive, district, account)
    return drive


def _receipts(drive: Drive, district: AdminUnit) -> None:
    _issue_receipts(drive, district)
    # The worker closes a cash book's past days (decision 0009); the demo's days are long past.
    cash_books_close()


def _issue_receipts(drive: Drive, district: AdminUnit) -> None:
    for receipt in RECEIPTS:
        pledge = (Pledge.objects.get(drive=drive, unit__parent=district, unit__short_name=receipt.ward)
                  if receipt.ward else None)
        unit = pledge.unit if pledge else drive.unit
        if CashReceipt.objects.filter(drive=drive, unit=unit, payer_name=receipt.payer,
                                      received_on=receipt.day).exists():
            continue
        drive_services.cash_receipt_issue(
            actor=_user(receipt.cashier), drive=drive, pledge=pledge, payer_name=receipt.payer,
            payer_address=receipt.address, amount=receipt.amount, received_on=receipt.day,
            is_anonymous=receipt.anonymous, note=receipt.note)


def _anonymity(account: ReceivingAccount) -> None:
    entry = LedgerEntry.objects.get(account=account, memo_raw=ANONYMOUS_MEMO)
    if not AnonymityRequest.objects.filter(entry=entry).exists():
        drive_services.anonymity_request_record(
            actor=_user("thuongtruc.hbt"), entry=entry,
            note="Bà Hoa gọi điện ngày 03/6/2024 đề nghị không công bố tên.")


def _allocation(drive: Drive, actor: User, name: str, decision: tuple[str, dt.date],
                **fields: Any) -> Allocation:
    existing = Allocation.objects.filter(drive=drive, recipient_name=name, decision_number=decision[0]).first()
    if existing is not None:
        return existing
    return disbursements.allocation_create(actor=actor, drive=drive, recipient_name=name,
                                           decision_number=decision[0], decision_date=decision[1],
                                           decision_issuer=DECISION_ISSUER, **fields)


def _payment(allocation: Allocation, actor: User, amount: int, paid_on: dt.date, method: str,
             **fields: Any) -> None:
    if not Payment.objects.filter(allocation=allocation, amount=amount, paid_on=paid_on, method=method).exists():
        disbursements.payment_record(actor=actor, allocation=allocation, amount=amount, paid_on=paid_on,
                                     method=method, **fields)


def _disbursements(drive: Drive, district: AdminUnit, account: ReceivingAccount) -> None:
    actor = _user("thuongtruc.hbt")
    bach_mai = _ward(district, "Bạch Mai")
    for number, (household, area, amount, paid_on) in enumerate(HOUSEHOLDS, start=1):
        allocation = _allocation(drive, actor, household, HOUSEHOLD_DECISION, recipient_kind=RecipientKind.HOUSEHOLD,
                                 purpose=HOUSEHOLD_PURPOSE, amount=amount, area_unit=bach_mai,
                                 residential_area=area)
        if paid_on is not None:
            _payment(allocation, actor, amount, paid_on, PaymentMethod.CASH, reference=f"Phiếu chi số {number:02d}/PC",
                     note="Chi tiền mặt tại trụ sở Ủy ban MTTQ phường Bạch Mai, có chữ ký người nhận.")
    name, purpose, amount = PROJECT
    project = _allocation(drive, actor, name, PROJECT_DECISION, recipient_kind=RecipientKind.PROJECT,
                          purpose=purpose, amount=amount)
    debit = LedgerEntry.objects.get(account=account, memo_raw=PROJECT_PAYMENT_MEMO)
    _payment(project, actor, amount, debit.booked_on, PaymentMethod.BANK, entry=debit,
             reference="Ủy nhiệm chi ngày 20/06/2024")


def load(district: AdminUnit) -> dict[str, Drive]:
    """Load both drives; safe to run again."""
    return {"relief": load_relief(), "sea_islands": load_sea_islands(district)}
