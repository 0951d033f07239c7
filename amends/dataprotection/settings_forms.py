"""Forms of an organisation's data protection settings. The rules live in amends.dataprotection.settings_services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Organisation, Regime
from amends.dataprotection.models import Condition, LawfulBasis, ProcessingPurpose
from amends.dataprotection.settings_services import ORGANISATION_FIELDS


class SettingsForm(forms.Form):
    controller_name = forms.CharField(
        label=_("Data controller"),
        max_length=200,
        required=False,
        help_text=_("The body legally responsible for the personal data. Leave blank to use the organisation's name."),
    )
    ico_registration_number = forms.CharField(
        label=_("ICO registration number"),
        max_length=20,
        required=False,
        help_text=_("For example, ZA123456."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    controller_address = forms.CharField(
        label=_("Data controller address"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    data_protection_officer_email = forms.EmailField(
        label=_("Data protection officer email"),
        required=False,
        error_messages={"invalid": _("Enter an email address in the correct format, like dpo@example.org")},
    )
    regime = forms.ChoiceField(
        label=_("Which law governs its processing?"),
        choices=Regime.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the law that governs the organisation's processing.")},
        help_text=_(
            "UK GDPR for most services. DPA 2018 Part 3 only for a competent authority, such as a police force, "
            "processing for law enforcement purposes."
        ),
    )
    appropriate_policy_url = forms.URLField(
        label=_("Appropriate policy document (web address)"),
        required=False,
        assume_scheme="https",
        help_text=_(
            "The document DPA 2018 asks for when special category or criminal offence data is processed under "
            "Schedule 1 or Part 3. The privacy notice links to it."
        ),
        error_messages={"invalid": _("Enter the web address of the document, beginning https://")},
    )

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, Any]:
        return {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}

    def details(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Purpose"), widget=forms.RadioSelect, error_messages={"required": _("Choose the purpose.")}
    )
    lawful_basis = forms.ChoiceField(
        label=_("Lawful basis"),
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the lawful basis.")},
    )
    condition = forms.ChoiceField(
        label=_("Condition for special category or criminal offence data"),
        choices=Condition.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Needed for delivering restorative justice, keeping people safe and equality monitoring: they use "
            "information about offences, health or ethnicity."
        ),
    )
    explanation = forms.CharField(
        label=_("In plain words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the privacy notice tells people about this purpose."),
    )
    explanation_cy = forms.CharField(
        label=_("In plain words, in Welsh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the Welsh privacy notice; the English is shown when it is blank."),
    )

    def __init__(self, *args: Any, purposes: list[tuple[str, Any]] | None = None, **kwargs: Any) -> None:
        """`purposes`: the purposes to choose from when adding one; None when changing one (its purpose stays)."""
        super().__init__(*args, **kwargs)
        if purposes is None:
            del self.fields["purpose"]
            return
        field = self.fields["purpose"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = purposes

    @classmethod
    def initial_for(cls, purpose: ProcessingPurpose) -> dict[str, Any]:
        return {
            "lawful_basis": purpose.lawful_basis,
            "condition": purpose.condition,
            "explanation": purpose.explanation,
            "explanation_cy": purpose.explanation_cy,
        }

    def details(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
