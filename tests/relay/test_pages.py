"""The message pages: what they show, what they record, refusals that keep what was typed, files served safely."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import State
from amends.people.models import IdentifyingDetail
from amends.relay import services
from amends.relay.models import FlagResolution, IdentifyingFlag, MessageFile, MessageStatus, RelayMessage
from tests.case_builders import BuiltCase
from tests.conftest import signed_in_client
from tests.personas import Personas
from tests.relay.conftest import EXE_BYTES, PDF_BYTES, letter_case, released_letter, step, upload, write_letter
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db


def _url(built: BuiltCase, rest: str = "") -> str:
    return f"/cases/{built.case.pk}/messages/{rest}"


def _message_url(message: RelayMessage, rest: str = "") -> str:
    return f"/cases/{message.case_id}/messages/{message.pk}/{rest}"


def test_it_writes_a_letter_through_the_pages_and_shows_it(personas: Personas) -> None:
    built = letter_case(personas)
    client = signed_in_client(personas.facilitator)
    assert "No messages yet." in client.get(_url(built)).content.decode()
    response = client.post(
        _url(built, "add/"),
        {
            "sender_id": built.responsible.pk,
            "recipient_id": built.harmed.pk,
            "kind": "letter",
            "body": "I am sorry, Ann. I live at 14 Elm Grove Road.",
        },
    )
    assert response.status_code == 302
    message = RelayMessage.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "I am sorry, Ann." in page
    assert "Submit for review" in page
    listing = client.get(_url(built)).content.decode()
    assert "From Rob (Person responsible (offender)) to Ann (Person harmed (victim))" in listing
    assert AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED, target_id=str(message.pk)).exists()


def test_it_keeps_what_was_typed_when_a_message_is_refused(personas: Personas) -> None:
    built = letter_case(personas)
    client = signed_in_client(personas.facilitator)
    response = client.post(
        _url(built, "add/"),
        {"sender_id": built.harmed.pk, "recipient_id": built.harmed.pk, "kind": "letter", "body": "Kept as typed."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A message goes to someone other than the person it is from." in page
    assert "Kept as typed." in page
    assert not RelayMessage.objects.exists()


def test_it_refuses_approval_on_the_page_until_the_address_is_redacted(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, write_letter(personas, built), "submit")
    client = signed_in_client(personas.facilitator)
    page = client.get(_message_url(message)).content.decode()
    assert "14 Elm Grove Road" in page
    assert "Flags still to resolve: 1." in page
    response = client.post(_message_url(message, "steps/approve/"), {"approve-version": message.version})
    assert response.status_code == 200
    assert "identifying-details flags still to resolve: 1 (street address)" in response.content.decode()
    flag = IdentifyingFlag.objects.get()
    response = client.post(
        _message_url(message, f"flags/{flag.pk}/"), {f"flag{flag.pk}-resolution": FlagResolution.REDACTED}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    response = client.post(_message_url(message, "steps/approve/"), {"approve-version": message.version})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.APPROVED
    assert "Elm Grove" not in message.body


def test_a_supervisor_reads_but_is_offered_no_writes(personas: Personas) -> None:
    built = letter_case(personas)
    case_services.allocate_case(
        case=built.case, actor=personas.coordinator, lead=personas.facilitator, supervisor=personas.supervisor
    )
    message = step(personas, write_letter(personas, built), "submit")
    client = signed_in_client(personas.supervisor)
    page = client.get(_message_url(message)).content.decode()
    assert "14 Elm Grove Road" in page
    assert "Save decision" not in page
    assert "Approve" not in page
    assert client.get(_url(built, "add/")).status_code == 404
    assert client.post(_message_url(message, "steps/approve/"), {}).status_code == 404


def test_a_closed_case_shows_its_messages_and_offers_no_writes(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built, "I am sorry.")
    case_services.transition_case(case=built.case, actor=personas.coordinator, name="close", closure_reason="other")
    client = signed_in_client(personas.facilitator)
    page = client.get(_message_url(message)).content.decode()
    assert "I am sorry." in page
    assert "Submit for review" not in page
    assert "Change the message" not in page
    assert "Write a message" not in client.get(_url(built)).content.decode()


def test_it_uploads_and_serves_a_file_as_an_attachment_that_is_never_sniffed(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built, "")
    client = signed_in_client(personas.facilitator)
    upload_file = SimpleUploadedFile("letter.exe", PDF_BYTES, content_type="application/x-msdownload")
    response = client.post(_message_url(message, "files/add/"), {"file": upload_file})
    assert response.status_code == 302
    stored = MessageFile.objects.get()
    assert stored.original_name == "letter.pdf"
    assert stored.stored_name.endswith(".pdf.enc")
    response = client.get(_message_url(message, f"files/{stored.pk}/"))
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED, target_id=str(stored.pk)).exists()


def test_it_refuses_an_executable_on_the_page(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built, "")
    client = signed_in_client(personas.facilitator)
    upload_file = SimpleUploadedFile("letter.pdf", EXE_BYTES, content_type="application/pdf")
    response = client.post(_message_url(message, "files/add/"), {"file": upload_file})
    assert response.status_code == 200
    assert "Upload a PDF, JPEG or PNG scan" in response.content.decode()
    assert not MessageFile.objects.exists()


def test_the_file_view_answers_404_to_anyone_who_cannot_reach_the_case(personas: Personas) -> None:
    built = letter_case(personas)
    message = write_letter(personas, built, "")
    stored = upload(personas, message, PDF_BYTES)
    assert isinstance(stored, MessageFile)
    path = _message_url(message, f"files/{stored.pk}/")
    for user in (personas.referrer, personas.commissioner, personas.administrator, personas.other_coordinator):
        assert signed_in_client(user).get(path).status_code == 404
    other = letter_case(personas)
    wrong_case = f"/cases/{other.case.pk}/messages/{message.pk}/files/{stored.pk}/"
    assert signed_in_client(personas.facilitator).get(wrong_case).status_code == 404


def test_the_participant_page_shows_only_messages_passed_on(personas: Personas) -> None:
    built = letter_case(personas)
    client = signed_in_client(personas.facilitator)
    harmed_page = f"/cases/{built.case.pk}/participants/{built.harmed.pk}/"
    approved = step(personas, step(personas, write_letter(personas, built, "Approved only."), "submit"), "approve")
    page = client.get(harmed_page).content.decode()
    assert "No messages have been passed on to them." in page
    assert _message_url(approved) not in page
    released = released_letter(personas, built)
    page = client.get(harmed_page).content.decode()
    assert _message_url(released) in page
    assert _message_url(approved) not in page


def test_it_adds_an_identifying_detail_from_the_participant_page(personas: Personas) -> None:
    built = letter_case(personas)
    client = signed_in_client(personas.facilitator)
    path = f"/cases/{built.case.pk}/participants/{built.responsible.pk}/identifying-details/add/"
    response = client.post(path, {"kind": "school", "value": ""})
    assert response.status_code == 200
    response = client.post(path, {"kind": "school", "value": "Ysgol Y Dre"})
    assert response.status_code == 302
    assert IdentifyingDetail.objects.get().value == "Ysgol Y Dre"
    page = client.get(f"/cases/{built.case.pk}/participants/{built.responsible.pk}/").content.decode()
    assert "Ysgol Y Dre" in page


def test_the_list_and_message_pages_run_the_same_queries_with_little_or_much(personas: Personas) -> None:
    client = signed_in_client(personas.facilitator)
    small, large = letter_case(personas), letter_case(personas)
    one = step(personas, write_letter(personas, small), "submit")
    upload(personas, write_letter(personas, small, "x"), PDF_BYTES)
    messages = []
    for _ in range(4):
        message = write_letter(personas, large, "At 14 Elm Grove Road, CF10 1AA, 029 2087 1234, rob@example.com.")
        upload(personas, message, PDF_BYTES)
        upload(personas, message, PDF_BYTES)
        messages.append(step(personas, message, "submit"))
    flag = IdentifyingFlag.objects.filter(message=messages[0]).first()
    assert flag is not None
    flag.message = messages[0]
    services.resolve_flag(
        flag=flag, actor=personas.facilitator, resolution=FlagResolution.KEPT_SENDER_AGREED, reason="Ok"
    )
    queries_for(client, _url(small))
    assert queries_for(client, _url(large)) == queries_for(client, _url(small))
    queries_for(client, _message_url(one))
    assert queries_for(client, _message_url(messages[0])) == queries_for(client, _message_url(one))


def test_the_pages_are_for_cases_being_prepared_or_later(personas: Personas) -> None:
    built = letter_case(personas, State.ASSESSING)
    client = signed_in_client(personas.facilitator)
    assert "Write a message" not in client.get(_url(built)).content.decode()
