"""The investigators' profiles on the workload page: internal, team member or external bureau."""

from django.db import transaction
from django.http import Http404

from integriteit.accounts.models import User
from integriteit.audit.services import Actor, record

from ..models import InvestigatorProfile
from ..selectors import oversees_investigator


@transaction.atomic
def save_investigator_profile(user: User, person: User, *, kind: str, bureau: str, team: str):
    """Store `person`'s profile; only for whoever oversees their organisation's investigators
    (anyone else gets 404, need to know). The profile and its audit entry go together."""
    if not oversees_investigator(user, person):
        raise Http404
    profile, _created = InvestigatorProfile.objects.update_or_create(
        user=person, defaults={"kind": kind, "bureau": bureau, "team": team}
    )
    record(
        Actor.of(user),
        "investigation.investigator_profile_saved",
        "user",
        person.pk,
        {"kind": kind},
    )
    return profile
