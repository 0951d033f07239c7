"""Forms for the outcome agreement and its actions. The rules live in amends.outcomes.services."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.cases.forms import VersionedForm
from amends.core.widgets import DATE_HINT, DateField
from amends.outcomes.models import ActionKind, AgreementMethod, SupportKind
from amends.people.models import Participant, ParticipantRole


def _choices(participants: list[Participant]) -> list[tuple[str, str]]:
    return [(str(p.pk), f"{p.person.full_name} ({p.get_role_display()})") for p in participants]


class ParticipantChoiceForm(forms.Form):
    """A form that names one of the case's participants."""

    def __init__(self, *args: Any, participants: list[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = {p.pk: p for p in participants}

    def participant(self, name: str) -> Participant:
        return self.participants[int(self.cleaned_data[name])]


class AgreementForm(VersionedForm):
    made_on = DateField(label=_("Date the agreement was made"), help_text=DATE_HINT, initial=timezone.localdate)
    summary = forms.CharField(
        label=_("What was agreed"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("In the participants' own words, as they said it."),
    )


class ParticipantAgreementForm(ParticipantChoiceForm):
    participant_id = forms.ChoiceField(label=_("Who agreed"), widget=forms.RadioSelect)
    agreed_on = DateField(label=_("Date they agreed"), help_text=DATE_HINT, initial=timezone.localdate)
    method = forms.ChoiceField(label=_("How they agreed"), choices=AgreementMethod.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, participants: list[Participant], **kwargs: Any) -> None:
        super().__init__(*args, participants=[p for p in participants if p.takes_part], **kwargs)
        self.fields["participant_id"].choices = _choices(list(self.participants.values()))  # type: ignore[attr-defined]


class ActionForm(ParticipantChoiceForm):
    kind = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices, widget=forms.RadioSelect)
    support_kind = forms.ChoiceField(
        label=_("Kind of support"),
        choices=[("", _("Not support")), *SupportKind.choices],
        required=False,
        help_text=_("Needed when the action is attending support."),
    )
    description = forms.CharField(
        label=_("What was agreed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In the participants' words: what will be done, and for whom."),
    )
    owner_id = forms.ChoiceField(label=_("Whose action it is"), widget=forms.RadioSelect)
    due_on = DateField(label=_("Due"), help_text=DATE_HINT)
    amount = forms.DecimalField(
        label=_("Amount of compensation (£)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=_("Needed for compensation. For example, 120.00"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, participants: list[Participant], **kwargs: Any) -> None:
        super().__init__(*args, participants=participants, **kwargs)
        self.fields["owner_id"].choices = _choices(participants)  # type: ignore[attr-defined]
        # Most actions are the person responsible's.
        responsible = [p for p in participants if p.role == ParticipantRole.PERSON_RESPONSIBLE]
        if responsible and not self.is_bound:
            self.initial.setdefault("owner_id", str(responsible[0].pk))


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount paid (£)"),
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=_("For example, 40.00"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
    )
    paid_on = DateField(label=_("Date paid"), help_text=DATE_HINT, initial=timezone.localdate)


class VerifyForm(VersionedForm):
    outcome = forms.ChoiceField(
        label=_("Was the action completed?"),
        choices=[("completed", _("Yes, it was completed")), ("not_completed", _("No, it was not completed"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How you checked it. If it was not completed, say what happened."),
    )


class WithdrawActionForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why the action is withdrawn"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, the participants agreed to change the agreement."),
    )
