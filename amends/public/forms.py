"""The public feedback and complaints form. The rules of the register live in amends.complaints.services."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.complaints.models import AnswerBy, ComplaintKind, FromRole

# A field people never see: only a program filling in every field gives it a value (see public/honeypot_field.html).
HONEYPOT = "website"
SUMMARY_MAX_LENGTH = 5000
_PHONE = re.compile(r"[0-9 +()\-]{7,32}")

KIND_CHOICES = (
    (ComplaintKind.COMPLAINT.value, _("Make a complaint")),
    (ComplaintKind.COMPLIMENT.value, _("Give a compliment")),
    (ComplaintKind.OTHER.value, _("Give other feedback")),
)
FROM_CHOICES = (
    (FromRole.PERSON_HARMED.value, _("The person harmed")),
    (FromRole.PERSON_RESPONSIBLE.value, _("The person responsible")),
    (FromRole.SUPPORTER.value, _("A supporter or family member")),
    (FromRole.REFERRER.value, _("Someone who refers people to us or works with us")),
    (FromRole.PUBLIC.value, _("A member of the public")),
    (FromRole.ANONYMOUS.value, _("I'd rather not say")),
)
ANSWER_CHOICES = (
    (AnswerBy.EMAIL.value, _("By email")),
    (AnswerBy.PHONE.value, _("By phone")),
    (AnswerBy.LETTER.value, _("By letter")),
    (AnswerBy.NONE.value, _("I do not need an answer")),
)


class TelInput(forms.TextInput):
    input_type = "tel"
    template_name = "django/forms/widgets/tel.html"


class HoneypotField(forms.CharField):
    """A text field people never see (rendered by public/honeypot_field.html): only a program fills it in."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.template_name = "public/honeypot_field.html"


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like to do?"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what you would like to do")},
    )
    from_role = forms.ChoiceField(
        label=_("Who are you?"),
        choices=FROM_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("This helps us understand your feedback."),
        error_messages={"required": _("Select who you are")},
    )
    summary = forms.CharField(
        label=_("What happened?"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tell us what went well or what went wrong. You can write up to 5,000 characters."),
        error_messages={
            "required": _("Enter what happened"),
            "max_length": _("What happened must be 5,000 characters or fewer"),
        },
    )
    answer_by = forms.ChoiceField(
        label=_("How would you like us to answer?"),
        choices=ANSWER_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("Then give the email address, phone number or postal address we should use."),
        error_messages={"required": _("Select how you would like us to answer")},
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=60,
        help_text=_("So that we know who to ask for or write to."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": _("Your name must be 60 characters or fewer")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=120,
        help_text=_("If you would like an answer by email."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Your email address must be 120 characters or fewer"),
        },
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=32,
        help_text=_("If you would like us to phone you."),
        widget=TelInput(attrs={"autocomplete": "tel", "class": "govuk-input--width-20"}),
        error_messages={"max_length": _("Enter a phone number, like 01632 960 001 or 07700 900 982")},
    )
    address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=130,
        help_text=_("If you would like an answer by letter. Include the postcode."),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
        error_messages={"max_length": _("Your address must be 130 characters or fewer")},
    )
    website = HoneypotField(
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_honeypot_filled(self) -> bool:
        """Whether the field people never see was filled in, which only a program does."""
        return bool(self.is_bound and str(self.data.get(HONEYPOT, "")).strip())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answer_by = cleaned.get("answer_by")
        if answer_by == AnswerBy.EMAIL and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter your email address, so that we can answer you"))
        if answer_by == AnswerBy.PHONE:
            phone = (cleaned.get("phone") or "").strip()
            if not phone:
                self.add_error("phone", _("Enter your phone number, so that we can answer you"))
            elif not _PHONE.fullmatch(phone):
                self.add_error("phone", _("Enter a phone number, like 01632 960 001 or 07700 900 982"))
        if answer_by == AnswerBy.LETTER and not (cleaned.get("address") or "").strip():
            self.add_error("address", _("Enter your postal address, so that we can answer you"))
        return cleaned

    def contact(self) -> str:
        """Their name, if they gave it, and only the one way of reaching them that they chose for the answer."""
        detail = {
            AnswerBy.EMAIL: self.cleaned_data["email"],
            AnswerBy.PHONE: self.cleaned_data["phone"],
            AnswerBy.LETTER: ", ".join(
                line.strip() for line in self.cleaned_data["address"].splitlines() if line.strip()
            ),
        }.get(self.cleaned_data["answer_by"], "")
        return ", ".join(part.strip() for part in (self.cleaned_data["name"], detail) if part.strip())
