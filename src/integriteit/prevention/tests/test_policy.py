"""The integrity policy cycle (issue 12 §3): a policy with goals, adopted once, evaluated with
the system's figures beside each goal (frozen in the evaluation), follow-up actions, and "where
are we"; who may read and write it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from integriteit.accounts.constants import Role
from integriteit.audit.models import AuditEntry
from integriteit.prevention import policy
from integriteit.prevention.models import (
    GoalEvaluation,
    GoalResult,
    IntegrityPolicy,
    PolicyAction,
    PolicyGoal,
    SystemFigure,
)
from integriteit.registry.tests.helpers import make_entry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_YEAR = TODAY.year
LIST = reverse("prevention:policy_list")
NEW = reverse("prevention:policy_new")


def url(name: str, found, **kwargs) -> str:
    return reverse(f"prevention:{name}", kwargs={"pk": found.pk, **kwargs})


def policy_data(**changes) -> dict:
    data = {
        "title": "Integriteitsbeleid BZK",
        "period_start": f"{THIS_YEAR - 1}-01-01",
        "period_end": f"{THIS_YEAR + 2}-12-31",
        "evaluation_due": f"{THIS_YEAR + 1}-06-30",
    }
    data.update(changes)
    return data


def goal_data(**changes) -> dict:
    data = {
        "title": "Meldingen worden op tijd bevestigd",
        "indicator": "Aandeel meldingen binnen 7 dagen bevestigd",
        "target": "95%",
        "system_figure": SystemFigure.REPORTS,
        "measures": "Werkinstructie meldpunt",
    }
    data.update(changes)
    return data


@pytest.fixture
def coordinator(people, staff_client):
    return staff_client(people["coordinator"])


@pytest.fixture
def drafted(coordinator):
    response = coordinator.post(NEW, policy_data())
    assert response.status_code == 302
    found = IntegrityPolicy.objects.get()
    assert coordinator.post(url("goal_new", found), goal_data()).status_code == 302
    return found


def adopt(client, found, **changes):
    data = {
        "adopted_on": TODAY.isoformat(),
        "adopted_by": "De secretaris-generaal",
        "confirm": "yes",
    }
    data.update(changes)
    return client.post(url("policy_adopt", found), data)


def evaluation_data(found, **changes) -> dict:
    data = {"held_on": TODAY.isoformat(), "conclusion": "Grotendeels bereikt."}
    for goal in found.goals.all():
        data[f"result_{goal.pk}"] = GoalResult.PARTLY
        data[f"finding_{goal.pk}"] = "Negen op de tien meldingen op tijd bevestigd."
        data[f"change_{goal.pk}"] = "Een tweede medewerker voor het meldpunt."
    data.update(changes)
    return data


def test_from_draft_to_evaluation_with_the_figures_beside_the_goal(coordinator, drafted):
    make_entry("bzk", "BZK-1", received_on=datetime.date(THIS_YEAR - 1, 3, 1))
    make_entry("bzk", "BZK-2", received_on=datetime.date(THIS_YEAR - 1, 4, 1))
    page = coordinator.get(url("policy_detail", drafted))
    row = page.context["goals"][0]
    assert dict(row.figure)[THIS_YEAR - 1] == "2"  # the registry's count beside the goal
    assert adopt(coordinator, drafted).status_code == 302
    drafted.refresh_from_db()
    assert drafted.adopted_on == TODAY
    response = coordinator.post(
        url("policy_evaluate", drafted),
        evaluation_data(drafted, next_evaluation_due=f"{THIS_YEAR + 2}-06-30"),
    )
    assert response.status_code == 302
    result = GoalEvaluation.objects.get()
    assert result.result == GoalResult.PARTLY
    assert [THIS_YEAR - 1, "2"] in result.figures
    make_entry("bzk", "BZK-3", received_on=datetime.date(THIS_YEAR - 1, 5, 1))
    result.refresh_from_db()
    assert [THIS_YEAR - 1, "2"] in result.figures  # frozen as it was shown
    drafted.refresh_from_db()
    assert drafted.evaluation_due == datetime.date(THIS_YEAR + 2, 6, 30)
    actions = {
        f"evaluation-{result.evaluation_id}-{name}": value
        for name, value in {
            "description": "Tweede medewerker meldpunt werven",
            "owner": "HR",
            "due_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
        }.items()
    }
    response = coordinator.post(
        url("action_add", drafted, evaluation_pk=result.evaluation_id), actions
    )
    assert response.status_code == 302
    action = PolicyAction.objects.get()
    response = coordinator.post(
        url("action_done", drafted, action_pk=action.pk), {"done_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == TODAY
    actions_audited = AuditEntry.objects.filter(action__startswith="prevention.policy")
    assert {"prevention.policy_created", "prevention.policy_adopted"} <= set(
        actions_audited.values_list("action", flat=True)
    )


def test_where_are_we(coordinator, drafted):
    listing = coordinator.get(LIST)
    assert listing.context["cycle"].in_force is None
    assert listing.context["cycle"].latest_analysis is None
    assert listing.context["cycle"].drafts == [drafted]
    adopt(coordinator, drafted)
    coordinator.post(url("policy_evaluate", drafted), evaluation_data(drafted))
    evaluation = drafted.evaluations.get()
    PolicyAction.objects.create(
        evaluation=evaluation,
        description="Late actie",
        owner="HR",
        due_on=TODAY - datetime.timedelta(days=1),
    )
    IntegrityPolicy.objects.filter(pk=drafted.pk).update(
        evaluation_due=TODAY - datetime.timedelta(days=1)
    )
    cycle = coordinator.get(LIST).context["cycle"]
    assert cycle.in_force == drafted and cycle.last_evaluation == evaluation
    assert cycle.evaluation_overdue
    assert [a.description for a in cycle.overdue_actions] == ["Late actie"]
    assert cycle.open_actions == 1


def test_an_adopted_policy_keeps_its_goals_and_period(coordinator, drafted, people):
    adopt(coordinator, drafted)
    response = coordinator.post(url("goal_new", drafted), goal_data(title="Nog een doel"))
    assert response.status_code == 302
    assert drafted.goals.count() == 1
    goal = drafted.goals.get()
    response = coordinator.post(url("goal_remove", drafted, goal_pk=goal.pk), {"confirm": "yes"})
    assert PolicyGoal.objects.filter(pk=goal.pk).exists()
    response = coordinator.post(
        url("policy_edit", drafted), policy_data(period_end=f"{THIS_YEAR + 3}-12-31")
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert adopt(coordinator, drafted).status_code == 302  # a second time: refused, redirected
    with pytest.raises(policy.PolicyRefused):
        policy.adopt(_verified(people["coordinator"]), drafted, TODAY, "De secretaris-generaal")


def _verified(user):
    user.is_verified = lambda: True
    return user


@pytest.mark.parametrize(
    "changes",
    [
        {"period_end": "2000-01-01"},
        {"evaluation_due": "2000-01-01"},
        {"title": ""},
        {"period_start": "31-31-2026"},
    ],
)
def test_a_bad_policy_is_refused_and_kept(coordinator, changes):
    response = coordinator.post(NEW, policy_data(**{"title": "Mijn titel", **changes}))
    assert response.status_code == 200
    assert response.context["form"].errors
    if "title" not in changes:
        assert "Mijn titel" in response.content.decode()
    assert not IntegrityPolicy.objects.exists()


def test_adoption_needs_a_goal_a_confirmation_and_a_date_that_has_come(coordinator, people):
    coordinator.post(NEW, policy_data())
    found = IntegrityPolicy.objects.get()
    adopt(coordinator, found)
    found.refresh_from_db()
    assert found.adopted_on is None  # no goal yet
    coordinator.post(url("goal_new", found), goal_data())
    adopt(coordinator, found, confirm="")
    adopt(coordinator, found, adopted_on=(TODAY + datetime.timedelta(days=1)).isoformat())
    found.refresh_from_db()
    assert found.adopted_on is None


def test_an_evaluation_needs_every_goal_and_a_sound_date(coordinator, drafted):
    response = coordinator.get(url("policy_evaluate", drafted))
    assert response.status_code == 302  # not adopted yet
    coordinator.post(url("goal_new", drafted), goal_data(title="Tweede doel", system_figure=""))
    adopt(coordinator, drafted)
    _first, second = drafted.goals.all()
    data = evaluation_data(drafted)
    del data[f"result_{second.pk}"]
    response = coordinator.post(url("policy_evaluate", drafted), data)
    assert response.status_code == 200 and f"result_{second.pk}" in response.context["form"].errors
    assert "Negen op de tien" in response.content.decode()  # what she typed is kept
    early = (TODAY - datetime.timedelta(days=400)).isoformat()
    response = coordinator.post(
        url("policy_evaluate", drafted), evaluation_data(drafted, held_on=early)
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not drafted.evaluations.exists()


def test_an_action_due_in_the_past_is_refused(coordinator, drafted):
    adopt(coordinator, drafted)
    coordinator.post(url("policy_evaluate", drafted), evaluation_data(drafted))
    evaluation = drafted.evaluations.get()
    prefix = f"evaluation-{evaluation.pk}-"
    response = coordinator.post(
        url("action_add", drafted, evaluation_pk=evaluation.pk),
        {
            prefix + "description": "Te laat",
            prefix + "owner": "HR",
            prefix + "due_on": "2020-01-01",
        },
    )
    assert response.status_code == 302
    assert not PolicyAction.objects.exists()


@pytest.mark.parametrize("username", ["authority", "manager"])
def test_the_top_reads_but_does_not_write(people, staff_client, drafted, username):
    client = staff_client(people[username])
    assert client.get(LIST).status_code == 200
    page = client.get(url("policy_detail", drafted))
    assert page.status_code == 200 and not page.context["may_write"]
    assert client.get(NEW).status_code == 404
    assert client.get(url("policy_edit", drafted)).status_code == 404
    assert client.post(url("goal_new", drafted), goal_data()).status_code == 404
    assert adopt(client, drafted).status_code == 404
    drafted.refresh_from_db()
    assert drafted.adopted_on is None and drafted.goals.count() == 1


@pytest.mark.parametrize(
    "username", ["employee", "adviser", "investigator", "guide", "auditor", "bzk-coordinator"]
)
def test_no_one_else_sees_it(people, staff_client, drafted, username):
    client = staff_client(people[username])
    assert client.get(LIST).status_code == 404
    assert client.get(url("policy_detail", drafted)).status_code == 404


def test_another_organisation_and_a_tampered_id(staff_client, make_staff, drafted, coordinator):
    other = staff_client(make_staff(Role.COORDINATOR, "fin", username="coordinator-elsewhere"))
    assert other.get(url("policy_detail", drafted)).status_code == 404
    assert other.post(url("goal_new", drafted), goal_data()).status_code == 404
    assert other.get(LIST + "?organisatie=bzk").status_code == 404
    tampered = reverse("prevention:policy_detail", kwargs={"pk": 987654321})
    assert coordinator.get(tampered).status_code == 404
    goal = drafted.goals.get()
    other_policy = IntegrityPolicy.objects.create(
        organisation=goal.policy.organisation,
        title="Ander beleid",
        period_start=TODAY,
        period_end=TODAY,
        evaluation_due=TODAY,
    )
    wrong_pair = url("goal_edit", other_policy, goal_pk=goal.pk)
    assert coordinator.get(wrong_pair).status_code == 404  # the goal of another policy


def test_a_goal_links_the_risks_and_measures_of_the_organisations_analyses(
    people, coordinator, drafted, make_staff
):
    from integriteit.cases.tests.flow import verified
    from integriteit.organisations.models import Organisation
    from integriteit.prevention import services_analyses
    from integriteit.prevention.tests.analyses_helpers import make_analysis, make_risk

    risk = make_risk(people["coordinator"], make_analysis(people["coordinator"], year=THIS_YEAR))
    measure = services_analyses.save_measure(
        verified(people["coordinator"]),
        risk.process.analysis,
        {"kind": "four_eyes", "description": "Vier ogen bij offertes", "status": "in_place"},
        [risk],
    )
    elsewhere = make_staff(Role.COORDINATOR, "fin", username="coordinator-fin-2")
    fin_analysis = services_analyses.create_analysis(
        verified(elsewhere),
        Organisation.objects.get(slug="fin"),
        services_analyses.AnalysisValues(
            title="FIN", year=THIS_YEAR, analysed_on=TODAY, object_kind="unit"
        ),
    )
    fin_risk = make_risk(elsewhere, fin_analysis)
    goal = drafted.goals.get()
    edit = url("goal_edit", drafted, goal_pk=goal.pk)
    response = coordinator.post(edit, goal_data(risks=[fin_risk.pk]))
    assert response.status_code == 200 and "risks" in response.context["form"].errors
    response = coordinator.post(edit, goal_data(risks=[risk.pk], analysis_measures=[measure.pk]))
    assert response.status_code == 302
    assert list(goal.risks.all()) == [risk]
    assert list(goal.analysis_measures.all()) == [measure]
    page = coordinator.get(url("policy_detail", drafted)).content.decode()
    assert "Vier ogen bij offertes" in page and risk.title in page
