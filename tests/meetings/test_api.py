"""The meetings API answers a refusal of the gates with 409 and what is missing, and writes nothing; each attendee's
calendar invitation holds their own times only."""

import pytest
from django.utils import timezone
from icalendar import Calendar

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import Case, State
from amends.meetings.models import Attendee, Meeting, Party
from amends.people import services as people_services
from amends.people.models import Language
from amends.risk import services as risk_services
from amends.risk.models import RiskInformationKind
from tests.case_builders import BuiltCase, book_conference, build_case, day_at, make_venue
from tests.personas import Personas
from tests.test_api_cases import SessionClient, TokenClient

pytestmark = pytest.mark.django_db


def test_booking_answers_what_the_gates_miss_and_keeps_nothing(personas: Personas) -> None:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.PREPARING,
    )
    venue = make_venue(personas.service, personas.coordinator)
    risk_services.record_risk_information(
        case=built.case,
        actor=personas.facilitator,
        kind=RiskInformationKind.NEW_INFORMATION,
        details="A new report.",
        participant=built.responsible,
    )
    client = SessionClient(personas.facilitator)
    body = {
        "purpose": "restorative",
        "starts_at": day_at(10).isoformat(),
        "duration_minutes": 90,
        "attendee_ids": [built.harmed.pk, built.responsible.pk],
        "venue_id": venue.pk,
    }
    refused = client.post(f"/cases/{built.case.pk}/meetings", body)
    assert refused.status_code == 409
    assert [item["guard"] for item in refused.json()["missing"]] == ["risk_assessed_safe"]
    assert client.get(f"/cases/{built.case.pk}/meetings").json() == []


def _invitation(built: BuiltCase, meeting: Meeting, attendee: Attendee) -> str:
    return f"/cases/{built.case.pk}/meetings/{meeting.pk}/attendees/{attendee.pk}/invitation"


def test_an_attendees_invitation_holds_only_their_own_times_and_nothing_about_the_other_side(
    personas: Personas,
) -> None:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.PREPARING,
    )
    people_services.update_person(
        person=built.harmed.person,
        actor=personas.facilitator,
        case=built.case,
        details={"correspondence_language": Language.WELSH},
        expected_version=None,
    )
    meeting = book_conference(built.case, personas.facilitator)
    harmed = meeting.attendees.get(party=Party.HARMED)
    responsible = meeting.attendees.get(party=Party.RESPONSIBLE)
    response = TokenClient(personas.facilitator).get(_invitation(built, meeting, harmed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert event.decoded("dtstart") == harmed.arrives_at
    assert event.decoded("dtend") == harmed.leaves_at
    assert "Cyfarfod adferol" in str(event["summary"])
    for detail in (built.responsible.person.full_name, built.responsible.person.given_name, "ATTENDEE"):
        assert detail not in body
    assert timezone.localtime(responsible.arrives_at).strftime("%H:%M") not in body
    # The same file name as the page's download: the meeting, never the person.
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}-{harmed.pk}.ics"'
    viewed = AuditEvent.objects.get(action=AuditAction.RECORD_VIEWED, actor=personas.facilitator)
    assert (viewed.target_type, viewed.target_id) == ("meetings.attendee", str(harmed.pk))


def test_only_the_case_team_gets_an_invitation(personas: Personas) -> None:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.PREPARING,
    )
    meeting = book_conference(built.case, personas.facilitator)
    Case.objects.filter(pk=built.case.pk).update(supervisor=personas.supervisor)
    attendee = meeting.attendees.get(party=Party.HARMED)
    for user in (personas.other_facilitator, personas.supervisor, personas.commissioner):
        assert TokenClient(user).get(_invitation(built, meeting, attendee)).status_code == 404, user
    assert not AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED).exists()
    other = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.PREPARING,
    )
    elsewhere = book_conference(other.case, personas.facilitator, starts_at=day_at(15))
    # An attendee of another meeting, asked for through this one.
    stranger = elsewhere.attendees.get(party=Party.HARMED)
    assert TokenClient(personas.facilitator).get(_invitation(built, meeting, stranger)).status_code == 404
