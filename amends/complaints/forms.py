"""Forms of the complaints register. The rules live in amends.complaints.services."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.cases.forms import VersionedForm
from amends.complaints.models import AnswerBy, Channel, ComplaintKind, EscalatedTo, FromRole, Outcome
from amends.complaints.selectors import Show
from amends.core.widgets import DATE_HINT, DateField

SHOW_CHOICES = (
    (Show.ALL.value, _("Everything received")),
    (Show.OPEN.value, _("Complaints waiting for an answer")),
    (Show.ANSWERED.value, _("Complaints answered")),
)


class RegisterFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), choices=SHOW_CHOICES, required=False)

    def chosen(self) -> Show:
        if self.is_valid() and self.cleaned_data["show"]:
            return Show(self.cleaned_data["show"])
        return Show.ALL


def _person_choices(people: list[User]) -> list[tuple[str, str]]:
    return [(str(person.pk), person.full_name) for person in people]


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=ComplaintKind.choices, widget=forms.RadioSelect, initial=ComplaintKind.COMPLAINT
    )
    received_on = DateField(label=_("Date received"), help_text=DATE_HINT, initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("How did it come?"), choices=Channel.choices, widget=forms.RadioSelect)
    from_role = forms.ChoiceField(label=_("Who is it from?"), choices=FromRole.choices, widget=forms.RadioSelect)
    case_reference = forms.CharField(
        label=_("Case it is about"),
        required=False,
        max_length=32,
        help_text=_("The case reference, for example SV-2026-00042. Leave blank if it is not about one case."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    summary = forms.CharField(
        label=_("What did they say?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("In their words where you can."),
    )
    contact = forms.CharField(
        label=_("How to reach them"),
        required=False,
        max_length=200,
        help_text=_("A phone number, email address or postal address, if they gave one."),
    )
    answer_by = forms.ChoiceField(
        label=_("How do they want the answer?"),
        choices=AnswerBy.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    handler = forms.ChoiceField(
        label=_("Who will answer it?"),
        widget=forms.RadioSelect,
        required=False,
        help_text=format_lazy(
            "{} {}",
            _("Complaints only: they will have a task to answer it within 10 working days."),
            _("A compliment or other feedback has nobody to answer it."),
        ),
    )

    def __init__(self, *args: Any, handlers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._handlers = {str(person.pk): person for person in handlers}
        field = self.fields["handler"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [*_person_choices(handlers), ("", _("Nobody: it is a compliment or other feedback"))]

    def chosen_handler(self) -> User | None:
        return self._handlers.get(self.cleaned_data.get("handler") or "")


class HandlerForm(VersionedForm):
    handler = forms.ChoiceField(label=_("Who will answer the complaint?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, handlers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._handlers = {str(person.pk): person for person in handlers}
        field = self.fields["handler"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = _person_choices(handlers)

    def chosen_handler(self) -> User:
        return self._handlers[self.cleaned_data["handler"]]


class AcknowledgementForm(VersionedForm):
    acknowledged_on = DateField(
        label=_("Date acknowledged"),
        help_text=format_lazy("{} {}", _("The day you told them their complaint had arrived."), DATE_HINT),
        initial=timezone.localdate,
    )


class ResponseForm(VersionedForm):
    responded_on = DateField(label=_("Date answered"), help_text=DATE_HINT, initial=timezone.localdate)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    response = forms.CharField(
        label=_("What did the answer tell them?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was found, what the service will do, and where they can go if they are not satisfied."),
    )


class EscalationForm(VersionedForm):
    escalated_on = DateField(label=_("Date escalated"), help_text=DATE_HINT, initial=timezone.localdate)
    escalated_to = forms.ChoiceField(
        label=_("Where did the complaint go?"), choices=EscalatedTo.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("About the escalation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when it went somewhere else: say where."),
    )
