"""The employees' anonymous questionnaire and the workshop outcome (issue 12 §2): invitation by
link, no login, no record of who answered, answers shown only from the smallest group, texts
only to the coordinator; and the tables hold no link between an answer and an invitation."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integriteit.accounts.constants import Role
from integriteit.audit.models import AuditEntry
from integriteit.prevention.models import (
    Invitation,
    Questionnaire,
    QuestionnaireAnswer,
    Workshop,
)
from integriteit.prevention.tests.analyses_helpers import make_analysis

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SECRET_RISK = "Collega's nemen offertes mee naar huis"


@pytest.fixture
def analysis(people):
    return make_analysis(people["coordinator"])


@pytest.fixture
def coordinator(people, staff_client):
    return staff_client(people["coordinator"])


def new_questionnaire(client, analysis, **changes) -> Questionnaire:
    data = {
        "title": "Risico's in uw werk",
        "introduction": "Wij willen weten welke risico's u ziet.",
        "closes_on": (TODAY + datetime.timedelta(days=14)).isoformat(),
        "min_group": "5",
    }
    data.update(changes)
    response = client.post(reverse("prevention:questionnaire_new", args=[analysis.pk]), data)
    assert response.status_code == 302, response.content[:500]
    return Questionnaire.objects.latest("pk")


def open_and_invite(client, questionnaire, count: int) -> list[str]:
    url = reverse("prevention:questionnaire_open", args=[questionnaire.pk])
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    response = client.post(
        reverse("prevention:questionnaire_invite", args=[questionnaire.pk]), {"count": count}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [row[0] for row in rows[1:]]


def answer(link: str, risk: str = SECRET_RISK, **changes):
    """An employee without an account: opens her link and answers."""
    employee = Client()
    path = link.split("://", 1)[-1].split("/", 1)[-1]
    opened = employee.get("/" + path)
    if opened.status_code != 302:
        return opened
    assert opened["Location"] == reverse("prevention:answer")  # the code leaves the address bar
    data = {"activities": ["contracting"], "risk": risk, "likelihood": "3", "impact": "4"}
    data.update(changes)
    return employee.post(opened["Location"], data)


def test_employees_answer_by_link_and_the_coordinator_sees_them_from_five(coordinator, analysis):
    questionnaire = new_questionnaire(coordinator, analysis)
    links = open_and_invite(coordinator, questionnaire, 6)
    assert len(links) == 6 and len(set(links)) == 6
    for number, link in enumerate(links[:4]):
        response = answer(link, risk=f"{SECRET_RISK} ({number})")
        assert response.status_code == 302 and response.url == reverse("prevention:answered")
    detail = reverse("prevention:questionnaire_detail", args=[questionnaire.pk])
    page = coordinator.get(detail)
    assert not page.context["results"].shown and page.context["results"].answers == "<5"
    assert SECRET_RISK not in page.content.decode()
    answer(links[4])
    page = coordinator.get(detail)
    results = page.context["results"]
    assert results.shown and results.answers == "5"
    assert sorted(results.risks) == sorted(
        [f"{SECRET_RISK} ({n})" for n in range(4)] + [SECRET_RISK]
    )
    assert dict(results.activities)  # the activities counted
    assert Invitation.objects.filter(used=True).count() == 5


def test_a_link_answers_once_and_only_while_open(coordinator, analysis):
    questionnaire = new_questionnaire(coordinator, analysis)
    response = coordinator.post(
        reverse("prevention:questionnaire_invite", args=[questionnaire.pk]), {"count": 2}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    first, second = rows[1][0], rows[2][0]
    assert answer(first).status_code == 404  # not open yet
    coordinator.post(
        reverse("prevention:questionnaire_open", args=[questionnaire.pk]), {"confirm": "yes"}
    )
    assert answer(first).status_code == 302
    assert answer(first).status_code == 404  # used
    assert answer(first.rstrip("/")[:-3] + "abc/").status_code == 404  # tampered
    coordinator.post(
        reverse("prevention:questionnaire_close", args=[questionnaire.pk]), {"confirm": "yes"}
    )
    assert answer(second).status_code == 404  # closed
    assert QuestionnaireAnswer.objects.count() == 1


def test_the_tables_hold_no_link_between_answer_and_invitation(coordinator, analysis):
    questionnaire = new_questionnaire(coordinator, analysis)
    for link in open_and_invite(coordinator, questionnaire, 3):
        answer(link)
    for model in (QuestionnaireAnswer, Invitation):
        fields = {f.name: f for f in model._meta.get_fields() if f.concrete}
        assert not [
            n for n, f in fields.items() if f.get_internal_type() in ("DateTimeField", "DateField")
        ]
        related = {f.related_model for f in fields.values() if f.is_relation}
        assert related == {Questionnaire}, model  # no invitation, no user, nothing else
    assert QuestionnaireAnswer._meta.pk.get_internal_type() == "UUIDField"  # no order of arrival
    for row in QuestionnaireAnswer.objects.values():
        assert b"offertes" not in bytes(row["sealed_risk"])  # the text is sealed
    assert not AuditEntry.objects.filter(action__contains="answer").exists()


def test_the_manager_reads_counts_but_not_the_texts(people, staff_client, coordinator, analysis):
    questionnaire = new_questionnaire(coordinator, analysis, min_group="3")
    for link in open_and_invite(coordinator, questionnaire, 3):
        answer(link)
    manager = staff_client(people["manager"])
    page = manager.get(reverse("prevention:questionnaire_detail", args=[questionnaire.pk]))
    assert page.status_code == 200
    assert page.context["results"].shown and page.context["results"].risks == []
    assert SECRET_RISK not in page.content.decode()
    assert (
        manager.post(
            reverse("prevention:questionnaire_invite", args=[questionnaire.pk]), {"count": 1}
        ).status_code
        == 404
    )
    assert (
        manager.post(
            reverse("prevention:questionnaire_close", args=[questionnaire.pk]), {"confirm": "yes"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "username", ["employee", "adviser", "investigator", "auditor", "bzk-coordinator"]
)
def test_no_one_else_sees_the_questionnaire(people, staff_client, coordinator, analysis, username):
    questionnaire = new_questionnaire(coordinator, analysis)
    client = staff_client(people[username])
    assert (
        client.get(reverse("prevention:questionnaire_detail", args=[questionnaire.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("prevention:questionnaire_new", args=[analysis.pk])).status_code == 404
    )


def test_another_organisation_and_a_tampered_id(staff_client, make_staff, coordinator, analysis):
    questionnaire = new_questionnaire(coordinator, analysis)
    other = staff_client(make_staff(Role.COORDINATOR, "fin", username="coordinator-elsewhere"))
    assert (
        other.get(reverse("prevention:questionnaire_detail", args=[questionnaire.pk])).status_code
        == 404
    )
    assert (
        other.post(
            reverse("prevention:questionnaire_invite", args=[questionnaire.pk]), {"count": 1}
        ).status_code
        == 404
    )
    assert (
        coordinator.get(reverse("prevention:questionnaire_detail", args=[987654321])).status_code
        == 404
    )
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"closes_on": "2020-01-01"}, None),
        ({"min_group": "2"}, "min_group"),
        ({"title": ""}, "title"),
        ({"closes_on": "0001-01-01"}, "closes_on"),
    ],
)
def test_a_bad_questionnaire_is_refused_and_kept(coordinator, analysis, changes, field):
    data = {
        "title": "Mijn vragenlijst",
        "closes_on": (TODAY + datetime.timedelta(days=14)).isoformat(),
        "introduction": "Wij willen uw mening.",
    }
    data.update(changes)
    response = coordinator.post(reverse("prevention:questionnaire_new", args=[analysis.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (field in errors) if field else errors.get("__all__")
    assert "Wij willen uw mening." in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_bad_invitation_counts_and_answers(coordinator, analysis):
    questionnaire = new_questionnaire(coordinator, analysis)
    url = reverse("prevention:questionnaire_invite", args=[questionnaire.pk])
    for count in ("0", "2001", "veel"):
        assert coordinator.post(url, {"count": count}).status_code == 302
    assert not Invitation.objects.exists()
    link = open_and_invite(coordinator, questionnaire, 1)[0]
    response = answer(link, risk="", measure="Vier ogen bij elke offerte")
    assert response.status_code == 200 and "risk" in response.context["form"].errors
    assert "Vier ogen bij elke offerte" in response.content.decode()  # nothing lost
    response = answer(link, risk="x" * 2001)
    assert response.status_code == 200 and "risk" in response.context["form"].errors
    response = answer(link, likelihood="9")
    assert response.status_code == 200 and "likelihood" in response.context["form"].errors
    assert not QuestionnaireAnswer.objects.exists()
    assert not Invitation.objects.get().used


def test_a_workshop_outcome(coordinator, analysis):
    url = reverse("prevention:workshop_new", args=[analysis.pk])
    future = (TODAY + datetime.timedelta(days=1)).isoformat()
    data = {"held_on": future, "participants": "12", "outcome": "Inkoop zonder tweede paar ogen."}
    response = coordinator.post(url, data)
    assert response.status_code == 200 and "held_on" in response.context["form"].errors
    assert "Inkoop zonder tweede paar ogen." in response.content.decode()
    response = coordinator.post(url, {**data, "held_on": TODAY.isoformat()})
    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert workshop.participants == 12
    page = coordinator.get(reverse("prevention:analyses:detail", args=[analysis.pk]))
    assert f"workshop-{workshop.pk}" in page.content.decode()
