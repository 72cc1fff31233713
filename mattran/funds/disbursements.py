"""Writes for money going out of a drive: allocations (decisions to give) and payments (money actually paid).

Every service takes ``actor`` first, checks ``FUNDS_MANAGE`` on the drive's unit, runs in one transaction with
the drive row locked (so two cadres cannot both spend the last đồng), records an audit event and either does
everything or raises :class:`ValidationError` (messages in Vietnamese, keyed by form field) and changes nothing.

Invariants kept here (decision 0013):

* a drive never allocates more than it has received (``allocated ≤ received``);
* nothing is paid beyond an allocation (``paid(allocation) ≤ allocation.amount``), nor beyond what the drive
  has received (``paid ≤ received``);
* a payment matched to a statement row is a bank payment, the row is a debit (not a correction, not cancelled
  by one) on one of the drive's bank accounts, and the payments matched to one row add up to at most its
  amount;
* once money has been paid against an allocation, its amount, recipient and decision are fixed; a cancelled
  allocation is kept (with the reason) and counts for nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mattran.accounts.permissions import Action, require
from mattran.audit.services import diff, record, snapshot
from mattran.common.vn import money
from mattran.funds import disbursement_selectors as sel
from mattran.funds.models import (
    AccountKind,
    Allocation,
    Drive,
    EntrySource,
    LedgerEntry,
    Payment,
    PaymentMethod,
    RecipientKind,
)
from mattran.organisations.models import AdminUnit

#: Fields of an allocation that can still change after money has been paid against it.
EDITABLE_AFTER_PAYMENT = ("area_unit", "residential_area", "purpose", "decision_issuer", "is_published")
#: Fields fixed once money has been paid: they are what the payment was made against.
FIXED_AFTER_PAYMENT = ("recipient_kind", "recipient_name", "recipient_unit", "amount", "decision_number",
                       "decision_date")
FIELD_NAMES = {"recipient_kind": "loại người nhận", "recipient_name": "người nhận", "recipient_unit": "đơn vị nhận",
               "amount": "số tiền", "decision_number": "số quyết định", "decision_date": "ngày quyết định"}
ALLOCATION_FIELDS = FIXED_AFTER_PAYMENT + EDITABLE_AFTER_PAYMENT
PAYMENT_FIELDS = ("amount", "paid_on", "method", "entry", "reference", "note")

LIMITS = {"recipient_name": 250, "residential_area": 200, "purpose": 300, "decision_number": 60,
          "decision_issuer": 200, "reference": 120, "note": 300, "cancel_reason": 300}
LABELS = {"recipient_name": "Tên người/đơn vị nhận", "residential_area": "Khu dân cư", "purpose": "Nội dung hỗ trợ",
          "decision_number": "Số quyết định", "decision_issuer": "Cơ quan quyết định", "reference": "Chứng từ",
          "note": "Ghi chú", "cancel_reason": "Lý do hủy"}


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _check_length(errors: dict[str, list[str]], field: str, value: str) -> None:
    if len(value) > LIMITS[field]:
        errors.setdefault(field, []).append(f"{LABELS[field]} dài tối đa {LIMITS[field]} ký tự.")


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _lock_drive(drive: Drive) -> Drive:
    return Drive.objects.select_for_update(of=("self",)).select_related("unit").get(pk=drive.pk)


def _lock_allocation(allocation: Allocation) -> Allocation:
    return (Allocation.objects.select_for_update(of=("self",)).select_related("drive", "drive__unit")
            .get(pk=allocation.pk))


def _today() -> dt.date:
    return timezone.localdate()


def _in_subtree(unit: AdminUnit, root: AdminUnit) -> bool:
    return unit.path.startswith(root.path)


def _allocation_values(drive: Drive, values: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    """Clean and check the fields of an allocation (those present in ``values``)."""
    out: dict[str, Any] = {}
    for field in ("recipient_name", "residential_area", "purpose", "decision_number", "decision_issuer"):
        if field in values:
            out[field] = _clean(values[field])
            _check_length(errors, field, out[field])
    if "recipient_kind" in values:
        out["recipient_kind"] = values["recipient_kind"]
        if out["recipient_kind"] not in RecipientKind.values:
            errors.setdefault("recipient_kind", []).append("Hãy chọn loại người nhận.")
    if "recipient_name" in out and not out["recipient_name"]:
        errors.setdefault("recipient_name", []).append("Hãy nhập tên người hoặc đơn vị nhận.")
    if "purpose" in out and not out["purpose"]:
        errors.setdefault("purpose", []).append("Hãy nhập nội dung hỗ trợ.")
    if "decision_number" in out and not out["decision_number"]:
        errors.setdefault("decision_number", []).append("Hãy nhập số quyết định phân bổ.")
    if "decision_date" in values:
        out["decision_date"] = values["decision_date"]
        if out["decision_date"] is None:
            errors.setdefault("decision_date", []).append("Hãy nhập ngày quyết định.")
        elif out["decision_date"] > _today():
            errors.setdefault("decision_date", []).append("Ngày quyết định không được sau hôm nay.")
    if "amount" in values:
        out["amount"] = values["amount"]
        if not isinstance(out["amount"], int) or out["amount"] <= 0:
            errors.setdefault("amount", []).append("Số tiền phân bổ phải lớn hơn 0.")
    if "area_unit" in values:
        out["area_unit"] = values["area_unit"]
        if out["area_unit"] is not None and not _in_subtree(out["area_unit"], drive.unit):
            errors.setdefault("area_unit", []).append(
                f"Xã, phường phải thuộc {drive.unit.name}, đơn vị phát động đợt vận động.")
    if "recipient_unit" in values:
        out["recipient_unit"] = values["recipient_unit"]
    if "is_published" in values:
        out["is_published"] = bool(values["is_published"])
    return out


def _check_recipient(merged: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Households and persons are listed by ward and residential area, so both are needed for them."""
    if merged.get("recipient_kind") in (RecipientKind.HOUSEHOLD, RecipientKind.PERSON):
        if merged.get("area_unit") is None:
            errors.setdefault("area_unit", []).append("Hộ gia đình, cá nhân nhận hỗ trợ cần ghi xã, phường.")
        if not merged.get("residential_area"):
            errors.setdefault("residential_area", []).append(
                "Hộ gia đình, cá nhân nhận hỗ trợ cần ghi thôn, tổ dân phố để niêm yết danh sách.")


def _check_can_allocate(drive: Drive, extra: int, errors: dict[str, list[str]]) -> None:
    """Refuse to allocate money the drive has not received, showing the figures."""
    figures = sel.drive_money(drive)
    if figures.allocated + extra > figures.received:
        available = max(figures.received - figures.allocated, 0)
        errors.setdefault("amount", []).append(
            f"Không thể phân bổ {money(extra)}: đợt vận động mới nhận {money(figures.received)}, "
            f"đã phân bổ {money(figures.allocated)}, chỉ còn có thể phân bổ {money(available)}."
        )


def allocation_create(
    *, actor: Any, drive: Drive, recipient_kind: str, recipient_name: str, purpose: str, amount: int,
    decision_number: str, decision_date: dt.date | None, decision_issuer: str = "",
    recipient_unit: AdminUnit | None = None, area_unit: AdminUnit | None = None, residential_area: str = "",
    is_published: bool = True,
) -> Allocation:
    """Record a decision to give ``amount`` đồng of ``drive`` to a recipient."""
    require(actor, Action.FUNDS_MANAGE, drive.unit)
    if not _is_user(actor):
        raise ValidationError("Phân bổ phải do một cán bộ lập (cần người lập).")
    with transaction.atomic():
        drive = _lock_drive(drive)
        errors: dict[str, list[str]] = {}
        values = _allocation_values(drive, {
            "recipient_kind": recipient_kind, "recipient_name": recipient_name, "purpose": purpose,
            "amount": amount, "decision_number": decision_number, "decision_date": decision_date,
            "decision_issuer": decision_issuer, "recipient_unit": recipient_unit, "area_unit": area_unit,
            "residential_area": residential_area, "is_published": is_published,
        }, errors)
        _check_recipient(values, errors)
        if "amount" not in errors:
            _check_can_allocate(drive, values["amount"], errors)
        _raise(errors)
        allocation = Allocation.objects.create(drive=drive, created_by=actor, **values)
        record(actor=actor, action="funds.allocation_create", target=allocation, unit=drive.unit,
               changes={**snapshot(allocation, ALLOCATION_FIELDS), "drive": str(drive)})
    return allocation


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def allocation_update(*, actor: Any, allocation: Allocation, **changes: Any) -> Allocation:
    """Change an allocation. Before any payment every field may change (with the same checks as at creation);
    after the first payment only :data:`EDITABLE_AFTER_PAYMENT` may. A cancelled allocation does not change."""
    unknown = set(changes) - set(ALLOCATION_FIELDS)
    if unknown:
        raise TypeError(f"allocation_update() got unknown fields {sorted(unknown)}")
    require(actor, Action.FUNDS_MANAGE, allocation.drive.unit)
    with transaction.atomic():
        drive = _lock_drive(allocation.drive)
        allocation = _lock_allocation(allocation)
        if allocation.is_cancelled:
            raise ValidationError("Phân bổ đã hủy, không sửa được.")
        errors: dict[str, list[str]] = {}
        values = _allocation_values(drive, changes, errors)
        before = snapshot(allocation, ALLOCATION_FIELDS)
        current = {f: getattr(allocation, f) for f in ALLOCATION_FIELDS}
        changed = {f: v for f, v in values.items() if current[f] != v}
        paid = sel.paid_for(allocation)
        if paid:
            for field in FIXED_AFTER_PAYMENT:
                if field in changed:
                    errors.setdefault(field, []).append(
                        f"Đã chi {money(paid)} theo phân bổ này nên không sửa được "
                        f"{FIELD_NAMES[field]}.")
        _check_recipient({**current, **values}, errors)
        if "amount" in changed and "amount" not in errors and changed["amount"] > allocation.amount:
            _check_can_allocate(drive, changed["amount"] - allocation.amount, errors)
        _raise(errors)
        if not changed:
            return allocation
        for field, value in changed.items():
            setattr(allocation, field, value)
        allocation.save(update_fields=[*changed, "updated_at"])
        record(actor=actor, action="funds.allocation_update", target=allocation, unit=drive.unit,
               changes=diff(before, snapshot(allocation, ALLOCATION_FIELDS)))
    return allocation


def allocation_cancel(*, actor: Any, allocation: Allocation, reason: str) -> Allocation:
    """Cancel an allocation against which nothing has been paid; the row stays, with the reason."""
    require(actor, Action.FUNDS_MANAGE, allocation.drive.unit)
    reason = _clean(reason)
    with transaction.atomic():
        drive = _lock_drive(allocation.drive)
        allocation = _lock_allocation(allocation)
        errors: dict[str, list[str]] = {}
        if allocation.is_cancelled:
            raise ValidationError("Phân bổ này đã hủy trước đó.")
        paid = sel.paid_for(allocation)
        if paid:
            raise ValidationError(
                f"Đã chi {money(paid)} theo phân bổ này nên không hủy được; hãy xóa các khoản chi ghi nhầm trước.")
        if not reason:
            errors["cancel_reason"] = ["Hãy ghi lý do hủy (ví dụ quyết định bị thu hồi)."]
        else:
            _check_length(errors, "cancel_reason", reason)
        _raise(errors)
        allocation.cancelled_at = timezone.now()
        allocation.cancel_reason = reason
        allocation.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
        record(actor=actor, action="funds.allocation_cancel", target=allocation, unit=drive.unit,
               changes={"amount": allocation.amount, "reason": reason})
    return allocation


def _check_entry(drive: Drive, entry: LedgerEntry, amount: int, errors: dict[str, list[str]],
                 *, payment: Payment | None = None) -> None:
    """A statement row that a payment of ``amount`` may be matched to."""
    account = entry.account
    if not drive.accounts.filter(pk=account.pk).exists():
        errors.setdefault("entry", []).append("Dòng sao kê này không thuộc tài khoản nào của đợt vận động.")
        return
    if account.kind != AccountKind.BANK:
        errors.setdefault("entry", []).append("Chỉ khớp khoản chi với dòng sao kê của tài khoản ngân hàng.")
        return
    if entry.amount >= 0:
        errors.setdefault("entry", []).append("Dòng sao kê này là tiền vào, không phải một khoản chi ra.")
        return
    if entry.source == EntrySource.CORRECTION or LedgerEntry.objects.filter(reverses=entry).exists():
        errors.setdefault("entry", []).append("Dòng này là bút toán điều chỉnh hoặc đã bị điều chỉnh hủy.")
        return
    # Lock the row so two payments cannot both take its last đồng.
    LedgerEntry.objects.select_for_update().filter(pk=entry.pk).values_list("pk", flat=True).first()
    already = sel.matched_total(entry, exclude=payment)
    if already + amount > -entry.amount:
        errors.setdefault("entry", []).append(
            f"Dòng sao kê ngày {entry.booked_on:%d/%m/%Y} chi {money(-entry.amount)}, các khoản chi khác đã khớp "
            f"{money(already)}; khoản chi {money(amount)} vượt quá phần còn lại {money(-entry.amount - already)}.")


def payment_record(
    *, actor: Any, allocation: Allocation, amount: int, paid_on: dt.date | None, method: str,
    entry: LedgerEntry | None = None, reference: str = "", note: str = "",
) -> Payment:
    """Record money paid against ``allocation``; a bank payment may be matched to its statement row now or
    later (:func:`payment_match`)."""
    require(actor, Action.FUNDS_MANAGE, allocation.drive.unit)
    if not _is_user(actor):
        raise ValidationError("Khoản chi phải do một cán bộ ghi (cần người ghi).")
    reference, note = _clean(reference), _clean(note)
    with transaction.atomic():
        drive = _lock_drive(allocation.drive)
        allocation = _lock_allocation(allocation)
        if allocation.is_cancelled:
            raise ValidationError("Phân bổ đã hủy, không ghi khoản chi được.")
        errors: dict[str, list[str]] = {}
        _check_length(errors, "reference", reference)
        _check_length(errors, "note", note)
        if method not in PaymentMethod.values:
            errors["method"] = ["Hãy chọn hình thức chi."]
        if paid_on is None:
            errors["paid_on"] = ["Hãy nhập ngày chi."]
        elif paid_on > _today():
            errors["paid_on"] = ["Ngày chi không được sau hôm nay."]
        elif paid_on < allocation.decision_date:
            errors["paid_on"] = [f"Ngày chi không được trước ngày quyết định phân bổ "
                                 f"({allocation.decision_date:%d/%m/%Y})."]
        if not isinstance(amount, int) or amount <= 0:
            errors["amount"] = ["Số tiền chi phải lớn hơn 0."]
        else:
            paid = sel.paid_for(allocation)
            if paid + amount > allocation.amount:
                errors["amount"] = [
                    f"Vượt số được phân bổ: phân bổ {money(allocation.amount)}, đã chi {money(paid)}, "
                    f"chỉ còn được chi {money(allocation.amount - paid)}."]
            else:
                figures = sel.drive_money(drive)
                if figures.paid + amount > figures.received:
                    errors["amount"] = [
                        f"Đợt vận động chỉ còn {money(max(figures.balance, 0))} (đã nhận "
                        f"{money(figures.received)}, đã chi {money(figures.paid)}), không đủ chi {money(amount)}."]
        if entry is not None:
            if method != PaymentMethod.BANK:
                errors.setdefault("entry", []).append("Chỉ khoản chuyển khoản mới khớp với dòng sao kê.")
            elif "amount" not in errors:
                _check_entry(drive, entry, amount, errors)
        _raise(errors)
        assert paid_on is not None
        payment = Payment.objects.create(allocation=allocation, amount=amount, paid_on=paid_on, method=method,
                                         entry=entry, reference=reference, note=note, created_by=actor)
        record(actor=actor, action="funds.payment_record", target=payment, unit=drive.unit,
               changes=snapshot(payment, PAYMENT_FIELDS))
    return payment


def payment_match(*, actor: Any, payment: Payment, entry: LedgerEntry) -> Payment:
    """Match a bank payment to the statement's debit row that records it (or move it to another row)."""
    require(actor, Action.FUNDS_MANAGE, payment.allocation.drive.unit)
    with transaction.atomic():
        drive = _lock_drive(payment.allocation.drive)
        payment = Payment.objects.select_for_update(of=("self",)).select_related("allocation").get(pk=payment.pk)
        errors: dict[str, list[str]] = {}
        if payment.method != PaymentMethod.BANK:
            errors["entry"] = ["Khoản chi tiền mặt không có dòng sao kê để khớp."]
        else:
            _check_entry(drive, entry, payment.amount, errors, payment=payment)
        _raise(errors)
        if payment.entry_id == entry.pk:
            return payment
        before = snapshot(payment, ("entry",))
        payment.entry = entry
        payment.save(update_fields=["entry", "updated_at"])
        record(actor=actor, action="funds.payment_match", target=payment, unit=drive.unit,
               changes=diff(before, snapshot(payment, ("entry",))))
    return payment


def payment_unmatch(*, actor: Any, payment: Payment) -> Payment:
    """Undo a wrong match: the payment stays, with no statement row."""
    require(actor, Action.FUNDS_MANAGE, payment.allocation.drive.unit)
    with transaction.atomic():
        drive = _lock_drive(payment.allocation.drive)
        payment = (Payment.objects.select_for_update(of=("self",)).select_related("entry", "entry__account")
                   .get(pk=payment.pk))
        if payment.entry_id is None:
            return payment
        before = snapshot(payment, ("entry",))
        payment.entry = None
        payment.save(update_fields=["entry", "updated_at"])
        record(actor=actor, action="funds.payment_unmatch", target=payment, unit=drive.unit,
               changes=diff(before, {"entry": None}))
    return payment


def payment_delete(*, actor: Any, payment: Payment) -> None:
    """Remove a payment recorded by mistake; the audit event keeps what it said."""
    require(actor, Action.FUNDS_MANAGE, payment.allocation.drive.unit)
    with transaction.atomic():
        drive = _lock_drive(payment.allocation.drive)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        record(actor=actor, action="funds.payment_delete", target=payment, unit=drive.unit,
               changes={**snapshot(payment, PAYMENT_FIELDS), "allocation": str(payment.allocation)})
        payment.delete()
