from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mattran.demo import scenario


class Command(BaseCommand):
    help = "Nạp kịch bản trình diễn (Ủy ban MTTQ quận Hai Bà Trưng, khóa XV). Chạy lại không thay đổi gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--yes-load-demo-accounts", action="store_true",
            help="Xác nhận nạp dữ liệu và tài khoản trình diễn (mật khẩu công khai trong README).",
        )
        parser.add_argument("--list-accounts", action="store_true", help="Chỉ in danh sách tài khoản trình diễn.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list_accounts"]:
            self._print_accounts()
            return
        if not options["yes_load_demo_accounts"]:
            raise CommandError(
                "Dữ liệu trình diễn có tài khoản với mật khẩu công khai. Nếu thật sự muốn nạp, chạy lại với "
                "--yes-load-demo-accounts (và chỉ bật MATTRAN_DEMO=1 trên máy trình diễn)."
            )
        try:
            result = scenario.load()
        except scenario.ScenarioError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã nạp kịch bản trình diễn: {result['district'].name}, {len(result['wards'])} phường, "
            f"{result['articles']} bài viết, {len(result['drives'])} đợt vận động."
        )

    def _print_accounts(self) -> None:
        self.stdout.write(f"  Tài khoản trình diễn (mật khẩu chung: {scenario.DEMO_PASSWORD}):")
        for account in scenario.ACCOUNTS:
            self.stdout.write(f"    {account.username:<16} {account.description}")
