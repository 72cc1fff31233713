"""Report pages at /quan-ly/bao-cao/: list, fill in, submit, return, approve, overview of the units below,
and the exports. Every view declares its permission; objects come through viewer-scoped selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from mattran.accounts.permissions import Action, can, home_unit
from mattran.common.forms import attach_errors, refusal_message
from mattran.common.vn import fold
from mattran.documents.pdf import PdfConversionError, PdfUnavailable, convert_to_pdf, pdf_available
from mattran.organisations import selectors as org
from mattran.reports import charts, exports, selectors, services
from mattran.reports.forms import ReportForm, ReturnForm
from mattran.reports.models import Indicator, Period, Report
from mattran.workspace.access import staff_view

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request: HttpRequest) -> Period | None:
    raw = request.GET.get("ky", "")
    periods = Period.objects.order_by("-end", "-start")
    chosen = periods.filter(pk=int(raw)).first() if raw.isdigit() else None
    return chosen or periods.first()


@staff_view(Action.REPORT_VIEW)
def report_list(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    unit = home_unit(request.user)
    visible = selectors.reports_visible_to(user=request.user, period=period) if period else Report.objects.none()
    own = visible.filter(unit=unit).first() if unit is not None else None
    reports = visible[:200]
    context = {
        "period": period, "periods": Period.objects.order_by("-end", "-start"), "unit": unit,
        "reports": reports, "own": own,
        "can_start": bool(period and unit and can(request.user, Action.REPORT_EDIT, unit)),
        "has_units_below": bool(unit and period and selectors.units_below(unit, period).exists()),
    }
    return render(request, "reports/report_list.html", context)


@staff_view(Action.REPORT_EDIT)
@require_POST
def report_start(request: HttpRequest, unit_id: int, period_id: int) -> HttpResponse:
    unit = org.unit_get_for_action(user=request.user, unit_id=unit_id, action=Action.REPORT_EDIT)
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        raise Http404("Không tìm thấy kỳ báo cáo.")
    try:
        report = services.report_create(actor=request.user, unit=unit, period=period)
        report = services.report_prefill_from_plan(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
        return redirect("reports:report_list")
    return redirect("reports:report_detail", report_id=report.pk)


def _detail_context(request: HttpRequest, report: Report, form: ReportForm, return_form: ReturnForm) -> dict:
    upper = report.unit.parent
    has_units_below = selectors.units_below(report.unit, report.period).exists()
    gathered = (
        selectors.section_texts_below(user=request.user, unit=report.unit, period=report.period)
        if has_units_below else {}
    )
    return {
        "sections": [(field, gathered.get(field.name.removeprefix("phan_"), [])) for field in form.section_fields()],
        "report": report, "form": form, "return_form": return_form,
        "can_edit": report.is_editable and can(request.user, Action.REPORT_EDIT, report.unit),
        "can_review": upper is not None and can(request.user, Action.REPORT_REVIEW, upper)
        and report.status == "submitted",
        "figures": exports.figure_rows(report),
        "notes": report.review_notes.select_related("author"),
        "pdf_available": pdf_available(),
        "has_units_below": has_units_below,
    }


@staff_view(Action.REPORT_VIEW)
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_for(user=request.user, pk=report_id)
    form = ReportForm(request.POST or None, report=report)
    if request.method == "POST":
        if not can(request.user, Action.REPORT_EDIT, report.unit):
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.report_save_draft(
                    actor=request.user, report=report, expected_version=form.cleaned_data["version"],
                    sections=form.sections(), values=form.values(),
                )
                if "gui" in request.POST:
                    report = services.report_submit(actor=request.user, report=report,
                                                    expected_version=report.version)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "Đã gửi báo cáo lên cấp trên." if "gui" in request.POST
                                 else "Đã lưu bản nháp.")
                return redirect("reports:report_detail", report_id=report.pk)
    return render(request, "reports/report_detail.html", _detail_context(request, report, form, ReturnForm()))


def _reviewable(request: HttpRequest, report_id: int) -> Report:
    report = selectors.report_for(user=request.user, pk=report_id)
    if report.unit.parent is None or not can(request.user, Action.REPORT_REVIEW, report.unit.parent):
        raise PermissionDenied
    return report


@staff_view(Action.REPORT_REVIEW)
@require_POST
def report_return(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _reviewable(request, report_id)
    return_form = ReturnForm(request.POST)
    if return_form.is_valid():
        try:
            services.report_return(actor=request.user, report=report, note=return_form.cleaned_data["note"])
        except ValidationError as exc:
            attach_errors(return_form, exc)
        else:
            messages.success(request, f"Đã trả lại báo cáo của {report.unit.name} kèm ý kiến.")
            return redirect("reports:report_detail", report_id=report.pk)
    form = ReportForm(report=report)
    return render(request, "reports/report_detail.html", _detail_context(request, report, form, return_form))


@staff_view(Action.REPORT_REVIEW)
@require_POST
def report_approve(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _reviewable(request, report_id)
    try:
        services.report_approve(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, f"Đã duyệt báo cáo của {report.unit.name}; số liệu đã được tổng hợp lên trên.")
    return redirect("reports:report_detail", report_id=report.pk)


def _filename(report: Report, extension: str) -> str:
    return f"bao-cao-{slugify(fold(report.unit.short_name))}-{slugify(fold(report.period.label))}.{extension}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_view(Action.REPORT_VIEW)
def report_docx(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_for(user=request.user, pk=report_id)
    try:
        content = exports.report_docx(report, actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("reports:report_detail", report_id=report.pk)
    return _download(content, DOCX, _filename(report, "docx"))


@staff_view(Action.REPORT_VIEW)
def report_xlsx(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_for(user=request.user, pk=report_id)
    return _download(exports.report_xlsx(report), XLSX, _filename(report, "xlsx"))


@staff_view(Action.REPORT_VIEW)
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_for(user=request.user, pk=report_id)
    try:
        content = convert_to_pdf(exports.report_docx(report, actor=request.user))
    except (PdfUnavailable, PdfConversionError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect("reports:report_detail", report_id=report.pk)
    return _download(content, "application/pdf", _filename(report, "pdf"))


@staff_view(Action.REPORT_VIEW)
def overview(request: HttpRequest, unit_id: int) -> HttpResponse:
    """An upper unit's view of a period: who has submitted, the rolled-up totals, a ranking and charts."""
    unit = org.unit_get_for_action(user=request.user, unit_id=unit_id, action=Action.REPORT_VIEW)
    period = _period(request)
    if period is None:
        return render(request, "reports/overview.html", {"unit": unit, "period": None})
    indicators = list(Indicator.objects.all())
    code = request.GET.get("chi_tieu") or (indicators[0].code if indicators else "")
    chosen = next((i for i in indicators if i.code == code), indicators[0] if indicators else None)
    periods = list(Period.objects.filter(kind=period.kind).order_by("-end")[:6])
    totals = selectors.upper_totals(user=request.user, unit=unit, period=period)  # once for the whole page
    series = (
        selectors.indicator_series(user=request.user, unit=unit, indicator=chosen, periods=periods) if chosen else []
    )
    context = {
        "unit": unit, "period": period, "periods": Period.objects.order_by("-end", "-start"),
        "rows": selectors.submission_status(user=request.user, unit=unit, period=period),
        "totals": selectors.indicator_totals(user=request.user, unit=unit, period=period, totals=totals),
        "indicators": indicators, "chosen": chosen,
        "ranking": (
            selectors.ranking(user=request.user, unit=unit, period=period, indicator=chosen, totals=totals)
            if chosen else []
        ),
        "chart": charts.bar_chart([(p.label, value) for p, value in series], money=bool(chosen and chosen.is_money)),
        "own": Report.objects.filter(unit=unit, period=period).first(),
    }
    return render(request, "reports/overview.html", context)
