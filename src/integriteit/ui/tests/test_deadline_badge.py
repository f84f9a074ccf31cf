"""The deadline badge speaks the page's language, also for a deadline that was met (issue 10
defect 7: "done on" stayed English on Dutch pages)."""

import datetime

from django.utils import timezone, translation

from integriteit.deadlines.services import deadline
from integriteit.ui.templatetags.ui import deadline_badge

MET = timezone.make_aware(datetime.datetime(2027, 3, 8, 10, 0))


def test_a_met_deadline_says_when_in_dutch():
    met = deadline("acknowledgement", MET, MET, MET)
    with translation.override("nl"):
        html = deadline_badge(met)
    assert "afgerond op 8 maart 2027" in html
    assert "done on" not in html


def test_a_met_deadline_says_when_in_english():
    met = deadline("acknowledgement", MET, MET, MET)
    with translation.override("en"):
        assert "done on 8 March 2027" in deadline_badge(met)
