"""What the pages of the register of side activities show (RULES R16), through `access`."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from integriteit.organisations.models import Organisation

from . import access
from .declarations import RECONFIRM_AFTER, current_assignments
from .models import DeclarationStatus, SideActivity
from .models.declarations import PERMITTING


def published(organisation: Organisation, on: datetime.date | None = None) -> QuerySet:
    """The publication rule (Ambtenarenwet art. 5; RULES R16): a side activity is published
    when it was declared under a designated function whose side activities are published, the
    official holds that function on the day, the function is active, the manager allowed it
    (with or without conditions), it is not withdrawn and has not ended. Nothing else."""
    on = on or timezone.localdate()
    holds = current_assignments(on).filter(
        function_id=OuterRef("function_id"), person_id=OuterRef("official_id")
    )
    return (
        SideActivity.objects.filter(
            organisation=organisation,
            function__isnull=False,
            function__is_active=True,
            function__publish_side_activities=True,
            status=DeclarationStatus.ASSESSED,
            decision__in=PERMITTING,
            withdrawn_at__isnull=True,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .filter(Exists(holds))
        .select_related("official", "function")
        .order_by("official__last_name", "official__first_name", "function__name", "pk")
    )


def due_for_reconfirmation(now: datetime.datetime | None = None) -> QuerySet[SideActivity]:
    """Declarations confirmed longer ago than the period, still in force."""
    now = now or timezone.now()
    return SideActivity.objects.filter(
        withdrawn_at__isnull=True,
        status__in=[DeclarationStatus.SUBMITTED, DeclarationStatus.ASSESSED],
        confirmed_at__lte=now - RECONFIRM_AFTER,
    )


def mine(user) -> QuerySet[SideActivity]:
    return access.own_declarations(user).select_related("function", "assessed_by")


def queue(user, show: str = "open") -> QuerySet[SideActivity]:
    """The manager's declarations to assess (oldest first), or all she assesses."""
    found = access.declarations_to_assess(user).filter(withdrawn_at__isnull=True)
    if show == "open":
        found = found.filter(status=DeclarationStatus.SUBMITTED)
    return found.select_related("official", "function").order_by("submitted_at", "pk")


STATE_FILTERS = {
    "submitted": Q(status=DeclarationStatus.SUBMITTED, withdrawn_at__isnull=True),
    "assessed": Q(status=DeclarationStatus.ASSESSED, withdrawn_at__isnull=True),
    "withdrawn": Q(withdrawn_at__isnull=False),
    "due": Q(),  # filled in by `register`, it depends on the moment
}


def register(
    user,
    organisation: Organisation,
    *,
    text: str = "",
    state: str = "",
    decision: str = "",
    function: int | None = None,
    paid: str = "",
) -> QuerySet[SideActivity]:
    """The coordinator's register of one organisation she coordinates: submitted, assessed and
    withdrawn declarations (drafts are the official's own), with search and filters."""
    found = (
        access.declarations_visible_to(user)
        .filter(organisation=organisation)
        .filter(submitted_at__isnull=False)
    )
    if text:
        found = found.filter(
            Q(description__icontains=text)
            | Q(employer__icontains=text)
            | Q(official__first_name__icontains=text)
            | Q(official__last_name__icontains=text)
        )
    if state == "due":
        found = found.filter(
            pk__in=due_for_reconfirmation().filter(organisation=organisation).values("pk")
        )
    elif state in STATE_FILTERS:
        found = found.filter(STATE_FILTERS[state])
    if decision:
        found = found.filter(decision=decision)
    if function:
        found = found.filter(function_id=function)
    if paid in ("yes", "no"):
        found = found.filter(paid=paid == "yes")
    return found.select_related("official", "function").order_by(
        "official__last_name", "official__first_name", "-pk"
    )
