"""Permission-matrix rows for secure links: staff issue and stop them for the people on cases they work on; opening
a link and its check are public, tested in tests/participation/test_links.py."""

import datetime

from django.utils import timezone

from amends.participation.models import ParticipantLink
from tests.matrix.base import Endpoint, Target

WORKERS = frozenset({"coordinator", "facilitator"})


def _participant(t: Target) -> str:
    return f"/cases/{t.case.pk}/participants/{t.participant.pk}"


def _revoke(t: Target) -> str:
    link = ParticipantLink.objects.create(
        participant=t.participant,
        token_hash=ParticipantLink.hash_secret(f"matrix-{t.participant.pk}-{ParticipantLink.objects.count()}"),
        channel="letter",
        second_check="date_of_birth",
        issued_by=t.coordinator,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    return f"{_participant(t)}/secure-link/{link.pk}/revoke/"


ENDPOINTS = (
    Endpoint("secure link: issue", "GET", lambda t: f"{_participant(t)}/secure-link/", WORKERS),
    Endpoint("secure link: issue", "POST", lambda t: f"{_participant(t)}/secure-link/", WORKERS),
    Endpoint("secure link: stop", "GET", _revoke, WORKERS),
    Endpoint("secure link: stop", "POST", _revoke, WORKERS),
)

URL_NAMES = ("participation:issue_link", "participation:revoke_link")

PUBLIC = {
    "participation:open": "public: the participant's secure link, tested in tests/participation/test_links.py",
    "participation:check": "public: the link's second check, tested in tests/participation/test_links.py",
    "participation:exit": "public: Exit this page for a participant, tested in tests/participation/test_links.py",
    "participation:ended": "public: says a link no longer works, tested in tests/participation/test_links.py",
}
