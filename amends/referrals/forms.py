"""Forms for the referral pages: they parse input; the rules live in referrals/services.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Service
from amends.cases.models import SensitivityFlag
from amends.core.widgets import DateField
from amends.people.models import ParticipantRole
from amends.referrals.models import (
    EnhancedRightsGround,
    Initiator,
    JusticeStage,
    OffenceCategory,
    ReferralSource,
    Setting,
)
from amends.referrals.services import AREA_MAX_LENGTH, NamedPerson, service_areas

DATE_HINT = _("For example, 27/03/2026")
AREA_LABEL = _("Area where it happened")
AREA_HINT = _("The local area it belongs to, for the service's figures")
# The people a staff referral names, with the prefix of their fields.
NAMED_ROLES = (("harmed", ParticipantRole.PERSON_HARMED), ("responsible", ParticipantRole.PERSON_RESPONSIBLE))
PERSON_FIELDS = ("given_name", "family_name", "date_of_birth", "phone", "email")


class ReferralForm(forms.Form):
    source = forms.ChoiceField(label=_("Referral source"), choices=ReferralSource.choices)
    referrer_name = forms.CharField(label=_("Referrer's name"), max_length=200, required=False)
    referrer_organisation = forms.CharField(label=_("Referrer's organisation"), max_length=200, required=False)
    referrer_contact = forms.CharField(label=_("Referrer's phone or email"), max_length=200, required=False)
    crime_reference = forms.CharField(label=_("Crime reference"), max_length=40, required=False)
    offence_category = forms.ChoiceField(label=_("Offence or harm"), choices=OffenceCategory.choices)
    offence_date = DateField(label=_("Date of the offence or harm"), required=False, help_text=DATE_HINT)
    reported_on = DateField(label=_("Date reported to the police"), required=False, help_text=DATE_HINT)
    # A choice of the service's areas when it lists any (see __init__), otherwise typed.
    area = forms.CharField(label=AREA_LABEL, help_text=AREA_HINT, max_length=AREA_MAX_LENGTH, required=False)
    justice_stage = forms.ChoiceField(label=_("Criminal justice stage"), choices=JusticeStage.choices)
    initiated_by = forms.ChoiceField(label=_("Who asked for RJ"), choices=Initiator.choices, widget=forms.RadioSelect)
    setting = forms.ChoiceField(label=_("Setting"), choices=Setting.choices)
    enhanced_rights = forms.ChoiceField(
        label=_("Enhanced rights under the Victims' Code"),
        choices=EnhancedRightsGround.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    victim_told_about_rj_on = DateField(
        label=_("Date the person harmed was told about RJ"), required=False, help_text=DATE_HINT
    )
    victim_told_about_rj_by = forms.CharField(label=_("Who told them"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("What happened, and what is asked for"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    risk_information = forms.CharField(label=_("Known risks"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    harmed_given_name = forms.CharField(label=_("Person harmed: first name"), max_length=100, required=False)
    harmed_family_name = forms.CharField(label=_("Person harmed: last name"), max_length=100, required=False)
    harmed_date_of_birth = DateField(label=_("Person harmed: date of birth"), required=False, help_text=DATE_HINT)
    harmed_phone = forms.CharField(label=_("Person harmed: phone"), max_length=40, required=False)
    harmed_email = forms.EmailField(label=_("Person harmed: email"), required=False)
    responsible_given_name = forms.CharField(label=_("Person responsible: first name"), max_length=100, required=False)
    responsible_family_name = forms.CharField(label=_("Person responsible: last name"), max_length=100, required=False)
    responsible_date_of_birth = DateField(
        label=_("Person responsible: date of birth"), required=False, help_text=DATE_HINT
    )
    responsible_phone = forms.CharField(label=_("Person responsible: phone"), max_length=40, required=False)
    responsible_email = forms.EmailField(label=_("Person responsible: email"), required=False)

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = service_areas(service)
        if areas:
            self.fields["area"] = forms.ChoiceField(
                label=AREA_LABEL,
                help_text=AREA_HINT,
                choices=[("", _("Not known")), *((area, area) for area in areas)],
                required=False,
                error_messages={"invalid_choice": _("Choose one of the areas the service covers, or “Not known”.")},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for prefix, _role in NAMED_ROLES:
            given = f"{prefix}_given_name"
            named = any(cleaned.get(f"{prefix}_{name}") for name in PERSON_FIELDS)
            if named and not cleaned.get(given):
                self.add_error(given, _("Enter their first name."))
        if not any(cleaned.get(f"{prefix}_given_name") for prefix, _role in NAMED_ROLES):
            self.add_error("harmed_given_name", _("Name the person harmed or the person responsible."))
        return cleaned

    def details(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith(("harmed_", "responsible_")) and value not in (None, "")
        }

    def people(self) -> list[NamedPerson]:
        named = []
        for prefix, role in NAMED_ROLES:
            values = {name: self.cleaned_data.get(f"{prefix}_{name}") for name in PERSON_FIELDS}
            if values["given_name"]:
                named.append(NamedPerson(role, {k: v for k, v in values.items() if v not in (None, "")}))
        return named


class TriageForm(forms.Form):
    ACCEPT, DECLINE, REDIRECT = "accept", "decline", "redirect"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(
            (ACCEPT, _("Accept: open a case")),
            (DECLINE, _("Decline")),
            (REDIRECT, _("Redirect to another service")),
        ),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 4}))
    flags = forms.MultipleChoiceField(
        label=_("Sensitive or complex (if accepting)"),
        choices=SensitivityFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    redirected_to = forms.CharField(
        label=_("Service it is redirected to (if redirecting)"), max_length=200, required=False
    )
    received_without_agreement = forms.CharField(
        label=_("Why it can be received without a sharing agreement (if accepting)"),
        help_text=_("For example: the person gave consent to the referral."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, asks_why_without_agreement: bool = False, **kwargs: Any) -> None:
        """`asks_why_without_agreement`: the referral came from a partner with no sharing agreement in force."""
        super().__init__(*args, **kwargs)
        if not asks_why_without_agreement:
            del self.fields["received_without_agreement"]


class VerificationForm(forms.Form):
    note = forms.CharField(
        label=_("How you checked it"),
        help_text=_("For example: called back on the number given; they confirmed it was them and that it is safe."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say how you checked it, for example who you called and what they confirmed.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
