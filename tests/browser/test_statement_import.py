"""A ward cadre imports a bank statement from the staff pages in the real Chromium: registers a new receiving
account, uploads the Vietcombank cut, watches the job page's progress bar until "Đã nhập xong", reads the report.

The worker is the real ``run_worker`` command, run with ``call_command`` in the test's own thread once the job
page shows the queued job. In-process rather than as a subprocess because with the in-memory SQLite of
``make test`` the live server shares the test thread's connection and no other process can reach that database;
on PostgreSQL the same call commits through the test's own connection, which the live server sees like any other
process would. ``test_import_jobs.py`` runs the command as a separate process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from mattran.funds.models import ImportStatus, LedgerEntry, StatementImportJob
from mattran.funds.statements.formats import read_statement
from tests.browser.test_first_visit import log_in

pytestmark = pytest.mark.browser

VCB_CUT = Path(__file__).resolve().parents[2] / "mattran" / "funds" / "tests" / "fixtures" / "vcb_cut.csv"
NUMBER = "0011009876543"  # not one of the demo's accounts: the cadre registers it


def test_a_cadre_uploads_a_statement_and_watches_it_import(
        page: Page, demo_site: Any, settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"
    log_in(page, demo_site.url, "canbo.bachmai")
    page.goto(f"{demo_site.url}/quan-ly/quy/nhap-sao-ke/moi/")

    page.get_by_label("Số tài khoản mới").fill(NUMBER)
    page.get_by_label("Ngân hàng").select_option("Vietcombank")
    page.get_by_label("Chủ tài khoản").fill("Ban vận động cứu trợ phường Bạch Mai")
    page.get_by_label("Đơn vị quản lý tài khoản").select_option(index=1)
    page.locator("input[name=statement_files]").set_input_files(str(VCB_CUT))
    page.get_by_role("button", name="Tải lên và nhập").click()

    # The job page: queued, a progress bar, polling.
    expect(page.get_by_role("heading", level=1)).to_contain_text(NUMBER)
    expect(page.locator("progress.job-progress")).to_be_visible()
    expect(page.locator("#job-status")).to_contain_text("Đang chờ")
    assert StatementImportJob.objects.get().status == ImportStatus.QUEUED

    call_command("run_worker", "--once")

    status = page.locator("#job-status")
    expect(status).to_contain_text("Đã nhập xong", timeout=15_000)
    expect(page.locator("progress.job-progress")).to_have_attribute("value", "100")
    rows = len(read_statement(VCB_CUT).rows)
    assert LedgerEntry.objects.filter(account__number=NUMBER).count() == rows
    expect(status).to_contain_text(f"Đã nhập xong: đọc {rows} dòng, thêm mới {rows}, đã có sẵn 0.")
    expect(status.get_by_role("heading", name="Tổng theo ngày")).to_be_visible()
    expect(status.get_by_role("row").filter(has_text="Cộng")).to_contain_text(str(rows))
    expect(status).to_contain_text(f"Đã đăng ký tài khoản mới Vietcombank {NUMBER}")

    # Polling has stopped; the job is in the list.
    expect(status).not_to_have_attribute("hx-trigger", "every 1s")
    page.get_by_role("link", name="← Các lượt nhập sao kê").click()
    expect(page.get_by_role("table")).to_contain_text(NUMBER)
    expect(page.get_by_role("table")).to_contain_text("Đã nhập xong")
