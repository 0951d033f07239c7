"""Permission-matrix rows for the subject access export: its preview page and its downloads, for the coordinator of
the request's service only (they decide people's requests), once the request is approved."""

from collections.abc import Callable

from django.utils import timezone

from amends.dataprotection.models import (
    ReceivedBy,
    RightsRequest,
    RightsRequestKind,
    RightsRequestStatus,
)
from tests.matrix.base import Endpoint, Target

COORDINATORS = frozenset({"coordinator"})


def _export(rest: str) -> Callable[[Target], str]:
    def path(t: Target) -> str:
        today = timezone.localdate()
        request = RightsRequest.objects.create(
            service=t.service,
            person=t.participant.person,
            kind=RightsRequestKind.ACCESS,
            received_on=today,
            received_by=ReceivedBy.LETTER,
            due_on=RightsRequest.due_for(today),
            status=RightsRequestStatus.APPROVED,
            recorded_by=t.coordinator,
            decided_by=t.coordinator,
            decided_at=timezone.now(),
        )
        return f"/services/{t.service.pk}/data-requests/{request.pk}/{rest}"

    return path


ENDPOINTS = (
    Endpoint("subject access export", "GET", _export("export/"), COORDINATORS),
    Endpoint("subject access export JSON", "GET", _export("export.json"), COORDINATORS),
    Endpoint("subject access export PDF", "GET", _export("export.pdf"), COORDINATORS),
)

URL_NAMES = ("dataprotection:access_preview", "dataprotection:access_json", "dataprotection:access_pdf")
