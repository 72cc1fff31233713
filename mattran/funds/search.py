"""The public, diacritic-blind search over the donation ledger (decision 0010).

``ledger_search`` answers ``/minh-bach/?q=…``: the caller passes the published accounts it may show
(``LedgerQuery.account_ids``; empty means nothing), the text the visitor typed and the filters. The text is
folded like :func:`mattran.funds.services.search_text_for` folds the stored ``search_text`` (lower case, no
diacritics, "đ" → "d"), cut into tokens (runs of letters and digits), and every token must be the beginning of a
word of the entry's ``search_text``: "nguyen van d" finds "NGUYEN VAN DUC". The raw memo is never searched, so a
donor's account number cannot be found by typing it. Entries shown as anonymous (``is_anonymous`` or an
``AnonymityRequest``) are never found by a text query; they may appear in unfiltered listings, where the page
hides their name and memo.

A text that is only an amount ("500000", "500.000", "500k", "1,5tr", "2 triệu") searches by amount instead.

Order: newest first — ``booked_on`` descending, then ``id`` descending (the order they were recorded).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from mattran.common import vn
from mattran.funds.models import AnonymityRequest, LedgerEntry

MAX_TEXT_CHARS = 200
MAX_TOKENS = 12
MAX_TOKEN_CHARS = 40
COUNT_CAP = 10_000
MAX_PER_PAGE = 200

DIRECTIONS = ("credit", "debit", "all")

_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class LedgerQuery:
    text: str = ""
    account_ids: tuple[int, ...] = ()
    amount_min: int | None = None
    amount_max: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    direction: str = "credit"


@dataclass(frozen=True)
class LedgerPage:
    entries: list[LedgerEntry]
    count: int
    count_is_lower_bound: bool
    page: int
    per_page: int
    has_next: bool


_AMOUNT_UNITS = {
    "": 1, "d": 1, "dong": 1, "vnd": 1, "vnđ": 1,
    "k": 1_000, "ng": 1_000, "nghin": 1_000, "ngan": 1_000,
    "tr": 1_000_000, "trieu": 1_000_000, "m": 1_000_000,
    "ty": 1_000_000_000, "ti": 1_000_000_000,
}
_GROUPED = re.compile(r"^(\d{1,3}(?:([.,\s])\d{3})(?:\2\d{3})*)\s*([a-z]*)$")
_PLAIN = re.compile(r"^(\d+)(?:([.,])(\d{1,3}))?\s*([a-z]*)$")


def parse_amount(text: str) -> int | None:
    """The amount in đồng when ``text`` is only an amount, else None.

    Accepted: ``500000``, ``500.000``, ``500,000``, ``500 000``, ``500.000đ``, ``500000 VND``, ``500k``,
    ``500 nghìn``, ``1,5tr``, ``2 triệu``, ``1 tỷ``. Plain digits shorter than 4 ("123", "2024" is 4 and
    counts) are not taken for an amount: they are more likely part of a memo. Amounts above 10^15 are refused.
    """
    folded = " ".join(vn.fold(text or "").split())
    if not folded or len(folded) > 40:
        return None
    match = _GROUPED.match(folded)
    if match:
        digits, _, unit = match.groups()
        if unit not in _AMOUNT_UNITS:
            return None
        value = Decimal(re.sub(r"\D", "", digits)) * _AMOUNT_UNITS[unit]
    else:
        match = _PLAIN.match(folded)
        if not match:
            return None
        whole, _, frac, unit = match.groups()
        if unit not in _AMOUNT_UNITS:
            return None
        if frac is None and _AMOUNT_UNITS[unit] == 1 and len(whole) < 4:
            return None
        value = Decimal(f"{whole}.{frac or 0}") * _AMOUNT_UNITS[unit]
        if value != value.to_integral_value():
            return None  # "500.5" is not a whole number of đồng
    if value <= 0 or value > 10 ** 15:
        return None
    return int(value)


def query_tokens(text: str) -> list[str]:
    """The folded tokens a text searches for: at most ``MAX_TOKENS`` from its first ``MAX_TEXT_CHARS``
    characters, each cut to ``MAX_TOKEN_CHARS``, duplicates and tokens that prefix another dropped."""
    folded = vn.fold((text or "")[:MAX_TEXT_CHARS].replace("\x00", " ")).lower()
    tokens: list[str] = []
    for raw in _TOKEN.findall(folded):
        token = raw[:MAX_TOKEN_CHARS]
        if token not in tokens:
            tokens.append(token)
        if len(tokens) == MAX_TOKENS:
            break
    # "nguyen ngu" asks nothing more than "nguyen"; keeping only the longest makes the SQL shorter.
    return [t for t in tokens if not any(o != t and o.startswith(t) for o in tokens)]


def _base(query: LedgerQuery) -> QuerySet[LedgerEntry]:
    qs = LedgerEntry.objects.filter(account_id__in=list(query.account_ids))
    if query.direction == "credit":
        qs = qs.filter(amount__gt=0)
    elif query.direction == "debit":
        qs = qs.filter(amount__lt=0)
    if query.amount_min is not None:
        qs = qs.filter(amount__gte=query.amount_min) if query.direction != "debit" else qs.filter(
            amount__lte=-query.amount_min)
    if query.amount_max is not None:
        qs = qs.filter(amount__lte=query.amount_max) if query.direction != "debit" else qs.filter(
            amount__gte=-query.amount_max)
    if query.date_from is not None:
        qs = qs.filter(booked_on__gte=query.date_from)
    if query.date_to is not None:
        qs = qs.filter(booked_on__lte=query.date_to)
    return qs


def _word_prefix_regex(token: str) -> str:
    if connection.vendor == "postgresql":
        return r"(^|[^[:alnum:]])" + re.escape(token)
    return r"(?<![^\W_])" + re.escape(token)


def matching(query: LedgerQuery) -> QuerySet[LedgerEntry]:
    """Every entry the query finds, unordered."""
    if not query.account_ids or query.direction not in DIRECTIONS:
        return LedgerEntry.objects.none()
    qs = _base(query)
    amount = parse_amount(query.text)
    if amount is not None:
        return qs.filter(Q(amount=amount) | Q(amount=-amount))
    tokens = query_tokens(query.text)
    if not tokens:
        return qs
    qs = qs.filter(is_anonymous=False).exclude(Exists(AnonymityRequest.objects.filter(entry=OuterRef("pk"))))
    for token in tokens:
        qs = qs.filter(search_text__contains=token, search_text__regex=_word_prefix_regex(token))
    return qs


def ledger_search(query: LedgerQuery, *, page: int = 1, per_page: int = 50) -> LedgerPage:
    """One page of the entries ``query`` finds, newest first, with their count (capped at ``COUNT_CAP``:
    beyond it ``count_is_lower_bound`` is True and the page says "hơn 10.000")."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    qs = matching(query)
    offset = (page - 1) * per_page
    entries = list(qs.select_related("account").order_by("-booked_on", "-id")[offset:offset + per_page + 1])
    has_next = len(entries) > per_page
    entries = entries[:per_page]
    capped = qs.order_by()[:COUNT_CAP + 1].count()
    return LedgerPage(entries=entries, count=min(capped, COUNT_CAP), count_is_lower_bound=capped > COUNT_CAP,
                      page=page, per_page=per_page, has_next=has_next)


def ledger_search_iter(query: LedgerQuery, *, chunk_size: int = 2000) -> Iterator[LedgerEntry]:
    """Every entry ``query`` finds, in the order of :func:`ledger_search` (for the CSV export)."""
    qs = matching(query).select_related("account").order_by("-booked_on", "-id")
    yield from qs.iterator(chunk_size=chunk_size)
