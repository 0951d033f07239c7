"""Reads of meetings and venues with everything their pages and the API show, in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from amends.accounts.models import Service
from amends.cases.models import Case
from amends.meetings.models import Attendee, Meeting, Venue
from amends.people.models import Participant

ATTENDEES = Prefetch(
    "attendees", queryset=Attendee.objects.select_related("participant__person", "staff").order_by("arrives_at", "pk")
)


def meetings_of(case: Case) -> list[Meeting]:
    """The case's meetings, soonest first, with their venues and attendees."""
    meetings = list(
        Meeting.objects.filter(case=case)
        .select_related("venue", "booked_by", "recorded_by")
        .prefetch_related(ATTENDEES)
    )
    for meeting in meetings:
        meeting.case = case
    return meetings


def meeting_with_attendees(meeting: Meeting) -> Meeting:
    case = meeting.case
    meeting = (
        Meeting.objects.select_related("venue", "booked_by", "recorded_by")
        .prefetch_related(ATTENDEES)
        .get(pk=meeting.pk)
    )
    meeting.case = case
    return meeting


def venues_of(service: Service, *, in_use_only: bool = False) -> QuerySet[Venue]:
    venues = Venue.objects.filter(service=service).order_by("name", "pk")
    return venues.filter(in_use=True) if in_use_only else venues


def participants_who_take_part(case: Case) -> list[Participant]:
    return list(
        Participant.objects.filter(case=case, takes_part=True)
        .select_related("person", "supports__person")
        .order_by("pk")
    )
