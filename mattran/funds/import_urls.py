"""Staff pages of statement imports (upload, background run, progress), mounted at /quan-ly/quy/nhap-sao-ke/."""

from django.urls import URLPattern

app_name = "funds_imports"

urlpatterns: list[URLPattern] = []
