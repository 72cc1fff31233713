"""The site under test: its own SQLite database under ``var/bench/``, real data, collected static files.

Every process of the benchmark (management commands, the servers) gets :attr:`Site.env`: the default,
production-like configuration (DEBUG off, manifest static storage, no demo log-ins), with ``MATTRAN_*`` and
``DATABASE_URL`` from the caller's shell removed so that a developer's settings cannot skew the figures.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field

from bench.registry import BASE_DIR, BenchError

BENCH_DIR = BASE_DIR / "var" / "bench"
STEP_TIMEOUT = 900  # seconds; loading every administrative unit of the country is the slow step


@dataclass(frozen=True)
class Site:
    env: dict[str, str]
    article_url: str | None
    #: Where the data came from, printed under the table ("load_admin_units, load_demo", or what was missing).
    data_notes: list[str] = field(default_factory=list)
    setup_seconds: float = 0.0


def site_env() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MATTRAN_", "GRANIAN_", "GUNICORN_")) and key not in {"DATABASE_URL", "WEB_CONCURRENCY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        MATTRAN_VAR_DIR=str(BENCH_DIR),
        MATTRAN_STATIC_ROOT=str(BENCH_DIR / "staticfiles"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    command = [sys.executable, *args]
    try:
        done = subprocess.run(
            command,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"`{' '.join(args)}` took more than {STEP_TIMEOUT} s") from exc
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise BenchError(f"`{' '.join(args)}` failed (exit {done.returncode}):\n{tail}")
    return done.stdout


def _manage(env: dict[str, str], *args: str) -> str:
    return _run(["manage.py", *args], env)


def available_commands(env: dict[str, str]) -> set[str]:
    return {line.strip() for line in _manage(env, "help", "--commands").splitlines() if line.strip()}


def _step(label: str) -> float:
    print(f"  setup: {label}…", file=sys.stderr, flush=True)
    return time.monotonic()


def prepare_site(*, fresh: bool = True) -> Site:
    started = time.monotonic()
    env = site_env()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database = BENCH_DIR / "mattran.sqlite3"
    reuse = database.exists() and not fresh
    if not reuse:
        for path in BENCH_DIR.glob("mattran.sqlite3*"):
            path.unlink()
        shutil.rmtree(BENCH_DIR / "media", ignore_errors=True)

    notes: list[str] = []
    commands = available_commands(env)
    _step("migrate")
    _manage(env, "migrate", "--noinput", "--verbosity", "0")
    if reuse:
        notes.append(f"reused {database.relative_to(BASE_DIR)} (--reuse-db)")
    elif "load_admin_units" in commands:
        t = _step("load_admin_units")
        _manage(env, "load_admin_units")
        notes.append(f"load_admin_units ({time.monotonic() - t:.0f} s)")
        if "load_demo" in commands:
            t = _step("load_demo")
            _manage(env, "load_demo", "--yes-load-demo-accounts")
            notes.append(f"load_demo ({time.monotonic() - t:.0f} s)")
        else:
            notes.append("load_demo: command not available yet")
    else:
        notes.append("load_admin_units: command not available yet, so no load_demo either")
    _step("collectstatic")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    _step("find a public article")
    seeded = json.loads(_run(["-m", "bench.seed"], env).strip().splitlines()[-1])
    notes.append(seeded["note"])
    return Site(
        env=env,
        article_url=seeded.get("article_url"),
        data_notes=notes,
        setup_seconds=time.monotonic() - started,
    )
