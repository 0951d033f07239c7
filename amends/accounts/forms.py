"""Forms parse and check the shape of input; the rules themselves live in services."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django import forms
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import Day, OpeningHours, RJCLevel, Role, Service, Specialism, User, WelshSkill
from amends.accounts.services import SERVICE_DETAIL_FIELDS, DayHours
from amends.core.widgets import DateField


class ServiceForm(forms.ModelForm[Service]):
    # The follow-up clocks and the days prepared figures are kept may be left blank: the service keeps what it has.
    CLOCKS = ("first_follow_up_days", "second_follow_up_days", "export_keep_days")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.CLOCKS:
            self.fields[name].required = False
            self.fields[name].widget.attrs["class"] = "govuk-input--width-3"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.CLOCKS:
            if cleaned.get(name) is None:
                cleaned[name] = getattr(self.instance, name)
        return cleaned

    class Meta:
        model = Service
        fields = SERVICE_DETAIL_FIELDS
        widgets = {
            "areas_covered": forms.Textarea(attrs={"rows": 3}),
            "out_of_hours_message": forms.Textarea(attrs={"rows": 3}),
            "out_of_hours_message_cy": forms.Textarea(attrs={"rows": 3, "lang": "cy"}),
            "privacy_notice": forms.Textarea(attrs={"rows": 6}),
            "privacy_notice_cy": forms.Textarea(attrs={"rows": 6, "lang": "cy"}),
        }


class OpeningHoursForm(forms.Form):
    """Opening and closing times for each day of the week and for bank holidays."""

    def __init__(self, *args: Any, current: Mapping[Day, OpeningHours | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in Day:
            row = current.get(day)
            self.fields[f"day_{day}_closed"] = forms.BooleanField(
                label=_("Closed on %(day)s") % {"day": day.label},
                required=False,
                initial=row.closed if row else day in (Day.SATURDAY, Day.SUNDAY, Day.BANK_HOLIDAY),
            )
            self.fields[f"day_{day}_opens"] = forms.TimeField(
                label=_("%(day)s: opens") % {"day": day.label},
                required=False,
                initial=row.opens if row else None,
                widget=forms.TimeInput(attrs={"class": "govuk-input--width-5"}, format="%H:%M"),
                help_text=_("For example, 09:00"),
            )
            self.fields[f"day_{day}_closes"] = forms.TimeField(
                label=_("%(day)s: closes") % {"day": day.label},
                required=False,
                initial=row.closes if row else None,
                widget=forms.TimeInput(attrs={"class": "govuk-input--width-5"}, format="%H:%M"),
                help_text=_("For example, 17:00"),
            )

    def days(self) -> list[tuple[Day, list[forms.BoundField]]]:
        """The fields grouped by day, for the template."""
        return [(day, [self[f"day_{day}_closed"], self[f"day_{day}_opens"], self[f"day_{day}_closes"]]) for day in Day]

    def hours(self) -> dict[Day, DayHours]:
        return {
            day: DayHours(
                closed=self.cleaned_data[f"day_{day}_closed"],
                opens=self.cleaned_data[f"day_{day}_opens"],
                closes=self.cleaned_data[f"day_{day}_closes"],
            )
            for day in Day
        }


class InvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), help_text=_("The invitation link is sent here and works once."))
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)  # noqa: S101 - declared above
        role_field.choices = [(role.value, role.label) for role in roles]
        self.fields["email"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


class SupervisorForm(forms.Form):
    NONE = "none"

    supervisor = forms.ChoiceField(
        label=_("Who supervises them in this service?"),
        widget=forms.RadioSelect,
        help_text=_("Their supervisor reads the cases they lead or co-facilitate, but does not work on them."),
        error_messages={"required": _("Choose their supervisor, or no supervisor.")},
    )

    def __init__(self, *args: Any, supervisors: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(person.pk): person for person in supervisors}
        field = self.fields["supervisor"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [
            *((key, person.full_name) for key, person in self.people.items()),
            (self.NONE, _("No supervisor")),
        ]

    def chosen(self) -> User | None:
        return self.people.get(self.cleaned_data.get("supervisor") or "")


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Avoid common words and passwords you use elsewhere."),
    )
    password2 = forms.CharField(
        label=_("Type the password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The passwords do not match."))
        return cleaned


class FacilitatorRecordForm(forms.Form):
    rjc_level = forms.ChoiceField(label=_("RJC practitioner level"), choices=RJCLevel.choices, widget=forms.RadioSelect)
    registration_number = forms.CharField(label=_("RJC registration number"), max_length=32, required=False)
    registration_expires_on = DateField(
        label=_("Registration expires"), required=False, help_text=_("For example, 31/03/2027")
    )
    welsh_skill = forms.ChoiceField(
        label=_("Welsh language skill"), choices=WelshSkill.choices, widget=forms.RadioSelect
    )
    specialisms = forms.MultipleChoiceField(
        label=_("Specialisms for sensitive and complex cases"),
        choices=Specialism.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Course"), max_length=200)
    provider = forms.CharField(label=_("Trainer or provider"), max_length=200)
    completed_on = DateField(label=_("Date completed"), help_text=_("For example, 14/09/2026"))
    rjc_registered_trainer = forms.BooleanField(label=_("Delivered by an RJC-registered trainer"), required=False)
    level = forms.ChoiceField(
        label=_("Level it qualifies for"),
        choices=[("", _("None")), *RJCLevel.choices],
        required=False,
        widget=forms.RadioSelect,
    )


class CPDForm(forms.Form):
    activity = forms.CharField(label=_("Activity"), max_length=200)
    completed_on = DateField(label=_("Date"), help_text=_("For example, 14/09/2026"))
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("100"),
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "step": "0.5"}),
    )
    rjc_approved = forms.BooleanField(label=_("RJC-approved CPD"), required=False)


class SupervisionForm(forms.Form):
    held_on = DateField(label=_("Date of the session"), help_text=_("For example, 14/09/2026"))
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Cases discussed and decisions. Write case references, not people's names."),
    )


class ObservationForm(forms.Form):
    observed_on = DateField(label=_("Date observed"), help_text=_("For example, 14/09/2026"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class AddSecurityKeyForm(AddWebAuthnForm):  # type: ignore[misc]
    """allauth's form for adding a security key, with a label that can be translated."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of the key")
        self.fields["name"].help_text = _("For example, Office key. It helps you tell your keys apart.")


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, so you can tell it apart later.")
    )
    days = forms.IntegerField(
        label=_("Days it is valid for"),
        min_value=1,
        max_value=365,
        initial=90,
        help_text=_("Between 1 and 365 days."),
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
