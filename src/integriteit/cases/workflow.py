"""The reporting process as a state machine: the one place where a report's phase changes.

Seed 002 describes the process in phases; issue 3 names them. Each transition lists the phases it
may start from and the phase it leads to; its preconditions are checked by `refusals`, which
returns the reasons a step is not possible yet, in the user's language. `advance` is called by
the services in integriteit.cases.services inside their transaction, after they stored what the
step records; it writes the history row and the audit entry.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integriteit.audit.services import Actor, record
from integriteit.reports.constants import Kind, Phase
from integriteit.reports.models import Report
from integriteit.reports.sealing import sealer_for

from .constants import CaseRole, ConflictCheckItem, FollowUpRoute
from .models import CaseAssignment, PhaseChange
from .signals import waiting_for

P = Phase

# Phases in which the case waits for one role on it (seed 002: the competent authority decides
# on the follow-up and on the outcome); `advance` tells them through `signals.waiting_for`.
WAITS_FOR: dict[str, CaseRole] = {
    P.FOLLOW_UP_DECISION: CaseRole.COMPETENT_AUTHORITY,
    P.DECISION: CaseRole.COMPETENT_AUTHORITY,
}


@dataclass(frozen=True)
class Transition:
    name: str
    label: object
    sources: frozenset[str]
    target: str

    def allowed_from(self, phase: str) -> bool:
        return phase in self.sources


def _t(name: str, label, sources, target) -> Transition:
    return Transition(name, label, frozenset(sources), target)


ROUTE_PHASE = {
    FollowUpRoute.INVESTIGATION: P.INVESTIGATION,
    FollowUpRoute.MEDIATION: P.MEDIATION,
    FollowUpRoute.REFERRAL: P.REFERRAL,
    FollowUpRoute.NO_FURTHER_ACTION: P.NO_FURTHER_ACTION,
}

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("acknowledge", gettext_lazy("Acknowledge receipt"), [P.RECEIVED], P.ACKNOWLEDGED),
        _t(
            "start_assessment",
            gettext_lazy("Start intake and assessment"),
            [P.ACKNOWLEDGED],
            P.ASSESSMENT,
        ),
        _t(
            "complete_assessment",
            gettext_lazy("Complete the assessment"),
            [P.ASSESSMENT],
            P.FOLLOW_UP_DECISION,
        ),
        _t(
            "start_investigation",
            gettext_lazy("Decide: investigation"),
            [P.FOLLOW_UP_DECISION],
            P.INVESTIGATION,
        ),
        _t(
            "start_mediation",
            gettext_lazy("Decide: conversation or mediation"),
            [P.FOLLOW_UP_DECISION],
            P.MEDIATION,
        ),
        _t("refer", gettext_lazy("Decide: referral"), [P.FOLLOW_UP_DECISION], P.REFERRAL),
        _t(
            "no_further_action",
            gettext_lazy("Decide: no further action"),
            [P.FOLLOW_UP_DECISION],
            P.NO_FURTHER_ACTION,
        ),
        _t(
            "complete_investigation",
            gettext_lazy("Complete the investigation"),
            [P.INVESTIGATION],
            P.DECISION,
        ),
        _t(
            "complete_follow_up",
            gettext_lazy("Complete the follow-up"),
            [P.MEDIATION, P.REFERRAL, P.NO_FURTHER_ACTION],
            P.FEEDBACK,
        ),
        _t("record_decision", gettext_lazy("Record the decision"), [P.DECISION], P.FEEDBACK),
        _t("give_final_feedback", gettext_lazy("Give final feedback"), [P.FEEDBACK], P.AFTERCARE),
        _t("complete_aftercare", gettext_lazy("Complete aftercare"), [P.AFTERCARE], P.EVALUATION),
        _t("close", gettext_lazy("Close the case"), [P.EVALUATION], P.CLOSED),
        _t("reopen", gettext_lazy("Reopen the case"), [P.CLOSED], P.ASSESSMENT),
    ]
}

ROUTE_TRANSITION = {
    FollowUpRoute.INVESTIGATION: "start_investigation",
    FollowUpRoute.MEDIATION: "start_mediation",
    FollowUpRoute.REFERRAL: "refer",
    FollowUpRoute.NO_FURTHER_ACTION: "no_further_action",
}

# The order of the process, for showing where a case stands (routes share one step).
PHASE_ORDER = [
    P.RECEIVED,
    P.ACKNOWLEDGED,
    P.ASSESSMENT,
    P.FOLLOW_UP_DECISION,
    (P.INVESTIGATION, P.MEDIATION, P.REFERRAL, P.NO_FURTHER_ACTION),
    P.DECISION,
    P.FEEDBACK,
    P.AFTERCARE,
    P.EVALUATION,
    P.CLOSED,
]


class TransitionRefused(Exception):
    """A step is not possible now; `reasons` says why, in the user's language."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def _has_active(report: Report, role: CaseRole) -> bool:
    return report.assignments.filter(role=role, ended_at__isnull=True).exists()


def _assessment_gaps(report: Report) -> list[str]:
    gaps = []
    assessment = getattr(report, "assessment", None)
    if assessment is None or assessment.in_scope is None:
        gaps.append(_("Record whether the report is within scope."))
    if not report.classified_kind:
        gaps.append(_("Classify the kind of report."))
    elif (
        report.classified_kind == Kind.INTEGRITY_VIOLATION and not report.classified_types.exists()
    ):
        gaps.append(_("Choose at least one type of integrity violation."))
    if not _has_active(report, CaseRole.COMPETENT_AUTHORITY):
        gaps.append(_("Assign the competent authority."))
    checked = set(report.conflict_checks.values_list("item", flat=True))
    if missing := [item for item in ConflictCheckItem if item not in checked]:
        gaps.append(
            _("Complete the conflict-of-interest checklist (%(n)d open).") % {"n": len(missing)}
        )
    return gaps


def _follow_up_gaps(report: Report, route: FollowUpRoute) -> list[str]:
    follow_up = getattr(report, "follow_up", None)
    if follow_up is None or follow_up.route != route:
        return [_("Record the decision on follow-up with its reason.")]
    if route == FollowUpRoute.REFERRAL and not follow_up.referral_target:
        return [_("Say where the report is referred to.")]
    return []


def _outcome_gaps(report: Report) -> list[str]:
    follow_up = getattr(report, "follow_up", None)
    if follow_up is None or follow_up.outcome_recorded_at is None:
        return [_("Record the outcome of the follow-up.")]
    return []


def _investigation_gaps(report: Report) -> list[str]:
    gaps = _outcome_gaps(report)
    if not _has_active(report, CaseRole.INVESTIGATOR):
        gaps.append(_("Assign an investigator."))
    if report.subjects.filter(informed_at__isnull=True).exists():
        gaps.append(_("Record when and how every subject was informed."))
    return gaps


def _decision_gaps(report: Report) -> list[str]:
    decision = getattr(report, "decision", None)
    if decision is None:
        return [_("Record the decision of the competent authority.")]
    judged = set(decision.findings.values_list("violation_type_id", flat=True))
    if report.classified_types.exclude(pk__in=judged).exists():
        return [_("Record for every classified type whether the violation is established.")]
    return []


def _closing_gaps(report: Report) -> list[str]:
    """A decision of the competent authority states its measures before the case closes, if
    only "no measure" (RULES R13; the registry counts measures by kind, norm 14). Measures can
    be added after the decision until then (guards.MEASURE_PHASES; issue 10 defect 6)."""
    if getattr(report, "decision", None) is not None and not report.measures.exists():
        return [_("Record the measures of the decision, or “no measure” (RULES R13).")]
    return []


def _aftercare_gaps(report: Report) -> list[str]:
    gaps = []
    if report.aftercare_actions.filter(done_at__isnull=True, cancelled_at__isnull=True).exists():
        gaps.append(_("Finish or cancel every aftercare action."))
    if report.disadvantage_signals.filter(handled_at__isnull=True).exists():
        gaps.append(_("Handle every signal of disadvantage to the reporter first."))
    return gaps


PRECONDITIONS: dict[str, Callable[[Report], list[str]]] = {
    "complete_assessment": _assessment_gaps,
    "start_investigation": lambda r: _follow_up_gaps(r, FollowUpRoute.INVESTIGATION),
    "start_mediation": lambda r: _follow_up_gaps(r, FollowUpRoute.MEDIATION),
    "refer": lambda r: _follow_up_gaps(r, FollowUpRoute.REFERRAL),
    "no_further_action": lambda r: _follow_up_gaps(r, FollowUpRoute.NO_FURTHER_ACTION),
    "complete_investigation": _investigation_gaps,
    "complete_follow_up": _outcome_gaps,
    "record_decision": _decision_gaps,
    "complete_aftercare": _aftercare_gaps,
    "close": _closing_gaps,
}


# Later modules add preconditions without cases importing them (e.g. investigations: the
# protocol must be completed before the investigation phase ends).
EXTRA_PRECONDITIONS: dict[str, list[Callable[[Report], list[str]]]] = {}


def add_precondition(name: str, check: Callable[[Report], list[str]]) -> None:
    checks = EXTRA_PRECONDITIONS.setdefault(name, [])
    if check not in checks:
        checks.append(check)


def refusals(report: Report, name: str) -> list[str]:
    """Why the transition `name` cannot be taken now; empty when it can."""
    transition = TRANSITIONS[name]
    if not report.is_submitted:
        return [_("This report has not been submitted.")]
    if not transition.allowed_from(report.phase):
        return [
            _("This step is not possible in the phase “%(phase)s”.")
            % {"phase": Phase(report.phase).label}
        ]
    check = PRECONDITIONS.get(name)
    reasons = check(report) if check else []
    for extra in EXTRA_PRECONDITIONS.get(name, []):
        reasons += extra(report)
    return reasons


def available(report: Report) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if t.allowed_from(report.phase)]


def advance(user, report: Report, name: str, reason: str = "") -> PhaseChange:
    """Take a transition: refuses with reasons, else changes the phase, history and audit.

    Must run inside the caller's transaction, after the caller stored what the step records.
    """
    reasons = refusals(report, name)
    if reasons:
        raise TransitionRefused(reasons)
    transition = TRANSITIONS[name]
    change = PhaseChange(
        report=report,
        from_phase=report.phase,
        to_phase=transition.target,
        transition=name,
        actor=user,
    )
    change.save()
    if reason:
        change.sealed_reason = sealer_for(report).seal_text(
            f"phase_change:{change.pk}", "reason", reason
        )
        change.save(update_fields=["sealed_reason"])
    report.phase = transition.target
    report.save(update_fields=["phase"])
    record(
        Actor.of(user),
        f"case.{name}",
        "report",
        report.pk,
        {"from": change.from_phase, "to": change.to_phase},
    )
    if role := WAITS_FOR.get(transition.target):
        waiting = CaseAssignment.objects.filter(report=report, role=role, ended_at__isnull=True)
        people = [assignment.user for assignment in waiting.select_related("user")]
        waiting_for.send(sender=Report, report=report, people=people, what=transition.target)
    return change
