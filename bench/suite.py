"""The benchmarks `make bench` runs, in order. Add new ones here (see :mod:`bench.registry`)."""

from __future__ import annotations

from bench import funds_import, funds_search, http, reports, transparency
from bench.registry import Benchmark

SUITE: tuple[Benchmark, ...] = (
    http.PAGES_VS_HEALTHZ,
    http.WSGI_SERVERS,
    transparency.TRANSPARENCY,
    reports.ROLLUP,
    reports.OVERVIEW,
    funds_import.IMPORT,
    funds_search.SEARCH,
)
