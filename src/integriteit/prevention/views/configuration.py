"""The coordinator's configuration: designated functions with who holds them, and the register
of oaths and affirmations (RULES R16)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integriteit.accounts.decorators import staff_required

from .. import access
from .. import declarations as services
from ..forms import (
    AssignmentForm,
    EndAssignmentForm,
    FunctionForm,
    FunctionSettingsForm,
    OathForm,
)
from ..models import DesignatedFunction
from .common import coordinated_organisation, first_message, put_on_form

PAGE_SIZE = 25


def _back(organisation, name: str = "prevention:functions"):
    return redirect(f"{reverse(name)}?{urlencode({'organisatie': organisation.pk})}")


def _function(request, function_id: int) -> DesignatedFunction:
    return get_object_or_404(
        DesignatedFunction.objects.filter(
            organisation__in=access.organisations_to_coordinate(request.user)
        ),
        pk=function_id,
    )


def _functions_page(request, organisation, organisations, form, assign_forms=None, status=200):
    functions = list(
        organisation.designated_functions.order_by("name").prefetch_related("assignments__person")
    )
    assign_forms = assign_forms or {}
    return render(
        request,
        "prevention/functions.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "form": form,
            "functions": [
                {
                    "function": function,
                    "settings": FunctionSettingsForm(
                        initial={
                            "publish_side_activities": function.publish_side_activities,
                            "declare_financial_interests": function.declare_financial_interests,
                            "is_active": function.is_active,
                        },
                        prefix=f"f{function.pk}",
                    ),
                    "assign": assign_forms.get(function.pk)
                    or AssignmentForm(prefix=f"a{function.pk}"),
                    "assignments": [
                        {"assignment": a, "end": EndAssignmentForm(prefix=f"e{a.pk}")}
                        for a in function.assignments.all()
                    ],
                }
                for function in functions
            ],
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def functions(request):
    organisation, organisations = coordinated_organisation(request)
    form = FunctionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_function(
                request.user,
                organisation,
                data["name"],
                data["publish_side_activities"],
                data["declare_financial_interests"],
            )
        except ValidationError as error:
            put_on_form(form, error)
        else:
            messages.success(request, _("The designated function was added."))
            return _back(organisation)
    return _functions_page(request, organisation, organisations, form)


@staff_required
@require_POST
def function_update(request, function_id: int):
    function = _function(request, function_id)
    form = FunctionSettingsForm(request.POST, prefix=f"f{function.pk}")
    if form.is_valid():
        data = form.cleaned_data
        services.update_function(
            request.user,
            function,
            data["publish_side_activities"],
            data["declare_financial_interests"],
            data["is_active"],
        )
        messages.success(request, _("The designated function was saved."))
    else:
        messages.error(request, _("The settings could not be saved."))
    return _back(function.organisation)


@staff_required
@require_POST
def function_assign(request, function_id: int):
    function = _function(request, function_id)
    organisation = function.organisation
    form = AssignmentForm(request.POST, prefix=f"a{function.pk}")
    if form.is_valid():
        data = form.cleaned_data
        person = access.staff_member(organisation, data["username"])
        if person is None:
            form.add_error("username", _("No staff member of this organisation has this username."))
        else:
            try:
                services.assign_function(
                    request.user, function, person, data["starts_on"], data["ends_on"]
                )
            except ValidationError as error:
                put_on_form(form, error)
            else:
                messages.success(request, _("The designated function was assigned."))
                return _back(organisation)
    # The page again, with what was typed and why it was refused (nothing stored).
    _organisation, organisations = coordinated_organisation(request)
    return _functions_page(
        request, organisation, organisations, FunctionForm(), {function.pk: form}, status=400
    )


@staff_required
@require_POST
def assignment_end(request, assignment_id: int):
    assignment = get_object_or_404(
        access.assignments_to_manage(request.user).select_related("function__organisation"),
        pk=assignment_id,
    )
    form = EndAssignmentForm(request.POST, prefix=f"e{assignment.pk}")
    if not form.is_valid():
        messages.error(request, _("Enter the date on which the function ends."))
    else:
        try:
            services.end_assignment(request.user, assignment, form.cleaned_data["ends_on"])
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(request, _("The end date was recorded."))
    return _back(assignment.function.organisation)


@staff_required
@require_http_methods(["GET", "POST"])
def oaths(request):
    organisation, organisations = coordinated_organisation(request)
    form = OathForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            person = access.staff_member(organisation, data["username"])
            if person is None:
                form.add_error(
                    "username", _("No staff member of this organisation has this username.")
                )
            else:
                try:
                    services.record_oath(
                        request.user,
                        organisation,
                        person,
                        data["kind"],
                        data["taken_on"],
                        data["taken_before"],
                    )
                except ValidationError as error:
                    put_on_form(form, error)
                else:
                    messages.success(request, _("The oath or affirmation was recorded."))
                    return _back(organisation, "prevention:oaths")
        status = 400
    found = (
        access.oaths_visible_to(request.user)
        .filter(organisation=organisation)
        .select_related("person", "recorded_by")
        .order_by("person__last_name", "person__first_name", "-taken_on")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = {"organisatie": organisation.pk}
    return render(
        request,
        "prevention/oaths.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "form": form,
            "page": page,
            "query": urlencode(query),
        },
        status=status,
    )
