"""The values derived from each new ledger entry, computed fast: folded text, masked memo, canonical JSON.

An import of a 200,000-row statement derives these for every row, so they sit in the hot loop. Each function
here returns exactly what its reference returns — :func:`mattran.common.vn.fold`,
:func:`mattran.funds.statements.donors.mask_memo` and :func:`mattran.funds.chain.entry_canonical` — and the
property tests in ``tests/test_entry_values.py`` hold them to it on arbitrary text. The references stay the
specification (decision 0008 documents the canonical JSON); these are only quicker ways to the same result.
"""

from __future__ import annotations

import re
import unicodedata
from json.encoder import encode_basestring  # the C encoder json.dumps(ensure_ascii=False) uses for str

from mattran.common import vn
from mattran.funds.statements.donors import mask_memo


def _fold_table() -> dict[int, str]:
    """Characters whose fold does not depend on their neighbours: decomposed (NFD) they are ASCII letters plus
    combining marks (category Mn), which ``fold`` drops. Their fold is the lower-case ASCII remainder. Since
    canonical reordering moves only combining marks and ASCII never composes under NFC, folding a text made of
    such characters and ASCII is folding each character on its own."""
    table: dict[int, str] = {}
    ranges = (range(0x80, 0x250), range(0x300, 0x370), range(0x1E00, 0x1F00))
    for code in (c for r in ranges for c in r):
        ch = chr(code)
        if ch in "đĐ":
            table[code] = "d"
            continue
        rest = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
        if rest.isascii():
            table[code] = rest.lower()
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Same as :func:`mattran.common.vn.fold` (lower case, no diacritics, đ → d), without Unicode
    normalisation for ASCII and Vietnamese text."""
    if text.isascii():
        return text.lower()  # casefold() and lower() agree on ASCII
    folded = text.translate(_FOLD)
    if folded.isascii():
        return folded.lower()
    return vn.fold(text)


def search_text(donor_folded: str, memo_public: str) -> str:
    """Same as :func:`mattran.funds.services.search_text_for`."""
    return " ".join(f"{donor_folded} {fold(memo_public)}".lower().split())


# The same pattern as donors._GROUPED_PHONE; a test checks they stay equal.
_GROUPED_PHONE = re.compile(r"(?<![0-9])(?:\+84 ?|0)[0-9]{2,3}(?:[ .\-][0-9]{3,4}){2}(?![0-9])")
_LONG_RUN_SPLIT = re.compile(r"([0-9]{6,})")
_STARS = ["*" * n for n in range(4096)]


def mask(text: str) -> str:
    """Same as :func:`mattran.funds.statements.donors.mask_memo`.

    When no grouped phone number is present, the memo is split around its runs of 6 or more digits and each
    run keeps its last 3 (cheaper than a Python callback per match)."""
    if _GROUPED_PHONE.search(text) is not None:
        return mask_memo(text)  # separators inside the match: the reference masks it
    parts = _LONG_RUN_SPLIT.split(text)
    if len(parts) == 1:
        return text
    for i in range(1, len(parts), 2):
        run = parts[i]
        hidden = len(run) - 3
        parts[i] = (_STARS[hidden] if hidden < 4096 else "*" * hidden) + run[-3:]
    return "".join(parts)


def entry_canonical(*, account_json: str, sequence: int, booked_on_iso: str, amount: int, memo_raw: str,
                    donor_name: str, is_anonymous: bool, source: str, source_ref: str, reverses: int | None,
                    reason: str, prev_hash: str) -> str:
    """Same as :func:`mattran.funds.chain.entry_canonical` of these fields; ``account_json`` is the chain id
    already JSON-encoded (``encode_basestring(account.chain_id)``), ``booked_on_iso`` the date's ISO form.

    The keys are written in sorted order; strings go through the very encoder ``json.dumps`` uses."""
    return (
        f'{{"account":{account_json},"amount":{amount:d},"booked_on":"{booked_on_iso}",'
        f'"donor_name":{encode_basestring(donor_name)},"is_anonymous":{"true" if is_anonymous else "false"},'
        f'"memo_raw":{encode_basestring(memo_raw)},"prev_hash":{encode_basestring(prev_hash)},'
        f'"reason":{encode_basestring(reason)},"reverses":{"null" if reverses is None else f"{reverses:d}"},'
        f'"sequence":{sequence:d},"source":{encode_basestring(str(source))},'
        f'"source_ref":{encode_basestring(source_ref)}}}'
    )
