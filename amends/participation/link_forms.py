"""Forms for issuing a secure link (staff) and for the participant's second check."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from amends.core.widgets import DateField
from amends.participation.links import MOST_DAYS
from amends.participation.models import LinkChannel, SecondCheck


class IssueLinkForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How should the link reach them?"),
        choices=LinkChannel.choices,
        widget=forms.RadioSelect,
        help_text=_("Use the way they told you is safe. The message says only that there is something to see."),
    )
    second_check = forms.ChoiceField(
        label=_("What will they give to open it?"),
        choices=SecondCheck.choices,
        widget=forms.RadioSelect,
        help_text=_("A code is shown to you once, for you to give them by phone or in person."),
    )
    days = forms.IntegerField(
        label=_("How many days should the link work for?"),
        min_value=1,
        max_value=MOST_DAYS,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.AMENDS_LINK_DAYS


class DateOfBirthForm(forms.Form):
    answer = DateField(label=_("Your date of birth"), help_text=_("For example, 27/03/1985"))


class CodeForm(forms.Form):
    answer = forms.CharField(
        label=_("The code you were given"),
        help_text=_("Six numbers, given to you by your facilitator."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )
