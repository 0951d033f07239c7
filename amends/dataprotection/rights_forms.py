"""Forms of people's requests under their rights. The rules live in amends.dataprotection.rights."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amends.cases.forms import VersionedForm
from amends.core.widgets import DATE_HINT, DateField
from amends.dataprotection.models import ReceivedBy, RectifiableField, ReleaseMethod, RightsRequestKind

APPROVE, REFUSE = "approve", "refuse"


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What did they ask for?"), choices=RightsRequestKind.choices, widget=forms.RadioSelect
    )
    received_on = DateField(
        label=_("Date received"),
        help_text=format_lazy("{} {}", _("The answer is due one calendar month from this day."), DATE_HINT),
        initial=timezone.localdate,
    )
    received_by = forms.ChoiceField(label=_("How did it come?"), choices=ReceivedBy.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        label=_("What did they ask?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In their words where you can."),
    )
    identity_checked = forms.BooleanField(
        label=_("We have checked who they are"),
        required=False,
        help_text=_("A request is approved only once you have checked that it comes from the person themselves."),
    )
    field = forms.ChoiceField(
        label=_("Which detail is wrong?"),
        choices=RectifiableField.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Only when they ask for a correction."),
    )
    corrected_value = forms.CharField(
        label=_("What should it say?"),
        required=False,
        max_length=300,
        help_text=_("Only when they ask for a correction. A date of birth as day/month/year, for example 14/09/1980."),
    )


class IdentityForm(VersionedForm):
    """Nothing to type: the button records that the person's identity has been checked."""


class DecisionForm(VersionedForm):
    approve = forms.ChoiceField(
        label=_("Your decision"),
        choices=((APPROVE, _("Approve the request")), (REFUSE, _("Refuse the request"))),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Needed to refuse: the person is told why, and that they may complain to the Information Commissioner."
        ),
    )

    def approved(self) -> bool:
        return bool(self.cleaned_data["approve"] == APPROVE)


class ExtensionForm(VersionedForm):
    extended_on = DateField(
        label=_("New date to answer by"),
        help_text=format_lazy("{} {}", _("Up to two months after the date it is due now."), DATE_HINT),
    )
    reason = forms.CharField(
        label=_("Why does it need longer?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The person must be told within the first month, with the reason."),
    )


class CompletionForm(VersionedForm):
    release_method = forms.ChoiceField(
        label=_("How was their information released to them?"),
        choices=ReleaseMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    released_on = DateField(
        label=_("Date it was released to them"), help_text=DATE_HINT, initial=timezone.localdate, required=False
    )

    def __init__(self, *args: Any, needs_release_method: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_release_method:
            del self.fields["release_method"]
            del self.fields["released_on"]

    def chosen_release_method(self) -> str:
        return str(self.cleaned_data.get("release_method") or "")

    def chosen_released_on(self) -> datetime.date | None:
        return self.cleaned_data.get("released_on")


class LiftForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why is the restriction lifted?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tell the person before the restriction is lifted."),
    )


class WithholdForm(VersionedForm):
    withhold = forms.MultipleChoiceField(
        label=_("Which records should they not be given?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only records that are also about someone else, where it would not be reasonable to give them without "
            "that person's agreement. Choose none to give them everything."
        ),
    )
    reason = forms.CharField(
        label=_("Why are they withheld?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For the record only: the export tells them how many records were withheld and on what ground, not this."
        ),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["withhold"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = choices

    def chosen(self) -> list[str]:
        return list(self.cleaned_data.get("withhold") or [])
