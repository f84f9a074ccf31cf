from django import template
from django.urls import translate_url
from django.utils.encoding import force_str
from django.utils.html import format_html
from django.utils.translation import gettext

from integriteit.deadlines.services import Deadline
from integriteit.ui import dates, fields, fragments, widgets

register = template.Library()


@register.simple_tag(takes_context=True)
def translate_url_for(context, language_code: str) -> str:
    """The current page in another language (Dutch has no prefix, English lives under /en/)."""
    request = context["request"]
    return translate_url(request.get_full_path(), language_code)


@register.simple_tag(takes_context=True)
def field(context, bound_field, **options):
    """One form field in the NL Design System markup (ui/field.html). Fields of a form the
    view marked with `fragments.cache_rendering` are rendered once and reused. The widget gets
    its NL Design System form-control classes first (ui/widgets.py)."""
    widgets.style(bound_field)
    key = fragments.field_key(bound_field, options)
    if key is not None:
        cached = fragments.get(key)
        if cached is not None:
            return cached
    template = context.template.engine.get_template("ui/field.html")
    html = template.render(
        context.new(
            {
                "field": bound_field,
                "widget": fields.render_widget(bound_field),
                "limit": fields.counted_limit(bound_field),
                "optional": fields.is_optional(bound_field),
                **options,
            }
        )
    )
    if key is not None:
        fragments.put(key, html)
    return html


@register.simple_tag
def deadline_badge(deadline: Deadline):
    """A time limit with its urgency: `<span class="int-deadline int-deadline--…">date ·
    urgency</span>`, or "done on <date>". Built here, not by an inclusion template (one template
    render per badge was a noticeable share of pages listing many time limits)."""
    urgency = deadline.urgency
    if urgency.value == "done":
        # A format string, not an f-string: makemessages cannot see a call inside an f-string.
        text = gettext("done on %(date)s") % {"date": _date(getattr(deadline, "met_at", None))}
    else:
        text = f"{_date(deadline.due)} · {urgency.label}"
    # The trailing newline is the one the template file ended with (the same HTML as before).
    return format_html(
        '<span class="int-deadline int-deadline--{}">{}</span>\n', urgency.value, text
    )


def _date(value) -> str:
    return dates.day(value)


@register.filter
def day(value) -> str:
    """`{{ deadline|day }}`: "8 maart 2027" (integriteit.ui.dates, the one date format)."""
    return dates.day(value)


@register.filter
def moment(value) -> str:
    """`{{ message.created_at|moment }}`: "8 maart 2027 14:05"."""
    return dates.moment(value)


@register.filter
def cell_day(value) -> str:
    """`{{ report.received_at|cell_day }}` in a table cell: "8 mrt 2027" (integriteit.ui.dates)."""
    return dates.cell_day(value)


@register.filter
def cell_moment(value) -> str:
    """`{{ interview.planned_at|cell_moment }}` in a table cell: "8 mrt 2027 14:05"."""
    return dates.cell_moment(value)


@register.filter
def yes_no(value) -> str:
    """`{{ position.direct_access|yes_no }}`: "Ja" or "Nee"."""
    return gettext("Yes") if value else gettext("No")


_CHOICE_LABELS: dict[tuple[type, str], dict] = {}


@register.filter
def choice_label(instance, field_name: str):
    """`{{ report|choice_label:"phase" }}`: the same as `{{ report.get_phase_display }}`, with
    the field's choices read once per process instead of once per row (lists of many rows)."""
    key = (type(instance), field_name)
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = _CHOICE_LABELS[key] = dict(instance._meta.get_field(field_name).flatchoices)
    value = getattr(instance, field_name)
    return force_str(labels.get(value, value), strings_only=True)
