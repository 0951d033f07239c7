"""Permission-matrix rows for meetings (their pages, calendar invitations and API) and the venue register.

Each meeting path first takes the target's case (in assessing) on to preparing through the services, and, where the
row needs one, books a conference at a venue of the service. Supervised rows make the service's supervisor the
case's supervisor: they may read meetings, and nothing more.
"""

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from amends.cases import services as case_services
from amends.cases.models import Case, State
from amends.meetings.models import Meeting, Platform, Venue
from amends.people.models import ParticipantRole
from tests.case_builders import BuiltCase, book_conference, day_at, make_venue, meet_gates
from tests.matrix.base import Endpoint, Target
from tests.matrix.case_api import API, _supervised

CASE_TEAM = frozenset({"coordinator", "facilitator"})
READERS = CASE_TEAM | {"supervisor"}
VENUE_READERS = frozenset({"coordinator", "facilitator", "supervisor", "administrator"})
VENUE_KEEPERS = frozenset({"coordinator", "administrator"})


def _built(t: Target) -> BuiltCase:
    case = Case.objects.select_related("service").get(pk=t.case.pk)
    return BuiltCase(
        case=case,
        harmed=case.participants.get(role=ParticipantRole.PERSON_HARMED),
        responsible=case.participants.get(role=ParticipantRole.PERSON_RESPONSIBLE),
    )


def _preparing(t: Target) -> Case:
    """The target's case, its gates met and being prepared (once)."""
    case = Case.objects.get(pk=t.case.pk)
    if case.state == State.ASSESSING:
        meet_gates(case, t.member)
        case_services.transition_case(case=Case.objects.get(pk=case.pk), actor=t.member, name="start_preparing")
    return Case.objects.get(pk=t.case.pk)


def _venue(t: Target) -> Venue:
    return make_venue(t.service, t.coordinator)


def _booked(t: Target) -> Meeting:
    _preparing(t)
    meeting = Meeting.objects.filter(case_id=t.case.pk).first()
    return meeting or book_conference(t.case, t.member, venue=_venue(t))


def _virtual(t: Target) -> Meeting:
    """A preparation meeting by video with the person harmed (a connection test is for virtual meetings only)."""
    _preparing(t)
    meeting = Meeting.objects.filter(case_id=t.case.pk).first()
    return meeting or book_conference(
        t.case, t.member, purpose="preparation", platform=Platform.TEAMS, attendees=[_built(t).harmed]
    )


def _connection_test(api: bool) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        return f"{API if api else ''}/cases/{t.case.pk}/meetings/{_virtual(t).pk}/connection-test{'' if api else '/'}"

    return path


def _page(rest: str, make: Callable[[Target], Any] = _preparing) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        make(t)
        return f"/cases/{t.case.pk}/meetings/{rest}"

    return path


def _meeting_page(rest: str) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        return f"/cases/{t.case.pk}/meetings/{_booked(t).pk}/{rest}"

    return path


def _invitation(t: Target) -> str:
    meeting = _booked(t)
    attendee = meeting.attendees.filter(participant__isnull=False).first()
    assert attendee is not None
    return f"/cases/{t.case.pk}/meetings/{meeting.pk}/attendees/{attendee.pk}/invitation.ics"


def _api_invitation(t: Target) -> str:
    return API + _invitation(t).removesuffix(".ics")


def _api(rest: str = "", make: Callable[[Target], Any] = _preparing) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        make(t)
        return f"{API}/cases/{t.case.pk}/meetings{rest}"

    return path


def _api_meeting(rest: str = "") -> Callable[[Target], str]:
    def path(t: Target) -> str:
        return f"{API}/cases/{t.case.pk}/meetings/{_booked(t).pk}{rest}"

    return path


def _venues(rest: str = "") -> Callable[[Target], str]:
    return lambda t: f"/services/{t.service.pk}/venues/{rest}"


def _venue_page(t: Target) -> str:
    return f"/services/{t.service.pk}/venues/{_venue(t).pk}/"


def _booking_body(t: Target) -> dict[str, Any]:
    built = _built(t)
    return {
        "purpose": "restorative",
        "starts_at": day_at(10).isoformat(),
        "duration_minutes": 90,
        "attendee_ids": [built.harmed.pk, built.responsible.pk],
        "venue_id": _venue(t).pk,
    }


def _version(t: Target) -> int:
    return Meeting.objects.get(case_id=t.case.pk).version


ENDPOINTS = (
    Endpoint("meetings", "GET", _page(""), CASE_TEAM),
    Endpoint("meetings, supervised", "GET", _supervised(_page("")), READERS),
    Endpoint("meeting book", "GET", _page("book/"), CASE_TEAM),
    Endpoint("meeting book", "POST", _page("book/"), CASE_TEAM),
    Endpoint("meeting book, supervised", "POST", _supervised(_page("book/")), CASE_TEAM),
    Endpoint("meeting", "GET", _meeting_page(""), CASE_TEAM),
    Endpoint("meeting, supervised", "GET", _supervised(_meeting_page("")), READERS),
    Endpoint("meeting move", "GET", _meeting_page("move/"), CASE_TEAM),
    Endpoint("meeting move", "POST", _supervised(_meeting_page("move/")), CASE_TEAM),
    Endpoint("meeting connection test", "GET", _connection_test(api=False), CASE_TEAM),
    Endpoint("meeting connection test", "POST", _supervised(_connection_test(api=False)), CASE_TEAM),
    Endpoint("meeting cancel", "GET", _meeting_page("cancel/"), CASE_TEAM),
    Endpoint("meeting cancel", "POST", _supervised(_meeting_page("cancel/")), CASE_TEAM),
    Endpoint("meeting record", "GET", _meeting_page("record/"), CASE_TEAM),
    Endpoint("meeting record", "POST", _supervised(_meeting_page("record/")), CASE_TEAM),
    Endpoint("calendar invitation", "GET", _supervised(_invitation), CASE_TEAM),
    Endpoint("venues", "GET", _venues(), VENUE_READERS),
    Endpoint("venue add", "GET", _venues("add/"), VENUE_KEEPERS),
    Endpoint("venue add", "POST", _venues("add/"), VENUE_KEEPERS),
    Endpoint("venue edit", "GET", _venue_page, VENUE_KEEPERS),
    Endpoint("venue edit", "POST", _venue_page, VENUE_KEEPERS),
    Endpoint("API: meetings", "GET", _supervised(_api()), READERS),
    Endpoint("API: meeting", "GET", _supervised(_api_meeting()), READERS),
    Endpoint("API: calendar invitation", "GET", _supervised(_api_invitation), CASE_TEAM),
    Endpoint("API: book meeting", "POST", _supervised(_api()), CASE_TEAM, body=_booking_body),
    Endpoint(
        "API: move meeting",
        "POST",
        _supervised(_api_meeting("/move")),
        CASE_TEAM,
        body=lambda t: {
            "starts_at": day_at(14, days=2).isoformat(),
            "reason": "Ann is unwell.",
            "version": _version(t),
        },
    ),
    Endpoint(
        "API: connection test",
        "POST",
        _supervised(_connection_test(api=True)),
        CASE_TEAM,
        body=lambda t: {"checked_on": timezone.localdate().isoformat(), "version": _version(t)},
    ),
    Endpoint(
        "API: cancel meeting",
        "POST",
        _supervised(_api_meeting("/cancel")),
        CASE_TEAM,
        body=lambda t: {"reason": "Ann asked for more time.", "version": _version(t)},
    ),
    Endpoint(
        "API: record meeting",
        "POST",
        _supervised(_api_meeting("/record")),
        CASE_TEAM,
        body=lambda t: {"outcome": "held", "attended_ids": [], "summary": "Went ahead.", "version": _version(t)},
        # The meeting is tomorrow: everyone allowed is told it is recorded once it has started.
        refused=CASE_TEAM,
    ),
    Endpoint("API: venues", "GET", lambda t: f"{API}/services/{t.service.pk}/venues", VENUE_READERS),
    Endpoint(
        "API: add venue",
        "POST",
        lambda t: f"{API}/services/{t.service.pk}/venues",
        VENUE_KEEPERS,
        body=lambda t: {"name": "Library meeting room", "address": "3 Church Street", "step_free": True},
    ),
    Endpoint(
        "API: change venue",
        "PATCH",
        lambda t: f"{API}/services/{t.service.pk}/venues/{_venue(t).pk}",
        VENUE_KEEPERS,
        body=lambda t: {"hearing_loop": False, "version": Venue.objects.filter(service=t.service).latest("pk").version},
    ),
)

URL_NAMES = (
    "meeting_list",
    "meeting_book",
    "meeting_detail",
    "meeting_move",
    "meeting_cancel",
    "meeting_pre_checks",
    "meeting_record",
    "attendee_invitation",
    "venue_list",
    "venue_add",
    "venue_edit",
)

API_PATHS = tuple(
    API + path
    for path in (
        "/cases/{case_id}/meetings",
        "/cases/{case_id}/meetings/{meeting_id}",
        "/cases/{case_id}/meetings/{meeting_id}/move",
        "/cases/{case_id}/meetings/{meeting_id}/cancel",
        "/cases/{case_id}/meetings/{meeting_id}/connection-test",
        "/cases/{case_id}/meetings/{meeting_id}/record",
        "/cases/{case_id}/meetings/{meeting_id}/attendees/{attendee_id}/invitation",
        "/services/{service_id}/venues",
        "/services/{service_id}/venues/{venue_id}",
    )
)

API_WRITES = (
    f"POST {API}/cases/{{case_id}}/meetings",
    f"POST {API}/cases/{{case_id}}/meetings/{{meeting_id}}/move",
    f"POST {API}/cases/{{case_id}}/meetings/{{meeting_id}}/cancel",
    f"POST {API}/cases/{{case_id}}/meetings/{{meeting_id}}/connection-test",
    f"POST {API}/cases/{{case_id}}/meetings/{{meeting_id}}/record",
    f"POST {API}/services/{{service_id}}/venues",
    f"PATCH {API}/services/{{service_id}}/venues/{{venue_id}}",
)
