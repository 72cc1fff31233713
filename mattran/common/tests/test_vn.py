import datetime as dt
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mattran.common import vn


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "0 ₫"), (1000000, "1.000.000 ₫"), (999, "999 ₫"), (-25000, "-25.000 ₫"), (1234567890, "1.234.567.890 ₫")],
)
def test_money_uses_dots_and_the_dong_sign(amount: int, text: str) -> None:
    assert vn.money(amount) == text


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        vn.money(1.5)  # type: ignore[arg-type]


def test_date_line_reads_the_vietnamese_way() -> None:
    assert vn.date_long(dt.date(2022, 8, 19), "Hà Nội") == "Hà Nội, ngày 19 tháng 8 năm 2022"
    assert vn.date_long(dt.date(2022, 7, 1)) == "ngày 1 tháng 7 năm 2022"


def test_official_date_line_pads_day_and_early_months() -> None:
    assert vn.date_official(dt.date(2022, 1, 5), "Hà Nội") == "Hà Nội, ngày 05 tháng 01 năm 2022"
    assert vn.date_official(dt.date(2022, 8, 19), "Hà Nội") == "Hà Nội, ngày 19 tháng 8 năm 2022"


def test_aware_datetimes_are_shown_in_local_time() -> None:
    late_evening_utc = dt.datetime(2022, 6, 30, 20, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert vn.date_short(late_evening_utc) == "01/07/2022"  # 03:00 on 1 July in Hà Nội


def test_weekday_label() -> None:
    assert vn.weekday_date(dt.date(2026, 11, 26)) == "Thứ Năm, 26/11/2026"


@pytest.mark.parametrize(
    ("number", "numeral"), [(1, "I"), (4, "IV"), (9, "IX"), (15, "XV"), (16, "XVI"), (18, "XVIII")]
)
def test_roman_numerals_for_terms(number: int, numeral: str) -> None:
    assert vn.roman(number) == numeral


def test_fold_strips_every_vietnamese_diacritic_including_d_bar() -> None:
    assert vn.fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert vn.fold("ĐỒNG TÂM") == "dong tam"
    assert vn.fold("Hai Bà Trưng") == vn.fold("HAI BA TRUNG")


VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ "


@given(st.text(alphabet=VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()))
def test_fold_is_idempotent_and_leaves_plain_ascii(text: str) -> None:
    folded = vn.fold(text)
    assert vn.fold(folded) == folded
    assert folded.isascii()
    assert len(folded) == len(text)


@pytest.mark.django_db
def test_the_interface_is_vietnamese_whatever_the_browser_asks(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    client.cookies["django_language"] = "en"
    assert client.get("/healthz")["Content-Language"] == "en"
