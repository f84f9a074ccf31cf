"""The reporter types the names of the people involved; the server matches them to the staff of
the organisation for the exclusions, and no public page lists staff (issue 10 defect 5: the form
showed every employee by name to any visitor, and could not work with 10,000 staff)."""

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from integriteit.access.rules import reports_visible_to
from integriteit.accounts.constants import Role
from integriteit.accounts.models import User
from integriteit.accounts.selectors import normalised_name, staff_named, staff_of
from integriteit.accounts.tests.factories import UserFactory
from integriteit.crypto.tokens import person_tag
from integriteit.organisations.models import Organisation, Unit
from integriteit.reports.models import Report, ReportExclusion
from integriteit.reports.sealing import open_content
from integriteit.testing import found, verified_client

pytestmark = pytest.mark.django_db

NOT_RECOGNISED = "not recognised"
RECOGNISED = "recognised: kept out of the handling"


def nl(text: str) -> str:
    with translation.override("nl"):
        return escape(translation.gettext(text))


@pytest.fixture
def bzk(people) -> Organisation:
    return Organisation.objects.get(slug="bzk")


@pytest.fixture
def unit(bzk) -> Unit:
    return Unit.objects.filter(organisation=bzk).order_by("pk")[0]


def colleague(unit: Unit, first_name: str, last_name: str) -> User:
    return UserFactory.create(unit=unit, first_name=first_name, last_name=last_name)


def report_naming(client: Client, names: str, **extra) -> str:
    """Fill in the form with `names` typed as the people involved; the check page's HTML."""
    response = client.post(
        "/melden/bzk/",
        {
            "kind": "integrity_violation",
            "violation_types": ["financial"],
            "description": "Er worden facturen dubbel betaald.",
            "raised_before": "no",
            "relation": "employee",
            "anonymous": "1",
            "involved_names": names,
            **extra,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get("/melden/controleren/").content.decode()


def excluded(report: Report) -> set[str]:
    return set(ReportExclusion.objects.filter(report=report).values_list("person_tag", flat=True))


PUBLIC_PAGES = ["/", "/melden/", "/melden/bzk/", "/postbus/", "/meldproces/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES, ids=PUBLIC_PAGES)
def test_no_public_page_shows_a_staff_name(unit, path):
    distinct = colleague(unit, "Zwaantje", "Onvindbaar-Eenmalig")
    page = Client().get(path, follow=True).content.decode()
    assert "Onvindbaar-Eenmalig" not in page
    for person in staff_of(unit.organisation):
        assert person.get_full_name() not in page, (path, person)
    assert f'value="{distinct.pk}"' not in page
    assert "<select" not in page or 'name="involved' not in page


def test_typed_names_are_matched_and_excluded_end_to_end(people, unit, make_staff):
    """Case, diacritics and spaces do not matter; the person recognised is excluded and cannot
    see the report, though a coordinator; the check page says so without adding anything
    about the person."""
    emile = make_staff(Role.COORDINATOR, "bzk", first_name="Émile", last_name="de Vries", unit=unit)
    client = Client()
    check = report_naming(client, "  emile   DE VRIES \n\n")
    names = found(re.compile(r'<ul[^>]*id="involved-names".*?</ul>', re.S), check, 0)
    assert "emile DE VRIES" in names and nl(RECOGNISED) in names
    assert "Émile" not in check and str(emile.unit) not in names
    assert client.post("/melden/versturen/").status_code == 302
    report = Report.objects.submitted().get()
    assert person_tag(emile.pk) in excluded(report)
    emile.is_verified = lambda: True  # as after the second factor
    assert not reports_visible_to(emile).filter(pk=report.pk).exists()
    coordinator = people["coordinator"]
    coordinator.is_verified = lambda: True
    assert reports_visible_to(coordinator).filter(pk=report.pk).exists()  # the others do see it
    content = open_content(report)
    assert content.involved_names == ["emile DE VRIES"] and not content.unrecognised_names
    assert [person["id"] for person in content.involved_staff] == [emile.pk]


def test_an_unknown_name_reveals_nothing(people, unit):
    """A near miss gets "not recognised", like any other name: nobody is suggested."""
    real = colleague(unit, "Jan", "de Vries")
    client = Client()
    check = report_naming(client, "Jan de Vriez\nPiet Bestaatniet")
    names = found(re.compile(r'<ul[^>]*id="involved-names".*?</ul>', re.S), check, 0)
    assert names.count(nl(NOT_RECOGNISED)) == 2 and nl(RECOGNISED) not in names
    assert "de Vries" not in check and str(real.unit) not in check
    assert "Jan de Vriez" in check  # kept as typed
    client.post("/melden/versturen/")
    report = Report.objects.submitted().get()
    assert person_tag(real.pk) not in excluded(report)
    assert open_content(report).unrecognised_names == ["Jan de Vriez", "Piet Bestaatniet"]


def test_an_ambiguous_name_is_kept_as_typed_and_handlers_see_it(people, unit):
    first, second = colleague(unit, "Anna", "Jansen"), colleague(unit, "Anna", "Jansen")
    client = Client()
    check = report_naming(client, "anna jansen")
    assert nl(NOT_RECOGNISED) in check
    client.post("/melden/versturen/")
    report = Report.objects.submitted().get()
    assert not {person_tag(first.pk), person_tag(second.pk)} & excluded(report)
    case = verified_client(people["coordinator"]).get(f"/behandeling/{report.pk}/")
    page = case.content.decode()
    assert "anna jansen" in page
    assert nl("typed by the reporter, not recognised as staff") in page


def test_recognised_and_unrecognised_with_the_line_above(people, unit):
    """route_around_line works on the recognised people as it did on the chosen ones."""
    employee = people["employee"]
    client = Client()
    report_naming(client, f"{employee.get_full_name()}\nNiemand Bekend", route_around_line="on")
    client.post("/melden/versturen/")
    report = Report.objects.submitted().get()
    tags = excluded(report)
    assert {person_tag(people[name].pk) for name in ("employee", "manager", "director")} <= tags


def test_changing_the_answers_keeps_the_typed_names(people, unit):
    colleague(unit, "Kees", "Kaas")
    client = Client()
    report_naming(client, "kees kaas\nOnbekende Naam")
    form = client.get("/melden/bzk/").content.decode()
    textarea = re.search(r'<textarea[^>]*name="involved_names"[^>]*>(.*?)</textarea>', form, re.S)
    assert textarea and textarea.group(1).split() == ["kees", "kaas", "Onbekende", "Naam"]


def test_too_many_names_are_refused_with_a_message(people):
    names = "\n".join(f"Persoon {index}" for index in range(21))
    response = Client().post("/melden/bzk/", {"involved_names": names})
    assert "involved_names" in response.context["form"].errors


def test_ten_thousand_staff_stay_off_the_page_and_are_matched(
    bzk, unit, django_assert_max_num_queries
):
    User.objects.bulk_create(
        [
            User(
                username=f"groot-{index}",
                first_name="Medewerker",
                last_name=f"Nummer {index}",
                unit=unit,
            )
            for index in range(10_000)
        ]
    )
    assert staff_of(bzk).count() >= 10_000
    page = Client().get("/melden/bzk/").content.decode()
    assert "Nummer 1234" not in page and len(page) < 100_000
    with django_assert_max_num_queries(2):
        matched = staff_named(bzk, ["medewerker nummer 1234", "Medewerker Nummer 99999"])
    assert [person.username for person in matched.values()] == ["groot-1234"]
    check = report_naming(Client(), "Medewerker Nummer 1234")
    assert nl(RECOGNISED) in check


names = st.text(alphabet=st.characters(categories=["L", "Zs"]), max_size=30)


@given(names)
def test_normalising_ignores_case_diacritics_and_spaces(name):
    key = normalised_name(name)
    assert normalised_name(name.upper()) == normalised_name(name.lower()) or not name.isascii()
    assert normalised_name(f"  {name.swapcase()}  ") == normalised_name(name.swapcase())
    assert normalised_name(key) == key
    assert "  " not in key and key == key.strip()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("ÉMILE de vriës", "Emile de Vries"), ("Ĳsbrand  Çelik", "IJsbrand Celik"), ("zoë", "Zoe")],
    ids=["accents", "ligature-and-cedilla", "trema"],
)
def test_normalised_names_match(typed, stored):
    assert normalised_name(typed) == normalised_name(stored)
