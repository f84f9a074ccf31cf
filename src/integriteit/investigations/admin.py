"""Administrators record who investigates: internal investigators, teams and staff of an
external bureau (also editable by coordinators on /onderzoek/onderzoekers/). Investigation
records are not in the admin: administrators do not read case contents (SYSTEM.md "Need to
know")."""

from django.contrib import admin

from .models import InvestigatorProfile


@admin.register(InvestigatorProfile)
class InvestigatorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "bureau", "team"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "bureau", "team"]
    autocomplete_fields = ["user"]
