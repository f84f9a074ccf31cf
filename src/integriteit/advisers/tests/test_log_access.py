"""Access to the conversation log (issue 5 "It must show"): no role but the author reads an
entry; a report made on behalf of an employee never exposes her identity to case handlers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.html import escape

from integriteit.advisers import log as services
from integriteit.advisers.access import log_entries_of
from integriteit.advisers.constants import AdviserKind, AdviserThemes, ConversationTheme
from integriteit.advisers.models import ConfidentialAdviser, ConversationLogEntry
from integriteit.organisations.models import Organisation
from integriteit.reports.constants import Channel, Form
from integriteit.reports.models import Report, ReporterIdentity

NOTES = "Gesprek over een conflict met de leiding; vervolg over twee weken."
OTHERS = ["other-adviser", "coordinator", "authority", "admin", "auditor", "bzk-coordinator"]


def as_verified(user):
    user.is_verified = lambda: True
    return user


def make_adviser(user) -> ConfidentialAdviser:
    bzk = Organisation.objects.get(slug="bzk")
    adviser, _ = ConfidentialAdviser.objects.get_or_create(
        user=user,
        defaults={
            "kind": AdviserKind.INTERNAL,
            "themes": AdviserThemes.BOTH,
            "home_organisation": bzk,
        },
    )
    adviser.organisations_served.add(bzk)
    return adviser


@pytest.fixture
def entry(people):
    make_adviser(people["adviser"])
    return services.record_conversation(
        as_verified(people["adviser"]),
        services.LogInput(
            held_on=timezone.localdate() - datetime.timedelta(days=3),
            theme=ConversationTheme.BULLYING,
            organisation=Organisation.objects.get(slug="bzk"),
            notes=NOTES,
        ),
    )


def _user(people, name):
    if name == "other-adviser":
        make_adviser(people["investigator"])  # another adviser, with an adviser record
        return people["investigator"]
    return people[name]


def _entry_urls(entry) -> list[str]:
    return [
        f"/vertrouwenspersonen/logboek/{entry.pk}/",
        f"/vertrouwenspersonen/logboek/{entry.pk}/melding/",
    ]


def test_the_author_reads_the_entry(people, staff_client, entry):
    client = staff_client(people["adviser"])
    for url in _entry_urls(entry):
        assert client.get(url).status_code == 200
    assert NOTES in client.get(_entry_urls(entry)[0]).content.decode()
    assert list(log_entries_of(as_verified(people["adviser"]))) == [entry]


@pytest.mark.parametrize("name", OTHERS)
def test_no_one_else_reads_an_entry(people, staff_client, entry, name):
    user = _user(people, name)
    client = staff_client(user)
    for url in _entry_urls(entry):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/vertrouwenspersonen/logboek/{entry.pk}/",
        f"/vertrouwenspersonen/logboek/{entry.pk}/verwijderen/",
        f"/vertrouwenspersonen/logboek/{entry.pk}/melding/",
    ):
        assert client.post(url, {"theme": ConversationTheme.OTHER}).status_code == 404, url
    listing = client.get("/vertrouwenspersonen/logboek/")
    assert listing.status_code in {200, 404}
    assert f"/logboek/{entry.pk}/" not in listing.content.decode()
    assert not log_entries_of(as_verified(user)).exists()
    with pytest.raises(PermissionDenied):
        services.notes_of(as_verified(user), entry)
    with pytest.raises(PermissionDenied):
        services.delete_conversation(as_verified(user), entry)
    entry.refresh_from_db()
    assert entry.theme == ConversationTheme.BULLYING and not entry.report_followed


def test_unverified_author_reads_nothing(people, entry):
    author = people["adviser"]
    author.is_verified = lambda: False
    assert not log_entries_of(author).exists()


def _register_data(**extra) -> dict:
    return {
        "channel": Channel.CONFIDENTIAL_ADVISER,
        "form": Form.MEETING,
        "received_on": timezone.localdate().isoformat(),
        "minutes": "Verslag van het gesprek met de vertrouwenspersoon.",
        "kind": "undesirable_behaviour",
        "description": "Een medewerker wordt structureel buitengesloten door de leiding.",
        "raised_before": "no",
        "relation": "employee",
        "anonymous": "1",
        **extra,
    }


def test_report_on_behalf_keeps_the_employee_anonymous(people, staff_client, entry):
    client = staff_client(people["adviser"])
    bzk = Organisation.objects.get(slug="bzk")
    start = client.post(f"/vertrouwenspersonen/logboek/{entry.pk}/melding/")
    assert start.status_code == 302
    target = start["Location"]
    assert target.startswith("/behandeling/registreren/?")
    assert f"organisation={bzk.pk}" in target and "channel=confidential_adviser" in target
    form = client.get(target).content.decode()
    assert 'value="confidential_adviser"' in form
    checked = form.split('value="confidential_adviser"')[1].split(">")[0]
    assert "checked" in checked  # the channel is preselected
    response = client.post(target, _register_data())
    assert response.status_code == 302 and response["Location"] == "/behandeling/geregistreerd/"
    report = Report.objects.get()
    assert report.channel == Channel.CONFIDENTIAL_ADVISER
    assert report.is_anonymous and not ReporterIdentity.objects.filter(report=report).exists()
    assert report.registered_by == people["adviser"]
    entry.refresh_from_db()
    assert entry.report_followed
    # The receipt code is shown once, with what the adviser does with it.
    shown = client.get("/behandeling/geregistreerd/").content.decode()
    assert 'id="via-adviser"' in shown and 'id="receipt-code"' in shown
    # The coordinator handles the case: sees the channel, never who the employee is.
    coordinator = staff_client(people["coordinator"])
    case = coordinator.get(f"/behandeling/{report.pk}/?section=overview")  # the channel
    assert case.status_code == 200
    page = case.content.decode()
    with translation.override("nl"):
        assert escape(str(Channel.CONFIDENTIAL_ADVISER.label)) in page
    assert NOTES not in page
    # (Staff names appear in the assignment lists; the reporter field is what counts.)
    reporter = page.split("<dt>Melder</dt>")[1].split("</dd>")[0]
    with translation.override("nl"):
        assert escape(translation.gettext("Anonymous (contact through the mailbox)")) in reporter
    assert "Esra" not in reporter and "@" not in reporter
    # The coordinator still cannot open the log entry the report came from.
    assert coordinator.get(f"/vertrouwenspersonen/logboek/{entry.pk}/").status_code == 404


def test_registration_without_the_log_leaves_entries_alone(people, staff_client, entry):
    client = staff_client(people["adviser"])
    bzk = Organisation.objects.get(slug="bzk")
    response = client.post(f"/behandeling/registreren/?organisation={bzk.pk}", _register_data())
    assert response.status_code == 302
    entry.refresh_from_db()
    assert not entry.report_followed


def test_other_adviser_cannot_mark_someone_elses_entry(people, entry):
    other = as_verified(_user(people, "other-adviser"))
    assert services.mark_report_followed(other, entry.pk) is False
    assert not ConversationLogEntry.objects.get(pk=entry.pk).report_followed
