"""Forms of the allocation and payment pages. They parse; the rules live in :mod:`mattran.funds.disbursements`.

Amounts are typed as text ("1.000.000") and read by :func:`mattran.common.vn.parse_money`; choice fields offer only
the units of the drive's subtree and the drive's own debit rows, and the services check again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from mattran.funds.disbursements import LIMITS
from mattran.funds.forms import MoneyField, UnitChoiceField
from mattran.funds.models import Drive, LedgerEntry, PaymentMethod, RecipientKind
from mattran.organisations.models import AdminUnit, UnitLevel

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Ngày không hợp lệ (ví dụ 15/09/2024).", "required": "Hãy chọn ngày."})


def _text(label: str, field: str, *, required: bool = False, help_text: str = "",
          required_message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=LIMITS[field], help_text=help_text,
        error_messages={"required": required_message or f"Hãy nhập {label.lower()}.",
                        "max_length": f"{label} dài tối đa {LIMITS[field]} ký tự."})


def area_units(drive: Drive) -> QuerySet[AdminUnit]:
    """Communes (xã, phường) in the drive unit's subtree: where a recipient household lives."""
    return AdminUnit.objects.filter(path__startswith=drive.unit.path, level=UnitLevel.COMMUNE).order_by("path")


def recipient_units(drive: Drive) -> QuerySet[AdminUnit]:
    """Units below the drive's unit that may receive an allocation (a commune committee, a district…)."""
    return (AdminUnit.objects.filter(path__startswith=drive.unit.path)
            .exclude(level=UnitLevel.RESIDENTIAL).exclude(pk=drive.unit.pk).order_by("path"))


class AllocationForm(forms.Form):
    recipient_kind = forms.ChoiceField(label="Loại người nhận", choices=RecipientKind.choices,
                                       error_messages={"required": "Hãy chọn loại người nhận.",
                                                       "invalid_choice": "Hãy chọn loại người nhận."})
    recipient_name = _text("Người/đơn vị nhận", "recipient_name", required=True,
                           required_message="Hãy nhập tên người hoặc đơn vị nhận.",
                           help_text="Ví dụ: Hộ bà Nguyễn Thị Lan; Ủy ban MTTQ xã Đồng Đăng; Nhà văn hóa thôn 2.")
    recipient_unit = UnitChoiceField(label="Đơn vị nhận (nếu là đơn vị)", queryset=AdminUnit.objects.none(),
                                     required=False, empty_label="—",
                                     error_messages={"invalid_choice": "Hãy chọn một đơn vị trong danh sách."})
    area_unit = UnitChoiceField(label="Xã, phường", queryset=AdminUnit.objects.none(), required=False,
                                empty_label="—", help_text="Bắt buộc với hộ gia đình, cá nhân.",
                                error_messages={"invalid_choice": "Hãy chọn một xã, phường trong danh sách."})
    residential_area = _text("Khu dân cư (thôn, tổ dân phố)", "residential_area",
                             help_text="Nơi niêm yết danh sách; bắt buộc với hộ gia đình, cá nhân.")
    purpose = _text("Nội dung hỗ trợ", "purpose", required=True, help_text="Ví dụ: Hỗ trợ sửa chữa nhà ở sau bão.")
    amount = MoneyField(label="Số tiền phân bổ (đồng)")
    decision_number = _text("Số quyết định", "decision_number", required=True,
                            required_message="Hãy nhập số quyết định phân bổ.", help_text="Ví dụ: 15/QĐ-MTTQ-BTT.")
    decision_date = date_field("Ngày quyết định")
    decision_issuer = _text("Cơ quan quyết định", "decision_issuer",
                            help_text="Ví dụ: Ban Thường trực Ủy ban MTTQ Việt Nam phường.")
    is_published = forms.BooleanField(label="Công khai trên trang minh bạch", required=False, initial=True)

    def __init__(self, *args: Any, drive: Drive, paid: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drive = drive
        self.fields["area_unit"].queryset = area_units(drive)  # type: ignore[attr-defined]
        self.fields["recipient_unit"].queryset = recipient_units(drive)  # type: ignore[attr-defined]
        if paid:
            from mattran.funds.disbursements import FIXED_AFTER_PAYMENT

            for name in FIXED_AFTER_PAYMENT:
                self.fields[name].disabled = True
                self.fields[name].help_text = "Đã có khoản chi theo phân bổ này nên không sửa được."


class CancelForm(forms.Form):
    cancel_reason = _text("Lý do hủy", "cancel_reason", required=True,
                          required_message="Hãy ghi lý do hủy (ví dụ quyết định bị thu hồi).")


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        from mattran.common.vn import date_short, money

        return f"{date_short(obj.booked_on)} · {money(-obj.amount)} · {obj.memo_raw[:80]}"


class PaymentForm(forms.Form):
    amount = MoneyField(label="Số tiền chi (đồng)")
    paid_on = date_field("Ngày chi")
    method = forms.ChoiceField(label="Hình thức", choices=PaymentMethod.choices, initial=PaymentMethod.BANK,
                               widget=forms.RadioSelect,
                               error_messages={"required": "Hãy chọn hình thức chi.",
                                               "invalid_choice": "Hãy chọn hình thức chi."})
    reference = _text("Chứng từ", "reference", help_text="Số phiếu chi, số lệnh chuyển tiền…")
    note = _text("Ghi chú", "note")


class MatchForm(forms.Form):
    entry = EntryChoiceField(label="Dòng sao kê", queryset=LedgerEntry.objects.none(), widget=forms.RadioSelect,
                             error_messages={"required": "Hãy chọn một dòng sao kê.",
                                             "invalid_choice": "Dòng sao kê này không có trong danh sách."})

    def __init__(self, *args: Any, drive: Drive, **kwargs: Any) -> None:
        from mattran.funds.disbursement_selectors import drive_debits

        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = drive_debits(drive)  # type: ignore[attr-defined]
