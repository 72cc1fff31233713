"""The public JSON API: same data as the pages, 400 with Vietnamese messages for bad parameters, and an OpenAPI
description that stays true (every route described, every answer of the described shape)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mattran.funds.api import OPENAPI
from mattran.funds.models import DayCheckpoint, Drive, LedgerEntry
from mattran.funds.tests.transparency_data import DRIVE_SLUG, Disclosure, build_disclosure, entry_with

pytestmark = pytest.mark.django_db

ENTRIES = "/minh-bach/api/v1/entries"
DRIVES = "/minh-bach/api/v1/drives"
DRIVE = f"/minh-bach/api/v1/drives/{DRIVE_SLUG}"


@pytest.fixture
def data() -> Disclosure:
    cache.clear()
    return build_disclosure()


# --- A small validator for the subset of JSON Schema the description uses ------------------------------------------


_TYPES = {"string": str, "integer": int, "boolean": bool, "object": dict, "array": list, "null": type(None)}


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = OPENAPI["components"]["schemas"][name]
    return schema


def _problems(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    schema = _resolve(schema)
    found: list[str] = []
    for part in schema.get("allOf", []):
        part = _resolve(part)
        found += _problems(value, {k: v for k, v in part.items() if k != "additionalProperties"}, where)
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not _problems(value, s, where)]
        if len(matching) != 1:
            found.append(f"{where}: matches {len(matching)} of oneOf")
        return found
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(isinstance(value, _TYPES[t]) and not (t == "integer" and isinstance(value, bool)) for t in types)
        if not ok:
            return [*found, f"{where}: {value!r} is not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        found.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        if schema.get("allOf"):  # the keys of the parts are allowed too
            for part in schema["allOf"]:
                properties = {**_resolve(part).get("properties", {}), **properties}
        found += [f"{where}: missing {key}" for key in schema.get("required", []) if key not in value]
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                found += _problems(item, properties[key], f"{where}.{key}")
            elif extra is False:
                found.append(f"{where}: undescribed key {key}")
            elif isinstance(extra, dict):
                found += _problems(item, extra, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += _problems(item, schema["items"], f"{where}[{index}]")
    return found


def _check(response: Any, path: str, status: int) -> Any:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    operation = OPENAPI["paths"][path]["get"]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    body = response.json()
    assert _problems(body, schema) == []
    return body


def test_the_validator_catches_a_wrong_shape() -> None:
    schema = {"$ref": "#/components/schemas/Drive"}
    assert _problems({"slug": 1}, schema)
    good = {"slug": "a", "title": "b", "fund": "c", "unit": "d", "starts_on": "2024-09-01", "ends_on": None,
            "target_amount": None, "memo_code": "X", "received": 1, "allocated": 0, "paid": 0, "balance": 1,
            "url": "http://x/", "api_url": "http://x/"}
    assert _problems(good, schema) == []
    assert _problems({**good, "secret": 1}, schema) == ["$: undescribed key secret"]
    assert _problems({**good, "received": True}, schema)


# --- The description covers the routes --------------------------------------------------------------------------


def _api_routes() -> list[str]:
    (transparency,) = [p for p in get_resolver().url_patterns
                       if isinstance(p, URLResolver) and p.namespace == "transparency"]
    routes = []
    for pattern in transparency.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if route.startswith("api/v1/"):
            routes.append("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.removeprefix("api/")))
    return routes


def test_every_api_route_is_described_and_nothing_else() -> None:
    routes = _api_routes()
    assert sorted(routes) == sorted(OPENAPI["paths"])
    assert len(routes) == 4


def test_the_description_is_served_and_is_openapi_3_1(client: Client) -> None:
    response = client.get(reverse("transparency:api_openapi"))
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": "http://testserver/minh-bach/api"}]
    assert doc["paths"] == OPENAPI["paths"]
    refs = set(re.findall(r"#/components/schemas/(\w+)", str(OPENAPI)))
    assert refs <= set(OPENAPI["components"]["schemas"])
    for path, item in OPENAPI["paths"].items():
        names = {p["name"] for p in item["get"].get("parameters", []) if p["in"] == "path"}
        assert names == set(re.findall(r"{(\w+)}", path))


# --- The answers have the described shape -------------------------------------------------------------------------


def test_entries(client: Client, data: Disclosure) -> None:
    body = _check(client.get(ENTRIES, {"q": "Hoàng Thanh Thủy"}), "/v1/entries", 200)
    assert (body["count"], body["count_is_lower_bound"], body["page"], body["next"]) == (3, False, 1, None)
    for row in body["results"]:
        assert "HOANG THANH THUY" in row["memo"] and "*******916" in row["memo"] and "1018144916" not in row["memo"]
        entry = LedgerEntry.objects.get(entry_hash=row["entry_hash"])
        assert row["checkpoint_hash"] == DayCheckpoint.objects.get(account=entry.account,
                                                                   day=entry.booked_on).checkpoint_hash
        assert row["receipt_url"].endswith(f"/minh-bach/bien-nhan/{entry.entry_hash}/")
    assert "memo_raw" not in str(body)


def test_entries_paginate_with_links_that_keep_the_filters(client: Client, data: Disclosure) -> None:
    body = _check(client.get(ENTRIES, {"q": "nguyen", "per_page": "5", "amount_max": "1tr"}), "/v1/entries", 200)
    assert len(body["results"]) == 5 and body["previous"] is None
    assert "q=nguyen" in body["next"] and "amount_max=1tr" in body["next"] and "page=2" in body["next"]
    second = _check(client.get(body["next"]), "/v1/entries", 200)
    assert second["page"] == 2 and "page=1" in second["previous"]
    assert {r["entry_hash"] for r in second["results"]}.isdisjoint({r["entry_hash"] for r in body["results"]})


def test_entries_scoped_to_a_drive_or_an_account(client: Client, data: Disclosure) -> None:
    by_drive = _check(client.get(ENTRIES, {"drive": DRIVE_SLUG, "per_page": "200"}), "/v1/entries", 200)
    assert by_drive["count"] == 36 - 1 + 1  # VCB credits + the cash receipt; the SMS fee is a debit
    by_account = _check(client.get(ENTRIES, {"account": "970436/0011001932418", "direction": "debit"}),
                        "/v1/entries", 200)
    assert [r["amount"] for r in by_account["results"]] == [-55_000]
    cash = _check(client.get(ENTRIES, {"account": "tien-mat/TM-TW"}), "/v1/entries", 200)
    assert [r["donor"] for r in cash["results"]] == ["Phạm Thị Lan"]


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"amount_min": "abc"}, "amount_min", "không phải số tiền"),
    ({"date_from": "31/02/2024"}, "date_from", "không có trên lịch"),
    ({"date_to": "yesterday"}, "date_to", "không phải ngày"),
    ({"amount_min": "2tr", "amount_max": "1tr"}, "amount_max", "lớn hơn hoặc bằng"),
    ({"direction": "up"}, "direction", "tiền vào, tiền ra"),
    ({"page": "0"}, "page", "số nguyên từ 1"), ({"page": "x"}, "page", "số nguyên từ 1"),
    ({"page": "100000"}, "page", "số nguyên từ 1"), ({"per_page": "201"}, "per_page", "số nguyên từ 1"),
    ({"drive": "khong-co"}, "drive", "Không có đợt vận động"),
    ({"account": "970405/1500201113838"}, "account", "Không có tài khoản công khai sao kê"),
    ({"account": "rubbish"}, "account", "Không có tài khoản"),
    ({"sort": "amount"}, "sort", "Không có tham số"),
])
def test_bad_parameters_answer_400_in_vietnamese(client: Client, data: Disclosure, params: dict[str, str],
                                                 field: str, message: str) -> None:
    body = _check(client.get(ENTRIES, params), "/v1/entries", 400)
    assert body["error"] == "Tham số không hợp lệ."
    assert message in body["errors"][field]


@pytest.mark.parametrize("query", ['"', "' OR 1=1 --", "NEAR(a b)", "x" * 10_240, "\x00", "nguyen*", "🙂"])
def test_any_search_text_is_accepted(client: Client, data: Disclosure, query: str) -> None:
    _check(client.get(ENTRIES, {"q": query}), "/v1/entries", 200)


def test_unpublished_accounts_never_appear(client: Client, data: Disclosure) -> None:
    body = _check(client.get(ENTRIES, {"q": "Trần Văn Bí Mật", "direction": "all"}), "/v1/entries", 200)
    assert body["count"] == 0
    everything = _check(client.get(ENTRIES, {"direction": "all", "per_page": "200"}), "/v1/entries", 200)
    assert {r["account"]["number"] for r in everything["results"]} == {"0011001932418", "TM-TW"}


def test_drives(client: Client, data: Disclosure) -> None:
    Drive.objects.create(fund=data.drive.fund, unit=data.unit, title="Chưa công bố", slug="an", memo_code="AN",
                         starts_on=data.drive.starts_on, is_public=False)
    body = _check(client.get(DRIVES), "/v1/drives", 200)
    (drive,) = body["results"]
    assert (drive["slug"], drive["received"], drive["allocated"], drive["paid"], drive["balance"]) == (
        DRIVE_SLUG, 8_948_000, 700_000, 300_000, 8_648_000)


def test_one_drive(client: Client, data: Disclosure) -> None:
    body = _check(client.get(DRIVE), "/v1/drives/{slug}", 200)
    assert [a["statement_published"] for a in body["accounts"]] == [True, False, True]
    assert body["pledges"] == [{"unit": "Phường Bạch Mai", "memo_code": "NAM UNG HO", "pledged": 5_000_000,
                                "collected": 1_200_000, "by_transfer": 200_000, "in_cash": 1_000_000}]
    assert sum(d["received"] for d in body["days"]) == body["received"]
    assert {c["account"] for c in body["checkpoints"]} == {"970436/0011001932418", "/TM-TW"}


def test_an_unknown_or_private_drive_is_404_in_json(client: Client, data: Disclosure) -> None:
    _check(client.get("/minh-bach/api/v1/drives/khong-co"), "/v1/drives/{slug}", 404)
    Drive.objects.filter(pk=data.drive.pk).update(is_public=False)
    body = _check(client.get(DRIVE), "/v1/drives/{slug}", 404)
    assert body["error"] == "Không tìm thấy đợt vận động."


def test_a_receipt(client: Client, data: Disclosure) -> None:
    entry = entry_with("LE THI MY HANH")
    body = _check(client.get(f"/minh-bach/api/v1/receipts/{entry.entry_hash}"), "/v1/receipts/{entry_hash}", 200)
    assert body["proof_valid"] is True
    assert body["entry"]["prev_hash"] == entry.prev_hash
    assert body["checkpoint"]["day"] == "2024-09-04"
    assert [step["side"] for step in body["proof"]] == ["R", "R"]


def test_receipt_errors(client: Client, data: Disclosure) -> None:
    _check(client.get("/minh-bach/api/v1/receipts/not-a-hash"), "/v1/receipts/{entry_hash}", 400)
    _check(client.get("/minh-bach/api/v1/receipts/" + "0" * 64), "/v1/receipts/{entry_hash}", 404)
    hidden = LedgerEntry.objects.filter(account=data.hidden).first()
    assert hidden is not None
    _check(client.get(f"/minh-bach/api/v1/receipts/{hidden.entry_hash}"), "/v1/receipts/{entry_hash}", 404)


def test_the_api_is_readable_from_other_sites(client: Client, data: Disclosure) -> None:
    assert client.get(DRIVES)["Access-Control-Allow-Origin"] == "*"
    assert client.post(DRIVES).status_code == 405
