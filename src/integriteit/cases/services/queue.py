"""The work queue's writes (issue 10 "Work queue"): a person's saved filters, and the audit
entry of each export of the queue."""

from urllib.parse import urlencode

from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record

from ..models import SavedQueueFilter
from .base import CaseError

# The filter bar's parameters (cases.filters.CaseQueueFilterForm) and the sort: all a saved
# filter keeps. A page number, or anything else in the URL, is dropped.
QUEUE_PARAMETERS = ("q", "phase", "assignee", "deadline", "organisation", "unit", "kind", "sort")
SAVED_FILTERS_MAX = 50


def queue_filters(query: QueryDict) -> str:
    """The query string of the queue's own, non-empty parameters, in a fixed order."""
    pairs = [(name, query.get(name, "").strip()) for name in QUEUE_PARAMETERS]
    return urlencode([(name, value[:200]) for name, value in pairs if value])


@transaction.atomic
def save_queue_filter(user: User, name: str, query: QueryDict) -> SavedQueueFilter:
    """Save the queue's present filters under `name`; the same name again replaces them."""
    name = name.strip()[:80]
    if not name:
        raise CaseError(_("Give the filter a name."))
    existing = SavedQueueFilter.objects.filter(user=user, name=name).first()
    if existing is None and SavedQueueFilter.objects.filter(user=user).count() >= SAVED_FILTERS_MAX:
        raise CaseError(_("You have saved the most filters there can be. Delete one first."))
    saved = existing or SavedQueueFilter(user=user, name=name)
    saved.query = queue_filters(query)
    saved.save()
    record(Actor.of(user), "cases.queue_filter_saved", "saved_queue_filter", saved.pk)
    return saved


@transaction.atomic
def delete_queue_filter(user: User, filter_id: int) -> bool:
    """Delete one of the user's own saved filters; another person's is never found."""
    saved = SavedQueueFilter.objects.filter(user=user, pk=filter_id).first()
    if saved is None:
        return False
    record(Actor.of(user), "cases.queue_filter_deleted", "saved_queue_filter", saved.pk)
    saved.delete()
    return True


@transaction.atomic
def record_queue_export(user: User, kind: str, filters: dict, count: int, truncated: bool) -> None:
    """Every export of the queue is in the audit trail: who, which format, which filters (never
    the search text) and how many rows (SECURITY.md "Audit")."""
    record(
        Actor.of(user),
        "cases.queue_exported",
        "queue",
        "",
        {"format": kind, "filters": filters, "rows": count, "truncated": truncated},
    )
