"""Amounts in Vietnamese words (receipts) and reading typed amounts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mattran.common import vn

DIGIT = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "lăm": 5, "sáu": 6, "bảy": 7,
         "tám": 8, "chín": 9}


def words_to_number(text: str) -> int:
    """An independent reader of the words, for round trips: a small stack machine over the scale words."""
    words = text.split()
    sign = 1
    if words and words[0] == "âm":
        sign, words = -1, words[1:]
    total = 0  # finished parts above the current tỷ block
    block = 0  # below one tỷ, finished groups
    group = 0  # current group of three digits
    pending = 0  # a digit waiting for "trăm" / "mươi" or the end of the group
    for word in words:
        if word in DIGIT:
            pending = DIGIT[word]
        elif word == "trăm":
            group += pending * 100
            pending = 0
        elif word == "mươi":
            group += pending * 10
            pending = 0
        elif word == "mười":
            group += 10
        elif word == "linh":
            pass
        elif word in ("nghìn", "triệu"):
            group += pending
            block += group * (1000 if word == "nghìn" else 1_000_000)
            group = pending = 0
        elif word == "tỷ":
            group += pending
            total = (total + block + group) * 1_000_000_000
            block = group = pending = 0
        else:
            raise AssertionError(f"unexpected word {word!r} in {text!r}")
    return sign * (total + block + group + pending)


@pytest.mark.parametrize(("amount", "words"), [
    (0, "Không đồng"),
    (1, "Một đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (25, "Hai mươi lăm đồng"),
    (55, "Năm mươi lăm đồng"),
    (101, "Một trăm linh một đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (115, "Một trăm mười lăm đồng"),
    (121, "Một trăm hai mươi mốt đồng"),
    (1005, "Một nghìn không trăm linh năm đồng"),
    (1010, "Một nghìn không trăm mười đồng"),
    (1050, "Một nghìn không trăm năm mươi đồng"),
    (10_000, "Mười nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (100_000, "Một trăm nghìn đồng"),
    (500_000, "Năm trăm nghìn đồng"),
    (1_000_000, "Một triệu đồng"),
    (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
    (1_000_500, "Một triệu năm trăm đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (21_521_000, "Hai mươi mốt triệu năm trăm hai mươi mốt nghìn đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
    (1_500_000_000, "Một tỷ năm trăm triệu đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (2_000_005_000_000_000, "Hai triệu không trăm linh năm tỷ đồng"),
    (-25_000, "Âm hai mươi lăm nghìn đồng"),
])
def test_amounts_read_the_way_receipts_write_them(amount: int, words: str) -> None:
    assert vn.amount_in_words(amount) == words


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_words_read_back_to_the_same_number(number: int) -> None:
    assert words_to_number(vn.number_in_words(number)) == number


@given(st.integers(min_value=1, max_value=10**15))
def test_the_spelling_rules_hold_for_every_number(number: int) -> None:
    text = f" {vn.number_in_words(number)} "
    assert " mươi một " not in text  # "mốt" after "mươi"
    assert " mươi năm " not in text and " mười năm " not in text  # "lăm" after a ten
    assert " một mươi " not in text and " không mươi " not in text  # "mười", "linh"
    assert " mốt " not in text.replace(" mươi mốt ", " ")  # "mốt" only after "mươi"
    assert " lăm " not in text.replace(" mươi lăm ", " ").replace(" mười lăm ", " ")
    assert "  " not in text.strip() and text.strip() == text.strip().lower()
    assert not text.strip().endswith(("linh", "trăm không"))


def test_amount_in_words_refuses_what_is_not_an_integer() -> None:
    with pytest.raises(TypeError):
        vn.amount_in_words(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        vn.amount_in_words(True)


@pytest.mark.parametrize(("text", "amount"), [
    ("1000000", 1_000_000), ("1.000.000", 1_000_000), ("1 000 000", 1_000_000), ("1,000,000", 1_000_000),
    ("  250.000  ", 250_000), ("1.000.000 đ", 1_000_000), ("500.000₫", 500_000), ("50000 đồng", 50_000),
    ("9.999.999.999.999", 9_999_999_999_999), ("007", 7),
])
def test_typed_amounts_are_read(text: str, amount: int) -> None:
    assert vn.parse_money(text) == amount


@pytest.mark.parametrize("text", [
    "", "   ", "0", "000", "-5", "-1.000", "1.5", "1,5", "1.000,50", "12.34.567", "1.000 000", "abc", "1e6",
    "10000000000000", "١٢٣", "1_000", "1.000.000.000.000.000", "0x10", "5 triệu", "'; DROP TABLE x; --",
])
def test_bad_amounts_are_refused_with_a_message(text: str) -> None:
    with pytest.raises(vn.MoneyError) as info:
        vn.parse_money(text)
    assert str(info.value).startswith(("Số tiền", "Hãy nhập"))


def test_zero_is_accepted_only_when_asked() -> None:
    assert vn.parse_money("0", allow_zero=True) == 0


@given(st.integers(min_value=1, max_value=vn.MAX_MONEY))
def test_every_formatted_amount_parses_back(amount: int) -> None:
    assert vn.parse_money(vn.money(amount)) == amount
    assert vn.parse_money(str(amount)) == amount
