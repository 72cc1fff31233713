"""Roll-up of one period for the whole country: 3,321 commune reports × 60 indicators into 34 provinces and
the centre, timed against a naive per-unit loop measured in the same run, on SQLite and on PostgreSQL.

The parent process (``make bench``) runs a worker (``python -m bench.reports --worker``) per database, with its
own settings: SQLite in ``var/bench/reports/``, PostgreSQL from ``MATTRAN_BENCH_DATABASE_URL`` or, failing
that, a throw-away cluster started the way ``.ci/run`` does when PostgreSQL 15 is installed. The worker
migrates, loads the administrative units, writes the reports with ``bulk_create``, times both sides and
prints one JSON line.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench.registry import BASE_DIR, BenchError, Benchmark, Context, Measurement, Metric, Row

BENCH_DIR = BASE_DIR / "var" / "bench" / "reports"
PG_BIN = "/usr/lib/postgresql/15/bin"
INDICATORS = 60
RUNS = 7  # timed runs of rollup_period; the median is reported
BASELINE_RUNS = 3
WORKER_TIMEOUT = 300

METRICS = (Metric("ms", higher_is_better=False, fmt="{:,.1f}"),)


def _worker_env(database_url: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MATTRAN_", "GRANIAN_", "GUNICORN_")) and key != "DATABASE_URL"
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", MATTRAN_VAR_DIR=str(BENCH_DIR), PYTHONUNBUFFERED="1")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run_worker(database_url: str | None) -> dict[str, Any]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if database_url is None:
        for name in ("mattran.sqlite3", "mattran.sqlite3-wal", "mattran.sqlite3-shm"):
            (BENCH_DIR / name).unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "bench.reports", "--worker"], cwd=BASE_DIR, env=_worker_env(database_url),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=WORKER_TIMEOUT, check=False,
    )
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise BenchError(f"the roll-up worker failed (exit {done.returncode}):\n{tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _local_postgres() -> Iterator[str | None]:
    """A throw-away PostgreSQL 15 cluster (as in ``.ci/run``); yields its URL, or ``None`` when unavailable."""
    if not os.path.exists(f"{PG_BIN}/initdb"):
        yield None
        return
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    tmp = tempfile.mkdtemp(prefix="mattran-bench-pg.")
    port = _free_port()
    data = os.path.join(tmp, "data")
    try:
        if as_pg:
            shutil.chown(tmp, "postgres", "postgres")
        subprocess.run([*as_pg, f"{PG_BIN}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                        "--locale=C.UTF-8"], check=True, capture_output=True, timeout=120)
        subprocess.run([*as_pg, f"{PG_BIN}/pg_ctl", "-D", data, "-l", os.path.join(tmp, "server.log"), "-w",
                        "-t", "60", "-o", f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off "
                        "-c full_page_writes=off", "start"], check=True, capture_output=True, timeout=120)
        subprocess.run([f"{PG_BIN}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(port),
                        "-U", "postgres", "-d", "postgres", "-c", "CREATE ROLE mattran LOGIN CREATEDB",
                        "-c", "CREATE DATABASE mattran OWNER mattran"], check=True, capture_output=True, timeout=60)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"  reports: no local PostgreSQL ({exc})", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)
        yield None
        return
    try:
        yield f"postgres://mattran@127.0.0.1:{port}/mattran"
    finally:
        subprocess.run([*as_pg, f"{PG_BIN}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"],
                       capture_output=True, check=False, timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)


def _rows(database: str, result: dict[str, Any]) -> list[Row]:
    case = (f"{database}: {result['communes']:,} communes × {result['indicators']} indicators "
            f"({result['values']:,} figures)")
    baseline = Measurement("per-unit loop: each province and the centre sums its subtree's values in Python",
                           {"ms": result["baseline_ms"]})
    note = (f"median of {result['runs']} / {result['baseline_runs']} runs; setup {result['setup_s']:.0f} s; "
            f"totals agree: {'yes' if result['agree'] else 'NO'}")
    return [
        Row(case=case, baseline=baseline, note=note,
            ours=Measurement("`rollup_period(leaves=False)`: communes summed per parent by one GROUP BY, "
                             "lineage units in Python", {"ms": result["ours_ms"]})),
        Row(case=case + ", every commune's total too", baseline=baseline, note=note,
            ours=Measurement("`rollup_period()`: every figure to Python, pure roll-up", {"ms": result["every_ms"]})),
    ]


def run(ctx: Context) -> list[Row]:
    rows = []
    print("  reports: SQLite…", file=sys.stderr, flush=True)
    rows.extend(_rows("SQLite", _run_worker(None)))
    url = os.environ.get("MATTRAN_BENCH_DATABASE_URL")
    if url:
        print("  reports: PostgreSQL (MATTRAN_BENCH_DATABASE_URL)…", file=sys.stderr, flush=True)
        rows.extend(_rows("PostgreSQL", _run_worker(url)))
    else:
        with _local_postgres() as local_url:
            if local_url:
                print("  reports: PostgreSQL (throw-away local cluster)…", file=sys.stderr, flush=True)
                rows.extend(_rows("PostgreSQL", _run_worker(local_url)))
            else:
                rows.append(Row(case="PostgreSQL", ours=Measurement("not run", {"ms": None}),
                                baseline=Measurement("not run", {"ms": None}),
                                note="set MATTRAN_BENCH_DATABASE_URL or install postgresql-15"))
    return rows


ROLLUP = Benchmark(
    name="rollup",
    title="Report roll-up of one period, whole country (issue 3 target: ≤ 200 ms)",
    metrics=METRICS,
    run=run,
    description="Approved commune reports of every current commune, rolled up into the 34 provinces and the "
                "centre. Lower is better.",
)


# --- The worker ---------------------------------------------------------------------------------------------


def _timed(fn: Any, runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def worker() -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from mattran.organisations.models import AdminUnit, UnitLevel
    from mattran.reports.aggregates import rollup_period
    from mattran.reports.calendar import deadline_for
    from mattran.reports.models import Indicator, IndicatorValue, Report, ReportStatus, ReportTemplate
    from mattran.reports.services import period_get_or_create

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_admin_units", verbosity=0)
    period = period_get_or_create(actor=None, kind="half", year=2026, index=1)
    Report.objects.filter(period=period).delete()
    existing = list(Indicator.objects.all())
    extra = [
        Indicator(code=f"bench_{n:02d}", name=f"Chỉ tiêu thử {n}", unit_of_measure="lượt", order=1000 + n)
        for n in range(1, INDICATORS - len(existing) + 1)
    ]
    Indicator.objects.bulk_create(extra, ignore_conflicts=True)
    indicators = list(Indicator.objects.all()[:INDICATORS])
    template = ReportTemplate.objects.get(level=UnitLevel.COMMUNE, is_active=True)
    template.indicators.add(*indicators)
    communes = list(AdminUnit.objects.filter(level=UnitLevel.COMMUNE).valid_on(period.end).order_by("pk"))
    due = deadline_for(period, UnitLevel.COMMUNE)
    Report.objects.bulk_create(
        [Report(unit=u, period=period, template=template, status=ReportStatus.APPROVED, due_on=due)
         for u in communes], batch_size=1000,
    )
    reports = list(Report.objects.filter(period=period).values_list("pk", flat=True))
    IndicatorValue.objects.bulk_create(
        (IndicatorValue(report_id=r, indicator=i, value=(r * 7919 + i.pk * 104729) % 1_000_000_000)
         for r in reports for i in indicators),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    setup_s = time.monotonic() - started

    targets = list(AdminUnit.objects.filter(level__in=[UnitLevel.PROVINCE, UnitLevel.CENTRAL])
                   .valid_on(period.end))

    def naive() -> dict[int, dict[str, int]]:
        totals: dict[int, dict[str, int]] = {}
        for unit in targets:
            sums: dict[str, int] = {}
            for code, value in IndicatorValue.objects.filter(
                report__period=period, report__status=ReportStatus.APPROVED, report__unit__path__startswith=unit.path
            ).values_list("indicator__code", "value"):
                sums[code] = sums.get(code, 0) + value
            totals[unit.pk] = sums
        return totals

    rollup_period(period, leaves=False)  # warm the connection and caches, as a running server would be
    ours_ms, ours = _timed(lambda: rollup_period(period, leaves=False), RUNS)
    every_ms, every = _timed(lambda: rollup_period(period), RUNS)
    baseline_ms, baseline = _timed(naive, BASELINE_RUNS)
    agree = all(ours.get(pk, {}) == sums == every.get(pk, {}) for pk, sums in baseline.items())
    return {
        "communes": len(communes), "indicators": len(indicators), "values": len(reports) * len(indicators),
        "targets": len(targets), "ours_ms": ours_ms, "every_ms": every_ms, "baseline_ms": baseline_ms,
        "runs": RUNS,
        "baseline_runs": BASELINE_RUNS, "setup_s": setup_s, "agree": agree, "vendor": connection.vendor,
    }


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    sys.path.insert(0, str(BASE_DIR))
    print(json.dumps(worker()))
