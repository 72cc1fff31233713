"""``python manage.py sync_search_replica [--rebuild]``: bring this machine's search replica up to date.

PostgreSQL deployments search the ledger through an FTS5 replica kept on each app server's disk (decision 0018).
Searches and imports keep it up to date by themselves; run this at deploy time on a new app server (so that its
first search does not build it), or with ``--rebuild`` to copy the whole ledger again. On SQLite the index is a
table of the database itself and there is nothing to do."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from mattran.funds import search_replica


class Command(BaseCommand):
    help = "Cập nhật bản sao chỉ mục tìm kiếm sổ quỹ trên máy này (chỉ khi dùng PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="chép lại toàn bộ sổ quỹ vào bản sao")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("CSDL SQLite giữ chỉ mục tìm kiếm ngay trong tệp CSDL; không cần bản sao.")
            return
        started = time.monotonic()
        db = search_replica.synced(rebuild=options["rebuild"])
        (entries,) = db.execute("SELECT count(*) FROM funds_ledgerentry").fetchone()
        self.stdout.write(self.style.SUCCESS(
            f"Bản sao chỉ mục tìm kiếm {search_replica.replica_path()} có {format(entries, ',').replace(',', '.')} "
            f"bút toán (cập nhật trong {time.monotonic() - started:.1f} giây)."))
