"""Permission-matrix rows for people's requests under their rights. Coordinators and facilitators record requests
about the people they may see, check identities and carry approved requests out; only coordinators decide, extend
and lift restrictions. The row's person is the person harmed in the case the service's facilitator leads."""

from typing import Any

from django.utils import timezone

from amends.dataprotection import rights
from amends.dataprotection.models import RightsRequestKind
from tests.matrix.base import Endpoint, Target

RECORDERS = frozenset({"coordinator", "facilitator"})
DECIDERS = frozenset({"coordinator"})


def _register(t: Target) -> str:
    return f"/services/{t.service.pk}/data-protection/requests/"


def _add(t: Target) -> str:
    return f"{_register(t)}new/{t.participant.person_id}/"


def _request(rest: str = "") -> Any:
    def path(t: Target) -> str:
        request = rights.record_request(
            service=t.service,
            person=t.participant.person,
            actor=t.coordinator,
            kind=RightsRequestKind.ACCESS,
            received_on=timezone.localdate(),
            received_by="letter",
            details="Everything you hold about me.",
            identity_checked=False,
        )
        return f"{_register(t)}{request.pk}/{rest}"

    return path


ENDPOINTS = (
    Endpoint("data protection requests", "GET", _register, RECORDERS),
    Endpoint("record a data protection request", "GET", _add, RECORDERS),
    Endpoint("record a data protection request", "POST", _add, RECORDERS),
    Endpoint("data protection request", "GET", _request(), RECORDERS),
    *(
        Endpoint(f"data protection request {form}", method, _request(f"{form}/"), RECORDERS)
        for form in ("identity", "complete")
        for method in ("GET", "POST")
    ),
    *(
        Endpoint(f"data protection request {form}", method, _request(f"{form}/"), DECIDERS)
        for form in ("decide", "extend", "lift")
        for method in ("GET", "POST")
    ),
)

URL_NAMES = (
    "dataprotection:rights_list",
    "dataprotection:rights_add",
    "dataprotection:rights_detail",
    "dataprotection:rights_identity",
    "dataprotection:rights_decide",
    "dataprotection:rights_extend",
    "dataprotection:rights_complete",
    "dataprotection:rights_lift",
)
