"""Writes and reads of the integrity policy cycle (issue 12 §3). A policy is drafted with its
goals (indicator, target, the measures that serve it), adopted once (then its goals stand), and
evaluated: a result per goal with the system's figures beside it, frozen in the evaluation, what
changes, and follow-up actions. Each write is one transaction with its audit record.

`cycle` answers "where are we": the policy in force, when it was adopted, the next evaluation
and what is overdue."""

from __future__ import annotations

import dataclasses
import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.audit.services import Actor, record
from integriteit.organisations.models import Organisation

from . import indicators
from .access_policy import may_write, organisations_to_write_policy, policies_visible_to
from .models import (
    Analysis,
    GoalEvaluation,
    IntegrityPolicy,
    Measure,
    PolicyAction,
    PolicyEvaluation,
    PolicyGoal,
    Risk,
)


class PolicyRefused(ValueError):
    """The step cannot be taken; the message says why, for the user."""


def _audit(user, action: str, policy: IntegrityPolicy, detail: dict | None = None) -> None:
    record(Actor.of(user), f"prevention.{action}", "integrity_policy", policy.pk, detail or {})


def _require(user, policy: IntegrityPolicy) -> None:
    if not may_write(user, policy):
        raise PermissionDenied


def _check_period(values: dict) -> None:
    if values["period_end"] < values["period_start"]:
        raise PolicyRefused(_("The period ends before it begins."))
    if values["evaluation_due"] < values["period_start"]:
        raise PolicyRefused(_("The evaluation is planned before the period begins."))


POLICY_FIELDS = ("title", "period_start", "period_end", "evaluation_due")
GOAL_FIELDS = ("title", "indicator", "target", "system_figure", "measures")


def create_policy(user, organisation: Organisation, values: dict) -> IntegrityPolicy:
    if not organisations_to_write_policy(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    _check_period(values)
    with transaction.atomic():
        policy = IntegrityPolicy.objects.create(
            organisation=organisation,
            created_by=user,
            **{name: values[name] for name in POLICY_FIELDS},
        )
        _audit(user, "policy_created", policy)
    return policy


def update_policy(user, policy: IntegrityPolicy, values: dict) -> IntegrityPolicy:
    """The title, period and evaluation date; before adoption the period too."""
    _require(user, policy)
    _check_period(values)
    with transaction.atomic():
        policy = IntegrityPolicy.objects.select_for_update().get(pk=policy.pk)
        if policy.adopted_on and (
            values["period_start"] != policy.period_start
            or values["period_end"] != policy.period_end
        ):
            raise PolicyRefused(_("The period of an adopted policy stays as it was adopted."))
        for name in POLICY_FIELDS:
            setattr(policy, name, values[name])
        policy.save()
        _audit(user, "policy_changed", policy)
    return policy


def _editable_goals(policy: IntegrityPolicy) -> None:
    if policy.adopted_on:
        raise PolicyRefused(
            _("The goals of an adopted policy stay as adopted; change them in the next policy.")
        )


def save_goal(user, policy: IntegrityPolicy, values: dict, goal: PolicyGoal | None = None):
    _require(user, policy)
    with transaction.atomic():
        policy = IntegrityPolicy.objects.select_for_update().get(pk=policy.pk)
        _editable_goals(policy)
        if goal is None:
            goal = PolicyGoal(policy=policy)
        elif goal.policy_id != policy.pk:
            raise PermissionDenied
        for name in GOAL_FIELDS:
            setattr(goal, name, values[name])
        goal.save()
        risks, measures = values.get("risks", []), values.get("analysis_measures", [])
        if any(r.process.analysis.organisation_id != policy.organisation_id for r in risks) or any(
            m.analysis.organisation_id != policy.organisation_id for m in measures
        ):
            raise PermissionDenied  # another organisation's risk analysis
        goal.risks.set(risks)
        goal.analysis_measures.set(measures)
        _audit(user, "policy_goal_saved", policy, {"goal": goal.pk})
    return goal


def linkable(policy: IntegrityPolicy):
    """The risks and measures a goal of the policy can be linked to: those of the
    organisation's risk analyses of the policy's years and the year before."""
    analyses = Analysis.objects.filter(
        organisation_id=policy.organisation_id,
        year__gte=policy.period_start.year - 1,
        year__lte=policy.period_end.year,
    )
    risks = Risk.objects.filter(process__analysis__in=analyses).select_related("process__analysis")
    measures = Measure.objects.filter(analysis__in=analyses).select_related("analysis")
    return risks.order_by("process__analysis__year", "title", "pk"), measures.order_by(
        "analysis__year", "description", "pk"
    )


def remove_goal(user, goal: PolicyGoal) -> None:
    policy = goal.policy
    _require(user, policy)
    with transaction.atomic():
        policy = IntegrityPolicy.objects.select_for_update().get(pk=policy.pk)
        _editable_goals(policy)
        _audit(user, "policy_goal_removed", policy, {"goal": goal.pk})
        goal.delete()


def adopt(user, policy: IntegrityPolicy, adopted_on: datetime.date, adopted_by: str):
    _require(user, policy)
    with transaction.atomic():
        policy = IntegrityPolicy.objects.select_for_update().get(pk=policy.pk)
        if policy.adopted_on:
            raise PolicyRefused(_("This policy has already been adopted."))
        if not policy.goals.exists():
            raise PolicyRefused(_("Give the policy at least one goal before it is adopted."))
        if adopted_on > timezone.localdate():
            raise PolicyRefused(_("The date of adoption lies in the future."))
        policy.adopted_on, policy.adopted_by = adopted_on, adopted_by
        policy.save()
        _audit(user, "policy_adopted", policy, {"adopted_on": adopted_on.isoformat()})
    return policy


@dataclasses.dataclass
class GoalOutcome:
    goal: PolicyGoal
    result: str
    finding: str
    change: str


def evaluate(
    user,
    policy: IntegrityPolicy,
    *,
    held_on: datetime.date,
    conclusion: str,
    outcomes: list[GoalOutcome],
    next_evaluation_due: datetime.date | None,
) -> PolicyEvaluation:
    """An evaluation of an adopted policy: a result for every goal, the system's figures beside
    each frozen as they were shown, and the next evaluation's date."""
    _require(user, policy)
    with transaction.atomic():
        policy = IntegrityPolicy.objects.select_for_update().get(pk=policy.pk)
        if not policy.adopted_on:
            raise PolicyRefused(_("Adopt the policy before evaluating it."))
        if held_on > timezone.localdate():
            raise PolicyRefused(_("The date of the evaluation lies in the future."))
        if held_on < policy.adopted_on:
            raise PolicyRefused(_("The evaluation is dated before the policy was adopted."))
        if next_evaluation_due is not None and next_evaluation_due <= held_on:
            raise PolicyRefused(_("The next evaluation lies after this one."))
        goals = {goal.pk for goal in policy.goals.all()}
        if {outcome.goal.pk for outcome in outcomes} != goals:
            raise PolicyRefused(_("Give a result for every goal."))
        shown = indicators.figures_of(policy)
        evaluation = PolicyEvaluation.objects.create(
            policy=policy,
            held_on=held_on,
            conclusion=conclusion,
            next_evaluation_due=next_evaluation_due,
            recorded_by=user,
        )
        GoalEvaluation.objects.bulk_create(
            GoalEvaluation(
                evaluation=evaluation,
                goal=outcome.goal,
                result=outcome.result,
                finding=outcome.finding,
                change=outcome.change,
                figures=[list(pair) for pair in shown.get(outcome.goal.system_figure, [])],
            )
            for outcome in outcomes
        )
        if next_evaluation_due is not None:
            policy.evaluation_due = next_evaluation_due
            policy.save(update_fields=["evaluation_due", "updated_at"])
        _audit(user, "policy_evaluated", policy, {"evaluation": evaluation.pk})
    return evaluation


def add_action(user, evaluation: PolicyEvaluation, values: dict) -> PolicyAction:
    _require(user, evaluation.policy)
    if values["due_on"] < timezone.localdate():
        raise PolicyRefused(_("The action's due date lies in the past."))
    with transaction.atomic():
        action = PolicyAction.objects.create(
            evaluation=evaluation,
            description=values["description"],
            owner=values["owner"],
            due_on=values["due_on"],
        )
        _audit(user, "policy_action_added", evaluation.policy, {"action": action.pk})
    return action


def complete_action(user, action: PolicyAction, done_on: datetime.date) -> PolicyAction:
    policy = action.evaluation.policy
    _require(user, policy)
    with transaction.atomic():
        action = PolicyAction.objects.select_for_update().get(pk=action.pk)
        if action.done_on:
            raise PolicyRefused(_("This action is already done."))
        if done_on > timezone.localdate():
            raise PolicyRefused(_("The date lies in the future."))
        action.done_on = done_on
        action.save(update_fields=["done_on"])
        _audit(user, "policy_action_done", policy, {"action": action.pk})
    return action


# --- Reading ------------------------------------------------------------------------------


def policies_of(user, organisation: Organisation):
    return policies_visible_to(user).filter(organisation=organisation)


@dataclasses.dataclass
class Cycle:
    """Where the organisation stands in the policy cycle."""

    latest_analysis: Analysis | None  # the organisation's most recent risk analysis
    in_force: IntegrityPolicy | None
    drafts: list[IntegrityPolicy]
    last_evaluation: PolicyEvaluation | None
    evaluation_overdue: bool
    overdue_actions: list[PolicyAction]
    open_actions: int


def cycle(
    organisation: Organisation, policies: list[IntegrityPolicy], today: datetime.date | None = None
) -> Cycle:
    """From the organisation's policies (newest first): the adopted one whose period holds
    today (else the latest adopted), the drafts, what is overdue, and the latest risk analysis
    the policy can start from."""
    today = today or timezone.localdate()
    adopted = [p for p in policies if p.adopted_on]
    in_force = next(
        (p for p in adopted if p.period_start <= today <= p.period_end),
        adopted[0] if adopted else None,
    )
    last_evaluation = None
    overdue_actions: list[PolicyAction] = []
    open_actions = 0
    if in_force is not None:
        last_evaluation = in_force.evaluations.first()
        actions = PolicyAction.objects.filter(evaluation__policy=in_force, done_on__isnull=True)
        open_actions = actions.count()
        overdue_actions = list(actions.filter(due_on__lt=today))
    return Cycle(
        latest_analysis=Analysis.objects.filter(organisation=organisation)
        .order_by("-analysed_on", "-pk")
        .first(),
        in_force=in_force,
        drafts=[p for p in policies if not p.adopted_on],
        last_evaluation=last_evaluation,
        evaluation_overdue=bool(in_force and in_force.evaluation_due < today),
        overdue_actions=overdue_actions,
        open_actions=open_actions,
    )
