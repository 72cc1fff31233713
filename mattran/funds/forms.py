"""Forms of the staff funds pages. They parse and show errors; the rules live in :mod:`drive_services`.

Amounts are typed as text ("1.000.000" or "1000000") and read by :func:`mattran.common.vn.parse_money`, so a
wrong entry comes back next to its field with the typed text kept. Choice fields offer only what the viewer may
use (units, funds, accounts in scope), and the services check again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from mattran.common import vn
from mattran.funds import vietqr
from mattran.funds.drive_services import DRIVE_MEMO_MAX, PLEDGE_MEMO_MAX, fold_code
from mattran.funds.models import Fund, FundKind, Pledge, ReceivingAccount
from mattran.organisations.models import AdminUnit

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Ngày không hợp lệ (ví dụ 15/09/2024).", "required": "Hãy chọn ngày."})


class MoneyField(forms.CharField):
    """Integer đồng typed by a person; ``None`` when left blank on an optional field. (No ``max_length``: its
    validator would run on the parsed integer; :func:`vn.parse_money` refuses anything over 13 digits.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                            "placeholder": "1.000.000", "maxlength": "40"}))
        kwargs.setdefault("error_messages", {"required": "Hãy nhập số tiền."})
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return vn.parse_money(text)
        except vn.MoneyError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def prepare_value(self, value: Any) -> Any:
        return f"{value:,}".replace(",", ".") if isinstance(value, int) and not isinstance(value, bool) else value


class UnitChoiceField(forms.ModelChoiceField):
    """Units in tree order, indented below the highest one offered."""

    _top: int | None = None

    def label_from_instance(self, obj: Any) -> str:
        if self._top is None:
            paths = self.queryset.values_list("path", flat=True) if self.queryset is not None else []
            self._top = min((p.count("/") for p in paths), default=0)
        return "— " * min(max(0, obj.path.count("/") - self._top), 4) + obj.name


class AccountChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.bank_name} {obj.number} — {obj.holder_name}"


class PledgeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.unit.name} ({obj.memo_code})"


class FundForm(forms.Form):
    name = forms.CharField(label="Tên quỹ", max_length=200)
    kind = forms.ChoiceField(label="Loại quỹ", choices=FundKind.choices, initial=FundKind.POOR)
    unit = UnitChoiceField(label="Đơn vị quản lý", queryset=AdminUnit.objects.none(), empty_label=None)

    def __init__(self, *args: Any, units: QuerySet[AdminUnit], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        if editing:
            del self.fields["unit"]


class DriveForm(forms.Form):
    fund = forms.ModelChoiceField(label="Quỹ", queryset=Fund.objects.none(), empty_label=None)
    unit = UnitChoiceField(label="Đơn vị phát động", queryset=AdminUnit.objects.none(), empty_label=None)
    title = forms.CharField(label="Tên đợt vận động", max_length=250)
    slug = forms.CharField(label="Đường dẫn trên trang minh bạch", max_length=120, required=False,
                           help_text="Để trống để tạo tự động từ tên đợt, ví dụ vi-bien-dao-viet-nam-2025.")
    memo_code = forms.CharField(
        label="Mã nội dung chuyển khoản", max_length=40,
        help_text=f"3–{DRIVE_MEMO_MAX} ký tự: chữ không dấu, chữ số, dấu cách, ví dụ BIENDAO2025. "
                  "In vào mã VietQR để nhận diện khoản ủng hộ.")
    appeal_number = forms.CharField(label="Số văn bản kêu gọi", max_length=60, required=False)
    appeal_date = _date_field("Ngày văn bản kêu gọi", required=False)
    appeal_text = forms.CharField(label="Nội dung lời kêu gọi", required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    target_amount = MoneyField(label="Chỉ tiêu (đồng)", required=False)
    starts_on = _date_field("Bắt đầu")
    ends_on = _date_field("Kết thúc", required=False)
    accounts = AccountChoiceField(
        label="Tài khoản nhận", queryset=ReceivingAccount.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    is_public = forms.BooleanField(label="Công bố trên trang minh bạch", required=False, initial=True)

    def __init__(self, *args: Any, funds: QuerySet[Fund], units: QuerySet[AdminUnit] | None,
                 accounts: QuerySet[ReceivingAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("fund", funds), ("accounts", accounts), ("unit", units)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            if queryset is None:
                del self.fields[name]
            else:
                field.queryset = queryset

    def clean_memo_code(self) -> str:
        code = fold_code(self.cleaned_data["memo_code"])
        if not (3 <= len(code) <= DRIVE_MEMO_MAX) or not code.replace(" ", "").isalnum() or not code.isascii():
            raise forms.ValidationError(f"Mã gồm 3–{DRIVE_MEMO_MAX} ký tự: chữ không dấu, chữ số và dấu cách.")
        return code


class PledgeForm(forms.Form):
    unit = UnitChoiceField(label="Đơn vị vận động", queryset=AdminUnit.objects.none())
    amount = MoneyField(label="Số cam kết (đồng)", required=False)
    memo_code = forms.CharField(
        label="Mã nội dung chuyển khoản", max_length=40, required=False,
        help_text=f"Để trống để dùng mã đợt kèm tên đơn vị, ví dụ BIENDAO2025 BACHMAI (tối đa {PLEDGE_MEMO_MAX} "
                  "ký tự).")
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args: Any, units: QuerySet[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class AccountForm(forms.Form):
    bank_name = forms.ChoiceField(label="Ngân hàng", choices=[(b, b) for b in vietqr.BANK_BINS])
    number = forms.CharField(label="Số tài khoản", max_length=40,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    holder_name = forms.CharField(label="Chủ tài khoản", max_length=200,
                                  help_text="Đúng như in trên sao kê của ngân hàng.")
    unit = UnitChoiceField(label="Đơn vị quản lý", queryset=AdminUnit.objects.none(), empty_label=None)
    statement_published = forms.BooleanField(
        label="Công khai sao kê", required=False,
        help_text="Khi không công khai, trang minh bạch chỉ hiện tổng số, không hiện từng giao dịch.")

    def __init__(self, *args: Any, units: QuerySet[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units


class CloseDaysForm(forms.Form):
    through = _date_field("Chốt sổ đến hết ngày")

    def __init__(self, *args: Any, today: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_through(self) -> Any:
        through = self.cleaned_data["through"]
        if through >= self.today:
            raise forms.ValidationError("Chỉ chốt được những ngày đã qua (trước hôm nay).")
        return through


class ReceiptForm(forms.Form):
    pledge = PledgeChoiceField(label="Thu theo đơn vị vận động", queryset=Pledge.objects.none(),
                                    required=False, empty_label="(Đơn vị phát động thu trực tiếp)")
    payer_name = forms.CharField(label="Họ tên người nộp", max_length=200)
    payer_address = forms.CharField(label="Địa chỉ", max_length=300, required=False)
    amount = MoneyField(label="Số tiền (đồng)")
    received_on = _date_field("Ngày thu")
    note = forms.CharField(label="Nội dung", max_length=300, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "Ủng hộ đồng bào bị bão lũ"}))
    is_anonymous = forms.BooleanField(label="Người nộp muốn công bố ẩn danh", required=False)

    def __init__(self, *args: Any, pledges: QuerySet[Pledge], allow_direct: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pledge"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = pledges
        if not allow_direct:
            field.required = True
            field.empty_label = None
        if not pledges.exists():
            del self.fields["pledge"]


class CorrectionForm(forms.Form):
    reason = forms.CharField(label="Lý do điều chỉnh", max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Hãy ghi lý do điều chỉnh."})
    confirm = forms.BooleanField(
        label="Tôi hiểu: một bút toán đảo ngược sẽ được ghi thêm vào sổ quỹ và không thể xóa.",
        error_messages={"required": "Hãy đánh dấu xác nhận trước khi ghi bút toán điều chỉnh."})


class AnonymityForm(forms.Form):
    note = forms.CharField(label="Ghi chú (người ủng hộ yêu cầu qua đâu, khi nào)", max_length=300, required=False)
    confirm = forms.BooleanField(
        label="Người ủng hộ đã yêu cầu được công bố là “Nhà hảo tâm ẩn danh”.",
        error_messages={"required": "Hãy đánh dấu xác nhận."})


class QrAmountForm(forms.Form):
    so_tien = MoneyField(label="Số tiền in sẵn trong mã (không bắt buộc)", required=False)
