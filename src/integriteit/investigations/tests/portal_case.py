"""One investigation as the portal tests need it, made with the real services: a case in the
phase "Investigation" with a named reporter, the employee recorded as the subject, the
investigation commissioned and walked up to the interviews, and a subject and a witness
interview planned. Further steps (records, draft, final report) are methods."""

import datetime

import pytest
from django.utils import timezone

from integriteit.cases.tests.flow import Flow, verified
from integriteit.investigations import documents, services
from integriteit.investigations.constants import IntervieweeRole, ReportVersionKind
from integriteit.investigations.models import Interview, Investigation, ReportVersion
from integriteit.reports.constants import Phase

REPORTER_NAME = "Sanne de Melder"
REPORTER_EMAIL = "sanne@example.org"
DESCRIPTION = "Er worden bonnen vervalst bij inkoop door een collega."
SUBJECT_INVITATION = "Uitnodiging voor het gesprek met de beklaagde."
WITNESS_INVITATION = "Uitnodiging voor het gesprek met de getuige."
SUBJECT_RECORD = "Verslag: de beklaagde verklaart de bonnen niet te kennen."
WITNESS_RECORD = "Verslag: de getuige zag de bonnen op het bureau."
FINDINGS = "Bevindingen per onderzoeksvraag (vertrouwelijk)."


@pytest.fixture
def fake_render(monkeypatch):
    """The report documents are generated elsewhere (and tested there); these tests need only
    the version rows."""
    monkeypatch.setattr(documents, "render_report", lambda version: None, raising=False)


class PortalCase:
    def __init__(self, people, witness_username: str = "guide"):
        self.flow = Flow(
            people, name=REPORTER_NAME, email=REPORTER_EMAIL, description=DESCRIPTION
        ).to(Phase.INVESTIGATION)
        self.people = people
        self.investigator = self.flow.investigator
        self.authority = self.flow.authority
        self.subject_person = verified(people["employee"])
        self.witness = verified(people[witness_username])
        self.pk = services.commission(
            self.authority,
            self.flow.report,
            investigators=[self.investigator],
            deadline=timezone.localdate() + datetime.timedelta(days=120),
            note="Onderzoek naar het vervalsen van bonnen.",
        ).pk
        self.subject = self.flow.record_subject()
        self.complete("preliminary_inquiry", facts="Feiten.", admissibility="Ontvankelijk.")
        self.complete("assignment", scope="Inkoop 2024.", questions="Zijn bonnen vervalst?")
        self.complete("plan", approach="Gesprekken en stukken.", planning="Zes weken.")
        self.complete("inform_subject", informed_how="In een gesprek.", rights="Uitgelegd.")
        self.subject_interview = self.plan(IntervieweeRole.SUBJECT, SUBJECT_INVITATION)
        self.witness_interview = self.plan(IntervieweeRole.WITNESS, WITNESS_INVITATION)

    @property
    def report(self):
        return self.flow.report

    @property
    def investigation(self) -> Investigation:
        return Investigation.objects.get(pk=self.pk)

    def actor(self, code: str):
        return self.authority if code in {"assignment", "decision"} else self.investigator

    def complete(self, code: str, **values):
        if values:
            services.save_values(self.actor(code), self.investigation, code, values)
        return services.complete_step(self.actor(code), self.investigation, code)

    def plan(self, role: str, invitation: str) -> Interview:
        options = (
            {"subject": self.subject}
            if role == IntervieweeRole.SUBJECT
            else {"interviewee": self.witness}
        )
        return services.plan_interview(
            self.investigator,
            self.investigation,
            role=role,
            planned_at=timezone.now() + datetime.timedelta(days=3),
            invitation=invitation,
            **options,
        )

    def record_interviews(self) -> None:
        services.record_interview(
            self.investigator, self.subject_interview, SUBJECT_RECORD, adviser="Mr. A. Raadsman"
        )
        services.record_interview(self.investigator, self.witness_interview, WITNESS_RECORD)

    def interview(self, which: Interview) -> Interview:
        return Interview.objects.get(pk=which.pk)

    def to_draft(self) -> ReportVersion:
        """Records approved, evidence logged, the draft generated and offered to the subject."""
        self.record_interviews()
        services.approve_record(self.subject_person, self.interview(self.subject_interview))
        services.approve_record(self.witness, self.interview(self.witness_interview))
        self.complete("interviews")
        self.complete("evidence", evidence_log="Bonnen 1 tot en met 12.")
        self.draft = services.generate_report(
            self.investigator, self.investigation, ReportVersionKind.DRAFT
        )
        self.complete("draft_report", findings=FINDINGS)
        return self.draft

    def offer_draft(self) -> ReportVersion:
        return services.offer_draft(self.investigator, self.investigation)

    def to_final(self, *, complete: bool = True) -> ReportVersion:
        """After the subject's response: the final report generated and, unless told otherwise,
        its step completed (the decision step opens)."""
        self.complete("subject_response")
        final = services.generate_report(
            self.investigator, self.investigation, ReportVersionKind.FINAL
        )
        if complete:
            self.complete("final_report", advice="Advies aan het bevoegd gezag.")
        return final
