"""Who may act, and how the audit names those who act (ADR 0013)."""

from django.core.exceptions import PermissionDenied

from integriteit.access.rules import is_verified_staff
from integriteit.accounts.models import User
from integriteit.audit.services import Actor
from integriteit.cases import people
from integriteit.cases.models import Subject

from ..models import Interview, Investigation
from ..selectors import acts_as

SYSTEM_ACTOR = Actor(label="system")


def require_role(user: User, investigation: Investigation, role: str) -> None:
    if not acts_as(user, investigation, role):
        raise PermissionDenied


def require_interviewee(user: User, interview: Interview) -> None:
    own_tag = people.tag_for(Interview, "interviewee", user)
    if not is_verified_staff(user) or interview.interviewee_tag != own_tag:
        raise PermissionDenied


def cooperating(user: User, as_role: str) -> tuple[Actor, dict[str, str]]:
    """How the audit names a subject or witness acting in the portal: by role and the tag of
    their reference (the interview's or the subject's), never by account, so the audit trail
    does not say who testified or who is accused (ADR 0013)."""
    model, name = (Subject, "person") if as_role == "subject" else (Interview, "interviewee")
    return Actor(label=as_role), {"by": people.tag_for(model, name, user)}
