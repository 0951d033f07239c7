"""Reads of relay messages for pages and the API, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from amends.cases.models import Case
from amends.people.models import Participant
from amends.relay.models import PASSED_ON_STATUSES, IdentifyingFlag, MessageFile, RelayMessage


def _with_parties(messages: QuerySet[RelayMessage]) -> QuerySet[RelayMessage]:
    return messages.select_related("sender__person", "recipient__person")


def case_messages(case: Case) -> list[RelayMessage]:
    """Every message of the case, oldest first, with who it is from and to."""
    messages = list(_with_parties(RelayMessage.objects.filter(case=case)).order_by("created_at", "pk"))
    for message in messages:
        message.case = case
    return messages


def released_to(participant: Participant) -> QuerySet[RelayMessage]:
    """The messages passed on to this participant: released (and perhaps delivered, acknowledged, replied to or
    declined after release). Never a draft, never a message approved but not released. The participant portal reads
    what a person has been sent through this, and nothing else."""
    return (
        _with_parties(RelayMessage.objects.filter(recipient=participant, released_at__isnull=False))
        .filter(status__in=sorted(PASSED_ON_STATUSES))
        .order_by("released_at", "pk")
    )


@dataclass
class MessagePage:
    message: RelayMessage
    files: list[MessageFile] = field(default_factory=list)
    flags: list[IdentifyingFlag] = field(default_factory=list)
    replies: list[RelayMessage] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)


def message_page(message: RelayMessage) -> MessagePage:
    """A message with its files, its flags (and who resolved them) and its replies."""
    files = list(
        MessageFile.objects.filter(message=message).select_related("uploaded_by").order_by("uploaded_at", "pk")
    )
    by_id = {item.pk: item for item in files}
    flags = list(
        IdentifyingFlag.objects.filter(message=message).select_related("resolved_by").order_by("found_at", "pk")
    )
    for flag in flags:
        flag.message = message
        if flag.file_id is not None:
            flag.file = by_id.get(flag.file_id)
    for item in files:
        item.message = message
    replies = list(_with_parties(RelayMessage.objects.filter(reply_to=message)).order_by("created_at", "pk"))
    return MessagePage(message=message, files=files, flags=flags, replies=replies)


def case_participants(case: Case) -> list[Participant]:
    return list(Participant.objects.filter(case=case).select_related("person").order_by("pk"))
