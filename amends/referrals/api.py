"""The referral API: intake with the people named, the triage queue, one referral, and its triage decision."""

import datetime
import enum
from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from amends.accounts import access as account_access
from amends.cases import access
from amends.cases.api import READ_ERRORS, WRITE_ERRORS, CaseSummary, case_summary, path_id
from amends.cases.models import SensitivityFlag
from amends.core.api_types import NO_NUL, Day, LongStatement, LongText, ShortStatement, ShortText, Version
from amends.dataprotection import sharing
from amends.people.models import ParticipantRole
from amends.permissions import Capability
from amends.referrals import services
from amends.referrals.models import (
    EnhancedRightsGround,
    Initiator,
    JusticeStage,
    OffenceCategory,
    Referral,
    ReferralSource,
    Setting,
)

router = Router(tags=["referrals"])


class NamedPersonIn(Schema):
    role: ParticipantRole
    given_name: ShortStatement
    family_name: ShortText = ""
    preferred_name: ShortText = ""
    date_of_birth: Day | None = None
    phone: ShortText = ""
    email: ShortText = ""
    address: LongText = ""


class ReferralIn(Schema):
    source: ReferralSource
    offence_category: OffenceCategory
    justice_stage: JusticeStage
    initiated_by: Initiator
    setting: Setting
    received_on: Day | None = None
    referrer_name: ShortText = ""
    referrer_organisation: ShortText = ""
    referrer_contact: ShortText = ""
    crime_reference: Annotated[str, Field(max_length=40, pattern=NO_NUL)] = ""
    offence_date: Day | None = None
    reported_on: Day | None = None
    area: Annotated[
        str,
        Field(
            max_length=services.AREA_MAX_LENGTH,
            pattern=NO_NUL,
            description="One of the areas the service covers (its areas_covered), or blank when not known; "
            "any area when the service lists none. An area it does not list answers 409.",
        ),
    ] = ""
    enhanced_rights: EnhancedRightsGround = EnhancedRightsGround.NONE
    victim_told_about_rj_on: Day | None = None
    victim_told_about_rj_by: ShortText = ""
    summary: LongText = ""
    risk_information: LongText = ""
    people: list[NamedPersonIn] = Field(..., min_length=1, max_length=20)


class ReferralOut(Schema):
    """Everything for those who triage; only the status for the person who entered it."""

    id: int
    service_id: int
    received_on: datetime.date
    decision: str
    decision_label: str
    case_id: int | None
    version: int
    full: bool
    source: str | None = None
    offence_category: str | None = None
    justice_stage: str | None = None
    area: str | None = None
    crime_reference: str | None = None
    summary: str | None = None
    risk_information: str | None = None
    people: list[dict[str, str | int | None]] | None = None
    # A self-referral (source "self", made through the service's public form) and its check.
    self_referral: bool | None = None
    needs_check: bool | None = None
    verified_at: datetime.datetime | None = None
    verified_by_id: int | None = None
    # A partner's referral and the register of sharing agreements: the agreement it came under, or whether it waits
    # for the reason it can be received without one, and that reason once it is accepted.
    sharing_agreement_id: int | None = None
    needs_sharing_agreement: bool | None = None
    received_without_agreement: str | None = None


def referral_out(referral: Referral, *, full: bool) -> ReferralOut:
    out = ReferralOut(
        id=referral.pk,
        service_id=referral.service_id,
        received_on=referral.received_on,
        decision=referral.decision,
        decision_label=referral.get_decision_display(),
        case_id=referral.case_id,
        version=referral.version,
        full=full,
    )
    if full:
        out.source = referral.source
        out.offence_category = referral.offence_category
        out.justice_stage = referral.justice_stage
        out.area = referral.area
        out.crime_reference = referral.crime_reference
        out.summary = referral.summary
        out.risk_information = referral.risk_information
        out.people = [
            {"person_id": named.person_id, "role": named.role, "full_name": named.person.full_name}
            for named in referral.people.select_related("person").order_by("pk")
        ]
        out.self_referral = referral.is_self_referral
        out.needs_check = services.needs_check(referral)
        out.verified_at = referral.verified_at
        out.verified_by_id = referral.verified_by_id
        out.sharing_agreement_id = referral.sharing_agreement_id
        out.needs_sharing_agreement = sharing.lacks_sharing_agreement(referral)
        out.received_without_agreement = referral.received_without_agreement
    return out


@router.post("/services/{service_id}/referrals", response={201: ReferralOut, **WRITE_ERRORS}, summary="Make a referral")
def create_referral(request: HttpRequest, payload: ReferralIn, service_id: int = path_id()) -> Status[ReferralOut]:
    user = account_access.signed_in_user(request)
    service = account_access.get_service_for_user(user, service_id, Capability.CREATE_REFERRAL)
    details = payload.dict(exclude={"people"}, exclude_none=True)
    people = [
        services.NamedPerson(
            role=person.role, details={k: v for k, v in person.dict(exclude={"role"}).items() if v is not None}
        )
        for person in payload.people
    ]
    referral = services.create_referral(service=service, actor=user, details=details, people=people)
    return Status(201, referral_out(referral, full=access.may_triage(user, referral)))


@router.get(
    "/services/{service_id}/referrals",
    response={200: list[ReferralOut], **READ_ERRORS},
    summary="Referrals awaiting triage, and recent decisions",
)
def list_referrals(request: HttpRequest, service_id: int = path_id()) -> list[ReferralOut]:
    user = account_access.signed_in_user(request)
    service = account_access.get_service_for_user(user, service_id)
    referrals = access.referrals_for_triage(user, service).order_by("received_on", "pk")
    return [referral_out(referral, full=False) for referral in referrals]


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **READ_ERRORS}, summary="One referral")
def get_referral(request: HttpRequest, referral_id: int = path_id()) -> ReferralOut:
    user = account_access.signed_in_user(request)
    referral = access.view_referral_for_user(user, referral_id)
    return referral_out(referral, full=access.may_triage(user, referral))


class Decision(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    REDIRECT = "redirect"


class TriageIn(Schema):
    decision: Decision
    reason: LongStatement
    version: Version
    flags: list[SensitivityFlag] = []
    redirected_to: ShortText = ""
    received_without_agreement: LongText = Field(
        "",
        description="When accepting a partner's referral that came with no information sharing agreement in force "
        "(needs_sharing_agreement): why it can be received without one, for example that the person gave consent. "
        "Without it, such a referral is refused (409).",
    )


class TriageOut(Schema):
    referral: ReferralOut
    case: CaseSummary | None


@router.post(
    "/referrals/{referral_id}/triage",
    response={200: TriageOut, **WRITE_ERRORS},
    summary="Accept (opening a case), decline or redirect a referral",
)
def triage(request: HttpRequest, payload: TriageIn, referral_id: int = path_id()) -> TriageOut:
    user = account_access.signed_in_user(request)
    referral = access.get_referral_for_user(user, referral_id)
    if not access.may_triage(user, referral):
        raise Http404
    case = None
    if payload.decision == Decision.ACCEPT:
        case = services.accept_referral(
            referral=referral,
            actor=user,
            reason=payload.reason,
            flags=payload.flags,
            expected_version=payload.version,
            received_without_agreement=payload.received_without_agreement,
        )
    elif payload.decision == Decision.DECLINE:
        services.decline_referral(
            referral=referral, actor=user, reason=payload.reason, expected_version=payload.version
        )
    else:
        services.redirect_referral(
            referral=referral,
            actor=user,
            reason=payload.reason,
            redirected_to=payload.redirected_to,
            expected_version=payload.version,
        )
    referral = access.get_referral_for_user(user, referral_id)
    return TriageOut(referral=referral_out(referral, full=True), case=case_summary(case) if case else None)


class SelfReferralCheckIn(Schema):
    note: LongStatement
    version: Version


@router.post(
    "/referrals/{referral_id}/verification",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="Record that a self-referral was checked",
    description="For a self-referral awaiting triage and not yet checked: say how it was checked (for example, the "
    "person was called back on the number they gave). A service that checks self-referrals accepts one only after "
    "this.",
)
def verify(request: HttpRequest, payload: SelfReferralCheckIn, referral_id: int = path_id()) -> ReferralOut:
    user = account_access.signed_in_user(request)
    referral = access.get_referral_for_user(user, referral_id)
    if not access.may_triage(user, referral):
        raise Http404
    services.verify_self_referral(referral=referral, actor=user, note=payload.note, expected_version=payload.version)
    return referral_out(access.get_referral_for_user(user, referral_id), full=True)
