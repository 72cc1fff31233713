"""A district's standing member gives a new ward cadre an account in the real Chromium, on a phone-sized screen;
the cadre signs in with the temporary password and changes it (decision 0017). The same member resets a forgotten
password and locks an account (decision 0019)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mattran.accounts.models import RoleGrant, User
from tests.browser.test_first_visit import log_in, log_out

pytestmark = pytest.mark.browser


def _sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_standing_member_gives_a_ward_cadre_an_account_and_the_cadre_changes_the_password(
    page: Page, demo_site: Any,
) -> None:
    base = demo_site.url
    page.set_viewport_size({"width": 360, "height": 780})
    ward = RoleGrant.objects.get(user__username="canbo.bachmai").unit

    log_in(page, base, "thuongtruc.hbt")
    page.goto(f"{base}/quan-ly/don-vi/{ward.pk}/")
    page.get_by_role("link", name="Tài khoản và vai trò").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản và vai trò")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    create = page.get_by_role("region", name="Tạo tài khoản mới")
    create.get_by_label("Họ và tên").fill("Phạm Thu Hà")
    create.get_by_label("Tên đăng nhập").fill("ha.bachmai")
    create.get_by_label("Vai trò").select_option(label="Cán bộ chuyên trách")
    create.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_role("heading", name="Đã tạo tài khoản ha.bachmai")).to_be_visible()
    password = page.locator(".secret code").inner_text()
    expect(page.get_by_role("row", name="Phạm Thu Hà")).to_contain_text("Cán bộ chuyên trách")
    log_out(page)

    _sign_in(page, base, "ha.bachmai", password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    page.get_by_role("link", name="Đổi mật khẩu").click()
    page.locator("input[name=old_password]").fill(password)
    page.locator("input[name=new_password1]").fill("Bach-Mai-2026!")
    page.locator("input[name=new_password2]").fill("Bach-Mai-2026!")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_text("Đã đổi mật khẩu.")).to_be_visible()
    log_out(page)

    _sign_in(page, base, "ha.bachmai", "Bach-Mai-2026!")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    assert User.objects.get(username="ha.bachmai").check_password("Bach-Mai-2026!")


def test_a_standing_member_resets_a_forgotten_password_and_locks_an_account_on_a_phone(
    page: Page, demo_site: Any,
) -> None:
    """Decision 0019: the district's standing member resets a ward cadre's forgotten password, confirming in the
    browser's dialog; the cadre signs in with the new one; then the account is locked and refused at sign-in."""
    base = demo_site.url
    page.set_viewport_size({"width": 360, "height": 780})
    questions: list[str] = []

    def accept(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    ward = RoleGrant.objects.get(user__username="canbo.bachmai").unit
    log_in(page, base, "thuongtruc.hbt")
    page.goto(f"{base}/quan-ly/tai-khoan/don-vi/{ward.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    cadre = User.objects.get(username="canbo.bachmai")
    page.get_by_role("button", name=f"Đặt lại mật khẩu của {cadre.display_name}").click()
    expect(page.get_by_role("heading", name="Đã đặt lại mật khẩu cho canbo.bachmai")).to_be_visible()
    assert "Mật khẩu hiện tại sẽ không dùng được nữa" in questions[-1]
    password = page.locator(".secret code").inner_text()
    log_out(page)

    _sign_in(page, base, "canbo.bachmai", password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
    log_out(page)

    log_in(page, base, "thuongtruc.hbt")
    page.goto(f"{base}/quan-ly/tai-khoan/don-vi/{ward.pk}/")
    page.get_by_role("button", name=f"Khóa tài khoản của {cadre.display_name}").click()
    expect(page.get_by_text("Đã khóa tài khoản canbo.bachmai")).to_be_visible()
    expect(page.get_by_role("button", name=f"Mở khóa tài khoản của {cadre.display_name}")).to_be_visible()
    log_out(page)

    _sign_in(page, base, "canbo.bachmai", password)  # the right password, on a locked account
    expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng.")).to_be_visible()
    assert not User.objects.get(username="canbo.bachmai").is_active
