"""After the term to approve a record or respond to the draft, the services refuse late answers
(the record or draft then counts as accepted, RULES R12), not only the portal's views."""

import datetime

import pytest
from django.utils import translation

from integriteit.investigations import services
from integriteit.investigations.models import Interview

from .portal_case import PortalCase, fake_render  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _expire(interview: Interview) -> Interview:
    Interview.objects.filter(pk=interview.pk).update(
        response_due=datetime.date.today() - datetime.timedelta(days=1)
    )
    return Interview.objects.get(pk=interview.pk)


def test_late_approval_and_comments_are_refused(people):
    case = PortalCase(people)
    case.record_interviews()
    late = _expire(case.subject_interview)
    with pytest.raises(services.InvestigationError, match="term ended"):
        services.approve_record(case.subject_person, late)
    with pytest.raises(services.InvestigationError, match="term ended"):
        services.comment_record(case.subject_person, late, "Toch nog iets.")
    assert Interview.objects.get(pk=late.pk).approved_at is None


def test_late_response_to_the_draft_is_refused(people, fake_render):  # noqa: F811
    case = PortalCase(people)
    case.to_draft()
    draft = case.offer_draft()
    type(draft).objects.filter(pk=draft.pk).update(
        response_due=datetime.date.today() - datetime.timedelta(days=1)
    )
    draft.refresh_from_db()
    with pytest.raises(services.InvestigationError, match="term ended"):
        services.respond_to_draft(case.subject_person, draft, "Mijn reactie.")
