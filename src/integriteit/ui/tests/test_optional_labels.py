"""Issue 10 defect 7: a field the form requires in practice is not labelled "(optional)". The rule
is one function (ui.fields.is_optional): a field that is not required says "(optional)" unless
its form names it in `conditionally_required`, because its clean() refuses it empty in some
cases (a kind of violation for an integrity violation, a name for a named report)."""

import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.test import Client

import integriteit
from integriteit.reports.forms import ReportForm
from integriteit.ui.fields import is_optional

pytestmark = pytest.mark.django_db

OPTIONAL = 'class="int-optional"'


def label_of(page: str, name: str) -> str:
    """The label (or legend) of the field `name` on the page."""
    match = re.search(
        rf'<(label|legend)[^>]*(?:for="id_{name}"|>)[^<]*?(?:<span class="int-optional">[^<]*</span>)?</\1>'
        rf'(?=(?:(?!<(?:label|legend)).)*?name="{name}")',
        page,
        re.S,
    )
    assert match, f"no label for {name}"
    return match.group(0)


@pytest.mark.parametrize("name", ["violation_types", "name"], ids=["violation_types", "name"])
def test_a_field_required_in_some_cases_is_not_called_optional(people, name):
    page = Client().get("/melden/bzk/").content.decode()
    assert OPTIONAL not in label_of(page, name)


@pytest.mark.parametrize("name", ["occurred_when", "phone"], ids=["occurred_when", "phone"])
def test_a_field_never_required_is_called_optional(people, name):
    page = Client().get("/melden/bzk/").content.decode()
    assert OPTIONAL in label_of(page, name)


def _forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(integriteit.__path__, "integriteit."):
        if ".tests" in module.name or module.name.endswith(("conftest", "browser_testing")):
            continue
        if module.name.rsplit(".", 1)[-1] in {"forms", "reporter_forms", "staff_forms"} or (
            module.name.endswith("_forms") or ".views." in module.name
        ):
            importlib.import_module(module.name)
    found: set[type[forms.BaseForm]] = set()
    todo: list[type[forms.BaseForm]] = [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("integriteit.") and ".tests" not in sub.__module__:
                found.add(sub)
    return sorted(found, key=lambda form: (form.__module__, form.__qualname__))


# In a clean(): `not data.get("minutes"` / `not data.get("note", "").strip()` / `if not data["x"]`.
EMPTY_CHECK = re.compile(
    r"""not\s+(?:data|cleaned_data|self\.cleaned_data)(?:\.get\(|\[)\s*["'](\w+)["']"""
)


def required_in_practice(form: type[forms.BaseForm]) -> set[str]:
    names = set()
    for klass in form.__mro__:
        clean = klass.__dict__.get("clean")
        if clean is not None:
            names |= set(EMPTY_CHECK.findall(inspect.getsource(clean)))
    return names


def test_every_form_names_the_fields_it_requires_in_practice():
    """A guard for forms yet to come: an optional field whose emptiness clean() refuses must be
    in `conditionally_required`, or its label would say "(optional)"."""
    wrong = []
    for form in _forms():
        fields = getattr(form, "base_fields", {})
        declared = set(getattr(form, "conditionally_required", ()))
        for name in required_in_practice(form):
            field = fields.get(name)
            # A checkbox never says "(optional)" (ui/field.html).
            if field is None or isinstance(field.widget, forms.CheckboxInput):
                continue
            if not field.required and name not in declared:
                wrong.append(f"{form.__module__}.{form.__qualname__}.{name}")
    assert _forms(), "no forms found"
    assert not wrong, "called '(optional)' but required in some cases: " + ", ".join(wrong)


def test_the_rule_itself(people):
    from integriteit.organisations.models import Organisation

    form = ReportForm(organisation=Organisation.objects.get(slug="bzk"))
    assert not is_optional(form["violation_types"])
    assert not is_optional(form["name"])
    assert not is_optional(form["description"])  # required
    assert is_optional(form["occurred_where"])
