"""Roll-up of one period for the whole country: 3,321 commune reports × 60 indicators into 34 provinces and
the centre, timed against a naive per-unit loop measured in the same run, on SQLite and on PostgreSQL.

The parent process (``make bench``) runs a worker (``python -m bench.reports --worker``) per database, with its
own settings: SQLite in ``var/bench/reports/``, PostgreSQL from ``MATTRAN_BENCH_DATABASE_URL`` or, failing
that, a throw-away cluster started the way ``.ci/run`` does when PostgreSQL 15 is installed. The worker
migrates, loads the administrative units, writes the reports with ``bulk_create``, times both sides and
prints one JSON line.

The same worker then adds an earlier period (a quarter of the communes reporting, so the chart has two bars)
and times the upper-unit dashboard page (``reports:overview``) in-process with Django's test client, for the
centre and the province with the most communes, against the same view with ``rollup_period`` swapped for the
per-unit loop; the ``overview`` benchmark prints those rows (issue 3: ≤ 300 ms server time).
"""

from __future__ import annotations

import json
import os
import re
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
PAGE_RUNS = 15  # timed requests of the overview page after one warm-up; median and p95 reported
PAGE_BASELINE_RUNS = 5  # the per-unit loop page costs seconds for the centre
PROFILE_RUNS = 3  # direct calls of each selector the page uses, to say where its time goes
EARLIER_EVERY = 4  # the earlier period (for the chart's second bar) has a report from every 4th commune
PAGE_TARGET_MS = 300

METRICS = (Metric("ms", higher_is_better=False, fmt="{:,.1f}"),)


def _worker_env(database_url: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MATTRAN_", "GRANIAN_", "GUNICORN_")) and key != "DATABASE_URL"
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", MATTRAN_VAR_DIR=str(BENCH_DIR), PYTHONUNBUFFERED="1",
               MATTRAN_STATIC_ROOT=str(BENCH_DIR / "static"))  # the manifest storage the pages need
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


def _all_results(ctx: Context) -> list[tuple[str, dict[str, Any] | None]]:
    """One worker per database, run once per ``make bench`` and read by both report benchmarks."""

    def compute() -> list[tuple[str, dict[str, Any] | None]]:
        results: list[tuple[str, dict[str, Any] | None]] = []
        print("  reports: SQLite…", file=sys.stderr, flush=True)
        results.append(("SQLite", _run_worker(None)))
        url = os.environ.get("MATTRAN_BENCH_DATABASE_URL")
        if url:
            print("  reports: PostgreSQL (MATTRAN_BENCH_DATABASE_URL)…", file=sys.stderr, flush=True)
            results.append(("PostgreSQL", _run_worker(url)))
        else:
            with _local_postgres() as local_url:
                if local_url:
                    print("  reports: PostgreSQL (throw-away local cluster)…", file=sys.stderr, flush=True)
                    results.append(("PostgreSQL", _run_worker(local_url)))
                else:
                    results.append(("PostgreSQL", None))
        return results

    return ctx.memo("reports", compute)


def _not_run(metrics: tuple[Metric, ...]) -> Row:
    empty: dict[str, float | None] = {metric.name: None for metric in metrics}
    return Row(case="PostgreSQL", ours=Measurement("not run", empty), baseline=Measurement("not run", empty),
               note="set MATTRAN_BENCH_DATABASE_URL or install postgresql-15")


def run(ctx: Context) -> list[Row]:
    rows = []
    for database, result in _all_results(ctx):
        rows.extend(_rows(database, result) if result else [_not_run(METRICS)])
    return rows


ROLLUP = Benchmark(
    name="rollup",
    title="Report roll-up of one period, whole country (issue 3 target: ≤ 200 ms)",
    metrics=METRICS,
    run=run,
    description="Approved commune reports of every current commune, rolled up into the 34 provinces and the "
                "centre. Lower is better.",
)

PAGE_METRICS = (Metric("median ms", higher_is_better=False, fmt="{:,.1f}"),
                Metric("p95 ms", higher_is_better=False, fmt="{:,.1f}"))


def _page_rows(database: str, result: dict[str, Any]) -> list[Row]:
    pages = result["pages"]
    rows = []
    for key in ("centre", "province"):
        page = pages[key]
        ours, base, parts = page["ours"], page["baseline"], page["parts"]
        case = f"{database}: {page['unit']} ({page['below']:,} units below)"
        verdict = "met" if ours["median"] <= PAGE_TARGET_MS and ours["p95"] <= PAGE_TARGET_MS else "NOT met"
        note = (
            f"mục tiêu ≤ {PAGE_TARGET_MS} ms: {verdict}. One profiled request of {page['profiled_ms']:.0f} ms: "
            f"{page['queries']} queries; {page['rollups']} `rollup_period` calls take {page['rollup_ms']:.0f} ms, "
            f"{page['group_by_ms']:.0f} ms of it in `presummed_leaves` (the GROUP BY over all commune figures); "
            f"the rest of the request {page['profiled_ms'] - page['rollup_ms']:.0f} ms. Selectors alone: status "
            f"{parts['status']:.0f}, totals {parts['totals']:.0f}, ranking {parts['ranking']:.0f}, chart "
            f"{parts['chart']:.0f} ms; {page['bars']} chart bars; same HTML as baseline: "
            f"{'yes' if page['same_html'] else 'NO'}; median/p95 of {pages['runs']} / {pages['baseline_runs']} "
            f"requests after a warm-up"
        )
        rows.append(Row(
            case=case, note=note,
            ours=Measurement("`reports:overview`, superuser, in-process test client",
                             {"median ms": ours["median"], "p95 ms": ours["p95"]}),
            baseline=Measurement("same view, `rollup_period` swapped for the per-unit loop",
                                 {"median ms": base["median"], "p95 ms": base["p95"]}),
        ))
    return rows


def run_pages(ctx: Context) -> list[Row]:
    rows = []
    for database, result in _all_results(ctx):
        rows.extend(_page_rows(database, result) if result else [_not_run(PAGE_METRICS)])
    return rows


OVERVIEW = Benchmark(
    name="overview",
    title="Upper-unit dashboard page, whole country (issue 3 target: ≤ 300 ms server time)",
    metrics=PAGE_METRICS,
    run=run_pages,
    description=f"`/quan-ly/bao-cao/tong-hop/<unit>/?ky=<2026 H1>` on the roll-up data set plus 2025 H2 "
                f"(a report from every {EARLIER_EVERY}th commune, so the chart has two bars): submission status "
                "of the units below, 60 rolled-up totals, a ranking and the chart. Time of `Client.get` only "
                "(middleware, view, template; no network, no server). Lower is better.",
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
        return _naive_totals(period, targets, [ReportStatus.APPROVED])

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
        "pages": _overview_pages(period, template, indicators, communes),
    }


def _naive_totals(period: Any, targets: list[Any], statuses: Any) -> dict[int, dict[str, int]]:
    """The per-unit loop: for each target, every counted figure of its subtree to Python, summed there."""
    from mattran.reports.models import IndicatorValue

    totals: dict[int, dict[str, int]] = {}
    for unit in targets:
        sums: dict[str, int] = {}
        for code, value in IndicatorValue.objects.filter(
            report__period=period, report__status__in=sorted(statuses), report__unit__path__startswith=unit.path
        ).values_list("indicator__code", "value"):
            sums[code] = sums.get(code, 0) + value
        totals[unit.pk] = sums
    return totals


def _naive_rollup(period: Any, *, unit: Any = None, statuses: Any = None, leaves: bool = True,
                  codes: Any = None) -> dict[int, dict[str, int]]:
    """Drop-in for ``aggregates.rollup_period(leaves=False)`` built on the per-unit loop: ``unit`` and every
    unit below it that has units below it, each summing its own subtree (lineage ignored: no merger moves
    figures in the benchmark's periods, and the page check below proves the HTML is the same)."""
    from mattran.organisations.models import AdminUnit
    from mattran.reports.aggregates import COUNT_APPROVED

    if leaves:
        raise NotImplementedError("the overview page only asks for leaves=False")
    scope = AdminUnit.objects.valid_on(period.end)
    if unit is not None:
        scope = scope.filter(path__startswith=unit.path)
    upper = list(scope.filter(children__isnull=False).distinct())
    if unit is not None and all(u.pk != unit.pk for u in upper):
        upper.append(unit)
    totals = _naive_totals(period, upper, statuses or COUNT_APPROVED)
    if codes is not None:
        totals = {pk: {c: v for c, v in sums.items() if c in codes} for pk, sums in totals.items()}
    return {pk: sums for pk, sums in totals.items() if sums}


def _requests(client: Any, url: str, runs: int) -> tuple[list[float], bytes]:
    """One warm-up request, then ``runs`` timed ones; only ``client.get`` is inside the clock."""
    first = client.get(url)
    if first.status_code != 200:
        raise RuntimeError(f"GET {url} answered {first.status_code}")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times, response.content


def _stats(times: list[float]) -> dict[str, float]:
    return {"median": statistics.median(times), "p95": statistics.quantiles(times, n=20, method="inclusive")[-1]}


def _comparable(html: bytes) -> bytes:
    """The page without what differs between two requests (CSRF token, CSP nonce)."""
    html = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", html)
    return re.sub(rb'nonce="[^"]*"', b"", html)


def _profiled_request(client: Any, url: str) -> dict[str, Any]:
    """One more request, instrumented: its queries, and the time spent in the roll-up and in its GROUP BY."""
    from unittest import mock

    from django.db import connection

    from mattran.reports import aggregates

    spent: dict[str, list[float]] = {"rollup": [], "group_by": []}
    queries: list[str] = []

    def timing(key: str, fn: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key].append((time.perf_counter() - start) * 1000)
        return wrapped

    def counting(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    start = time.perf_counter()
    with connection.execute_wrapper(counting), \
            mock.patch.object(aggregates, "rollup_period", timing("rollup", aggregates.rollup_period)), \
            mock.patch.object(aggregates, "presummed_leaves", timing("group_by", aggregates.presummed_leaves)):
        client.get(url)
    return {"profiled_ms": (time.perf_counter() - start) * 1000, "queries": len(queries),
            "rollups": len(spent["rollup"]), "rollup_ms": sum(spent["rollup"]), "group_by_ms": sum(spent["group_by"])}


def _overview_pages(period: Any, template: Any, indicators: list[Any], communes: list[Any]) -> dict[str, Any]:
    """Server time of ``reports:overview`` for the centre and the largest province, against the same view with
    the roll-up swapped for the per-unit loop; plus where the time goes."""
    from collections import Counter
    from unittest import mock

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from mattran.organisations.models import AdminUnit, UnitLevel
    from mattran.reports import aggregates, selectors
    from mattran.reports.calendar import deadline_for
    from mattran.reports.models import IndicatorValue, Period, Report, ReportStatus
    from mattran.reports.services import period_get_or_create

    started = time.monotonic()
    call_command("collectstatic", interactive=False, verbosity=0)  # incremental after the first run
    earlier = period_get_or_create(actor=None, kind=period.kind, year=2025, index=2)
    Report.objects.filter(period=earlier).delete()
    older = list(AdminUnit.objects.filter(level=UnitLevel.COMMUNE).valid_on(earlier.end).order_by("pk"))
    older = older[::EARLIER_EVERY]
    due = deadline_for(earlier, UnitLevel.COMMUNE)
    Report.objects.bulk_create(
        [Report(unit=u, period=earlier, template=template, status=ReportStatus.APPROVED, due_on=due)
         for u in older], batch_size=1000,
    )
    ids = list(Report.objects.filter(period=earlier).values_list("pk", flat=True))
    IndicatorValue.objects.bulk_create(
        (IndicatorValue(report_id=r, indicator=i, value=(r * 104729 + i.pk * 7919) % 1_000_000_000)
         for r in ids for i in indicators),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    User = get_user_model()
    user = User.objects.filter(username="bench-overview").first() or User.objects.create_superuser(
        "bench-overview", "bench-overview@example.invalid", None
    )
    setup_s = time.monotonic() - started

    centre = AdminUnit.objects.filter(level=UnitLevel.CENTRAL).valid_on(period.end).get()
    biggest, _ = Counter(c.parent_id for c in communes).most_common(1)[0]
    province = AdminUnit.objects.get(pk=biggest)
    chart_periods = list(Period.objects.filter(kind=period.kind).order_by("-end")[:6])
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    pages: dict[str, Any] = {"setup_s": setup_s, "runs": PAGE_RUNS, "baseline_runs": PAGE_BASELINE_RUNS,
                             "earlier_reports": len(ids), "chart_periods": len(chart_periods)}
    for key, unit in (("centre", centre), ("province", province)):
        url = reverse("reports:overview", args=[unit.pk]) + f"?ky={period.pk}"
        ours_times, ours_html = _requests(client, url, PAGE_RUNS)
        profiled = _profiled_request(client, url)
        with mock.patch.object(aggregates, "rollup_period", _naive_rollup):
            base_times, base_html = _requests(client, url, PAGE_BASELINE_RUNS)

        def part(fn: Any) -> float:
            return _timed(fn, PROFILE_RUNS)[0]

        parts = {
            "status": part(lambda u=unit: selectors.submission_status(user=user, unit=u, period=period)),
            "totals": part(lambda u=unit: selectors.indicator_totals(user=user, unit=u, period=period)),
            "ranking": part(lambda u=unit: selectors.ranking(user=user, unit=u, period=period,
                                                             indicator=indicators[0])),
            "chart": part(lambda u=unit: selectors.indicator_series(user=user, unit=u, indicator=indicators[0],
                                                                    periods=chart_periods)),
        }
        pages[key] = {
            "unit": unit.name, "below": selectors.units_below(unit, period).count(),
            "ours": _stats(ours_times), "baseline": _stats(base_times),
            "parts": parts, **profiled,
            "same_html": _comparable(ours_html) == _comparable(base_html),
            "bars": ours_html.count(b"<rect "),
        }
    return pages


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    sys.path.insert(0, str(BASE_DIR))
    print(json.dumps(worker()))
