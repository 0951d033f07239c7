"""Words, rows and cells for the participant's own pages: display only, no rules.

Everything here is written for the participant, in the second person. The other people in the case are named by
their part in it ("the person responsible"), never by their name or any other detail of theirs.
"""

import datetime
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from amends.accounts.presenters import lines, link, tag
from amends.consent.models import ConsentKind, ConsentRecord
from amends.meetings.models import Attendee, MeetingStatus
from amends.people.models import Participant, ParticipantRole
from amends.relay.models import MessageFile, MessageKind, MessageStatus, RelayMessage

# What to call each part in the case, on the other participant's pages.
PART_WORDS = {
    ParticipantRole.PERSON_HARMED: lambda: _("the person harmed"),
    ParticipantRole.PERSON_RESPONSIBLE: lambda: _("the person responsible"),
    ParticipantRole.SUPPORTER: lambda: _("a supporter"),
    ParticipantRole.PARENT_OR_GUARDIAN: lambda: _("a parent or guardian"),
    ParticipantRole.COMMUNITY_MEMBER: lambda: _("a community member"),
    ParticipantRole.PROFESSIONAL: lambda: _("a professional"),
    ParticipantRole.INTERPRETER: lambda: _("an interpreter"),
}


def part_of(participant: Participant) -> str:
    """Someone else in the case, by their part in it only."""
    return PART_WORDS[ParticipantRole(participant.role)]()


def first_name(participant: Participant) -> str:
    person = participant.person
    return str(person.preferred_name or person.given_name)


def on_day(moment: datetime.date | datetime.datetime | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment)
    return date_format(moment, "j F Y")


def clock(moment: datetime.datetime) -> str:
    return time_format(timezone.localtime(moment), "H:i")


# Consent ------------------------------------------------------------------------------------------------------------


def consent_rows(records: list[ConsentRecord]) -> list[dict[str, Any]]:
    """Their consent as it stands, from the newest record."""
    if not records:
        return [{"key": _("Your consent"), "value": _("You have not given your consent yet.")}]
    latest = records[0]
    if latest.kind == ConsentKind.WITHDRAWN:
        return [
            {
                "key": _("Your consent"),
                "value": _("You withdrew your consent on %(day)s.") % {"day": on_day(latest.occurred_at)},
            }
        ]
    return [
        {
            "key": _("Your consent"),
            "value": _("You gave your consent on %(day)s.") % {"day": on_day(latest.occurred_at)},
        },
        {"key": _("What it covers"), "value": lines(latest.get_scopes_display())},
        {"key": _("Ways of taking part"), "value": lines(latest.get_process_kinds_display()) or _("None")},
    ]


# Messages -----------------------------------------------------------------------------------------------------------


def kind_words(message: RelayMessage) -> str:
    return {
        MessageKind.LETTER: lambda: _("A letter"),
        MessageKind.SCANNED_LETTER: lambda: _("A letter"),
        MessageKind.AUDIO: lambda: _("An audio recording"),
        MessageKind.VIDEO: lambda: _("A video recording"),
        MessageKind.SHUTTLE: lambda: _("A message passed on by your facilitator"),
    }[MessageKind(message.kind)]()


def from_words(message: RelayMessage) -> str:
    return _("From %(part)s") % {"part": part_of(message.sender)}


def message_heading(message: RelayMessage) -> str:
    return _("%(kind)s from %(part)s") % {"kind": kind_words(message), "part": part_of(message.sender)}


def message_rows(messages: list[RelayMessage]) -> list[list[Any]]:
    rows = []
    for message in messages:
        url = reverse("participation:message", kwargs={"message_id": message.pk})
        is_new = message.status == MessageStatus.RELEASED
        rows.append(
            [
                link(url, kind_words(message), from_words(message).lower()),
                capfirst(part_of(message.sender)),
                on_day(message.released_at),
                tag(_("New"), "blue") if is_new else tag(_("Opened"), "grey"),
            ]
        )
    return rows


def message_summary(message: RelayMessage) -> list[dict[str, Any]]:
    return [
        {"key": _("From"), "value": capfirst(part_of(message.sender))},
        {"key": _("What it is"), "value": kind_words(message)},
        {"key": _("Passed on to you"), "value": on_day(message.released_at)},
    ]


# How each file is named on the participant's page and in the download: never the name it was uploaded with, which
# could say something about whoever made it.
FILE_EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/wav": "wav",
    "video/mp4": "mp4",
    "video/webm": "webm",
}


def file_download_name(message_file: MessageFile, number: int) -> str:
    extension = FILE_EXTENSIONS.get(message_file.content_type, "bin")
    return f"message-{message_file.message_id}-{number}.{extension}"


def file_rows(files: list[MessageFile]) -> list[list[Any]]:
    rows = []
    for number, item in enumerate(files, start=1):
        url = reverse("participation:message_file", kwargs={"message_id": item.message_id, "file_id": item.pk})
        words = _("File %(number)s") % {"number": number}
        rows.append([link(url, _("Download"), words), words, item.get_family_display(), filesizeformat(item.size)])
    return rows


SENT_WORDS = {
    MessageStatus.SUBMITTED: lambda: _("Your facilitator is reading it"),
    MessageStatus.IN_REVIEW: lambda: _("Your facilitator is reading it"),
    MessageStatus.RETURNED: lambda: _("Not passed on yet: your facilitator will talk to you about it"),
    MessageStatus.APPROVED: lambda: _("Read by your facilitator, not passed on yet"),
    MessageStatus.RELEASED: lambda: _("Passed on"),
    MessageStatus.DELIVERED: lambda: _("Passed on"),
    MessageStatus.ACKNOWLEDGED: lambda: _("Passed on"),
    MessageStatus.REPLIED: lambda: _("Passed on"),
    MessageStatus.DECLINED: lambda: _("Not passed on: your facilitator will talk to you about it"),
}


def sent_rows(messages: list[RelayMessage]) -> list[list[Any]]:
    return [
        [on_day(message.created_at), capfirst(part_of(message.recipient)), SENT_WORDS[MessageStatus(message.status)]()]
        for message in messages
        if message.status in SENT_WORDS
    ]


def recipient_choices(others: list[Participant]) -> list[tuple[str, str]]:
    """Whom a new letter may go to, by their part; two with the same part are told apart by number only."""
    counts: dict[str, int] = {}
    for other in others:
        counts[other.role] = counts.get(other.role, 0) + 1
    choices, seen = [], dict.fromkeys(counts, 0)
    for other in others:
        seen[other.role] += 1
        words = part_of(other)
        if counts[other.role] > 1:
            words = f"{words} ({seen[other.role]})"
        choices.append((str(other.pk), capfirst(words)))
    return choices


# Meetings -----------------------------------------------------------------------------------------------------------


def place_rows(place: Attendee) -> list[dict[str, Any]]:
    """One meeting as the participant needs it: the day, their own arrival and leaving times, and the place. Never
    anyone else's times, nor who else is coming."""
    meeting = place.meeting
    rows: list[dict[str, Any]] = [
        {"key": _("What"), "value": meeting.get_purpose_display()},
        {"key": _("Date"), "value": date_format(timezone.localtime(place.arrives_at), "l j F Y")},
        {"key": _("Please arrive at"), "value": clock(place.arrives_at)},
        {"key": _("You can leave at about"), "value": clock(place.leaves_at)},
    ]
    if meeting.venue is not None:
        venue = meeting.venue
        rows.append({"key": _("Where"), "value": lines([venue.name, *venue.address.splitlines()])})
        access = [
            words
            for present, words in (
                (venue.step_free, _("Step-free access")),
                (venue.hearing_loop, _("Hearing loop")),
                (venue.separate_waiting_rooms, _("A separate waiting room")),
            )
            if present
        ]
        if access:
            rows.append({"key": _("At the venue"), "value": lines(access)})
    else:
        rows.append(
            {
                "key": _("Where"),
                "value": _("By video, on %(platform)s. Your facilitator will tell you how to join.")
                % {"platform": meeting.get_platform_display()},
            }
        )
    return rows


def place_heading(place: Attendee) -> str:
    return _("%(purpose)s on %(day)s") % {
        "purpose": place.meeting.get_purpose_display(),
        "day": date_format(timezone.localtime(place.arrives_at), "j F Y"),
    }


def is_cancelled(place: Attendee) -> bool:
    return place.meeting.status == MeetingStatus.CANCELLED


def new_count_words(count: int) -> SafeString | str:
    return tag(_("%(count)s new") % {"count": count}, "blue") if count else ""
