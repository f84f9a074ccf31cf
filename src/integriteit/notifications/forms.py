from django import forms
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation
from integriteit.reports.forms import StyledFormMixin

from .selectors import contact_candidates


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class EscalationSettingsForm(StyledFormMixin, forms.Form):
    contact = ContactChoiceField(
        label=_("Escalation contact"),
        queryset=None,
        required=False,
        empty_label=_("The organisation's competent authorities"),
        help_text=_("Hears when a legal deadline of a case is about to pass."),
    )
    escalate_due_soon = forms.BooleanField(
        label=_("Escalate a deadline about to pass to the escalation contact"), required=False
    )
    escalate_overdue = forms.BooleanField(
        label=_("Escalate a deadline that has passed to the government-wide coordinator"),
        required=False,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contact_candidates(organisation)  # type: ignore[attr-defined]
        self._style()
