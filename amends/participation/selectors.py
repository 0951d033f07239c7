"""Reads of secure links."""

from typing import Any

from amends.participation.models import ParticipantLink
from amends.people.models import Participant


def link_by_id(link_id: Any) -> ParticipantLink | None:
    if not isinstance(link_id, int):
        return None
    return (
        ParticipantLink.objects.select_related("participant__person", "participant__case__service")
        .filter(pk=link_id)
        .first()
    )


def link_of(participant: Participant, link_id: int) -> ParticipantLink | None:
    link = ParticipantLink.objects.filter(participant=participant, pk=link_id).first()
    if link is not None:
        link.participant = participant
    return link


def latest_link(participant: Participant) -> ParticipantLink | None:
    return ParticipantLink.objects.filter(participant=participant).select_related("issued_by").first()
