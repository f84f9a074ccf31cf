"""Test helpers: a case commissioned for an investigation, and the records each baseline step
needs, made with the real services as the people of the demo organisation."""

import datetime

import pytest
from django.utils import timezone

from integriteit.cases.tests.flow import Flow, verified
from integriteit.investigations import documents, selectors, services
from integriteit.investigations.constants import IntervieweeRole, ReportVersionKind, StepRole
from integriteit.investigations.models import Investigation, ProtocolStep, StepRecord
from integriteit.reports.constants import Phase

BASELINE_CODES = [
    "preliminary_inquiry",
    "assignment",
    "plan",
    "inform_subject",
    "interviews",
    "evidence",
    "draft_report",
    "subject_response",
    "final_report",
    "decision",
    "closing",
]


@pytest.fixture
def fake_render(monkeypatch):
    """The report generator is written elsewhere; these tests only need the version row."""
    monkeypatch.setattr(documents, "render_report", lambda version: None, raising=False)


class Investigating:
    """One case in the phase "Investigation" with an investigation commissioned on it."""

    def __init__(self, people, investigation: Investigation | None = None, **report_options):
        self.flow = Flow(people, **report_options).to(Phase.INVESTIGATION)
        self.people = people
        self.subject_person = verified(people["employee"])
        self.pk = (investigation or self.commission()).pk
        self.subject = self.flow.record_subject()

    def commission(self) -> Investigation:
        return services.commission(
            self.flow.authority,
            self.flow.report,
            investigators=[self.flow.investigator],
            deadline=timezone.localdate() + datetime.timedelta(days=120),
            note="Onderzoek naar het vervalsen van bonnen.",
        )

    @property
    def investigation(self) -> Investigation:
        return Investigation.objects.get(pk=self.pk)

    def rec(self, code: str) -> StepRecord:
        return self.investigation.step_records.select_related("step").get(step__code=code)

    def actor_for(self, role: str):
        return {
            StepRole.INVESTIGATOR: self.flow.investigator,
            StepRole.COMPETENT_AUTHORITY: self.flow.authority,
            StepRole.COORDINATOR: self.flow.coordinator,
        }[StepRole(role)]

    def responsible(self, code: str):
        return self.actor_for(self.rec(code).step.responsible_role)

    # --- Records -------------------------------------------------------------------------

    def fill(self, code: str, **overrides):
        values = valid_values(self.rec(code).step) | overrides
        return services.save_values(self.responsible(code), self.investigation, code, values)

    def plan_interview(self, role: str = IntervieweeRole.SUBJECT):
        options = (
            {"subject": self.subject}
            if role == IntervieweeRole.SUBJECT
            else {"interviewee": verified(self.people["manager"])}
        )
        return services.plan_interview(
            self.flow.investigator,
            self.investigation,
            role=role,
            planned_at=timezone.now() + datetime.timedelta(days=3),
            invitation=services.default_invitation(role),
            **options,
        )

    def record_interview(self, interview):
        return services.record_interview(
            self.flow.investigator, interview, "Verslag van het gesprek.", adviser="Een raadsman"
        )

    def generate(self, kind: str = ReportVersionKind.DRAFT):
        return services.generate_report(self.flow.investigator, self.investigation, kind)

    def satisfy(self, code: str) -> None:
        """Everything step `code` needs besides its fields."""
        if code == "interviews":
            interview = self.record_interview(self.plan_interview())
            services.approve_record(self.subject_person, interview)
        elif code == "draft_report":
            self.generate(ReportVersionKind.DRAFT)
        elif code == "subject_response":
            draft = services.offer_draft(self.flow.investigator, self.investigation)
            services.respond_to_draft(self.subject_person, draft, "Mijn reactie op het concept.")
        elif code == "final_report":
            self.generate(ReportVersionKind.FINAL)

    def complete(self, code: str, *, satisfy: bool = True):
        self.fill(code)
        if satisfy:
            self.satisfy(code)
        return services.complete_step(self.responsible(code), self.investigation, code)

    def advance_to(self, code: str) -> None:
        """Complete every step before `code`, which is then the open step."""
        for rec in selectors.records(self.investigation):
            if rec.step.code == code:
                return
            if selectors.state_of(rec) in ("completed", "deferred"):
                continue
            self.complete(rec.step.code)
        raise AssertionError(f"no step {code}")


def valid_values(step: ProtocolStep) -> dict[str, str]:
    return {field["code"]: f"Vastgelegd: {field['label']}" for field in step.required_fields}
