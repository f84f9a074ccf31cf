"""The migrations of docs/decisions/0013 convert rows written before them: the clear references
and texts become tags and sealed values (the key file exists, conftest.py), a case whose data key
was destroyed keeps nothing, and the migrations can be reversed."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from integriteit.advisers import annual
from integriteit.advisers.models import AnnualReport, InterimSignal
from integriteit.cases import services
from integriteit.cases.models import DeclaredConflict, FollowUp, Hearing, Subject
from integriteit.cases.people import person_of
from integriteit.crypto.references import tag_for
from integriteit.investigations.models import Interview
from integriteit.testing import ensure_reference_data, make_report

pytestmark = pytest.mark.django_db(transaction=True)

APPS = ("cases", "investigations", "advisers")
BEFORE = [
    ("cases", "0003_open_item_indexes"),
    ("investigations", "0003_investigation_reminder"),
    ("advisers", "0002_basic_requirements"),
]


def _latest() -> list[tuple[str, str]]:
    graph = MigrationExecutor(connection).loader.graph
    return [node for node in graph.leaf_nodes() if node[0] in APPS]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _old_rows(old, people, report, shredded) -> dict:
    """What the old schema held, written with its historical models."""
    employee, guide, coordinator = people["employee"], people["guide"], people["coordinator"]
    subject = old.get_model("cases", "Subject").objects.create(
        report_id=report.pk, person_id=employee.pk
    )
    old.get_model("cases", "Subject").objects.create(report_id=shredded.pk, person_id=guide.pk)
    hearing = old.get_model("cases", "Hearing").objects.create(
        report_id=report.pk,
        subject_id=subject.pk,
        held_on=timezone.localdate(),
        form="oral",
        assisted_by="Mr. Bijstand",
        sealed_record=b"",
    )
    follow_up = old.get_model("cases", "FollowUp").objects.create(
        report_id=report.pk,
        route="referral",
        referral_target="other_organisation",
        referral_organisation="Inspectie Oud",
        sealed_reason=b"",
    )
    conflict = old.get_model("cases", "DeclaredConflict").objects.create(
        user_id=coordinator.pk, person_id=employee.pk
    )
    protocol = old.get_model("investigations", "Protocol").objects.filter(organisation=None)
    investigation = old.get_model("investigations", "Investigation").objects.create(
        report_id=report.pk,
        protocol=protocol.latest("version"),
        sealed_assignment=b"",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    interview = old.get_model("investigations", "Interview").objects.create(
        investigation=investigation,
        role="witness",
        interviewee_id=guide.pk,
        planned_at=timezone.now(),
        sealed_invitation=b"",
        adviser="Mr. Raadsman Oud",
    )
    annual_report = old.get_model("advisers", "AnnualReport").objects.create(
        organisation_id=report.organisation_id, year=2024
    )
    recommendation = old.get_model("advisers", "Recommendation").objects.create(
        annual_report=annual_report, text="Aanbeveling oud", response="Reactie oud"
    )
    old.get_model("advisers", "FollowUpAction").objects.create(
        recommendation=recommendation,
        description="Actie oud",
        owner="Eigenaar oud",
        due_on=timezone.localdate(),
    )
    signal = old.get_model("advisers", "InterimSignal").objects.create(
        organisation_id=report.organisation_id, text="Signaal oud", response=""
    )
    return {
        "subject": subject.pk,
        "hearing": hearing.pk,
        "follow_up": follow_up.pk,
        "conflict": conflict.pk,
        "interview": interview.pk,
        "annual_report": annual_report.pk,
        "signal": signal.pk,
    }


def _without_the_full_key_check(monkeypatch) -> None:
    """During an upgrade the key check cannot run yet (its table and the key holders' columns
    are still being created): data migrations must seal through `keycheck.migrating()`."""
    from integriteit.crypto import keycheck

    def refuse():
        raise AssertionError("a data migration ran the full key check")

    monkeypatch.setattr(keycheck, "verify_and_record", lambda *a, **k: refuse())
    monkeypatch.setattr(keycheck, "_passed", set())


def test_existing_rows_are_sealed_and_can_be_brought_back(people, monkeypatch):
    ensure_reference_data()
    report, _code = make_report()
    shredded, _code = make_report()
    type(shredded).objects.filter(pk=shredded.pk).update(wrapped_key=b"", kek_version="")
    latest = _latest()
    try:
        pks = _old_rows(_migrate(BEFORE), people, report, shredded)

        with monkeypatch.context() as during_migrate:
            _without_the_full_key_check(during_migrate)
            _migrate(latest)
        employee, guide = people["employee"], people["guide"]
        subject = Subject.objects.get(pk=pks["subject"])
        assert subject.person_tag == tag_for(Subject, "person", employee.pk)
        assert person_of(subject, "person") == employee
        assert services.open_on(Hearing.objects.get(pk=pks["hearing"]), "sealed_assisted_by") == (
            "Mr. Bijstand"
        )
        follow_up = FollowUp.objects.get(pk=pks["follow_up"])
        assert services.open_on(follow_up, "sealed_referral_organisation") == "Inspectie Oud"
        [conflict] = services.declared_conflicts_of(people["coordinator"])
        assert conflict.pk == pks["conflict"] and person_of(conflict, "person") == employee
        interview = Interview.objects.get(pk=pks["interview"])
        assert person_of(interview, "interviewee") == guide
        assert services.open_on(interview, "sealed_adviser") == "Mr. Raadsman Oud"
        [recommendation] = annual.recommendations_of(
            AnnualReport.objects.get(pk=pks["annual_report"])
        )
        assert (recommendation.text, recommendation.response) == ("Aanbeveling oud", "Reactie oud")
        assert [(a.description, a.owner) for a in recommendation.actions] == [
            ("Actie oud", "Eigenaar oud")
        ]
        assert annual.open_signal(InterimSignal.objects.get(pk=pks["signal"])).text == "Signaal oud"
        # The shredded case keeps nothing that names its subject.
        gone = Subject.objects.get(report=shredded)
        assert gone.person_tag == "" and gone.sealed_person is None
        assert not DeclaredConflict.objects.exclude(pk=pks["conflict"]).exists()

        old = _migrate(BEFORE)
        assert (
            old.get_model("cases", "Subject").objects.get(pk=pks["subject"]).person_id
            == employee.pk
        )
        assert old.get_model("cases", "Hearing").objects.get(pk=pks["hearing"]).assisted_by == (
            "Mr. Bijstand"
        )
        back = old.get_model("cases", "DeclaredConflict").objects.get(pk=pks["conflict"])
        assert (back.user_id, back.person_id) == (people["coordinator"].pk, employee.pk)
        interview = old.get_model("investigations", "Interview").objects.get(pk=pks["interview"])
        assert (interview.interviewee_id, interview.adviser) == (guide.pk, "Mr. Raadsman Oud")
        recommendation = old.get_model("advisers", "Recommendation").objects.get()
        assert recommendation.text == "Aanbeveling oud"
        assert old.get_model("advisers", "InterimSignal").objects.get().text == "Signaal oud"
    finally:
        _migrate(latest)
