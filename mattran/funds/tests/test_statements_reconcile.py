"""Running-balance reconciliation over a cut of the real Agribank statement, with its garbled rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mattran.funds.statements.formats import read_statement
from mattran.funds.statements.reconcile import BalanceBreak, DayTotal, apply_repairs, check_balances, totals
from mattran.funds.statements.rows import RowKeys, StatementRow

AGRIBANK_CUT = Path(__file__).parent / "fixtures" / "agribank_cut.csv"

# The cut holds the first 20 rows, then 5 windows of 7 rows around each garbled row of the full file.
GARBLED = {26: 100_000, 33: 100_000, 40: 200_000, 47: 1_000_000, 54: 300_000}
WINDOW_STARTS = [22, 30, 37, 44, 51]


def _row(line: int, amount: int, balance: int | None, memo: str = "x") -> StatementRow:
    return StatementRow(line, date(2024, 9, 10), amount, memo, balance, str(line), f"k{line}")


def test_every_garbled_row_is_found_and_repaired_from_the_balance():
    rows = read_statement(AGRIBANK_CUT).rows
    breaks = check_balances(rows)
    repaired = {b.line: b.repair for b in breaks if b.repair is not None}
    assert repaired == GARBLED
    # The seams between windows are rows missing from the cut: reported, with no repair proposed.
    assert sorted(b.line for b in breaks if b.repair is None) == WINDOW_STARTS
    first = next(b for b in breaks if b.line == 26)
    assert (first.expected, first.found, first.parsed_amount) == (5_581_333_215, 5_581_433_215, 0)


def test_repairs_make_the_chain_continuous_within_each_window():
    rows = read_statement(AGRIBANK_CUT).rows
    fixed = apply_repairs(rows, check_balances(rows))
    assert sorted(b.line for b in check_balances(fixed)) == WINDOW_STARTS
    assert [r.row_key for r in fixed] == [r.row_key for r in rows]
    assert sum(r.amount for r in fixed) - sum(r.amount for r in rows) == sum(GARBLED.values())


def test_rows_without_a_balance_carry_the_running_total():
    rows = [_row(2, 100, 1_100), _row(3, 50, None), _row(4, 25, 1_175), _row(5, 10, 1_190)]
    assert check_balances(rows) == [
        BalanceBreak(line=5, row_key="k5", expected=1_185, found=1_190, parsed_amount=10, implied_amount=15,
                     repair=None)
    ]


def test_a_missing_row_is_not_mistaken_for_a_garbled_amount():
    # 500 booked between lines 2 and 3 is missing: the break is isolated but the amount is not garbled.
    rows = [_row(2, 100, 1_100), _row(3, 70, 1_670), _row(4, 30, 1_700)]
    (only,) = check_balances(rows)
    assert (only.implied_amount, only.repair) == (570, None)


def test_an_amount_glued_into_the_memo_is_repaired():
    rows = [_row(2, 100, 1_100), _row(3, 0, 501_100, "C5T00,000 tu 0201"), _row(4, 30, 501_130)]
    (only,) = check_balances(rows)
    assert only.repair == 500_000


def test_totals_by_day_and_counts():
    keys = RowKeys()
    rows = [
        StatementRow(2, date(2024, 9, 2), 500, "a", None, "r", keys.key(date(2024, 9, 2), "r", 500, "a")),
        StatementRow(3, date(2024, 9, 1), 100, "b", None, "r", keys.key(date(2024, 9, 1), "r", 100, "b")),
        StatementRow(4, date(2024, 9, 1), -40, "c", None, "r", keys.key(date(2024, 9, 1), "r", -40, "c")),
        StatementRow(5, date(2024, 9, 1), 0, "d", None, "r", keys.key(date(2024, 9, 1), "r", 0, "d")),
    ]
    result = totals(rows)
    assert (result.rows, result.credit_count, result.credit_total, result.debit_count, result.debit_total) == (
        4, 2, 600, 1, 40,
    )
    assert list(result.by_day) == [date(2024, 9, 1), date(2024, 9, 2)]
    assert result.by_day[date(2024, 9, 1)] == DayTotal(credit_count=1, credit_total=100, debit_count=1, debit_total=40)
