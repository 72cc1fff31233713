"""The recipients list of a drive, to post at each residential area (XLSX and DOCX), grouped by ward and area.

Only allocations that are not cancelled and are marked public go on the list; each group ends with its total
and the list with the grand total. The "Ký nhận" column is left blank for recipients to sign.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mattran.common.vn import date_short, money
from mattran.documents.issuers import issuer_lines, issuer_place, signing_authority, working_issuer
from mattran.documents.official import Heading, OfficialDocument, Paragraph, Signature, Table, render_docx
from mattran.documents.spreadsheets import Column, Sheet, render_xlsx
from mattran.funds.disbursement_selectors import allocations_with_paid
from mattran.funds.models import Allocation, Drive
from mattran.organisations.models import AdminUnit
from mattran.organisations.selectors import committee_chair_name

NO_WARD = "Đơn vị, công trình khác"
NO_AREA = "(không ghi khu dân cư)"


@dataclass
class AreaGroup:
    name: str
    allocations: list[Allocation] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(a.amount for a in self.allocations)


@dataclass
class WardGroup:
    ward: AdminUnit | None
    areas: list[AreaGroup] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.ward.name if self.ward is not None else NO_WARD

    @property
    def total(self) -> int:
        return sum(a.total for a in self.areas)

    @property
    def count(self) -> int:
        return sum(len(a.allocations) for a in self.areas)


def posted_allocations(drive: Drive, *, ward: AdminUnit | None = None) -> QuerySet[Allocation]:
    queryset = Allocation.objects.filter(drive=drive, cancelled_at__isnull=True, is_published=True)
    if ward is not None:
        queryset = queryset.filter(area_unit=ward)
    return allocations_with_paid(queryset.select_related("area_unit")).order_by(
        "area_unit__path", "residential_area", "recipient_name", "pk")


def recipient_groups(drive: Drive, *, ward: AdminUnit | None = None) -> list[WardGroup]:
    """The list, grouped by ward (communes in tree order, then allocations with no ward) and residential area."""
    wards: dict[int | None, WardGroup] = {}
    for allocation in posted_allocations(drive, ward=ward):
        group = wards.setdefault(allocation.area_unit_id, WardGroup(allocation.area_unit))
        area_name = allocation.residential_area or NO_AREA
        if not group.areas or group.areas[-1].name != area_name:
            group.areas.append(AreaGroup(area_name))
        group.areas[-1].allocations.append(allocation)
    ordered = [g for key, g in wards.items() if key is not None]
    if None in wards:
        ordered.append(wards[None])
    return ordered


def _decision(allocation: Allocation) -> str:
    return f"{allocation.decision_number} ngày {date_short(allocation.decision_date)}"


def _title(drive: Drive) -> str:
    return f"Danh sách hỗ trợ từ đợt vận động “{drive.title}”"


def _rows(groups: list[WardGroup]) -> Iterator[tuple[Any, ...]]:
    """(TT, recipient, purpose, amount, decision, paid, blank) rows with group headings and totals."""
    number = 0
    for group in groups:
        yield ("", group.name.upper(), "", None, "", None, "")
        for area in group.areas:
            yield ("", area.name, "", None, "", None, "")
            for allocation in area.allocations:
                number += 1
                yield (number, allocation.recipient_name, allocation.purpose, allocation.amount,
                       _decision(allocation), allocation.paid, "")  # type: ignore[attr-defined]
            yield ("", f"Cộng {area.name}", "", area.total, "", None, "")
        yield ("", f"Cộng {group.name}", "", group.total, "", None, "")


def recipients_xlsx(drive: Drive, *, ward: AdminUnit | None = None) -> bytes:
    groups = recipient_groups(drive, ward=ward)
    total = sum(g.total for g in groups)
    columns = (Column("TT", 6), Column("Người/đơn vị nhận", 34), Column("Nội dung hỗ trợ", 34),
               Column("Số tiền (đồng)", 16, numeric=True), Column("Quyết định", 24),
               Column("Đã chi (đồng)", 16, numeric=True), Column("Ký nhận", 16))
    rows = [*_rows(groups), ("", "TỔNG CỘNG", "", total, "", None, "")]
    note = (f"{drive.unit.name} · lập ngày {date_short(timezone.localdate())} · "
            f"{sum(g.count for g in groups)} người/đơn vị nhận, tổng {money(total)}")
    return render_xlsx([Sheet(name=ward.short_name if ward else "Danh sách", title=_title(drive),
                              columns=columns, rows=tuple(rows), note=note)])


class ExportUnavailable(ValueError):
    """The DOCX needs the issuing Front body of the drive's unit; the message says what is missing."""


def recipients_docx(drive: Drive, *, ward: AdminUnit | None = None) -> bytes:
    try:
        issuer = working_issuer(drive.unit)
    except ValueError as exc:
        raise ExportUnavailable(str(exc)) from exc
    groups = recipient_groups(drive, ward=ward)
    today = timezone.localdate()
    blocks: list[Any] = [Paragraph(
        f"Thực hiện {drive.appeal_number or 'lời kêu gọi'} về đợt vận động “{drive.title}”, "
        f"{issuer.get_kind_display()} công khai danh sách người, đơn vị nhận hỗ trợ dưới đây để nhân dân "
        f"theo dõi, giám sát. Mọi ý kiến xin gửi về Ban Công tác Mặt trận khu dân cư hoặc Ủy ban MTTQ.")]
    for group in groups:
        blocks.append(Heading(group.name, numbered=False))
        for area in group.areas:
            blocks.append(Paragraph(f"{area.name}: {len(area.allocations)} người/đơn vị, cộng {money(area.total)}",
                                    bold=True))
            blocks.append(Table(
                header=("TT", "Người/đơn vị nhận", "Nội dung hỗ trợ", "Số tiền (đồng)", "Ký nhận"),
                rows=tuple((str(i), a.recipient_name, a.purpose, f"{a.amount:,}".replace(",", "."), "")
                           for i, a in enumerate(area.allocations, start=1)),
                widths_mm=(10, 50, 50, 28, 27),
            ))
    if not groups:
        blocks.append(Paragraph("Chưa có phân bổ nào được công khai.", italic=True))
    blocks.append(Paragraph(f"Tổng cộng: {sum(g.count for g in groups)} người/đơn vị nhận, "
                            f"{money(sum(g.total for g in groups))}.", bold=True))
    document = OfficialDocument(
        issuer=issuer_lines(issuer), number="      ", place=issuer_place(issuer), issued_on=today,
        doc_type_name="DANH SÁCH", title=f"Người, đơn vị nhận hỗ trợ từ đợt vận động\n“{drive.title}”",
        blocks=tuple(blocks), recipients=("Ban Công tác Mặt trận các khu dân cư (để niêm yết)",),
        archive="VP",
        signature=Signature(authority=signing_authority(issuer), title="CHỦ TỊCH",
                            name=committee_chair_name(unit=drive.unit, start=today, end=today)),
    )
    return render_docx(document)
