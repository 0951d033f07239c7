"""Forms for risk assessments, their sign-off and new risk information. The rules live in amends.risk.services."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.core.widgets import DATE_HINT, DateField
from amends.people.models import Participant
from amends.risk.models import RiskCondition, RiskFactor, RiskInformationKind, RiskLevel, RiskOutcome, SignOffDecision

EVERYONE = "everyone"


def factor_field_name(factor: RiskFactor) -> str:
    return f"factor_{factor.value}"


class RiskAssessmentForm(forms.Form):
    """A rating for each factor, the assessment in words, conditions, outcome and review date."""

    narrative = forms.CharField(label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 8}))
    conditions = forms.MultipleChoiceField(
        label=_("Conditions"),
        choices=RiskCondition.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Any condition makes the outcome “suitable with conditions”, which a coordinator signs off."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=RiskOutcome.choices, widget=forms.RadioSelect)
    review_on = DateField(label=_("Review by"), help_text=DATE_HINT)
    assessed_on = DateField(label=_("Date assessed"), help_text=DATE_HINT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        factor_fields = {
            factor_field_name(factor): forms.ChoiceField(
                label=factor.label,
                choices=RiskLevel.choices,
                initial=RiskLevel.NONE,
                # A factor left unrated is not present, as the form's default says.
                required=False,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline govuk-radios--small"}),
            )
            for factor in RiskFactor
        }
        # The factors first, then the rest in the order declared.
        self.fields = {**factor_fields, **self.fields}

    def factors(self) -> dict[str, str]:
        return {
            factor.value: self.cleaned_data.get(factor_field_name(factor)) or RiskLevel.NONE.value
            for factor in RiskFactor
        }


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=SignOffDecision.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed when you do not approve it: say why."),
    )


class RiskInformationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of information"),
        choices=RiskInformationKind.choices,
        widget=forms.RadioSelect,
        help_text=_("A safeguarding concern moves the case back to assessing at once."),
    )
    participant = forms.ChoiceField(label=_("Whom it concerns"), widget=forms.RadioSelect, initial=EVERYONE)
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 6}))
    referred_to = forms.CharField(
        label=_("Referred to"),
        max_length=200,
        required=False,
        help_text=_("For a safeguarding concern, the agency or team it was referred to."),
    )

    def __init__(self, *args: Any, participants: Iterable[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = {str(participant.pk): participant for participant in participants}
        field = self.fields["participant"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [(EVERYONE, _("Everyone in the case")), *((pk, str(p)) for pk, p in self.participants.items())]

    def concerned(self) -> Participant | None:
        return self.participants.get(self.cleaned_data["participant"])
