"""The booking form: a room and a slot. By design there is no field for who the conversation is
with, and no free text (issue 5 §6)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integriteit.reports.forms import StyledFormMixin
from integriteit.ui.fields import plausible_date

from .models import ConversationRoom


class RoomBookingForm(StyledFormMixin, forms.Form):
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=ConversationRoom.objects.none(), empty_label=None
    )
    day = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[plausible_date],
    )
    starts = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time", "class": "utrecht-textbox"})
    )
    ends = forms.TimeField(
        label=_("Until"),
        widget=forms.TimeInput(attrs={"type": "time", "class": "utrecht-textbox"}),
        help_text=_("At most 4 hours."),
    )

    def __init__(self, *args, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]
        self._style()

    def slot(self) -> tuple[datetime.datetime, datetime.datetime]:
        day = self.cleaned_data["day"]
        return (
            timezone.make_aware(datetime.datetime.combine(day, self.cleaned_data["starts"])),
            timezone.make_aware(datetime.datetime.combine(day, self.cleaned_data["ends"])),
        )
