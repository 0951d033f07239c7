"""Forms for the participant's own pages, worded for them. The rules live in the services that amends.participation.
actions calls."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.cases.models import ProcessKind
from amends.consent.models import ConsentScope
from amends.followup.forms import SurveyForm as StaffSurveyForm
from amends.followup.models import ANSWER_FIELDS


class ConsentForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("What do you agree to?"),
        choices=ConsentScope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick all that you agree to."),
        error_messages={"required": _("Choose what you agree to.")},
    )
    process_kinds = forms.MultipleChoiceField(
        label=_("Which ways of taking part do you agree to?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Needed if you agree to take part."),
    )
    share_with = forms.CharField(
        label=_("Who may we share information with?"),
        max_length=300,
        required=False,
        help_text=_("Only if you agree to sharing information. For example, your support worker."),
    )

    def __init__(self, *args: Any, processes: list[ProcessKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process_kinds"].choices = [(kind.value, kind.label) for kind in processes]  # type: ignore[attr-defined]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("You do not have to give a reason."),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Do not include your address, phone number or anything else that could show where you live."),
        error_messages={"required": _("Write your message.")},
    )


class LetterForm(MessageForm):
    recipient = forms.ChoiceField(
        label=_("Who is the letter for?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the letter is for.")},
    )
    field_order = ("recipient", "body")

    def __init__(self, *args: Any, recipients: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = recipients  # type: ignore[attr-defined]
        if len(recipients) == 1:
            # Nothing to choose: the letter goes to the one person they have written with.
            self.fields["recipient"].widget = forms.HiddenInput()
            self.initial.setdefault("recipient", recipients[0][0])


# The survey's questions, asked of the participant themselves. Its answers and their checks are the staff form's.
SURVEY_QUESTIONS = {
    "satisfaction": _("How satisfied are you with the restorative justice process?"),
    "felt_safe": _("Did you feel safe?"),
    "felt_heard": _("Did you feel heard?"),
    "felt_better": _("Do you feel better for having taken part?"),
    "fear_before": _("Before the process, how afraid of the other person were you?"),
    "fear_after": _("How afraid of the other person are you now?"),
    "better_able_to_cope": _("Do you feel better able to cope?"),
    "better_able_to_recover": _("Do you feel better able to recover?"),
    "would_recommend": _("Would you recommend it to someone in your position?"),
    "comments": _("Is there anything else you would like to tell us?"),
    "consent_to_quote": _("You may quote what I have written, without my name"),
}
FEAR_HINT = _("From 0 (not at all afraid) to 10 (very afraid). You can leave this blank.")
PREFER_NOT_TO_SAY = ("", _("Prefer not to say"))


class SurveyForm(StaffSurveyForm):
    """The feedback survey as the participant answers it: the same questions and answers, in the second person, with
    no date, method or version to give (it is taken online, today, once)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("version", "taken_on", "method"):
            del self.fields[name]
        for name, question in SURVEY_QUESTIONS.items():
            self.fields[name].label = question
        for name in ("satisfaction", *ANSWER_FIELDS):
            field = self.fields[name]
            field.choices = [(value, label) for value, label in field.choices if value != ""] + [PREFER_NOT_TO_SAY]  # type: ignore[attr-defined]
        for name in ("fear_before", "fear_after"):
            self.fields[name].help_text = FEAR_HINT
        self.fields["comments"].help_text = _("In your own words. You can leave this blank.")
