"""The allocation and payment pages: forms parse "1.000.000", refusals come back next to their fields with
nothing saved, payments are matched from the suggestions, and the recipients list downloads grouped by area."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from python_calamine import CalamineWorkbook

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.funds.models import Allocation, Payment, PaymentMethod, RecipientKind
from mattran.funds.tests.disbursement_factories import (
    allocation_in,
    book,
    drive_account,
    drive_in,
    payment_in,
)
from mattran.organisations.models import FrontBody
from mattran.organisations.tests.factories import FrontBodyFactory, build_tree

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def world() -> dict[str, Any]:
    tree = build_tree()
    drive = drive_in(tree["district"], title="Ủng hộ đồng bào bão số 3")
    book(drive_account(drive), (D(2024, 9, 10), 10_000_000))
    return {**tree, "drive": drive, "cadre": user_with_role(Role.STANDING, tree["district"])}


@pytest.fixture
def client(world: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(world["cadre"])
    return client


def allocation_post(world: dict[str, Any], **values: Any) -> dict[str, Any]:
    data = {"recipient_kind": RecipientKind.HOUSEHOLD, "recipient_name": "Hộ bà Nguyễn Thị Lan",
            "area_unit": world["bach_mai"].pk, "residential_area": "Tổ dân phố 5",
            "purpose": "Hỗ trợ sửa nhà sau bão", "amount": "1.000.000", "decision_number": "15/QĐ-MTTQ-BTT",
            "decision_date": "2024-10-01", "decision_issuer": "Ban Thường trực", "is_published": "on"}
    data.update(values)
    return data


def test_add_an_allocation_with_a_grouped_amount(world: dict[str, Any], client: Client) -> None:
    drive = world["drive"]
    response = client.post(reverse("funds_disbursements:allocation_create", args=[drive.pk]),
                           allocation_post(world, amount="2.500.000 đ"))
    allocation = Allocation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("funds_disbursements:allocation_detail", args=[allocation.pk])
    assert (allocation.amount, allocation.area_unit, allocation.created_by) == (
        2_500_000, world["bach_mai"], world["cadre"])
    page = client.get(reverse("funds_disbursements:allocation_list", args=[drive.pk])).content.decode()
    assert "Hộ bà Nguyễn Thị Lan" in page and "2.500.000" in page and "7.500.000" in page


def test_bad_input_comes_back_next_to_the_fields_and_nothing_is_saved(world: dict[str, Any], client: Client) -> None:
    url = reverse("funds_disbursements:allocation_create", args=[world["drive"].pk])
    response = client.post(url, allocation_post(world, amount="1.5", decision_number="", decision_date="31/02/2024",
                                                area_unit=world["other_commune"].pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Số tiền phải là số nguyên đồng" in page
    assert "Hãy nhập số quyết định phân bổ." in page
    assert "Ngày không hợp lệ" in page
    assert "Hãy chọn một xã, phường trong danh sách." in page
    assert 'value="1.5"' in page  # what was typed is kept
    assert not Allocation.objects.exists()


def test_allocating_more_than_received_shows_the_figures(world: dict[str, Any], client: Client) -> None:
    url = reverse("funds_disbursements:allocation_create", args=[world["drive"].pk])
    response = client.post(url, allocation_post(world, amount="12.000.000"))
    page = response.content.decode()
    assert "Không thể phân bổ 12.000.000" in page and "mới nhận 10.000.000" in page
    assert not Allocation.objects.exists()


def test_household_needs_its_residential_area(world: dict[str, Any], client: Client) -> None:
    url = reverse("funds_disbursements:allocation_create", args=[world["drive"].pk])
    page = client.post(url, allocation_post(world, residential_area="")).content.decode()
    assert "cần ghi thôn, tổ dân phố" in page
    assert not Allocation.objects.exists()


def test_edit_after_payment_keeps_the_amount(world: dict[str, Any], client: Client) -> None:
    allocation = allocation_in(world["drive"], amount=1_000_000, created_by=world["cadre"],
                               area_unit=world["bach_mai"])
    payment_in(allocation, amount=300_000, created_by=world["cadre"])
    url = reverse("funds_disbursements:allocation_edit", args=[allocation.pk])
    form_page = client.get(url).content.decode()
    assert "Đã có khoản chi theo phân bổ này nên không sửa được." in form_page
    response = client.post(url, allocation_post(world, amount="9.000.000", purpose="Hỗ trợ lương thực"))
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert (allocation.amount, allocation.purpose) == (1_000_000, "Hỗ trợ lương thực")


def test_record_a_bank_payment_then_match_it_from_the_suggestions(world: dict[str, Any], client: Client) -> None:
    drive = world["drive"]
    (debit,) = book(drive_account(drive), (D(2024, 10, 7), -1_000_000, "CK HO TRO HO BA LAN"))
    allocation = allocation_in(drive, amount=1_000_000, created_by=world["cadre"], area_unit=world["bach_mai"])
    response = client.post(reverse("funds_disbursements:payment_create", args=[allocation.pk]), {
        "amount": "1.000.000", "paid_on": "2024-10-05", "method": PaymentMethod.BANK, "reference": "UNC 12"})
    payment = Payment.objects.get()
    match_url = reverse("funds_disbursements:payment_match", args=[payment.pk])
    assert response["Location"] == match_url  # a suggestion exists, so the picker comes next
    picker = client.get(match_url).content.decode()
    assert "CK HO TRO HO BA LAN" in picker and f'value="{debit.pk}" checked' in picker
    unmatched = client.get(reverse("funds_disbursements:unmatched_debits", args=[drive.pk])).content.decode()
    assert "CK HO TRO HO BA LAN" in unmatched
    response = client.post(match_url, {"entry": debit.pk})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.entry == debit
    unmatched = client.get(reverse("funds_disbursements:unmatched_debits", args=[drive.pk])).content.decode()
    assert "CK HO TRO HO BA LAN" not in unmatched
    client.post(reverse("funds_disbursements:payment_unmatch", args=[payment.pk]))
    payment.refresh_from_db()
    assert payment.entry is None


def test_overpayment_and_bad_match_are_refused_on_the_page(world: dict[str, Any], client: Client) -> None:
    drive = world["drive"]
    (credit,) = book(drive_account(drive), (D(2024, 10, 7), 50_000))
    allocation = allocation_in(drive, amount=1_000_000, created_by=world["cadre"], area_unit=world["bach_mai"])
    page = client.post(reverse("funds_disbursements:payment_create", args=[allocation.pk]), {
        "amount": "1.200.000", "paid_on": "2024-10-05", "method": PaymentMethod.CASH}).content.decode()
    assert "chỉ còn được chi 1.000.000" in page
    assert not Payment.objects.exists()
    payment = payment_in(allocation, amount=100_000, created_by=world["cadre"], method=PaymentMethod.BANK)
    page = client.post(reverse("funds_disbursements:payment_match", args=[payment.pk]),
                       {"entry": credit.pk}).content.decode()
    assert "Dòng sao kê này không có trong danh sách." in page
    payment.refresh_from_db()
    assert payment.entry is None


def test_cancel_and_delete(world: dict[str, Any], client: Client) -> None:
    allocation = allocation_in(world["drive"], amount=1_000_000, created_by=world["cadre"])
    page = client.post(reverse("funds_disbursements:allocation_cancel", args=[allocation.pk]),
                       {"cancel_reason": ""}).content.decode()
    assert "Hãy ghi lý do hủy" in page
    payment = payment_in(allocation, amount=100_000, created_by=world["cadre"])
    client.post(reverse("funds_disbursements:payment_delete", args=[payment.pk]))
    assert not Payment.objects.exists()
    response = client.post(reverse("funds_disbursements:allocation_cancel", args=[allocation.pk]),
                           {"cancel_reason": "Quyết định bị thu hồi"})
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.is_cancelled


def test_other_units_cannot_see_the_drive(world: dict[str, Any]) -> None:
    outsider = user_with_role(Role.STANDING, world["other_province"])
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("funds_disbursements:allocation_list", args=[world["drive"].pk])).status_code == 404
    index = client.get(reverse("funds_disbursements:drive_index")).content.decode()
    assert "Ủng hộ đồng bào bão số 3" not in index


def _posting_world(world: dict[str, Any]) -> None:
    drive, cadre = world["drive"], world["cadre"]
    allocation_in(drive, amount=1_000_000, created_by=cadre, area_unit=world["vinh_tuy"],
                  residential_area="Tổ 2", recipient_name="Hộ ông Phạm Văn Tú")
    allocation_in(drive, amount=2_000_000, created_by=cadre, area_unit=world["bach_mai"],
                  residential_area="Tổ 7", recipient_name="Hộ bà Đỗ Thị Hoa")
    allocation_in(drive, amount=3_000_000, created_by=cadre, area_unit=world["bach_mai"],
                  residential_area="Tổ 7", recipient_name="Hộ ông Lê Văn Nam")
    allocation_in(drive, amount=500_000, created_by=cadre, area_unit=world["bach_mai"],
                  residential_area="Tổ 1", recipient_name="Hộ không công khai", is_published=False)
    allocation_in(drive, amount=700_000, created_by=cadre, area_unit=world["bach_mai"], residential_area="Tổ 1",
                  recipient_name="Hộ đã hủy", cancelled_at=dt.datetime(2024, 10, 3, tzinfo=dt.UTC),
                  cancel_reason="Thu hồi")
    allocation_in(drive, amount=4_000_000, created_by=cadre, recipient_kind=RecipientKind.PROJECT,
                  recipient_name="Nhà văn hóa thôn 2", residential_area="")


def test_recipients_xlsx_is_grouped_by_ward_and_area(world: dict[str, Any], client: Client) -> None:
    _posting_world(world)
    response = client.get(reverse("funds_disbursements:recipients_xlsx", args=[world["drive"].pk]))
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    column = [str(r[1]) for r in rows]
    assert column.index("PHƯỜNG BẠCH MAI") < column.index("Tổ 7") < column.index("Hộ bà Đỗ Thị Hoa")
    assert column.index("Hộ ông Lê Văn Nam") < column.index("Cộng Tổ 7") < column.index("PHƯỜNG VĨNH TUY")
    assert column.index("Hộ ông Phạm Văn Tú") < column.index("ĐƠN VỊ, CÔNG TRÌNH KHÁC") < column.index(
        "Nhà văn hóa thôn 2")
    assert "Hộ không công khai" not in column and "Hộ đã hủy" not in column
    totals = {str(r[1]): r[3] for r in rows}
    assert totals["Cộng Tổ 7"] == 5_000_000 and totals["TỔNG CỘNG"] == 10_000_000

    one_ward = client.get(reverse("funds_disbursements:recipients_xlsx", args=[world["drive"].pk]),
                          {"xa": world["vinh_tuy"].pk})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(one_ward.content)).get_sheet_by_index(0).to_python()
    names = [str(r[1]) for r in rows]
    assert "Hộ ông Phạm Văn Tú" in names and "Hộ bà Đỗ Thị Hoa" not in names


def test_recipients_docx_needs_the_front_body_then_lists_the_areas(world: dict[str, Any], client: Client) -> None:
    _posting_world(world)
    url = reverse("funds_disbursements:recipients_docx", args=[world["drive"].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert "chưa khai báo cơ quan Mặt trận" in client.get(response["Location"]).content.decode()
    FrontBodyFactory(unit=world["district"], kind=FrontBody.Kind.STANDING_BOARD)
    response = client.get(url)
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "DANH SÁCH" in text and "Tổ 7: 2 người/đơn vị, cộng 5.000.000" in text
    assert "Hộ bà Đỗ Thị Hoa" in cells and "Hộ không công khai" not in cells


def test_the_index_lists_the_drives_in_scope_with_their_money(world: dict[str, Any], client: Client) -> None:
    allocation = allocation_in(world["drive"], amount=4_000_000, created_by=world["cadre"])
    payment_in(allocation, amount=1_500_000, created_by=world["cadre"])
    page = client.get(reverse("funds_disbursements:drive_index")).content.decode()
    assert "Ủng hộ đồng bào bão số 3" in page
    assert reverse("funds_disbursements:allocation_list", args=[world["drive"].pk]) in page
    for figure in ("10.000.000", "4.000.000", "1.500.000", "8.500.000"):
        assert figure in page
