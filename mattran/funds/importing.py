"""Importing bank statements into the ledger: parse every file, reconcile, append, checkpoint.

:func:`statement_import` is all or nothing. Every file is parsed before anything is written; a single row error
in any file refuses the whole import with a row-level report (:class:`ImportRefused`). The rows are then
reconciled against the running balance where the statement prints one (every break is reported, the repairs the
reconcile module proposes are applied), converted to :class:`~mattran.funds.services.LedgerRow` with the row key
as ``source_ref`` (so a re-import or an overlapping statement adds only rows not yet in the ledger), appended and
checkpointed inside one transaction: a process killed mid-import leaves the ledger as it was, and the next run
completes it. A day is checkpointed only once it is complete (a later statement day is in the ledger, or the
caller says so with ``complete_through``); rows for a day already checkpointed refuse the import. Decision 0009.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from mattran.audit.services import record
from mattran.common.vn import fold
from mattran.funds.models import DayCheckpoint, EntrySource, ReceivingAccount
from mattran.funds.services import AppendResult, LedgerError, LedgerRow, checkpoint_day, ledger_append
from mattran.funds.statements.bank_exports import statement_breaks
from mattran.funds.statements.donors import extract_donor
from mattran.funds.statements.formats import mapping_for, read_statement
from mattran.funds.statements.mapping import Mapping, MappingError, mapping_from_json
from mattran.funds.statements.reconcile import BalanceBreak, apply_repairs
from mattran.funds.statements.rows import StatementRow
from mattran.funds.vietqr import BANK_BINS

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``: a Vietnamese phase label (:data:`PHASES`), and how far it is."""

PHASE_READ = "Đọc tệp"
PHASE_RECONCILE = "Đối chiếu số dư"
PHASE_WRITE = "Ghi sổ"
PHASE_CHECKPOINT = "Chốt ngày"
PHASES = (PHASE_READ, PHASE_RECONCILE, PHASE_WRITE, PHASE_CHECKPOINT)


class ImportRefused(ValueError):
    """The import was refused as a whole; nothing was written. ``errors`` lists row-level problems, if any."""

    def __init__(self, message: str, errors: Sequence[FileRowError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types: ``{"message": …, "errors": [{"file", "line", "column", "value", "reason"}, …]}``."""
        return {"message": self.message, "errors": [e.as_dict() for e in self.errors]}


@dataclass(frozen=True)
class FileRowError:
    file: str
    line: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "value": self.value,
                "reason": self.reason}


@dataclass(frozen=True)
class FileBreak:
    file: str
    brk: BalanceBreak

    @property
    def repaired(self) -> bool:
        return self.brk.repair is not None

    def as_dict(self) -> dict[str, Any]:
        b = self.brk
        return {"file": self.file, "line": b.line, "row_key": b.row_key, "expected": b.expected, "found": b.found,
                "parsed_amount": b.parsed_amount, "implied_amount": b.implied_amount, "repair": b.repair,
                "repaired": b.repair is not None}


@dataclass
class DayReport:
    credit_count: int = 0
    credit_total: int = 0
    debit_count: int = 0
    debit_total: int = 0  # positive đồng paid out
    added: int = 0


@dataclass
class ImportReport:
    account: ReceivingAccount
    account_created: bool
    files: list[tuple[str, str, int]] = field(default_factory=list)  # (file, format, rows)
    rows_read: int = 0
    added: int = 0
    already_present: int = 0
    zero_skipped: int = 0
    breaks: list[FileBreak] = field(default_factory=list)
    by_day: dict[dt.date, DayReport] = field(default_factory=dict)
    checkpoints_created: int = 0
    checkpoint_mismatches: list[str] = field(default_factory=list)
    open_days: list[dt.date] = field(default_factory=list)  # days with new rows left without a checkpoint
    elapsed: float = 0.0

    @property
    def repaired(self) -> list[FileBreak]:
        return [b for b in self.breaks if b.repaired]

    @property
    def unrepaired(self) -> list[FileBreak]:
        return [b for b in self.breaks if not b.repaired]

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.elapsed if self.elapsed > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The report in plain JSON types (dates as ISO text), e.g. for a background job's stored result."""
        account = self.account
        return {
            "account": {"id": account.pk, "bank_name": account.bank_name, "bank_bin": account.bank_bin,
                        "number": account.number, "holder_name": account.holder_name,
                        "chain_id": account.chain_id, "created": self.account_created},
            "files": [{"file": name, "format": fmt, "rows": n} for name, fmt, n in self.files],
            "rows_read": self.rows_read, "added": self.added, "already_present": self.already_present,
            "zero_skipped": self.zero_skipped,
            "breaks": [b.as_dict() for b in self.breaks],
            "breaks_repaired": len(self.repaired), "breaks_unrepaired": len(self.unrepaired),
            "by_day": [{"day": day.isoformat(), "credit_count": d.credit_count, "credit_total": d.credit_total,
                        "debit_count": d.debit_count, "debit_total": d.debit_total, "added": d.added}
                       for day, d in self.by_day.items()],
            "checkpoints": {"created": self.checkpoints_created, "mismatches": list(self.checkpoint_mismatches),
                            "open_days": [d.isoformat() for d in self.open_days]},
            "elapsed": round(self.elapsed, 3), "rows_per_second": round(self.rows_per_second, 1),
        }


def _norm(text: str) -> str:
    return " ".join(fold(text).split())


def same_holder(registered: str, given: str) -> bool:
    """Whether ``given`` names the holder of a registered account (case, diacritics and spacing ignored)."""
    return _norm(registered) == _norm(given)


def bank_bin(bank: str) -> tuple[str, str]:
    """``(bank name as in the BIN table, BIN)`` for a bank name (case and diacritics ignored) or a 6-digit BIN."""
    wanted = _norm(bank)
    for name, code in BANK_BINS.items():
        if _norm(name) == wanted or code == bank.strip():
            return name, code
    known = ", ".join(f"{n} ({c})" for n, c in BANK_BINS.items())
    raise ImportRefused(f"Không biết mã BIN của ngân hàng “{bank}”. Các ngân hàng đã biết: {known}.")


@dataclass(frozen=True)
class _AccountPlan:
    account: ReceivingAccount | None
    number: str
    bank_name: str = ""
    bin: str = ""
    holder: str = ""


def _plan_account(number: str, bank: str | None, holder: str | None) -> _AccountPlan:
    number = number.strip()
    if not number.isdigit() or len(number) > 19:
        raise ImportRefused(f"Số tài khoản “{number}” không hợp lệ (chỉ gồm chữ số, tối đa 19).")
    if (bank is None) != (holder is None) or (bank is not None and not bank.strip()) or (
            holder is not None and not holder.strip()):
        raise ImportRefused("Cần cả --bank và --holder (tên ngân hàng và chủ tài khoản), hoặc không cái nào.")
    known = list(ReceivingAccount.objects.filter(number=number))
    if bank is None or holder is None:
        if not known:
            raise ImportRefused(
                f"Chưa có tài khoản nhận số {number}. Để đăng ký tài khoản mới, thêm --bank <tên ngân hàng> "
                f"--holder <chủ tài khoản>.")
        if len(known) > 1:
            raise ImportRefused(f"Số tài khoản {number} có ở nhiều ngân hàng; hãy chỉ rõ bằng --bank và --holder.")
        return _AccountPlan(known[0], number)
    name, code = bank_bin(bank)
    holder = " ".join(holder.split())
    same_bank = [a for a in known if a.bank_bin == code]
    if known and not same_bank:
        banks = ", ".join(f"{a.bank_name} ({a.bank_bin})" for a in known)
        raise ImportRefused(f"Tài khoản số {number} đã đăng ký ở ngân hàng {banks}, không phải {name} ({code}).")
    if same_bank:
        account = same_bank[0]
        if not same_holder(account.holder_name, holder):
            raise ImportRefused(f"Tài khoản {account.bank_name} {number} đã đăng ký với chủ tài khoản "
                                f"“{account.holder_name}”, khác với “{holder}”.")
        return _AccountPlan(account, number)
    return _AccountPlan(None, number, name, code, holder)


_ACCOUNT_IN_NAME = re.compile(r"(?<![0-9])[0-9]{9,19}(?![0-9])")


def _check_file_account(path: Path, number: str) -> None:
    """Refuse a file whose name carries another account number (``vcb_0011001932418_….csv.gz``)."""
    found = _ACCOUNT_IN_NAME.findall(path.name)
    if found and number not in found:
        raise ImportRefused(f"Tệp {path.name} là sao kê của tài khoản {', '.join(found)}, không phải {number}.")


def _load_mapping(mapping: Mapping | str | Path | None) -> Mapping | None:
    if mapping is None or isinstance(mapping, Mapping):
        return mapping
    try:
        return mapping_from_json(Path(mapping).read_bytes())
    except OSError as exc:
        raise ImportRefused(f"Không đọc được tệp mapping {mapping}: {exc.strerror}.") from exc
    except MappingError as exc:
        raise ImportRefused(f"Tệp mapping {mapping}: {exc}") from exc


def _to_ledger_rows(rows: Sequence[StatementRow]) -> tuple[list[LedgerRow], int]:
    out: list[LedgerRow] = []
    zero = 0
    statement = EntrySource.STATEMENT.value
    for row in rows:
        if row.amount == 0:
            zero += 1
            continue
        donor = extract_donor(row.memo) or ""
        out.append(LedgerRow(booked_on=row.booked_on, amount=row.amount, memo_raw=row.memo,
                             donor_name=donor[:200], source=statement, source_ref=row.row_key))
    return out, zero


def _closed_days(account: ReceivingAccount, complete_through: dt.date | None) -> list[dt.date]:
    """Days of the account's ledger that are complete and have no checkpoint yet (decision 0009).

    A statement export may end in the middle of its last day (an export taken at noon), and a later export
    brings that day's afternoon; a checkpoint never changes, so a day is closed only when it is known to be
    complete: a statement row of a later day is in the ledger (statements list rows in date order), or the
    person importing says the statement is complete through that day (``complete_through``)."""
    latest = (account.entries.filter(source=EntrySource.STATEMENT).order_by("-booked_on")
              .values_list("booked_on", flat=True).first())
    if latest is None:
        return []
    bound = max(latest, complete_through + dt.timedelta(days=1)) if complete_through else latest
    with_entries = set(account.entries.filter(booked_on__lt=bound).order_by()
                       .values_list("booked_on", flat=True).distinct())
    closed = set(DayCheckpoint.objects.filter(account=account, day__in=sorted(with_entries))
                 .values_list("day", flat=True))
    return sorted(with_entries - closed)


def _checkpoint_closed_days(account: ReceivingAccount, appended: AppendResult, report: ImportReport,
                            complete_through: dt.date | None, progress: Progress | None) -> None:
    days = _closed_days(account, complete_through)
    first = appended.first_sequence
    # A day whose every entry was written by this append is checkpointed from memory; a day that had entries
    # before (a day left open by an earlier import) is read back.
    older = set(account.entries.filter(booked_on__in=days, sequence__lt=first).order_by()
                .values_list("booked_on", flat=True).distinct()) if first is not None and days else set(days)
    for done, day in enumerate(days):
        if progress is not None:
            progress(PHASE_CHECKPOINT, done, len(days))
        checkpoint = checkpoint_day(account=account, day=day,
                                    entries=None if day in older else appended.new_by_day.get(day))
        report.checkpoints_created += checkpoint.created
        if checkpoint.mismatch:
            report.checkpoint_mismatches.append(checkpoint.mismatch)
    if progress is not None:
        progress(PHASE_CHECKPOINT, len(days), len(days))
    report.open_days = sorted(d for d in appended.new_by_day if d not in days and not
                              DayCheckpoint.objects.filter(account=account, day=d).exists())


def statement_import(
    *, actor: Any, account_number: str, paths: Sequence[str | Path], fmt: str = "auto",
    mapping: Mapping | str | Path | None = None, bank: str | None = None, holder: str | None = None,
    progress: Progress | None = None, complete_through: dt.date | None = None,
) -> ImportReport:
    """Import the statement files into the ledger of ``account_number``; see the module docstring.

    ``progress(phase, done, total)``, when given, is called as the import goes: per file while reading and
    reconciling, every :data:`~mattran.funds.services.BATCH_SIZE` rows while writing, per day while
    checkpointing (phases in :data:`PHASES`). It runs inside the import; it must not touch the database.

    Days are checkpointed once complete: every day before the latest statement day in the ledger, and every
    day up to ``complete_through`` when given (see :func:`_closed_days`). The statement's last day stays open
    until a later import brings later rows. Rows for a day already checkpointed refuse the import.

    Raises :class:`ImportRefused` (nothing written) for an unknown account without ``bank``/``holder``, bank or
    holder contradicting a known account, an unknown layout, an unreadable file, or any row error.
    """
    started = time.perf_counter()
    if not paths:
        raise ImportRefused("Chưa chọn tệp sao kê nào.")
    plan = _plan_account(account_number, bank, holder)
    chosen = _load_mapping(mapping)

    statement_rows: list[StatementRow] = []
    files: list[tuple[str, str, int]] = []
    errors: list[FileRowError] = []
    breaks: list[FileBreak] = []
    if progress is not None:
        progress(PHASE_READ, 0, len(paths))
    for done, raw_path in enumerate(paths, start=1):
        path = Path(raw_path)
        _check_file_account(path, plan.number)
        try:
            layout = mapping_for(path, fmt, chosen)
            result = read_statement(path, mapping=layout, account_number=plan.number)
        except MappingError as exc:
            raise ImportRefused(f"Tệp {path.name}: {exc}.") from exc
        except OSError as exc:
            raise ImportRefused(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from exc
        if progress is not None:
            progress(PHASE_READ, done, len(paths))
        if not result.ok:
            errors.extend(FileRowError(path.name, e.line, e.column, e.value, e.reason_vi) for e in result.errors)
            continue
        file_breaks = statement_breaks(result)
        breaks.extend(FileBreak(path.name, b) for b in file_breaks)
        rows = apply_repairs(result.rows, file_breaks) if any(b.repair is not None for b in file_breaks) \
            else result.rows
        statement_rows.extend(rows)
        files.append((path.name, layout.name or "mapping", len(rows)))
        if progress is not None:
            progress(PHASE_RECONCILE, done, len(paths))
    if errors:
        raise ImportRefused(f"Không nhập: {len(errors)} dòng lỗi; sổ quỹ không thay đổi.", errors)

    ledger_rows, zero = _to_ledger_rows(statement_rows)
    by_day: dict[dt.date, DayReport] = {}
    for row in statement_rows:
        day = by_day.get(row.booked_on)
        if day is None:
            day = by_day[row.booked_on] = DayReport()
        if row.amount > 0:
            day.credit_count += 1
            day.credit_total += row.amount
        elif row.amount < 0:
            day.debit_count += 1
            day.debit_total -= row.amount

    with transaction.atomic():
        created = plan.account is None
        if plan.account is None:
            account = ReceivingAccount.objects.create(
                bank_name=plan.bank_name, bank_bin=plan.bin, number=plan.number, holder_name=plan.holder)
            record(actor=actor, action="funds.account_register", target=account, changes={
                "bank_name": account.bank_name, "bank_bin": account.bank_bin, "number": account.number,
                "holder_name": account.holder_name,
            })
        else:
            account = plan.account
        try:
            appended = ledger_append(
                actor=actor, account=account, rows=ledger_rows,
                progress=None if progress is None else (lambda done, total: progress(PHASE_WRITE, done, total)))
        except LedgerError as exc:
            raise ImportRefused(f"Không nhập: {exc} Sổ quỹ không thay đổi.") from exc
        for booked_on, new_entries in appended.new_by_day.items():
            by_day.setdefault(booked_on, DayReport()).added = len(new_entries)
        report = ImportReport(
            account=account, account_created=created, files=files, rows_read=len(statement_rows),
            added=appended.added, already_present=appended.already_present, zero_skipped=zero, breaks=breaks,
            by_day=dict(sorted(by_day.items())),
        )
        _checkpoint_closed_days(account, appended, report, complete_through, progress)
    report.elapsed = time.perf_counter() - started
    return report

