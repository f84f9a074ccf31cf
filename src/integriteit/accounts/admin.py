from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from integriteit.audit.services import Actor, record

from .models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


def _role_detail(assignment: RoleAssignment) -> dict:
    return {
        "user": assignment.user_id,
        "role": assignment.role,
        "organisation": assignment.organisation_id,
        "unit": assignment.unit_id,
    }


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Integriteit", {"fields": ("unit", "job_title")}),
    )
    list_display = ["username", "first_name", "last_name", "unit", "is_active"]
    list_filter = ["is_active", "roles__role", "roles__organisation"]
    inlines = [RoleAssignmentInline]

    def save_formset(self, request, form, formset, change):
        """Roles decide who reads reports, so every grant and revocation enters the audit chain:
        an administrator who gives themselves a role leaves a trace (SECURITY.md "Audit")."""
        super().save_formset(request, form, formset, change)
        if formset.model is not RoleAssignment:
            return
        actor = Actor.of(request.user)
        for assignment in formset.new_objects:
            record(actor, "role.granted", "user", assignment.user_id, _role_detail(assignment))
        for assignment, _fields in formset.changed_objects:
            record(actor, "role.changed", "user", assignment.user_id, _role_detail(assignment))
        for assignment in formset.deleted_objects:
            record(actor, "role.revoked", "user", assignment.user_id, _role_detail(assignment))
