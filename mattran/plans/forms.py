"""Forms of the work-plan pages. Business rules live in the services; these only parse input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from mattran.organisations.models import AdminUnit, MemberOrganisation
from mattran.plans.models import TaskGroup, TaskStatus

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    title = forms.CharField(label="Tên kế hoạch", max_length=255,
                            error_messages={"required": "Vui lòng nhập tên kế hoạch."})
    period_label = forms.CharField(label="Kỳ", max_length=80, required=False,
                                   help_text="Ví dụ: 6 tháng cuối năm 2022.")
    period_start = forms.DateField(label="Từ ngày", widget=DATE_WIDGET,
                                   error_messages={"required": "Vui lòng nhập ngày bắt đầu.",
                                                   "invalid": "Ngày không hợp lệ."})
    period_end = forms.DateField(label="Đến ngày", widget=DATE_WIDGET,
                                 error_messages={"required": "Vui lòng nhập ngày kết thúc.",
                                                 "invalid": "Ngày không hợp lệ."})


class GroupForm(forms.Form):
    title = forms.CharField(label="Tên nhóm nhiệm vụ", max_length=300,
                            error_messages={"required": "Vui lòng nhập tên nhóm nhiệm vụ."})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "nhom_%s")
        super().__init__(*args, **kwargs)


class TaskForm(forms.Form):
    group = forms.ModelChoiceField(label="Nhóm nhiệm vụ", queryset=TaskGroup.objects.none(),
                                   error_messages={"required": "Vui lòng chọn nhóm nhiệm vụ.",
                                                   "invalid_choice": "Nhóm nhiệm vụ không hợp lệ."})
    title = forms.CharField(label="Nhiệm vụ", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                            error_messages={"required": "Vui lòng nhập nhiệm vụ."})
    owner_unit = forms.ModelChoiceField(label="Đơn vị chủ trì", queryset=AdminUnit.objects.none(), required=False,
                                        empty_label="— Không —")
    owner_org = forms.ModelChoiceField(label="Hoặc tổ chức thành viên chủ trì",
                                       queryset=MemberOrganisation.objects.none(), required=False,
                                       empty_label="— Không —")
    deadline = forms.DateField(label="Thời hạn", required=False, widget=DATE_WIDGET,
                               error_messages={"invalid": "Ngày không hợp lệ."})

    def __init__(self, *args: Any, groups: QuerySet[TaskGroup], unit: AdminUnit, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "nv_%s")
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        units = AdminUnit.objects.filter(pk=unit.pk) | AdminUnit.objects.current().filter(parent=unit)
        self.fields["owner_unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]
        self.fields["owner_org"].queryset = MemberOrganisation.objects.filter(unit=unit)  # type: ignore[attr-defined]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("owner_unit") and data.get("owner_org"):
            self.add_error("owner_org", "Chỉ chọn một đơn vị hoặc một tổ chức thành viên chủ trì.")
        return data


class ProgressForm(forms.Form):
    progress = forms.IntegerField(
        label="Tiến độ (%)", min_value=0, max_value=100,
        error_messages={"required": "Vui lòng nhập tiến độ.", "invalid": "Tiến độ phải là số nguyên.",
                        "min_value": "Tiến độ phải từ 0 đến 100 (%%).", "max_value": "Tiến độ phải từ 0 đến 100 (%%)."},
    )
    note = forms.CharField(label="Ghi chú kết quả", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label="Minh chứng", required=False,
                               help_text="PDF, Word, Excel hoặc ảnh; tối đa 10 MB.")
    cancel = forms.BooleanField(label="Hủy nhiệm vụ này", required=False)

    def __init__(self, *args: Any, task_id: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"td{task_id or ''}_%s")
        super().__init__(*args, **kwargs)

    def status(self) -> str | None:
        return TaskStatus.CANCELLED if self.cleaned_data.get("cancel") else None
