"""Permission-matrix rows for the case workflow API and the API token pages.

The API checks a request's JSON body against its schema before any access check, so each write row sends a body that
is valid (built from the target's records, with their ids and current versions): everyone then meets the access
checks, and an allowed person gets through to the service. Every write's path first makes the service's supervisor
the case's supervisor, so the supervisor could read the case (the "supervised" row proves it) and a 404 on a write
is the write refused, not the case unseen. Every documented path is listed in API_PATHS.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from amends.cases.models import Case, HoldReason, ProcessKind
from amends.cases.services import allocate_case
from amends.cases.workflow import TransitionName
from amends.consent import services as consent_services
from amends.consent.models import (
    ConsentMethod,
    ConsentScope,
    InformationFormat,
    InformationItem,
    ResponsibilityBasis,
    ResponsibilityLevel,
)
from amends.people.models import ContactChannel, ContactOutcome, Participant, ParticipantRole
from amends.referrals.models import Initiator, JusticeStage, OffenceCategory, Referral, ReferralSource, Setting
from amends.risk import services as risk_services
from amends.risk.models import RiskCondition, RiskInformationKind, RiskOutcome, SignOffDecision
from tests.matrix.base import EVERYONE, Endpoint, Target

API = "/api/v1"
COORDINATOR = frozenset({"coordinator"})
# A case in the matrix is led by the service's facilitator; coordinators see every case of their service.
CASE_TEAM = frozenset({"coordinator", "facilitator"})
# Those who make referrals.
REFERRERS = frozenset({"coordinator", "facilitator", "referrer"})


def _case(t: Target) -> str:
    return f"{API}/cases/{t.case.pk}"


def _supervised(path: Callable[[Target], str]) -> Callable[[Target], str]:
    """The path, once the service's supervisor (if it has one) supervises the case, allocated by its coordinator."""

    def supervised_path(t: Target) -> str:
        case = Case.objects.get(pk=t.case.pk)
        if t.supervisor is not None and case.supervisor_id != t.supervisor.pk:
            allocate_case(
                case=case,
                actor=t.coordinator,
                lead=case.lead_facilitator,
                co_facilitator=case.co_facilitator,
                supervisor=t.supervisor,
            )
        return path(t)

    return supervised_path


def _version(t: Target) -> int:
    """The case's version now (the path may have changed it)."""
    return Case.objects.get(pk=t.case.pk).version


def _participant(t: Target) -> str:
    return f"{_case(t)}/participants/{t.participant.pk}"


def _person_responsible(t: Target) -> str:
    responsible = t.case.participants.get(role=ParticipantRole.PERSON_RESPONSIBLE)
    return f"{_case(t)}/participants/{responsible.pk}"


def _consented(t: Target) -> str:
    """The person harmed, once they have given consent through the services (so there is a consent to withdraw)."""
    consent_services.give_consent(
        participant=t.participant,
        actor=t.member,
        scopes=[ConsentScope.TAKE_PART],
        process_kinds=[ProcessKind.FACE_TO_FACE],
        method=ConsentMethod.WRITTEN,
        evidence="Signed form on file",
        occurred_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    return _participant(t)


def _sign_off(t: Target) -> str:
    """A conditional assessment of the person harmed, by the case's facilitator: it waits for sign-off."""
    assessment = risk_services.record_risk_assessment(
        participant=t.participant,
        actor=t.member,
        factors={},
        narrative="Suitable if they arrive separately.",
        conditions=[RiskCondition.SEPARATE_ARRIVAL],
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        review_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    return f"{_case(t)}/risk-assessments/{assessment.pk}/sign-off"


def _now() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=1)


def _today() -> datetime.date:
    return timezone.localdate()


def _referral_body(t: Target) -> dict[str, Any]:
    return {
        "source": ReferralSource.POLICE,
        "offence_category": OffenceCategory.BURGLARY,
        "justice_stage": JusticeStage.PRE_CHARGE,
        "initiated_by": Initiator.PERSON_HARMED,
        "setting": Setting.CRIMINAL_JUSTICE,
        "people": [{"role": ParticipantRole.PERSON_HARMED, "given_name": "Nia", "family_name": "Harmed"}],
    }


def _triage_body(t: Target) -> dict[str, Any]:
    return {"decision": "accept", "reason": "Within scope", "version": Referral.objects.get(pk=t.referral.pk).version}


def _allocation_body(t: Target) -> dict[str, Any]:
    case = Case.objects.get(pk=t.case.pk)
    return {"lead_id": t.member.pk, "supervisor_id": case.supervisor_id, "version": case.version}


def _risk_assessment_body(t: Target) -> dict[str, Any]:
    return {
        "narrative": "No concerns found at the home visit.",
        "outcome": RiskOutcome.SUITABLE,
        "review_on": _today() + datetime.timedelta(days=60),
    }


# Each write: its name, its documented method and path, its path for a target, who may make it, and its body.
_WRITES: tuple[
    tuple[str, str, str, Callable[[Target], str], frozenset[str], Callable[[Target], dict[str, Any]]], ...
] = (
    (
        "API: make referral",
        "POST",
        "/services/{service_id}/referrals",
        lambda t: f"{API}/services/{t.service.pk}/referrals",
        REFERRERS,
        _referral_body,
    ),
    # The referral awaiting triage was entered by the referrer, who may read its status but not triage it.
    (
        "API: triage",
        "POST",
        "/referrals/{referral_id}/triage",
        lambda t: f"{API}/referrals/{t.referral.pk}/triage",
        COORDINATOR,
        _triage_body,
    ),
    (
        "API: change case",
        "PATCH",
        "/cases/{case_id}",
        _case,
        CASE_TEAM,
        lambda t: {"version": _version(t), "pre_sentence": True},
    ),
    # The lead facilitator works on the case but does not allocate it.
    (
        "API: allocate",
        "POST",
        "/cases/{case_id}/allocation",
        lambda t: f"{_case(t)}/allocation",
        COORDINATOR,
        _allocation_body,
    ),
    (
        "API: declare conflict",
        "POST",
        "/cases/{case_id}/conflict-declarations",
        lambda t: f"{_case(t)}/conflict-declarations",
        CASE_TEAM,
        lambda t: {"has_conflict": False},
    ),
    (
        "API: transition",
        "POST",
        "/cases/{case_id}/transitions",
        lambda t: f"{_case(t)}/transitions",
        CASE_TEAM,
        lambda t: {
            "name": TransitionName.HOLD,
            "version": _version(t),
            "hold_reason": HoldReason.TRIAL_PENDING,
            "hold_review_on": _today() + datetime.timedelta(days=14),
        },
    ),
    (
        "API: add participant",
        "POST",
        "/cases/{case_id}/participants",
        lambda t: f"{_case(t)}/participants",
        CASE_TEAM,
        lambda t: {"role": ParticipantRole.COMMUNITY_MEMBER, "given_name": "Cai", "family_name": "Neighbour"},
    ),
    (
        "API: change part",
        "PATCH",
        "/cases/{case_id}/participants/{participant_id}",
        _participant,
        CASE_TEAM,
        lambda t: {"takes_part": True, "version": Participant.objects.get(pk=t.participant.pk).version},
    ),
    (
        "API: log contact",
        "POST",
        "/cases/{case_id}/participants/{participant_id}/contacts",
        lambda t: f"{_participant(t)}/contacts",
        CASE_TEAM,
        lambda t: {"occurred_at": _now(), "channel": ContactChannel.PHONE, "outcome": ContactOutcome.SPOKE},
    ),
    (
        "API: information given",
        "POST",
        "/cases/{case_id}/participants/{participant_id}/information",
        lambda t: f"{_participant(t)}/information",
        CASE_TEAM,
        lambda t: {"items": [InformationItem.PROCESS], "given_on": _today(), "format": InformationFormat.PHONE},
    ),
    (
        "API: responsibility",
        "POST",
        "/cases/{case_id}/participants/{participant_id}/responsibility",
        lambda t: f"{_person_responsible(t)}/responsibility",
        CASE_TEAM,
        lambda t: {
            "basis": ResponsibilityBasis.ADMISSION,
            "level": ResponsibilityLevel.FULL,
            "in_their_words": "I broke in and I'm sorry.",
            "recorded_on": _today(),
        },
    ),
    (
        "API: give consent",
        "POST",
        "/cases/{case_id}/participants/{participant_id}/consents",
        lambda t: f"{_participant(t)}/consents",
        CASE_TEAM,
        lambda t: {
            "scopes": [ConsentScope.TAKE_PART],
            "process_kinds": [ProcessKind.FACE_TO_FACE],
            "method": ConsentMethod.WRITTEN,
            "evidence": "Signed form on file",
            "occurred_at": _now(),
        },
    ),
    (
        "API: withdraw consent",
        "POST",
        "/cases/{case_id}/participants/{participant_id}/consent-withdrawals",
        lambda t: f"{_consented(t)}/consent-withdrawals",
        CASE_TEAM,
        lambda t: {"reason": ""},
    ),
    (
        "API: risk assessment",
        "POST",
        "/cases/{case_id}/participants/{participant_id}/risk-assessments",
        lambda t: f"{_participant(t)}/risk-assessments",
        CASE_TEAM,
        _risk_assessment_body,
    ),
    # The case's facilitator made the assessment; only a coordinator signs it off.
    (
        "API: risk sign-off",
        "POST",
        "/cases/{case_id}/risk-assessments/{assessment_id}/sign-off",
        _sign_off,
        COORDINATOR,
        lambda t: {"decision": SignOffDecision.APPROVED},
    ),
    (
        "API: risk information",
        "POST",
        "/cases/{case_id}/risk-information",
        lambda t: f"{_case(t)}/risk-information",
        CASE_TEAM,
        lambda t: {
            "kind": RiskInformationKind.NEW_INFORMATION,
            "details": "A neighbour says there has been contact.",
            "participant_id": t.participant.pk,
        },
    ),
)

# Allowed people whom a rule of the domain turns away, after every access check, and why.
_REFUSED = {
    # Only a facilitator allocated to the case declares a conflict of interest in it.
    "API: declare conflict": frozenset({"coordinator"}),
    # A risk assessment is made by someone with a facilitator record and training in date; the coordinator has none.
    "API: risk assessment": frozenset({"coordinator"}),
}

ENDPOINTS = (
    Endpoint("API: cases", "GET", lambda t: f"{API}/cases", EVERYONE, service_scoped=False),
    Endpoint("API: case", "GET", _case, CASE_TEAM),
    # The supervisor reads a case they supervise; the writes below prove they change nothing in it.
    Endpoint("API: case, supervised", "GET", _supervised(_case), CASE_TEAM | {"supervisor"}),
    Endpoint("API: case timeline", "GET", lambda t: f"{_case(t)}/timeline", CASE_TEAM),
    Endpoint("API: participants", "GET", lambda t: f"{_case(t)}/participants", CASE_TEAM),
    Endpoint("API: participant", "GET", lambda t: f"{_case(t)}/participants/{t.participant.pk}", CASE_TEAM),
    Endpoint("API: triage queue", "GET", lambda t: f"{API}/services/{t.service.pk}/referrals", COORDINATOR),
    Endpoint(
        "API: referral", "GET", lambda t: f"{API}/referrals/{t.referral.pk}", frozenset({"coordinator", "referrer"})
    ),
    Endpoint("API: tasks", "GET", lambda t: f"{API}/tasks", EVERYONE, service_scoped=False),
    # The task is the facilitator's; a coordinator of its service may mark it done too.
    Endpoint("API: task done", "POST", lambda t: f"{API}/tasks/{t.task.pk}/done", CASE_TEAM),
    *(
        Endpoint(name, method, _supervised(path), allowed, body=body, refused=_REFUSED.get(name, frozenset()))
        for name, method, _documented, path, allowed, body in _WRITES
    ),
    # Everyone manages their own API tokens; nobody else's.
    Endpoint("API tokens", "GET", lambda t: "/account/tokens/", EVERYONE, service_scoped=False),
    Endpoint("API tokens", "POST", lambda t: "/account/tokens/", EVERYONE, service_scoped=False),
)

# Every write the API documents, as "METHOD path": each has its row above.
API_WRITES = (
    *(f"{method} {API}{documented}" for _name, method, documented, _path, _allowed, _body in _WRITES),
    f"POST {API}/tasks/{{task_id}}/done",
)

# Revoking takes a token of one's own: tests/test_api_cases.py proves the owner may and nobody else can.
URL_NAMES = ("access_tokens", "access_token_revoke")

API_PATHS = tuple(
    API + path
    for path in (
        "/services/{service_id}/referrals",
        "/referrals/{referral_id}",
        "/referrals/{referral_id}/triage",
        "/cases",
        "/cases/{case_id}",
        "/cases/{case_id}/allocation",
        "/cases/{case_id}/conflict-declarations",
        "/cases/{case_id}/transitions",
        "/cases/{case_id}/timeline",
        "/cases/{case_id}/participants",
        "/cases/{case_id}/participants/{participant_id}",
        "/cases/{case_id}/participants/{participant_id}/contacts",
        "/cases/{case_id}/participants/{participant_id}/information",
        "/cases/{case_id}/participants/{participant_id}/responsibility",
        "/cases/{case_id}/participants/{participant_id}/consents",
        "/cases/{case_id}/participants/{participant_id}/consent-withdrawals",
        "/cases/{case_id}/participants/{participant_id}/risk-assessments",
        "/cases/{case_id}/risk-assessments/{assessment_id}/sign-off",
        "/cases/{case_id}/risk-information",
        "/tasks",
        "/tasks/{task_id}/done",
    )
)
