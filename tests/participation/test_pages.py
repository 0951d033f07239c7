"""The participant's own pages behind their secure link: who may see them, what they show, what they record, and that
nothing of anyone else's reaches them."""

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import ProcessKind, State, Task, TaskKind, TimelineEntry, TimelineKind
from amends.consent import services as consent_services
from amends.consent.models import ConsentKind, ConsentMethod, ConsentRecord
from amends.followup.models import FeedbackSurvey, SurveyMethod
from amends.meetings.models import Attendee, MeetingPurpose
from amends.people import services as people_services
from amends.people.models import Participant
from amends.relay.models import DeliveryMethod, IdentifyingFlag, MessageStatus, RelayMessage
from tests.case_builders import BuiltCase, book_conference, build_case, day_at
from tests.conftest import signed_in_client
from tests.participation.builders import open_link
from tests.personas import Personas
from tests.relay.conftest import PDF_BYTES, released_letter, step, upload, write_letter

pytestmark = pytest.mark.django_db

SORRY = "I am sorry for what happened to you, and for the fear it caused."


@pytest.fixture(autouse=True)
def private_dir(settings: Any, tmp_path: Path) -> Path:
    settings.AMENDS_PRIVATE_DIR = tmp_path / "private"
    return tmp_path / "private"


def _case(
    personas: Personas, state: State = State.IN_PROCESS, process: ProcessKind = ProcessKind.FACE_TO_FACE
) -> BuiltCase:
    """A case with its meeting booked (face to face) when it has reached scheduled."""
    return build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=state,
        process=process,
    )


def _client_for(personas: Personas, participant: Participant) -> Client:
    client = Client()
    open_link(client, participant, personas.facilitator)
    return client


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def _ended_path() -> str:
    return reverse("participation:ended")


def _paths(built: BuiltCase, message: RelayMessage, meeting_id: int) -> list[str]:
    """Every page of the participant's, for the person harmed with a letter passed on to them and a meeting."""
    return [
        "/your-part/",
        "/your-part/consent/",
        "/your-part/consent/withdraw/",
        "/your-part/consent/withdrawn/",
        "/your-part/messages/",
        "/your-part/messages/write/",
        f"/your-part/messages/{message.pk}/",
        f"/your-part/messages/{message.pk}/reply/",
        "/your-part/meeting/",
        f"/your-part/meeting/{meeting_id}/calendar/",
        "/your-part/survey/",
        "/your-part/survey/sent/",
    ]


@pytest.fixture
def with_letter(personas: Personas) -> tuple[BuiltCase, RelayMessage, int]:
    built = _case(personas)
    message = released_letter(personas, built, SORRY)
    meeting_id = Attendee.objects.get(participant=built.harmed).meeting_id
    return built, message, meeting_id


# Who may see the pages ----------------------------------------------------------------------------------------------


def test_every_page_opens_with_a_live_link(
    personas: Personas, with_letter: tuple[BuiltCase, RelayMessage, int]
) -> None:
    built, message, meeting_id = with_letter
    client = _client_for(personas, built.harmed)
    for path in _paths(built, message, meeting_id):
        assert client.get(path).status_code == 200, path


def test_every_page_opens_in_welsh(personas: Personas, with_letter: tuple[BuiltCase, RelayMessage, int]) -> None:
    built, message, meeting_id = with_letter
    client = _client_for(personas, built.harmed)
    for path in _paths(built, message, meeting_id):
        response = client.get(f"/cy{path}")
        assert response.status_code == 200, path
    assert 'lang="cy"' in client.get("/cy/your-part/").content.decode()


def test_no_page_is_served_without_a_link(personas: Personas, with_letter: tuple[BuiltCase, RelayMessage, int]) -> None:
    built, message, meeting_id = with_letter
    client = Client()
    for path in _paths(built, message, meeting_id):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == _ended_path()
        assert not response["Location"].startswith("/your-part/")
    for path in ("/your-part/consent/", "/your-part/consent/withdraw/", "/your-part/leave/"):
        assert client.post(path, {"reason": "x"}).status_code == 302
    assert ConsentRecord.objects.filter(participant=built.harmed, kind=ConsentKind.WITHDRAWN).count() == 0


@pytest.mark.parametrize("how", ["revoked", "expired", "locked"])
def test_a_link_that_has_ended_opens_nothing(
    personas: Personas, with_letter: tuple[BuiltCase, RelayMessage, int], how: str
) -> None:
    built, message, _meeting_id = with_letter
    client = Client()
    link = open_link(client, built.harmed, personas.facilitator)
    assert client.get("/your-part/").status_code == 200
    now = timezone.now()
    if how == "revoked":
        link.revoked_at, link.revoked_by = now, personas.facilitator
    elif how == "expired":
        link.expires_at = now - datetime.timedelta(minutes=1)
    else:
        link.locked_at = now
    link.save()
    for path in ("/your-part/", f"/your-part/messages/{message.pk}/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == _ended_path()
    assert RelayMessage.objects.get(pk=message.pk).status == MessageStatus.RELEASED


def test_leaving_ends_the_session_and_says_so(personas: Personas) -> None:
    built = _case(personas, State.ASSESSING)
    client = _client_for(personas, built.harmed)
    response = client.post("/your-part/leave/")
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:left")
    assert "You have left" in _page(client, response["Location"])
    assert client.get("/your-part/").status_code == 302
    # The page after leaving needs no link at all.
    assert Client().get("/your-part/left/").status_code == 200


def test_each_view_of_a_page_is_audited_as_the_participant(personas: Personas) -> None:
    built = _case(personas, State.ASSESSING)
    client = _client_for(personas, built.harmed)
    client.get("/your-part/consent/")
    event = AuditEvent.objects.filter(action=AuditAction.PARTICIPANT_VIEWED).latest("pk")
    assert event.actor is None
    assert event.target_id == str(built.harmed.pk)
    assert event.changes["page"] == "consent"


# The home page ------------------------------------------------------------------------------------------------------


def test_home_greets_them_by_first_name_and_names_their_facilitator(
    personas: Personas, with_letter: tuple[BuiltCase, RelayMessage, int]
) -> None:
    built, _message, _meeting_id = with_letter
    personas.service.phone = "01452 000111"
    personas.service.save()
    page = _page(_client_for(personas, built.harmed), "/your-part/")
    assert f"Your part in restorative justice with {personas.service.name}" in page
    assert "Hello Ann." in page
    assert built.harmed.person.family_name not in page
    assert f"Your facilitator is {personas.facilitator.full_name}." in page
    assert "01452 000111" in page
    assert "1 new" in page
    assert "Tell us how it went" not in page


# Consent ------------------------------------------------------------------------------------------------------------


def test_withdrawing_consent_stops_the_process_at_once(personas: Personas) -> None:
    built = _case(personas, State.PREPARING)
    client = _client_for(personas, built.harmed)
    consent_page = _page(client, "/your-part/consent/")
    assert "You gave your consent on" in consent_page
    assert "Withdraw your consent" in consent_page
    page = _page(client, "/your-part/consent/withdraw/")
    assert "If you withdraw, the process stops now." in page
    assert "You do not have to give a reason." in page

    response = client.post("/your-part/consent/withdraw/", {"reason": "I cannot face it now."})

    assert response.status_code == 302
    assert response["Location"] == reverse("participation:withdrawn")
    built.case.refresh_from_db()
    assert built.case.state == State.ASSESSING
    record = ConsentRecord.objects.filter(participant=built.harmed).first()
    assert record is not None
    assert record.kind == ConsentKind.WITHDRAWN
    assert record.recorded_by is None
    assert record.reason == "I cannot face it now."
    event = AuditEvent.objects.get(action=AuditAction.CONSENT_WITHDRAWN)
    assert event.actor is None
    assert Task.objects.filter(
        case=built.case, kind=TaskKind.CONSENT_WITHDRAWN, assigned_to=personas.facilitator
    ).exists()
    confirmation = _page(client, response["Location"])
    assert "Your consent is withdrawn" in confirmation
    assert "Your facilitator has been told." in confirmation
    staff_page = _page(signed_in_client(personas.facilitator), f"/cases/{built.case.pk}/")
    assert "Consent withdrawn" in staff_page
    assert "By the participant, through their secure link" in staff_page
    assert TimelineEntry.objects.filter(
        case=built.case, kind=TimelineKind.STATE_CHANGED, to_state=State.ASSESSING
    ).exists()


def test_withdrawing_with_nothing_to_withdraw_says_so_on_the_page(personas: Personas) -> None:
    built = _case(personas, State.ASSESSING)
    client = _client_for(personas, built.harmed)
    assert "there is nothing to withdraw" in _page(client, "/your-part/consent/withdraw/")
    response = client.post("/your-part/consent/withdraw/", {"reason": "Kept as typed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "There is no consent to withdraw." in page
    assert "Kept as typed" in page
    assert not ConsentRecord.objects.filter(participant=built.harmed).exists()


def test_they_give_consent_online(personas: Personas) -> None:
    built = _case(personas, State.ASSESSING)
    client = _client_for(personas, built.harmed)
    page = _page(client, "/your-part/consent/")
    assert "You have not given your consent yet." in page
    assert "Give my consent" in page

    response = client.post(
        "/your-part/consent/", {"scopes": ["take_part", "feedback"], "process_kinds": ["face_to_face"]}
    )

    assert response.status_code == 302
    record = ConsentRecord.objects.get(participant=built.harmed)
    assert record.kind == ConsentKind.GIVEN
    assert record.method == ConsentMethod.ONLINE
    assert record.recorded_by is None
    assert record.scopes == ["feedback", "take_part"]
    assert record.process_kinds == ["face_to_face"]
    assert AuditEvent.objects.get(action=AuditAction.CONSENT_GIVEN).actor is None
    page = _page(client, "/your-part/consent/")
    assert "Your consent is recorded" in page
    assert "Face-to-face conference" in page
    assert "Give my consent" not in page


def test_a_refused_consent_keeps_what_was_ticked(personas: Personas) -> None:
    built = _case(personas, State.ASSESSING)
    client = _client_for(personas, built.harmed)
    response = client.post("/your-part/consent/", {"scopes": ["take_part", "research"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose the ways of taking part you agree to." in page
    assert re.search(r'value="research"[^>]*checked', page)
    assert not re.search(r'value="feedback"[^>]*checked', page)
    assert not ConsentRecord.objects.filter(participant=built.harmed).exists()


def test_after_withdrawing_they_may_consent_again_to_the_chosen_process_only(personas: Personas) -> None:
    built = _case(personas, State.PREPARING, ProcessKind.LETTERS)
    client = _client_for(personas, built.harmed)
    client.post("/your-part/consent/withdraw/", {})
    page = _page(client, "/your-part/consent/")
    assert "You withdrew your consent on" in page
    assert "Letter exchange" in page
    assert "Face-to-face conference" not in page
    response = client.post("/your-part/consent/", {"scopes": ["take_part"], "process_kinds": ["face_to_face"]})
    assert response.status_code == 200
    assert ConsentRecord.objects.filter(participant=built.harmed).first().kind == ConsentKind.WITHDRAWN  # type: ignore[union-attr]
    response = client.post("/your-part/consent/", {"scopes": ["take_part"], "process_kinds": ["letters"]})
    assert response.status_code == 302
    assert ConsentRecord.objects.filter(participant=built.harmed).first().method == ConsentMethod.ONLINE  # type: ignore[union-attr]


# Messages -----------------------------------------------------------------------------------------------------------


def test_they_see_only_what_was_passed_on_to_them(personas: Personas) -> None:
    built = _case(personas)
    released = released_letter(personas, built, SORRY)
    draft = write_letter(personas, built, "A draft not reviewed yet.")
    approved = write_letter(personas, built, "Approved but held back.")
    for name in ("submit", "approve"):
        approved = step(personas, approved, name)
    client = _client_for(personas, built.harmed)
    page = _page(client, "/your-part/messages/")
    assert f"/your-part/messages/{released.pk}/" in page
    assert f"/your-part/messages/{draft.pk}/" not in page
    assert f"/your-part/messages/{approved.pk}/" not in page
    for hidden in (draft, approved):
        assert client.get(f"/your-part/messages/{hidden.pk}/").status_code == 404
        assert client.get(f"/your-part/messages/{hidden.pk}/reply/").status_code == 404


def test_a_message_to_someone_else_is_not_found(personas: Personas) -> None:
    built = _case(personas)
    to_harmed = released_letter(personas, built, SORRY)
    responsible_client = _client_for(personas, built.responsible)
    assert responsible_client.get(f"/your-part/messages/{to_harmed.pk}/").status_code == 404
    assert responsible_client.post(f"/your-part/messages/{to_harmed.pk}/reply/", {"body": "x"}).status_code == 404
    assert "There are no messages for you at the moment." in _page(responsible_client, "/your-part/messages/")
    assert RelayMessage.objects.get(pk=to_harmed.pk).status == MessageStatus.RELEASED


def test_opening_a_message_records_its_delivery_through_the_link(personas: Personas) -> None:
    built = _case(personas)
    message = released_letter(personas, built, SORRY)
    client = _client_for(personas, built.harmed)
    page = _page(client, f"/your-part/messages/{message.pk}/")
    assert SORRY in page
    assert "A letter from the person responsible" in page
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.delivery_method == DeliveryMethod.SECURE_LINK
    assert message.delivered_by is None
    moved = AuditEvent.objects.filter(action=AuditAction.MESSAGE_MOVED, target_id=str(message.pk)).latest("pk")
    assert moved.actor is None
    assert moved.changes["delivery_method"] == "secure_link"
    assert TimelineEntry.objects.filter(case=built.case, kind=TimelineKind.MESSAGE_DELIVERED).count() == 1
    _page(client, f"/your-part/messages/{message.pk}/")
    assert TimelineEntry.objects.filter(case=built.case, kind=TimelineKind.MESSAGE_DELIVERED).count() == 1
    assert "1 new" not in _page(client, "/your-part/")
    staff_page = _page(signed_in_client(personas.facilitator), f"/cases/{built.case.pk}/messages/{message.pk}/")
    assert "Read through their secure link" in staff_page
    assert "The participant, through their secure link" in staff_page


def test_it_shows_what_the_facilitator_approved_and_nothing_of_the_review(personas: Personas) -> None:
    built = _case(personas)
    message = step(personas, write_letter(personas, built, "Sorry. I live at 14 Elm Grove Road now."), "submit")
    flag = IdentifyingFlag.objects.get(message=message)
    from amends.relay import services as relay_services

    relay_services.resolve_flag(flag=flag, actor=personas.facilitator, resolution="redacted")
    message = step(personas, message, "approve", redactions="Took out where he lives.")
    message = step(personas, message, "release")
    page = _page(_client_for(personas, built.harmed), f"/your-part/messages/{message.pk}/")
    assert "Sorry. I live at [redacted] now." in page
    assert "Elm Grove" not in page
    assert "Took out where he lives." not in page
    assert "Street address" not in page


def test_a_message_that_cannot_be_delivered_now_is_not_shown(personas: Personas) -> None:
    built = _case(personas)
    message = released_letter(personas, built, SORRY)
    from amends.consent import services as consent_services

    consent_services.withdraw_consent(participant=built.responsible, actor=personas.facilitator)
    page = _page(_client_for(personas, built.harmed), f"/your-part/messages/{message.pk}/")
    assert SORRY not in page
    assert "This message cannot be shown at the moment." in page
    assert RelayMessage.objects.get(pk=message.pk).status == MessageStatus.RELEASED


def test_a_reply_goes_to_the_facilitator_for_review(personas: Personas) -> None:
    built = _case(personas)
    message = released_letter(personas, built, SORRY)
    client = _client_for(personas, built.harmed)
    page = _page(client, f"/your-part/messages/{message.pk}/reply/")
    assert "Your facilitator reads every message before it is passed on, and may ask you to change it." in page

    response = client.post(
        f"/your-part/messages/{message.pk}/reply/", {"body": "Thank you. Call me on 07700 900456 if you like."}
    )

    assert response.status_code == 302
    reply = RelayMessage.objects.get(reply_to=message)
    assert reply.sender == built.harmed
    assert reply.recipient == built.responsible
    assert reply.status == MessageStatus.SUBMITTED
    assert reply.written_by is None
    assert reply.submitted_by is None
    assert reply.body == "Thank you. Call me on 07700 900456 if you like."
    assert IdentifyingFlag.objects.filter(message=reply, kind="phone").exists()
    assert Task.objects.filter(case=built.case, kind=TaskKind.REVIEW_MESSAGE, assigned_to=personas.facilitator).exists()
    assert RelayMessage.objects.get(pk=message.pk).status == MessageStatus.REPLIED
    listing = _page(client, "/your-part/messages/")
    assert "Your message has gone to your facilitator." in listing
    assert "Your facilitator is reading it" in listing
    # The person responsible sees nothing of it until it is reviewed and released.
    assert f"/your-part/messages/{reply.pk}/" not in _page(
        _client_for(personas, built.responsible), "/your-part/messages/"
    )


def test_an_empty_reply_is_refused_on_the_page(personas: Personas) -> None:
    built = _case(personas)
    message = released_letter(personas, built, SORRY)
    client = _client_for(personas, built.harmed)
    response = client.post(f"/your-part/messages/{message.pk}/reply/", {"body": "  "})
    assert response.status_code == 200
    assert "Write your message." in response.content.decode()
    assert not RelayMessage.objects.filter(reply_to=message).exists()


def test_they_write_a_new_letter_to_the_person_they_have_exchanged_messages_with(personas: Personas) -> None:
    built = _case(personas)
    client = _client_for(personas, built.harmed)
    assert "Write a letter" not in _page(client, "/your-part/messages/")
    assert "You cannot send a message here at the moment." in _page(client, "/your-part/messages/write/")
    released_letter(personas, built, SORRY)
    page = _page(client, "/your-part/messages/write/")
    assert "Write a letter to the person responsible" in page
    response = client.post(
        "/your-part/messages/write/", {"recipient": str(built.responsible.pk), "body": "One more thing to say."}
    )
    assert response.status_code == 302
    letter = RelayMessage.objects.get(sender=built.harmed)
    assert letter.body == "One more thing to say."
    assert (letter.sender, letter.recipient, letter.reply_to) == (built.harmed, built.responsible, None)
    assert letter.status == MessageStatus.SUBMITTED


def test_files_come_as_downloads_under_a_plain_name_once_the_message_is_open(personas: Personas) -> None:
    built = _case(personas)
    draft = write_letter(personas, built, SORRY)
    scan = upload(personas, draft, PDF_BYTES, name="rob-responsible-letter.pdf")
    other = upload(personas, write_letter(personas, built, "Another draft."), PDF_BYTES)
    message = draft
    for name in ("submit",):
        message = step(personas, message, name)
    from amends.relay import services as relay_services

    for flag in IdentifyingFlag.objects.filter(message=message):
        relay_services.resolve_flag(
            flag=flag, actor=personas.facilitator, resolution="kept_not_identifying", reason="Checked the scan."
        )
    for name in ("approve", "release"):
        message = step(personas, message, name)
    client = _client_for(personas, built.harmed)
    file_path = f"/your-part/messages/{message.pk}/files/{scan.pk}/"  # type: ignore[attr-defined]
    assert client.get(file_path).status_code == 404
    page = _page(client, f"/your-part/messages/{message.pk}/")
    assert file_path in page
    assert "rob-responsible-letter" not in page
    response = client.get(file_path)
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert response["Content-Disposition"] == f'attachment; filename="message-{message.pk}-1.pdf"'
    assert client.get(f"/your-part/messages/{message.pk}/files/{other.pk}/").status_code == 404  # type: ignore[attr-defined]


# Meetings -----------------------------------------------------------------------------------------------------------


def test_the_meeting_page_shows_their_own_times_only(personas: Personas) -> None:
    built = _case(personas)
    harmed_place = Attendee.objects.get(participant=built.harmed)
    responsible_place = Attendee.objects.get(participant=built.responsible)
    assert harmed_place.arrives_at != responsible_place.arrives_at

    def clock(moment: datetime.datetime) -> str:
        return timezone.localtime(moment).strftime("%H:%M")

    page = _page(_client_for(personas, built.harmed), "/your-part/meeting/")
    assert clock(harmed_place.arrives_at) in page
    assert clock(responsible_place.arrives_at) not in page
    assert clock(responsible_place.leaves_at) not in page
    assert "Riverside Community Centre" in page
    assert "Step-free access" in page
    other_page = _page(_client_for(personas, built.responsible), "/your-part/meeting/")
    assert clock(responsible_place.arrives_at) in other_page
    assert clock(harmed_place.arrives_at) not in other_page


def test_the_calendar_invitation_is_their_own(personas: Personas) -> None:
    built = _case(personas)
    place = Attendee.objects.get(participant=built.harmed)
    other = Attendee.objects.get(participant=built.responsible)
    client = _client_for(personas, built.harmed)
    response = client.get(f"/your-part/meeting/{place.meeting_id}/calendar/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    content = response.content.decode()
    assert place.arrives_at.astimezone(datetime.UTC).strftime("DTSTART:%Y%m%dT%H%M%SZ") in content
    assert other.arrives_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ") not in content
    # Not asked their language: Welsh and English together.
    assert " / " in content
    other_case = _case(personas)
    other_meeting = Attendee.objects.filter(participant=other_case.harmed).get().meeting_id
    assert client.get(f"/your-part/meeting/{other_meeting}/calendar/").status_code == 404


def test_a_video_meeting_says_so_and_a_past_one_is_not_shown(personas: Personas, later: Any) -> None:
    built = _case(personas)
    book_conference(
        built.case,
        personas.facilitator,
        starts_at=day_at(14, days=400),
        purpose=MeetingPurpose.PREPARATION,
        attendees=[built.harmed],
        platform="teams",
    )
    page = _page(_client_for(personas, built.harmed), "/your-part/meeting/")
    assert "By video, on Microsoft Teams." in page
    later(datetime.timedelta(days=1000))
    page = _page(_client_for(personas, built.harmed), "/your-part/meeting/")
    assert "You have no meeting booked at the moment." in page


# The feedback survey ------------------------------------------------------------------------------------------------


def test_they_answer_the_survey_once_the_case_is_following_up(personas: Personas) -> None:
    built = _case(personas, State.FOLLOWING_UP)
    client = _client_for(personas, built.harmed)
    assert "Tell us how it went" in _page(client, "/your-part/")
    page = _page(client, "/your-part/survey/")
    assert "How satisfied are you with the restorative justice process?" in page
    assert "Date the survey was taken" not in page

    response = client.post(
        "/your-part/survey/",
        {"satisfaction": "5", "felt_safe": "yes", "fear_before": "8", "fear_after": "2", "comments": "It helped."},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("participation:survey_sent")
    survey = FeedbackSurvey.objects.get(participant=built.harmed)
    assert survey.method == SurveyMethod.ONLINE
    assert survey.taken_by is None
    assert (survey.satisfaction, survey.felt_safe, survey.fear_before, survey.fear_after) == (5, "yes", 8, 2)
    assert survey.felt_heard == ""
    assert AuditEvent.objects.get(action=AuditAction.SURVEY_RECORDED).actor is None
    assert "Thank you" in _page(client, response["Location"])
    assert "There is no survey for you to answer at the moment." in _page(client, "/your-part/survey/")
    assert client.post("/your-part/survey/", {"satisfaction": "1"}).status_code == 200
    assert FeedbackSurvey.objects.get(participant=built.harmed).satisfaction == 5
    staff_page = _page(signed_in_client(personas.facilitator), f"/cases/{built.case.pk}/follow-up/")
    assert "The participant, through their secure link" in staff_page


def test_a_bad_survey_answer_is_shown_and_what_was_typed_kept(personas: Personas) -> None:
    built = _case(personas, State.FOLLOWING_UP)
    client = _client_for(personas, built.harmed)
    response = client.post("/your-part/survey/", {"fear_before": "11", "comments": "Kept words."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Kept words." in page
    assert not FeedbackSurvey.objects.exists()


def test_there_is_no_survey_before_following_up(personas: Personas) -> None:
    built = _case(personas, State.AGREEMENT_MONITORING)
    client = _client_for(personas, built.harmed)
    assert "There is no survey for you to answer at the moment." in _page(client, "/your-part/survey/")
    assert client.post("/your-part/survey/", {"satisfaction": "4"}).status_code == 200
    assert not FeedbackSurvey.objects.exists()


# Nothing of anyone else's -------------------------------------------------------------------------------------------

HARMED_DETAILS = {
    "given_name": "Philippa",
    "family_name": "Quenneville",
    "phone": "07700 900811",
    "email": "philippa.q@example.org",
    "address": "88 Marigold Terrace\nWhitchurch\nGL51 7QQ",
    "date_of_birth": datetime.date(1971, 3, 9),
}
RESPONSIBLE_DETAILS = {
    "given_name": "Zebedee",
    "family_name": "Thorncastle",
    "phone": "07700 900922",
    "email": "zebedee.t@example.org",
    "address": "17 Juniper Crescent\nBrockworth\nGL3 4ZZ",
    "date_of_birth": datetime.date(1994, 11, 23),
}


def _words(details: dict[str, Any]) -> list[str]:
    """Everything of a person's that could appear on a page: names, phone, email, address lines, date of birth."""
    birth: datetime.date = details["date_of_birth"]
    return [
        details["given_name"],
        details["family_name"],
        details["phone"],
        details["email"],
        *details["address"].splitlines(),
        birth.strftime("%d/%m/%Y"),
        birth.isoformat(),
        date_format(birth, "j F Y"),
    ]


def _give_details(personas: Personas, built: BuiltCase) -> None:
    for participant, details in ((built.harmed, HARMED_DETAILS), (built.responsible, RESPONSIBLE_DETAILS)):
        people_services.update_person(
            person=participant.person,
            actor=personas.facilitator,
            case=built.case,
            details=details,
            expected_version=None,
        )


def test_no_page_shows_anything_of_the_other_party(personas: Personas) -> None:
    built = _case(personas)
    _give_details(personas, built)
    to_harmed = released_letter(personas, built, SORRY)
    from amends.relay import services as relay_services

    to_responsible = relay_services.create_message(
        case=built.case,
        actor=personas.facilitator,
        sender=built.harmed,
        recipient=built.responsible,
        kind="letter",
        body="Thank you for your letter.",
    )
    for name in ("submit", "approve", "release"):
        to_responsible = step(personas, to_responsible, name)
    for participant, message, other_details in (
        (built.harmed, to_harmed, RESPONSIBLE_DETAILS),
        (built.responsible, to_responsible, HARMED_DETAILS),
    ):
        client = _client_for(personas, participant)
        meeting_id = Attendee.objects.get(participant=participant).meeting_id
        for path in _paths(built, message, meeting_id):
            content = client.get(path).content.decode()
            for word in _words(other_details):
                assert word not in content, f"{word!r} of the other party appears at {path}"


# Query counts -------------------------------------------------------------------------------------------------------


def _queries(client: Client, path: str) -> int:
    from tests.test_query_counts import queries_for

    return queries_for(client, path)


def test_the_pages_run_the_same_queries_with_little_data_or_much(personas: Personas) -> None:
    built = _case(personas)
    released_letter(personas, built, SORRY)
    client = _client_for(personas, built.harmed)
    paths = ("/your-part/", "/your-part/consent/", "/your-part/messages/", "/your-part/meeting/")
    for path in paths:
        client.get(path)
    few = {path: _queries(client, path) for path in paths}
    for number in range(4):
        released_letter(personas, built, f"Letter number {number}.")
        book_conference(
            built.case,
            personas.facilitator,
            starts_at=day_at(14, days=200 + number),
            purpose=MeetingPurpose.PREPARATION,
            attendees=[built.harmed],
        )
        consent_services.give_consent(
            participant=built.harmed,
            actor=personas.facilitator,
            scopes=["take_part"],
            process_kinds=[ProcessKind.FACE_TO_FACE],
            method=ConsentMethod.VERBAL,
            occurred_at=timezone.now(),
            witnessed_by="A colleague",
        )
    message = RelayMessage.objects.filter(recipient=built.harmed).first()
    assert message is not None
    client.get(f"/your-part/messages/{message.pk}/reply/")
    client.post(f"/your-part/messages/{message.pk}/reply/", {"body": "A reply."})
    many = {path: _queries(client, path) for path in paths}
    assert many == few
