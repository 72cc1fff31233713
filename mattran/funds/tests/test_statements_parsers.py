"""Statement parsers: the two built-in community formats, the JSON mapping, and the all-or-nothing rule."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mattran.funds.statements.formats import (
    AGRIBANK_COMMUNITY_CSV,
    FORMATS,
    VCB_COMMUNITY_CSV,
    detect_format,
    mapping_for,
    read_statement,
)
from mattran.funds.statements.mapping import (
    Mapping,
    MappingError,
    ValueProblem,
    mapping_from_json,
    parse_amount,
    parse_date,
    parse_statement,
)
from mattran.funds.statements.rows import RowError, StatementRow

FIXTURES = Path(__file__).parent / "fixtures"
VCB_CUT = FIXTURES / "vcb_cut.csv"
AGRIBANK_CUT = FIXTURES / "agribank_cut.csv"


def parse_text(text: str, mapping: Mapping):
    return parse_statement(io.StringIO(text, newline=""), mapping)


# --- built-in formats ------------------------------------------------------------------------------------------


def test_detect_format_recognises_both_community_headers():
    assert detect_format(VCB_CUT.read_text().splitlines()[0]) == "vcb_community_csv"
    assert detect_format(AGRIBANK_CUT.read_text().splitlines()[0]) == "agribank_community_csv"
    assert detect_format("Ngày,Số tiền,Nội dung") is None
    assert mapping_for(VCB_CUT) is VCB_COMMUNITY_CSV
    assert mapping_for(AGRIBANK_CUT) is AGRIBANK_COMMUNITY_CSV


def test_unknown_layout_without_mapping_is_refused_with_a_vietnamese_message(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(MappingError, match="Không nhận ra định dạng"):
        read_statement(path)
    with pytest.raises(MappingError, match="không được hỗ trợ"):
        read_statement(path, fmt="nope")


def test_vcb_cut_parses_signed_integer_dong_with_dot_thousands():
    result = read_statement(VCB_CUT)
    assert result.ok
    rows = result.rows
    assert len(rows) == 36
    first = rows[0]
    assert first == StatementRow(
        line=2, booked_on=date(2024, 9, 1), amount=50_000, memo="292976.010924.013647.xin cam on", balance=None,
        bank_ref="5213.45946", row_key=first.row_key,
    )
    fee = next(r for r in rows if r.bank_ref == "9915.10293")
    assert fee.amount == -55_000  # a debit
    with_balance = [r for r in rows if r.balance is not None]
    assert [r.balance for r in with_balance] == [10_847_331_843, 10_847_903_843, 10_849_014_843]
    quoted = next(r for r in rows if r.bank_ref == "5243.88658")
    assert "khoe manh, binh an" in quoted.memo


def test_agribank_cut_parses_quoted_comma_amounts_and_balances():
    result = read_statement(AGRIBANK_CUT, fmt="agribank_community_csv")
    assert result.ok
    assert len(result.rows) == 56
    row = result.rows[0]
    assert (row.line, row.amount, row.balance, row.bank_ref) == (2, 500_000, 524_700, "1375649")
    garbled = next(r for r in result.rows if r.line == 26)
    assert garbled.amount == 0 and garbled.balance == 5_581_433_215


def test_row_keys_are_unique_and_stable_across_reimport_and_overlap():
    rows = read_statement(VCB_CUT).rows
    keys = [r.row_key for r in rows]
    assert len(set(keys)) == len(keys)
    assert keys == [r.row_key for r in read_statement(VCB_CUT).rows]
    # Same DocNo on two different rows: different keys.
    same_ref = [r for r in rows if r.bank_ref == "5017.10256"]
    assert len(same_ref) == 2 and same_ref[0].row_key != same_ref[1].row_key
    # An export that starts later (overlap) gives the shared rows the same keys.
    lines = VCB_CUT.read_text().splitlines(keepends=True)
    later = parse_text("".join([lines[0], *lines[10:]]), VCB_COMMUNITY_CSV).rows
    by_memo = {(r.booked_on, r.bank_ref, r.amount, r.memo): r.row_key for r in rows}
    assert all(by_memo[(r.booked_on, r.bank_ref, r.amount, r.memo)] == r.row_key for r in later)


def test_identical_rows_in_one_file_get_occurrence_counters():
    text = "PageId,TNXDate,DocNo,Debit,Credit,Balance,TransactionDetails\n" + "1,01/09/2024,1.2,,10.000,,ung ho\n" * 3
    keys = [r.row_key for r in parse_text(text, VCB_COMMUNITY_CSV).rows]
    assert [k.rsplit(":", 1)[1] for k in keys] == ["0", "1", "2"]
    assert len({k.rsplit(":", 1)[0] for k in keys}) == 1


def test_bad_rows_refuse_the_whole_file_with_every_error():
    header = "PageId,TNXDate,DocNo,Debit,Credit,Balance,TransactionDetails\n"
    text = header + (
        "1,01/09/2024,1.1,,10.000,,ok\n"
        "1,32/09/2024,1.2,,10.000,,bad date\n"
        "1,01/09/2024,1.3,,10.00,,bad grouping\n"
        "1,01/09/2024,1.4,,abc,,garbage\n"
        "1,01/09/2024,1.5,,,,no amount\n"
        "1,02/09/2024,1.6,,20.000,,ok\n"
    )
    result = parse_text(text, VCB_COMMUNITY_CSV)
    assert not result.ok
    assert result.rows == []
    assert result.errors == [
        RowError(3, "TNXDate", "32/09/2024", "Ngày không đúng định dạng %d/%m/%Y"),
        RowError(4, "Credit", "10.00", "Số tiền không đúng định dạng"),
        RowError(5, "Credit", "abc", "Số tiền không đúng định dạng"),
        RowError(6, "Credit", "", "Thiếu số tiền"),
    ]


def test_line_numbers_count_physical_lines_across_quoted_newlines():
    header = "PageId,TNXDate,DocNo,Debit,Credit,Balance,TransactionDetails\n"
    text = header + '1,01/09/2024,1.1,,10.000,,"two\nlines"\n1,01/09/2024,1.2,,5.000,,next\n'
    rows = parse_text(text, VCB_COMMUNITY_CSV).rows
    assert [(r.line, r.memo) for r in rows] == [(2, "two lines"), (4, "next")]


# --- amounts and dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "thousands", "decimal", "expected"),
    [
        ("1.000.000", ".", None, 1_000_000),
        ("500,000", ",", None, 500_000),
        ("500,000.00", ",", ".", 500_000),
        ("1.500.000,00", ".", ",", 1_500_000),
        ("-50.000", ".", None, -50_000),
        ("(50.000)", ".", None, -50_000),
        ("0", ".", None, 0),
        ("1234567", ".", None, 1_234_567),
        ("1 234 567", " ", None, 1_234_567),
    ],
)
def test_parse_amount_reads_bank_notations(text, thousands, decimal, expected):
    assert parse_amount(text, thousands, decimal) == expected


@pytest.mark.parametrize(
    ("text", "decimal", "reason"),
    [
        ("1.00.000", None, "Số tiền không đúng định dạng"),
        ("1.000,50", ",", "Số tiền có phần lẻ dưới 1 đồng"),
        ("12a", None, "Số tiền không đúng định dạng"),
        ("(50.000", None, "Số tiền không đúng định dạng"),
        ("", None, "Số tiền không đúng định dạng"),
        ("١٢٣", None, "Số tiền không đúng định dạng"),
    ],
)
def test_parse_amount_rejects_garbage_with_a_reason(text, decimal, reason):
    with pytest.raises(ValueProblem, match=reason):
        parse_amount(text, ".", decimal)


def _grouped(value: int, sep: str) -> str:
    return f"{value:,}".replace(",", sep) if sep else str(value)


@given(value=st.integers(min_value=0, max_value=10**15), sep=st.sampled_from([".", ",", " ", ""]), neg=st.booleans())
def test_any_formatted_integer_round_trips(value, sep, neg):
    text = ("-" if neg else "") + _grouped(value, sep)
    assert parse_amount(text, sep) == (-value if neg else value)


@given(value=st.integers(min_value=0, max_value=10**15), zeros=st.integers(min_value=1, max_value=3))
def test_zero_fraction_round_trips(value, zeros):
    assert parse_amount(_grouped(value, ".") + "," + "0" * zeros, ".", ",") == value


@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_any_formatted_date_round_trips(day):
    assert parse_date(day.strftime("%d/%m/%Y"), "%d/%m/%Y") == day


@given(text=st.text(max_size=30))
def test_garbage_cells_give_row_errors_never_exceptions(text):
    header = "PageId,TNXDate,DocNo,Debit,Credit,Balance,TransactionDetails\n"
    buffer = io.StringIO(newline="")
    import csv

    csv.writer(buffer).writerow(["1", text, "r", "", text, "", "memo"])
    result = parse_text(header + buffer.getvalue(), VCB_COMMUNITY_CSV)
    assert result.ok or (result.rows == [] and all(isinstance(e, RowError) for e in result.errors))
    for row in result.rows:
        assert isinstance(row.amount, int)


# --- JSON mapping ----------------------------------------------------------------------------------------------

HEADER = (
    "STT / No.;Ngày giao dịch / Transaction date;Số tham chiếu / Reference;Số tiền ghi nợ / Debit;"
    "Số tiền ghi có / Credit;Mô tả / Description\n"
)
BILINGUAL_EXPORT = """\
NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM;;;;;
SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT;;;;;
Số tài khoản / Account number: 0011001932418;;;;;
""" + HEADER + """\
;;;;;Số dư đầu kỳ / Opening balance: 10.000.000
1;01/09/2024;FT001;;1.000.000,00;NGUYEN VAN A chuyen tien
;;;;;ung ho dong bao mien Bac
2;01/09/2024;FT002;50.000,00;;Phi dich vu
3;02/09/2024;FT003;;200.000,00;TRAN THI B ung ho
;;;;;bao so 3
;;;;;Yagi
;Tổng cộng / Total;;50.000,00;1.200.000,00;
;;;;;Số dư cuối kỳ / Closing balance: 11.150.000
"""

BILINGUAL_MAPPING = {
    "name": "vcb_xlsx_export",
    "encoding": "utf-8",
    "delimiter": ";",
    "skip_rows": 3,
    "header_rows": 1,
    "columns": {
        "date": "Ngày giao dịch",
        "ref": "Reference",
        "debit": "Số tiền ghi nợ",
        "credit": "Credit",
        "memo": "Mô tả / Description",
    },
    "date_format": "%d/%m/%Y",
    "thousands_separator": ".",
    "decimal_separator": ",",
    "continuation_rows": True,
}


def test_mapping_reads_a_bilingual_export_with_continuations_and_balance_lines():
    mapping = mapping_from_json(json.dumps(BILINGUAL_MAPPING))
    result = parse_text(BILINGUAL_EXPORT, mapping)
    assert result.ok, result.errors
    assert [(r.line, r.booked_on, r.amount, r.memo, r.bank_ref) for r in result.rows] == [
        (6, date(2024, 9, 1), 1_000_000, "NGUYEN VAN A chuyen tien ung ho dong bao mien Bac", "FT001"),
        (8, date(2024, 9, 1), -50_000, "Phi dich vu", "FT002"),
        (9, date(2024, 9, 2), 200_000, "TRAN THI B ung ho bao so 3 Yagi", "FT003"),
    ]


def test_mapping_by_index_with_a_signed_amount_and_two_header_rows():
    text = (
        "Ngày,Số tiền,Nội dung,Số dư\n"
        "Date,Amount,Details,Balance\n"
        "2024-09-01,\"1,000\",a,\"11,000\"\n"
        "2024-09-02,\"-500\",b,\"10,500\"\n"
    )
    mapping = mapping_from_json(
        json.dumps(
            {
                "columns": {"date": 0, "amount": "Amount", "memo": "Nội dung", "balance": 3},
                "header_rows": 2,
                "date_format": "%Y-%m-%d",
            }
        )
    )
    rows = parse_text(text, mapping).rows
    assert [(r.line, r.amount, r.balance) for r in rows] == [(3, 1000, 11000), (4, -500, 10500)]


def test_mapping_reports_a_missing_header_label():
    mapping = mapping_from_json(json.dumps({**BILINGUAL_MAPPING, "skip_rows": 0}))
    with pytest.raises(MappingError, match="Không tìm thấy cột"):
        parse_text(BILINGUAL_EXPORT, mapping)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("not json", "không phải JSON"),
        ("[]", "đối tượng JSON"),
        ({"columns": {"date": "D", "memo": "M"}}, "số tiền"),
        ({"columns": {"date": "D", "memo": "M", "amount": "A", "debit": "X"}}, "không cả hai"),
        ({"columns": {"date": "D", "memo": "M", "amount": "A", "colour": "C"}}, "Cột không được hỗ trợ"),
        ({"columns": {"date": "D", "memo": "M", "amount": "A"}, "encodng": "utf-8"}, "Khóa không được hỗ trợ"),
        ({"columns": {"date": "D", "memo": "M", "amount": "A"}, "encoding": "klingon"}, "Bảng mã"),
        ({"columns": {"date": "D", "memo": "M", "amount": "A"}, "decimal_separator": ";"}, "decimal_separator"),
        ({"columns": {"date": "D", "memo": "M", "amount": "A"}, "skip_rows": "2"}, "skip_rows"),
        ({"columns": {"date": "D", "memo": "M", "amount": "A"}, "header_rows": 0}, "tiêu đề"),
    ],
)
def test_mapping_from_json_rejects_unusable_mappings(data, message):
    text = data if isinstance(data, str) else json.dumps(data)
    with pytest.raises(MappingError, match=message):
        mapping_from_json(text)


def test_builtin_formats_are_registered_by_name():
    assert set(FORMATS) == {
        "vcb_community_csv", "agribank_community_csv", "vietcombank_export", "vietinbank_export", "bidv_export",
        "agribank_export", "mbbank_export", "bank_export",
    }


def test_the_documented_example_parses_as_documented():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "statement-mapping.md").read_text()
    blocks = doc.split("```")
    sample = blocks[1].strip("\n") + "\n"
    mapping = mapping_from_json(blocks[3].removeprefix("json"))
    rows = parse_text(sample, mapping).rows
    assert [(r.amount, r.memo, r.bank_ref) for r in rows] == [
        (1_000_000, "NGUYEN VAN A chuyen tien ung ho dong bao mien Bac", "FT001"),
        (-50_000, "Phi dich vu", "FT002"),
    ]


def test_parser_keys_follow_the_documented_row_key_rule():
    from mattran.funds.statements.rows import RowKeys, normalise_memo

    keys = RowKeys()
    for row in read_statement(VCB_CUT).rows:
        assert row.memo == normalise_memo(row.memo)
        assert row.row_key == keys.key(row.booked_on, row.bank_ref, row.amount, row.memo)


def test_undecodable_or_malformed_files_give_row_errors(tmp_path):
    path = tmp_path / "cp1258.csv"
    path.write_bytes(
        b"PageId,TNXDate,DocNo,Debit,Credit,Balance,TransactionDetails\n1,01/09/2024,1,,10.000,,ung h\xf4\n"
    )
    result = read_statement(path)
    assert result.rows == [] and [e.reason_vi for e in result.errors] == ["Tệp không đúng bảng mã utf-8-sig"]
    header = "PageId,TNXDate,DocNo,Debit,Credit,Balance,TransactionDetails\n"
    text = header + '1,01/09/2024,1,,1,,"' + "x" * 200_000 + '"\n'  # over csv's field size limit
    result = parse_text(text, VCB_COMMUNITY_CSV)
    assert result.rows == [] and "CSV" in result.errors[0].reason_vi
