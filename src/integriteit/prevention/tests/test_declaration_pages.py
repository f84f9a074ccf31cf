"""The pages of the register of side activities (RULES R16): what each role reaches (404 for
everyone else), bad input answered on the form with what was typed kept, confirmations for
withdrawal, the register's filters and XLSX export, the configuration pages and the public
publication page without login."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from integriteit.cases.tests.flow import verified
from integriteit.prevention import declarations as services
from integriteit.prevention.models import (
    DesignatedFunction,
    FunctionAssignment,
    InterestKind,
    OathRecord,
    SideActivity,
)

from .declaration_helpers import colleague, declared, designated

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _form(function=None, **overrides) -> dict:
    data = {
        "description": "Docent inkooprecht aan de hogeschool",
        "employer": "Haagse Hogeschool",
        "paid": "yes",
        "hours_per_month": "4",
        "starts_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "ends_on": "",
        "function": str(function.pk) if function else "",
    }
    return {**data, **overrides}


def test_an_official_declares_submits_and_sees_the_assessment(people, staff_client):
    function = designated(people)
    official = staff_client(people["employee"])
    assert official.get(reverse("prevention:my_declarations")).status_code == 200
    response = official.post(reverse("prevention:declaration_new"), _form(function))
    declaration = SideActivity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "prevention:declaration_detail", kwargs={"declaration_id": declaration.pk}
    )
    submit = reverse("prevention:declaration_submit", kwargs={"declaration_id": declaration.pk})
    assert official.post(submit).status_code == 302
    manager = staff_client(people["manager"])
    queue = manager.get(reverse("prevention:assess_queue"))
    assert f'data-declaration="{declaration.pk}"' in queue.content.decode()
    assess = reverse("prevention:declaration_assess", kwargs={"declaration_id": declaration.pk})
    refused = manager.post(assess, {"decision": "allowed_with_conditions", "reasons": "Ok."})
    assert refused.status_code == 200  # the conditions are missing; reasons kept
    assert "Ok." in refused.content.decode()
    done = manager.post(
        assess,
        {"decision": "allowed_with_conditions", "conditions": "Geen inkoop.", "reasons": "Ok."},
    )
    assert done.status_code == 302
    page = official.get(
        reverse("prevention:declaration_detail", kwargs={"declaration_id": declaration.pk})
    )
    assert 'data-decision="allowed_with_conditions"' in page.content.decode()
    public = Client().get(reverse("prevention:public_organisation", kwargs={"slug": "bzk"}))
    assert public.status_code == 200
    assert f'data-declaration="{declaration.pk}"' in public.content.decode()


def test_a_declaration_without_the_function_is_refused_and_keeps_what_was_typed(
    people, staff_client
):
    designated(people)
    response = staff_client(people["employee"]).post(
        reverse("prevention:declaration_new"), _form(None)
    )
    assert response.status_code == 200
    assert "function" in response.context["form"].errors
    assert "Docent inkooprecht aan de hogeschool" in response.content.decode()
    assert not SideActivity.objects.exists()


def test_dates_out_of_order_and_bad_values_are_refused_on_the_form(people, staff_client):
    client = staff_client(people["employee"])
    form = _form(ends_on=(TODAY - datetime.timedelta(days=10)).isoformat())
    response = client.post(reverse("prevention:declaration_new"), form)
    assert response.status_code == 200 and "ends_on" in response.context["form"].errors
    for bad in ({"starts_on": "0001-01-01"}, {"hours_per_month": "-3"}, {"paid": "maybe"}):
        response = client.post(reverse("prevention:declaration_new"), _form(**bad))
        assert response.status_code == 200, bad
        assert set(bad) <= set(response.context["form"].errors)
    assert not SideActivity.objects.exists()


def test_withdrawal_needs_the_confirmation(people, staff_client):
    declaration = declared(people)
    client = staff_client(people["employee"])
    url = reverse("prevention:declaration_withdraw", kwargs={"declaration_id": declaration.pk})
    assert client.post(url, {"reason": "Gestopt"}).status_code == 302
    declaration.refresh_from_db()
    assert declaration.withdrawn_at is None
    assert client.post(url, {"reason": "Gestopt", "confirm": "yes"}).status_code == 302
    declaration.refresh_from_db()
    assert declaration.withdrawn_at is not None
    assert declaration.withdrawal_reason == "Gestopt"


def test_a_refused_step_redirects_with_the_reason(people, staff_client):
    declaration = declared(people)  # already submitted
    client = staff_client(people["employee"])
    url = reverse("prevention:declaration_submit", kwargs={"declaration_id": declaration.pk})
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][1] == 302
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("employee", 200),
        ("manager", 200),
        ("coordinator", 200),
        ("director", 404),
        ("coordinator-fin", 404),
        ("employee-fin", 404),
        ("bzk-coordinator", 404),
        ("auditor", 404),
        ("admin", 404),
    ],
)
def test_who_opens_a_declaration(people, staff_client, username, status):
    declaration = declared(people)
    url = reverse("prevention:declaration_detail", kwargs={"declaration_id": declaration.pk})
    assert staff_client(people[username]).get(url).status_code == status


def test_another_official_a_manager_elsewhere_and_a_tampered_id_get_404(people, staff_client):
    declaration = declared(people)
    url = reverse("prevention:declaration_detail", kwargs={"declaration_id": declaration.pk})
    for user in (colleague(), colleague("Directie Douane en Accijnzen", "fin", role="manager")):
        assert staff_client(user).get(url).status_code == 404
    tampered = reverse("prevention:declaration_detail", kwargs={"declaration_id": 987654})
    assert staff_client(people["employee"]).get(tampered).status_code == 404
    # Only the official acts on her declaration, only the manager assesses.
    for name in ("declaration_edit", "declaration_submit", "declaration_withdraw"):
        action = reverse(f"prevention:{name}", kwargs={"declaration_id": declaration.pk})
        for username in ("manager", "coordinator"):
            assert staff_client(people[username]).post(action).status_code == 404, name
    assess = reverse("prevention:declaration_assess", kwargs={"declaration_id": declaration.pk})
    for username in ("employee", "coordinator", "director"):
        assert staff_client(people[username]).get(assess).status_code == 404


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("prevention:assess_queue", {"manager", "director"}),
        ("prevention:register", {"coordinator", "coordinator-fin"}),
        ("prevention:functions", {"coordinator", "coordinator-fin"}),
        ("prevention:oaths", {"coordinator", "coordinator-fin"}),
        ("prevention:interests", {"manager", "director", "coordinator", "coordinator-fin"}),
    ],
)
def test_the_work_pages_open_only_for_their_roles(people, staff_client, name, allowed):
    for username in (
        "employee",
        "manager",
        "director",
        "coordinator",
        "coordinator-fin",
        "bzk-coordinator",
        "auditor",
    ):
        status = staff_client(people[username]).get(reverse(name)).status_code
        assert status == (200 if username in allowed else 404), username


def test_the_register_filters_paginates_and_exports(people, staff_client):
    function = designated(people)
    allowed = declared(people, function, decision="allowed", employer="Woningcorporatie")
    waiting = declared(people, function, employer="Hogeschool")
    declared(people, function, submit=False, employer="Conceptvereniging")
    client = staff_client(people["coordinator"])
    url = reverse("prevention:register")
    page = client.get(url).content.decode()
    assert f'data-declaration="{allowed.pk}"' in page and f'data-declaration="{waiting.pk}"' in page
    assert "Conceptvereniging" not in page  # a draft is the official's alone
    assert client.get(url, {"state": "submitted"}).context["page"].paginator.count == 1
    assert client.get(url, {"decision": "allowed"}).context["page"].paginator.count == 1
    assert client.get(url, {"q": "woning"}).context["page"].paginator.count == 1
    assert client.get(url, {"state": "nonsense"}).status_code == 200
    export = client.get(reverse("prevention:register_export"), {"state": "submitted"})
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == "Hogeschool"
    assert (
        staff_client(people["manager"]).get(reverse("prevention:register_export")).status_code
        == 404
    )


def test_the_coordinator_configures_functions_and_records_oaths(people, staff_client):
    client = staff_client(people["coordinator"])
    response = client.post(
        reverse("prevention:functions"),
        {"name": "Inkoper", "publish_side_activities": "on", "declare_financial_interests": "on"},
    )
    assert response.status_code == 302
    function = DesignatedFunction.objects.get()
    assign = reverse("prevention:function_assign", kwargs={"function_id": function.pk})
    prefix = f"a{function.pk}"
    unknown = client.post(
        assign, {f"{prefix}-username": "nobody", f"{prefix}-starts_on": TODAY.isoformat()}
    )
    assert unknown.status_code == 400 and 'value="nobody"' in unknown.content.decode()
    other_org = client.post(
        assign, {f"{prefix}-username": "employee-fin", f"{prefix}-starts_on": TODAY.isoformat()}
    )
    assert other_org.status_code == 400
    assert not FunctionAssignment.objects.exists()
    assert (
        client.post(
            assign, {f"{prefix}-username": "employee", f"{prefix}-starts_on": TODAY.isoformat()}
        ).status_code
        == 302
    )
    assert FunctionAssignment.objects.get().person == people["employee"]
    oath = client.post(
        reverse("prevention:oaths"),
        {
            "username": "employee",
            "kind": "oath",
            "taken_on": TODAY.isoformat(),
            "taken_before": "De secretaris-generaal",
        },
    )
    assert oath.status_code == 302
    record = OathRecord.objects.get()
    assert record.recorded_by == people["coordinator"]
    future = client.post(
        reverse("prevention:oaths"),
        {
            "username": "employee",
            "kind": "affirmation",
            "taken_on": (TODAY + datetime.timedelta(days=2)).isoformat(),
            "taken_before": "De SG",
        },
    )
    assert future.status_code == 400 and OathRecord.objects.count() == 1
    mine = staff_client(people["employee"]).get(reverse("prevention:my_declarations"))
    assert f'data-oath="{record.pk}"' in mine.content.decode()


def test_financial_interests_are_shown_to_the_assessor_and_never_published(people, staff_client):
    function = designated(people)
    secret = "Aandelen in Leverancier Gamma"
    interest = services.declare_interest(
        verified(people["employee"]), function, InterestKind.SECURITIES, secret
    )
    assert (
        secret
        in staff_client(people["manager"]).get(reverse("prevention:interests")).content.decode()
    )
    director = staff_client(people["director"]).get(reverse("prevention:interests"))
    assert director.status_code == 200 and secret not in director.content.decode()
    employee = staff_client(people["employee-fin"]).get(reverse("prevention:interests"))
    assert employee.status_code == 404
    assert (
        secret
        not in Client()
        .get(reverse("prevention:public_organisation", kwargs={"slug": "bzk"}))
        .content.decode()
    )
    withdraw = reverse("prevention:interest_withdraw", kwargs={"interest_id": interest.pk})
    assert staff_client(people["coordinator"]).post(withdraw, {"confirm": "yes"}).status_code == 404
    assert staff_client(people["employee"]).post(withdraw, {"confirm": "yes"}).status_code == 302


def test_the_public_pages_need_no_login(people):
    function = designated(people)
    declared(people, function, decision="allowed")
    client = Client()
    index = client.get(reverse("prevention:public_index"))
    assert index.status_code == 200
    assert (
        reverse("prevention:public_organisation", kwargs={"slug": "bzk"}) in index.content.decode()
    )
    assert client.get("/openbaar/nevenwerkzaamheden/bestaat-niet/").status_code == 404


def test_editing_a_submitted_declaration_makes_a_new_version_on_the_page(people, staff_client):
    function = designated(people)
    declaration = declared(people, function, decision="allowed")
    client = staff_client(people["employee"])
    url = reverse("prevention:declaration_edit", kwargs={"declaration_id": declaration.pk})
    form = client.get(url)
    assert form.status_code == 200 and 'id="redraft-note"' in form.content.decode()
    assert client.post(url, _form(function, employer="Universiteit Leiden")).status_code == 302
    declaration.refresh_from_db()
    assert (declaration.version, declaration.status, declaration.employer) == (
        2,
        "draft",
        "Universiteit Leiden",
    )
    detail = staff_client(people["coordinator"]).get(
        reverse("prevention:declaration_detail", kwargs={"declaration_id": declaration.pk})
    )
    page = detail.content.decode()
    assert 'data-version="1" data-event="assessed"' in page
    assert 'data-version="2" data-event="changed"' in page
    assert "Haagse Hogeschool" in page  # the earlier version, kept


def test_a_withdrawn_declaration_cannot_be_edited_on_the_page(people, staff_client):
    declaration = declared(people)
    services.withdraw(verified(people["employee"]), declaration)
    client = staff_client(people["employee"])
    url = reverse("prevention:declaration_edit", kwargs={"declaration_id": declaration.pk})
    response = client.post(url, _form(None, employer="Anders"))
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.employer == "Haagse Hogeschool"
