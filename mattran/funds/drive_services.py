"""Writes on funds, drives, receiving accounts, pledges, cash receipts, anonymity requests and corrections.

Every service checks the policy on the unit it touches, runs in one transaction and records an audit event. A
refused call raises :class:`ValidationError` (messages keyed by form field where there is one) or
:class:`PermissionDenied`, and changes nothing. The ledger itself is written only through
:mod:`mattran.funds.services` (``ledger_append``, ``ledger_correct``); decision 0014 explains the choices.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from mattran.accounts.permissions import Action, can, require
from mattran.audit.services import diff, record, snapshot
from mattran.common import vn
from mattran.funds import vietqr
from mattran.funds.models import (
    AccountKind,
    AnonymityRequest,
    CashReceipt,
    DayCheckpoint,
    Drive,
    DriveAccount,
    EntrySource,
    Fund,
    FundKind,
    LedgerEntry,
    Pledge,
    ReceivingAccount,
)
from mattran.funds.permissions import require_manage
from mattran.funds.services import LedgerError, LedgerRow, ledger_append, ledger_close_days, ledger_correct
from mattran.organisations.models import AdminUnit

_MEMO_CODE = re.compile(r"[A-Z0-9 ]+")
DRIVE_MEMO_MAX = 20
PLEDGE_MEMO_MAX = 25
CASH_BOOK_BANK = "Tiền mặt"


def _except(qs: QuerySet[Any], pk: int | None) -> QuerySet[Any]:
    """``qs`` without the row being edited (none when creating)."""
    return qs if pk is None else qs.exclude(pk=pk)


def fold_code(text: str) -> str:
    """A memo code as banks carry it: diacritics folded, upper case, single spaces ("Biển đảo" → "BIEN DAO")."""
    return " ".join(vn.fold(text or "").upper().split())


def _check_code(code: str, *, field: str, longest: int) -> str:
    if not (3 <= len(code) <= longest) or not _MEMO_CODE.fullmatch(code):
        raise ValidationError({field: f"Mã nội dung chuyển khoản gồm 3–{longest} ký tự: chữ in hoa không dấu, "
                                      f"chữ số và dấu cách, ví dụ BIENDAO2025."})
    return code


def slug_for(title: str, *, exclude_pk: int | None = None) -> str:
    """A unique slug from a Vietnamese title, folded first so "đ" becomes "d" ("Vì biển đảo" → "vi-bien-dao")."""
    base = slugify(vn.fold(title))[:100].strip("-") or "dot-van-dong"
    taken = set(_except(Drive.objects.filter(slug__startswith=base), exclude_pk).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


# --- funds -----------------------------------------------------------------------------------------------------

def fund_create(*, actor: Any, unit: AdminUnit, name: str, kind: str = FundKind.OTHER) -> Fund:
    require(actor, Action.FUNDS_MANAGE, unit)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Hãy nhập tên quỹ."})
    if kind not in FundKind.values:
        raise ValidationError({"kind": "Loại quỹ không hợp lệ."})
    with transaction.atomic():
        fund = Fund.objects.create(unit=unit, name=name, kind=kind)
        record(actor=actor, action="funds.fund_create", target=fund, unit=unit,
               changes={"name": name, "kind": kind})
    return fund


def fund_update(*, actor: Any, fund: Fund, name: str, kind: str) -> Fund:
    require(actor, Action.FUNDS_MANAGE, fund.unit)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Hãy nhập tên quỹ."})
    if kind not in FundKind.values:
        raise ValidationError({"kind": "Loại quỹ không hợp lệ."})
    with transaction.atomic():
        fund = Fund.objects.select_for_update().get(pk=fund.pk)
        before = snapshot(fund, ["name", "kind"])
        fund.name, fund.kind = name, kind
        fund.save(update_fields=["name", "kind", "updated_at"])
        record(actor=actor, action="funds.fund_update", target=fund, unit=fund.unit,
               changes=diff(before, snapshot(fund, ["name", "kind"])))
    return fund


# --- drives ----------------------------------------------------------------------------------------------------

_DRIVE_FIELDS = ["fund", "title", "slug", "appeal_number", "appeal_date", "appeal_text", "target_amount",
                 "starts_on", "ends_on", "memo_code", "is_public"]


def _clean_drive(*, actor: Any, drive: Drive | None, fund: Fund, unit: AdminUnit, title: str, slug: str,
                 target_amount: int | None, starts_on: dt.date, ends_on: dt.date | None, memo_code: str,
                 accounts: Iterable[ReceivingAccount]) -> tuple[str, str, str, list[ReceivingAccount]]:
    require(actor, Action.FUNDS_MANAGE, unit)
    errors: dict[str, str] = {}
    if not fund.unit.path or not unit.path.startswith(fund.unit.path):
        errors["fund"] = "Quỹ phải do đơn vị phát động hoặc đơn vị cấp trên của nó quản lý."
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = "Hãy nhập tên đợt vận động."
    slug = slugify(vn.fold(slug or ""))[:120] if slug else ""
    pk = drive.pk if drive else None
    if slug and _except(Drive.objects.filter(slug=slug), pk).exists():
        errors["slug"] = f"Đường dẫn “{slug}” đã dùng cho một đợt vận động khác."
    if target_amount is not None and target_amount <= 0:
        errors["target_amount"] = "Chỉ tiêu phải lớn hơn 0."
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "Ngày kết thúc không được trước ngày bắt đầu."
    code = fold_code(memo_code)
    try:
        _check_code(code, field="memo_code", longest=DRIVE_MEMO_MAX)
    except ValidationError as exc:
        errors["memo_code"] = exc.message_dict["memo_code"][0]
    else:
        if _except(Drive.objects.filter(memo_code=code), pk).exists():
            errors["memo_code"] = f"Mã “{code}” đã dùng cho một đợt vận động khác."
    chosen = list(accounts)
    attached = set(drive.accounts.values_list("pk", flat=True)) if drive is not None else set()
    for account in chosen:
        if account.kind != AccountKind.BANK:
            errors["accounts"] = "Chỉ chọn tài khoản ngân hàng; tiền mặt ghi qua biên lai."
        elif account.pk in attached:
            continue  # kept as it was, even if another unit manages it
        elif account.unit is None or not _may(actor, account.unit):
            errors["accounts"] = f"Tài khoản {account.number} không thuộc đơn vị bạn quản lý."
    if errors:
        raise ValidationError(errors)
    return title, slug or slug_for(title, exclude_pk=pk), code, chosen


def _may(actor: Any, unit: AdminUnit) -> bool:
    return actor is None or can(actor, Action.FUNDS_MANAGE, unit)


def _set_accounts(drive: Drive, accounts: list[ReceivingAccount]) -> None:
    wanted = {a.pk for a in accounts}
    DriveAccount.objects.filter(drive=drive).exclude(account_id__in=wanted).delete()
    present = set(DriveAccount.objects.filter(drive=drive).values_list("account_id", flat=True))
    DriveAccount.objects.bulk_create([DriveAccount(drive=drive, account_id=pk) for pk in sorted(wanted - present)])


def drive_create(*, actor: Any, fund: Fund, unit: AdminUnit, title: str, starts_on: dt.date, memo_code: str,
                 slug: str = "", appeal_number: str = "", appeal_date: dt.date | None = None,
                 appeal_text: str = "", target_amount: int | None = None, ends_on: dt.date | None = None,
                 is_public: bool = True, accounts: Iterable[ReceivingAccount] = ()) -> Drive:
    title, slug, code, chosen = _clean_drive(
        actor=actor, drive=None, fund=fund, unit=unit, title=title, slug=slug, target_amount=target_amount,
        starts_on=starts_on, ends_on=ends_on, memo_code=memo_code, accounts=accounts)
    with transaction.atomic():
        try:
            with transaction.atomic():
                drive = Drive.objects.create(
                    fund=fund, unit=unit, title=title, slug=slug, appeal_number=appeal_number.strip(),
                    appeal_date=appeal_date, appeal_text=appeal_text.strip(), target_amount=target_amount,
                    starts_on=starts_on, ends_on=ends_on, memo_code=code, is_public=is_public)
        except IntegrityError as exc:  # a concurrent drive took the slug or the code first
            raise ValidationError({"memo_code": "Mã nội dung hoặc đường dẫn vừa được dùng cho đợt khác; "
                                                "hãy chọn mã khác."}) from exc
        _set_accounts(drive, chosen)
        record(actor=actor, action="funds.drive_create", target=drive, unit=unit, changes={
            **snapshot(drive, _DRIVE_FIELDS), "accounts": [a.number for a in chosen]})
    return drive


def drive_update(*, actor: Any, drive: Drive, fund: Fund, title: str, starts_on: dt.date, memo_code: str,
                 slug: str = "", appeal_number: str = "", appeal_date: dt.date | None = None,
                 appeal_text: str = "", target_amount: int | None = None, ends_on: dt.date | None = None,
                 is_public: bool = True, accounts: Iterable[ReceivingAccount] = ()) -> Drive:
    """Change a drive. Its unit stays; its slug stays unless a new one is given (public links keep working)."""
    title, slug, code, chosen = _clean_drive(
        actor=actor, drive=drive, fund=fund, unit=drive.unit, title=title, slug=slug or drive.slug,
        target_amount=target_amount, starts_on=starts_on, ends_on=ends_on, memo_code=memo_code, accounts=accounts)
    with transaction.atomic():
        drive = Drive.objects.select_for_update().get(pk=drive.pk)
        before = {**snapshot(drive, _DRIVE_FIELDS),
                  "accounts": sorted(drive.accounts.values_list("number", flat=True))}
        values = {"fund": fund, "title": title, "slug": slug, "appeal_number": appeal_number.strip(),
                  "appeal_date": appeal_date, "appeal_text": appeal_text.strip(), "target_amount": target_amount,
                  "starts_on": starts_on, "ends_on": ends_on, "memo_code": code, "is_public": is_public}
        for name, value in values.items():
            setattr(drive, name, value)
        try:
            with transaction.atomic():
                drive.save()
        except IntegrityError as exc:
            raise ValidationError({"memo_code": "Mã nội dung hoặc đường dẫn vừa được dùng cho đợt khác."}) from exc
        _set_accounts(drive, chosen)
        after = {**snapshot(drive, _DRIVE_FIELDS), "accounts": sorted(a.number for a in chosen)}
        record(actor=actor, action="funds.drive_update", target=drive, unit=drive.unit, changes=diff(before, after))
    return drive


# --- pledges ---------------------------------------------------------------------------------------------------

def pledge_code_for(drive: Drive, unit: AdminUnit) -> str:
    """The default memo code of a unit's pledge: the drive's code and the unit's short name run together,
    e.g. "BIENDAO2025 BACHMAI", cut to the 25 characters a VietQR memo holds."""
    name = "".join(fold_code(unit.short_name).split())
    return f"{drive.memo_code} {name}"[:PLEDGE_MEMO_MAX].strip()


def pledge_set(*, actor: Any, drive: Drive, unit: AdminUnit, amount: int | None = None, memo_code: str = "",
               note: str = "", pledge: Pledge | None = None) -> Pledge:
    """Add a collecting unit to a drive, or change one (``pledge``). The unit is the drive's unit or one below."""
    require(actor, Action.FUNDS_MANAGE, drive.unit)
    errors: dict[str, str] = {}
    if not unit.path.startswith(drive.unit.path):
        errors["unit"] = "Đơn vị vận động phải là đơn vị phát động hoặc một đơn vị cấp dưới của nó."
    elif _except(Pledge.objects.filter(drive=drive, unit=unit), pledge.pk if pledge else None).exists():
        errors["unit"] = f"{unit.name} đã có trong danh sách đơn vị vận động của đợt này."
    if amount is not None and amount <= 0:
        errors["amount"] = "Số cam kết phải lớn hơn 0."
    code = fold_code(memo_code) or pledge_code_for(drive, unit)
    try:
        _check_code(code, field="memo_code", longest=PLEDGE_MEMO_MAX)
    except ValidationError as exc:
        errors["memo_code"] = exc.message_dict["memo_code"][0]
    else:
        if _except(Pledge.objects.filter(drive=drive, memo_code=code), pledge.pk if pledge else None).exists():
            errors["memo_code"] = f"Mã “{code}” đã dùng cho đơn vị khác trong đợt này."
    if len(note) > 300:
        errors["note"] = "Ghi chú dài tối đa 300 ký tự."
    if errors:
        raise ValidationError(errors)
    fields = ["unit", "amount", "memo_code", "note"]
    taken = ValidationError({"memo_code": "Đơn vị hoặc mã này vừa được thêm vào đợt; hãy tải lại trang."})
    with transaction.atomic():
        if pledge is None:
            try:
                with transaction.atomic():
                    created = Pledge.objects.create(drive=drive, unit=unit, amount=amount, memo_code=code,
                                                    note=note.strip())
            except IntegrityError as exc:  # a concurrent request added the same unit or code first
                raise taken from exc
            record(actor=actor, action="funds.pledge_add", target=created, unit=drive.unit,
                   changes=snapshot(created, fields))
            return created
        locked = Pledge.objects.select_for_update().get(pk=pledge.pk, drive=drive)
        before = snapshot(locked, fields)
        locked.unit, locked.amount, locked.memo_code, locked.note = unit, amount, code, note.strip()
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as exc:
            raise taken from exc
        record(actor=actor, action="funds.pledge_update", target=locked, unit=drive.unit,
               changes=diff(before, snapshot(locked, fields)))
        return locked


def pledge_remove(*, actor: Any, pledge: Pledge) -> None:
    """Take a unit off a drive; refused once it has issued cash receipts (they name the pledge forever)."""
    require(actor, Action.FUNDS_MANAGE, pledge.drive.unit)
    with transaction.atomic():
        if CashReceipt.objects.filter(pledge=pledge).exists():
            raise ValidationError("Đơn vị này đã lập biên lai cho đợt vận động nên không thể bỏ khỏi danh sách.")
        record(actor=actor, action="funds.pledge_remove", target=pledge, unit=pledge.drive.unit,
               changes=snapshot(pledge, ["unit", "amount", "memo_code"]))
        pledge.delete()


# --- receiving accounts ----------------------------------------------------------------------------------------

def _clean_account(*, actor: Any, unit: AdminUnit, bank_name: str, number: str, holder_name: str,
                   exclude_pk: int | None) -> tuple[str, str, str]:
    require(actor, Action.FUNDS_MANAGE, unit)
    errors: dict[str, str] = {}
    bin_ = vietqr.BANK_BINS.get(bank_name, "")
    if not bin_:
        errors["bank_name"] = "Hãy chọn ngân hàng trong danh sách."
    number = "".join(number.split())
    if not (number.isascii() and number.isdigit() and 1 <= len(number) <= vietqr.MAX_ACCOUNT):
        errors["number"] = f"Số tài khoản chỉ gồm chữ số, tối đa {vietqr.MAX_ACCOUNT} chữ số."
    elif bin_ and _except(ReceivingAccount.objects.filter(bank_bin=bin_, number=number), exclude_pk).exists():
        errors["number"] = f"Tài khoản {number} tại {bank_name} đã được đăng ký."
    holder_name = " ".join(holder_name.split())
    if not holder_name:
        errors["holder_name"] = "Hãy nhập tên chủ tài khoản như in trên sao kê."
    if errors:
        raise ValidationError(errors)
    return bin_, number, holder_name


_ACCOUNT_FIELDS = ["unit", "bank_name", "bank_bin", "number", "holder_name", "statement_published"]


def account_register(*, actor: Any, unit: AdminUnit, bank_name: str, number: str, holder_name: str,
                     statement_published: bool = False) -> ReceivingAccount:
    """Register a bank account that receives donations for ``unit``; the bank is one of ``vietqr.BANK_BINS``."""
    bin_, number, holder_name = _clean_account(actor=actor, unit=unit, bank_name=bank_name, number=number,
                                               holder_name=holder_name, exclude_pk=None)
    with transaction.atomic():
        try:
            with transaction.atomic():
                account = ReceivingAccount.objects.create(
                    kind=AccountKind.BANK, unit=unit, bank_name=bank_name, bank_bin=bin_, number=number,
                    holder_name=holder_name, statement_published=statement_published)
        except IntegrityError as exc:
            raise ValidationError({"number": f"Tài khoản {number} tại {bank_name} đã được đăng ký."}) from exc
        record(actor=actor, action="funds.account_register", target=account, unit=unit,
               changes=snapshot(account, _ACCOUNT_FIELDS))
    return account


def account_update(*, actor: Any, account: ReceivingAccount, unit: AdminUnit, bank_name: str, number: str,
                   holder_name: str, statement_published: bool) -> ReceivingAccount:
    """Change a bank account's details. Bank and number are fixed once the ledger has entries (the hash chain
    names the account by them); the managing unit may move within the actor's scope."""
    if account.kind != AccountKind.BANK:
        raise ValidationError("Sổ tiền mặt do hệ thống lập, không sửa ở đây.")
    require(actor, Action.FUNDS_MANAGE, account.unit)
    bin_, number, holder_name = _clean_account(actor=actor, unit=unit, bank_name=bank_name, number=number,
                                               holder_name=holder_name, exclude_pk=account.pk)
    with transaction.atomic():
        account = ReceivingAccount.objects.select_for_update().get(pk=account.pk)
        if (bin_, number) != (account.bank_bin, account.number) and account.entries.exists():
            raise ValidationError({"number": "Tài khoản đã có bút toán trong sổ quỹ nên không đổi được ngân hàng "
                                             "hay số tài khoản; hãy đăng ký tài khoản mới."})
        before = snapshot(account, _ACCOUNT_FIELDS)
        account.unit, account.bank_name, account.bank_bin, account.number = unit, bank_name, bin_, number
        account.holder_name, account.statement_published = holder_name, statement_published
        account.save()
        record(actor=actor, action="funds.account_update", target=account, unit=unit,
               changes=diff(before, snapshot(account, _ACCOUNT_FIELDS)))
    return account


def cash_book_for(unit: AdminUnit) -> ReceivingAccount:
    """The unit's cash book (``kind=cash``, number ``TM-<unit id>``), created on first use."""
    book, _ = ReceivingAccount.objects.get_or_create(
        bank_bin="", number=f"TM-{unit.pk}",
        defaults={"kind": AccountKind.CASH, "unit": unit, "bank_name": CASH_BOOK_BANK,
                  "holder_name": f"Ban Thường trực {unit.name}"[:200], "statement_published": True},
    )
    return book


# --- cash receipts ---------------------------------------------------------------------------------------------

def receipt_memo(*, drive: Drive, pledge: Pledge | None, year: int, number: int, note: str) -> str:
    parts = [f"Biên lai số {number}/{year}", pledge.memo_code if pledge else drive.memo_code]
    if note:
        parts.append(note)
    return " — ".join(parts)


def cash_receipt_issue(*, actor: Any, drive: Drive, pledge: Pledge | None = None, payer_name: str,
                       payer_address: str = "", amount: int, received_on: dt.date, is_anonymous: bool = False,
                       note: str = "") -> CashReceipt:
    """Issue the next numbered receipt for cash handed in, and append its entry to the unit's cash book.

    The issuing unit is the pledge's unit when the cash was collected under a pledge, else the drive's unit.
    Numbers run per (unit, year): the cash book row is locked while the next number is taken, so two cadres
    issuing at once are served one after the other; the unique constraint on (unit, year, number) is the
    last guard. Receipt, entry and audit event are written in one transaction.
    """
    if pledge is not None and pledge.drive_id != drive.pk:
        raise ValidationError({"pledge": "Đơn vị vận động không thuộc đợt vận động này."})
    unit = pledge.unit if pledge is not None else drive.unit
    if actor is None:
        raise ValidationError("Biên lai phải ghi người thu tiền: hãy lập bằng tài khoản của cán bộ thu.")
    require(actor, Action.FUNDS_MANAGE, unit)
    errors: dict[str, str] = {}
    payer_name = " ".join((payer_name or "").split())
    if not payer_name:
        errors["payer_name"] = "Hãy nhập tên người nộp tiền."
    elif len(payer_name) > 200:
        errors["payer_name"] = "Tên người nộp dài tối đa 200 ký tự."
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        errors["amount"] = "Số tiền phải là số nguyên đồng lớn hơn 0."
    elif amount > vn.MAX_MONEY:
        errors["amount"] = "Số tiền quá lớn (tối đa 13 chữ số)."
    if not isinstance(received_on, dt.date) or isinstance(received_on, dt.datetime):
        errors["received_on"] = "Ngày thu không hợp lệ."
    elif received_on < drive.starts_on or (drive.ends_on is not None and received_on > drive.ends_on):
        errors["received_on"] = "Ngày thu nằm ngoài thời gian của đợt vận động."
    if len(payer_address) > 300:
        errors["payer_address"] = "Địa chỉ dài tối đa 300 ký tự."
    if len(note) > 300:
        errors["note"] = "Nội dung dài tối đa 300 ký tự."
    if errors:
        raise ValidationError(errors)
    year = received_on.year
    with transaction.atomic():
        book = cash_book_for(unit)
        book = ReceivingAccount.objects.select_for_update().get(pk=book.pk)
        last = CashReceipt.objects.filter(unit=unit, year=year).aggregate(n=Max("number"))["n"] or 0
        number = last + 1
        source_ref = f"bien-lai/{year}/{number}"
        try:
            ledger_append(actor=actor, account=book, rows=[LedgerRow(
                booked_on=received_on, amount=amount,
                memo_raw=receipt_memo(drive=drive, pledge=pledge, year=year, number=number, note=note.strip()),
                donor_name=payer_name, source=EntrySource.CASH, source_ref=source_ref, is_anonymous=is_anonymous,
            )])
        except LedgerError as exc:
            raise ValidationError(str(exc)) from exc
        entry = LedgerEntry.objects.get(account=book, source_ref=source_ref)
        receipt = CashReceipt.objects.create(
            unit=unit, year=year, number=number, drive=drive, pledge=pledge, payer_name=payer_name,
            payer_address=" ".join(payer_address.split()), amount=amount, received_on=received_on,
            is_anonymous=is_anonymous, note=note.strip(), received_by=actor, entry=entry)
        record(actor=actor, action="funds.cash_receipt_issue", target=receipt, unit=unit, changes={
            "number": f"{number:06d}/{year}", "drive": drive.title, "pledge": str(pledge.unit) if pledge else None,
            "amount": amount, "received_on": received_on, "is_anonymous": is_anonymous,
            "entry": entry.sequence})
    return receipt


# --- anonymity and corrections ---------------------------------------------------------------------------------

def anonymity_request_record(*, actor: Any, entry: LedgerEntry, note: str = "") -> AnonymityRequest:
    """Record that the donor of ``entry`` asked to be shown as "Nhà hảo tâm ẩn danh". The entry is unchanged."""
    account = entry.account
    if actor is None:
        raise ValidationError("Yêu cầu ẩn danh phải ghi người tiếp nhận.")
    require_manage(actor, account.unit)
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise ValidationError({"note": "Ghi chú dài tối đa 300 ký tự."})
    if entry.amount < 0:
        raise ValidationError("Chỉ khoản ủng hộ (tiền vào) mới có người ủng hộ để ẩn danh.")
    if entry.is_anonymous:
        raise ValidationError("Bút toán này đã được ghi là ẩn danh từ đầu.")
    with transaction.atomic():
        if AnonymityRequest.objects.filter(entry=entry).exists():
            raise ValidationError("Yêu cầu ẩn danh của bút toán này đã được ghi nhận trước đó.")
        try:
            with transaction.atomic():
                request = AnonymityRequest.objects.create(entry=entry, note=note, recorded_by=actor)
        except IntegrityError as exc:
            raise ValidationError("Yêu cầu ẩn danh của bút toán này đã được ghi nhận trước đó.") from exc
        record(actor=actor, action="funds.anonymity_request", target=entry, unit=account.unit,
               changes={"account": account.number, "sequence": entry.sequence, "note": note})
    return request


def entry_correct(*, actor: Any, entry: LedgerEntry, reason: str, booked_on: dt.date | None = None) -> LedgerEntry:
    """Reverse ``entry`` with a new entry carrying ``reason`` (see :func:`services.ledger_correct`)."""
    account = entry.account
    require_manage(actor, account.unit)
    if entry.source == EntrySource.CORRECTION:
        raise ValidationError("Không điều chỉnh một bút toán điều chỉnh; nếu cần, hãy ghi lại khoản đúng.")
    try:
        return ledger_correct(actor=actor, entry=entry, reason=reason, booked_on=booked_on)
    except LedgerError as exc:
        raise ValidationError({"reason": str(exc)}) from exc


def account_days_close(*, actor: Any, account: ReceivingAccount, through: dt.date) -> list[DayCheckpoint]:
    """Close (checkpoint) the account's days up to ``through``: "the statements are complete through that day"
    for a bank account, "every receipt of those days is entered" for a cash book (decision 0009)."""
    if through >= timezone.localdate():
        raise ValidationError({"through": "Chỉ chốt được những ngày đã qua (trước hôm nay)."})
    try:
        return ledger_close_days(actor=actor, account=account, through=through)
    except LedgerError as exc:
        raise ValidationError(str(exc)) from exc
