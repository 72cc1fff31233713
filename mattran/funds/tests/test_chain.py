"""The hash chain and the Merkle tree: fixed vectors, and properties over arbitrary inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mattran.funds import chain
from mattran.funds.chain import GENESIS, merkle_proof, merkle_root, verify_proof


def _h(n: int) -> str:
    return hashlib.sha256(str(n).encode()).hexdigest()


def _entry(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "account": "0011001932418", "sequence": 1, "booked_on": dt.date(2024, 9, 10), "amount": 500000,
        "memo_raw": "NGUYỄN VĂN ĐỨC ủng hộ", "donor_name": "NGUYEN VAN DUC", "is_anonymous": False,
        "source": "statement", "source_ref": "5213.47561", "reverses": None, "reason": "", "prev_hash": GENESIS,
    }
    fields.update(overrides)
    return fields


def test_canonical_form_is_sorted_compact_utf8_json() -> None:
    text = chain.entry_canonical(_entry())
    assert text.startswith('{"account":"0011001932418","amount":500000,"booked_on":"2024-09-10",')
    assert "NGUYỄN" in text and " :" not in text and ", " not in text


def test_entry_hash_is_sha256_of_prev_hash_and_canonical() -> None:
    fields = _entry()
    expected = hashlib.sha256((GENESIS + chain.entry_canonical(fields)).encode("utf-8")).hexdigest()
    assert chain.entry_hash(fields) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", 500001), ("memo_raw", "NGUYEN VAN DUC ung ho"), ("sequence", 2), ("prev_hash", "1" * 64),
     ("booked_on", dt.date(2024, 9, 11)), ("source_ref", "x"), ("is_anonymous", True), ("reverses", 1)],
)
def test_changing_any_field_changes_the_hash(field: str, value: Any) -> None:
    assert chain.entry_hash(_entry(**{field: value})) != chain.entry_hash(_entry())


def test_a_missing_field_is_an_error() -> None:
    fields = _entry()
    del fields["memo_raw"]
    with pytest.raises(KeyError):
        chain.entry_hash(fields)


def test_merkle_rule_with_odd_promotion() -> None:
    a, b, c = _h(1), _h(2), _h(3)
    ab = chain.sha256_hex(a + b)
    assert merkle_root([]) == GENESIS
    assert merkle_root([a]) == a
    assert merkle_root([a, b]) == ab
    assert merkle_root([a, b, c]) == chain.sha256_hex(ab + c)  # c promoted, not duplicated
    assert merkle_proof([a, b, c], 2) == [("L", ab)]
    assert merkle_proof([a, b, c], 0) == [("R", b), ("R", c)]
    assert merkle_proof([a], 0) == []


def test_proof_index_out_of_range() -> None:
    with pytest.raises(IndexError):
        merkle_proof([_h(1)], 1)


def test_malformed_proofs_are_refused_not_raised() -> None:
    leaves = [_h(i) for i in range(4)]
    root = merkle_root(leaves)
    assert not verify_proof(leaves[0], [("X", leaves[1])], root)
    assert not verify_proof(leaves[0], [("R",)], root)  # type: ignore[list-item]


leaf_lists = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=70, unique=True).map(
    lambda ns: [_h(n) for n in ns]
)


@given(leaf_lists)
def test_every_proof_verifies(leaves: list[str]) -> None:
    root = merkle_root(leaves)
    for i, leaf in enumerate(leaves):
        assert verify_proof(leaf, merkle_proof(leaves, i), root)


@given(leaf_lists, st.data())
def test_tampering_any_byte_breaks_the_proof(leaves: list[str], data: st.DataObject) -> None:
    root = merkle_root(leaves)
    index = data.draw(st.integers(min_value=0, max_value=len(leaves) - 1))
    proof = merkle_proof(leaves, index)
    target = data.draw(st.integers(min_value=0, max_value=len(proof)))  # len(proof) means: the leaf itself
    pos = data.draw(st.integers(min_value=0, max_value=63))

    def flip(h: str) -> str:
        return h[:pos] + ("0" if h[pos] != "0" else "1") + h[pos + 1:]

    if target == len(proof):
        assert not verify_proof(flip(leaves[index]), proof, root)
    else:
        side, sibling = proof[target]
        bad = [*proof[:target], (side, flip(sibling)), *proof[target + 1:]]
        assert not verify_proof(leaves[index], bad, root)
    assert not verify_proof(leaves[index], proof, flip(root))


@given(leaf_lists.filter(lambda hs: len(hs) >= 2), st.data())
def test_roots_differ_when_order_changes(leaves: list[str], data: st.DataObject) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(leaves) - 1))
    j = data.draw(st.integers(min_value=0, max_value=len(leaves) - 1).filter(lambda k: k != i))
    swapped = list(leaves)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    assert merkle_root(swapped) != merkle_root(leaves)


@given(leaf_lists.filter(lambda hs: len(hs) >= 2))
def test_dropping_the_last_leaf_changes_the_root(leaves: list[str]) -> None:
    assert merkle_root(leaves[:-1]) != merkle_root(leaves)


@given(st.lists(st.integers(min_value=-10**12, max_value=10**12).filter(bool), min_size=1, max_size=30))
def test_chain_recomputes_and_a_change_breaks_every_later_link(amounts: list[int]) -> None:
    prev, hashes = GENESIS, []
    for seq, amount in enumerate(amounts, start=1):
        prev = chain.entry_hash(_entry(sequence=seq, amount=amount, prev_hash=prev))
        hashes.append(prev)
    # Recompute with the first amount changed: every hash from there on differs.
    prev = GENESIS
    for seq, amount in enumerate(amounts, start=1):
        prev = chain.entry_hash(_entry(sequence=seq, amount=amount + (1 if seq == 1 else 0), prev_hash=prev))
        assert prev != hashes[seq - 1]
