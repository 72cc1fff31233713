"""Writes on reports: create, save a draft (optimistic locking), submit, return with comments, approve.

Every service checks the policy, runs in one transaction and records an audit event with old/new values.
A refused call raises :class:`ValidationError` (or :class:`PermissionDenied`) and changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mattran.accounts.permissions import Action, require
from mattran.audit.services import record
from mattran.organisations.models import AdminUnit
from mattran.reports.calendar import deadline_for
from mattran.reports.models import (
    EDITABLE_STATUSES,
    INDEX_RANGE,
    TERM_KINDS,
    IndicatorValue,
    Period,
    PeriodKind,
    Report,
    ReportSection,
    ReportStatus,
    ReportTemplate,
    ReviewNote,
    calendar_bounds,
    period_label,
)

STALE_MESSAGE = "Báo cáo đã được người khác sửa trong lúc bạn soạn; hãy tải lại để xem bản mới nhất."
_GROUPED = re.compile(r"^\d{1,3}(?:[. ]\d{3})+$")  # "1.000.000" or "1 000 000", as Vietnamese write them


def period_get_or_create(
    *, actor: Any, kind: str, year: int, index: int = 1, start: Any = None, end: Any = None
) -> Period:
    """The period, created if missing. Calendar kinds compute their dates; term kinds need ``start``/``end``
    and take ``year``–``index`` as the term's first and last years."""
    kind = PeriodKind(kind)
    existing = Period.objects.filter(kind=kind, year=year, index=index).first()
    if existing is not None:
        return existing
    if kind in TERM_KINDS:
        if start is None or end is None or index < year:
            raise ValidationError("Kỳ báo cáo nhiệm kỳ cần năm đầu, năm cuối nhiệm kỳ và ngày bắt đầu, kết thúc.")
    else:
        if not 1 <= index <= INDEX_RANGE[kind]:
            raise ValidationError(f"Số thứ tự kỳ phải từ 1 đến {INDEX_RANGE[kind]}.")
        start, end = calendar_bounds(kind, year, index)
    if end < start:
        raise ValidationError("Ngày kết thúc kỳ phải sau ngày bắt đầu.")
    with transaction.atomic():
        period = Period.objects.create(
            kind=kind, year=year, index=index, start=start, end=end, label=period_label(kind, year, index)
        )
        record(actor=actor, action="reports.period.create", target=period,
               changes={"label": period.label, "start": start, "end": end})
    return period


def _template_for(unit: AdminUnit) -> ReportTemplate:
    template = ReportTemplate.objects.filter(level=unit.level, is_active=True).first()
    if template is None:
        raise ValidationError(f"Chưa có mẫu báo cáo cho {unit.get_level_display().lower()}.")
    return template


def report_create(
    *, actor: Any, unit: AdminUnit, period: Period, template: ReportTemplate | None = None
) -> Report:
    """The unit's report for the period: the existing one, or a new draft due per :func:`deadline_for`."""
    require(actor, Action.REPORT_EDIT, unit)
    existing = Report.objects.filter(unit=unit, period=period).first()
    if existing is not None:
        return existing
    if not (unit.valid_from is None or unit.valid_from <= period.end) or not (
        unit.valid_to is None or unit.valid_to >= period.start
    ):
        raise ValidationError(f"{unit} không tồn tại trong {period.label.lower()}.")
    with transaction.atomic():
        report, created = Report.objects.get_or_create(
            unit=unit, period=period,
            defaults={"template": template or _template_for(unit), "due_on": deadline_for(period, unit.level)},
        )
        if created:
            record(actor=actor, action="reports.report.create", target=report, unit=unit,
                   changes={"period": period.label, "due_on": report.due_on, "status": report.status})
    return report


def parse_value(raw: Any, label: str) -> int | None:
    """A whole, non-negative number from a form or a spreadsheet; ``None`` for blank."""
    message = f"Chỉ tiêu “{label}” phải là số nguyên không âm."
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValidationError(message)
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if _GROUPED.match(text):
            text = text.replace(".", "").replace(" ", "")
        if not text.isdigit() or not text.isascii():
            raise ValidationError(message)
        number = int(text)
    else:
        raise ValidationError(message)
    if number < 0 or number > 9_223_372_036_854_775_807:
        raise ValidationError(message)
    return number


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)


def _bump(report: Report, **fields: Any) -> None:
    """Save ``fields`` and the next version; ``report`` must be locked."""
    for name, value in fields.items():
        setattr(report, name, value)
    report.version += 1
    report.save(update_fields=[*fields, "version", "updated_at"])


def report_save_draft(
    *,
    actor: Any,
    report: Report,
    expected_version: int,
    sections: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
) -> Report:
    """Save texts (``{section key: text}``) and figures (``{indicator code: value}``; blank removes a figure).

    Refused, with nothing changed, when someone saved since ``expected_version`` was read, when a figure is
    not a whole non-negative number, or when the report is no longer editable.
    """
    require(actor, Action.REPORT_EDIT, report.unit)
    sections = dict(sections or {})
    values = dict(values or {})
    with transaction.atomic():
        current = _lock(report)
        if current.version != expected_version:
            raise ValidationError(STALE_MESSAGE, code="stale")
        if current.status not in EDITABLE_STATUSES:
            raise ValidationError(
                f"Báo cáo đang ở trạng thái “{current.get_status_display()}”, không thể sửa.", code="not_editable"
            )
        template_sections = {s.key: s for s in current.template.sections.all()}
        indicators = {i.code: i for i in current.template.indicators.all()}
        errors: list[ValidationError] = []
        for key in sections:
            if key not in template_sections:
                errors.append(ValidationError(f"Mẫu báo cáo không có phần “{key}”."))
        parsed: dict[str, int | None] = {}
        for code, raw in values.items():
            indicator = indicators.get(code)
            if indicator is None:
                errors.append(ValidationError(f"Mẫu báo cáo không có chỉ tiêu “{code}”."))
                continue
            try:
                parsed[code] = parse_value(raw, indicator.name)
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationError(errors)

        changes: dict[str, Any] = {}
        old_texts = {row.section.key: row for row in current.sections.select_related("section")}
        for key, text in sections.items():
            text = (text or "").strip()
            row = old_texts.get(key)
            old = row.text if row else ""
            if old == text:
                continue
            if row is None:
                ReportSection.objects.create(report=current, section=template_sections[key], text=text)
            else:
                row.text = text
                row.save(update_fields=["text"])
            changes[f"phần {template_sections[key].number}"] = [old, text]
        old_values = {v.indicator.code: v for v in current.values.select_related("indicator")}
        for code, number in parsed.items():
            value_row = old_values.get(code)
            old_number = value_row.value if value_row else None
            if old_number == number:
                continue
            if number is None:
                assert value_row is not None
                value_row.delete()
            elif value_row is None:
                IndicatorValue.objects.create(report=current, indicator=indicators[code], value=number)
            else:
                value_row.value = number
                value_row.save(update_fields=["value"])
            changes[code] = [old_number, number]
        if changes:
            changes["version"] = [current.version, current.version + 1]
            _bump(current)
            record(actor=actor, action="reports.report.save_draft", target=current, unit=current.unit,
                   changes=changes)
    report.refresh_from_db()
    return report


def _transition(
    *, actor: Any, report: Report, action: str, allowed: set[str], new_status: str, refuse: str,
    expected_version: int | None = None, **fields: Any,
) -> Report:
    with transaction.atomic():
        current = _lock(report)
        if expected_version is not None and current.version != expected_version:
            raise ValidationError(STALE_MESSAGE, code="stale")
        if current.status not in allowed:
            raise ValidationError(refuse.format(status=current.get_status_display()), code="bad_status")
        old = {"status": current.status, "version": current.version}
        _bump(current, status=new_status, **fields)
        record(actor=actor, action=action, target=current, unit=current.unit,
               changes={"status": [old["status"], new_status], "version": [old["version"], current.version]})
    report.refresh_from_db()
    return report


def report_submit(*, actor: Any, report: Report, expected_version: int | None = None) -> Report:
    """Send a draft (or a returned report) to the upper unit. Refused once approved or already sent."""
    require(actor, Action.REPORT_EDIT, report.unit)
    return _transition(
        actor=actor, report=report, action="reports.report.submit", allowed=set(EDITABLE_STATUSES),
        new_status=ReportStatus.SUBMITTED, expected_version=expected_version,
        refuse="Báo cáo đang ở trạng thái “{status}”, không thể gửi lại.",
        submitted_at=timezone.now(), submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _upper_unit(report: Report) -> AdminUnit:
    return report.unit.parent or report.unit


def report_return(*, actor: Any, report: Report, note: str) -> Report:
    """The upper unit sends a submitted report back with a comment."""
    require(actor, Action.REPORT_REVIEW, _upper_unit(report))
    note = (note or "").strip()
    if not note:
        raise ValidationError("Hãy ghi ý kiến khi trả lại báo cáo.")
    with transaction.atomic():
        returned = _transition(
            actor=actor, report=report, action="reports.report.return", allowed={ReportStatus.SUBMITTED},
            new_status=ReportStatus.RETURNED,
            refuse="Chỉ trả lại được báo cáo đã gửi; báo cáo này đang ở trạng thái “{status}”.",
        )
        ReviewNote.objects.create(
            report=returned, author=actor if getattr(actor, "is_authenticated", False) else None, text=note
        )
        record(actor=actor, action="reports.report.note", target=returned, unit=returned.unit,
               changes={"note": note})
    return returned


def report_approve(*, actor: Any, report: Report) -> Report:
    """The upper unit approves a submitted report; its figures then count in the roll-up."""
    require(actor, Action.REPORT_REVIEW, _upper_unit(report))
    return _transition(
        actor=actor, report=report, action="reports.report.approve", allowed={ReportStatus.SUBMITTED},
        new_status=ReportStatus.APPROVED,
        refuse="Chỉ duyệt được báo cáo đã gửi; báo cáo này đang ở trạng thái “{status}”.",
        approved_at=timezone.now(), approved_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


RESULTS_SECTION = "ket-qua"


def report_prefill_from_plan(*, actor: Any, report: Report) -> Report:
    """Put the results of the unit's work plan for the period into the results section of a fresh draft.

    Only a draft whose results section is still empty is touched; the drafter edits the text afterwards. The
    plan is the unit's adopted plan whose period overlaps the report's the most.
    """
    from mattran.plans.models import WorkPlan
    from mattran.plans.services import plan_results_summary, render_results_text

    filled = report.sections.filter(section__key=RESULTS_SECTION).exclude(text="").exists()
    if report.status != ReportStatus.DRAFT or filled:
        return report
    if not report.template.sections.filter(key=RESULTS_SECTION).exists():
        return report
    period = report.period
    plans = WorkPlan.objects.filter(unit=report.unit, period_start__lte=period.end, period_end__gte=period.start)
    plan = max(plans, key=lambda p: min(p.period_end, period.end) - max(p.period_start, period.start), default=None)
    if plan is None:
        return report
    text = f"Kết quả thực hiện {plan.title[0].lower()}{plan.title[1:]}:\n" + render_results_text(
        plan_results_summary(plan, today=min(period.end, timezone.localdate()))
    )
    return report_save_draft(actor=actor, report=report, expected_version=report.version,
                             sections={RESULTS_SECTION: text})
