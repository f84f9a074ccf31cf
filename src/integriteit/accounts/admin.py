from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from integriteit.audit.admin_log import register_admin_detail

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


def roles_after_change(user_id: str) -> dict:
    """Roles decide who reads reports, so the audit entry of every admin change of a user says
    which roles the user holds afterwards: an administrator who gives themselves a role leaves a
    trace of which one (SECURITY.md "Audit")."""
    held = RoleAssignment.objects.filter(user_id=user_id).order_by("pk")
    return {
        "roles": [
            {"role": role.role, "organisation": role.organisation_id, "unit": role.unit_id}
            for role in held
        ]
    }


register_admin_detail(User, roles_after_change)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Integriteit", {"fields": ("unit", "job_title")}),
    )
    list_display = ["username", "first_name", "last_name", "unit", "is_active"]
    list_filter = ["is_active", "roles__role", "roles__organisation"]
    inlines = [RoleAssignmentInline]
