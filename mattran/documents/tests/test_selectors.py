from __future__ import annotations

import pytest

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import UserFactory, user_with_role
from mattran.documents.selectors import document_numbers_visible_to, document_years_visible_to
from mattran.documents.tests.factories import DocumentNumberFactory, standing_board
from mattran.organisations.tests.factories import build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    tree = build_tree()
    boards = {key: standing_board(tree[key]) for key in ("district", "bach_mai", "vinh_tuy")}
    entries = {
        "district_2022": DocumentNumberFactory(issuer=boards["district"], year=2022, number=1),
        "bach_mai_2022": DocumentNumberFactory(issuer=boards["bach_mai"], year=2022, number=1),
        "bach_mai_2023": DocumentNumberFactory(issuer=boards["bach_mai"], year=2023, number=1),
        "vinh_tuy_2023": DocumentNumberFactory(issuer=boards["vinh_tuy"], year=2023, number=1),
    }
    return tree, entries


def test_a_ward_cadre_sees_only_their_ward(register) -> None:
    tree, entries = register
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    assert list(document_numbers_visible_to(user=cadre)) == [entries["bach_mai_2023"], entries["bach_mai_2022"]]
    assert document_years_visible_to(user=cadre) == [2023, 2022]


def test_the_district_sees_its_wards_and_can_filter_by_year(register) -> None:
    tree, entries = register
    board_member = user_with_role(Role.STANDING, tree["district"])
    assert set(document_numbers_visible_to(user=board_member)) == set(entries.values())
    assert set(document_numbers_visible_to(user=board_member, year=2022)) == {
        entries["district_2022"], entries["bach_mai_2022"]
    }


def test_a_user_without_a_role_sees_nothing(register) -> None:
    assert not document_numbers_visible_to(user=UserFactory()).exists()
