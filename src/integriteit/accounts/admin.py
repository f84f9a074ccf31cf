from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Integriteit", {"fields": ("unit", "job_title")}),
    )
    list_display = ["username", "first_name", "last_name", "unit", "is_active"]
    list_filter = ["is_active", "roles__role", "roles__organisation"]
    inlines = [RoleAssignmentInline]
