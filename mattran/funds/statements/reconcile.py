"""Running-balance continuity, repairs of garbled amounts, and totals: pure functions over statement rows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from mattran.funds.statements.rows import StatementRow


@dataclass(frozen=True, slots=True)
class BalanceBreak:
    """Row ``line`` does not continue the running balance.

    ``expected`` is the previous balance plus the parsed amount, ``found`` the balance printed on the row;
    ``implied_amount`` is what the amount must have been for the balances to agree. ``repair`` is the amount to
    book instead, proposed only when the break looks like a garbled amount (see :func:`check_balances`); None means
    the cause is unknown (a missing row, a wrong balance) and a person must look.
    """

    line: int
    row_key: str
    expected: int
    found: int
    parsed_amount: int
    implied_amount: int
    repair: int | None


_DIGITS = re.compile(r"[^0-9]")


def _digits_contain(memo: str, amount: int) -> bool:
    """True when the digits of ``amount`` appear in order among the memo's digits (the PDF parser interleaves them)."""
    digits = _DIGITS.sub("", memo)
    it = iter(digits)
    return all(ch in it for ch in str(abs(amount)))


def check_balances(rows: Iterable[StatementRow]) -> list[BalanceBreak]:
    """Every break of running-balance continuity, in file order.

    Rows without a balance carry the running total forward; the first printed balance opens the chain. A break is
    proposed for repair when it is isolated (the next row continues from this row's printed balance, so the
    balance is right and the amount wrong) and the parsed amount is missing (0) or the memo carries the
    balance-implied amount's digits in order — the signature of a PDF parser gluing the amount into the memo.
    """
    items = list(rows)
    breaks: list[BalanceBreak] = []
    running: int | None = None
    for index, row in enumerate(items):
        if running is None:
            running = row.balance
            continue
        expected = running + row.amount
        if row.balance is None:
            running = expected
            continue
        if expected != row.balance:
            implied = row.balance - running
            isolated = True
            if index + 1 < len(items):
                nxt = items[index + 1]
                isolated = nxt.balance is None or nxt.balance == row.balance + nxt.amount
            garbled = isolated and implied != 0 and (row.amount == 0 or _digits_contain(row.memo, implied))
            breaks.append(
                BalanceBreak(
                    line=row.line, row_key=row.row_key, expected=expected, found=row.balance,
                    parsed_amount=row.amount, implied_amount=implied, repair=implied if garbled else None,
                )
            )
        running = row.balance
    return breaks


def apply_repairs(rows: Sequence[StatementRow], breaks: Iterable[BalanceBreak]) -> list[StatementRow]:
    """The rows with each proposed repair applied; the row key stays the one computed from the printed row."""
    repairs = {b.row_key: b.repair for b in breaks if b.repair is not None}
    return [replace(row, amount=repairs[row.row_key]) if row.row_key in repairs else row for row in rows]


@dataclass(frozen=True, slots=True)
class DayTotal:
    credit_count: int = 0
    credit_total: int = 0
    debit_count: int = 0
    debit_total: int = 0  # a positive number of đồng paid out


@dataclass(frozen=True)
class Totals:
    """Counts and sums of a statement; ``by_day`` is ordered by date."""

    rows: int
    credit_count: int
    credit_total: int
    debit_count: int
    debit_total: int
    by_day: dict[date, DayTotal] = field(default_factory=dict)


def totals(rows: Iterable[StatementRow]) -> Totals:
    """Counts and sums overall and per booking day (debits as positive sums; zero-amount rows count in ``rows``)."""
    days: dict[date, list[int]] = {}
    n = 0
    for row in rows:
        n += 1
        day = days.get(row.booked_on)
        if day is None:
            day = days[row.booked_on] = [0, 0, 0, 0]
        if row.amount > 0:
            day[0] += 1
            day[1] += row.amount
        elif row.amount < 0:
            day[2] += 1
            day[3] -= row.amount
    by_day = {d: DayTotal(*days[d]) for d in sorted(days)}
    return Totals(
        rows=n,
        credit_count=sum(d.credit_count for d in by_day.values()),
        credit_total=sum(d.credit_total for d in by_day.values()),
        debit_count=sum(d.debit_count for d in by_day.values()),
        debit_total=sum(d.debit_total for d in by_day.values()),
        by_day=by_day,
    )
