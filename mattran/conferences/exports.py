"""Conference minutes (biên bản hội nghị) as an official document in the Decree 30 layout (.docx).

The committee of the conference's unit issues the minutes. Adopted minutes take a number from the register
(``BB``, the adopted :class:`MinutesVersion` as target, so the same number comes back on every download); the
latest draft prints "DỰ THẢO" in the title line and a blank number, as drafts do.
"""

from __future__ import annotations

from typing import Any

from mattran.common.vn import date_long
from mattran.conferences import services
from mattran.conferences.models import Attendance, Conference, MinutesVersion
from mattran.documents import services as document_services
from mattran.documents.issuers import issuer_lines, issuer_place
from mattran.documents.models import DocType
from mattran.documents.official import Bullet, Heading, OfficialDocument, Paragraph, Signature, render_docx
from mattran.organisations.models import FrontBody

DOC_TYPE_NAME = "BIÊN BẢN"
DRAFT_MARK = "DỰ THẢO"
#: The renderer has one signature block; the chair signs there and the secretary's line goes above it.
SIGNER_TITLE = "CHỦ TRÌ HỘI NGHỊ"
SECRETARY_TITLE = "THƯ KÝ HỘI NGHỊ"
BLANK_NAME = "……………………………"


def _issuer(conference: Conference) -> FrontBody:
    """The unit's committee (Ủy ban issues the minutes of its conferences); the conference's own body when
    the unit has no committee on record."""
    if conference.body.kind == FrontBody.Kind.COMMITTEE:
        return conference.body
    committee = FrontBody.objects.filter(unit=conference.unit, kind=FrontBody.Kind.COMMITTEE).first()
    return committee or conference.body


def _versions(conference: Conference) -> list[MinutesVersion]:
    return sorted(conference.minutes_versions.all(), key=lambda v: v.number, reverse=True)


def minutes_version(conference: Conference) -> MinutesVersion | None:
    """The adopted version, or else the latest draft (None when nothing has been written yet)."""
    versions = _versions(conference)
    return next((v for v in versions if v.is_adopted), versions[0] if versions else None)


def _number(conference: Conference, version: MinutesVersion | None, issuer: FrontBody, actor: Any) -> str:
    """Adopted minutes carry a number from the register (see :func:`document_number_for_export`); drafts and
    readers before a cadre has numbered them see the blank symbol."""
    blank = document_services.blank_symbol(issuer, DocType.MINUTES)
    if version is None or not version.is_adopted:
        return blank
    entry = document_services.document_number_for_export(
        actor=actor, issuer=issuer, doc_type=DocType.MINUTES, title=conference.title,
        issued_on=conference.date, target=version,
    )
    return entry.symbol if entry else blank


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _attendance_blocks(conference: Conference) -> list[Any]:
    quorum = services.quorum(conference)
    counts = {status: 0 for status in Attendance.Status.values}
    for row in conference.attendances.all():
        counts[row.status] += 1
    blocks: list[Any] = []
    if conference.chair is not None:
        blocks.append(Paragraph(f"Chủ trì hội nghị: {conference.chair.full_name}."))
    summary = f"Ủy viên có mặt: {quorum.present}/{quorum.members} ủy viên của khóa"
    absent = []
    if counts[Attendance.Status.EXCUSED]:
        absent.append(f"vắng có lý do: {counts[Attendance.Status.EXCUSED]}")
    if counts[Attendance.Status.ABSENT]:
        absent.append(f"vắng: {counts[Attendance.Status.ABSENT]}")
    blocks.append(Paragraph(summary + (f" ({'; '.join(absent)})." if absent else ".")))
    if quorum.met:
        blocks.append(Paragraph(f"Hội nghị đủ số lượng ủy viên theo quy định (cần ít nhất {quorum.required} "
                                "ủy viên có mặt)."))
    else:
        blocks.append(Paragraph(f"Hội nghị chưa đủ số lượng ủy viên theo quy định (cần ít nhất {quorum.required} "
                                "ủy viên có mặt)."))
    delegates = _lines(conference.invited_delegates)
    if delegates:
        blocks.append(Paragraph("Đại biểu khách mời:"))
        blocks.extend(Bullet(line.lstrip("-–• ").rstrip(";.")) for line in delegates)
    return blocks


def _agenda_blocks(conference: Conference) -> list[Any]:
    blocks: list[Any] = []
    for item in conference.agenda_items.all():
        blocks.append(Heading(item.title, level=2))
        presenter = ", ".join(p for p in (item.presenter_name, item.presenter_body) if p)
        if presenter:
            blocks.append(Paragraph(f"Trình bày: {presenter}."))
    if not blocks:
        blocks.append(Paragraph("(Chưa có nội dung chương trình.)", italic=True))
    return blocks


def _secretary_name(version: MinutesVersion | None) -> str:
    author = version.author if version is not None else None
    return (getattr(author, "full_name", "") or "") if author is not None else ""


def minutes_document(conference: Conference, *, actor: Any) -> OfficialDocument:
    issuer = _issuer(conference)
    version = minutes_version(conference)
    adopted = version is not None and version.is_adopted
    title = conference.title if adopted else f"{conference.title} ({DRAFT_MARK})"

    blocks: list[Any] = [Heading("Thời gian, địa điểm")]
    blocks.append(Paragraph(f"Thời gian: {date_long(conference.date)}."))
    if conference.place:
        blocks.append(Paragraph(f"Địa điểm: {conference.place}."))
    blocks.append(Heading("Thành phần tham dự"))
    blocks.extend(_attendance_blocks(conference))
    blocks.append(Heading("Chương trình hội nghị"))
    blocks.extend(_agenda_blocks(conference))
    blocks.append(Heading("Diễn biến hội nghị"))
    text = _lines(version.text) if version is not None else []
    blocks.extend(Paragraph(line) for line in text)
    if not text:
        blocks.append(Paragraph("(Chưa có nội dung biên bản.)", italic=True))
    conclusions = list(conference.conclusions.all())
    if conclusions:
        blocks.append(Heading("Kết luận hội nghị"))
        for index, conclusion in enumerate(sorted(conclusions, key=lambda c: c.order), start=1):
            for n, line in enumerate(_lines(conclusion.text)):
                blocks.append(Paragraph(f"{index}. {line}" if n == 0 else line))
    blocks.append(Paragraph(f"{SECRETARY_TITLE}: {_secretary_name(version) or BLANK_NAME}", bold=True))

    parent = conference.unit.parent
    recipients = []
    if parent is not None:
        upper = f"{parent.type_name.lower()} {parent.short_name}" if parent.type_name else parent.name
        recipients.append(f"Ban Thường trực Ủy ban MTTQ Việt Nam {upper} (để b/c)")
    recipients.append("Các ủy viên Ủy ban")
    return OfficialDocument(
        issuer=issuer_lines(issuer),
        number=_number(conference, version, issuer, actor),
        place=issuer_place(issuer),
        issued_on=conference.date,
        doc_type_name=DOC_TYPE_NAME,
        title=title,
        blocks=tuple(blocks),
        recipients=tuple(recipients),
        archive="VP",
        signature=Signature(authority="", title=SIGNER_TITLE,
                            name=conference.chair.full_name if conference.chair else ""),
    )


def minutes_docx(conference: Conference, *, actor: Any) -> bytes:
    return render_docx(minutes_document(conference, actor=actor))
