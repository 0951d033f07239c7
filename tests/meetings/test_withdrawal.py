"""Consent withdrawn with a meeting booked: the meeting is called off in the same transaction, wherever the withdrawal
comes from (the secure link, the staff page, the API); each attendee's invitation is cancelled; the facilitators are
tasked to tell the others; and what the others read says the meeting will not go ahead, never why."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from amends.cases.models import Case, State, Task, TaskKind
from amends.consent import services as consent_services
from amends.meetings import invitations
from amends.meetings.models import Attendee, Meeting, MeetingStatus
from amends.participation import actions as participation_actions
from amends.people.models import Participant
from amends.youth import services as youth_services
from tests.case_builders import BuiltCase, book_conference, build_case, day_at
from tests.conftest import signed_in_client
from tests.meetings.test_meetings import supporter_for
from tests.participation.builders import open_link
from tests.personas import Personas
from tests.test_api_cases import TokenClient
from tests.youth.builders import book_panel, record_order, referral_order_case

pytestmark = pytest.mark.django_db

# What the other party must never read about why the meeting is off.
REVEALING = ("consent", "withdr")


def _with_email(participant: Participant, address: str) -> None:
    person = participant.person
    person.email = address
    person.save()


def _booked_tomorrow(personas: Personas) -> tuple[BuiltCase, Meeting]:
    """A scheduled case whose conference is tomorrow (the day before), both parties with an email address."""
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.PREPARING,
    )
    _with_email(built.harmed, "ann@harmed.example")
    _with_email(built.responsible, "rob@responsible.example")
    meeting = book_conference(built.case, personas.facilitator, starts_at=day_at(10, days=1))
    assert Case.objects.get(pk=built.case.pk).state == State.SCHEDULED
    return built, meeting


def _uids(meeting: Meeting) -> dict[str, str]:
    """Each attendee's address and the UID of the invitation they were given."""
    meeting = Meeting.objects.select_related("case__service").get(pk=meeting.pk)
    uids = {}
    for attendee in Attendee.objects.filter(meeting=meeting).select_related("participant__person", "staff"):
        address = attendee.participant.person.email if attendee.participant else attendee.staff.email  # type: ignore[union-attr]
        event = Calendar.from_ical(invitations.invitation(meeting, attendee)).walk("VEVENT")[0]
        uids[str(address)] = str(event["UID"])
    return uids


def _cancellations() -> dict[str, tuple[str, str]]:
    """Each cancellation email sent: its address, with the METHOD and UID of the calendar attached."""
    sent = {}
    for email in mail.outbox:
        for attachment in email.attachments:
            _name, content, mimetype = attachment  # type: ignore[misc]
            assert "method=CANCEL" in mimetype
            calendar = Calendar.from_ical(content)
            sent[email.to[0]] = (str(calendar["METHOD"]), str(calendar.walk("VEVENT")[0]["UID"]))
    return sent


def _through_the_link(personas: Personas, built: BuiltCase) -> None:
    participation_actions.withdraw_consent(participant=built.harmed)


def _through_the_staff_page(personas: Personas, built: BuiltCase) -> None:
    client = signed_in_client(personas.facilitator)
    url = f"/cases/{built.case.pk}/participants/{built.harmed.pk}/consent/withdraw/"
    assert client.post(url, {"reason": ""}).status_code == 302


def _through_the_api(personas: Personas, built: BuiltCase) -> None:
    url = f"/cases/{built.case.pk}/participants/{built.harmed.pk}/consent-withdrawals"
    assert TokenClient(personas.facilitator).post(url, {"reason": ""}).status_code == 201


ROUTES: dict[str, Callable[[Personas, BuiltCase], None]] = {
    "link": _through_the_link,
    "staff page": _through_the_staff_page,
    "api": _through_the_api,
}


@pytest.mark.parametrize("route", list(ROUTES))
def test_it_calls_off_the_meeting_and_cancels_every_invitation_when_a_party_withdraws_the_day_before(
    personas: Personas, route: str, django_capture_on_commit_callbacks: Any
) -> None:
    built, meeting = _booked_tomorrow(personas)
    given = _uids(meeting)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        ROUTES[route](personas, built)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert Case.objects.get(pk=built.case.pk).state == State.ASSESSING
    # Each attendee (both parties and the facilitator) gets their own invitation cancelled: same UID, METHOD:CANCEL.
    assert _cancellations() == {address: ("CANCEL", uid) for address, uid in given.items()}
    for email in mail.outbox:
        if email.to[0] in ("ann@harmed.example", "rob@responsible.example"):
            assert not any(word in email.body.lower() for word in REVEALING)
    assert Task.objects.filter(
        case=built.case, kind=TaskKind.TELL_OF_CANCELLED_MEETING, assigned_to=personas.facilitator
    ).exists()


def test_it_sends_nothing_until_the_withdrawal_is_saved(personas: Personas) -> None:
    built, _meeting = _booked_tomorrow(personas)
    mail.outbox.clear()

    participation_actions.withdraw_consent(participant=built.harmed)

    # The test's transaction never commits, so nothing may have left.
    assert not [email for email in mail.outbox if email.attachments]


def test_the_other_partys_own_pages_say_the_meeting_will_not_go_ahead_and_not_why(personas: Personas) -> None:
    built, meeting = _booked_tomorrow(personas)
    consent_services.withdraw_consent(participant=built.harmed, actor=personas.facilitator, reason="Too anxious")
    client = Client()
    open_link(client, built.responsible, personas.facilitator)

    page = client.get(reverse("participation:meeting")).content.decode()
    home = client.get(reverse("participation:home")).content.decode()

    assert "will not go ahead" in page
    assert "will not go ahead" in home
    assert not any(word in page.lower() for word in REVEALING)
    assert "Too anxious" not in page
    staff_page = signed_in_client(personas.facilitator).get(f"/cases/{built.case.pk}/meetings/{meeting.pk}/")
    assert "will not go ahead" in staff_page.content.decode()
    assert "Too anxious" not in staff_page.content.decode()


def test_a_supporters_withdrawal_takes_away_only_their_own_place(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.PREPARING,
    )
    supporter = supporter_for(personas, built)
    _with_email(supporter, "beth@supporter.example")
    meeting = book_conference(
        built.case,
        personas.facilitator,
        starts_at=day_at(10, days=1),
        attendees=[built.harmed, built.responsible, supporter],
        supporters_agreed=True,
    )
    uid = _uids(meeting)["beth@supporter.example"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        consent_services.withdraw_consent(participant=supporter, actor=personas.facilitator)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.BOOKED
    assert not meeting.attendees.filter(participant=supporter).exists()
    assert meeting.attendees.filter(participant=built.harmed).exists()
    assert _cancellations() == {"beth@supporter.example": ("CANCEL", uid)}
    assert not Task.objects.filter(case=built.case, kind=TaskKind.TELL_OF_CANCELLED_MEETING).exists()


def test_a_referral_order_panel_goes_ahead_without_the_victim_who_withdraws(personas: Personas) -> None:
    built = referral_order_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator
    )
    case = Case.objects.select_related("service", "lead_facilitator").get(pk=built.case.pk)
    record_order(case, personas.facilitator)
    youth_services.record_victim_involvement(case=case, actor=personas.facilitator, involvement="attending")
    panel = book_panel(built.case, personas.facilitator, with_victim=True)

    consent_services.withdraw_consent(participant=built.harmed, actor=personas.facilitator)

    panel.refresh_from_db()
    # The young person's panel is statutory and meets without the victim: only their place is gone.
    assert panel.status == MeetingStatus.BOOKED
    assert not panel.attendees.filter(participant=built.harmed).exists()
    assert panel.attendees.filter(participant=built.responsible).exists()
    assert not Task.objects.filter(case=built.case, kind=TaskKind.TELL_OF_CANCELLED_MEETING).exists()
