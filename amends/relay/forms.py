"""Forms for relay messages, their files, flags and steps. The rules live in amends.relay.services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.cases.forms import VersionedForm
from amends.people.models import Participant
from amends.relay.models import DeliveryMethod, FlagPlace, FlagResolution, IdentifyingFlag, MessageKind


def party_label(participant: Participant) -> str:
    """A participant as the relay names them: first name and part in the case."""
    return f"{participant.person.given_name} ({participant.get_role_display()})"


class MessageForm(forms.Form):
    sender_id = forms.ChoiceField(label=_("Who the message is from"), widget=forms.RadioSelect)
    recipient_id = forms.ChoiceField(label=_("Who the message is for"), widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("Kind of message"), choices=MessageKind.choices, widget=forms.RadioSelect)
    body = forms.CharField(
        label=_("The message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Write out the letter, or what you were asked to pass on, in their words. Leave it empty when a scan or "
            "recording carries the message: add the file next."
        ),
    )

    def __init__(self, *args: Any, participants: list[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = {p.pk: p for p in participants if p.takes_part}
        choices = [(str(p.pk), party_label(p)) for p in self.participants.values()]
        self.fields["sender_id"].choices = choices  # type: ignore[attr-defined]
        self.fields["recipient_id"].choices = choices  # type: ignore[attr-defined]

    def participant(self, name: str) -> Participant:
        return self.participants[int(self.cleaned_data[name])]


class MessageEditForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Kind of message"), choices=MessageKind.choices, widget=forms.RadioSelect)
    body = MessageForm.base_fields["body"]


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_("A PDF, JPEG or PNG scan, an MP3, M4A or WAV recording, or an MP4 or WebM video."),
    )


RESOLUTIONS = [choice for choice in FlagResolution.choices if choice[0]]


class FlagForm(forms.Form):
    resolution = forms.ChoiceField(label=_("What to do about it"), choices=RESOLUTIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the detail is kept. For a file, say what you checked and what you redacted."),
    )

    def __init__(self, *args: Any, flag: IdentifyingFlag, **kwargs: Any) -> None:
        kwargs["prefix"] = f"flag{flag.pk}"
        super().__init__(*args, **kwargs)
        if flag.place == FlagPlace.FILE:
            self.fields["resolution"].choices = [  # type: ignore[attr-defined]
                (FlagResolution.REDACTED.value, _("Checked: I redacted what identifies them")),
                (FlagResolution.KEPT_NOT_IDENTIFYING.value, _("Checked: nothing in it identifies them")),
                (FlagResolution.KEPT_SENDER_AGREED.value, FlagResolution.KEPT_SENDER_AGREED.label),
            ]


class StepForm(VersionedForm):
    """The fields a step asks for: a reason to return or decline, how it was delivered, a note of redactions."""

    def __init__(self, *args: Any, step: str, **kwargs: Any) -> None:
        kwargs["prefix"] = step
        super().__init__(*args, **kwargs)
        if step == "return":
            self.fields["reason"] = forms.CharField(
                label=_("What should change"), widget=forms.Textarea(attrs={"rows": 3})
            )
        elif step == "decline":
            self.fields["reason"] = forms.CharField(
                label=_("Why they declined it"),
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("In their words, if they gave any."),
            )
        elif step == "deliver":
            self.fields["delivery_method"] = forms.ChoiceField(
                label=_("How it was delivered"),
                choices=[choice for choice in DeliveryMethod.choices if choice[0] != DeliveryMethod.SECURE_LINK],
                widget=forms.RadioSelect,
            )
        elif step == "approve":
            self.fields["redactions"] = forms.CharField(
                label=_("Note about redactions"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Each redacted detail is recorded for you. Add anything else you took out, and why."),
            )

    def step_fields(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name] for name in ("reason", "delivery_method", "redactions") if name in self.fields
        }
