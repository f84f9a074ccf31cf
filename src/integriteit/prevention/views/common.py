"""What the register's views share."""

from django.core.exceptions import ValidationError
from django.http import Http404

from ..access import organisations_to_coordinate


def put_on_form(form, error: ValidationError) -> None:
    """A service's refusal, on the form: the page shows it beside what was typed."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def coordinated_organisation(request):
    """The organisation the coordinator works on: `?organisatie=<id>` among hers, or her
    first; 404 for everyone who coordinates none."""
    organisations = list(organisations_to_coordinate(request.user).order_by("name"))
    if not organisations:
        raise Http404
    chosen = request.GET.get("organisatie") or request.POST.get("organisatie")
    for organisation in organisations:
        if str(organisation.pk) == chosen:
            return organisation, organisations
    return organisations[0], organisations


def first_message(error: ValidationError) -> str:
    return " ".join(error.messages)
