"""Reads of secure links."""

from typing import Any

from django.db.models import QuerySet

from amends.participation.models import ParticipantLink
from amends.people.models import Participant


def _with_participant() -> QuerySet[ParticipantLink]:
    return ParticipantLink.objects.select_related("participant__person", "participant__case__service")


def link_by_id(link_id: Any) -> ParticipantLink | None:
    if not isinstance(link_id, int):
        return None
    return _with_participant().filter(pk=link_id).first()


def link_by_token(token: str) -> ParticipantLink | None:
    """The link a token belongs to, whatever its state."""
    if not token or len(token) > 100:
        return None
    return _with_participant().filter(token_hash=ParticipantLink.hash_secret(token)).first()


def link_of(participant: Participant, link_id: int) -> ParticipantLink | None:
    link = ParticipantLink.objects.filter(participant=participant, pk=link_id).first()
    if link is not None:
        link.participant = participant
    return link


def latest_link(participant: Participant) -> ParticipantLink | None:
    return ParticipantLink.objects.filter(participant=participant).select_related("issued_by").first()
