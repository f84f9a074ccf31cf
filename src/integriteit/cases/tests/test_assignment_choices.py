"""Assignment forms offer only the people the service would accept (issue 10 defect 7): before,
a person excluded from a case (named in it, or the original's handler for a complaint) was
offered in its assignment lists and refused only after submitting. The forms and the service
ask one rule (`services.assignable`, over `assignment_refusal_codes`)."""

import re

import pytest
from django.forms import ModelChoiceField

from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment
from integriteit.cases import services
from integriteit.cases.constants import AssignmentRefusal, CaseRole
from integriteit.cases.forms import AssignForm
from integriteit.investigations import panels as investigation_panels
from integriteit.organisations.models import Organisation
from integriteit.reports.constants import Phase
from integriteit.reports.receipts import new_submission_token
from integriteit.testing import verified_client

from .flow import Flow, verified

pytestmark = pytest.mark.django_db


def _queryset(form, name: str):
    field = form.fields[name]
    assert isinstance(field, ModelChoiceField)
    return field.queryset


def _options(page: str, name: str) -> set[int]:
    """The person ids a <select name=...> on the page offers."""
    match = re.search(rf'<select name="{re.escape(name)}".*?</select>', page, re.S)
    assert match is not None, f"no select {name!r} on the page"
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', match.group(0))}


def test_a_person_named_in_the_report_is_not_offered_as_process_guide(people):
    flow = Flow(people, involved=(people["guide"],))
    flow.acknowledge()
    page = (
        verified_client(flow.coordinator)
        .get(f"/behandeling/{flow.pk}/?section=people")
        .content.decode()
    )
    assert people["guide"].pk not in _options(page, "assign-process_guide-person")
    # The service refuses them for the same reason the form leaves them out.
    codes = services.assignment_refusal_codes(flow.report, people["guide"], CaseRole.PROCESS_GUIDE)
    assert AssignmentRefusal.EXCLUDED in codes
    # Others are still offered: the authority in its role.
    assert people["authority"].pk in _options(page, "assign-competent_authority-person")


def test_the_original_coordinator_is_not_offered_as_handler_of_the_complaint(people):
    flow = Flow(people).to(Phase.CLOSED)
    second = verified(people["coordinator-fin"])
    RoleAssignment.objects.create(
        user=second, organisation=Organisation.objects.get(slug="bzk"), role=Role.COORDINATOR
    )
    complaint, _code = services.file_complaint(
        flow.report, "De behandeling was slecht.", new_submission_token()
    )
    page = (
        verified_client(second).get(f"/behandeling/{complaint.pk}/?section=people").content.decode()
    )
    offered = _options(page, "assign-handler-person")
    assert second.pk in offered
    assert people["coordinator"].pk not in offered
    form = AssignForm(
        {"assign-handler-person": people["coordinator"].pk}, report=complaint, role="handler"
    )
    assert not form.is_valid()


def test_someone_already_in_the_role_is_not_offered_again(people):
    flow = Flow(people)
    flow.acknowledge()
    flow.assign_guide()
    form = AssignForm(report=flow.report, role=CaseRole.PROCESS_GUIDE)
    assert people["guide"] not in _queryset(form, "person")


def test_the_commission_form_offers_no_investigator_named_in_the_report(people):
    flow = Flow(people, involved=(people["investigator"],)).to(Phase.INVESTIGATION)
    form = investigation_panels.commission_form(flow.report)
    assert people["investigator"] not in _queryset(form, "investigators")
    # An investigator already on the case stays offered: commissioning keeps that assignment.
    other = Flow(people).to(Phase.INVESTIGATION)
    other.assign_investigator()
    form = investigation_panels.commission_form(other.report)
    assert people["investigator"] in _queryset(form, "investigators")
