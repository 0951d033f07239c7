"""Forms for information given, responsibility and consent. The rules live in amends.consent.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.cases.models import ProcessKind
from amends.consent.models import (
    ConsentMethod,
    ConsentScope,
    InformationFormat,
    InformationItem,
    ResponsibilityBasis,
    ResponsibilityLevel,
)
from amends.core.widgets import DATE_HINT, DateField, MomentForm


class InformationForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("What they were told"),
        choices=InformationItem.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Consent counts as informed only once they have been told the first four."),
    )
    given_on = DateField(label=_("Date"), help_text=DATE_HINT, initial=timezone.localdate)
    format = forms.ChoiceField(label=_("How"), choices=InformationFormat.choices, widget=forms.RadioSelect)
    language = forms.CharField(label=_("Language"), max_length=40, initial="English")


class ResponsibilityForm(forms.Form):
    basis = forms.ChoiceField(label=_("Basis"), choices=ResponsibilityBasis.choices, widget=forms.RadioSelect)
    level = forms.ChoiceField(
        label=_("Responsibility accepted"), choices=ResponsibilityLevel.choices, widget=forms.RadioSelect
    )
    in_their_words = forms.CharField(
        label=_("In their words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Write down what they said about what happened and their part in it."),
    )
    recorded_on = DateField(label=_("Date"), help_text=DATE_HINT, initial=timezone.localdate)


class ConsentForm(MomentForm):
    scopes = forms.MultipleChoiceField(
        label=_("What the consent covers"), choices=ConsentScope.choices, widget=forms.CheckboxSelectMultiple
    )
    process_kinds = forms.MultipleChoiceField(
        label=_("Processes they consent to"),
        choices=ProcessKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Needed when they consent to take part."),
    )
    share_with = forms.CharField(
        label=_("Information may be shared with"),
        max_length=300,
        required=False,
        help_text=_("Needed when they consent to sharing information."),
    )
    method = forms.ChoiceField(
        label=_("How consent was given"),
        choices=[choice for choice in ConsentMethod.choices if choice[0] != ConsentMethod.ONLINE],
        widget=forms.RadioSelect,
    )
    witnessed_by = forms.CharField(
        label=_("Witnessed by"), max_length=200, required=False, help_text=_("Needed for verbal consent.")
    )
    evidence = forms.CharField(
        label=_("Where the evidence is kept"),
        max_length=300,
        required=False,
        help_text=_("For written consent, where the signed form or letter is kept."),
    )
    # When it was given comes last, after what it covers and how.
    field_order = ("scopes", "process_kinds", "share_with", "method", "witnessed_by", "evidence")


class WithdrawConsentForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No reason is needed: nobody has to explain withdrawing. Record one only if they gave it."),
    )
