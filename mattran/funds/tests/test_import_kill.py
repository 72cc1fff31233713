"""kill -9 in the middle of ``manage.py import_statement``: the ledger is unchanged, and the next run completes.

The import runs in a real subprocess on a copy of a sizeable input (the first 30,000 rows of the real Vietcombank
statement, which CI has). The test waits for the import's own progress line
saying that rows are being written inside its transaction, then sends SIGKILL: nothing gets a chance to clean up.
It works on the test database of either vendor: PostgreSQL is reached by name; the in-memory SQLite test database
is copied to a file first (a file database, in WAL mode, is what the subprocess then uses).
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from mattran.funds.statements.formats import read_statement
from mattran.funds.tests.test_importing import VCB_FULL, VCB_NUMBER

ROOT = Path(__file__).resolve().parents[3]
ROWS = 30_000
HEAD_ROWS = 2_000
TIMEOUT = 120


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    """The first 2,000 rows (the ledger before) and the first 30,000 rows (the import that is killed) of the real
    statement, named for the account (the importer checks the number in a file's name). The head ends in the
    middle of 09/09, which therefore stays open for the second file to complete."""
    if not VCB_FULL.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must have the real statements: {VCB_FULL}")
        pytest.skip(f"real statements not found in {VCB_FULL.parent}")
    head, part = tmp_path / f"vcb_{VCB_NUMBER}_head.csv", tmp_path / f"vcb_{VCB_NUMBER}_part.csv"
    with gzip.open(VCB_FULL, "rt", encoding="utf-8-sig", newline="") as src, \
            head.open("w", encoding="utf-8", newline="") as out_head, \
            part.open("w", encoding="utf-8", newline="") as out_part:
        for n, line in enumerate(src):
            if n > ROWS:
                break
            out_part.write(line)
            if n <= HEAD_ROWS:
                out_head.write(line)
    return head, part


def _database_url(tmp_path: Path) -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings.get("USER") or ""
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return f"postgres://{user}{password}@{settings.get('HOST') or 'localhost'}{port}/{settings['NAME']}"
    copy = tmp_path / "ledger.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)  # the migrated (empty) test database, as a file
    target.close()
    return f"sqlite:///{copy}"


def _env(url: str, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "MATTRAN_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONUNBUFFERED": "1"}


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)


STATE = """
import json
from mattran.funds.models import DayCheckpoint, LedgerEntry, ReceivingAccount
from mattran.funds.services import verify_ledger
last = LedgerEntry.objects.order_by("-sequence").values_list("sequence", "entry_hash").first()
print(json.dumps({"entries": LedgerEntry.objects.count(), "checkpoints": DayCheckpoint.objects.count(),
                  "accounts": ReceivingAccount.objects.count(), "last": last, "verified": verify_ledger().ok,
                  "credit": sum(LedgerEntry.objects.filter(amount__gt=0).values_list("amount", flat=True))}))
"""


def _state(env: dict[str, str]) -> dict[str, Any]:
    done = _manage(env, "shell", "-c", STATE)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.django_db(transaction=True)
def test_kill_9_mid_import_leaves_the_ledger_unchanged_and_the_next_run_completes(tmp_path: Path) -> None:
    head, statement = _inputs(tmp_path)
    env = _env(_database_url(tmp_path), tmp_path)
    register = ["--account", VCB_NUMBER, "--bank", "Vietcombank", "--holder", "MAT TRAN TO QUOC VN - BAN CUU TRO TW"]

    # A ledger that is not empty: an earlier export that ended in the middle of the first day.
    first = _manage(env, "import_statement", *register, str(head))
    assert first.returncode == 0, first.stderr
    before = _state(env)
    head_days = {r.booked_on for r in read_statement(head).rows}
    assert (before["entries"], before["checkpoints"]) == (HEAD_ROWS, len(head_days) - 1) and before["verified"]

    process = subprocess.Popen([sys.executable, "manage.py", "import_statement", *register, "--progress",
                                str(statement)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    seen = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            seen.append(line.strip())
            # The first batch is in the database, inside the import's transaction; more are coming.
            if line.startswith("Ghi sổ ") and not line.startswith("Ghi sổ 0/"):
                process.send_signal(signal.SIGKILL)
                break
        process.wait(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL, (seen, process.stderr.read() if process.stderr else "")
    assert any(s.startswith("Đọc tệp 1/1") for s in seen)

    assert _state(env) == before  # not one row, checkpoint or account more; the chain verifies

    again = _manage(env, "import_statement", "--account", VCB_NUMBER, str(statement))
    assert again.returncode == 0, again.stderr
    rows = read_statement(statement).rows
    assert f"Số dòng đọc: {ROWS}" in again.stdout and f"Đã có sẵn trong sổ quỹ: {HEAD_ROWS}" in again.stdout
    assert f"Thêm mới: {ROWS - HEAD_ROWS}" in again.stdout
    after = _state(env)
    days = sorted({r.booked_on for r in rows})
    assert (after["entries"], after["checkpoints"], after["accounts"]) == (ROWS, len(days) - 1, 1)
    assert after["credit"] == sum(r.amount for r in rows if r.amount > 0) and after["verified"]
    verify = _manage(env, "verify_ledger")
    assert verify.returncode == 0 and "toàn vẹn" in verify.stdout
