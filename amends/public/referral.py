"""Self-referral: anyone may ask a service for restorative justice, for themselves or for someone else, with no
crime reference and no account. The request lands in the service's triage queue through
amends.referrals.services.create_self_referral, marked as a self-referral.

Nothing the person typed goes into a URL, the session or the page after sending. A field people never see catches
programs that fill in every field, and a rate limit (settings.ACCOUNT_RATE_LIMITS["self_referral"]) stops floods.
"""

from typing import Any

from allauth.core import ratelimit
from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from amends.accounts.models import Service
from amends.core.errors import DomainError, add_to_form
from amends.people.models import AccessNeed, Language, ParticipantRole
from amends.public import selectors
from amends.public.context import public_page
from amends.public.forms import HONEYPOT, HoneypotField, TelInput
from amends.referrals import services
from amends.referrals.models import Initiator, JusticeStage, OffenceCategory

SUMMARY_MAX_LENGTH = 5000
RATE_LIMIT_ACTION = "self_referral"

ASKING_CHOICES = (
    (Initiator.PERSON_HARMED.value, gettext_lazy("I was harmed")),
    (Initiator.PERSON_RESPONSIBLE.value, gettext_lazy("I am responsible for the harm")),
    (Initiator.OTHER.value, gettext_lazy("I am asking for someone else")),
)
# The part in the case of someone who asks for themselves.
OWN_ROLE = {
    Initiator.PERSON_HARMED.value: ParticipantRole.PERSON_HARMED,
    Initiator.PERSON_RESPONSIBLE.value: ParticipantRole.PERSON_RESPONSIBLE,
}
THEIR_ROLE_CHOICES = (
    (ParticipantRole.PERSON_HARMED.value, gettext_lazy("They were harmed")),
    (ParticipantRole.PERSON_RESPONSIBLE.value, gettext_lazy("They are responsible for the harm")),
)
DO_NOT_KNOW = "do_not_know"
REPORTED_CHOICES = (
    (JusticeStage.NOT_REPORTED.value, gettext_lazy("No, it was not reported")),
    (JusticeStage.PRE_CHARGE.value, gettext_lazy("Yes, and nobody has been charged")),
    (
        JusticeStage.OUT_OF_COURT.value,
        gettext_lazy("Yes, and it was dealt with without going to court, for example by a caution"),
    ),
    (JusticeStage.PRE_SENTENCE.value, gettext_lazy("Yes, and it is going through the courts")),
    (
        JusticeStage.COMMUNITY_SENTENCE.value,
        gettext_lazy("Yes, and the person responsible was given a community sentence"),
    ),
    (JusticeStage.CUSTODY.value, gettext_lazy("Yes, and the person responsible is in prison or custody")),
    (JusticeStage.ON_LICENCE.value, gettext_lazy("Yes, and the person responsible is out of prison on licence")),
    (JusticeStage.REFERRAL_ORDER.value, gettext_lazy("Yes, and a young person was given a referral order")),
    (DO_NOT_KNOW, gettext_lazy("I do not know")),
)
# Until the service learns more, "I do not know" is taken as not reported: the one stage that starts nothing in the
# criminal justice system (no court order to wait for, no custody to plan around). The coordinator corrects it.
STAGE_WHEN_NOT_KNOWN = JusticeStage.NOT_REPORTED.value
# The questions for someone asking on another person's behalf.
ASKED_OF_SOMEONE_ELSE = ("their_role", "referrer_name", "referrer_contact")
LANGUAGE_CHOICES = tuple((value, label) for value, label in Language.choices if value)


class SelfReferralForm(forms.Form):
    """The public's request for RJ: who is asking, for whom, what happened, and how to reach them safely."""

    initiated_by = forms.ChoiceField(
        label=gettext_lazy("Who is asking?"),
        choices=ASKING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select who is asking")},
    )
    their_role = forms.ChoiceField(
        label=gettext_lazy("Were they harmed, or are they responsible for the harm?"),
        choices=THEIR_ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select whether they were harmed or are responsible for the harm")},
    )
    referrer_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": gettext_lazy("Enter your name")},
    )
    referrer_organisation = forms.CharField(
        label=gettext_lazy("How do you know them?"),
        help_text=gettext_lazy("For example, I am their parent, partner or support worker."),
        max_length=200,
        required=False,
    )
    referrer_contact = forms.CharField(
        label=gettext_lazy("Your phone number or email address"),
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Enter your phone number or email address")},
    )
    given_name = forms.CharField(
        label=gettext_lazy("First name"),
        max_length=100,
        error_messages={"required": gettext_lazy("Enter a first name")},
    )
    family_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100, required=False)
    offence_category = forms.ChoiceField(
        label=gettext_lazy("What kind of harm was it?"),
        help_text=gettext_lazy("Choose the one that fits best. You can tell us more below."),
        choices=OffenceCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select what kind of harm it was")},
    )
    justice_stage = forms.ChoiceField(
        label=gettext_lazy("Was it reported to the police?"),
        choices=REPORTED_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select whether it was reported to the police")},
    )
    crime_reference = forms.CharField(
        label=gettext_lazy("Crime reference number"),
        help_text=gettext_lazy("You do not need one. If you have one, it helps us find out what happened."),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    summary = forms.CharField(
        label=gettext_lazy("What happened?"),
        help_text=gettext_lazy(
            "Tell us as much or as little as you want. You can tell us more when we talk. "
            "You can write up to 5,000 characters."
        ),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone number"),
        max_length=40,
        required=False,
        widget=TelInput(attrs={"autocomplete": "tel", "class": "govuk-input--width-20"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": gettext_lazy("Enter an email address in the correct format, like name@example.com")},
    )
    address = forms.CharField(
        label=gettext_lazy("Postal address"),
        help_text=gettext_lazy("Include the postcode."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
    )
    safe_times = forms.CharField(
        label=gettext_lazy("When is it safe to contact you?"),
        help_text=gettext_lazy("For example, weekdays after 6pm."),
        max_length=200,
        required=False,
    )
    no_voicemail = forms.BooleanField(label=gettext_lazy("Do not leave voicemail"), required=False)
    no_letters = forms.BooleanField(label=gettext_lazy("Do not send letters"), required=False)
    safe_contact_notes = forms.CharField(
        label=gettext_lazy("Is there anything else we should know to contact you safely?"),
        help_text=gettext_lazy("For example, if someone else might read your messages or open your post."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    correspondence_language = forms.ChoiceField(
        label=gettext_lazy("Which language should we use when we write to you?"),
        help_text=gettext_lazy("For letters, emails and text messages."),
        choices=LANGUAGE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"required": gettext_lazy("Select the language we should use when we write to you")},
    )
    access_needs = forms.MultipleChoiceField(
        label=gettext_lazy("Do you need any support to take part?"),
        help_text=gettext_lazy("Select all that apply."),
        choices=AccessNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    access_needs_notes = forms.CharField(
        label=gettext_lazy("Tell us more about the support you need"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    interpreter_language = forms.CharField(
        label=gettext_lazy("Do you need an interpreter?"),
        help_text=gettext_lazy("If you do, tell us the language, for example Polish or British Sign Language."),
        max_length=100,
        required=False,
    )
    website = HoneypotField(
        label=gettext_lazy("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The Welsh Language Standards: everyone is asked which language the service should write in.
        self.fields["correspondence_language"].required = service.welsh_language_standards

    def is_honeypot_filled(self) -> bool:
        """Whether the field people never see was filled in, which only a program does."""
        return bool(self.is_bound and str(self.data.get(HONEYPOT, "")).strip())

    def full_clean(self) -> None:
        # The questions about someone asking for another are asked of them only (GOV.UK marks none "optional"), so
        # they are required while the answers are checked only when "I am asking for someone else" was chosen.
        asking_for_someone_else = self.data.get("initiated_by") == Initiator.OTHER
        for name in ASKED_OF_SOMEONE_ELSE:
            self.fields[name].required = asking_for_someone_else
        super().full_clean()
        for name in ASKED_OF_SOMEONE_ELSE:
            self.fields[name].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The service's rule, checked here too so that every mistake is shown at once.
        asking = cleaned.get("referrer_contact", "") if cleaned.get("initiated_by") == Initiator.OTHER else ""
        if not any(name in self.errors for name in ("phone", "email", "address", "referrer_contact")):
            try:
                services.check_self_referral_contact(cleaned, referrer_contact=asking.strip())
            except DomainError as error:
                add_to_form(self, error)
        return cleaned

    def details(self) -> dict[str, Any]:
        """The request, as amends.referrals.services.create_self_referral takes it."""
        data = self.cleaned_data
        stage = data["justice_stage"]
        details = {
            "initiated_by": data["initiated_by"],
            "offence_category": data["offence_category"],
            "justice_stage": STAGE_WHEN_NOT_KNOWN if stage == DO_NOT_KNOW else stage,
            "crime_reference": data["crime_reference"],
            "summary": data["summary"].strip(),
        }
        if data["initiated_by"] == Initiator.OTHER:
            details |= {name: data[name] for name in ("referrer_name", "referrer_organisation", "referrer_contact")}
        return details

    def people(self) -> list[services.NamedPerson]:
        """The one person the request is for: the person asking, or the one they ask for."""
        data = self.cleaned_data
        role = OWN_ROLE.get(data["initiated_by"]) or ParticipantRole(data["their_role"])
        return [services.NamedPerson(role, {name: data[name] for name in services.SELF_REFERRAL_PERSON_FIELDS})]


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def refer(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.public_service_or_404(code)
    form = SelfReferralForm(request.POST if request.method == "POST" else None, service=service)
    if form.is_honeypot_filled():
        # A program filled in the field people never see: it is told the request was sent, and nothing is kept.
        return redirect("public:refer_done", code=service.code.lower())
    if form.is_valid():
        # Only a request without mistakes counts towards the limit: someone who puts a mistake right is not
        # counted twice. A refused request is not recorded.
        if not ratelimit.consume(request, action=RATE_LIMIT_ACTION):
            return public_page(request, "public/refer_refused.html", {"service": service}, service=service, status=429)
        try:
            services.create_self_referral(service=service, details=form.details(), people=form.people())
        except DomainError as error:
            add_to_form(form, error)
        else:
            return redirect("public:refer_done", code=service.code.lower())
    return public_page(request, "public/refer.html", {"service": service, "form": form}, service=service)


@login_not_required
@require_safe
def refer_done(request: HttpRequest, code: str) -> HttpResponse:
    """What happens next. It repeats nothing the person typed: someone else may see this screen."""
    service = selectors.public_service_or_404(code)
    days = service.first_contact_working_days
    if days <= 1:
        when = _(
            "Someone from %(service)s will contact you by the end of the next working day, "
            "in the way you told us is safe."
        ) % {"service": service.name}
    else:
        when = _(
            "Someone from %(service)s will contact you within %(days)s working days, in the way you told us is safe."
        ) % {"service": service.name, "days": days}
    return public_page(request, "public/refer_done.html", {"service": service, "when": when}, service=service)
