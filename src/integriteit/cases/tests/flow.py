"""Test helpers: drive one case through the phases with the real services, as the people of the
demo organisation (coordinator, competent authority, investigator, process guide)."""

import datetime

from django.utils import timezone

from integriteit.accounts.models import User
from integriteit.cases import services
from integriteit.cases.constants import (
    AftercareAudience,
    CaseRole,
    ConflictCheckItem,
    FollowUpRoute,
    HearingForm,
    ReferralTarget,
    SubjectInformedHow,
)
from integriteit.cases.models import Subject
from integriteit.cases.workflow import ROUTE_PHASE
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report
from integriteit.testing import make_report

P = Phase


def verified(user: User) -> User:
    """The user as the OTP middleware leaves it after the second factor. The middleware adds
    `is_verified` to the request's user at run time; the model does not declare it."""
    setattr(user, "is_verified", lambda: True)  # noqa: B010 - not an attribute of the model
    return user


# The phases a case passes on its way to `phase`, per follow-up route.
ROUTE_OF_PHASE = {
    P.INVESTIGATION: FollowUpRoute.INVESTIGATION,
    P.MEDIATION: FollowUpRoute.MEDIATION,
    P.REFERRAL: FollowUpRoute.REFERRAL,
    P.NO_FURTHER_ACTION: FollowUpRoute.NO_FURTHER_ACTION,
}


class Flow:
    """One case and the people who handle it. `report` is always read fresh from the database,
    because the services lock and re-read the row themselves."""

    def __init__(self, people, report: Report | None = None, **report_options):
        self.people = people
        self.coordinator = verified(people["coordinator"])
        self.authority = verified(people["authority"])
        self.investigator = verified(people["investigator"])
        self.guide = verified(people["guide"])
        self.subject_person = people["employee"]
        if report is None:
            report, _code = make_report(**report_options)
        self.pk = report.pk

    @property
    def report(self) -> Report:
        return Report.objects.get(pk=self.pk)

    # --- Steps, each one service call (or the few that a phase needs) -------------------------

    def acknowledge(self, text: str = "Wij hebben uw melding ontvangen."):
        return services.acknowledge(self.coordinator, self.report, text)

    def start_assessment(self):
        services.start_assessment(self.coordinator, self.report)

    def record_assessment(self, kind: str = "integrity_violation", types=("financial",)):
        return services.record_assessment(
            self.coordinator,
            self.report,
            in_scope=True,
            urgency="normal",
            kind=kind,
            type_codes=list(types),
            notes="Binnen de reikwijdte.",
        )

    def assign_guide(self):
        return services.assign(self.coordinator, self.report, self.guide, CaseRole.PROCESS_GUIDE)

    def assign_authority(self):
        if self.has_role(self.authority, CaseRole.COMPETENT_AUTHORITY):
            return None
        return services.assign(
            self.coordinator, self.report, self.authority, CaseRole.COMPETENT_AUTHORITY
        )

    def check_conflicts(self, items=tuple(ConflictCheckItem)):
        for item in items:
            services.check_conflict_item(self.coordinator, self.report, item)

    def prepare_assessment(self):
        self.record_assessment()
        self.assign_authority()
        self.check_conflicts()

    def complete_assessment(self):
        services.complete_assessment(self.coordinator, self.report)

    def decide(self, route: str, **extra):
        options = {"reason": "Zo besloten na de intake."}
        if route == FollowUpRoute.REFERRAL:
            options |= {
                "referral_target": ReferralTarget.RABA,
                "message_to_reporter": "Wij verwijzen uw melding door naar het RABA.",
            }
        if route == FollowUpRoute.NO_FURTHER_ACTION:
            options |= {"message_to_reporter": "Wij doen geen verder onderzoek, omdat ..."}
        options |= extra
        reason = options.pop("reason")
        return services.decide_follow_up(self.authority, self.report, route, reason, **options)

    def assign_investigator(self):
        return services.assign(
            self.coordinator, self.report, self.investigator, CaseRole.INVESTIGATOR
        )

    def record_subject(self, informed: bool = True) -> Subject:
        subject = services.record_subject(
            self.investigator, self.report, person=self.subject_person
        )
        if informed:
            services.record_subject_informed(
                self.investigator,
                subject,
                informed_at=timezone.now() - datetime.timedelta(hours=1),
                how=SubjectInformedHow.IN_PERSON,
                note="Geïnformeerd in een gesprek.",
            )
        return subject

    def has_role(self, user, role: str) -> bool:
        return self.report.assignments.filter(user=user, role=role, ended_at__isnull=True).exists()

    def _investigator_or_coordinator(self):
        if self.has_role(self.investigator, CaseRole.INVESTIGATOR):
            return self.investigator
        return self.coordinator

    def record_outcome(self, text: str = "De feiten zijn vastgesteld."):
        return services.record_outcome(self._investigator_or_coordinator(), self.report, text)

    def prepare_investigation(self):
        self.assign_investigator()
        self.record_subject()
        self.record_outcome()

    def complete_investigation(self):
        services.complete_investigation(self._investigator_or_coordinator(), self.report)

    def complete_follow_up(self):
        services.complete_follow_up(self.coordinator, self.report)

    def record_decision(self, findings=None):
        return services.record_decision(
            self.authority,
            self.report,
            summary="De schending is vastgesteld.",
            findings={"financial": True} if findings is None else findings,
            decided_on=timezone.localdate(),
        )

    def record_no_measure(self):
        """The decision's measures: "no measure" (RULES R13), needed before the case closes."""
        return services.impose_measure(
            self.authority, self.report, None, "none", timezone.localdate()
        )

    def complete_decision(self):
        services.complete_decision(self.authority, self.report)

    def give_final_feedback(self, text: str = "Dit is de uitkomst van uw melding."):
        return services.give_final_feedback(self.coordinator, self.report, text)

    def complete_aftercare(self, invitation: str = "Wilt u het proces beoordelen?"):
        return services.complete_aftercare(self.coordinator, self.report, invitation)

    def plan_aftercare(self):
        return services.plan_aftercare(
            self.guide,
            self.report,
            audience=AftercareAudience.REPORTER,
            description="Nagesprek met de melder.",
            due_on=timezone.localdate() + datetime.timedelta(days=14),
        )

    def close(self):
        services.close(self.coordinator, self.report)

    def reopen(self, reason: str = "Nieuwe feiten gemeld."):
        services.reopen(self.coordinator, self.report, reason)

    def record_hearing(self, subject: Subject):
        return services.record_hearing(
            self.authority,
            self.report,
            subject,
            held_on=timezone.localdate(),
            form=HearingForm.BOTH,
            assisted_by="Een raadsman",
            record_text="De medewerker is gehoord.",
        )

    # --- Driving a case to a phase ----------------------------------------------------------

    def to(self, phase: str, route: str | None = None) -> "Flow":
        """Take every step from the current phase up to `phase` (after the follow-up decision
        via the route of `phase` itself, else `route`, else investigation)."""
        route = ROUTE_OF_PHASE.get(
            Phase(phase), FollowUpRoute(route or FollowUpRoute.INVESTIGATION)
        )
        steps = [
            (P.ACKNOWLEDGED, self.acknowledge),
            (P.ASSESSMENT, self.start_assessment),
            (P.FOLLOW_UP_DECISION, lambda: (self.prepare_assessment(), self.complete_assessment())),
            (ROUTE_PHASE[FollowUpRoute(route)], lambda: self.decide(route)),
        ]
        if route == FollowUpRoute.INVESTIGATION:
            steps += [
                (
                    P.DECISION,
                    lambda: (self.prepare_investigation(), self.complete_investigation()),
                ),
                (
                    P.FEEDBACK,
                    lambda: (
                        self.record_decision(),
                        self.record_no_measure(),
                        self.complete_decision(),
                    ),
                ),
            ]
        else:
            steps.append((P.FEEDBACK, lambda: (self.record_outcome(), self.complete_follow_up())))
        steps += [
            (P.AFTERCARE, self.give_final_feedback),
            (P.EVALUATION, self.complete_aftercare),
            (P.CLOSED, self.close),
        ]
        reached_phases = [reached for reached, _take in steps]
        current = self.report.phase
        start = 0 if current == P.RECEIVED else reached_phases.index(Phase(current)) + 1
        for reached, take in steps[start:]:
            if self.report.phase == phase:
                break
            take()
            assert self.report.phase == reached, (self.report.phase, reached)
        assert self.report.phase == phase, (self.report.phase, phase)
        return self
