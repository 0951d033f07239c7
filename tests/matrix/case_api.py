"""Permission-matrix rows for the case workflow API and the API token pages.

The API's POST endpoints validate their JSON body before any access check, so an empty POST answers 422 to
everyone: their permissions are proved with real bodies in tests/test_api_cases.py, and only POST /tasks/{id}/done
(which has no body) is a row here. Every documented path is listed in API_PATHS.
"""

from tests.matrix.base import EVERYONE, Endpoint, Target

API = "/api/v1"
COORDINATOR = frozenset({"coordinator"})
# A case in the matrix is led by the service's facilitator; coordinators see every case of their service.
CASE_TEAM = frozenset({"coordinator", "facilitator"})


def _case(t: Target) -> str:
    return f"{API}/cases/{t.case.pk}"


ENDPOINTS = (
    Endpoint("API: cases", "GET", lambda t: f"{API}/cases", EVERYONE, service_scoped=False),
    Endpoint("API: case", "GET", _case, CASE_TEAM),
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
    # Everyone manages their own API tokens; nobody else's.
    Endpoint("API tokens", "GET", lambda t: "/account/tokens/", EVERYONE, service_scoped=False),
    Endpoint("API tokens", "POST", lambda t: "/account/tokens/", EVERYONE, service_scoped=False),
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
