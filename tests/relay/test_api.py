"""The relay API: messages, their steps, flags and files, and refusals as documented."""

import io

import pytest

from amends.consent import services as consent_services
from amends.relay.models import IdentifyingFlag, RelayMessage
from amends.relay.selectors import released_to
from tests.case_builders import BuiltCase
from tests.personas import Personas
from tests.relay.conftest import EXE_BYTES, PDF_BYTES, letter_case
from tests.test_api_cases import API, TokenClient

pytestmark = pytest.mark.django_db


def _write(client: TokenClient, built: BuiltCase, body: str = "I live at 14 Elm Grove Road. Sorry. Rob") -> dict:
    response = client.post(
        f"/cases/{built.case.pk}/messages",
        {"sender_id": built.responsible.pk, "recipient_id": built.harmed.pk, "kind": "letter", "body": body},
    )
    assert response.status_code == 201, response.content
    return response.json()


def _version(message_id: int) -> int:
    """The message's version as stored now, as a client that has just read it would send."""
    return RelayMessage.objects.get(pk=message_id).version


def _step(client: TokenClient, built: BuiltCase, message_id: int, **body: object) -> object:
    return client.post(f"/cases/{built.case.pk}/messages/{message_id}/steps", {"version": _version(message_id), **body})


def test_it_takes_a_letter_from_draft_to_release_through_the_api(personas: Personas) -> None:
    built = letter_case(personas)
    client = TokenClient(personas.facilitator)
    message = _write(client, built)
    assert message["status"] == "draft"
    assert message["steps"] == ["submit"]
    submitted = _step(client, built, message["id"], step="submit").json()
    assert [flag["kind"] for flag in submitted["flags"]] == ["address"]
    refused = _step(client, built, message["id"], step="approve")
    assert refused.status_code == 409
    assert "1 (street address)" in refused.json()["detail"]
    flag_id = submitted["flags"][0]["id"]
    resolved = client.post(
        f"/cases/{built.case.pk}/messages/{message['id']}/flags/{flag_id}/resolution",
        {"resolution": "redacted", "version": _version(message["id"])},
    )
    assert resolved.status_code == 200
    assert resolved.json()["resolution"] == "redacted"
    assert _step(client, built, message["id"], step="approve").json()["status"] == "approved"
    assert list(released_to(built.harmed)) == []
    released = _step(client, built, message["id"], step="release").json()
    assert released["status"] == "released"
    assert "Elm Grove" not in released["body"]
    assert [m.pk for m in released_to(built.harmed)] == [message["id"]]
    listed = client.get(f"/cases/{built.case.pk}/messages").json()
    assert [item["status"] for item in listed] == ["released"]


def test_it_names_the_gate_and_person_when_release_is_refused(personas: Personas) -> None:
    built = letter_case(personas)
    client = TokenClient(personas.facilitator)
    message = _write(client, built, "Sorry. Rob")
    for name in ("submit", "approve"):
        assert _step(client, built, message["id"], step=name).status_code == 200
    consent_services.withdraw_consent(participant=built.harmed, actor=personas.facilitator)
    refused = _step(client, built, message["id"], step="release")
    # A refusal by the gates is a 409 naming what is missing, as for a transition.
    assert refused.status_code == 409
    assert "Ann Harmed" in refused.json()["detail"]


def test_it_refuses_an_unknown_step_as_invalid(personas: Personas) -> None:
    built = letter_case(personas)
    client = TokenClient(personas.facilitator)
    message = _write(client, built)
    assert _step(client, built, message["id"], step="publish").status_code == 422


def test_it_changes_a_draft_and_refuses_an_old_version(personas: Personas) -> None:
    built = letter_case(personas)
    client = TokenClient(personas.facilitator)
    message = _write(client, built)
    path = f"/cases/{built.case.pk}/messages/{message['id']}"
    changed = client.post(path, {"kind": "letter", "body": "New words.", "version": 1}, method="patch")
    assert changed.status_code == 200
    assert changed.json()["body"] == "New words."
    stale = client.post(path, {"kind": "letter", "body": "Other words.", "version": 1}, method="patch")
    assert stale.status_code == 409


def test_it_uploads_a_file_by_multipart_and_downloads_it_as_an_attachment(personas: Personas) -> None:
    built = letter_case(personas)
    client = TokenClient(personas.facilitator)
    message = _write(client, built, "")
    path = f"{API}/cases/{built.case.pk}/messages/{message['id']}/files"
    headers = {"Authorization": f"Bearer {client.plain}"}

    pdf = io.BytesIO(PDF_BYTES)
    pdf.name = "scan.png"
    uploaded = client.client.post(path, {"file": pdf}, headers=headers)
    assert uploaded.status_code == 201, uploaded.content
    assert uploaded.json()["content_type"] == "application/pdf"
    assert uploaded.json()["name"] == "scan.pdf"
    exe = io.BytesIO(EXE_BYTES)
    exe.name = "scan.pdf"
    refused = client.client.post(path, {"file": exe}, headers=headers)
    assert refused.status_code == 409
    assert refused.json()["field"] == "file"
    assert client.client.post(path, {}, headers=headers).status_code == 409
    download = client.get(f"/cases/{built.case.pk}/messages/{message['id']}/files/{uploaded.json()['id']}")
    assert download.status_code == 200
    assert download.content == PDF_BYTES
    assert download["Content-Disposition"] == 'attachment; filename="scan.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_a_supervisor_cannot_write_through_the_api(personas: Personas) -> None:
    built = letter_case(personas)
    response = TokenClient(personas.supervisor).post(
        f"/cases/{built.case.pk}/messages",
        {"sender_id": built.responsible.pk, "recipient_id": built.harmed.pk, "kind": "letter", "body": "Hi"},
    )
    assert response.status_code == 404


def test_it_adds_an_identifying_detail_that_the_check_then_finds(personas: Personas) -> None:
    built = letter_case(personas)
    client = TokenClient(personas.facilitator)
    added = client.post(
        f"/cases/{built.case.pk}/participants/{built.responsible.pk}/identifying-details",
        {"kind": "workplace", "value": "Tesco Welshpool"},
    )
    assert added.status_code == 201
    message = _write(client, built, "I work at tesco welshpool now.")
    _step(client, built, message["id"], step="submit")
    assert IdentifyingFlag.objects.get().matched_text == "tesco welshpool"
