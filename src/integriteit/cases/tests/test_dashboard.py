"""The coordinator's work overview and the queue filters (issue 3 §7)."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integriteit.access.seals import report_seal
from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment
from integriteit.audit.models import AuditEntry
from integriteit.cases import units as case_units
from integriteit.cases.dashboard import DueKind, dashboard
from integriteit.cases.models import AftercareAction, Evaluation
from integriteit.cases.services import CaseError
from integriteit.organisations.models import Organisation, Unit
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report

pytestmark = pytest.mark.django_db

DASHBOARD = "/behandeling/overzicht/"
QUEUE = "/behandeling/"


def clone(report: Report, count: int, **changes) -> list[Report]:
    """Cheap copies of a submitted report (metadata only; the overview never decrypts)."""
    fields = {
        f.attname: getattr(report, f.attname)
        for f in Report._meta.concrete_fields
        if f.attname not in {"id", "reference", "receipt_lookup"}
    }
    rows = []
    for _ in range(count):
        row = Report(
            **{**fields, **changes}, id=uuid.uuid4(), reference=f"T-{uuid.uuid4().hex[:10].upper()}"
        )
        row.access_seal = report_seal(row.pk, row.organisation_id, ())  # no exclusions copied
        rows.append(row)
    return Report.objects.bulk_create(rows)


def due_list(overview, kind):
    return next(d for d in overview.due if d.kind == kind)


def references(due):
    return {item.report.reference for item in due.items}


@pytest.fixture(autouse=True)
def verified(people):
    """Selectors called directly need a user who passed the second factor."""
    for user in people.values():
        user.is_verified = lambda: True


@pytest.fixture
def base(make_report):
    report, _code = make_report("bzk")
    return report


def test_counts_per_phase_and_links_to_the_queue(people, staff_client, base):
    clone(base, 2, phase=Phase.INVESTIGATION)
    clone(base, 3, phase=Phase.CLOSED, closed_at=timezone.now())
    overview = dashboard(people["coordinator"])
    counts = {p.phase: p.count for p in overview.phases}
    assert counts[Phase.RECEIVED] == 1
    assert counts[Phase.INVESTIGATION] == 2
    assert counts[Phase.CLOSED] == 3
    assert overview.total == 6 and overview.open == 3

    client = staff_client(people["coordinator"])
    page = client.get(DASHBOARD).content.decode()
    assert 'data-phase="investigation">2<' in page
    assert "/behandeling/?phase=investigation" in page
    queue = client.get(QUEUE, {"phase": "investigation"})
    assert queue.status_code == 200
    assert queue.context["page"].paginator.count == 2
    assert base.reference not in queue.content.decode()


def test_acknowledgement_due_and_overdue(people, base):
    now = timezone.now()
    late = clone(base, 1, acknowledgement_due=now - datetime.timedelta(days=1))[0]
    done = clone(base, 1, acknowledged_at=now, phase=Phase.ACKNOWLEDGED)[0]
    ack = due_list(dashboard(people["coordinator"]), DueKind.ACKNOWLEDGEMENT)
    assert references(ack) == {base.reference, late.reference}
    assert done.reference not in references(ack)
    assert ack.total == 2 and ack.overdue == 1
    assert ack.items[0].report == late and ack.items[0].urgency.value == "overdue"


def test_interim_feedback_follows_the_organisation_interval(people, base, settings):
    now = timezone.now()
    five_weeks = now - datetime.timedelta(weeks=5)
    acknowledged = dict(phase=Phase.INVESTIGATION, acknowledged_at=five_weeks)
    overdue = clone(base, 1, **acknowledged)[0]
    recent = clone(base, 1, **acknowledged, last_feedback_at=now - datetime.timedelta(days=2))[0]
    final_given = clone(base, 1, **acknowledged, feedback_given_at=now)[0]
    interim = due_list(dashboard(people["coordinator"]), DueKind.INTERIM_FEEDBACK)
    assert references(interim) == {overdue.reference}
    assert interim.overdue == 1
    assert recent.reference not in references(interim)
    assert final_given.reference not in references(interim)
    # Every 8 weeks for this organisation: five weeks after the acknowledgement is not due yet.
    Organisation.objects.filter(slug="bzk").update(interim_feedback_weeks=8)
    interim = due_list(dashboard(people["coordinator"]), DueKind.INTERIM_FEEDBACK)
    assert interim.total == 0 and not interim.items
    # Due soon (deadlines.services.urgency) comes on the list, not yet overdue.
    due_soon = datetime.timedelta(weeks=8) - datetime.timedelta(days=settings.DUE_SOON_DAYS - 1)
    Report.objects.filter(pk=overdue.pk).update(acknowledged_at=now - due_soon)
    interim = due_list(dashboard(people["coordinator"]), DueKind.INTERIM_FEEDBACK)
    assert references(interim) == {overdue.reference} and interim.overdue == 0
    assert interim.items[0].urgency.value == "near"


def test_final_feedback_aftercare_and_evaluation(people, base):
    now = timezone.now()
    soon = clone(base, 1, feedback_due=now + datetime.timedelta(days=3))[0]
    later = clone(base, 1, feedback_due=now + datetime.timedelta(days=60))[0]
    late = clone(base, 1, feedback_due=now - datetime.timedelta(days=1))[0]
    Report.objects.filter(pk=base.pk).update(feedback_due=now + datetime.timedelta(days=80))
    closed = clone(
        base, 1, feedback_due=now - datetime.timedelta(days=9), phase=Phase.CLOSED, closed_at=now
    )[0]
    final = due_list(dashboard(people["coordinator"]), DueKind.FINAL_FEEDBACK)
    assert references(final) == {soon.reference, late.reference}
    assert later.reference not in references(final) and closed.reference not in references(final)
    assert final.overdue == 1 and final.items[0].report == late

    today = timezone.localdate()
    action = AftercareAction.objects.create(
        report=soon, audience="reporter", sealed_description=b"x", due_on=today
    )
    AftercareAction.objects.create(
        report=later,
        audience="team",
        sealed_description=b"x",
        due_on=today - datetime.timedelta(days=3),
        done_at=now,
    )
    AftercareAction.objects.create(
        report=later,
        audience="team",
        sealed_description=b"x",
        due_on=today + datetime.timedelta(days=30),
    )
    aftercare = due_list(dashboard(people["coordinator"]), DueKind.AFTERCARE)
    assert references(aftercare) == {soon.reference} and aftercare.overdue == 0
    AftercareAction.objects.filter(pk=action.pk).update(due_on=today - datetime.timedelta(days=2))
    aftercare = due_list(dashboard(people["coordinator"]), DueKind.AFTERCARE)
    assert aftercare.overdue == 1 and aftercare.items[0].late == 2

    Evaluation.objects.create(report=closed, invited_at=now - datetime.timedelta(weeks=6))
    Evaluation.objects.create(report=later, invited_at=now, answered_at=now)
    evaluation = due_list(dashboard(people["coordinator"]), DueKind.EVALUATION)
    assert references(evaluation) == {closed.reference}
    assert evaluation.total == 1 and evaluation.overdue == 1


def test_filters_per_organisation_and_unit(people, staff_client, make_report, base):
    coordinator = people["coordinator"]
    fin = Organisation.objects.get(slug="fin")
    RoleAssignment.objects.create(user=coordinator, organisation=fin, role=Role.COORDINATOR)
    fin_report, _code = make_report("fin")
    bzk = Organisation.objects.get(slug="bzk")
    dg = Unit.objects.get(organisation=bzk, name="DG Overheidsorganisatie")
    team = Unit.objects.get(organisation=bzk, name="Team Integriteit en Ethiek")
    other = Unit.objects.get(organisation=bzk, name="Directie Bedrijfsvoering")
    in_team = clone(base, 1, unit_id=team.pk)[0]
    in_other = clone(base, 1, unit_id=other.pk)[0]

    assert dashboard(coordinator).total == 4
    assert dashboard(coordinator, organisation=fin).total == 1

    client = staff_client(coordinator)
    by_org = client.get(DASHBOARD, {"organisation": fin.pk})
    assert by_org.context["overview"].total == 1
    assert fin_report.reference in by_org.content.decode()
    assert base.reference not in by_org.content.decode()
    # A unit includes the units under it: DG → Directie A&O → Team.
    by_unit = client.get(DASHBOARD, {"unit": dg.pk}).context["overview"]
    assert by_unit.total == 1
    assert references(due_list(by_unit, DueKind.ACKNOWLEDGEMENT)) == {in_team.reference}
    # The queue takes the same filters, and the phase links carry them.
    queue = client.get(QUEUE, {"unit": other.pk})
    assert [r.reference for r in queue.context["page"].object_list] == [in_other.reference]
    queue = client.get(QUEUE, {"organisation": fin.pk, "phase": "received"})
    assert [r.reference for r in queue.context["page"].object_list] == [fin_report.reference]
    page = client.get(DASHBOARD, {"unit": other.pk}).content.decode()
    assert f"unit={other.pk}" in page and "phase=received" in page
    # A unit of another organisation than the chosen one is refused, not silently ignored.
    mixed = client.get(DASHBOARD, {"organisation": fin.pk, "unit": other.pk})
    assert not mixed.context["form"].is_valid()


def test_a_user_sees_only_cases_visible_to_them(people, staff_client, make_report, base):
    named, _code = make_report("bzk", involved=(people["coordinator"],))
    fin = staff_client(people["coordinator-fin"])
    page = fin.get(DASHBOARD)
    assert page.context["overview"].total == 0
    assert base.reference not in page.content.decode()
    assert named.reference not in page.content.decode()
    # The organisation filter offers only the organisations one has cases for.
    assert list(page.context["form"].fields["organisation"].queryset) == []
    assert fin.get(DASHBOARD, {"organisation": base.organisation_id}).context["overview"].total == 0

    coordinator = staff_client(people["coordinator"])
    page = coordinator.get(DASHBOARD).content.decode()
    assert base.reference in page and named.reference not in page
    assert named.reference not in coordinator.get(QUEUE).content.decode()
    assert coordinator.get(QUEUE, {"q": named.reference}).context["page"].paginator.count == 0
    # Someone with no role on any case gets an empty overview.
    assert staff_client(people["employee"]).get(DASHBOARD).context["overview"].total == 0


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def _populate(base: Report, count: int) -> None:
    """`count` cases in all phases, with every kind of due item and units."""
    now = timezone.now()
    bzk_units = list(Unit.objects.filter(organisation_id=base.organisation_id))
    phases = [value for value, _label in Phase.choices]
    for index in range(count):
        report = clone(
            base,
            1,
            phase=phases[index % len(phases)],
            unit_id=bzk_units[index % len(bzk_units)].pk,
            acknowledged_at=None if index % 3 == 0 else now - datetime.timedelta(weeks=6),
            acknowledgement_due=now - datetime.timedelta(days=index % 10),
            feedback_due=now + datetime.timedelta(days=index % 20 - 5),
        )[0]
        AftercareAction.objects.create(
            report=report,
            audience="reporter",
            sealed_description=b"x",
            due_on=timezone.localdate() - datetime.timedelta(days=index % 4),
        )
        if index % 2:
            Evaluation.objects.create(report=report, invited_at=now)


def test_query_count_does_not_grow_with_the_number_of_cases(people, staff_client, base):
    client = staff_client(people["coordinator"])
    unit = Unit.objects.get(organisation_id=base.organisation_id, name="DG Overheidsorganisatie")
    # Every filter matches cases at both sizes (an empty page skips its query).
    pages = [
        (DASHBOARD, {}),
        (DASHBOARD, {"organisation": base.organisation_id, "unit": unit.pk}),
        (QUEUE, {}),
        (QUEUE, {"phase": "received", "organisation": base.organisation_id}),
        (QUEUE, {"unit": unit.pk}),
        (QUEUE, {"page": 2}),
    ]
    _populate(base, 4)
    assert Report.objects.count() == 5
    small = [_queries(client, url, params) for url, params in pages]
    _populate(base, 45)
    assert Report.objects.count() == 50
    large = [_queries(client, url, params) for url, params in pages]
    assert small == large
    overview = client.get(DASHBOARD).context["overview"]
    assert overview.total == 50
    assert len(due_list(overview, DueKind.AFTERCARE).items) == 20  # bounded list, full count
    assert due_list(overview, DueKind.AFTERCARE).total == 49  # one per populated case


def test_set_unit_is_checked_and_audited(people, staff_client, base):
    bzk_unit = Unit.objects.get(
        organisation_id=base.organisation_id, name="Directie Bedrijfsvoering"
    )
    fin_unit = Unit.objects.get(organisation__slug="fin", name="DG Fiscaliteit")
    coordinator = people["coordinator"]
    case_units.set_unit(coordinator, base, bzk_unit)
    base.refresh_from_db()
    assert base.unit == bzk_unit
    entry = AuditEntry.objects.filter(action="case.unit_set").get()
    assert entry.detail["to"] == bzk_unit.pk
    with pytest.raises(CaseError):
        case_units.set_unit(coordinator, base, fin_unit)
    with pytest.raises(PermissionDenied):
        case_units.set_unit(people["guide"], base, None)

    client = staff_client(coordinator)
    response = client.post(f"/behandeling/{base.pk}/eenheid/", {"unit": ""})
    assert response.status_code == 302
    base.refresh_from_db()
    assert base.unit is None
    client.post(f"/behandeling/{base.pk}/eenheid/", {"unit": fin_unit.pk})
    base.refresh_from_db()
    assert base.unit is None  # a unit of another organisation is not taken
    # Someone who cannot see the case gets 404.
    other = staff_client(people["coordinator-fin"])
    assert other.post(f"/behandeling/{base.pk}/eenheid/", {"unit": ""}).status_code == 404
