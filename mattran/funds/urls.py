"""Staff pages of funds, drives, pledges, receiving accounts and cash receipts, mounted at /quan-ly/quy/."""

from django.urls import URLPattern

app_name = "funds"

urlpatterns: list[URLPattern] = []
