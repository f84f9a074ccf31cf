"""`{% investigation_panel as ip %}`: the investigations panel of the case page.

A tag, so integriteit.cases does not import investigations: the case page includes
"investigations/case_panel.html", which asks this tag for its records and forms. After a refused
commission, integriteit.investigations.views.staff passes the form as the user filled it in as
`bound_forms["commission"]`, like the case page's own forms."""

from django import template

from ..panels import case_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def investigation_panel(context) -> dict:
    request = context["request"]
    return case_panel(request.user, context["report"], context.get("bound_forms"))
