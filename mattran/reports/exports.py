"""A report as an official document (.docx, Decree 30 layout), as an indicator table (.xlsx), and as PDF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from mattran.documents import services as document_services
from mattran.documents.issuers import issuer_lines, issuer_place, signing_authority, working_issuer
from mattran.documents.models import DocType
from mattran.documents.official import Heading, OfficialDocument, Paragraph, Signature, Table, render_docx
from mattran.documents.spreadsheets import Column, Sheet, render_xlsx
from mattran.organisations.models import FrontBody
from mattran.organisations.selectors import committee_chair_name
from mattran.reports import aggregates
from mattran.reports.models import Indicator, Report, ReportStatus


@dataclass(frozen=True)
class FigureRow:
    indicator: Indicator
    own: int | None
    total: int


def figure_rows(report: Report) -> list[FigureRow]:
    """Each indicator of the report's template: the unit's own figure and its total with the approved
    reports below it (the roll-up). For a unit with nothing below, total = own."""
    own = {v.indicator_id: v.value for v in report.values.all()}
    totals = aggregates.rollup_period(report.period, unit=report.unit, leaves=False).get(report.unit_id, {})
    rows = []
    for indicator in report.template.indicators.all():
        mine = own.get(indicator.pk)
        below_and_own = totals.get(indicator.code)
        if report.status != ReportStatus.APPROVED:
            # The roll-up counts approved reports only; a draft's own figures are added for the drafter's view.
            below_and_own = (below_and_own or 0) + (mine or 0)
        rows.append(FigureRow(indicator=indicator, own=mine, total=below_and_own or 0))
    return rows


def _number(report: Report, issuer: FrontBody, title: str, actor: Any) -> str:
    """Submitted and approved reports carry a number from the register; a draft leaves it blank, as drafts do."""
    blank = document_services.blank_symbol(issuer, DocType.REPORT)
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        return blank
    issued_on = timezone.localdate(report.submitted_at) if report.submitted_at else timezone.localdate()
    entry = document_services.document_number_for_export(
        actor=actor, issuer=issuer, doc_type=DocType.REPORT, title=title, issued_on=issued_on, target=report,
    )
    return entry.symbol if entry else blank


def _money_or_count(value: int | None, indicator: Indicator) -> str:
    if value is None:
        return ""
    return f"{value:,}".replace(",", ".")


def official_document(report: Report, *, actor: Any) -> OfficialDocument:
    issuer = working_issuer(report.unit)
    title = f"Kết quả công tác Mặt trận {report.period.label[0].lower()}{report.period.label[1:]}"
    blocks: list[Any] = []
    texts = {s.section_id: s.text for s in report.sections.all()}
    for section in report.template.sections.all():
        blocks.append(Heading(section.heading))
        for line in [p.strip() for p in texts.get(section.pk, "").splitlines() if p.strip()]:
            blocks.append(Paragraph(line))
    rows = figure_rows(report)
    if rows:
        blocks.append(Heading("Số liệu chủ yếu", numbered=False))
        blocks.append(Table(
            header=("TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả"),
            rows=tuple((str(i), r.indicator.name, r.indicator.unit_of_measure,
                        _money_or_count(r.total, r.indicator)) for i, r in enumerate(rows, start=1)),
            widths_mm=(12, 95, 25, 33),
        ))
    parent = report.unit.parent
    recipients = []
    if parent is not None:
        upper = f"{parent.type_name.lower()} {parent.short_name}"
        recipients.append(f"Ban Thường trực Ủy ban MTTQ Việt Nam {upper} (để b/c)")
    recipients += [f"Thường trực Đảng ủy, HĐND, UBND {report.unit.type_name.lower()} (để b/c)",
                   "Các tổ chức thành viên"]
    authority = signing_authority(issuer)
    return OfficialDocument(
        issuer=issuer_lines(issuer),
        number=_number(report, issuer, title, actor),
        place=issuer_place(issuer),
        issued_on=timezone.localdate(report.submitted_at) if report.submitted_at else timezone.localdate(),
        doc_type_name="BÁO CÁO",
        title=title,
        blocks=tuple(blocks),
        recipients=tuple(recipients),
        archive="VP",
        signature=Signature(authority=authority, title="CHỦ TỊCH", name=committee_chair_name(
            unit=report.unit, start=report.period.start, end=report.period.end)),
    )


def report_docx(report: Report, *, actor: Any) -> bytes:
    return render_docx(official_document(report, actor=actor))


def report_xlsx(report: Report) -> bytes:
    rows = figure_rows(report)
    sheet = Sheet(
        name="Chỉ tiêu",
        title=f"{report.unit.name} — {report.period.label}",
        columns=(Column("TT", 5), Column("Chỉ tiêu", 60), Column("Đơn vị tính", 14),
                 Column("Của đơn vị", 16, numeric=True), Column("Tổng hợp", 16, numeric=True)),
        rows=tuple((i, r.indicator.name, r.indicator.unit_of_measure, r.own, r.total)
                   for i, r in enumerate(rows, start=1)),
        note="Tổng hợp = số liệu của đơn vị cộng các báo cáo đã duyệt của đơn vị cấp dưới.",
    )
    return render_xlsx([sheet])
