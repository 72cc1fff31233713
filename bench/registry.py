"""What a benchmark is, what it returns, and the list `make bench` runs.

A benchmark is a function ``(ctx) -> list[Row]``. Every row puts *our* figure next to a *baseline* figure
measured in the same run on the same machine (the page against ``/healthz``, our WSGI server against the
alternative, later our roll-up against a plain SQL ``GROUP BY``…), so a number is never read on its own.
To add one: write the function in a module of this package, wrap it in :class:`Benchmark`, and add it to
``SUITE`` in :mod:`bench.suite`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent


class BenchError(RuntimeError):
    """A benchmark cannot run (missing tool, failing setup command); the message says what to do."""


@dataclass(frozen=True)
class Metric:
    name: str  # column heading, e.g. "req/s"
    higher_is_better: bool
    fmt: str = "{:,.0f}"

    def format(self, value: float | None) -> str:
        return "—" if value is None else self.fmt.format(value)


@dataclass(frozen=True)
class Measurement:
    """One side of a row: what was measured (``label``) and its value for each metric of the benchmark."""

    label: str
    values: dict[str, float | None]


@dataclass(frozen=True)
class Row:
    case: str
    ours: Measurement
    baseline: Measurement
    note: str = ""


@dataclass(frozen=True)
class Options:
    duration: float = 8.0  # seconds of load per wrk measurement
    warmup: float = 1.0  # seconds of load before each measurement, discarded
    threads: int = 2  # wrk threads
    connections: int = 32  # wrk connections (concurrent clients)
    servers: tuple[str, ...] = ()  # server keys to compare; empty means the default set
    quiet_wait: float = 60.0  # seconds to wait for other CPU load to pass before each measurement
    fresh: bool = True  # rebuild the benchmark database


@dataclass
class Context:
    """Shared by the benchmarks of one run: options, the prepared site, and measurements several reuse."""

    options: Options
    started: float = field(default_factory=time.monotonic)
    _memo: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def site(self) -> Any:
        from bench.site import prepare_site

        return prepare_site(fresh=self.options.fresh)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """Compute once per run; e.g. the server × page matrix both HTTP benchmarks read."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


@dataclass(frozen=True)
class Benchmark:
    name: str  # for --only
    title: str  # table heading
    metrics: tuple[Metric, ...]  # the first one is the headline, compared in the ratio column
    run: Callable[[Context], list[Row]]
    description: str = ""
