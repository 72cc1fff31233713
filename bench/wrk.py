"""Driving wrk (Debian package ``wrk``) and reading its ``--latency`` report."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

from bench.registry import BenchError

INSTALL_HINT = "wrk is not installed: run `sudo apt-get install wrk` (Debian/Ubuntu package `wrk`), then `make bench`."
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_SIZE = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    bytes_per_request: float
    errors: int  # socket errors (connect, read, write, timeout) plus non-2xx/3xx responses

    @property
    def error_note(self) -> str:
        return f"{self.errors:,} of {self.requests:,} requests failed" if self.errors else ""


def _apt(*args: str) -> int:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(["apt-get", *args], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=False)
    return done.returncode


def find_wrk() -> str:
    """The wrk binary; installed with apt when missing and we are root (CI), otherwise a clear error."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("  wrk is missing; installing the Debian package…", file=sys.stderr, flush=True)
        if _apt("install", "-y", "-qq", "--no-install-recommends", "wrk") != 0:
            _apt("update", "-qq")
            _apt("install", "-y", "-qq", "--no-install-recommends", "wrk")
        found = shutil.which("wrk")
        if found:
            return found
    raise BenchError(INSTALL_HINT)


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNIT_MS[unit]


def parse(output: str) -> WrkResult:
    """Parse wrk 4's report (run with ``--latency``); raises :class:`BenchError` on anything else."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB|TB) read", output, re.MULTILINE)
    if not (rps and p50 and p99 and total):
        raise BenchError(f"unexpected wrk output:\n{output}")
    requests = int(total.group(1))
    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    read_bytes = float(total.group(2)) * _SIZE[total.group(3)]
    return WrkResult(
        requests_per_second=float(rps.group(1)),
        p50_ms=_ms(*p50.groups()),
        p99_ms=_ms(*p99.groups()),
        requests=requests,
        bytes_per_request=read_bytes / requests if requests else 0.0,
        errors=errors,
    )


def run(url: str, *, duration: float, threads: int, connections: int) -> WrkResult:
    """One bounded wrk run against a loopback URL."""
    if not url.startswith(("http://127.0.0.1:", "http://[::1]:", "http://localhost:")):
        raise BenchError(f"refusing to load a non-loopback address: {url}")
    seconds = max(1, round(duration))
    command = [
        find_wrk(), "--threads", str(threads), "--connections", str(connections), "--duration", f"{seconds}s",
        "--timeout", "5s", "--latency", url,
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"wrk did not finish: {' '.join(command)}") from exc
    if done.returncode != 0:
        raise BenchError(f"wrk failed (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    return parse(done.stdout)
