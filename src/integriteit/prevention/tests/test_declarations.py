"""The register of side activities (RULES R16): the rules of declaring, assessing, withdrawing
and re-confirming; the history; the publication rule; financial interests sealed and read only
by the official, the assessor and the coordinator; the oath; the re-confirmation reminder."""

import datetime
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment, User
from integriteit.audit.models import AuditEntry
from integriteit.cases.reminders import send_due_reminders
from integriteit.cases.tests.flow import verified
from integriteit.crypto.holders import kek_versions_in_use
from integriteit.crypto.keys import keyring, write_key_file
from integriteit.prevention import access, selectors
from integriteit.prevention import declarations as services
from integriteit.prevention.models import (
    DeclarationStatus,
    FinancialInterest,
    InterestKind,
    OathKind,
    OathRecord,
    ReconfirmationReminder,
    SideActivity,
)

from .declaration_helpers import bzk, colleague, declared, designated, entry

pytestmark = pytest.mark.django_db


# --- Declaring --------------------------------------------------------------------------------


def test_a_declaration_is_a_draft_then_submitted_with_its_history_and_audit(people):
    function = designated(people)
    declaration = declared(people, function)
    assert declaration.status == DeclarationStatus.SUBMITTED
    assert declaration.confirmed_at is not None
    assert declaration.organisation == bzk()
    assert list(declaration.history.values_list("number", "event")) == [
        (1, "created"),
        (1, "submitted"),
    ]
    actions = set(
        AuditEntry.objects.filter(
            object_type="sideactivity", object_id=str(declaration.pk)
        ).values_list("action", flat=True)
    )
    assert actions == {"sideactivity.created", "sideactivity.submitted"}


def test_an_official_in_a_designated_function_must_name_it(people):
    designated(people)
    with pytest.raises(ValidationError) as refused:
        services.save_draft(verified(people["employee"]), entry(None))
    assert "function" in refused.value.message_dict
    assert not SideActivity.objects.exists()


def test_an_official_without_a_designated_function_needs_none_and_cannot_name_another(people):
    function = designated(people, holder=None)
    declaration = services.save_draft(verified(people["employee"]), entry(None))
    assert declaration.function is None
    with pytest.raises(ValidationError) as refused:
        services.save_draft(verified(people["employee"]), entry(function))
    assert "function" in refused.value.message_dict


def test_dates_out_of_order_are_refused(people):
    with pytest.raises(ValidationError) as refused:
        services.save_draft(
            verified(people["employee"]),
            entry(None, days_ago=5, ends_on=timezone.localdate() - datetime.timedelta(days=10)),
        )
    assert "ends_on" in refused.value.message_dict


def test_changing_an_assessed_declaration_keeps_the_old_version_and_asks_a_new_assessment(people):
    function = designated(people)
    declaration = declared(people, function, decision="allowed")
    changed = services.save_draft(
        verified(people["employee"]), entry(function, employer="Universiteit Leiden"), declaration
    )
    assert changed.status == DeclarationStatus.DRAFT
    assert changed.version == 2
    assert changed.decision == "" and changed.assessed_by is None
    versions = list(changed.history.order_by("pk"))
    assert [(v.number, v.event) for v in versions] == [
        (1, "created"),
        (1, "submitted"),
        (1, "assessed"),
        (2, "changed"),
    ]
    assert versions[2].snapshot["employer"] == "Haagse Hogeschool"
    assert versions[2].snapshot["decision"] == "allowed"
    assert versions[3].snapshot["employer"] == "Universiteit Leiden"


def test_only_the_official_changes_submits_withdraws_or_reconfirms(people):
    declaration = declared(people, submit=False)
    for other in ("manager", "coordinator", "employee-fin"):
        user = verified(people[other])
        with pytest.raises(PermissionDenied):
            services.submit(user, declaration)
        with pytest.raises(PermissionDenied):
            services.withdraw(user, declaration)
        with pytest.raises(PermissionDenied):
            services.save_draft(user, entry(None), declaration)


def test_withdrawal_keeps_the_declaration_and_cannot_be_repeated_or_changed(people):
    declaration = declared(people)
    official = verified(people["employee"])
    services.withdraw(official, declaration, "Gestopt.")
    declaration.refresh_from_db()
    assert declaration.withdrawn_at is not None
    assert declaration.history.filter(event="withdrawn").count() == 1
    with pytest.raises(ValidationError):
        services.withdraw(official, declaration)
    with pytest.raises(ValidationError):
        services.save_draft(official, entry(None), declaration)
    with pytest.raises(ValidationError):
        services.reconfirm(official, declaration)


def test_a_draft_cannot_be_reconfirmed_nor_a_submitted_one_submitted_again(people):
    draft = declared(people, submit=False)
    official = verified(people["employee"])
    with pytest.raises(ValidationError):
        services.reconfirm(official, draft)
    services.submit(official, draft)
    with pytest.raises(ValidationError):
        services.submit(official, draft)


# --- Assessing --------------------------------------------------------------------------------


def test_the_manager_assesses_with_reasons_and_conditions(people):
    declaration = declared(people)
    manager = verified(people["manager"])
    with pytest.raises(ValidationError) as refused:
        services.assess(manager, declaration, "allowed_with_conditions", "", " ")
    assert {"conditions", "reasons"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as refused:
        services.assess(manager, declaration, "maybe", "", "Omdat.")
    assert "decision" in refused.value.message_dict
    services.assess(manager, declaration, "allowed_with_conditions", "Geen aanbesteding.", "Ok.")
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.ASSESSED
    assert declaration.assessed_by == people["manager"]
    with pytest.raises(ValidationError):  # once assessed, not again until changed
        services.assess(manager, declaration, "not_allowed", "", "Toch niet.")


def test_nobody_but_the_assessing_manager_assesses(people):
    declaration = declared(people)
    for username in ("coordinator", "director", "employee", "coordinator-fin", "bzk-coordinator"):
        with pytest.raises(PermissionDenied):
            services.assess(verified(people[username]), declaration, "allowed", "", "Ok.")


def test_a_manager_never_assesses_her_own_and_her_director_does(people):
    own = declared(people, who="manager")
    with pytest.raises(PermissionDenied):
        services.assess(verified(people["manager"]), own, "allowed", "", "Ok.")
    services.assess(verified(people["director"]), own, "allowed", "", "Ok.")


def test_a_unit_without_a_manager_is_assessed_by_the_manager_above(people):
    director = verified(people["director"])
    # Directie Ambtenaar en Organisatie is led by the director; Team Integriteit en Ethiek has
    # its own manager, so the director does not assess the team.
    assert access.assessed_unit_ids(director) == {people["manager"].unit_id}
    manager = verified(people["manager"])
    assert access.assessed_unit_ids(manager) == {people["employee"].unit_id}


# --- Who reads a declaration ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("employee", True),
        ("manager", True),
        ("coordinator", True),
        ("director", False),
        ("coordinator-fin", False),
        ("employee-fin", False),
        ("bzk-coordinator", False),
        ("auditor", False),
        ("admin", False),
        ("adviser", False),
        ("authority", False),
    ],
)
def test_who_reads_a_declaration(people, username, sees):
    declaration = declared(people)
    user = verified(people[username])
    assert access.declarations_visible_to(user).filter(pk=declaration.pk).exists() is sees


def test_another_official_and_a_manager_of_another_organisation_read_nothing(people):
    declaration = declared(people)
    for user in (
        colleague(),
        colleague("Directie Douane en Accijnzen", "fin", role="manager"),
    ):
        assert not access.declarations_visible_to(verified(user)).filter(pk=declaration.pk)


def test_a_draft_is_the_officials_alone(people):
    draft = declared(people, submit=False)
    assert access.declarations_visible_to(verified(people["employee"])).filter(pk=draft.pk)
    for username in ("manager", "coordinator"):
        assert not access.declarations_visible_to(verified(people[username])).filter(pk=draft.pk)


def test_a_password_only_login_reads_nothing(people):
    declaration = declared(people)
    fresh = User.objects.get(username="employee")  # not through `verified`
    fresh.is_verified = lambda: False  # type: ignore[attr-defined]
    assert not access.declarations_visible_to(fresh).filter(pk=declaration.pk)


# --- The publication rule ------------------------------------------------------------------


def _published(on=None) -> set[int]:
    return set(selectors.published(bzk(), on).values_list("pk", flat=True))


def test_an_allowed_declaration_in_a_designated_function_with_publication_duty_is_published(
    people,
):
    function = designated(people)
    allowed = declared(people, function, decision="allowed")
    conditions = declared(people, function, decision="allowed_with_conditions", paid=False)
    assert _published() == {allowed.pk, conditions.pk}


def test_what_is_not_published(people):
    function = designated(people)
    waiting = declared(people, function)
    refused = declared(people, function, decision="not_allowed")
    draft = declared(people, function, submit=False)
    ended = declared(
        people,
        function,
        decision="allowed",
        days_ago=60,
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert not _published() & {waiting.pk, refused.pk, draft.pk, ended.pk}
    assert _published() == set()


def test_not_designated_is_not_published(people):
    allowed = declared(people, None, decision="allowed")
    assert allowed.pk not in _published()


def test_designated_without_publication_duty_is_not_published(people):
    function = designated(people, publish=False)
    allowed = declared(people, function, decision="allowed")
    assert allowed.pk not in _published()


def test_a_withdrawn_declaration_leaves_the_publication(people):
    function = designated(people)
    allowed = declared(people, function, decision="allowed")
    assert allowed.pk in _published()
    services.withdraw(verified(people["employee"]), allowed)
    assert allowed.pk not in _published()


def test_the_publication_follows_the_function(people):
    """Leaving the function, or the function losing its publication duty or being retired,
    takes the declaration off the page."""
    function = designated(people)
    allowed = declared(people, function, decision="allowed")
    coordinator = verified(people["coordinator"])
    services.update_function(coordinator, function, publish=False, financial=True, active=True)
    assert allowed.pk not in _published()
    services.update_function(coordinator, function, publish=True, financial=True, active=False)
    assert allowed.pk not in _published()
    services.update_function(coordinator, function, publish=True, financial=True, active=True)
    assert allowed.pk in _published()
    assignment = function.assignments.get()
    services.end_assignment(coordinator, assignment, timezone.localdate())
    assert allowed.pk in _published()  # the last day still counts
    assert allowed.pk not in _published(timezone.localdate() + datetime.timedelta(days=1))


def test_a_changed_declaration_leaves_the_publication_until_allowed_again(people):
    function = designated(people)
    allowed = declared(people, function, decision="allowed")
    services.save_draft(verified(people["employee"]), entry(function), allowed)
    assert allowed.pk not in _published()


# --- Designated functions and oaths -----------------------------------------------------------


def test_only_the_coordinator_configures_functions_and_records_oaths(people):
    for username in ("manager", "bzk-coordinator", "coordinator-fin", "admin", "employee"):
        user = verified(people[username])
        with pytest.raises(PermissionDenied):
            services.add_function(user, bzk(), "Inkoper", True, True)
        with pytest.raises(PermissionDenied):
            services.record_oath(
                user, bzk(), people["employee"], OathKind.OATH, timezone.localdate(), "SG"
            )


def test_a_function_name_is_unique_and_assignment_dates_in_order(people):
    function = designated(people, holder=None)
    coordinator = verified(people["coordinator"])
    with pytest.raises(ValidationError):
        services.add_function(coordinator, bzk(), "inkoper", True, True)
    with pytest.raises(ValidationError):
        services.assign_function(
            coordinator,
            function,
            people["employee"],
            timezone.localdate(),
            timezone.localdate() - datetime.timedelta(days=1),
        )


def test_an_oath_is_recorded_with_who_and_before_whom_and_not_in_the_future(people):
    coordinator = verified(people["coordinator"])
    oath = services.record_oath(
        coordinator, bzk(), people["employee"], OathKind.OATH, timezone.localdate(), "De SG"
    )
    assert (oath.recorded_by, oath.taken_before, oath.kind) == (coordinator, "De SG", "oath")
    with pytest.raises(ValidationError):
        services.record_oath(
            coordinator,
            bzk(),
            people["employee"],
            OathKind.AFFIRMATION,
            timezone.localdate() + datetime.timedelta(days=1),
            "De SG",
        )
    assert OathRecord.objects.count() == 1
    assert set(access.oaths_visible_to(verified(people["employee"]))) == {oath}
    assert not access.oaths_visible_to(verified(people["manager"])).exists()
    assert not access.oaths_visible_to(verified(people["coordinator-fin"])).exists()


# --- Financial interests ---------------------------------------------------------------------

SECRET = "Aandelen in Kantoorleverancier Delta BV"


def test_a_financial_interest_is_sealed_and_read_only_by_official_assessor_and_coordinator(
    people,
):
    function = designated(people)
    interest = services.declare_interest(
        verified(people["employee"]), function, InterestKind.SECURITIES, SECRET
    )
    stored = FinancialInterest.objects.get(pk=interest.pk)
    assert SECRET.encode() not in bytes(stored.sealed_description)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed_description FROM prevention_financialinterest")
        assert all(SECRET.encode() not in bytes(row[0]) for row in cursor.fetchall())
    for username in ("employee", "manager", "coordinator"):
        user = verified(people[username])
        [view] = services.opened_interests(user, [stored])
        assert view.description == SECRET
    for username in ("director", "coordinator-fin", "bzk-coordinator", "auditor", "admin"):
        user = verified(people[username])
        assert not access.interests_visible_to(user).exists()
        with pytest.raises(PermissionDenied):
            services.opened_interests(user, [stored])
    assert not access.interests_visible_to(verified(colleague())).exists()
    # Reads by others are audited; the official's own are not.
    readers = set(
        AuditEntry.objects.filter(action="financialinterest.read").values_list(
            "actor_label", flat=True
        )
    )
    assert readers == {"manager", "coordinator"}


def test_only_a_function_that_declares_interests_lets_one_declare(people):
    function = designated(people, financial=False)
    with pytest.raises(ValidationError):
        services.declare_interest(
            verified(people["employee"]), function, InterestKind.FINANCIAL_INTEREST, SECRET
        )
    with pytest.raises(ValidationError):
        services.declare_interest(
            verified(people["employee"]), None, InterestKind.FINANCIAL_INTEREST, SECRET
        )
    assert not FinancialInterest.objects.exists()


def test_withdrawing_a_financial_interest(people):
    function = designated(people)
    official = verified(people["employee"])
    interest = services.declare_interest(official, function, InterestKind.SECURITIES, SECRET)
    with pytest.raises(PermissionDenied):
        services.withdraw_interest(verified(people["coordinator"]), interest)
    services.withdraw_interest(official, interest)
    with pytest.raises(ValidationError):
        services.withdraw_interest(official, interest)


# --- Re-confirmation ---------------------------------------------------------------------------


def test_a_declaration_confirmed_over_a_year_ago_is_due_and_reminded_once(people, settings):
    declaration = declared(people)
    now = timezone.now()
    assert not services.is_due(declaration, now)
    later = now + datetime.timedelta(days=366)
    assert services.is_due(declaration, later)
    mail.outbox.clear()
    first = send_due_reminders(later)
    mine = [item for item in first.sent if item.kind == "side_activity_reconfirmation"]
    assert len(mine) == 1 and mine[0].recipients == 1
    assert ReconfirmationReminder.objects.filter(declaration=declaration).count() == 1
    again = send_due_reminders(later)
    assert not [item for item in again.sent if item.kind == "side_activity_reconfirmation"]
    # Re-confirmed: nothing due until a year after that.
    SideActivity.objects.filter(pk=declaration.pk).update(confirmed_at=later)
    declaration.refresh_from_db()
    assert not services.is_due(declaration, later)


def test_reconfirming_records_a_version(people):
    declaration = declared(people)
    services.reconfirm(verified(people["employee"]), declaration)
    assert declaration.history.filter(event="reconfirmed").count() == 1


def test_a_withdrawn_or_draft_declaration_is_never_due(people):
    draft = declared(people, submit=False)
    withdrawn = declared(people)
    services.withdraw(verified(people["employee"]), withdrawn)
    later = timezone.now() + datetime.timedelta(days=400)
    assert not selectors.due_for_reconfirmation(later).filter(pk__in=[draft.pk, withdrawn.pk])


def test_a_financial_interest_survives_a_kek_rotation(key_file, people):
    """FinancialInterest is a registered key holder: `rewrap_keys` reaches it, and it opens with
    only the new KEK."""
    function = designated(people)
    interest = services.declare_interest(
        verified(people["employee"]), function, InterestKind.SECURITIES, SECRET
    )
    old_version = keyring().current_kek
    call_command("generate_keys", rotate=True, stdout=StringIO())
    keyring.cache_clear()
    out = StringIO()
    call_command("rewrap_keys", stdout=out)
    assert "prevention.FinancialInterest: 1 re-wrapped" in out.getvalue()
    assert old_version not in kek_versions_in_use()
    document = json.loads(key_file.read_text())
    current = keyring().current_kek
    document["keks"] = {current: document["keks"][current]}
    write_key_file(key_file, json.dumps(document))
    keyring.cache_clear()
    [view] = services.opened_interests(
        verified(people["employee"]), [FinancialInterest.objects.get(pk=interest.pk)]
    )
    assert view.description == SECRET


def test_a_manager_row_whose_seal_fails_assesses_and_reads_nothing(people):
    """A manager row changed in the database without the key (ADR 0012) gives no access."""
    declaration = declared(people)
    RoleAssignment.objects.filter(user=people["manager"], role=Role.MANAGER).update(seal="0" * 64)
    manager = verified(User.objects.get(username="manager"))
    assert access.led_unit_ids(manager) == set()
    assert not access.declarations_visible_to(manager).filter(pk=declaration.pk).exists()
    with pytest.raises(PermissionDenied):
        services.assess(manager, declaration, "allowed", "", "Ok.")
