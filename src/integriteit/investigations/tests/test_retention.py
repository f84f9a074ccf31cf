"""Retention (RULES R9) also removes the investigation file, through the remover investigations
registers with `cases.retention`; the registry facts stay."""

import datetime

import pytest
from django.utils import timezone

from integriteit.audit.models import AuditEntry
from integriteit.cases import retention
from integriteit.investigations import services
from integriteit.investigations.models import (
    Interview,
    Investigation,
    InvestigationDocument,
    ReportVersion,
    StepRecord,
)
from integriteit.investigations.storage import path_of
from integriteit.reports.attachments import clean
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

from .portal_case import PortalCase

pytestmark = pytest.mark.django_db


def _closed_long_ago(report: Report, now: datetime.datetime) -> None:
    """Closed six years ago, past the default term of five (the case's own closing is tested
    in cases/tests/test_retention.py)."""
    long_ago = now - datetime.timedelta(days=6 * 366)
    Report.objects.filter(pk=report.pk).update(
        phase=Phase.CLOSED, closed_at=long_ago, retention_until=long_ago
    )


def test_a_retention_run_removes_the_investigation_file(people, django_capture_on_commit_callbacks):
    case = PortalCase(people)
    draft = case.to_draft()
    document = services.upload_document(
        case.investigator,
        case.investigation,
        "subject_response",
        "evidence_item",
        clean("bon-17.txt", b"bon 17\n"),
    )
    files = [path_of(document), path_of(draft, "pdf"), path_of(draft, "docx")]
    assert all(path.exists() for path in files)
    now = timezone.now()
    _closed_long_ago(case.report, now)

    with django_capture_on_commit_callbacks(execute=True):
        run = retention.remove_personal_data(now)

    assert [removed.reference for removed in run.removed] == [case.report.reference]
    assert not InvestigationDocument.objects.filter(investigation_id=case.pk).exists()
    assert not ReportVersion.objects.filter(investigation_id=case.pk).exists()
    assert not any(path.exists() for path in files)
    for interview in Interview.objects.filter(investigation_id=case.pk):
        assert interview.interviewee_tag == "" and interview.sealed_interviewee is None
        assert not interview.sealed_record and interview.sealed_adviser is None
        assert not bytes(interview.sealed_invitation) and interview.subject_id is None
    assert not StepRecord.objects.filter(investigation_id=case.pk, sealed_values__isnull=False)
    investigation = Investigation.objects.get(pk=case.pk)
    # What stays: that an investigation took place, under which protocol, and when.
    assert investigation.protocol_id and investigation.commissioned_at
    assert not bytes(investigation.sealed_assignment)
    entry = AuditEntry.objects.get(action="case.personal_data_removed")
    counts = entry.detail["removed"]
    assert (counts["interviews"], counts["investigation_documents"]) == (2, 1)
    assert counts["investigation_reports"] == 1 and counts["data_key"] == 1
    assert Report.objects.get(pk=case.report.pk).kek_version == ""


def test_without_the_registered_remover_the_file_would_stay(people, monkeypatch):
    """The run removes only what the registry holds: cases knows no investigation model."""
    monkeypatch.setattr(retention, "REMOVERS", [])
    case = PortalCase(people)
    case.record_interviews()
    now = timezone.now()
    _closed_long_ago(case.report, now)
    retention.remove_personal_data(now)
    assert Interview.objects.filter(investigation_id=case.pk).exclude(interviewee_tag="").exists()
    monkeypatch.undo()
    assert services.remove_personal_data in retention.REMOVERS


def test_interview_records_only_while_the_interviews_step_is_open(people):
    case = PortalCase(people)
    case.record_interviews()
    for interview in (case.subject_interview, case.witness_interview):
        Interview.objects.filter(pk=interview.pk).update(approved_at=None)
    StepRecord.objects.filter(investigation_id=case.pk, step__code="interviews").update(
        completed_at=case.report.received_at
    )
    with pytest.raises(services.StepRefused):
        services.record_interview(
            case.investigator, case.interview(case.witness_interview), "Nieuw"
        )
