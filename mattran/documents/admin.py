"""Django admin (superusers only): the register is read-only here; numbers are taken through the service."""

from typing import Any

from django.contrib import admin

from mattran.documents.models import DocumentNumber


@admin.register(DocumentNumber)
class DocumentNumberAdmin(admin.ModelAdmin):
    list_display = ["year", "number", "doc_type", "issuer", "title", "issued_on"]
    list_filter = ["year", "doc_type"]
    search_fields = ["title"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
