"""The coordinator's work overview (issue 3 §7): cases by phase, and what is due or overdue.

Everything starts from `reports_visible_to(user)`: the dashboard shows nothing the user could
not open. The number of queries is fixed (one GROUP BY for the phases, one aggregate and one
bounded list per kind of due item), whatever the number of cases: figures come from
annotate/aggregate, lists are the LIST_SIZE most urgent with their organisation joined in.
Each query on reports is served by an index of reports.models (organisation first, submitted
cases only; the open cases' one is partial and covering): see docs/benchmarks.md.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, Count, DateTimeField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from integriteit.access.rules import reports_visible_to, shown_to
from integriteit.deadlines.services import Urgency, due_soon_window, end_of_day, urgency
from integriteit.organisations.models import Organisation, Unit
from integriteit.reports.constants import Phase
from integriteit.reports.models import Report
from integriteit.ui import dates

from .models import AftercareAction, Evaluation

# The most urgent items shown per kind; the total is always counted.
LIST_SIZE = 20
# An open evaluation is due for the reporter this long after the invitation (then a reminder).
EVALUATION_ANSWER_WEEKS = 4


class DueKind:
    ACKNOWLEDGEMENT = "acknowledgement"
    INTERIM_FEEDBACK = "interim_feedback"
    FINAL_FEEDBACK = "final_feedback"
    AFTERCARE = "aftercare"
    EVALUATION = "evaluation"


DUE_LABELS = {
    DueKind.ACKNOWLEDGEMENT: _("Acknowledgement of receipt (within 7 days, RULES R3)"),
    DueKind.INTERIM_FEEDBACK: _("Interim feedback to the reporter"),
    DueKind.FINAL_FEEDBACK: _("Final feedback (within 3 months, RULES R4)"),
    DueKind.AFTERCARE: _("Aftercare actions"),
    DueKind.EVALUATION: _("Evaluations open"),
}


@dataclass
class DueItem:
    report: Report
    due: datetime.datetime
    urgency: Urgency
    days: int  # days left; negative when overdue
    detail: str = ""
    # What a row shows, computed once in Python (`present`): rendering 100 rows through
    # template tags (url, blocktranslate, get_FOO_display) was most of the page's CPU.
    url: str = ""
    organisation: str = ""
    unit: str = ""
    phase: str = ""
    due_text: str = ""
    urgency_text: str = ""

    @property
    def late(self) -> int:
        return max(-self.days, 0)


def present(items: Iterable[DueItem]) -> None:
    """Fill in the texts of the rows (the same as the template used to compute per row)."""
    phases = {value: str(label) for value, label in Phase.choices}
    urgencies: dict[Urgency, str] = {}
    today = gettext("today")
    # One reverse() for all rows: the case URL with the id swapped in.
    placeholder = uuid.UUID(int=0)
    pattern = reverse("cases:detail", kwargs={"report_id": placeholder})
    for item in items:
        report = item.report
        item.url = pattern.replace(str(placeholder), str(report.pk))
        organisation = report.organisation
        item.organisation = organisation.abbreviation or organisation.name
        item.unit = report.unit.name if report.unit_id and report.unit else ""
        item.phase = phases.get(report.phase, report.phase)
        item.due_text = dates.cell_day(item.due)  # a table cell
        label = urgencies.get(item.urgency)
        if label is None:
            label = urgencies[item.urgency] = str(item.urgency.label)
        if item.days < 0:
            when = ngettext("%(counter)s day late", "%(counter)s days late", item.late) % {
                "counter": item.late
            }
        elif item.days == 0:
            when = today
        else:
            when = ngettext("in %(counter)s day", "in %(counter)s days", item.days) % {
                "counter": item.days
            }
        item.urgency_text = f"{label} · {when}"


@dataclass
class DueList:
    kind: str
    label: str
    near_days: int | None
    total: int  # overdue + due within near_days (all open when near_days is None)
    overdue: int
    items: list[DueItem] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass
class PhaseCount:
    phase: str
    label: str
    count: int
    url: str = ""  # the queue filtered by this phase (set by the view)


@dataclass
class Dashboard:
    now: datetime.datetime
    total: int
    open: int
    phases: list[PhaseCount]
    due: list[DueList]


def interim_due_expression(intervals: Iterable[int]) -> Case:
    """SQL for deadlines.services.interim_feedback_due: last feedback (or the acknowledgement) plus
    the organisation's interval, computed in the database so lists sort and count on it.

    One WHEN per interval in use (`intervals`: the distinct Organisation.interim_feedback_weeks):
    SQLite cannot multiply a duration by a column, so each interval is a constant."""
    last = Coalesce("last_feedback_at", "acknowledged_at")
    return Case(
        *(
            When(
                organisation__interim_feedback_weeks=weeks,
                then=last + Value(datetime.timedelta(weeks=weeks)),
            )
            for weeks in sorted(set(intervals))
        ),
        default=None,
        output_field=DateTimeField(),
    )


def interim_intervals() -> list[int]:
    """The intervals configured (a handful of organisations, one small query)."""
    return list(
        Organisation.objects.order_by().values_list("interim_feedback_weeks", flat=True).distinct()
    )


def units_below(unit: Unit, units: list[Unit]) -> list[int]:
    """The unit and every unit under it (units nest), from an already loaded list."""
    children: dict[int | None, list[int]] = {}
    for candidate in units:
        children.setdefault(candidate.parent_id, []).append(candidate.pk)
    found, todo = [], [unit.pk]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.append(pk)
            todo += children.get(pk, [])
    return found


def filter_options(
    user, visible: QuerySet[Report] | None = None
) -> tuple[QuerySet[Organisation], QuerySet[Unit]]:
    """Organisations and units the user has cases for: the choices of the filters.
    `visible`: reports_visible_to(user) when the caller already has it."""
    if visible is None:
        visible = reports_visible_to(user)
    # EXISTS per organisation stops at the first visible case (a handful of organisations),
    # where IN (all visible cases) would read every case.
    organisations = Organisation.objects.filter(
        Exists(visible.order_by().filter(organisation=OuterRef("pk")))
    )
    units = Unit.objects.filter(organisation__in=organisations).select_related("organisation")
    return organisations, units


def visible_cases(
    user,
    organisation: Organisation | None = None,
    units: list[int] | None = None,
    visible: QuerySet[Report] | None = None,
) -> QuerySet[Report]:
    reports = reports_visible_to(user) if visible is None else visible
    if organisation is not None:
        reports = reports.filter(organisation=organisation)
    if units:
        reports = reports.filter(unit__in=units)
    return reports


def _item(report: Report, due, now, detail: str = "") -> DueItem:
    if not isinstance(due, datetime.datetime):
        due = end_of_day(due)
    days = (timezone.localdate(due) - timezone.localdate(now)).days
    return DueItem(
        report=report, due=due, urgency=urgency(due, None, now), days=days, detail=detail
    )


def dashboard(
    user,
    organisation: Organisation | None = None,
    units: list[int] | None = None,
    now: datetime.datetime | None = None,
    visible: QuerySet[Report] | None = None,
) -> Dashboard:
    now = now or timezone.now()
    today = timezone.localdate(now)
    cases = visible_cases(user, organisation, units, visible).order_by()

    open_cases = cases.exclude(phase=Phase.CLOSED)
    ack_pending = Q(acknowledged_at__isnull=True, acknowledgement_due__isnull=False)
    final_pending = Q(feedback_given_at__isnull=True, feedback_due__isnull=False)
    interim_pending = Q(acknowledged_at__isnull=False, feedback_given_at__isnull=True)
    # Lists hold what is overdue or due soon (deadlines.urgency); acknowledgements all.
    interim_horizon = final_horizon = now + due_soon_window()
    due_soon_days = settings.DUE_SOON_DAYS

    # Cases by phase: one GROUP BY, answered from the index on (organisation, phase).
    counted = dict(cases.values_list("phase").annotate(n=Count("pk")))
    by_phase = {value: counted.get(value, 0) for value in Phase.values}
    # The due figures: one pass over the open cases only (a partial index; ≈ 1 in 7 cases).
    interim_due = interim_due_expression(interim_intervals())
    figures = open_cases.annotate(interim_due=interim_due).aggregate(
        ack_total=Count("pk", filter=ack_pending),
        ack_overdue=Count("pk", filter=ack_pending & Q(acknowledgement_due__lt=now)),
        interim_total=Count("pk", filter=interim_pending & Q(interim_due__lte=interim_horizon)),
        interim_overdue=Count("pk", filter=interim_pending & Q(interim_due__lt=now)),
        final_total=Count("pk", filter=final_pending & Q(feedback_due__lte=final_horizon)),
        final_overdue=Count("pk", filter=final_pending & Q(feedback_due__lt=now)),
    )
    phases = [PhaseCount(value, str(label), by_phase[value]) for value, label in Phase.choices]
    total = sum(by_phase.values())

    listed = open_cases.select_related("organisation", "unit")
    due: list[DueList] = []

    ack = DueList(
        DueKind.ACKNOWLEDGEMENT,
        str(DUE_LABELS[DueKind.ACKNOWLEDGEMENT]),
        None,
        figures["ack_total"],
        figures["ack_overdue"],
    )
    ack.items = [
        _item(r, r.acknowledgement_due, now)
        for r in listed.filter(ack_pending).order_by("acknowledgement_due", "pk")[:LIST_SIZE]
    ]
    due.append(ack)

    interim = DueList(
        DueKind.INTERIM_FEEDBACK,
        str(DUE_LABELS[DueKind.INTERIM_FEEDBACK]),
        due_soon_days,
        figures["interim_total"],
        figures["interim_overdue"],
    )
    # The due date is computed, so no index gives the order: pick the LIST_SIZE most urgent
    # from the open-cases index alone (index-only), then read those rows.
    most_urgent = (
        open_cases.annotate(interim_due=interim_due)
        .filter(interim_pending, interim_due__lte=interim_horizon)
        .order_by("interim_due", "pk")
        .values("pk")[:LIST_SIZE]
    )
    interim.items = [
        _item(r, r.interim_due, now)
        for r in listed.annotate(interim_due=interim_due)
        .filter(pk__in=most_urgent)
        .order_by("interim_due", "pk")
    ]
    due.append(interim)

    final = DueList(
        DueKind.FINAL_FEEDBACK,
        str(DUE_LABELS[DueKind.FINAL_FEEDBACK]),
        due_soon_days,
        figures["final_total"],
        figures["final_overdue"],
    )
    final.items = [
        _item(r, r.feedback_due, now)
        for r in listed.filter(final_pending, feedback_due__lte=final_horizon).order_by(
            "feedback_due", "pk"
        )[:LIST_SIZE]
    ]
    due.append(final)

    # Aftercare actions still open on the visible cases (closed cases included: they stay due).
    # EXISTS of a visible case: PostgreSQL joins the open items with the visible cases' ids,
    # read from the index alone.
    of_visible_case = Exists(cases.filter(pk=OuterRef("report_id")))
    actions = AftercareAction.objects.filter(
        of_visible_case, done_at__isnull=True, cancelled_at__isnull=True
    )
    aftercare_horizon = timezone.localdate(now + due_soon_window())
    action_figures = actions.aggregate(
        total=Count("pk", filter=Q(due_on__lte=aftercare_horizon)),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
    )
    aftercare = DueList(
        DueKind.AFTERCARE,
        str(DUE_LABELS[DueKind.AFTERCARE]),
        due_soon_days,
        action_figures["total"],
        action_figures["overdue"],
    )
    aftercare.items = [
        _item(a.report, a.due_on, now, a.get_audience_display())
        for a in actions.filter(due_on__lte=aftercare_horizon)
        .select_related("report__organisation", "report__unit")
        .order_by("due_on", "pk")[:LIST_SIZE]
    ]
    due.append(aftercare)

    # Evaluations the reporter was invited to and has not answered: all of them are open.
    evaluations = Evaluation.objects.filter(of_visible_case, answered_at__isnull=True)
    answer_window = datetime.timedelta(weeks=EVALUATION_ANSWER_WEEKS)
    evaluation_figures = evaluations.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(invited_at__lt=now - answer_window))
    )
    evaluation = DueList(
        DueKind.EVALUATION,
        str(DUE_LABELS[DueKind.EVALUATION]),
        None,
        evaluation_figures["total"],
        evaluation_figures["overdue"],
    )
    evaluation.items = [
        _item(e.report, e.invited_at + answer_window, now)
        for e in evaluations.select_related("report__organisation", "report__unit").order_by(
            "invited_at", "pk"
        )[:LIST_SIZE]
    ]
    due.append(evaluation)

    # The listed cases pass their access seals before any reference is shown, in one query for
    # all lists; the figures above are counted in SQL and do not (ADR 0012).
    listed_reports = {item.report.pk: item.report for d in due for item in d.items}
    shown = {report.pk for report in shown_to(user, listed_reports.values())}
    for listed_items in due:
        listed_items.items = [item for item in listed_items.items if item.report.pk in shown]
    present(item for listed_items in due for item in listed_items.items)
    return Dashboard(
        now=now,
        total=total,
        open=total - by_phase.get(Phase.CLOSED, 0),
        phases=phases,
        due=due,
    )
