"""The integrity policy cycle's pages (issue 12 §3): where the organisation stands, its policies,
a policy with its goals, figures, evaluations and actions, and the forms of each step."""

import dataclasses

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from integriteit.accounts.decorators import staff_required

from . import indicators, policy
from .access_policy import (
    may_write,
    organisations_to_read_policy,
    organisations_to_write_policy,
    policies_visible_to,
)
from .models import IntegrityPolicy, PolicyEvaluation, PolicyGoal
from .policy_forms import ActionForm, AdoptForm, DoneForm, EvaluationForm, GoalForm, PolicyForm
from .position_views import chosen_organisation


def _policy(request, pk: int, *, write: bool = False) -> IntegrityPolicy:
    found = get_object_or_404(
        policies_visible_to(request.user).select_related("organisation"), pk=pk
    )
    if write and not may_write(request.user, found):
        raise Http404
    return found


def _detail(found: IntegrityPolicy, anchor: str = "") -> str:
    url = reverse("prevention:policy_detail", kwargs={"pk": found.pk})
    return f"{url}#{anchor}" if anchor else url


@require_safe
@staff_required
def policy_list(request):
    organisations, organisation = chosen_organisation(
        request, organisations_to_read_policy(request.user)
    )
    policies = list(policy.policies_of(request.user, organisation).prefetch_related("goals"))
    return render(
        request,
        "prevention/policy_list.html",
        {
            "organisations": organisations,
            "organisation": organisation,
            "policies": policies,
            "cycle": policy.cycle(organisation, policies),
            "may_write": organisations_to_write_policy(request.user)
            .filter(pk=organisation.pk)
            .exists(),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def policy_new(request):
    _all, organisation = chosen_organisation(request, organisations_to_write_policy(request.user))
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = policy.create_policy(request.user, organisation, form.cleaned_data)
        except policy.PolicyRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The policy was created. Now give it its goals."))
            return redirect(_detail(created))
    return render(
        request, "prevention/policy_form.html", {"form": form, "organisation": organisation}
    )


@require_http_methods(["GET", "POST"])
@staff_required
def policy_edit(request, pk: int):
    found = _policy(request, pk, write=True)
    form = PolicyForm(request.POST or None, instance=found if request.method == "GET" else None)
    if request.method == "POST" and form.is_valid():
        try:
            policy.update_policy(request.user, found, form.cleaned_data)
        except policy.PolicyRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The policy was saved."))
            return redirect(_detail(found))
    return render(
        request,
        "prevention/policy_form.html",
        {"form": form, "organisation": found.organisation, "policy": found},
    )


@require_safe
@staff_required
def policy_detail(request, pk: int):
    found = _policy(request, pk)
    writes = may_write(request.user, found)
    figures = indicators.figures_of(found)
    goals = [
        GoalRow(goal, figures.get(goal.system_figure))
        for goal in found.goals.prefetch_related("risks__process__analysis", "analysis_measures")
    ]
    evaluations = [
        EvaluationRow(evaluation, ActionForm(prefix=_action_prefix(evaluation)) if writes else None)
        for evaluation in found.evaluations.prefetch_related("goal_results__goal", "actions")
    ]
    return render(
        request,
        "prevention/policy_detail.html",
        {
            "policy": found,
            "goals": goals,
            "evaluations": evaluations,
            "may_write": writes,
            "adopt_form": AdoptForm() if writes and not found.adopted_on else None,
            "done_form": writes,
        },
    )


@dataclasses.dataclass
class GoalRow:
    goal: PolicyGoal
    figure: indicators.Shown | None

    @property
    def figure_id(self) -> str:
        return f"figure-{self.goal.pk}"


@dataclasses.dataclass
class EvaluationRow:
    evaluation: PolicyEvaluation
    action_form: ActionForm | None


def _action_prefix(evaluation) -> str:
    """Each evaluation's action form has its own field names and ids on the one page."""
    return f"evaluation-{evaluation.pk}"


@require_http_methods(["GET", "POST"])
@staff_required
def goal_edit(request, pk: int, goal_pk: int | None = None):
    found = _policy(request, pk, write=True)
    goal = get_object_or_404(PolicyGoal, pk=goal_pk, policy=found) if goal_pk else None
    if found.adopted_on:
        messages.error(request, _("The goals of an adopted policy stay as adopted."))
        return redirect(_detail(found, "goals"))
    form = GoalForm(
        request.POST or None,
        instance=goal if request.method == "GET" else None,
        linkable=policy.linkable(found),
    )
    if request.method == "POST" and form.is_valid():
        try:
            policy.save_goal(request.user, found, form.cleaned_data, goal)
        except policy.PolicyRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The goal was saved."))
            return redirect(_detail(found, "goals"))
    return render(
        request, "prevention/goal_form.html", {"form": form, "policy": found, "goal": goal}
    )


@require_POST
@staff_required
def goal_remove(request, pk: int, goal_pk: int):
    found = _policy(request, pk, write=True)
    goal = get_object_or_404(PolicyGoal, pk=goal_pk, policy=found)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the removal."))
    else:
        try:
            policy.remove_goal(request.user, goal)
        except policy.PolicyRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("The goal was removed."))
    return redirect(_detail(found, "goals"))


@require_POST
@staff_required
def policy_adopt(request, pk: int):
    found = _policy(request, pk, write=True)
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_detail(found, "adopt"))
    try:
        policy.adopt(
            request.user, found, form.cleaned_data["adopted_on"], form.cleaned_data["adopted_by"]
        )
    except policy.PolicyRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(_detail(found, "adopt"))
    messages.success(request, _("The policy was adopted."))
    return redirect(_detail(found))


@require_http_methods(["GET", "POST"])
@staff_required
def policy_evaluate(request, pk: int):
    found = _policy(request, pk, write=True)
    goals = list(found.goals.all())
    if not found.adopted_on:
        messages.error(request, _("Adopt the policy before evaluating it."))
        return redirect(_detail(found))
    figures = indicators.figures_of(found)
    form = EvaluationForm(
        request.POST or None,
        rows=[GoalRow(goal, figures.get(goal.system_figure)) for goal in goals],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcomes = [
            policy.GoalOutcome(
                goal,
                data[f"result_{goal.pk}"],
                data[f"finding_{goal.pk}"],
                data[f"change_{goal.pk}"],
            )
            for goal in goals
        ]
        try:
            policy.evaluate(
                request.user,
                found,
                held_on=data["held_on"],
                conclusion=data["conclusion"],
                outcomes=outcomes,
                next_evaluation_due=data["next_evaluation_due"],
            )
        except policy.PolicyRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The evaluation was recorded. Add its follow-up actions."))
            return redirect(_detail(found, "evaluations"))
    return render(request, "prevention/evaluation_form.html", {"form": form, "policy": found})


@require_POST
@staff_required
def action_add(request, pk: int, evaluation_pk: int):
    found = _policy(request, pk, write=True)
    evaluation = get_object_or_404(found.evaluations, pk=evaluation_pk)
    form = ActionForm(request.POST, prefix=_action_prefix(evaluation))
    if not form.is_valid():
        messages.error(request, _("The action was not added: fill in what, who and when."))
    else:
        try:
            policy.add_action(request.user, evaluation, form.cleaned_data)
        except policy.PolicyRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("The action was added."))
    return redirect(_detail(found, f"evaluation-{evaluation.pk}"))


@require_POST
@staff_required
def action_done(request, pk: int, action_pk: int):
    found = _policy(request, pk, write=True)
    action = get_object_or_404(
        policy.PolicyAction.objects.filter(evaluation__policy=found), pk=action_pk
    )
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date on which the action was done."))
    else:
        try:
            policy.complete_action(request.user, action, form.cleaned_data["done_on"])
        except policy.PolicyRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("The action is marked as done."))
    return redirect(_detail(found, f"evaluation-{action.evaluation_id}"))
