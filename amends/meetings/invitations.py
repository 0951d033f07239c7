"""The calendar invitation (iCalendar, RFC 5545) for one attendee of a meeting.

It holds only that attendee's own arrival and departure, the place, and whom to call: never the other attendees,
the other side's times, or anything about the case. It is written in the languages the attendee reads
(amends.people.languages: Welsh and English together when they asked for both, or were not asked).
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import time_format
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


def invitation(meeting: Meeting, attendee: Attendee) -> bytes:
    """One VEVENT from the attendee's arrival to their departure; cancelled meetings say so."""
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
        if meeting.status == MeetingStatus.CANCELLED:
            lines.insert(0, _("This meeting is cancelled."))
        return "\n".join(lines)

    def location() -> str:
        if meeting.venue is not None:
            return f"{meeting.venue.name}, {' '.join(meeting.venue.address.split())}"
        return _("Online: %(platform)s") % {"platform": meeting.get_platform_display()}

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}-attendee-{attendee.pk}@{service.code.lower()}.amends")
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", attendee.arrives_at.astimezone(datetime.UTC))
    event.add("dtend", attendee.leaves_at.astimezone(datetime.UTC))
    event.add("sequence", meeting.times_moved + (1 if meeting.status == MeetingStatus.CANCELLED else 0))
    event.add("summary", _in_each(languages, summary))
    event.add("location", _in_each(languages, location))
    event.add("description", "\n\n".join(_in_each([code], description) for code in languages))
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content
