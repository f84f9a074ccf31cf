"""Registering reports (RULES R1–R2), exclusions, the order of the first handling steps, draft
purging."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from integriteit.access.rules import organisations_user_can_register_for, reports_visible_to
from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment
from integriteit.cases import services as case_services
from integriteit.cases.tests.flow import verified
from integriteit.crypto.tokens import person_tag
from integriteit.organisations.models import Organisation
from integriteit.reports import services
from integriteit.reports.attachments import clean
from integriteit.reports.constants import Channel, ExclusionReason, Form, MessageKind, Phase
from integriteit.reports.models import Attachment, Message, Report, ReportExclusion
from integriteit.reports.sealing import Content, Identity, attachment_path
from integriteit.testing import lookup_of, shown_code

pytestmark = pytest.mark.django_db


def nl(text: str) -> str:
    with translation.override("nl"):
        return escape(translation.gettext(text))


def register_data(**extra) -> dict:
    return {
        "channel": Channel.COORDINATOR,
        "form": Form.WRITTEN,
        "received_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "minutes": "",
        "kind": "integrity_violation",
        "violation_types": ["position"],
        "description": "Telefonisch gemeld: een aanbesteding wordt voorgekookt.",
        "raised_before": "no",
        "relation": "contractor",
        "anonymous": "1",
        **extra,
    }


def as_verified(user):
    """The user as the OTP middleware leaves it after the second factor."""
    user.is_verified = lambda: True
    return user


@pytest.mark.parametrize(
    ("username", "channel", "form", "minutes"),
    [
        ("coordinator", Channel.COORDINATOR, Form.ORAL, "Verslag van het telefoongesprek."),
        ("manager", Channel.MANAGER, Form.WRITTEN, ""),
        ("adviser", Channel.CONFIDENTIAL_ADVISER, Form.MEETING, "Verslag van het gesprek."),
    ],
)
def test_register_report_by_each_channel(people, staff_client, username, channel, form, minutes):
    # RULES R1–R2
    client = staff_client(people[username])
    response = client.post(
        "/behandeling/registreren/",
        register_data(channel=channel, form=form, minutes=minutes),
    )
    assert response.status_code == 302 and response["Location"] == "/behandeling/geregistreerd/"
    report = Report.objects.get()
    assert report.is_submitted
    assert report.channel == channel and report.form == form
    assert report.registered_by == people[username]
    assert report.received_at is not None
    assert report.received_at.date() == timezone.localdate() - timedelta(days=2)
    assert report.acknowledgement_due == report.received_at + timedelta(days=7)  # RULES R3
    assert report.phase == Phase.RECEIVED
    assert report.receipt_hash.startswith("$argon2id$")
    # The receipt code is shown once, to pass on to the reporter.
    page = client.get("/behandeling/geregistreerd/").content.decode()
    assert report.reference in page
    assert lookup_of(shown_code(page)) == report.receipt_lookup
    assert report.reference not in client.get("/behandeling/geregistreerd/").content.decode()
    # The coordinator sees it in the work queue.
    coordinator = staff_client(people["coordinator"])
    assert report.reference in coordinator.get("/behandeling/").content.decode()


@pytest.mark.parametrize("form", [Form.ORAL, Form.MEETING])
def test_oral_without_minutes_refused(people, staff_client, form):
    response = staff_client(people["coordinator"]).post(
        "/behandeling/registreren/", register_data(form=form, minutes="  ")
    )
    assert response.status_code == 200
    message = nl("Oral reports and meetings need minutes (RULES R2).")
    assert list(response.context["form"].errors["minutes"]) == [message]
    assert message in response.content.decode()
    assert Report.objects.count() == 0


def test_received_date_in_future_refused(people, staff_client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = staff_client(people["coordinator"]).post(
        "/behandeling/registreren/", register_data(received_on=tomorrow)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["received_on"]
    assert Report.objects.count() == 0


def test_online_channel_cannot_be_registered(people, staff_client):
    response = staff_client(people["coordinator"]).post(
        "/behandeling/registreren/", register_data(channel=Channel.ONLINE)
    )
    assert response.context["form"].errors["channel"]
    assert Report.objects.count() == 0


@pytest.mark.parametrize("username", ["employee", "investigator", "auditor"])
def test_staff_without_registering_role_get_404(people, staff_client, username):
    client = staff_client(people[username])
    assert client.get("/behandeling/registreren/").status_code == 404
    assert client.post("/behandeling/registreren/", register_data()).status_code == 404
    assert Report.objects.count() == 0


def test_service_refuses_unverified_or_other_organisation(people):
    data = services.ReportInput(
        organisation=Organisation.objects.get(slug="fin"),
        kind="wrongdoing",
        relation="employee",
        content=Content(description="Elders", raised_before="no"),
        identity=Identity(),
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.register_report(as_verified(people["coordinator"]), data, "token")  # bzk, not fin
    data.organisation = Organisation.objects.get(slug="bzk")
    coordinator = people["coordinator"]
    coordinator.is_verified = lambda: False
    with pytest.raises(PermissionDenied):
        services.register_report(coordinator, data, "token")
    assert Report.objects.count() == 0


def _give_coordinator_role(user):
    RoleAssignment.objects.create(
        user=user, organisation=Organisation.objects.get(slug="bzk"), role=Role.COORDINATOR
    )
    return as_verified(user)


def test_route_around_line_excludes_named_and_line_above(people, make_report):
    employee, manager, director = people["employee"], people["manager"], people["director"]
    report, _ = make_report(involved=(employee,), route_around_line=True)
    reasons = dict(
        ReportExclusion.objects.filter(report=report).values_list("person_tag", "reason")
    )
    assert reasons == {
        person_tag(employee.pk): ExclusionReason.NAMED,
        person_tag(manager.pk): ExclusionReason.LINE_ABOVE_NAMED,
        person_tag(director.pk): ExclusionReason.LINE_ABOVE_NAMED,
    }
    unrelated, _ = make_report(description="Iets anders.")
    # Even with the coordinator role, the excluded people cannot see the report.
    for person in (employee, manager, director):
        visible = reports_visible_to(_give_coordinator_role(person))
        assert not visible.filter(pk=report.pk).exists()
        assert visible.filter(pk=unrelated.pk).exists()
    assert reports_visible_to(as_verified(people["coordinator"])).filter(pk=report.pk).exists()


def test_without_route_around_line_only_the_named_are_excluded(people, make_report):
    report, _ = make_report(involved=(people["employee"],), route_around_line=False)
    assert list(
        ReportExclusion.objects.filter(report=report).values_list("person_tag", flat=True)
    ) == [person_tag(people["employee"].pk)]
    manager = _give_coordinator_role(people["manager"])
    assert reports_visible_to(manager).filter(pk=report.pk).exists()


def test_named_coordinator_cannot_see_report(people, staff_client, make_report):
    report, _ = make_report(involved=(people["coordinator"],), route_around_line=True)
    coordinator = as_verified(people["coordinator"])
    assert not reports_visible_to(coordinator).filter(pk=report.pk).exists()
    client = staff_client(people["coordinator"])
    assert report.reference not in client.get("/behandeling/").content.decode()
    assert client.get(f"/behandeling/{report.pk}/").status_code == 404
    assert client.post(f"/behandeling/{report.pk}/ontvangst/", {"text": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.acknowledged_at is None


def test_registered_report_excludes_named_staff(people, staff_client):
    client = staff_client(people["adviser"])
    client.post(
        "/behandeling/registreren/",
        register_data(
            channel=Channel.CONFIDENTIAL_ADVISER,
            involved_names=people["employee"].get_full_name(),
            route_around_line="on",
        ),
    )
    report = Report.objects.get()
    tags = set(ReportExclusion.objects.filter(report=report).values_list("person_tag", flat=True))
    assert tags == {person_tag(people[name].pk) for name in ("employee", "manager", "director")}


def test_assessment_before_acknowledge_refused(people, staff_client, make_report):
    """Classification is part of the intake (cases.services.record_assessment); the intake
    starts only after the acknowledgement (RULES R3), and the refusal says why."""
    report, _ = make_report()
    client = staff_client(people["coordinator"])
    response = client.post(f"/behandeling/{report.pk}/stap/start_assessment/", follow=True)
    with translation.override("nl"):
        reason = escape(
            translation.gettext("This step is not possible in the phase “%(phase)s”.")
            % {"phase": Phase.RECEIVED.label}
        )
    assert reason in response.content.decode()
    coordinator = as_verified(people["coordinator"])
    with pytest.raises(case_services.TransitionRefused):
        case_services.record_assessment(
            coordinator,
            report,
            in_scope=True,
            urgency="normal",
            kind="integrity_violation",
            type_codes=["financial"],
        )
    report.refresh_from_db()
    assert report.classified_at is None and report.phase == Phase.RECEIVED
    # After acknowledging, the intake starts and classification works.
    client.post(f"/behandeling/{report.pk}/ontvangst/", {"text": "Ontvangen."})
    client.post(f"/behandeling/{report.pk}/stap/start_assessment/")
    report.refresh_from_db()
    assert report.phase == Phase.ASSESSMENT
    case_services.record_assessment(
        coordinator,
        report,
        in_scope=True,
        urgency="normal",
        kind="integrity_violation",
        type_codes=["financial", "position"],
    )
    report.refresh_from_db()
    assert report.classified_at is not None and report.phase == Phase.ASSESSMENT
    assert set(report.classified_types.values_list("code", flat=True)) == {"financial", "position"}


def test_acknowledge_twice_refused(people, staff_client, make_report):
    report, _ = make_report()
    client = staff_client(people["coordinator"])
    client.post(f"/behandeling/{report.pk}/ontvangst/", {"text": "Ontvangen."})
    report.refresh_from_db()
    first = report.acknowledged_at
    response = client.post(
        f"/behandeling/{report.pk}/ontvangst/", {"text": "Nogmaals ontvangen."}, follow=True
    )
    assert nl("This report has already been acknowledged.") in response.content.decode()
    report.refresh_from_db()
    assert report.acknowledged_at == first
    assert Message.objects.filter(report=report, kind=MessageKind.ACKNOWLEDGEMENT).count() == 1
    with pytest.raises(case_services.TransitionRefused):
        case_services.acknowledge(as_verified(people["coordinator"]), report, "Derde keer.")


def test_purge_stale_drafts(people, make_report, settings):
    settings.DRAFT_REPORT_LIFETIME_HOURS = 24
    old_draft = services.save_draft(
        None,
        services.ReportInput(
            organisation=Organisation.objects.get(slug="bzk"),
            kind="wrongdoing",
            relation="employee",
            content=Content(description="Nooit verstuurd.", raised_before="no"),
            identity=Identity(),
            files=[clean("concept.txt", b"concept")],
        ),
    )
    fresh_draft = services.save_draft(
        None,
        services.ReportInput(
            organisation=Organisation.objects.get(slug="bzk"),
            kind="wrongdoing",
            relation="employee",
            content=Content(description="Net begonnen.", raised_before="no"),
            identity=Identity(),
        ),
    )
    submitted, _ = make_report(files=(("bewijs.txt", b"bewijs"),))
    long_ago = timezone.now() - timedelta(hours=25)
    Report.objects.filter(pk__in=[old_draft.pk, submitted.pk]).update(created_at=long_ago)
    old_file = Attachment.objects.get(report=old_draft)
    kept_file = Attachment.objects.get(report=submitted)
    assert attachment_path(old_file).exists()

    services.purge_stale_drafts()

    assert not Report.objects.filter(pk=old_draft.pk).exists()
    assert not Attachment.objects.filter(pk=old_file.pk).exists()
    assert not attachment_path(old_file).exists()
    assert Report.objects.filter(pk=fresh_draft.pk).exists()
    assert Report.objects.filter(pk=submitted.pk).exists()
    assert attachment_path(kept_file).exists()


def test_adviser_passes_on_a_name_only_with_written_consent(people, staff_client):
    # RULES R7: for a confidential adviser, consent to disclose the identity is written.
    client = staff_client(people["adviser"])
    data = register_data(
        channel=Channel.CONFIDENTIAL_ADVISER, anonymous="0", name="Sanne Melder", email=""
    )
    refused = client.post("/behandeling/registreren/", data)
    assert refused.status_code == 200
    assert not Report.objects.exists()
    assert "Sanne Melder" in refused.content.decode()  # what was typed is kept
    accepted = client.post("/behandeling/registreren/", {**data, "identity_consent": "on"})
    assert accepted.status_code == 302
    from integriteit.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="report.registered")
    assert entry.detail["identity_consent"] == "written"


def test_adviser_registers_anonymously_without_consent(people, staff_client):
    client = staff_client(people["adviser"])
    response = client.post(
        "/behandeling/registreren/", register_data(channel=Channel.CONFIDENTIAL_ADVISER)
    )
    assert response.status_code == 302
    assert Report.objects.get().is_anonymous


def test_register_form_prefills_the_date_in_the_format_browsers_read(people, staff_client):
    # <input type="date"> only shows a value in ISO format; anything else looks empty.
    page = staff_client(people["coordinator"]).get("/behandeling/registreren/")
    assert f'value="{timezone.localdate().isoformat()}"' in page.content.decode()


def test_a_link_with_a_channel_asks_for_the_organisation_without_an_error(people, staff_client):
    """Issue 10 defect 7: `?channel=` (the link from an adviser's log) bound the organisation
    chooser, so "This field is required" stood there before anything was submitted."""
    several = [
        person
        for person in people.values()
        if organisations_user_can_register_for(verified(person)).count() > 1
    ]
    assert several, "the demo has someone who registers for several organisations"
    with translation.override("en"):
        page = staff_client(several[0]).get("/en/behandeling/registreren/?channel=adviser")
    assert page.status_code == 200
    assert "This field is required." not in page.content.decode()
