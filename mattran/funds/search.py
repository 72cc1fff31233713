"""The public, diacritic-blind search over the donation ledger (decision 0010).

``ledger_search`` answers ``/minh-bach/?q=…``: the caller passes the published accounts it may show
(``LedgerQuery.account_ids``; empty means nothing), the text the visitor typed and the filters. The text is
folded like :func:`mattran.funds.services.search_text_for` folds the stored ``search_text`` (lower case, no
diacritics, "đ" → "d") and cut into tokens (runs of letters and digits; at most 12 from the first 200
characters). Every token but the last must be a whole word of the entry's ``search_text`` and the last one the
beginning of a word, as one types: "nguyen van d" finds "NGUYEN VAN DUC". Quotes, FTS operators, SQL and the
like are only separators or words. The raw memo is never searched, so a donor's account number cannot be found by
typing it. Entries shown as anonymous (``is_anonymous`` or an
``AnonymityRequest``) are never found by a text query; they may appear in unfiltered listings, where the page
hides their name and memo.

A text that is only an amount ("500000", "500.000", "500k", "1,5tr", "2 triệu") searches by amount instead.
The count stops at ``COUNT_CAP`` (1,000): beyond it ``count_is_lower_bound`` is True ("hơn 1.000 kết quả").

Order: newest first, meaning most recently recorded first (``id`` descending). Statements are imported in date
order, so within an account this is the booking order; it is also the order the FTS5 index returns matches in,
which is what lets a common word ("nguyen": 230,000 entries of a million) give its first page in a millisecond.

Where the words are looked up: SQLite's own FTS5 table; on PostgreSQL, the same FTS5 index in a replica file on
the app server (:mod:`mattran.funds.search_replica`, decision 0018), with the same SQL; the entries found are
then read from the database by id. Listings without text and amount searches run on the database itself.
"""

from __future__ import annotations

import datetime
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from mattran.common import vn
from mattran.funds import search_replica
from mattran.funds.models import AnonymityRequest, LedgerEntry

MAX_TEXT_CHARS = 200
MAX_TOKENS = 12
MAX_TOKEN_CHARS = 40
COUNT_CAP = 1_000
MAX_PER_PAGE = 200
MAX_OFFSET = 10_000
DENSE_SCAN_ROWS = 40_000  # PostgreSQL listings: see _page_ids
PROBE_ROWS = 2_500  # PostgreSQL listings: see _page_ids

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
        if _AMOUNT_UNITS[unit] == 1 and (frac is not None or len(whole) < 4):
            return None  # "500,00" or "123": a decimal or a short number, not a sum of đồng
        value = Decimal(f"{whole}.{frac or 0}") * _AMOUNT_UNITS[unit]
        if value != value.to_integral_value():
            return None  # "500.5" is not a whole number of đồng
    if value <= 0 or value > 10 ** 15:
        return None
    return int(value)


def query_tokens(text: str) -> list[str]:
    """The folded tokens a text searches for, in order: at most ``MAX_TOKENS`` from its first
    ``MAX_TEXT_CHARS`` characters, each cut to ``MAX_TOKEN_CHARS``, a repeated token kept once. Every token but
    the last must be a whole word of the entry; the last one may be the beginning of a word."""
    folded = vn.fold((text or "")[:MAX_TEXT_CHARS].replace("\x00", " ")).lower()
    tokens: list[str] = []
    for raw in _TOKEN.findall(folded):
        token = raw[:MAX_TOKEN_CHARS]
        if token not in tokens:
            tokens.append(token)
        if len(tokens) == MAX_TOKENS:
            break
    return tokens


FTS_TABLE = search_replica.FTS_TABLE


def index_new_entries(*, account_id: int, first_sequence: int) -> None:
    """Add the entries of ``account_id`` from ``first_sequence`` on to the full-text index. SQLite: one ``INSERT …
    SELECT`` over the unique ``(account, sequence)`` index into the database's FTS5 table, in the transaction that
    inserted them. PostgreSQL: the search replica catches up once that transaction commits."""
    if connection.vendor != "sqlite":
        search_replica.sync_after_commit()
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, search_text) SELECT id, search_text FROM funds_ledgerentry "  # noqa: S608
            "WHERE account_id = %s AND sequence >= %s AND NOT is_anonymous",
            [account_id, first_sequence],
        )


def _magnitude_bounds(query: LedgerQuery) -> tuple[int | None, int | None]:
    low = query.amount_min if query.amount_min is not None and query.amount_min > 0 else None
    high = query.amount_max if query.amount_max is not None else None
    return low, high


def _filters(query: LedgerQuery, amount: int | None, *, iso_dates: bool) -> tuple[list[str], list[Any]]:
    """SQL conditions on the entry ``e`` for everything but the text, with their parameters (days as ISO text
    for the PostgreSQL deployment's SQLite replica, ``iso_dates``)."""
    ids = [int(i) for i in query.account_ids]
    where = [f"e.account_id IN ({', '.join(['%s'] * len(ids))})"]
    params: list[Any] = list(ids)
    if query.direction == "credit":
        where.append("e.amount > 0")
    elif query.direction == "debit":
        where.append("e.amount < 0")
    low, high = _magnitude_bounds(query)
    # Amount bounds apply to the sum of money whatever its direction (a debit of 500.000 đ is "500.000").
    if low is not None:
        where.append("(e.amount >= %s OR e.amount <= %s)")
        params += [low, -low]
    if high is not None:
        where.append("e.amount <= %s AND e.amount >= %s")
        params += [high, -high]
    for day, condition in ((query.date_from, "e.booked_on >= %s"), (query.date_to, "e.booked_on <= %s")):
        if day is not None:
            where.append(condition)
            params.append(day.isoformat() if iso_dates else connection.ops.adapt_datefield_value(day))
    if amount is not None:
        signed = {"credit": [amount], "debit": [-amount]}.get(query.direction, [amount, -amount])
        where.append(f"e.amount IN ({', '.join(['%s'] * len(signed))})")
        params += signed
    return where, params


_NOT_ANONYMOUS = ("NOT e.is_anonymous AND NOT EXISTS "
                  "(SELECT 1 FROM funds_anonymityrequest a WHERE a.entry_id = e.id)")


@dataclass(frozen=True)
class _Plan:
    """One query as SQL: ``FROM``/``WHERE`` with parameters, the column that orders it newest first, and where
    it runs: Django's connection, or (``replica``) the PostgreSQL deployment's SQLite search replica."""

    source: str
    params: list[Any]
    order: str
    text: bool = False  # whether the query searches words through FTS5 (not only filters or an amount)
    replica: sqlite3.Connection | None = None

    def _rows(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        if self.replica is not None:
            return search_replica.replica_execute(self.replica, sql, params)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def ids(self, *, limit: int, offset: int = 0, before: int | None = None) -> list[int]:
        source, params = self.source, list(self.params)
        if before is not None:
            source += f" AND {self.order} < %s"
            params.append(before)
        sql = f"SELECT e.id {source} ORDER BY {self.order} DESC LIMIT %s OFFSET %s"
        return [row[0] for row in self._rows(sql, [*params, limit, offset])]

    def ids_since(self, *, limit: int, floor: int) -> list[int]:
        """The newest ``limit`` matches among the entries with an id above ``floor`` (a primary-key range)."""
        sql = f"SELECT e.id {self.source} AND e.id > %s ORDER BY {self.order} DESC LIMIT %s"
        return [row[0] for row in self._rows(sql, [*self.params, floor, limit])]

    def count_since(self, cap: int, *, floor: int) -> int:
        """Matches with an id above ``floor``, up to ``cap``."""
        sql = f"SELECT count(*) FROM (SELECT 1 {self.source} AND e.id > %s LIMIT %s) capped"  # noqa: S608 - ours
        return int(self._rows(sql, [*self.params, floor, cap])[0][0])

    def count(self, cap: int) -> int:
        sql = f"SELECT count(*) FROM (SELECT 1 {self.source} LIMIT %s) capped"  # noqa: S608 - ours
        return int(self._rows(sql, [*self.params, cap])[0][0])


def _plan(query: LedgerQuery) -> _Plan | None:
    """The SQL of ``query``; None when it can find nothing (no account, unknown direction). A text search runs on
    FTS5: the SQLite database's own table, or on PostgreSQL the search replica (:mod:`search_replica`), brought
    up to date here."""
    if not query.account_ids or query.direction not in DIRECTIONS:
        return None
    if connection.vendor not in ("sqlite", "postgresql"):  # pragma: no cover - the project runs on these two
        raise NotImplementedError(connection.vendor)
    amount = parse_amount(query.text)
    tokens = [] if amount is not None else query_tokens(query.text)
    on_replica = bool(tokens) and connection.vendor == "postgresql"
    where, params = _filters(query, amount, iso_dates=on_replica)
    table = "funds_ledgerentry e"
    order = "e.id"
    if tokens:
        where.append(_NOT_ANONYMOUS)
        *words, last = tokens
        table = f"{FTS_TABLE} f JOIN funds_ledgerentry e ON e.id = f.rowid"
        where.insert(0, f"f.{FTS_TABLE} MATCH %s")
        params.insert(0, " AND ".join([*(f'"{t}"' for t in words), f'"{last}"*']))
        order = "f.rowid"
        # FTS5 finds the words; for a token beyond ASCII, instr() re-checks that it is in the text, so that
        # whatever the tokenizer makes of an unusual character, nothing is found that lacks it.
        for token in tokens:
            if not token.isascii():  # ASCII letters and digits are words to FTS5, exactly as here
                where.append("instr(e.search_text, %s) > 0")
                params.append(token)
    return _Plan(source=f"FROM {table} WHERE {' AND '.join(where)}", params=params, order=order,
                 text=bool(tokens), replica=search_replica.synced_for_search() if on_replica else None)


def _dense(ids: list[int], newest: int) -> bool:
    """Whether the first page's matches, newest first, are dense enough that walking the primary key reaches
    the count's cap within ``DENSE_SCAN_ROWS`` rows (estimated from the ids the page spans)."""
    span = max(1, newest - ids[-1] + 1)
    return span * (COUNT_CAP + 1) <= DENSE_SCAN_ROWS * len(ids)


def _entries(ids: list[int]) -> list[LedgerEntry]:
    by_id = LedgerEntry.objects.select_related("account").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def _page_ids(plan: _Plan, *, page: int, per_page: int) -> tuple[list[int], int]:
    """The ids of a page (one more than ``per_page`` when there is a next page) and the count up to the cap
    plus one."""
    offset = (page - 1) * per_page
    ids: list[int] = []
    newest = 0
    if connection.vendor == "postgresql" and not plan.text and offset == 0:
        # A listing or an amount search on PostgreSQL: look among the newest PROBE_ROWS entries first (a
        # primary-key range); only when that does not fill the page ask the planner about the whole ledger.
        newest = LedgerEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ids = plan.ids_since(limit=per_page + 1, floor=newest - PROBE_ROWS)
        if len(ids) <= per_page:
            ids = []
    if not ids and offset <= MAX_OFFSET:
        ids = plan.ids(limit=per_page + 1, offset=offset)
    counted = -1
    if ids and len(ids) <= per_page:
        counted = offset + len(ids)  # the last page: the count is known without counting
    elif newest and ids and _dense(ids, newest):
        counted = plan.count_since(COUNT_CAP + 1, floor=newest - DENSE_SCAN_ROWS)
        if counted <= COUNT_CAP:
            counted = -1
    if counted < 0:
        counted = plan.count(COUNT_CAP + 1)
    return ids, counted


def ledger_search(query: LedgerQuery, *, page: int = 1, per_page: int = 50) -> LedgerPage:
    """One page of the entries ``query`` finds, newest first (most recently recorded first: ``id``
    descending), with their count. The count stops at ``COUNT_CAP``: beyond it ``count_is_lower_bound`` is
    True and the page says "hơn 1.000". Pages start at 1; ``per_page`` is kept within 1–``MAX_PER_PAGE``; a
    page starting beyond ``MAX_OFFSET`` results is empty (the CSV export has them all)."""
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    try:
        plan = _plan(query)
    except search_replica.Unavailable:
        return _reference_page(query, page=page, per_page=per_page)
    offset = (page - 1) * per_page
    if plan is None:
        return LedgerPage(entries=[], count=0, count_is_lower_bound=False, page=page, per_page=per_page,
                          has_next=False)
    try:
        ids, counted = _page_ids(plan, page=page, per_page=per_page)
    except (DatabaseError, sqlite3.Error):
        if not plan.text or offset > MAX_OFFSET:
            raise
        # FTS5 refused the expression its tokenizer made of an unusual token: answer from the plain scan.
        return _reference_page(query, page=page, per_page=per_page)
    return LedgerPage(entries=_entries(ids[:per_page]), count=min(counted, COUNT_CAP),
                      count_is_lower_bound=counted > COUNT_CAP, page=page, per_page=per_page,
                      has_next=len(ids) > per_page)


def ledger_search_iter(query: LedgerQuery, *, chunk_size: int = 2000) -> Iterator[LedgerEntry]:
    """Every entry ``query`` finds, in the order of :func:`ledger_search` (for the CSV export), read in
    chunks of ``chunk_size`` by keyset (``id`` below the last one read), so memory stays flat."""
    chunk_size = max(1, chunk_size)
    try:
        plan = _plan(query)
    except search_replica.Unavailable:
        yield from _reference_matching(query).select_related("account").order_by("-id").iterator(
            chunk_size=chunk_size)
        return
    if plan is None:
        return
    before: int | None = None
    while True:
        try:
            ids = plan.ids(limit=chunk_size, before=before)
        except (DatabaseError, sqlite3.Error):
            if not plan.text or before is not None:
                raise
            yield from _reference_matching(query).select_related("account").order_by("-id").iterator(
                chunk_size=chunk_size)
            return
        if not ids:
            return
        yield from _entries(ids)
        before = ids[-1]
        if len(ids) < chunk_size:
            return


# --- The plain implementation: a scan with regular expressions ---------------------------------------------
# Used when FTS5 refuses an expression (a token its tokenizer splits), and by the tests as the reference the
# indexed search must agree with.


def _word_regex(token: str, *, whole: bool) -> str:
    if connection.vendor == "postgresql":
        return r"(^|[^[:alnum:]])" + re.escape(token) + (r"([^[:alnum:]]|$)" if whole else "")
    return r"(?<![^\W_])" + re.escape(token) + (r"(?![^\W_])" if whole else "")


def _reference_matching(query: LedgerQuery) -> QuerySet[LedgerEntry]:
    """Every entry the query finds, unordered, by a plain scan."""
    if not query.account_ids or query.direction not in DIRECTIONS:
        return LedgerEntry.objects.none()
    qs = LedgerEntry.objects.filter(account_id__in=list(query.account_ids))
    if query.direction == "credit":
        qs = qs.filter(amount__gt=0)
    elif query.direction == "debit":
        qs = qs.filter(amount__lt=0)
    low, high = _magnitude_bounds(query)
    if low is not None:
        qs = qs.filter(Q(amount__gte=low) | Q(amount__lte=-low))
    if high is not None:
        qs = qs.filter(amount__lte=high, amount__gte=-high)
    if query.date_from is not None:
        qs = qs.filter(booked_on__gte=query.date_from)
    if query.date_to is not None:
        qs = qs.filter(booked_on__lte=query.date_to)
    amount = parse_amount(query.text)
    if amount is not None:
        return qs.filter(amount__in=[amount, -amount])
    tokens = query_tokens(query.text)
    if not tokens:
        return qs
    qs = qs.filter(is_anonymous=False).exclude(Exists(AnonymityRequest.objects.filter(entry=OuterRef("pk"))))
    for n, token in enumerate(tokens, start=1):
        qs = qs.filter(search_text__contains=token, search_text__regex=_word_regex(token, whole=n < len(tokens)))
    return qs


def _reference_page(query: LedgerQuery, *, page: int, per_page: int) -> LedgerPage:
    qs = _reference_matching(query)
    offset = (page - 1) * per_page
    entries = list(qs.select_related("account").order_by("-id")[offset:offset + per_page + 1])
    counted = qs.order_by()[:COUNT_CAP + 1].count()
    return LedgerPage(entries=entries[:per_page], count=min(counted, COUNT_CAP),
                      count_is_lower_bound=counted > COUNT_CAP, page=page, per_page=per_page,
                      has_next=len(entries) > per_page)
