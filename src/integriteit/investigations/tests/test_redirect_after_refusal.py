"""Every refused button POST of an investigation answers a redirect, with the reasons in a
message (issue 10 defect 7): before, a refused step showed the page at the POST address, so a
reload posted again. (A refused form keeps what the user typed and shows the page again, as on
the case page; SYSTEM.md "Bad input".) Pages under /en/ so the message is matched in English."""

import pytest

from .helpers import Investigating

pytestmark = pytest.mark.django_db

# (who, the address under the investigation, data)
REFUSED: dict[str, tuple[str, str, dict[str, str]]] = {
    "complete-step-missing-fields": ("investigator", "stap/preliminary_inquiry/afronden/", {}),
    "complete-step-not-open": ("investigator", "stap/plan/afronden/", {}),
    "approve-deviation-not-requested": (
        "authority",
        "stap/preliminary_inquiry/afwijking/goedkeuren/",
        {},
    ),
    "generate-final-report-too-early": ("investigator", "rapport/final/", {}),
    "offer-draft-too-early": ("investigator", "concept-aanbieden/", {}),
}


@pytest.mark.parametrize("key", list(REFUSED), ids=list(REFUSED))
def test_a_refused_investigation_post_redirects_with_the_reason(people, staff_client, key):
    case = Investigating(people)
    who, tail, data = REFUSED[key]
    client = staff_client(people[who])
    url = f"/en/onderzoek/{case.pk}/"
    response = client.post(url + tail, data)
    assert response.status_code == 302, response.content[:300]
    assert response["Location"].split("#")[0].endswith(url)
    page = client.get(response["Location"]).content.decode()
    assert "Not possible:" in page
