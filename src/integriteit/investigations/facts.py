"""Who investigated a case, as the registry counts it (SYSTEM.md module 5): the executor's code
of the registry's list ("internal", "external"), never a person; and `case_changed` when an
investigation or its members change."""

import uuid

from django.db.models.signals import post_save

from integriteit.cases.signals import case_changed

from .constants import InvestigatorKind
from .models import Investigation, InvestigationMember


def executor_of(report_id: uuid.UUID) -> str | None:
    """None when the case had no investigation; "external" when an external bureau took part."""
    investigations = Investigation.objects.filter(report_id=report_id)
    if not investigations.exists():
        return None
    external = InvestigationMember.objects.filter(
        investigation__in=investigations,
        user__investigator_profile__kind=InvestigatorKind.EXTERNAL,
    ).exists()
    return InvestigatorKind.EXTERNAL if external else InvestigatorKind.INTERNAL


def _changed(sender, instance, **kwargs) -> None:
    investigation = instance if isinstance(instance, Investigation) else instance.investigation
    case_changed.send(sender=sender, report_id=investigation.report_id)


def connect() -> None:
    for model in (Investigation, InvestigationMember):
        post_save.connect(_changed, sender=model, dispatch_uid=f"case-changed-{model.__name__}")
