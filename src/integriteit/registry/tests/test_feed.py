"""The registry follows each case (issue 11 §1, "It must show"): the entry is created on receipt,
kept current as the case moves, frozen at closure, thawed by a reopening, and left intact by the
removal of personal data (RULES R9), holding nothing that identifies anyone."""

import contextlib
import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from integriteit.cases import services
from integriteit.cases.models import Decision, Finding, FollowUp, Measure, Subject
from integriteit.cases.retention import remove_personal_data
from integriteit.cases.services import CaseError, TransitionRefused
from integriteit.cases.tests.flow import Flow
from integriteit.investigations.models import Investigation
from integriteit.registry import services as registry_services
from integriteit.registry.constants import EntrySource
from integriteit.registry.entries import values_of
from integriteit.registry.models import Entry
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

pytestmark = pytest.mark.django_db
TYPES = ("financial", "position", "behaviour")

# How the registry counts the case handling's measures (RULES R13): legacy codes as "other",
# a criminal complaint apart from the measures.
REGISTRY_MEASURE = {"legacy_suspension_punitive": "other", "legacy_salary_reduction": "other"}


def expected_from_case(report: Report) -> dict:
    """What the registry should hold, read from the case's own rows (not through cases.facts)."""
    day = timezone.localdate
    classified = report.classified_at is not None
    types = report.classified_types if classified else report.reported_types
    measures: dict[str, int] = {}
    complaints = 0
    for code in Measure.objects.filter(report=report).values_list("measure_type__code", flat=True):
        if code == "criminal_complaint":
            complaints += 1
        else:
            code = REGISTRY_MEASURE.get(code, code)
            measures[code] = measures.get(code, 0) + 1
    follow_up = FollowUp.objects.filter(report=report).first()
    investigated = Investigation.objects.filter(report=report).exists()
    return {
        "organisation_id": report.organisation_id,
        "reference": report.reference,
        "kind": report.classified_kind or report.kind,
        "channel": report.channel,
        "violation_types": sorted(t.code for t in types.all()),
        "received_on": day(report.received_at or report.submitted_at),
        "acknowledged_on": day(report.acknowledged_at) if report.acknowledged_at else None,
        "fed_back_on": day(report.feedback_given_at) if report.feedback_given_at else None,
        "closed_on": day(report.closed_at) if report.phase == Phase.CLOSED else None,
        "follow_up": follow_up.route if follow_up else "",
        "investigated": investigated,
        "findings": dict(
            sorted(
                Finding.objects.filter(decision__report=report).values_list(
                    "violation_type__code", "established"
                )
            )
        ),
        "measures": dict(sorted(measures.items())),
        "criminal_complaints": complaints,
        "persons_involved": Subject.objects.filter(report=report).count(),
    }


COMPARED = (
    "organisation_id",
    "reference",
    "kind",
    "channel",
    "violation_types",
    "received_on",
    "acknowledged_on",
    "fed_back_on",
    "closed_on",
    "follow_up",
    "investigated",
    "findings",
    "measures",
    "criminal_complaints",
    "persons_involved",
)


def entry_as_dict(entry: Entry) -> dict:
    values = values_of(entry)
    return {key: getattr(values, key) for key in COMPARED}


def assert_entry_follows(report: Report) -> Entry:
    entry = Entry.objects.get(report_id=report.pk)
    assert entry_as_dict(entry) == expected_from_case(report)
    assert (entry.frozen_at is not None) == (report.phase == Phase.CLOSED)
    return entry


def test_a_received_report_has_its_entry(people, make_report):
    report, _code = make_report(types=("financial", "behaviour"))
    entry = assert_entry_follows(report)
    assert entry.source == EntrySource.SYSTEM
    assert entry.reference == report.reference
    assert entry.frozen_at is None
    assert [c.taxonomy.version for c in entry.violation_types.all()] == ["2024", "2024"]


def test_the_entry_follows_an_investigation_to_closure_and_freezes(people):
    flow = Flow(people)
    for phase in (Phase.ACKNOWLEDGED, Phase.FOLLOW_UP_DECISION, Phase.DECISION, Phase.FEEDBACK):
        flow.to(phase)
        assert_entry_follows(flow.report)
    flow.to(Phase.CLOSED)
    entry = assert_entry_follows(flow.report)
    assert entry.findings.get().established
    assert entry.persons_involved == 1
    assert entry.follow_up == "investigation"
    assert entry.closed_on == timezone.localdate()
    assert entry.changes.count() >= 4  # each step that changed a fact is on record


def test_a_reopened_case_thaws_its_entry(people):
    flow = Flow(people).to(Phase.CLOSED, route="no_further_action")
    assert Entry.objects.get(report_id=flow.pk).frozen_at is not None
    flow.reopen()
    entry = assert_entry_follows(flow.report)
    assert entry.frozen_at is None and entry.closed_on is None


def test_a_correction_outlives_the_reopening_until_the_case_changes_its_fact(people):
    flow = Flow(people).to(Phase.CLOSED, route="no_further_action")
    entry = Entry.objects.get(report_id=flow.pk)
    assert entry.persons_involved == 0
    corrected = dataclasses.replace(values_of(entry), persons_involved=3)
    registry_services.correct_entry(
        flow.coordinator, entry, corrected, reason="Count from the paper file"
    )
    flow.reopen()
    entry.refresh_from_db()
    assert entry.frozen_at is None
    assert entry.persons_involved == 3  # the case still says 0: the correction stands
    flow.assign_investigator()
    flow.record_subject(informed=False)  # the reopened case now says 1: its newer fact wins
    entry.refresh_from_db()
    assert entry.persons_involved == 1
    latest = entry.changes.first()
    assert latest is not None and latest.source == EntrySource.SYSTEM
    assert latest.fields["persons_involved"] == [3, 1]


def test_removal_of_personal_data_leaves_the_entry_as_it_was(people):
    flow = Flow(people, name="Sanne de Melder", email="sanne@example.org").to(Phase.CLOSED)
    before = entry_as_dict(Entry.objects.get(report_id=flow.pk))
    retention_until = flow.report.retention_until
    assert retention_until is not None
    run = remove_personal_data(retention_until + datetime.timedelta(days=1))
    assert [case.reference for case in run.removed] == [flow.report.reference]
    assert flow.report.personal_data_removed_at is not None
    assert not Subject.objects.filter(report_id=flow.pk, sealed_person__isnull=False).exists()
    entry = Entry.objects.get(report_id=flow.pk)
    assert entry_as_dict(entry) == before
    assert entry.persons_involved == 1  # the subject's count, not the subject


def test_the_registry_tables_hold_no_name_or_contents(people):
    Flow(
        people,
        name="Sanne de Melder",
        email="sanne@example.org",
        description="Jan Jansen vervalst bonnen bij inkoop.",
    ).to(Phase.CLOSED)
    tables = [t for t in connection.introspection.table_names() if t.startswith("registry_")]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dump = repr(cursor.fetchall())
            for text in (
                "Sanne",
                "sanne@example.org",
                "Jansen",
                "bonnen",
                people["employee"].username,
            ):
                assert text not in dump, (table, text)


# The phases of each route, in order (cases.workflow), for the machine below.
ROUTES = {
    "investigation": [Phase.INVESTIGATION, Phase.DECISION],
    "mediation": [Phase.MEDIATION],
    "referral": [Phase.REFERRAL],
    "no_further_action": [Phase.NO_FURTHER_ACTION],
}
BEFORE = [Phase.RECEIVED, Phase.ACKNOWLEDGED, Phase.ASSESSMENT, Phase.FOLLOW_UP_DECISION]
AFTER = [Phase.FEEDBACK, Phase.AFTERCARE, Phase.EVALUATION, Phase.CLOSED]
REFUSED = (TransitionRefused, CaseError, PermissionDenied)


def in_phase(*phases: str):
    return precondition(lambda machine: machine.report.phase in phases)


class RegistryMachine(RuleBasedStateMachine):
    """Random case histories that reach every fact the registry counts: a route, types
    reclassified, findings, measures with and without a hearing, a criminal complaint, closure
    and reopening. After every step the entry equals the case (issue 11 "It must show")."""

    people: dict = {}

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.flow = Flow(self.people)
        self.route = "investigation"

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize(route=st.sampled_from(list(ROUTES)))
    def choose_route(self, route):
        self.route = route

    @property
    def report(self):
        return self.flow.report

    def attempt(self, step, *args, **kwargs):
        with contextlib.suppress(*REFUSED):
            step(*args, **kwargs)

    @precondition(lambda machine: machine.report.phase != Phase.CLOSED)
    @rule()
    def move_on(self):
        phases = BEFORE + ROUTES[self.route] + AFTER
        current = self.report.phase
        if current == Phase.CLOSED or current not in phases:
            return
        self.attempt(self.flow.to, phases[phases.index(current) + 1], route=self.route)

    @in_phase(Phase.ASSESSMENT)
    @rule(types=st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True))
    def classify(self, types):
        self.attempt(self.flow.record_assessment, types=types)

    @in_phase(Phase.DECISION)
    @rule(established=st.booleans())
    def record_findings(self, established):
        codes = [t.code for t in self.report.classified_types.all()]
        self.attempt(self.flow.record_decision, findings=dict.fromkeys(codes, established))

    @in_phase(Phase.DECISION, Phase.FEEDBACK, Phase.AFTERCARE, Phase.EVALUATION)
    @rule(code=st.sampled_from(["criminal_complaint", "none", "written_reprimand", "fine"]))
    def impose(self, code):
        report = self.report
        if report.phase == Phase.DECISION and not Decision.objects.filter(report=report).exists():
            self.record_findings(established=True)
        subject = Subject.objects.filter(report=report).first()
        needs_hearing = code in ("written_reprimand", "fine")
        if subject is not None and needs_hearing and not subject.hearings.exists():
            self.attempt(self.flow.record_hearing, subject)
        self.attempt(
            services.impose_measure,
            self.flow.authority,
            report,
            subject,
            code,
            timezone.localdate(),
        )

    @in_phase(Phase.CLOSED)
    @rule()
    def reopen(self):
        self.attempt(self.flow.reopen)

    @invariant()
    def entry_equals_case(self):
        assert_entry_follows(self.report)


def test_random_case_histories_keep_the_entry_equal_to_the_case(people):
    RegistryMachine.people = people
    run_state_machine_as_test(
        RegistryMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
