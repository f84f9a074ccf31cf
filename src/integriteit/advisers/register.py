"""The register check of confidential advisers: which basic requirements an adviser does not
meet, and warnings before the appointment term lapses (issue 5 §1; seed 002: uniform basic
requirements; seed 004: formal appointment, a term of about 4 years renewable once, training and
peer review)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integriteit.organisations.models import Organisation
from integriteit.ui import dates

from .constants import RequirementKind
from .models import BasicRequirement, ConfidentialAdviser, PeerReviewSession

TERM_YEARS = 4  # default term of an appointment (seed 004)
MAX_RENEWALS = 1  # renewable once
WARN_DAYS = 90  # warn this long before the term lapses
PEER_REVIEW_DAYS = 365  # at least one peer-review session in the last 12 months


def active_requirement_kinds() -> set[str]:
    return set(BasicRequirement.objects.filter(is_active=True).values_list("kind", flat=True))


def _last_peer_review(adviser: ConfidentialAdviser) -> datetime.date | None:
    # Works with a prefetched `peer_reviews` (ordered newest first) without an extra query.
    dates = [session.held_on for session in adviser.peer_reviews.all()]
    return max(dates) if dates else None


def requirement_gaps(
    adviser: ConfidentialAdviser, today: datetime.date, kinds: set[str] | None = None
) -> list[str]:
    """What the adviser is missing, one sentence per unmet active basic requirement."""
    if kinds is None:
        kinds = active_requirement_kinds()
    gaps: list[str] = []
    if RequirementKind.FORMAL_APPOINTMENT in kinds:
        missing = [
            label
            for value, label in (
                (adviser.appointed_on, _("date of appointment")),
                (adviser.appointing_authority, _("appointing authority")),
                (adviser.appointment_document, _("appointment decision")),
            )
            if not value
        ]
        if missing:
            gaps.append(
                _("Not formally appointed: missing %(items)s.") % {"items": ", ".join(missing)}
            )
    if RequirementKind.TERM_VALID in kinds:
        if adviser.term_ends_on is None:
            gaps.append(_("No end of the appointment term recorded."))
        elif adviser.term_ends_on < today:
            gaps.append(
                _("The appointment term lapsed on %(date)s.")
                % {"date": dates.day(adviser.term_ends_on)}
            )
    if RequirementKind.BASIC_TRAINING in kinds and adviser.basic_training_on is None:
        gaps.append(_("Basic training not completed."))
    if RequirementKind.PEER_REVIEW in kinds:
        last = _last_peer_review(adviser)
        if last is None or last < today - datetime.timedelta(days=PEER_REVIEW_DAYS):
            gaps.append(_("No peer review (intervisie) attended in the last 12 months."))
    if RequirementKind.HOURS in kinds and not adviser.hours_per_week:
        gaps.append(_("No hours per week granted."))
    if RequirementKind.CONTACT in kinds and not (
        adviser.phone or adviser.email or adviser.other_contact
    ):
        gaps.append(_("No contact channel (phone, e-mail or other)."))
    return gaps


def term_warnings(adviser: ConfidentialAdviser, today: datetime.date) -> list[str]:
    """Warnings about the term: lapsing within WARN_DAYS, and whether it can still be renewed."""
    end = adviser.term_ends_on
    if end is None or end < today:
        return []  # a missing or lapsed term is a requirement gap, not a warning
    days = (end - today).days
    if days > WARN_DAYS:
        return []
    warnings = [
        ngettext(
            "The appointment term ends on %(date)s, in %(days)d day.",
            "The appointment term ends on %(date)s, in %(days)d days.",
            days,
        )
        % {"date": dates.day(end), "days": days}
    ]
    if adviser.renewals >= MAX_RENEWALS:
        warnings.append(
            _(
                "The term has already been renewed once and cannot be renewed again: "
                "appoint a successor."
            )
        )
    else:
        warnings.append(
            _("The term can be renewed once, for another %(years)d years.") % {"years": TERM_YEARS}
        )
    return warnings


@dataclass
class RegisterRow:
    adviser: ConfidentialAdviser
    gaps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def meets_requirements(self) -> bool:
        return not self.gaps


def advisers_serving(organisation: Organisation) -> QuerySet[ConfidentialAdviser]:
    """Every adviser serving the organisation, or at home in it (active or not)."""
    return ConfidentialAdviser.objects.filter(
        Q(organisations_served=organisation) | Q(home_organisation=organisation)
    ).distinct()


def register_for(organisation: Organisation, today: datetime.date) -> list[RegisterRow]:
    kinds = active_requirement_kinds()
    advisers = (
        advisers_serving(organisation)
        .select_related("user", "home_organisation")
        .prefetch_related(
            "organisations_served",
            Prefetch("peer_reviews", queryset=PeerReviewSession.objects.order_by("-held_on")),
        )
    )
    return [
        RegisterRow(a, requirement_gaps(a, today, kinds), term_warnings(a, today)) for a in advisers
    ]
