"""The public JSON API of the donation ledger (``/minh-bach/api/v1/…``), described by :data:`OPENAPI`
(served at ``/minh-bach/api/openapi.json``). Public, read-only, the same data as the pages: masked memos,
anonymous donors hidden, only accounts whose statement is published.

A parameter that cannot be read answers ``400`` with a Vietnamese message (``{"error": …, "errors": {name:
message}}``); an unknown drive or receipt answers ``404`` the same way. ``test_api.py`` checks that every route
here is described in :data:`OPENAPI` and that the answers have the described shape.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, JsonResponse, QueryDict
from django.urls import reverse
from django.views.decorators.http import require_safe

from mattran.funds import selectors
from mattran.funds.disbursement_selectors import DriveMoney, drive_period
from mattran.funds.models import Drive
from mattran.funds.public_filters import API_NAMES, read_filter
from mattran.funds.search import MAX_PER_PAGE
from mattran.funds.views_public import MAX_PAGE, PER_PAGE, ledger_query, receipt_document, run_search

_HASH = re.compile(r"^[0-9a-f]{64}$")
ENTRY_PARAMS = {*API_NAMES.values(), "page", "per_page", "drive", "account"}


def _json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public data: any site may read it
    return response


def _error(status: int, message: str, errors: dict[str, str] | None = None) -> JsonResponse:
    return _json({"error": message, "errors": errors or {}}, status=status)


def _whole(raw: str, name: str, low: int, high: int, errors: dict[str, str]) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 9 and low <= int(text) <= high:
        return int(text)
    errors[name] = f"“{name}” phải là số nguyên từ {low} đến {high}."
    return None


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _drive_json(request: HttpRequest, drive: Drive, money: DriveMoney) -> dict[str, Any]:
    return {
        "slug": drive.slug, "title": drive.title, "fund": drive.fund.name, "unit": drive.unit.name,
        "starts_on": drive.starts_on.isoformat(), "ends_on": drive.ends_on.isoformat() if drive.ends_on else None,
        "target_amount": drive.target_amount, "memo_code": drive.memo_code,
        "received": money.received, "allocated": money.allocated, "paid": money.paid, "balance": money.balance,
        "url": _absolute(request, reverse("transparency:drive", args=[drive.slug])),
        "api_url": _absolute(request, reverse("transparency:api_drive", args=[drive.slug])),
    }


@require_safe
def entries(request: HttpRequest) -> JsonResponse:
    """Public: one page of the search over the published accounts (all, one drive's, or one account)."""
    errors: dict[str, str] = {}
    unknown = sorted(set(request.GET) - ENTRY_PARAMS)
    for name in unknown:
        errors[name[:40]] = f"Không có tham số “{name[:40]}”."
    flt = read_filter(request.GET, names=API_NAMES)
    errors.update(flt.errors)
    page = _whole(request.GET.get("page", ""), "page", 1, MAX_PAGE, errors) or 1
    per_page = _whole(request.GET.get("per_page", ""), "per_page", 1, MAX_PER_PAGE, errors) or PER_PAGE
    account_ids = selectors.published_account_ids()
    period = None
    if slug := request.GET.get("drive", "").strip():
        drive = selectors.public_drives().filter(slug=slug[:120]).first()
        if drive is None:
            errors["drive"] = "Không có đợt vận động công khai nào với đường dẫn này."
        else:
            ids = {a.pk for a in selectors.drive_accounts(drive)}
            account_ids = tuple(pk for pk in account_ids if pk in ids)
            period = drive_period(drive)
    if raw := request.GET.get("account", "").strip():
        bank_bin, _, number = raw.partition("/")
        account = selectors.public_accounts().filter(
            bank_bin="" if bank_bin == selectors.CASH_BIN else bank_bin[:6], number=number[:19],
            statement_published=True).first()
        if account is None:
            errors["account"] = "Không có tài khoản công khai sao kê nào như vậy; viết <mã BIN>/<số tài khoản>."
        else:
            account_ids = tuple(pk for pk in account_ids if pk == account.pk)
    if errors:
        return _error(400, "Tham số không hợp lệ.", errors)
    result = run_search(ledger_query(flt, account_ids, period=period), page=page, per_page=per_page)

    def link(number: int) -> str:
        params: QueryDict = request.GET.copy()
        params["page"] = str(number)
        return _absolute(request, f"{request.path}?{params.urlencode()}")

    found = result.page
    return _json({
        "count": found.count, "count_is_lower_bound": found.count_is_lower_bound, "page": found.page,
        "per_page": found.per_page,
        "next": link(found.page + 1) if result.nav.has_next else None,
        "previous": link(found.page - 1) if found.page > 1 else None,
        "results": [
            {**row.as_json(), "receipt_url": _absolute(request, reverse("transparency:receipt",
                                                                         args=[row.entry.entry_hash]))}
            for row in result.rows
        ],
    })


@require_safe
def drives(request: HttpRequest) -> JsonResponse:
    """Public: every public drive with its money figures."""
    found = list(selectors.public_drives())
    money = selectors.drive_money_map(found)
    return _json({"results": [_drive_json(request, d, money[d.pk]) for d in found]})


@require_safe
def drive(request: HttpRequest, slug: str) -> JsonResponse:
    """Public: one drive — figures, accounts, pledges, receipts per day, day checkpoints."""
    found = selectors.public_drives().filter(slug=slug).first()
    if found is None:
        return _error(404, "Không tìm thấy đợt vận động.")
    version = selectors.data_version()
    accounts = selectors.drive_accounts(found)
    start, end = drive_period(found)
    data = _drive_json(request, found, selectors.drive_money_map([found], version=version)[found.pk])
    data.update({
        "accounts": [selectors.account_json(a) for a in accounts],
        "pledges": [{"unit": row.pledge.unit.name, "memo_code": row.pledge.memo_code, "pledged": row.pledge.amount,
                     "collected": row.collected, "by_transfer": row.by_transfer, "in_cash": row.in_cash}
                    for row in selectors.pledge_rows(found)],
        "days": [{"date": day.isoformat(), "received": total}
                 for day, total in selectors.drive_days(found, version=version)],
        "checkpoints": [
            {"account": c.account.chain_id, "day": c.day.isoformat(), "entry_count": c.entry_count,
             "last_sequence": c.last_sequence, "credit_total": c.credit_total, "debit_total": c.debit_total,
             "merkle_root": c.merkle_root, "chain_hash": c.chain_hash, "checkpoint_hash": c.checkpoint_hash}
            for c in selectors.checkpoints_for(accounts, start=start, end=end)
        ],
    })
    return _json(data)


@require_safe
def receipt(request: HttpRequest, entry_hash: str) -> JsonResponse:
    """Public: an entry of a published account with its day checkpoint and Merkle proof."""
    from django.http import Http404

    if not _HASH.match(entry_hash):
        return _error(400, "Mã băm bút toán gồm đúng 64 ký tự 0–9, a–f.", {"entry_hash": "Mã băm không hợp lệ."})
    try:
        found = selectors.receipt_get(entry_hash=entry_hash)
    except Http404:
        return _error(404, "Không tìm thấy bút toán nào với mã băm này trong các tài khoản công khai sao kê.")
    return _json(receipt_document(found, request))


@require_safe
def openapi(request: HttpRequest) -> JsonResponse:
    """Public: the OpenAPI 3.1 description of this API."""
    return _json({**OPENAPI, "servers": [{"url": _absolute(request, "/minh-bach/api")}]})


# --- OpenAPI 3.1 ------------------------------------------------------------------------------------------------

_STR = {"type": "string"}
_INT = {"type": "integer"}
_BOOL = {"type": "boolean"}
_HEX = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_DATE = {"type": "string", "format": "date"}
_URL = {"type": "string", "format": "uri"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "type": [schema["type"], "null"]}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, "required": list(properties),
                              "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema or _STR}


def _responses(ok: str, *, bad: bool = False, missing: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"200": {"description": "Thành công.",
                                   "content": {"application/json": {"schema": _ref(ok)}}}}
    error = {"content": {"application/json": {"schema": _ref("Error")}}}
    if bad:
        out["400"] = {"description": "Tham số không hợp lệ (thông báo tiếng Việt theo từng tham số).", **error}
    if missing:
        out["404"] = {"description": "Không tìm thấy.", **error}
    return out


SCHEMAS: dict[str, Any] = {
    "Account": _object({
        "bank": _STR, "bin": _STR, "number": _STR, "holder": _STR,
        "kind": {"type": "string", "enum": ["bank", "cash"]}, "statement_published": _BOOL,
    }, "Tài khoản nhận (số tài khoản của Mặt trận là công khai)."),
    "Entry": _object({
        "date": _DATE, "amount": {**_INT, "description": "Đồng; dương là tiền vào, âm là tiền ra."},
        "donor": {**_STR, "description": "Tên người ủng hộ, hoặc “Nhà hảo tâm ẩn danh”."},
        "anonymous": _BOOL,
        "memo": {**_STR, "description": "Nội dung đã che số tài khoản, số điện thoại (giữ 3 số cuối); "
                                        "rỗng khi ẩn danh."},
        "source": {"type": "string", "enum": ["statement", "cash", "correction"]},
        "sequence": _INT, "account": _ref("Account"), "entry_hash": _HEX,
        "checkpoint_hash": {**_nullable(_HEX), "description": "Băm điểm chốt của ngày; null khi ngày chưa chốt."},
        "receipt_url": _URL,
    }),
    "EntryPage": _object({
        "count": _INT, "count_is_lower_bound": {**_BOOL, "description": "true: có hơn `count` kết quả."},
        "page": _INT, "per_page": _INT, "next": _nullable(_URL), "previous": _nullable(_URL),
        "results": {"type": "array", "items": _ref("Entry")},
    }),
    "Drive": _object({
        "slug": _STR, "title": _STR, "fund": _STR, "unit": _STR, "starts_on": _DATE, "ends_on": _nullable(_DATE),
        "target_amount": _nullable(_INT), "memo_code": _STR, "received": _INT, "allocated": _INT, "paid": _INT,
        "balance": _INT, "url": _URL, "api_url": _URL,
    }, "Đợt vận động; số tiền bằng đồng. balance = received − paid."),
    "DriveList": _object({"results": {"type": "array", "items": _ref("Drive")}}),
    "Pledge": _object({"unit": _STR, "memo_code": _STR, "pledged": _nullable(_INT), "collected": _INT,
                       "by_transfer": _INT, "in_cash": _INT}),
    "DayTotal": _object({"date": _DATE, "received": _INT}),
    "Checkpoint": _object({
        "account": {**_STR, "description": "<mã BIN>/<số tài khoản>"}, "day": _DATE, "entry_count": _INT,
        "last_sequence": _INT, "credit_total": _INT, "debit_total": _INT, "merkle_root": _HEX,
        "chain_hash": _HEX, "checkpoint_hash": _HEX,
    }),
    "DriveDetail": {
        "allOf": [_ref("Drive")],
        "type": "object",
        "properties": {
            "accounts": {"type": "array", "items": _ref("Account")},
            "pledges": {"type": "array", "items": _ref("Pledge")},
            "days": {"type": "array", "items": _ref("DayTotal")},
            "checkpoints": {"type": "array", "items": _ref("Checkpoint")},
        },
        "required": ["accounts", "pledges", "days", "checkpoints"],
    },
    "ReceiptEntry": {
        "allOf": [_ref("Entry")], "type": "object",
        "properties": {"prev_hash": _HEX}, "required": ["prev_hash"],
    },
    "ReceiptCheckpoint": _object({
        "account": _STR, "day": _DATE, "last_sequence": _INT, "entry_count": _INT, "credit_total": _INT,
        "debit_total": _INT, "merkle_root": _HEX, "chain_hash": _HEX, "checkpoint_hash": _HEX,
    }, "Các trường của điểm chốt ngày; checkpoint_hash = sha256 của JSON chuẩn các trường còn lại."),
    "ProofStep": _object({"side": {"type": "string", "enum": ["L", "R"]}, "sibling": _HEX},
                         "L: cha = sha256(sibling + nút); R: cha = sha256(nút + sibling)."),
    "Receipt": _object({
        "entry": _ref("ReceiptEntry"), "checkpoint": {"oneOf": [_ref("ReceiptCheckpoint"), {"type": "null"}]},
        "proof": {"type": "array", "items": _ref("ProofStep")}, "proof_valid": _BOOL,
        "receipt_url": _URL, "how_to_check": _STR,
    }, "Biên nhận: bút toán, điểm chốt ngày và đường đi Merkle; kiểm tra ngoại tuyến theo docs/ledger-proof.md."),
    "Error": _object({"error": _STR, "errors": {"type": "object", "additionalProperties": _STR}},
                     "Thông báo lỗi tiếng Việt; errors: theo từng tham số."),
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Minh bạch sổ quỹ — API công khai",
        "version": "1.0.0",
        "description": (
            "Sổ quỹ ủng hộ công khai: các đợt vận động, giao dịch của các tài khoản công khai sao kê (nội dung đã "
            "che số tài khoản và số điện thoại), biên nhận với bằng chứng Merkle. Chỉ đọc, không cần đăng nhập. "
            "Số tiền là số nguyên đồng."),
    },
    "paths": {
        "/v1/entries": {"get": {
            "summary": "Tìm giao dịch (không phân biệt dấu tiếng Việt)",
            "operationId": "listEntries",
            "parameters": [
                _query("q", "Tên người ủng hộ, từ trong nội dung, hoặc số tiền (500000, 500.000, 500k)."),
                _query("amount_min", "Số tiền từ (đồng)."), _query("amount_max", "Số tiền đến (đồng)."),
                _query("date_from", "Từ ngày (dd/mm/yyyy hoặc yyyy-mm-dd)."),
                _query("date_to", "Đến ngày (dd/mm/yyyy hoặc yyyy-mm-dd)."),
                _query("direction", "credit (tiền vào, mặc định), debit (tiền ra) hoặc all.",
                       {"type": "string", "enum": ["credit", "debit", "all"]}),
                _query("drive", "Chỉ trong đợt vận động này (đường dẫn)."),
                _query("account", "Chỉ trong tài khoản này: <mã BIN>/<số tài khoản>."),
                _query("page", "Trang, từ 1.", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
                _query("per_page", "Số dòng một trang.", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}),
            ],
            "responses": _responses("EntryPage", bad=True),
        }},
        "/v1/drives": {"get": {
            "summary": "Các đợt vận động công khai", "operationId": "listDrives",
            "responses": _responses("DriveList"),
        }},
        "/v1/drives/{slug}": {"get": {
            "summary": "Một đợt vận động", "operationId": "getDrive",
            "parameters": [{"name": "slug", "in": "path", "required": True, "schema": _STR}],
            "responses": _responses("DriveDetail", missing=True),
        }},
        "/v1/receipts/{entry_hash}": {"get": {
            "summary": "Biên nhận và bằng chứng Merkle của một bút toán", "operationId": "getReceipt",
            "parameters": [{"name": "entry_hash", "in": "path", "required": True, "schema": _HEX}],
            "responses": _responses("Receipt", bad=True, missing=True),
        }},
    },
    "components": {"schemas": SCHEMAS},
}
