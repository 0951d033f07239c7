"""Forms for follow-up: feedback surveys, reoffending checks and onward referrals. The rules live in
amends.followup.services; every survey answer may be left "not answered"."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.cases.forms import VersionedForm
from amends.core.widgets import DATE_HINT, DateField
from amends.followup.models import (
    ANSWER_FIELDS,
    STARTING_STATUSES,
    Answer,
    FeedbackSurvey,
    OnwardStatus,
    ReoffendingSource,
    Satisfaction,
    SupportKind,
    SurveyMethod,
)
from amends.followup.services import SurveyAnswers
from amends.people.models import Participant

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NOT_ANSWERED = ("", _("Not answered"))


def _choices(participants: list[Participant]) -> list[tuple[str, str]]:
    return [(str(p.pk), f"{p.person.full_name} ({p.get_role_display()})") for p in participants]


def _answer(label: "StrOrPromise") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[*Answer.choices, NOT_ANSWERED], required=False, widget=forms.RadioSelect
    )


def _fear(label: "StrOrPromise") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=_("From 0 (not at all afraid) to 10 (very afraid). Leave blank if they did not answer."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
    )


class SurveyForm(VersionedForm):
    taken_on = DateField(label=_("Date the survey was taken"), help_text=DATE_HINT, initial=timezone.localdate)
    method = forms.ChoiceField(
        label=_("How it was taken"),
        choices=[choice for choice in SurveyMethod.choices if choice[0] != SurveyMethod.ONLINE],
        widget=forms.RadioSelect,
    )
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied were they with the restorative process?"),
        choices=[*[(str(value), label) for value, label in Satisfaction.choices], NOT_ANSWERED],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    felt_safe = _answer(_("Did they feel safe?"))
    felt_heard = _answer(_("Did they feel heard?"))
    felt_better = _answer(_("Do they feel better for having taken part?"))
    fear_before = _fear(_("How afraid of the other person were they before the process?"))
    fear_after = _fear(_("How afraid of the other person are they now?"))
    better_able_to_cope = _answer(_("Are they better able to cope?"))
    better_able_to_recover = _answer(_("Are they better able to recover?"))
    would_recommend = _answer(_("Would they recommend it to someone in their position?"))
    comments = forms.CharField(
        label=_("Anything else they said"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In their own words."),
    )
    consent_to_quote = forms.BooleanField(label=_("They agree to their words being quoted anonymously"), required=False)

    def answers(self) -> SurveyAnswers:
        data = self.cleaned_data
        return SurveyAnswers(
            satisfaction=data["satisfaction"],
            felt_safe=data["felt_safe"],
            felt_heard=data["felt_heard"],
            felt_better=data["felt_better"],
            fear_before=data["fear_before"],
            fear_after=data["fear_after"],
            better_able_to_cope=data["better_able_to_cope"],
            better_able_to_recover=data["better_able_to_recover"],
            would_recommend=data["would_recommend"],
            comments=data["comments"],
            consent_to_quote=data["consent_to_quote"],
        )


def survey_initial(survey: FeedbackSurvey) -> dict[str, Any]:
    """What a survey holds, as the form's initial values for correcting it."""
    initial: dict[str, Any] = {
        "version": survey.version,
        "taken_on": survey.taken_on,
        "method": survey.method,
        "satisfaction": str(survey.satisfaction) if survey.satisfaction is not None else "",
        "fear_before": survey.fear_before,
        "fear_after": survey.fear_after,
        "comments": survey.comments,
        "consent_to_quote": survey.consent_to_quote,
    }
    initial.update({name: getattr(survey, name) for name in ANSWER_FIELDS})
    return initial


class ParticipantChoiceForm(forms.Form):
    """A form that names one of the case's participants."""

    def __init__(self, *args: Any, participants: list[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = {p.pk: p for p in participants}
        self.fields["participant_id"].choices = _choices(participants)  # type: ignore[attr-defined]
        if len(participants) == 1 and not self.is_bound:
            self.initial.setdefault("participant_id", str(participants[0].pk))

    def participant(self) -> Participant:
        return self.participants[int(self.cleaned_data["participant_id"])]


class ReoffendingForm(ParticipantChoiceForm):
    participant_id = forms.ChoiceField(label=_("Person responsible"), widget=forms.RadioSelect)
    process_on = DateField(
        label=_("Date of the process"),
        help_text=_("The 12 months before and after are counted from this date. For example, 27/03/2026"),
    )
    offences_before = forms.IntegerField(
        label=_("Proven offences in the 12 months before the process"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    offences_after = forms.IntegerField(
        label=_("Proven offences in the 12 months after the process"),
        required=False,
        help_text=_("Only once 12 months have passed since the process. Leave blank until then."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    source = forms.ChoiceField(
        label=_("Where you checked"), choices=ReoffendingSource.choices, widget=forms.RadioSelect
    )
    checked_on = DateField(label=_("Date checked"), help_text=DATE_HINT, initial=timezone.localdate)


class OnwardReferralForm(ParticipantChoiceForm):
    participant_id = forms.ChoiceField(label=_("Who is referred"), widget=forms.RadioSelect)
    support_kind = forms.ChoiceField(label=_("Kind of support"), choices=SupportKind.choices, widget=forms.RadioSelect)
    organisation = forms.CharField(label=_("Name of the organisation"), max_length=200)
    status = forms.ChoiceField(
        label=_("What was done"),
        choices=[(status.value, status.label) for status in OnwardStatus if status in STARTING_STATUSES],
        widget=forms.RadioSelect,
        help_text=_("Signposted: told them about the support. Referred: passed their details on, with their consent."),
    )
    status_on = DateField(label=_("Date"), help_text=DATE_HINT, initial=timezone.localdate)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class OnwardReferralUpdateForm(VersionedForm):
    status = forms.ChoiceField(label=_("What came of it"), choices=OnwardStatus.choices, widget=forms.RadioSelect)
    status_on = DateField(label=_("Date"), help_text=DATE_HINT, initial=timezone.localdate)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
