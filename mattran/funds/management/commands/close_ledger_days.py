"""``python manage.py close_ledger_days [--account N --through YYYY-MM-DD]``: checkpoint complete days.

Without arguments it closes every cash book's days older than the grace period (what the background worker
does every day). With ``--account`` and ``--through`` it closes an account's days up to that date — for a bank
account, the statement of that day is then known to be complete (decision 0009)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mattran.common import vn
from mattran.funds.models import ReceivingAccount
from mattran.funds.services import CASH_BOOK_GRACE_DAYS, cash_books_close, ledger_close_days


def _date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Ngày “{text}” không hợp lệ; viết dạng 2024-09-10 hoặc 10/09/2024.")


class Command(BaseCommand):
    help = "Chốt sổ (tạo điểm chốt) các ngày đã đủ bút toán."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", help="số tài khoản; cần cùng --through")
        parser.add_argument("--through", help="chốt đến hết ngày này (2024-09-10 hoặc 10/09/2024)")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["account"]) != bool(options["through"]):
            raise CommandError("Cần cả --account và --through, hoặc không cái nào (chốt các sổ tiền mặt).")
        if not options["account"]:
            closed = cash_books_close()
            self.stdout.write(f"Đã chốt {closed} ngày của các sổ tiền mặt (các ngày cách hôm nay quá "
                              f"{CASH_BOOK_GRACE_DAYS} ngày).")
            return
        through = _date(options["through"])
        matches = list(ReceivingAccount.objects.filter(number=options["account"]))
        if not matches:
            raise CommandError(f"Không có tài khoản nhận số {options['account']}.")
        if len(matches) > 1:
            raise CommandError(f"Số tài khoản {options['account']} có ở nhiều ngân hàng.")
        created = ledger_close_days(actor=None, account=matches[0], through=through)
        self.stdout.write(f"Tài khoản {matches[0]}: đã chốt {len(created)} ngày đến hết {vn.date_short(through)}.")
