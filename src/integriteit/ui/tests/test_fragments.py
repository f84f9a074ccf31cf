"""The blank report form's fields are rendered once and reused (integriteit.ui.fragments):
the page must stay exactly what it was, follow the language at once, never list staff, and
never serve a form that carries someone's answers."""

import re

import pytest

from integriteit.accounts.models import User
from integriteit.ui import fragments

pytestmark = pytest.mark.django_db

# What differs between two requests anyway: the CSRF token and the CSP nonce.
VOLATILE = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


def page(client, path="/melden/bzk/"):
    response = client.get(path)
    assert response.status_code == 200
    return VOLATILE.sub(r'\1""', response.content.decode())


@pytest.fixture(autouse=True)
def empty_cache():
    fragments.clear()
    yield
    fragments.clear()


def test_cached_form_is_the_page_rendered_without_cache(client, people):
    first = page(client)  # renders and fills the cache
    assert fragments._rendered
    second = page(client)  # from the cache
    assert second == first
    fragments.clear()
    assert page(client) == first


def test_no_staff_member_shows(client, people):
    """The form has no staff list to follow (issue 10 defect 5): names are typed."""
    unit = people["manager"].unit
    User.objects.create(username="nieuw", first_name="Nieuwe", last_name="Collega", unit=unit)
    assert "Nieuwe Collega" not in page(client)
    assert people["manager"].get_full_name() not in page(client)


def test_each_language_its_own_fields(client, people):
    dutch = page(client)
    english = page(client, "/en/melden/bzk/")
    assert "Wat wilt u melden?" in dutch
    assert "What do you want to report?" in english
    assert "What do you want to report?" not in dutch


def test_form_with_answers_is_never_cached(client, people):
    page(client)
    cached = len(fragments._rendered)
    response = client.post("/melden/bzk/", {"description": "Mijn eigen woorden"})
    assert response.status_code == 200  # errors: the bound form is shown again
    assert "Mijn eigen woorden" in response.content.decode()
    assert len(fragments._rendered) == cached
    assert "Mijn eigen woorden" not in page(client)
