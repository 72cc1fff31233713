"""Is the machine quiet enough to measure? Figures taken while something else eats the CPUs are not ours.

On a shared development machine (or CI runner) another test run can halve a throughput figure. Before each
measurement the harness samples the CPUs while the server under test is idle; if more than ``QUIET_CPU`` of
them is busy it waits, up to ``QUIET_WAIT`` seconds, and the figure is flagged in the table when it had to
go ahead anyway.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

QUIET_CPU = 0.15  # fraction of all CPUs busy with other work above which the machine counts as busy
QUIET_WAIT = 60.0  # seconds to wait for quiet before measuring anyway
SAMPLE = 0.5  # seconds per CPU sample


def _cpu_times() -> tuple[int, int] | None:
    """(busy, total) jiffies over all CPUs from /proc/stat; None off Linux."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already counted in user
    return total - idle, total


def busy_fraction(sample: float = SAMPLE) -> float:
    """Share of all CPUs busy during ``sample`` seconds (0.0 when it cannot be told)."""
    before = _cpu_times()
    time.sleep(sample)
    after = _cpu_times()
    if before is None or after is None or after[1] == before[1]:
        return 0.0
    return (after[0] - before[0]) / (after[1] - before[1])


def wait_until_quiet(limit: float = QUIET_WAIT) -> float:
    """Wait for the CPUs to be (nearly) idle; returns the last busy share seen."""
    deadline = time.monotonic() + limit
    busy = busy_fraction()
    announced = False
    while busy > QUIET_CPU and time.monotonic() < deadline:
        if not announced:
            print(
                f"    machine busy ({busy:.0%} of the CPUs), waiting up to {limit:.0f} s…", file=sys.stderr, flush=True
            )
            announced = True
        time.sleep(2)
        busy = busy_fraction()
    return busy
