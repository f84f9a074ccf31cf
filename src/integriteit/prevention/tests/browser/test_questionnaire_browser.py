"""The employees' questionnaire in a real browser: the coordinator makes and opens it, an
employee answers by her invitation link without logging in, the used link is refused; every
page passes axe-core (issue 12 "It must show")."""

import pytest

from integriteit.cases.tests.flow import verified
from integriteit.prevention import questionnaire
from integriteit.prevention.models import Questionnaire, QuestionnaireAnswer
from integriteit.prevention.tests.analyses_helpers import make_analysis

from .conftest import assert_no_axe_violations, log_in_staff

pytestmark = pytest.mark.browser


def submit(page) -> None:
    with page.expect_navigation():
        page.click("form.utrecht-form button[type=submit]")


def test_an_employee_answers_without_logging_in(demo, new_page):
    analysis = make_analysis(demo["coordinator"])
    page = new_page()
    log_in_staff(page, demo["coordinator"], check_axe=False)
    page.goto(f"/risicoanalyses/{analysis.pk}/")
    with page.expect_navigation():
        page.click("a[href$='/vragenlijst/']")
    assert_no_axe_violations(page)
    page.fill("#id_title", "Welke risico's ziet u?")
    page.fill("#id_closes_on", "2099-12-31")
    submit(page)
    assert_no_axe_violations(page)
    page.check("#open-confirm")
    with page.expect_navigation():
        page.click("form[action$='/openen/'] button[type=submit]")
    asked = Questionnaire.objects.get()
    assert asked.is_open
    link = questionnaire.link_of(
        questionnaire.issue_invitations(verified(demo["coordinator"]), asked, 1)[0]
    )
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    employee = new_page()  # no login
    employee.goto(path)
    assert employee.url.endswith("/vragenlijst/")  # the code is off the address bar
    assert_no_axe_violations(employee)
    employee.check("input[name=activities][value=contracting]")
    employee.fill("#id_risk", "Offertes worden door één persoon beoordeeld.")
    employee.check("input[name=likelihood][value='3']")
    submit(employee)
    assert employee.url.endswith("/vragenlijst/bedankt/")
    assert_no_axe_violations(employee)
    assert QuestionnaireAnswer.objects.count() == 1
    response = employee.goto(path)
    assert response is not None and response.status == 404  # used
    assert_no_axe_violations(employee)
