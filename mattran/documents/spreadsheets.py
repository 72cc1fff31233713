"""Indicator tables as .xlsx (XlsxWriter): a title row, a bold header row, numbers with thousands separators."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter

FONT = "Times New Roman"
NUMBER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
Cell = str | int | Decimal | float | None


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 14  # in characters, as Excel measures column widths
    numeric: bool = False


@dataclass(frozen=True)
class Sheet:
    """One worksheet: ``name`` (at most 31 characters, Excel's limit), a ``title`` above the table."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _sheet_name(name: str, used: set[str]) -> str:
    base = name.translate(_FORBIDDEN).strip()[:31] or "Bang"
    candidate, n = base, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.casefold())
    return candidate


def render_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as .xlsx bytes. Integer and Decimal cells are written as numbers; in ``numeric`` columns
    with thousands separators ("#,##0", two decimals when the value has a fraction)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    base = {"font_name": FONT, "font_size": 12, "valign": "vcenter"}
    title_fmt = book.add_format({**base, "bold": True, "font_size": 14, "align": "center"})
    note_fmt = book.add_format({**base, "italic": True, "align": "center"})
    header_fmt = book.add_format({**base, "bold": True, "border": 1, "align": "center", "text_wrap": True,
                                  "bg_color": "#F2F2F2"})
    text_fmt = book.add_format({**base, "border": 1, "text_wrap": True})
    plain_fmt = book.add_format({**base, "border": 1, "align": "center"})
    int_fmt = book.add_format({**base, "border": 1, "num_format": NUMBER_FORMAT})
    dec_fmt = book.add_format({**base, "border": 1, "num_format": DECIMAL_FORMAT})
    used: set[str] = set()
    for sheet in sheets or [Sheet(name="Bang", title="", columns=(), rows=())]:
        ws = book.add_worksheet(_sheet_name(sheet.name, used))
        last_col = max(len(sheet.columns) - 1, 0)
        row = 0
        if sheet.title:
            if last_col:
                ws.merge_range(row, 0, row, last_col, sheet.title, title_fmt)
            else:
                ws.write_string(row, 0, sheet.title, title_fmt)
            row += 1
        if sheet.note:
            if last_col:
                ws.merge_range(row, 0, row, last_col, sheet.note, note_fmt)
            else:
                ws.write_string(row, 0, sheet.note, note_fmt)
            row += 1
        if sheet.title or sheet.note:
            row += 1
        for col, column in enumerate(sheet.columns):
            ws.set_column(col, col, column.width)
            ws.write_string(row, col, column.header, header_fmt)
        if sheet.columns:
            ws.freeze_panes(row + 1, 0)
        row += 1
        for values in sheet.rows:
            for col, value in enumerate(values):
                numeric = col < len(sheet.columns) and sheet.columns[col].numeric
                if value is None:
                    ws.write_blank(row, col, None, text_fmt)
                elif isinstance(value, int | Decimal | float) and not isinstance(value, bool):
                    whole = isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral())
                    number_fmt = (int_fmt if whole else dec_fmt) if numeric else plain_fmt
                    ws.write_number(row, col, float(value), number_fmt)
                else:
                    ws.write_string(row, col, str(value), text_fmt)
            row += 1
    book.close()
    return buffer.getvalue()
