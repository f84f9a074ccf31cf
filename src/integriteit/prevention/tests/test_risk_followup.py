"""What follows a risk analysis (issue 12 "It must show"): an accepted risk comes back for
review after its date with one reminder, however often the reminders run; a review that comes
due is reminded once; a snapshot does not change when the live analysis changes; next year's
analysis starts from last year's and shows what moved."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from integriteit.cases.reminders import send_due_reminders
from integriteit.cases.tests.flow import verified
from integriteit.prevention import selectors_analyses as selectors
from integriteit.prevention import services_analyses as services
from integriteit.prevention.constants_analyses import (
    AcceptanceStatus,
    MeasureKind,
    MeasureStatus,
    ReminderKind,
    ScoreKind,
)
from integriteit.prevention.models import Analysis, RiskReminder, Snapshot

from .analyses_helpers import make_analysis, make_process, make_risk

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def coordinator(people):
    return verified(people["coordinator"])


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def at(day: datetime.date):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        outbox = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
            result = send_due_reminders(moment)
        mails = [m for m in mail.outbox[outbox:] if "risk analysis" in m.subject]
        kinds = [item.kind for item in result.sent if item.kind.startswith("risk_")]
        return kinds, mails

    return at


def test_an_accepted_risk_comes_back_for_review_after_its_date_reminded_once(coordinator, run):
    risk = make_risk(coordinator)
    services.score_risk(coordinator, risk, ScoreKind.INHERENT, 3, 3)
    today = timezone.localdate()
    acceptance = services.accept_risk(
        coordinator, risk, decided_by="Directeur", reason="Klein restrisico", until=today + 3 * DAY
    )
    assert acceptance.level_code == "medium"
    assert run(today + 2 * DAY) == ([], [])
    assert not selectors.register(risk.process.analysis, today + 2 * DAY)[0].acceptance_due

    kinds, mails = run(today + 3 * DAY)
    assert kinds == ["risk_acceptance"]
    assert len(mails) == 1 and mails[0].to == [verified(coordinator).email]
    assert "Klein restrisico" not in mails[0].body  # no texts of the analysis in the mail
    assert "/risicoanalyses/" in mails[0].body
    row = selectors.register(risk.process.analysis, today + 3 * DAY)[0]
    assert row.acceptance_due

    for later in (3, 4, 10):  # the run is idempotent: one reminder, whenever it runs again
        assert run(today + later * DAY) == ([], [])
    assert RiskReminder.objects.filter(kind=ReminderKind.ACCEPTANCE).count() == 1


def test_a_review_ends_an_acceptance_that_came_due(coordinator, monkeypatch):
    risk = make_risk(coordinator)
    services.score_risk(coordinator, risk, ScoreKind.INHERENT, 5, 5)
    today = timezone.localdate()
    acceptance = services.accept_risk(
        coordinator, risk, decided_by="Directeur", reason="Tijdelijk", until=today + DAY
    )
    monkeypatch.setattr(timezone, "localdate", lambda *args: today + 2 * DAY)
    review = services.review_risk(coordinator, risk, note="Opnieuw bekeken")
    acceptance.refresh_from_db()
    assert acceptance.status == AcceptanceStatus.ENDED
    assert review.next_review_on == today + 2 * DAY + 30 * DAY  # the "very high" interval


def test_a_review_due_is_reminded_once_and_a_new_date_gives_a_new_reminder(coordinator, run):
    risk = make_risk(coordinator)
    services.score_risk(coordinator, risk, ScoreKind.INHERENT, 5, 5)  # review every 30 days
    due = timezone.localdate() + 30 * DAY
    assert run(due - DAY) == ([], [])
    kinds, mails = run(due)
    assert kinds == ["risk_review"] and len(mails) == 1
    assert run(due + DAY) == ([], [])
    risk.review_on = due + 60 * DAY  # a review set the next date
    risk.save()
    assert run(due + 60 * DAY)[0] == ["risk_review"]


def test_past_review_dates_are_refused(coordinator):
    risk = make_risk(coordinator)
    today = timezone.localdate()
    for until in (today, today - DAY):
        with pytest.raises(services.Refused):
            services.accept_risk(coordinator, risk, decided_by="D", reason="R", until=until)
        with pytest.raises(services.Refused):
            services.review_risk(coordinator, risk, note="", next_review_on=until)
    assert not risk.acceptances.exists() and not risk.reviews.exists()


def test_a_snapshot_does_not_change_when_the_live_analysis_changes(coordinator):
    risk = make_risk(coordinator)
    analysis = risk.process.analysis
    services.score_risk(coordinator, risk, ScoreKind.INHERENT, 4, 4)
    snapshot = services.take_snapshot(coordinator, analysis, "2026")
    frozen = Snapshot.objects.get(pk=snapshot.pk).data

    services.save_risk(coordinator, risk.process, {"title": "Ander risico"}, risk)
    services.score_risk(coordinator, risk, ScoreKind.INHERENT, 1, 1)
    services.save_process(coordinator, analysis, {"name": "Hernoemd"}, risk.process)
    make_process(coordinator, analysis, "Nieuw proces")
    services.save_measure(
        coordinator,
        analysis,
        {"kind": MeasureKind.ROTATION, "description": "Roulatie", "status": "in_place"},
        [risk],
    )

    again = Snapshot.objects.get(pk=snapshot.pk).data
    assert again == frozen
    assert again["risks"][0]["title"] == "Bevoordeling van een leverancier"
    assert again["risks"][0]["inherent"]["level"] == "high"
    assert [p["name"] for p in again["processes"]] == ["Inkoop"]
    assert again["measures"] == []
    assert selectors.snapshot_data(analysis) != frozen


def test_next_year_starts_from_last_years_and_shows_what_moved(coordinator):
    last = make_analysis(coordinator, year=2025)
    kept = make_risk(coordinator, last, "Blijft")
    lowered = services.save_risk(coordinator, kept.process, {"title": "Daalt"})
    gone = services.save_risk(coordinator, kept.process, {"title": "Verdwijnt"})
    for risk in (kept, lowered, gone):
        services.score_risk(coordinator, risk, ScoreKind.INHERENT, 4, 4)
    services.save_measure(
        coordinator,
        last,
        {"kind": MeasureKind.SCREENING, "description": "Screening", "status": "in_place"},
        [kept, lowered],
    )
    services.save_measure(
        coordinator,
        last,
        {"kind": MeasureKind.OTHER, "description": "Oud", "status": MeasureStatus.RETIRED},
        [kept],
    )
    services.accept_risk(
        coordinator,
        kept,
        decided_by="D",
        reason="R",
        until=timezone.localdate() + 30 * DAY,
    )

    with pytest.raises(services.Refused):
        services.start_from_previous(coordinator, last, year=2025)
    new = services.start_from_previous(coordinator, last, year=2026)
    assert new.previous == last and new.year == 2026
    assert [p.name for p in new.processes.all()] == ["Inkoop"]
    risks = {risk.title: risk for risk in selectors.risks_of(new)}
    assert set(risks) == {"Blijft", "Daalt", "Verdwijnt"}
    assert [m.description for m in new.measures.all()] == ["Screening"]  # not the retired one
    assert set(new.measures.get().risks.values_list("title", flat=True)) == {"Blijft", "Daalt"}
    assert not any(risk.acceptances.exists() for risk in risks.values())
    assert all(selectors.current_scores(r)[ScoreKind.INHERENT] for r in risks.values())

    services.score_risk(coordinator, risks["Daalt"], ScoreKind.RESIDUAL, 1, 2)
    risks["Verdwijnt"].delete()
    services.save_risk(coordinator, new.processes.get(), {"title": "Nieuw"})
    moved = {item.title: item.movement for item in selectors.comparison(new)}
    assert moved == {
        "Blijft": selectors.SAME,
        "Daalt": selectors.DOWN,
        "Nieuw": selectors.NEW,
        "Verdwijnt": selectors.GONE,
    }
    # Last year's analysis is as it was.
    assert Analysis.objects.get(pk=last.pk).processes.get().risks.count() == 3


def test_an_analysis_followed_by_next_years_is_reminded_no_more(coordinator, run):
    risk = make_risk(coordinator)
    services.score_risk(coordinator, risk, ScoreKind.INHERENT, 5, 5)
    today = timezone.localdate()
    services.accept_risk(coordinator, risk, decided_by="D", reason="R", until=today + DAY)
    new = services.start_from_previous(
        coordinator, risk.process.analysis, year=risk.process.analysis.year + 1
    )
    kinds, _mails = run(today + 30 * DAY)
    assert kinds == ["risk_review"]  # the copied risk only; the old acceptance is not copied
    assert RiskReminder.objects.get().object_id == selectors.risks_of(new).get().pk
