"""Statement import pages: the upload form, the job page with its polled progress partial, the report, scope."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mattran.accounts.models import Role
from mattran.accounts.tests.factories import user_with_role
from mattran.funds import import_jobs
from mattran.funds.models import ImportStatus, LedgerEntry, StatementImportJob
from mattran.funds.tests.factories import ReceivingAccountFactory
from mattran.funds.tests.import_factories import import_job_in
from mattran.organisations.tests.factories import build_tree

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
VCB_CUT = FIXTURES / "vcb_cut.csv"
VCB_NUMBER = "0011001932418"
VCB_HOLDER = "MAT TRAN TO QUOC VN - BAN CUU TRO TW"


@pytest.fixture(autouse=True)
def _private_var_dir(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def tree() -> dict[str, Any]:
    return build_tree()


@pytest.fixture
def cadre_client(tree: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(user_with_role(Role.CADRE, tree["bach_mai"]))
    return client


def _post_new_account(client: Client, tree: dict[str, Any], content: bytes | None = None,
                      name: str = "vcb_cut.csv") -> Any:
    return client.post(reverse("funds_imports:job_create"), {
        "account_number": VCB_NUMBER, "bank": "Vietcombank", "holder": VCB_HOLDER, "unit": tree["bach_mai"].pk,
        "fmt": "auto",
        "statement_files": [SimpleUploadedFile(name, VCB_CUT.read_bytes() if content is None else content)],
    })


def _run_queued() -> StatementImportJob:
    job = import_jobs.import_job_claim_next()
    assert job is not None
    return import_jobs.import_job_run(job)


def test_the_form_offers_accounts_in_scope_banks_units_and_formats(tree: dict[str, Any], cadre_client: Client) -> None:
    ReceivingAccountFactory(number="1234567890", unit=tree["bach_mai"], holder_name="Ban cứu trợ Bạch Mai")
    ReceivingAccountFactory(number="9876543210", unit=tree["vinh_tuy"], holder_name="Ban cứu trợ Vĩnh Tuy")
    page = cadre_client.get(reverse("funds_imports:job_create")).content.decode()
    assert "Ban cứu trợ Bạch Mai" in page and "Ban cứu trợ Vĩnh Tuy" not in page
    assert "Vietcombank (970436)" in page and "vcb_community_csv" in page
    assert 'type="file"' in page and "multiple" in page and 'enctype="multipart/form-data"' in page


def test_upload_queues_a_job_and_its_page_polls_a_progress_bar_until_the_report(
        tree: dict[str, Any], cadre_client: Client) -> None:
    response = _post_new_account(cadre_client, tree)
    job = StatementImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("funds_imports:job_detail", args=[job.pk])
    page = cadre_client.get(response["Location"]).content.decode()
    status_url = reverse("funds_imports:job_status", args=[job.pk])
    assert "<progress" in page and f'hx-get="{status_url}"' in page and 'hx-trigger="every 1s"' in page
    assert "Đang chờ" in page and "vcb_cut.csv" in page

    job = _run_queued()
    assert job.status == ImportStatus.DONE
    partial = cadre_client.get(status_url).content.decode()
    assert "hx-trigger" not in partial  # polling stops once the job has ended
    assert "Đã nhập xong" in partial and 'value="100"' in partial
    rows = LedgerEntry.objects.count()
    assert f"<dd>{rows}</dd>" in partial  # rows read, and added
    assert "Tổng theo ngày" in partial and "Cộng" in partial and "Điểm chốt ngày mới" in partial
    assert "<td>01/09/2024</td>" in partial
    assert "Đã đăng ký tài khoản mới Vietcombank 0011001932418" in partial


def test_a_running_job_shows_its_phase_and_share(tree: dict[str, Any], cadre_client: Client) -> None:
    job = import_job_in(tree["bach_mai"], status=ImportStatus.RUNNING, phase="Ghi sổ", rows_done=500,
                        rows_total=1000)
    partial = cadre_client.get(reverse("funds_imports:job_status", args=[job.pk])).content.decode()
    assert "Ghi sổ: 500/1000" in partial and 'value="65"' in partial and 'hx-trigger="every 1s"' in partial


def test_a_refused_import_lists_the_bad_rows_and_says_the_ledger_is_unchanged(
        tree: dict[str, Any], cadre_client: Client) -> None:
    lines = VCB_CUT.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[5].split(",")
    cells[4] = "12x000"
    lines[5] = ",".join(cells)
    _post_new_account(cadre_client, tree, content="".join(lines).encode())
    job = _run_queued()
    assert job.status == ImportStatus.REFUSED
    page = cadre_client.get(reverse("funds_imports:job_detail", args=[job.pk])).content.decode()
    assert "Sổ quỹ không thay đổi" in page and "Các dòng lỗi (1)" in page
    assert "<td>vcb_cut.csv</td>" in page and "12x000" in page and 'class="num">6</td>' in page
    assert not LedgerEntry.objects.exists()


def test_a_wrong_file_type_comes_back_on_the_form_in_vietnamese(tree: dict[str, Any], cadre_client: Client) -> None:
    response = _post_new_account(cadre_client, tree, name="sao_ke.pdf")
    assert response.status_code == 200
    assert "chỉ nhận tệp .csv.gz, .csv, .xlsx, .txt" in response.content.decode()
    assert not StatementImportJob.objects.exists()


def test_registering_an_account_for_a_unit_out_of_scope_is_refused(tree: dict[str, Any], cadre_client: Client) -> None:
    response = cadre_client.post(reverse("funds_imports:job_create"), {
        "account_number": VCB_NUMBER, "bank": "Vietcombank", "holder": VCB_HOLDER, "unit": tree["vinh_tuy"].pk,
        "fmt": "auto", "statement_files": [SimpleUploadedFile("vcb_cut.csv", VCB_CUT.read_bytes())],
    })
    assert response.status_code == 200 and not StatementImportJob.objects.exists()


def test_an_existing_account_in_scope_is_chosen_from_the_list(tree: dict[str, Any], cadre_client: Client) -> None:
    account = ReceivingAccountFactory(number=VCB_NUMBER, holder_name=VCB_HOLDER, unit=tree["bach_mai"])
    response = cadre_client.post(reverse("funds_imports:job_create"), {
        "account": account.pk, "fmt": "vcb_community_csv",
        "statement_files": [SimpleUploadedFile("vcb_cut.csv", VCB_CUT.read_bytes())],
    })
    assert response.status_code == 302
    job = _run_queued()
    assert job.status == ImportStatus.DONE and job.account == account
    assert LedgerEntry.objects.filter(account=account).count() == job.report["added"] > 0


def test_the_list_shows_jobs_in_scope_only_and_other_jobs_are_not_found(
        tree: dict[str, Any], cadre_client: Client) -> None:
    mine = import_job_in(tree["bach_mai"], holder="Quỹ Bạch Mai")
    other = import_job_in(tree["vinh_tuy"], holder="Quỹ Vĩnh Tuy")
    page = cadre_client.get(reverse("funds_imports:job_list")).content.decode()
    assert "Quỹ Bạch Mai" in page and "Quỹ Vĩnh Tuy" not in page
    assert cadre_client.get(reverse("funds_imports:job_detail", args=[mine.pk])).status_code == 200
    assert cadre_client.get(reverse("funds_imports:job_detail", args=[other.pk])).status_code == 404
    assert cadre_client.get(reverse("funds_imports:job_status", args=[other.pk])).status_code == 404


def test_a_user_without_funds_rights_is_refused(tree: dict[str, Any]) -> None:
    client = Client()
    client.force_login(user_with_role(Role.EDITOR, tree["bach_mai"]))
    assert client.get(reverse("funds_imports:job_create")).status_code == 403
    assert client.get(reverse("funds_imports:job_list")).status_code == 403


def test_a_broken_mapping_file_comes_back_next_to_its_field(tree: dict[str, Any], cadre_client: Client) -> None:
    response = cadre_client.post(reverse("funds_imports:job_create"), {
        "account_number": VCB_NUMBER, "bank": "Vietcombank", "holder": VCB_HOLDER, "unit": tree["bach_mai"].pk,
        "fmt": "auto", "mapping": SimpleUploadedFile("mapping.json", b'{"columns": '),
        "statement_files": [SimpleUploadedFile("vcb_cut.csv", VCB_CUT.read_bytes())],
    })
    page = response.content.decode()
    assert response.status_code == 200 and "Tệp mapping không hợp lệ" in page
    assert 'id="id_mapping_error"' in page and not StatementImportJob.objects.exists()
