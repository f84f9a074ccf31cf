"""The official's declarations, the manager's assessment and the coordinator's register (RULES
R16). Whoever may not read a declaration gets a 404 for every URL that names it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integriteit.accounts.decorators import staff_required
from integriteit.figures.exports import xlsx_download
from integriteit.ui import dates

from .. import access, selectors
from .. import declarations as services
from ..forms import AssessmentForm, DeclarationForm, InterestForm, RegisterFilterForm, WithdrawForm
from ..models import Decision, DeclarationStatus, DesignatedFunction, SideActivity
from .common import coordinated_organisation, first_message, put_on_form

PAGE_SIZE = 25


def state_of(declaration: SideActivity) -> str:
    """One word for where a declaration stands: withdrawn, draft, submitted or the decision."""
    if declaration.withdrawn_at is not None:
        return "withdrawn"
    if declaration.status == DeclarationStatus.ASSESSED:
        return declaration.decision
    return declaration.status


def state_label(state: str) -> str:
    labels = {
        "withdrawn": _("Withdrawn"),
        DeclarationStatus.DRAFT: _("Draft"),
        DeclarationStatus.SUBMITTED: _("Waiting for assessment"),
        **{value: str(label) for value, label in Decision.choices},
    }
    return str(labels.get(state, state))


def event_label(event: str) -> str:
    labels = {
        "created": _("Declared (draft)"),
        "changed": _("Changed"),
        "submitted": _("Submitted"),
        "assessed": _("Assessed"),
        "reconfirmed": _("Confirmed again"),
        "withdrawn": _("Withdrawn"),
    }
    return str(labels.get(event, event))


def _rows(declarations, now=None):
    now = now or timezone.now()
    return [
        {
            "declaration": declaration,
            "state": state_of(declaration),
            "state_label": state_label(state_of(declaration)),
            "due": services.is_due(declaration, now),
        }
        for declaration in declarations
    ]


def _functions_of(user):
    held = [function.pk for function in services.functions_held(user)]
    return DesignatedFunction.objects.filter(pk__in=held).order_by("name")


@staff_required
def my_declarations(request):
    if not access.may_declare(request.user):
        raise Http404
    user = request.user
    interest_functions = services.interest_functions(user)
    interests = list(access.own_interests(user).select_related("function"))
    return render(
        request,
        "prevention/my_declarations.html",
        {
            "rows": _rows(selectors.mine(user)),
            "functions": services.functions_held(user),
            "interest_functions": interest_functions,
            "interests": services.opened_interests(user, interests),
            "oaths": access.oaths_visible_to(user).filter(person=user),
        },
    )


def _own(request, declaration_id: int) -> SideActivity:
    return get_object_or_404(access.own_declarations(request.user), pk=declaration_id)


@staff_required
@require_http_methods(["GET", "POST"])
def declaration_new(request):
    if not access.may_declare(request.user):
        raise Http404
    form = DeclarationForm(request.POST or None, functions=_functions_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.save_draft(request.user, form.to_input())
        except ValidationError as error:
            put_on_form(form, error)
        else:
            messages.success(
                request, _("The declaration was saved as a draft. Submit it when it is complete.")
            )
            return redirect("prevention:declaration_detail", declaration_id=declaration.pk)
    return render(request, "prevention/declaration_form.html", {"form": form, "declaration": None})


@staff_required
@require_http_methods(["GET", "POST"])
def declaration_edit(request, declaration_id: int):
    declaration = _own(request, declaration_id)
    if declaration.is_withdrawn:
        messages.error(request, _("A withdrawn declaration cannot be changed."))
        return redirect("prevention:declaration_detail", declaration_id=declaration.pk)
    form = DeclarationForm(
        request.POST or None,
        initial=DeclarationForm.initial_of(declaration),
        functions=_functions_of(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_draft(request.user, form.to_input(), declaration)
        except ValidationError as error:
            put_on_form(form, error)
        else:
            messages.success(
                request, _("The declaration was saved as a draft. Submit it when it is complete.")
            )
            return redirect("prevention:declaration_detail", declaration_id=declaration.pk)
    return render(
        request, "prevention/declaration_form.html", {"form": form, "declaration": declaration}
    )


@staff_required
def declaration_detail(request, declaration_id: int):
    declaration = get_object_or_404(
        access.declarations_visible_to(request.user).select_related(
            "official", "function", "assessed_by", "organisation"
        ),
        pk=declaration_id,
    )
    own = declaration.official_id == request.user.pk
    state = state_of(declaration)
    may_assess = (
        not own
        and declaration.status == DeclarationStatus.SUBMITTED
        and not declaration.is_withdrawn
        and access.may_assess(request.user, declaration)
    )
    return render(
        request,
        "prevention/declaration_detail.html",
        {
            "declaration": declaration,
            "own": own,
            "state": state,
            "state_label": state_label(state),
            "due": services.is_due(declaration),
            "due_on": services.due_on(declaration),
            "may_assess": may_assess,
            "history": [
                {
                    "version": version,
                    "label": event_label(version.event),
                    "paid": version.snapshot.get("paid"),
                    "description": version.snapshot.get("description", ""),
                    "employer": version.snapshot.get("employer", ""),
                    "decision": state_label(version.snapshot.get("decision", ""))
                    if version.snapshot.get("decision")
                    else "",
                }
                for version in declaration.history.select_related("recorded_by").order_by("pk")
            ],
            "withdraw_form": WithdrawForm(),
        },
    )


def _after(request, declaration: SideActivity, action, success: str, *args):
    try:
        action(request.user, declaration, *args)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, success)
    return redirect("prevention:declaration_detail", declaration_id=declaration.pk)


@staff_required
@require_POST
def declaration_submit(request, declaration_id: int):
    declaration = _own(request, declaration_id)
    return _after(
        request, declaration, services.submit, _("The declaration was submitted to your manager.")
    )


@staff_required
@require_POST
def declaration_withdraw(request, declaration_id: int):
    declaration = _own(request, declaration_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you withdraw the declaration."))
        return redirect("prevention:declaration_detail", declaration_id=declaration.pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _after(
        request, declaration, services.withdraw, _("The declaration was withdrawn."), reason
    )


@staff_required
@require_POST
def declaration_reconfirm(request, declaration_id: int):
    declaration = _own(request, declaration_id)
    return _after(
        request,
        declaration,
        services.reconfirm,
        _("You confirmed that the declaration is still accurate."),
    )


@staff_required
@require_http_methods(["GET", "POST"])
def declaration_assess(request, declaration_id: int):
    declaration = get_object_or_404(
        access.declarations_to_assess(request.user).select_related("official", "function"),
        pk=declaration_id,
    )
    form = AssessmentForm(request.POST or None)
    if declaration.status != DeclarationStatus.SUBMITTED or declaration.is_withdrawn:
        messages.error(request, _("Only a submitted declaration can be assessed."))
        return redirect("prevention:declaration_detail", declaration_id=declaration.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assess(
                request.user, declaration, data["decision"], data["conditions"], data["reasons"]
            )
        except ValidationError as error:
            put_on_form(form, error)
        else:
            messages.success(request, _("The assessment was recorded."))
            return redirect("prevention:assess_queue")
    return render(request, "prevention/assess.html", {"form": form, "declaration": declaration})


@staff_required
def assess_queue(request):
    if not access.is_assessor(request.user):
        raise Http404
    show = "all" if request.GET.get("toon") == "alle" else "open"
    page = Paginator(selectors.queue(request.user, show), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "prevention/assess_queue.html",
        {"page": page, "rows": _rows(page), "show": show, "query": query.urlencode()},
    )


def _register(request):
    organisation, organisations = coordinated_organisation(request)
    functions = organisation.designated_functions.order_by("name")
    filters = RegisterFilterForm(request.GET or None, functions=functions)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    function = chosen.get("function")
    found = selectors.register(
        request.user,
        organisation,
        text=(chosen.get("q") or "").strip(),
        state=chosen.get("state") or "",
        decision=chosen.get("decision") or "",
        function=function.pk if function else None,
        paid=chosen.get("paid") or "",
    )
    return organisation, organisations, filters, found


@staff_required
def register(request):
    organisation, organisations, filters, found = _register(request)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "prevention/register.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "filters": filters,
            "page": page,
            "rows": _rows(page),
            "query": query.urlencode(),
        },
    )


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


@staff_required
def register_export(request):
    """The register as filtered, through the one export layer (figures.exports, ADR 0016)."""
    organisation, _organisations, _filters, found = _register(request)
    header = [
        _("Name"),
        _("Designated function"),
        _("Side activity"),
        _("Organisation where the activity takes place"),
        _("Paid"),
        _("Hours per month"),
        _("Starts on"),
        _("Ends on"),
        _("State"),
        _("Conditions"),
        _("Reasons"),
        _("Last confirmed"),
    ]
    now = timezone.now()

    def rows():
        yield header
        for declaration in found.iterator(chunk_size=2000):
            yield [
                str(declaration.official),
                declaration.function.name if declaration.function else "",
                declaration.description,
                declaration.employer,
                _yes_no(declaration.paid),
                float(declaration.hours_per_month)
                if declaration.hours_per_month is not None
                else None,
                dates.day(declaration.starts_on),
                dates.day(declaration.ends_on) if declaration.ends_on else "",
                state_label(state_of(declaration))
                + (
                    f" ({_('Due for re-confirmation')})"
                    if services.is_due(declaration, now)
                    else ""
                ),
                declaration.conditions,
                declaration.reasons,
                dates.day(timezone.localtime(declaration.confirmed_at).date())
                if declaration.confirmed_at
                else "",
            ]

    services.record_export(request.user, organisation)
    return xlsx_download(
        f"nevenwerkzaamheden-{organisation.slug}.xlsx", _("Side activities"), rows()
    )


# --- Financial interests ------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def interest_new(request):
    functions = services.interest_functions(request.user)
    if not functions:
        raise Http404
    queryset = DesignatedFunction.objects.filter(pk__in=[f.pk for f in functions])
    form = InterestForm(request.POST or None, functions=queryset)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.declare_interest(
                request.user, data["function"], data["kind"], data["description"]
            )
        except ValidationError as error:
            put_on_form(form, error)
        else:
            messages.success(request, _("The financial interest was declared."))
            return redirect("prevention:my_declarations")
    return render(request, "prevention/interest_form.html", {"form": form})


@staff_required
@require_POST
def interest_withdraw(request, interest_id: int):
    interest = get_object_or_404(access.own_interests(request.user), pk=interest_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you withdraw the declaration."))
        return redirect("prevention:my_declarations")
    try:
        services.withdraw_interest(request.user, interest)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, _("The declaration was withdrawn."))
    return redirect("prevention:my_declarations")


@staff_required
def interests(request):
    """The financial interests of others the user reads: as assessing manager or coordinator.
    Every description opened here is an audited read."""
    if not (access.is_assessor(request.user) or access.coordinated_organisation_ids(request.user)):
        raise Http404
    found = (
        access.interests_visible_to(request.user)
        .exclude(official=request.user)
        .select_related("official", "function", "organisation")
        .order_by("official__last_name", "official__first_name", "-declared_on", "-pk")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "prevention/interests.html",
        {"page": page, "views": services.opened_interests(request.user, list(page)), "query": ""},
    )
