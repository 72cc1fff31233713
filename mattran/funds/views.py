"""Staff pages at /quan-ly/quy/: funds, drives, receiving accounts, pledges (collecting units), VietQR codes, cash
receipts, ledger entries with corrections and anonymity requests.

Every view declares ``Action.FUNDS_MANAGE``; objects come through the viewer-scoped selectors of
:mod:`staff_selectors` (out of scope → 404) and every write goes through :mod:`drive_services`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mattran.accounts.permissions import Action, can
from mattran.common import vn
from mattran.common.forms import attach_errors, refusal_message
from mattran.funds import drive_services as services
from mattran.funds import staff_selectors as sel
from mattran.funds import vietqr
from mattran.funds.forms import (
    AccountForm,
    AnonymityForm,
    CloseDaysForm,
    CorrectionForm,
    DriveForm,
    FundForm,
    PledgeForm,
    QrAmountForm,
    ReceiptForm,
)
from mattran.funds.models import AccountKind, Drive, EntrySource, Fund, Pledge, ReceivingAccount
from mattran.funds.permissions import may_manage
from mattran.organisations.models import AdminUnit
from mattran.workspace.access import staff_view

ACTION = Action.FUNDS_MANAGE


def public_drive_path(drive: Drive) -> str:
    """The drive's page on the public disclosure site (built by the public pages; linked here by path)."""
    return f"/minh-bach/dot/{drive.slug}/"


def _manageable_units(request: HttpRequest) -> Any:
    return sel.units_managed(user=request.user)


# --- funds and drives ------------------------------------------------------------------------------------------

@staff_view(ACTION)
def drive_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(sel.drives_visible_to(user=request.user), 30).get_page(request.GET.get("trang"))
    rows = [(drive, sel.drive_totals(drive)) for drive in page]
    return render(request, "funds/staff/drive_list.html", {
        "page": page, "rows": rows, "funds": sel.funds_visible_to(user=request.user)[:100],
    })


@staff_view(ACTION)
def fund_create(request: HttpRequest) -> HttpResponse:
    form = FundForm(request.POST or None, units=_manageable_units(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund = services.fund_create(actor=request.user, unit=data["unit"], name=data["name"], kind=data["kind"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã tạo {fund.name}.")
            return redirect("funds:drive_list")
    return render(request, "funds/staff/fund_form.html", {"form": form, "fund": None})


@staff_view(ACTION)
def fund_edit(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = sel.fund_for(user=request.user, pk=fund_id)
    form = FundForm(request.POST or None, units=_manageable_units(request), editing=True,
                    initial={"name": fund.name, "kind": fund.kind})
    if request.method == "POST" and form.is_valid():
        try:
            services.fund_update(actor=request.user, fund=fund, name=form.cleaned_data["name"],
                                 kind=form.cleaned_data["kind"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã lưu quỹ.")
            return redirect("funds:drive_list")
    return render(request, "funds/staff/fund_form.html", {"form": form, "fund": fund})


def _drive_values(data: dict[str, Any]) -> dict[str, Any]:
    names = ("fund", "title", "slug", "memo_code", "appeal_number", "appeal_date", "appeal_text", "target_amount",
             "starts_on", "ends_on", "is_public", "accounts")
    return {name: data.get(name) if name != "accounts" else list(data.get("accounts") or []) for name in names}


@staff_view(ACTION)
def drive_create(request: HttpRequest) -> HttpResponse:
    funds = sel.funds_visible_to(user=request.user)
    if not funds.exists():
        messages.info(request, "Hãy tạo quỹ trước khi phát động đợt vận động.")
        return redirect("funds:fund_create")
    form = DriveForm(request.POST or None, funds=funds, units=_manageable_units(request),
                     accounts=sel.bank_accounts_for_drive_form(user=request.user),
                     initial={"starts_on": timezone.localdate(), "is_public": True})
    if request.method == "POST" and form.is_valid():
        values = _drive_values(form.cleaned_data)
        for key in ("appeal_number", "appeal_text", "slug"):
            values[key] = values[key] or ""
        try:
            drive = services.drive_create(actor=request.user, unit=form.cleaned_data["unit"], **values)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã phát động đợt “{drive.title}”.")
            return redirect("funds:drive_detail", drive_id=drive.pk)
    return render(request, "funds/staff/drive_form.html", {"form": form, "drive": None})


@staff_view(ACTION)
def drive_edit(request: HttpRequest, drive_id: int) -> HttpResponse:
    drive = sel.drive_managed(user=request.user, pk=drive_id)
    initial = {name: getattr(drive, name) for name in ("fund", "title", "slug", "memo_code", "appeal_number",
                                                        "appeal_date", "appeal_text", "target_amount", "starts_on",
                                                        "ends_on", "is_public")}
    initial["accounts"] = list(drive.accounts.filter(kind=AccountKind.BANK))
    funds = (sel.funds_visible_to(user=request.user) | Fund.objects.filter(pk=drive.fund_id)).distinct()
    form = DriveForm(request.POST or None, funds=funds, units=None,
                     accounts=sel.bank_accounts_for_drive_form(user=request.user, drive=drive), initial=initial)
    if request.method == "POST" and form.is_valid():
        values = _drive_values(form.cleaned_data)
        for key in ("appeal_number", "appeal_text", "slug"):
            values[key] = values[key] or ""
        try:
            services.drive_update(actor=request.user, drive=drive, **values)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã lưu đợt vận động.")
            return redirect("funds:drive_detail", drive_id=drive.pk)
    return render(request, "funds/staff/drive_form.html", {"form": form, "drive": drive})


@staff_view(ACTION)
def drive_detail(request: HttpRequest, drive_id: int) -> HttpResponse:
    drive = sel.drive_for(user=request.user, pk=drive_id)
    pledges = sel.pledges_of(user=request.user, drive=drive)
    can_manage = can(request.user, ACTION, drive.unit)
    return render(request, "funds/staff/drive_detail.html", {
        "drive": drive, "totals": sel.drive_totals(drive), "pledge_rows": sel.pledge_rows(drive, pledges),
        "qr_codes": sel.drive_qr_codes(drive), "can_manage": can_manage,
        "public_path": public_drive_path(drive) if drive.is_public else "",
        "recent_entries": sel.drive_recent_entries(drive),
        "receipts": sel.receipts_visible_to(user=request.user, drive=drive)[:20],
        "can_issue": can_manage or any(can(request.user, ACTION, p.unit) for p in pledges),
    })


def _png(payload: str, filename: str) -> HttpResponse:
    response = HttpResponse(vietqr.qr_png(payload), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _chosen_account(request: HttpRequest, drive: Drive) -> ReceivingAccount:
    accounts = sel.drive_bank_accounts(drive)
    raw = request.GET.get("tk", "")
    chosen = next((a for a in accounts if str(a.pk) == raw), None) if raw else (accounts[0] if accounts else None)
    if chosen is None:
        raise Http404("Đợt vận động chưa có tài khoản ngân hàng này.")
    return chosen


def _qr_amount(request: HttpRequest) -> tuple[QrAmountForm, int | None]:
    form = QrAmountForm(request.GET or None)
    amount = form.cleaned_data.get("so_tien") if form.is_bound and form.is_valid() else None
    return form, amount


@staff_view(ACTION)
def drive_qr_png(request: HttpRequest, drive_id: int) -> HttpResponse:
    drive = sel.drive_for(user=request.user, pk=drive_id)
    account = _chosen_account(request, drive)
    _form, amount = _qr_amount(request)
    code = sel.qr_code(account, memo=drive.memo_code, amount=amount, svg=False)
    if code.error:
        raise Http404(code.error)
    return _png(code.payload, f"vietqr-{drive.slug}-{account.number}.png")


# --- pledges ---------------------------------------------------------------------------------------------------

def _pledge_units(drive: Drive) -> Any:
    return AdminUnit.objects.under(drive.unit).current().order_by("path")


def _pledge_form_view(request: HttpRequest, drive: Drive, pledge: Pledge | None) -> HttpResponse:
    initial = ({"unit": pledge.unit, "amount": pledge.amount, "memo_code": pledge.memo_code, "note": pledge.note}
               if pledge else {})
    units = _pledge_units(drive)
    if pledge is not None:
        units = (units | AdminUnit.objects.filter(pk=pledge.unit_id)).distinct()
    form = PledgeForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.pledge_set(actor=request.user, drive=drive, unit=data["unit"], amount=data["amount"],
                                        memo_code=data["memo_code"], note=data["note"], pledge=pledge)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu đơn vị vận động {saved.unit.name} (mã {saved.memo_code}).")
            return redirect("funds:drive_detail", drive_id=drive.pk)
    return render(request, "funds/staff/pledge_form.html", {"form": form, "drive": drive, "pledge": pledge})


@staff_view(ACTION)
def pledge_create(request: HttpRequest, drive_id: int) -> HttpResponse:
    return _pledge_form_view(request, sel.drive_managed(user=request.user, pk=drive_id), None)


@staff_view(ACTION)
def pledge_edit(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = sel.pledge_managed(user=request.user, pk=pledge_id)
    return _pledge_form_view(request, pledge.drive, pledge)


@staff_view(ACTION)
@require_POST
def pledge_remove(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = sel.pledge_managed(user=request.user, pk=pledge_id)
    drive_id = pledge.drive_id
    try:
        services.pledge_remove(actor=request.user, pledge=pledge)
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, f"Đã bỏ {pledge.unit.name} khỏi danh sách đơn vị vận động.")
    return redirect("funds:drive_detail", drive_id=drive_id)


@staff_view(ACTION)
def pledge_detail(request: HttpRequest, pledge_id: int) -> HttpResponse:
    """The pledge's VietQR codes (one per bank account of the drive), with an optional amount printed in."""
    pledge = sel.pledge_for(user=request.user, pk=pledge_id)
    form, amount = _qr_amount(request)
    codes = [sel.qr_code(a, memo=pledge.memo_code, amount=amount) for a in sel.drive_bank_accounts(pledge.drive)]
    (row,) = sel.pledge_rows(pledge.drive, Pledge.objects.filter(pk=pledge.pk).select_related("unit"))
    return render(request, "funds/staff/pledge_detail.html", {
        "pledge": pledge, "drive": pledge.drive, "form": form, "amount": amount, "qr_codes": codes, "row": row,
        "can_manage": can(request.user, ACTION, pledge.drive.unit),
    })


@staff_view(ACTION)
def pledge_qr_png(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = sel.pledge_for(user=request.user, pk=pledge_id)
    account = _chosen_account(request, pledge.drive)
    _form, amount = _qr_amount(request)
    code = sel.qr_code(account, memo=pledge.memo_code, amount=amount, svg=False)
    if code.error:
        raise Http404(code.error)
    name = "-".join(services.fold_code(pledge.memo_code).lower().split())
    return _png(code.payload, f"vietqr-{name}-{account.number}{f'-{amount}' if amount else ''}.png")


# --- receiving accounts ----------------------------------------------------------------------------------------

@staff_view(ACTION)
def account_list(request: HttpRequest) -> HttpResponse:
    return render(request, "funds/staff/account_list.html", {
        "accounts": sel.accounts_visible_to(user=request.user)[:300]})


@staff_view(ACTION)
def account_create(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, units=_manageable_units(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.account_register(
                actor=request.user, unit=data["unit"], bank_name=data["bank_name"], number=data["number"],
                holder_name=data["holder_name"], statement_published=data["statement_published"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã đăng ký tài khoản {account}.")
            return redirect("funds:account_detail", account_id=account.pk)
    return render(request, "funds/staff/account_form.html", {"form": form, "account": None})


@staff_view(ACTION)
def account_edit(request: HttpRequest, account_id: int) -> HttpResponse:
    account = sel.account_for(user=request.user, pk=account_id)
    if account.kind != AccountKind.BANK or not may_manage(request.user, account.unit):
        raise PermissionDenied("Sổ tiền mặt do hệ thống lập, không sửa ở đây.")
    units = _manageable_units(request)
    form = AccountForm(request.POST or None, units=units, initial={
        "bank_name": account.bank_name, "number": account.number, "holder_name": account.holder_name,
        "unit": account.unit, "statement_published": account.statement_published})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.account_update(
                actor=request.user, account=account, unit=data["unit"], bank_name=data["bank_name"],
                number=data["number"], holder_name=data["holder_name"],
                statement_published=data["statement_published"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã lưu tài khoản.")
            return redirect("funds:account_detail", account_id=account.pk)
    return render(request, "funds/staff/account_form.html", {"form": form, "account": account})


@staff_view(ACTION)
def account_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    account = sel.account_for(user=request.user, pk=account_id)
    text = request.GET.get("q", "").strip()[:200]
    raw_page = request.GET.get("trang", "")
    if text:
        found = sel.account_search(account=account, text=text,
                                   page=int(raw_page) if raw_page.isdigit() and len(raw_page) < 6 else 1)
        page: Any = None
    else:
        found = None
        page = Paginator(sel.account_entries(account=account), 50).get_page(raw_page)
    return render(request, "funds/staff/account_detail.html", {
        "account": account, "page": page, "found": found, "q": text,
        "entries": found.entries if found is not None else page,
        "drives": account.drives.order_by("-starts_on")[:20],
        "can_edit": account.kind == AccountKind.BANK and may_manage(request.user, account.unit),
        "can_close": may_manage(request.user, account.unit),
    })


@staff_view(ACTION)
def account_close_days(request: HttpRequest, account_id: int) -> HttpResponse:
    """Close the account's past days: each gets its published checkpoint and takes no more entries."""
    account = sel.account_for(user=request.user, pk=account_id)
    if not may_manage(request.user, account.unit):
        raise PermissionDenied("Chỉ đơn vị quản lý tài khoản được chốt sổ.")
    today = timezone.localdate()
    open_days = sel.account_open_days(account=account)
    form = CloseDaysForm(request.POST or None, today=today,
                         initial={"through": min([*open_days[-1:], today - dt.timedelta(days=1)])})
    if request.method == "POST" and form.is_valid():
        try:
            closed = services.account_days_close(actor=request.user, account=account,
                                                 through=form.cleaned_data["through"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã chốt sổ {len(closed)} ngày." if closed
                             else "Không còn ngày nào chưa chốt đến ngày đã chọn.")
            return redirect("funds:account_detail", account_id=account.pk)
    return render(request, "funds/staff/account_close_days.html", {
        "account": account, "form": form, "open_days": open_days})


# --- cash receipts ---------------------------------------------------------------------------------------------

@staff_view(ACTION)
def receipt_create(request: HttpRequest, drive_id: int) -> HttpResponse:
    drive = sel.drive_for(user=request.user, pk=drive_id)
    allow_direct = can(request.user, ACTION, drive.unit)
    own = [p.pk for p in sel.pledges_of(user=request.user, drive=drive) if can(request.user, ACTION, p.unit)]
    pledges = Pledge.objects.filter(pk__in=own).select_related("unit").order_by("unit__path")
    if not allow_direct and not own:
        raise PermissionDenied("Bạn không thu tiền cho đợt vận động này.")
    form = ReceiptForm(request.POST or None, pledges=pledges, allow_direct=allow_direct,
                       initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            receipt = services.cash_receipt_issue(
                actor=request.user, drive=drive, pledge=data.get("pledge"), payer_name=data["payer_name"],
                payer_address=data["payer_address"], amount=data["amount"], received_on=data["received_on"],
                is_anonymous=data["is_anonymous"], note=data["note"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã lập biên lai số {receipt.number:06d}/BL.")
            return redirect("funds:receipt_detail", receipt_id=receipt.pk)
    return render(request, "funds/staff/receipt_form.html", {"form": form, "drive": drive})


@staff_view(ACTION)
def receipt_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(sel.receipts_visible_to(user=request.user), 50).get_page(request.GET.get("trang"))
    return render(request, "funds/staff/receipt_list.html", {"page": page})


@staff_view(ACTION)
def receipt_detail(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = sel.receipt_for(user=request.user, pk=receipt_id)
    cancelled_by = sel.entry_context(receipt.entry)["reversed_by"]
    return render(request, "funds/staff/receipt_detail.html", {
        "receipt": receipt, "number": f"{receipt.number:06d}/BL", "words": vn.amount_in_words(receipt.amount),
        "cancelled_by": cancelled_by,
    })


# --- ledger entries --------------------------------------------------------------------------------------------

def _entry_actions(request: HttpRequest, entry: Any, related: dict[str, Any]) -> dict[str, bool]:
    manage = may_manage(request.user, entry.account.unit)
    return {
        "can_correct": manage and entry.source != EntrySource.CORRECTION and related["reversed_by"] is None,
        "can_anonymise": manage and entry.amount > 0 and not entry.is_anonymous and related["anonymity"] is None,
    }


@staff_view(ACTION)
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = sel.entry_for(user=request.user, pk=entry_id)
    related = sel.entry_context(entry)
    return render(request, "funds/staff/entry_detail.html", {
        "entry": entry, **related, **_entry_actions(request, entry, related)})


def _entry_for_write(request: HttpRequest, entry_id: int) -> Any:
    entry = sel.entry_for(user=request.user, pk=entry_id)
    if not may_manage(request.user, entry.account.unit):
        raise PermissionDenied
    return entry


@staff_view(ACTION)
def entry_correct(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for_write(request, entry_id)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.entry_correct(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã ghi bút toán điều chỉnh số {correction.sequence}.")
            return redirect("funds:entry_detail", entry_id=correction.pk)
    return render(request, "funds/staff/entry_action.html", {
        "entry": entry, "form": form, "title": "Điều chỉnh bút toán",
        "lead": f"Một bút toán mới ghi {vn.money(-entry.amount)} sẽ đảo ngược bút toán này; bút toán gốc vẫn "
                "giữ nguyên trong sổ quỹ và chuỗi băm.",
        "confirm": "Ghi bút toán điều chỉnh vào sổ quỹ? Không thể xóa sau khi ghi.", "submit": "Ghi điều chỉnh"})


@staff_view(ACTION)
def entry_anonymity(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for_write(request, entry_id)
    form = AnonymityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.anonymity_request_record(actor=request.user, entry=entry, note=form.cleaned_data["note"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã ghi nhận yêu cầu ẩn danh; trang công khai sẽ hiện “Nhà hảo tâm ẩn danh”.")
            return redirect("funds:entry_detail", entry_id=entry.pk)
    return render(request, "funds/staff/entry_action.html", {
        "entry": entry, "form": form, "title": "Ghi nhận yêu cầu ẩn danh",
        "lead": "Trang minh bạch sẽ ẩn tên và nội dung của khoản này; bút toán và mã băm không đổi.",
        "confirm": "", "submit": "Ghi nhận"})
