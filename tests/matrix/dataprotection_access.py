"""Permission-matrix rows for the subject access export: its preview page, its downloads and the records withheld
from it, for the coordinator of the request's service only (they decide people's requests), once the request is
approved."""

import hashlib
from collections.abc import Callable

from django.utils import timezone

from amends.dataprotection.models import (
    ReceivedBy,
    RightsRequest,
    RightsRequestKind,
    RightsRequestStatus,
)
from amends.people.models import Participant
from amends.relay import files as relay_files
from amends.relay.models import MessageFile, MessageKind, MessageStatus, RelayMessage
from tests.matrix.base import Endpoint, Target

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

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


def _with_a_file(t: Target) -> str:
    """An export whose person sent a message carrying a file."""
    path = _export("export-files.zip")(t)
    other = Participant.objects.filter(case=t.case).exclude(pk=t.participant.pk).first() or t.participant
    message = RelayMessage.objects.create(
        case=t.case,
        sender=t.participant,
        recipient=other,
        kind=MessageKind.LETTER,
        body="",
        status=MessageStatus.SUBMITTED,
        written_by=t.coordinator,
        submitted_at=timezone.now(),
    )
    stored_name = relay_files.new_stored_name(relay_files.PDF)
    relay_files.write_encrypted(stored_name, PDF)
    MessageFile.objects.create(
        message=message,
        stored_name=stored_name,
        original_name="scan.pdf",
        content_type=relay_files.PDF.content_type,
        family=relay_files.PDF.family,
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        uploaded_by=t.coordinator,
    )
    return path


ENDPOINTS = (
    Endpoint("subject access export", "GET", _export("export/"), COORDINATORS),
    Endpoint("subject access export JSON", "POST", _export("export.json"), COORDINATORS),
    Endpoint("subject access export PDF", "POST", _export("export.pdf"), COORDINATORS),
    Endpoint("subject access export files", "POST", _with_a_file, COORDINATORS),
    Endpoint("withhold records of a subject access export", "GET", _export("export/withhold/"), COORDINATORS),
    Endpoint("withhold records of a subject access export", "POST", _export("export/withhold/"), COORDINATORS),
)

URL_NAMES = (
    "dataprotection:access_preview",
    "dataprotection:access_json",
    "dataprotection:access_pdf",
    "dataprotection:access_files",
    "dataprotection:access_withhold",
)
