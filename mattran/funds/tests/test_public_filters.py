"""Reading the public search's filters: any input is accepted, bad amounts and dates get a Vietnamese message."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mattran.funds.public_filters import (
    API_NAMES,
    MAX_TEXT,
    PAGE_NAMES,
    FilterError,
    parse_amount,
    parse_date,
    read_filter,
)


@pytest.mark.parametrize(("text", "amount"), [
    ("500000", 500_000), ("500.000", 500_000), ("500,000", 500_000), ("500 000", 500_000),
    ("500.000 ₫", 500_000), ("500.000đ", 500_000), ("500000 VND", 500_000), ("500k", 500_000),
    ("500 nghìn", 500_000), ("2tr", 2_000_000), ("1,5tr", 1_500_000), ("2.5 triệu", 2_500_000),
    ("1 tỷ", 1_000_000_000), ("0", 0), ("  12.345.678  ", 12_345_678),
])
def test_amounts_are_read_the_vietnamese_way(text: str, amount: int) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(("text", "message"), [
    ("abc", "không phải số tiền"), ("-5", "không phải số tiền"), ("10,5", "không có phần lẻ"),
    ("1.2.3", "không phải số tiền"), ("9" * 20, "quá lớn"), ("500 đô", "không phải số tiền"),
])
def test_bad_amounts_are_refused_with_a_vietnamese_message(text: str, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        parse_amount(text)


@pytest.mark.parametrize(("text", "day"), [
    ("03/09/2024", dt.date(2024, 9, 3)), ("3/9/2024", dt.date(2024, 9, 3)), ("03-09-2024", dt.date(2024, 9, 3)),
    ("03.09.2024", dt.date(2024, 9, 3)), ("2024-09-03", dt.date(2024, 9, 3)), (" 29/02/2024 ", dt.date(2024, 2, 29)),
])
def test_dates_are_day_month_year_or_iso(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize(("text", "message"), [
    ("31/02/2024", "không có trên lịch"), ("29/02/2023", "không có trên lịch"), ("09/2024", "không phải ngày"),
    ("hôm qua", "không phải ngày"), ("2024/09/03", "không phải ngày"), ("1/1/24", "không phải ngày"),
])
def test_bad_dates_are_refused_with_a_vietnamese_message(text: str, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        parse_date(text)


def test_each_bad_field_gets_its_own_message_and_the_rest_still_applies() -> None:
    flt = read_filter({"q": "  Nguyễn   Văn Đức ", "tien_tu": "abc", "tien_den": "2tr", "tu_ngay": "31/02/2024",
                       "den_ngay": "10/09/2024", "chieu": "sideways"})
    assert flt.text == "Nguyễn Văn Đức"
    assert set(flt.errors) == {"amount_min", "date_from", "direction"}
    assert (flt.amount_min, flt.amount_max, flt.date_from, flt.date_to) == (None, 2_000_000, None, dt.date(2024, 9, 10))
    assert flt.direction == "credit"
    assert flt.raw["amount_min"] == "abc"  # shown back to the visitor as typed


def test_reversed_ranges_are_refused_on_the_upper_bound() -> None:
    flt = read_filter({"tien_tu": "2tr", "tien_den": "1tr", "tu_ngay": "10/09/2024", "den_ngay": "01/09/2024"})
    assert "lớn hơn hoặc bằng" in flt.errors["amount_max"]
    assert "sau hoặc trùng" in flt.errors["date_to"]
    assert (flt.amount_min, flt.amount_max, flt.date_from, flt.date_to) == (2_000_000, None, dt.date(2024, 9, 10), None)


def test_an_empty_filter_asks_for_nothing() -> None:
    assert read_filter({}).is_empty
    assert not read_filter({"chieu": "all"}).is_empty
    assert not read_filter({"amount_min": "5"}, names=API_NAMES).is_empty


def test_the_text_is_cut_and_cleaned() -> None:
    flt = read_filter({"q": "a\x00b " + "x" * 20_000})
    assert flt.text.startswith("a b ")
    assert len(flt.text) == MAX_TEXT


@given(st.dictionaries(st.sampled_from(sorted(PAGE_NAMES.values())), st.text(max_size=60)))
def test_reading_never_raises(params: dict[str, str]) -> None:
    flt = read_filter(params)
    assert set(flt.errors) <= set(PAGE_NAMES)
    assert all(isinstance(message, str) and message for message in flt.errors.values())
