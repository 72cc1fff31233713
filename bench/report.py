"""Markdown output: what machine and load the figures come from, then one table per benchmark."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from bench.registry import Benchmark, Options, Row


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024**2:.0f} GiB"
    except OSError:
        pass
    return "? GiB"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _wrk_version(wrk: str | None) -> str:
    if not wrk:
        return "wrk"
    done = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    first = (done.stdout or done.stderr).splitlines()[:1]
    return first[0].split(" [")[0] if first else "wrk"


def machine(options: Options, wrk: str | None) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"Machine: {_cpu_model()}, {os.cpu_count()} cores, {_memory_gib()} RAM, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, Django {_version('Django')}, "
        f"granian {_version('granian')}, gunicorn {_version('gunicorn')}; {when}.  \n"
        f"Load: `{_wrk_version(wrk)} -t{options.threads} -c{options.connections} -d{options.duration:.0f}s "
        f"--latency` after a {options.warmup:.0f} s warm-up, client and server on the same machine (loopback)."
    )


def _ratio(benchmark: Benchmark, row: Row) -> str:
    headline = benchmark.metrics[0].name
    ours, theirs = row.ours.values.get(headline), row.baseline.values.get(headline)
    if ours is None or not theirs:
        return "—"
    return f"{ours / theirs:.2f}×"


def table(benchmark: Benchmark, rows: list[Row]) -> str:
    names = [metric.name for metric in benchmark.metrics]
    header = ["Case", "Ours", *names, "Baseline", *names, f"ours ÷ baseline ({names[0]})", "Note"]
    lines = [
        f"### {benchmark.title}",
        "",
        *([benchmark.description, ""] if benchmark.description else []),
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---", "---", *["---:"] * len(names), "---", *["---:"] * len(names), "---:", "---"]) + "|",
    ]
    for row in rows:
        cells = [
            row.case,
            row.ours.label,
            *(metric.format(row.ours.values.get(metric.name)) for metric in benchmark.metrics),
            row.baseline.label,
            *(metric.format(row.baseline.values.get(metric.name)) for metric in benchmark.metrics),
            _ratio(benchmark, row),
            row.note,
        ]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)
