"""The staff funds pages as cadres use them: drives, pledges, VietQR codes, receipts, corrections, anonymity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.audit.models import AuditEvent
from mattran.funds import vietqr
from mattran.funds.drive_services import cash_receipt_issue, pledge_set
from mattran.funds.models import AnonymityRequest, CashReceipt, Drive, DriveAccount, LedgerEntry, ReceivingAccount
from mattran.funds.services import LedgerRow, ledger_append
from mattran.funds.tests.factories import FundFactory, ReceivingAccountFactory
from mattran.organisations.tests.factories import build_tree

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 9, 15)


@pytest.fixture
def world() -> dict:
    tree = build_tree()
    district_cadre = user_with_role(Role.STANDING, tree["district"])
    fund = FundFactory(unit=tree["district"], name="Quỹ Vì biển, đảo Việt Nam quận")
    account = ReceivingAccountFactory(unit=tree["district"], bank_name="Vietcombank", bank_bin="970436",
                                      number="0011001932418")
    drive = Drive.objects.create(fund=fund, unit=tree["district"], title="Vì biển, đảo Việt Nam 2025",
                                 slug="vi-bien-dao-viet-nam-2025", memo_code="BIENDAO2025",
                                 starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2024, 12, 31),
                                 target_amount=10_000_000)
    DriveAccount.objects.create(drive=drive, account=account)
    pledge = pledge_set(actor=district_cadre, drive=drive, unit=tree["bach_mai"], amount=2_000_000)
    return {**tree, "fund": fund, "account": account, "drive": drive, "pledge": pledge,
            "district_cadre": district_cadre,
            "ward_cadre": user_with_role(Role.CADRE, tree["bach_mai"]),
            "other_cadre": user_with_role(Role.CADRE, tree["vinh_tuy"]),
            "editor": user_with_role(Role.EDITOR, tree["district"])}


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _drive_form(world: dict, **values: object) -> dict:
    data = {"fund": world["fund"].pk, "unit": world["district"].pk, "title": "Ủng hộ đồng bào miền Trung",
            "slug": "", "memo_code": "mien trung 2025", "appeal_number": "12/MTTQ", "appeal_date": "2024-09-10",
            "appeal_text": "Kêu gọi", "target_amount": "50.000.000", "starts_on": "2024-09-10", "ends_on": "",
            "accounts": [world["account"].pk], "is_public": "on"}
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


# --- drives ----------------------------------------------------------------------------------------------------


def test_a_cadre_launches_a_drive_from_the_form(world: dict) -> None:
    response = _client(world["district_cadre"]).post(reverse("funds:drive_create"), _drive_form(world))
    drive = Drive.objects.get(title="Ủng hộ đồng bào miền Trung")
    assert response.status_code == 302 and response["Location"] == reverse("funds:drive_detail", args=[drive.pk])
    assert (drive.slug, drive.memo_code, drive.target_amount) == ("ung-ho-dong-bao-mien-trung", "MIEN TRUNG 2025",
                                                                  50_000_000)
    assert list(drive.accounts.all()) == [world["account"]]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("memo_code", "ưu-đãi!", "Mã gồm 3–20 ký tự"),
    ("target_amount", "-5", "Số tiền phải lớn hơn 0"),
    ("target_amount", "năm triệu", "Số tiền phải là số nguyên đồng"),
    ("ends_on", "2024-01-01", "không được trước ngày bắt đầu"),
    ("memo_code", "BIENDAO2025", "đã dùng cho một đợt vận động khác"),
])
def test_a_bad_drive_form_is_refused_next_to_the_field(world: dict, field: str, value: str, message: str) -> None:
    response = _client(world["district_cadre"]).post(reverse("funds:drive_create"),
                                                     _drive_form(world, **{field: value}))
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert f'id="id_{field}_error"' in html
    assert not Drive.objects.filter(title="Ủng hộ đồng bào miền Trung").exists()


def test_an_account_of_another_unit_is_not_offered_and_cannot_be_forced(world: dict) -> None:
    foreign = ReceivingAccountFactory(unit=world["other_commune"], number="999888777")
    client = _client(world["district_cadre"])
    assert "999888777" not in client.get(reverse("funds:drive_create")).content.decode()
    response = client.post(reverse("funds:drive_create"), _drive_form(world, accounts=[foreign.pk]))
    assert response.status_code == 200 and not Drive.objects.filter(title="Ủng hộ đồng bào miền Trung").exists()


def test_the_drive_page_shows_totals_pledges_qr_codes_and_the_public_link(world: dict) -> None:
    ledger_append(actor=None, account=world["account"], rows=[
        LedgerRow(booked_on=DAY, amount=1_000_000, memo_raw="BIENDAO2025 BACHMAI NGUYEN VAN A", source_ref="a"),
        LedgerRow(booked_on=DAY, amount=3_000_000, memo_raw="UNG HO BIEN DAO", source_ref="b"),
    ])
    cash_receipt_issue(actor=world["ward_cadre"], drive=world["drive"], pledge=world["pledge"],
                       payer_name="Lê Văn Tám", amount=500_000, received_on=DAY)
    response = _client(world["district_cadre"]).get(reverse("funds:drive_detail", args=[world["drive"].pk]))
    html = response.content.decode()
    payload = vietqr.build_payload(bin="970436", account="0011001932418", memo="BIENDAO2025")
    assert response.status_code == 200
    assert "4.500.000 ₫" in html and "1.500.000 ₫" in html  # drive total; Bạch Mai's transfer + cash
    assert payload in html and "<svg" in html
    assert 'href="/minh-bach/dot/vi-bien-dao-viet-nam-2025/"' in html
    assert "BIENDAO2025 BACHMAI" in html and "Lê Văn Tám" in html


def test_the_drive_qr_downloads_as_png(world: dict) -> None:
    response = _client(world["district_cadre"]).get(
        reverse("funds:drive_qr_png", args=[world["drive"].pk]), {"tk": world["account"].pk})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert "vietqr-vi-bien-dao-viet-nam-2025-0011001932418.png" in response["Content-Disposition"]
    missing = _client(world["district_cadre"]).get(
        reverse("funds:drive_qr_png", args=[world["drive"].pk]), {"tk": "999999"})
    assert missing.status_code == 404


def test_the_pledge_qr_carries_its_memo_code_and_an_optional_amount(world: dict) -> None:
    client = _client(world["ward_cadre"])
    url = reverse("funds:pledge_detail", args=[world["pledge"].pk])
    plain = client.get(url).content.decode()
    assert vietqr.build_payload(bin="970436", account="0011001932418", memo="BIENDAO2025 BACHMAI") in plain
    with_amount = client.get(url, {"so_tien": "500.000"}).content.decode()
    expected = vietqr.build_payload(bin="970436", account="0011001932418", amount=500_000, memo="BIENDAO2025 BACHMAI")
    assert expected in with_amount and "54065000005802VN" in expected
    bad = client.get(url, {"so_tien": "-1"}).content.decode()
    assert "Số tiền phải lớn hơn 0" in bad and "5406" not in bad.split("Chuỗi VietQR")[-1]
    png = client.get(reverse("funds:pledge_qr_png", args=[world["pledge"].pk]), {"so_tien": "500000"})
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def test_a_ward_sees_the_district_drive_it_collects_for_but_cannot_change_it(world: dict) -> None:
    client = _client(world["ward_cadre"])
    assert client.get(reverse("funds:drive_list")).content.decode().count("Vì biển, đảo Việt Nam 2025") == 1
    assert client.get(reverse("funds:drive_detail", args=[world["drive"].pk])).status_code == 200
    assert client.get(reverse("funds:drive_edit", args=[world["drive"].pk])).status_code == 403
    assert client.get(reverse("funds:pledge_create", args=[world["drive"].pk])).status_code == 403
    other = _client(world["other_cadre"])
    assert other.get(reverse("funds:drive_detail", args=[world["drive"].pk])).status_code == 404
    assert "Vì biển, đảo" not in other.get(reverse("funds:drive_list")).content.decode()


def test_pledges_are_added_edited_and_removed_from_the_drive_page(world: dict) -> None:
    client = _client(world["district_cadre"])
    response = client.post(reverse("funds:pledge_create", args=[world["drive"].pk]),
                           {"unit": world["vinh_tuy"].pk, "amount": "3.000.000", "memo_code": "", "note": ""})
    assert response.status_code == 302
    pledge = world["drive"].pledges.get(unit=world["vinh_tuy"])
    assert (pledge.memo_code, pledge.amount) == ("BIENDAO2025 VINHTUY", 3_000_000)
    refused = client.post(reverse("funds:pledge_create", args=[world["drive"].pk]),
                          {"unit": world["other_commune"].pk, "amount": "", "memo_code": "", "note": ""})
    assert refused.status_code == 200 and world["drive"].pledges.count() == 2
    client.post(reverse("funds:pledge_edit", args=[pledge.pk]),
                {"unit": world["vinh_tuy"].pk, "amount": "4000000", "memo_code": "bien dao vinh tuy", "note": ""})
    pledge.refresh_from_db()
    assert (pledge.amount, pledge.memo_code) == (4_000_000, "BIEN DAO VINH TUY")
    assert client.post(reverse("funds:pledge_remove", args=[pledge.pk])).status_code == 302
    assert not world["drive"].pledges.filter(pk=pledge.pk).exists()


# --- accounts --------------------------------------------------------------------------------------------------


def test_an_account_is_registered_with_a_bank_from_the_list(world: dict) -> None:
    client = _client(world["district_cadre"])
    response = client.post(reverse("funds:account_create"), {
        "bank_name": "Agribank", "number": "1500 2050 12345", "holder_name": "UB MTTQ quận Hai Bà Trưng",
        "unit": world["district"].pk, "statement_published": "on"})
    account = ReceivingAccount.objects.get(number="1500205012345")
    assert response.status_code == 302 and account.bank_bin == "970405" and account.statement_published
    bad = client.post(reverse("funds:account_create"), {
        "bank_name": "Agribank", "number": "15-00-ab", "holder_name": "X", "unit": world["district"].pk})
    assert "Số tài khoản chỉ gồm chữ số" in bad.content.decode()
    assert ReceivingAccount.objects.filter(bank_bin="970405").count() == 1


# --- cash receipts ---------------------------------------------------------------------------------------------


def _receipt_form(**values: str) -> dict:
    data = {"payer_name": "Nguyễn Thị Hoa", "payer_address": "Tổ 5 phường Bạch Mai", "amount": "1.250.000",
            "received_on": "2024-09-15", "note": "Ủng hộ biển đảo"}
    data.update(values)
    return data


def test_a_receipt_is_issued_and_printed_with_its_number_and_amount_in_words(world: dict) -> None:
    client = _client(world["district_cadre"])
    url = reverse("funds:receipt_create", args=[world["drive"].pk])
    first = client.post(url, _receipt_form())
    second = client.post(url, _receipt_form(amount="1000000", payer_name="Trần Văn Bình"))
    receipts = list(CashReceipt.objects.order_by("number"))
    assert [r.number for r in receipts] == [1, 2]
    assert first["Location"] == reverse("funds:receipt_detail", args=[receipts[0].pk])
    assert second.status_code == 302
    page = client.get(first["Location"]).content.decode()
    assert "Số: 000001/BL" in page and "1.250.000 ₫" in page
    assert "Một triệu hai trăm năm mươi nghìn đồng" in page and "Nguyễn Thị Hoa" in page
    assert "funds/staff.css" in page and "data-print" in page and "funds/print.js" in page
    assert receipts[0].entry.source_ref == "bien-lai/2024/1"


@pytest.mark.parametrize(("amount", "message"), [
    ("-5", "Số tiền phải lớn hơn 0"), ("0", "Số tiền phải lớn hơn 0"), ("abc", "Số tiền phải là số nguyên đồng"),
    ("1.5", "Số tiền phải là số nguyên đồng"), ("", "Hãy nhập số tiền"), ("99999999999999", "quá lớn"),
])
def test_a_bad_amount_is_refused_next_to_the_field_and_nothing_is_saved(world: dict, amount: str,
                                                                         message: str) -> None:
    response = _client(world["district_cadre"]).post(
        reverse("funds:receipt_create", args=[world["drive"].pk]), _receipt_form(amount=amount))
    html = response.content.decode()
    assert response.status_code == 200 and message in html and 'id="id_amount_error"' in html
    assert f'value="{amount}"' in html or amount == ""
    assert not CashReceipt.objects.exists() and not LedgerEntry.objects.exists()


def test_a_ward_issues_receipts_only_under_its_own_pledge(world: dict) -> None:
    client = _client(world["ward_cadre"])
    url = reverse("funds:receipt_create", args=[world["drive"].pk])
    form = client.get(url).content.decode()
    assert "Đơn vị phát động thu trực tiếp" not in form and "BIENDAO2025 BACHMAI" in form
    assert client.post(url, _receipt_form()).status_code == 200  # the pledge is required for a ward
    response = client.post(url, _receipt_form(pledge=str(world["pledge"].pk)))
    receipt = CashReceipt.objects.get()
    assert response.status_code == 302 and receipt.unit == world["bach_mai"] and receipt.pledge == world["pledge"]
    assert _client(world["other_cadre"]).get(reverse("funds:receipt_detail", args=[receipt.pk])).status_code == 404
    assert "Nguyễn Thị Hoa" in _client(world["district_cadre"]).get(reverse("funds:receipt_list")).content.decode()


# --- entries: corrections and anonymity ------------------------------------------------------------------------


def test_the_entry_page_shows_the_raw_memo_to_staff(world: dict) -> None:
    ledger_append(actor=None, account=world["account"], rows=[LedgerRow(
        booked_on=DAY, amount=200_000, memo_raw="MBVCB.123 tu TK 0123456789 NGUYEN VAN A ung ho", source_ref="x")])
    entry = LedgerEntry.objects.get()
    html = _client(world["district_cadre"]).get(reverse("funds:entry_detail", args=[entry.pk])).content.decode()
    assert "0123456789" in html and entry.memo_public in html and entry.entry_hash in html
    assert "Điều chỉnh" in html and "Ghi nhận yêu cầu ẩn danh" in html


def test_a_correction_needs_a_reason_and_a_confirmation_then_cancels_the_receipt(world: dict) -> None:
    receipt = cash_receipt_issue(actor=world["district_cadre"], drive=world["drive"], payer_name="A",
                                 amount=300_000, received_on=DAY)
    client = _client(world["district_cadre"])
    url = reverse("funds:entry_correct", args=[receipt.entry.pk])
    form = client.get(url).content.decode()
    assert "data-confirm=" in form and "-300.000 ₫" in form
    no_reason = client.post(url, {"reason": "  ", "confirm": "on"}).content.decode()
    assert "Hãy ghi lý do điều chỉnh" in no_reason
    no_confirm = client.post(url, {"reason": "Thu nhầm"}).content.decode()
    assert "Hãy đánh dấu xác nhận" in no_confirm
    assert LedgerEntry.objects.count() == 1
    response = client.post(url, {"reason": "Thu nhầm, đã trả lại người nộp", "confirm": "on"})
    correction = LedgerEntry.objects.get(reverses=receipt.entry)
    assert response["Location"] == reverse("funds:entry_detail", args=[correction.pk])
    assert correction.reason == "Thu nhầm, đã trả lại người nộp" and correction.amount == -300_000
    page = client.get(reverse("funds:receipt_detail", args=[receipt.pk])).content.decode()
    assert "ĐÃ HỦY" in page and "Thu nhầm, đã trả lại người nộp" in page
    again = client.post(url, {"reason": "Lần nữa", "confirm": "on"}).content.decode()
    assert "đã được điều chỉnh trước đó" in again and LedgerEntry.objects.count() == 2
    assert AuditEvent.objects.filter(action="funds.ledger_correct").count() == 1


def test_an_anonymity_request_is_recorded_from_the_entry_page(world: dict) -> None:
    ledger_append(actor=None, account=world["account"], rows=[LedgerRow(
        booked_on=DAY, amount=200_000, memo_raw="NGUYEN VAN A ung ho", donor_name="Nguyễn Văn A", source_ref="x")])
    entry = LedgerEntry.objects.get()
    client = _client(world["district_cadre"])
    url = reverse("funds:entry_anonymity", args=[entry.pk])
    assert "Hãy đánh dấu xác nhận" in client.post(url, {"note": "Gọi điện"}).content.decode()
    assert not AnonymityRequest.objects.exists()
    response = client.post(url, {"note": "Gọi điện ngày 20/9", "confirm": "on"})
    assert response.status_code == 302 and AnonymityRequest.objects.get().entry == entry
    page = client.get(reverse("funds:entry_detail", args=[entry.pk])).content.decode()
    assert "đã yêu cầu ẩn danh" in page and reverse("funds:entry_anonymity", args=[entry.pk]) not in page
    assert _client(world["other_cadre"]).post(url, {"confirm": "on"}).status_code == 404


# --- menu ------------------------------------------------------------------------------------------------------


def test_the_menu_shows_funds_to_cadres_only(world: dict) -> None:
    dashboard = reverse("workspace:dashboard")
    assert reverse("funds:drive_list") in _client(world["ward_cadre"]).get(dashboard).content.decode()
    assert reverse("funds:drive_list") not in _client(world["editor"]).get(dashboard).content.decode()
    assert _client(world["editor"]).get(reverse("funds:drive_list")).status_code == 403


# --- admin -----------------------------------------------------------------------------------------------------


def test_the_admin_shows_funds_read_only(world: dict) -> None:
    from mattran.accounts.tests.factories import UserFactory

    receipt = cash_receipt_issue(actor=world["district_cadre"], drive=world["drive"], payer_name="A",
                                 amount=300_000, received_on=DAY)
    client = _client(UserFactory(is_superuser=True, is_staff=True))
    for model in ("ledgerentry", "cashreceipt", "drive", "receivingaccount", "pledge", "fund"):
        assert client.get(f"/quan-tri/funds/{model}/").status_code == 200
        assert client.get(f"/quan-tri/funds/{model}/add/").status_code == 403
    entry_page = client.get(f"/quan-tri/funds/ledgerentry/{receipt.entry.pk}/change/")
    assert entry_page.status_code == 200 and "bien-lai/2024/1" in entry_page.content.decode()
    assert client.post(f"/quan-tri/funds/ledgerentry/{receipt.entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.filter(pk=receipt.entry.pk).exists()


def test_unit_choices_are_indented_below_the_highest_unit_offered(world: dict) -> None:
    html = _client(world["district_cadre"]).get(
        reverse("funds:pledge_create", args=[world["drive"].pk])).content.decode()
    assert ">Quận Hai Bà Trưng</option>" in html and ">— Phường Bạch Mai</option>" in html


def test_a_cadre_finds_a_donor_in_an_account_by_name_without_diacritics(world: dict) -> None:
    ledger_append(actor=None, account=world["account"], rows=[
        LedgerRow(booked_on=DAY, amount=200_000, memo_raw="NGUYEN VAN DUC ung ho", donor_name="Nguyễn Văn Đức",
                  source_ref="x"),
        LedgerRow(booked_on=DAY, amount=300_000, memo_raw="TRAN THI MAI ung ho", source_ref="y"),
    ])
    client = _client(world["district_cadre"])
    url = reverse("funds:account_detail", args=[world["account"].pk])
    html = client.get(url, {"q": "Đức"}).content.decode()
    assert "NGUYEN VAN DUC ung ho" in html and "TRAN THI MAI" not in html
    by_amount = client.get(url, {"q": "300.000"}).content.decode()
    assert "TRAN THI MAI" in by_amount and "NGUYEN VAN DUC" not in by_amount
    assert client.get(url, {"q": "\"' OR 1=1 -- *", "trang": "abc"}).status_code == 200
    assert "TRAN THI MAI" in client.get(url).content.decode()


def test_the_account_manager_closes_past_days_and_a_closed_day_takes_no_more_rows(world: dict) -> None:
    from mattran.funds.models import DayCheckpoint
    from mattran.funds.services import LedgerError

    account = world["account"]
    ledger_append(actor=None, account=account, rows=[
        LedgerRow(booked_on=DAY, amount=100_000, memo_raw="NGUYEN VAN A ung ho", source_ref="a"),
        LedgerRow(booked_on=DAY + dt.timedelta(days=1), amount=200_000, memo_raw="TRAN THI B ung ho",
                  source_ref="b")])
    client = _client(world["district_cadre"])
    url = reverse("funds:account_close_days", args=[account.pk])
    page = client.get(url)
    assert page.status_code == 200 and "15/09/2024, 16/09/2024" in page.content.decode()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    refused = client.post(url, {"through": tomorrow})
    assert refused.status_code == 200 and "Chỉ chốt được những ngày đã qua" in refused.content.decode()
    assert not DayCheckpoint.objects.exists()
    done = client.post(url, {"through": "15/09/2024"})
    assert done.status_code == 302
    assert list(DayCheckpoint.objects.filter(account=account).values_list("day", flat=True)) == [DAY]
    with pytest.raises(LedgerError):
        ledger_append(actor=None, account=account, rows=[LedgerRow(booked_on=DAY, amount=1_000, source_ref="c")])
    # A ward cadre sees the district's drive but does not manage its account.
    assert _client(world["ward_cadre"]).post(url, {"through": "16/09/2024"}).status_code in (403, 404)
    assert DayCheckpoint.objects.filter(account=account).count() == 1
