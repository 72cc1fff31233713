"""Public disclosure of the donation ledger, mounted at /minh-bach/ (public pages, no login)."""

from django.urls import URLPattern, path, re_path

from mattran.funds import api, views_public

app_name = "transparency"

_HASH = r"(?P<entry_hash>[0-9a-f]{64})"
_ACCOUNT = "tai-khoan/<str:bank_bin>/<str:number>/"

urlpatterns: list[URLPattern] = [
    path("", views_public.index, name="index"),
    path("xuat.csv", views_public.export, name="export"),
    path("dot/<slug:slug>/", views_public.drive_detail, name="drive"),
    path("dot/<slug:slug>/xuat.csv", views_public.drive_export, name="drive_export"),
    path("dot/<slug:slug>/vietqr.svg", views_public.drive_qr, name="drive_qr"),
    path("dot/<slug:slug>/vietqr/<int:pledge_id>.svg", views_public.pledge_qr, name="pledge_qr"),
    path(_ACCOUNT, views_public.account_detail, name="account"),
    path(_ACCOUNT + "xuat.csv", views_public.account_export, name="account_export"),
    re_path(rf"^bien-nhan/{_HASH}\.json$", views_public.receipt_json, name="receipt_json"),
    re_path(rf"^bien-nhan/{_HASH}/$", views_public.receipt, name="receipt"),
    path("api/openapi.json", api.openapi, name="api_openapi"),
    path("api/v1/entries", api.entries, name="api_entries"),
    path("api/v1/drives", api.drives, name="api_drives"),
    path("api/v1/drives/<slug:slug>", api.drive, name="api_drive"),
    path("api/v1/receipts/<str:entry_hash>", api.receipt, name="api_receipt"),
]
