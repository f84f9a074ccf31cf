from django import template
from django.urls import translate_url
from django.utils import timezone

from integriteit.deadlines.services import Deadline

register = template.Library()


@register.simple_tag(takes_context=True)
def translate_url_for(context, language_code: str) -> str:
    """The current page in another language (Dutch has no prefix, English lives under /en/)."""
    request = context["request"]
    return translate_url(request.get_full_path(), language_code)


@register.inclusion_tag("ui/field.html")
def field(bound_field, **options):
    return {"field": bound_field, **options}


@register.inclusion_tag("ui/deadline.html")
def deadline_badge(deadline: Deadline):
    return {"deadline": deadline, "now": timezone.now()}
