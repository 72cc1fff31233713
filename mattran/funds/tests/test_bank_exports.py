"""The built-in bank export layouts: detection, bilingual headers, metadata, balances, continuation rows, errors.

Every export here is generated at test time (XLSX with xlsxwriter, CSV with the csv module) from a small table of
rows shaped like the banks' own exports (see docs/decisions/0015-bank-export-formats.md).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from mattran.funds.statements.bank_exports import (
    AccountMismatch,
    BankParseResult,
    amount_from_cell,
    date_from_cell,
    read_bank_export,
    statement_breaks,
)
from mattran.funds.statements.formats import mapping_for, read_statement
from mattran.funds.statements.mapping import MappingError, ValueProblem, mapping_from_json


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], sheet: str = "Sao ke",
               extra_sheets: Sequence[str] = ()) -> Path:
    """An .xlsx file with ``rows`` from A1: text, numbers, and dates stored as real Excel dates."""
    workbook = xlsxwriter.Workbook(str(path))
    for name in extra_sheets:
        workbook.add_worksheet(name).write(0, 0, "Trang khác")
    sheet_ = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, datetime | date):
                sheet_.write_datetime(r, c, value if isinstance(value, datetime) else datetime(*value.timetuple()[:3]),
                                      date_format)
            elif isinstance(value, int | float):
                sheet_.write_number(r, c, value)
            else:
                sheet_.write_string(r, c, value)
    workbook.close()
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], delimiter: str = ",") -> Path:
    """A CSV (UTF-8 with BOM, as Excel writes it) with the same rows; dates written dd/mm/yyyy."""
    with open(path, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        for row in rows:
            writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, date) else ("" if v is None else v) for v in row])
    return path


@dataclass(frozen=True)
class Export:
    layout: str
    account: str
    rows: list[list[Any]]
    expected: list[tuple[date, int, str, str]]  # (booked on, signed amount, memo, ref)
    opening: int
    closing: int
    delimiter: str = ","


D1, D2 = date(2024, 9, 1), date(2024, 9, 2)


def vietcombank() -> Export:
    return Export(
        "vietcombank_export", "0011001932418",
        [
            ["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM", None, None, None, None],
            ["SAO KÊ TÀI KHOẢN", None, None, None, None],
            ["STATEMENT OF ACCOUNT", None, None, None, None],
            ["Số tài khoản / Account number: 0011001932418", None, None, None, None],
            ["Tên tài khoản / Account name: MAT TRAN TO QUOC VN 2024", None, None, None, None],
            ["Từ ngày / From: 01/09/2024   Đến ngày / To: 02/09/2024", None, None, None, None],
            ["Số dư đầu kỳ / Opening balance:", None, "10,000,000", None, None],
            ["Ngày giao dịch\nTransaction date", "Số tham chiếu\nReference", "Số tiền ghi nợ\nDebit",
             "Số tiền ghi có\nCredit", "Mô tả\nDescription"],
            ["01/09/2024", "5078.51136", None, "1,000,000", "MBVCB.6997056113.NGUYEN VAN A chuyen tien"],
            [None, None, None, None, "ung ho dong bao bi thiet hai do bao"],
            [None, None, None, None, "TONG CONG TY ABC cung ung ho"],
            ["01/09/2024", "5216.20838", 50000, None, "Phi quan ly tai khoan"],
            ["02/09/2024", "5390.69958", None, 500000.0, "TRAN THI B ung ho"],
            ["Tổng / Total", None, "50,000", "1,500,000", None],
            ["Số dư cuối kỳ / Closing balance:", None, "11,450,000", None, None],
            ["Người lập biểu / Prepared by", None, None, None, None],
        ],
        [
            (D1, 1_000_000, "MBVCB.6997056113.NGUYEN VAN A chuyen tien ung ho dong bao bi thiet hai do bao "
                            "TONG CONG TY ABC cung ung ho", "5078.51136"),
            (D1, -50_000, "Phi quan ly tai khoan", "5216.20838"),
            (D2, 500_000, "TRAN THI B ung ho", "5390.69958"),
        ],
        10_000_000, 11_450_000,
    )


def vietinbank() -> Export:
    return Export(
        "vietinbank_export", "111602391111",
        [
            ["NGÂN HÀNG TMCP CÔNG THƯƠNG VIỆT NAM (VIETINBANK)"],
            ["LỊCH SỬ GIAO DỊCH - TRANSACTION HISTORY"],
            ["Số tài khoản/Account No: 111602391111", None, "Loại tiền/Currency: VND"],
            ["Số dư đầu kỳ / Opening balance: 5,000,000"],
            ["STT / No.", "Ngày giao dịch / Transaction date", "Mô tả giao dịch / Transaction description",
             "Nợ / Debit", "Có / Credit", "Số dư TK / Account balance", "Số giao dịch / Transaction number"],
            [1, "01/09/2024 08:15:02", "CT DEN:0123 LE VAN C ung ho", None, "200,000", "5,200,000", "FT2401"],
            [2, None, "CT DEN:0124 PHAM D ung ho", None, "300,000", "5,500,000", "FT2402"],
            [None, None, "mien Bac", None, None, None, None],
            [3, "02/09/2024 17:40:59", "Phi SMS", "11,000", None, "5,489,000", "FT2403"],
            ["Tổng cộng / Total", None, None, "11,000", "500,000", None, None],
            ["Số dư cuối kỳ / Closing balance: 5,489,000"],
        ],
        [
            (D1, 200_000, "CT DEN:0123 LE VAN C ung ho", "FT2401"),
            (D1, 300_000, "CT DEN:0124 PHAM D ung ho mien Bac", "FT2402"),
            (D2, -11_000, "Phi SMS", "FT2403"),
        ],
        5_000_000, 5_489_000,
    )


def bidv() -> Export:
    return Export(
        "bidv_export", "12010000123456",
        [
            ["NGÂN HÀNG TMCP ĐẦU TƯ VÀ PHÁT TRIỂN VIỆT NAM"],
            ["BÁO CÁO CHI TIẾT SỐ DƯ TÀI KHOẢN"],
            ["Số tài khoản cũ / Old account: 9876543210"],
            ["Số tài khoản:", None, "12010000123456"],
            ["Dư đầu kỳ:", None, None, None, 0],
            ["STT", "Ngày hiệu lực", "Ghi nợ", "Ghi có", "Số dư", "Mô tả"],
            ["No.", "Effective date", "Debit", "Credit", "Balance", "Description"],
            [1, D1, None, 2_000_000, 2_000_000, "UBND PHUONG X ung ho quy"],
            [None, None, None, None, None, "vi nguoi ngheo"],
            [2, D2, 15_000, None, 1_985_000, "Phi dich vu"],
            ["Cộng phát sinh / Total", None, 15_000, 2_000_000, None, None],
            ["Dư cuối kỳ:", None, None, None, 1_985_000],
        ],
        [
            (D1, 2_000_000, "UBND PHUONG X ung ho quy vi nguoi ngheo", ""),
            (D2, -15_000, "Phi dich vu", ""),
        ],
        0, 1_985_000,
    )


def agribank() -> Export:
    return Export(
        "agribank_export", "1500201113838",
        [
            ["NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN VIỆT NAM", None, None, None, None, None],
            ["SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT", None, None, None, None, None],
            ["Số tài khoản / Account number", "1500201113838", None, None, None, None],
            ["Ngày GD / Date", "Số tham chiếu / Reference number", "Diễn giải / Transaction details",
             "Số tiền ghi nợ / Debit amount", "Số tiền ghi có / Credit amount", "Số dư / Balance"],
            [None, None, "Số dư đầu kỳ / Opening balance", None, None, "1.000.000,00"],
            ["09/09/2024", "1.45", "TAP THE LAI DO KDL TRANG AN UNG HO", None, "300.000.000,00", "301.000.000,00"],
            ["09/09/2024", "1.46", "NGUYEN THI E", None, "500.000,00", "301.500.000,00"],
            [None, None, "ung ho dong bao", None, None, None],
            ["10/09/2024", "1.47", "Phi chuyen tien", "1.100,00", None, "301.498.900,00"],
            [None, None, "Tổng cộng / Total", "1.100,00", "300.500.000,00", None],
            [None, None, "Số dư cuối kỳ / Closing balance", None, None, "301.498.900,00"],
        ],
        [
            (date(2024, 9, 9), 300_000_000, "TAP THE LAI DO KDL TRANG AN UNG HO", "1.45"),
            (date(2024, 9, 9), 500_000, "NGUYEN THI E ung ho dong bao", "1.46"),
            (date(2024, 9, 10), -1_100, "Phi chuyen tien", "1.47"),
        ],
        1_000_000, 301_498_900, delimiter=";",
    )


def mbbank() -> Export:
    return Export(
        "mbbank_export", "0123456789012",
        [
            ["NGÂN HÀNG TMCP QUÂN ĐỘI"],
            ["SAO KÊ CHI TIẾT TÀI KHOẢN / ACCOUNT STATEMENT"],
            ["Tài khoản/Account No: 0123456789012 - VND"],
            ["STT\nNo", "Ngày hạch toán\nPosting date", "Ngày giao dịch\nTransaction date",
             "Số bút toán\nTransaction no", "Phát sinh nợ\nDebit", "Phát sinh có\nCredit", "Số dư\nBalance",
             "Nội dung\nDescription"],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
            [None, None, None, None, None, None, "800,000", "Số dư đầu kỳ/Opening balance"],
            [1, "02/09/2024", "01/09/2024 23:59:01", "FT24245", None, "100,000", "900,000", "HOANG F ung ho"],
            [2, "02/09/2024", "02/09/2024 09:00:00", "FT24246", "1,000", None, "899,000", "Phi"],
            [None, None, None, None, "1,000", "100,000", None, "Tổng cộng/Total"],
            [None, None, None, None, None, None, "899,000", "Số dư cuối kỳ/Closing balance"],
        ],
        [
            (D1, 100_000, "HOANG F ung ho", "FT24245"),
            (D2, -1_000, "Phi", "FT24246"),
        ],
        800_000, 899_000,
    )


def other_bank() -> Export:
    return Export(
        "bank_export", "",
        [
            ["NGÂN HÀNG TMCP XYZ"],
            ["Ngày / Date", "Số tiền / Amount", "Nội dung / Description"],
            ["01/09/2024", "+250,000", "NGUYEN G ung ho"],
            ["02/09/2024", "(20,000)", "Phi"],
        ],
        [(D1, 250_000, "NGUYEN G ung ho", ""), (D2, -20_000, "Phi", "")],
        0, 0,
    )


BANKS = {"vietcombank": vietcombank, "vietinbank": vietinbank, "bidv": bidv, "agribank": agribank, "mbbank": mbbank}


def _write(tmp_path: Path, export: Export, kind: str, name: str = "sao-ke") -> Path:
    if kind == "xlsx":
        return write_xlsx(tmp_path / f"{name}.xlsx", export.rows)
    return write_csv(tmp_path / f"{name}.csv", export.rows, export.delimiter)


def _summary(result: Any) -> list[tuple[date, int, str, str]]:
    return [(r.booked_on, r.amount, r.memo, r.bank_ref) for r in result.rows]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize("bank", sorted(BANKS))
def test_each_bank_export_is_detected_read_and_reconciled(tmp_path: Path, bank: str, kind: str) -> None:
    export = BANKS[bank]()
    path = _write(tmp_path, export, kind)
    assert mapping_for(path).name == export.layout
    result = read_statement(path, account_number=export.account)
    assert result.errors == []
    assert _summary(result) == export.expected
    assert isinstance(result, BankParseResult)
    assert (result.account_number, result.opening, result.closing) == (export.account, export.opening, export.closing)
    assert statement_breaks(result) == []


def test_rows_keep_their_spreadsheet_row_numbers_and_keys_are_stable(tmp_path: Path) -> None:
    path = _write(tmp_path, vietcombank(), "xlsx")
    first, again = read_statement(path), read_statement(path)
    assert [r.line for r in first.rows] == [9, 12, 13]
    assert [r.row_key for r in first.rows] == [r.row_key for r in again.rows]


def test_a_bank_without_a_layout_of_its_own_is_read_by_its_labels(tmp_path: Path) -> None:
    export = other_bank()
    path = _write(tmp_path, export, "csv")
    assert mapping_for(path).name == "bank_export"
    assert _summary(read_statement(path)) == export.expected


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_export_of_another_account_is_refused_as_a_whole(tmp_path: Path, kind: str) -> None:
    path = _write(tmp_path, vietcombank(), kind)
    with pytest.raises(AccountMismatch, match="tài khoản 0011001932418, không phải tài khoản 0011009999999"):
        read_statement(path, account_number="0011009999999")
    with pytest.raises(MappingError, match="không nhập tệp này"):
        read_bank_export(path, account_number="0011009999999")


def test_the_old_account_line_is_not_the_account(tmp_path: Path) -> None:
    path = _write(tmp_path, bidv(), "xlsx")
    assert read_bank_export(path).account_number == "12010000123456"
    with pytest.raises(AccountMismatch):
        read_bank_export(path, account_number="9876543210")


def test_bad_dates_and_amounts_are_row_level_errors_and_nothing_is_read(tmp_path: Path) -> None:
    rows = vietcombank().rows
    rows[8] = ["31/02/2024", "1", None, "1,000", "a"]
    rows[11] = ["01/09/2024", "2", "abc", None, "b"]
    rows[12] = ["02/09/2024", "3", None, "1,000.50", "c"]
    rows.insert(13, [None, "4", None, "70,000", "no date"])
    rows.insert(14, ["2024/09/03", "5", None, "1", "d"])
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    result = read_statement(path)
    assert result.rows == []
    assert [(e.line, e.column, e.value, e.reason_vi) for e in result.errors] == [
        (9, "Ngày giao dịch / Transaction date", "31/02/2024", "Ngày không tồn tại"),
        (12, "Số tiền ghi nợ / Debit", "abc", "Số tiền không đúng định dạng"),
        (13, "Số tiền ghi có / Credit", "1,000.50", "Số tiền có phần lẻ dưới 1 đồng"),
        (14, "Ngày giao dịch / Transaction date", "", "Thiếu ngày giao dịch"),
        (15, "Ngày giao dịch / Transaction date", "2024/09/03", "Ngày không đúng định dạng dd/mm/yyyy"),
    ]


def test_a_fraction_of_a_dong_in_a_number_cell_is_refused(tmp_path: Path) -> None:
    rows = bidv().rows
    rows[7][3] = 2_000_000.5
    result = read_statement(write_xlsx(tmp_path / "frac.xlsx", rows))
    assert [(e.line, e.column, e.value, e.reason_vi) for e in result.errors] == [
        (8, "Ghi có / Credit", "2000000.5", "Số tiền có phần lẻ dưới 1 đồng"),
    ]


def test_breaks_against_the_opening_and_closing_lines_are_reported(tmp_path: Path) -> None:
    rows = vietcombank().rows
    rows[14] = ["Số dư cuối kỳ / Closing balance:", None, "11,500,000", None, None]
    result = read_statement(write_xlsx(tmp_path / "vcb.xlsx", rows))
    (brk,) = statement_breaks(result)
    assert (brk.line, brk.expected, brk.found, brk.implied_amount, brk.repair) == (
        15, 11_450_000, 11_500_000, 50_000, None)


def test_a_missing_row_shows_against_the_total_and_closing_lines(tmp_path: Path) -> None:
    rows = vietcombank().rows
    del rows[12]  # the 500,000 credit of 02/09
    result = read_statement(write_xlsx(tmp_path / "vcb.xlsx", rows))
    assert [(b.line, b.expected, b.found, b.implied_amount) for b in statement_breaks(result)] == [
        (13, 1_000_000, 1_500_000, 500_000),  # "Tổng / Total": credits
        (14, 10_950_000, 11_450_000, 500_000),  # closing balance
    ]


def test_a_running_balance_that_does_not_follow_the_opening_line_is_a_break(tmp_path: Path) -> None:
    rows = bidv().rows
    rows[4] = ["Dư đầu kỳ:", None, None, None, 100_000]
    result = read_statement(write_xlsx(tmp_path / "bidv.xlsx", rows))
    breaks = statement_breaks(result)
    assert [(b.line, b.expected, b.found) for b in breaks] == [(8, 2_100_000, 2_000_000)]


def test_vietcombank_without_a_date_on_an_amount_row_is_an_error_but_vietinbank_prints_the_date_once(
        tmp_path: Path) -> None:
    rows = vietcombank().rows
    rows[11][0] = None
    result = read_statement(write_xlsx(tmp_path / "vcb.xlsx", rows))
    assert [(e.line, e.reason_vi) for e in result.errors] == [(12, "Thiếu ngày giao dịch")]
    vtb = read_statement(_write(tmp_path, vietinbank(), "xlsx"))
    assert vtb.rows[1].booked_on == D1


def test_a_header_below_the_first_thirty_rows_is_not_found(tmp_path: Path) -> None:
    export = vietcombank()
    rows = [["Ghi chú"]] * 30 + export.rows
    path = write_xlsx(tmp_path / "late.xlsx", rows)
    with pytest.raises(MappingError, match="Không nhận ra định dạng"):
        mapping_for(path)
    with pytest.raises(MappingError, match="30 dòng đầu"):
        read_statement(path, fmt="vietcombank_export")


def test_a_named_layout_reads_another_banks_file_by_labels(tmp_path: Path) -> None:
    export = mbbank()
    result = read_statement(_write(tmp_path, export, "xlsx"), fmt="vietcombank_export")
    assert result.errors == [] and len(result.rows) == 2


def test_html_saved_as_xls_and_broken_files_get_a_clear_message(tmp_path: Path) -> None:
    html = tmp_path / "lich-su-giao-dich.xls"
    html.write_text("<html><body><table><tr><td>Ngày</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(MappingError, match="trang HTML mang đuôi Excel"):
        read_statement(html)
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(MappingError, match=r"Không đọc được tệp bảng tính hong\.xlsx"):
        read_statement(broken)


def test_a_json_mapping_reads_a_sheet_of_a_spreadsheet_and_finds_its_header(tmp_path: Path) -> None:
    rows = [
        ["Công ty ABC — sổ phụ ngân hàng"],
        ["In lúc 10:00"],
        ["Ngày", "Diễn giải", "Thu", "Chi"],
        [datetime(2024, 9, 1), "NGUYEN H ung ho", 150000, None],
        [datetime(2024, 9, 2), "Phi", None, 2000],
    ]
    path = write_xlsx(tmp_path / "so-phu.xlsx", rows, sheet="Giao dịch", extra_sheets=["Tổng hợp"])
    mapping = mapping_from_json(json.dumps({
        "sheet": "Giao dịch", "find_header": True, "date_format": "%d/%m/%Y",
        "columns": {"date": "Ngày", "memo": "Diễn giải", "credit": "Thu", "debit": "Chi"},
    }))
    result = read_statement(path, mapping=mapping)
    assert _summary(result) == [(D1, 150_000, "NGUYEN H ung ho", ""), (D2, -2_000, "Phi", "")]
    assert [r.line for r in result.rows] == [4, 5]
    by_index = mapping_from_json(json.dumps({
        "sheet": 1, "skip_rows": 2, "columns": {"date": 0, "memo": 1, "credit": 2, "debit": 3}, "header_rows": 1,
    }))
    assert _summary(read_statement(path, mapping=by_index)) == _summary(result)
    missing = mapping_from_json(json.dumps({"sheet": "Không có", "columns": {"date": 0, "memo": 1, "amount": 2}}))
    with pytest.raises(MappingError, match=r"Không có trang tính “Không có”.*Tổng hợp, Giao dịch"):
        read_statement(path, mapping=missing)


def test_find_header_works_for_csv_and_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "so-phu.csv"
    path.write_text("Sổ phụ\nTừ 01/09/2024\nNgày;Nội dung;Số tiền\n01/09/2024;ung ho;1.000\n", encoding="utf-8")
    mapping = mapping_from_json(json.dumps({
        "find_header": True, "delimiter": ";", "thousands_separator": ".",
        "columns": {"date": "Ngày", "memo": "Nội dung", "amount": "Số tiền"},
    }))
    assert _summary(read_statement(path, mapping=mapping)) == [(D1, 1_000, "ung ho", "")]
    wrong = mapping_from_json(json.dumps({
        "find_header": True, "delimiter": ";", "columns": {"date": "Ngày", "memo": "Mô tả", "amount": "Số tiền"},
    }))
    with pytest.raises(MappingError, match="Không tìm thấy dòng tiêu đề"):
        read_statement(path, mapping=wrong)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"columns": {"date": "D", "memo": "M", "amount": "A"}, "sheet": True}, "sheet"),
        ({"columns": {"date": "D", "memo": "M", "amount": "A"}, "sheet": -1}, "sheet"),
        ({"columns": {"date": "D", "memo": "M", "amount": "A"}, "find_header": "yes"}, "find_header"),
        ({"columns": {"date": 0, "memo": "M", "amount": "A"}, "find_header": True}, "theo tên"),
    ],
)
def test_new_mapping_keys_are_validated(data: dict[str, Any], message: str) -> None:
    with pytest.raises(MappingError, match=message):
        mapping_from_json(json.dumps(data))


# --- cells ------------------------------------------------------------------------------------------------------


def _formats(n: int) -> list[Any]:
    plain = str(abs(n))
    comma = f"{abs(n):,}"
    dot = comma.replace(",", ".")
    variants = [plain, comma, dot, f"{comma}.00", f"{dot},00", f"{plain}.00", f"{comma} VND", f"{dot} đ"]
    if abs(n) >= 1000:
        variants.append(comma.replace(",", " "))
    if n < 0:
        return [n, float(n), *(f"-{v}" for v in variants), *(f"({v})" for v in variants)]
    return [n, float(n), *variants, *(f"+{v}" for v in variants)]


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_any_formatted_whole_amount_reads_back(n: int) -> None:
    for cell in _formats(n):
        assert amount_from_cell(cell) == n, cell


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=99))
def test_a_fraction_of_a_dong_is_refused_in_text_and_numbers(n: int, cents: int) -> None:
    for cell in (f"{n:,}.{cents:02d}", f"{n:,}.{cents:02d}".replace(",", "_").replace(".", ",").replace("_", "."),
                 n + cents / 100):
        with pytest.raises(ValueProblem, match="phần lẻ"):
            amount_from_cell(cell)


@pytest.mark.parametrize("cell", ["abc", "1,00,000", "1.2.3", "12-3", True, float("nan")])
def test_malformed_amounts_are_refused(cell: Any) -> None:
    with pytest.raises(ValueProblem, match="không đúng định dạng"):
        amount_from_cell(cell)


@given(st.dates(min_value=date(1960, 1, 1), max_value=date(2099, 12, 31)), st.times())
def test_any_written_date_reads_back(day: date, at: Any) -> None:
    moment = datetime.combine(day, at)
    serial = (day - date(1899, 12, 30)).days
    for cell in (day, moment, day.strftime("%d/%m/%Y"), moment.strftime("%d/%m/%Y %H:%M:%S"),
                 moment.strftime("%d-%m-%Y %H:%M"), day.strftime("%Y-%m-%d"), moment.isoformat(),
                 f"{day.day}/{day.month}/{day.year}", f"{day:%d/%m/%Y}\n5243.65937", float(serial)):
        assert date_from_cell(cell) == day, cell


def test_blank_cells_are_none() -> None:
    assert amount_from_cell("  ") is None and amount_from_cell(None) is None and date_from_cell("") is None


# --- through the importer ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_bank_export_imports_end_to_end_and_a_reimport_adds_nothing(tmp_path: Path) -> None:
    from mattran.funds.importing import statement_import
    from mattran.funds.models import LedgerEntry
    from mattran.funds.services import verify_ledger

    export = vietinbank()
    path = _write(tmp_path, export, "xlsx", name="vietinbank-thang-9")
    report = statement_import(actor=None, account_number=export.account, paths=[path], bank="VietinBank",
                              holder="UBMTTQ PHUONG X")
    assert report.account_created and report.files == [(path.name, "vietinbank_export", 3)]
    assert (report.rows_read, report.added, report.already_present, report.breaks) == (3, 3, 0, [])
    entries = LedgerEntry.objects.filter(account=report.account).order_by("sequence")
    assert [(e.booked_on, e.amount, e.memo_raw) for e in entries] == [(d, a, m) for d, a, m, _ in export.expected]
    again = statement_import(actor=None, account_number=export.account, paths=[path])
    assert (again.added, again.already_present) == (0, 3)
    assert LedgerEntry.objects.filter(account=report.account).count() == 3
    assert verify_ledger(account=report.account).ok


def test_the_documented_spreadsheet_mapping_reads_the_documented_workbook(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "statement-mapping.md").read_text(encoding="utf-8")
    (block,) = [b.removeprefix("json") for b in doc.split("```") if '"so_phu_xlsx"' in b]
    mapping = mapping_from_json(block)
    rows = [["Sổ phụ"], ["Ngày", "Diễn giải", "Thu", "Chi"], [datetime(2024, 9, 1), "ung ho", 5000, None]]
    path = write_xlsx(tmp_path / "so-phu.xlsx", rows, sheet="Giao dịch", extra_sheets=["Tổng hợp"])
    assert _summary(read_statement(path, mapping=mapping)) == [(D1, 5_000, "ung ho", "")]


@pytest.mark.django_db
def test_the_importer_refuses_another_accounts_export_and_writes_nothing(tmp_path: Path) -> None:
    from mattran.funds.importing import ImportRefused, statement_import
    from mattran.funds.models import LedgerEntry, ReceivingAccount

    export = vietinbank()  # the file says account 111602391111
    path = _write(tmp_path, export, "xlsx", name="thang-9")
    with pytest.raises(ImportRefused) as refused:
        statement_import(actor=None, account_number="111602399999", paths=[path], bank="VietinBank",
                         holder="UBMTTQ PHUONG X")
    assert "111602391111" in refused.value.message and "111602399999" in refused.value.message
    assert not ReceivingAccount.objects.exists() and not LedgerEntry.objects.exists()


@pytest.mark.django_db
def test_the_importer_reports_a_closing_balance_that_does_not_add_up(tmp_path: Path) -> None:
    from mattran.funds.importing import statement_import

    rows = vietcombank().rows
    rows[14] = ["Số dư cuối kỳ / Closing balance:", None, "11,500,000", None, None]
    path = write_xlsx(tmp_path / "vcb.xlsx", rows)
    report = statement_import(actor=None, account_number="0011001932418", paths=[path], bank="Vietcombank",
                              holder="MAT TRAN TO QUOC VN")
    assert report.added == 3
    assert [(b.brk.line, b.brk.expected, b.brk.found, b.repaired) for b in report.breaks] == [
        (15, 11_450_000, 11_500_000, False)]
