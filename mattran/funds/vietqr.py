"""VietQR payloads (EMVCo merchant-presented QR, NAPAS 247 profile) for bank transfers to an account.

Pure functions: :func:`build_payload` makes the text, :func:`parse_payload` reads it back, :func:`crc16` is
the checksum, and :func:`qr_svg` / :func:`qr_png` render it with segno.

Layout of a payload (every data object is ``ID`` (2 digits) + ``length`` (2 digits) + ``value``)::

    00 02 "01"                          payload format indicator
    01 02 "11" | "12"                   point of initiation: 11 static (no amount), 12 dynamic (with amount)
    38 ..                               merchant account information
        00 10 "A000000727"              NAPAS GUID
        01 ..                           beneficiary organisation
            00 06 <BIN>                 acquirer (bank) BIN
            01 .. <account number>      up to 19 characters
        02 08 "QRIBFTTA"                service: inter-bank fund transfer to an account
    53 03 "704"                         currency (VND)
    54 .. <amount>                      optional, integer đồng
    58 02 "VN"                          country
    62 ..                               additional data (only when there is a memo)
        08 .. <purpose>                 the memo, diacritics folded, case kept, up to 25 characters
    63 04 <CRC>                         CRC-16/CCITT-FALSE over everything before it *including* "6304",
                                        4 upper-case hex digits

Limits, and where they come from (assumptions stated where the NAPAS text itself was not at hand):
- account number: digits only in this platform (receiving accounts of Front committees are numeric), 1–19
  characters — the NAPAS table gives "ans, up to 19" for the account field.
- amount: a positive integer of at most 13 digits — EMVCo tag 54 allows 13 characters; đồng has no minor unit,
  so no decimal point is ever written.
- memo: at most 25 characters after folding — NAPAS gives "ans, up to 25" for tag 62/08. Folding maps every
  Vietnamese letter to ASCII (đ→d, ầ→a …) and keeps the case; any other non-ASCII character is refused.
- BIN: exactly 6 digits.

The examples the tests reproduce exactly are quoted there with their source.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import TypedDict

import segno

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
STATIC = "11"
DYNAMIC = "12"

MAX_ACCOUNT = 19
MAX_AMOUNT_DIGITS = 13
MAX_MEMO = 25

# NAPAS BINs of the banks the Front's receiving accounts are held at (issue 4); the list the State Bank
# publishes is the reference when a bank is added.
BANK_BINS: dict[str, str] = {
    "Vietcombank": "970436",
    "VietinBank": "970415",
    "BIDV": "970418",
    "Agribank": "970405",
    "MB": "970422",
}


class VietQRError(ValueError):
    """An input that cannot be put into a VietQR payload, with a message for the user (Vietnamese)."""


class ParsedPayload(TypedDict, total=False):
    initiation: str
    guid: str
    bin: str
    account: str
    service: str
    currency: str
    amount: int | None
    country: str
    memo: str
    crc: str


def crc16(data: str | bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    crc = 0xFFFF
    for byte in raw:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def crc_hex(data: str) -> str:
    return f"{crc16(data):04X}"


def fold_memo(text: str) -> str:
    """Strip Vietnamese diacritics (đ/Đ included), keep case, collapse runs of white space."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(unicodedata.normalize("NFC", stripped).split())


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQRError(f"Trường {tag} dài quá 99 ký tự.")
    return f"{tag}{len(value):02d}{value}"


_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]*")


def validate(*, bin: str, account: str, amount: int | None = None, memo: str = "") -> str:
    """Check the inputs; return the folded memo. Raises :class:`VietQRError` with a Vietnamese message."""
    if not (isinstance(bin, str) and len(bin) == 6 and bin.isascii() and bin.isdigit()):
        raise VietQRError("Mã BIN ngân hàng phải gồm đúng 6 chữ số.")
    if not (isinstance(account, str) and account.isascii() and account.isdigit()):
        raise VietQRError("Số tài khoản chỉ được gồm chữ số.")
    if len(account) > MAX_ACCOUNT:
        raise VietQRError(f"Số tài khoản dài tối đa {MAX_ACCOUNT} chữ số.")
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise VietQRError("Số tiền phải là số nguyên đồng.")
        if amount <= 0:
            raise VietQRError("Số tiền phải lớn hơn 0.")
        if len(str(amount)) > MAX_AMOUNT_DIGITS:
            raise VietQRError(f"Số tiền dài tối đa {MAX_AMOUNT_DIGITS} chữ số.")
    folded = fold_memo(memo or "")
    if not _PRINTABLE_ASCII.fullmatch(folded):
        raise VietQRError("Nội dung chuyển khoản chỉ được gồm chữ cái tiếng Việt, chữ số và dấu thông thường.")
    if len(folded) > MAX_MEMO:
        raise VietQRError(f"Nội dung chuyển khoản dài tối đa {MAX_MEMO} ký tự (sau khi bỏ dấu), "
                          f"hiện có {len(folded)}.")
    return folded


def build_payload(*, bin: str, account: str, amount: int | None = None, memo: str = "") -> str:
    """The VietQR text for a transfer to ``account`` at the bank ``bin``; dynamic when ``amount`` is given."""
    folded = validate(bin=bin, account=account, amount=amount, memo=memo)
    beneficiary = _tlv("00", bin) + _tlv("01", account)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TO_ACCOUNT)
    parts = [
        _tlv("00", "01"),
        _tlv("01", DYNAMIC if amount is not None else STATIC),
        _tlv("38", merchant),
        _tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(_tlv("54", str(amount)))
    parts.append(_tlv("58", COUNTRY_VN))
    if folded:
        parts.append(_tlv("62", _tlv("08", folded)))
    body = "".join(parts) + "6304"
    return body + crc_hex(body)


def split_tlv(text: str) -> list[tuple[str, str]]:
    """``[(tag, value), …]`` of one level; raises :class:`VietQRError` when lengths do not add up."""
    items: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        head = text[pos:pos + 4]
        if len(head) < 4 or not head.isdigit():
            raise VietQRError(f"Mã QR hỏng ở vị trí {pos}: thiếu mã trường hoặc độ dài.")
        tag, length = head[:2], int(head[2:])
        value = text[pos + 4:pos + 4 + length]
        if len(value) != length:
            raise VietQRError(f"Mã QR hỏng: trường {tag} khai báo {length} ký tự nhưng chỉ còn {len(value)}.")
        items.append((tag, value))
        pos += 4 + length
    return items


def parse_payload(text: str) -> ParsedPayload:
    """Read a payload made by :func:`build_payload` (or a bank's app) back into its fields; checks the CRC."""
    if len(text) < 8 or text[-8:-4] != "6304":
        raise VietQRError("Mã QR không kết thúc bằng trường CRC (6304).")
    expected = crc_hex(text[:-4])
    if text[-4:].upper() != expected:
        raise VietQRError(f"Sai mã kiểm tra CRC: ghi {text[-4:]}, tính được {expected}.")
    out: ParsedPayload = {"amount": None, "memo": "", "crc": text[-4:]}
    for tag, value in split_tlv(text[:-8]):
        if tag == "00" and value != "01":
            raise VietQRError("Phiên bản mã QR không được hỗ trợ.")
        if tag == "01":
            out["initiation"] = value
        elif tag == "38":
            for sub, sub_value in split_tlv(value):
                if sub == "00":
                    out["guid"] = sub_value
                elif sub == "01":
                    for leaf, leaf_value in split_tlv(sub_value):
                        if leaf == "00":
                            out["bin"] = leaf_value
                        elif leaf == "01":
                            out["account"] = leaf_value
                elif sub == "02":
                    out["service"] = sub_value
        elif tag == "53":
            out["currency"] = value
        elif tag == "54":
            if not value.isdigit():
                raise VietQRError("Số tiền trong mã QR không phải số nguyên đồng.")
            out["amount"] = int(value)
        elif tag == "58":
            out["country"] = value
        elif tag == "62":
            for sub, sub_value in split_tlv(value):
                if sub == "08":
                    out["memo"] = sub_value
    return out


def qr_svg(payload: str, *, scale: int = 4) -> str:
    """The QR code as an SVG document (error correction M, as bank apps print it)."""
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="svg", scale=scale, xmldecl=False)
    return buffer.getvalue().decode("utf-8")


def qr_png(payload: str, *, scale: int = 6) -> bytes:
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=scale)
    return buffer.getvalue()
