"""The complaints API: the service's register of complaints, compliments and other feedback, one complaint (a view of
personal data, audited), recording one, and recording a complaint's answer."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from amends.accounts import access as account_access
from amends.cases.api import READ_ERRORS, WRITE_ERRORS, path_id
from amends.complaints import access, services
from amends.complaints.models import AnswerBy, Channel, Complaint, ComplaintKind, FromRole, Outcome
from amends.complaints.presenters import escalation_route
from amends.complaints.selectors import Show
from amends.core.api_types import Day, Id, LongStatement, LongText, ShortText, Version
from amends.core.errors import DomainError
from amends.permissions import Capability

router = Router(tags=["complaints"])


class ComplaintRow(Schema):
    """A complaint, compliment or other feedback in the register, without what anyone said."""

    id: int
    kind: str
    received_on: datetime.date
    channel: str
    from_role: str
    case_id: int | None
    case_reference: str | None
    handler_id: int | None
    due_on: datetime.date | None
    acknowledged_on: datetime.date | None
    responded_on: datetime.date | None
    outcome: str
    answered_in_time: bool | None
    escalated_on: datetime.date | None
    escalated_to: str
    version: int


class ComplaintOut(ComplaintRow):
    summary: str
    contact: str
    answer_by: str
    response: str
    escalation_details: str
    escalation_route: str


def _row_values(complaint: Complaint) -> dict[str, Any]:
    return {
        "id": complaint.pk,
        "kind": complaint.kind,
        "received_on": complaint.received_on,
        "channel": complaint.channel,
        "from_role": complaint.from_role,
        "case_id": complaint.case_id,
        "case_reference": complaint.case.reference if complaint.case is not None else None,
        "handler_id": complaint.handler_id,
        "due_on": complaint.due_on,
        "acknowledged_on": complaint.acknowledged_on,
        "responded_on": complaint.responded_on,
        "outcome": complaint.outcome,
        "answered_in_time": complaint.answered_in_time,
        "escalated_on": complaint.escalated_on,
        "escalated_to": complaint.escalated_to,
        "version": complaint.version,
    }


def complaint_out(complaint: Complaint) -> ComplaintOut:
    return ComplaintOut(
        **_row_values(complaint),
        summary=complaint.summary,
        contact=complaint.contact,
        answer_by=complaint.answer_by,
        response=complaint.response,
        escalation_details=complaint.escalation_details,
        escalation_route=escalation_route(complaint.service) if complaint.is_complaint else "",
    )


@router.get(
    "/services/{service_id}/complaints",
    response={200: list[ComplaintRow], **READ_ERRORS},
    summary="The service's register of complaints, compliments and other feedback, newest first",
)
def list_complaints(
    request: HttpRequest, service_id: int = path_id(), show: Literal["all", "open", "answered"] = "all"
) -> list[ComplaintRow]:
    user = account_access.signed_in_user(request)
    return [
        ComplaintRow(**_row_values(complaint)) for complaint in access.complaint_register(user, service_id, Show(show))
    ]


@router.get(
    "/services/{service_id}/complaints/{complaint_id}",
    response={200: ComplaintOut, **READ_ERRORS},
    summary="One complaint, compliment or other feedback, with what was said and answered",
)
def get_complaint(request: HttpRequest, service_id: int = path_id(), complaint_id: int = path_id()) -> ComplaintOut:
    user = account_access.signed_in_user(request)
    complaint = access.view_complaint_for_user(user, service_id, complaint_id)
    return complaint_out(complaint)


class ComplaintIn(Schema):
    kind: ComplaintKind
    received_on: Day
    channel: Channel
    from_role: FromRole
    summary: LongStatement
    case_id: Id | None = None
    contact: ShortText = ""
    answer_by: AnswerBy | Literal[""] = ""
    handler_id: Id | None = Field(None, description="Complaints only: who answers it (a coordinator).")


@router.post(
    "/services/{service_id}/complaints",
    response={201: ComplaintOut, **WRITE_ERRORS},
    summary="Record a complaint, compliment or other feedback (coordinators)",
)
def add_complaint(request: HttpRequest, payload: ComplaintIn, service_id: int = path_id()) -> Status[ComplaintOut]:
    user = account_access.signed_in_user(request)
    service = access.get_register_for_user(user, service_id, Capability.HANDLE_COMPLAINTS)
    case = access.find_case(user, service, case_id=payload.case_id)
    if payload.case_id is not None and case is None:
        raise DomainError(_("Choose a case of this service."), field="case_id")
    handler = None
    if payload.handler_id is not None:
        handler = next(
            (person for person in access.handlers_for_user(user, service) if person.pk == payload.handler_id), None
        )
        if handler is None:
            raise DomainError(_("Choose someone who answers complaints in this service."), field="handler_id")
    complaint = services.record_complaint(
        service=service,
        actor=user,
        kind=payload.kind,
        received_on=payload.received_on,
        channel=payload.channel,
        from_role=payload.from_role,
        summary=payload.summary,
        case=case,
        contact=payload.contact,
        answer_by=payload.answer_by,
        handler=handler,
    )
    complaint.service = service
    return Status(201, complaint_out(complaint))


class ComplaintAnswerIn(Schema):
    responded_on: Day
    outcome: Outcome
    response: LongText = ""
    version: Version = Field(..., description="The complaint's version as read (409 if it changed since).")


@router.post(
    "/services/{service_id}/complaints/{complaint_id}/response",
    response={200: ComplaintOut, **WRITE_ERRORS},
    summary="Record the answer to a complaint and its outcome (coordinators)",
)
def respond(
    request: HttpRequest, payload: ComplaintAnswerIn, service_id: int = path_id(), complaint_id: int = path_id()
) -> ComplaintOut:
    user = account_access.signed_in_user(request)
    complaint = access.get_handled_complaint_for_user(user, service_id, complaint_id)
    answered = services.respond_to_complaint(
        complaint=complaint,
        actor=user,
        responded_on=payload.responded_on,
        outcome=payload.outcome,
        response=payload.response,
        expected_version=payload.version,
    )
    answered.service = complaint.service
    return complaint_out(answered)
