"""Administrators configure the list of measures (RULES R13, configurable). Case records are not
in the admin: administrators do not read case contents (SYSTEM.md "Need to know")."""

from django.contrib import admin

from .models import MeasureType


@admin.register(MeasureType)
class MeasureTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "requires_hearing", "is_legacy", "position"]
    list_editable = ["position"]
    search_fields = ["name", "code"]
