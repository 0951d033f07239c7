"""The meetings API: a case's meetings with their attendees, booking, moving, cancelling and recording them, a virtual
meeting's connection test, each attendee's calendar invitation, and a service's venue register."""

import datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from amends.accounts import access as account_access
from amends.cases import access as case_access
from amends.cases.api import READ_ERRORS, WRITE_ERRORS, path_id
from amends.core.api_types import (
    Day,
    Id,
    LongStatement,
    LongText,
    Moment,
    ShortStatement,
    ShortText,
    Version,
    WholeNumber,
    YesNo,
)
from amends.meetings import access, selectors, services, views
from amends.meetings.models import Meeting, MeetingPurpose, MeetingStatus, Party, Platform, Venue
from amends.meetings.services import Window
from amends.permissions import Capability, CaseAccess

router = Router(tags=["meetings"])


class AttendeeOut(Schema):
    id: int
    participant_id: int | None
    staff_id: int | None
    party: str
    arrives_at: datetime.datetime
    leaves_at: datetime.datetime
    attended: bool | None


class MeetingOut(Schema):
    id: int
    case_id: int
    purpose: str
    status: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    duration_minutes: int
    venue_id: int | None
    platform: str
    pre_checks_on: datetime.date | None
    times_moved: int
    summary: str
    version: int
    attendees: list[AttendeeOut]


def meeting_out(meeting: Meeting) -> MeetingOut:
    return MeetingOut(
        id=meeting.pk,
        case_id=meeting.case_id,
        purpose=meeting.purpose,
        status=meeting.status,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        duration_minutes=meeting.duration_minutes,
        venue_id=meeting.venue_id,
        platform=meeting.platform,
        pre_checks_on=meeting.pre_checks_on,
        times_moved=meeting.times_moved,
        summary=meeting.summary,
        version=meeting.version,
        attendees=[
            AttendeeOut(
                id=a.pk,
                participant_id=a.participant_id,
                staff_id=a.staff_id,
                party=a.party,
                arrives_at=a.arrives_at,
                leaves_at=a.leaves_at,
                attended=a.attended,
            )
            for a in meeting.attendees.all()
        ],
    )


@router.get(
    "/cases/{case_id}/meetings",
    response={200: list[MeetingOut], **READ_ERRORS},
    summary="A case's meetings, soonest first, with who is coming and when each arrives and leaves",
)
def list_meetings(request: HttpRequest, case_id: int = path_id()) -> list[MeetingOut]:
    user = account_access.signed_in_user(request)
    _case, meetings = access.meeting_list(user, case_id)
    return [meeting_out(meeting) for meeting in meetings]


@router.get(
    "/cases/{case_id}/meetings/{meeting_id}",
    response={200: MeetingOut, **READ_ERRORS},
    summary="One meeting",
)
def get_meeting(request: HttpRequest, case_id: int = path_id(), meeting_id: int = path_id()) -> MeetingOut:
    user = account_access.signed_in_user(request)
    return meeting_out(access.view_meeting_for_user(user, case_id, meeting_id))


@router.get(
    "/cases/{case_id}/meetings/{meeting_id}/attendees/{attendee_id}/invitation",
    response={200: None, **READ_ERRORS},
    summary="One attendee's calendar invitation (text/calendar, an attachment): their own times and the place",
    description="Nothing about anyone else: not the other attendees, nor the other side's times. Written in the "
    "attendee's language; the file name names the meeting, never the person.",
)
def attendee_invitation(
    request: HttpRequest, case_id: int = path_id(), meeting_id: int = path_id(), attendee_id: int = path_id()
) -> HttpResponse:
    return views.invitation_file(account_access.signed_in_user(request), case_id, meeting_id, attendee_id)


class WindowIn(Schema):
    arrives_at: Moment
    leaves_at: Moment


class BookingIn(Schema):
    purpose: MeetingPurpose
    starts_at: Moment
    duration_minutes: Annotated[int, Field(ge=services.SHORTEST_MEETING, le=services.LONGEST_MEETING), WholeNumber]
    attendee_ids: list[Id] = Field(..., min_length=1, max_length=50, description="Participants of the case.")
    venue_id: Id | None = None
    platform: Platform | None = None
    pre_checks_on: Day | None = None
    visit_booking_reference: ShortText = ""
    security_cleared: YesNo = False
    supporters_agreed: YesNo = Field(False, description="The facilitator agrees that each supporter chosen may come.")
    harmed_side: WindowIn | None = Field(None, description="When the person harmed's side arrives and leaves.")
    responsible_side: WindowIn | None = Field(
        None, description="When the person responsible's side arrives and leaves."
    )


def _windows(payload: BookingIn) -> dict[Party, Window]:
    given = {}
    for party, window in ((Party.HARMED, payload.harmed_side), (Party.RESPONSIBLE, payload.responsible_side)):
        if window is not None:
            given[party] = Window(window.arrives_at, window.leaves_at)
    return given


@router.post(
    "/cases/{case_id}/meetings",
    response={201: MeetingOut, **WRITE_ERRORS},
    summary="Book a meeting (the four gates are checked again; clashes and unsuitable venues are refused)",
)
def book_meeting(request: HttpRequest, payload: BookingIn, case_id: int = path_id()) -> Status[MeetingOut]:
    user = account_access.signed_in_user(request)
    case = access.get_meetings_case_for_user(user, case_id, CaseAccess.WORK)
    attendees = [
        case_access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
        for participant_id in dict.fromkeys(payload.attendee_ids)
    ]
    venue = (
        access.get_venue_for_user(user, case.service_id, payload.venue_id, Capability.VIEW_VENUES)
        if payload.venue_id
        else None
    )
    meeting = services.book_meeting(
        case=case,
        actor=user,
        purpose=payload.purpose,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        attendees=attendees,
        venue=venue,
        platform=payload.platform or "",
        pre_checks_on=payload.pre_checks_on,
        visit_booking_reference=payload.visit_booking_reference,
        security_cleared=payload.security_cleared,
        supporters_agreed=payload.supporters_agreed,
        windows=_windows(payload),
    )
    return Status(201, meeting_out(selectors.meeting_with_attendees(meeting)))


class MoveIn(Schema):
    starts_at: Moment
    reason: LongStatement
    version: Version


@router.post(
    "/cases/{case_id}/meetings/{meeting_id}/move",
    response={200: MeetingOut, **WRITE_ERRORS},
    summary="Move a booked meeting to a new time; everyone's arrival and departure move with it",
)
def move_meeting(
    request: HttpRequest, payload: MoveIn, case_id: int = path_id(), meeting_id: int = path_id()
) -> MeetingOut:
    user = account_access.signed_in_user(request)
    meeting = access.get_meeting_for_user(user, case_id, meeting_id, CaseAccess.WORK)
    services.move_meeting(
        meeting=meeting,
        actor=user,
        starts_at=payload.starts_at,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return meeting_out(selectors.meeting_with_attendees(meeting))


class CancelIn(Schema):
    reason: LongStatement
    version: Version


@router.post(
    "/cases/{case_id}/meetings/{meeting_id}/cancel",
    response={200: MeetingOut, **WRITE_ERRORS},
    summary="Cancel a booked meeting (a scheduled case with nothing else booked goes back to preparing)",
)
def cancel_meeting(
    request: HttpRequest, payload: CancelIn, case_id: int = path_id(), meeting_id: int = path_id()
) -> MeetingOut:
    user = account_access.signed_in_user(request)
    meeting = access.get_meeting_for_user(user, case_id, meeting_id, CaseAccess.WORK)
    services.cancel_meeting(meeting=meeting, actor=user, reason=payload.reason, expected_version=payload.version)
    return meeting_out(selectors.meeting_with_attendees(meeting))


class ConnectionTestIn(Schema):
    checked_on: Day = Field(..., description="When the connection was tested with each attendee.")
    version: Version


@router.post(
    "/cases/{case_id}/meetings/{meeting_id}/connection-test",
    response={200: MeetingOut, **WRITE_ERRORS},
    summary="Record the day a virtual meeting's connection was tested with each attendee",
)
def record_connection_test(
    request: HttpRequest, payload: ConnectionTestIn, case_id: int = path_id(), meeting_id: int = path_id()
) -> MeetingOut:
    user = account_access.signed_in_user(request)
    meeting = access.get_meeting_for_user(user, case_id, meeting_id, CaseAccess.WORK)
    services.record_pre_checks(
        meeting=meeting, actor=user, checked_on=payload.checked_on, expected_version=payload.version
    )
    return meeting_out(selectors.meeting_with_attendees(meeting))


class RecordIn(Schema):
    outcome: MeetingStatus = Field(..., description="held, halted (for safety) or not_held.")
    attended_ids: list[Id] = Field(default_factory=list, max_length=100, description="Attendee ids of those who came.")
    summary: LongStatement
    version: Version


@router.post(
    "/cases/{case_id}/meetings/{meeting_id}/record",
    response={200: MeetingOut, **WRITE_ERRORS},
    summary="Record how a meeting went (halted for safety sends the case back to assessing)",
)
def record_meeting(
    request: HttpRequest, payload: RecordIn, case_id: int = path_id(), meeting_id: int = path_id()
) -> MeetingOut:
    user = account_access.signed_in_user(request)
    meeting = access.get_meeting_for_user(user, case_id, meeting_id, CaseAccess.WORK)
    services.record_meeting(
        meeting=meeting,
        actor=user,
        outcome=payload.outcome,
        attended=set(payload.attended_ids),
        summary=payload.summary,
        expected_version=payload.version,
    )
    return meeting_out(selectors.meeting_with_attendees(meeting))


# The venue register.


class VenueOut(Schema):
    id: int
    name: str
    address: str
    step_free: bool
    separate_waiting_rooms: bool
    hearing_loop: bool
    is_prison: bool
    security_notes: str
    notes: str
    in_use: bool
    version: int


def venue_out(venue: Venue) -> VenueOut:
    return VenueOut(
        id=venue.pk,
        version=venue.version,
        **{name: getattr(venue, name) for name in services.VENUE_FIELDS},
    )


@router.get(
    "/services/{service_id}/venues",
    response={200: list[VenueOut], **READ_ERRORS},
    summary="The service's venue register",
)
def list_venues(request: HttpRequest, service_id: int = path_id()) -> list[VenueOut]:
    user = account_access.signed_in_user(request)
    service = access.get_service_venues_for_user(user, service_id)
    return [venue_out(venue) for venue in selectors.venues_of(service)]


class VenueIn(Schema):
    name: ShortStatement
    address: LongStatement
    step_free: YesNo = False
    separate_waiting_rooms: YesNo = False
    hearing_loop: YesNo = False
    is_prison: YesNo = False
    security_notes: LongText = ""
    notes: LongText = ""
    in_use: YesNo = True


@router.post(
    "/services/{service_id}/venues",
    response={201: VenueOut, **WRITE_ERRORS},
    summary="Add a venue to the service's register (coordinators and administrators)",
)
def add_venue(request: HttpRequest, payload: VenueIn, service_id: int = path_id()) -> Status[VenueOut]:
    user = account_access.signed_in_user(request)
    service = access.get_service_venues_for_user(user, service_id, Capability.MANAGE_VENUES)
    venue = services.save_venue(service=service, actor=user, details=payload.dict())
    return Status(201, venue_out(venue))


class VenueChangeIn(Schema):
    name: ShortStatement | None = None
    address: LongStatement | None = None
    step_free: YesNo | None = None
    separate_waiting_rooms: YesNo | None = None
    hearing_loop: YesNo | None = None
    is_prison: YesNo | None = None
    security_notes: LongText | None = None
    notes: LongText | None = None
    in_use: YesNo | None = None
    version: Version


@router.patch(
    "/services/{service_id}/venues/{venue_id}",
    response={200: VenueOut, **WRITE_ERRORS},
    summary="Change a venue (only the fields sent)",
)
def change_venue(
    request: HttpRequest, payload: VenueChangeIn, service_id: int = path_id(), venue_id: int = path_id()
) -> VenueOut:
    user = account_access.signed_in_user(request)
    venue = access.get_venue_for_user(user, service_id, venue_id)
    details = {name: value for name, value in payload.dict(exclude={"version"}).items() if value is not None}
    venue = services.save_venue(
        service=venue.service, actor=user, venue=venue, details=details, expected_version=payload.version
    )
    return venue_out(venue)
