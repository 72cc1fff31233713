"""The report form: one text area per section of the template and one number field per indicator.

Figures are taken as text and checked by the service (``parse_value``), so "1.000.000" is accepted and a
wrong entry comes back with the service's message next to the field, the typed text kept.
"""

from __future__ import annotations

from typing import Any

from django import forms

from mattran.reports.models import Report


def section_field(key: str) -> str:
    return f"phan_{key}"


def value_field(code: str) -> str:
    return f"chi_tieu_{code}"


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        texts = {s.section.key: s.text for s in report.sections.all()}
        values = {v.indicator.code: v.value for v in report.values.all()}
        self.fields["version"].initial = report.version
        self.section_names: list[str] = []
        self.value_names: list[str] = []
        for section in report.template.sections.all():
            name = section_field(section.key)
            self.fields[name] = forms.CharField(
                label=f"{section.number}. {section.heading}", required=False, help_text=section.guidance,
                widget=forms.Textarea(attrs={"rows": 6}), initial=texts.get(section.key, ""),
            )
            self.section_names.append(name)
        for indicator in report.template.indicators.all():
            name = value_field(indicator.code)
            initial = values.get(indicator.code)
            self.fields[name] = forms.CharField(
                label=f"{indicator.name} ({indicator.unit_of_measure})", required=False, max_length=30,
                initial="" if initial is None else f"{initial:,}".replace(",", "."),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )
            self.value_names.append(name)
        if not report.is_editable:
            for field in self.fields.values():
                field.disabled = True

    def clean(self) -> dict[str, Any]:
        from mattran.reports.services import parse_value

        data = super().clean() or {}
        for indicator in self.report.template.indicators.all():
            name = value_field(indicator.code)
            try:
                parse_value(data.get(name, ""), indicator.name)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        return data

    def sections(self) -> dict[str, str]:
        return {name.removeprefix("phan_"): self.cleaned_data.get(name, "") for name in self.section_names}

    def values(self) -> dict[str, str]:
        return {name.removeprefix("chi_tieu_"): self.cleaned_data.get(name, "") for name in self.value_names}

    def section_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.section_names]

    def value_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.value_names]


class ReturnForm(forms.Form):
    note = forms.CharField(label="Ý kiến trả lại", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                           error_messages={"required": "Hãy ghi ý kiến khi trả lại báo cáo."})
