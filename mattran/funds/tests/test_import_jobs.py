"""Background statement imports: creating a job (validation, private files), claiming, running, progress
through a second connection, stale jobs, and the real ``run_worker`` command in a subprocess."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from mattran.accounts.models import Role, RoleGrant
from mattran.accounts.tests.factories import UserFactory, user_with_role
from mattran.audit.models import AuditEvent
from mattran.funds import import_jobs
from mattran.funds.importing import PHASE_CHECKPOINT, PHASE_READ, PHASE_WRITE
from mattran.funds.models import ImportStatus, LedgerEntry, ReceivingAccount, StatementImportJob
from mattran.funds.services import verify_ledger
from mattran.funds.statements.formats import read_statement
from mattran.funds.tests.factories import ReceivingAccountFactory
from mattran.organisations.tests.factories import build_tree

FIXTURES = Path(__file__).parent / "fixtures"
VCB_CUT = FIXTURES / "vcb_cut.csv"
VCB_NUMBER = "0011001932418"
VCB_HOLDER = "MAT TRAN TO QUOC VN - BAN CUU TRO TW"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _private_var_dir(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"


def upload(path: Path = VCB_CUT, name: str | None = None, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes() if content is None else content,
                              content_type="text/csv")


def new_vcb_job(user: Any, unit: Any = None, **kwargs: Any) -> StatementImportJob:
    arguments: dict[str, Any] = {"account_number": VCB_NUMBER, "bank": "Vietcombank", "holder": VCB_HOLDER,
                                 "unit": unit, "uploaded_files": [upload()]}
    arguments.update(kwargs)
    return import_jobs.import_job_create(actor=user, **arguments)


def claim_and_run() -> StatementImportJob:
    job = import_jobs.import_job_claim_next()
    assert job is not None
    return import_jobs.import_job_run(job)


@pytest.fixture
def tree(db: None) -> dict[str, Any]:
    return build_tree()


@pytest.fixture
def cadre(tree: dict[str, Any]) -> Any:
    return user_with_role(Role.CADRE, tree["bach_mai"])


# --- Creating ------------------------------------------------------------------------------------------------

def test_create_stores_the_files_privately_with_their_sha256_and_queues_the_job(
        tree: dict[str, Any], cadre: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = new_vcb_job(cadre, tree["bach_mai"])
    assert job.status == ImportStatus.QUEUED and job.unit == tree["bach_mai"] and job.account is None
    stored = import_jobs.job_paths(job)
    private = Path(django_settings.VAR_DIR) / "private" / "statement-imports"
    assert stored == [private / str(job.pk) / "1" / "vcb_cut.csv"]
    assert stored[0].read_bytes() == VCB_CUT.read_bytes()
    assert job.files == [{"name": "vcb_cut.csv", "size": VCB_CUT.stat().st_size,
                          "sha256": hashlib.sha256(VCB_CUT.read_bytes()).hexdigest()}]
    assert not str(stored[0]).startswith(str(django_settings.MEDIA_ROOT))
    assert AuditEvent.objects.filter(action="funds.import_job_create", target_id=str(job.pk)).exists()
    # The worker is woken only once the row is committed.
    assert len(callbacks) == 1 and (import_jobs.jobs_root() / "wake").exists()


def _refusal(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"uploaded_files": [upload(name="sao_ke.pdf")]}, "files", "chỉ nhận tệp"),
    ({"uploaded_files": [upload(content=b"", name="empty.csv")]}, "files", "rỗng"),
    ({"uploaded_files": []}, "files", "ít nhất một tệp"),
    ({"account_number": "0011-ABC"}, "account_number", "chỉ gồm chữ số"),
    ({"bank": "Ngân hàng Mặt Trăng"}, "bank", "Không biết mã BIN"),
    ({"holder": ""}, "holder", "Cần cả tên ngân hàng và chủ tài khoản"),
    ({"unit": None}, "unit", "Chọn đơn vị"),
    ({"fmt": "pdf_scan"}, "fmt", "không được hỗ trợ"),
    ({"mapping_json": "{not json"}, "mapping", "mapping không hợp lệ"),
])
def test_bad_requests_are_refused_with_a_message_and_nothing_stored(
        tree: dict[str, Any], cadre: Any, changes: dict[str, Any], field: str, words: str) -> None:
    errors = _refusal(lambda: new_vcb_job(cadre, **{"unit": tree["bach_mai"], **changes}))
    assert any(words in message for message in errors[field]), errors
    assert not StatementImportJob.objects.exists()
    assert not import_jobs.jobs_root().exists() or not any(import_jobs.jobs_root().iterdir())


def test_a_file_over_the_size_limit_is_refused(tree: dict[str, Any], cadre: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(import_jobs, "MAX_FILE_BYTES", 1000)
    errors = _refusal(lambda: new_vcb_job(cadre, tree["bach_mai"]))
    assert "lớn hơn" in errors["files"][0]


def test_a_new_account_needs_a_unit_the_actor_manages(tree: dict[str, Any], cadre: Any) -> None:
    errors = _refusal(lambda: new_vcb_job(cadre, tree["vinh_tuy"]))
    assert errors["unit"] == ["Bạn không quản lý quỹ của đơn vị này."]


def test_an_account_of_another_unit_is_refused_even_when_typed_as_new(tree: dict[str, Any], cadre: Any) -> None:
    ReceivingAccountFactory(number=VCB_NUMBER, holder_name=VCB_HOLDER, unit=tree["vinh_tuy"])
    errors = _refusal(lambda: new_vcb_job(cadre, tree["bach_mai"]))
    assert "do đơn vị khác quản lý" in errors["account"][0]
    errors = _refusal(lambda: new_vcb_job(cadre, tree["bach_mai"], bank="", holder=""))
    assert "do đơn vị khác quản lý" in errors["account"][0]


def test_an_unknown_number_without_bank_and_holder_is_refused(tree: dict[str, Any], cadre: Any) -> None:
    errors = _refusal(lambda: new_vcb_job(cadre, tree["bach_mai"], bank="", holder=""))
    assert "Chưa có tài khoản nhận số" in errors["account_number"][0]


def test_a_user_without_funds_rights_cannot_create(tree: dict[str, Any]) -> None:
    from django.core.exceptions import PermissionDenied

    viewer = user_with_role(Role.VIEWER, tree["bach_mai"])
    with pytest.raises(PermissionDenied):
        new_vcb_job(viewer, tree["bach_mai"])


# --- Running -------------------------------------------------------------------------------------------------

def test_a_job_imports_the_file_registers_the_account_in_its_unit_and_deletes_the_upload(
        tree: dict[str, Any], cadre: Any) -> None:
    job = new_vcb_job(cadre, tree["bach_mai"])
    rows = read_statement(VCB_CUT).rows
    job = claim_and_run()
    assert job.status == ImportStatus.DONE, job.message
    assert job.attempts == 1 and job.started_at and job.finished_at and import_jobs.job_percent(job) == 100
    account = ReceivingAccount.objects.get(number=VCB_NUMBER)
    assert job.account == account and account.unit == tree["bach_mai"]
    assert (job.report["rows_read"], job.report["added"], job.report["already_present"]) == (len(rows), len(rows), 0)
    assert sum(d["credit_total"] for d in job.report["by_day"]) == sum(r.amount for r in rows if r.amount > 0)
    assert LedgerEntry.objects.filter(account=account).count() == len(rows)
    assert verify_ledger(account=account).ok
    assert not import_jobs.job_dir(job.pk).exists()
    assert job.files[0]["sha256"] == hashlib.sha256(VCB_CUT.read_bytes()).hexdigest()
    assert AuditEvent.objects.filter(action="funds.account_assign_unit", target_id=str(account.pk)).exists()


def test_importing_the_same_file_again_adds_nothing(tree: dict[str, Any], cadre: Any) -> None:
    new_vcb_job(cadre, tree["bach_mai"])
    first = claim_and_run()
    new_vcb_job(cadre, tree["bach_mai"], bank="", holder="")
    second = claim_and_run()
    assert second.status == ImportStatus.DONE
    assert (second.report["added"], second.report["already_present"]) == (0, first.report["added"])


def test_a_row_error_refuses_the_job_with_the_row_and_leaves_the_ledger_unchanged(
        tree: dict[str, Any], cadre: Any) -> None:
    lines = VCB_CUT.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[3].split(",")
    cells[1] = "31/02/2024"
    lines[3] = ",".join(cells)
    new_vcb_job(cadre, tree["bach_mai"], uploaded_files=[upload(content="".join(lines).encode())])
    job = claim_and_run()
    assert job.status == ImportStatus.REFUSED
    assert "sổ quỹ không thay đổi" in job.message
    assert [(e["file"], e["line"], e["value"]) for e in job.report["errors"]] == [("vcb_cut.csv", 4, "31/02/2024")]
    assert not LedgerEntry.objects.exists() and not ReceivingAccount.objects.exists()
    assert not import_jobs.job_dir(job.pk).exists()


def test_a_refusal_keeps_the_first_row_errors_and_their_count(
        tree: dict[str, Any], cadre: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(import_jobs, "MAX_STORED_ERRORS", 2)
    lines = VCB_CUT.read_text(encoding="utf-8").splitlines(keepends=True)
    for i in (2, 3, 4):
        cells = lines[i].split(",")
        cells[1] = "99/99/2024"
        lines[i] = ",".join(cells)
    new_vcb_job(cadre, tree["bach_mai"], uploaded_files=[upload(content="".join(lines).encode())])
    job = claim_and_run()
    assert job.status == ImportStatus.REFUSED
    assert job.report["errors_total"] == 3 and [e["line"] for e in job.report["errors"]] == [3, 4]


def test_a_creator_who_lost_the_right_meanwhile_is_refused_at_run_time(tree: dict[str, Any], cadre: Any) -> None:
    new_vcb_job(cadre, tree["bach_mai"])
    RoleGrant.objects.filter(user=cadre).delete()
    job = claim_and_run()
    assert job.status == ImportStatus.REFUSED and "không còn quyền" in job.message
    assert not LedgerEntry.objects.exists()


def test_an_unexpected_error_fails_the_job_and_keeps_the_ledger(
        tree: dict[str, Any], cadre: Any, monkeypatch: Any) -> None:
    new_vcb_job(cadre, tree["bach_mai"])

    def broken_checkpoint(**kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr("mattran.funds.importing.checkpoint_day", broken_checkpoint)
    job = claim_and_run()
    assert job.status == ImportStatus.FAILED and "sổ quỹ không thay đổi" in job.message
    assert not LedgerEntry.objects.exists() and not ReceivingAccount.objects.exists()


# --- Claiming, stale jobs ------------------------------------------------------------------------------------

def test_claims_take_the_oldest_job_once(tree: dict[str, Any], cadre: Any) -> None:
    first = new_vcb_job(cadre, tree["bach_mai"])
    second = new_vcb_job(cadre, tree["bach_mai"])
    claimed = [import_jobs.import_job_claim_next(), import_jobs.import_job_claim_next(),
               import_jobs.import_job_claim_next()]
    assert [j.pk if j else None for j in claimed] == [first.pk, second.pk, None]
    assert set(StatementImportJob.objects.values_list("status", flat=True)) == {ImportStatus.RUNNING}


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_never_take_the_same_job() -> None:
    tree = build_tree()
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    for _ in range(6):
        new_vcb_job(cadre, tree["bach_mai"])
    in_memory = connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:memorydb", ":memory:"))
    workers = 1 if in_memory else 3  # shared-cache in-memory SQLite answers "locked" instead of waiting
    taken: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def work() -> None:
        try:
            barrier.wait()
            while (job := import_jobs.import_job_claim_next()) is not None:
                taken.append(job.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(taken) == sorted(StatementImportJob.objects.values_list("pk", flat=True))


def test_a_job_whose_worker_died_is_queued_again_then_failed(tree: dict[str, Any], cadre: Any) -> None:
    job = new_vcb_job(cadre, tree["bach_mai"])
    assert import_jobs.import_job_claim_next().pk == job.pk  # this "worker" dies without finishing
    long_ago = timezone.now() - import_jobs.STALE_AFTER - dt.timedelta(minutes=1)
    StatementImportJob.objects.filter(pk=job.pk).update(updated_at=long_ago)
    again = import_jobs.import_job_claim_next()
    assert again is not None and again.pk == job.pk and again.attempts == 2
    StatementImportJob.objects.filter(pk=job.pk).update(updated_at=long_ago)
    assert import_jobs.import_job_claim_next() is None
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "dừng giữa chừng 2 lần" in job.message
    assert not import_jobs.job_dir(job.pk).exists()


def test_a_run_that_lost_its_job_to_a_newer_run_does_not_finish_it(tree: dict[str, Any], cadre: Any) -> None:
    """A worker whose heartbeat stopped long enough to be re-queued must not overwrite the newer run's job."""
    job = new_vcb_job(cadre, tree["bach_mai"])
    first = import_jobs.import_job_claim_next()
    long_ago = timezone.now() - import_jobs.STALE_AFTER - dt.timedelta(minutes=1)
    StatementImportJob.objects.filter(pk=job.pk).update(updated_at=long_ago)
    second = import_jobs.import_job_claim_next()
    assert (first.pk, first.attempts, second.pk, second.attempts) == (job.pk, 1, job.pk, 2)
    stale_result = import_jobs.import_job_run(first)
    assert stale_result.status == ImportStatus.RUNNING and import_jobs.job_dir(job.pk).exists()
    finished = import_jobs.import_job_run(second)
    assert finished.status == ImportStatus.DONE and finished.report["added"] == 0  # the first run's rows


def test_a_rerun_after_a_crash_past_the_commit_completes_and_gives_the_account_its_unit(
        tree: dict[str, Any], cadre: Any) -> None:
    """The worker died after the import committed but before the job was marked done: the re-run adds nothing,
    recognises the account its first run registered, and gives it the job's unit."""
    job = new_vcb_job(cadre, tree["bach_mai"])
    from mattran.funds.importing import statement_import

    statement_import(actor=cadre, account_number=VCB_NUMBER, paths=import_jobs.job_paths(job),
                     bank="Vietcombank", holder=VCB_HOLDER)
    job = claim_and_run()
    assert job.status == ImportStatus.DONE, job.message
    assert job.report["added"] == 0 and job.report["already_present"] > 0
    assert ReceivingAccount.objects.get(number=VCB_NUMBER).unit == tree["bach_mai"]


# --- Progress through the second connection ------------------------------------------------------------------

def _read_from_another_thread(job_id: int) -> tuple[str, int, int]:
    """What a web request would see: a fresh connection in another thread."""
    seen: list[tuple[str, int, int]] = []

    def read() -> None:
        try:
            seen.append(StatementImportJob.objects.filter(pk=job_id).values_list(
                "phase", "rows_done", "rows_total").get())
        finally:
            connection.close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    return seen[0]


@pytest.mark.django_db(transaction=True)
def test_progress_written_inside_an_open_import_transaction_is_visible_outside_it_or_skipped_without_waiting(
        monkeypatch: Any) -> None:
    monkeypatch.setattr(import_jobs, "PROGRESS_INTERVAL", 0.0)
    tree = build_tree()
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    job = new_vcb_job(cadre, tree["bach_mai"])
    job = import_jobs.import_job_claim_next()
    writer = import_jobs.ProgressWriter(job)
    try:
        assert writer.flush() is True  # no transaction open: written
        writer(PHASE_READ, 1, 2)
        assert _read_from_another_thread(job.pk) == (PHASE_READ, 1, 2)
        with transaction.atomic():
            ReceivingAccountFactory()  # the import's own writes, as in ledger_append
            writer(PHASE_WRITE, 500, 1000)
            if connection.vendor == "postgresql":
                # Committed on the progress connection at once, while the import's transaction is open.
                assert writer._pending is None
                assert _read_from_another_thread(job.pk) == (PHASE_WRITE, 500, 1000)
            else:
                # SQLite has one writer at a time: the write gave up at once (no deadlock, no wait) and waits.
                assert writer._pending == (PHASE_WRITE, 500, 1000)
        writer(PHASE_WRITE, 1000, 1000)
        assert writer._pending is None
        touched = StatementImportJob.objects.get(pk=job.pk).updated_at  # stored in the ORM's own format
        assert abs(touched - timezone.now()) < dt.timedelta(minutes=5)
        assert StatementImportJob.objects.filter(pk=job.pk).values_list(
            "phase", "rows_done", "rows_total").get() == (PHASE_WRITE, 1000, 1000)
    finally:
        writer.close()


@pytest.mark.django_db(transaction=True)
def test_a_running_import_shows_its_progress_to_other_connections(monkeypatch: Any) -> None:
    """During a real import, after every progress write that went through, another connection already sees it."""
    tree = build_tree()
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    new_vcb_job(cadre, tree["bach_mai"])
    seen: list[tuple[tuple[str, int, int], tuple[str, int, int]]] = []
    real_flush = import_jobs.ProgressWriter.flush

    def observed_flush(self: import_jobs.ProgressWriter) -> bool:
        pending = self._pending
        written = real_flush(self)
        if written and pending is not None and threading.current_thread() is threading.main_thread():
            seen.append((pending, _read_from_another_thread(self.job_id)))
        return written

    monkeypatch.setattr(import_jobs, "PROGRESS_INTERVAL", 0.0)
    monkeypatch.setattr(import_jobs.ProgressWriter, "flush", observed_flush)
    job = claim_and_run()
    assert job.status == ImportStatus.DONE
    assert seen, "no progress reached the job row during the import"
    assert all(written == observed for written, observed in seen)
    phases = {written[0] for written, _ in seen}
    assert PHASE_READ in phases
    if connection.vendor == "postgresql":
        assert PHASE_WRITE in phases  # inside the import's transaction


# --- The real worker process ---------------------------------------------------------------------------------

def _database_url_for_subprocess(tmp_path: Path) -> tuple[str, Path | None]:
    """A DATABASE_URL that reaches the test's data from another process. In-memory SQLite is copied to a file
    (and the result is read back from that file)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings_dict.get("USER") or ""
        password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
        host = settings_dict.get("HOST") or "localhost"
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{user}{password}@{host}{port}/{settings_dict['NAME']}", None
    name = str(settings_dict["NAME"])
    if name.startswith(("file:memorydb", ":memory:")):
        copy = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{copy}", copy
    return f"sqlite:///{name}", None


@pytest.mark.django_db(transaction=True)
def test_the_run_worker_command_runs_a_queued_job_in_its_own_process(tmp_path: Path) -> None:
    tree = build_tree()
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    job = new_vcb_job(cadre, tree["bach_mai"])
    url, copy = _database_url_for_subprocess(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "MATTRAN_VAR_DIR": str(django_settings.VAR_DIR),
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run([sys.executable, "manage.py", "run_worker", "--once"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Đã chạy 1 việc." in done.stdout
    rows = len(read_statement(VCB_CUT).rows)
    if copy is None:
        job.refresh_from_db()
        status, added = job.status, job.report["added"]
        entries = LedgerEntry.objects.count()
    else:
        with sqlite3.connect(copy) as db:
            status, report = db.execute(
                "SELECT status, report FROM funds_statementimportjob WHERE id = ?", [job.pk]).fetchone()
            entries = db.execute("SELECT count(*) FROM funds_ledgerentry").fetchone()[0]
        added = json.loads(report)["added"]
    assert (status, added, entries) == (ImportStatus.DONE, rows, rows)
    assert not import_jobs.job_dir(job.pk).exists()


def test_a_system_administrator_may_import_into_an_account_without_unit(tree: dict[str, Any]) -> None:
    admin = UserFactory(is_superuser=True)
    ReceivingAccountFactory(number=VCB_NUMBER, holder_name=VCB_HOLDER, unit=None)
    job = import_jobs.import_job_create(actor=admin, account_number=VCB_NUMBER, uploaded_files=[upload()],
                                        unit=tree["district"])
    assert job.unit == tree["district"]
    job = claim_and_run()
    assert job.status == ImportStatus.DONE, job.message
    assert ReceivingAccount.objects.get(number=VCB_NUMBER).unit == tree["district"]


# --- kill -9 of the worker in the middle of an import ----------------------------------------------------------

VCB_FULL = ROOT.parent / "shared" / "data" / "statements" / "vcb_0011001932418_2024-09-01_2024-09-10.csv.gz"
KILL_ROWS = 30_000


def _first_rows_of_the_real_statement(tmp_path: Path) -> Path:
    if not VCB_FULL.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must have the real statements: {VCB_FULL}")
        pytest.skip(f"real statements not found in {VCB_FULL.parent}")
    import gzip

    part = tmp_path / f"vcb_{VCB_NUMBER}_part.csv"
    with gzip.open(VCB_FULL, "rt", encoding="utf-8-sig", newline="") as src, \
            part.open("w", encoding="utf-8", newline="") as out:
        for n, line in enumerate(src):
            if n > KILL_ROWS:
                break
            out.write(line)
    return part


class _Db:
    """The test's data as the worker process sees it: PostgreSQL through the test's own connection (autocommit
    under transaction=True), SQLite through the file the worker uses."""

    def __init__(self, sqlite_file: Path | None) -> None:
        self.sqlite_file = sqlite_file

    def one(self, sql: str, params: list[Any]) -> Any:
        if self.sqlite_file is None:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchone()
        with sqlite3.connect(self.sqlite_file) as db:
            return db.execute(sql, params).fetchone()

    def write_lock_is_held(self) -> bool:
        """SQLite: another connection holds the single write lock (the import's transaction is open)."""
        assert self.sqlite_file is not None
        db = sqlite3.connect(self.sqlite_file, timeout=0, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            db.close()


@pytest.mark.django_db(transaction=True)
def test_kill_9_of_the_worker_mid_import_leaves_the_ledger_unchanged_and_the_job_completes_later(
        tmp_path: Path) -> None:
    statement = _first_rows_of_the_real_statement(tmp_path)
    tree = build_tree()
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    job = new_vcb_job(cadre, tree["bach_mai"], uploaded_files=[upload(statement)])
    url, copy = _database_url_for_subprocess(tmp_path)
    sqlite_file = copy if copy is not None else (
        Path(connection.settings_dict["NAME"]) if connection.vendor == "sqlite" else None)
    db = _Db(sqlite_file)
    env = {**os.environ, "DATABASE_URL": url, "MATTRAN_VAR_DIR": str(django_settings.VAR_DIR),
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    job_row = "SELECT status, phase, rows_done, rows_total FROM funds_statementimportjob WHERE id = ?"

    worker = subprocess.Popen([sys.executable, "manage.py", "run_worker", "--poll", "0.2"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen: list[Any] = []
    killed = False
    try:
        deadline = timezone.now() + dt.timedelta(seconds=120)
        while timezone.now() < deadline and worker.poll() is None:
            status, phase, done, total = db.one(job_row, [job.pk])
            seen.append((status, phase, done, total))
            if status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
                break  # the import ended before the kill: the assertion below says so
            if connection.vendor == "postgresql":
                # The progress connection shows the write phase, then the closing of days, while the import's
                # transaction is open (the write alone is too short to catch every time since the word index
                # left the ledger table, decision 0018); the commit follows the last day's (total, total).
                inside = (phase == PHASE_WRITE and 0 < done < total) or (phase == PHASE_CHECKPOINT and done < total)
            else:
                # SQLite shows the end of reconciling; then the import takes the write lock for its transaction.
                inside = phase == "Đối chiếu số dư" and db.write_lock_is_held()
            if inside:
                worker.send_signal(9)
                killed = True
                break
    finally:
        if worker.poll() is None and not killed:
            worker.terminate()
        worker.wait(timeout=60)
    assert killed and worker.returncode == -9, (seen[-5:], worker.stderr.read() if worker.stderr else "")

    # Nothing of the import is in the ledger; the job is still "running" for a worker that is gone.
    assert db.one("SELECT count(*) FROM funds_ledgerentry", [])[0] == 0
    assert db.one("SELECT count(*) FROM funds_receivingaccount", [])[0] == 0
    assert db.one(job_row, [job.pk])[0] == ImportStatus.RUNNING

    # Ten minutes later another worker re-queues it and completes it.
    long_ago = "2000-01-01 00:00:00" if sqlite_file is not None else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    db.one("UPDATE funds_statementimportjob SET updated_at = ? WHERE id = ? RETURNING id", [long_ago, job.pk])
    done = subprocess.run([sys.executable, "manage.py", "run_worker", "--once"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    status, report, attempts = db.one(
        "SELECT status, report, attempts FROM funds_statementimportjob WHERE id = ?", [job.pk])
    report = json.loads(report) if isinstance(report, str) else report
    rows = read_statement(statement).rows
    assert (status, attempts, report["rows_read"]) == (ImportStatus.DONE, 2, len(rows))
    assert db.one("SELECT count(*) FROM funds_ledgerentry", [])[0] == report["added"] == len(
        [r for r in rows if r.amount != 0])


@pytest.mark.django_db(transaction=True)
def test_every_phase_of_a_running_import_reaches_the_job_page_even_while_the_ledger_is_being_written(
        monkeypatch: Any) -> None:
    """On SQLite the import holds the only write lock while it writes the ledger, so the row cannot take the
    "Ghi sổ" progress; the progress file beside the uploads can, and the job page reads it."""
    tree = build_tree()
    cadre = user_with_role(Role.CADRE, tree["bach_mai"])
    new_vcb_job(cadre, tree["bach_mai"])
    shown: list[tuple[str, int, int]] = []
    real_flush = import_jobs.ProgressWriter.flush

    def observed_flush(self: import_jobs.ProgressWriter) -> bool:
        written = real_flush(self)
        if threading.current_thread() is threading.main_thread():
            seen = {}

            def look() -> None:  # what a request on another connection would show, during the import
                job = StatementImportJob.objects.get(pk=self.job_id)
                live = import_jobs.job_live_progress(job)
                seen["progress"] = (live.phase, live.rows_done, live.rows_total)

            reader = threading.Thread(target=look)
            reader.start()
            reader.join()
            shown.append(seen["progress"])
        return written

    monkeypatch.setattr(import_jobs, "PROGRESS_INTERVAL", 0.0)
    monkeypatch.setattr(import_jobs.ProgressWriter, "flush", observed_flush)
    job = claim_and_run()
    assert job.status == ImportStatus.DONE
    assert PHASE_WRITE in {phase for phase, _, _ in shown}
    written = [(done, total) for phase, done, total in shown if phase == PHASE_WRITE]
    assert written[-1][0] == written[-1][1] > 0
    assert not import_jobs.job_dir(job.pk).exists()  # the progress file goes with the uploads
