"""What every page carries (issue 10 "Visual finish"): the reporter's footer (where else to
report) on the reporter's and public pages and not on staff pages; a favicon; text inputs that
are NL Design System form controls, not bare browser boxes."""

import re

import pytest

from integriteit.testing import verified_client

REPORTER_FOOTER = 'class="int-footer__reporter"'


@pytest.mark.parametrize(
    "path", ["/", "/melden/", "/melden/bzk/", "/postbus/", "/vertrouwenspersonen/"]
)
def test_reporter_and_public_pages_have_the_reporter_footer(people, client, path):
    page = client.get(path).content.decode()
    assert REPORTER_FOOTER in page
    assert "Huis voor Klokkenluiders" in page


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("coordinator", "/behandeling/"),
        ("coordinator", "/behandeling/overzicht/"),
        ("adviser", "/vertrouwenspersonen/logboek/"),
        ("investigator", "/onderzoek/"),
    ],
    ids=["queue", "dashboard", "adviser-log", "investigator-investigations"],
)
def test_staff_pages_have_no_reporter_footer(people, username, path):
    response = verified_client(people[username]).get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert REPORTER_FOOTER not in page
    assert "Huis voor Klokkenluiders" not in page


def test_the_staff_login_has_no_reporter_footer(people, client):
    assert REPORTER_FOOTER not in client.get("/account/inloggen/").content.decode()


def test_every_page_links_a_favicon(people, client):
    page = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="[^"]+\.svg" type="image/svg\+xml">', page)
    assert re.search(r'<link rel="icon" href="[^"]+\.png" type="image/png"', page)


def test_text_inputs_are_form_controls(people, client):
    """The report form's text, e-mail and phone inputs had no class at all (the widget type
    names did not match), so they showed as small bare boxes."""
    page = client.get("/melden/bzk/").content.decode()
    inputs = re.findall(r'<input type="(?:text|email)"[^>]*>', page)
    assert len(inputs) >= 4
    for tag in inputs:
        assert 'class="utrecht-textbox utrecht-textbox--html-input"' in tag, tag
    for tag in re.findall(r"<textarea[^>]*>", page):
        assert "utrecht-textarea" in tag, tag
    for tag in re.findall(r"<select[^>]*>", page):
        assert "utrecht-select utrecht-select--html-select" in tag, tag
