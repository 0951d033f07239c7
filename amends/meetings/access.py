"""The way in to meetings and venues for views and the API: through the case or the service, so a record that does
not exist and one the user may not see both answer 404."""

from django.http import Http404

from amends.accounts import access as account_access
from amends.accounts.models import Service, User
from amends.audit.reads import Listed, record_list_view, record_view
from amends.cases import access as case_access
from amends.cases.models import Case
from amends.meetings import selectors
from amends.meetings.models import Attendee, Meeting, Venue
from amends.permissions import Capability, CaseAccess


def get_meetings_case_for_user(user: User, case_id: int, access: CaseAccess = CaseAccess.VIEW) -> Case:
    """The case whose meetings are asked for."""
    return case_access.get_case_for_user(user, case_id, access)


def get_meeting_for_user(user: User, case_id: int, meeting_id: int, access: CaseAccess = CaseAccess.VIEW) -> Meeting:
    case = case_access.get_case_for_user(user, case_id, access)
    meeting = Meeting.objects.select_related("venue").filter(pk=meeting_id, case=case).first()
    if meeting is None:
        raise Http404
    meeting.case = case
    return meeting


def get_attendee_for_user(
    user: User, case_id: int, meeting_id: int, attendee_id: int, access: CaseAccess = CaseAccess.WORK
) -> Attendee:
    meeting = get_meeting_for_user(user, case_id, meeting_id, access)
    attendee = (
        Attendee.objects.select_related("participant__person", "staff").filter(pk=attendee_id, meeting=meeting).first()
    )
    if attendee is None:
        raise Http404
    attendee.meeting = meeting
    return attendee


def get_service_venues_for_user(
    user: User, service_id: int, capability: Capability = Capability.VIEW_VENUES
) -> Service:
    """The service whose venue register is asked for."""
    return account_access.get_service_for_user(user, service_id, capability)


def get_venue_for_user(
    user: User, service_id: int, venue_id: int, capability: Capability = Capability.MANAGE_VENUES
) -> Venue:
    service = get_service_venues_for_user(user, service_id, capability)
    venue = Venue.objects.filter(pk=venue_id, service=service).first()
    if venue is None:
        raise Http404
    venue.service = service
    return venue


def meeting_list(user: User, case_id: int) -> tuple[Case, list[Meeting]]:
    """A case's meetings to show, soonest first, with who is coming: the view is recorded against the case with how
    many meetings."""
    case = get_meetings_case_for_user(user, case_id)
    meetings = list(selectors.meetings_of(case))
    record_list_view(actor=user, listed=Listed.MEETINGS, count=len(meetings), service=case.service, owner=case)
    return case, meetings


def view_meeting_for_user(user: User, case_id: int, meeting_id: int) -> Meeting:
    """A meeting to show, with its attendees: the view is recorded."""
    meeting = selectors.meeting_with_attendees(get_meeting_for_user(user, case_id, meeting_id))
    record_view(actor=user, target=meeting, service=meeting.case.service)
    return meeting


def view_attendee_for_user(user: User, case_id: int, meeting_id: int, attendee_id: int) -> Attendee:
    """An attendee whose calendar invitation is downloaded: the view is recorded."""
    attendee = get_attendee_for_user(user, case_id, meeting_id, attendee_id)
    record_view(actor=user, target=attendee, service=attendee.meeting.case.service)
    return attendee
