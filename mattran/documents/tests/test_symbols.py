from __future__ import annotations

import pytest

from mattran.documents.issuers import issuer_lines, issuer_place, issuer_symbol_groups
from mattran.documents.symbols import document_symbol, symbol_groups
from mattran.organisations.models import FrontBody
from mattran.organisations.tests.factories import AdminUnitFactory, FrontBodyFactory, build_tree


@pytest.mark.parametrize(
    ("number", "doc_type", "groups", "expected"),
    [
        (5, "BC", ("MTTQ", "BTT"), "05/BC-MTTQ-BTT"),
        (15, "BC", ("MTTQ", "BTT"), "15/BC-MTTQ-BTT"),
        (1, "HD", ("MTTW", "BTT"), "01/HD-MTTW-BTT"),
        (9, "TTr", ("MTTQ", "BTT"), "09/TTr-MTTQ-BTT"),
        (10, "KH", ("MTTQ",), "10/KH-MTTQ"),
        (1018, "CV", ("MTTW", "BTT"), "1018/CV-MTTW-BTT"),
        (221, "QĐ", ("MTTW", "BTT"), "221/QĐ-MTTW-BTT"),
        (3, "GM", (), "03/GM"),
    ],
)
def test_document_symbol(number: int, doc_type: str, groups: tuple[str, ...], expected: str) -> None:
    assert document_symbol(number, doc_type, *groups) == expected


@pytest.mark.parametrize(("number", "doc_type"), [(0, "BC"), (-1, "BC"), (1, ""), (1, "  ")])
def test_document_symbol_rejects_bad_input(number: int, doc_type: str) -> None:
    with pytest.raises(ValueError):
        document_symbol(number, doc_type, "MTTQ")


@pytest.mark.parametrize(
    ("central", "standing_board", "expected"),
    [(False, True, ("MTTQ", "BTT")), (True, True, ("MTTW", "BTT")), (False, False, ("MTTQ",)),
     (True, False, ("MTTW",))],
)
def test_symbol_groups(central: bool, standing_board: bool, expected: tuple[str, ...]) -> None:
    assert symbol_groups(central=central, standing_board=standing_board) == expected


@pytest.mark.django_db
def test_issuer_lines_of_a_district_standing_board() -> None:
    tree = build_tree()
    board = FrontBodyFactory(unit=tree["district"], kind=FrontBody.Kind.STANDING_BOARD)
    lines = issuer_lines(board)
    assert lines.parent == ("ỦY BAN MTTQ VIỆT NAM", "QUẬN HAI BÀ TRƯNG")
    assert lines.body == ("BAN THƯỜNG TRỰC",)
    assert issuer_symbol_groups(board) == ("MTTQ", "BTT")
    assert issuer_place(board) == "Hai Bà Trưng"


@pytest.mark.django_db
def test_issuer_lines_of_the_central_standing_board_and_a_ward_committee() -> None:
    tree = build_tree()
    central = FrontBodyFactory(unit=tree["centre"], kind=FrontBody.Kind.STANDING_BOARD)
    assert issuer_lines(central).parent == ("ỦY BAN TRUNG ƯƠNG", "MẶT TRẬN TỔ QUỐC VIỆT NAM")
    assert issuer_symbol_groups(central) == ("MTTW", "BTT")
    assert issuer_place(central) == "Hà Nội"
    committee = FrontBodyFactory(unit=tree["bach_mai"], kind=FrontBody.Kind.COMMITTEE)
    lines = issuer_lines(committee)
    assert lines.parent == ()
    assert lines.body == ("ỦY BAN MTTQ VIỆT NAM", "PHƯỜNG BẠCH MAI")
    assert issuer_symbol_groups(committee) == ("MTTQ",)


@pytest.mark.django_db
def test_issuer_lines_of_a_residential_board_name_the_commune_committee_above_it() -> None:
    tree = build_tree()
    area = AdminUnitFactory(level="residential", type_name="Tổ dân phố", short_name="số 5", parent=tree["bach_mai"])
    board = FrontBodyFactory(unit=area, kind=FrontBody.Kind.RESIDENTIAL_BOARD)
    lines = issuer_lines(board)
    assert lines.parent == ("ỦY BAN MTTQ VIỆT NAM", "PHƯỜNG BẠCH MAI")
    assert lines.body == ("BAN CÔNG TÁC MẶT TRẬN", "TỔ DÂN PHỐ SỐ 5")
