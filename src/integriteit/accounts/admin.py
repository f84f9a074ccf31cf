"""The Django admin for accounts. What an administrator cannot do here is as deliberate as what
they can (docs/decisions/0012-access-seals.md):

- set or see anyone's password: accounts are created without one, and "send a link to choose a
  password" disables the current password and mails the person a one-time link;
- see a second factor's secret: TOTP devices show no key or QR code, anywhere, and cannot be
  added or edited; removing one is possible (the person sets up a new one at their next login).

The person is told by e-mail when their password is reset, their second factor removed or their
e-mail address changed (services), so a takeover through the admin does not go unnoticed.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from integriteit.audit.admin_log import register_admin_detail
from integriteit.audit.services import Actor

from . import services
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


class UserAddForm(forms.ModelForm):
    """A new account has no password: the person chooses one through the link sent to the
    address given here."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person receives a link here to choose their own password."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "unit", "job_title"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class UserChangeWithoutPasswordForm(UserChangeForm):
    # Not even the hash is shown, and there is no link to set one.
    password = None  # type: ignore[assignment]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeWithoutPasswordForm
    add_form = UserAddForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "last_name", "email", "unit", "job_title"),
            },
        ),
    )
    fieldsets = (
        (None, {"fields": ("username", "password_state")}),
        *(BaseUserAdmin.fieldsets or ())[1:],
        ("Integriteit", {"fields": ("unit", "job_title")}),
    )
    readonly_fields = ["password_state"]
    list_display = ["username", "first_name", "last_name", "unit", "is_active"]
    list_filter = ["is_active", "roles__role", "roles__organisation"]
    inlines = [RoleAssignmentInline]
    actions = ["send_password_link"]

    @admin.display(description=_("Password"))
    def password_state(self, user: User) -> str:
        if user.has_usable_password():
            return str(_("Set by the person. Administrators cannot see or set it."))
        return str(_("Not set: the person chooses one through the link sent to them."))

    def user_change_password(self, request, id, form_url=""):
        """Django's "set password" page: refused. Send a link instead (docs/decisions/0012)."""
        raise PermissionDenied

    @admin.action(description=_("Send a link to choose a new password (disables the current one)"))
    def send_password_link(self, request, queryset):
        actor = Actor.of(request.user)
        sent = [user for user in queryset if services.send_password_link(actor, user)]
        if sent:
            self.message_user(
                request,
                ngettext(
                    "A link to choose a password was sent to %(count)d person.",
                    "A link to choose a password was sent to %(count)d people.",
                    len(sent),
                )
                % {"count": len(sent)},
                messages.SUCCESS,
            )
        if missing := [user.get_username() for user in queryset if user not in sent]:
            self.message_user(
                request,
                _("No link sent to %(usernames)s: no e-mail address.")
                % {"usernames": ", ".join(missing)},
                messages.ERROR,
            )

    def save_model(self, request, obj, form, change):
        previous = User.objects.get(pk=obj.pk).email if change else ""
        super().save_model(request, obj, form, change)
        if not change:
            services.send_password_link(Actor.of(request.user), obj)
        elif previous and previous != obj.email:
            transaction.on_commit(lambda: services.notify_email_changed(obj, previous))


# django-otp's own admin shows the key, a QR code and a configuration page; ours shows neither.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class SecondFactorAdmin(admin.ModelAdmin):
    """TOTP devices: who has one and whether it is in use, never the secret. Read-only; the one
    change is removal (a lost phone), after which the person enrols again at their next login."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    fields = readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")

    def has_add_permission(self, request) -> bool:
        return False  # a device with a key the administrator knows would be their second factor

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        # `?key__startswith=…` on the list would reveal the secret character by character.
        return not lookup.startswith("key") and super().lookup_allowed(lookup, value, request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        user = obj.user
        transaction.on_commit(lambda: services.notify_second_factor_removed(user))
