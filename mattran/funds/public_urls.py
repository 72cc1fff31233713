"""Public disclosure of the donation ledger, mounted at /minh-bach/ (public pages, no login)."""

from django.urls import URLPattern

app_name = "transparency"

urlpatterns: list[URLPattern] = []
