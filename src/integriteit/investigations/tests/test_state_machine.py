"""No order of calls completes an investigation with a baseline step skipped (issue 4 "It must
show"): a hypothesis state machine applies the investigation services, with valid and empty
records, as the investigator, the competent authority, the coordinator, an investigator on the
case who is not a member of the investigation, and the subject, and checks the invariants after
every step.

Each example runs inside its own savepoint in the test's transaction and is rolled back at the
end, so examples do not see each other's investigation or audit entries, on SQLite and
PostgreSQL alike (the pattern of cases/tests/test_state_machine.py).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from integriteit.audit.models import AuditEntry
from integriteit.audit.services import verify_chain
from integriteit.cases.constants import CaseRole
from integriteit.cases.models import CaseAssignment
from integriteit.cases.tests.flow import verified
from integriteit.investigations import selectors, services
from integriteit.investigations.constants import (
    IntervieweeRole,
    ReportVersionKind,
    StepState,
)
from integriteit.investigations.models import Interview, ReportVersion

from .helpers import BASELINE_CODES, Investigating, fake_render, valid_values  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_render")]

# A refusal is an answer; any other exception is a bug.
REFUSED = (services.InvestigationError, PermissionDenied)
ACTORS = ("investigator", "authority", "coordinator", "outsider", "subject")
CODES = st.sampled_from(BASELINE_CODES)
REASONS = ("Bewijs veiligstellen.", "", "  ")


class InvestigationMachine(RuleBasedStateMachine):
    people: dict = {}

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.case = Investigating(self.people)
        outsider = verified(self.people["guide"])
        CaseAssignment.objects.create(
            report=self.case.flow.report, user=outsider, role=CaseRole.INVESTIGATOR
        )
        self.actors = {
            "investigator": self.case.flow.investigator,
            "authority": self.case.flow.authority,
            "coordinator": self.case.flow.coordinator,
            "outsider": outsider,
            "subject": self.case.subject_person,
        }

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- Helpers ---------------------------------------------------------------------------

    @property
    def investigation(self):
        return self.case.investigation

    def _snapshot(self):
        records = selectors.records(self.investigation)
        return (
            AuditEntry.objects.count(),
            [(r.completed_at, r.deviation_approved_at, r.opened_at) for r in records],
            self.investigation.completed_at,
            Interview.objects.filter(investigation_id=self.case.pk).count(),
            ReportVersion.objects.filter(investigation_id=self.case.pk).count(),
        )

    def call(self, service, *args, **kwargs):
        """Run one service; a refusal must leave everything as it was."""
        before = self._snapshot()
        try:
            return service(*args, **kwargs)
        except REFUSED as refusal:
            assert self._snapshot() == before, f"{service.__name__} refused but changed: {refusal}"
            return None

    # --- Steps -----------------------------------------------------------------------------

    @rule(actor=st.sampled_from(ACTORS), code=CODES, valid=st.booleans())
    def save_values(self, actor, code, valid):
        rec = self.case.rec(code)
        values = valid_values(rec.step) if valid else {f: "" for f in valid_values(rec.step)}
        self.call(services.save_values, self.actors[actor], self.investigation, code, values)

    @rule(actor=st.sampled_from(ACTORS))
    def fill_the_open_step(self, actor):
        """Valid records for the open step, so that random runs get past the first steps."""
        current = selectors.current_record(self.investigation)
        if current is not None:
            self.call(
                services.save_values,
                self.actors[actor],
                self.investigation,
                current.step.code,
                valid_values(current.step),
            )

    @rule(actor=st.sampled_from(ACTORS), code=CODES)
    def complete_step(self, actor, code):
        self.call(services.complete_step, self.actors[actor], self.investigation, code)

    @rule(actor=st.sampled_from(ACTORS))
    def complete_the_open_step(self, actor):
        current = selectors.current_record(self.investigation)
        if current is not None:
            self.call(
                services.complete_step, self.actors[actor], self.investigation, current.step.code
            )

    @rule(actor=st.sampled_from(ACTORS), code=CODES, reason=st.sampled_from(REASONS))
    def request_deviation(self, actor, code, reason):
        self.call(services.request_deviation, self.actors[actor], self.investigation, code, reason)

    @rule(actor=st.sampled_from(ACTORS), code=CODES)
    def approve_deviation(self, actor, code):
        self.call(services.approve_deviation, self.actors[actor], self.investigation, code)

    # --- Interviews ------------------------------------------------------------------------

    @rule(actor=st.sampled_from(ACTORS), role=st.sampled_from(list(IntervieweeRole)))
    def plan_interview(self, actor, role):
        options = (
            {"subject": self.case.subject}
            if role == IntervieweeRole.SUBJECT
            else {"interviewee": verified(self.people["manager"])}
        )
        self.call(
            services.plan_interview,
            self.actors[actor],
            self.investigation,
            role=role,
            planned_at=timezone.now() + datetime.timedelta(days=2),
            invitation=services.default_invitation(role),
            **options,
        )

    def _interview(self, data):
        interviews = list(Interview.objects.filter(investigation_id=self.case.pk).order_by("pk"))
        return data.draw(st.sampled_from(interviews)) if interviews else None

    @rule(actor=st.sampled_from(ACTORS), text=st.sampled_from(("Verslag.", "")), data=st.data())
    def record_interview(self, actor, text, data):
        if interview := self._interview(data):
            self.call(services.record_interview, self.actors[actor], interview, text)

    @rule(actor=st.sampled_from((*ACTORS, "manager")), comment=st.booleans(), data=st.data())
    def answer_record(self, actor, comment, data):
        person = verified(self.people["manager"]) if actor == "manager" else self.actors[actor]
        if interview := self._interview(data):
            if comment:
                self.call(services.comment_record, person, interview, "Aanvulling.")
            else:
                self.call(services.approve_record, person, interview)

    @rule()
    def terms_pass(self):
        """The clock passes every term of interview records and the draft."""
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        Interview.objects.filter(investigation_id=self.case.pk, response_due__isnull=False).update(
            response_due=yesterday
        )
        ReportVersion.objects.filter(
            investigation_id=self.case.pk, response_due__isnull=False
        ).update(response_due=yesterday)

    # --- Reports and the subject's response ------------------------------------------------

    @rule(actor=st.sampled_from(ACTORS), kind=st.sampled_from(list(ReportVersionKind)))
    def generate_report(self, actor, kind):
        self.call(services.generate_report, self.actors[actor], self.investigation, kind)

    @rule(actor=st.sampled_from(ACTORS))
    def offer_draft(self, actor):
        self.call(services.offer_draft, self.actors[actor], self.investigation)

    @rule(actor=st.sampled_from(ACTORS), text=st.sampled_from(("Mijn reactie.", "")))
    def respond_to_draft(self, actor, text):
        draft = (
            ReportVersion.objects.filter(
                investigation_id=self.case.pk, kind=ReportVersionKind.DRAFT
            )
            .order_by("-generated_at")
            .first()
        )
        if draft is not None:
            self.call(services.respond_to_draft, self.actors[actor], draft, text)

    # --- Invariants ------------------------------------------------------------------------

    @invariant()
    def no_step_skipped(self):
        passed = True  # every earlier baseline step completed or deferred with approval
        for rec in selectors.records(self.investigation):
            state = selectors.state_of(rec)
            if state == StepState.COMPLETED:
                assert passed, f"{rec.step.code} completed with an earlier step open"
            if rec.step.is_baseline and state not in (StepState.COMPLETED, StepState.DEFERRED):
                passed = False
            if state == StepState.DEFERRED:
                assert rec.deviation_requested_at and rec.deviation_approved_by_id
                assert rec.step.deviation_allowed

    @invariant()
    def completed_only_when_every_step_is(self):
        records = selectors.records(self.investigation)
        every = all(rec.completed_at for rec in records)
        assert (self.investigation.completed_at is not None) == every

    @invariant()
    def every_completion_is_audited(self):
        completed = sorted(
            rec.step.code for rec in selectors.records(self.investigation) if rec.completed_at
        )
        audited = sorted(
            entry.detail["step"]
            for entry in AuditEntry.objects.filter(
                action="investigation.step_completed", object_id=str(self.case.flow.pk)
            )
        )
        assert completed == audited

    @invariant()
    def audit_chain_verifies(self):
        assert verify_chain().intact


def test_no_order_of_calls_skips_a_baseline_step(people):
    InvestigationMachine.people = people
    run_state_machine_as_test(
        InvestigationMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
