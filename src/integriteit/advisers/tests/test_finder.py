"""Finding a confidential adviser: public, per organisation and government-wide (issue 5 §2)."""

import re

import pytest

from integriteit.advisers.constants import AdviserKind, AdviserThemes
from integriteit.advisers.models import ConfidentialAdviser
from integriteit.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def body(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_index_lists_organisations_and_every_adviser_without_login(client, people):
    page = body(client, "/en/vertrouwenspersonen/")
    assert 'href="/en/vertrouwenspersonen/bzk/"' in page
    assert 'href="/en/vertrouwenspersonen/fin/"' in page
    assert "Vera Vertrouwenspersoon" in page and "Xander Extern" in page


def test_bzk_lists_internal_and_external_advisers(client, people):
    page = body(client, "/en/vertrouwenspersonen/bzk/")
    assert "Vera Vertrouwenspersoon" in page and "Internal confidential adviser" in page
    assert "Xander Extern" in page and "External confidential adviser" in page
    assert "Bureau Vertrouwen &amp; Co" in page
    assert 'href="mailto:x.extern@vertrouwen.example"' in page
    assert 'href="tel:0307654321"' in page
    assert "including external advisers" in page
    for referral in ("RABA", "Geschillencommissie Rijk", "Company doctor", "Vertrouwenslijn"):
        assert referral in page
    assert "Huis voor Klokkenluiders" in page and "National Ombudsman" in page
    # No script but the site's own progressive enhancement (counters, copy buttons), which this
    # page does not need: it works without JavaScript.
    assert re.findall(r"<script[^>]*>", page) == [
        *re.findall(r'<script src="/static/ui/enhance\.js" nonce="[^"]+" defer>', page)
    ]


def test_fin_lists_external_and_partner_advisers(client, people):
    page = body(client, "/en/vertrouwenspersonen/fin/")
    assert "Xander Extern" in page
    assert "Vera Vertrouwenspersoon" not in page
    vera = ConfidentialAdviser.objects.get(user__username="adviser")
    vera.organisations_served.add(Organisation.objects.get(slug="fin"))
    page = body(client, "/en/vertrouwenspersonen/fin/")
    assert "Vera Vertrouwenspersoon" in page and "(partner organisation)" in page


def test_internal_adviser_of_another_directorate_is_listed(client, people):
    ConfidentialAdviser.objects.create(
        user=people["director"],
        kind=AdviserKind.INTERNAL,
        home_organisation=Organisation.objects.get(slug="bzk"),
        themes=AdviserThemes.INTEGRITY,
        email="dirk@example.org",
    )
    assert "Dirk Directeur" in body(client, "/en/vertrouwenspersonen/bzk/")


def test_inactive_advisers_are_not_listed(client, people):
    ConfidentialAdviser.objects.filter(user__username="adviser-ext").update(is_active=False)
    assert "Xander Extern" not in body(client, "/en/vertrouwenspersonen/bzk/")
    assert "Xander Extern" not in body(client, "/en/vertrouwenspersonen/")
    page = body(client, "/en/vertrouwenspersonen/fin/")
    assert "No confidential advisers are listed here yet" in page


def test_unknown_organisation_is_404(client, people):
    assert client.get("/vertrouwenspersonen/bestaat-niet/").status_code == 404


def test_dutch_page_and_footer_link(client, people):
    page = body(client, "/vertrouwenspersonen/bzk/")
    assert "Xander Extern" in page
    assert 'href="/vertrouwenspersonen/"' in body(client, "/melden/")
