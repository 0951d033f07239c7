"""The outcome agreement API: a case's agreement with its actions and payments, the writes that make it, and each
participant's copy as a PDF."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import WithJsonSchema

from amends.accounts import access as account_access
from amends.cases import access as case_access
from amends.cases.api import READ_ERRORS, WRITE_ERRORS, path_id
from amends.core.api_types import Amount, Day, Id, LongStatement, LongText, Version, VersionOrNew, YesNo
from amends.outcomes import access, selectors, services, views
from amends.outcomes.models import ActionKind, AgreementAction, AgreementMethod, SupportKind, paid_total
from amends.permissions import CaseAccess

router = Router(tags=["outcome agreements"])


class Created(Schema):
    id: int


class PaymentOut(Schema):
    id: int
    amount: Decimal
    paid_on: datetime.date
    recorded_by_id: int


class ActionOut(Schema):
    id: int
    kind: str
    label: str
    support_kind: str
    description: str
    owner_id: int
    due_on: datetime.date
    status: str
    overdue: bool
    amount: Decimal | None
    paid: Decimal | None
    verified_by_id: int | None
    verified_at: datetime.datetime | None
    verification_note: str
    version: int
    payments: list[PaymentOut]


class ParticipantAgreementOut(Schema):
    id: int
    participant_id: int
    agreed_on: datetime.date
    method: str
    recorded_by_id: int


class AgreementOut(Schema):
    id: int
    case_id: int
    made_on: datetime.date
    summary: str
    recorded_by_id: int
    version: int
    agreed: list[ParticipantAgreementOut]
    actions: list[ActionOut]


def action_out(action: AgreementAction, today: datetime.date) -> ActionOut:
    compensation = action.kind == ActionKind.COMPENSATION
    return ActionOut(
        id=action.pk,
        kind=action.kind,
        label=action.label(),
        support_kind=action.support_kind,
        description=action.description,
        owner_id=action.owner_id,
        due_on=action.due_on,
        status=action.status,
        overdue=action.is_overdue(today),
        amount=action.amount,
        paid=paid_total(action) if compensation else None,
        verified_by_id=action.verified_by_id,
        verified_at=action.verified_at,
        verification_note=action.verification_note,
        version=action.version,
        payments=[
            PaymentOut(id=p.pk, amount=p.amount, paid_on=p.paid_on, recorded_by_id=p.recorded_by_id)
            for p in action.payments.all()
        ],
    )


def agreement_out(page: selectors.AgreementPage) -> AgreementOut:
    case = page.case
    if page.agreement is None:
        raise Http404
    today = timezone.localdate()
    agreement = page.agreement
    return AgreementOut(
        id=agreement.pk,
        case_id=case.pk,
        made_on=agreement.made_on,
        summary=agreement.summary,
        recorded_by_id=agreement.recorded_by_id,
        version=agreement.version,
        agreed=[
            ParticipantAgreementOut(
                id=record.pk,
                participant_id=record.participant_id,
                agreed_on=record.agreed_on,
                method=record.method,
                recorded_by_id=record.recorded_by_id,
            )
            for record in page.agreements
        ],
        actions=[action_out(action, today) for action in page.actions],
    )


@router.get(
    "/cases/{case_id}/agreement",
    response={200: AgreementOut, **READ_ERRORS},
    summary="A case's outcome agreement, who agreed to it, its actions and payments (404 until it is made)",
)
def get_agreement(request: HttpRequest, case_id: int = path_id()) -> AgreementOut:
    user = account_access.signed_in_user(request)
    return agreement_out(access.view_made_agreement_for_user(user, case_id))


@router.get(
    "/cases/{case_id}/agreement/participants/{participant_id}/pdf",
    response={200: None, **READ_ERRORS},
    summary="The outcome agreement as a PDF for one participant to keep, in their language (an attachment)",
    description="For a participant who takes part, once the agreement is made (404 otherwise). The other party is "
    "named only by their part in the case; the file name names the case, never the person.",
)
def print_agreement(request: HttpRequest, case_id: int = path_id(), participant_id: int = path_id()) -> HttpResponse:
    return views.agreement_file(account_access.signed_in_user(request), case_id, participant_id)


class AgreementIn(Schema):
    made_on: Day
    summary: LongStatement
    version: VersionOrNew


@router.post(
    "/cases/{case_id}/agreement",
    response={200: AgreementOut, **WRITE_ERRORS},
    summary="Record the outcome agreement, or change it",
    description="Only while the process is under way or the agreement is monitored (409 otherwise).",
)
def make_agreement(request: HttpRequest, payload: AgreementIn, case_id: int = path_id()) -> AgreementOut:
    user = account_access.signed_in_user(request)
    case = access.get_agreement_case_for_user(user, case_id, CaseAccess.WORK)
    services.make_agreement(
        case=case, actor=user, made_on=payload.made_on, summary=payload.summary, expected_version=payload.version
    )
    return agreement_out(selectors.agreement_page(case))


class ParticipantAgreementIn(Schema):
    participant_id: Id
    agreed_on: Day
    method: AgreementMethod


@router.post(
    "/cases/{case_id}/agreement/participant-agreements",
    response={201: Created, **WRITE_ERRORS},
    summary="Record that a participant agreed to the outcome",
)
def record_participant_agreement(
    request: HttpRequest, payload: ParticipantAgreementIn, case_id: int = path_id()
) -> Status[Created]:
    user = account_access.signed_in_user(request)
    participant = case_access.get_participant_for_user(user, case_id, payload.participant_id, CaseAccess.WORK)
    record = services.record_participant_agreement(
        case=participant.case,
        actor=user,
        participant=participant,
        agreed_on=payload.agreed_on,
        method=payload.method,
    )
    return Status(201, Created(id=record.pk))


class ActionIn(Schema):
    kind: ActionKind
    # Inline: the follow-up API has its own SupportKind, and the schema names enums by their class.
    support_kind: Annotated[SupportKind, WithJsonSchema({"type": "string", "enum": SupportKind.values})] | None = None
    description: LongStatement
    owner_id: Id = Field(..., description="The participant whose action it is.")
    due_on: Day
    amount: Amount | None = Field(None, description="Compensation only.")


@router.post(
    "/cases/{case_id}/agreement/actions",
    response={201: ActionOut, **WRITE_ERRORS},
    summary="Add an action to the outcome agreement",
)
def add_action(request: HttpRequest, payload: ActionIn, case_id: int = path_id()) -> Status[ActionOut]:
    user = account_access.signed_in_user(request)
    owner = case_access.get_participant_for_user(user, case_id, payload.owner_id, CaseAccess.WORK)
    action = services.add_action(
        case=owner.case,
        actor=user,
        kind=payload.kind,
        support_kind=payload.support_kind or "",
        description=payload.description,
        owner=owner,
        due_on=payload.due_on,
        amount=payload.amount,
    )
    action = access.get_action_for_user(user, case_id, action.pk, CaseAccess.WORK)
    return Status(201, action_out(action, timezone.localdate()))


class PaymentIn(Schema):
    amount: Amount
    paid_on: Day


@router.post(
    "/cases/{case_id}/agreement/actions/{action_id}/payments",
    response={201: Created, **WRITE_ERRORS},
    summary="Record a compensation payment (payments may not come to more than the amount agreed)",
)
def record_payment(
    request: HttpRequest, payload: PaymentIn, case_id: int = path_id(), action_id: int = path_id()
) -> Status[Created]:
    user = account_access.signed_in_user(request)
    action = access.get_action_for_user(user, case_id, action_id, CaseAccess.WORK)
    payment = services.record_payment(action=action, actor=user, amount=payload.amount, paid_on=payload.paid_on)
    return Status(201, Created(id=payment.pk))


class VerificationIn(Schema):
    completed: YesNo = Field(..., description="True: verified completed; false: not completed (a note is needed).")
    note: LongText = ""
    version: Version


@router.post(
    "/cases/{case_id}/agreement/actions/{action_id}/verification",
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Verify that an action was completed, or record that it was not (the person harmed is then told)",
)
def verify_action(
    request: HttpRequest, payload: VerificationIn, case_id: int = path_id(), action_id: int = path_id()
) -> ActionOut:
    user = account_access.signed_in_user(request)
    action = access.get_action_for_user(user, case_id, action_id, CaseAccess.WORK)
    services.verify_action(
        action=action, actor=user, completed=payload.completed, note=payload.note, expected_version=payload.version
    )
    action = access.get_action_for_user(user, case_id, action_id, CaseAccess.WORK)
    return action_out(action, timezone.localdate())


class ActionWithdrawalIn(Schema):
    reason: LongStatement = Field(..., description="Why the action is withdrawn (the agreement was varied).")
    version: Version = Field(..., description="The action's version as read (409 if it changed since).")


@router.post(
    "/cases/{case_id}/agreement/actions/{action_id}/withdraw",
    response={200: ActionOut, **WRITE_ERRORS},
    summary="Withdraw an open action the participants no longer hold to, saying why",
)
def withdraw_action(
    request: HttpRequest, payload: ActionWithdrawalIn, case_id: int = path_id(), action_id: int = path_id()
) -> ActionOut:
    user = account_access.signed_in_user(request)
    action = access.get_action_for_user(user, case_id, action_id, CaseAccess.WORK)
    services.withdraw_action(action=action, actor=user, reason=payload.reason, expected_version=payload.version)
    action = access.get_action_for_user(user, case_id, action_id, CaseAccess.WORK)
    return action_out(action, timezone.localdate())
