"""Permission-matrix rows for the complaints register: its pages and API. Coordinators and administrators read the
register; only coordinators record, hand over, acknowledge, answer and escalate complaints."""

from typing import Any

from django.utils import timezone

from amends.complaints.models import Complaint
from tests.complaints.builders import record
from tests.matrix.base import Endpoint, Target
from tests.matrix.case_api import API

READERS = frozenset({"coordinator", "administrator"})
HANDLERS = frozenset({"coordinator"})


def _register(rest: str = "") -> Any:
    return lambda t: f"/services/{t.service.pk}/complaints/{rest}"


def _complaint(rest: str = "") -> Any:
    def path(t: Target) -> str:
        complaint = record(t.service, t.coordinator)
        return f"/services/{t.service.pk}/complaints/{complaint.pk}/{rest}"

    return path


def _api_complaint(rest: str = "") -> Any:
    def path(t: Target) -> str:
        complaint = record(t.service, t.coordinator)
        return f"{API}/services/{t.service.pk}/complaints/{complaint.pk}{rest}"

    return path


def _new_complaint(t: Target) -> dict[str, Any]:
    return {
        "kind": "complaint",
        "received_on": timezone.localdate(),
        "channel": "phone",
        "from_role": "person_harmed",
        "summary": "Nobody called back.",
        "case_id": t.case.pk,
        "handler_id": t.coordinator.pk,
    }


ENDPOINTS = (
    Endpoint("complaints", "GET", _register(), READERS),
    Endpoint("complaint add", "GET", _register("add/"), HANDLERS),
    Endpoint("complaint add", "POST", _register("add/"), HANDLERS),
    Endpoint("complaint", "GET", _complaint(), READERS),
    *(
        Endpoint(f"complaint {form}", method, _complaint(f"{form}/"), HANDLERS)
        for form in ("handler", "acknowledge", "respond", "escalate")
        for method in ("GET", "POST")
    ),
    Endpoint("API: complaints", "GET", lambda t: f"{API}/services/{t.service.pk}/complaints", READERS),
    Endpoint("API: complaint", "GET", _api_complaint(), READERS),
    Endpoint(
        "API: record complaint",
        "POST",
        lambda t: f"{API}/services/{t.service.pk}/complaints",
        HANDLERS,
        body=_new_complaint,
    ),
    Endpoint(
        "API: answer complaint",
        "POST",
        _api_complaint("/response"),
        HANDLERS,
        body=lambda t: {
            "responded_on": timezone.localdate(),
            "outcome": "not_upheld",
            "response": "It was done.",
            "version": Complaint.objects.filter(service=t.service).latest("pk").version,
        },
    ),
)

URL_NAMES = (
    "complaint_list",
    "complaint_add",
    "complaint_detail",
    "complaint_handler",
    "complaint_acknowledge",
    "complaint_respond",
    "complaint_escalate",
)

API_PATHS = tuple(
    API + path
    for path in (
        "/services/{service_id}/complaints",
        "/services/{service_id}/complaints/{complaint_id}",
        "/services/{service_id}/complaints/{complaint_id}/response",
    )
)

API_WRITES = (
    f"POST {API}/services/{{service_id}}/complaints",
    f"POST {API}/services/{{service_id}}/complaints/{{complaint_id}}/response",
)
