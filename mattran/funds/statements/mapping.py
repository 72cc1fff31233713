"""The JSON column mapping and the one streaming parser every format goes through.

A mapping says where the columns are (by header label or 0-based index), how dates and amounts are written, how
many lines come before the header, the encoding, and whether a row with a blank date continues the previous row's
memo. The built-in formats (``formats.py``) are mappings too. ``docs/statement-mapping.md`` documents the JSON.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from hashlib import blake2b
from typing import Any

from mattran.common.vn import fold
from mattran.funds.statements.rows import ParseResult, RowError, StatementRow

COLUMN_NAMES = ("date", "amount", "debit", "credit", "memo", "balance", "ref")

# Lines that are not transactions: opening/closing balances and totals, in the bank exports' two languages (folded).
SUMMARY_LABELS = (
    "so du dau ky", "so du cuoi ky", "so du dau", "so du cuoi", "opening balance", "closing balance",
    "beginning balance", "ending balance", "tong cong", "cong phat sinh", "tong phat sinh", "total",
)

Column = str | int


class MappingError(ValueError):
    """The mapping itself is unusable (unknown key, missing column, header label not found); message in Vietnamese."""


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, Column]
    date_format: str = "%d/%m/%Y"
    thousands_separator: str = ","
    decimal_separator: str | None = None
    skip_rows: int = 0
    header_rows: int = 1
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    continuation_rows: bool = False
    name: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    sheet: str | int | None = None  # spreadsheet input: sheet name or 0-based index (first sheet when None)
    find_header: bool = False  # look for the header row among the first 30 rows instead of counting skip_rows

    def __post_init__(self) -> None:
        cols = self.columns
        unknown = set(cols) - set(COLUMN_NAMES)
        if unknown:
            raise MappingError(f"Cột không được hỗ trợ trong mapping: {', '.join(sorted(unknown))}")
        if "date" not in cols or "memo" not in cols:
            raise MappingError("Mapping phải có cột ngày (date) và nội dung (memo)")
        if "amount" in cols and ("debit" in cols or "credit" in cols):
            raise MappingError("Chọn một cột số tiền có dấu (amount) hoặc hai cột nợ/có (debit/credit), không cả hai")
        if "amount" not in cols and not ("debit" in cols and "credit" in cols):
            raise MappingError("Mapping phải có cột số tiền (amount) hoặc cả hai cột nợ/có (debit và credit)")
        if self.thousands_separator not in ("", ".", ",", " ", "\u00a0", "'"):
            raise MappingError("Dấu phân cách hàng nghìn phải là '.', ',', khoảng trắng, ''' hoặc rỗng")
        if self.decimal_separator is not None and self.decimal_separator == self.thousands_separator:
            raise MappingError("Dấu thập phân phải khác dấu phân cách hàng nghìn")
        if self.header_rows < 0 or self.skip_rows < 0:
            raise MappingError("Số dòng bỏ qua và số dòng tiêu đề không được âm")
        if any(isinstance(c, str) for c in cols.values()) and self.header_rows == 0:
            raise MappingError("Cột gọi theo tên cần ít nhất một dòng tiêu đề (header_rows ≥ 1)")
        if self.find_header and not all(isinstance(c, str) for c in cols.values()):
            raise MappingError("Tự tìm dòng tiêu đề (find_header) cần mọi cột được gọi theo tên")
        if isinstance(self.sheet, int) and (isinstance(self.sheet, bool) or self.sheet < 0):
            raise MappingError("'sheet' phải là tên trang tính hoặc số thứ tự từ 0")


_MAPPING_KEYS = {
    "name", "columns", "date_format", "thousands_separator", "decimal_separator", "skip_rows", "header_rows",
    "encoding", "delimiter", "continuation_rows", "sheet", "find_header",
}


def mapping_from_json(text: str | bytes) -> Mapping:
    """Read a committee's JSON mapping; raise :class:`MappingError` with a Vietnamese message when it is unusable."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MappingError(f"Tệp mapping không phải JSON hợp lệ (dòng {exc.lineno}): {exc.msg}") from exc
    if not isinstance(data, dict):
        raise MappingError("Tệp mapping phải là một đối tượng JSON")
    unknown = set(data) - _MAPPING_KEYS
    if unknown:
        raise MappingError(f"Khóa không được hỗ trợ trong mapping: {', '.join(sorted(unknown))}")
    columns = data.get("columns")
    if not isinstance(columns, dict) or not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in columns.values()
    ):
        raise MappingError("'columns' phải ánh xạ tên cột tới tiêu đề (chuỗi) hoặc chỉ số cột (số, từ 0)")
    kwargs: dict[str, Any] = {"columns": dict(columns)}
    for key, kind in (
        ("name", str), ("date_format", str), ("thousands_separator", str), ("skip_rows", int),
        ("header_rows", int), ("encoding", str), ("delimiter", str), ("continuation_rows", bool),
        ("find_header", bool),
    ):
        if key in data:
            value = data[key]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise MappingError(f"Giá trị của '{key}' không đúng kiểu")
            kwargs[key] = value
    if "decimal_separator" in data:
        value = data["decimal_separator"]
        if value is not None and value not in (".", ","):
            raise MappingError("'decimal_separator' phải là '.', ',' hoặc null")
        kwargs["decimal_separator"] = value
    if "sheet" in data:
        value = data["sheet"]
        if value is not None and (not isinstance(value, str | int) or isinstance(value, bool)):
            raise MappingError("'sheet' phải là tên trang tính hoặc số thứ tự từ 0")
        kwargs["sheet"] = value
    if len(kwargs.get("delimiter", ",")) != 1:
        raise MappingError("'delimiter' phải là đúng một ký tự")
    try:
        "".encode(kwargs.get("encoding", "utf-8"))
    except LookupError as exc:
        raise MappingError(f"Bảng mã không được hỗ trợ: {kwargs['encoding']}") from exc
    return Mapping(**kwargs)


# --- values -----------------------------------------------------------------------------------------------------


class ValueProblem(ValueError):
    """A cell that cannot be read; ``args[0]`` is the Vietnamese reason."""


def _amount_pattern(thousands: str, decimal: str | None) -> re.Pattern[str]:
    sep = re.escape(thousands)
    grouped = rf"[0-9]{{1,3}}(?:{sep}[0-9]{{3}})+" if thousands else r"(?!)"
    frac = rf"(?:{re.escape(decimal)}[0-9]+)?" if decimal else ""
    return re.compile(rf"(?P<neg>[-(])?(?P<int>[0-9]+|{grouped})(?P<frac>{frac})\)?")


_PATTERNS: dict[tuple[str, str | None], re.Pattern[str]] = {}


def parse_amount(text: str, thousands_separator: str = ",", decimal_separator: str | None = None) -> int:
    """Integer đồng from ``1.000.000``, ``"500,000"``, ``-50.000``, ``(50.000)`` or ``500,000.00``.

    Separators must group by three; a fractional part is accepted only when it is zero (đồng have no cents).
    Raises :class:`ValueProblem` with a Vietnamese reason otherwise.
    """
    key = (thousands_separator, decimal_separator)
    pattern = _PATTERNS.get(key)
    if pattern is None:
        pattern = _PATTERNS[key] = _amount_pattern(thousands_separator, decimal_separator)
    raw = text.strip()
    match = pattern.fullmatch(raw)
    if match is None or (raw.startswith("(") != raw.endswith(")")):
        raise ValueProblem("Số tiền không đúng định dạng")
    frac = match["frac"]
    if frac and frac[1:].strip("0"):
        raise ValueProblem("Số tiền có phần lẻ dưới 1 đồng")
    value = int(match["int"].replace(thousands_separator, "")) if thousands_separator else int(match["int"])
    return -value if match["neg"] else value


def parse_date(text: str, date_format: str) -> date:
    """A date in ``date_format`` (``strptime`` codes); a time part in the format is read and dropped."""
    try:
        return datetime.strptime(text.strip(), date_format).date()
    except ValueError:
        raise ValueProblem(f"Ngày không đúng định dạng {date_format}") from None


# --- header ----------------------------------------------------------------------------------------------------


def _label_parts(label: str) -> set[str]:
    """Folded forms a header cell answers to: the whole label and each side of a bilingual ``A / B`` or ``A\\nB``."""
    whole = " ".join(fold(label).split())
    parts = {whole}
    for piece in re.split(r"[/\n|]", label):
        piece = " ".join(fold(piece).split())
        if piece:
            parts.add(piece)
    return parts


def resolve_columns(mapping: Mapping, header: list[str]) -> dict[str, int]:
    """Column indexes for the mapping given the header cells; labels match ignoring case, diacritics and spacing."""
    found: dict[str, int] = {}
    cells = [_label_parts(cell) for cell in header]
    for name, where in mapping.columns.items():
        if isinstance(where, int):
            if where < 0:
                raise MappingError(f"Chỉ số cột '{name}' không được âm")
            found[name] = where
            continue
        wanted = _label_parts(where)
        matches = [i for i, parts in enumerate(cells) if parts & wanted]
        if not matches:
            raise MappingError(f"Không tìm thấy cột '{where}' ({name}) trong dòng tiêu đề")
        found[name] = matches[0]
    return found


# --- the parser -------------------------------------------------------------------------------------------------


def _is_summary(cells: list[str]) -> bool:
    for cell in cells:
        if cell and not cell.strip().lstrip("-").replace(".", "").replace(",", "").isdigit():
            folded = fold(cell)
            if any(label in folded for label in SUMMARY_LABELS):
                return True
    return False


# A row waiting for possible continuation lines: (line, booked_on, amount, memo parts, balance, bank_ref).
_Pending = tuple[int, date, int, list[str], int | None, str]


_COLUMN_LABELS_VI = {
    "date": "Ngày", "amount": "Số tiền", "debit": "Nợ", "credit": "Có", "memo": "Nội dung", "balance": "Số dư",
    "ref": "Số tham chiếu",
}


def iter_statement(lines: Iterable[str], mapping: Mapping) -> Iterator[StatementRow | RowError]:
    """Stream rows (and row errors) from the text lines of a delimited file, in file order.

    Raises :class:`MappingError` when the header does not fit the mapping. A file that cannot be decoded or split
    into cells ends with a row error at the line where reading stopped. Use :func:`parse_statement` to get the
    all-or-nothing result.
    """
    reader = csv.reader(lines, delimiter=mapping.delimiter)
    try:
        yield from _iter_rows(reader, mapping)
    except UnicodeDecodeError:
        yield RowError(reader.line_num + 1, "", "", f"Tệp không đúng bảng mã {mapping.encoding}")
    except csv.Error as exc:
        yield RowError(reader.line_num, "", "", f"Dòng không đúng cấu trúc CSV ({exc})")


def _iter_rows(reader: Any, mapping: Mapping) -> Iterator[StatementRow | RowError]:
    line = 0
    for _ in range(mapping.skip_rows):
        if next(reader, None) is None:
            raise MappingError("Tệp ngắn hơn số dòng cần bỏ qua")
        line = reader.line_num
    header_rows = [next(reader, None) for _ in range(mapping.header_rows)]
    if any(row is None for row in header_rows):
        raise MappingError("Tệp không có dòng tiêu đề")
    width = max((len(row) for row in header_rows if row), default=0)
    header = [
        " / ".join(row[i] for row in header_rows if row and i < len(row) and row[i].strip()) for i in range(width)
    ]
    line = reader.line_num
    cols = resolve_columns(mapping, header)
    labels = {name: header[i] if i < len(header) and header[i] else _COLUMN_LABELS_VI[name] for name, i in cols.items()}

    i_date = cols["date"]
    i_memo = cols["memo"]
    i_amount = cols.get("amount")
    i_debit = cols.get("debit")
    i_credit = cols.get("credit")
    i_balance = cols.get("balance")
    i_ref = cols.get("ref")
    needed = max(cols.values()) + 1
    amount_cols = [i for i in (i_amount, i_debit, i_credit) if i is not None]

    thousands = mapping.thousands_separator
    decimal = mapping.decimal_separator
    date_format = mapping.date_format
    continuation = mapping.continuation_rows
    dates: dict[str, date] = {}
    amounts: dict[str, int] = {}
    pending: _Pending | None = None

    def amount_of(cell: str) -> int:
        value = amounts.get(cell)
        if value is None:
            # Fast path: a well-grouped plain number reformats to itself; anything else takes the full parser.
            digits = cell.replace(thousands, "") if thousands else cell
            if digits.isdigit() and digits.isascii() and (digits[0] != "0" or digits == "0"):
                value = int(digits)
                if thousands and format(value, ",").replace(",", thousands) != cell:
                    value = parse_amount(cell, thousands, decimal)
            else:
                value = parse_amount(cell, thousands, decimal)
            if len(amounts) < 100_000:
                amounts[cell] = value
        return value

    # RowKeys.key and normalise_memo, inlined: this runs once per row of 200,000-row files.
    seen_keys: dict[str, int] = {}
    iso_dates: dict[date, str] = {}

    def finish(p: _Pending) -> StatementRow:
        row_line, booked_on, amount, parts, balance, bank_ref = p
        memo = parts[0] if len(parts) == 1 else " ".join(parts)
        if "  " in memo or "\n" in memo or "\t" in memo or "\r" in memo or memo[:1].isspace() or memo[-1:].isspace():
            memo = " ".join(memo.split())
        iso = iso_dates.get(booked_on)
        if iso is None:
            iso = iso_dates[booked_on] = booked_on.isoformat()
        digest = blake2b(f"{iso}|{bank_ref}|{amount}|{memo}".encode(), digest_size=12).hexdigest()
        n = seen_keys.get(digest, 0)
        seen_keys[digest] = n + 1
        return StatementRow(row_line, booked_on, amount, memo, balance, bank_ref, f"{digest}:{n}")

    for cells in reader:
        start = line + 1
        line = reader.line_num
        if len(cells) < needed:
            if not any(c.strip() for c in cells):
                continue
            cells = cells + [""] * (needed - len(cells))
        date_text = cells[i_date]
        booked_on = dates.get(date_text)
        if booked_on is None:
            date_text = date_text.strip()
            if not date_text:
                if not any(c.strip() for c in cells) or _is_summary(cells):
                    continue
                blank_money = not any(cells[i].strip() for i in amount_cols) and (
                    i_balance is None or not cells[i_balance].strip()
                )
                if continuation and blank_money:
                    memo_more = cells[i_memo].strip()
                    if pending is not None and memo_more:
                        pending[3].append(memo_more)
                    continue
                yield RowError(start, labels["date"], "", "Thiếu ngày giao dịch")
                continue
            try:
                booked_on = parse_date(date_text, date_format)
            except ValueProblem as exc:
                if _is_summary(cells):
                    continue
                yield RowError(start, labels["date"], cells[i_date], exc.args[0])
                continue
            dates[cells[i_date]] = booked_on
        failed = False
        amount = 0
        seen_amount = False
        which = "amount"
        cell = ""
        try:
            if i_amount is not None:
                cell = cells[i_amount].strip()
                if cell:
                    amount = amount_of(cell)
                    seen_amount = True
            else:
                which = "credit"
                cell = cells[i_credit].strip()
                if cell:
                    amount = amount_of(cell)
                    seen_amount = True
                which = "debit"
                cell = cells[i_debit].strip()
                if cell:
                    amount -= amount_of(cell)
                    seen_amount = True
        except ValueProblem as exc:
            failed = True
            yield RowError(start, labels[which], cell, exc.args[0])
        balance: int | None = None
        if i_balance is not None:
            cell = cells[i_balance].strip()
            if cell:
                try:
                    balance = amount_of(cell)
                except ValueProblem as exc:
                    failed = True
                    yield RowError(start, labels["balance"], cell, exc.args[0])
        if not seen_amount and balance is None and not failed:
            if _is_summary(cells):
                continue
            failed = True
            yield RowError(start, labels["amount" if i_amount is not None else "credit"], "", "Thiếu số tiền")
        if failed:
            continue
        if pending is not None:
            yield finish(pending)
        ref = cells[i_ref].strip() if i_ref is not None else ""
        pending = (start, booked_on, amount, [cells[i_memo]], balance, ref)
    if pending is not None:
        yield finish(pending)


def parse_statement(lines: Iterable[str], mapping: Mapping) -> ParseResult:
    """Every row of the file, or every error of it: the importer refuses a file as a whole."""
    rows: list[StatementRow] = []
    errors: list[RowError] = []
    for item in iter_statement(lines, mapping):
        if isinstance(item, StatementRow):
            if not errors:
                rows.append(item)
        else:
            errors.append(item)
    return ParseResult(rows=[] if errors else rows, errors=errors)
