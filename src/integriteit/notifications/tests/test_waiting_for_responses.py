"""Two more things that wait (issue 10 notification gaps), each told in the application and by
one e-mail without contents: a draft investigation report offered to the subject (hoor en
wederhoor) waits for her response, which the case's handler and competent authority are told;
the advisers' annual report waits for the management's response, which the competent authority
is told."""

import pytest
from django.utils import timezone

from integriteit.advisers import annual
from integriteit.cases.tests.flow import verified
from integriteit.investigations import services as investigation_services
from integriteit.investigations.tests.helpers import Investigating, fake_render  # noqa: F401
from integriteit.notifications.constants import NotificationKind as K
from integriteit.notifications.models import Notification
from integriteit.organisations.models import Organisation

from .test_events import DESCRIPTION, assert_one_mail_without_contents, kinds_of

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("fake_render")
def test_a_draft_offered_to_the_subject_tells_the_handler_and_the_authority(people, outbox):
    case = Investigating(people, description=DESCRIPTION)
    case.advance_to("subject_response")
    report = case.flow.report
    coordinator, authority = case.flow.coordinator, case.flow.authority
    before = {person.pk: len(outbox.mails_to(person)) for person in (coordinator, authority)}
    outbox.run(investigation_services.offer_draft, case.flow.investigator, case.investigation)
    for person in (coordinator, authority):
        assert kinds_of(person, report).count(K.DRAFT_RESPONSE_WAITING) == 1
        assert_one_mail_without_contents(outbox, person, report, before[person.pk])
    # The investigator who offered it is not told of her own act, nor is anyone else.
    told = set(
        Notification.objects.filter(kind=K.DRAFT_RESPONSE_WAITING).values_list("user", flat=True)
    )
    assert told == {coordinator.pk, authority.pk}


def test_the_annual_report_sent_tells_the_competent_authority(people, outbox, staff_client):
    adviser = verified(people["adviser"])
    bzk = Organisation.objects.get(slug="bzk")
    year = timezone.localdate().year - 1
    report = annual.create_report(adviser, bzk, year)
    secret = "Leidinggevenden trainen in het voorkomen van pesten."
    annual.add_recommendation(adviser, report, secret)
    authority = people["authority"]
    before = len(outbox.mails_to(authority))
    outbox.run(annual.send_to_authority, adviser, report)

    notifications = Notification.objects.filter(kind=K.ANNUAL_REPORT_WAITING)
    assert list(notifications.values_list("user", flat=True)) == [authority.pk]
    assert notifications.get().report is None
    mails = outbox.mails_to(authority)
    assert len(mails) == before + 1  # one mail: the module's own mail is this one
    text = mails[-1].subject + mails[-1].body
    assert secret not in text and "pesten" not in text and bzk.name not in text
    assert f"/vertrouwenspersonen/jaarverslag/{report.pk}/" in text
    # Another organisation's authority and the adviser are not told.
    assert kinds_of(people["adviser"]) == []
    assert K.ANNUAL_REPORT_WAITING not in kinds_of(people["coordinator-fin"])
    # The notifications page leads to the annual reports.
    page = staff_client(authority).get("/notificaties/").content.decode()
    assert 'href="/vertrouwenspersonen/jaarverslag/"' in page
