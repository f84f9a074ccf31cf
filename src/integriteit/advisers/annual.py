"""The confidential advisers' annual report (issue 5 §5; seed 001 §3.7, norm 12).

`figures(organisation, year)` reads the conversation log of the organisation for the year and
the four years before it in a single aggregate query (GROUP BY year, theme and unit level, with
one conditional count per referral), so the number of queries does not grow with the log. The
result holds only aggregates: no entry, no date, no unit name. Every table goes through the
one suppression of `integriteit.figures` (ADR 0016): cells under `settings.FIGURES_MIN_CELL`
are suppressed, and complementary cells with them, so that no suppressed figure can be
computed from the totals. Its charts and its CSV, XLSX and PDF come from the same module.

The rest of the module is the report's life: create, recommendations, sending to the competent
authority (e-mail without contents), responses, follow-up actions and interim signals. Each of
those writes is a service: one transaction holding its guard (who may, in which state; the rules
in `selectors`) and its audit entry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.accounts.constants import Role
from integriteit.accounts.models import RoleAssignment
from integriteit.audit.services import Actor, record
from integriteit.crypto.holders import new_row_sealer, row_sealer
from integriteit.crypto.references import open_field, seal_field
from integriteit.figures.charts import BarChart, column_chart, row_chart
from integriteit.figures.suppression import min_cell
from integriteit.figures.tables import Table, build_table

from . import selectors
from .constants import ConversationTheme, Referral
from .models import (
    AnnualReport,
    ConversationLogEntry,
    FollowUpAction,
    InterimSignal,
    Recommendation,
)
from .signals import annual_report_waiting

TREND_YEARS = 5  # the report's year and the four before it
ORGANISATION_LEVEL = "organisation"
UNIT_LEVEL = "unit"


# --- The figures ----------------------------------------------------------------------------


@dataclass
class Figures:
    organisation: str
    year: int
    years: list[int]
    threshold: int
    tables: list[Table] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def charts(self) -> list[BarChart]:
        """The trend of log entries, and this year's entries by theme."""
        return [
            row_chart(self.table("summary"), "entries", _("Log entries per year")),
            column_chart(
                self.table("theme_entries"),
                self.years.index(self.year),
                _("Log entries by theme in %(year)s") % {"year": self.year},
            ),
        ]


def log_of(organisation, year: int):
    first = year - TREND_YEARS + 1
    return ConversationLogEntry.objects.filter(
        organisation=organisation,
        held_on__gte=datetime.date(first, 1, 1),
        held_on__lte=datetime.date(year, 12, 31),
    )


def raw_counts(organisation, year: int) -> list[dict]:
    """One aggregate query: per (year, theme, unit level) the entries, conversations, reports
    that followed and the entries per referral."""
    referral_counts = {
        f"ref_{code}": Count("pk", filter=Q(referrals__icontains=f'"{code}"'))
        for code in Referral.values
    }
    return list(
        log_of(organisation, year)
        .annotate(
            year=ExtractYear("held_on"),
            level=Case(
                When(unit__isnull=True, then=Value(ORGANISATION_LEVEL)),
                default=Value(UNIT_LEVEL),
                output_field=CharField(),
            ),
        )
        .order_by()
        .values("year", "theme", "level")
        .annotate(
            entries=Count("pk"),
            conversations=Sum("conversations"),
            followed=Count("pk", filter=Q(report_followed=True)),
            **referral_counts,
        )
    )


def figures(organisation, year: int, *, threshold: int | None = None) -> Figures:
    threshold = min_cell() if threshold is None else threshold
    years = list(range(year - TREND_YEARS + 1, year + 1))
    columns = [str(y) for y in years]
    rows = raw_counts(organisation, year)

    def series(measure: str, **match) -> list[int]:
        out = dict.fromkeys(years, 0)
        for r in rows:
            if all(r[k] == v for k, v in match.items()):
                out[int(r["year"])] += int(r[measure] or 0)
        return [out[y] for y in years]

    themes = [(t.value, str(t.label)) for t in ConversationTheme]
    levels = [
        (ORGANISATION_LEVEL, _("Organisation level (no unit shared)")),
        (UNIT_LEVEL, _("Unit level (a unit shared)")),
    ]
    referrals = [(r.value, str(r.label)) for r in Referral]
    result = Figures(str(organisation), year, years, threshold)
    result.tables = [
        build_table(
            "summary",
            _("Log entries, conversations and formal reports per year"),
            columns,
            [
                ("entries", _("Log entries"), series("entries")),
                ("conversations", _("Conversations"), series("conversations")),
                ("reports_followed", _("A formal report followed"), series("followed")),
            ],
            column_totals=False,
            threshold=threshold,
        ),
        build_table(
            "theme_entries",
            _("Log entries by theme per year"),
            columns,
            [(k, label, series("entries", theme=k)) for k, label in themes],
            threshold=threshold,
        ),
        build_table(
            "theme_conversations",
            _("Conversations by theme per year"),
            columns,
            [(k, label, series("conversations", theme=k)) for k, label in themes],
            threshold=threshold,
        ),
        build_table(
            "level_entries",
            _("Log entries by the level the employee shared per year"),
            columns,
            [(k, str(label), series("entries", level=k)) for k, label in levels],
            threshold=threshold,
        ),
        build_table(
            "level_conversations",
            _("Conversations by the level the employee shared per year"),
            columns,
            [(k, str(label), series("conversations", level=k)) for k, label in levels],
            threshold=threshold,
        ),
        # An entry may have several referrals: rows add up over the years, columns do not.
        build_table(
            "referral_entries",
            _("Log entries with a referral, by referral per year"),
            columns,
            [(k, label, series(f"ref_{k}")) for k, label in referrals],
            column_totals=False,
            threshold=threshold,
        ),
        build_table(
            "reports_followed_by_theme",
            _("Log entries after which a formal report followed, by theme per year"),
            columns,
            [(k, label, series("followed", theme=k)) for k, label in themes],
            threshold=threshold,
        ),
    ]
    return result


# --- Exports --------------------------------------------------------------------------------


def export_rows(data: Figures) -> list[list[str | int]]:
    """All tables, with suppression, one block per table: table, row, the years, total."""
    rows: list[list[str | int]] = [
        [_("Organisation"), data.organisation, _("Year"), data.year],
        [_("Cells under"), data.threshold, _("are suppressed")],
    ]
    for table in data.tables:
        rows.append([])
        rows.extend(table.export_rows())
    return rows


def export_name(report: AnnualReport) -> str:
    return f"jaarverslag-{report.organisation.slug}-{report.year}"


def report_html(report: AnnualReport, data: Figures) -> str:
    """The annual report as self-contained HTML, for the PDF."""
    return render_to_string(
        "advisers/annual_document.html",
        {
            "report": report,
            "figures": data,
            "recommendations": recommendations_of(report),
            "generated": timezone.localtime(),
        },
    )


# --- The report's life ----------------------------------------------------------------------
#
# Recommendations, responses, follow-up actions and interim signals are free text about the
# organisation: sealed, the first three under the annual report's own data key, a signal under
# its own (ADR 0013). The pages open them; the database holds only ciphertext.


def owner_of_report(report: AnnualReport) -> str:
    return f"adviserreport:{report.pk}"


def owner_of_signal(signal: InterimSignal) -> str:
    return f"interimsignal:{signal.pk}"


@dataclass
class ActionView:
    action: FollowUpAction
    description: str
    owner: str
    state: str = ""

    @property
    def pk(self) -> int:
        return self.action.pk


@dataclass
class RecommendationView:
    recommendation: Recommendation
    text: str
    response: str
    actions: list[ActionView]

    @property
    def pk(self) -> int:
        return self.recommendation.pk


@dataclass
class SignalView:
    signal: InterimSignal
    text: str
    response: str


def recommendations_of(report: AnnualReport, today: datetime.date | None = None):
    """The report's recommendations with their responses and actions, opened for display."""
    sealer = row_sealer(report)
    today = today or timezone.localdate()
    views = []
    for recommendation in report.recommendations.prefetch_related("actions").order_by("pk"):
        actions = [
            ActionView(
                action,
                open_field(sealer, action, "sealed_description"),
                open_field(sealer, action, "sealed_owner"),
                action_state(action, today),
            )
            for action in recommendation.actions.all()
        ]
        views.append(
            RecommendationView(
                recommendation,
                open_field(sealer, recommendation, "sealed_text"),
                open_field(sealer, recommendation, "sealed_response"),
                actions,
            )
        )
    return views


def action_state(action: FollowUpAction, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    if action.done_at:
        return "done"
    return "overdue" if action.due_on < today else "open"


def open_signal(signal: InterimSignal) -> SignalView:
    sealer = row_sealer(signal)
    return SignalView(
        signal,
        open_field(sealer, signal, "sealed_text"),
        open_field(sealer, signal, "sealed_response"),
    )


# --- Writes ---------------------------------------------------------------------------------
#
# Each write is one transaction with its guard and its audit entry inside (issue 9 defect 8):
# the change, the entry and any e-mail (queued in the outbox, ADR 0017) land together or not at
# all. An entry names the report, recommendation, action or signal by id, never a text.


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _audit(user, action: str, report: AnnualReport, detail: dict | None = None) -> None:
    record(Actor.of(user), f"adviserreport.{action}", "adviserreport", report.pk, detail)


def _audit_signal(user, action: str, signal: InterimSignal) -> None:
    record(Actor.of(user), f"interimsignal.{action}", "interimsignal", signal.pk)


@transaction.atomic
def create_report(user, organisation, year: int) -> AnnualReport:
    """The organisation's report for the year; the existing one when it was created before."""
    _require(selectors.can_edit_report(user, organisation.pk))
    report, created = AnnualReport.objects.get_or_create(
        organisation=organisation, year=year, defaults={"created_by": user}
    )
    if created:
        new_row_sealer(report)
        report.save(update_fields=["wrapped_key", "kek_version"])
        _audit(user, "created", report, {"organisation": organisation.pk, "year": year})
    return report


@transaction.atomic
def add_recommendation(user, report: AnnualReport, text: str) -> Recommendation:
    _require(selectors.can_edit_report(user, report.organisation_id))
    recommendation = Recommendation.objects.create(annual_report=report, sealed_text=b"")
    seal_field(row_sealer(report), recommendation, "sealed_text", text)
    recommendation.save(update_fields=["sealed_text"])
    _audit(user, "recommendation_added", report, {"recommendation": recommendation.pk})
    return recommendation


def _authorities(organisation) -> list:
    """The organisation's competent authority: who responds to the annual report."""
    found = {
        a.user.pk: a.user
        for a in RoleAssignment.objects.filter(
            organisation=organisation, role=Role.COMPETENT_AUTHORITY
        ).select_related("user")
        if a.user.is_active
    }
    return list(found.values())


def _authority_emails(organisation) -> list[str]:
    return sorted({person.email for person in _authorities(organisation) if person.email})


@transaction.atomic
def send_to_authority(user, report: AnnualReport) -> None:
    """Mark as sent; the competent authority, who must respond, is told it waits (the signal:
    notifications tells them and mails a link, no contents)."""
    _require(selectors.can_edit_report(user, report.organisation_id))
    report.sent_to_authority_at = timezone.now()
    report.save(update_fields=["sent_to_authority_at"])
    _audit(user, "sent", report)
    annual_report_waiting.send(
        sender=AnnualReport,
        annual_report=report,
        people=_authorities(report.organisation),
        link=reverse("advisers:annual_detail", args=[report.pk]),
    )


@transaction.atomic
def respond(user, recommendation: Recommendation, text: str) -> None:
    """The competent authority's response; it may revise it while the report stands."""
    report = recommendation.annual_report
    _require(selectors.can_respond_to_report(user, report))
    seal_field(row_sealer(report), recommendation, "sealed_response", text)
    recommendation.responded_by = user
    recommendation.responded_at = timezone.now()
    recommendation.save(update_fields=["sealed_response", "responded_by", "responded_at"])
    _audit(user, "responded", report, {"recommendation": recommendation.pk})


@transaction.atomic
def add_action(
    user, recommendation: Recommendation, description: str, owner: str, due_on: datetime.date
) -> FollowUpAction:
    report = recommendation.annual_report
    _require(selectors.can_respond_to_report(user, report))
    action = FollowUpAction.objects.create(
        recommendation=recommendation, sealed_description=b"", sealed_owner=b"", due_on=due_on
    )
    sealer = row_sealer(report)
    seal_field(sealer, action, "sealed_description", description)
    seal_field(sealer, action, "sealed_owner", owner)
    action.save(update_fields=["sealed_description", "sealed_owner"])
    _audit(
        user,
        "action_added",
        report,
        {"recommendation": recommendation.pk, "action": action.pk, "due_on": due_on},
    )
    return action


@transaction.atomic
def mark_action_done(user, action: FollowUpAction) -> None:
    """Done once: marking a done action again changes nothing (a second click)."""
    report = action.recommendation.annual_report
    _require(selectors.can_respond_to_report(user, report))
    if action.done_at is not None:
        return
    action.done_at = timezone.now()
    action.save(update_fields=["done_at"])
    _audit(
        user,
        "action_done",
        report,
        {"recommendation": action.recommendation_id, "action": action.pk},
    )


@transaction.atomic
def raise_signal(user, organisation, text: str) -> InterimSignal:
    _require(selectors.can_edit_report(user, organisation.pk))
    signal = InterimSignal.objects.create(
        organisation=organisation, raised_by=user, sealed_text=b""
    )
    seal_field(new_row_sealer(signal), signal, "sealed_text", text)
    signal.save(update_fields=["wrapped_key", "kek_version", "sealed_text"])
    _audit_signal(user, "raised", signal)
    recipients = _authority_emails(organisation)
    if recipients:
        send_mail(
            _("A confidential adviser raised an interim signal"),
            _("A confidential adviser raised an interim signal. Read it after logging in: %s")
            % (settings.SITE_URL + reverse("advisers:signals")),
            None,
            recipients,
        )
    return signal


@transaction.atomic
def answer_signal(user, signal: InterimSignal, text: str) -> None:
    """The competent authority answers a signal once."""
    _require(selectors.can_answer_signal(user, signal))
    seal_field(row_sealer(signal), signal, "sealed_response", text)
    signal.responded_at = timezone.now()
    signal.save(update_fields=["sealed_response", "responded_at"])
    _audit_signal(user, "answered", signal)
