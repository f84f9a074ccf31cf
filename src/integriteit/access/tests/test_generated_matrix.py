"""Role × view × object, generated from the URLconf (issue 9; SECURITY.md "Tests that prove it").

Every URL pattern that takes an object id is requested by every demo person (among them the
named subject, the line above them and the people of another organisation) and with a
tampered id. Whether it may open comes from the rules the view asks (access.rules and the apps'
access rules registered with it): allowed gives anything but 404, denied gives 404 (never 403,
ADR 0002). `test_every_pattern_with_an_object_is_covered` fails for a new view without a line
here.

test_matrix.py checks the effects of the main case actions in detail; this file checks the gate
of every view.

The demo people and the investigation case take seconds to build, so they are built once per
module (and so once per xdist worker) in a transaction that is rolled back at its end
(`world`); each pattern runs in a savepoint of it (pytest-django's test transaction), builds
only the objects it needs on top, and each request runs in a savepoint of that.
"""

import copy
import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest
import weasyprint
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from integriteit.access.rules import Action, can
from integriteit.accounts.constants import Role
from integriteit.accounts.demo import PEOPLE
from integriteit.accounts.models import RoleAssignment, User
from integriteit.advisers import access as adviser_access
from integriteit.advisers import annual, rooms
from integriteit.advisers import log as adviser_log
from integriteit.advisers.constants import ConversationTheme
from integriteit.advisers.models import ConfidentialAdviser, ConversationRoom
from integriteit.cases import services as case_services
from integriteit.cases.constants import AftercareAudience
from integriteit.cases.models import CaseAssignment, SavedQueueFilter
from integriteit.cases.tests.flow import verified
from integriteit.investigations import access as investigation_access
from integriteit.investigations import selectors as investigation_selectors
from integriteit.investigations import services as investigation_services
from integriteit.investigations.constants import StepRole
from integriteit.investigations.tests.portal_case import PortalCase
from integriteit.notifications import selectors as notification_selectors
from integriteit.notifications.constants import NotificationKind
from integriteit.notifications.models import Notification
from integriteit.organisations.models import Organisation
from integriteit.prevention import access as prevention_access
from integriteit.prevention import access_analyses
from integriteit.prevention import access_policy as prevention_access_policy
from integriteit.prevention import declarations as prevention_services
from integriteit.prevention import policy as prevention_policy
from integriteit.prevention.models import InterestKind
from integriteit.prevention.tests.analyses_helpers import make_risk as make_analysis_risk
from integriteit.registry import access as registry_access
from integriteit.registry import imports as registry_imports
from integriteit.registry import returns as registry_returns
from integriteit.registry.models import AnnualReturn
from integriteit.registry.tests.helpers import make_entry
from integriteit.reports.attachments import clean
from integriteit.testing import load_people, make_report

from .urlconf import patterns

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_pdf(monkeypatch):
    """What is tested is the gate before a document, not its typesetting (tested where the
    documents are made): an empty PDF instead of WeasyPrint's seconds per document."""
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *args, **kwargs: b"%PDF-1.7")


USERNAMES = [person.username for person in PEOPLE]
FILE = ("bewijs.txt", b"inhoud van het bewijs")
TAMPERED_INT = 987654321
TAMPERED_UUID = uuid.UUID("00000000-0000-4000-8000-000000000009")

# Patterns with a parameter that is no object behind need to know, with why.
NOT_AN_OBJECT = {
    "reports:report": "the public report form of an organisation (its slug)",
    "advisers:finder_organisation": "the public list of an organisation's advisers (its slug)",
    "accounts:set_password": "a one-time token, checked by Django's token generator",
    "cases:queue_export": "the format of the queue's export; its rows are the queue's own, "
    "cases/tests/test_queue.py",
    "registry:export": "the format of the registry's export; its rows are the user's own "
    "entries, registry/tests/test_pages.py",
    "registry:own_figures_export": "the format of the export of one's own organisation's "
    "figures; the organisation is a query parameter checked per role and tampered, "
    "registry/tests/test_own_figures.py",
    "prevention:answer_link": "the employee's one-time invitation code, no login: checked by "
    "its digest, prevention/tests/test_questionnaire.py",
    "prevention:public_organisation": "the public publication page of an organisation (its "
    "slug), prevention/tests/test_declarations.py",
    "reports:mailbox_attachment": "the reporter's mailbox: the session of the receipt code, "
    "reports/tests/test_mailbox*.py",
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo people and one case in the phase "Investigation", built once for the module in
    a transaction rolled back after its last test. Every test runs in a savepoint of it (the
    test transaction of pytest-django's `db`), so nothing a pattern adds outlives that pattern."""
    with django_db_blocker.unblock(), transaction.atomic():
        people = load_people()
        yield people, PortalCase(people)
        transaction.set_rollback(True)


class Scenario:
    """The world's case with every other kind of object a view takes, made with the real
    services, built as far as a pattern needs it (and rolled back with its test)."""

    def __init__(self, people, case: PortalCase):
        self.people = people
        # A copy: the steps after the interviews change the interviews it holds in memory, and
        # the next pattern starts from the rows as the world left them.
        self.case = copy.deepcopy(case)

    @property
    def report(self):
        return self.case.report

    @property
    def investigation(self):
        return self.case.investigation

    @cached_property
    def notification(self):
        return Notification.objects.create(
            user=self.case.flow.coordinator, kind=NotificationKind.NEW_REPORT, report=self.report
        )

    @cached_property
    def attachment_report(self):
        report, _code = make_report("bzk", files=(FILE,))
        return report

    @cached_property
    def aftercare(self):
        return case_services.plan_aftercare(
            self.case.flow.coordinator,
            self.report,
            audience=AftercareAudience.REPORTER,
            description="Nagesprek met de melder.",
            due_on=timezone.localdate() + datetime.timedelta(days=14),
        )

    @cached_property
    def signal(self):
        return case_services.record_disadvantage(
            self.case.flow.coordinator, self.report, "Overgeplaatst na de melding."
        )

    @cached_property
    def order_measure(self):
        return case_services.impose_order_measure(
            self.case.authority,
            self.report,
            self.case.subject,
            kind="suspension",
            reason="In het belang van het onderzoek.",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + datetime.timedelta(days=30),
        )

    @cached_property
    def conflict(self):
        declarer = verified(self.people["investigator"])
        return case_services.declare_conflict(declarer, self.people["employee"])

    @cached_property
    def saved_filter(self):
        return SavedQueueFilter.objects.create(
            user=self.people["coordinator"], name="Achterstand", query="deadline=ack_overdue"
        )

    @cached_property
    def draft(self):
        return self.case.to_draft()

    @cached_property
    def offered_draft(self):
        self.draft  # noqa: B018 - the subject responds to the draft once it is offered
        return self.case.offer_draft()

    @cached_property
    def document(self):
        return investigation_services.upload_document(
            self.case.investigator,
            self.investigation,
            "interviews",
            "record_attachment",
            clean("verslag-bijlage.txt", b"Aantekeningen bij het gesprek."),
        )

    @cached_property
    def adviser(self) -> ConfidentialAdviser:
        bzk = Organisation.objects.get(slug="bzk")
        adviser = ConfidentialAdviser.objects.get(user=self.people["adviser"])
        adviser.organisations_served.add(bzk)
        return adviser

    @cached_property
    def log_entry(self):
        return adviser_log.record_conversation(
            verified(self.people["adviser"]),
            adviser_log.LogInput(
                held_on=timezone.localdate() - datetime.timedelta(days=1),
                theme=ConversationTheme.BULLYING,
                organisation=Organisation.objects.get(slug="bzk"),
                conversations=1,
                referrals=[],
                notes="",
            ),
        )

    @cached_property
    def annual_report(self):
        return annual.create_report(
            verified(self.people["adviser"]), Organisation.objects.get(slug="bzk"), 2025
        )

    @cached_property
    def recommendation(self):
        adviser = verified(self.people["adviser"])
        recommendation = annual.add_recommendation(adviser, self.annual_report, "Meer uren.")
        annual.send_to_authority(adviser, self.annual_report)  # the authority responds after this
        return recommendation

    @cached_property
    def follow_up(self):
        return annual.add_action(
            verified(self.people["authority"]),
            self.recommendation,
            "Uren uitbreiden.",
            "Directie",
            timezone.localdate(),
        )

    @cached_property
    def booking(self):
        self.adviser  # noqa: B018 - serves BZK, so may book its room
        room = ConversationRoom.objects.create(
            organisation=Organisation.objects.get(slug="bzk"), location="Den Haag", name="4.12"
        )
        starts = timezone.now() + datetime.timedelta(days=2)
        return rooms.book(
            verified(self.people["adviser"]), room, starts, starts + datetime.timedelta(hours=1)
        )

    @cached_property
    def registry_entry(self):
        return make_entry("bzk", "BZK-P-2023-001")

    @cached_property
    def annual_return(self):
        self.registry_entry  # noqa: B018 - the return has a cell to show
        return registry_returns.open_return(
            verified(self.people["coordinator"]), Organisation.objects.get(slug="bzk"), 2023
        )

    @cached_property
    def import_job(self):
        return registry_imports.start(
            verified(self.people["coordinator"]),
            Organisation.objects.get(slug="bzk"),
            "register.csv",
            b"Kenmerk;Datum ontvangst\nOUD-1;1-2-2016\n",
        )

    @cached_property
    def integrity_policy(self):
        coordinator = verified(self.people["coordinator"])
        today = timezone.localdate()
        found = prevention_policy.create_policy(
            coordinator,
            Organisation.objects.get(slug="bzk"),
            {
                "title": "Integriteitsbeleid",
                "period_start": today,
                "period_end": today + datetime.timedelta(days=700),
                "evaluation_due": today + datetime.timedelta(days=365),
            },
        )
        prevention_policy.save_goal(
            coordinator,
            found,
            {
                "title": "Doel",
                "indicator": "Indicator",
                "target": "Streefwaarde",
                "system_figure": "",
                "measures": "",
            },
        )
        return found

    @cached_property
    def policy_goal(self):
        return self.integrity_policy.goals.get()

    @cached_property
    def policy_evaluation(self):
        coordinator = verified(self.people["coordinator"])
        found = self.integrity_policy
        today = timezone.localdate()
        prevention_policy.adopt(coordinator, found, today, "SG")
        outcome = prevention_policy.GoalOutcome(self.policy_goal, "achieved", "Bereikt.", "")
        return prevention_policy.evaluate(
            coordinator,
            found,
            held_on=today,
            conclusion="Bereikt.",
            outcomes=[outcome],
            next_evaluation_due=None,
        )

    @cached_property
    def policy_action(self):
        return prevention_policy.add_action(
            verified(self.people["coordinator"]),
            self.policy_evaluation,
            {
                "description": "Actie",
                "owner": "HR",
                "due_on": timezone.localdate() + datetime.timedelta(days=10),
            },
        )

    @cached_property
    def designated_function(self):
        """BZK's designated function, held by the employee (R16)."""
        coordinator = verified(self.people["coordinator"])
        bzk = Organisation.objects.get(slug="bzk")
        function = prevention_services.add_function(coordinator, bzk, "Inkoper", True, True)
        prevention_services.assign_function(
            coordinator, function, self.people["employee"], timezone.localdate()
        )
        return function

    @cached_property
    def declaration(self):
        """The employee's side activity, submitted to her manager."""
        official = verified(self.people["employee"])
        declaration = prevention_services.save_draft(
            official,
            prevention_services.DeclarationInput(
                description="Docent inkooprecht",
                employer="Haagse Hogeschool",
                paid=True,
                starts_on=timezone.localdate(),
                function=self.designated_function,
            ),
        )
        prevention_services.submit(official, declaration)
        return declaration

    @cached_property
    def interest(self):
        return prevention_services.declare_interest(
            verified(self.people["employee"]),
            self.designated_function,
            InterestKind.SECURITIES,
            "Aandelen in een leverancier",
        )

    @cached_property
    def analysis_risk(self):
        return make_analysis_risk(verified(self.people["coordinator"]))

    @cached_property
    def analysis_measure(self):
        from integriteit.prevention import services_analyses

        risk = self.analysis_risk
        return services_analyses.save_measure(
            verified(self.people["coordinator"]),
            risk.process.analysis,
            {"kind": "rotation", "description": "Roulatie", "status": "in_place"},
            [risk],
        )

    @cached_property
    def analysis_snapshot(self):
        from integriteit.prevention import services_analyses

        return services_analyses.take_snapshot(
            verified(self.people["coordinator"]), self.analysis_risk.process.analysis, "2026"
        )


Rule = Callable[[User, Scenario], bool]


@dataclass(frozen=True)
class Gate:
    """How to reach a pattern's object and who may pass."""

    kwargs: Callable[[Scenario], dict]
    may: Rule
    method: str = "post"
    tampered: str = ""  # the parameter a tampered id replaces


def _on_case(action: Action, method: str = "post", **extra: Callable[[Scenario], object]) -> Gate:
    return Gate(
        lambda s: {"report_id": s.report.pk, **{key: get(s) for key, get in extra.items()}},
        lambda user, s: can(user, action, s.report),
        method,
        "report_id",
    )


def _on_return(may: Callable[[User, AnnualReturn], bool], method: str = "post") -> Gate:
    return Gate(
        lambda s: {"pk": s.annual_return.pk},
        lambda user, s: may(user, s.annual_return),
        method,
        "pk",
    )


def _on_policy(
    method: str = "post", write: bool = True, **extra: Callable[[Scenario], object]
) -> Gate:
    def may(user: User, s: Scenario) -> bool:
        if write:
            return prevention_access_policy.may_write(user, s.integrity_policy)
        return (
            prevention_access_policy.policies_visible_to(user)
            .filter(pk=s.integrity_policy.pk)
            .exists()
        )

    return Gate(
        lambda s: {"pk": s.integrity_policy.pk, **{key: get(s) for key, get in extra.items()}},
        may,
        method,
        "pk",
    )


def _acts(role: str) -> Rule:
    return lambda user, s: (
        investigation_selectors.may_view(user, s.investigation)
        and investigation_selectors.acts_as(user, s.investigation, role)
    )


def _on_investigation(may: Rule, method: str = "post", **extra) -> Gate:
    def kwargs(s: Scenario) -> dict:
        return {"investigation_id": s.case.pk, **{key: get(s) for key, get in extra.items()}}

    return Gate(kwargs, may, method, "investigation_id")


def _may_view_investigation(user, s: Scenario) -> bool:
    return can(user, Action.VIEW, s.report) and investigation_selectors.may_view(
        user, s.investigation
    )


def _annual(rule) -> Rule:
    return lambda user, s: rule(user).filter(pk=s.annual_report.organisation_id).exists()


def _annual_gate(rule, method: str = "get", pk=lambda s: s.annual_report.pk) -> Gate:
    return Gate(lambda s: {"pk": pk(s)}, _annual(rule), method, "pk")


def _own_log_entry(method: str) -> Gate:
    return Gate(
        lambda s: {"entry_id": s.log_entry.pk},
        lambda user, s: adviser_access.log_entries_of(user).filter(pk=s.log_entry.pk).exists(),
        method,
        "entry_id",
    )


def _declaration_gate(rule, method: str = "post") -> Gate:
    return Gate(
        lambda s: {"declaration_id": s.declaration.pk},
        lambda user, s: rule(user).filter(pk=s.declaration.pk).exists(),
        method,
        "declaration_id",
    )


def _function_gate(method: str = "post") -> Gate:
    return Gate(
        lambda s: {"function_id": s.designated_function.pk},
        lambda user, s: (
            prevention_access.organisations_to_coordinate(user)
            .filter(pk=s.designated_function.organisation_id)
            .exists()
        ),
        method,
        "function_id",
    )


def _on_analysis(
    parameter: str, get: Callable[[Scenario], Any], method: str = "get", edit: bool = False
) -> Gate:
    """A risk analysis page (issue 12 §1): its coordinators write, its management and
    competent authority read (`edit` false), nobody else."""

    def may(user, s: Scenario) -> bool:
        rule = access_analyses.analyses_to_edit if edit else access_analyses.analyses_visible_to
        return rule(user).filter(pk=s.analysis_risk.process.analysis_id).exists()

    return Gate(lambda s: {parameter: get(s).pk}, may, method, parameter)


def _analysis(s: Scenario):
    return s.analysis_risk.process.analysis


def _questionnaire(s: Scenario):
    from integriteit.prevention import questionnaire

    return questionnaire.create_questionnaire(
        verified(s.people["coordinator"]),
        _analysis(s),
        {"title": "Vragenlijst", "closes_on": timezone.localdate() + datetime.timedelta(days=7)},
    )


GATES: dict[str, Gate] = {
    "cases:detail": _on_case(Action.VIEW, "get"),
    "cases:acknowledge": _on_case(Action.ACKNOWLEDGE),
    "cases:message": _on_case(Action.MESSAGE),
    "cases:step": _on_case(Action.CLOSE, name=lambda s: "close"),
    "cases:reopen": _on_case(Action.REOPEN),
    "cases:attachment": Gate(
        lambda s: {
            "report_id": s.attachment_report.pk,
            "attachment_id": s.attachment_report.attachments.get().pk,
        },
        lambda user, s: can(user, Action.DOWNLOAD, s.attachment_report),
        "get",
        "attachment_id",
    ),
    "cases:set_unit": _on_case(Action.CLASSIFY),
    "cases:assign": _on_case(Action.ASSIGN, role=lambda s: "process_guide"),
    "cases:end_assignment": _on_case(
        Action.ASSIGN,
        assignment_id=lambda s: CaseAssignment.objects.filter(report=s.report).earliest("pk").pk,
    ),
    "cases:assess": _on_case(Action.ASSESS),
    "cases:check_conflict": _on_case(Action.ASSESS),
    "cases:decide_follow_up": _on_case(Action.DECIDE_FOLLOW_UP),
    "cases:record_outcome": _on_case(Action.RECORD_OUTCOME),
    "cases:record_subject": _on_case(Action.RECORD_SUBJECT),
    "cases:subject_informed": _on_case(
        Action.RECORD_SUBJECT, subject_id=lambda s: s.case.subject.pk
    ),
    "cases:interim_feedback": _on_case(Action.FEEDBACK),
    "cases:final_feedback": _on_case(Action.FEEDBACK),
    "cases:plan_aftercare": _on_case(Action.AFTERCARE),
    "cases:finish_aftercare": _on_case(Action.AFTERCARE, action_id=lambda s: s.aftercare.pk),
    "cases:cancel_aftercare": _on_case(Action.AFTERCARE, action_id=lambda s: s.aftercare.pk),
    "cases:complete_aftercare": _on_case(Action.AFTERCARE),
    "cases:record_disadvantage": _on_case(Action.SIGNAL),
    "cases:handle_disadvantage": _on_case(Action.SIGNAL, signal_id=lambda s: s.signal.pk),
    "cases:record_decision": _on_case(Action.DECIDE),
    "cases:record_hearing": _on_case(Action.MEASURE),
    "cases:impose_measure": _on_case(Action.MEASURE),
    "cases:impose_order_measure": _on_case(Action.MEASURE),
    "cases:lift_order_measure": _on_case(Action.MEASURE, measure_id=lambda s: s.order_measure.pk),
    "cases:delete_queue_filter": Gate(
        lambda s: {"filter_id": s.saved_filter.pk},
        lambda user, s: user.pk == s.saved_filter.user_id,
        "post",
        "filter_id",
    ),
    "cases:withdraw_conflict": Gate(
        lambda s: {"conflict_id": s.conflict.pk},
        lambda user, s: user.pk == s.conflict.user_id,
        "post",
        "conflict_id",
    ),
    "investigations:commission": _on_case(Action.DECIDE),
    "investigations:detail": _on_investigation(_may_view_investigation, "get"),
    "investigations:save_values": _on_investigation(
        _acts(StepRole.INVESTIGATOR), code=lambda s: "interviews"
    ),
    "investigations:upload": _on_investigation(
        _acts(StepRole.INVESTIGATOR), code=lambda s: "interviews"
    ),
    "investigations:complete": _on_investigation(
        _acts(StepRole.INVESTIGATOR), code=lambda s: "interviews"
    ),
    "investigations:request_deviation": _on_investigation(
        _acts(StepRole.INVESTIGATOR), code=lambda s: "interviews"
    ),
    "investigations:approve_deviation": _on_investigation(
        _acts(StepRole.COMPETENT_AUTHORITY), code=lambda s: "interviews"
    ),
    "investigations:plan_interview": _on_investigation(
        _acts(StepRole.INVESTIGATOR), role=lambda s: "witness"
    ),
    "investigations:record_interview": _on_investigation(
        _acts(StepRole.INVESTIGATOR), interview_id=lambda s: s.case.witness_interview.pk
    ),
    "investigations:generate_report": _on_investigation(
        _acts(StepRole.INVESTIGATOR), kind=lambda s: "draft"
    ),
    "investigations:offer_draft": _on_investigation(_acts(StepRole.INVESTIGATOR)),
    "investigations:document": _on_investigation(
        _may_view_investigation, "get", document_id=lambda s: s.document.pk
    ),
    "investigations:report_pdf": _on_investigation(
        _may_view_investigation, "get", version_id=lambda s: s.draft.pk
    ),
    "investigations:report_docx": _on_investigation(
        _may_view_investigation, "get", version_id=lambda s: s.draft.pk
    ),
    "investigations:investigator_profile": Gate(
        lambda s: {"user_id": s.case.investigator.pk},
        lambda user, s: RoleAssignment.objects.filter(
            user=s.case.investigator,
            role=Role.INVESTIGATOR,
            organisation__in=investigation_access.workload_organisations(user),
        ).exists(),
        "post",
        "user_id",
    ),
    "investigations:portal_approve_record": Gate(
        lambda s: {"interview_id": s.case.witness_interview.pk},
        lambda user, s: (
            investigation_access.interviews_visible_to(user)
            .filter(pk=s.case.witness_interview.pk)
            .exists()
        ),
        "post",
        "interview_id",
    ),
    "investigations:portal_comment_record": Gate(
        lambda s: {"interview_id": s.case.witness_interview.pk},
        lambda user, s: (
            investigation_access.interviews_visible_to(user)
            .filter(pk=s.case.witness_interview.pk)
            .exists()
        ),
        "post",
        "interview_id",
    ),
    "investigations:portal_respond": Gate(
        lambda s: {"version_id": s.offered_draft.pk},
        lambda user, s: (
            investigation_access.report_versions_visible_to(user)
            .filter(pk=s.offered_draft.pk)
            .exists()
        ),
        "post",
        "version_id",
    ),
    "advisers:log_edit": _own_log_entry("get"),
    "advisers:log_delete": _own_log_entry("post"),
    "advisers:log_on_behalf": _own_log_entry("get"),
    "advisers:cancel_booking": Gate(
        lambda s: {"booking_id": s.booking.pk},
        lambda user, s: user.pk == s.booking.adviser.user_id,
        "post",
        "booking_id",
    ),
    "advisers:annual_detail": _annual_gate(adviser_access.annual_report_organisations_visible_to),
    "advisers:annual_csv": _annual_gate(adviser_access.annual_report_organisations_visible_to),
    "advisers:annual_pdf": _annual_gate(adviser_access.annual_report_organisations_visible_to),
    "advisers:annual_xlsx": _annual_gate(adviser_access.annual_report_organisations_visible_to),
    "advisers:annual_recommend": _annual_gate(
        adviser_access.annual_report_organisations_to_edit, "post"
    ),
    "advisers:annual_send": _annual_gate(
        adviser_access.annual_report_organisations_to_edit, "post"
    ),
    "advisers:recommendation_respond": _annual_gate(
        adviser_access.annual_report_organisations_to_respond,
        "post",
        pk=lambda s: s.recommendation.pk,
    ),
    "advisers:action_add": _annual_gate(
        adviser_access.annual_report_organisations_to_respond,
        "post",
        pk=lambda s: s.recommendation.pk,
    ),
    "advisers:action_done": _annual_gate(
        adviser_access.annual_report_organisations_to_respond,
        "post",
        pk=lambda s: s.follow_up.pk,
    ),
    "prevention:declaration_detail": _declaration_gate(
        prevention_access.declarations_visible_to, "get"
    ),
    "prevention:declaration_edit": _declaration_gate(prevention_access.own_declarations, "get"),
    "prevention:declaration_submit": _declaration_gate(prevention_access.own_declarations),
    "prevention:declaration_withdraw": _declaration_gate(prevention_access.own_declarations),
    "prevention:declaration_reconfirm": _declaration_gate(prevention_access.own_declarations),
    "prevention:declaration_assess": _declaration_gate(
        prevention_access.declarations_to_assess, "get"
    ),
    "prevention:interest_withdraw": Gate(
        lambda s: {"interest_id": s.interest.pk},
        lambda user, s: prevention_access.own_interests(user).filter(pk=s.interest.pk).exists(),
        "post",
        "interest_id",
    ),
    "prevention:function_update": _function_gate(),
    "prevention:function_assign": _function_gate(),
    "prevention:assignment_end": Gate(
        lambda s: {"assignment_id": s.designated_function.assignments.get().pk},
        lambda user, s: (
            prevention_access.assignments_to_manage(user)
            .filter(function=s.designated_function)
            .exists()
        ),
        "post",
        "assignment_id",
    ),
    "registry:detail": Gate(
        lambda s: {"entry_id": s.registry_entry.pk},
        lambda user, s: (
            registry_access.entries_visible_to(user).filter(pk=s.registry_entry.pk).exists()
        ),
        "get",
        "entry_id",
    ),
    "registry:correct": Gate(
        lambda s: {"entry_id": s.registry_entry.pk},
        lambda user, s: (
            registry_access.entries_visible_to(user).filter(pk=s.registry_entry.pk).exists()
        ),
        "post",
        "entry_id",
    ),
    "registry:return_detail": _on_return(
        lambda user, r: registry_returns.returns_visible_to(user).filter(pk=r.pk).exists(),
        "get",
    ),
    "registry:return_submit": _on_return(registry_returns.may_submit),
    "registry:return_reference_date": _on_return(registry_returns.may_submit),
    "registry:return_headcount": _on_return(registry_returns.may_submit),
    "registry:return_decide": _on_return(registry_returns.may_validate),
    "registry:import_job": Gate(
        lambda s: {"pk": s.import_job.pk},
        lambda user, s: registry_imports.jobs_visible_to(user).filter(pk=s.import_job.pk).exists(),
        "get",
        "pk",
    ),
    "registry:import_mapping": Gate(
        lambda s: {"pk": s.import_job.pk},
        lambda user, s: registry_imports.jobs_visible_to(user).filter(pk=s.import_job.pk).exists(),
        "post",
        "pk",
    ),
    "registry:import_run": Gate(
        lambda s: {"pk": s.import_job.pk},
        lambda user, s: registry_imports.jobs_visible_to(user).filter(pk=s.import_job.pk).exists(),
        "post",
        "pk",
    ),
    "registry:import_cancel": Gate(
        lambda s: {"pk": s.import_job.pk},
        lambda user, s: registry_imports.jobs_visible_to(user).filter(pk=s.import_job.pk).exists(),
        "post",
        "pk",
    ),
    "prevention:analyses:detail": _on_analysis("analysis_id", _analysis),
    "prevention:questionnaire_new": _on_analysis("analysis_id", _analysis, "post", edit=True),
    "prevention:workshop_new": _on_analysis("analysis_id", _analysis, "post", edit=True),
    "prevention:questionnaire_detail": _on_analysis("questionnaire_id", _questionnaire),
    "prevention:questionnaire_open": _on_analysis(
        "questionnaire_id", _questionnaire, "post", edit=True
    ),
    "prevention:questionnaire_close": _on_analysis(
        "questionnaire_id", _questionnaire, "post", edit=True
    ),
    "prevention:questionnaire_invite": _on_analysis(
        "questionnaire_id", _questionnaire, "post", edit=True
    ),
    "prevention:analyses:heat_map": _on_analysis("analysis_id", _analysis),
    "prevention:analyses:export": _on_analysis("analysis_id", _analysis),
    "prevention:analyses:report": _on_analysis("analysis_id", _analysis),
    "prevention:analyses:comparison": _on_analysis("analysis_id", _analysis),
    "prevention:analyses:snapshot": _on_analysis("snapshot_id", lambda s: s.analysis_snapshot),
    "prevention:analyses:edit": _on_analysis("analysis_id", _analysis, "post", edit=True),
    "prevention:analyses:process_new": _on_analysis("analysis_id", _analysis, "post", edit=True),
    "prevention:analyses:measure_new": _on_analysis("analysis_id", _analysis, "post", edit=True),
    "prevention:analyses:take_snapshot": _on_analysis("analysis_id", _analysis, "post", edit=True),
    "prevention:analyses:next_year": _on_analysis("analysis_id", _analysis, "post", edit=True),
    "prevention:analyses:process_edit": _on_analysis(
        "process_id", lambda s: s.analysis_risk.process, "post", edit=True
    ),
    "prevention:analyses:risk_new": _on_analysis(
        "process_id", lambda s: s.analysis_risk.process, "post", edit=True
    ),
    "prevention:analyses:risk_edit": _on_analysis(
        "risk_id", lambda s: s.analysis_risk, "post", edit=True
    ),
    "prevention:analyses:score": _on_analysis(
        "risk_id", lambda s: s.analysis_risk, "post", edit=True
    ),
    "prevention:analyses:accept": _on_analysis(
        "risk_id", lambda s: s.analysis_risk, "post", edit=True
    ),
    "prevention:analyses:review": _on_analysis(
        "risk_id", lambda s: s.analysis_risk, "post", edit=True
    ),
    "prevention:risk_import": _on_analysis("analysis_id", _analysis, "post", edit=True),
    "prevention:risk_import_check": _on_analysis("analysis_id", _analysis, "post", edit=True),
    "prevention:analyses:measure_edit": _on_analysis(
        "measure_id", lambda s: s.analysis_measure, "post", edit=True
    ),
    "notifications:mark_read": Gate(
        lambda s: {"notification_id": s.notification.pk},
        lambda user, s: user.pk == s.notification.user_id,
        "post",
        "notification_id",
    ),
    "notifications:escalation_settings": Gate(
        lambda s: {"organisation_id": s.report.organisation_id},
        lambda user, s: (
            notification_selectors.administered_organisations(user)
            .filter(pk=s.report.organisation_id)
            .exists()
        ),
        "get",
        "organisation_id",
    ),
    "prevention:policy_detail": _on_policy("get", write=False),
    "prevention:policy_edit": _on_policy("get"),
    "prevention:goal_new": _on_policy("get"),
    "prevention:goal_edit": _on_policy("get", goal_pk=lambda s: s.policy_goal.pk),
    "prevention:goal_remove": _on_policy(goal_pk=lambda s: s.policy_goal.pk),
    "prevention:policy_adopt": _on_policy(),
    "prevention:policy_evaluate": _on_policy("get"),
    "prevention:action_add": _on_policy(evaluation_pk=lambda s: s.policy_evaluation.pk),
    "prevention:action_done": _on_policy(action_pk=lambda s: s.policy_action.pk),
}


def _object_patterns():
    return {
        pattern.name: pattern
        for pattern in patterns()
        if pattern.parameters and not pattern.name.startswith("admin:")
    }


def test_every_pattern_with_an_object_is_covered():
    """The Django admin's own pages are governed by is_staff and the second factor (ADR 0002);
    every other pattern with a parameter is gated here or named as no object."""
    assert set(GATES) | set(NOT_AN_OBJECT) == set(_object_patterns())
    assert not set(GATES) & set(NOT_AN_OBJECT)


def _tampered(pattern, kwargs: dict, name: str) -> dict:
    converter = pattern.route.split(f":{name}>")[0].rsplit("<", 1)[-1]
    return {**kwargs, name: TAMPERED_UUID if converter == "uuid" else TAMPERED_INT}


@pytest.mark.parametrize("name", sorted(GATES))
def test_gate(world, staff_client, name):
    people, case = world
    gate, pattern = GATES[name], _object_patterns()[name]
    scenario = Scenario(people, case)
    kwargs = gate.kwargs(scenario)
    url = reverse(name, kwargs=kwargs)
    outcomes = {}
    for username in USERNAMES:
        user = verified(people[username])
        allowed = gate.may(user, scenario)
        # Each person meets the object as it was: what one may do (handle a signal, delete an
        # entry) is rolled back before the next asks.
        with transaction.atomic():
            response = getattr(staff_client(user), gate.method)(url)
            transaction.set_rollback(True)
        outcomes[username] = (allowed, response.status_code)
    wrong = {
        username: outcome
        for username, (allowed, status) in outcomes.items()
        if (status == 404) == allowed or status in (403, 500)
        for outcome in [(allowed, status)]
    }
    assert wrong == {}, "(allowed by the rules, status)"
    assert any(allowed for allowed, _status in outcomes.values()), "someone may pass"
    # A tampered id is 404 for someone who may pass with the real one.
    passer = next(username for username, (allowed, _s) in outcomes.items() if allowed)
    tampered = reverse(name, kwargs=_tampered(pattern, kwargs, gate.tampered))
    client = staff_client(verified(people[passer]))
    assert getattr(client, gate.method)(tampered).status_code == 404
