"""The table of case actions (cases.views.actions.CASE_ACTIONS) and its one view: every key
has a URL of its own name, calls its own service, and is refused (404) to a wrong role."""

from types import SimpleNamespace
from unittest import mock

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from integriteit.cases import services, urls
from integriteit.cases.tests.test_views import WRONG_ROLE
from integriteit.cases.views import actions
from integriteit.cases.views.actions import CASE_ACTIONS, Submission

# Which service each action key runs.
SERVICE_OF = {
    "assign": "assign",
    "end_assignment": "end_assignment",
    "assess": "record_assessment",
    "check_conflict": "check_conflict_item",
    "decide_follow_up": "decide_follow_up",
    "record_outcome": "record_outcome",
    "record_subject": "record_subject",
    "subject_informed": "record_subject_informed",
    "interim_feedback": "give_interim_feedback",
    "final_feedback": "give_final_feedback",
    "plan_aftercare": "plan_aftercare",
    "finish_aftercare": "finish_aftercare",
    "cancel_aftercare": "finish_aftercare",
    "complete_aftercare": "complete_aftercare",
    "record_disadvantage": "record_disadvantage",
    "handle_disadvantage": "handle_disadvantage",
    "record_decision": "record_decision",
    "record_hearing": "record_hearing",
    "impose_measure": "impose_measure",
    "impose_order_measure": "impose_order_measure",
    "lift_order_measure": "lift_order_measure",
}


REPORT_ID = "00000000-0000-0000-0000-000000000001"


def _table_routes() -> dict[str, set[str]]:
    """Per key routed to the one view, the names its URL takes besides the report."""
    return {
        pattern.default_args["key"]: set(pattern.pattern.converters) - {"report_id"}
        for pattern in urls.urlpatterns
        if pattern.callback is actions.case_action
    }


def test_every_key_has_its_named_url_and_the_one_view():
    routes = _table_routes()
    assert set(routes) == set(CASE_ACTIONS) == set(SERVICE_OF)
    for key, names in routes.items():
        kwargs = {name: "investigator" if name == "role" else 1 for name in names}
        match = resolve(reverse(f"cases:{key}", kwargs={"report_id": REPORT_ID, **kwargs}))
        assert match.func is actions.case_action and match.kwargs["key"] == key
        assert match.url_name == key


@pytest.mark.parametrize("key", sorted(SERVICE_OF), ids=str)
def test_each_key_calls_its_service(key, monkeypatch):
    called = []
    for name in set(SERVICE_OF.values()):
        monkeypatch.setattr(
            services, name, lambda *a, _name=name, **k: called.append(_name), raising=True
        )
    form = SimpleNamespace(cleaned_data=mock.MagicMock(), findings=lambda: [])
    CASE_ACTIONS[key].call(Submission(mock.Mock(), mock.Mock(), mock.Mock(), form))
    assert called == [SERVICE_OF[key]]


def test_every_key_is_in_the_wrong_role_test():
    """test_views.test_a_wrong_role_gets_404_on_every_post posts each of these as a wrong role
    and as someone without any role, and checks no audit entry is written."""
    keys = set()
    with translation.override("en"):  # the tails as test_views posts them, under /en/
        for tail, _wrong in WRONG_ROLE:
            path = f"/en/behandeling/{REPORT_ID}/" + tail.format(
                assignment=1, subject=1, aftercare=1, signal=1, order=1
            )
            keys.add(resolve(path).kwargs["key"])
    assert keys == set(CASE_ACTIONS)
