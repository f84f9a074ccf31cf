"""Who is accused, who testified and who declared a conflict is not readable in a database copy
(issue 8 item 3; docs/decisions/0013): the subject, the interviewees and the colleague of a
declared conflict are keyed tags plus ids sealed under a data key, never user ids; what the
portal, assignments and retention need still works through the tags."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from integriteit.audit.models import AuditEntry
from integriteit.cases import retention, services
from integriteit.cases.constants import CaseRole, HearingForm, ReferralTarget
from integriteit.cases.models import DeclaredConflict, Hearing, Subject
from integriteit.cases.tests.flow import Flow, verified
from integriteit.crypto.envelope import DecryptionError
from integriteit.crypto.references import tag_for
from integriteit.crypto.tokens import person_tag
from integriteit.investigations import selectors as investigation_selectors
from integriteit.investigations import services as investigation_services
from integriteit.investigations.access import interviews_visible_to, report_versions_visible_to
from integriteit.investigations.models import Interview
from integriteit.investigations.tests.portal_case import PortalCase, fake_render  # noqa: F401
from integriteit.reports.constants import Phase
from integriteit.testing import table_holds, user_references

pytestmark = pytest.mark.django_db


# --- Regression: no user id in a referencing column ---------------------------------------------


def test_case_rows_hold_no_user_id_of_subject_witness_or_declared_colleague(people):
    """Fails on the old schema: cases_subject.person_id, investigations_interview.interviewee_id
    and cases_declaredconflict.person_id held the accounts in the clear."""
    case = PortalCase(people)  # the employee is the subject, the guide a witness
    case.record_interviews()
    investigation_services.approve_record(
        case.witness, case.interview(case.witness_interview)
    )  # the witness acts in the portal
    declared = people["director"]
    services.declare_conflict(verified(people["coordinator"]), declared)

    marked = {case.subject_person.pk, case.witness.pk, declared.pk}
    assert user_references(marked) == []
    assert Subject.objects.get(report=case.report).person_tag == tag_for(
        Subject, "person", case.subject_person.pk
    )


def test_the_tags_of_one_person_differ_per_kind_of_reference(people):
    """A database reader cannot match the subject of one case with a witness, the colleague of a
    declared conflict or an exclusion elsewhere: the tag differs per kind of reference."""
    case = PortalCase(people)
    employee = case.subject_person  # the subject, interviewed as such
    services.declare_conflict(verified(people["coordinator"]), employee)
    tags = {
        Subject.objects.get(report=case.report).person_tag,
        case.interview(case.subject_interview).interviewee_tag,
        DeclaredConflict.objects.get().person_tag,
        person_tag(employee.pk),  # the exclusion tag of ADR 0004
    }
    assert len(tags) == 4
    assert case.report.exclusions.filter(person_tag=person_tag(employee.pk)).exists()


def test_who_assisted_and_the_adviser_named_are_not_in_the_clear(people):
    """Fails on the old schema: cases_hearing.assisted_by and investigations_interview.adviser
    were plain text columns."""
    case = PortalCase(people)
    investigation_services.record_interview(
        case.investigator, case.subject_interview, "Verslag.", adviser="Mr. Zeldzaam Raadsman"
    )
    # Hearings are recorded in the decision phase (cases.guards), on a case of its own here.
    flow = Flow(people).to(Phase.DECISION)
    services.record_hearing(
        flow.authority,
        flow.report,
        flow.report.subjects.get(),
        held_on=timezone.localdate(),
        form=HearingForm.ORAL,
        assisted_by="Vakbondsjurist Bijzonder",
        record_text="Gehoord.",
    )
    assert not table_holds("investigations_interview", "Zeldzaam")
    assert not table_holds("cases_hearing", "Bijzonder")


def test_the_referral_organisation_is_not_in_the_clear(people):
    flow = Flow(people).to(Phase.FOLLOW_UP_DECISION)
    flow.decide(
        "referral",
        referral_target=ReferralTarget.OTHER_ORGANISATION,
        referral_organisation="Inspectie Uitzonderlijk",
    )
    assert not table_holds("cases_followup", "Uitzonderlijk")


def test_the_audit_trail_names_a_subject_or_witness_by_role_and_tag(people):
    """Fails on old code: the portal's approvals were audited with the witness's account as
    actor and the case as object, so the audit trail said who testified."""
    case = PortalCase(people)
    case.record_interviews()
    investigation_services.approve_record(case.witness, case.interview(case.witness_interview))
    entry = AuditEntry.objects.get(action="investigation.record_approved")
    assert entry.actor_id is None and entry.actor_label == "interviewee"
    assert entry.detail["by"] == tag_for(Interview, "interviewee", case.witness.pk)
    assert case.witness.username not in str(entry.detail)


def test_the_audit_entry_of_a_declared_conflict_does_not_name_the_colleague(people):
    coordinator = verified(people["coordinator"])
    conflict = services.declare_conflict(coordinator, people["director"])
    declared = conflict.pk
    services.withdraw_conflict(coordinator, conflict)
    entries = AuditEntry.objects.filter(action__startswith="conflict.")
    assert [entry.detail for entry in entries] == [{"conflict": declared}] * 2


# --- The lookups still work through the tags ---------------------------------------------------


def test_portal_lookups_find_people_by_tag_only(people, fake_render):  # noqa: F811
    case = PortalCase(people)
    assert set(interviews_visible_to(case.witness)) == {case.interview(case.witness_interview)}
    assert set(interviews_visible_to(case.subject_person)) == {
        case.interview(case.subject_interview)
    }
    assert not interviews_visible_to(verified(people["manager"])).exists()
    draft = case.to_draft()
    case.offer_draft()
    assert list(report_versions_visible_to(case.subject_person)) == [draft]
    assert not report_versions_visible_to(case.witness).exists()
    assert investigation_selectors.is_subject(case.subject_person, case.investigation)
    assert not investigation_selectors.is_subject(case.witness, case.investigation)


def test_assignment_refusals_find_named_people_subjects_and_conflicts(people):
    """A declared conflict with the subject, the subject themselves, and an investigator from the
    subject's unit are refused; the check reads tags and the sealed subject ids."""
    flow = Flow(people).to(Phase.INVESTIGATION)
    subject_person = people["employee"]
    services.record_subject(flow.coordinator, flow.report, person=subject_person)
    services.declare_conflict(verified(people["guide"]), subject_person)
    colleague = people["manager"]
    colleague.unit = subject_person.unit
    colleague.save(update_fields=["unit"])
    with translation.override("en"):
        guide = services.assignment_refusals(flow.report, people["guide"], CaseRole.PROCESS_GUIDE)
        subject = services.assignment_refusals(flow.report, subject_person, CaseRole.HANDLER)
        same_unit = services.assignment_refusals(flow.report, colleague, CaseRole.INVESTIGATOR)
    assert "This person declared a conflict of interest with someone named." in guide
    assert "This person is named in the report." in subject
    assert "An investigator may not work in the subject's unit." in same_unit


def test_the_declarant_sees_and_withdraws_only_their_own_declarations(people, staff_client):
    guide, other = verified(people["guide"]), verified(people["investigator"])
    conflict = services.declare_conflict(guide, people["employee"])
    assert services.declare_conflict(guide, people["employee"]).pk == conflict.pk  # once
    assert list(services.declared_conflicts_of(guide)) == [conflict]
    assert not services.declared_conflicts_of(other).exists()
    page = staff_client(people["investigator"]).get("/en/behandeling/belangenverstrengeling/")
    assert "Withdraw the declaration about" not in page.content.decode()
    page = staff_client(people["guide"]).get("/en/behandeling/belangenverstrengeling/")
    assert f"Withdraw the declaration about {people['employee']}" in page.content.decode()
    with pytest.raises(PermissionDenied):
        services.withdraw_conflict(other, conflict)
    assert DeclaredConflict.objects.filter(pk=conflict.pk).exists()


# --- Tampering ----------------------------------------------------------------------------------


def test_a_sealed_reference_moved_to_another_row_does_not_open(people):
    from integriteit.cases.people import person_id_of

    flow = Flow(people).to(Phase.INVESTIGATION)
    first = services.record_subject(flow.coordinator, flow.report, person=people["employee"])
    second = services.record_subject(flow.coordinator, flow.report, person=people["manager"])
    # A database writer points the second subject at the first one's person.
    Subject.objects.filter(pk=second.pk).update(
        person_tag=first.person_tag, sealed_person=first.sealed_person
    )
    with pytest.raises(DecryptionError):
        person_id_of(Subject.objects.get(pk=second.pk), "person")
    assert person_id_of(Subject.objects.get(pk=first.pk), "person") == people["employee"].pk


def test_a_sealed_hearing_assistant_moved_to_another_case_does_not_open(people):
    flows = [Flow(people).to(Phase.DECISION) for _ in range(2)]
    hearings = []
    for flow in flows:
        subject = flow.report.subjects.get()
        hearings.append(flow.record_hearing(subject))
    Hearing.objects.filter(pk=hearings[1].pk).update(
        sealed_assisted_by=hearings[0].sealed_assisted_by
    )
    with pytest.raises(DecryptionError):
        services.open_on(Hearing.objects.get(pk=hearings[1].pk), "sealed_assisted_by")


# --- Retention ------------------------------------------------------------------------------------


def test_retention_removes_the_lookup_tags_with_the_personal_data(
    people, django_capture_on_commit_callbacks
):
    """A tag left behind would still link the person to the case for whoever holds the key."""
    case = PortalCase(people)
    report = case.report
    report.phase, report.closed_at = Phase.CLOSED, timezone.now() - datetime.timedelta(days=7 * 365)
    report.retention_until = timezone.now() - datetime.timedelta(days=1)
    report.save(update_fields=["phase", "closed_at", "retention_until"])

    with django_capture_on_commit_callbacks(execute=True):
        run = retention.remove_personal_data()

    assert [removed.reference for removed in run.removed] == [report.reference]
    for person in (case.subject_person, case.witness):
        tag = tag_for(Subject, "person", person.pk)
        assert not Subject.objects.filter(person_tag=tag).exists()
        tag = tag_for(Interview, "interviewee", person.pk)
        assert not Interview.objects.filter(interviewee_tag=tag).exists()
        assert not report.exclusions.filter(person_tag=person_tag(person.pk)).exists()
        assert not interviews_visible_to(person).exists()
        assert not report_versions_visible_to(person).exists()
    assert not Subject.objects.filter(report=report).exclude(sealed_person=None).exists()
    assert not Interview.objects.filter(investigation__report=report).exclude(
        sealed_interviewee=None
    )
