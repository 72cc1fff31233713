"""Donor names from memos, and masking of account and phone numbers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mattran.funds.statements.donors import extract_donor, mask_memo, normalise_name, repair_split_words

MEMO_TAIL = " toi 0011001932418 MAT TRAN TO QUOC VN - BAN CUU TRO TW"


@pytest.mark.parametrize(
    ("memo", "name"),
    [
        # Vietcombank app transfers: the sender's name in a fixed place.
        ("MBVCB.6916176124.CAO VIET TUAN chuyen tien.CT tu 0101001222009 CAO VIET TUAN" + MEMO_TAIL, "CAO VIET TUAN"),
        ("MBVCB.6990644812.UNG HO DONG BAO MIEN BAC.CT tu 0441000726668 NGUYEN THI PHUONG DIEM" + MEMO_TAIL,
         "NGUYEN THI PHUONG DIEM"),
        ("MBVCB.6989633796.059187.Ung ho cac tinh bi bao lu.CT tu 0551000273769 HOANG THU OANH toi 1500201113838",
         "HOANG THU OANH"),
        # Heads, after the usual prefixes.
        ("272986.010924.101858.DO DUC LOI chuyen tien", "DO DUC LOI"),
        ("892727.090924.214152.DO THI VAN THUY Chuyen tien ung ho khac phuc bao so 3 Yagi", "DO THI VAN THUY"),
        ("NGUYEN THI HONG DUYEN ung ho cac tinh bi bao lu", "NGUYEN THI HONG DUYEN"),
        ("998095.100924.203343.Tran Ngoc Lan chuyen tien, ma GD 248871381", "TRAN NGOC LAN"),
        ("0200970422091011082620249REX379326.35252 .110827.TRAN QUOC VIET chuyen tien", "TRAN QUOC VIET"),
        ("MB(889993)(NGUYEN THI NGOC HA chuyen tien ung ho bao lut)", "NGUYEN THI NGOC HA"),
        # A PDF line wrap inside the surname, after a NAPAS prefix.
        ("020097040509011137472024Y7ZE058213.33462 .113747.Vietcombank:0011001932418:NGUYE N THI VAN chuyen tien",
         "NGUYEN THI VAN"),
        # Diacritics are folded, đ included.
        ("Nguyễn Văn Đức chuyển tiền", None),  # "chuyển" is not the ASCII verb: not confident
        ("NGUYỄN VĂN ĐỨC chuyen tien", "NGUYEN VAN DUC"),
    ],
)
def test_extracts_the_donor_from_memo_styles_that_carry_one(memo, name):
    assert extract_donor(memo) == name


@pytest.mark.parametrize(
    "memo",
    [
        "292976.010924.013647.xin cam on",
        "917949.100924.081750.UNG HO KHAC PHUC HAU QUA SAU BAO SO 3 YAGI",
        "Ung ho cac tinh bi bao lu FT24254207676141",
        "MBVCB.6925071164.mung ngay quoc khanh.CT tu 1028808193 toi 0011001932418 Uy Ban Trung uong Mat tran",
        "653351.100924.120342.Vuong Oanh HDV Da Nang ung ho khac phuc bao Gayi",
        "Gia dinh Minh Duong ung ho dong bao",
        "",
    ],
)
def test_returns_none_when_not_confident(memo):
    assert extract_donor(memo) is None


def test_split_names_are_joined_only_when_unambiguous():
    assert repair_split_words(["NGUYE", "N", "THI", "VAN"]) == ["NGUYEN", "THI", "VAN"]
    assert repair_split_words(["NGUY", "EN", "VAN", "A"]) == ["NGUYEN", "VAN", "A"]
    assert repair_split_words(["HOA", "NG", "TH", "I", "LAN"]) == ["HOANG", "THI", "LAN"]
    assert repair_split_words(["DO", "AN"]) == ["DO", "AN"]  # Đỗ An: two real syllables
    assert repair_split_words(["LE", "HOA"]) == ["LE", "HOA"]
    assert normalise_name("  Nguyễn   thị  Đào ") == "NGUYEN THI DAO"


# --- masking ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("memo", "masked"),
    [
        ("0481000755821", "**********821"),
        ("CT tu 0481000755821 toi 0011001932418 MAT TRAN", "CT tu **********821 toi **********418 MAT TRAN"),
        ("SDT: 0904321618. So tien 55000 VND", "SDT: *******618. So tien 55000 VND"),
        ("goi 0912 345 678 nhe", "goi **** *** 678 nhe"),
        ("goi 0912.345.678", "goi ****.***.678"),
        ("+84 912 345 678", "+** *** *** 678"),
        ("ung ho 1.000.000 dong", "ung ho 1.000.000 dong"),
        ("ngay 10/09/2024", "ngay 10/09/2024"),
    ],
)
def test_mask_memo_keeps_the_last_three_digits(memo, masked):
    assert mask_memo(memo) == masked


memo_text = st.text(alphabet=st.sampled_from("0123456789 .-*+()/abcXYZđ"), max_size=80)
LONG_RUN = re.compile(r"[0-9]{6,}")


@given(memo_text)
def test_masking_leaves_no_run_of_six_digits(text):
    assert LONG_RUN.search(mask_memo(text)) is None


@given(memo_text)
def test_masking_is_idempotent_and_keeps_length(text):
    once = mask_memo(text)
    assert mask_memo(once) == once
    assert len(once) == len(text)


@given(st.text(max_size=60))
def test_masking_only_replaces_digits_with_stars(text):
    masked = mask_memo(text)
    assert all(a == b or (a.isdigit() and b == "*") for a, b in zip(text, masked, strict=True))
