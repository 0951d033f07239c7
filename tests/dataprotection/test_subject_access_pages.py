"""The subject access export's preview page and downloads: a coordinator's, once the request is approved, audited, and
named by the request, never by the person."""

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.dataprotection import subject_access
from amends.dataprotection.models import RightsRequest, RightsRequestKind, RightsRequestStatus
from amends.people.models import Person
from amends.relay import services as relay_services
from amends.relay.models import MessageKind
from tests.case_builders import BuiltCase, build_case
from tests.conftest import signed_in_client
from tests.dataprotection.test_subject_access import _consent, _log, _release, access_request, letters_case
from tests.factories import TEST_PASSWORD
from tests.personas import Personas
from tests.relay.conftest import PDF_BYTES, letter_case, upload, write_letter
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db


def _url(name: str, request: RightsRequest) -> str:
    return reverse(f"dataprotection:{name}", kwargs={"service_id": request.service_id, "request_id": request.pk})


def _approved(personas: Personas) -> tuple[BuiltCase, RightsRequest]:
    built = letters_case(personas)
    return built, access_request(built.harmed.person, personas.coordinator)


def _events(action: AuditAction, request: RightsRequest) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action, target_type="dataprotection.rightsrequest", target_id=str(request.pk)
        ).order_by("pk")
    )


def test_a_coordinator_reads_the_export_before_it_is_released(personas: Personas) -> None:
    _built, request = _approved(personas)
    response = signed_in_client(personas.coordinator).get(_url("access_preview", request))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Check the subject access export" in page
    assert "Philippa" in page
    assert "[redacted]" in page
    assert "Wrexworth" not in page
    assert "govuk-summary-list" in page
    assert _url("access_pdf", request) in page
    assert _url("access_json", request) in page
    assert [event.actor_id for event in _events(AuditAction.RECORD_VIEWED, request)] == [personas.coordinator.pk]


def test_the_json_download_is_the_report_named_by_the_request_and_audited(personas: Personas) -> None:
    _built, request = _approved(personas)
    response = signed_in_client(personas.coordinator).post(_url("access_json", request))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="subject-access-request-{request.pk}-en.json"'
    assert response["Cache-Control"] == "no-store"
    report = json.loads(response.content.decode("utf-8"))
    assert report["sections"][0]["heading"] == "Your details"
    assert "Wrexworth" not in response.content.decode("utf-8")
    events = _events(AuditAction.SUBJECT_ACCESS_EXPORTED, request)
    assert [(event.actor_id, event.changes) for event in events] == [
        (personas.coordinator.pk, {"format": "json", "language": "en"})
    ]
    assert events[0].service_id == personas.service.pk


def test_the_pdf_download_is_named_by_the_request_and_audited(personas: Personas) -> None:
    built, request = _approved(personas)
    response = signed_in_client(personas.coordinator).post(_url("access_pdf", request))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="subject-access-request-{request.pk}-en.pdf"'
    assert built.harmed.person.family_name not in disposition
    assert response["Cache-Control"] == "no-store"
    assert [event.changes for event in _events(AuditAction.SUBJECT_ACCESS_EXPORTED, request)] == [
        {"format": "pdf", "language": "en"}
    ]


def test_a_download_asks_for_the_password_again_and_then_sends_the_file_asked_for(personas: Personas) -> None:
    _built, request = _approved(personas)
    client = signed_in_client(personas.coordinator, recently_authenticated=False)
    asked = client.post(_url("access_json", request), {"language": "cy"})
    assert asked.status_code == 302
    password_page = asked["Location"]
    assert password_page.startswith("/accounts/reauthenticate/")

    wrong = client.post(password_page, {"password": "not-my-password"})
    assert "Incorrect password." in wrong.content.decode()
    assert not _events(AuditAction.SUBJECT_ACCESS_EXPORTED, request)
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 1

    given = client.post(password_page, {"password": TEST_PASSWORD})
    assert given.status_code == 200
    assert given["Content-Disposition"] == f'attachment; filename="subject-access-request-{request.pk}-cy.json"'
    assert [event.changes for event in _events(AuditAction.SUBJECT_ACCESS_EXPORTED, request)] == [
        {"format": "json", "language": "cy"}
    ]


def test_a_download_is_never_a_link_that_can_be_followed(personas: Personas) -> None:
    _built, request = _approved(personas)
    client = signed_in_client(personas.coordinator)
    for name in ("access_json", "access_pdf"):
        assert client.get(_url(name, request)).status_code == 405, name
    assert not _events(AuditAction.SUBJECT_ACCESS_EXPORTED, request)


@pytest.mark.parametrize("status", [RightsRequestStatus.RECEIVED, RightsRequestStatus.REFUSED])
def test_there_is_no_export_before_the_request_is_approved_nor_after_a_refusal(
    personas: Personas, status: RightsRequestStatus
) -> None:
    built = letters_case(personas)
    request = access_request(built.harmed.person, personas.coordinator, status=status)
    client = signed_in_client(personas.coordinator)
    assert client.get(_url("access_preview", request)).status_code == 404
    for name in ("access_json", "access_pdf"):
        assert client.post(_url(name, request)).status_code == 404, name
    assert not AuditEvent.objects.filter(target_type="dataprotection.rightsrequest").exists()


def test_a_completed_request_keeps_its_export(personas: Personas) -> None:
    built = letters_case(personas)
    request = access_request(built.harmed.person, personas.coordinator, status=RightsRequestStatus.COMPLETED)
    assert signed_in_client(personas.coordinator).post(_url("access_json", request)).status_code == 200


def test_only_a_request_to_see_their_information_has_an_export(personas: Personas) -> None:
    built = letters_case(personas)
    request = access_request(built.harmed.person, personas.coordinator, kind=RightsRequestKind.ERASURE)
    assert signed_in_client(personas.coordinator).post(_url("access_json", request)).status_code == 404


def test_nobody_but_the_services_coordinator_reaches_it(personas: Personas) -> None:
    _built, request = _approved(personas)
    for user in (personas.facilitator, personas.administrator, personas.supervisor, personas.other_coordinator):
        client = signed_in_client(user)
        assert client.get(_url("access_preview", request)).status_code == 404, user
        for name in ("access_json", "access_pdf"):
            assert client.post(_url(name, request)).status_code == 404, (user, name)
    # Through another service's address, the request is not there either.
    wrong = f"/services/{personas.other_service.pk}/data-requests/{request.pk}/export.json"
    assert signed_in_client(personas.other_coordinator).post(wrong).status_code == 404
    assert not AuditEvent.objects.filter(target_type="dataprotection.rightsrequest").exists()


# Queries ------------------------------------------------------------------------------------------------------------


def _more_records(personas: Personas, built: BuiltCase, count: int) -> None:
    """More of every kind of record about the person harmed, and about the person responsible."""
    facilitator = personas.facilitator
    for number in range(count):
        for participant in (built.harmed, built.responsible):
            _log(participant, facilitator, f"Contact number {number}.")
            _consent(participant, facilitator, f"Consent form {number}")
        case_services.add_case_note(case=built.case, actor=facilitator, text=f"Note {number} about Thaddeus.")
        _release(
            personas,
            relay_services.create_message(
                case=built.case,
                actor=facilitator,
                sender=built.responsible,
                recipient=built.harmed,
                kind=MessageKind.LETTER,
                body=f"Letter {number}.",
            ),
        )


def _report_queries(person: Person) -> int:
    person = Person.objects.get(pk=person.pk)
    with CaptureQueriesContext(connection) as captured:
        subject_access.build_report(person, service=person.service)
    return len(captured)


def test_building_the_report_runs_the_same_queries_however_much_is_held(personas: Personas) -> None:
    built, request = _approved(personas)
    client = signed_in_client(personas.coordinator)
    report_before = _report_queries(built.harmed.person)
    page_before = queries_for(client, _url("access_preview", request))
    withhold_before = queries_for(client, _url("access_withhold", request))
    _more_records(personas, built, 3)
    assert _report_queries(built.harmed.person) == report_before
    assert queries_for(client, _url("access_preview", request)) == page_before
    assert queries_for(client, _url("access_withhold", request)) == withhold_before


def test_it_lists_their_requests_and_nothing_another_service_holds(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    person = built.harmed.person
    access_request(person, personas.coordinator)
    report = subject_access.build_report(person, service=personas.service)
    headings = [section["heading"] for section in report["sections"]]
    assert headings == [
        "Your details",
        f"Case {built.case.reference}",
        "Referrals that name you",
        "Your requests about your information",
    ]
    # Nothing of the service's records is read through another service.
    other = subject_access.build_report(person, service=personas.other_service)
    assert [section["heading"] for section in other["sections"]] == ["Your details"]


def test_the_export_is_in_the_persons_own_language_unless_another_is_chosen(personas: Personas) -> None:
    built, request = _approved(personas)
    Person.objects.filter(pk=built.harmed.person_id).update(correspondence_language="cy")
    client = signed_in_client(personas.coordinator)
    page = client.get(_url("rights_detail", request)).content.decode()
    welsh_link, english_link = ('name="language" value="cy"', 'name="language" value="en"')
    assert welsh_link in page
    assert english_link in page
    assert page.index(welsh_link) < page.index(english_link)
    with translation.override("cy"):
        welsh_heading = gettext("Your details")
    assert welsh_heading != "Your details"
    welsh = client.post(_url("access_json", request))
    assert welsh["Content-Disposition"] == f'attachment; filename="subject-access-request-{request.pk}-cy.json"'
    assert json.loads(welsh.content)["sections"][0]["heading"] == welsh_heading
    # Its words in quotation marks too: the catalogue holds them as the code writes them.
    assert "“y person sy'n gyfrifol”" in json.loads(welsh.content)["introduction"][1]
    english = client.post(_url("access_json", request), {"language": "en"})
    assert json.loads(english.content)["sections"][0]["heading"] == "Your details"


def test_the_files_of_their_messages_come_as_one_zip_named_by_the_message_never_by_their_own_names(
    personas: Personas, settings: Any, tmp_path: Path
) -> None:
    settings.AMENDS_PRIVATE_DIR = tmp_path / "private"
    built = letter_case(personas)
    letter = write_letter(personas, built)
    upload(personas, letter, PDF_BYTES, name="Rob Wrexworth apology.pdf")
    relay_services.take_step(message=letter, actor=personas.facilitator, step="submit")
    client = signed_in_client(personas.coordinator)

    # The person responsible sent it: it is theirs, named as the report names it.
    sender_request = access_request(built.responsible.person, personas.coordinator)
    report = subject_access.build_report(built.responsible.person, service=personas.service)
    assert f"message-{letter.pk}-file-1" in json.dumps(report)
    assert "apology.pdf" not in json.dumps(report)
    assert _url("access_files", sender_request) in client.get(_url("rights_detail", sender_request)).content.decode()
    response = client.post(_url("access_files", sender_request))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-request-{sender_request.pk}-files.zip"'
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        assert bundle.namelist() == [f"message-{letter.pk}-file-1.pdf"]
        assert bundle.read(f"message-{letter.pk}-file-1.pdf") == PDF_BYTES
    assert [event.changes for event in _events(AuditAction.SUBJECT_ACCESS_EXPORTED, sender_request)] == [
        {"format": "zip"}
    ]

    # It has not been passed on to the person harmed: their export has no files at all.
    harmed_request = access_request(built.harmed.person, personas.coordinator)
    assert (
        _url("access_files", harmed_request) not in client.get(_url("rights_detail", harmed_request)).content.decode()
    )
    assert client.post(_url("access_files", harmed_request)).status_code == 404
