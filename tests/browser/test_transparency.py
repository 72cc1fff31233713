"""A member of the public checks a donation on /minh-bach/ in the real Chromium: searches a donor's name typed
with diacritics, finds the bank's undiacritised memo with the account numbers masked, opens the receipt and has
the browser verify the Merkle proof; and the search page fits a 360-px phone without sideways scrolling."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from mattran.funds.tests.transparency_data import build_disclosure

pytestmark = pytest.mark.browser


@pytest.fixture
def disclosure_site(transactional_db: None, live_server: Any) -> Any:
    """The live server with the Vietcombank fixture imported into a published account of a public drive."""
    cache.clear()
    build_disclosure()
    return live_server


def test_a_donor_finds_their_transfer_and_verifies_the_receipt(page: Page, disclosure_site: Any) -> None:
    base = disclosure_site.url
    page.goto(base + "/")
    page.get_by_role("link", name="Minh bạch").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minh bạch sổ quỹ ủng hộ")

    # Typed the way a person writes the name; the bank wrote "HOANG THANH THUY".
    page.get_by_label("Tên người ủng hộ, nội dung chuyển khoản hoặc số tiền").fill("Hoàng Thanh Thủy")
    page.get_by_role("button", name="Tìm", exact=True).click()
    results = page.locator("table.ledger-results tbody tr")
    expect(results).to_have_count(3)
    expect(page.locator("[data-result-count]")).to_have_text("(3 kết quả)")
    first = results.first
    expect(first).to_contain_text("HOANG THANH THUY")
    # The donor's own account number is masked, only its last 3 digits shown; so is the Front's.
    expect(first).to_contain_text("CT tu *******916 HOANG THANH THUY toi **********418")
    expect(page.locator("main")).not_to_contain_text("1018144916")

    # A bad date gets a Vietnamese message next to the field, not an error page; the results stay.
    page.get_by_text("Lọc theo số tiền, ngày, chiều giao dịch").click()
    page.get_by_label("Từ ngày").fill("31/02/2024")
    page.get_by_role("button", name="Áp dụng bộ lọc").click()
    expect(page.locator("#f-date_from-error")).to_contain_text("không có trên lịch")
    expect(results).to_have_count(3)
    page.get_by_label("Từ ngày").fill("04/09/2024")
    page.get_by_role("button", name="Áp dụng bộ lọc").click()
    expect(results).to_have_count(1)

    # The receipt: the entry, its hash, the day's checkpoint and the Merkle path, checked by the browser.
    results.first.get_by_role("link", name=re.compile("Biên nhận")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Biên nhận khoản ủng hộ 10.000 ₫")
    expect(page.locator(".facts").first).to_contain_text("*******916")
    expect(page.locator("[data-proof-step]").first).to_be_visible()
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.locator("[data-verify-result]")).to_contain_text("Bằng chứng hợp lệ")
    expect(page.locator("[data-verify-result]")).to_have_attribute("data-state", "ok")

    # The proof can be downloaded for the offline check.
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bằng chứng (JSON)").click()
    assert download.value.suggested_filename.startswith("bien-nhan-")


def test_a_tampered_root_is_reported_as_not_matching(page: Page, disclosure_site: Any) -> None:
    """The check really recomputes: change the published root in the page and it says so."""
    base = disclosure_site.url
    page.goto(base + "/minh-bach/?q=Lê+Thị+Mỹ+Hạnh")
    page.locator("table.ledger-results").get_by_role("link", name=re.compile("Biên nhận")).first.click()
    page.locator("[data-verify-proof]").evaluate("el => { el.dataset.root = '0'.repeat(64); }")
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.locator("[data-verify-result]")).to_contain_text("Không khớp")
    expect(page.locator("[data-verify-result]")).to_have_attribute("data-state", "bad")


def test_the_search_page_fits_a_360_px_phone(page: Page, disclosure_site: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(disclosure_site.url + "/minh-bach/?q=nguyen&tien_tu=abc")
    expect(page.locator("table.ledger-results tbody tr").first).to_be_visible()
    expect(page.locator("#f-amount_min-error")).to_contain_text("không phải số tiền")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360-px screen"
    page.goto(disclosure_site.url + "/minh-bach/dot/ung-ho-dong-bao-bao-lu-yagi/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the drive page is {width} px wide on a 360-px screen"
