"""Forms of the conference pages. Business rules live in the services; these only parse input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from mattran.conferences.models import Attendance
from mattran.organisations.models import AdminUnit, Person, Term
from mattran.plans.models import TaskGroup

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConferenceForm(forms.Form):
    term = forms.ModelChoiceField(label="Cơ quan và khóa", queryset=Term.objects.none(),
                                  error_messages={"required": "Vui lòng chọn khóa.",
                                                  "invalid_choice": "Khóa đã chọn không thuộc đơn vị này."})
    number = forms.IntegerField(
        label="Lần thứ", min_value=1, max_value=999, required=False,
        help_text="Đã điền sẵn số tiếp theo của khóa. Để trống để hệ thống tự đánh số.",
        error_messages={"invalid": "Số thứ tự phải là số nguyên.", "min_value": "Số thứ tự phải từ 1 trở lên."},
    )
    is_extraordinary = forms.BooleanField(label="Hội nghị bất thường", required=False)
    date = forms.DateField(label="Ngày họp", widget=DATE_WIDGET,
                           error_messages={"required": "Vui lòng nhập ngày họp.", "invalid": "Ngày không hợp lệ."})
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)
    chair = forms.ModelChoiceField(label="Chủ trì", queryset=Person.objects.none(), required=False,
                                   empty_label="— Chưa chọn —")
    invited_delegates = forms.CharField(label="Đại biểu khách mời", required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, terms: QuerySet[Term], unit: AdminUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms  # type: ignore[attr-defined]
        self.fields["chair"].queryset = Person.objects.filter(unit=unit).order_by("full_name")  # type: ignore[attr-defined]


class ConferenceEditForm(ConferenceForm):
    """The details of an existing conference; its body and term stay."""

    def __init__(self, *args: Any, unit: AdminUnit, **kwargs: Any) -> None:
        super().__init__(*args, terms=Term.objects.none(), unit=unit, **kwargs)
        del self.fields["term"]
        number = self.fields["number"]
        number.required = True
        number.help_text = "Số thứ tự trong khóa; không trùng với hội nghị khác của khóa."
        number.error_messages["required"] = "Vui lòng nhập số thứ tự hội nghị."


class AgendaItemForm(forms.Form):
    title = forms.CharField(label="Nội dung", max_length=300,
                            error_messages={"required": "Vui lòng nhập nội dung."})
    presenter_name = forms.CharField(label="Người trình bày", max_length=120, required=False)
    presenter_body = forms.CharField(label="Cơ quan trình bày", max_length=160, required=False,
                                     help_text="Ví dụ: Ban Thường trực, Thường trực HĐND quận, UBND quận.")
    attachment = forms.FileField(label="Tài liệu đính kèm", required=False,
                                 help_text="PDF, Word, Excel hoặc ảnh; tối đa 10 MB.")
    target_type = forms.CharField(label="Liên kết tài liệu trên hệ thống (loại)", max_length=100, required=False,
                                  help_text="Ví dụ: reports.report")
    target_id = forms.CharField(label="Mã tài liệu", max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "ct_%s")
        super().__init__(*args, **kwargs)


class AgendaItemEditForm(AgendaItemForm):
    """An agenda item's text and presenter (its attachment and link stay as they were)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_%s")
        super().__init__(*args, **kwargs)
        for name in ("attachment", "target_type", "target_id"):
            del self.fields[name]


class AttendanceForm(forms.Form):
    """One select per person on the roll, named ``p<person id>``."""

    def __init__(self, *args: Any, rows: list[Attendance], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "dd_%s")
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[f"p{row.person_id}"] = forms.ChoiceField(
                label=row.person.full_name, choices=Attendance.Status.choices, initial=row.status)

    def statuses(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class MinutesForm(forms.Form):
    text = forms.CharField(label="Nội dung biên bản", widget=forms.Textarea(attrs={"rows": 12}),
                           error_messages={"required": "Vui lòng nhập nội dung biên bản."})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "bb_%s")
        super().__init__(*args, **kwargs)


class AdoptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConclusionForm(forms.Form):
    text = forms.CharField(label="Nội dung kết luận", widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Vui lòng nhập nội dung kết luận."})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "kl_%s")
        super().__init__(*args, **kwargs)


class ConclusionToTaskForm(forms.Form):
    conclusion = forms.IntegerField(widget=forms.HiddenInput)
    group = forms.ModelChoiceField(label="Nhóm nhiệm vụ", queryset=TaskGroup.objects.none(),
                                   error_messages={"required": "Vui lòng chọn nhóm nhiệm vụ trong kế hoạch.",
                                                   "invalid_choice": "Nhóm nhiệm vụ không hợp lệ."})
    deadline = forms.DateField(label="Thời hạn", required=False, widget=DATE_WIDGET,
                               error_messages={"invalid": "Ngày không hợp lệ."})

    def __init__(self, *args: Any, groups: QuerySet[TaskGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["group"].label_from_instance = (  # type: ignore[attr-defined]
            lambda g: f"{g.plan.title} — {g.order}. {g.title}")


