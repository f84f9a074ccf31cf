"""Need to know for investigations, next to them; built on `access.rules` (ADR 0002).

Who manages an organisation's investigation protocol, and what the people asked to cooperate
see outside the case (RULES R12): an interviewee their own invitation and record, a subject the
draft and final reports offered to them. Neither gives access to the case itself.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from integriteit.access.rules import is_verified_staff, organisations_with_role
from integriteit.accounts.constants import Role
from integriteit.cases.models import Subject
from integriteit.crypto.references import tag_for
from integriteit.organisations.models import Organisation

from .constants import ReportVersionKind
from .models import Interview, ReportVersion, StepRecord


def interviews_visible_to(user) -> QuerySet:
    """The interviews the user is invited to as the interviewee (subject or witness): the
    invitation with their rights and, once offered, their own record (RULES R12). This gives no
    access to the case: a witness sees only their own interview, the subject stays excluded."""
    if not is_verified_staff(user):
        return Interview.objects.none()
    # The interviewee is a keyed tag, not a user id (docs/decisions/0013).
    own_tag = tag_for(Interview, "interviewee", user.pk)
    return Interview.objects.filter(interviewee_tag=own_tag, invited_at__isnull=False)


def report_versions_visible_to(user) -> QuerySet:
    """The investigation reports offered to the user as a subject of the case (hoor en
    wederhoor, RULES R10, R12): each draft once it is offered for their response, and the final
    report once its step is completed (the report the competent authority decides on: the latest
    final version) or once it is offered to them. Never the case itself: reports_visible_to is
    unchanged and the subject stays excluded from it."""
    if not is_verified_staff(user):
        return ReportVersion.objects.none()
    own_tag = tag_for(Subject, "person", user.pk)  # a keyed tag, not a user id (ADR 0013)
    as_subject = ReportVersion.objects.filter(
        investigation__report_id__in=Subject.objects.filter(person_tag=own_tag).values("report_id")
    )
    final_step_completed = StepRecord.objects.filter(
        investigation_id=OuterRef("investigation_id"),
        step__code="final_report",
        completed_at__isnull=False,
    )
    later_final = ReportVersion.objects.filter(
        Q(generated_at__gt=OuterRef("generated_at"))
        | Q(generated_at=OuterRef("generated_at"), pk__gt=OuterRef("pk")),
        investigation_id=OuterRef("investigation_id"),
        kind=ReportVersionKind.FINAL,
    )
    return as_subject.filter(
        Q(offered_to_subject_at__isnull=False)
        | (Q(kind=ReportVersionKind.FINAL) & Exists(final_step_completed) & ~Exists(later_final))
    )


def workload_organisations(user) -> QuerySet[Organisation]:
    """Organisations whose investigators the user oversees: as coordinator or competent
    authority of the organisation (seal and second factor checked like every role)."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return organisations_with_role(user, [Role.COORDINATOR, Role.COMPETENT_AUTHORITY]).order_by(
        "name"
    )


def organisations_for_protocol(user) -> QuerySet[Organisation]:
    """The investigation protocol (issue 4 §1): the integrity coordinators of an organisation
    manage its own steps on top of the BIPO baseline."""
    if not is_verified_staff(user):
        return Organisation.objects.none()
    return organisations_with_role(user, [Role.COORDINATOR])
