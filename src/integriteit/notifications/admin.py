from django.contrib import admin

from .models import EscalationSettings


@admin.register(EscalationSettings)
class EscalationSettingsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "contact", "escalate_due_soon", "escalate_overdue"]
    raw_id_fields = ["contact"]
