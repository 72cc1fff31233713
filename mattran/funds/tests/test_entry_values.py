"""The fast per-entry values equal their references on any text (property tests) and on the real memos."""

from __future__ import annotations

import datetime as dt
from json.encoder import encode_basestring

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mattran.common import vn
from mattran.funds import chain, entry_values, services
from mattran.funds.statements import donors
from mattran.funds.statements.formats import read_statement
from mattran.funds.tests.test_importing import AGRIBANK_CUT, VCB_CUT

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
# Vietnamese in both cases, digits and separators of phone numbers, and a few troublemakers: decomposed marks,
# ß and ﬁ (which casefold expands), the Turkish dotted İ, a Greek final sigma, a spacing mark (Mc).
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "0123456789 +.-/\\\"'\n\t\u0301\u0323\u0300ßﬁİς\u0903ĐđÆØ"
texts = st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=40)
digit_texts = st.text(alphabet="0123456789 .-+84 abcNGUYEN", max_size=40)


@given(texts)
@example("Nguyễn Văn Đức")
@example("ĐẶNG THỊ ỨNG")
@example("a\u0301\u0323")
@example("İstanbul ß")
def test_fold_equals_the_reference(text: str) -> None:
    assert entry_values.fold(text) == vn.fold(text)


@given(texts, texts)
def test_search_text_equals_the_reference(donor: str, memo: str) -> None:
    assert entry_values.search_text(donor, memo) == services.search_text_for(donor, memo)


@given(digit_texts | texts)
@example("CT tu 0481000755821 toi 0011001932418")
@example("goi 0912 345 678 hoac +84 912.345.678")
@example("12345")
@example("123456")
@example("a1234567b12c123456789012")
@example("1" * 5000)
def test_mask_equals_the_reference(text: str) -> None:
    assert entry_values.mask(text) == donors.mask_memo(text)


def test_grouped_phone_pattern_is_the_reference_one() -> None:
    assert entry_values._GROUPED_PHONE.pattern == donors._GROUPED_PHONE.pattern
    assert entry_values._LONG_RUN_SPLIT.pattern == f"({donors._LONG_RUN.pattern})" and donors.KEEP == 3


fields = st.fixed_dictionaries({
    "account": st.text(max_size=30), "sequence": st.integers(min_value=1, max_value=10**12),
    "booked_on": st.dates(min_value=dt.date(1900, 1, 1)), "amount": st.integers(min_value=-10**15, max_value=10**15),
    "memo_raw": texts, "donor_name": texts, "is_anonymous": st.booleans(),
    "source": st.sampled_from(["statement", "cash", "correction"]), "source_ref": texts,
    "reverses": st.none() | st.integers(min_value=1, max_value=10**9), "reason": texts,
    "prev_hash": st.text(alphabet="0123456789abcdef", min_size=64, max_size=64) | st.text(max_size=70),
})


@settings(max_examples=300)
@given(fields)
def test_canonical_json_is_byte_identical_to_the_reference(f: dict) -> None:
    fast = entry_values.entry_canonical(
        account_json=encode_basestring(f["account"]), sequence=f["sequence"], booked_on_iso=f["booked_on"].isoformat(),
        amount=f["amount"], memo_raw=f["memo_raw"], donor_name=f["donor_name"], is_anonymous=f["is_anonymous"],
        source=f["source"], source_ref=f["source_ref"], reverses=f["reverses"], reason=f["reason"],
        prev_hash=f["prev_hash"])
    assert fast.encode() == chain.entry_canonical(f).encode()


def test_every_memo_of_the_fixtures_folds_and_masks_as_the_reference() -> None:
    for path in (VCB_CUT, AGRIBANK_CUT):
        for row in read_statement(path).rows:
            assert entry_values.mask(row.memo) == donors.mask_memo(row.memo)
            assert entry_values.fold(row.memo) == vn.fold(row.memo)
