"""Retention (RULES R9) also removes the investigation file; the registry facts stay."""

import pytest

from integriteit.cases import retention
from integriteit.investigations import services
from integriteit.investigations.models import Interview, Investigation, StepRecord

from .portal_case import PortalCase

pytestmark = pytest.mark.django_db


def test_investigation_personal_data_is_removed_with_the_case(people):
    assert services.remove_personal_data in retention.REMOVERS
    case = PortalCase(people)
    case.record_interviews()
    counts = services.remove_personal_data(case.report)
    assert counts["interviews"] == 2
    for interview in Interview.objects.filter(investigation_id=case.pk):
        assert interview.interviewee_tag == "" and interview.sealed_interviewee is None
        assert not interview.sealed_record and interview.sealed_adviser is None
    assert not StepRecord.objects.filter(investigation_id=case.pk, sealed_values__isnull=False)
    investigation = Investigation.objects.get(pk=case.pk)
    # What stays: that an investigation took place, under which protocol, and when.
    assert investigation.protocol_id and investigation.commissioned_at
    assert not bytes(investigation.sealed_assignment)


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
