from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import UserFactory, user_with_role
from mattran.documents.tests.factories import DocumentNumberFactory, standing_board
from mattran.organisations.tests.factories import build_tree

pytestmark = pytest.mark.django_db
URL = "/quan-ly/van-ban/"


def test_url_name() -> None:
    assert reverse("documents:register") == URL


def test_register_shows_only_numbers_in_scope(client: Client) -> None:
    tree = build_tree()
    DocumentNumberFactory(issuer=standing_board(tree["bach_mai"]), number=5, title="Báo cáo của Bạch Mai")
    DocumentNumberFactory(issuer=standing_board(tree["vinh_tuy"]), number=7, title="Báo cáo của Vĩnh Tuy")
    client.force_login(user_with_role(Role.CADRE, tree["bach_mai"]))
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "05/BC-MTTQ-BTT" in body and "Báo cáo của Bạch Mai" in body
    assert "Báo cáo của Vĩnh Tuy" not in body and "07/BC-MTTQ-BTT" not in body


def test_register_filters_by_year(client: Client) -> None:
    tree = build_tree()
    board = standing_board(tree["district"])
    DocumentNumberFactory(issuer=board, year=2022, number=3, title="Năm hai hai")
    DocumentNumberFactory(issuer=board, year=2023, number=4, title="Năm hai ba")
    client.force_login(user_with_role(Role.VIEWER, tree["district"]))
    body = client.get(URL, {"nam": "2023"}).content.decode()
    assert "Năm hai ba" in body and "Năm hai hai" not in body
    body = client.get(URL, {"nam": "abc"}).content.decode()
    assert "Năm hai ba" in body and "Năm hai hai" in body


def test_register_refuses_residents_and_sends_visitors_to_login(client: Client) -> None:
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403
