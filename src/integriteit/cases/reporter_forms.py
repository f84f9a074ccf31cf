"""Forms the reporter fills in through the mailbox: the evaluation and a complaint about the
handling. Kept apart from cases/forms.py (the staff forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from integriteit.reports.forms import MESSAGE_MAX, StyledFormMixin, textarea

SCORES = [
    (1, _("1 – Strongly disagree")),
    (2, _("2 – Disagree")),
    (3, _("3 – Neither agree nor disagree")),
    (4, _("4 – Agree")),
    (5, _("5 – Strongly agree")),
]

SCORE_ERROR = _("Choose an answer from 1 to 5.")


def _score(label):
    return forms.TypedChoiceField(
        label=label,
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": SCORE_ERROR, "invalid_choice": SCORE_ERROR},
    )


class EvaluationForm(StyledFormMixin, forms.Form):
    felt_safe = _score(_("I felt safe during the process."))
    kept_informed = _score(_("I was kept informed of what happened with my report."))
    taken_seriously = _score(_("I was taken seriously."))
    would_report_again = forms.TypedChoiceField(
        label=_("Would you report again?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose yes or no."),
            "invalid_choice": _("Choose yes or no."),
        },
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us?"),
        help_text=_("Do not write names. Your answers help us improve how reports are handled."),
        required=False,
        max_length=4000,
        widget=textarea(4),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ComplaintForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your complaint"),
        help_text=_(
            "Describe what went wrong in how your report was handled, and what you would "
            "have expected."
        ),
        max_length=MESSAGE_MAX,
        widget=textarea(8),
        error_messages={"required": _("Describe your complaint.")},
    )
    # One complaint per form shown: a second submit (double click, back button) files nothing.
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
