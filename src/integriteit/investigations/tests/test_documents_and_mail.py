"""Files of the investigation file are downloadable by its staff only; interviewees are told by
e-mail (without details) that an invitation waits for them (RULES R12)."""

import pytest
from django.core import mail

from integriteit.investigations import services
from integriteit.investigations.models import InvestigationDocument
from integriteit.reports.attachments import clean
from integriteit.testing import verified_client

from .portal_case import PortalCase

pytestmark = pytest.mark.django_db


def test_documents_download_for_staff_only(people):
    case = PortalCase(people)
    document = services.upload_document(
        case.investigator,
        case.investigation,
        "interviews",
        "record_attachment",
        clean("verslag-bijlage.txt", b"Aantekeningen bij het gesprek."),
    )
    url = f"/onderzoek/{case.pk}/document/{document.pk}/"
    response = verified_client(people["investigator"]).get(url)
    assert response.status_code == 200
    assert response.content == b"Aantekeningen bij het gesprek."
    assert "verslag-bijlage.txt" in response["Content-Disposition"]
    for username in ("employee", "guide", "manager", "coordinator-fin"):
        assert verified_client(people[username]).get(url).status_code == 404
    assert InvestigationDocument.objects.filter(pk=document.pk).exists()


def test_interviewees_get_a_mail_without_details(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = PortalCase(people)
    addresses = {people["employee"].email, people["guide"].email}
    sent = [m for m in mail.outbox if set(m.to) & addresses]
    assert len(sent) == 2
    for message in sent:
        assert "/mijn-onderzoek/" in message.body
        assert case.report.reference not in message.body
