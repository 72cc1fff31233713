"""``python manage.py verify_ledger [--account N]``: exit 0 when every entry and checkpoint recomputes,
otherwise print the first bad entry (or checkpoint) and exit 1."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mattran.funds.models import ReceivingAccount
from mattran.funds.services import verify_ledger


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm và các điểm chốt ngày của sổ quỹ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", help="số tài khoản (mặc định: mọi tài khoản)")

    def handle(self, *args: Any, **options: Any) -> None:
        account = None
        if options["account"]:
            matches = list(ReceivingAccount.objects.filter(number=options["account"]))
            if not matches:
                raise CommandError(f"Không có tài khoản nhận số {options['account']}.")
            if len(matches) > 1:
                raise CommandError(f"Số tài khoản {options['account']} có ở nhiều ngân hàng; hãy kiểm tra toàn bộ.")
            account = matches[0]
        result = verify_ledger(account)
        if result.ok:
            self.stdout.write(result.message)
            return
        self.stderr.write(result.message)
        raise SystemExit(1)
