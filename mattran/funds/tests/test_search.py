"""The public ledger search: diacritics both ways, prefixes, filters, scope, anonymity, hostile input.

Every test here runs on SQLite (the database's FTS5 table) and, in CI's second run, on PostgreSQL (the FTS5 search
replica of decision 0018, and PostgreSQL itself for listings and amounts); the expected results are written out,
so both databases must give the same answers for the same data.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mattran.accounts.tests.factories import UserFactory
from mattran.funds import search
from mattran.funds.models import AnonymityRequest, LedgerEntry, ReceivingAccount
from mattran.funds.search import LedgerPage, LedgerQuery, ledger_search, ledger_search_iter, parse_amount
from mattran.funds.services import LedgerRow, ledger_append, ledger_correct
from mattran.funds.tests.factories import ReceivingAccountFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 9, 10)

# (memo, donor, amount, day offset, anonymous); refs are the position. Memos are as banks write them.
LEDGER = [
    ("MBVCB.6916176124.NGUYEN VAN DUC chuyen tien.CT tu 0101001222009 NGUYEN VAN DUC toi 0011001932418",
     "NGUYEN VAN DUC", 500_000, 0, False),
    ("Nguyễn Văn Đức ủng hộ đồng bào miền Bắc", "", 200_000, 0, False),
    ("NGUYEN VAN DUNG ung ho bao lu", "", 500_000, 1, False),
    ("NGUYEN THI DUC ung ho", "", 100_000, 1, False),
    ("TRAN THI HONG chuyen tien ung ho Yagi", "", 1_000_000, 2, False),
    ("292976.010924.013647.xin cam on", "", 50_000, 2, False),
    ("NGUYEN VAN DUC gui bao lu", "", 300_000, 3, True),  # shown as anonymous from the start
    ("PHAM DUC ANH ung ho, sdt 0912 345 678", "", 2_000_000, 3, False),
    ("Chi ho tro ho gia dinh NGUYEN VAN DUC", "", -5_000_000, 4, False),
    ("LE VANH ung ho", "", 20_000, 4, False),
]


def _ledger(account: ReceivingAccount | None = None) -> ReceivingAccount:
    account = account or ReceivingAccountFactory()
    ledger_append(actor=None, account=account, rows=[
        LedgerRow(booked_on=DAY + dt.timedelta(days=offset), amount=amount, memo_raw=memo, donor_name=donor,
                  source_ref=f"r{i}", is_anonymous=anonymous)
        for i, (memo, donor, amount, offset, anonymous) in enumerate(LEDGER)
    ])
    return account


def _found(account: ReceivingAccount, text: str = "", **filters: Any) -> list[int]:
    """Positions in LEDGER of what the search finds, in its order."""
    page = ledger_search(LedgerQuery(text=text, account_ids=(account.pk,), **filters), per_page=200)
    assert page.count == len(page.entries) and not page.count_is_lower_bound and not page.has_next
    return [int(e.source_ref[1:]) for e in page.entries]


_EXPECTED = [
    # Diacritics both ways, "đ"/"Đ" included; newest (last recorded) first.
    ("Nguyễn Văn Đức", [1, 0]),
    ("nguyen van duc", [1, 0]),
    ("NGUYỄN VĂN ĐỨC", [1, 0]),
    ("ĐỨC", [7, 3, 1, 0]),
    ("đồng bào", [1]),
    ("dong bao", [1]),
    # Whole words, in any order, and the beginning of a word for the last one (as one types).
    ("nguyen van d", [2, 1, 0]),
    ("nguyen van du", [2, 1, 0]),
    ("nguyen van dun", [2]),
    ("duc nguyen", [3, 1, 0]),
    ("van", [9, 2, 1, 0]),
    ("van nguyen", [2, 1, 0]),
    ("le van", [9]),
    ("le vanh", [9]),
    ("van ung", [2, 1]),
    ("vanh ung", [9]),
    ("nguy van duc", []),
    ("guyen", []),
    ("uc", []),
    # Memo words, the masked trace and phone number (last three digits stay public).
    ("ung ho", [9, 7, 4, 3, 2, 1]),
    ("yagi", [4]),
    ("xin cam on", [5]),
    ("976", [5]),
    ("678", [7]),
    # Nothing to search for: everything in scope (credits only by default), anonymous entries too.
    ("", [9, 7, 6, 5, 4, 3, 2, 1, 0]),
    ("   ", [9, 7, 6, 5, 4, 3, 2, 1, 0]),
    ("!!! ??? ...", [9, 7, 6, 5, 4, 3, 2, 1, 0]),
    # Amounts typed in the ways people type them.
    ("500000", [2, 0]),
    ("500.000", [2, 0]),
    ("500,000 đ", [2, 0]),
    ("500k", [2, 0]),
    ("1tr", [4]),
    ("2 triệu", [7]),
    ("300.000", [6]),  # an amount search is not a text search: the anonymous entry is listed (name hidden)
]


@pytest.mark.parametrize(("text", "expected"), _EXPECTED)
def test_search_finds_the_expected_entries(text: str, expected: list[int]) -> None:
    assert _found(_ledger(), text) == expected


# PostgreSQL lists (no text, or an amount) by first looking among the newest PROBE_ROWS entries along the key, and
# counts along the key when the page is dense (decision 0010); text searches run on FTS5 everywhere (0018). Each
# way must find the same entries in the same order with the same count; these settings force each.
_PG_WAYS = {
    "probe fills the page, count along the key": {"PROBE_ROWS": 10_000, "DENSE_SCAN_ROWS": 10_000},
    "probe fills the page, count over the whole ledger": {"PROBE_ROWS": 10_000, "DENSE_SCAN_ROWS": 0},
    "probe too short": {"PROBE_ROWS": 1},
}


@pytest.mark.parametrize("way", list(_PG_WAYS))
def test_every_way_of_listing_finds_the_same_page_and_count(monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    for name, value in _PG_WAYS[way].items():
        monkeypatch.setattr(search, name, value)
    account = _ledger()
    for text, expected in _EXPECTED:
        for per_page in (2, 50):
            page = ledger_search(LedgerQuery(text=text, account_ids=(account.pk,)), per_page=per_page)
            assert [int(e.source_ref[1:]) for e in page.entries] == expected[:per_page], (way, text, per_page)
            assert (page.count, page.has_next) == (len(expected), len(expected) > per_page), (way, text, per_page)


def test_account_numbers_in_memos_are_not_searchable() -> None:
    account = _ledger()
    for text in ("0101001222009", "CT tu 0101001222009", "tu 0101001", "0912 345 678", "sdt 0912345678",
                 "sdt 0912", "0011001932418 mat tran"):
        assert _found(account, text) == [], text
    # The raw memo still holds the number (the ledger keeps it); only the masked text is searched.
    assert "0101001222009" in LedgerEntry.objects.get(account=account, source_ref="r0").memo_raw


def test_anonymous_entries_are_never_found_by_text_but_are_listed() -> None:
    account = _ledger()
    entry = LedgerEntry.objects.get(account=account, source_ref="r1")
    AnonymityRequest.objects.create(entry=entry, recorded_by=UserFactory())
    assert _found(account, "nguyen van duc") == [0]
    assert _found(account, "gui bao lu") == []
    assert _found(account, "dong bao") == []
    listed = _found(account)
    assert 6 in listed and 1 in listed


def test_direction_amount_and_date_filters() -> None:
    account = _ledger()
    assert _found(account, "nguyen van duc", direction="debit") == [8]
    assert _found(account, "nguyen van duc", direction="all") == [8, 1, 0]
    assert _found(account, "ho gia dinh") == []  # a debit: credits only by default
    assert _found(account, direction="debit") == [8]
    assert _found(account, amount_min=500_000) == [7, 4, 2, 0]
    assert _found(account, amount_min=200_000, amount_max=500_000) == [6, 2, 1, 0]
    assert _found(account, "nguyen", amount_max=300_000) == [3, 1]
    # Amount bounds read the sum of money, whatever the direction.
    assert _found(account, direction="all", amount_min=3_000_000) == [8]
    assert _found(account, date_from=DAY + dt.timedelta(days=3)) == [9, 7, 6]
    assert _found(account, date_to=DAY) == [1, 0]
    assert _found(account, "ung ho", date_from=DAY + dt.timedelta(days=1),
                  date_to=DAY + dt.timedelta(days=2)) == [4, 3, 2]
    assert _found(account, "500.000", date_from=DAY + dt.timedelta(days=1)) == [2]
    assert _found(account, "5tr", direction="debit") == [8]


def test_scope_is_the_accounts_the_caller_passes() -> None:
    first, second = _ledger(), _ledger()
    assert ledger_search(LedgerQuery(text="nguyen van duc")).count == 0  # no account: nothing
    assert ledger_search(LedgerQuery(text="nguyen van duc", account_ids=(first.pk,))).count == 2
    both = ledger_search(LedgerQuery(text="nguyen van duc", account_ids=(first.pk, second.pk)))
    assert both.count == 4
    assert {e.account_id for e in both.entries} == {first.pk, second.pk}
    assert [e.pk for e in both.entries] == sorted((e.pk for e in both.entries), reverse=True)
    assert ledger_search(LedgerQuery(text="nguyen", account_ids=(first.pk,), direction="sideways")).count == 0


def test_pagination_count_and_the_export_share_one_order() -> None:
    account = _ledger()
    query = LedgerQuery(text="ung", account_ids=(account.pk,))
    pages = [ledger_search(query, page=n, per_page=4) for n in (1, 2, 3)]
    assert [p.count for p in pages] == [6, 6, 6]
    assert [p.has_next for p in pages] == [True, False, False]
    assert [len(p.entries) for p in pages] == [4, 2, 0]
    paged = [e.pk for p in pages for e in p.entries]
    assert paged == sorted(paged, reverse=True)
    assert [e.pk for e in ledger_search_iter(query, chunk_size=4)] == paged
    assert [e.pk for e in ledger_search_iter(query, chunk_size=1)] == paged
    first = pages[0].entries[0]
    assert first.account.number == account.number  # select_related: no extra query needed
    assert ledger_search(query, page=0, per_page=0).per_page == 1
    assert ledger_search(query, page=-3).page == 1


def test_count_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    account = _ledger()
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    page = ledger_search(LedgerQuery(text="ung ho", account_ids=(account.pk,)), per_page=2)
    assert (page.count, page.count_is_lower_bound, page.has_next) == (3, True, True)
    exact = ledger_search(LedgerQuery(text="nguyen van", account_ids=(account.pk,)))
    assert (exact.count, exact.count_is_lower_bound) == (3, False)


def test_a_correction_is_found_like_any_entry() -> None:
    account = _ledger()
    entry = LedgerEntry.objects.get(account=account, source_ref="r4")
    correction = ledger_correct(actor=None, entry=entry, reason="Nhập trùng")
    found = ledger_search(LedgerQuery(text="dieu chinh but toan", account_ids=(account.pk,), direction="all"))
    assert [e.pk for e in found.entries] == [correction.pk]
    assert ledger_search(LedgerQuery(text="Điều chỉnh", account_ids=(account.pk,), direction="debit")).count == 1


HOSTILE = [
    '"', '""', "'", "NEAR(a b)", "a AND b OR c NOT d", "nguyen*", "*", "^duc", "-duc", "(", ")", "((a)",
    "a:b", "col:duc", "{a b}", "' OR 1=1 --", "'; DROP TABLE funds_ledgerentry; --", "\x00", "duc\x00nguyen",
    "🙂", "🙂 duc 🙂", "%", "_", "%_%", "\\", "a\\b", "nguyen & van | duc", "!duc", "duc:*", "<->", "a <-> b",
    "x" * 10_000, "nguyen " * 2_000, "ĐỨC" * 300, "\u0301\u0301", "ﬀ", "Ⅻ", "１２３", "٣", "𝐃𝐔𝐂", "İ", "ß",
    "\ufeff", "\u200b", "\t\n\r", "NULL", "0" * 500, "9" * 40, "1e5", "500.000.000.000.000.000", "-500000",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_any_text_is_answered_without_error(text: str) -> None:
    account = _ledger()
    page = ledger_search(LedgerQuery(text=text, account_ids=(account.pk,), direction="all"))
    assert page.count == len(page.entries) <= len(LEDGER)
    assert len(list(ledger_search_iter(LedgerQuery(text=text, account_ids=(account.pk,))))) <= len(LEDGER)
    assert LedgerEntry.objects.filter(account=account).count() == len(LEDGER)


def test_long_text_is_cut_to_the_documented_limits() -> None:
    tokens = search.query_tokens(" ".join(f"w{i:02d}" for i in range(60)))
    assert len(tokens) == search.MAX_TOKENS
    assert search.query_tokens("a" * 1_000) == ["a" * search.MAX_TOKEN_CHARS]
    assert search.query_tokens("x " * 100 + "nguyen") == ["x"]  # only the first 200 characters are read
    assert search.query_tokens("Nguyễn nguyen NGUYEN văn") == ["nguyen", "van"]


@pytest.mark.parametrize(("text", "amount"), [
    ("500000", 500_000), ("500.000", 500_000), ("500,000", 500_000), ("500 000", 500_000),
    ("500.000đ", 500_000), ("500.000 VNĐ", 500_000), ("500000 vnd", 500_000), ("500k", 500_000),
    ("500 nghìn", 500_000), ("500 ngàn", 500_000), ("1,5tr", 1_500_000), ("1.5 triệu", 1_500_000),
    ("2 triệu", 2_000_000), ("1 tỷ", 1_000_000_000), ("1.000.000", 1_000_000), ("2024", 2024),
    ("123", None), ("0", None), ("0000", None), ("abc", None), ("500.5", None), ("500,00", None),
    ("1.0000", None), ("nguyen 500000", None), ("500000 nguyen", None), ("", None), ("-500000", None),
    ("1" * 20, None), ("1.2.3", None), ("500kk", None),
])
def test_parse_amount(text: str, amount: int | None) -> None:
    assert parse_amount(text) == amount


# --- Properties over any text ----------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def _words_start_with(search_text: str, tokens: list[str]) -> bool:
    """The documented rule: every token but the last is a word of the text, the last begins one."""
    words = _WORD.findall(search_text)
    *whole, last = tokens
    return all(t in words for t in whole) and any(w.startswith(last) for w in words)


@pytest.fixture
def ledger_account() -> ReceivingAccount:
    return _ledger()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=60))
def test_any_text_finds_only_entries_holding_its_words(ledger_account: ReceivingAccount, text: str) -> None:
    query = LedgerQuery(text=text, account_ids=(ledger_account.pk,), direction="all")
    page = ledger_search(query, per_page=200)
    tokens = search.query_tokens(text)
    amount = parse_amount(text)
    for entry in page.entries:
        if amount is not None:
            assert abs(entry.amount) == amount
        elif tokens:
            assert _words_start_with(entry.search_text, tokens)
            assert not entry.is_anonymous
    assert page.count == len(page.entries)


_VOCABULARY = st.sampled_from(["nguyen", "nguyễn", "van", "văn", "d", "du", "duc", "đức", "ĐỨC", "ung", "ho",
                               "bao", "lu", "thi", "tran", "hong", "yagi", "xin", "on", "976", "678", "le",
                               "vanh", "pham", "anh", "gia", "dinh", "z", "*", '"', "-", "OR", "NEAR"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(_VOCABULARY, max_size=5), separator=st.sampled_from([" ", "  ", ", ", "."]))
def test_search_finds_exactly_the_entries_holding_the_words(ledger_account: ReceivingAccount, words: list[str],
                                                            separator: str) -> None:
    text = separator.join(words)
    page = ledger_search(LedgerQuery(text=text, account_ids=(ledger_account.pk,), direction="all"),
                         per_page=200)
    tokens = search.query_tokens(text)
    amount = parse_amount(text)  # "976 678" reads as an amount
    entries = LedgerEntry.objects.filter(account=ledger_account).order_by("-pk")
    if amount is not None:
        expected = [e.pk for e in entries if abs(e.amount) == amount]
    else:
        expected = [e.pk for e in entries
                    if not tokens or (not e.is_anonymous and _words_start_with(e.search_text, tokens))]
    assert [e.pk for e in page.entries] == expected


def test_indexed_search_agrees_with_the_plain_scan() -> None:
    account = _ledger()
    for text in ("nguyen van d", "ung ho", "duc", "500k", "", "yagi tran", "z"):
        query = LedgerQuery(text=text, account_ids=(account.pk,), direction="all")
        reference = [e.pk for e in search._reference_matching(query).order_by("-pk")]
        assert [e.pk for e in ledger_search(query, per_page=200).entries] == reference, text


def test_empty_page_type() -> None:
    page = ledger_search(LedgerQuery(text="x"))
    assert page == LedgerPage(entries=[], count=0, count_is_lower_bound=False, page=1, per_page=50, has_next=False)


def test_the_replica_command_says_what_it_did_on_either_database() -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    _ledger()
    out = StringIO()
    call_command("sync_search_replica", "--rebuild", stdout=out)
    if connection.vendor == "postgresql":
        assert f"có {len(LEDGER)} bút toán" in out.getvalue()
    else:
        assert "không cần bản sao" in out.getvalue()
