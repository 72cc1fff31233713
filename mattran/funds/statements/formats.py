"""Built-in statement formats, detection from the header, and opening files (plain or gzip) as text lines."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO

from mattran.funds.statements import bank_exports
from mattran.funds.statements.bank_exports import BankLayout, is_spreadsheet
from mattran.funds.statements.mapping import Mapping, MappingError, parse_statement, resolve_columns
from mattran.funds.statements.rows import ParseResult

# The community CSVs of the Yagi relief statements (see ../shared/data/statements/README.md).
VCB_COMMUNITY_CSV = Mapping(
    name="vcb_community_csv",
    columns={
        "date": "TNXDate", "ref": "DocNo", "debit": "Debit", "credit": "Credit", "balance": "Balance",
        "memo": "TransactionDetails",
    },
    date_format="%d/%m/%Y",
    thousands_separator=".",
)
AGRIBANK_COMMUNITY_CSV = Mapping(
    name="agribank_community_csv",
    columns={
        "date": "Date", "ref": "ReferenceNumber", "debit": "DebitAmount", "credit": "CreditAmount",
        "balance": "Balance", "memo": "TransactionDetails",
    },
    date_format="%d/%m/%Y",
    thousands_separator=",",
    decimal_separator=".",
)

# The bank exports (XLSX or CSV, read by their labels: ``bank_exports.py``), after the community CSVs.
FORMATS: dict[str, Mapping] = {
    m.name: m for m in (VCB_COMMUNITY_CSV, AGRIBANK_COMMUNITY_CSV, *bank_exports.BANK_LAYOUTS.values())
}

_HEADERS = {
    "vcb_community_csv": ["PageId", "TNXDate", "DocNo", "Debit", "Credit", "Balance", "TransactionDetails"],
    "agribank_community_csv": [
        "PageId", "Date", "Time", "DocumentNumber", "ReferenceNumber", "TransactionDetails", "DebitAmount",
        "CreditAmount", "Balance", "OffsetAccount",
    ],
}


def detect_format(header: list[str] | str) -> str | None:
    """Name of the built-in format whose header this is (a parsed row or the raw first line), else None."""
    if isinstance(header, str):
        header = next(csv.reader([header.lstrip("\ufeff")]), [])
    cells = [cell.strip().lstrip("\ufeff") for cell in header]
    for name, expected in _HEADERS.items():
        if cells == expected:
            return name
    return None


@contextmanager
def open_text(path: str | Path, encoding: str = "utf-8-sig") -> Iterator[IO[str]]:
    """A text stream over a statement file, gunzipped when its name ends in ``.gz``; newlines kept for csv."""
    path = Path(path)
    if path.suffix == ".gz":
        stream: IO[str] = gzip.open(path, "rt", encoding=encoding, newline="")  # noqa: SIM115 - closed below
    else:
        stream = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed below
    try:
        yield stream
    finally:
        stream.close()


def mapping_for(path: str | Path, fmt: str = "auto", mapping: Mapping | None = None) -> Mapping:
    """The mapping for ``path``: the given one, the named built-in, or the built-in detected from the header."""
    if mapping is not None:
        return mapping
    if fmt != "auto":
        try:
            return FORMATS[fmt]
        except KeyError:
            raise MappingError(f"Định dạng không được hỗ trợ: {fmt}") from None
    path = Path(path)
    if not is_spreadsheet(path):
        with gzip.open(path) if path.suffix == ".gz" else open(path, "rb") as raw:
            first = raw.readline(64 * 1024).decode("utf-8-sig", errors="replace")
        name = detect_format(first)
        if name is not None:
            return FORMATS[name]
    layout = bank_exports.detect_layout(bank_exports.read_grid(path, limit=bank_exports.HEADER_SCAN_ROWS + 2))
    if layout is None:
        raise MappingError("Không nhận ra định dạng sao kê; hãy chọn định dạng hoặc cung cấp tệp mapping JSON")
    return layout


def read_statement(path: str | Path, fmt: str = "auto", mapping: Mapping | None = None, *,
                   account_number: str | None = None) -> ParseResult:
    """Parse a whole file (all rows or all errors). Raises :class:`MappingError` for an unknown layout.

    A bank export (``bank_exports``) whose account number line names another account than ``account_number``
    raises :class:`~mattran.funds.statements.bank_exports.AccountMismatch` (a ``MappingError``). Spreadsheets
    (``.xlsx`` …) are read with a bank layout or with a JSON mapping, whose ``sheet`` picks the sheet.
    """
    chosen = mapping_for(path, fmt, mapping)
    if isinstance(chosen, BankLayout):
        return bank_exports.read_bank_export(path, chosen, account_number=account_number, sheet=chosen.sheet)
    if is_spreadsheet(path):
        grid = bank_exports.spreadsheet_grid(path, chosen.sheet)
        lines = _spreadsheet_lines(grid, chosen)
        return parse_statement(lines, _with_header_found(lines, chosen))
    if chosen.find_header:
        with open_text(path, chosen.encoding) as stream:
            head = [next(stream, "") for _ in range(bank_exports.HEADER_SCAN_ROWS)]
        chosen = _with_header_found(head, chosen)
    with open_text(path, chosen.encoding) as stream:
        return parse_statement(stream, chosen)


def _with_header_found(lines: list[str], mapping: Mapping) -> Mapping:
    """The mapping with ``skip_rows`` set to the first of the first 30 rows where every column label is found."""
    if not mapping.find_header:
        return mapping
    for index, cells in enumerate(csv.reader(lines[: bank_exports.HEADER_SCAN_ROWS], delimiter=mapping.delimiter)):
        try:
            resolve_columns(mapping, cells)
        except MappingError:
            continue
        return replace(mapping, skip_rows=index, find_header=False)
    raise MappingError(f"Không tìm thấy dòng tiêu đề có đủ các cột của mapping trong "
                       f"{bank_exports.HEADER_SCAN_ROWS} dòng đầu")


def _spreadsheet_lines(grid: bank_exports.Grid, mapping: Mapping) -> list[str]:
    """A sheet as delimited text lines, one per spreadsheet row (so line numbers are row numbers), with dates in
    the mapping's date format and numbers written plainly, for the mapping's own parser."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=mapping.delimiter, lineterminator="\n")
    decimal = mapping.decimal_separator or "."
    lines: list[str] = []
    for _, row in grid:
        cells: list[str] = []
        for value in row:
            if isinstance(value, date):
                cells.append(value.strftime(mapping.date_format))
            elif isinstance(value, float) and not value.is_integer():
                cells.append(repr(value).replace(".", decimal))
            else:
                cells.append(" ".join(bank_exports.cell_text(value).splitlines()))
        writer.writerow(cells)
        lines.append(out.getvalue())
        out.seek(0)
        out.truncate()
    return lines
