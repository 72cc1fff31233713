"""``python manage.py run_worker [--once] [--poll SECONDS]``: the background worker (decision 0012).

Claims queued statement-import jobs one at a time and runs them; several workers may run side by side (on one
machine or, with PostgreSQL and a shared VAR_DIR, on several). Between jobs it sleeps up to ``--poll`` seconds,
woken at once when a job is queued on this machine. The first SIGTERM or Ctrl-C lets the running import finish
and then exits; a second one stops at once (the import's transaction rolls back and the job is queued again).
``--once`` runs what is queued now and exits (for tests and cron-style use).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from mattran.funds.import_jobs import run_pending, wait_for_work
from mattran.funds.services import cash_books_close

logger = logging.getLogger(__name__)

#: Seconds between two closings of the cash books' past days.
CLOSING_INTERVAL = 600.0


class Command(BaseCommand):
    help = "Chạy tiến trình nền: nhận và thực hiện các lượt nhập sao kê đang chờ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="chạy các việc đang chờ rồi thoát")
        parser.add_argument("--poll", type=float, default=5.0, help="số giây giữa hai lần xem hàng đợi (mặc định 5)")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            if stop.is_set():
                raise KeyboardInterrupt
            stop.set()
            self.stderr.write("Tiến trình nền sẽ dừng sau việc đang làm (gửi tín hiệu lần nữa để dừng ngay).")

        previous = {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, on_signal)
        try:
            if options["once"]:
                ran = run_pending(stop=stop)
                self.stdout.write(f"Đã chạy {ran} việc.")
                return
            self.stdout.write("Tiến trình nền đã chạy; đang chờ việc.")
            next_closing = 0.0
            while not stop.is_set():
                close_old_connections()
                try:
                    if time.monotonic() >= next_closing:
                        # Cash books close their days on their own (decision 0009); cheap when nothing is open.
                        closed = cash_books_close()
                        next_closing = time.monotonic() + CLOSING_INTERVAL
                        if closed:
                            self.stdout.write(f"Đã chốt {closed} ngày của các sổ tiền mặt.")
                    ran = run_pending(stop=stop)
                except DatabaseError as exc:
                    # The database is away (restart, network): keep the worker alive and look again later.
                    logger.exception("run_worker: database error")
                    self.stderr.write(f"Lỗi cơ sở dữ liệu, sẽ thử lại: {exc}")
                    ran = 0
                if ran:
                    self.stdout.write(f"Đã chạy {ran} việc.")
                close_old_connections()
                wait_for_work(options["poll"], stop)
        except KeyboardInterrupt:
            # Second signal: a running import was rolled back and its job queued again (import_job_run).
            self.stderr.write("Tiến trình nền đã dừng ngay.")
            return
        finally:
            for signum, handler in previous.items():  # as it was (call_command from tests, --once)
                signal.signal(signum, handler)
        self.stderr.write("Tiến trình nền đã dừng.")
