from typing import Any

from django import forms

from mattran.organisations.models import AdminUnit, FrontBody, MemberOrganisation, Person, Position, Term


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "phone", "email", "address"]
        error_messages = {"full_name": {"required": "Vui lòng nhập họ và tên."},
                          "email": {"invalid": "Địa chỉ thư điện tử không hợp lệ."}}

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = phone.replace(" ", "").replace(".", "").replace("-", "").lstrip("+")
        if phone and (not digits.isdigit() or not 9 <= len(digits) <= 12):
            raise forms.ValidationError("Số điện thoại chỉ gồm 9–12 chữ số (có thể có dấu cách, dấu chấm).")
        return phone


class PersonWithPositionForm(PersonForm):
    term = forms.ModelChoiceField(label="Khóa", queryset=Term.objects.none(), required=False,
                                  empty_label="— Chưa giao chức danh —",
                                  error_messages={"invalid_choice": "Khóa đã chọn không thuộc đơn vị này."})
    role = forms.ChoiceField(label="Chức danh", choices=[("", "—"), *Position.Role.choices], required=False)
    representing = forms.ModelChoiceField(label="Đại diện cho tổ chức", queryset=MemberOrganisation.objects.none(),
                                          required=False, empty_label="— Không —")

    class Meta(PersonForm.Meta):
        pass

    def __init__(self, *args: Any, unit: AdminUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(body__unit=unit).select_related("body")  # type: ignore[attr-defined]
        self.fields["representing"].queryset = MemberOrganisation.objects.filter(unit=unit)  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("term") and not data.get("role"):
            self.add_error("role", "Vui lòng chọn chức danh cho khóa đã chọn.")
        if data.get("role") and not data.get("term"):
            self.add_error("term", "Vui lòng chọn khóa cho chức danh này.")
        return data


class TermForm(forms.Form):
    body = forms.ModelChoiceField(label="Cơ quan", queryset=FrontBody.objects.none(),
                                  error_messages={"required": "Vui lòng chọn cơ quan.",
                                                  "invalid_choice": "Cơ quan đã chọn không thuộc đơn vị này."})
    ordinal = forms.IntegerField(label="Khóa (số thứ tự)", min_value=1, max_value=100,
                                 help_text="Ví dụ 15 cho “khóa XV”. Đơn vị mới thành lập năm 2025 bắt đầu từ 1.",
                                 error_messages={"required": "Vui lòng nhập số khóa.",
                                                 "invalid": "Số khóa phải là số nguyên.",
                                                 "min_value": "Số khóa phải từ 1 trở lên."})
    start_year = forms.IntegerField(label="Năm bắt đầu nhiệm kỳ", min_value=1930, max_value=2100,
                                    error_messages={"required": "Vui lòng nhập năm bắt đầu.",
                                                    "invalid": "Năm phải là số."})
    end_year = forms.IntegerField(label="Năm kết thúc nhiệm kỳ", min_value=1930, max_value=2100,
                                  error_messages={"required": "Vui lòng nhập năm kết thúc.",
                                                  "invalid": "Năm phải là số."})

    def __init__(self, *args: Any, unit: AdminUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = FrontBody.objects.filter(unit=unit)  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", "Năm kết thúc không được trước năm bắt đầu.")
        return data
