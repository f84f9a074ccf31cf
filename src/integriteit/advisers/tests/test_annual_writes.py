"""Every write of the annual report and the interim signals goes through a service in
`advisers/annual.py`: one transaction holding its guard (who, in which state) and its audit
entry, which names the objects by id and never a person or a text (issue 9 defect 8)."""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment
from integriteit.advisers import annual
from integriteit.advisers.models import (
    AnnualReport,
    FollowUpAction,
    InterimSignal,
    Recommendation,
)
from integriteit.audit.models import AuditEntry
from integriteit.organisations.models import Organisation

YEAR = 2025
DUE = datetime.date(2026, 3, 1)
# Rare words in every text written here, so that a copy of one in an audit entry is found.
MARKER = "Zeldzaam"


class AuditDown(Exception):
    pass


@pytest.fixture
def people(people):
    """The services run as these users after their second factor (as the OTP middleware leaves
    them); the pages get their own logged-in clients."""
    for user in people.values():
        user.is_verified = lambda: True
    return people


@dataclass
class Annual:
    """A report sent to the competent authority, with a recommendation, a follow-up action and
    an interim signal, all written through the services."""

    organisation: Organisation
    report: AnnualReport
    recommendation: Recommendation
    action: FollowUpAction
    signal: InterimSignal
    sent_at: datetime.datetime | None


def sent_report(adviser, authority, organisation) -> Annual:
    report = annual.create_report(adviser, organisation, YEAR)
    recommendation = annual.add_recommendation(adviser, report, f"Aanbeveling {MARKER}1")
    annual.send_to_authority(adviser, report)
    action = annual.add_action(
        authority, recommendation, f"Actie {MARKER}2", f"Eigenaar {MARKER}3", DUE
    )
    signal = annual.raise_signal(adviser, organisation, f"Signaal {MARKER}4")
    return Annual(organisation, report, recommendation, action, signal, report.sent_to_authority_at)


@pytest.fixture
def bzk(people) -> Annual:
    return sent_report(people["adviser"], people["authority"], Organisation.objects.get(slug="bzk"))


@dataclass(frozen=True)
class Write:
    """One write: who may do it, the audit action it leaves, how to call it, and how to see
    that nothing of it was stored."""

    by: str
    action: str
    call: Callable[[object, Annual], object]
    nothing_stored: Callable[[Annual], bool]


def _unchanged(obj, field: str, before) -> bool:
    obj.refresh_from_db()
    return getattr(obj, field) == before


def _sent_at_unchanged(a: Annual) -> bool:
    return _unchanged(a.report, "sent_to_authority_at", a.sent_at)


WRITES = {
    "create_report": Write(
        "adviser",
        "adviserreport.created",
        lambda user, a: annual.create_report(user, a.organisation, YEAR - 1),
        lambda a: (
            not AnnualReport.objects.filter(organisation=a.organisation, year=YEAR - 1).exists()
        ),
    ),
    "add_recommendation": Write(
        "adviser",
        "adviserreport.recommendation_added",
        lambda user, a: annual.add_recommendation(user, a.report, f"Nog een {MARKER}5"),
        lambda a: a.report.recommendations.count() == 1,
    ),
    "send_to_authority": Write(
        "adviser",
        "adviserreport.sent",
        lambda user, a: annual.send_to_authority(user, a.report),
        _sent_at_unchanged,
    ),
    "respond": Write(
        "authority",
        "adviserreport.responded",
        lambda user, a: annual.respond(user, a.recommendation, f"Reactie {MARKER}6"),
        lambda a: _unchanged(a.recommendation, "sealed_response", None),
    ),
    "add_action": Write(
        "authority",
        "adviserreport.action_added",
        lambda user, a: annual.add_action(
            user, a.recommendation, f"Actie {MARKER}7", f"Eigenaar {MARKER}8", DUE
        ),
        lambda a: (
            FollowUpAction.objects.filter(recommendation__annual_report=a.report).count() == 1
        ),
    ),
    "mark_action_done": Write(
        "authority",
        "adviserreport.action_done",
        lambda user, a: annual.mark_action_done(user, a.action),
        lambda a: _unchanged(a.action, "done_at", None),
    ),
    "raise_signal": Write(
        "adviser",
        "interimsignal.raised",
        lambda user, a: annual.raise_signal(user, a.organisation, f"Signaal {MARKER}9"),
        lambda a: InterimSignal.objects.filter(organisation=a.organisation).count() == 1,
    ),
    "answer_signal": Write(
        "authority",
        "interimsignal.answered",
        lambda user, a: annual.answer_signal(user, a.signal, f"Antwoord {MARKER}10"),
        lambda a: _unchanged(a.signal, "responded_at", None),
    ),
}


def names_of(people) -> set[str]:
    return {part for user in people.values() for part in (user.first_name, user.last_name) if part}


@pytest.mark.parametrize("name", list(WRITES))
def test_each_write_is_audited_without_a_name_or_text(name, people, bzk):
    write = WRITES[name]
    user = people[write.by]
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    write.call(user, bzk)
    [entry] = AuditEntry.objects.exclude(pk__in=before)
    assert (entry.action, entry.actor_id) == (write.action, user.pk)
    # The entry names the organisation's report or signal by id.
    if entry.object_type == "adviserreport":
        named = AnnualReport.objects.get(pk=entry.object_id).organisation
    else:
        assert entry.object_type == "interimsignal"
        named = InterimSignal.objects.get(pk=entry.object_id).organisation
    assert named == bzk.organisation
    stored = json.dumps(
        [entry.actor_label, entry.object_id, entry.detail], ensure_ascii=False
    ).lower()
    assert MARKER.lower() not in stored
    assert not {n for n in names_of(people) if n.lower() in stored}
    # Only ids and codes: numbers, or a date.
    for value in entry.detail.values():
        assert isinstance(value, int) or datetime.date.fromisoformat(value), value


@pytest.mark.parametrize("name", list(WRITES))
def test_a_failed_audit_entry_leaves_nothing_half_written(name, people, bzk, monkeypatch):
    """The write and its audit entry are one transaction: when the entry cannot be written,
    neither the change nor its e-mail is stored."""

    def refuse(*args, **kwargs):
        raise AuditDown

    write = WRITES[name]
    mails_before = len(mail.outbox)
    monkeypatch.setattr(annual, "record", refuse)
    with pytest.raises(AuditDown):
        write.call(people[write.by], bzk)
    assert write.nothing_stored(bzk)
    assert len(mail.outbox) == mails_before


# Who may not: the editors' writes are the advisers', the others the competent authority's.
WRONG_USERS = {
    "create_report": ("coordinator", "authority"),
    "add_recommendation": ("coordinator", "authority"),
    "send_to_authority": ("coordinator", "authority"),
    "raise_signal": ("coordinator", "authority"),
    "respond": ("coordinator", "adviser"),
    "add_action": ("coordinator", "adviser"),
    "mark_action_done": ("coordinator", "adviser"),
    "answer_signal": ("coordinator", "adviser"),
}


@pytest.mark.parametrize(
    "name,username",
    [(name, username) for name, users in WRONG_USERS.items() for username in users],
)
def test_the_wrong_role_cannot_call_the_service(name, username, people, bzk):
    write = WRITES[name]
    with pytest.raises(PermissionDenied):
        write.call(people[username], bzk)
    assert write.nothing_stored(bzk)


@pytest.fixture
def fin(people) -> Annual:
    """The report of another organisation, by the adviser who serves both."""
    authority = people["coordinator-fin"]  # made the competent authority of Financiën here
    RoleAssignment.objects.create(
        user=authority,
        organisation=Organisation.objects.get(slug="fin"),
        role=Role.COMPETENT_AUTHORITY,
    )
    return sent_report(people["adviser-ext"], authority, Organisation.objects.get(slug="fin"))


@pytest.mark.parametrize("name", list(WRITES))
def test_another_organisation_cannot_call_the_service(name, people, bzk, fin):
    """BZK's adviser and competent authority write nothing in Financiën's report."""
    write = WRITES[name]
    with pytest.raises(PermissionDenied):
        write.call(people[write.by], fin)
    assert write.nothing_stored(fin)


def test_a_report_not_yet_sent_takes_no_response(people):
    adviser, authority = people["adviser"], people["authority"]
    report = annual.create_report(adviser, Organisation.objects.get(slug="bzk"), YEAR)
    recommendation = annual.add_recommendation(adviser, report, "r")
    with pytest.raises(PermissionDenied):
        annual.respond(authority, recommendation, "x")
    with pytest.raises(PermissionDenied):
        annual.add_action(authority, recommendation, "a", "o", DUE)


def test_a_signal_is_answered_once(people, bzk):
    annual.answer_signal(people["authority"], bzk.signal, "Eerste")
    with pytest.raises(PermissionDenied):
        annual.answer_signal(people["authority"], bzk.signal, "Tweede")
    bzk.signal.refresh_from_db()
    assert annual.open_signal(bzk.signal).response == "Eerste"


def test_an_action_done_twice_keeps_its_first_moment(people, bzk):
    annual.mark_action_done(people["authority"], bzk.action)
    bzk.action.refresh_from_db()
    first = bzk.action.done_at
    annual.mark_action_done(people["authority"], bzk.action)
    bzk.action.refresh_from_db()
    assert bzk.action.done_at == first
    assert AuditEntry.objects.filter(action="adviserreport.action_done").count() == 1


def test_the_action_done_page_goes_through_the_service(people, bzk, staff_client):
    """The page that used to save the action itself: done, audited, and only for the competent
    authority of the report's organisation (others get 404, nothing changes)."""
    url = reverse("advisers:action_done", args=[bzk.action.pk])
    for username in ("coordinator", "adviser", "employee"):
        assert staff_client(people[username]).post(url).status_code == 404, username
    bzk.action.refresh_from_db()
    assert bzk.action.done_at is None
    assert staff_client(people["authority"]).post(url).status_code == 302
    bzk.action.refresh_from_db()
    assert bzk.action.done_at is not None
    assert AuditEntry.objects.get(action="adviserreport.action_done").actor_id == (
        people["authority"].pk
    )


def test_another_organisations_pages_are_404(people, bzk, fin, staff_client):
    authority, adviser = staff_client(people["authority"]), staff_client(people["adviser"])
    recommendation = fin.recommendation.pk
    for url, data in (
        (reverse("advisers:action_done", args=[fin.action.pk]), {}),
        (reverse("advisers:recommendation_respond", args=[recommendation]), {"text": "x"}),
        (reverse("advisers:action_add", args=[recommendation]), {"description": "x"}),
    ):
        assert authority.post(url, data).status_code == 404, url
    assert (
        authority.post(reverse("advisers:signals"), {"signal": fin.signal.pk, "text": "x"})
    ).status_code == 404
    for url in (
        reverse("advisers:annual_recommend", args=[fin.report.pk]),
        reverse("advisers:annual_send", args=[fin.report.pk]),
    ):
        assert adviser.post(url, {"text": "x"}).status_code == 404, url
    fin.action.refresh_from_db()
    fin.signal.refresh_from_db()
    assert fin.action.done_at is None and fin.signal.responded_at is None
    assert fin.report.recommendations.count() == 1


def test_the_adviser_cannot_answer_a_signal_on_the_page(people, bzk, staff_client):
    response = staff_client(people["adviser"]).post(
        reverse("advisers:signals"), {"signal": bzk.signal.pk, "text": "x"}
    )
    assert response.status_code == 404
    bzk.signal.refresh_from_db()
    assert bzk.signal.responded_at is None
