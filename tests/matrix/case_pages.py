"""Permission-matrix rows for referrals, triage, the dashboard, tasks and the case pages."""

from tests.matrix.base import EVERYONE, Endpoint, Target

COORDINATOR = frozenset({"coordinator"})
WORKERS = frozenset({"coordinator", "facilitator"})
REFERRERS = frozenset({"coordinator", "facilitator", "referrer"})


def _case(t: Target) -> str:
    return f"/cases/{t.case.pk}"


def _referral(t: Target) -> str:
    return f"/referrals/{t.referral.pk}"


ENDPOINTS = (
    Endpoint("new referral", "GET", lambda t: f"/services/{t.service.pk}/referrals/new/", REFERRERS),
    Endpoint("new referral", "POST", lambda t: f"/services/{t.service.pk}/referrals/new/", REFERRERS),
    Endpoint("triage queue", "GET", lambda t: f"/services/{t.service.pk}/referrals/", COORDINATOR),
    # The referral was entered by the referrer, who sees its status.
    Endpoint("referral", "GET", lambda t: f"{_referral(t)}/", frozenset({"coordinator", "referrer"})),
    Endpoint("triage", "GET", lambda t: f"{_referral(t)}/triage/", COORDINATOR),
    Endpoint("triage", "POST", lambda t: f"{_referral(t)}/triage/", COORDINATOR),
    Endpoint("my referrals", "GET", lambda t: "/referrals/mine/", EVERYONE, service_scoped=False),
    Endpoint("dashboard", "GET", lambda t: "/cases/", EVERYONE, service_scoped=False),
    Endpoint("task list", "GET", lambda t: "/tasks/", EVERYONE, service_scoped=False),
    # The task is the facilitator's; coordinators may mark any task of their service done.
    Endpoint("task done", "POST", lambda t: f"/tasks/{t.task.pk}/done/", WORKERS),
    Endpoint("case list", "GET", lambda t: f"/services/{t.service.pk}/cases/", COORDINATOR),
    # The supervisor is not allocated to this case, so does not see it.
    Endpoint("case", "GET", lambda t: f"{_case(t)}/", WORKERS),
    Endpoint("allocate", "GET", lambda t: f"{_case(t)}/allocate/", COORDINATOR),
    Endpoint("allocate", "POST", lambda t: f"{_case(t)}/allocate/", COORDINATOR),
    Endpoint("conflict", "GET", lambda t: f"{_case(t)}/conflict/", WORKERS),
    Endpoint("conflict", "POST", lambda t: f"{_case(t)}/conflict/", WORKERS),
    Endpoint("case details", "GET", lambda t: f"{_case(t)}/details/", WORKERS),
    Endpoint("case details", "POST", lambda t: f"{_case(t)}/details/", WORKERS),
    Endpoint("step: hold", "GET", lambda t: f"{_case(t)}/steps/hold/", WORKERS),
    Endpoint("step: hold", "POST", lambda t: f"{_case(t)}/steps/hold/", WORKERS),
    Endpoint("step: back to assessing", "GET", lambda t: f"{_case(t)}/steps/return_to_assessing/", WORKERS),
    Endpoint("add case note", "GET", lambda t: f"{_case(t)}/notes/add/", WORKERS),
    Endpoint("add case note", "POST", lambda t: f"{_case(t)}/notes/add/", WORKERS),
)

URL_NAMES = (
    "referral_new",
    "triage_queue",
    "referral_detail",
    "referral_triage",
    "my_referrals",
    "dashboard",
    "task_list",
    "task_done",
    "case_list",
    "case_detail",
    "case_allocate",
    "case_conflict",
    "case_details_edit",
    "case_transition",
    "case_note_add",
)
