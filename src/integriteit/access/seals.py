"""What each access seal covers (docs/decisions/0012-access-seals.md).

The rows that decide who reads a report carry a keyed MAC (crypto.tokens.access_seal) over the
fields that matter for access, so that a row inserted or changed by someone who can write to the
database, but does not hold the key document, gives no access:

- a role in an organisation (accounts.RoleAssignment): user, organisation, role, unit led;
- an assignment on a case (cases.CaseAssignment): report, user, role, whether it has ended;
- a report (reports.Report): its id, its organisation and the set of its exclusion tags. A seal
  per exclusion row could not notice a deleted row; one over the whole set does.

Plain values in, so models, services, the checks in access.rules and data migrations compute
the same seal. Imports no domain module (a cross-cutting module, CONVENTIONS.md).
"""

import uuid
from collections.abc import Iterable

from integriteit.crypto.keys import KeyRing
from integriteit.crypto.tokens import access_seal, seal_matches

ROLE_ASSIGNMENT = "accounts.roleassignment"
CASE_ASSIGNMENT = "cases.caseassignment"
REPORT = "reports.report"


def _uuid(value) -> str:
    return str(uuid.UUID(str(value)))


def _optional_id(value) -> int | None:
    return None if value is None else int(value)


def _role_fields(user_id, organisation_id, role, unit_id) -> tuple:
    return (int(user_id), int(organisation_id), str(role), _optional_id(unit_id))


def _case_fields(report_id, user_id, role, ended: bool) -> tuple:
    return (_uuid(report_id), int(user_id), str(role), bool(ended))


def _report_fields(report_id, organisation_id, person_tags: Iterable[str]) -> tuple:
    return (_uuid(report_id), int(organisation_id), sorted(set(person_tags)))


def role_assignment_seal(
    user_id, organisation_id, role, unit_id, ring: KeyRing | None = None
) -> str:
    return access_seal(
        ROLE_ASSIGNMENT, *_role_fields(user_id, organisation_id, role, unit_id), ring=ring
    )


def role_assignment_intact(seal: str, user_id, organisation_id, role, unit_id) -> bool:
    return seal_matches(
        seal, ROLE_ASSIGNMENT, *_role_fields(user_id, organisation_id, role, unit_id)
    )


def case_assignment_seal(report_id, user_id, role, ended: bool, ring: KeyRing | None = None) -> str:
    return access_seal(CASE_ASSIGNMENT, *_case_fields(report_id, user_id, role, ended), ring=ring)


def case_assignment_intact(seal: str, report_id, user_id, role, ended: bool) -> bool:
    return seal_matches(seal, CASE_ASSIGNMENT, *_case_fields(report_id, user_id, role, ended))


def report_seal(
    report_id, organisation_id, person_tags: Iterable[str], ring: KeyRing | None = None
) -> str:
    return access_seal(REPORT, *_report_fields(report_id, organisation_id, person_tags), ring=ring)


def report_intact(seal: str, report_id, organisation_id, person_tags: Iterable[str]) -> bool:
    return seal_matches(seal, REPORT, *_report_fields(report_id, organisation_id, person_tags))


def keys_to_seal(rows: int, what: str) -> KeyRing | None:
    """Data migrations seal the rows that exist when seals are introduced; that needs the key
    document (read as it is: the key check runs at start, once the schema is complete). Without
    it a populated database cannot be migrated: say so clearly, instead of writing rows that
    would lock everyone out (docs/decisions/0012)."""
    from django.core.exceptions import ImproperlyConfigured

    from integriteit.crypto.keys import keyring

    if not rows:
        return None
    try:
        return keyring()
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured(
            f"Sealing {rows} existing {what} needs the key document (INTEGRITEIT_KEY_FILE or "
            f"INTEGRITEIT_KEYS): make the production key document available to this migrate "
            f"run and run it again. Nothing was changed. ({error})"
        ) from error
