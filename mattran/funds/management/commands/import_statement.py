"""``python manage.py import_statement --account N [--format auto|NAME] [--mapping FILE.json]
[--bank NAME --holder NAME] [--complete-through YYYY-MM-DD] [--progress] FILE...``: import bank statements into
the ledger, all or nothing.

Days are checkpointed once complete (decision 0009): the statement's last day stays open until a later import
brings later rows, unless ``--complete-through`` says the statement holds every row up to that day. With
``--progress`` each phase's progress is printed as it goes (``Ghi sổ 5000/200361``).

Exit 0 with a report (rows read, added, already present, balance breaks and repairs, totals by day, speed);
exit 1 with the reason — and for row errors a table of file, line, column, value and reason — when the import
is refused, in which case nothing was written.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mattran.common import vn
from mattran.funds.importing import ImportRefused, ImportReport, statement_import
from mattran.funds.statements.formats import FORMATS


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _table(headers: list[str], rows: list[list[str]], right: frozenset[int] = frozenset()) -> list[str]:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def fmt(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths,
                                                                                                strict=True)))
    return [fmt(headers), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]


class Command(BaseCommand):
    help = "Nhập sao kê ngân hàng vào sổ quỹ của một tài khoản nhận (toàn bộ hoặc không gì cả)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="tệp sao kê (.csv, có thể nén .gz)")
        parser.add_argument("--account", required=True, help="số tài khoản nhận")
        parser.add_argument("--format", default="auto", choices=["auto", *FORMATS],
                            help="định dạng sao kê (mặc định: tự nhận theo dòng tiêu đề)")
        parser.add_argument("--mapping", help="tệp mapping JSON cho định dạng khác (xem docs/statement-mapping.md)")
        parser.add_argument("--bank", help="tên ngân hàng, để đăng ký tài khoản chưa có")
        parser.add_argument("--holder", help="chủ tài khoản, để đăng ký tài khoản chưa có")
        parser.add_argument("--complete-through", metavar="YYYY-MM-DD",
                            help="sao kê đã đủ mọi dòng đến hết ngày này: chốt cả ngày cuối")
        parser.add_argument("--progress", action="store_true", help="in tiến độ từng giai đoạn")

    def handle(self, *args: Any, **options: Any) -> None:
        complete_through = None
        if options["complete_through"]:
            try:
                complete_through = dt.date.fromisoformat(options["complete_through"])
            except ValueError:
                raise CommandError(f"--complete-through: ngày “{options['complete_through']}” không đúng dạng "
                                   "YYYY-MM-DD.") from None

        def progress(phase: str, done: int, total: int) -> None:
            self.stdout.write(f"{phase} {done}/{total}")
            sys.stdout.flush()

        try:
            report = statement_import(
                actor=None, account_number=options["account"], paths=options["files"], fmt=options["format"],
                mapping=options["mapping"], bank=options["bank"], holder=options["holder"],
                complete_through=complete_through, progress=progress if options["progress"] else None,
            )
        except ImportRefused as exc:
            lines = [exc.message]
            if exc.errors:
                lines += ["", *_table(["Tệp", "Dòng", "Cột", "Giá trị", "Lý do"],
                                      [[e.file, str(e.line), e.column, e.value, e.reason] for e in exc.errors],
                                      right=frozenset({1}))]
            self.stderr.write("\n".join(lines))
            raise SystemExit(1) from None
        self.stdout.write("\n".join(render(report)))


def render(report: ImportReport) -> list[str]:
    account = report.account
    out = [f"Tài khoản {account.bank_name} {account.number} — {account.holder_name}"
           + (" (vừa đăng ký)" if report.account_created else "")]
    out += [f"  Tệp {name}: {n} dòng, định dạng {fmt}" for name, fmt, n in report.files]
    out += [
        f"Số dòng đọc: {report.rows_read}",
        f"Thêm mới: {report.added}",
        f"Đã có sẵn trong sổ quỹ: {report.already_present}",
    ]
    if report.zero_skipped:
        out.append(f"Bỏ qua (số tiền bằng 0): {report.zero_skipped}")
    out.append(f"Chỗ số dư không liên tục: {len(report.breaks)} (đã sửa {len(report.repaired)})")
    for item in report.breaks:
        b = item.brk
        if b.repair is not None:
            what = (f"số tiền đọc được {_money(b.parsed_amount)} bị lỗi, đã sửa thành {_money(b.repair)} "
                    f"theo số dư")
        else:
            gap = _money(b.implied_amount - b.parsed_amount)
            what = (f"số dư in {_money(b.found)}, tính ra {_money(b.expected)} (chênh {gap}); "
                    "có thể thiếu dòng — cần kiểm tra")
        out.append(f"  {item.file} dòng {b.line}: {what}")
    rows = [
        [vn.date_short(day), str(d.credit_count), _money(d.credit_total), str(d.debit_count), _money(d.debit_total),
         str(d.added)]
        for day, d in report.by_day.items()
    ]
    total = [
        "Cộng", str(sum(d.credit_count for d in report.by_day.values())),
        _money(sum(d.credit_total for d in report.by_day.values())),
        str(sum(d.debit_count for d in report.by_day.values())),
        _money(sum(d.debit_total for d in report.by_day.values())), str(report.added),
    ]
    out += ["", *_table(["Ngày", "Số khoản thu", "Tổng thu (đ)", "Số khoản chi", "Tổng chi (đ)", "Thêm mới"],
                        [*rows, total], right=frozenset({1, 2, 3, 4, 5})), ""]
    out.append(f"Điểm chốt ngày mới: {report.checkpoints_created}")
    if report.open_days:
        out.append("Chưa chốt (sao kê có thể chưa đủ dòng của ngày cuối; lần nhập sau hoặc --complete-through sẽ "
                   f"chốt): {', '.join(vn.date_short(d) for d in report.open_days)}")
    out += [f"Cảnh báo: {m}" for m in report.checkpoint_mismatches]
    seconds = f"{report.elapsed:.2f}".replace(".", ",")
    out.append(f"Thời gian: {seconds} giây ({_money(round(report.rows_per_second))} dòng/giây)")
    return out
