"""Statement import pages at /quan-ly/quy/nhap-sao-ke/: the upload form, the list of jobs, a job's page with its
progress bar (an htmx partial polled every second while the job waits or runs) and, once it ends, its report.

The import itself runs in the background worker (``run_worker``); these views only queue and read jobs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mattran.accounts.permissions import Action, units_where
from mattran.common.forms import attach_errors
from mattran.funds import import_jobs
from mattran.funds.models import ImportStatus, ReceivingAccount, StatementImportJob
from mattran.funds.statements.formats import FORMATS
from mattran.funds.vietqr import BANK_BINS
from mattran.organisations.models import AdminUnit
from mattran.workspace.access import staff_view

FORMAT_LABELS = {
    "vcb_community_csv": "Vietcombank — sao kê công khai (CSV)",
    "agribank_community_csv": "Agribank — sao kê công khai (CSV)",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files from one ``<input type=file multiple>``."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not items and self.required:
            raise ValidationError("Chọn ít nhất một tệp sao kê.", code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.bank_name} {obj.number} — {obj.holder_name}" + (f" ({obj.unit.short_name})" if obj.unit else "")


class ImportJobForm(forms.Form):
    account = AccountChoiceField(
        label="Tài khoản đã có", queryset=ReceivingAccount.objects.none(), required=False,
        empty_label="— Tài khoản mới (nhập bên dưới) —",
    )
    account_number = forms.CharField(label="Số tài khoản mới", max_length=30, required=False)
    bank = forms.ChoiceField(label="Ngân hàng", required=False)
    holder = forms.CharField(label="Chủ tài khoản", max_length=200, required=False)
    unit = forms.ModelChoiceField(label="Đơn vị quản lý tài khoản", queryset=AdminUnit.objects.none(),
                                  required=False, empty_label="— Chọn đơn vị —",
                                  help_text="Chỉ cần khi đăng ký tài khoản mới: đơn vị sẽ quản lý tài khoản này.")
    fmt = forms.ChoiceField(label="Định dạng sao kê", initial="auto")
    mapping = forms.FileField(
        label="Tệp mapping JSON (nếu định dạng khác)", required=False,
        help_text="Mô tả cột của sao kê theo docs/statement-mapping.md.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    statement_files = MultipleFileField(
        label="Tệp sao kê",
        help_text=f"Một hoặc nhiều tệp {', '.join(import_jobs.ALLOWED_SUFFIXES)}, mỗi tệp tối đa "
                  f"{import_jobs.MAX_FILE_BYTES // (1024 * 1024)} MB.",
        widget=MultipleFileInput(attrs={"accept": ".csv,.gz,.xlsx,.txt"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account_field = self.fields["account"]
        assert isinstance(account_field, forms.ModelChoiceField)
        account_field.queryset = import_jobs.import_accounts_for(user=user)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units_where(user, Action.FUNDS_MANAGE).order_by("path")
        only = list(unit_field.queryset[:2])
        if len(only) == 1:  # a ward cadre manages one unit: nothing to choose
            unit_field.initial = only[0].pk
        bank_field = self.fields["bank"]
        assert isinstance(bank_field, forms.ChoiceField)
        bank_field.choices = [("", "— Chọn ngân hàng —"), *((name, f"{name} ({code})")
                                                             for name, code in BANK_BINS.items())]
        fmt_field = self.fields["fmt"]
        assert isinstance(fmt_field, forms.ChoiceField)
        fmt_field.choices = [("auto", "Tự nhận theo dòng tiêu đề"),
                             *((name, FORMAT_LABELS.get(name, name)) for name in FORMATS)]

    def clean_mapping(self) -> str:
        upload = self.cleaned_data.get("mapping")
        if not upload:
            return ""
        if upload.size > import_jobs.MAX_MAPPING_BYTES:
            raise ValidationError(f"Tệp mapping lớn hơn {import_jobs.MAX_MAPPING_BYTES // 1024} kB.")
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ValidationError("Tệp mapping phải là văn bản UTF-8 (JSON).") from None

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        account = data.get("account")
        if account is not None:
            return {"account_number": account.number, "bank": account.bank_name, "holder": account.holder_name,
                    "unit": account.unit or data.get("unit")}
        return {"account_number": data.get("account_number", ""), "bank": data.get("bank", ""),
                "holder": data.get("holder", ""), "unit": data.get("unit")}


def _job(request: HttpRequest, job_id: int) -> StatementImportJob:
    job = import_jobs.import_job_for(user=request.user, pk=job_id)
    if job is None:
        raise Http404("Không tìm thấy lượt nhập sao kê.")
    return job


def _job_context(job: StatementImportJob) -> dict[str, Any]:
    job = import_jobs.job_live_progress(job)
    report = job.report or {}
    by_day = [{**day, "day": dt.date.fromisoformat(day["day"])} for day in report.get("by_day", [])] \
        if job.status == ImportStatus.DONE else []
    totals = {
        key: sum(day.get(key, 0) for day in by_day)
        for key in ("credit_count", "credit_total", "debit_count", "debit_total", "added")
    }
    return {
        "job": job, "active": job.status in import_jobs.ACTIVE, "percent": import_jobs.job_percent(job),
        "report": report, "by_day": by_day, "totals": totals,
    }


@staff_view(Action.FUNDS_MANAGE)
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = import_jobs.import_jobs_visible_to(user=request.user)[:100]
    return render(request, "funds/imports/job_list.html", {"jobs": jobs})


@staff_view(Action.FUNDS_MANAGE)
def job_create(request: HttpRequest) -> HttpResponse:
    form = ImportJobForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_jobs.import_job_create(
                actor=request.user, fmt=form.cleaned_data["fmt"], mapping_json=form.cleaned_data["mapping"],
                uploaded_files=form.cleaned_data["statement_files"], **form.service_arguments(),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "files" in exc.error_dict:
                exc.error_dict["statement_files"] = exc.error_dict.pop("files")
            attach_errors(form, exc)
        else:
            messages.success(request, "Đã nhận tệp; lượt nhập đang chờ tiến trình nền.")
            return redirect("funds_imports:job_detail", job_id=job.pk)
    return render(request, "funds/imports/job_form.html", {
        "form": form, "max_mb": import_jobs.MAX_FILE_BYTES // (1024 * 1024)})


@staff_view(Action.FUNDS_MANAGE)
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    return render(request, "funds/imports/job_detail.html", _job_context(_job(request, job_id)))


@staff_view(Action.FUNDS_MANAGE)
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """The polled partial: the progress bar while the job waits or runs, the report once it has ended."""
    return render(request, "funds/imports/_job_status.html", _job_context(_job(request, job_id)))
