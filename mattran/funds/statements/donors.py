"""Donor names out of transfer memos, and masking of account and phone numbers in memos. Pure functions.

Name extraction is deliberately conservative: a wrong name on a public donation list is worse than none, so
:func:`extract_donor` returns None unless the memo has one of the shapes below.

1. ``MBVCB.<ref>.<message>.CT tu <account> <NAME> toi <account> …`` — Vietcombank's own transfers put the sender's
   account holder name in a fixed place; any 2–7 letter-only words there are taken.
2. A head ``NAME chuyen [tien] …`` / ``NAME ung ho …`` / ``NAME chuyen khoan …`` / ``NAME ck …``, optionally after a
   ``292976.010924.013647.`` trace, an ``MBVCB.<ref>.``, a NAPAS ``0200970….<hhmmss>.`` or an ``MB(<ref>)(``
   prefix: taken when NAME is 2–6 words written in
   capitals (or each word capitalised) and the first word is a common Vietnamese surname, which keeps heads such as
   ``UNG HO DONG BAO chuyen tien`` out.

Names are normalised to upper case without diacritics (``fold``), single-spaced. PDF line wraps split words
(``NGUYE N THI VAN``); two adjacent pieces are joined only when the join is a surname or ``THI``/``VAN`` and the
split is unambiguous: one piece has no vowel, or neither piece is itself a common name syllable. So ``NGUYE N`` and
``HOA NG`` are joined, while ``DO AN`` (Đỗ An, two real syllables) is left alone.
"""

from __future__ import annotations

import functools
import re

from mattran.common.vn import fold


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SURNAMES = _words(
    "NGUYEN TRAN LE PHAM HOANG HUYNH PHAN VU VO DANG BUI DO HO NGO DUONG LY TRUONG DINH DOAN LAM MAI TRINH LUONG "
    "CAO HA LUU TA TO THAI TONG QUACH CHU HUA KIEU LA LAI LUC MAC NONG PHUNG TIEU TRIEU VUONG VIEN KHUC KIM LO "
    "THAN CU CHAU DAM DAO DIEP KHUONG TON BACH BANH MA TIET GIANG HAN HONG KHONG KHUAT LANG LIEU LUU NGHIEM "
    "NINH ONG QUAN TANG THACH UNG VAN VI"
)
_JOIN_TARGETS = SURNAMES | {"THI", "VAN"}
NAME_SYLLABLES = SURNAMES | _words(
    "AN ANH BA BAO BICH BINH CAM CHI CHINH CONG CUONG DAI DAN DANH DAT DIEU DIEP DONG DUC DUNG DUY GIA HA HAI HANH "
    "HAO HIEN HIEP HIEU HOA HOAI HOAN HOANG HOI HONG HUE HUNG HUONG HUY HUYEN KHA KHANH KHOA KIEN KIM LAN LIEN LINH "
    "LOAN LOC LOI LONG MAI MAN MINH MY NAM NGA NGAN NGHIA NGOC NHAN NHI NHU NHUNG PHAT PHONG PHU PHUC PHUONG QUANG "
    "QUOC QUY QUYEN QUYNH SANG SON TAI TAM TAN THANG THANH THAO THI THIEN THINH THO THU THUAN THUY THUONG TIEN TIN "
    "TOAN TRA TRAM TRANG TRI TRUNG TU TUAN TUNG TUYET UYEN VAN VIET VINH XUAN Y YEN"
)

_TRACE = re.compile(
    r"^(?:[0-9]{6}\.[0-9]{6}\.[0-9]{6}\."  # interbank trace: 292976.010924.013647.
    r"|MBVCB\.[0-9]+\.(?:[0-9]{6}\.)?"  # Vietcombank app: MBVCB.6916176124.
    r"|0200970[0-9A-Za-z]+\.[0-9 ]*\. ?[0-9]{6}\.(?:Vietcombank:[0-9]+:)?"  # NAPAS: 0200970….35252 .110827.
    r"|MB\([0-9]+\)\()"  # MB Bank: MB(889993)(
)
_FIXED = re.compile(r"\.CT tu [0-9]+ (?P<name>[^.\d]+?) toi [0-9]+")
_HEAD = re.compile(
    r"^(?P<name>[^\W\d_]+(?: [^\W\d_]+){1,5}?) (?:chuyen tien|chuyen khoan|chuyen|ung ho|ck)\b", re.IGNORECASE
)
_WORD = re.compile(r"[A-Z]+")


def _has_vowel(piece: str) -> bool:
    return any(ch in "AEIOUY" for ch in piece)


def repair_split_words(words: list[str]) -> list[str]:
    """Join PDF-wrapped pieces of a surname, ``THI`` or ``VAN`` where unambiguous (see module docstring)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if i + 1 < len(words):
            a, b = words[i], words[i + 1]
            joined = a + b
            if joined in _JOIN_TARGETS and (
                not _has_vowel(a) or not _has_vowel(b) or (a not in NAME_SYLLABLES and b not in NAME_SYLLABLES)
            ):
                out.append(joined)
                i += 2
                continue
        out.append(words[i])
        i += 1
    return out


def normalise_name(name: str) -> str:
    """``Nguyễn  Văn Đức`` → ``NGUYEN VAN DUC``; split pieces repaired where safe."""
    words = (name.upper() if name.isascii() else fold(name).upper()).split()  # fold of ASCII is lower()
    return " ".join(repair_split_words(words))


def _words_ok(name: str, low: int, high: int) -> bool:
    words = name.split()
    return low <= len(words) <= high and all(_WORD.fullmatch(w) for w in words)


# The same donors give again and again: names are normalised once each (an import meets ~100,000 of them).
@functools.lru_cache(maxsize=1 << 16)
def _fixed_name(raw: str) -> str | None:
    name = normalise_name(raw)
    return name if _words_ok(name, 2, 7) else None


@functools.lru_cache(maxsize=1 << 16)
def _head_name(raw: str) -> str | None:
    if not (raw.isupper() or all(w[:1].isupper() and w[1:].islower() for w in raw.split())):
        return None
    name = normalise_name(raw)
    if not _words_ok(name, 2, 6) or name.split()[0] not in SURNAMES:
        return None
    return name


def extract_donor(memo: str) -> str | None:
    """The donor's normalised name when the memo states it in a known place, else None."""
    fixed = _FIXED.search(memo) if ".CT tu " in memo else None  # the literal is in the pattern; search is dear
    if fixed:
        name = _fixed_name(fixed["name"])
        if name is not None:
            return name
    body = _TRACE.sub("", memo.strip(), count=1)
    head = _HEAD.match(body)
    if head is None:
        return None
    return _head_name(head["name"])


# --- masking ----------------------------------------------------------------------------------------------------

_LONG_RUN = re.compile(r"[0-9]{6,}")
# Phone numbers written in groups: 0912 345 678, 0912.345.678, 024-3825-1234.
_GROUPED_PHONE = re.compile(r"(?<![0-9])(?:\+84 ?|0)[0-9]{2,3}(?:[ .\-][0-9]{3,4}){2}(?![0-9])")
KEEP = 3


def _mask(match: re.Match[str]) -> str:
    text = match.group()
    digit_positions = [i for i, ch in enumerate(text) if ch.isdigit()]
    hide = set(digit_positions[:-KEEP])
    return "".join("*" if i in hide else ch for i, ch in enumerate(text))


def mask_memo(text: str) -> str:
    """Mask account and phone numbers, keeping the last 3 digits: ``0481000755821`` → ``**********821``.

    Every run of 6 or more digits is masked (account numbers, phone numbers, long references alike: a public page
    needs none of them), and so are phone numbers written in groups. The result has the same length, masking it
    again changes nothing, and it contains no run of 6 or more digits.
    """
    return _LONG_RUN.sub(_mask, _GROUPED_PHONE.sub(_mask, text))
