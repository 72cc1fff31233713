from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from mattran.accounts.models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    raw_id_fields = ["unit", "granted_by"]
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Mặt trận", {"fields": ("full_name", "is_demo")}))  # type: ignore[misc]
    list_display = ["username", "full_name", "is_superuser", "is_demo", "is_active"]
    inlines = [RoleGrantInline]
