"""The public disclosure pages under wrk (issue 4: "the public search page under a local load generator:
requests/s and p99"), each next to ``/healthz`` measured on the same server in the same pass.

Data: the benchmark site's own (``load_demo`` brings the Yagi relief drive with a 4,026-row sample of the real
Vietcombank statement). When the site has no published account with entries yet, this imports the small
Vietcombank fixture of the funds tests into a published account behind a public drive, through the real import
service, and says so under the table. The searched name is the most frequent donor name of the data, typed with
its Vietnamese diacritics when the data has them, so the page does the full work: fold, search, count, render.

Run inside the site (``python -m bench.transparency``), the module prepares the data and prints one JSON line
with the URLs to measure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
from typing import Any

from bench import machine, servers, wrk
from bench.registry import BASE_DIR, BenchError, Benchmark, Context, Measurement, Metric, Row

METRICS = (
    Metric("req/s", higher_is_better=True),
    Metric("p99 ms", higher_is_better=False, fmt="{:,.1f}"),
)
HEALTHZ = "/healthz"
FIXTURE = BASE_DIR / "mattran" / "funds" / "tests" / "fixtures" / "vcb_cut.csv"
FIXTURE_NUMBER = "0011001932418"


# --- Inside the benchmark site ----------------------------------------------------------------------------------


def _seed() -> dict[str, Any]:
    import datetime as dt

    from django.db.models import Count

    from mattran.funds.importing import statement_import
    from mattran.funds.models import Drive, DriveAccount, Fund, FundKind, LedgerEntry, ReceivingAccount
    from mattran.organisations.models import AdminUnit

    note = "data of load_demo"
    published = ReceivingAccount.objects.filter(statement_published=True, entries__isnull=False).distinct()
    if not published.exists():
        unit = AdminUnit.objects.order_by("path").first()
        if ReceivingAccount.objects.filter(number=FIXTURE_NUMBER).exists():
            account = ReceivingAccount.objects.get(number=FIXTURE_NUMBER)
            statement_import(actor=None, account_number=FIXTURE_NUMBER, paths=[FIXTURE])
        else:
            statement_import(actor=None, account_number=FIXTURE_NUMBER, paths=[FIXTURE], bank="Vietcombank",
                             holder="MAT TRAN TO QUOC VN - BAN CUU TRO TW")
            account = ReceivingAccount.objects.get(number=FIXTURE_NUMBER)
        ReceivingAccount.objects.filter(pk=account.pk).update(statement_published=True)
        if unit is not None and not Drive.objects.filter(slug="bench-minh-bach").exists():
            fund = Fund.objects.create(name="Quỹ cứu trợ (đo hiệu năng)", kind=FundKind.RELIEF, unit=unit)
            drive = Drive.objects.create(fund=fund, unit=unit, title="Ủng hộ đồng bào bão lũ (đo hiệu năng)",
                                         slug="bench-minh-bach", memo_code="BENCHMB", starts_on=dt.date(2024, 9, 1),
                                         is_public=True)
            DriveAccount.objects.create(drive=drive, account=account)
        note = "no published ledger in the data: the harness imported the 36-row test fixture"
    entries = LedgerEntry.objects.filter(account__statement_published=True)
    name = (entries.exclude(donor_name="").filter(is_anonymous=False).values("donor_name")
            .annotate(n=Count("id")).order_by("-n", "donor_name").values_list("donor_name", flat=True).first())
    shown = Drive.objects.filter(is_public=True).order_by("-starts_on").first()
    return {
        "search_url": "/minh-bach/?" + urllib.parse.urlencode({"q": name or "nguyen"}),
        "index_url": "/minh-bach/",
        "drive_url": f"/minh-bach/dot/{shown.slug}/" if shown else None,
        "note": f"{note}: {entries.count():,} published entries; searched for “{name or 'nguyen'}”",
    }


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(json.dumps(_seed(), ensure_ascii=False))


# --- The harness side ---------------------------------------------------------------------------------------------


def _prepare(ctx: Context) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        env = ctx.site.env
        done = subprocess.run([sys.executable, "-m", "bench.transparency"], cwd=BASE_DIR, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
            raise BenchError(f"`python -m bench.transparency` failed (exit {done.returncode}):\n{tail}")
        seeded: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return seeded

    return ctx.memo("transparency.seed", compute)


def _measure(ctx: Context, base_url: str, path: str) -> wrk.WrkResult:
    options = ctx.options
    load = {"threads": options.threads, "connections": options.connections}
    status, _ = servers.fetch(base_url + path)
    if status != 200:
        raise BenchError(f"GET {path} answered {status}, not 200; refusing to benchmark an error page")
    wrk.run(base_url + path, duration=options.warmup, **load)
    machine.wait_until_quiet(options.quiet_wait)
    result = wrk.run(base_url + path, duration=options.duration, **load)
    print(f"    {path}: {result.requests_per_second:,.0f} req/s, p99 {result.p99_ms:.1f} ms", file=sys.stderr,
          flush=True)
    return result


def _values(result: wrk.WrkResult) -> dict[str, float | None]:
    return {"req/s": result.requests_per_second, "p99 ms": result.p99_ms}


def transparency_pages(ctx: Context) -> list[Row]:
    seeded = _prepare(ctx)
    wrk.find_wrk()
    server = servers.ours()
    pages = [(seeded["search_url"], "`/minh-bach/?q=<name>` public search, first page with its count"),
             (seeded["index_url"], "`/minh-bach/` drives and figures (no search)"),
             (seeded.get("drive_url"), "`/minh-bach/dot/<slug>/` drive page (figures, chart, latest entries)")]
    rows = []
    print(f"  {server.label}", file=sys.stderr, flush=True)
    with servers.running(server, ctx.site.env, BASE_DIR / "var" / "bench" / "transparency.log") as base_url:
        baseline = _measure(ctx, base_url, HEALTHZ)
        for path, label in pages:
            if not path:
                continue
            result = _measure(ctx, base_url, path)
            notes = [f"{result.bytes_per_request / 1024:,.1f} KiB/response"]
            notes += [note for note in (result.error_note, baseline.error_note) if note]
            if path == seeded["search_url"]:
                notes.append(seeded["note"])
            rows.append(Row(case=label, ours=Measurement(server.label, _values(result)),
                            baseline=Measurement("`/healthz`, same server", _values(baseline)),
                            note="; ".join(notes)))
    return rows


TRANSPARENCY = Benchmark(
    name="transparency",
    title="Public disclosure pages (`/minh-bach/`) against `/healthz`, on our server",
    metrics=METRICS,
    run=transparency_pages,
    description="The public ledger search and the disclosure pages under wrk; decision 0011.",
)


if __name__ == "__main__":
    main()
