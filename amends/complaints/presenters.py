"""Rows, cells and words of the complaints register's pages: display only."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amends.accounts.models import Service
from amends.accounts.presenters import lines, link, tag
from amends.cases.models import Task
from amends.cases.presenters import case_link, day, name_of
from amends.complaints.models import ANSWER_WITHIN_WORKING_DAYS, Complaint, Outcome

OUTCOME_COLOURS = {
    Outcome.UPHELD: "red",
    Outcome.PARTLY_UPHELD: "orange",
    Outcome.NOT_UPHELD: "green",
    Outcome.WITHDRAWN: "grey",
}


def escalation_route(service: Service) -> str:
    """Where a person not satisfied with the answer may go next: the same standard route for every service, built
    from the name of the organisation that runs it."""
    return _(
        "If they are not satisfied with the answer, they may ask %(organisation)s to look at it again through its "
        "complaints procedure, and then complain to the Police and Crime Commissioner for the area. A complaint that "
        "their rights under the Victims' Code were not met may then go to the Parliamentary and Health Service "
        "Ombudsman, through their MP. A concern about the restorative practice itself may go to the Restorative "
        "Justice Council."
    ) % {"organisation": service.organisation.name}


def complaint_url(complaint: Complaint, rest: str = "") -> str:
    url = reverse("complaint_detail", kwargs={"service_id": complaint.service_id, "complaint_id": complaint.pk})
    return f"{url}{rest}"


def heading(complaint: Complaint) -> str:
    return _("%(kind)s received %(day)s") % {"kind": complaint.get_kind_display(), "day": day(complaint.received_on)}


def status(complaint: Complaint, today: datetime.date) -> SafeString:
    """Where a complaint stands: overdue, answer by, answered (in time or late), escalated."""
    if not complaint.is_complaint:
        return SafeString("")
    parts: list[SafeString] = []
    if complaint.responded_on is not None:
        parts.append(tag(complaint.get_outcome_display(), OUTCOME_COLOURS.get(Outcome(complaint.outcome), "")))
        if complaint.outcome != Outcome.WITHDRAWN:
            answered = _("Answered %(day)s") if complaint.answered_in_time else _("Answered late, %(day)s")
            parts.append(format_html("{}", answered % {"day": day(complaint.responded_on)}))
    elif complaint.is_overdue(today):
        parts.append(tag(_("Overdue"), "red"))
        parts.append(format_html("{}", _("Answer was due %(day)s") % {"day": day(complaint.due_on)}))
    else:
        parts.append(format_html("{}", _("Answer by %(day)s") % {"day": day(complaint.due_on)}))
    if complaint.escalated_on is not None:
        parts.append(tag(_("Escalated"), "purple"))
    return format_html_join(" ", "{}", ((part,) for part in parts))


def register_rows(complaints: list[Complaint], today: datetime.date) -> list[list[Any]]:
    return [
        [
            link(complaint_url(complaint), day(complaint.received_on), complaint.get_kind_display()),
            complaint.get_kind_display(),
            complaint.get_from_role_display(),
            complaint.case.reference if complaint.case is not None else "",
            name_of(complaint.handler),
            status(complaint, today),
        ]
        for complaint in complaints
    ]


def _case_value(complaint: Complaint, can_view_case: bool) -> Any:
    if complaint.case is None:
        return _("Not about one case")
    return case_link(complaint.case) if can_view_case else complaint.case.reference


def detail_rows(
    complaint: Complaint, today: datetime.date, *, can_handle: bool, can_view_case: bool
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"key": _("What it is"), "value": complaint.get_kind_display()},
        {"key": _("Date received"), "value": day(complaint.received_on)},
        {"key": _("How it came"), "value": complaint.get_channel_display()},
        {"key": _("From"), "value": complaint.get_from_role_display()},
        {"key": _("Case"), "value": _case_value(complaint, can_view_case)},
        {"key": _("What they said"), "value": lines(complaint.summary.splitlines())},
        {"key": _("How to reach them"), "value": complaint.contact or _("Not given")},
        {
            "key": _("How they want the answer"),
            "value": complaint.get_answer_by_display() if complaint.answer_by else _("Not said"),
        },
        {"key": _("Recorded by"), "value": name_of(complaint.recorded_by) or _("The online form")},
    ]
    if not complaint.is_complaint:
        return rows
    can_change = can_handle and complaint.is_open
    rows.append(
        {
            "key": _("Handler"),
            "value": name_of(complaint.handler),
            "action_url": complaint_url(complaint, "handler/") if can_change else "",
        }
    )
    answer_by = _("Answer by %(day)s (%(days)s working days)") % {
        "day": day(complaint.due_on),
        "days": ANSWER_WITHIN_WORKING_DAYS,
    }
    if complaint.is_overdue(today):
        answer_by = format_html("{} {}", answer_by, tag(_("Overdue"), "red"))
    rows.append({"key": _("Answer due"), "value": answer_by})
    rows.append(
        {
            "key": _("Acknowledged"),
            "value": day(complaint.acknowledged_on) if complaint.acknowledged_on else _("Not yet"),
            "action_url": complaint_url(complaint, "acknowledge/") if can_handle else "",
            "action_label": _("Change") if complaint.acknowledged_on else _("Record"),
        }
    )
    return rows


def task_text(task: Task | None) -> str:
    if task is None:
        return ""
    return _("%(who)s, due %(day)s") % {"who": name_of(task.assigned_to), "day": day(task.due_on)}


def answer_rows(complaint: Complaint) -> list[dict[str, Any]]:
    if complaint.responded_on is None:
        return []
    in_time = _("Within %(days)s working days") % {"days": ANSWER_WITHIN_WORKING_DAYS}
    return [
        {"key": _("Date answered"), "value": day(complaint.responded_on)},
        {
            "key": _("In time"),
            "value": in_time if complaint.answered_in_time else tag(_("Answered late"), "red"),
        },
        {"key": _("Outcome"), "value": complaint.get_outcome_display()},
        {"key": _("The answer"), "value": lines(complaint.response.splitlines()) or _("None recorded")},
    ]


def escalation_rows(complaint: Complaint) -> list[dict[str, Any]]:
    if complaint.escalated_on is None:
        return []
    rows = [
        {"key": _("Date escalated"), "value": day(complaint.escalated_on)},
        {"key": _("Escalated to"), "value": complaint.get_escalated_to_display()},
    ]
    if complaint.escalation_details:
        rows.append({"key": _("About the escalation"), "value": lines(complaint.escalation_details.splitlines())})
    return rows
