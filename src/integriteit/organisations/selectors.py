from django.db.models import QuerySet

from .models import Organisation


def active_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("name")
