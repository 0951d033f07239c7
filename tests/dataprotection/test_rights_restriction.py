"""A restriction in place stops every new use of the person's information: an outgoing contact, a secure link, a message
passed on to them, a meeting, a feedback survey, and routine sharing under an agreement. What they send us is still
logged, sharing on a basis Art. 18(2) leaves open is recorded, and lifting the restriction lets the service reach them
again."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from amends.cases.models import Case, ProcessKind, State
from amends.core.errors import DomainError
from amends.dataprotection import rights
from amends.dataprotection.models import Disclosure, RightsRequest, RightsRequestKind, SharingBasis
from amends.followup import services as followup_services
from amends.followup.models import FeedbackSurvey, SurveyMethod
from amends.meetings import services as meetings_services
from amends.meetings.models import Meeting, MeetingStatus
from amends.participation import links
from amends.people import services as people_services
from amends.people.models import ContactChannel, ContactLogEntry, ContactOutcome, Participant
from amends.relay import services as relay_services
from amends.relay.models import MessageKind, MessageStatus
from tests.case_builders import BuiltCase, build_case
from tests.dataprotection.test_rights_services import approved
from tests.dataprotection.test_sharing import add_agreement, disclose, refused
from tests.meetings.test_meetings import book, preparing
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def restrict(personas: Personas, participant: Participant) -> RightsRequest:
    request = approved(personas, participant.person, RightsRequestKind.RESTRICTION)
    return rights.complete_request(request=request, actor=personas.coordinator)


def contact(personas: Personas, participant: Participant, *, outgoing: bool) -> ContactLogEntry:
    return people_services.log_contact(
        participant=participant,
        actor=personas.facilitator,
        occurred_at=timezone.now() - datetime.timedelta(minutes=1),
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.SPOKE,
        outgoing=outgoing,
    )


def test_nobody_contacts_a_restricted_person_but_what_they_send_is_logged(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    request = restrict(personas, built.harmed)
    built.harmed.person.refresh_from_db()
    with pytest.raises(DomainError, match="restricted at their request"):
        contact(personas, built.harmed, outgoing=True)
    assert contact(personas, built.harmed, outgoing=False).outgoing is False
    contact(personas, built.responsible, outgoing=True)
    rights.lift_restriction(request=request, actor=personas.coordinator, reason="They asked us to carry on.")
    built.harmed.person.refresh_from_db()
    assert contact(personas, built.harmed, outgoing=True).outgoing is True


def test_a_restricted_person_is_given_no_secure_link(personas: Personas) -> None:
    cache.clear()
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    person = built.harmed.person
    person.email = "ann@example.org"
    person.save()
    restrict(personas, built.harmed)
    built.harmed.person.refresh_from_db()
    with pytest.raises(DomainError, match="restricted at their request"):
        links.issue_link(
            participant=built.harmed, actor=personas.facilitator, channel="email", second_check="date_of_birth"
        )
    assert not built.harmed.links.exists()


def _letter_case(personas: Personas) -> BuiltCase:
    return build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.IN_PROCESS,
        process=ProcessKind.LETTERS,
    )


def test_no_message_is_released_to_a_restricted_recipient(personas: Personas) -> None:
    built = _letter_case(personas)
    message = relay_services.create_message(
        case=built.case,
        actor=personas.facilitator,
        sender=built.responsible,
        recipient=built.harmed,
        kind=MessageKind.LETTER,
        body="I am sorry. Rob",
    )
    for name in ("submit", "approve"):
        message = relay_services.take_step(message=message, actor=personas.facilitator, step=name)
    request = restrict(personas, built.harmed)
    with pytest.raises(DomainError, match="restricted at their request"):
        relay_services.take_step(message=message, actor=personas.facilitator, step="release")
    message.refresh_from_db()
    assert message.status == MessageStatus.APPROVED
    rights.lift_restriction(request=request, actor=personas.coordinator, reason="Restriction no longer needed.")
    released = relay_services.take_step(message=message, actor=personas.facilitator, step="release")
    assert released.status == MessageStatus.RELEASED


def test_a_restricted_person_is_not_booked_into_a_meeting(personas: Personas) -> None:
    built = preparing(personas)
    request = restrict(personas, built.responsible)
    with pytest.raises(DomainError, match="invited to a meeting") as error:
        book(personas, built)
    assert error.value.field == "attendees"
    assert not Meeting.objects.filter(case=built.case).exists()
    rights.lift_restriction(request=request, actor=personas.coordinator, reason="They want to go ahead.")
    assert book(personas, built).attendees.filter(participant=built.responsible).exists()


def test_a_meeting_booked_before_a_restriction_is_not_moved_but_may_be_cancelled(personas: Personas) -> None:
    built = preparing(personas)
    meeting = book(personas, built)
    restrict(personas, built.harmed)
    later = meeting.starts_at + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="invited to a meeting") as error:
        meetings_services.move_meeting(meeting=meeting, actor=personas.facilitator, starts_at=later, reason="Room")
    assert error.value.field == "starts_at"
    assert Meeting.objects.get(pk=meeting.pk).starts_at == meeting.starts_at
    cancelled = meetings_services.cancel_meeting(meeting=meeting, actor=personas.facilitator, reason="Restricted")
    assert cancelled.status == MeetingStatus.CANCELLED


def test_a_restricted_persons_feedback_is_not_recorded(personas: Personas) -> None:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.FOLLOWING_UP,
    )
    restrict(personas, built.harmed)

    def survey(participant: Participant) -> FeedbackSurvey:
        return followup_services.record_survey(
            case=Case.objects.get(pk=built.case.pk),
            actor=personas.facilitator,
            participant=participant,
            taken_on=timezone.localdate(),
            method=SurveyMethod.PHONE,
            answers=followup_services.SurveyAnswers(),
        )

    with pytest.raises(DomainError, match="asked for feedback"):
        survey(built.harmed)
    assert not FeedbackSurvey.objects.filter(participant=built.harmed).exists()
    assert survey(built.responsible).participant == built.responsible


def test_a_restricted_persons_information_is_shared_only_on_a_basis_the_restriction_leaves_open(
    personas: Personas,
) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    add_agreement(personas.service, personas.coordinator, partner="Gloucester Crown Court", partner_kind="court")
    restrict(personas, built.harmed)
    message = refused("basis", disclose, built.case, personas.coordinator, basis=SharingBasis.AGREEMENT, agreement=None)
    assert "restricted at their request" in message
    assert not Disclosure.objects.exists()
    assert disclose(built.case, personas.coordinator, basis=SharingBasis.CONSENT).basis == SharingBasis.CONSENT
