"""The WSGI servers compared, and starting / stopping one on a free loopback port.

*Ours* is the command of `make run`, read from the Makefile (docs/decisions/0002-wsgi-server.md); the others
are the alternatives it is measured against.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bench.registry import BASE_DIR, BenchError

HOST = "127.0.0.1"
APP = "config.wsgi:application"
BIN = Path(sys.executable).parent
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0


@dataclass(frozen=True)
class Server:
    key: str  # for --servers
    label: str  # for the table
    argv: Callable[[int], list[str]]  # the command line, given the port

    def same_command_as(self, other: Server) -> bool:
        """Same program and the same flags (in any order): measuring both would measure one thing twice."""

        def normal(argv: list[str]) -> tuple[str, list[str]]:
            return Path(argv[0]).name, sorted(argv[1:])

        return normal(self.argv(0)) == normal(other.argv(0))


def granian(*extra: str) -> Callable[[int], list[str]]:
    def argv(port: int) -> list[str]:
        return [
            str(BIN / "granian"), "--interface", "wsgi", "--host", HOST, "--port", str(port),
            "--no-ws", "--log-level", "warning", *extra, APP,
        ]  # fmt: skip

    return argv


def gunicorn(*extra: str) -> Callable[[int], list[str]]:
    def argv(port: int) -> list[str]:
        return [str(BIN / "gunicorn"), "--bind", f"{HOST}:{port}", "--log-level", "warning", *extra, APP]

    return argv


@cache
def make_run_command() -> tuple[str, ...]:
    """The server command of `make run` (its ``serve`` target) as `make -n` prints it, port left as ``@PORT@``.

    Read from the Makefile rather than copied here, so that "ours" is always what `make run` serves. Leading
    environment assignments (``MATTRAN_DEMO=1``) are dropped: the benchmark measures the production setup; other
    commands on the same shell line (the background worker, its ``trap``) are not part of it.
    """
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "serve", f"HOST={HOST}", f"PORT={PORT_PLACEHOLDER}"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.replace("\\\n", " ").splitlines():
        if APP not in line:
            continue
        # The recipe may run other commands on the same shell line (`make run` starts the background worker
        # first and traps its exit): keep the one simple command that serves the application.
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        command: list[str] = []
        for token in [*lexer, ";"]:
            if token and set(token) <= set(";&|"):
                if APP in command:
                    words = command
                    while words and re.fullmatch(r"[A-Za-z_]\w*=.*", words[0]):
                        words.pop(0)
                    return tuple(words)
                command = []
            else:
                command.append(token)
    raise BenchError(f"no `{APP}` command in `make -n serve`:\n{done.stdout}{done.stderr}")


def _make_run_argv(port: int) -> list[str]:
    return [word.replace(PORT_PLACEHOLDER, str(port)) for word in make_run_command()]


def _make_run_label() -> str:
    words = list(make_run_command())
    program = Path(words[0]).name

    def flag(name: str) -> str | None:
        return words[words.index(name) + 1] if name in words[:-1] else None

    details = [f"{flag('--workers')} workers" if flag("--workers") else ""]
    if flag("--blocking-threads"):
        details.append(f"{flag('--blocking-threads')} blocking threads")
    return f"{program}, {' × '.join(d for d in details if d) or 'defaults'} (make run)"


PORT_PLACEHOLDER = "@PORT@"
OURS = "make-run"
SERVERS: dict[str, Server] = {
    server.key: server
    for server in (
        Server("granian-default", "granian, 2 workers, default threads", granian("--workers", "2")),
        Server("granian-bt1", "granian, 2 workers × 1 blocking thread",
               granian("--workers", "2", "--blocking-threads", "1")),
        Server("granian-bt2", "granian, 2 workers × 2 blocking threads",
               granian("--workers", "2", "--blocking-threads", "2")),
        Server("granian-bt4", "granian, 2 workers × 4 blocking threads",
               granian("--workers", "2", "--blocking-threads", "4")),
        Server("granian-bt8", "granian, 2 workers × 8 blocking threads",
               granian("--workers", "2", "--blocking-threads", "8")),
        Server("gunicorn-sync2", "gunicorn sync, 2 workers", gunicorn("--workers", "2", "--worker-class", "sync")),
        Server("gunicorn-sync4", "gunicorn sync, 4 workers", gunicorn("--workers", "4", "--worker-class", "sync")),
        Server("gunicorn-gthread", "gunicorn gthread, 2 workers × 4 threads",
               gunicorn("--workers", "2", "--worker-class", "gthread", "--threads", "4")),
    )
}  # fmt: skip
#: Compared by default, next to ours; an alternative with exactly our command line is skipped. Pick others
#: with --servers (`make bench BENCH_ARGS="--servers all"` runs the whole blocking-thread sweep).
DEFAULT_SERVERS = ("granian-default", "granian-bt2", "gunicorn-sync2", "gunicorn-sync4", "gunicorn-gthread")


def ours() -> Server:
    return Server(OURS, _make_run_label(), _make_run_argv)


def get(key: str) -> Server:
    return ours() if key == OURS else SERVERS[key]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def fetch(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    """GET without following redirects: a redirected page is not the page we meant to measure."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's own process group (master and workers), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)


@contextmanager
def running(server: Server, env: dict[str, str], log_path: Path) -> Iterator[str]:
    """Serve the site with ``server`` on a free loopback port; yields the base URL once /healthz answers."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            server.argv(port),
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that stopping it reaches every worker
        )
        try:
            base_url = f"http://{HOST}:{port}"
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                if process.poll() is not None:
                    raise BenchError(f"{server.label} exited at start (code {process.returncode}); see {log_path}")
                try:
                    if fetch(f"{base_url}/healthz", timeout=2)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise BenchError(f"{server.label} did not answer /healthz within {START_TIMEOUT:.0f} s")
                time.sleep(0.2)
            yield base_url
        finally:
            _stop(process)
