from django.contrib import admin

from .models import Organisation, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    fk_name = "organisation"
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "sector", "is_active"]
    list_filter = ["sector", "is_active"]
    search_fields = ["name", "abbreviation"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "parent"]
    list_filter = ["organisation"]
    search_fields = ["name"]
