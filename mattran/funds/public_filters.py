"""The filters of the public ledger search, read from a query string: the pages, the CSV export and the JSON API.

Anything a visitor types is accepted: the search text is passed on as it is (the search module treats it as
plain words, never as syntax), and an amount or a date that cannot be read gives a Vietnamese message for that
field instead of an error page. Amounts are integer đồng written the Vietnamese way (``500.000``, ``500000``,
``500.000 ₫``, ``500k``, ``2tr``); dates are day/month/year (``03/09/2024``, ``3-9-2024``) or ISO
(``2024-09-03``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

#: Longer search text is cut here: a name or a memo phrase is never this long, and the cut keeps the search cheap.
MAX_TEXT = 300
MAX_AMOUNT = 10**15  # đồng; far above any real transfer, and within every database's 64-bit integer

#: Query-string names on the HTML pages (Vietnamese) and in the JSON API (English), field by field.
PAGE_NAMES = {"text": "q", "amount_min": "tien_tu", "amount_max": "tien_den", "date_from": "tu_ngay",
              "date_to": "den_ngay", "direction": "chieu"}
API_NAMES = {"text": "q", "amount_min": "amount_min", "amount_max": "amount_max", "date_from": "date_from",
             "date_to": "date_to", "direction": "direction"}
#: Money in, money out, or both; money in unless asked.
DIRECTIONS = {"credit": "Tiền vào (ủng hộ)", "debit": "Tiền ra (chi)", "all": "Cả hai"}

AMOUNT_HELP = "Số nguyên đồng, ví dụ 500.000 hoặc 500k, 2tr."
DATE_HELP = "Ngày/tháng/năm, ví dụ 03/09/2024."

_AMOUNT = re.compile(
    r"^(?P<number>\d{1,3}(?:[.,  ]\d{3})+|\d+)(?:[.,](?P<fraction>\d{1,2}))?\s*"
    r"(?P<unit>k|nghìn|nghin|ngàn|ngan|tr|triệu|trieu|tỷ|ty|tỉ|ti)?\s*"
    r"(?:₫|đ|d|vnd|vnđ|đồng|dong)?$",
    re.IGNORECASE,
)
_UNITS = {"k": 1_000, "nghìn": 1_000, "nghin": 1_000, "ngàn": 1_000, "ngan": 1_000,
          "tr": 1_000_000, "triệu": 1_000_000, "trieu": 1_000_000,
          "tỷ": 1_000_000_000, "ty": 1_000_000_000, "tỉ": 1_000_000_000, "ti": 1_000_000_000}
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class FilterError(ValueError):
    pass


def parse_amount(raw: str) -> int:
    """``"500.000 ₫"`` → 500000. Raises :class:`FilterError` with a Vietnamese message."""
    text = " ".join(raw.split()).lower()
    match = _AMOUNT.match(text)
    if match is None:
        raise FilterError(f"“{_short(raw)}” không phải số tiền. {AMOUNT_HELP}")
    number = int(re.sub(r"[.,  ]", "", match["number"]))
    unit = _UNITS.get((match["unit"] or "").lower(), 1)
    fraction = match["fraction"]
    if fraction is not None:
        if unit == 1:
            raise FilterError(f"“{_short(raw)}”: số tiền là số nguyên đồng, không có phần lẻ. {AMOUNT_HELP}")
        number = number * unit + int(fraction.ljust(len(str(unit)) - 1, "0")[: len(str(unit)) - 1])
        unit = 1
    value = number * unit
    if value > MAX_AMOUNT:
        raise FilterError("Số tiền quá lớn.")
    return value


def parse_date(raw: str) -> dt.date:
    """``"03/09/2024"`` or ``"2024-09-03"`` → ``date(2024, 9, 3)``; a Vietnamese message otherwise."""
    text = raw.strip()
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise FilterError(f"“{_short(raw)}” không phải ngày. {DATE_HELP}")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise FilterError(f"Ngày {_short(raw)} không có trên lịch. {DATE_HELP}") from None


def _short(raw: str, limit: int = 40) -> str:
    raw = " ".join(raw.split())
    return raw if len(raw) <= limit else raw[:limit] + "…"


@dataclass(frozen=True)
class PublicFilter:
    """What the visitor asked for. ``errors`` maps a field (``amount_min``…) to its message; a field with an
    error is left out of the search, so the visitor still gets results for the rest."""

    text: str = ""
    amount_min: int | None = None
    amount_max: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    direction: str = "credit"
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """No search text and no usable filter: the page shows no result table."""
        return not self.text and self.amount_min is None and self.amount_max is None \
            and self.date_from is None and self.date_to is None and self.direction == "credit"

    @property
    def ok(self) -> bool:
        return not self.errors


def read_filter(params: Mapping[str, str], *, names: Mapping[str, str] = PAGE_NAMES) -> PublicFilter:
    """Read the filters from ``params`` (``request.GET``) under ``names``; never raises."""
    raw = {key: str(params.get(name, "") or "") for key, name in names.items()}
    errors: dict[str, str] = {}
    text = " ".join(raw["text"].replace("\x00", " ").split())[:MAX_TEXT]

    def amount(key: str) -> int | None:
        if raw[key].strip():
            try:
                return parse_amount(raw[key])
            except FilterError as exc:
                errors[key] = str(exc)
        return None

    def day(key: str) -> dt.date | None:
        if raw[key].strip():
            try:
                return parse_date(raw[key])
            except FilterError as exc:
                errors[key] = str(exc)
        return None

    amount_min, amount_max = amount("amount_min"), amount("amount_max")
    date_from, date_to = day("date_from"), day("date_to")
    if amount_min is not None and amount_max is not None and amount_min > amount_max:
        errors["amount_max"] = "Số tiền “đến” phải lớn hơn hoặc bằng số tiền “từ”."
        amount_max = None
    if date_from is not None and date_to is not None and date_from > date_to:
        errors["date_to"] = "Ngày “đến” phải sau hoặc trùng ngày “từ”."
        date_to = None
    direction = raw["direction"].strip() or "credit"
    if direction not in DIRECTIONS:
        errors["direction"] = "Chỉ chọn tiền vào, tiền ra hoặc cả hai."
        direction = "credit"
    return PublicFilter(text=text, amount_min=amount_min, amount_max=amount_max, date_from=date_from,
                        date_to=date_to, direction=direction, errors=errors, raw=raw)
