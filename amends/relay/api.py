"""The relay API: a case's messages, one message with its files and flags, and the writes that move it on."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status, UploadedFile

from amends.accounts import access as account_access
from amends.cases import access as case_access
from amends.cases.api import READ_ERRORS, WRITE_ERRORS, path_id
from amends.core.api_types import Id, LongStatement, LongText, Version
from amends.core.errors import DomainError
from amends.permissions import CaseAccess
from amends.relay import access, files, selectors, services
from amends.relay.forms import party_label
from amends.relay.models import DeliveryMethod, FlagResolution, IdentifyingFlag, MessageFile, MessageKind, RelayMessage

router = Router(tags=["messages"])

# An upload is optional to the schema so that a request without one still meets the access check (404) before the
# service's refusal (409), as every other write does.
NO_FILE = File(None)  # type: ignore[type-arg]
STEP_PATTERN = "^(" + "|".join(services.STEPS_BY_NAME) + ")$"


class MessageOut(Schema):
    id: int
    case_id: int
    sender_id: int
    sender: str
    recipient_id: int
    recipient: str
    kind: str
    status: str
    reply_to_id: int | None
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    released_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    declined_at: datetime.datetime | None
    version: int
    steps: list[str] = Field(..., description="The steps this message may take from its status.")


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime
    uploaded_by_id: int


class FlagOut(Schema):
    id: int
    kind: str
    matched_text: str
    place: str
    file_id: int | None
    resolution: str
    reason: str
    resolved_by_id: int | None
    resolved_at: datetime.datetime | None


class MessageDetailOut(MessageOut):
    body: str
    return_reason: str
    redactions: str
    delivery_method: str
    decline_reason: str
    files: list[FileOut]
    flags: list[FlagOut]


def message_out(message: RelayMessage) -> MessageOut:
    return MessageOut(**_message_fields(message))


def _message_fields(message: RelayMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "case_id": message.case_id,
        "sender_id": message.sender_id,
        "sender": party_label(message.sender),
        "recipient_id": message.recipient_id,
        "recipient": party_label(message.recipient),
        "kind": message.kind,
        "status": message.status,
        "reply_to_id": message.reply_to_id,
        "created_at": message.created_at,
        "submitted_at": message.submitted_at,
        "approved_at": message.approved_at,
        "released_at": message.released_at,
        "delivered_at": message.delivered_at,
        "declined_at": message.declined_at,
        "version": message.version,
        "steps": [step.name for step in services.steps_from(message.status)],
    }


def file_out(item: MessageFile) -> FileOut:
    return FileOut(
        id=item.pk,
        name=files.download_name(item),
        content_type=item.content_type,
        size=item.size,
        uploaded_at=item.uploaded_at,
        uploaded_by_id=item.uploaded_by_id,
    )


def flag_out(flag: IdentifyingFlag) -> FlagOut:
    return FlagOut(
        id=flag.pk,
        kind=flag.kind,
        matched_text=flag.matched_text,
        place=flag.place,
        file_id=flag.file_id,
        resolution=flag.resolution,
        reason=flag.reason,
        resolved_by_id=flag.resolved_by_id,
        resolved_at=flag.resolved_at,
    )


def message_detail_out(message: RelayMessage) -> MessageDetailOut:
    page = selectors.message_page(message)
    return MessageDetailOut(
        **_message_fields(message),
        body=message.body,
        return_reason=message.return_reason,
        redactions=message.redactions,
        delivery_method=message.delivery_method,
        decline_reason=message.decline_reason,
        files=[file_out(item) for item in page.files],
        flags=[flag_out(flag) for flag in page.flags],
    )


@router.get(
    "/cases/{case_id}/messages",
    response={200: list[MessageOut], **READ_ERRORS},
    summary="A case's messages between participants, oldest first",
)
def list_messages(request: HttpRequest, case_id: int = path_id()) -> list[MessageOut]:
    user = account_access.signed_in_user(request)
    _case, messages = access.message_list(user, case_id)
    return [message_out(message) for message in messages]


class MessageIn(Schema):
    sender_id: Id = Field(..., description="The participant the message is from.")
    recipient_id: Id = Field(..., description="The participant the message is for.")
    kind: MessageKind
    body: LongText = ""


@router.post(
    "/cases/{case_id}/messages",
    response={201: MessageDetailOut, **WRITE_ERRORS},
    summary="Write a message, as a draft",
    description="While the process is prepared or under way, or the agreement is monitored (409 otherwise).",
)
def create_message(request: HttpRequest, payload: MessageIn, case_id: int = path_id()) -> Status[MessageDetailOut]:
    user = account_access.signed_in_user(request)
    sender = case_access.get_participant_for_user(user, case_id, payload.sender_id, CaseAccess.WORK)
    recipient = case_access.get_participant_for_user(user, case_id, payload.recipient_id, CaseAccess.WORK)
    message = services.create_message(
        case=sender.case, actor=user, sender=sender, recipient=recipient, kind=payload.kind, body=payload.body
    )
    message = access.get_message_for_user(user, case_id, message.pk, CaseAccess.WORK)
    return Status(201, message_detail_out(message))


@router.get(
    "/cases/{case_id}/messages/{message_id}",
    response={200: MessageDetailOut, **READ_ERRORS},
    summary="One message, with its words, files and identifying-details flags",
)
def get_message(request: HttpRequest, case_id: int = path_id(), message_id: int = path_id()) -> MessageDetailOut:
    user = account_access.signed_in_user(request)
    return message_detail_out(access.view_message_for_user(user, case_id, message_id))


class MessageChangeIn(Schema):
    kind: MessageKind
    body: LongStatement
    version: Version = Field(..., description="The message's version when you read it (409 if it changed since).")


@router.patch(
    "/cases/{case_id}/messages/{message_id}",
    response={200: MessageDetailOut, **WRITE_ERRORS},
    summary="Change a draft or returned message (its words are checked again once it has been submitted)",
)
def edit_message(
    request: HttpRequest, payload: MessageChangeIn, case_id: int = path_id(), message_id: int = path_id()
) -> MessageDetailOut:
    user = account_access.signed_in_user(request)
    message = access.get_message_for_user(user, case_id, message_id, CaseAccess.WORK)
    services.edit_message(
        message=message, actor=user, kind=payload.kind, body=payload.body, expected_version=payload.version
    )
    return message_detail_out(access.get_message_for_user(user, case_id, message_id, CaseAccess.WORK))


class StepIn(Schema):
    step: str = Field(
        ...,
        pattern=STEP_PATTERN,
        description="submit, start_review, return (with reason), approve (with an optional note of redactions), "
        "release, deliver (with delivery_method), acknowledge, reply (answers the new reply), decline (with reason).",
    )
    version: Version
    reason: LongText = ""
    redactions: LongText = ""
    delivery_method: DeliveryMethod | None = None


@router.post(
    "/cases/{case_id}/messages/{message_id}/steps",
    response={200: MessageDetailOut, **WRITE_ERRORS},
    summary="Move a message on by one step",
    description="Steps from submission on re-check the four gates (409 naming each that does not hold). Approval "
    "and release are refused while an identifying-details flag is unresolved (409).",
)
def take_step(
    request: HttpRequest, payload: StepIn, case_id: int = path_id(), message_id: int = path_id()
) -> MessageDetailOut:
    user = account_access.signed_in_user(request)
    message = access.get_message_for_user(user, case_id, message_id, CaseAccess.WORK)
    moved = services.take_step(
        message=message,
        actor=user,
        step=payload.step,
        expected_version=payload.version,
        reason=payload.reason,
        redactions=payload.redactions,
        delivery_method=payload.delivery_method or "",
    )
    return message_detail_out(access.get_message_for_user(user, case_id, moved.pk, CaseAccess.WORK))


class FlagResolutionIn(Schema):
    resolution: FlagResolution = Field(..., description="redacted, kept_not_identifying or kept_sender_agreed.")
    reason: LongText = ""
    version: Version = Field(..., description="The message's version as read (409 if it changed since).")


@router.post(
    "/cases/{case_id}/messages/{message_id}/flags/{flag_id}/resolution",
    response={200: FlagOut, **WRITE_ERRORS},
    summary="Decide about a flagged detail: redact it, or keep it with the reason",
)
def resolve_flag(
    request: HttpRequest,
    payload: FlagResolutionIn,
    case_id: int = path_id(),
    message_id: int = path_id(),
    flag_id: int = path_id(),
) -> FlagOut:
    user = account_access.signed_in_user(request)
    flag = access.get_flag_for_user(user, case_id, message_id, flag_id)
    resolved = services.resolve_flag(
        flag=flag, actor=user, resolution=payload.resolution, reason=payload.reason, expected_version=payload.version
    )
    return flag_out(resolved)


@router.post(
    "/cases/{case_id}/messages/{message_id}/files",
    response={201: FileOut, **WRITE_ERRORS},
    summary="Add a scan or recording to a draft or returned message (multipart/form-data, field `file`)",
    description="PDF, JPEG, PNG, MP3, M4A, WAV, MP4 or WebM, told by the file's first bytes, not its name or type; "
    "no larger than the service's limit.",
)
def add_file(
    request: HttpRequest,
    case_id: int = path_id(),
    message_id: int = path_id(),
    file: UploadedFile | None = NO_FILE,
) -> Status[FileOut]:
    user = account_access.signed_in_user(request)
    message = access.get_message_for_user(user, case_id, message_id, CaseAccess.WORK)
    if file is None:
        raise DomainError(_("Choose a file to upload."), field="file")
    stored = services.add_file(message=message, actor=user, name=file.name or "", content=file)
    return Status(201, file_out(stored))


@router.get(
    "/cases/{case_id}/messages/{message_id}/files/{file_id}",
    response={200: None, **READ_ERRORS},
    summary="Download a message's file (always as an attachment, of the type its first bytes showed)",
)
def download_file(
    request: HttpRequest, case_id: int = path_id(), message_id: int = path_id(), file_id: int = path_id()
) -> HttpResponse:
    user = account_access.signed_in_user(request)
    return files.attachment(access.view_file_for_user(user, case_id, message_id, file_id))
