"""`{% case_panels as panels %}`: the records and forms of the case page's panels.

A tag, so the case page of integriteit.cases.views.workspace gets its panels without changing
its context; after a refusal, integriteit.cases.views.actions passes the form as the user filled
it in as `bound_forms`."""

from django import template

from ..views.panels import panel_context

register = template.Library()


@register.simple_tag(takes_context=True)
def case_panels(context) -> dict:
    request = context["request"]
    case = context["case"]
    return panel_context(
        request.user, case.report, case.actions, case.roles, context.get("bound_forms")
    )
