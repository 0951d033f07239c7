"""The participant API: the people in a case, their contact log, information, responsibility, consent and risk."""

import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from amends.accounts import access as account_access
from amends.cases import access
from amends.cases.api import READ_ERRORS, WRITE_ERRORS, path_id
from amends.cases.models import ProcessKind
from amends.consent import services as consent_services
from amends.consent.models import (
    ConsentMethod,
    ConsentScope,
    InformationFormat,
    InformationItem,
    ResponsibilityBasis,
    ResponsibilityLevel,
)
from amends.core.api_types import (
    NO_NUL,
    Day,
    Id,
    LongStatement,
    LongText,
    Moment,
    ShortStatement,
    ShortText,
    Version,
    WholeNumber,
    YesNo,
)
from amends.people import services
from amends.people.identifying import add_identifying_detail
from amends.people.models import ContactChannel, ContactOutcome, IdentifyingDetailKind, Participant, ParticipantRole
from amends.permissions import CaseAccess
from amends.referrals.api import NamedPersonIn
from amends.risk import services as risk_services
from amends.risk.models import RiskCondition, RiskFactor, RiskInformationKind, RiskLevel, RiskOutcome, SignOffDecision

router = Router(tags=["participants"])


class ParticipantOut(Schema):
    id: int
    case_id: int
    role: str
    role_label: str
    takes_part: bool
    supports_id: int | None
    person_id: int
    full_name: str
    person_version: int
    version: int = Field(description="The participant's version: send it back to change their part (409 if stale).")


class ParticipantDetailOut(ParticipantOut):
    preferred_name: str
    date_of_birth: datetime.date | None
    phone: str
    email: str
    address: str
    no_voicemail: bool
    no_letters: bool
    safe_times: str
    safe_contact_notes: str
    information_given: list[str]
    responsibility_level: str | None
    consent: str | None
    consent_scopes: list[str]
    consent_process_kinds: list[str]
    risk_assessments: list[dict[str, Any]]


def participant_out(participant: Participant) -> ParticipantOut:
    return ParticipantOut(
        id=participant.pk,
        case_id=participant.case_id,
        role=participant.role,
        role_label=participant.get_role_display(),
        takes_part=participant.takes_part,
        supports_id=participant.supports_id,
        person_id=participant.person_id,
        full_name=participant.person.full_name,
        person_version=participant.person.version,
        version=participant.version,
    )


def participant_detail(participant: Participant) -> ParticipantDetailOut:
    person = participant.person
    told: set[str] = set()
    for record in participant.information_given.all():
        told.update(record.items)
    responsibility = participant.responsibility_records.order_by("-recorded_at", "-pk").first()
    consent = participant.consent_records.order_by("-occurred_at", "-pk").first()
    return ParticipantDetailOut(
        **participant_out(participant).dict(),
        preferred_name=person.preferred_name,
        date_of_birth=person.date_of_birth,
        phone=person.phone,
        email=person.email,
        address=person.address,
        no_voicemail=person.no_voicemail,
        no_letters=person.no_letters,
        safe_times=person.safe_times,
        safe_contact_notes=person.safe_contact_notes,
        information_given=sorted(told),
        responsibility_level=responsibility.level if responsibility else None,
        consent=consent.kind if consent else None,
        consent_scopes=list(consent.scopes) if consent else [],
        consent_process_kinds=list(consent.process_kinds) if consent else [],
        risk_assessments=[
            {
                "id": assessment.pk,
                "version": assessment.version,
                "outcome": assessment.outcome,
                "conditions": list(assessment.conditions),
                "review_on": assessment.review_on.isoformat(),
                "sign_off_decision": assessment.sign_off_decision or None,
            }
            for assessment in participant.risk_assessments.order_by("-version")
        ],
    )


@router.get(
    "/cases/{case_id}/participants", response={200: list[ParticipantOut], **READ_ERRORS}, summary="The people in a case"
)
def list_participants(request: HttpRequest, case_id: int = path_id()) -> list[ParticipantOut]:
    user = account_access.signed_in_user(request)
    return [participant_out(participant) for participant in access.participant_list(user, case_id)]


class ParticipantIn(NamedPersonIn):
    supports_id: Id | None = None
    takes_part: YesNo = True


@router.post(
    "/cases/{case_id}/participants", response={201: ParticipantOut, **WRITE_ERRORS}, summary="Add someone to a case"
)
def add_participant(request: HttpRequest, payload: ParticipantIn, case_id: int = path_id()) -> Status[ParticipantOut]:
    user = account_access.signed_in_user(request)
    case = access.get_case_for_user(user, case_id, CaseAccess.WORK)
    supports = (
        access.get_participant_for_user(user, case_id, payload.supports_id, CaseAccess.WORK)
        if payload.supports_id
        else None
    )
    details = {
        name: value
        for name, value in payload.dict(exclude={"role", "supports_id", "takes_part"}).items()
        if value is not None
    }
    participant = services.add_participant(
        case=case,
        actor=user,
        role=ParticipantRole(payload.role),
        details=details,
        supports=supports,
        takes_part=payload.takes_part,
    )
    return Status(201, participant_out(participant))


@router.get(
    "/cases/{case_id}/participants/{participant_id}",
    response={200: ParticipantDetailOut, **READ_ERRORS},
    summary="One participant, with their contact arrangements, consent and risk",
)
def get_participant(
    request: HttpRequest, case_id: int = path_id(), participant_id: int = path_id()
) -> ParticipantDetailOut:
    user = account_access.signed_in_user(request)
    return participant_detail(access.view_participant_for_user(user, case_id, participant_id))


class ParticipantPartIn(Schema):
    takes_part: YesNo = Field(..., description="Whether they take part in the process.")
    supports_id: Id | None = Field(
        None,
        description=(
            "Whom a supporter or a parent or guardian supports: another participant in the same case. Left out, "
            "they go on supporting the same person; ignored for other roles."
        ),
    )
    version: Version = Field(..., description="The participant's version as read (409 if it changed since).")


@router.patch(
    "/cases/{case_id}/participants/{participant_id}",
    response={200: ParticipantDetailOut, **WRITE_ERRORS},
    summary="Change whether someone takes part and whom they support",
)
def update_participant(
    request: HttpRequest, payload: ParticipantPartIn, case_id: int = path_id(), participant_id: int = path_id()
) -> ParticipantDetailOut:
    user = account_access.signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    supports = (
        access.get_participant_for_user(user, case_id, payload.supports_id, CaseAccess.WORK)
        if payload.supports_id
        else participant.supports
    )
    services.update_participant(
        participant=participant,
        actor=user,
        takes_part=payload.takes_part,
        supports=supports,
        expected_version=payload.version,
    )
    # The answer shows their contact details, as a read does.
    return participant_detail(access.view_participant_for_user(user, case_id, participant_id, CaseAccess.WORK))


class Created(Schema):
    id: int


class ContactIn(Schema):
    occurred_at: Moment = Field(..., description="When it happened (with its time zone).")
    channel: ContactChannel
    outcome: ContactOutcome
    outgoing: YesNo = True
    duration_minutes: Annotated[int, Field(ge=0, le=1440), WholeNumber] | None = None
    summary: LongText = ""
    language: Literal["", "en", "cy", "both"] = Field(
        "",
        description="The language they asked for. Required at the first contact that reaches someone in a service "
        "under the Welsh Language Standards who has not been asked yet.",
    )


@router.post(
    "/cases/{case_id}/participants/{participant_id}/contacts",
    response={201: Created, **WRITE_ERRORS},
    summary="Log a contact or an attempt",
)
def log_contact(
    request: HttpRequest, payload: ContactIn, case_id: int = path_id(), participant_id: int = path_id()
) -> Status[Created]:
    user = account_access.signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    entry = services.log_contact(participant=participant, actor=user, **payload.dict())
    return Status(201, Created(id=entry.pk))


class InformationIn(Schema):
    items: list[InformationItem] = Field(..., min_length=1, max_length=20)
    given_on: Day
    format: InformationFormat
    language: Annotated[str, Field(max_length=40, pattern=NO_NUL)] = "English"


@router.post(
    "/cases/{case_id}/participants/{participant_id}/information",
    response={201: Created, **WRITE_ERRORS},
    summary="Record the information given about RJ",
)
def record_information(
    request: HttpRequest, payload: InformationIn, case_id: int = path_id(), participant_id: int = path_id()
) -> Status[Created]:
    user = account_access.signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    record = consent_services.record_information_given(participant=participant, actor=user, **payload.dict())
    return Status(201, Created(id=record.pk))


class ResponsibilityIn(Schema):
    basis: ResponsibilityBasis
    level: ResponsibilityLevel
    in_their_words: LongText = ""
    recorded_on: Day


@router.post(
    "/cases/{case_id}/participants/{participant_id}/responsibility",
    response={201: Created, **WRITE_ERRORS},
    summary="Record the person responsible's acceptance of responsibility",
)
def record_responsibility(
    request: HttpRequest, payload: ResponsibilityIn, case_id: int = path_id(), participant_id: int = path_id()
) -> Status[Created]:
    user = account_access.signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    record = consent_services.record_responsibility(participant=participant, actor=user, **payload.dict())
    return Status(201, Created(id=record.pk))


class ConsentIn(Schema):
    scopes: list[ConsentScope] = Field(..., min_length=1, max_length=10)
    process_kinds: list[ProcessKind] = Field(default=[], max_length=20)
    method: ConsentMethod
    occurred_at: Moment = Field(..., description="When consent was given (with its time zone).")
    witnessed_by: ShortText = ""
    evidence: LongText = ""
    share_with: LongText = ""


@router.post(
    "/cases/{case_id}/participants/{participant_id}/consents",
    response={201: Created, **WRITE_ERRORS},
    summary="Record consent",
)
def give_consent(
    request: HttpRequest, payload: ConsentIn, case_id: int = path_id(), participant_id: int = path_id()
) -> Status[Created]:
    user = account_access.signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    record = consent_services.give_consent(participant=participant, actor=user, **payload.dict())
    return Status(201, Created(id=record.pk))


class WithdrawalIn(Schema):
    reason: LongText = ""


@router.post(
    "/cases/{case_id}/participants/{participant_id}/consent-withdrawals",
    response={201: Created, **WRITE_ERRORS},
    summary="Withdraw consent (the case goes back to assessing at once)",
)
def withdraw_consent(
    request: HttpRequest, payload: WithdrawalIn, case_id: int = path_id(), participant_id: int = path_id()
) -> Status[Created]:
    user = account_access.signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    record = consent_services.withdraw_consent(participant=participant, actor=user, reason=payload.reason)
    return Status(201, Created(id=record.pk))


class RiskAssessmentIn(Schema):
    factors: dict[RiskFactor, RiskLevel] = {}
    narrative: LongStatement
    conditions: list[RiskCondition] = Field(default=[], max_length=10)
    outcome: RiskOutcome
    review_on: Day
    assessed_on: Day | None = None


@router.post(
    "/cases/{case_id}/participants/{participant_id}/risk-assessments",
    response={201: Created, **WRITE_ERRORS},
    summary="Record a new version of a participant's risk assessment",
)
def record_risk_assessment(
    request: HttpRequest, payload: RiskAssessmentIn, case_id: int = path_id(), participant_id: int = path_id()
) -> Status[Created]:
    user = account_access.signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    values = payload.dict()
    values["factors"] = {str(name): str(level) for name, level in payload.factors.items()}
    assessment = risk_services.record_risk_assessment(participant=participant, actor=user, **values)
    return Status(201, Created(id=assessment.pk))


class SignOffIn(Schema):
    decision: SignOffDecision
    note: LongText = ""


@router.post(
    "/cases/{case_id}/risk-assessments/{assessment_id}/sign-off",
    response={200: Created, **WRITE_ERRORS},
    summary="Sign off a risk assessment (coordinators)",
)
def sign_off(
    request: HttpRequest, payload: SignOffIn, case_id: int = path_id(), assessment_id: int = path_id()
) -> Created:
    user = account_access.signed_in_user(request)
    assessment = access.get_risk_assessment_for_user(user, case_id, assessment_id)
    risk_services.sign_off_risk_assessment(
        assessment=assessment, actor=user, decision=payload.decision, note=payload.note
    )
    return Created(id=assessment.pk)


class RiskInformationIn(Schema):
    kind: RiskInformationKind
    details: LongStatement
    participant_id: Id | None = None
    referred_to: ShortText = ""


@router.post(
    "/cases/{case_id}/risk-information",
    response={201: Created, **WRITE_ERRORS},
    summary="Record new risk information or a safeguarding concern",
)
def record_risk_information(
    request: HttpRequest, payload: RiskInformationIn, case_id: int = path_id()
) -> Status[Created]:
    user = account_access.signed_in_user(request)
    case = access.get_case_for_user(user, case_id, CaseAccess.WORK)
    participant = (
        access.get_participant_for_user(user, case_id, payload.participant_id, CaseAccess.WORK)
        if payload.participant_id
        else None
    )
    information = risk_services.record_risk_information(
        case=case,
        actor=user,
        kind=payload.kind,
        details=payload.details,
        participant=participant,
        referred_to=payload.referred_to,
    )
    return Status(201, Created(id=information.pk))


class IdentifyingDetailIn(Schema):
    kind: IdentifyingDetailKind
    value: ShortStatement


@router.post(
    "/cases/{case_id}/participants/{participant_id}/identifying-details",
    response={201: Created, **WRITE_ERRORS},
    summary="Hold a detail that could identify or locate a person (a child's name, a school, a workplace), for the "
    "check of the messages they send",
)
def add_identifying_detail_to_record(
    request: HttpRequest, payload: IdentifyingDetailIn, case_id: int = path_id(), participant_id: int = path_id()
) -> Status[Created]:
    user = account_access.signed_in_user(request)
    participant = access.get_participant_for_user(user, case_id, participant_id, CaseAccess.WORK)
    detail = add_identifying_detail(participant=participant, actor=user, kind=payload.kind, value=payload.value)
    return Status(201, Created(id=detail.pk))
