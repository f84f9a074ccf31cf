"""The notifications page, the header's unread count, the work queue's marker, and the
escalation settings page (issue 10)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from integriteit.accounts.constants import Role
from integriteit.audit.models import AuditEntry
from integriteit.notifications.constants import NotificationKind as K
from integriteit.notifications.models import EscalationSettings, Notification
from integriteit.organisations.models import Organisation

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def nav_count(response, url_name="notifications:list") -> int:
    entry = next(e for e in response.context["navigation"] if e.url_name == url_name)
    return entry.counted


def test_the_page_lists_newest_first_and_the_header_counts_unread(
    people, make_report, staff_client
):
    first, _ = make_report()
    second, _ = make_report()
    Notification.objects.filter(report=first).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client = staff_client(people["coordinator"])
    response = client.get(LIST)
    assert response.status_code == 200
    items = response.context["items"]
    assert [i.notification.report_id for i in items] == [second.pk, first.pk]
    assert items[0].link == reverse("cases:detail", kwargs={"report_id": second.pk})
    assert nav_count(response) == 2
    html = response.content.decode()
    assert first.reference in html and second.reference in html
    assert 'class="int-nav-count"' in html


def test_mark_one_and_mark_all_read(people, make_report, staff_client):
    make_report()
    make_report()
    coordinator = people["coordinator"]
    client = staff_client(coordinator)
    one = Notification.objects.filter(user=coordinator).earliest("pk")
    response = client.post(reverse("notifications:mark_read", args=[one.pk]))
    assert response.status_code == 302
    assert Notification.objects.filter(user=coordinator, read_at__isnull=True).count() == 1
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert not Notification.objects.filter(user=coordinator, read_at__isnull=True).exists()
    assert nav_count(client.get(LIST)) == 0


def test_nobody_marks_anothers_notification(people, make_report, staff_client):
    make_report()
    theirs = Notification.objects.get(user=people["coordinator"])
    client = staff_client(people["authority"])
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:mark_all_read"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_mark_read_redirect_stays_on_this_site(people, make_report, staff_client):
    make_report()
    one = Notification.objects.get(user=people["coordinator"])
    client = staff_client(people["coordinator"])
    response = client.post(
        reverse("notifications:mark_read", args=[one.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == LIST


def test_the_empty_state(people, staff_client):
    response = staff_client(people["investigator"]).get(LIST)
    assert response.status_code == 200
    assert response.context["items"] == []
    assert nav_count(response) == 0
    assert b"int-notification" not in response.content


def test_pagination(people, staff_client):
    coordinator = people["coordinator"]
    Notification.objects.bulk_create(
        [Notification(user=coordinator, kind=K.ESCALATION_OVERDUE) for _ in range(30)]
    )
    client = staff_client(coordinator)
    assert len(client.get(LIST).context["items"]) == 25
    assert len(client.get(LIST, {"pagina": 2}).context["items"]) == 5


def test_opening_the_case_marks_its_notifications_read(people, make_report, staff_client):
    report, _ = make_report()
    other, _ = make_report()
    coordinator = people["coordinator"]
    client = staff_client(coordinator)
    queue = client.get(reverse("cases:queue"))
    assert queue.context["unread_report_ids"] == {report.pk, other.pk}
    assert queue.content.decode().count('class="int-unread"') == 2
    assert client.get(reverse("cases:detail", kwargs={"report_id": report.pk})).status_code == 200
    assert not Notification.objects.filter(user=coordinator, report=report, read_at=None)
    assert Notification.objects.filter(user=coordinator, report=other, read_at=None).exists()
    queue = client.get(reverse("cases:queue"))
    assert queue.context["unread_report_ids"] == {other.pk}
    assert queue.content.decode().count('class="int-unread"') == 1


def test_a_case_the_user_cannot_open_is_not_linked(people, staff_client):
    """An escalation to the government-wide coordinator names the case but does not link to a
    page that would refuse them."""
    from integriteit.testing import make_report

    report, _ = make_report()
    bzk = people["bzk-coordinator"]
    Notification.objects.create(user=bzk, kind=K.ESCALATION_OVERDUE, report=report)
    items = staff_client(bzk).get(LIST).context["items"]
    assert [i.link for i in items] == [""]


# --- Escalation settings --------------------------------------------------------------------


def test_the_administrator_sets_the_escalation_contact(people, staff_client):
    client = staff_client(people["admin"])
    overview = client.get(reverse("notifications:escalation"))
    assert overview.status_code == 200
    bzk = Organisation.objects.get(slug="bzk")
    url = reverse("notifications:escalation_settings", args=[bzk.pk])
    assert client.get(url).status_code == 200
    authority = people["authority"]
    response = client.post(url, {"contact": authority.pk, "escalate_overdue": "on"})
    assert response.status_code == 302
    stored = EscalationSettings.objects.get(organisation=bzk)
    assert stored.contact == authority
    assert stored.escalate_due_soon is False and stored.escalate_overdue is True
    assert AuditEntry.objects.filter(action="notifications.escalation_settings_changed").exists()


def test_a_contact_from_elsewhere_is_refused_and_the_input_kept(people, staff_client):
    client = staff_client(people["admin"])
    bzk = Organisation.objects.get(slug="bzk")
    url = reverse("notifications:escalation_settings", args=[bzk.pk])
    response = client.post(
        url, {"contact": people["coordinator-fin"].pk, "escalate_due_soon": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["contact"]
    assert response.context["form"]["escalate_due_soon"].value() is True
    assert not EscalationSettings.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "authority", "auditor"], ids=str)
def test_only_the_administrator_opens_the_settings(people, staff_client, role):
    client = staff_client(people[role])
    bzk = Organisation.objects.get(slug="bzk")
    assert client.get(reverse("notifications:escalation")).status_code == 404
    url = reverse("notifications:escalation_settings", args=[bzk.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"escalate_due_soon": "on"}).status_code == 404
    assert not EscalationSettings.objects.exists()


def test_an_administrator_of_another_organisation_is_refused(people, make_staff, staff_client):
    other = make_staff(Role.ADMINISTRATOR, "fin", username="admin-fin")
    bzk = Organisation.objects.get(slug="bzk")
    url = reverse("notifications:escalation_settings", args=[bzk.pk])
    assert staff_client(other).get(url).status_code == 404
