"""The row model shared by every statement format, and the stable row key used for de-duplication."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from hashlib import blake2b as _blake2b


@dataclass(frozen=True, slots=True)
class StatementRow:
    """One booked transaction. ``amount`` is signed integer đồng: credit > 0, debit < 0.

    ``line`` is the 1-based physical line of the file where the row starts (the header is line 1 in the community
    CSVs). ``balance`` is the running balance after the row when the statement prints one.
    """

    line: int
    booked_on: date
    amount: int
    memo: str
    balance: int | None
    bank_ref: str
    row_key: str


@dataclass(frozen=True, slots=True)
class RowError:
    """Why a row was refused: where (line, column label), what (the raw value) and why, in Vietnamese."""

    line: int
    column: str
    value: str
    reason_vi: str


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Either every row of a file or the full list of errors, never half: ``rows`` is empty when ``errors`` is not."""

    rows: list[StatementRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_memo(memo: str) -> str:
    """Whitespace-collapsed memo; continuation lines are joined with one space."""
    if "  " in memo or "\n" in memo or "\t" in memo or "\r" in memo or memo[:1].isspace() or memo[-1:].isspace():
        return " ".join(memo.split())
    return memo


class RowKeys:
    """Assigns row keys within one file.

    A row key is ``<24 hex digits>:<n>``: the hex digits are a BLAKE2b digest of the booking date (ISO), the bank
    reference, the signed amount and the whitespace-collapsed memo, joined by ``|``; ``n`` counts earlier rows of
    the same file with the same four values (0 for the first). Bank references alone repeat (about 7,500 Vietcombank
    ``DocNo`` values do), so they are never the identity on their own.

    The key depends only on the row and on the identical rows before it in the same file, so re-importing a file
    gives the same keys, and an overlapping export gives the same keys for the rows it shares as long as it
    contains the same identical twins before them (exports cover whole days, and twins are on the same day).
    A repaired amount (see ``reconcile``) does not change the key: keys are taken from the row as the bank printed it.
    """

    __slots__ = ("_iso", "_seen")

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}
        self._iso: dict[date, str] = {}

    def key(self, booked_on: date, bank_ref: str, amount: int, memo: str) -> str:
        iso = self._iso.get(booked_on)
        if iso is None:
            iso = self._iso[booked_on] = booked_on.isoformat()
        digest = _blake2b(f"{iso}|{bank_ref}|{amount}|{memo}".encode(), digest_size=12).hexdigest()
        n = self._seen.get(digest, 0)
        self._seen[digest] = n + 1
        return f"{digest}:{n}"
