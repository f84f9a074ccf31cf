"""Recording and reading the integrity coordinator's position (seed 001 §3.4, norm "a strong and
independent coordinator"). `assess` says, in the terms of §3.4.2, whether the role is anchored
(time or a team, and tasks laid down) and independent (direct access to the top)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.audit.services import Actor, record
from integriteit.organisations.models import Organisation
from integriteit.ui import dates

from .access_position import organisations_to_read_position, organisations_to_record_position
from .models import CoordinatorPosition, Placement

# A full-time week in the Rijk (cao Rijk: 36 hours).
FULL_TIME_HOURS = Decimal("36")


class PositionRefused(ValueError):
    """The situation cannot be recorded; the message says why, for the user."""


@dataclasses.dataclass(frozen=True)
class Assessment:
    anchored: bool
    independent: bool
    gaps: list[str]


def assess(position: CoordinatorPosition) -> Assessment:
    """The two points of seed 001 §3.4.2 on which a position falls short."""
    gaps = []
    has_time = position.hours_per_week >= FULL_TIME_HOURS or position.team_fte > 0
    if not has_time:
        gaps.append(_("The role is part-time and has no team."))
    if not position.tasks_laid_down:
        gaps.append(_("The tasks are not formally laid down."))
    if not position.direct_access:
        gaps.append(_("No direct access to the highest civil servant without approval."))
    if position.placement == Placement.IN_THE_LINE:
        gaps.append(_("Placed in the line, where contact with the top goes through a manager."))
    return Assessment(
        anchored=has_time and position.tasks_laid_down,
        independent=position.direct_access and position.placement != Placement.IN_THE_LINE,
        gaps=gaps,
    )


def history(organisation: Organisation):
    return CoordinatorPosition.objects.filter(organisation=organisation).select_related(
        "recorded_by"
    )


def current_positions(organisations) -> dict[int, CoordinatorPosition]:
    """{organisation id: its latest situation} for many organisations in one query."""
    latest: dict[int, CoordinatorPosition] = {}
    for position in CoordinatorPosition.objects.filter(organisation__in=organisations).order_by(
        "organisation_id", "-valid_from", "-pk"
    ):
        latest.setdefault(position.organisation_id, position)
    return latest


def readable(user, organisation: Organisation) -> bool:
    return organisations_to_read_position(user).filter(pk=organisation.pk).exists()


def may_record(user, organisation: Organisation) -> bool:
    return organisations_to_record_position(user).filter(pk=organisation.pk).exists()


FIELDS = (
    "valid_from",
    "hours_per_week",
    "team_fte",
    "placement",
    "direct_access",
    "may_convene",
    "tasks_laid_down",
    "mandate_reference",
    "note",
)


def record_position(user, organisation: Organisation, values: dict) -> CoordinatorPosition:
    """A new situation of the organisation's coordinator; the earlier ones stay as they were."""
    if not may_record(user, organisation):
        raise PermissionDenied
    if values["valid_from"] > timezone.localdate():
        raise PositionRefused(_("Record a situation that has begun: the date lies in the future."))
    return write_position(organisation, values, by=user)


def write_position(organisation: Organisation, values: dict, *, by) -> CoordinatorPosition:
    """`record_position` without the checks of a request, for the demo loader."""
    try:
        with transaction.atomic():
            position = CoordinatorPosition.objects.create(
                organisation=organisation,
                recorded_by=by,
                **{name: values[name] for name in FIELDS},
            )
            record(
                Actor.of(by),
                "prevention.coordinator_position_recorded",
                "organisation",
                organisation.pk,
                {"position": position.pk, "valid_from": position.valid_from.isoformat()},
            )
    except IntegrityError as error:
        raise PositionRefused(
            _("A situation as of %(day)s is already recorded; choose another date.")
            % {"day": dates.day(values["valid_from"])}
        ) from error
    return position
