"""VietQR payloads: published examples reproduced byte for byte, validation, CRC, rendering, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mattran.funds import vietqr
from mattran.funds.vietqr import VietQRError, build_payload, crc16, parse_payload, split_tlv

PUBLISHED = [
    # Issue 4 (the Central Front's Yagi relief account at Vietcombank).
    (
        dict(bin="970436", account="0011001932418", amount=500000, memo="UNG HO BAO LU YAGI"),
        "00020101021238570010A00000072701270006970436011300110019324180208QRIBFTTA530370454065000005802VN"
        "62220818UNG HO BAO LU YAGI63046044",
    ),
    # github.com/subiz/vietqr README.md: 120.000 ₫ to 0011001932418 at VietinBank, memo "ủng hộ lũ lụt" —
    # shows that diacritics are folded and the case is kept.
    (
        dict(bin="970415", account="0011001932418", amount=120000, memo="ủng hộ lũ lụt"),
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
        "62170813ung ho lu lut6304C15C",
    ),
]


@pytest.mark.parametrize(("fields", "expected"), PUBLISHED)
def test_published_payloads_are_reproduced_exactly(fields: dict, expected: str) -> None:
    assert build_payload(**fields) == expected
    parsed = parse_payload(expected)
    assert parsed["bin"] == fields["bin"]
    assert parsed["account"] == fields["account"]
    assert parsed["amount"] == fields["amount"]


@pytest.mark.parametrize(
    ("data", "value"),
    [("123456789", 0x29B1), ("", 0xFFFF), ("A", 0xB915)],
)
def test_crc16_ccitt_false_check_values(data: str, value: int) -> None:
    assert crc16(data) == value


def test_crc_is_always_four_upper_case_hex_digits() -> None:
    # Search for a payload whose CRC has a leading zero and make sure it is padded.
    for n in range(1, 5000):
        payload = build_payload(bin="970436", account="0011001932418", amount=n)
        crc = payload[-4:]
        assert len(crc) == 4 and crc == crc.upper()
        if crc.startswith("0"):
            break
    else:  # pragma: no cover - statistically impossible
        pytest.fail("no CRC with a leading zero found")


def test_static_payload_has_no_amount_and_initiation_11() -> None:
    payload = build_payload(bin="970405", account="1234567890")
    tags = dict(split_tlv(payload[:-8]))
    assert tags["01"] == "11"
    assert "54" not in tags and "62" not in tags
    assert parse_payload(payload)["amount"] is None


def test_dynamic_payload_has_initiation_12() -> None:
    assert dict(split_tlv(build_payload(bin="970418", account="1", amount=1)[:-8]))["01"] == "12"


def test_memo_is_folded_with_d_and_case_kept() -> None:
    payload = build_payload(bin="970422", account="123", memo="Đức  ủng hộ  Đảo")
    assert parse_payload(payload)["memo"] == "Duc ung ho Dao"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (dict(bin="97043", account="1"), "BIN"),
        (dict(bin="97043A", account="1"), "BIN"),
        (dict(bin="970436", account="0011-0019"), "chỉ được gồm chữ số"),
        (dict(bin="970436", account=""), "chỉ được gồm chữ số"),
        (dict(bin="970436", account="1" * 20), "tối đa 19"),
        (dict(bin="970436", account="1", amount=0), "lớn hơn 0"),
        (dict(bin="970436", account="1", amount=-5), "lớn hơn 0"),
        (dict(bin="970436", account="1", amount=10**13), "tối đa 13"),
        (dict(bin="970436", account="1", amount=1.5), "số nguyên"),
        (dict(bin="970436", account="1", amount=True), "số nguyên"),
        (dict(bin="970436", account="1", memo="x" * 26), "tối đa 25"),
        (dict(bin="970436", account="1", memo="ủng hộ 🌊"), "chỉ được gồm"),
    ],
)
def test_invalid_input_is_refused_with_a_vietnamese_message(fields: dict, message: str) -> None:
    with pytest.raises(VietQRError, match=message):
        build_payload(**fields)


def test_limits_are_inclusive() -> None:
    payload = build_payload(bin="970436", account="9" * 19, amount=10**13 - 1, memo="Ủ" * 25)
    parsed = parse_payload(payload)
    assert parsed["account"] == "9" * 19 and parsed["amount"] == 10**13 - 1 and parsed["memo"] == "U" * 25


def test_parser_refuses_a_wrong_crc_and_broken_lengths() -> None:
    good = PUBLISHED[0][1]
    with pytest.raises(VietQRError, match="CRC"):
        parse_payload(good[:-4] + "0000")
    with pytest.raises(VietQRError, match="6304"):
        parse_payload(good[:-8])
    broken = "000201019911"
    with pytest.raises(VietQRError):
        parse_payload(broken + "6304" + vietqr.crc_hex(broken + "6304"))


def test_bank_bins_of_the_banks_the_issue_names() -> None:
    assert vietqr.BANK_BINS == {
        "Vietcombank": "970436", "VietinBank": "970415", "BIDV": "970418", "Agribank": "970405", "MB": "970422",
    }


def test_svg_and_png_render() -> None:
    payload = PUBLISHED[0][1]
    svg = vietqr.qr_svg(payload)
    assert "<svg" in svg
    assert vietqr.qr_png(payload).startswith(b"\x89PNG\r\n\x1a\n")


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệóòỏõọốồổỗộớờởỡợ" \
    "úùủũụứừửữựíìỉĩịýỳỷỹỵ0123456789 .,-"

accounts = st.text(alphabet="0123456789", min_size=1, max_size=19)
amounts = st.none() | st.integers(min_value=1, max_value=10**13 - 1)
memos = st.text(alphabet=VIETNAMESE, max_size=25)
bins = st.sampled_from(sorted(vietqr.BANK_BINS.values()))


@given(bin=bins, account=accounts, amount=amounts, memo=memos)
def test_build_then_parse_round_trips(bin: str, account: str, amount: int | None, memo: str) -> None:
    payload = build_payload(bin=bin, account=account, amount=amount, memo=memo)
    parsed = parse_payload(payload)
    assert parsed["bin"] == bin
    assert parsed["account"] == account
    assert parsed["amount"] == amount
    assert parsed["memo"] == vietqr.fold_memo(memo)
    assert parsed["initiation"] == ("12" if amount is not None else "11")
    assert (parsed["guid"], parsed["service"], parsed["currency"], parsed["country"]) == (
        "A000000727", "QRIBFTTA", "704", "VN")


@given(bin=bins, account=accounts, amount=amounts, memo=memos)
def test_crc_recomputes_and_tag_lengths_add_up(bin: str, account: str, amount: int | None, memo: str) -> None:
    payload = build_payload(bin=bin, account=account, amount=amount, memo=memo)
    assert payload[-8:-4] == "6304"
    assert f"{crc16(payload[:-4]):04X}" == payload[-4:]
    # Every level's declared lengths cover its value exactly (split_tlv raises otherwise).
    top = split_tlv(payload)
    assert [t for t, _ in top][-1] == "63"
    assert "".join(f"{t}{len(v):02d}{v}" for t, v in top) == payload
    merchant = dict(split_tlv(dict(top)["38"]))
    assert dict(split_tlv(merchant["01"]))["00"] == bin


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=1, max_value=15))
def test_any_single_character_change_breaks_the_crc(position: int, delta: int) -> None:
    payload = PUBLISHED[0][1]
    body = payload[:-4]
    position %= len(body)
    changed = body[:position] + chr((ord(body[position]) - 32 + delta) % 95 + 32) + body[position + 1:]
    assert crc16(changed) != crc16(body)
