"""/onderzoek/protocol/: the integrity coordinator manages the organisation's investigation
protocol (issue 4 §1). The page lists the current version's steps, baseline steps marked, and
adds a step or a required field; every change is a new version made by
services.derive_protocol, which refuses anything that goes below the BIPO baseline (seed 002)."""

from typing import cast

from django import forms
from django.contrib import messages
from django.core.validators import validate_slug
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integriteit.accounts.decorators import staff_required
from integriteit.accounts.models import User
from integriteit.organisations.models import Organisation

from .. import selectors, services
from ..access import organisations_for_protocol
from ..constants import StepRole
from ..models import Protocol


def parse_fields(text: str) -> list[dict[str, str]]:
    """Required fields as lines "code: label"."""
    fields = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, sep, label = line.partition(":")
        code, label = code.strip(), label.strip()
        try:
            validate_slug(code)
        except forms.ValidationError:
            code = ""
        if not sep or not code or not label:
            raise forms.ValidationError(
                _("Line %(number)d: write a field as “code: label”.") % {"number": number}
            )
        fields.append({"code": code, "label": label})
    return fields


class StepForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=64)
    after = forms.ChoiceField(label=gettext_lazy("Place after the step"))
    responsible_role = forms.ChoiceField(
        label=gettext_lazy("Responsible role"), choices=StepRole.choices
    )
    guidance = forms.CharField(label=gettext_lazy("What must be done"), widget=forms.Textarea)
    time_limit_days = forms.IntegerField(
        label=gettext_lazy("Time limit in days"), min_value=1, max_value=365, initial=14
    )
    required_fields = forms.CharField(
        label=gettext_lazy("Required fields"),
        help_text=gettext_lazy("One per line, as “code: label”."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = steps
        self.fields["after"].choices = [(s.code, _(s.name)) for s in steps]  # type: ignore[attr-defined]

    def clean_required_fields(self):
        return parse_fields(self.cleaned_data["required_fields"])

    def clean(self):
        data = super().clean() or {}
        if "after" in data:
            index = [s.code for s in self.steps].index(data["after"])
            before = self.steps[index].position
            following = self.steps[index + 1].position if index + 1 < len(self.steps) else None
            position = before + 10 if following is None else (before + following) // 2
            if position in (before, following):
                raise forms.ValidationError(_("There is no room between these two steps."))
            data["position"] = position
        return data

    def extra_step(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name": data["name"],
            "position": data["position"],
            "responsible_role": data["responsible_role"],
            "guidance": data["guidance"],
            "time_limit_days": data["time_limit_days"],
            "required_fields": data["required_fields"],
        }


class FieldForm(forms.Form):
    step = forms.ChoiceField(label=gettext_lazy("Step"))
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=64)
    label = forms.CharField(label=gettext_lazy("Label"), max_length=200)

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s.code, _(s.name)) for s in steps]  # type: ignore[attr-defined]


@staff_required
def protocol(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    organisations = list(organisations_for_protocol(user).order_by("name"))
    if not organisations:
        raise Http404  # denied means 404, never 403 (ADR 0002)
    slug = request.POST.get("organisation") or request.GET.get("organisation")
    organisation = next((o for o in organisations if o.slug == slug), organisations[0])
    current: Protocol = selectors.current_protocol(organisation)
    steps = list(current.steps.all())
    step_form = StepForm(steps=steps, prefix="step")
    field_form = FieldForm(steps=steps, prefix="field")
    refusals: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_step":
                step_form = StepForm(request.POST, steps=steps, prefix="step")
                if step_form.is_valid():
                    services.derive_protocol(
                        user, organisation, extra_steps=[step_form.extra_step()]
                    )
                    messages.success(request, _("The step was added in a new version."))
                    return _back(organisation)
            elif action == "add_field":
                field_form = FieldForm(request.POST, steps=steps, prefix="field")
                if field_form.is_valid():
                    data = field_form.cleaned_data
                    services.derive_protocol(
                        user,
                        organisation,
                        extra_requirements={
                            data["step"]: [{"code": data["code"], "label": data["label"]}]
                        },
                    )
                    messages.success(request, _("The field was added in a new version."))
                    return _back(organisation)
        except services.StepRefused as refused:
            refusals = [str(reason) for reason in refused.reasons]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "investigations/protocol.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "protocol": current,
            "steps": steps,
            "step_form": step_form,
            "field_form": field_form,
            "refusals": refusals,
        },
        status=status,
    )


def _back(organisation: Organisation) -> HttpResponse:
    return redirect(f"{reverse('investigations:protocol')}?organisation={organisation.slug}")
