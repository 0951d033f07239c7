"""Forms for venues and meetings. The rules live in amends.meetings.services."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.cases.forms import VersionedForm
from amends.core.widgets import DATE_HINT, DateField
from amends.meetings.models import Attendee, MeetingPurpose, MeetingStatus, Party, Platform, Venue
from amends.meetings.services import Window
from amends.people.models import Participant

TIME_HINT = _("For example, 14:30")


def _time_field(label: Any, *, required: bool = True, help_text: Any = TIME_HINT) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.TimeInput(attrs={"class": "govuk-input--width-5"}, format="%H:%M"),
    )


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


class VenueForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 4}))
    step_free = forms.BooleanField(label=_("Step-free access"), required=False)
    separate_waiting_rooms = forms.BooleanField(
        label=_("Separate waiting rooms"),
        required=False,
        help_text=_("Needed when both sides come to the same meeting."),
    )
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    is_prison = forms.BooleanField(
        label=_("Prison or secure setting"),
        required=False,
        help_text=_("Meetings here need a visit booking reference and security clearance for everyone attending."),
    )
    security_notes = forms.CharField(
        label=_("Security clearance and visit arrangements"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    notes = forms.CharField(label=_("Other notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    in_use = forms.BooleanField(label=_("In use"), required=False, initial=True)

    @classmethod
    def initial_for(cls, venue: Venue) -> dict[str, Any]:
        names = [name for name in cls.base_fields if name != "version"]
        return {**{name: getattr(venue, name) for name in names}, "version": venue.version}

    def details(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def _participant_label(participant: Participant) -> str:
    label = f"{participant.person.full_name} ({participant.get_role_display()})"
    if participant.supports_id and participant.supports is not None:
        label += " - " + str(_("supports %(name)s") % {"name": participant.supports.person.full_name})
    return label


class BookingForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("What is the meeting for?"), choices=MeetingPurpose.choices, widget=forms.RadioSelect
    )
    day = DateField(label=_("Date"), help_text=DATE_HINT)
    start = _time_field(_("Start time"))
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        min_value=1,
        initial=90,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    attendees = forms.MultipleChoiceField(
        label=_("Who comes"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only people who take part in the process (with consent and a risk assessment) can come."),
    )
    supporters_agreed = forms.BooleanField(
        label=_("I agree that each supporter chosen may come"),
        required=False,
        help_text=_(
            "A supporter comes only with the facilitator's agreement, their own consent and a risk assessment."
        ),
    )
    venue = forms.ChoiceField(label=_("Venue"), required=False)
    platform = forms.ChoiceField(
        label=_("Or, for a virtual meeting, the video platform"),
        choices=[("", _("Not a virtual meeting")), *Platform.choices],
        required=False,
    )
    pre_checks_on = DateField(
        label=_("Date the connection was tested with each attendee (virtual meetings)"),
        help_text=DATE_HINT,
        required=False,
    )
    visit_booking_reference = forms.CharField(label=_("Prison visit booking reference"), required=False, max_length=100)
    security_cleared = forms.BooleanField(
        label=_("Security clearance is confirmed for everyone attending (prison venues)"), required=False
    )
    harmed_arrives = _time_field(_("The person harmed's side arrives at"), required=False)
    harmed_leaves = _time_field(_("The person harmed's side leaves at"), required=False)
    responsible_arrives = _time_field(_("The person responsible's side arrives at"), required=False)
    responsible_leaves = _time_field(_("The person responsible's side leaves at"), required=False)

    def __init__(self, *args: Any, participants: list[Participant], venues: list[Venue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = {participant.pk: participant for participant in participants}
        self.venues = {venue.pk: venue for venue in venues}
        self.fields["attendees"].choices = [  # type: ignore[attr-defined]
            (str(participant.pk), _participant_label(participant)) for participant in participants
        ]
        self.fields["venue"].choices = [  # type: ignore[attr-defined]
            ("", _("No venue: a virtual meeting")),
            *((str(venue.pk), venue.name) for venue in venues),
        ]
        blank = _("Leave blank for the usual arrangement (the person responsible arrives first and leaves last).")
        for name in ("harmed_arrives", "responsible_arrives"):
            self.fields[name].help_text = blank

    def starts_at(self) -> datetime.datetime:
        return _at(self.cleaned_data["day"], self.cleaned_data["start"])

    def chosen(self) -> list[Participant]:
        return [self.participants[int(pk)] for pk in self.cleaned_data["attendees"]]

    def chosen_venue(self) -> Venue | None:
        value = self.cleaned_data.get("venue")
        return self.venues.get(int(value)) if value else None

    def windows(self) -> dict[Party, Window]:
        """The times given for each side; a side with either time blank keeps the usual arrangement."""
        day = self.cleaned_data["day"]
        given = {}
        for party, prefix in ((Party.HARMED, "harmed"), (Party.RESPONSIBLE, "responsible")):
            arrives, leaves = self.cleaned_data.get(f"{prefix}_arrives"), self.cleaned_data.get(f"{prefix}_leaves")
            if arrives and leaves:
                given[party] = Window(_at(day, arrives), _at(day, leaves))
        return given


class MoveForm(VersionedForm):
    day = DateField(label=_("New date"), help_text=DATE_HINT)
    start = _time_field(_("New start time"))
    reason = forms.CharField(label=_("Why is it moving?"), widget=forms.Textarea(attrs={"rows": 3}))

    def starts_at(self) -> datetime.datetime:
        return _at(self.cleaned_data["day"], self.cleaned_data["start"])


class PreChecksForm(VersionedForm):
    checked_on = DateField(
        label=_("Date the connection was tested with each attendee"),
        help_text=DATE_HINT,
    )


class CancelForm(VersionedForm):
    reason = forms.CharField(label=_("Why is it cancelled?"), widget=forms.Textarea(attrs={"rows": 3}))


RECORD_OUTCOMES = [
    (MeetingStatus.HELD.value, _("It was held")),
    (MeetingStatus.HALTED.value, _("It was halted for safety")),
    (MeetingStatus.NOT_HELD.value, _("It did not go ahead")),
]


class RecordForm(VersionedForm):
    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        choices=RECORD_OUTCOMES,
        widget=forms.RadioSelect,
        help_text=_("Halting for safety sends the case back to assessing at once."),
    )
    attended = forms.MultipleChoiceField(label=_("Who came"), widget=forms.CheckboxSelectMultiple, required=False)
    summary = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who said what matters less than what was agreed and how people left."),
    )

    def __init__(self, *args: Any, attendees: list[Attendee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [  # type: ignore[attr-defined]
            (str(attendee.pk), attendee_name(attendee)) for attendee in attendees
        ]

    def attended_ids(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["attended"]}


def attendee_name(attendee: Attendee) -> str:
    if attendee.participant is not None:
        return f"{attendee.participant.person.full_name} ({attendee.participant.get_role_display()})"
    if attendee.staff is not None:
        return f"{attendee.staff.get_full_name() or attendee.staff.email} ({_('facilitator')})"
    return ""
