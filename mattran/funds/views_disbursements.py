"""Staff pages at /quan-ly/quy/phan-bo/: a drive's allocations with paid and remaining, the allocation form,
an allocation with its payments, recording a payment, matching it to the statement's debit row, the drive's
unmatched debit rows and the recipients list to post at each residential area.

Every view declares ``Action.FUNDS_MANAGE``; objects come through the viewer-scoped selectors of
:mod:`disbursement_selectors` (out of scope → 404) and every write goes through :mod:`disbursements`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from mattran.accounts.permissions import Action
from mattran.common.forms import attach_errors
from mattran.common.vn import fold
from mattran.funds import disbursement_exports as exports
from mattran.funds import disbursement_selectors as sel
from mattran.funds import disbursements as services
from mattran.funds.disbursement_forms import AllocationForm, CancelForm, MatchForm, PaymentForm, area_units
from mattran.funds.models import Allocation, Drive, PaymentMethod
from mattran.workspace.access import staff_view

ACTION = Action.FUNDS_MANAGE
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@staff_view(ACTION)
def drive_index(request: HttpRequest) -> HttpResponse:
    """The drives the viewer manages, each with its money figures and a link to its allocations."""
    drives = list(sel.drives_visible_to(user=request.user).order_by("-starts_on", "title")[:100])
    rows = [(drive, sel.drive_money(drive)) for drive in drives]
    return render(request, "funds/disbursements/drive_index.html", {"rows": rows})


@staff_view(ACTION)
def allocation_list(request: HttpRequest, drive_id: int) -> HttpResponse:
    drive = sel.drive_for(user=request.user, drive_id=drive_id)
    allocations = list(sel.allocation_list(user=request.user, drive=drive))
    for allocation in allocations:
        allocation.remaining = allocation.amount - allocation.paid  # type: ignore[attr-defined]
    return render(request, "funds/disbursements/allocation_list.html", {
        "drive": drive, "money": sel.drive_money(drive), "allocations": allocations,
        "unmatched_count": len(sel.unmatched_debits(drive)), "wards": area_units(drive),
    })


def _allocation_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.ALLOCATION_FIELDS if name in data}


@staff_view(ACTION)
def allocation_create(request: HttpRequest, drive_id: int) -> HttpResponse:
    drive = sel.drive_for(user=request.user, drive_id=drive_id)
    form = AllocationForm(request.POST or None, drive=drive,
                          initial={"decision_date": timezone.localdate(), "is_published": True})
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.allocation_create(actor=request.user, drive=drive,
                                                    **_allocation_values(form.cleaned_data))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Đã ghi phân bổ cho {allocation.recipient_name}.")
            return redirect("funds_disbursements:allocation_detail", allocation_id=allocation.pk)
    return render(request, "funds/disbursements/allocation_form.html", {
        "form": form, "drive": drive, "allocation": None, "money": sel.drive_money(drive)})


@staff_view(ACTION)
def allocation_edit(request: HttpRequest, allocation_id: int) -> HttpResponse:
    allocation = sel.allocation_for(user=request.user, allocation_id=allocation_id)
    drive = allocation.drive
    if allocation.is_cancelled:
        messages.error(request, "Phân bổ đã hủy, không sửa được.")
        return redirect("funds_disbursements:allocation_detail", allocation_id=allocation.pk)
    paid = allocation.paid  # type: ignore[attr-defined]
    initial = {name: getattr(allocation, name) for name in services.ALLOCATION_FIELDS}
    form = AllocationForm(request.POST or None, drive=drive, paid=paid, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = _allocation_values(form.cleaned_data)
        if paid:
            values = {k: v for k, v in values.items() if k in services.EDITABLE_AFTER_PAYMENT}
        try:
            services.allocation_update(actor=request.user, allocation=allocation, **values)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã lưu phân bổ.")
            return redirect("funds_disbursements:allocation_detail", allocation_id=allocation.pk)
    return render(request, "funds/disbursements/allocation_form.html", {
        "form": form, "drive": drive, "allocation": allocation, "money": sel.drive_money(drive)})


def _detail(request: HttpRequest, allocation: Allocation, *, payment_form: PaymentForm | None = None,
            cancel_form: CancelForm | None = None) -> HttpResponse:
    paid = allocation.paid  # type: ignore[attr-defined]
    return render(request, "funds/disbursements/allocation_detail.html", {
        "allocation": allocation, "drive": allocation.drive, "payments": sel.payments_of(allocation),
        "paid": paid, "remaining": allocation.amount - paid,
        "payment_form": payment_form or PaymentForm(initial={
            "amount": allocation.amount - paid or None, "paid_on": timezone.localdate(),
            "method": PaymentMethod.BANK}),
        "cancel_form": cancel_form or CancelForm(),
    })


@staff_view(ACTION)
def allocation_detail(request: HttpRequest, allocation_id: int) -> HttpResponse:
    return _detail(request, sel.allocation_for(user=request.user, allocation_id=allocation_id))


@staff_view(ACTION)
@require_POST
def allocation_cancel(request: HttpRequest, allocation_id: int) -> HttpResponse:
    allocation = sel.allocation_for(user=request.user, allocation_id=allocation_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.allocation_cancel(actor=request.user, allocation=allocation,
                                       reason=form.cleaned_data["cancel_reason"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã hủy phân bổ; số tiền được trả lại cho đợt vận động.")
            return redirect("funds_disbursements:allocation_detail", allocation_id=allocation.pk)
    return _detail(request, allocation, cancel_form=form)


@staff_view(ACTION)
@require_POST
def payment_create(request: HttpRequest, allocation_id: int) -> HttpResponse:
    allocation = sel.allocation_for(user=request.user, allocation_id=allocation_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = services.payment_record(actor=request.user, allocation=allocation, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã ghi khoản chi.")
            if payment.method == PaymentMethod.BANK and sel.match_suggestions(payment):
                return redirect("funds_disbursements:payment_match", payment_id=payment.pk)
            return redirect("funds_disbursements:allocation_detail", allocation_id=allocation.pk)
    return _detail(request, allocation, payment_form=form)


@staff_view(ACTION)
def payment_match(request: HttpRequest, payment_id: int) -> HttpResponse:
    """The picker: suggested rows first (same amount, within 7 days), then every unmatched row of the drive."""
    payment = sel.payment_for(user=request.user, payment_id=payment_id)
    drive = payment.allocation.drive
    form = MatchForm(request.POST or None, drive=drive)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_match(actor=request.user, payment=payment, entry=form.cleaned_data["entry"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã khớp khoản chi với dòng sao kê.")
            return redirect("funds_disbursements:allocation_detail", allocation_id=payment.allocation_id)
    suggestions = sel.match_suggestions(payment) if payment.method == PaymentMethod.BANK else []
    suggested = {e.pk for e in suggestions}
    others = [e for e in sel.unmatched_debits(drive) if e.pk not in suggested]
    return render(request, "funds/disbursements/payment_match.html", {
        "payment": payment, "allocation": payment.allocation, "drive": drive, "form": form,
        "suggestions": suggestions, "others": others,
        "can_match": payment.method == PaymentMethod.BANK,
    })


@staff_view(ACTION)
@require_POST
def payment_unmatch(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = sel.payment_for(user=request.user, payment_id=payment_id)
    services.payment_unmatch(actor=request.user, payment=payment)
    messages.success(request, "Đã bỏ khớp khoản chi với dòng sao kê.")
    return redirect("funds_disbursements:allocation_detail", allocation_id=payment.allocation_id)


@staff_view(ACTION)
@require_POST
def payment_delete(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = sel.payment_for(user=request.user, payment_id=payment_id)
    allocation_id = payment.allocation_id
    services.payment_delete(actor=request.user, payment=payment)
    messages.success(request, "Đã xóa khoản chi ghi nhầm.")
    return redirect("funds_disbursements:allocation_detail", allocation_id=allocation_id)


@staff_view(ACTION)
def unmatched_debits(request: HttpRequest, drive_id: int) -> HttpResponse:
    drive = sel.drive_for(user=request.user, drive_id=drive_id)
    rows = sel.unmatched_debits(drive)
    return render(request, "funds/disbursements/unmatched_debits.html", {
        "drive": drive, "rows": rows, "total": sum(r.remaining for r in rows),  # type: ignore[attr-defined]
        "unmatched_payments": sel.unmatched_bank_payments(drive),
    })


def _ward(request: HttpRequest, drive: Drive) -> Any:
    raw = request.GET.get("xa", "")
    return area_units(drive).filter(pk=int(raw)).first() if raw.isdigit() else None


def _filename(drive: Drive, ward: Any, ext: str) -> str:
    base = slugify(fold(f"danh-sach-ho-tro-{drive.slug}" + (f"-{ward.short_name}" if ward else "")))
    return f"{base or 'danh-sach-ho-tro'}.{ext}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_view(ACTION)
def recipients_xlsx(request: HttpRequest, drive_id: int) -> HttpResponse:
    drive = sel.drive_for(user=request.user, drive_id=drive_id)
    ward = _ward(request, drive)
    return _download(exports.recipients_xlsx(drive, ward=ward), XLSX, _filename(drive, ward, "xlsx"))


@staff_view(ACTION)
def recipients_docx(request: HttpRequest, drive_id: int) -> HttpResponse:
    drive = sel.drive_for(user=request.user, drive_id=drive_id)
    ward = _ward(request, drive)
    try:
        content = exports.recipients_docx(drive, ward=ward)
    except exports.ExportUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("funds_disbursements:allocation_list", drive_id=drive.pk)
    return _download(content, DOCX, _filename(drive, ward, "docx"))
