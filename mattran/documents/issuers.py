"""What an issuing Front body prints in a document header and symbol, derived from :class:`FrontBody`."""

from __future__ import annotations

from dataclasses import dataclass

from mattran.documents.symbols import symbol_groups
from mattran.organisations.models import AdminUnit, FrontBody, UnitLevel

CENTRAL_COMMITTEE = ("ỦY BAN TRUNG ƯƠNG", "MẶT TRẬN TỔ QUỐC VIỆT NAM")
LOCAL_COMMITTEE = "ỦY BAN MTTQ VIỆT NAM"
#: Place printed on documents of the central Front (its seat).
CENTRAL_PLACE = "Hà Nội"


@dataclass(frozen=True)
class IssuerLines:
    """Box 2 of the header: the parent authority (capitals, not bold) above the issuing body (capitals, bold)."""

    parent: tuple[str, ...]
    body: tuple[str, ...]


def _unit_line(unit: AdminUnit) -> str:
    return (f"{unit.type_name} {unit.short_name}" if unit.type_name else unit.name).upper()


def _committee_lines(unit: AdminUnit) -> tuple[str, ...]:
    if unit.level == UnitLevel.CENTRAL:
        return CENTRAL_COMMITTEE
    return (LOCAL_COMMITTEE, _unit_line(unit))


def issuer_lines(body: FrontBody) -> IssuerLines:
    """Header lines for documents issued by ``body``.

    The standing board of Hai Bà Trưng district prints "ỦY BAN MTTQ VIỆT NAM / QUẬN HAI BÀ TRƯNG" (parent,
    not bold) over "BAN THƯỜNG TRỰC" (bold); a committee is itself the issuing body and prints its two lines
    in bold with no parent; a residential-area board sits under the committee of the commune above it.
    """
    unit = body.unit
    kind = body.kind
    if kind == FrontBody.Kind.COMMITTEE:
        return IssuerLines(parent=(), body=_committee_lines(unit))
    if kind == FrontBody.Kind.STANDING_BOARD:
        return IssuerLines(parent=_committee_lines(unit), body=("BAN THƯỜNG TRỰC",))
    if kind == FrontBody.Kind.PRESIDIUM:
        return IssuerLines(parent=_committee_lines(unit), body=("ĐOÀN CHỦ TỊCH",))
    if kind == FrontBody.Kind.RESIDENTIAL_BOARD:
        parent = _committee_lines(unit.parent) if unit.parent_id and unit.parent else (LOCAL_COMMITTEE,)
        return IssuerLines(parent=parent, body=("BAN CÔNG TÁC MẶT TRẬN", _unit_line(unit)))
    return IssuerLines(parent=_committee_lines(unit), body=(body.get_kind_display().upper(),))


def issuer_symbol_groups(body: FrontBody) -> tuple[str, ...]:
    """``("MTTQ", "BTT")`` for a local standing board, ``("MTTW",)`` for the central committee…"""
    return symbol_groups(
        central=body.unit.level == UnitLevel.CENTRAL,
        standing_board=body.kind == FrontBody.Kind.STANDING_BOARD,
    )


def issuer_place(body: FrontBody) -> str:
    """Place in the place-and-date line: the issuer's administrative unit ("Hai Bà Trưng"); the central Front
    writes "Hà Nội"."""
    unit = body.unit
    return CENTRAL_PLACE if unit.level == UnitLevel.CENTRAL else unit.short_name


def working_issuer(unit: AdminUnit) -> FrontBody:
    """The body that issues a unit's day-to-day documents (reports, plans): its standing board, or its committee
    when no standing board is on record. ``ValueError`` with a Vietnamese message when it has neither."""
    bodies = {b.kind: b for b in FrontBody.objects.filter(unit=unit).select_related("unit")}
    body = bodies.get(FrontBody.Kind.STANDING_BOARD) or bodies.get(FrontBody.Kind.COMMITTEE)
    if body is None:
        raise ValueError(f"{unit} chưa khai báo cơ quan Mặt trận nên chưa xuất được văn bản.")
    return body


def signing_authority(body: FrontBody) -> str:
    """Box 7's authority line for a collective: "TM. BAN THƯỜNG TRỰC" for a standing board, else "TM. ỦY BAN"."""
    return "TM. BAN THƯỜNG TRỰC" if body.kind == FrontBody.Kind.STANDING_BOARD else "TM. ỦY BAN"
