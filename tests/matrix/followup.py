"""Permission-matrix rows for follow-up: its page and forms, and its API.

Each path first takes the target's case (in assessing) through the process to following up, through the services,
and, where the row needs them, records a survey or an onward referral. Supervised rows first make the service's
supervisor the case's supervisor: they may read the follow-up, and nothing more.
"""

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from amends.cases import services as case_services
from amends.cases.models import Case, State
from amends.followup import services as followup_services
from amends.followup.models import FeedbackSurvey, OnwardReferral, OnwardStatus, SupportKind, SurveyMethod
from amends.people.models import ParticipantRole
from tests.matrix.base import Endpoint, Target
from tests.matrix.case_api import API, _supervised
from tests.matrix.outcomes import _in_process

CASE_TEAM = frozenset({"coordinator", "facilitator"})
READERS = CASE_TEAM | {"supervisor"}


def _following_up(t: Target) -> Case:
    """The target's case, taken on to the process as the outcome rows take it, then finished (once)."""
    case = _in_process(t)
    if case.state == State.IN_PROCESS:
        case_services.transition_case(case=case, actor=t.member, name="finish_process")
    return Case.objects.select_related("service", "lead_facilitator").get(pk=case.pk)


def _survey(t: Target) -> FeedbackSurvey:
    """The person harmed's survey (once: some tests ask for a path twice)."""
    case = _following_up(t)
    existing = FeedbackSurvey.objects.filter(case=case, participant=t.participant).first()
    if existing is not None:
        return existing
    return followup_services.record_survey(
        case=case,
        actor=t.member,
        participant=t.participant,
        taken_on=timezone.localdate(),
        method=SurveyMethod.PHONE,
        answers=followup_services.SurveyAnswers(fear_before=6, fear_after=2),
    )


def _referral(t: Target) -> OnwardReferral:
    case = _following_up(t)
    return followup_services.make_onward_referral(
        case=case,
        actor=t.member,
        participant=t.participant,
        support_kind=SupportKind.VICTIM_SUPPORT,
        organisation="Victim Support",
        status=OnwardStatus.REFERRED,
        status_on=timezone.localdate(),
    )


def _page(rest: str | Callable[[Target], str]) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        _following_up(t)
        return f"/cases/{t.case.pk}/follow-up/{rest(t) if callable(rest) else rest}"

    return path


def _api(rest: str | Callable[[Target], str] = "") -> Callable[[Target], str]:
    def path(t: Target) -> str:
        _following_up(t)
        return f"{API}/cases/{t.case.pk}/follow-up{rest(t) if callable(rest) else rest}"

    return path


def _today() -> str:
    return timezone.localdate().isoformat()


def _responsible_id(t: Target) -> int:
    return Case.objects.get(pk=t.case.pk).participants.get(role=ParticipantRole.PERSON_RESPONSIBLE).pk


def _survey_page(t: Target) -> str:
    return f"participants/{t.participant.pk}/survey/"


def _survey_edit(t: Target) -> str:
    return f"surveys/{_survey(t).pk}/edit/"


def _survey_correction(t: Target) -> str:
    return f"/surveys/{_survey(t).pk}/correction"


def _correction_body(t: Target) -> dict[str, Any]:
    survey = FeedbackSurvey.objects.get(case_id=t.case.pk, participant=t.participant)
    return {
        "taken_on": _today(),
        "method": SurveyMethod.PHONE,
        "fear_before": 6,
        "fear_after": 1,
        "felt_heard": "yes",
        "version": survey.version,
    }


def _referral_update(t: Target) -> str:
    return f"referrals/{_referral(t).pk}/update/"


def _referral_status(t: Target) -> str:
    return f"/onward-referrals/{_referral(t).pk}/status"


def _referral_version(t: Target) -> dict[str, Any]:
    referral = OnwardReferral.objects.get(case_id=t.case.pk)
    return {"status": OnwardStatus.ACCEPTED, "status_on": _today(), "version": referral.version}


ENDPOINTS = (
    Endpoint("follow-up", "GET", _page(""), CASE_TEAM),
    Endpoint("follow-up, supervised", "GET", _supervised(_page("")), READERS),
    Endpoint("survey add", "GET", _page(_survey_page), CASE_TEAM),
    Endpoint("survey add", "POST", _page(_survey_page), CASE_TEAM),
    Endpoint("survey add, supervised", "POST", _supervised(_page(_survey_page)), CASE_TEAM),
    Endpoint("survey edit", "GET", _page(_survey_edit), CASE_TEAM),
    Endpoint("survey edit", "POST", _page(_survey_edit), CASE_TEAM),
    Endpoint("reoffending add", "GET", _page("reoffending/add/"), CASE_TEAM),
    Endpoint("reoffending add", "POST", _page("reoffending/add/"), CASE_TEAM),
    Endpoint("reoffending add, supervised", "POST", _supervised(_page("reoffending/add/")), CASE_TEAM),
    Endpoint("onward referral add", "GET", _page("referrals/add/"), CASE_TEAM),
    Endpoint("onward referral add", "POST", _page("referrals/add/"), CASE_TEAM),
    Endpoint("onward referral update", "GET", _page(_referral_update), CASE_TEAM),
    Endpoint("onward referral update", "POST", _page(_referral_update), CASE_TEAM),
    Endpoint("API: follow-up", "GET", _api(), CASE_TEAM),
    Endpoint("API: follow-up, supervised", "GET", _supervised(_api()), READERS),
    Endpoint(
        "API: survey",
        "POST",
        _supervised(_api("/surveys")),
        CASE_TEAM,
        body=lambda t: {
            "participant_id": t.participant.pk,
            "taken_on": _today(),
            "method": SurveyMethod.IN_PERSON,
            "satisfaction": 4,
            "felt_safe": "yes",
        },
    ),
    Endpoint(
        "API: survey correction",
        "POST",
        _supervised(_api(_survey_correction)),
        CASE_TEAM,
        body=_correction_body,
    ),
    Endpoint(
        "API: reoffending check",
        "POST",
        _supervised(_api("/reoffending-checks")),
        CASE_TEAM,
        body=lambda t: {
            "participant_id": _responsible_id(t),
            "offences_before": 2,
            "source": "police",
            "checked_on": _today(),
        },
    ),
    Endpoint(
        "API: onward referral",
        "POST",
        _supervised(_api("/onward-referrals")),
        CASE_TEAM,
        body=lambda t: {
            "participant_id": t.participant.pk,
            "support_kind": SupportKind.HOUSING,
            "organisation": "Housing Advice",
            "status": OnwardStatus.SIGNPOSTED,
            "status_on": _today(),
        },
    ),
    Endpoint(
        "API: onward referral status",
        "POST",
        _supervised(_api(_referral_status)),
        CASE_TEAM,
        body=_referral_version,
    ),
)

URL_NAMES = (
    "follow_up_detail",
    "survey_add",
    "survey_edit",
    "reoffending_add",
    "onward_referral_add",
    "onward_referral_update",
)

API_PATHS = tuple(
    API + path
    for path in (
        "/cases/{case_id}/follow-up",
        "/cases/{case_id}/follow-up/surveys",
        "/cases/{case_id}/follow-up/surveys/{survey_id}/correction",
        "/cases/{case_id}/follow-up/reoffending-checks",
        "/cases/{case_id}/follow-up/onward-referrals",
        "/cases/{case_id}/follow-up/onward-referrals/{referral_id}/status",
    )
)

API_WRITES = tuple(f"POST {path}" for path in API_PATHS[1:])
