"""Forms for the panel member register, referral orders and court reports. The rules live in amends.youth.services."""

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from amends.cases.forms import YES_NO, VersionedForm
from amends.core.widgets import DATE_HINT, DateField
from amends.meetings.models import Meeting
from amends.youth.models import (
    DeclinedContribution,
    FinalOutcome,
    NotInvitedReason,
    PanelMember,
    PanelRole,
    ReferralOrder,
    VictimInvolvement,
)


class PanelMemberForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.ChoiceField(label=_("Role on the panel"), choices=PanelRole.choices, widget=forms.RadioSelect)
    trained_on = DateField(
        label=_("Date trained"),
        required=False,
        help_text=format_lazy(
            "{} {}", _("Leave blank until their training is done: only trained members sit on a panel."), DATE_HINT
        ),
    )
    in_use = forms.BooleanField(label=_("In use"), required=False, initial=True)

    @classmethod
    def initial_for(cls, member: PanelMember) -> dict[str, Any]:
        return {
            "name": member.name,
            "role": member.role,
            "trained_on": member.trained_on,
            "in_use": member.in_use,
            "version": member.version,
        }

    def details(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ReferralOrderForm(VersionedForm):
    made_on = DateField(label=_("Date the order was made"), help_text=DATE_HINT)
    length_months = forms.IntegerField(
        label=_("Length of the order in months"),
        help_text=_("Between 3 and 12 months."),
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    court = forms.CharField(label=_("Court"), max_length=200, help_text=_("For example, Gloucester Youth Court"))


class InvolvementForm(VersionedForm):
    """The part of the person harmed in the panel. The reason and the choice are asked beside it (so the page works
    without JavaScript); only the one that goes with the answer is kept."""

    involvement = forms.ChoiceField(
        label=_("Is the person harmed invited to the panel, and what did they say?"),
        choices=[choice for choice in VictimInvolvement.choices if choice[0]],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what happens about the person harmed.")},
    )
    not_invited_reason = forms.ChoiceField(
        label=_("If not invited: why not?"),
        choices=NotInvitedReason.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    declined_contribution = forms.ChoiceField(
        label=_("If they declined to attend: what do they want instead?"),
        choices=DeclinedContribution.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    details = forms.CharField(
        label=_("More about it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Needed when they are not invited, and when they want to take part another way (say how). For example, "
            "what the person harmed said they want, or why inviting them would not be safe."
        ),
    )

    @classmethod
    def initial_for(cls, order: ReferralOrder) -> dict[str, Any]:
        return {
            "involvement": order.victim_involvement,
            "not_invited_reason": order.not_invited_reason,
            "declined_contribution": order.declined_contribution,
            "details": order.invitation_reasons,
            "version": order.version,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        involvement = cleaned.get("involvement")
        if involvement != VictimInvolvement.NOT_INVITED:
            cleaned["not_invited_reason"] = ""
        if involvement != VictimInvolvement.DECLINED:
            cleaned["declined_contribution"] = ""
        return cleaned


def member_label(member: PanelMember) -> str:
    return f"{member.name} ({member.get_role_display()})"


class SeatForm(forms.Form):
    members = forms.MultipleChoiceField(
        label=_("Who sits on the panel?"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least two community panel members and one youth justice service officer."),
    )

    def __init__(self, *args: Any, members: list[PanelMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._members = {str(member.pk): member for member in members}
        self.fields["members"].choices = [  # type: ignore[attr-defined]
            (key, member_label(member)) for key, member in self._members.items()
        ]

    def chosen(self) -> list[PanelMember]:
        return [self._members[key] for key in self.cleaned_data["members"]]


class BreachForm(forms.Form):
    occurred_on = DateField(label=_("Date of the breach"), help_text=DATE_HINT)
    what_happened = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}))
    referred_to_court = forms.ChoiceField(
        label=_("Was the child referred back to court?"), choices=YES_NO, widget=forms.RadioSelect
    )

    def referred(self) -> bool:
        return bool(self.cleaned_data["referred_to_court"] == "yes")


class FinalMeetingForm(VersionedForm):
    meeting = forms.ChoiceField(label=_("Which meeting was the final meeting?"), widget=forms.RadioSelect)
    outcome = forms.ChoiceField(
        label=_("How did the order end?"), choices=FinalOutcome.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, meetings: list[Meeting], labels: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._meetings = {str(meeting.pk): meeting for meeting in meetings}
        self.fields["meeting"].choices = [  # type: ignore[attr-defined]
            (key, labels[meeting.pk]) for key, meeting in self._meetings.items()
        ]

    def chosen(self) -> Meeting:
        return self._meetings[self.cleaned_data["meeting"]]


class CourtReportForm(VersionedForm):
    sent_on = DateField(label=_("Date sent to the court"), help_text=DATE_HINT)
    summary = forms.CharField(
        label=_("Summary of the report"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the court was told: whether the process took place and what was agreed."),
    )
