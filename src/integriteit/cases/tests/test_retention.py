"""Removing personal data after the retention term (RULES R9; issue 3 §8; ADR 0008)."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from integriteit.audit.models import AuditEntry
from integriteit.audit.services import verify_chain
from integriteit.cases import services
from integriteit.cases.constants import (
    AftercareAudience,
    CaseRole,
    ConflictCheckItem,
    FollowUpRoute,
    HearingForm,
    OrderMeasureKind,
    SubjectInformedHow,
)
from integriteit.cases.models import (
    AftercareAction,
    Assessment,
    CaseAssignment,
    Decision,
    DisadvantageSignal,
    Evaluation,
    Feedback,
    Finding,
    FollowUp,
    Hearing,
    Measure,
    OrderMeasure,
    PhaseChange,
    Subject,
)
from integriteit.cases.retention import RetentionRefused, remove_personal_data
from integriteit.crypto.envelope import DecryptionError
from integriteit.crypto.keys import keyring
from integriteit.deadlines.services import add_months
from integriteit.organisations.models import Organisation
from integriteit.reports.attachments import clean
from integriteit.reports.constants import Phase
from integriteit.reports.models import Attachment, Message, Report, ReporterIdentity
from integriteit.reports.receipts import new_submission_token
from integriteit.reports.sealing import attachment_path, open_content, sealer_for
from integriteit.reports.selectors import messages_of, report_attachments

from .flow import verified

pytestmark = pytest.mark.django_db

DESCRIPTION = "Jan Jansen vervalst bonnen bij inkoop op de derde verdieping."
REPORTER_NAME = "Karin Klokkenluider"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, format="PNG")
    return out.getvalue()


PNG = png()


def fresh(report: Report) -> Report:
    return Report.objects.get(pk=report.pk)


def closed_case(people, make_report, organisation: str = "bzk") -> Report:
    """A named report with a file, taken through investigation, decision, measures, aftercare
    and evaluation to closure with the real services: every kind of personal data recorded."""
    coordinator = verified(people["coordinator"])
    authority = verified(people["authority"])
    investigator = verified(people["investigator"])
    guide = verified(people["guide"])
    if organisation != "bzk":
        coordinator = authority = investigator = guide = verified(people["coordinator-fin"])
    report, _code = make_report(
        organisation,
        description=DESCRIPTION,
        name=REPORTER_NAME,
        email="karin@example.org",
        involved=(people["employee"],) if organisation == "bzk" else (),
        files=(("bewijs.png", PNG),),
    )
    services.acknowledge(coordinator, fresh(report), "Ontvangen.")
    services.send_message(
        coordinator, fresh(report), "Kunt u meer vertellen?", [clean("vraag.png", PNG)]
    )
    services.start_assessment(coordinator, fresh(report))
    services.record_assessment(
        coordinator,
        fresh(report),
        in_scope=True,
        urgency="normal",
        kind="integrity_violation",
        type_codes=["financial"],
        notes="Notitie over Jan Jansen.",
    )
    if organisation == "bzk":
        services.assign(coordinator, fresh(report), authority, CaseRole.COMPETENT_AUTHORITY)
        services.assign(coordinator, fresh(report), investigator, CaseRole.INVESTIGATOR)
        services.assign(coordinator, fresh(report), guide, CaseRole.PROCESS_GUIDE)
    else:
        for role in (CaseRole.COMPETENT_AUTHORITY, CaseRole.INVESTIGATOR):
            CaseAssignment.objects.create(
                report=report, user=coordinator, role=role, assigned_by=coordinator
            )
    for item in ConflictCheckItem:
        services.check_conflict_item(coordinator, fresh(report), item)
    services.complete_assessment(coordinator, fresh(report))
    services.decide_follow_up(
        authority, fresh(report), FollowUpRoute.INVESTIGATION, "Reden met Jan Jansen."
    )
    subject = services.record_subject(
        investigator, fresh(report), person=None, description="Jan Jansen, inkoper"
    )
    services.record_subject_informed(
        investigator,
        subject,
        informed_at=timezone.now() - datetime.timedelta(hours=1),
        how=SubjectInformedHow.IN_PERSON,
        note="Gesprek met Jan Jansen.",
    )
    services.record_outcome(investigator, fresh(report), "Jan Jansen heeft het gedaan.")
    services.impose_order_measure(
        authority,
        fresh(report),
        subject,
        kind=OrderMeasureKind.SUSPENSION,
        reason="Jan Jansen blijft thuis.",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    services.complete_investigation(investigator, fresh(report))
    services.record_decision(
        authority,
        fresh(report),
        summary="Jan Jansen heeft bonnen vervalst.",
        findings={"financial": True},
        decided_on=timezone.localdate(),
    )
    services.record_hearing(
        authority,
        fresh(report),
        subject,
        held_on=timezone.localdate(),
        form=HearingForm.BOTH,
        assisted_by="Mr. Advocaat",
        record_text="Jan Jansen zegt dat het niet zo is.",
    )
    services.impose_measure(
        authority, fresh(report), subject, "written_reprimand", timezone.localdate()
    )
    services.complete_decision(authority, fresh(report))
    services.give_final_feedback(coordinator, fresh(report), "De uitkomst voor Karin.")
    action = services.plan_aftercare(
        guide,
        fresh(report),
        audience=AftercareAudience.REPORTER,
        description="Nagesprek met Karin.",
        due_on=timezone.localdate(),
    )
    services.finish_aftercare(guide, action)
    signal = services.record_disadvantage(guide, fresh(report), "Karin wordt gepest.")
    services.handle_disadvantage(coordinator, signal)
    services.complete_aftercare(coordinator, fresh(report), "Wilt u het proces beoordelen?")
    services.answer_evaluation(
        fresh(report),
        felt_safe=4,
        kept_informed=3,
        taken_seriously=5,
        would_report_again=True,
        comment="Dank aan Ilse.",
    )
    services.close(coordinator, fresh(report))
    # A reopening reason, as a reopened and closed-again case would carry (test setup).
    change = PhaseChange.objects.filter(report=report).last()
    assert change is not None
    change.sealed_reason = sealer_for(report).seal_text(
        f"phase_change:{change.pk}", "reason", "Nieuwe feiten van Karin."
    )
    change.save(update_fields=["sealed_reason"])
    return fresh(report)


def after_term(report: Report, days: int = 1) -> datetime.datetime:
    assert report.retention_until is not None
    return report.retention_until + datetime.timedelta(days=days)


def test_close_sets_the_retention_date_from_the_organisation(people, make_report):
    report = closed_case(people, make_report)
    assert report.closed_at is not None
    assert report.retention_until == add_months(report.closed_at, 60)  # RULES R9 default 5


def test_removal_takes_personal_data_and_keeps_registry_facts(
    people, make_report, django_capture_on_commit_callbacks
):
    report = closed_case(people, make_report)
    files = [attachment_path(a) for a in report.attachments.all()]
    assert len(files) == 2 and all(path.exists() for path in files)
    registry_before = {
        "organisation": report.organisation_id,
        "kind": report.kind,
        "classified_kind": report.classified_kind,
        "classified_types": list(report.classified_types.values_list("code", flat=True)),
        "reported_types": list(report.reported_types.values_list("code", flat=True)),
        "channel": report.channel,
        "form": report.form,
        "received_at": report.received_at,
        "acknowledged_at": report.acknowledged_at,
        "closed_at": report.closed_at,
        "feedback_given_at": report.feedback_given_at,
    }

    with django_capture_on_commit_callbacks(execute=True):
        run = remove_personal_data(after_term(report))

    assert [case.reference for case in run.removed] == [report.reference]
    report = fresh(report)
    assert report.personal_data_removed_at == after_term(report)
    # Removed: identity, contents, messages, files (on disk too), exclusions, receipt.
    assert not ReporterIdentity.objects.filter(report=report).exists()
    assert not Message.objects.filter(report=report).exists()
    assert not Attachment.objects.filter(report=report).exists()
    assert not any(path.exists() for path in files)
    assert not report.exclusions.exists()
    assert report.receipt_lookup is None and report.receipt_hash == ""
    # Crypto-shredded: the data key is gone.
    assert bytes(report.wrapped_key) == b"" and bytes(report.sealed_content) == b""
    with pytest.raises(DecryptionError):
        sealer_for(report).open_text("report", "content", b"\x01" + b"0" * 40)
    # Sealed free text of the case records is gone; person links too.
    subject = Subject.objects.get(report=report)
    assert subject.person_tag == "" and subject.sealed_person is None
    assert subject.sealed_description is None and subject.sealed_informed_note is None
    hearing = Hearing.objects.get(report=report)
    assert bytes(hearing.sealed_record) == b"" and hearing.sealed_assisted_by is None
    assert bytes(AftercareAction.objects.get(report=report).sealed_description) == b""
    assert bytes(DisadvantageSignal.objects.get(report=report).sealed_description) == b""
    assert bytes(OrderMeasure.objects.get(report=report).sealed_reason) == b""
    follow_up = FollowUp.objects.get(report=report)
    assert bytes(follow_up.sealed_reason) == b"" and follow_up.sealed_outcome is None
    assert follow_up.sealed_referral_organisation is None
    assert Assessment.objects.get(report=report).sealed_notes is None
    assert bytes(Decision.objects.get(report=report).sealed_summary) == b""
    assert Evaluation.objects.get(report=report).sealed_comment is None
    assert not PhaseChange.objects.filter(report=report).exclude(sealed_reason=None).exists()

    # Kept: the anonymous registry facts.
    assert {
        "organisation": report.organisation_id,
        "kind": report.kind,
        "classified_kind": report.classified_kind,
        "classified_types": list(report.classified_types.values_list("code", flat=True)),
        "reported_types": list(report.reported_types.values_list("code", flat=True)),
        "channel": report.channel,
        "form": report.form,
        "received_at": report.received_at,
        "acknowledged_at": report.acknowledged_at,
        "closed_at": report.closed_at,
        "feedback_given_at": report.feedback_given_at,
    } == registry_before
    assert report.phase == Phase.CLOSED
    assert follow_up.route == FollowUpRoute.INVESTIGATION
    finding = Finding.objects.get(decision__report=report)
    assert finding.violation_type.code == "financial" and finding.established is True
    measure = Measure.objects.get(report=report)
    assert measure.measure_type.code == "written_reprimand" and measure.imposed_on
    order = OrderMeasure.objects.get(report=report)
    assert order.kind == OrderMeasureKind.SUSPENSION and order.starts_on and order.ends_on
    hearing = Hearing.objects.get(report=report)
    assert hearing.held_on and hearing.form == HearingForm.BOTH
    evaluation = Evaluation.objects.get(report=report)
    assert (evaluation.felt_safe, evaluation.kept_informed, evaluation.taken_seriously) == (4, 3, 5)
    assert Feedback.objects.filter(report=report).count() == 1
    assert PhaseChange.objects.filter(report=report).count() == 9

    # One audit entry, by the system, with counts and without contents.
    entry = AuditEntry.objects.get(action="case.personal_data_removed", object_id=str(report.pk))
    assert entry.actor_label == "system" and entry.actor_id is None
    removed = entry.detail["removed"]
    assert removed["reporter_identity"] == 1
    assert removed["attachments"] == 2 and removed["attachment_files"] == 2
    assert removed["messages"] == 4
    assert removed["subjects"] == 1 and removed["phase_change_reasons"] == 1
    assert "Jan" not in str(entry.detail) and "Karin" not in str(entry.detail)
    assert verify_chain().intact


def test_no_plaintext_of_the_case_is_left_in_the_database(
    people, make_report, django_capture_on_commit_callbacks
):
    report = closed_case(people, make_report)
    with django_capture_on_commit_callbacks(execute=True):
        remove_personal_data(after_term(report))
    report = fresh(report)
    # What the app still reads of the case works and is empty.
    assert open_content(report).description == ""
    assert messages_of(report, for_staff=True) == []
    assert report_attachments(report) == []
    assert services.open_on(Subject.objects.get(report=report), "sealed_description") == ""
    assert services.open_on(Decision.objects.get(report=report), "sealed_summary") == ""


def test_removal_is_idempotent(people, make_report, django_capture_on_commit_callbacks):
    report = closed_case(people, make_report)
    moment = after_term(report)
    with django_capture_on_commit_callbacks(execute=True):
        first = remove_personal_data(moment)
        second = remove_personal_data(moment + datetime.timedelta(days=1))
    assert first.total == 1 and second.total == 0
    assert (
        AuditEntry.objects.filter(
            action="case.personal_data_removed", object_id=str(report.pk)
        ).count()
        == 1
    )
    assert fresh(report).personal_data_removed_at == moment


def test_a_case_closed_less_than_the_term_ago_is_untouched(people, make_report):
    report = closed_case(people, make_report)
    assert report.retention_until is not None
    run = remove_personal_data(report.retention_until - datetime.timedelta(minutes=1))
    assert run.total == 0
    report = fresh(report)
    assert report.personal_data_removed_at is None
    assert open_content(report).description == DESCRIPTION
    assert ReporterIdentity.objects.filter(report=report).exists()


def test_the_organisation_term_is_respected(people, make_report):
    Organisation.objects.filter(slug="fin").update(retention_years=1)
    short = closed_case(people, make_report, organisation="fin")
    default = closed_case(people, make_report)
    assert short.closed_at is not None
    assert short.retention_until == add_months(short.closed_at, 12)
    two_years = timezone.now() + datetime.timedelta(days=2 * 366)
    run = remove_personal_data(two_years)
    assert [case.reference for case in run.removed] == [short.reference]
    assert fresh(short).personal_data_removed_at is not None
    assert fresh(default).personal_data_removed_at is None
    assert remove_personal_data(after_term(default)).total == 1


def test_a_lengthened_term_holds_cases_closed_under_the_shorter_one(people, make_report):
    report = closed_case(people, make_report)
    Organisation.objects.filter(slug="bzk").update(retention_years=7)
    assert remove_personal_data(after_term(report)).total == 0
    assert report.closed_at is not None
    assert remove_personal_data(report.closed_at + datetime.timedelta(days=7 * 366)).total == 1


def test_open_cases_are_never_touched(people, make_report):
    open_report, _code = make_report(description=DESCRIPTION)
    services.acknowledge(verified(people["coordinator"]), open_report, "Ontvangen.")
    far_future = timezone.now() + datetime.timedelta(days=50 * 366)
    assert remove_personal_data(far_future).total == 0
    assert fresh(open_report).personal_data_removed_at is None
    assert open_content(fresh(open_report)).description == DESCRIPTION


def test_refuses_when_an_open_case_would_be_removed(people, make_report):
    open_report, _code = make_report(description=DESCRIPTION)
    # A retention date on a case that is not closed (bad data or a manual change).
    Report.objects.filter(pk=open_report.pk).update(
        retention_until=timezone.now() - datetime.timedelta(days=1)
    )
    closed = closed_case(people, make_report)
    with pytest.raises(RetentionRefused) as refused:
        remove_personal_data(after_term(closed))
    assert open_report.reference in str(refused.value)
    # Nothing was removed, not even the closed case.
    assert fresh(closed).personal_data_removed_at is None
    assert fresh(open_report).personal_data_removed_at is None
    with pytest.raises(CommandError, match="Refusing"):
        call_command("remove_personal_data", stdout=io.StringIO())


def test_refuses_a_term_shorter_than_the_minimum(people, make_report):
    Organisation.objects.filter(slug="fin").update(retention_years=0)
    with pytest.raises(RetentionRefused, match="fin"):
        remove_personal_data()


def test_a_case_with_an_open_complaint_is_held_back(people, make_report):
    report = closed_case(people, make_report)
    complaint, _code = services.file_complaint(
        report, "De behandeling was slecht.", new_submission_token()
    )
    # Filed shortly before the retention date (the hold is bounded from the complaint's receipt).
    received = after_term(report) - datetime.timedelta(days=30)
    Report.objects.filter(pk=complaint.pk).update(received_at=received)
    run = remove_personal_data(after_term(report))
    assert run.total == 0 and run.held_back == [report.reference]
    assert fresh(report).personal_data_removed_at is None
    Report.objects.filter(pk=complaint.pk).update(phase=Phase.CLOSED)
    assert remove_personal_data(after_term(report)).total == 1


def test_an_unhandled_complaint_does_not_hold_the_data_back_for_ever(people, make_report):
    """Issue 10 defect 3: a complaint nobody handles (nobody independent of the case) held the
    original's personal data back for ever. It holds it at most COMPLAINT_HOLD_MONTHS after it
    was received (RULES R9: no longer than necessary); then the data goes, and the audit entry
    names the complaint still open."""
    report = closed_case(people, make_report)
    complaint, _code = services.file_complaint(
        report, "De behandeling was slecht.", new_submission_token()
    )
    # Filed shortly before the retention date; nobody handles it.
    received = after_term(report) - datetime.timedelta(days=30)
    Report.objects.filter(pk=complaint.pk).update(received_at=received)
    hold_ends = add_months(received, settings.COMPLAINT_HOLD_MONTHS)
    assert remove_personal_data(after_term(report)).held_back == [report.reference]
    assert remove_personal_data(hold_ends - datetime.timedelta(days=1)).held_back
    run = remove_personal_data(hold_ends + datetime.timedelta(days=1))
    assert run.total == 1 and run.held_back == []
    assert fresh(report).personal_data_removed_at is not None
    entry = AuditEntry.objects.get(action="case.personal_data_removed", object_id=str(report.pk))
    assert entry.detail["open_complaints"] == [complaint.reference]


def test_command_dry_run_changes_nothing(people, make_report):
    report = closed_case(people, make_report)
    out = io.StringIO()
    call_command(
        "remove_personal_data", "--dry-run", "--now", after_term(report).isoformat(), stdout=out
    )
    assert f"Would remove personal data of {report.reference}" in out.getvalue()
    assert fresh(report).personal_data_removed_at is None
    assert ReporterIdentity.objects.filter(report=report).exists()
    out = io.StringIO()
    call_command("remove_personal_data", "--now", after_term(report).isoformat(), stdout=out)
    assert "Removed personal data of 1 case(s)." in out.getvalue()
    assert "Jan" not in out.getvalue()


def test_case_page_of_a_removed_case(
    people, make_report, staff_client, django_capture_on_commit_callbacks
):
    report = closed_case(people, make_report)
    with django_capture_on_commit_callbacks(execute=True):
        remove_personal_data(after_term(report))
    response = staff_client(people["coordinator"]).get(f"/behandeling/{report.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert report.reference in page
    assert "Jan Jansen" not in page and REPORTER_NAME not in page
    removed_on = timezone.localtime(fresh(report).personal_data_removed_at)
    assert removed_on.strftime("%Y") in page
    assert 'data-personal-data-removed="' in page


def test_a_removed_case_cannot_be_reopened(people, make_report, django_capture_on_commit_callbacks):
    report = closed_case(people, make_report)
    with django_capture_on_commit_callbacks(execute=True):
        remove_personal_data(after_term(report))
    with pytest.raises(services.TransitionRefused):
        services.reopen(verified(people["coordinator"]), fresh(report), "Toch weer open.")


def test_key_rotation_skips_shredded_cases(
    people, make_report, django_capture_on_commit_callbacks, key_file
):
    removed = closed_case(people, make_report)
    kept, _code = make_report(description=DESCRIPTION)
    with django_capture_on_commit_callbacks(execute=True):
        remove_personal_data(after_term(removed))
    call_command("generate_keys", rotate=True, stdout=io.StringIO())
    keyring.cache_clear()
    out = io.StringIO()
    call_command("rewrap_keys", stdout=out)
    assert "Re-wrapped 1 data key(s)" in out.getvalue()
    assert bytes(fresh(removed).wrapped_key) == b""
    assert open_content(fresh(kept)).description == DESCRIPTION
