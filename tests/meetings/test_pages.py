"""The meeting pages, the calendar invitation each attendee gets, and the venue register."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from amends.cases.models import Case, ProcessKind, State
from amends.meetings.models import Meeting, Party, Venue
from amends.people import services as people_services
from amends.people.models import Language
from tests.case_builders import BuiltCase, book_conference, build_case, day_at, make_venue
from tests.conftest import signed_in_client
from tests.personas import Personas
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db


def _preparing(personas: Personas, process: ProcessKind = ProcessKind.FACE_TO_FACE) -> BuiltCase:
    return build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.PREPARING,
        process=process,
    )


def _booking(built: BuiltCase, venue: Venue, **extra: object) -> dict[str, object]:
    return {
        "purpose": "restorative",
        "day": day_at(10).strftime("%d/%m/%Y"),
        "start": "10:00",
        "duration_minutes": "90",
        "attendees": [str(built.harmed.pk), str(built.responsible.pk)],
        "venue": str(venue.pk),
        "platform": "",
        **extra,
    }


def test_a_facilitator_books_a_meeting_through_the_page(personas: Personas) -> None:
    built = _preparing(personas)
    venue = make_venue(personas.service, personas.coordinator)
    client = signed_in_client(personas.facilitator)
    assert "Book a meeting" in client.get(f"/cases/{built.case.pk}/meetings/").content.decode()
    response = client.post(f"/cases/{built.case.pk}/meetings/book/", _booking(built, venue))
    meeting = Meeting.objects.get(case=built.case)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{built.case.pk}/meetings/{meeting.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert venue.name in page
    assert built.harmed.person.full_name in page
    assert Case.objects.get(pk=built.case.pk).state == State.SCHEDULED


def test_a_refused_booking_keeps_what_was_typed(personas: Personas) -> None:
    built = _preparing(personas)
    venue = make_venue(personas.service, personas.coordinator)
    client = signed_in_client(personas.facilitator)
    data = _booking(built, venue, harmed_arrives="09:40", harmed_leaves="11:30")
    data.update(responsible_arrives="09:40", responsible_leaves="11:45")
    response = client.post(f"/cases/{built.case.pk}/meetings/book/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "10 minutes apart" in page
    assert 'value="09:40"' in page
    assert not Meeting.objects.exists()


def test_each_attendee_gets_only_their_own_times_and_nothing_about_the_other_side(personas: Personas) -> None:
    built = _preparing(personas)
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
    client = signed_in_client(personas.facilitator)
    response = client.get(f"/cases/{built.case.pk}/meetings/{meeting.pk}/attendees/{harmed.pk}/invitation.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert event.decoded("dtstart") == harmed.arrives_at
    assert event.decoded("dtend") == harmed.leaves_at
    assert "Cyfarfod adferol" in str(event["summary"])
    for detail in (built.responsible.person.full_name, built.responsible.person.given_name, "ATTENDEE"):
        assert detail not in body
    assert timezone.localtime(responsible.arrives_at).strftime("%H:%M") not in body
    assert built.harmed.person.full_name not in response["Content-Disposition"]


def test_a_supervisor_reads_the_meeting_but_gets_no_invitations_or_forms(personas: Personas) -> None:
    built = _preparing(personas)
    meeting = book_conference(built.case, personas.facilitator)
    Case.objects.filter(pk=built.case.pk).update(supervisor=personas.supervisor)
    client = signed_in_client(personas.supervisor)
    page = client.get(f"/cases/{built.case.pk}/meetings/{meeting.pk}/").content.decode()
    assert "invitation.ics" not in page
    assert "/move/" not in page
    attendee = meeting.attendees.first()
    assert attendee is not None
    url = f"/cases/{built.case.pk}/meetings/{meeting.pk}/attendees/{attendee.pk}/invitation.ics"
    assert client.get(url).status_code == 404


def test_the_meeting_pages_run_the_same_queries_with_few_or_many_people(personas: Personas) -> None:
    client = signed_in_client(personas.facilitator)
    few = _preparing(personas)
    few_meeting = book_conference(few.case, personas.facilitator)
    many = _preparing(personas)
    many_meeting = book_conference(many.case, personas.facilitator, starts_at=day_at(15))
    book_conference(
        many.case,
        personas.facilitator,
        purpose="preparation",
        attendees=[many.harmed],
        starts_at=day_at(10, days=3),
    )
    for first, second in (
        (f"/cases/{few.case.pk}/meetings/", f"/cases/{many.case.pk}/meetings/"),
        (
            f"/cases/{few.case.pk}/meetings/{few_meeting.pk}/",
            f"/cases/{many.case.pk}/meetings/{many_meeting.pk}/",
        ),
    ):
        queries_for(client, first)
        assert queries_for(client, second) == queries_for(client, first)


def test_the_venue_register_is_kept_by_coordinators_and_read_by_facilitators(personas: Personas) -> None:
    coordinator = signed_in_client(personas.coordinator)
    url = f"/services/{personas.service.pk}/venues/"
    response = coordinator.post(
        f"{url}add/", {"name": "Town Hall Annexe", "address": "2 High Street", "step_free": "on", "in_use": "on"}
    )
    assert response.status_code == 302
    venue = Venue.objects.get(name="Town Hall Annexe")
    assert venue.step_free
    assert not venue.hearing_loop
    facilitator = signed_in_client(personas.facilitator)
    page = facilitator.get(url).content.decode()
    assert "Town Hall Annexe" in page
    assert f"{url}add/" not in page
    assert facilitator.get(f"{url}add/").status_code == 404


def test_the_venue_list_runs_the_same_queries_with_few_or_many_venues(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    url = f"/services/{personas.service.pk}/venues/"
    make_venue(personas.service, personas.coordinator)
    few = queries_for(client, url)
    for number in range(8):
        make_venue(personas.service, personas.coordinator, name=f"Room {number}")
    assert queries_for(client, url) == few


def test_recording_a_meeting_through_the_page(personas: Personas, monkeypatch: pytest.MonkeyPatch) -> None:
    built = _preparing(personas)
    meeting = book_conference(built.case, personas.facilitator)
    real_now = timezone.now
    moved = meeting.starts_at + datetime.timedelta(hours=2) - real_now()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + moved)
    client = signed_in_client(personas.facilitator)
    url = f"/cases/{built.case.pk}/meetings/{meeting.pk}/record/"
    everyone = [str(pk) for pk in meeting.attendees.values_list("pk", flat=True)]
    response = client.post(
        url, {"outcome": "held", "attended": everyone, "summary": "An apology was given.", "version": meeting.version}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=built.case.pk).state == State.IN_PROCESS


def test_the_case_page_links_the_meetings_once_the_case_is_being_prepared(personas: Personas) -> None:
    client = signed_in_client(personas.facilitator)
    assessing = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    assert "/meetings/" not in client.get(f"/cases/{assessing.case.pk}/").content.decode()
    built = _preparing(personas)
    assert f"/cases/{built.case.pk}/meetings/" in client.get(f"/cases/{built.case.pk}/").content.decode()


def test_the_service_page_links_the_venue_register_for_those_who_read_it(personas: Personas) -> None:
    url = f"/services/{personas.service.pk}/venues/"
    assert url in signed_in_client(personas.facilitator).get(f"/services/{personas.service.pk}/").content.decode()
    assert url not in signed_in_client(personas.referrer).get(f"/services/{personas.service.pk}/").content.decode()


def test_the_case_page_links_the_referral_order_and_the_report_to_the_court_where_they_belong(
    personas: Personas,
) -> None:
    client = signed_in_client(personas.facilitator)
    panel = _preparing(personas, ProcessKind.REFERRAL_ORDER_PANEL)
    page = client.get(f"/cases/{panel.case.pk}/").content.decode()
    assert f"/cases/{panel.case.pk}/referral-order/" in page
    assert "/court-report/" not in page
    conference = _preparing(personas)
    assert "/referral-order/" not in client.get(f"/cases/{conference.case.pk}/").content.decode()


def test_a_virtual_meetings_connection_test_is_recorded_through_the_page(personas: Personas) -> None:
    built = _preparing(personas, ProcessKind.VIRTUAL)
    meeting = book_conference(built.case, personas.facilitator, platform="teams")
    client = signed_in_client(personas.facilitator)
    page = f"/cases/{built.case.pk}/meetings/{meeting.pk}/"
    assert "Record the connection test" in client.get(page).content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused = client.post(
        f"{page}connection-test/",
        {"checked_on": tomorrow.strftime("%d/%m/%Y"), "version": 1},
    )
    assert "The date cannot be in the future." in refused.content.decode()
    assert tomorrow.strftime("%d/%m/%Y") in refused.content.decode()
    today = timezone.localdate()
    response = client.post(
        f"{page}connection-test/",
        {"checked_on": today.strftime("%d/%m/%Y"), "version": 1},
    )
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).pre_checks_on == today
