from django.contrib import admin

from .models import BasicRequirement, ConfidentialAdviser, ConversationRoom, PeerReviewSession


class PeerReviewInline(admin.TabularInline):
    model = PeerReviewSession
    extra = 1


@admin.register(ConfidentialAdviser)
class ConfidentialAdviserAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "home_organisation", "bureau", "term_ends_on", "is_active"]
    list_filter = ["kind", "is_active", "themes", "organisations_served"]
    search_fields = ["user__first_name", "user__last_name", "bureau"]
    filter_horizontal = ["organisations_served"]
    autocomplete_fields = ["user"]
    inlines = [PeerReviewInline]


@admin.register(BasicRequirement)
class BasicRequirementAdmin(admin.ModelAdmin):
    list_display = ["kind", "is_active"]
    list_editable = ["is_active"]


@admin.register(ConversationRoom)
class ConversationRoomAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "organisation"]
    list_filter = ["organisation"]
