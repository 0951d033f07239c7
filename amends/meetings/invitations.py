"""The calendar invitation (iCalendar, RFC 5545) for one attendee of a meeting.

It holds only that attendee's own arrival and departure, the place, and whom to call: never the other attendees,
the other side's times, or anything about the case. It is written in the languages the attendee reads
(amends.people.languages: Welsh and English together when they asked for both, or were not asked).
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from amends.meetings.models import Attendee, Meeting, MeetingStatus
from amends.people.languages import participant_languages

PRODUCT_ID = "-//Amends//Restorative meetings//EN"


def languages_for(attendee: Attendee) -> list[str]:
    """The languages an invitation is written in, in the order shown."""
    if attendee.participant is None:
        return [translation.get_language() or settings.LANGUAGE_CODE]
    return participant_languages(attendee.participant)


def _in_each(languages: list[str], write: Callable[[], str]) -> str:
    parts = []
    for code in languages:
        with translation.override(code):
            parts.append(write())
    return " / ".join(parts) if len(parts) > 1 else parts[0]


def uid_of(meeting: Meeting, attendee: Attendee) -> str:
    """The invitation's UID: the same for every version of one attendee's invitation, so each replaces the last."""
    return f"meeting-{meeting.pk}-attendee-{attendee.pk}@{meeting.case.service.code.lower()}.amends"


def invitation(meeting: Meeting, attendee: Attendee, *, cancelled: bool = False) -> bytes:
    """One VEVENT from the attendee's arrival to their departure. A cancelled meeting (or a place taken away:
    `cancelled`) is sent as METHOD:CANCEL with the same UID and a later SEQUENCE, so a calendar that holds the
    invitation removes it."""
    cancelled = cancelled or meeting.status == MeetingStatus.CANCELLED
    service = meeting.case.service
    languages = languages_for(attendee)

    def summary() -> str:
        return str(meeting.get_purpose_display())

    def description() -> str:
        lines = [
            _("Please arrive at %(time)s.") % {"time": time_format(timezone.localtime(attendee.arrives_at), "H:i")},
            _("If you need to change or cancel, contact %(service)s.") % {"service": service.name},
        ]
        if service.phone:
            lines.append(_("Phone: %(phone)s") % {"phone": service.phone})
        if cancelled:
            lines.insert(0, _("This meeting will not go ahead."))
        return "\n".join(lines)

    def location() -> str:
        if meeting.venue is not None:
            return f"{meeting.venue.name}, {' '.join(meeting.venue.address.split())}"
        return _("Online: %(platform)s") % {"platform": meeting.get_platform_display()}

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", uid_of(meeting, attendee))
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", attendee.arrives_at.astimezone(datetime.UTC))
    event.add("dtend", attendee.leaves_at.astimezone(datetime.UTC))
    event.add("sequence", meeting.times_moved + (1 if cancelled else 0))
    event.add("summary", _in_each(languages, summary))
    event.add("location", _in_each(languages, location))
    event.add("description", "\n\n".join(_in_each([code], description) for code in languages))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content


def cancellation(meeting: Meeting, attendee: Attendee) -> EmailMessage | None:
    """The email that takes one attendee's invitation off their calendar (METHOD:CANCEL attached), in their language.
    It says only that the meeting will not go ahead, never why. None when there is no address, or when the person's
    information is restricted or erased (their facilitator tells them another way)."""
    if attendee.participant is not None:
        person = attendee.participant.person
        if person.restricted_since is not None or person.anonymised_at is not None:
            return None
        address = str(person.email)
    else:
        address = attendee.staff.email if attendee.staff is not None else ""
    if not address:
        return None
    languages = languages_for(attendee)
    service = meeting.case.service

    def subject() -> str:
        return _("A meeting will not go ahead")

    def body() -> str:
        lines = [
            _("The %(purpose)s on %(day)s will not go ahead. The invitation attached takes it off your calendar.")
            % {
                "purpose": str(meeting.get_purpose_display()).lower(),
                "day": date_format(timezone.localtime(attendee.arrives_at), "j F Y"),
            },
            _("Your facilitator will talk to you about what happens next."),
            _("If you have any questions, contact %(service)s.") % {"service": service.name},
        ]
        if service.phone:
            lines.append(_("Phone: %(phone)s") % {"phone": service.phone})
        return "\n".join(lines)

    message = EmailMessage(
        subject=_in_each(languages, subject),
        body="\n\n".join(_in_each([code], body) for code in languages),
        to=[address],
    )
    message.attach(
        f"meeting-{meeting.pk}.ics",
        invitation(meeting, attendee, cancelled=True),
        "text/calendar; method=CANCEL; charset=utf-8",
    )
    return message
