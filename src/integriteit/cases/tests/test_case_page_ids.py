"""Issue 10 defect 7: a duplicate `id` on the case page made a label focus the wrong field (the
acknowledgement and the message to the reporter were both `id_text`). The rendered page of a
case in every phase, every section, as the coordinator and as the competent authority, has
unique ids, and every label[for] names a form control that exists."""

from html.parser import HTMLParser

import pytest

from integriteit.cases.tests.flow import Flow
from integriteit.cases.views.panels import SECTIONS
from integriteit.reports.constants import Phase
from integriteit.testing import verified_client

pytestmark = pytest.mark.django_db

CONTROLS = {"input", "select", "textarea", "button", "output", "meter", "progress"}


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.controls: set[str] = set()
        self.label_for: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if element_id := attributes.get("id"):
            self.ids.append(element_id)
            if tag in CONTROLS and attributes.get("type") != "hidden":
                self.controls.add(element_id)
        if tag == "label" and attributes.get("for"):
            self.label_for.append(attributes["for"])


def problems(html: str) -> list[str]:
    parsed = _Ids()
    parsed.feed(html)
    seen: set[str] = set()
    found = [f"duplicate id {i!r}" for i in parsed.ids if i in seen or seen.add(i)]  # type: ignore[func-returns-value]
    found += [
        f"label for={target!r} names no form control"
        for target in parsed.label_for
        if target not in parsed.controls
    ]
    return found


PHASES = [
    Phase.RECEIVED,
    Phase.ACKNOWLEDGED,
    Phase.ASSESSMENT,
    Phase.FOLLOW_UP_DECISION,
    Phase.INVESTIGATION,
    Phase.MEDIATION,
    Phase.DECISION,
    Phase.FEEDBACK,
    Phase.AFTERCARE,
    Phase.EVALUATION,
    Phase.CLOSED,
]


EARLY = {Phase.RECEIVED, Phase.ACKNOWLEDGED, Phase.ASSESSMENT}


@pytest.mark.parametrize("phase", PHASES, ids=[str(p) for p in PHASES])
def test_case_page_has_unique_ids_and_labels_that_point_at_their_field(people, phase):
    flow = Flow(people, types=("financial", "position")).to(phase)
    if phase == Phase.INVESTIGATION:
        flow.assign_investigator()  # with a subject: the per-subject forms are on the page
        flow.record_subject(informed=False)
    # The competent authority sees the case once it is assigned, during the assessment.
    roles = ["coordinator"] + (["authority"] if phase not in EARLY else [])
    for role in roles:
        client = verified_client(people[role])
        for section in SECTIONS:  # the page shows one section at a time
            response = client.get(f"/behandeling/{flow.pk}/?section={section.key}")
            assert response.status_code == 200, role
            assert problems(response.content.decode()) == [], (role, section.key)
