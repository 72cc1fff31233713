"""Vietnamese formatting and text folding: the one place dates, money and diacritics are handled."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.utils import timezone

_WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
_ROMAN = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]


def _as_local_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def date_long(value: dt.date | dt.datetime, place: str | None = None) -> str:
    """``ngày 19 tháng 8 năm 2022``, or ``Hà Nội, ngày 19 tháng 8 năm 2022`` with a place.

    Decree 30/2020 writes day and month below 10 with a leading zero in official documents ("ngày 05 tháng 01");
    use :func:`date_official` there. Running text uses the plain form.
    """
    day = _as_local_date(value)
    text = f"ngày {day.day} tháng {day.month} năm {day.year}"
    return f"{place}, {text}" if place else text


def date_official(value: dt.date | dt.datetime, place: str) -> str:
    """Place-and-date line of an official document: days 1–9 and months 1–2 take a leading zero."""
    day = _as_local_date(value)
    dd = f"{day.day:02d}" if day.day < 10 else str(day.day)
    mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {dd} tháng {mm} năm {day.year}"


def date_short(value: dt.date | dt.datetime) -> str:
    """``19/08/2022``."""
    return _as_local_date(value).strftime("%d/%m/%Y")


def datetime_short(value: dt.datetime) -> str:
    """``19/08/2022 08:30`` in local time."""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def weekday_date(value: dt.date | dt.datetime) -> str:
    """``Thứ Năm, 26/11/2026`` as printed in the portal header."""
    day = _as_local_date(value)
    return f"{_WEEKDAYS[day.weekday()]}, {date_short(day)}"


def money(amount: int | None) -> str:
    """Integer đồng as ``1.000.000 ₫``. Money is never a float in this codebase."""
    if amount is None:
        return ""
    if not isinstance(amount, int):
        raise TypeError("money() takes integer đồng")
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + " ₫"


def roman(number: int) -> str:
    """Roman numeral for term and congress ordinals (``khóa XV``)."""
    if number <= 0:
        raise ValueError("ordinals start at 1")
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics, including đ/Đ, for diacritic-blind matching."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).casefold()
