"""A six-month report goes up the tree in the real Chromium: a ward fills and submits it, the district returns
it with a comment, the ward fixes and resubmits, the district approves, sees its totals move, and downloads its
own report as an official .docx."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from mattran.organisations.models import AdminUnit
from mattran.reports.aggregates import rollup_period
from mattran.reports.models import Period
from tests.browser.test_first_visit import log_in, log_out

pytestmark = pytest.mark.browser

PERIOD = "6 tháng cuối năm 2022"
FUND = "quy_vnn_van_dong"
FUND_LABEL = re.compile("Số tiền vận động ủng hộ Quỹ")


def _open_reports(page: Page) -> None:
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Báo cáo định kỳ").click()
    page.get_by_label("Kỳ báo cáo").select_option(label=PERIOD)
    expect(page.get_by_role("heading", level=2).first).to_contain_text(PERIOD)


def _district_total(district: AdminUnit) -> int:
    period = Period.objects.get(label=PERIOD)
    return rollup_period(period, unit=district).get(district.pk, {}).get(FUND, 0)


def test_a_ward_report_is_returned_fixed_approved_and_rolled_up(page: Page, demo_site: Any) -> None:
    base = demo_site.url
    district = AdminUnit.objects.get(name="Quận Hai Bà Trưng")
    before = _district_total(district)

    # The Bạch Mai cadre starts, fills and submits the report.
    log_in(page, base, "canbo.bachmai")
    _open_reports(page)
    page.get_by_role("button", name=f"Lập báo cáo {PERIOD.lower()}").click()
    page.get_by_label(re.compile("Tình hình tư tưởng")).fill("Nhân dân phấn khởi, đồng thuận với chủ trương.")
    page.get_by_label(FUND_LABEL).fill("-150")
    page.get_by_role("button", name="Gửi báo cáo lên cấp trên").click()
    expect(page.get_by_text("phải là số nguyên không âm")).to_be_visible()  # refused, typed text kept
    page.get_by_label(FUND_LABEL).fill("150.000.000")
    page.get_by_role("button", name="Gửi báo cáo lên cấp trên").click()
    expect(page.locator("#trang-thai")).to_have_text("Đã gửi")
    report_url = page.url
    log_out(page)

    # The district returns it with a comment.
    log_in(page, base, "thuongtruc.hbt")
    page.goto(report_url)
    page.get_by_label("Ý kiến trả lại").fill("Đề nghị bổ sung số tiền vận động trong tháng 12.")
    page.get_by_role("button", name="Trả lại kèm ý kiến").click()
    expect(page.locator("#trang-thai")).to_have_text("Trả lại để sửa")
    log_out(page)

    # The ward reads the comment, fixes the figure and sends it again.
    log_in(page, base, "canbo.bachmai")
    page.goto(report_url)
    expect(page.get_by_text("Đề nghị bổ sung số tiền vận động trong tháng 12.")).to_be_visible()
    page.get_by_label(FUND_LABEL).fill("160.000.000")
    page.get_by_role("button", name="Gửi báo cáo lên cấp trên").click()
    expect(page.locator("#trang-thai")).to_have_text("Đã gửi")
    log_out(page)

    # The district approves and sees its total move by exactly that figure.
    log_in(page, base, "thuongtruc.hbt")
    page.goto(report_url)
    page.get_by_role("button", name="Duyệt báo cáo").click()
    expect(page.locator("#trang-thai")).to_have_text("Đã duyệt")
    _open_reports(page)
    page.get_by_role("link", name="Tổng hợp các đơn vị cấp dưới").click()
    expected = f"{before + 160_000_000:,}".replace(",", ".") + " ₫"
    expect(page.locator(f'td[data-indicator="{FUND}"]')).to_have_text(expected)
    expect(page.locator("svg[role=img]")).to_be_visible()  # the chart renders
    expect(page.locator("tr", has_text="Phường Bạch Mai").first).to_contain_text("Đã duyệt")

    # …and downloads the district's own report as .docx, with the rolled-up figure in it.
    _open_reports(page)
    page.get_by_role("button", name=f"Lập báo cáo {PERIOD.lower()}").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về (.docx)").click()
    content = Path(download.value.path()).read_bytes()
    document = Document(io.BytesIO(content))
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text
    assert "QUẬN HAI BÀ TRƯNG" in cells and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    assert f"{before + 160_000_000:,}".replace(",", ".") in cells
