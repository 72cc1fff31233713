"""``manage.py load_admin_units``: load the committed administrative-unit file; a second run changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mattran.organisations import admin_data


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Nạp đơn vị hành chính (34 tỉnh, 3.321 xã, Hà Nội trước 2025) và quan hệ kế thừa từ tệp dữ liệu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=admin_data.DATA_FILE, help="Tệp dữ liệu cần nạp.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            dataset = admin_data.read_dataset(options["file"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"Không đọc được {options['file']}: {exc}") from exc
        result = admin_data.admin_units_load(dataset=dataset)
        seconds = f"{result.seconds:.1f}".replace(".", ",")
        if not result.changed:
            self.stdout.write(
                f"Đơn vị hành chính đã khớp với tệp dữ liệu ({_count(result.units_total)} đơn vị, "
                f"{_count(result.successions_total)} quan hệ kế thừa), không có gì thay đổi ({seconds} giây)."
            )
            return
        unchanged = result.units_total - result.units_created - result.units_updated
        self.stdout.write(
            f"Đã nạp đơn vị hành chính: thêm {_count(result.units_created)}, cập nhật {_count(result.units_updated)}, "
            f"giữ nguyên {_count(unchanged)}; quan hệ kế thừa: thêm {_count(result.successions_created)}, "
            f"cập nhật {_count(result.successions_updated)} ({seconds} giây)."
        )
