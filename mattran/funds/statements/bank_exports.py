"""Built-in layouts for the XLSX/CSV statements Vietnamese banks give account holders, and the reader for them.

Bank exports are read by their header labels, never by column positions: the reader scans the first
:data:`HEADER_SCAN_ROWS` rows for the row (or pair of rows) whose cells name a date, a memo and either a debit and
a credit column or one signed amount column. Labels match ignoring case, diacritics and spacing, and a bilingual
cell (``Ngày giao dịch / Transaction date`` or the two halves on separate lines of the cell) answers to either
half. Above the header, the account number line is read (a file of another account is refused as a whole);
opening/closing balance lines anywhere feed :func:`statement_breaks`; total lines are skipped; a line with a blank
date and no amount continues the memo of the row above.

Each bank has a layout (:data:`BANK_LAYOUTS`) naming the words of its title (to tell the banks apart) and the
labels its exports use, most specific first; ``bank_export`` is the tolerant fallback for any other bank with a
recognisable header. Sources and the parts that are guesses: ``docs/decisions/0015-bank-export-formats.md``.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from mattran.common.vn import fold
from mattran.funds.statements.mapping import Mapping, MappingError, ValueProblem, parse_amount
from mattran.funds.statements.reconcile import BalanceBreak, check_balances
from mattran.funds.statements.rows import ParseResult, RowError, RowKeys, StatementRow, normalise_memo

HEADER_SCAN_ROWS = 30
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")

Cell = str | int | float | bool | date | datetime | time | timedelta | None
# (physical line or spreadsheet row number, cells)
Grid = list[tuple[int, list[Cell]]]

FIELDS = ("date", "debit", "credit", "amount", "balance", "ref", "memo")

# Folded labels, most specific first. A header cell answers to a label when the label equals the whole cell or
# one half of a bilingual cell.
_DATE = (
    "ngay giao dich", "transaction date", "ngay gd", "tnx date", "txn date", "ngay hach toan", "posting date",
    "accounting date", "ngay hieu luc", "effective date", "ngay phat sinh", "ngay thuc hien", "value date",
    "ngay gia tri", "ngay", "date",
)
_DEBIT = (
    "so tien ghi no", "ghi no", "phat sinh no", "debit amount", "debit", "no", "no tktt", "tien ra",
    "so tien rut", "withdrawal", "withdrawals", "money out",
)
_CREDIT = (
    "so tien ghi co", "ghi co", "phat sinh co", "credit amount", "credit", "co", "co tktt", "tien vao",
    "so tien gui", "deposit", "deposits", "money in",
)
_AMOUNT = ("so tien giao dich", "so tien", "transaction amount", "amount")
_BALANCE = (
    "so du", "balance", "so du tk", "account balance", "so du sau giao dich", "running balance",
    "so du cuoi", "available balance", "so du kha dung",
)
_REF = (
    "so tham chieu", "ma tham chieu", "reference number", "reference", "ref no", "so ct", "doc no",
    "so chung tu", "document number", "so giao dich", "transaction number", "ma giao dich", "transaction id",
    "so but toan", "transaction no", "seq no",
)
_MEMO = (
    "noi dung chi tiet", "transactions in detail", "mo ta", "description", "noi dung", "noi dung giao dich",
    "mo ta giao dich", "transaction description", "dien giai", "chi tiet giao dich", "transaction details",
    "transaction detail", "details", "narrative", "remark", "remarks",
)

_OPENING = (
    "so du dau ky", "so du dau ngay", "so du dau", "du dau ky", "du dau", "opening balance", "beginning balance",
    "balance brought forward", "so du dau ky/opening balance",
)
_CLOSING = (
    "so du cuoi ky", "so du cuoi ngay", "so du cuoi", "du cuoi ky", "du cuoi", "closing balance",
    "ending balance", "balance carried forward",
)
_TOTAL = (
    "tong cong", "tong so", "tong", "cong", "total", "totals", "cong phat sinh", "tong phat sinh",
    "cong phat sinh trong ky", "tong phat sinh trong ky", "doanh so", "total amount", "grand total",
)


def _summary_pattern(labels: Iterable[str]) -> re.Pattern[str]:
    # The label must end the cell or be followed by a colon, slash, bracket or dash: "Tổng cộng / Total",
    # "Số dư đầu kỳ: 10.000.000", but not a memo line that merely starts with the word ("TONG CONG TY ABC").
    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})\s*(?:[:/(\-]|$)")


_OPENING_RE = _summary_pattern(_OPENING)
_CLOSING_RE = _summary_pattern(_CLOSING)
_TOTAL_RE = _summary_pattern(_TOTAL)

_ACCOUNT_LABELS = ("so tai khoan", "account number", "account no", "a/c no", "so tk", "tai khoan", "stk")
_OLD_ACCOUNT = re.compile(r"\b(?:cu|old)\b")
_ACCOUNT_DIGITS = re.compile(r"(?<![0-9])[0-9]{6,19}(?![0-9])")


@dataclass(frozen=True)
class BankLayout(Mapping):
    """A bank's statement export: title words that identify it and the labels of each column.

    ``columns`` (inherited) holds the first label of each field, so a layout is also a valid :class:`Mapping`;
    the reader uses ``alternatives``. ``fill_down_dates``: a row with an amount and a blank date belongs to the
    date above it (VietinBank prints the date once per day).
    """

    bank: str = ""
    markers: tuple[str, ...] = ()
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fill_down_dates: bool = False


def _layout(name: str, bank: str, markers: tuple[str, ...], *, first: dict[str, tuple[str, ...]] | None = None,
            fill_down_dates: bool = False) -> BankLayout:
    """A layout whose labels are the common ones, with the bank's own labels (``first``) tried before them."""
    common = {
        "date": _DATE, "debit": _DEBIT, "credit": _CREDIT, "amount": _AMOUNT, "balance": _BALANCE, "ref": _REF,
        "memo": _MEMO,
    }
    alternatives: dict[str, tuple[str, ...]] = {}
    for name_, labels in common.items():
        own = (first or {}).get(name_, ())
        alternatives[name_] = tuple(dict.fromkeys((*own, *labels)))
    columns: dict[str, str | int] = {
        key: alternatives[key][0] for key in ("date", "debit", "credit", "balance", "ref", "memo")
    }
    return BankLayout(
        name=name, bank=bank, markers=markers, alternatives=alternatives, fill_down_dates=fill_down_dates,
        columns=columns, continuation_rows=True, thousands_separator=",", decimal_separator=".",
    )


VIETCOMBANK = _layout(
    "vietcombank_export", "Vietcombank",
    ("vietcombank", "ngoai thuong", "vcb", "bftvvnvx"),
    first={"date": ("ngay giao dich", "ngay gd", "tnx date"), "ref": ("so tham chieu", "so ct", "doc no"),
           "memo": ("mo ta", "noi dung chi tiet", "transactions in detail")},
)
VIETINBANK = _layout(
    "vietinbank_export", "VietinBank",
    ("vietinbank", "cong thuong", "icbvvnvx", "efast", "ipay"),
    first={"date": ("ngay giao dich", "ngay phat sinh", "transaction date", "ngay hach toan", "accounting date"),
           "memo": ("mo ta giao dich", "transaction description"), "ref": ("so giao dich", "transaction number"),
           "balance": ("so du tk", "account balance", "so du")},
    fill_down_dates=True,
)
BIDV = _layout(
    "bidv_export", "BIDV",
    ("bidv", "dau tu va phat trien", "bidvvnvx", "bao cao chi tiet so du tai khoan"),
    first={"date": ("ngay hieu luc", "effective date", "ngay giao dich"), "memo": ("mo ta", "description")},
)
AGRIBANK = _layout(
    "agribank_export", "Agribank",
    ("agribank", "nong nghiep va phat trien nong thon", "vbaavnvx"),
    first={"date": ("ngay giao dich", "ngay gd", "date"), "ref": ("so tham chieu", "reference number", "so ct"),
           "memo": ("dien giai", "noi dung", "transaction details")},
)
MBBANK = _layout(
    "mbbank_export", "MB",
    ("mbbank", "mb bank", "quan doi", "military", "mscbvnvx", "mb biz", "sao ke chi tiet tai khoan"),
    first={"date": ("ngay giao dich", "transaction date", "ngay hach toan", "posting date"),
           "memo": ("noi dung", "description", "dien giai")},
)
GENERIC = _layout("bank_export", "", ())

BANK_LAYOUTS: dict[str, BankLayout] = {m.name: m for m in (VIETCOMBANK, VIETINBANK, BIDV, AGRIBANK, MBBANK, GENERIC)}


@dataclass(frozen=True, slots=True)
class BankParseResult(ParseResult):
    """A parse result with what the export says about itself: the layout used, the account number printed above
    the header, and the opening/closing balance lines (value and line), when present."""

    layout: str = ""
    account_number: str | None = None
    opening: int | None = None
    opening_line: int = 0
    closing: int | None = None
    closing_line: int = 0
    totals: tuple[int, int | None, int | None] | None = None  # the one total line: (line, debits, credits)


class AccountMismatch(MappingError):
    """The export belongs to another account; the file is refused as a whole."""


# --- cells ------------------------------------------------------------------------------------------------------


def cell_text(value: Cell) -> str:
    """A cell as text: numbers without a trailing ``.0``, dates in ISO form, blanks as ``""``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return str(value)


def _blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_CURRENCY = re.compile(r"(?i)\s*(?:vnđ|vnd|đồng|dong|₫|đ)\s*")
_GROUPED_SPACE = re.compile(r"^[0-9]{1,3}(?:[ \u00a0][0-9]{3})+(?:[.,][0-9]+)?$")


def amount_from_cell(value: Cell) -> int | None:
    """Integer đồng from a spreadsheet or text cell; None for a blank cell.

    Numbers are taken as they are (a fraction must be zero). Text may group thousands with ``,`` ``.`` or spaces
    and carry decimals after the other mark (``1.000.000``, ``1,000,000.00``, ``1.000.000,00``), a sign, brackets
    for a negative amount, and a currency word (``VND``, ``đ``). A single mark followed by exactly three digits
    groups thousands (``1.000`` is one thousand). Raises :class:`ValueProblem` with a Vietnamese reason.
    """
    if _blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueProblem("Số tiền không đúng định dạng")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueProblem("Số tiền không đúng định dạng")
        if not value.is_integer():
            raise ValueProblem("Số tiền có phần lẻ dưới 1 đồng")
        return int(value)
    text = _CURRENCY.sub("", value.strip()).strip()
    if text.startswith("+"):
        text = text[1:].lstrip()
    body = text.strip("-() ")
    if _GROUPED_SPACE.match(body):
        text = text.replace(" ", "").replace("\u00a0", "")
        body = body.replace(" ", "").replace("\u00a0", "")
    dot, comma = body.rfind("."), body.rfind(",")
    thousands, decimal = ",", None
    if dot >= 0 and comma >= 0:
        decimal = "." if dot > comma else ","
        thousands = "," if decimal == "." else "."
    elif dot >= 0 or comma >= 0:
        mark = "." if dot >= 0 else ","
        if body.count(mark) == 1 and len(body) - body.index(mark) - 1 != 3:
            thousands, decimal = "", mark
        else:
            thousands = mark
    return parse_amount(text, thousands, decimal)


_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:\.[0-9]+)?)?"
_DMY = re.compile(rf"^([0-9]{{1,2}})[/.\-]([0-9]{{1,2}})[/.\-]([0-9]{{4}}){_TIME}$")
_YMD = re.compile(rf"^([0-9]{{4}})-([0-9]{{2}})-([0-9]{{2}}){_TIME}$")
_EXCEL_EPOCH = date(1899, 12, 30)


def date_from_cell(value: Cell) -> date | None:
    """The booking date of a cell; None for a blank cell. Raises :class:`ValueProblem` otherwise.

    Accepts spreadsheet dates, ``dd/mm/yyyy`` (also with ``-`` or ``.``, and with a time after it), ISO
    ``yyyy-mm-dd``, and an Excel day number in a cell not formatted as a date. Only the first line of a cell is
    read (some exports print the reference under the date in the same cell).
    """
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value < 80000:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueProblem("Ngày không đúng định dạng dd/mm/yyyy")
    if not isinstance(value, str):
        raise ValueProblem("Ngày không đúng định dạng dd/mm/yyyy")
    text = value.strip().splitlines()[0].strip()
    match = _DMY.match(text)
    if match:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    else:
        match = _YMD.match(text)
        if match is None:
            raise ValueProblem("Ngày không đúng định dạng dd/mm/yyyy")
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem("Ngày không tồn tại") from None


# --- reading files into grids -----------------------------------------------------------------------------------


def is_spreadsheet(path: str | Path) -> bool:
    return Path(path).suffix.lower() in SPREADSHEET_SUFFIXES


def spreadsheet_grid(path: str | Path, sheet: str | int | None = None, nrows: int | None = None) -> Grid:
    """The rows of one sheet (the first unless ``sheet`` names one or gives its 0-based index), numbered as in
    the spreadsheet (row 1 first)."""
    from python_calamine import CalamineError, CalamineWorkbook

    path = Path(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except CalamineError as exc:
        with open(path, "rb") as raw:
            start = raw.read(512).lstrip().lower()
        if start.startswith((b"<", b"\xef\xbb\xbf<")):
            raise MappingError(
                f"Tệp {path.name} là trang HTML mang đuôi Excel; hãy mở bằng Excel hoặc LibreOffice và lưu lại "
                f"thành .xlsx") from exc
        raise MappingError(f"Không đọc được tệp bảng tính {path.name} ({exc})") from exc
    names = workbook.sheet_names
    if not names:
        raise MappingError(f"Tệp {path.name} không có trang tính nào")
    try:
        if sheet is None:
            worksheet = workbook.get_sheet_by_index(0)
        elif isinstance(sheet, int):
            worksheet = workbook.get_sheet_by_index(sheet)
        else:
            worksheet = workbook.get_sheet_by_name(sheet)
    except (CalamineError, IndexError, KeyError, ValueError):
        raise MappingError(f"Không có trang tính “{sheet}” trong tệp {path.name}; các trang: {', '.join(names)}") \
            from None
    rows = worksheet.to_python(skip_empty_area=False, nrows=nrows)
    return [(i + 1, list(row)) for i, row in enumerate(rows)]


def _decode(raw: bytes, encoding: str | None) -> str:
    if encoding is None:
        encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise MappingError(f"Tệp không đúng bảng mã {encoding} (byte {exc.start})") from None


def _sniff_delimiter(text: str) -> str:
    sample = text[: 64 * 1024]
    best, width = ",", 0
    for delimiter in (",", ";", "\t"):
        rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))[:HEADER_SCAN_ROWS]
        widest = max((len(r) for r in rows), default=0)
        if widest > width:
            best, width = delimiter, widest
    return best


def text_grid(path: str | Path, encoding: str | None = None, delimiter: str | None = None,
              limit: int | None = None) -> Grid:
    """The records of a delimited text file (plain or ``.gz``), each with the physical line it starts on."""
    path = Path(path)
    with gzip.open(path) if path.suffix == ".gz" else open(path, "rb") as stream:
        raw = stream.read(256 * 1024) if limit is not None else stream.read()
    text = _decode(raw, encoding) if limit is None else raw.decode(encoding or "utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or _sniff_delimiter(text))
    grid: Grid = []
    line = 0
    try:
        for record in reader:
            grid.append((line + 1, list(record)))
            line = reader.line_num
            if limit is not None and len(grid) >= limit:
                break
    except csv.Error as exc:
        raise MappingError(f"Dòng {reader.line_num} không đúng cấu trúc CSV ({exc})") from None
    return grid


# The last spreadsheet read whole: detecting the layout and then reading the file (what the importer does) loads
# the sheet once. Keyed by path, size and modification time, so a changed file is read again.
_last_sheet: tuple[tuple[str, int, int, str | int | None], Grid] | None = None


def read_grid(path: str | Path, *, sheet: str | int | None = None, limit: int | None = None) -> Grid:
    """A spreadsheet's first (or named) sheet, or a delimited text file, as numbered rows of cells; with
    ``limit``, at least the first ``limit`` rows."""
    global _last_sheet
    if not is_spreadsheet(path):
        return text_grid(path, limit=limit)
    stat = Path(path).stat()
    key = (str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns, sheet)
    if _last_sheet is not None and _last_sheet[0] == key:
        grid = _last_sheet[1]
        if limit is None:
            _last_sheet = None
        return grid
    grid = spreadsheet_grid(path, sheet)
    _last_sheet = (key, grid) if limit is not None else None
    return grid


# --- header -----------------------------------------------------------------------------------------------------


def _label_parts(value: Cell) -> set[str]:
    text = cell_text(value)
    if not text.strip():
        return set()
    parts = {" ".join(fold(text).split())}
    for piece in re.split(r"[/\n|]", text):
        piece = " ".join(fold(piece).split()).strip(" :.()")
        if piece:
            parts.add(piece)
    return parts


@dataclass(frozen=True)
class Header:
    """Where the header is (0-based position in the grid, 1 or 2 rows) and the column of each field."""

    index: int
    rows: int
    columns: dict[str, int]
    labels: dict[str, str]


def _resolve(layout: BankLayout, cells: list[set[str]]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    taken: set[int] = set()
    for name in FIELDS:
        for label in layout.alternatives.get(name, ()):
            hits = [i for i, parts in enumerate(cells) if label in parts and i not in taken]
            if hits:
                found[name] = hits[0]
                taken.add(hits[0])
                break
    if "date" not in found or "memo" not in found:
        return None
    if "debit" in found and "credit" in found:
        found.pop("amount", None)
    elif "amount" in found:
        found.pop("debit", None)
        found.pop("credit", None)
    else:
        return None
    return found


def find_header(grid: Sequence[tuple[int, list[Cell]]], layout: BankLayout) -> Header | None:
    """The header among the first :data:`HEADER_SCAN_ROWS` rows: one row, or two rows read together (a
    Vietnamese row over an English row, or a merged "Số tiền" cell over "Nợ" and "Có")."""
    scan = min(len(grid), HEADER_SCAN_ROWS)
    for index in range(scan):
        row = grid[index][1]
        cells = [_label_parts(c) for c in row]
        columns = _resolve(layout, cells)
        rows = 1
        if columns is None and index + 1 < len(grid):
            below = [_label_parts(c) for c in grid[index + 1][1]]
            if _resolve(layout, below) is not None:
                continue  # the next row is a header on its own
            width = max(len(cells), len(below))
            joined = [
                (cells[i] if i < len(cells) else set()) | (below[i] if i < len(below) else set())
                for i in range(width)
            ]
            columns = _resolve(layout, joined)
            rows = 2
        if columns is None:
            continue
        header_rows = [grid[index + k][1] for k in range(rows)]
        if rows == 1 and index + 1 < len(grid) and _is_label_row(layout, grid[index + 1][1], columns):
            header_rows.append(grid[index + 1][1])
            rows = 2
        labels = {}
        for name, col in columns.items():
            texts = [" / ".join(" ".join(part.split()) for part in cell_text(r[col]).splitlines() if part.strip())
                     for r in header_rows if col < len(r)]
            labels[name] = " / ".join(t for t in texts if t) or name
        return Header(index, rows, columns, labels)
    return None


def _is_label_row(layout: BankLayout, row: list[Cell], columns: dict[str, int]) -> bool:
    """An English header row under a Vietnamese one: no date, and at least two cells that are known labels."""
    i_date = columns["date"]
    if i_date < len(row):
        try:
            if date_from_cell(row[i_date]) is not None:
                return False
        except ValueProblem:
            pass
    known = {label for labels in layout.alternatives.values() for label in labels}
    return sum(1 for c in row if _label_parts(c) & known) >= 2


_NUMBERING = re.compile(r"^\(?[0-9]{1,2}\)?$|^\(?[a-z]\)?$")


def _is_numbering_row(row: list[Cell]) -> bool:
    """The "(1) (2) (3)…" line some exports print under the header."""
    cells = [cell_text(c).strip() for c in row if not _blank(c)]
    return len(cells) >= 2 and all(_NUMBERING.match(fold(c)) for c in cells)


def detect_layout(grid: Sequence[tuple[int, list[Cell]]]) -> BankLayout | None:
    """The bank layout of an export, from its header and the bank's name or title above it; None when no header
    is found. An export with a header but no known bank gets the generic ``bank_export`` layout."""
    header = find_header(grid, GENERIC)
    if header is None:
        return None
    above = " | ".join(" ".join(fold(cell_text(c)).split()) for _, row in grid[: header.index] for c in row)
    above_words = f" {re.sub(r'[^a-z0-9]+', ' ', above)} "
    for layout in BANK_LAYOUTS.values():
        if any(f" {marker} " in above_words for marker in layout.markers):
            return layout
    return GENERIC


# --- metadata ---------------------------------------------------------------------------------------------------


def account_in(rows: Iterable[list[Cell]]) -> str | None:
    """The account number printed on an "Số tài khoản / Account number" line (not the "old account" line)."""
    for row in rows:
        folded = fold(" ".join(" ".join(cell_text(c).split()) for c in row if not _blank(c)))
        for label in _ACCOUNT_LABELS:
            at = folded.find(label)
            if at < 0:
                continue
            after = folded[at + len(label): at + len(label) + 12]
            if _OLD_ACCOUNT.search(after) or folded[max(0, at - 4): at] == "ten " or after.lstrip(" /").startswith(
                    ("name", "ten", "type", "loai")):
                break
            match = _ACCOUNT_DIGITS.search(folded[at + len(label):])
            if match:
                return match.group(0)
            break
    return None


def _same_account(a: str, b: str) -> bool:
    return a.lstrip("0") == b.lstrip("0")


def _summary_kind(row: list[Cell]) -> tuple[str, int] | None:
    """("opening" | "closing" | "total", column of the label) when a cell of the row is such a label."""
    for col, value in enumerate(row):
        if _blank(value) or not isinstance(value, str):
            continue
        folded = " ".join(fold(value).split())
        if _OPENING_RE.match(folded):
            return "opening", col
        if _CLOSING_RE.match(folded):
            return "closing", col
        if _TOTAL_RE.match(folded):
            return "total", col
    return None


def _summary_value(row: list[Cell], label_col: int, balance_col: int | None) -> int | None:
    """The balance printed on an opening/closing line: after a colon in the label cell, else the first amount to
    the right of the label, else the balance column."""
    label = cell_text(row[label_col])
    candidates: list[Cell] = []
    if ":" in label:
        candidates.append(label.split(":", 1)[1])
    candidates.extend(row[label_col + 1:])
    if balance_col is not None and balance_col < len(row):
        candidates.append(row[balance_col])
    for value in candidates:
        try:
            amount = amount_from_cell(value)
        except ValueProblem:
            continue
        if amount is not None:
            return amount
    return None


# --- the reader -------------------------------------------------------------------------------------------------


def parse_grid(grid: Grid, layout: BankLayout, *, account_number: str | None = None,
               source: str = "") -> BankParseResult:
    """Every row of a bank export, or every row error; see the module docstring.

    Raises :class:`MappingError` when no header is found in the first rows, and :class:`AccountMismatch` when
    ``account_number`` is given and the export prints another one.
    """
    header = find_header(grid, layout)
    if header is None:
        raise MappingError(
            f"Không tìm thấy dòng tiêu đề (ngày giao dịch, nội dung, số tiền) trong {HEADER_SCAN_ROWS} dòng đầu"
            + (f" của tệp {source}" if source else ""))
    account = account_in(row for _, row in grid[: header.index])
    if account_number is not None and account is not None and not _same_account(account, account_number):
        raise AccountMismatch(
            f"Tệp {source + ' ' if source else ''}là sao kê của tài khoản {account}, không phải tài khoản "
            f"{account_number}; không nhập tệp này")

    cols = header.columns
    labels = header.labels
    i_date, i_memo = cols["date"], cols["memo"]
    i_amount = cols.get("amount")
    i_balance, i_ref = cols.get("balance"), cols.get("ref")
    money_cols = [(name, cols[name]) for name in ("amount", "credit", "debit") if name in cols]
    width = max(cols.values()) + 1

    rows: list[StatementRow] = []
    errors: list[RowError] = []
    keys = RowKeys()
    pending: list[Any] | None = None  # [line, booked_on, amount, memo parts, balance, ref]
    closed = False
    dates: dict[str, date] = {}
    amounts: dict[str, int] = {}
    totals: list[tuple[int, int | None, int | None]] = []  # (line, debit total, credit total) of total lines
    last_date: date | None = None
    opening: int | None = None
    opening_line = 0
    closing: int | None = None
    closing_line = 0

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            line, booked_on, amount, parts, balance, ref = pending
            memo = normalise_memo(" ".join(parts))
            rows.append(StatementRow(line, booked_on, amount, memo, balance, ref,
                                     keys.key(booked_on, ref, amount, memo)))
            pending = None

    for line, raw in grid[: header.index]:
        summary = _summary_kind(raw)
        if summary is not None and summary[0] in ("opening", "closing"):
            value = _summary_value(raw, summary[1], None)
            if value is not None and summary[0] == "opening" and opening is None:
                opening, opening_line = value, line
            elif value is not None and summary[0] == "closing":
                closing, closing_line = value, line

    body = grid[header.index + header.rows:]
    if body and _is_numbering_row(body[0][1]):
        body = body[1:]
    for line, raw in body:
        row = raw + [None] * (width - len(raw)) if len(raw) < width else raw
        if all(_blank(c) for c in row):
            continue
        debit_credit_blank = all(_blank(row[i]) for _, i in money_cols)
        money_blank = debit_credit_blank and (i_balance is None or _blank(row[i_balance]))
        date_cell = row[i_date]
        date_problem = None
        booked_on = dates.get(date_cell) if isinstance(date_cell, str) else None
        if booked_on is None:
            try:
                booked_on = date_from_cell(date_cell)
            except ValueProblem as exc:
                date_problem = exc.args[0]
            if booked_on is not None and isinstance(date_cell, str):
                dates[date_cell] = booked_on
        # Only a row without a date or without an amount can be an opening, closing or total line.
        summary = _summary_kind(row) if booked_on is None or debit_credit_blank else None
        if summary is not None:
            kind, at = summary
            flush()
            if kind == "opening":
                value = _summary_value(row, at, i_balance)
                if value is not None and opening is None:
                    opening, opening_line = value, line
            else:
                closed = True
                if kind == "closing":
                    value = _summary_value(row, at, i_balance)
                    if value is not None:
                        closing, closing_line = value, line
                elif "debit" in cols:
                    totals.append((line, _total_of(row[cols["debit"]]), _total_of(row[cols["credit"]])))
            continue
        if booked_on is None:
            if date_problem is not None:
                if money_blank:
                    continue  # a note or signature line under the table, not a transaction
                errors.append(RowError(line, labels["date"], cell_text(row[i_date]), date_problem))
                continue
            if money_blank:
                memo_more = cell_text(row[i_memo]).strip()
                if memo_more and pending is not None and not closed:
                    pending[3].append(memo_more)
                continue
            if layout.fill_down_dates and last_date is not None:
                booked_on = last_date
            else:
                errors.append(RowError(line, labels["date"], "", "Thiếu ngày giao dịch"))
                continue
        last_date = booked_on
        failed = False
        amount = 0
        seen = False
        for name, i in money_cols:
            cell = row[i]
            try:
                value = amounts.get(cell) if isinstance(cell, str) else None
                if value is None:
                    value = amount_from_cell(cell)
                    if value is not None and isinstance(cell, str) and len(amounts) < 100_000:
                        amounts[cell] = value
            except ValueProblem as exc:
                failed = True
                errors.append(RowError(line, labels[name], cell_text(row[i]), exc.args[0]))
                continue
            if value is not None:
                seen = True
                amount += -value if name == "debit" else value
        balance: int | None = None
        if i_balance is not None:
            try:
                balance = amount_from_cell(row[i_balance])
            except ValueProblem as exc:
                failed = True
                errors.append(RowError(line, labels["balance"], cell_text(row[i_balance]), exc.args[0]))
        if not seen and balance is None and not failed:
            errors.append(RowError(line, labels["amount" if i_amount is not None else "credit"], "",
                                   "Thiếu số tiền"))
            continue
        if failed:
            continue
        flush()
        closed = False
        ref = cell_text(row[i_ref]).strip() if i_ref is not None else ""
        pending = [line, booked_on, amount, [cell_text(row[i_memo])], balance, ref]
    flush()
    return BankParseResult(
        rows=[] if errors else rows, errors=errors, layout=layout.name, account_number=account,
        opening=opening, opening_line=opening_line, closing=closing, closing_line=closing_line,
        totals=totals[0] if len(totals) == 1 else None,
    )


def _total_of(value: Cell) -> int | None:
    try:
        return amount_from_cell(value)
    except ValueProblem:
        return None


def read_bank_export(path: str | Path, layout: BankLayout | None = None, *, account_number: str | None = None,
                     sheet: str | int | None = None) -> BankParseResult:
    """Read a bank's XLSX or CSV export; the layout is detected when not given (see :func:`detect_layout`)."""
    path = Path(path)
    grid = read_grid(path, sheet=sheet)
    if layout is None:
        layout = detect_layout(grid)
        if layout is None:
            raise MappingError(
                f"Không nhận ra định dạng sao kê của tệp {path.name}; hãy chọn định dạng hoặc cung cấp tệp mapping "
                f"JSON")
    return parse_grid(grid, layout, account_number=account_number, source=path.name)


# --- reconciliation ---------------------------------------------------------------------------------------------


def statement_breaks(result: ParseResult) -> list[BalanceBreak]:
    """Running-balance breaks of a parsed statement, counting the export's own opening and closing lines.

    For a bank export the opening balance opens the chain (so the first row is checked too), and the closing
    balance must equal the opening balance plus every row (or the last printed balance plus the rows after it);
    a closing line that does not is one more break, at the closing line, with no repair. A single total line
    ("Tổng cộng / Total") whose debit or credit sum differs from the rows' is a break at that line too (expected:
    the rows' sum, found: the printed total). Other results get
    :func:`~mattran.funds.statements.reconcile.check_balances` unchanged.
    """
    rows = list(result.rows)
    if not isinstance(result, BankParseResult):
        return check_balances(rows)
    if result.opening is not None and rows:
        start = StatementRow(result.opening_line, rows[0].booked_on, 0, "", result.opening, "", "opening")
        breaks = check_balances([start, *rows])
    else:
        breaks = check_balances(rows)
    if result.totals is not None:
        line, debit_total, credit_total = result.totals
        for printed, rows_sum in ((debit_total, -sum(r.amount for r in rows if r.amount < 0)),
                                  (credit_total, sum(r.amount for r in rows if r.amount > 0))):
            if printed is not None and printed != rows_sum:
                breaks.append(BalanceBreak(line=line, row_key="", expected=rows_sum, found=printed, parsed_amount=0,
                                           implied_amount=printed - rows_sum, repair=None))
    if result.closing is None:
        return breaks
    running = result.opening
    for row in rows:
        running = row.balance if row.balance is not None else (None if running is None else running + row.amount)
    if running is not None and running != result.closing:
        breaks.append(BalanceBreak(
            line=result.closing_line, row_key="", expected=running, found=result.closing, parsed_amount=0,
            implied_amount=result.closing - running, repair=None,
        ))
    return breaks
