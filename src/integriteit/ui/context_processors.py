from django.db.models import Exists

from integriteit.access.rules import (
    _active_assignments,
    interviews_visible_to,
    is_verified_staff,
    organisations_for_process_evaluation,
    organisations_user_can_register_for,
    report_versions_visible_to,
)
from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment, User

NOTHING = {
    "is_staff_workspace": False,
    "can_read_audit": False,
    "can_see_evaluations": False,
    "can_register": False,
    "has_investigation_portal": False,
}


def _navigation(user) -> dict[str, bool]:
    """What the header shows, in two queries for a verified user (every page renders it).

    The same rules as access.rules (is_staff_member, can_read_audit_trail,
    organisations_for_process_evaluation, organisations_user_can_register_for,
    interviews_visible_to, report_versions_visible_to), asked as EXISTS sub-queries of one
    SELECT instead of seven queries; the querysets come from access.rules itself.
    "My investigations" shows when the user is asked to cooperate in an investigation (an
    interview, or a report offered to them as the subject)."""
    if not (user and is_verified_staff(user)):
        return dict(NOTHING)  # every rule below gives nothing without the second factor
    roles = RoleAssignment.objects.filter(user=user)
    answers = (
        User.objects.filter(pk=user.pk)  # one row, holding the answers
        .order_by()
        .annotate(
            has_role=Exists(roles),
            has_assignment=Exists(_active_assignments(user)),
            auditor=Exists(roles.filter(role=Role.AUDITOR)),
            evaluations=Exists(organisations_for_process_evaluation(user)),
            register=Exists(organisations_user_can_register_for(user)),
            with_interviews=Exists(interviews_visible_to(user)),
            report_versions=Exists(report_versions_visible_to(user)),
        )
        .values(
            "has_role",
            "has_assignment",
            "auditor",
            "evaluations",
            "register",
            "with_interviews",
            "report_versions",
        )[0]
    )
    staff = answers["has_role"] or answers["has_assignment"]
    return {
        "is_staff_workspace": staff,
        "can_read_audit": bool(staff and answers["auditor"]),
        "can_see_evaluations": bool(staff and answers["evaluations"]),
        "can_register": bool(staff and answers["register"]),
        "has_investigation_portal": bool(answers["with_interviews"] or answers["report_versions"]),
    }


def site(request):
    """The header's links, computed once per request and user (kept on the request: a view
    that renders more than one template asks the database once)."""
    user = getattr(request, "user", None)
    key = (getattr(user, "pk", None), bool(user and is_verified_staff(user)))
    cached = getattr(request, "_integriteit_navigation", None)
    if cached is None or cached[0] != key:
        cached = (key, _navigation(user))
        request._integriteit_navigation = cached
    return cached[1]
