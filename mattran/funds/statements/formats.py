"""Built-in statement formats, detection from the header, and opening files (plain or gzip) as text lines."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from mattran.funds.statements.mapping import Mapping, MappingError, parse_statement
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

FORMATS: dict[str, Mapping] = {m.name: m for m in (VCB_COMMUNITY_CSV, AGRIBANK_COMMUNITY_CSV)}

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
    with gzip.open(path) if path.suffix == ".gz" else open(path, "rb") as raw:
        first = raw.readline(64 * 1024).decode("utf-8-sig", errors="replace")
    name = detect_format(first)
    if name is None:
        raise MappingError("Không nhận ra định dạng sao kê; hãy chọn định dạng hoặc cung cấp tệp mapping JSON")
    return FORMATS[name]


def read_statement(path: str | Path, fmt: str = "auto", mapping: Mapping | None = None) -> ParseResult:
    """Parse a whole file (all rows or all errors). Raises :class:`MappingError` for an unknown layout."""
    chosen = mapping_for(path, fmt, mapping)
    with open_text(path, chosen.encoding) as stream:
        return parse_statement(stream, chosen)
