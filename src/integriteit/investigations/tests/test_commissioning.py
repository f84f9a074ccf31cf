"""Commissioning assigns the investigators to the case through the case's own service, so the
assignment is audited (issue 9 defect 8), and the independence check picks its reasons by code,
whatever the language."""

import datetime

import pytest
from django.utils import timezone, translation

from integriteit.audit.models import AuditEntry
from integriteit.cases.constants import CaseRole
from integriteit.cases.tests.flow import Flow
from integriteit.investigations import panels, selectors, services
from integriteit.reports.constants import Phase

pytestmark = pytest.mark.django_db


def _commission(flow: Flow):
    return services.commission(
        flow.authority,
        flow.report,
        investigators=[flow.investigator],
        deadline=timezone.localdate() + datetime.timedelta(days=90),
        note="Onderzoek naar vervalste bonnen.",
    )


def _investigator_assignments(flow: Flow):
    entries = AuditEntry.objects.filter(action="case.assigned", object_id=str(flow.report.pk))
    return entries.filter(detail__role=CaseRole.INVESTIGATOR)


def test_the_investigators_assignment_is_audited(people):
    flow = Flow(people).to(Phase.INVESTIGATION)
    assert not flow.has_role(flow.investigator, CaseRole.INVESTIGATOR)
    _commission(flow)
    assert flow.has_role(flow.investigator, CaseRole.INVESTIGATOR)
    entry = _investigator_assignments(flow).get()
    assert entry.actor_id == flow.authority.pk
    assert entry.detail == {"user": flow.investigator.pk, "role": CaseRole.INVESTIGATOR}


def test_an_investigator_already_on_the_case_is_kept_not_assigned_twice(people):
    flow = Flow(people).to(Phase.INVESTIGATION)
    flow.assign_investigator()
    _commission(flow)
    assert _investigator_assignments(flow).count() == 1
    assert flow.report.assignments.filter(role=CaseRole.INVESTIGATOR).count() == 1


@pytest.mark.parametrize("language", ["nl", "en"])
def test_being_an_investigator_already_is_no_refusal_in_any_language(people, language):
    flow = Flow(people).to(Phase.INVESTIGATION)
    flow.assign_investigator()
    with translation.override(language):
        assert selectors.investigator_refusals(flow.report, flow.investigator) == []
        assert flow.investigator.pk not in panels.investigator_refusals(flow.report)
        assert _commission(flow).members.get().user == flow.investigator
