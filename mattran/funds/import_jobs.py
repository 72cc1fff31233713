"""Statement imports started from the staff pages and run by the background worker (decision 0012).

The job row (:class:`~mattran.funds.models.StatementImportJob`) is the queue: :func:`import_job_create` checks
the request, stores the uploaded files under ``VAR_DIR/private/statement-imports/<job id>/`` and commits the row
as ``queued``; the worker (``python manage.py run_worker``) claims it with :func:`import_job_claim_next` and runs
it with :func:`import_job_run`, which calls the same :func:`~mattran.funds.importing.statement_import` as the
``import_statement`` command.

Progress travels through a second database connection (:class:`ProgressWriter`): the import writes the ledger
inside one transaction on the default connection, and anything written there would stay invisible to the web
pages until that transaction commits. On SQLite, while the import holds the database's single write lock, a
progress write gives up at once instead of waiting (the next one tries again), so it never slows the import down.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connections, transaction
from django.db.models import F, Q, QuerySet
from django.db.utils import load_backend
from django.utils import timezone
from django.utils.text import get_valid_filename

from mattran.accounts.permissions import Action, require, scope_paths, units_where
from mattran.audit.services import record
from mattran.funds.importing import (
    PHASE_CHECKPOINT,
    PHASE_READ,
    PHASE_RECONCILE,
    PHASE_WRITE,
    ImportRefused,
    bank_bin,
    same_holder,
    statement_import,
)
from mattran.funds.models import AccountKind, ImportStatus, ReceivingAccount, StatementImportJob
from mattran.funds.permissions import is_system_admin, may_manage
from mattran.funds.statements.formats import FORMATS
from mattran.funds.statements.mapping import Mapping, MappingError, mapping_from_json
from mattran.organisations.models import AdminUnit

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_FILES = 10
MAX_MAPPING_BYTES = 64 * 1024
ALLOWED_SUFFIXES = (".csv.gz", ".csv", ".xlsx", ".txt")
#: A running job whose row has not been touched for this long belongs to a worker that died.
STALE_AFTER = dt.timedelta(minutes=10)
#: How often a running job's row is touched while the import works (well under STALE_AFTER).
HEARTBEAT_SECONDS = 30.0
#: A job whose worker died is queued again until it has been started this many times, then it fails.
MAX_ATTEMPTS = 2
#: Progress is written at most this often (a phase change is always written).
PROGRESS_INTERVAL = 0.3
#: A refused job keeps this many row errors (and their total count) for its page.
MAX_STORED_ERRORS = 1000
#: The name the progress connection goes by (it is not registered in ``django.db.connections``).
PROGRESS_ALIAS = "funds_progress"

FINISHED = (ImportStatus.DONE, ImportStatus.REFUSED, ImportStatus.FAILED)
ACTIVE = (ImportStatus.QUEUED, ImportStatus.RUNNING)

# Where each phase of statement_import sits on the one bar the user sees (start %, end %).
_PHASE_SPAN = {
    PHASE_READ: (0, 35),
    PHASE_RECONCILE: (35, 40),
    PHASE_WRITE: (40, 90),
    PHASE_CHECKPOINT: (90, 100),
}


# --- Where the files live ---------------------------------------------------------------------------------

def jobs_root() -> Path:
    """``VAR_DIR/private/statement-imports``: outside MEDIA_ROOT, so no URL ever serves an uploaded statement."""
    return Path(settings.VAR_DIR) / "private" / "statement-imports"


def job_dir(job_id: int) -> Path:
    return jobs_root() / str(job_id)


def job_paths(job: StatementImportJob) -> list[Path]:
    """The stored files of ``job``, in upload order (``<job dir>/<n>/<file name>``, so the name stays the user's)."""
    return [job_dir(job.pk) / str(i) / f["name"] for i, f in enumerate(job.files, start=1)]


def _wake_file() -> Path:
    return jobs_root() / "wake"


def wake_workers() -> None:
    """Tell idle workers on this machine that a job is waiting (they also look every few seconds anyway)."""
    wake = _wake_file()
    wake.parent.mkdir(parents=True, exist_ok=True)
    wake.touch()


def wait_for_work(timeout: float, stop: threading.Event | None = None) -> None:
    """Sleep up to ``timeout`` seconds, returning early when :func:`wake_workers` is called or ``stop`` is set."""
    wake = _wake_file()

    def mtime() -> float:
        try:
            return wake.stat().st_mtime
        except FileNotFoundError:
            return 0.0

    seen = mtime()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stop is not None and stop.wait(0.2):
            return
        if stop is None:
            time.sleep(0.2)
        if mtime() != seen:
            return


def _remove_files(job_id: int) -> None:
    shutil.rmtree(job_dir(job_id), ignore_errors=True)


# --- Creating a job -----------------------------------------------------------------------------------------

def _suffix_ok(name: str) -> bool:
    return name.lower().endswith(ALLOWED_SUFFIXES)


def _check_files(uploaded_files: Sequence[UploadedFile]) -> list[str]:
    problems: list[str] = []
    if not uploaded_files:
        return ["Chọn ít nhất một tệp sao kê."]
    if len(uploaded_files) > MAX_FILES:
        return [f"Mỗi lượt nhập tối đa {MAX_FILES} tệp."]
    allowed = ", ".join(ALLOWED_SUFFIXES)
    for upload in uploaded_files:
        name = upload.name or ""
        if not _suffix_ok(name):
            problems.append(f"Tệp “{name}”: chỉ nhận tệp {allowed}.")
        elif not upload.size:
            problems.append(f"Tệp “{name}” rỗng.")
        elif upload.size > MAX_FILE_BYTES:
            problems.append(f"Tệp “{name}” lớn hơn {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    return problems


def _parse_mapping(mapping_json: str) -> tuple[Mapping | None, str | None]:
    if not mapping_json.strip():
        return None, None
    if len(mapping_json.encode()) > MAX_MAPPING_BYTES:
        return None, f"Tệp mapping lớn hơn {MAX_MAPPING_BYTES // 1024} kB."
    try:
        return mapping_from_json(mapping_json), None
    except MappingError as exc:
        return None, f"Tệp mapping không hợp lệ: {exc}"


def _resolve_account(
    *, actor: Any, number: str, bank: str, holder: str, unit: AdminUnit | None, errors: dict[str, list[str]],
) -> tuple[ReceivingAccount | None, AdminUnit | None]:
    """The known account the job will import into (or ``None`` for a new one) and the job's unit."""
    def fail(field: str, message: str) -> tuple[None, None]:
        errors.setdefault(field, []).append(message)
        return None, None

    if not number.isdigit() or len(number) > 19:
        return fail("account_number", "Số tài khoản chỉ gồm chữ số, tối đa 19 chữ số.")
    known = ReceivingAccount.objects.filter(number=number, kind=AccountKind.BANK).select_related("unit")
    if bool(bank) != bool(holder):
        return fail("holder" if bank else "bank", "Cần cả tên ngân hàng và chủ tài khoản để đăng ký tài khoản mới.")
    if bank:
        try:
            bank_name, code = bank_bin(bank)
        except ImportRefused as exc:
            return fail("bank", exc.message)
        same = [a for a in known if a.bank_bin == code]
        if not same and known:
            others = ", ".join(a.bank_name for a in known)
            return fail("account_number", f"Số tài khoản {number} đã đăng ký ở ngân hàng {others}, "
                                          f"không phải {bank_name}.")
        if same and not same_holder(same[0].holder_name, holder):
            return fail("holder", f"Tài khoản {bank_name} {number} đã đăng ký với chủ tài khoản "
                                  f"“{same[0].holder_name}”.")
        account = same[0] if same else None
    else:
        accounts = list(known)
        if not accounts:
            return fail("account_number", f"Chưa có tài khoản nhận số {number}. Để đăng ký tài khoản mới, "
                                          "nhập thêm ngân hàng, chủ tài khoản và đơn vị quản lý.")
        if len(accounts) > 1:
            return fail("bank", f"Số tài khoản {number} có ở nhiều ngân hàng; hãy chọn ngân hàng.")
        account = accounts[0]
    if account is None:
        if unit is None:
            return fail("unit", "Chọn đơn vị sẽ quản lý tài khoản mới.")
        if not may_manage(actor, unit):
            return fail("unit", "Bạn không quản lý quỹ của đơn vị này.")
        return None, unit
    if not may_manage(actor, account.unit):
        return fail("account", f"Tài khoản {account} do đơn vị khác quản lý; bạn không nhập sao kê vào đó được.")
    # A system administrator may give a unit-less account its unit with this import.
    return account, account.unit or unit


def _store(job_id: int, uploaded_files: Sequence[UploadedFile]) -> list[dict[str, Any]]:
    """Copy each upload (streamed, whatever its size) to the job's directory; ``[{name, size, sha256}]``."""
    stored = []
    for i, upload in enumerate(uploaded_files, start=1):
        name = get_valid_filename(Path(upload.name or f"tep-{i}.csv").name)
        target = job_dir(job_id) / str(i) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with target.open("wb") as out:
            for chunk in upload.chunks():
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        stored.append({"name": name, "size": size, "sha256": digest.hexdigest()})
    return stored


def import_job_create(
    *, actor: Any, account_number: str, bank: str = "", holder: str = "", fmt: str = "auto",
    mapping_json: str = "", uploaded_files: Sequence[UploadedFile], unit: AdminUnit | None = None,
) -> StatementImportJob:
    """Check an import request, store its files and queue it; the worker picks it up after the commit.

    ``account_number`` names a known account (``bank``/``holder`` empty, or matching it) or, with ``bank``,
    ``holder`` and the managing ``unit``, registers a new one when the import succeeds. The actor needs
    ``FUNDS_MANAGE`` on the account's unit (on ``unit`` for a new account). Raises :class:`ValidationError`
    keyed by form field (``account``, ``account_number``, ``bank``, ``holder``, ``unit``, ``fmt``, ``mapping``,
    ``files``); nothing is stored then.
    """
    require(actor, Action.FUNDS_MANAGE)
    errors: dict[str, list[str]] = {}
    number = "".join(account_number.split())
    bank, holder = bank.strip(), " ".join(holder.split())
    account, job_unit = _resolve_account(actor=actor, number=number, bank=bank, holder=holder, unit=unit,
                                         errors=errors)
    if fmt != "auto" and fmt not in FORMATS:
        errors.setdefault("fmt", []).append(f"Định dạng không được hỗ trợ: {fmt}.")
    _mapping, mapping_problem = _parse_mapping(mapping_json)
    if mapping_problem:
        errors.setdefault("mapping", []).append(mapping_problem)
    if file_problems := _check_files(uploaded_files):
        errors.setdefault("files", []).extend(file_problems)
    if errors:
        raise ValidationError(errors)

    job_id: int | None = None
    try:
        with transaction.atomic():
            job = StatementImportJob.objects.create(
                account=account, unit=job_unit, account_number=number, bank=bank, holder=holder, fmt=fmt,
                mapping_json=mapping_json, created_by=actor, phase="Đang chờ tới lượt",
            )
            job_id = job.pk
            job.files = _store(job.pk, uploaded_files)
            job.rows_total = len(job.files)
            job.save(update_fields=["files", "rows_total", "updated_at"])
            record(actor=actor, action="funds.import_job_create", target=job, unit=job_unit, changes={
                "account_number": number, "bank": bank, "holder": holder, "fmt": fmt,
                "files": [f"{f['name']} ({f['size']} B, sha256 {f['sha256']})" for f in job.files],
            })
            transaction.on_commit(wake_workers, robust=True)
    except OSError as exc:
        if job_id is not None:
            _remove_files(job_id)
        raise ValidationError({"files": [f"Không lưu được tệp tải lên: {exc.strerror or exc}."]}) from exc
    except BaseException:
        if job_id is not None:
            _remove_files(job_id)
        raise
    return job


# --- Reading jobs (selectors: they take the viewer) ------------------------------------------------------

def import_jobs_visible_to(*, user: Any) -> QuerySet[StatementImportJob]:
    """Jobs of the units where ``user`` manages funds; jobs without a unit for system administrators only."""
    jobs = StatementImportJob.objects.select_related("unit", "account", "created_by")
    paths = scope_paths(user, Action.FUNDS_MANAGE)
    if paths is None:
        return jobs
    if not paths:
        return jobs.none()
    condition = Q()
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return jobs.filter(condition)


def import_job_for(*, user: Any, pk: int) -> StatementImportJob | None:
    return import_jobs_visible_to(user=user).filter(pk=pk).first()


def import_accounts_for(*, user: Any) -> QuerySet[ReceivingAccount]:
    """Bank accounts the user may import into (unit-less ones for system administrators)."""
    accounts = ReceivingAccount.objects.filter(kind=AccountKind.BANK).select_related("unit")
    if is_system_admin(user):
        return accounts
    return accounts.filter(unit__in=units_where(user, Action.FUNDS_MANAGE))


def _progress_file(job_id: int) -> Path:
    return job_dir(job_id) / "progress.json"


def job_live_progress(job: StatementImportJob) -> StatementImportJob:
    """``job`` with the latest progress of a running import, read from the job's progress file when that is
    newer than the row. On SQLite the import holds the database's only write lock while it writes the ledger,
    so the row cannot take progress then; the file (written beside the uploads, never served) can."""
    if job.status != ImportStatus.RUNNING:
        return job
    try:
        data = json.loads(_progress_file(job.pk).read_text(encoding="utf-8"))
        phase, done, total, at = str(data["phase"]), int(data["done"]), int(data["total"]), float(data["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return job
    if job.updated_at is None or at > job.updated_at.timestamp():
        job.phase, job.rows_done, job.rows_total = phase[:120], max(done, 0), max(total, 0)
    return job


def job_percent(job: StatementImportJob) -> int:
    """One bar over the whole import: each phase of statement_import fills its own stretch of it."""
    if job.status == ImportStatus.DONE:
        return 100
    if job.status != ImportStatus.RUNNING:
        return 0
    start, end = _PHASE_SPAN.get(job.phase, (0, 0))
    if job.rows_total:
        start += (end - start) * min(job.rows_done, job.rows_total) // job.rows_total
    return min(start, 99)


# --- Claiming and running -----------------------------------------------------------------------------------

def _requeue_stale(now: dt.datetime) -> None:
    """Running jobs nobody has touched for STALE_AFTER: their worker died. The import is one transaction, so
    the ledger is as before (or the import committed just before the worker died, and a re-run adds nothing):
    queue them again, or fail them after MAX_ATTEMPTS starts."""
    stale = StatementImportJob.objects.filter(status=ImportStatus.RUNNING, updated_at__lt=now - STALE_AFTER)
    for job in stale:
        guard = StatementImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING, updated_at=job.updated_at)
        if job.attempts < MAX_ATTEMPTS:
            guard.update(status=ImportStatus.QUEUED, phase="Đang chờ chạy lại", updated_at=now,
                         message="Lượt chạy trước bị dừng giữa chừng; sổ quỹ không thay đổi vì lượt đó. Sẽ chạy lại.")
        elif guard.update(status=ImportStatus.FAILED, finished_at=now, updated_at=now,
                          message=f"Tiến trình nhập dừng giữa chừng {job.attempts} lần; đã ngừng thử. "
                                  "Sổ quỹ không thay đổi vì lượt nhập này; hãy tải tệp lên lại."):
            _remove_files(job.pk)


def import_job_claim_next(*, now: dt.datetime | None = None) -> StatementImportJob | None:
    """Take the oldest queued job and mark it running; safe with several workers on both databases.

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` (two workers never wait on, nor take, the same row).
    SQLite has no row locks: a conditional ``UPDATE … WHERE status = 'queued'`` claims the row, and the worker
    that updated zero rows lost the race and tries the next one.
    """
    now = now or timezone.now()
    _requeue_stale(now)
    queued = StatementImportJob.objects.filter(status=ImportStatus.QUEUED).order_by("created_at", "pk")
    if connections["default"].features.has_select_for_update_skip_locked:
        with transaction.atomic():
            job = queued.select_for_update(skip_locked=True).first()
            if job is None:
                return None
            StatementImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.RUNNING, attempts=F("attempts") + 1, started_at=now, updated_at=now,
                phase="Bắt đầu", rows_done=0, message="")
        return StatementImportJob.objects.select_related("created_by", "unit").get(pk=job.pk)
    for pk in queued.values_list("pk", flat=True)[:20]:
        claimed = StatementImportJob.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(
            status=ImportStatus.RUNNING, attempts=F("attempts") + 1, started_at=now, updated_at=now,
            phase="Bắt đầu", rows_done=0, message="")
        if claimed:
            return StatementImportJob.objects.select_related("created_by", "unit").get(pk=pk)
    return None


def _progress_connection() -> Any:
    """A second connection to the default database, outside Django's per-thread registry: its own session and
    its own transactions, in autocommit. On SQLite it does not wait for the write lock (busy timeout 0)."""
    config = dict(connections["default"].settings_dict)
    options = dict(config.get("OPTIONS") or {})
    if config["ENGINE"] == "django.db.backends.sqlite3":
        init = options.get("init_command", "").replace("PRAGMA busy_timeout=5000;", "")
        options["init_command"] = f"{init} PRAGMA busy_timeout=0;".strip()
        options.pop("transaction_mode", None)
    config["OPTIONS"] = options
    wrapper = load_backend(config["ENGINE"]).DatabaseWrapper(config, PROGRESS_ALIAS)
    wrapper.inc_thread_sharing()  # the heartbeat thread writes through it too, under ProgressWriter's lock
    return wrapper


class ProgressWriter:
    """The ``progress`` callback of a running job: writes phase, done and total to the job row through a second
    connection (see the module docstring), at most every PROGRESS_INTERVAL seconds, and touches the row every
    HEARTBEAT_SECONDS from a thread so that a long silent phase does not look like a dead worker."""

    def __init__(self, job: StatementImportJob) -> None:
        self.job_id = job.pk
        self._db = _progress_connection()
        self._lock = threading.Lock()
        self._phase = ""
        self._pending: tuple[str, int, int] | None = None
        self._last = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"import-job-{job.pk}-heartbeat", daemon=True)
        # The table name comes from the model, quoted; every value is a parameter.
        table = self._db.ops.quote_name(StatementImportJob._meta.db_table)
        self._sql_progress = (f"UPDATE {table} SET phase = %s, rows_done = %s, rows_total = %s, "  # noqa: S608
                              "updated_at = %s WHERE id = %s AND status = %s")
        self._sql_beat = f"UPDATE {table} SET updated_at = %s WHERE id = %s AND status = %s"  # noqa: S608

    def start(self) -> ProgressWriter:
        self._thread.start()
        return self

    def __call__(self, phase: str, done: int, total: int) -> None:
        with self._lock:
            self._pending = (phase, done, total)
            changed = phase != self._phase
            if not changed and time.monotonic() - self._last < PROGRESS_INTERVAL:
                return
        self.flush()

    def _write_file(self, phase: str, done: int, total: int) -> None:
        """The same progress in the job's progress file (see :func:`job_live_progress`), replaced atomically."""
        target = _progress_file(self.job_id)
        part = target.with_name(f".{target.name}.{threading.get_ident()}")
        try:
            part.write_text(json.dumps({"phase": phase, "done": done, "total": total, "at": time.time()}),
                            encoding="utf-8")
            os.replace(part, target)
        except OSError:
            logger.warning("Không ghi được tiến độ của lượt nhập %s vào %s", self.job_id, target)

    def flush(self) -> bool:
        """Write the latest progress (or just the heartbeat); ``False`` when the database was busy."""
        with self._lock:
            pending = self._pending
            self._last = time.monotonic()
            if pending is not None:
                self._write_file(*pending)
            now = self._db.ops.adapt_datetimefield_value(timezone.now())
            if pending is None:
                sql, params = self._sql_beat, [now, self.job_id, ImportStatus.RUNNING.value]
            else:
                phase, done, total = pending
                sql, params = self._sql_progress, [phase[:120], max(done, 0), max(total, 0), now, self.job_id,
                                                   ImportStatus.RUNNING.value]
            try:
                with self._db.cursor() as cursor:
                    cursor.execute(sql, params)
            except DatabaseError:
                # SQLite: the import holds the write lock right now. The next call writes the latest values.
                return False
            if pending is not None and self._pending == pending:
                self._pending = None
                self._phase = pending[0]
            return True

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            self.flush()

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        with self._lock:
            self._db.close()


def _files_missing(job: StatementImportJob) -> list[str]:
    return [p.name for p in job_paths(job) if not p.exists()]


def _check_still_allowed(job: StatementImportJob) -> None:
    """The creator may have lost the right since the job was queued, or someone else may have registered the
    number meanwhile: check again against the accounts as they are now."""
    if not may_manage(job.created_by, job.unit):
        raise ImportRefused("Người tạo lượt nhập không còn quyền quản lý quỹ của đơn vị này; sổ quỹ không thay đổi.")
    for account in ReceivingAccount.objects.filter(number=job.account_number).select_related("unit"):
        if account.unit_id is None:
            # Registered by an earlier, interrupted run of this very job (it gets the job's unit below),
            # or by an administrator's command, which only an administrator may import into.
            if account.created_at >= job.created_at or is_system_admin(job.created_by):
                continue
        elif account.unit_id == job.unit_id or may_manage(job.created_by, account.unit):
            continue
        raise ImportRefused(f"Tài khoản {account} do đơn vị khác quản lý; sổ quỹ không thay đổi.")


def _finish(job: StatementImportJob, status: str, *, message: str, report: dict[str, Any],
            account: ReceivingAccount | None = None) -> bool:
    now = timezone.now()
    values: dict[str, Any] = {"status": status, "message": message, "report": report, "finished_at": now,
                              "updated_at": now}
    if account is not None:
        values["account"] = account
    if status == ImportStatus.DONE:
        values["phase"] = "Xong"
    # Only while still ours: a job re-queued meanwhile (its heartbeat lost) belongs to another run now.
    return bool(StatementImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING, attempts=job.attempts)
                .update(**values))


def _give_account_its_unit(job: StatementImportJob, account: ReceivingAccount) -> None:
    if account.unit_id is not None or job.unit is None:
        return
    with transaction.atomic():
        updated = ReceivingAccount.objects.filter(pk=account.pk, unit__isnull=True).update(unit=job.unit)
        if updated:
            account.unit = job.unit
            record(actor=job.created_by, action="funds.account_assign_unit", target=account, unit=job.unit,
                   changes={"unit": [None, str(job.unit)], "import_job": job.pk})


def import_job_run(job: StatementImportJob) -> StatementImportJob:
    """Run a claimed (``running``) job to its end: ``done`` with the import report, ``refused`` with the
    row-level errors (the ledger unchanged), or ``failed`` on an unexpected error. The uploaded files are deleted
    when the job ends; ``files`` keeps their names, sizes and sha256. Returns the job as stored."""
    writer = ProgressWriter(job).start()
    try:
        missing = _files_missing(job)
        if missing:
            raise ImportRefused(f"Không còn tệp đã tải lên ({', '.join(missing)}); hãy tải lên lại.")
        _check_still_allowed(job)
        mapping, problem = _parse_mapping(job.mapping_json)
        if problem:
            raise ImportRefused(problem)
        report = statement_import(
            actor=job.created_by, account_number=job.account_number, paths=job_paths(job), fmt=job.fmt,
            mapping=mapping, bank=job.bank or None, holder=job.holder or None, progress=writer,
        )
        _give_account_its_unit(job, report.account)
        summary = (f"Đã nhập xong: đọc {report.rows_read} dòng, thêm mới {report.added}, "
                   f"đã có sẵn {report.already_present}.")
        _finish(job, ImportStatus.DONE, message=summary, report=report.as_dict(), account=report.account)
    except ImportRefused as exc:
        refusal = exc.as_dict()
        refusal["errors_total"] = len(refusal["errors"])
        refusal["errors"] = refusal["errors"][:MAX_STORED_ERRORS]  # a wrong layout can fail every row
        _finish(job, ImportStatus.REFUSED, message=exc.message, report=refusal)
    except (KeyboardInterrupt, SystemExit):
        # Stopped by the operator: the import's transaction rolled back; queue the job again, files kept.
        StatementImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
            status=ImportStatus.QUEUED, phase="Đang chờ chạy lại", updated_at=timezone.now(),
            message="Tiến trình nhập bị dừng; sổ quỹ không thay đổi. Sẽ chạy lại khi tiến trình nền khởi động.")
        raise
    except Exception as exc:
        logger.exception("statement import job %s failed", job.pk)
        _finish(job, ImportStatus.FAILED, report={"error": type(exc).__name__},
                message="Lỗi hệ thống khi nhập; sổ quỹ không thay đổi. Báo cho quản trị hệ thống "
                        f"(lượt nhập số {job.pk}).")
    finally:
        writer.close()
    job.refresh_from_db()
    if job.status in FINISHED:
        _remove_files(job.pk)
    return job


def run_pending(*, stop: threading.Event | None = None, limit: int | None = None) -> int:
    """Claim and run queued jobs until none is left (or ``stop`` is set, or ``limit`` ran); how many ran."""
    ran = 0
    while (stop is None or not stop.is_set()) and (limit is None or ran < limit):
        job = import_job_claim_next()
        if job is None:
            break
        import_job_run(job)
        ran += 1
    return ran
