"""HTTP throughput of the public portal under wrk, on each WSGI server, in one pass.

Every server in the comparison serves the same prepared site; for each server the pages are loaded in turn
(a short warm-up, discarded, then the measurement). Both benchmarks below read the one server × page matrix.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from bench import machine, servers, wrk
from bench.registry import BASE_DIR, BenchError, Benchmark, Context, Measurement, Metric, Row

METRICS = (
    Metric("req/s", higher_is_better=True),
    Metric("p99 ms", higher_is_better=False, fmt="{:,.1f}"),
)
HEALTHZ = "/healthz"
HOME = "/"


@dataclass(frozen=True)
class Page:
    path: str | None  # None when the site has no such page yet (the article, before the news portal lands)
    label: str


def _pages(ctx: Context) -> list[Page]:
    return [
        Page(HEALTHZ, "`/healthz` (baseline: one SELECT 1)"),
        Page(HOME, "`/` home page"),
        Page(ctx.site.article_url, "`/tin-tuc/<slug>/` article"),
    ]


def _server_keys(ctx: Context) -> list[str]:
    """Ours first, then the chosen alternatives, minus any that would run exactly our command line."""

    def compute() -> list[str]:
        keys = list(ctx.options.servers or servers.DEFAULT_SERVERS)
        if keys == ["all"]:
            keys = list(servers.SERVERS)
        unknown = [key for key in keys if key != servers.OURS and key not in servers.SERVERS]
        if unknown:
            raise BenchError(f"unknown server(s) {', '.join(unknown)}; known: {', '.join(servers.SERVERS)}")
        ours = servers.ours()
        return [servers.OURS, *(k for k in keys if k != servers.OURS and not servers.SERVERS[k].same_command_as(ours))]

    return ctx.memo("http.servers", compute)


def _check_page(base_url: str, path: str) -> None:
    status, _ = servers.fetch(base_url + path)
    if status != 200:
        raise BenchError(f"GET {path} answered {status}, not 200; refusing to benchmark an error page")


@dataclass(frozen=True)
class Sample:
    result: wrk.WrkResult
    background_cpu: float  # share of the CPUs busy with other work just before the measurement

    @property
    def notes(self) -> list[str]:
        notes = [self.result.error_note] if self.result.errors else []
        if self.background_cpu > machine.QUIET_CPU:
            notes.append(f"machine busy before ({self.background_cpu:.0%} CPU)")
        return notes


Matrix = dict[tuple[str, str], Sample]  # (server key, path) → sample


def _measure_all(ctx: Context) -> Matrix:
    options = ctx.options
    load = {"threads": options.threads, "connections": options.connections}
    wrk.find_wrk()
    matrix: Matrix = {}
    paths = [page.path for page in _pages(ctx) if page.path]
    for key in _server_keys(ctx):
        server = servers.get(key)
        print(f"  {server.label}", file=sys.stderr, flush=True)
        with servers.running(server, ctx.site.env, BASE_DIR / "var" / "bench" / f"{key}.log") as base_url:
            for path in paths:
                _check_page(base_url, path)
                wrk.run(base_url + path, duration=options.warmup, **load)
                background = machine.wait_until_quiet(options.quiet_wait)
                sample = Sample(wrk.run(base_url + path, duration=options.duration, **load), background)
                matrix[(key, path)] = sample
                result = sample.result
                print(
                    f"    {path}: {result.requests_per_second:,.0f} req/s, p99 {result.p99_ms:.1f} ms",
                    *sample.notes,
                    sep="; ",
                    file=sys.stderr,
                    flush=True,
                )
    return matrix


def _matrix(ctx: Context) -> Matrix:
    return ctx.memo("http.matrix", lambda: _measure_all(ctx))


def _measurement(label: str, sample: Sample | None) -> Measurement:
    if sample is None:
        return Measurement(label, {"req/s": None, "p99 ms": None})
    return Measurement(label, {"req/s": sample.result.requests_per_second, "p99 ms": sample.result.p99_ms})


def _note(ours: Sample | None, baseline: Sample | None, *, size: bool = False) -> str:
    notes = []
    if ours is not None and size:
        notes.append(f"{ours.result.bytes_per_request / 1024:,.1f} KiB/response")
    for side, sample in (("ours", ours), ("baseline", baseline)):
        notes.extend(f"{side}: {note}" for note in (sample.notes if sample else []))
    return "; ".join(notes)


def pages_vs_healthz(ctx: Context) -> list[Row]:
    matrix = _matrix(ctx)
    ours = servers.ours()
    baseline = matrix.get((servers.OURS, HEALTHZ))
    rows = []
    for page in _pages(ctx)[1:]:
        sample = matrix.get((servers.OURS, page.path)) if page.path else None
        rows.append(
            Row(
                case=page.label,
                ours=_measurement(ours.label, sample),
                baseline=_measurement("`/healthz`, same server", baseline),
                note=_note(sample, baseline, size=True) if page.path else ctx.site.data_notes[-1],
            )
        )
    return rows


def wsgi_servers(ctx: Context) -> list[Row]:
    matrix = _matrix(ctx)
    ours = servers.ours()
    rows = []
    for page in _pages(ctx):
        if not page.path:
            continue
        for key in _server_keys(ctx):
            if key == servers.OURS:
                continue
            mine, theirs = matrix.get((servers.OURS, page.path)), matrix.get((key, page.path))
            rows.append(
                Row(
                    case=page.label,
                    ours=_measurement(ours.label, mine),
                    baseline=_measurement(servers.get(key).label, theirs),
                    note=_note(mine, theirs),
                )
            )
    return rows


PAGES_VS_HEALTHZ = Benchmark(
    name="pages",
    title="Public pages against `/healthz`, on our server",
    metrics=METRICS,
    run=pages_vs_healthz,
    description="What rendering a page costs over the cheapest request that still touches the database.",
)
WSGI_SERVERS = Benchmark(
    name="wsgi",
    title="Our WSGI server against the alternatives, same pages",
    metrics=METRICS,
    run=wsgi_servers,
    description="See docs/decisions/0002-wsgi-server.md.",
)
