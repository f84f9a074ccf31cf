from typing import cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integriteit.organisations.models import Organisation
from integriteit.ui import widgets
from integriteit.ui.fields import plausible_date

from .attachments import ALLOWED_EXTENSIONS, AttachmentRejected, CleanFile, clean_upload
from .constants import (
    Channel,
    DeadlineFilter,
    Form,
    Kind,
    Phase,
    RaisedBefore,
    Relation,
    ViolationTypeCode,
)
from .receipts import CODE_LENGTH

# A reporter's own account (the description, a message in her mailbox, the minutes of an oral
# report) is accepted in full up to about 40 pages; past that the form refuses it with the text
# kept and suggests a file (docs/reporting.md "Long texts", issue 10 defect 8).
DESCRIPTION_MAX = 100_000
ANSWER_MAX = 20_000  # the other open answers of the report form
SHORT_MAX = 300
NAMES_MAX = 5_000
NAMES_COUNT_MAX = 20
MESSAGE_MAX = 10_000  # what staff write


LONG_ACCOUNT_REFUSED = _(
    "Your text has %(show_value)d characters; this field takes at most %(limit_value)d. Nothing "
    "has been sent and your text is still here. Shorten it, or put part of it in a text file "
    "and add that file under Attachments."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; each is checked and stripped of metadata in `clean`."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attachments"))
        kwargs.setdefault(
            "help_text",
            _(
                "Photos, PDF, Word, Excel, PowerPoint, OpenDocument, text, e-mail or audio files, "
                "at most %(size)d MB each. We remove hidden information such as the author and "
                "location before storing them."
            )
            % {"size": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ",".join(f".{ext}" for ext in sorted(ALLOWED_EXTENSIONS))

    def clean(self, data, initial=None) -> list[CleanFile]:
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(uploads) > settings.ATTACHMENT_MAX_COUNT:
            raise ValidationError(
                _("You can add at most %(max)d files.") % {"max": settings.ATTACHMENT_MAX_COUNT}
            )
        cleaned, errors = [], []
        for upload in uploads:
            if upload.size > settings.ATTACHMENT_MAX_BYTES:
                errors.append(
                    _("%(name)s: the file is larger than %(max)d MB.")
                    % {"name": upload.name, "max": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
                )
                continue
            try:
                cleaned.append(clean_upload(upload))
            except AttachmentRejected as error:
                errors.append(f"{upload.name}: {error}")
        if errors:
            raise ValidationError(errors)
        return cleaned


def textarea(rows=6):
    return forms.Textarea(attrs={"rows": rows, "class": "utrecht-textarea"})


def textbox(**attrs):
    return forms.TextInput(attrs={"class": "utrecht-textbox", **attrs})


class StyledFormMixin:
    """NL Design System classes on the standard widgets."""

    def _style(self):
        for bound in self:  # type: ignore[attr-defined]
            widget = bound.field.widget
            widgets.style(bound)  # the form-control classes (ui/widgets.py)
            if bound.help_text:
                widget.attrs.setdefault("aria-describedby", f"{bound.auto_id}_help")


class ReportForm(StyledFormMixin, forms.Form):
    """What a reporter tells us (issue 2 §3). The organisation is chosen before, in the URL."""

    kind = forms.ChoiceField(
        label=_("What do you want to report?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
    )
    violation_types = forms.MultipleChoiceField(
        label=_("Which kind of integrity violation?"),
        help_text=_("Only for a suspected integrity violation. Choose one or more."),
        choices=ViolationTypeCode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label=_("What happened?"),
        help_text=_(
            "Describe what you saw or heard, in your own words. Facts help most: what, who, how often."
        ),
        max_length=DESCRIPTION_MAX,
        error_messages={"max_length": LONG_ACCOUNT_REFUSED},
        widget=textarea(10),
    )
    occurred_when = forms.CharField(
        label=_("When did it happen?"),
        help_text=_("A date or period, for example “spring 2026” or “every Monday since May”."),
        max_length=SHORT_MAX,
        required=False,
    )
    occurred_where = forms.CharField(
        label=_("Where did it happen?"),
        help_text=_("For example a department, location or meeting."),
        max_length=SHORT_MAX,
        required=False,
    )
    involved_names = forms.CharField(
        label=_("Who is involved? Names of colleagues"),
        help_text=_(
            "The first and last name of each colleague involved, one name per line. We look "
            "them up among the staff of this organisation; the people we recognise are kept out "
            "of the handling of your report: they will not see it. On the next page you see "
            "which names we recognised. We never show you a list of staff."
        ),
        max_length=NAMES_MAX,
        required=False,
        widget=textarea(4),
    )
    involved_text = forms.CharField(
        label=_("Who is involved? In your own words"),
        help_text=_("Functions or descriptions of people involved, for example “my team leader”."),
        max_length=ANSWER_MAX,
        required=False,
        widget=textarea(3),
    )
    route_around_line = forms.BooleanField(
        label=_("Also keep the managers above the people I named out of the handling"),
        help_text=_("Choose this when a manager is part of the problem."),
        required=False,
    )
    raised_before = forms.ChoiceField(
        label=_("Did you raise this before?"),
        choices=RaisedBefore.choices,
        widget=forms.RadioSelect,
        initial=RaisedBefore.NO,
    )
    raised_with = forms.CharField(
        label=_("With whom did you raise it, and what happened then?"),
        max_length=ANSWER_MAX,
        required=False,
        widget=textarea(3),
    )
    relation = forms.ChoiceField(
        label=_("What is your relation to the organisation?"),
        choices=Relation.choices,
        widget=forms.RadioSelect,
    )
    anonymous = forms.TypedChoiceField(
        label=_("Do you want to give your name?"),
        help_text=_(
            "You can report anonymously. You then get a receipt code to follow your report and "
            "answer questions. If you give your name, only the integrity coordinators handling "
            "your report will see it."
        ),
        choices=[("1", _("No, I report anonymously")), ("0", _("Yes, I give my name"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    name = forms.CharField(label=_("Your name"), max_length=SHORT_MAX, required=False)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We only e-mail you that there is news, never the content."),
        max_length=254,
        required=False,
    )
    phone = forms.CharField(label=_("Your phone number"), max_length=40, required=False)
    meeting_requested = forms.BooleanField(
        label=_("I would like to discuss my report in a meeting"),
        help_text=_("The integrity coordinator will propose a time through your mailbox."),
        required=False,
    )
    attachments = AttachmentsField()

    # Required in the cases clean() names; no "(optional)" beside them (ui.fields.is_optional).
    conditionally_required: tuple[str, ...] = ("violation_types", "name")

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self._style()

    def clean_involved_names(self) -> list[str]:
        """One name a line; matched to staff on the server (services), never listed here."""
        names = [
            " ".join(line.split()) for line in self.cleaned_data["involved_names"].splitlines()
        ]
        names = [name for name in names if name]
        if len(names) > NAMES_COUNT_MAX:
            raise ValidationError(
                _("Give at most %(max)d names here; describe any others in your own words below.")
                % {"max": NAMES_COUNT_MAX}
            )
        if any(len(name) > SHORT_MAX for name in names):
            raise ValidationError(
                _("A name can have at most %(max)d characters.") % {"max": SHORT_MAX}
            )
        return names

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == Kind.INTEGRITY_VIOLATION and not data.get("violation_types"):
            self.add_error("violation_types", _("Choose at least one kind of integrity violation."))
        if data.get("kind") != Kind.INTEGRITY_VIOLATION:
            data["violation_types"] = []
        if data.get("anonymous") is False and not data.get("name", "").strip():
            self.add_error("name", _("Give your name, or choose to report anonymously."))
        if data.get("anonymous"):
            data["name"] = data["email"] = data["phone"] = ""
        return data


class RegisterReportForm(ReportForm):
    """Staff register a report received outside the online form (RULES R1–R2)."""

    channel = forms.ChoiceField(
        label=_("Who received the report?"),
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
        widget=forms.RadioSelect,
    )
    form = forms.ChoiceField(
        label=_("How was it reported?"),
        choices=Form.choices,
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label=_("Date of receipt"),
        help_text=_("The legal terms count from this date. Format: YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[plausible_date],
    )
    minutes = forms.CharField(
        label=_("Minutes of the conversation"),
        help_text=_(
            "For an oral report or a meeting: an accurate record. The reporter can read, correct "
            "and approve it in the mailbox (RULES R2)."
        ),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=textarea(6),
    )

    identity_consent = forms.BooleanField(
        label=_("The reporter gave written consent to pass on their name"),
        help_text=_(
            "Required when a confidential adviser registers a report with the reporter's name "
            "(RULES R7). Without written consent, register the report anonymously."
        ),
        required=False,
    )

    conditionally_required = (*ReportForm.conditionally_required, "minutes", "identity_consent")

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date of receipt cannot be in the future."))
        return value

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("form") in {Form.ORAL, Form.MEETING} and not data.get("minutes", "").strip():
            self.add_error("minutes", _("Oral reports and meetings need minutes (RULES R2)."))
        if (
            data.get("channel") == Channel.CONFIDENTIAL_ADVISER
            and data.get("anonymous") is False
            and not data.get("identity_consent")
        ):
            self.add_error(
                "identity_consent",
                _(
                    "A confidential adviser passes on the reporter's name only with written consent."
                ),
            )
        return data


class OrganisationChoiceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = queryset
        self.fields["organisation"].widget.attrs["class"] = "utrecht-select"


class MailboxLoginForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        help_text=_(
            "The code you received when you made your report, for example ABCD-1234-EFGH-5678."
        ),
        max_length=64,
        widget=textbox(autocomplete="off", spellcheck="false", autocapitalize="characters"),
    )
    # The signed challenge of reports.throttle; the view puts the one to send back in the page.
    challenge = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def clean_code(self):
        code = self.cleaned_data["code"]
        stripped = "".join(ch for ch in code if ch.isalnum())
        if len(stripped) != CODE_LENGTH:
            raise ValidationError(
                _("A receipt code has %(n)d letters and digits; you entered %(got)d.")
                % {"n": CODE_LENGTH, "got": len(stripped)}
            )
        return code


class MessageForm(StyledFormMixin, forms.Form):
    """What a reporter writes in her mailbox: as long as her report may be."""

    text = forms.CharField(
        label=_("Your message"),
        max_length=DESCRIPTION_MAX,
        error_messages={"max_length": LONG_ACCOUNT_REFUSED},
        widget=textarea(6),
    )
    attachments = AttachmentsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class StaffMessageForm(MessageForm):
    """The same message, written by staff: the field says to whom it goes. Its ids are its own:
    the case page also has the acknowledgement's text field (WCAG 4.1.1, unique ids)."""

    text = forms.CharField(
        label=_("Message to the reporter"), max_length=MESSAGE_MAX, widget=textarea(6)
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "message_%s")
        super().__init__(*args, **kwargs)


class AcknowledgeForm(StyledFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Acknowledgement message"),
        help_text=_(
            "Sent to the reporter's mailbox; a named reporter with an e-mail address is told there is news."
        ),
        max_length=MESSAGE_MAX,
        widget=textarea(6),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "acknowledge_%s")  # unique on the case page
        super().__init__(*args, **kwargs)
        self._style()


class ClassifyForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of report"), choices=Kind.choices, widget=forms.RadioSelect
    )
    types = forms.MultipleChoiceField(
        label=_("Types of integrity violation"),
        help_text=_(
            "The nine official types (seed 001 §2.1). Required for an integrity violation."
        ),
        choices=ViolationTypeCode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    conditionally_required = ("types",)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == Kind.INTEGRITY_VIOLATION and not data.get("types"):
            self.add_error("types", _("Choose at least one type of integrity violation."))
        return data


class QueueFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        help_text=_("Reference or words from the report."),
        max_length=200,
        required=False,
    )
    phase = forms.ChoiceField(
        label=_("Phase"), choices=[("", _("All")), *Phase.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All")), *Kind.choices], required=False
    )
    deadline = forms.ChoiceField(
        label=_("Deadline"), choices=[("", _("All")), *DeadlineFilter.choices], required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        self._style()
