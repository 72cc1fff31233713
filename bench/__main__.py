"""`make bench` / `python -m bench`: run the benchmarks of :mod:`bench.suite`, print Markdown tables on stdout.

Progress goes to stderr. Exits 1 with a message when a benchmark cannot run (wrk missing, a setup command
failing). Examples::

    make bench
    make bench BENCH_ARGS="--only wsgi --servers all --duration 10"
    make bench BENCH_ARGS="--reuse-db --duration 3"   # quick iteration on an already prepared site
    make bench BENCH_ARGS="--duration 1 --servers gunicorn-sync2 --quiet-wait 0"   # CI smoke run
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time

from bench import report, servers
from bench.registry import BenchError, Context, Options
from bench.suite import SUITE


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, Options]:
    defaults = Options()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NAME", help="run only this benchmark (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and servers, then exit")
    parser.add_argument("--duration", type=float, default=defaults.duration, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=defaults.warmup, help="seconds of discarded load first")
    parser.add_argument("--threads", type=int, default=defaults.threads, help="wrk threads")
    parser.add_argument("--connections", type=int, default=defaults.connections, help="wrk connections")
    parser.add_argument(
        "--servers",
        default=",".join(servers.DEFAULT_SERVERS),
        help=f"comma-separated server keys, or 'all' (known: {', '.join(servers.SERVERS)})",
    )
    parser.add_argument("--reuse-db", action="store_true", help="keep var/bench's database if it exists")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=defaults.quiet_wait,
        help="seconds to wait for other CPU load to pass before each measurement (0: do not wait)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 60 or not 1 <= args.warmup <= 30:
        parser.error("--duration must be 1–60 s and --warmup 1–30 s (wrk counts whole seconds)")
    options = Options(
        duration=args.duration,
        warmup=args.warmup,
        threads=args.threads,
        connections=args.connections,
        servers=tuple(key.strip() for key in args.servers.split(",") if key.strip()),
        fresh=not args.reuse_db,
        quiet_wait=max(0.0, args.quiet_wait),
    )
    return args, options


def main(argv: list[str]) -> int:
    args, options = parse_args(argv)
    if args.list:
        for benchmark in SUITE:
            print(f"{benchmark.name:10} {benchmark.title}")
        print()
        print(f"{servers.OURS:18} {'ours':8} {' '.join(servers.make_run_command())}")
        for key, server in servers.SERVERS.items():
            print(f"{key:18} {'default' if key in servers.DEFAULT_SERVERS else '':8} {server.label}")
        return 0
    chosen = [b for b in SUITE if not args.only or b.name in args.only]
    if not chosen:
        print(f"No benchmark named {', '.join(args.only)}; see --list.", file=sys.stderr)
        return 2

    ctx = Context(options=options)
    sections = []
    try:
        for benchmark in chosen:
            print(f"bench: {benchmark.name}", file=sys.stderr, flush=True)
            sections.append(report.table(benchmark, benchmark.run(ctx)))
    except BenchError as exc:
        print(f"\nbench: {exc}", file=sys.stderr)
        return 1

    footer = f"Whole run {time.monotonic() - ctx.started:.0f} s."
    if "site" in ctx.__dict__:  # prepared by a benchmark that needed it
        footer = f"Data: {'; '.join(ctx.site.data_notes)}. Setup {ctx.site.setup_seconds:.0f} s. {footer}"
    print("\n\n".join([report.machine(options, shutil.which("wrk")), *sections, footer]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
