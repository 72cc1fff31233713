"""A first-time visitor and the demo cadres, in the real Chromium (see conftest.py for the launch flags)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mattran.demo.scenario import DEMO_PASSWORD
from mattran.organisations.models import AdminUnit

pytestmark = pytest.mark.browser

CONFERENCE = "Hội nghị lần thứ 10 Ủy ban MTTQ Việt Nam quận Hai Bà Trưng khóa XV"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()


def test_a_resident_comments_and_a_moderator_approves(page: Page, demo_site: Any) -> None:
    base = demo_site.url
    page.goto(base + "/")
    expect(page.locator(".today")).to_contain_text(re.compile(r"Thứ|Chủ Nhật"))

    # Find the 10th-conference report through the day archive, as a reader following a date would.
    page.get_by_role("link", name="Tin tức", exact=True).first.click()
    page.goto(base + "/tin-tuc/ngay/2022-07-01/")
    page.get_by_role("link", name=re.compile(CONFERENCE)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CONFERENCE)
    expect(page.locator(".news-article .meta")).to_contain_text("01/07/2022")
    expect(page.locator("#comments-h")).to_have_text("Bình luận (2)")

    page.get_by_label("Họ và tên").fill("Cư dân Bạch Mai")
    page.get_by_label("Nội dung").fill("<script>alert('x')</script> Xin cảm ơn Ban Thường trực!")
    page.get_by_role("button", name="Gửi bình luận").click()
    expect(page.get_by_role("status")).to_contain_text("sau khi được kiểm duyệt")
    expect(page.locator("#comments-h")).to_have_text("Bình luận (2)")  # not shown before moderation

    log_in(page, base, "bientap")
    page.get_by_role("link", name="Duyệt bình luận").click()
    row = page.locator("tr", has_text="Cư dân Bạch Mai")
    expect(row).to_contain_text("<script>alert('x')</script>")
    row.get_by_role("button", name="Duyệt").click()
    expect(row.get_by_role("status")).to_contain_text("Đã duyệt")

    page.goto(page.url.split("/quan-ly/")[0] + "/tin-tuc/ngay/2022-07-01/")
    page.get_by_role("link", name=re.compile(CONFERENCE)).first.click()
    expect(page.locator("#comments-h")).to_have_text("Bình luận (3)")
    comment = page.locator(".comment", has_text="Cư dân Bạch Mai")
    expect(comment).to_contain_text("<script>alert('x')</script> Xin cảm ơn")  # shown as text, never run
    log_out(page)


def test_the_bach_mai_cadre_cannot_reach_vinh_tuy(page: Page, demo_site: Any) -> None:
    base = demo_site.url
    district = AdminUnit.objects.get(name="Quận Hai Bà Trưng")
    bach_mai = district.children.get(short_name="Bạch Mai")
    vinh_tuy = district.children.get(short_name="Vĩnh Tuy")

    log_in(page, base, "canbo.bachmai")
    page.get_by_role("link", name="Tổ chức, nhân sự").click()
    page.get_by_role("link", name="Phường Bạch Mai").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phường Bạch Mai")
    expect(page.get_by_role("heading", name="Ủy ban MTTQ Việt Nam phường Bạch Mai", exact=True)).to_be_visible()

    page.goto(f"{base}/quan-ly/don-vi/{vinh_tuy.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page.locator("body")).not_to_contain_text("Vĩnh Tuy")

    page.goto(f"{base}/quan-ly/don-vi/?q=vinh+tuy")
    expect(page.locator("table")).not_to_contain_text("Vĩnh Tuy")
    page.goto(f"{base}/quan-ly/don-vi/{district.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    assert bach_mai.pk != vinh_tuy.pk


def test_the_portal_fits_a_360_pixel_phone_and_works_by_keyboard(page: Page, demo_site: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(demo_site.url + "/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, tới nội dung chính")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.goto(demo_site.url + "/tin-tuc/ngay/2022-07-01/")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_the_day_picker_opens_the_archive_of_the_chosen_day(page: Page, demo_site: Any) -> None:
    page.goto(demo_site.url + "/tin-tuc/")
    picker = page.locator("input[type=date][data-date-nav]").first
    picker.fill("2022-07-01")
    picker.dispatch_event("change")
    expect(page).to_have_url(re.compile(r"/tin-tuc/ngay/2022-07-01/$"))
    expect(page.get_by_role("link", name=re.compile(CONFERENCE))).to_be_visible()
