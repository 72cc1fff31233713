"""Django admin (superusers only, see config/urls.py): categories are managed here."""

from django.contrib import admin

from mattran.news.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order", "name"]
