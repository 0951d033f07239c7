"""Forms for people in a case: their details, their part, equality monitoring and the contact log.

Forms check the shape of input only; the rules live in amends.people.services.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from amends.cases.forms import YES_NO
from amends.core.widgets import DateField, MomentForm
from amends.people.models import (
    EQUALITY_CHOICES,
    ROLES_SUPPORTING_SOMEONE,
    AccessNeed,
    ContactChannel,
    ContactOutcome,
    EqualityMonitoring,
    IdentifyingDetailKind,
    Language,
    Participant,
    ParticipantRole,
    Person,
)
from amends.people.services import PERSON_FIELDS

# The fields of PERSON_FIELDS this form asks for directly (the language question's date is set by the service).
PERSON_FORM_FIELDS = tuple(name for name in PERSON_FIELDS if name != "language_asked_on")


class PersonDetailsForm(forms.Form):
    """A person's details, safe contact arrangements, language and access needs."""

    given_name = forms.CharField(label=_("First name"), max_length=100)
    family_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    preferred_name = forms.CharField(
        label=_("Preferred name"), max_length=100, required=False, help_text=_("What they would like to be called.")
    )
    date_of_birth = DateField(label=_("Date of birth"), required=False, help_text=_("For example, 27/03/1985"))
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"})
    )
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    no_voicemail = forms.BooleanField(label=_("Do not leave voicemail"), required=False)
    no_letters = forms.BooleanField(label=_("Do not send letters"), required=False)
    safe_times = forms.CharField(
        label=_("Safe times to contact"),
        max_length=200,
        required=False,
        help_text=_("For example, weekdays after 6pm."),
    )
    safe_contact_notes = forms.CharField(
        label=_("Other safe contact arrangements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything we must do, or avoid, to reach them safely."),
    )
    correspondence_language = forms.ChoiceField(
        label=_("Language for letters and messages"),
        choices=Language.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    interpreter_language = forms.CharField(
        label=_("Interpreter needed for"),
        max_length=100,
        required=False,
        help_text=_("The language, or British Sign Language. Leave blank if no interpreter is needed."),
    )
    access_needs = forms.MultipleChoiceField(
        label=_("Accessibility needs"),
        choices=AccessNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access_needs_notes = forms.CharField(
        label=_("More about accessibility needs"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def details(self) -> dict[str, Any]:
        """The person's details, as the people services take them."""
        return {name: self.cleaned_data[name] for name in PERSON_FORM_FIELDS}


def person_initial(person: Person) -> dict[str, Any]:
    return {name: getattr(person, name) for name in PERSON_FORM_FIELDS}


class ParticipantAddForm(PersonDetailsForm):
    """A new person and their part in the case."""

    role = forms.ChoiceField(
        label=_("Their part in the case"), choices=ParticipantRole.choices, widget=forms.RadioSelect
    )
    supports = forms.TypedChoiceField(
        label=_("Whom they support"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Needed for a supporter and for a parent or guardian."),
    )
    takes_part = forms.BooleanField(
        label=_("They take part in the process"),
        required=False,
        initial=True,
        help_text=_("Untick for someone only kept informed, such as a professional."),
    )

    field_order = ("role", "supports", "takes_part")

    def __init__(self, *args: Any, participants: Iterable[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = {participant.pk: participant for participant in participants}
        supports = self.fields["supports"]
        assert isinstance(supports, forms.ChoiceField)  # noqa: S101 - declared above
        supports.choices = [("", _("Nobody")), *((pk, str(p)) for pk, p in self.participants.items())]

    def supported(self) -> Participant | None:
        chosen = self.cleaned_data.get("supports")
        return self.participants.get(chosen) if chosen is not None else None


class ParticipantPartForm(forms.Form):
    """Whether someone takes part and, for a supporter or a parent or guardian, whom they support."""

    takes_part = forms.ChoiceField(
        label=_("Do they take part in the process?"),
        choices=YES_NO,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        help_text=_(
            "Answer no for someone who is only kept informed, or for a supporter who will no longer come. Everyone "
            "who takes part needs consent and a risk assessment of their own."
        ),
        error_messages={"required": _("Select yes if they take part in the process.")},
    )
    # The version read, so that a later save by someone else is not overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, participant: Participant, others: Iterable[Participant], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "takes_part": "yes" if participant.takes_part else "no",
                "supports": participant.supports_id,
                "version": participant.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.others = {other.pk: other for other in others}
        if participant.role in ROLES_SUPPORTING_SOMEONE:
            choose = _("Choose whom they support.")
            self.fields["supports"] = forms.TypedChoiceField(
                label=_("Whom they support"),
                choices=[(pk, str(other)) for pk, other in self.others.items()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": choose, "invalid_choice": choose},
            )

    def taking_part(self) -> bool:
        return bool(self.cleaned_data["takes_part"] == "yes")

    def supported(self) -> Participant | None:
        chosen = self.cleaned_data.get("supports")
        return self.others.get(chosen) if chosen is not None else None


class PersonEditForm(PersonDetailsForm):
    """A person's details, with the version read so that a later save by someone else is not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput)


EQUALITY_INTRO = _(
    "Answering is optional: they can skip any question or choose “Prefer not to say”. The answers are kept apart "
    "from the case, are never shown on the case, and are used only in anonymous figures that show whether the "
    "service reaches and treats everyone fairly."
)


class EqualityForm(forms.Form):
    """One optional question for each equality monitoring answer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question, choices in EQUALITY_CHOICES.items():
            model_field = EqualityMonitoring._meta.get_field(question)
            assert isinstance(model_field, models.Field)  # noqa: S101 - every question is a column
            label = capfirst(model_field.verbose_name)
            self.fields[question] = forms.ChoiceField(
                label=label, choices=choices, required=False, widget=forms.RadioSelect
            )

    def answers(self) -> dict[str, str]:
        return {question: self.cleaned_data.get(question) or "" for question in EQUALITY_CHOICES}


def equality_initial(monitoring: EqualityMonitoring | None) -> dict[str, str]:
    if monitoring is None:
        return {}
    return {question: getattr(monitoring, question) for question in EQUALITY_CHOICES}


OUTGOING = "outgoing"
INCOMING = "incoming"


class ContactForm(MomentForm):
    """One call, visit, letter or message, or an attempt."""

    channel = forms.ChoiceField(label=_("How"), choices=ContactChannel.choices, widget=forms.RadioSelect)
    direction = forms.ChoiceField(
        label=_("Who made contact"),
        choices=((OUTGOING, _("We contacted them")), (INCOMING, _("They contacted us"))),
        widget=forms.RadioSelect,
        initial=OUTGOING,
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.choices, widget=forms.RadioSelect)
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        required=False,
        min_value=0,
        max_value=1440,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was said or agreed. Keep to what the case needs."),
    )
    language = forms.ChoiceField(
        label=_("Which language do they want us to use?"),
        choices=[
            (Language.ENGLISH, Language.ENGLISH.label),
            (Language.WELSH, Language.WELSH.label),
            (Language.BOTH, Language.BOTH.label),
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "This service is under the Welsh Language Standards: ask everyone the first time you speak to them. "
            "Letters, messages and invitations will be in the language they choose."
        ),
    )

    def __init__(self, *args: Any, ask_language: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not ask_language:
            del self.fields["language"]


class IdentifyingDetailForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of detail"), choices=IdentifyingDetailKind.choices, widget=forms.RadioSelect)
    value = forms.CharField(
        label=_("The detail"),
        max_length=200,
        help_text=_("As it might be written in a letter: for example, the school's name."),
    )
