"""Permission-matrix rows for the facilitated relay: the message pages and forms, files, flags and steps, their API,
and the identifying details held on a participant's record.

Each path first takes the target's case (in assessing) on to the process, through the services, and makes the
message the row needs: a draft letter from the person responsible with a file, or the same letter submitted (so its
street address is flagged). Supervised rows first make the service's supervisor the case's supervisor: they may read
messages and download their files, and nothing more.
"""

import io
from collections.abc import Callable
from typing import Any

from amends.cases.models import Case
from amends.people.models import ParticipantRole
from amends.relay import services
from amends.relay.models import IdentifyingFlag, MessageFile, MessageKind, MessageStatus, RelayMessage
from tests.matrix.base import Endpoint, Target
from tests.matrix.case_api import API, _supervised
from tests.matrix.outcomes import _in_process

CASE_TEAM = frozenset({"coordinator", "facilitator"})
READERS = CASE_TEAM | {"supervisor"}
PDF = b"%PDF-1.4\n%%EOF\n"


def _draft(t: Target) -> RelayMessage:
    """A draft letter from the person responsible to the person harmed, with a scan (made once)."""
    case = _in_process(t)
    message = RelayMessage.objects.filter(case=case).first()
    if message is None:
        message = services.create_message(
            case=case,
            actor=t.member,
            sender=case.participants.get(role=ParticipantRole.PERSON_RESPONSIBLE),
            recipient=case.participants.get(role=ParticipantRole.PERSON_HARMED),
            kind=MessageKind.LETTER,
            body="Sorry. I live at 14 Elm Grove Road now.",
        )
        services.add_file(message=message, actor=t.member, name="scan.pdf", content=io.BytesIO(PDF))
    message.case = case
    return message


def _submitted(t: Target) -> RelayMessage:
    message = _draft(t)
    if message.status == MessageStatus.DRAFT:
        message = services.take_step(message=message, actor=t.member, step="submit")
    return message


def _flag(t: Target) -> IdentifyingFlag:
    return IdentifyingFlag.objects.filter(message=_submitted(t), place="text").order_by("pk").get()


def _file(t: Target) -> MessageFile:
    return MessageFile.objects.filter(message=_draft(t)).get()


def _case_page(rest: str) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        _in_process(t)
        return f"/cases/{t.case.pk}/messages/{rest}"

    return path


def _message_page(rest: str, make: Callable[[Target], RelayMessage] = _draft) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        return f"/cases/{t.case.pk}/messages/{make(t).pk}/{rest}"

    return path


def _file_page(t: Target) -> str:
    item = _file(t)
    return f"/cases/{t.case.pk}/messages/{item.message_id}/files/{item.pk}/"


def _flag_page(t: Target) -> str:
    flag = _flag(t)
    return f"/cases/{t.case.pk}/messages/{flag.message_id}/flags/{flag.pk}/"


def _api(rest: str = "") -> Callable[[Target], str]:
    def path(t: Target) -> str:
        _in_process(t)
        return f"{API}/cases/{t.case.pk}/messages{rest}"

    return path


def _api_message(rest: str = "", make: Callable[[Target], RelayMessage] = _draft) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        return f"{API}/cases/{t.case.pk}/messages/{make(t).pk}{rest}"

    return path


def _api_file(t: Target) -> str:
    item = _file(t)
    return f"{API}/cases/{t.case.pk}/messages/{item.message_id}/files/{item.pk}"


def _api_flag(t: Target) -> str:
    flag = _flag(t)
    return f"{API}/cases/{t.case.pk}/messages/{flag.message_id}/flags/{flag.pk}/resolution"


def _participant(t: Target) -> str:
    return f"/cases/{t.case.pk}/participants/{t.participant.pk}/identifying-details/add/"


def _latest_version(t: Target) -> int:
    """The version of the message the path just made (the case's newest)."""
    return RelayMessage.objects.filter(case_id=t.case.pk).latest("pk").version


def _parties(t: Target) -> dict[str, Any]:
    case = Case.objects.get(pk=t.case.pk)
    return {
        "sender_id": case.participants.get(role=ParticipantRole.PERSON_HARMED).pk,
        "recipient_id": case.participants.get(role=ParticipantRole.PERSON_RESPONSIBLE).pk,
        "kind": MessageKind.SHUTTLE,
        "body": "Ann asks why her house.",
    }


ENDPOINTS = (
    Endpoint("messages", "GET", _case_page(""), CASE_TEAM),
    Endpoint("messages, supervised", "GET", _supervised(_case_page("")), READERS),
    Endpoint("message add", "GET", _case_page("add/"), CASE_TEAM),
    Endpoint("message add", "POST", _case_page("add/"), CASE_TEAM),
    Endpoint("message add, supervised", "POST", _supervised(_case_page("add/")), CASE_TEAM),
    Endpoint("message", "GET", _message_page(""), CASE_TEAM),
    Endpoint("message, supervised", "GET", _supervised(_message_page("")), READERS),
    Endpoint("message edit", "GET", _message_page("edit/"), CASE_TEAM),
    Endpoint("message edit", "POST", _message_page("edit/"), CASE_TEAM),
    Endpoint("message file add", "GET", _message_page("files/add/"), CASE_TEAM),
    Endpoint("message file add", "POST", _message_page("files/add/"), CASE_TEAM),
    Endpoint("message file", "GET", _file_page, CASE_TEAM),
    Endpoint("message file, supervised", "GET", _supervised(_file_page), READERS),
    Endpoint("message flag", "GET", _flag_page, CASE_TEAM),
    Endpoint("message flag", "POST", _flag_page, CASE_TEAM),
    Endpoint("message flag, supervised", "POST", _supervised(_flag_page), CASE_TEAM),
    Endpoint("message step", "GET", _message_page("steps/submit/"), CASE_TEAM),
    Endpoint("message step", "POST", _message_page("steps/submit/"), CASE_TEAM),
    Endpoint("message step, supervised", "POST", _supervised(_message_page("steps/submit/")), CASE_TEAM),
    Endpoint("identifying detail add", "GET", _participant, CASE_TEAM),
    Endpoint("identifying detail add", "POST", _participant, CASE_TEAM),
    Endpoint("API: messages", "GET", _api(), CASE_TEAM),
    Endpoint("API: messages, supervised", "GET", _supervised(_api()), READERS),
    Endpoint("API: write message", "POST", _supervised(_api()), CASE_TEAM, body=_parties),
    Endpoint("API: message", "GET", _api_message(), CASE_TEAM),
    Endpoint("API: message, supervised", "GET", _supervised(_api_message()), READERS),
    Endpoint(
        "API: change message",
        "PATCH",
        _supervised(_api_message()),
        CASE_TEAM,
        body=lambda t: {"kind": MessageKind.LETTER, "body": "Sorry, from Rob.", "version": _latest_version(t)},
    ),
    Endpoint(
        "API: message step",
        "POST",
        _supervised(_api_message("/steps")),
        CASE_TEAM,
        body=lambda t: {"step": "submit", "version": _latest_version(t)},
    ),
    # The flagged street address stays flagged until someone decides: approval is then refused.
    Endpoint(
        "API: message step refused",
        "POST",
        _api_message("/steps", _submitted),
        CASE_TEAM,
        body=lambda t: {"step": "approve", "version": _latest_version(t)},
        refused=CASE_TEAM,
    ),
    Endpoint(
        "API: resolve flag",
        "POST",
        _supervised(_api_flag),
        CASE_TEAM,
        body=lambda t: {
            "resolution": "kept_not_identifying",
            "reason": "An old address.",
            "version": _latest_version(t),
        },
    ),
    # A JSON body carries no file: past the access check, the service asks for one (409).
    Endpoint(
        "API: upload file",
        "POST",
        _supervised(_api_message("/files")),
        CASE_TEAM,
        body=lambda t: {},
        refused=CASE_TEAM,
    ),
    Endpoint("API: download file", "GET", _api_file, CASE_TEAM),
    Endpoint("API: download file, supervised", "GET", _supervised(_api_file), READERS),
    Endpoint(
        "API: identifying detail",
        "POST",
        _supervised(lambda t: f"{API}/cases/{t.case.pk}/participants/{t.participant.pk}/identifying-details"),
        CASE_TEAM,
        body=lambda t: {"kind": "school", "value": "Ysgol Y Dre"},
    ),
)

URL_NAMES = (
    "message_list",
    "message_add",
    "message_detail",
    "message_edit",
    "message_file_add",
    "message_file",
    "message_flag_resolve",
    "message_step",
    "identifying_detail_add",
)

API_PATHS = tuple(
    API + path
    for path in (
        "/cases/{case_id}/messages",
        "/cases/{case_id}/messages/{message_id}",
        "/cases/{case_id}/messages/{message_id}/steps",
        "/cases/{case_id}/messages/{message_id}/flags/{flag_id}/resolution",
        "/cases/{case_id}/messages/{message_id}/files",
        "/cases/{case_id}/messages/{message_id}/files/{file_id}",
        "/cases/{case_id}/participants/{participant_id}/identifying-details",
    )
)

API_WRITES = (
    f"POST {API}/cases/{{case_id}}/messages",
    f"PATCH {API}/cases/{{case_id}}/messages/{{message_id}}",
    f"POST {API}/cases/{{case_id}}/messages/{{message_id}}/steps",
    f"POST {API}/cases/{{case_id}}/messages/{{message_id}}/flags/{{flag_id}}/resolution",
    f"POST {API}/cases/{{case_id}}/messages/{{message_id}}/files",
    f"POST {API}/cases/{{case_id}}/participants/{{participant_id}}/identifying-details",
)
