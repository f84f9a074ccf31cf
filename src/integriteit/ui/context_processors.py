from integriteit.access.rules import (
    can_read_audit_trail,
    is_staff_member,
    organisations_for_process_evaluation,
    organisations_user_can_register_for,
)


def site(request):
    user = getattr(request, "user", None)
    staff = bool(user and is_staff_member(user))
    return {
        "is_staff_workspace": staff,
        "can_read_audit": bool(staff and can_read_audit_trail(user)),
        "can_see_evaluations": bool(staff and organisations_for_process_evaluation(user).exists()),
        "can_register": bool(staff and organisations_user_can_register_for(user).exists()),
    }
