"""Rows and cells for the panel member, referral order and court report pages' GOV.UK components: display only."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from amends.accounts.presenters import lines, link, tag
from amends.cases.presenters import day, name_of
from amends.core.workdays import working_days_between
from amends.meetings.models import Meeting
from amends.meetings.presenters import status as meeting_status
from amends.meetings.presenters import when
from amends.outcomes.models import AgreementAction
from amends.youth.forms import member_label
from amends.youth.models import Breach, CourtReport, PanelMember, ReferralOrder


def yes_no(value: bool | None) -> str:
    return "" if value is None else (_("Yes") if value else _("No"))


def panel_member_rows(members: list[PanelMember], *, can_manage: bool) -> list[list[Any]]:
    rows = []
    for member in members:
        change = ""
        if can_manage:
            url = reverse("panel_member_edit", kwargs={"service_id": member.service_id, "member_id": member.pk})
            change = link(url, _("Change"), member.name)
        rows.append(
            [
                member.name,
                member.get_role_display(),
                day(member.trained_on) if member.trained_on else tag(_("Not trained yet"), "yellow"),
                _("In use") if member.in_use else tag(_("Not in use"), "grey"),
                change,
            ]
        )
    return rows


def order_rows(order: ReferralOrder) -> list[dict[str, Any]]:
    return [
        {"key": _("Court"), "value": order.court},
        {"key": _("Date the order was made"), "value": day(order.made_on)},
        {"key": _("Length"), "value": _("%(months)s months") % {"months": order.length_months}},
        {"key": _("Order ends"), "value": day(order.ends_on)},
        {"key": _("Recorded by"), "value": name_of(order.recorded_by)},
    ]


def invitation_rows(order: ReferralOrder) -> list[dict[str, Any]]:
    rows = [{"key": _("The person harmed at the panel"), "value": order.get_victim_involvement_display()}]
    if not order.victim_involvement:
        return rows
    if order.not_invited_reason:
        rows.append({"key": _("Why not invited"), "value": order.get_not_invited_reason_display()})
    if order.declined_contribution:
        rows.append({"key": _("What they want instead"), "value": order.get_declined_contribution_display()})
    return [
        *rows,
        {"key": _("More about it"), "value": order.invitation_reasons},
        {"key": _("Recorded by"), "value": name_of(order.invitation_decided_by)},
        {"key": _("Recorded on"), "value": day(order.invitation_decided_at)},
    ]


def final_rows(order: ReferralOrder) -> list[dict[str, Any]]:
    if not order.final_outcome:
        return []
    meeting = order.final_meeting
    return [
        {"key": _("Outcome"), "value": order.get_final_outcome_display()},
        {"key": _("Final meeting"), "value": when(meeting.starts_at) if meeting is not None else ""},
        {"key": _("Recorded by"), "value": name_of(order.final_recorded_by)},
    ]


def meeting_label(meeting: Meeting) -> str:
    return f"{meeting.get_purpose_display()}, {when(meeting.starts_at)}"


def panel_meeting_rows(meetings: list[Meeting], *, can_seat: bool) -> list[list[Any]]:
    rows = []
    for meeting in meetings:
        url = reverse("meeting_detail", kwargs={"case_id": meeting.case_id, "meeting_id": meeting.pk})
        seat = ""
        if can_seat and meeting.is_booked:
            seat_url = reverse("panel_seat", kwargs={"case_id": meeting.case_id, "meeting_id": meeting.pk})
            seat = link(seat_url, _("Choose the panel"), meeting_label(meeting))
        sitting = [member_label(seat_row.member) for seat_row in meeting.panel_seats.all()]
        rows.append(
            [
                link(url, meeting.get_purpose_display()),
                when(meeting.starts_at),
                meeting_status(meeting),
                lines(sitting) if sitting else tag(_("No panel chosen"), "yellow"),
                seat,
            ]
        )
    return rows


def contract_rows(actions: list[AgreementAction], today: datetime.date) -> list[list[Any]]:
    rows = []
    for action in actions:
        due = day(action.due_on)
        rows.append(
            [
                action.label(),
                action.owner.person.full_name,
                tag(_("Overdue: %(day)s") % {"day": due}, "red") if action.is_overdue(today) else due,
                action.get_status_display(),
            ]
        )
    return rows


def breach_rows(breaches: list[Breach]) -> list[list[Any]]:
    return [
        [day(breach.occurred_on), breach.what_happened, yes_no(breach.referred_to_court), name_of(breach.recorded_by)]
        for breach in breaches
    ]


def days_left(today: datetime.date, until: datetime.date) -> str:
    """How long is left, in calendar and working days, or how long ago it was."""
    if until < today:
        return _("Passed %(days)s days ago") % {"days": (today - until).days}
    if until == today:
        return _("Today")
    return _("%(days)s days (%(working)s working days)") % {
        "days": (until - today).days,
        "working": working_days_between(today, until),
    }


def court_rows(
    *,
    deferment_order_on: datetime.date | None,
    deferred_until: datetime.date,
    report: CourtReport,
    today: datetime.date,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"key": _("Date of the deferment order"), "value": day(deferment_order_on)},
        {"key": _("Sentence deferred until"), "value": day(deferred_until)},
        {"key": _("Days left until the sentence date"), "value": days_left(today, deferred_until)},
        {
            "key": _("Report due by"),
            "value": _("%(day)s (%(days)s working days before the sentence date)")
            % {"day": day(report.due_on), "days": report.working_days_before},
        },
    ]
    if report.is_sent:
        rows += [
            {"key": _("Sent"), "value": day(report.sent_on)},
            {"key": _("Summary of the report"), "value": report.summary},
            {"key": _("Sent by"), "value": name_of(report.sent_by)},
        ]
    else:
        due = days_left(today, report.due_on)
        rows.append(
            {
                "key": _("Days left until the report is due"),
                "value": tag(due, "red") if report.due_on < today else due,
            }
        )
    return rows
