"""The writes of the register of side activities and financial interests (RULES R16): each one
transaction holding its guard (the rules of `access`) and its audit entry. An audit entry names
the declaration by id and says what happened, never a text.

A declaration is never overwritten silently: every write adds a `SideActivityVersion` with the
declaration as it then was. Editing a submitted or assessed declaration makes it a draft again
(a new version, the assessment cleared): it needs to be submitted and assessed anew, and leaves
the publication page until it is allowed again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integriteit.audit.services import Actor, record
from integriteit.crypto.holders import new_row_sealer, row_sealer
from integriteit.crypto.references import open_field, seal_field

from . import access
from .models import (
    Decision,
    DeclarationStatus,
    DesignatedFunction,
    FinancialInterest,
    FunctionAssignment,
    OathRecord,
    SideActivity,
    SideActivityVersion,
)

# A declaration is confirmed again every year (RULES R16: the register is kept up to date).
RECONFIRM_AFTER = datetime.timedelta(days=365)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _audit(user, action: str, object_type: str, pk, detail: dict | None = None) -> None:
    record(Actor.of(user), f"{object_type}.{action}", object_type, pk, detail)


# --- Designated functions -----------------------------------------------------------------


def current_assignments(on: datetime.date | None = None):
    """The assignments that hold on the day (today): started, and not ended before it."""
    on = on or timezone.localdate()
    return FunctionAssignment.objects.filter(starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )


def functions_held(person, on: datetime.date | None = None) -> list[DesignatedFunction]:
    """The active designated functions the person holds on the day (today)."""
    held = current_assignments(on).filter(person=person).values("function_id")
    return list(DesignatedFunction.objects.filter(is_active=True, pk__in=held).order_by("name"))


@transaction.atomic
def add_function(
    user, organisation, name: str, publish: bool, financial: bool
) -> DesignatedFunction:
    _require(access.organisations_to_coordinate(user).filter(pk=organisation.pk).exists())
    name = name.strip()
    if DesignatedFunction.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError(
            {"name": _("This organisation already has a designated function with this name.")}
        )
    function = DesignatedFunction.objects.create(
        organisation=organisation,
        name=name,
        publish_side_activities=publish,
        declare_financial_interests=financial,
    )
    _audit(user, "added", "designatedfunction", function.pk, {"organisation": organisation.pk})
    return function


@transaction.atomic
def update_function(
    user, function: DesignatedFunction, publish: bool, financial: bool, active: bool
) -> None:
    _require(access.organisations_to_coordinate(user).filter(pk=function.organisation_id).exists())
    function.publish_side_activities = publish
    function.declare_financial_interests = financial
    function.is_active = active
    function.save(
        update_fields=["publish_side_activities", "declare_financial_interests", "is_active"]
    )
    _audit(
        user,
        "changed",
        "designatedfunction",
        function.pk,
        {"publish": publish, "financial": financial, "active": active},
    )


def _dates_in_order(starts_on, ends_on, field: str = "ends_on") -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({field: _("The end date cannot be before the start date.")})


@transaction.atomic
def assign_function(
    user, function: DesignatedFunction, person, starts_on, ends_on=None
) -> FunctionAssignment:
    _require(access.organisations_to_coordinate(user).filter(pk=function.organisation_id).exists())
    _dates_in_order(starts_on, ends_on)
    assignment = FunctionAssignment.objects.create(
        function=function, person=person, starts_on=starts_on, ends_on=ends_on, recorded_by=user
    )
    _audit(user, "assigned", "designatedfunction", function.pk, {"assignment": assignment.pk})
    return assignment


@transaction.atomic
def end_assignment(user, assignment: FunctionAssignment, ends_on: datetime.date) -> None:
    _require(access.assignments_to_manage(user).filter(pk=assignment.pk).exists())
    _dates_in_order(assignment.starts_on, ends_on)
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    _audit(
        user,
        "assignment_ended",
        "designatedfunction",
        assignment.function_id,
        {"assignment": assignment.pk},
    )


# --- Side activities ----------------------------------------------------------------------


@dataclass
class DeclarationInput:
    description: str
    employer: str
    paid: bool
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    hours_per_month: Decimal | None = None
    function: DesignatedFunction | None = None


def check_declaration(official, data: DeclarationInput) -> None:
    """The rules a declaration must meet, as field errors (the form shows them and keeps what
    was typed): dates in order; an official in a designated function names the function."""
    errors: dict[str, str] = {}
    if data.ends_on and data.ends_on < data.starts_on:
        errors["ends_on"] = _("The end date cannot be before the start date.")
    held = functions_held(official)
    if data.function is None and held:
        errors["function"] = _(
            "You hold a designated function: choose the function under which you declare this "
            "side activity."
        )
    elif data.function is not None and data.function not in held:
        errors["function"] = _("Choose one of the designated functions you hold.")
    if errors:
        raise ValidationError(errors)


SNAPSHOT_FIELDS = (
    "status",
    "description",
    "employer",
    "paid",
    "hours_per_month",
    "starts_on",
    "ends_on",
    "function_id",
    "decision",
    "conditions",
    "reasons",
    "assessed_by_id",
    "withdrawal_reason",
)


def _snapshot(declaration: SideActivity) -> dict:
    values = {name: getattr(declaration, name) for name in SNAPSHOT_FIELDS}
    values["withdrawn"] = declaration.withdrawn_at is not None
    for name, value in values.items():
        if isinstance(value, datetime.date | Decimal):
            values[name] = str(value)
    return values


def _version(user, declaration: SideActivity, event: str) -> None:
    SideActivityVersion.objects.create(
        declaration=declaration,
        number=declaration.version,
        event=event,
        snapshot=_snapshot(declaration),
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    _audit(user, event, "sideactivity", declaration.pk, {"version": declaration.version})


def _own(user, declaration: SideActivity) -> None:
    _require(access.own_declarations(user).filter(pk=declaration.pk).exists())


def _apply(declaration: SideActivity, data: DeclarationInput) -> None:
    declaration.description = data.description.strip()
    declaration.employer = data.employer.strip()
    declaration.paid = data.paid
    declaration.hours_per_month = data.hours_per_month
    declaration.starts_on = data.starts_on
    declaration.ends_on = data.ends_on
    declaration.function = data.function


@transaction.atomic
def save_draft(user, data: DeclarationInput, declaration: SideActivity | None = None):
    """A new declaration (a draft), or a change to one of the official's own. A change to a
    submitted or assessed one makes it a draft again: a new version, the assessment cleared."""
    _require(access.may_declare(user))
    check_declaration(user, data)
    if declaration is None:
        organisation = access.organisation_of(user)
        _require(organisation is not None)
        declaration = SideActivity(official=user, organisation=organisation)
        _apply(declaration, data)
        declaration.save()
        _version(user, declaration, "created")
        return declaration
    _own(user, declaration)
    declaration = SideActivity.objects.select_for_update().get(pk=declaration.pk)
    if declaration.is_withdrawn:
        raise ValidationError(_("A withdrawn declaration cannot be changed."))
    if declaration.status != DeclarationStatus.DRAFT:
        declaration.version += 1
        declaration.status = DeclarationStatus.DRAFT
        declaration.decision = ""
        declaration.conditions = declaration.reasons = ""
        declaration.assessed_by = None
        declaration.assessed_at = None
    _apply(declaration, data)
    declaration.save()
    _version(user, declaration, "changed")
    return declaration


@transaction.atomic
def submit(user, declaration: SideActivity) -> None:
    _own(user, declaration)
    declaration = SideActivity.objects.select_for_update().get(pk=declaration.pk)
    if declaration.is_withdrawn or declaration.status != DeclarationStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    check_declaration(user, _input_of(declaration))
    now = timezone.now()
    declaration.status = DeclarationStatus.SUBMITTED
    declaration.submitted_at = declaration.confirmed_at = now
    declaration.save()
    _version(user, declaration, "submitted")


def _input_of(declaration: SideActivity) -> DeclarationInput:
    return DeclarationInput(
        description=declaration.description,
        employer=declaration.employer,
        paid=declaration.paid,
        starts_on=declaration.starts_on,
        ends_on=declaration.ends_on,
        hours_per_month=declaration.hours_per_month,
        function=declaration.function,
    )


@transaction.atomic
def withdraw(user, declaration: SideActivity, reason: str = "") -> None:
    """The official withdraws her declaration (the activity stopped, or was never taken up): it
    stays in the register with its history, and leaves the publication page."""
    _own(user, declaration)
    declaration = SideActivity.objects.select_for_update().get(pk=declaration.pk)
    if declaration.is_withdrawn:
        raise ValidationError(_("This declaration was already withdrawn."))
    declaration.withdrawn_at = timezone.now()
    declaration.withdrawal_reason = reason.strip()
    declaration.save()
    _version(user, declaration, "withdrawn")


def is_due(declaration: SideActivity, now: datetime.datetime | None = None) -> bool:
    """Submitted or assessed, not withdrawn, confirmed longer ago than the period."""
    now = now or timezone.now()
    return (
        declaration.withdrawn_at is None
        and declaration.status != DeclarationStatus.DRAFT
        and declaration.confirmed_at is not None
        and declaration.confirmed_at <= now - RECONFIRM_AFTER
    )


def due_on(declaration: SideActivity) -> datetime.date | None:
    if declaration.confirmed_at is None:
        return None
    return timezone.localtime(declaration.confirmed_at + RECONFIRM_AFTER).date()


@transaction.atomic
def reconfirm(user, declaration: SideActivity) -> None:
    """The official confirms that the declaration is still accurate."""
    _own(user, declaration)
    declaration = SideActivity.objects.select_for_update().get(pk=declaration.pk)
    if declaration.is_withdrawn or declaration.status == DeclarationStatus.DRAFT:
        raise ValidationError(_("Only a submitted declaration can be confirmed."))
    declaration.confirmed_at = timezone.now()
    declaration.save()
    _version(user, declaration, "reconfirmed")


@transaction.atomic
def assess(user, declaration: SideActivity, decision: str, conditions: str, reasons: str) -> None:
    """The assessing manager decides, always with reasons; conditions when she allows with
    conditions."""
    _require(access.may_assess(user, declaration))
    declaration = SideActivity.objects.select_for_update().get(pk=declaration.pk)
    errors: dict[str, str] = {}
    if declaration.is_withdrawn or declaration.status != DeclarationStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted declaration can be assessed."))
    if decision not in Decision.values:
        errors["decision"] = _("Choose a decision.")
    if not reasons.strip():
        errors["reasons"] = _("Give the reasons for the decision.")
    if decision == Decision.ALLOWED_WITH_CONDITIONS and not conditions.strip():
        errors["conditions"] = _("Name the conditions.")
    if errors:
        raise ValidationError(errors)
    declaration.status = DeclarationStatus.ASSESSED
    declaration.decision = decision
    declaration.conditions = (
        conditions.strip() if decision == Decision.ALLOWED_WITH_CONDITIONS else ""
    )
    declaration.reasons = reasons.strip()
    declaration.assessed_by = user
    declaration.assessed_at = timezone.now()
    declaration.save()
    _version(user, declaration, "assessed")


@transaction.atomic
def record_export(user, organisation) -> None:
    """The coordinator downloads the register: an audited read of it."""
    _require(access.organisations_to_coordinate(user).filter(pk=organisation.pk).exists())
    _audit(user, "exported", "sideactivityregister", organisation.pk)


# --- Financial interests ------------------------------------------------------------------


def interest_functions(person) -> list[DesignatedFunction]:
    """The functions the person holds whose holders declare financial interests."""
    return [f for f in functions_held(person) if f.declare_financial_interests]


@transaction.atomic
def declare_interest(
    user, function: DesignatedFunction | None, kind: str, description: str
) -> FinancialInterest:
    _require(access.may_declare(user))
    if function is None or function not in interest_functions(user):
        raise ValidationError(
            {
                "function": _(
                    "Choose a designated function of yours that declares financial interests."
                )
            }
        )
    interest = FinancialInterest.objects.create(
        official=user,
        organisation=function.organisation,
        function=function,
        kind=kind,
        declared_on=timezone.localdate(),
    )
    sealer = new_row_sealer(interest)
    seal_field(sealer, interest, "sealed_description", description.strip())
    interest.save(update_fields=["wrapped_key", "kek_version", "sealed_description"])
    _audit(user, "declared", "financialinterest", interest.pk)
    return interest


@transaction.atomic
def withdraw_interest(user, interest: FinancialInterest) -> None:
    _require(access.own_interests(user).filter(pk=interest.pk).exists())
    interest = FinancialInterest.objects.select_for_update().get(pk=interest.pk)
    if interest.withdrawn_at is not None:
        raise ValidationError(_("This declaration was already withdrawn."))
    interest.withdrawn_at = timezone.now()
    interest.save(update_fields=["withdrawn_at"])
    _audit(user, "withdrawn", "financialinterest", interest.pk)


@dataclass
class InterestView:
    interest: FinancialInterest
    description: str


@transaction.atomic
def opened_interests(user, interests) -> list[InterestView]:
    """The interests with their descriptions opened, for a user the access rules let read them;
    every read of someone else's is audited (SECURITY.md "Reads of case contents are audited")."""
    visible = set(access.interests_visible_to(user).values_list("pk", flat=True))
    views = []
    for interest in interests:
        _require(interest.pk in visible)
        views.append(
            InterestView(interest, open_field(row_sealer(interest), interest, "sealed_description"))
        )
        if interest.official_id != user.pk:
            _audit(user, "read", "financialinterest", interest.pk)
    return views


# --- Oath or affirmation ------------------------------------------------------------------


@transaction.atomic
def record_oath(
    user, organisation, person, kind: str, taken_on: datetime.date, taken_before: str
) -> OathRecord:
    _require(access.organisations_to_coordinate(user).filter(pk=organisation.pk).exists())
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": _("The date cannot be in the future.")})
    oath = OathRecord.objects.create(
        person=person,
        organisation=organisation,
        kind=kind,
        taken_on=taken_on,
        taken_before=taken_before.strip(),
        recorded_by=user,
    )
    _audit(user, "recorded", "oathrecord", oath.pk, {"organisation": organisation.pk})
    return oath
