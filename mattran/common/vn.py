"""Vietnamese formatting and text folding: the one place dates, money and diacritics are handled."""

from __future__ import annotations

import datetime as dt
import re
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


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUP_NAMES = ["", "nghìn", "triệu"]  # then "tỷ", and the reading starts over above it


def _three_digits(group: int, *, full: bool) -> list[str]:
    """Words for 0 < ``group`` < 1000. ``full`` reads "không trăm" and "linh", as every group after the first
    one is read ("một triệu không trăm linh năm")."""
    hundreds, rest = divmod(group, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _below_billion(number: int, *, full: bool) -> list[str]:
    groups = [(number // 1_000_000) % 1000, (number // 1000) % 1000, number % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if group == 0:
            continue
        words += _three_digits(group, full=full or bool(words))
        name = _GROUP_NAMES[len(groups) - 1 - index]
        if name:
            words.append(name)
    return words


def _number_words(number: int, *, full: bool = False) -> list[str]:
    billions, rest = divmod(number, 1_000_000_000)
    words: list[str] = []
    if billions:
        words += _number_words(billions, full=full)
        words.append("tỷ")
    if rest:
        words += _below_billion(rest, full=full or bool(words))
    return words


def number_in_words(number: int) -> str:
    """A whole number in Vietnamese words, lower case: 1250000 → "một triệu hai trăm năm mươi nghìn".

    The reading used on receipts and accounting vouchers: groups of three digits named nghìn, triệu, tỷ (and
    "nghìn tỷ", "triệu tỷ" above); a group after the first is read whole ("một nghìn không trăm linh năm");
    "mười" for 10–19, "mốt" for a final 1 after "mươi", "lăm" for a final 5 after a ten; "âm" for negatives.
    """
    if isinstance(number, bool) or not isinstance(number, int):
        raise TypeError("number_in_words() takes an integer")
    if number == 0:
        return "không"
    words = _number_words(abs(number))
    return " ".join((["âm"] if number < 0 else []) + words)


def amount_in_words(amount: int) -> str:
    """Integer đồng in words for a receipt, capitalised: 1250000 → "Một triệu hai trăm năm mươi nghìn đồng"."""
    text = f"{number_in_words(amount)} đồng"
    return text[0].upper() + text[1:]


MAX_MONEY = 9_999_999_999_999  # 13 digits: what a VietQR amount field and a BigIntegerField both hold
_GROUPED_MONEY = re.compile(r"\d{1,3}(?:([., ])\d{3})(?:\1\d{3})*")
_CURRENCY_SUFFIX = re.compile(r"\s*(?:₫|đ|đồng|vnđ|vnd)\.?$", re.IGNORECASE)


class MoneyError(ValueError):
    """Text that is not a positive whole amount of đồng; the message is for the user (Vietnamese)."""


def parse_money(text: str, *, allow_zero: bool = False) -> int:
    """Read an amount typed by a person: "1.000.000", "1 000 000", "1000000", "1.000.000 đ" → 1000000.

    Groups must be of three digits with one separator throughout, so "1.5" or "1,000,000.50" are refused
    rather than guessed; so are negatives, zero (unless ``allow_zero``), and more than 13 digits.
    """
    raw = unicodedata.normalize("NFC", text or "").strip()
    raw = _CURRENCY_SUFFIX.sub("", raw)
    if not raw:
        raise MoneyError("Hãy nhập số tiền.")
    if raw.startswith("-"):
        raise MoneyError("Số tiền phải lớn hơn 0.")
    if _GROUPED_MONEY.fullmatch(raw):
        raw = re.sub(r"[., ]", "", raw)
    if not (raw.isascii() and raw.isdigit()):
        raise MoneyError("Số tiền phải là số nguyên đồng, ví dụ 1.000.000 hoặc 1000000.")
    if len(raw.lstrip("0")) > len(str(MAX_MONEY)):
        raise MoneyError("Số tiền quá lớn (tối đa 13 chữ số).")
    amount = int(raw)
    if amount == 0 and not allow_zero:
        raise MoneyError("Số tiền phải lớn hơn 0.")
    return amount
