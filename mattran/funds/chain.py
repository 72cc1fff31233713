"""The hash chain of a ledger account and the Merkle tree of a day's entries. Pure functions, no Django.

Decision 0008 explains the design; the rules, exactly:

**Entry hash.** An entry is serialised canonically as JSON with sorted keys, no white space
(``separators=(",", ":")``), non-ASCII kept as UTF-8 (``ensure_ascii=False``), over the fields of
:data:`ENTRY_FIELDS`: dates in ISO form (``2024-09-10``), amounts as signed integers of đồng, ``reverses`` as
the *sequence* of the reversed entry (or ``null``), absent text as ``""``. Then::

    entry_hash = sha256_hex( prev_hash + canonical )        # both as UTF-8 text, hex digest lower case

``prev_hash`` is the previous entry's ``entry_hash`` in the same account (by sequence) and is also inside the
canonical JSON; the first entry of an account uses :data:`GENESIS` (64 zeros).

**Merkle tree of a day.** Leaves are the day's entry hashes (hex text) in sequence order. Each level pairs
neighbours left to right; a parent is ``sha256_hex(left_hex + right_hex)``. When a level has an odd number of
nodes the last one is *promoted* unchanged to the next level (it is not duplicated, so no two different leaf
lists share a root by duplication). The root of one leaf is that leaf; the root of no leaves is
:data:`GENESIS`. A parent's preimage is always exactly 128 hex characters while a leaf's preimage is 64 hex
characters followed by ``{``, so a leaf can never pass for an inner node.

**Proof.** ``merkle_proof(hashes, i)`` is the list of ``(side, sibling_hash)`` from the leaf up, where ``side``
is ``"L"`` when the sibling sits on the left (``parent = sha256(sibling + node)``) and ``"R"`` when it sits on
the right (``parent = sha256(node + sibling)``). Levels where the node was promoted contribute no step.

**Checkpoint hash.** A day's checkpoint is serialised the same canonical way over :data:`CHECKPOINT_FIELDS`
and ``checkpoint_hash = sha256_hex(canonical)``. Its ``chain_hash`` is the entry hash of the day's last entry,
which commits to every earlier entry of the account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

GENESIS = "0" * 64

ENTRY_FIELDS = (
    "account", "sequence", "booked_on", "amount", "memo_raw", "donor_name", "is_anonymous", "source",
    "source_ref", "reverses", "reason", "prev_hash",
)
CHECKPOINT_FIELDS = (
    "account", "day", "last_sequence", "entry_count", "credit_total", "debit_total", "merkle_root",
    "chain_hash",
)

Side = Literal["L", "R"]
Proof = list[tuple[Side, str]]


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical(fields: Mapping[str, Any], names: Sequence[str]) -> str:
    """Sorted, compact JSON of exactly ``names`` taken from ``fields`` (a missing one is an error)."""
    missing = [n for n in names if n not in fields]
    if missing:
        raise KeyError(f"missing fields for hashing: {', '.join(missing)}")
    return json.dumps({n: _plain(fields[n]) for n in names}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))


def entry_canonical(fields: Mapping[str, Any]) -> str:
    return canonical(fields, ENTRY_FIELDS)


def entry_hash(fields: Mapping[str, Any]) -> str:
    """``sha256(prev_hash + canonical(entry))``; ``fields`` carries ``prev_hash`` among the others."""
    return sha256_hex(str(fields["prev_hash"]) + entry_canonical(fields))


def checkpoint_hash(fields: Mapping[str, Any]) -> str:
    return sha256_hex(canonical(fields, CHECKPOINT_FIELDS))


def _parent(left: str, right: str) -> str:
    return sha256_hex(left + right)


def merkle_levels(hashes: Sequence[str]) -> list[list[str]]:
    """Every level of the tree, leaves first, root level (one node) last."""
    level = list(hashes)
    levels = [level]
    while len(level) > 1:
        nxt = [_parent(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])  # odd node promoted unchanged
        levels.append(nxt)
        level = nxt
    return levels


def merkle_root(hashes: Sequence[str]) -> str:
    if not hashes:
        return GENESIS
    return merkle_levels(hashes)[-1][0]


def merkle_proof(hashes: Sequence[str], index: int) -> Proof:
    """The path from leaf ``index`` to the root as ``[(side, sibling), …]``."""
    if not 0 <= index < len(hashes):
        raise IndexError(f"leaf {index} not in a tree of {len(hashes)}")
    proof: Proof = []
    for level in merkle_levels(hashes)[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            proof.append(("L" if sibling < index else "R", level[sibling]))
        index //= 2
    return proof


def verify_proof(leaf: str, proof: Sequence[tuple[str, str]], root: str) -> bool:
    """Does ``leaf`` climb ``proof`` to ``root``? Never raises on malformed input; answers ``False``."""
    node = leaf
    for step in proof:
        try:
            side, sibling = step
        except (TypeError, ValueError):
            return False
        if side == "L":
            node = _parent(sibling, node)
        elif side == "R":
            node = _parent(node, sibling)
        else:
            return False
    return node == root
