"""The public disclosure of the donation ledger at ``/minh-bach/``. Every view here is public (no login).

* ``/minh-bach/`` — the public drives with their money figures, and one search over every published account
  (``?q=…`` with filters by amount, date and direction), paginated, with CSV and JSON links;
* ``/minh-bach/dot/<slug>/`` — a drive: figures, receipts per day, pledges with their VietQR codes, the drive's
  VietQR code, a search within its published accounts, the published recipients, the day checkpoints;
* ``/minh-bach/tai-khoan/<bin>/<number>/`` — an account: totals; when its statement is published, also the
  receipts per day, the checkpoints and a search;
* ``/minh-bach/bien-nhan/<hash>/`` — a donor's receipt: the entry, its hash, the day's checkpoint and the
  Merkle path, verified in the browser (``data-verify-proof`` in ``site.js``) and downloadable as JSON.

What the public may see is decided in :mod:`mattran.funds.selectors`; this module only reads the query string
(:mod:`mattran.funds.public_filters`, which never raises) and renders. Decision 0011 explains the choices.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from mattran.common import vn
from mattran.funds import selectors
from mattran.funds.disbursement_selectors import drive_period
from mattran.funds.models import Drive, ReceivingAccount
from mattran.funds.public_filters import API_NAMES, DIRECTIONS, PAGE_NAMES, PublicFilter, read_filter
from mattran.funds.search import LedgerPage, LedgerQuery, ledger_search, ledger_search_iter
from mattran.funds.vietqr import qr_svg
from mattran.news import pagecache
from mattran.reports.charts import Bar, BarChart, bar_chart

#: Results per page (pages and API): each result is a card of five lines on a phone, and most people look for
#: one transfer; 20 keeps the page short and cheap to render. The API takes ``per_page`` up to 200.
PER_PAGE = 20
#: Deeper pages are refused: nobody reads page 2,001 of a ledger, and a deep OFFSET costs the database.
MAX_PAGE = 2000
CHART_LABELS = 12  # at most this many day labels under a chart


# --- Search ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Paginator:
    num_pages: int | str


@dataclass(frozen=True)
class PageNav:
    """What ``templates/components/pagination.html`` reads, for a search page whose count may be capped."""

    number: int
    has_previous: bool
    has_next: bool
    paginator: _Paginator

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@dataclass(frozen=True)
class SearchResult:
    page: LedgerPage
    rows: list[selectors.PublicEntry]
    nav: PageNav

    @property
    def count_text(self) -> str:
        if self.page.count_is_lower_bound:
            return f"hơn {self.page.count:,} kết quả".replace(",", ".")
        return f"{self.page.count:,} kết quả".replace(",", ".")


def page_number(raw: str | None) -> int | None:
    """``?trang=N``: a whole number from 1 to :data:`MAX_PAGE`, else None."""
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_PAGE else None


def ledger_query(flt: PublicFilter, account_ids: tuple[int, ...], *,
                 period: tuple[dt.date, dt.date] | None = None) -> LedgerQuery:
    """The search of ``flt`` over ``account_ids``; within ``period`` (a drive's) when given."""
    start, end = flt.date_from, flt.date_to
    if period is not None:
        start = max(start, period[0]) if start else period[0]
        end = min(end, period[1]) if end else period[1]
    return LedgerQuery(text=flt.text, account_ids=account_ids, amount_min=flt.amount_min,
                       amount_max=flt.amount_max, date_from=start, date_to=end, direction=flt.direction)


def run_search(query: LedgerQuery, *, page: int, per_page: int | None = None) -> SearchResult:
    found = ledger_search(query, page=page, per_page=per_page or PER_PAGE)
    if found.count_is_lower_bound:
        last: int | str = f"{math.ceil(found.count / found.per_page):,}+".replace(",", ".")
    else:
        last = max(1, math.ceil(found.count / found.per_page))
    nav = PageNav(number=found.page, has_previous=found.page > 1, has_next=found.has_next and found.page < MAX_PAGE,
                  paginator=_Paginator(last))
    return SearchResult(page=found, rows=selectors.present_entries(found.entries), nav=nav)


def _query_without(request: HttpRequest, *names: str) -> QueryDict:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params


def _api_query(request: HttpRequest) -> str:
    """The page's filters under the JSON API's parameter names."""
    params = QueryDict(mutable=True)
    for key, name in PAGE_NAMES.items():
        value = request.GET.get(name, "")
        if value:
            params[API_NAMES[key]] = value
    return params.urlencode()


def _search_context(request: HttpRequest, flt: PublicFilter, query: LedgerQuery, *, export_url: str,
                    always: bool) -> dict[str, Any]:
    """Context of ``funds/public/_search.html``: the form, and the results when something was asked (or
    ``always``, to list the latest entries of a drive or an account)."""
    results = None
    if always or not flt.is_empty or flt.errors:
        results = run_search(query, page=page_number(request.GET.get("trang")) or 1)
    export_query = _query_without(request, "trang").urlencode()
    return {
        "filter": flt, "names": PAGE_NAMES, "directions": DIRECTIONS, "results": results,
        "export_url": f"{export_url}?{export_query}" if export_query else export_url,
        "api_url": f"{reverse('transparency:api_entries')}?{_api_query(request)}",
    }


# --- Charts -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayChart:
    chart: BarChart
    labelled: tuple[Bar, ...]
    total: int
    best: tuple[dt.date, int] | None


def day_chart(points: list[tuple[dt.date, int]]) -> DayChart:
    """Receipts per day as server-rendered SVG bars (:mod:`mattran.reports.charts`): days without receipts are
    drawn as empty slots when the span is under a year, and at most :data:`CHART_LABELS` days are labelled."""
    if points and (points[-1][0] - points[0][0]).days < 366:
        by_day = dict(points)
        span = (points[-1][0] - points[0][0]).days + 1
        days = [points[0][0] + dt.timedelta(days=i) for i in range(span)]
        points = [(d, by_day.get(d, 0)) for d in days]
    chart = bar_chart([(p[0].strftime("%d/%m"), p[1]) for p in points], money=True)
    step = max(1, math.ceil(len(chart.bars) / CHART_LABELS))
    best = max(points, key=lambda p: p[1]) if points else None
    return DayChart(chart=chart, labelled=chart.bars[::step], total=sum(v for _, v in points), best=best)


# --- Pages -------------------------------------------------------------------------------------------------------


def _account_link(account: ReceivingAccount) -> str:
    return reverse("transparency:account", args=[selectors.account_url_bin(account), account.number])


def _page(request: HttpRequest, template: str, version: tuple[Any, ...],
          build: Callable[[], dict[str, Any]]) -> HttpResponse:
    """Render ``template`` with ``build()``; for an anonymous visitor without a query string, from a page shell
    cached under the data version (the news portal's :mod:`~mattran.news.pagecache`, decision 0004), so an
    unfiltered page costs two small queries however much it shows."""
    if not pagecache.usable(request):
        return render(request, template, build())
    key = pagecache.key(request, f"transparency:{template}", *version)
    return pagecache.get_or_render(request, key, template, build).fill(csrf_token=get_token(request))


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Public: the public drives and one search over every published account."""
    version = selectors.data_version()

    def build() -> dict[str, Any]:
        flt = read_filter(request.GET)
        drives = list(selectors.public_drives())
        money = selectors.drive_money_map(drives, version=version)
        query = ledger_query(flt, selectors.published_account_ids())
        context = _search_context(request, flt, query, export_url=reverse("transparency:export"), always=False)
        context.update({"drives": [(d, money[d.pk]) for d in drives],
                        "scope_label": "mọi tài khoản công khai sao kê"})
        return context

    return _page(request, "funds/public/index.html", version, build)


@require_safe
def drive_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: one drive — figures, chart, pledges, VietQR, search, recipients, checkpoints."""
    drive = selectors.public_drive_get(slug=slug)
    version = selectors.data_version()

    def build() -> dict[str, Any]:
        accounts = selectors.drive_accounts(drive)
        published = tuple(a.pk for a in accounts if a.statement_published)
        period = drive_period(drive)
        qr_account = next((a for a in accounts if a.kind == "bank"), None)
        context: dict[str, Any] = {
            "drive": drive, "money": selectors.drive_money_map([drive], version=version)[drive.pk],
            "period": period, "accounts": [(a, _account_link(a)) for a in accounts],
            "has_published": bool(published),
            "chart": day_chart(selectors.drive_days(drive, version=version)),
            "pledges": selectors.pledge_rows(drive, account=qr_account, version=version),
            "qr_account": qr_account,
            "qr_payload": selectors.qr_payload(qr_account, drive.memo_code),
            "recipients": selectors.recipient_groups(drive),
            "checkpoints": list(selectors.checkpoints_for(accounts, start=period[0], end=period[1])),
            "scope_label": "các tài khoản công khai sao kê của đợt vận động này",
        }
        if published:
            flt = read_filter(request.GET)
            context.update(_search_context(
                request, flt, ledger_query(flt, published, period=period),
                export_url=reverse("transparency:drive_export", args=[drive.slug]), always=True))
        return context

    return _page(request, "funds/public/drive.html", version, build)


@require_safe
def account_detail(request: HttpRequest, bank_bin: str, number: str) -> HttpResponse:
    """Public: one receiving account — totals; and when its statement is published, chart, checkpoints, search."""
    account = selectors.public_account_get(bank_bin=bank_bin, number=number)
    version = selectors.data_version()

    def build() -> dict[str, Any]:
        context: dict[str, Any] = {
            "account": account, "totals": selectors.account_totals(account, version=version),
            "drives": list(selectors.public_drives().filter(driveaccount__account=account)),
            "scope_label": "tài khoản này",
        }
        if account.statement_published:
            flt = read_filter(request.GET)
            context.update({
                "chart": day_chart(selectors.account_days(account, version=version)),
                "checkpoints": list(selectors.checkpoints_for([account])),
            })
            context.update(_search_context(
                request, flt, ledger_query(flt, (account.pk,)),
                export_url=reverse("transparency:account_export", args=[bank_bin, number]), always=True))
        return context

    return _page(request, "funds/public/account.html", version, build)


@require_safe
def receipt(request: HttpRequest, entry_hash: str) -> HttpResponse:
    """Public: a donor's receipt — the entry, its hash, the day's checkpoint and the Merkle path."""
    version = selectors.data_version()

    def build() -> dict[str, Any]:
        found = selectors.receipt_get(entry_hash=entry_hash)
        return {
            "receipt": found, "row": found.public, "entry": found.entry, "checkpoint": found.checkpoint,
            "checkpoint_fields": found.checkpoint_json(), "account_url": _account_link(found.entry.account),
        }

    return _page(request, "funds/public/receipt.html", version, build)


def receipt_document(found: selectors.Receipt, request: HttpRequest) -> dict[str, Any]:
    """The downloadable proof (also the API's receipt): everything the offline check in docs/ledger-proof.md
    needs, and where the procedure is explained."""
    url = request.build_absolute_uri(reverse("transparency:receipt", args=[found.entry.entry_hash]))
    doc = found.as_json()
    doc["entry"]["receipt_url"] = url
    return {**doc, "receipt_url": url, "how_to_check": "docs/ledger-proof.md"}


@require_safe
def receipt_json(request: HttpRequest, entry_hash: str) -> HttpResponse:
    """Public: the receipt's proof as a JSON file, to check offline."""
    from django.http import JsonResponse

    found = selectors.receipt_get(entry_hash=entry_hash)
    response = JsonResponse(receipt_document(found, request), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="bien-nhan-{entry_hash[:16]}.json"'
    return response


# --- CSV export --------------------------------------------------------------------------------------------------


CSV_HEADER = ("Ngày", "Số tiền (đồng)", "Người ủng hộ", "Nội dung (đã che số tài khoản, số điện thoại)",
              "Ngân hàng", "Số tài khoản nhận", "Số thứ tự bút toán", "Băm bút toán", "Băm điểm chốt ngày")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose ``write`` hands the line back, so ``csv.writer`` can feed a stream."""

    def write(self, value: str) -> str:
        return value


def _cell(text: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_lines(query: LedgerQuery) -> Iterator[str]:
    """The export of ``query``: a UTF-8 byte-order mark (so Excel reads the Vietnamese), a header, one line per
    entry with the checkpoint hash of its day, and a closing line saying where the count stands."""
    writer = csv.writer(_Echo())
    checkpoints = selectors.checkpoint_hashes(query.account_ids)
    anonymous = selectors.anonymous_entry_ids(query.account_ids)
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    count = 0
    for entry in ledger_search_iter(query):
        count += 1
        hidden = entry.is_anonymous or entry.pk in anonymous
        row = selectors.PublicEntry(entry=entry, anonymous=hidden,
                                    checkpoint_hash=checkpoints.get((entry.account_id, entry.booked_on)))
        yield writer.writerow((
            entry.booked_on.isoformat(), entry.amount, _cell(row.donor), _cell(row.memo), entry.account.bank_name,
            entry.account.number, entry.sequence, entry.entry_hash, row.checkpoint_hash or "chưa chốt",
        ))
    yield writer.writerow((f"# {count} bút toán; xuất lúc {vn.datetime_short(dt.datetime.now(dt.UTC))}; "
                           "kiểm tra băm theo docs/ledger-proof.md",))


def _csv_response(query: LedgerQuery, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(query), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def export(request: HttpRequest) -> StreamingHttpResponse:
    """Public: the search over every published account as CSV, same filters as the page."""
    flt = read_filter(request.GET)
    return _csv_response(ledger_query(flt, selectors.published_account_ids()), "minh-bach-so-quy.csv")


@require_safe
def drive_export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Public: the search within a drive's published accounts as CSV."""
    drive = selectors.public_drive_get(slug=slug)
    published = tuple(a.pk for a in selectors.drive_accounts(drive) if a.statement_published)
    query = ledger_query(read_filter(request.GET), published, period=drive_period(drive))
    return _csv_response(query, f"minh-bach-{drive.slug}.csv")


@require_safe
def account_export(request: HttpRequest, bank_bin: str, number: str) -> StreamingHttpResponse:
    """Public: the search within one published account as CSV (an unpublished account exports nothing)."""
    account = selectors.public_account_get(bank_bin=bank_bin, number=number)
    ids = (account.pk,) if account.statement_published else ()
    return _csv_response(ledger_query(read_filter(request.GET), ids), f"minh-bach-{account.number}.csv")


# --- VietQR images -----------------------------------------------------------------------------------------------


def _svg(payload: str | None) -> HttpResponse:
    if payload is None:
        return HttpResponse("Đợt vận động chưa có tài khoản ngân hàng để in mã VietQR.", status=404,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(qr_svg(payload, scale=6), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def drive_qr(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: the drive's VietQR code (SVG), with its memo code."""
    drive = selectors.public_drive_get(slug=slug)
    return _svg(selectors.qr_payload(selectors.qr_account(drive), drive.memo_code))


@require_safe
def pledge_qr(request: HttpRequest, slug: str, pledge_id: int) -> HttpResponse:
    """Public: the VietQR code of one collecting unit of the drive (its own memo code)."""
    drive: Drive = selectors.public_drive_get(slug=slug)
    pledge = drive.pledges.filter(pk=pledge_id).first()
    if pledge is None:
        return HttpResponse("Không tìm thấy đơn vị vận động.", status=404, content_type="text/plain; charset=utf-8")
    return _svg(selectors.qr_payload(selectors.qr_account(drive), pledge.memo_code))
