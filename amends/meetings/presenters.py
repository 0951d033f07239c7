"""Rows and cells for the meeting and venue pages' GOV.UK components: display only, no rules."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amends.accounts.presenters import lines, link, tag
from amends.cases.presenters import day, name_of
from amends.meetings.forms import attendee_name
from amends.meetings.models import Attendee, Meeting, MeetingStatus, Venue

STATUS_COLOURS = {
    MeetingStatus.BOOKED: "blue",
    MeetingStatus.CANCELLED: "grey",
    MeetingStatus.HELD: "green",
    MeetingStatus.HALTED: "red",
    MeetingStatus.NOT_HELD: "orange",
}


def when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(day)s at %(time)s") % {"day": date_format(local, "l j F Y"), "time": time_format(local, "H:i")}


def clock(moment: datetime.datetime) -> str:
    return time_format(timezone.localtime(moment), "H:i")


def status(meeting: Meeting) -> SafeString:
    return tag(meeting.get_status_display(), STATUS_COLOURS[MeetingStatus(meeting.status)])


def place(meeting: Meeting) -> str:
    if meeting.venue is not None:
        return meeting.venue.name
    return _("Online: %(platform)s") % {"platform": meeting.get_platform_display()}


def meeting_url(meeting: Meeting) -> str:
    return reverse("meeting_detail", kwargs={"case_id": meeting.case_id, "meeting_id": meeting.pk})


def meeting_rows(meetings: list[Meeting]) -> list[list[Any]]:
    return [
        [
            link(meeting_url(meeting), meeting.get_purpose_display()),
            when(meeting.starts_at),
            place(meeting),
            str(sum(1 for attendee in meeting.attendees.all() if attendee.participant_id)),
            status(meeting),
        ]
        for meeting in meetings
    ]


def yes_no(value: bool | None) -> str:
    return "" if value is None else (_("Yes") if value else _("No"))


def meeting_summary(meeting: Meeting) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"key": _("Purpose"), "value": meeting.get_purpose_display()},
        {"key": _("Starts"), "value": when(meeting.starts_at)},
        {"key": _("Length"), "value": _("%(minutes)s minutes") % {"minutes": meeting.duration_minutes}},
        {"key": _("Status"), "value": status(meeting)},
    ]
    if meeting.venue is not None:
        venue = meeting.venue
        rows.append({"key": _("Venue"), "value": lines([venue.name, *venue.address.splitlines()])})
        if venue.is_prison:
            rows.append({"key": _("Visit booking reference"), "value": meeting.visit_booking_reference})
            rows.append({"key": _("Security clearance confirmed"), "value": yes_no(meeting.security_cleared)})
    else:
        rows.append({"key": _("Video platform"), "value": meeting.get_platform_display()})
        rows.append(
            {
                "key": _("Connection tested"),
                "value": day(meeting.pre_checks_on) if meeting.pre_checks_on else _("Not yet"),
            }
        )
    rows.append({"key": _("Booked by"), "value": name_of(meeting.booked_by)})
    if meeting.times_moved:
        rows.append({"key": _("Times moved"), "value": str(meeting.times_moved)})
    if meeting.change_reason:
        rows.append({"key": _("Why it was moved or cancelled"), "value": meeting.change_reason})
    if meeting.recorded_at:
        rows.append({"key": _("What happened"), "value": meeting.summary})
        rows.append({"key": _("Recorded by"), "value": name_of(meeting.recorded_by)})
    return rows


def attendee_rows(meeting: Meeting, attendees: list[Attendee], *, can_invite: bool) -> list[list[Any]]:
    rows = []
    for attendee in attendees:
        invitation = ""
        if can_invite and meeting.status in (MeetingStatus.BOOKED, MeetingStatus.CANCELLED):
            url = reverse(
                "attendee_invitation",
                kwargs={"case_id": meeting.case_id, "meeting_id": meeting.pk, "attendee_id": attendee.pk},
            )
            invitation = link(url, _("Calendar invitation"), attendee_name(attendee))
        rows.append(
            [
                attendee_name(attendee),
                attendee.get_party_display(),
                clock(attendee.arrives_at),
                clock(attendee.leaves_at),
                yes_no(attendee.attended),
                invitation,
            ]
        )
    return rows


def venue_rows(venues: list[Venue], *, can_manage: bool) -> list[list[Any]]:
    rows = []
    for venue in venues:
        offers = [
            str(label)
            for flag, label in (
                (venue.step_free, _("Step-free access")),
                (venue.separate_waiting_rooms, _("Separate waiting rooms")),
                (venue.hearing_loop, _("Hearing loop")),
                (venue.is_prison, _("Prison or secure setting")),
            )
            if flag
        ]
        edit = ""
        if can_manage:
            url = reverse("venue_edit", kwargs={"service_id": venue.service_id, "venue_id": venue.pk})
            edit = link(url, _("Change"), venue.name)
        rows.append(
            [
                venue.name,
                lines(venue.address.splitlines()),
                lines(offers),
                _("In use") if venue.in_use else tag(_("Not in use"), "grey"),
                edit,
            ]
        )
    return rows
