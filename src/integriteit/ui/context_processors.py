from integriteit.access.rules import (
    can_read_audit_trail,
    interviews_visible_to,
    is_staff_member,
    organisations_for_process_evaluation,
    organisations_user_can_register_for,
    report_versions_visible_to,
)


def _has_investigation_portal(user) -> bool:
    """Whether the user is asked to cooperate in an investigation (an interview or a report
    offered to them as the subject): only then the header shows "My investigations"."""
    return bool(
        user
        and user.is_authenticated
        and (interviews_visible_to(user).exists() or report_versions_visible_to(user).exists())
    )


def site(request):
    user = getattr(request, "user", None)
    staff = bool(user and is_staff_member(user))
    return {
        "is_staff_workspace": staff,
        "can_read_audit": bool(staff and can_read_audit_trail(user)),
        "can_see_evaluations": bool(staff and organisations_for_process_evaluation(user).exists()),
        "can_register": bool(staff and organisations_user_can_register_for(user).exists()),
        "has_investigation_portal": _has_investigation_portal(user),
    }
