from django import template
from django.urls import translate_url
from django.utils import timezone

from integriteit.deadlines.services import Deadline
from integriteit.ui import fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def translate_url_for(context, language_code: str) -> str:
    """The current page in another language (Dutch has no prefix, English lives under /en/)."""
    request = context["request"]
    return translate_url(request.get_full_path(), language_code)


@register.simple_tag(takes_context=True)
def field(context, bound_field, **options):
    """One form field in the NL Design System markup (ui/field.html). Fields of a form the
    view marked with `fragments.cache_rendering` are rendered once and reused."""
    key = fragments.field_key(bound_field, options)
    if key is not None:
        cached = fragments.get(key)
        if cached is not None:
            return cached
    template = context.template.engine.get_template("ui/field.html")
    html = template.render(context.new({"field": bound_field, **options}))
    if key is not None:
        fragments.put(key, html)
    return html


@register.inclusion_tag("ui/deadline.html")
def deadline_badge(deadline: Deadline):
    return {"deadline": deadline, "now": timezone.now()}
