"""Staff pages of allocations and payments out of drives, mounted at /quan-ly/quy/phan-bo/."""

from django.urls import URLPattern

app_name = "funds_disbursements"

urlpatterns: list[URLPattern] = []
