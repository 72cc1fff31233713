"""The public disclosure pages at /minh-bach/: public, masked, cheap, and never an error page."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from mattran.accounts.tests.factories import UserFactory
from mattran.funds import search, views_public
from mattran.funds.models import (
    Allocation,
    AnonymityRequest,
    DayCheckpoint,
    Drive,
    DriveAccount,
    Fund,
    LedgerEntry,
    Payment,
    PaymentMethod,
    Pledge,
    RecipientKind,
)
from mattran.funds.services import LedgerRow, checkpoint_day, ledger_append
from mattran.funds.tests.factories import ReceivingAccountFactory
from mattran.funds.tests.transparency_data import DRIVE_SLUG, Disclosure, build_disclosure, entry_with
from mattran.funds.vietqr import build_payload
from mattran.organisations.tests.factories import AdminUnitFactory

pytestmark = pytest.mark.django_db

INDEX = "/minh-bach/"
DRIVE = f"/minh-bach/dot/{DRIVE_SLUG}/"
ACCOUNT = "/minh-bach/tai-khoan/970436/0011001932418/"
HIDDEN_ACCOUNT = "/minh-bach/tai-khoan/970405/1500201113838/"
DOC = Path(__file__).resolve().parents[3] / "docs" / "ledger-proof.md"


@pytest.fixture
def data() -> Disclosure:
    cache.clear()
    return build_disclosure()


def _text(response: Any) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def _rows(html: str) -> list[str]:
    body = html.split('class="stack ledger-results"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)[1:]


def test_the_page_lists_public_drives_with_their_figures(client: Client, data: Disclosure) -> None:
    hidden = Drive.objects.create(fund=Fund.objects.first(), unit=data.unit, title="Đợt nội bộ chưa công bố",
                                  slug="noi-bo", memo_code="NOIBO", starts_on=data.drive.starts_on, is_public=False)
    response = client.get(INDEX)
    html = _text(response)
    assert response.status_code == 200
    assert data.drive.title in html and reverse("transparency:drive", args=[DRIVE_SLUG]) in html
    assert hidden.title not in html
    assert "8.948.000 ₫" in html  # received (VCB credits in period + Agribank + cash receipt)
    assert "8.648.000 ₫" in html  # balance = received − paid 300.000
    assert "ledger-results" not in html  # nothing asked, no result table


def test_a_name_typed_with_diacritics_finds_the_undiacritised_memo_masked(client: Client, data: Disclosure) -> None:
    html = _text(client.get(INDEX, {"q": "Hoàng Thanh Thủy"}))
    rows = _rows(html)
    assert len(rows) == 3
    assert all("HOANG THANH THUY" in row for row in rows)
    assert "*******916" in html and "1018144916" not in html
    assert "(3 kết quả)" in html
    for entry in LedgerEntry.objects.filter(memo_raw__contains="1018144916"):
        assert reverse("transparency:receipt", args=[entry.entry_hash]) in html


def test_filters_by_amount_date_and_direction(client: Client, data: Disclosure) -> None:
    assert len(_rows(_text(client.get(INDEX, {"q": "nguyen", "tien_tu": "100.000"})))) == 4
    assert len(_rows(_text(client.get(INDEX, {"q": "nguyen", "tien_tu": "100k", "tien_den": "200k"})))) == 3
    assert len(_rows(_text(client.get(INDEX, {"q": "nguyen", "tu_ngay": "03/09/2024", "den_ngay": "3/9/2024"})))) == 5
    debits = _rows(_text(client.get(INDEX, {"chieu": "debit"})))
    assert len(debits) == 1 and "-55.000 ₫" in debits[0] and "*******618" in debits[0]


def test_bad_filters_get_a_message_next_to_the_field(client: Client, data: Disclosure) -> None:
    response = client.get(INDEX, {"q": "nguyen", "tien_tu": "năm trăm", "tu_ngay": "31/02/2024",
                                  "den_ngay": "hôm nay"})
    html = _text(response)
    assert response.status_code == 200
    assert 'id="f-amount_min-error"' in html and "không phải số tiền" in html
    assert 'id="f-date_from-error"' in html and "không có trên lịch" in html
    assert 'id="f-date_to-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="năm trăm"' in html  # what was typed stays in the field
    assert len(_rows(html)) == 12  # the rest of the search still ran


HOSTILE = [
    '"', "'", "''", '"NGUYEN"', "NGUYEN AND OR NOT", "nguyen*", "NEAR(nguyen van)", "a:b", "^start",
    "'; DROP TABLE funds_ledgerentry; --", "1' OR '1'='1", "%", "_", "\\", "%_%", "\x00", "\x00nguyen",
    "🙂🙏", "ĐỨC ĐỨC ĐỨC", "x" * 10_240, "nguyen " * 1_500, "<script>alert(1)</script>", "{{ 7*7 }}",
    "(((", ")", "--", "/*", "-", "+nguyen -van", "500.000", "1e309", "9" * 40,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_any_search_string_gives_a_page_not_an_error(client: Client, data: Disclosure, query: str) -> None:
    for url in (INDEX, DRIVE, ACCOUNT):
        response = client.get(url, {"q": query})
        assert response.status_code == 200, url
        assert "<script>alert(1)</script>" not in _text(response)
    assert client.get(reverse("transparency:export"), {"q": query}).status_code == 200
    assert LedgerEntry.objects.count() == 36 + 2 + 1


def test_the_count_says_when_it_is_a_lower_bound(client: Client, data: Disclosure,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "COUNT_CAP", 5)
    assert "(hơn 5 kết quả)" in _text(client.get(INDEX, {"q": "nguyen"}))


def test_pagination_keeps_the_filters(client: Client, data: Disclosure, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views_public, "PER_PAGE", 5)
    first = _text(client.get(INDEX, {"q": "nguyen", "tien_den": "1tr"}))
    assert len(_rows(first)) == 5
    assert "Trang 1 / 3" in first
    assert "?q=nguyen&amp;tien_den=1tr&amp;trang=2" in first
    last = _text(client.get(INDEX, {"q": "nguyen", "tien_den": "1tr", "trang": "3"}))
    assert len(_rows(last)) == 2
    assert 'rel="next"' not in last
    assert len(_rows(_text(client.get(INDEX, {"q": "nguyen", "trang": "abc"})))) == 5  # a bad page is page 1
    assert client.get(INDEX, {"q": "nguyen", "trang": "999999999"}).status_code == 200


def test_an_anonymous_donor_is_shown_as_such(client: Client, data: Disclosure) -> None:
    entry = entry_with("LE THI MY HANH")
    AnonymityRequest.objects.create(entry=entry, recorded_by=UserFactory())
    html = _text(client.get(ACCOUNT, {"tu_ngay": "04/09/2024", "den_ngay": "04/09/2024"}))
    assert "Nhà hảo tâm ẩn danh" in html
    assert "LE THI MY HANH" not in html
    assert "LE THI MY HANH" not in _text(client.get(INDEX, {"q": "Lê Thị Mỹ Hạnh"}))


def test_the_drive_page(client: Client, data: Disclosure) -> None:
    response = client.get(DRIVE)
    html = _text(response)
    assert response.status_code == 200
    for figure in ("8.948.000 ₫", "700.000 ₫", "300.000 ₫", "8.648.000 ₫"):
        assert figure in html
    assert "<svg" in html and "<rect" in html  # receipts per day, server-rendered
    assert "Phường Bạch Mai" in html and "1.200.000 ₫" in html  # the pledge and what it collected
    assert reverse("transparency:pledge_qr", args=[DRIVE_SLUG, data.pledge.pk]) in html
    assert reverse("transparency:drive_qr", args=[DRIVE_SLUG]) in html
    assert "Hộ bà Lò Thị Xuân" in html and "Tổ dân phố số 5" in html
    assert "Hộ ông Chưa Công Bố" not in html  # not published
    for checkpoint in DayCheckpoint.objects.filter(account=data.published):
        assert checkpoint.checkpoint_hash in html
    assert not any(c.checkpoint_hash in html for c in DayCheckpoint.objects.filter(account=data.hidden))
    assert "Giao dịch mới nhất" in html and "TRAN VAN BI MAT" not in html and "0912345678" not in html
    assert "(chỉ công bố tổng số)" in html


def test_the_drive_search_stays_within_its_period(client: Client, data: Disclosure) -> None:
    Drive.objects.filter(pk=data.drive.pk).update(ends_on="2024-09-02")
    html = _text(client.get(DRIVE, {"q": "nguyen", "tu_ngay": "01/08/2024"}))
    assert len(_rows(html)) == 5
    assert all("/09/2024" in row and ("01/09" in row or "02/09" in row) for row in _rows(html))


def test_the_vietqr_codes_are_svg_with_the_drive_and_pledge_memo_codes(client: Client, data: Disclosure) -> None:
    response = client.get(reverse("transparency:drive_qr", args=[DRIVE_SLUG]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert _text(response).lstrip().startswith("<svg")
    assert client.get(reverse("transparency:pledge_qr", args=[DRIVE_SLUG, data.pledge.pk])).status_code == 200
    assert client.get(reverse("transparency:pledge_qr", args=[DRIVE_SLUG, 999_999])).status_code == 404
    from mattran.funds import selectors
    assert selectors.qr_payload(data.published, data.pledge.memo_code) == build_payload(
        bin="970436", account="0011001932418", memo="NAM UNG HO")


def test_a_drive_that_is_not_public_is_not_found(client: Client, data: Disclosure) -> None:
    Drive.objects.filter(pk=data.drive.pk).update(is_public=False)
    assert client.get(DRIVE).status_code == 404
    assert client.get(reverse("transparency:drive_export", args=[DRIVE_SLUG])).status_code == 404
    assert client.get(reverse("transparency:drive_qr", args=[DRIVE_SLUG])).status_code == 404


def test_a_published_account_page_has_chart_checkpoints_and_search(client: Client, data: Disclosure) -> None:
    html = _text(client.get(ACCOUNT, {"q": "Nguyễn Thị Mão"}))
    assert "<svg" in html and "Điểm chốt sổ quỹ theo ngày" in html
    assert len(_rows(html)) == 2


def test_an_unpublished_account_shows_totals_only(client: Client, data: Disclosure) -> None:
    response = client.get(HIDDEN_ACCOUNT, {"q": "tran"})
    html = _text(response)
    assert response.status_code == 200
    assert "5.000.000 ₫" in html and "không công khai sao kê" in html
    assert "TRAN VAN BI MAT" not in html and "ledger-results" not in html and "<svg" not in html
    assert "TRAN VAN BI MAT" not in _text(client.get(INDEX, {"q": "Trần Văn Bí Mật"}))
    export = _text(client.get(reverse("transparency:account_export", args=["970405", "1500201113838"])))
    assert len(export.strip().splitlines()) == 2  # header and the closing line, no entry
    entry = LedgerEntry.objects.filter(account=data.hidden).first()
    assert entry is not None
    assert client.get(reverse("transparency:receipt", args=[entry.entry_hash])).status_code == 404
    assert client.get(reverse("transparency:receipt_json", args=[entry.entry_hash])).status_code == 404


def test_an_account_outside_public_drives_and_unpublished_is_not_found(client: Client, data: Disclosure) -> None:
    lonely = ReceivingAccountFactory(statement_published=False)
    assert client.get(f"/minh-bach/tai-khoan/{lonely.bank_bin}/{lonely.number}/").status_code == 404


def test_the_receipt_page_shows_the_hashes_and_the_merkle_path(client: Client, data: Disclosure) -> None:
    entry = entry_with("LE THI MY HANH")
    checkpoint = DayCheckpoint.objects.get(account=entry.account, day=entry.booked_on)
    html = _text(client.get(reverse("transparency:receipt", args=[entry.entry_hash])))
    for value in (entry.entry_hash, entry.prev_hash, checkpoint.merkle_root, checkpoint.chain_hash,
                  checkpoint.checkpoint_hash, "20.000 ₫", "04/09/2024", "LE THI MY HANH"):
        assert value in html
    assert "718788" not in html and "***788" in html
    assert html.count("data-proof-step") == 2  # three entries that day: two steps
    assert 'data-verify-proof' in html and "data-verify-button" in html


def test_a_receipt_of_a_day_not_yet_checkpointed_says_so(client: Client, data: Disclosure) -> None:
    ledger_append(actor=None, account=data.published, rows=[LedgerRow(
        booked_on=data.drive.starts_on.replace(day=15), amount=70_000, memo_raw="DINH VAN MOI ung ho",
        source_ref="new-1")])
    entry = entry_with("DINH VAN MOI")
    html = _text(client.get(reverse("transparency:receipt", args=[entry.entry_hash])))
    assert "chưa được chốt" in html and "data-verify-proof" not in html
    checkpoint_day(account=data.published, day=entry.booked_on)
    assert "data-verify-proof" in _text(client.get(reverse("transparency:receipt", args=[entry.entry_hash])))


@pytest.mark.parametrize("bad", ["abc", "0" * 64, "Z" * 64])
def test_an_unknown_or_malformed_receipt_is_not_found(client: Client, data: Disclosure, bad: str) -> None:
    assert client.get(f"/minh-bach/bien-nhan/{bad}/").status_code == 404


def _download_proof(client: Client, entry: LedgerEntry) -> bytes:
    response = client.get(reverse("transparency:receipt_json", args=[entry.entry_hash]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bien-nhan-')
    return response.content


def _documented_check() -> str:
    (code,) = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return code


def test_the_documented_offline_check_accepts_a_downloaded_proof(client: Client, data: Disclosure,
                                                                 tmp_path: Path) -> None:
    code = _documented_check()
    assert len(code.strip().splitlines()) <= 16
    assert set(re.findall(r"^import (.*)$", code, flags=re.M)) == {"hashlib, json, sys"}
    script = tmp_path / "check_receipt.py"
    script.write_text(code, encoding="utf-8")
    for memo in ("LE THI MY HANH", "NGUYEN HOAI NAM ung ho", "NGUYEN THI LAN HANH"):
        proof = tmp_path / "proof.json"
        proof.write_bytes(_download_proof(client, entry_with(memo)))
        done = subprocess.run([sys.executable, "-I", str(script), str(proof)], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("OK: entry " + entry_with(memo).entry_hash)


@pytest.mark.parametrize("damage", ["sibling", "root", "total", "side"])
def test_the_documented_offline_check_refuses_a_damaged_proof(client: Client, data: Disclosure, tmp_path: Path,
                                                              damage: str) -> None:
    script = tmp_path / "check_receipt.py"
    script.write_text(_documented_check(), encoding="utf-8")
    doc = json.loads(_download_proof(client, entry_with("LE THI MY HANH")))
    if damage == "sibling":
        doc["proof"][0]["sibling"] = "0" * 64
    elif damage == "root":
        doc["checkpoint"]["merkle_root"] = "0" * 64
    elif damage == "total":
        doc["checkpoint"]["credit_total"] += 1
    else:
        doc["proof"][0]["side"] = "L" if doc["proof"][0]["side"] == "R" else "R"
    proof = tmp_path / "proof.json"
    proof.write_text(json.dumps(doc), encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", str(script), str(proof)], capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "AssertionError" in done.stderr


def test_the_csv_export_is_masked_has_the_checkpoint_hashes_and_opens_in_excel(client: Client,
                                                                               data: Disclosure) -> None:
    response = client.get(reverse("transparency:export"), {"q": "Hoàng Thanh Thủy", "trang": "2"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="minh-bach-so-quy.csv"'
    text = _text(response)
    assert text.startswith("\ufeffNgày,")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, body, trailer = rows[0], rows[1:-1], rows[-1]
    assert header == list(views_public.CSV_HEADER)
    assert len(body) == 3  # the export ignores the page number: every match
    assert trailer[0].startswith("# 3 bút toán")
    for row in body:
        entry = LedgerEntry.objects.get(entry_hash=row[7])
        assert row[1] == str(entry.amount) and "1018144916" not in row[3] and "*******916" in row[3]
        assert row[8] == DayCheckpoint.objects.get(account=entry.account, day=entry.booked_on).checkpoint_hash


def test_the_csv_export_neutralises_spreadsheet_formulas(client: Client, data: Disclosure) -> None:
    ledger_append(actor=None, account=data.published, rows=[LedgerRow(
        booked_on=data.drive.starts_on.replace(day=16), amount=10_000,
        memo_raw='=HYPERLINK("http://x","bam vao") NGUYEN', donor_name="@NGUYEN", source_ref="formula-1")])
    text = _text(client.get(reverse("transparency:account_export", args=["970436", "0011001932418"]),
                            {"q": "hyperlink"}))
    (row,) = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:-1]
    assert row[2] == "'@NGUYEN" and row[3].startswith("'=HYPERLINK")
    assert row[8] == "chưa chốt"


def _more_public_data(data: Disclosure, n: int) -> None:
    """n more drives, pledges and published allocations, to show the page cost does not grow with them."""
    staff = UserFactory()
    for i in range(n):
        ward = AdminUnitFactory(parent=data.unit)
        drive = Drive.objects.create(fund=data.drive.fund, unit=data.unit, title=f"Đợt thêm {i}", slug=f"them-{i}",
                                     memo_code=f"THEM{i}", starts_on=data.drive.starts_on)
        DriveAccount.objects.create(drive=drive, account=ReceivingAccountFactory())
        Pledge.objects.create(drive=data.drive, unit=ward, memo_code=f"PHUONG {i}", amount=1_000_000)
        Allocation.objects.create(
            drive=data.drive, recipient_kind=RecipientKind.HOUSEHOLD, recipient_name=f"Hộ số {i}", area_unit=ward,
            residential_area=f"Thôn {i}", purpose="Hỗ trợ", amount=100_000, decision_number=f"{i}/QĐ",
            decision_date=data.drive.starts_on, created_by=staff)


@pytest.mark.parametrize(("url", "params"), [
    (INDEX, {}), (INDEX, {"q": "nguyen van"}), (DRIVE, {}), (DRIVE, {"q": "nguyen", "tien_tu": "10k"}),
    (ACCOUNT, {"q": "nguyen"}), (HIDDEN_ACCOUNT, {}),
])
def test_public_pages_cost_a_few_queries_whatever_the_data(client: Client, data: Disclosure,
                                                          django_assert_max_num_queries: Any, url: str,
                                                          params: dict[str, str]) -> None:
    client.get(url, params)  # warm the per-version cache of the figures
    with django_assert_max_num_queries(14):
        assert client.get(url, params).status_code == 200
    _more_public_data(data, 8)
    client.get(url, params)
    with django_assert_max_num_queries(14):
        assert client.get(url, params).status_code == 200


def test_public_pages_need_no_login_and_say_nothing_about_staff(client: Client, data: Disclosure) -> None:
    for url in (INDEX, DRIVE, ACCOUNT, HIDDEN_ACCOUNT, reverse("transparency:export")):
        response = client.get(url)
        assert response.status_code == 200
        assert "/dang-nhap/?next=" not in response.get("Location", "")
    assert client.post(INDEX).status_code == 405


def test_unfiltered_pages_come_from_a_shell_that_follows_every_write(client: Client, data: Disclosure,
                                                                      django_assert_max_num_queries: Any) -> None:
    assert "8.648.000 ₫" in _text(client.get(DRIVE))
    with django_assert_max_num_queries(3):  # the drive, the data version, the category menu at most
        assert "8.648.000 ₫" in _text(client.get(DRIVE))
    Payment.objects.create(allocation=data.allocation, amount=300_000, paid_on=data.drive.starts_on,
                           method=PaymentMethod.BANK, created_by=UserFactory())
    html = _text(client.get(DRIVE))
    assert "8.348.000 ₫" in html and "8.648.000 ₫" not in html
    other = Client()
    first, second = client.get(INDEX), other.get(INDEX)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(_text(first)) and token.search(_text(second))
    assert token.search(_text(first)).group(1) != token.search(_text(second)).group(1)  # type: ignore[union-attr]
