"""Rows and cells for the follow-up page's GOV.UK components: display only, no rules."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amends.accounts.presenters import link, tag
from amends.cases.models import Task, TaskKind
from amends.cases.presenters import day, due_cell, name_of
from amends.followup.models import (
    ANSWER_FIELDS,
    FINAL_STATUSES,
    FeedbackSurvey,
    OnwardReferral,
    OnwardStatus,
    ReoffendingChange,
    ReoffendingCheck,
)
from amends.people.models import Participant

STATUS_COLOURS = {
    OnwardStatus.SIGNPOSTED: "blue",
    OnwardStatus.REFERRED: "blue",
    OnwardStatus.ACCEPTED: "turquoise",
    OnwardStatus.DECLINED: "grey",
    OnwardStatus.COMPLETED: "green",
}


def not_answered(value: str) -> str:
    return value or _("Not answered")


def task_rows(tasks: list[Task], today: datetime.date) -> list[list[Any]]:
    rows = []
    for task in tasks:
        what = _("Follow-up contact") if task.kind == TaskKind.FOLLOW_UP else _("Reoffending check")
        done = tag(_("Done"), "green") if task.completed_at is not None else tag(_("To do"), "blue")
        rows.append([what, name_of(task.assigned_to), due_cell(task, today), done])
    return rows


def survey_rows(survey: FeedbackSurvey, edit_url: str) -> list[dict[str, Any]]:
    def fear(value: int | None) -> str:
        return str(value) if value is not None else _("Not answered")

    answers = [
        {"key": survey._meta.get_field(name).verbose_name.capitalize(), "value": not_answered(display)}  # type: ignore[union-attr]
        for name, display in ((name, getattr(survey, f"get_{name}_display")()) for name in ANSWER_FIELDS)
    ]
    if survey.taken_by is None:
        # Answered by the participant themselves: the method says so already, so it is not said twice.
        who = _("The participant, through their secure link")
        taken = f"{day(survey.taken_on)}, {who}"
    else:
        taken = _("%(day)s, %(method)s, by %(who)s") % {
            "day": day(survey.taken_on),
            "method": survey.get_method_display().lower(),
            "who": name_of(survey.taken_by),
        }
    rows: list[dict[str, Any]] = [
        {
            "key": _("Taken"),
            "value": taken,
            "action_url": edit_url,
            "action_label": _("Correct"),
            "action_hidden": _("the survey"),
        },
        {
            "key": _("Satisfaction"),
            "value": not_answered(survey.get_satisfaction_display() if survey.satisfaction is not None else ""),
        },
        {"key": _("Fear of the other person before (0 to 10)"), "value": fear(survey.fear_before)},
        {"key": _("Fear of the other person after (0 to 10)"), "value": fear(survey.fear_after)},
        *answers,
        {"key": _("In their own words"), "value": survey.comments or _("Nothing written")},
        {"key": _("May be quoted anonymously"), "value": _("Yes") if survey.consent_to_quote else _("No")},
    ]
    return rows


def survey_list(
    case_id: int, participants: list[Participant], surveys: list[FeedbackSurvey], *, can_change: bool
) -> list[dict[str, Any]]:
    """Each participant who took part, with their survey's rows or a link to record it."""
    by_participant = {survey.participant_id: survey for survey in surveys}
    entries: list[dict[str, Any]] = []
    for participant in participants:
        if not participant.takes_part:
            continue
        survey = by_participant.get(participant.pk)
        name = f"{participant.person.full_name} ({participant.get_role_display()})"
        if survey is None:
            add_url = (
                reverse("survey_add", kwargs={"case_id": case_id, "participant_id": participant.pk})
                if can_change
                else ""
            )
            entries.append({"name": name, "person": participant.person.full_name, "rows": [], "add_url": add_url})
            continue
        edit_url = reverse("survey_edit", kwargs={"case_id": case_id, "survey_id": survey.pk}) if can_change else ""
        entries.append(
            {"name": name, "person": participant.person.full_name, "rows": survey_rows(survey, edit_url), "add_url": ""}
        )
    return entries


def check_rows(checks: list[ReoffendingCheck]) -> list[list[Any]]:
    return [
        [
            check.participant.person.full_name,
            day(check.process_on),
            str(check.offences_before),
            str(check.offences_after) if check.offences_after is not None else _("Not yet counted"),
            check.get_source_display(),
            day(check.checked_on),
            name_of(check.checked_by),
        ]
        for check in checks
    ]


def change_text(change: ReoffendingChange | None) -> str:
    if change is None:
        return ""
    said = _("Proven offences before: %(before)s. After: %(after)s. Change: %(difference)s") % {
        "before": change.before,
        "after": change.after,
        "difference": f"{change.difference:+d}",
    }
    if change.percent is not None:
        said += f" ({change.percent:+}%)"
    return said


def referral_rows(case_id: int, referrals: list[OnwardReferral], *, can_change: bool) -> list[list[Any]]:
    rows = []
    for referral in referrals:
        status = OnwardStatus(referral.status)
        update = SafeString("")
        if can_change and status not in FINAL_STATUSES:
            url = reverse("onward_referral_update", kwargs={"case_id": case_id, "referral_id": referral.pk})
            update = link(url, _("Update"), referral.label())
        rows.append(
            [
                referral.participant.person.full_name,
                referral.get_support_kind_display(),
                referral.organisation,
                tag(str(status.label), STATUS_COLOURS[status]),
                day(referral.status_on),
                referral.notes,
                update,
            ]
        )
    return rows
