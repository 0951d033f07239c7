"""Writes of follow-up after the process: the follow-up contacts and the reoffending check as tasks, feedback surveys,
reoffending checks and onward referrals. Each checks who may act, writes in one transaction, records its audit event
and tells the case's timeline. Audit changes and timeline details name ids, dates and choices only: never a survey's
words, an organisation or anyone's offences.

Follow-up contacts: when a case enters following up, its lead facilitator gets two follow-up tasks, due the service's
first and second follow-up days after the process date (the day the case first entered following up). A follow-up
task is done when a feedback survey is recorded for the case taken no more than FOLLOW_UP_EARLY_DAYS before its due
date (or any time after it); `follow_up_done` is that rule, for any other record of a follow-up contact to call too.
The facilitator may also mark a follow-up task done on their task list.
"""

import datetime
from dataclasses import dataclass, fields

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.cases.models import Case, State, Task, TaskKind, TimelineEntry, TimelineKind
from amends.cases.services import (
    add_timeline,
    close_tasks,
    coordinators_of,
    create_task,
    require_case_access,
    require_open,
)
from amends.core.errors import DomainError, NotPermittedError
from amends.core.versioning import check_version, save_versioned
from amends.dataprotection.restriction import refuse_if_restricted
from amends.followup.models import (
    ANSWER_FIELDS,
    FEAR_MAX,
    FINAL_STATUSES,
    STARTING_STATUSES,
    Answer,
    FeedbackSurvey,
    OnwardReferral,
    OnwardStatus,
    ReoffendingCheck,
    ReoffendingSource,
    Satisfaction,
    SupportKind,
    SurveyMethod,
    twelve_months_after,
)
from amends.people.models import Participant, ParticipantRole

# Surveys are taken once the process has happened: while its agreement is monitored, or in follow-up.
SURVEY_STATES = frozenset({State.AGREEMENT_MONITORING, State.FOLLOWING_UP})
# A survey taken up to this many days before a follow-up task is due does that follow-up.
FOLLOW_UP_EARLY_DAYS = 7


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field=field)


def _in_case(participant: Participant, case: Case, field: str = "participant") -> None:
    if participant.case_id != case.pk:
        raise DomainError(_("Choose someone in this case."), field=field)


def process_date(case: Case) -> datetime.date | None:
    """The date the process is measured from: the day the case first entered following up (from its timeline)."""
    entered = (
        TimelineEntry.objects.filter(case=case, kind=TimelineKind.STATE_CHANGED, to_state=State.FOLLOWING_UP)
        .order_by("occurred_at", "pk")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return timezone.localdate(entered) if entered is not None else None


# The follow-up tasks ----------------------------------------------------------------------------------------------


def schedule_follow_up(*, case: Case, actor: User | None) -> None:
    """Called as a case enters following up or closes, inside that transition.

    Entering following up: two follow-up tasks for the lead facilitator, due the service's first and second
    follow-up days after the process date, and a reoffending check due 12 months after it. Again entering following
    up (resuming from a hold) adds nothing already there. Closing (which ends every task): the reoffending check passes
    to a coordinator, unless every person responsible has already been checked after 12 months.
    """
    process_on = process_date(case)
    if process_on is None:
        return
    if case.state == State.CLOSED:
        if not _reoffending_outstanding(case):
            return
        owner = next(iter(coordinators_of(case.service)), None) or case.lead_facilitator or actor
        if owner is not None:
            create_task(
                service=case.service,
                case=case,
                kind=TaskKind.REOFFENDING_CHECK,
                assigned_to=owner,
                due_on=twelve_months_after(process_on),
            )
        return
    owner = case.lead_facilitator or actor
    if owner is None:
        return
    service = case.service
    existing = set(Task.objects.filter(case=case, kind=TaskKind.FOLLOW_UP).values_list("due_on", flat=True))
    for days in (service.first_follow_up_days, service.second_follow_up_days):
        due_on = process_on + datetime.timedelta(days=days)
        if due_on not in existing:
            # Not create_task: it keeps one open task of a kind per person, and follow-up has two on purpose.
            Task.objects.create(service=service, case=case, kind=TaskKind.FOLLOW_UP, assigned_to=owner, due_on=due_on)
    if _reoffending_outstanding(case) and not Task.objects.filter(case=case, kind=TaskKind.REOFFENDING_CHECK).exists():
        create_task(
            service=service,
            case=case,
            kind=TaskKind.REOFFENDING_CHECK,
            assigned_to=owner,
            due_on=twelve_months_after(process_on),
        )


def follow_up_done(*, case: Case, actor: User | None, on: datetime.date) -> int:
    """A follow-up contact happened on `on`: every open follow-up task due no more than FOLLOW_UP_EARLY_DAYS after it
    is done. Returns how many were done."""
    latest_due = on + datetime.timedelta(days=FOLLOW_UP_EARLY_DAYS)
    return (
        Task.objects.open()
        .filter(case=case, kind=TaskKind.FOLLOW_UP, due_on__lte=latest_due)
        .update(completed_at=timezone.now(), completed_by=actor)
    )


# Feedback surveys -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyAnswers:
    """What the participant said; None or "" is "not answered" (the survey is voluntary, every answer optional)."""

    satisfaction: Satisfaction | int | None = None
    felt_safe: Answer | str = ""
    felt_heard: Answer | str = ""
    felt_better: Answer | str = ""
    fear_before: int | None = None
    fear_after: int | None = None
    better_able_to_cope: Answer | str = ""
    better_able_to_recover: Answer | str = ""
    would_recommend: Answer | str = ""
    comments: str = ""
    consent_to_quote: bool = False


def _checked_answers(answers: SurveyAnswers) -> dict[str, object]:
    """The answers as the survey stores them, or a refusal naming the answer that cannot be."""
    values: dict[str, object] = {field.name: getattr(answers, field.name) for field in fields(answers)}
    satisfaction = values["satisfaction"]
    if satisfaction is not None:
        if satisfaction not in Satisfaction.values:
            raise DomainError(_("Choose how satisfied they were, or leave it not answered."), field="satisfaction")
        values["satisfaction"] = Satisfaction(satisfaction).value
    for name in ANSWER_FIELDS:
        value = str(values[name] or "")
        if value and value not in Answer.values:
            raise DomainError(_("Choose yes, no or not sure, or leave it not answered."), field=name)
        values[name] = Answer(value).value if value else ""
    for name in ("fear_before", "fear_after"):
        fear = values[name]
        if fear is not None and not (isinstance(fear, int) and 0 <= fear <= FEAR_MAX):
            raise DomainError(
                _("Give a number from 0 to %(most)s, or leave it not answered.") % {"most": FEAR_MAX}, field=name
            )
    values["comments"] = str(values["comments"]).strip()
    # Quoting needs their words and their agreement to it.
    values["consent_to_quote"] = bool(values["consent_to_quote"]) and bool(values["comments"])
    return values


def _require_survey_state(actor: User | None, case: Case) -> None:
    """actor None is the participant answering through their secure link (the caller checked the link)."""
    if actor is not None:
        require_case_access(actor, case)
    require_open(case)
    if case.state not in SURVEY_STATES:
        raise DomainError(
            _(
                "A feedback survey is taken once the process has happened: "
                "while the agreement is monitored or in follow-up."
            )
        )


@transaction.atomic
def record_survey(
    *,
    case: Case,
    actor: User | None,
    participant: Participant,
    taken_on: datetime.date,
    method: SurveyMethod | str,
    answers: SurveyAnswers,
) -> FeedbackSurvey:
    """Record a participant's feedback survey, taken by a member of staff: once per participant, from those who took
    part. A survey does the follow-up contacts due around then (see the module's docstring).

    actor is None when the participant answers it themselves, through their secure link: the method is then online,
    and only then."""
    if (actor is None) != (SurveyMethod(method) == SurveyMethod.ONLINE):
        if actor is None:
            raise NotPermittedError(_("You cannot work on this case."))
        raise DomainError(
            _("A survey is online only when the person answers it through their secure link."), field="method"
        )
    _require_survey_state(actor, case)
    _in_case(participant, case)
    if not participant.takes_part:
        raise DomainError(_("Only someone who took part in the process is asked for feedback."), field="participant")
    refuse_if_restricted(participant.person_id, field="participant")
    if FeedbackSurvey.objects.filter(case=case, participant=participant).exists():
        raise DomainError(
            _("A feedback survey from %(name)s is already recorded: correct it instead of recording another.")
            % {"name": participant.person.full_name},
            field="participant",
        )
    _not_in_future(taken_on, "taken_on")
    values = _checked_answers(answers)
    survey = FeedbackSurvey.objects.create(
        case=case,
        participant=participant,
        taken_on=taken_on,
        method=SurveyMethod(method),
        taken_by=actor,
        **values,
    )
    record_event(
        action=AuditAction.SURVEY_RECORDED,
        actor=actor,
        target=survey,
        service=case.service,
        changes={"participant": participant.pk, "taken_on": taken_on.isoformat(), "method": survey.method},
    )
    add_timeline(case=case, actor=actor, kind=TimelineKind.SURVEY_RECORDED, participant=participant)
    follow_up_done(case=case, actor=actor, on=taken_on)
    return survey


@transaction.atomic
def correct_survey(
    *,
    survey: FeedbackSurvey,
    actor: User,
    taken_on: datetime.date,
    method: SurveyMethod | str,
    answers: SurveyAnswers,
    expected_version: int | None = None,
) -> FeedbackSurvey:
    """Correct a survey as it was taken (checking the version the editor started from)."""
    case = survey.case
    _require_survey_state(actor, case)
    check_version(survey, expected_version)
    _not_in_future(taken_on, "taken_on")
    values = {"taken_on": taken_on, "method": SurveyMethod(method).value, **_checked_answers(answers)}
    changed = [name for name, value in values.items() if getattr(survey, name) != value]
    for name, value in values.items():
        setattr(survey, name, value)
    save_versioned(survey, expected_version=survey.version, fields=list(values))
    if changed:
        # Which answers changed, never what they were.
        record_event(
            action=AuditAction.SURVEY_RECORDED,
            actor=actor,
            target=survey,
            service=case.service,
            changes={"corrected": sorted(changed)},
        )
        add_timeline(
            case=case,
            actor=actor,
            kind=TimelineKind.SURVEY_RECORDED,
            participant=survey.participant,
            detail=_("Corrected"),
        )
    return survey


# Reoffending checks -----------------------------------------------------------------------------------------------


def _reoffending_outstanding(case: Case) -> bool:
    """Whether a person responsible in the case has no complete reoffending check yet."""
    responsible = set(
        Participant.objects.filter(case=case, role=ParticipantRole.PERSON_RESPONSIBLE).values_list("pk", flat=True)
    )
    checked = set(
        ReoffendingCheck.objects.filter(case=case, offences_after__isnull=False).values_list(
            "participant_id", flat=True
        )
    )
    return bool(responsible - checked)


@transaction.atomic
def record_reoffending_check(
    *,
    case: Case,
    actor: User,
    participant: Participant,
    offences_before: int,
    source: ReoffendingSource | str,
    checked_on: datetime.date,
    offences_after: int | None = None,
    process_on: datetime.date | None = None,
) -> ReoffendingCheck:
    """Record a check of a person responsible's proven offences in the 12 months before the process and, once 12
    months have passed since it, in the 12 months after.

    This may be done on a closed case too: a reoffending check is follow-up data about what happened after the
    process, not a change to the case's record as it was closed, and it is due a year after the process, long after
    most cases close. So it asks only that the person may work on the case, not that the case is open.
    """
    require_case_access(actor, case)
    _in_case(participant, case)
    if participant.role != ParticipantRole.PERSON_RESPONSIBLE:
        raise DomainError(_("Reoffending is checked for a person responsible."), field="participant")
    entered = process_date(case)
    if entered is None:
        raise DomainError(_("Reoffending is checked once the process has happened and the case is in follow-up."))
    process_on = process_on or entered
    _not_in_future(process_on, "process_on")
    _not_in_future(checked_on, "checked_on")
    if checked_on < process_on:
        raise DomainError(_("The check cannot be before the process."), field="checked_on")
    for name, count in (("offences_before", offences_before), ("offences_after", offences_after)):
        if count is not None and count < 0:
            raise DomainError(_("Give the number of proven offences: 0 or more."), field=name)
    if offences_after is not None:
        open_on = twelve_months_after(process_on)
        if checked_on < open_on:
            raise DomainError(
                _(
                    "The 12 months after the process have not passed yet, so offences after it cannot be counted: "
                    "check again on or after %(day)s."
                )
                % {"day": date_format(open_on, "j F Y")},
                field="offences_after",
            )
    check = ReoffendingCheck.objects.create(
        case=case,
        participant=participant,
        process_on=process_on,
        offences_before=offences_before,
        offences_after=offences_after,
        source=ReoffendingSource(source),
        checked_on=checked_on,
        checked_by=actor,
    )
    # The numbers are about someone's offending: the audit says that they were counted, not what they were.
    record_event(
        action=AuditAction.REOFFENDING_CHECKED,
        actor=actor,
        target=check,
        service=case.service,
        changes={
            "participant": participant.pk,
            "process_on": process_on.isoformat(),
            "checked_on": checked_on.isoformat(),
            "source": check.source,
            "after_counted": offences_after is not None,
        },
    )
    add_timeline(case=case, actor=actor, kind=TimelineKind.REOFFENDING_CHECKED, participant=participant)
    if offences_after is not None and not _reoffending_outstanding(case):
        close_tasks(case=case, actor=actor, kinds=[TaskKind.REOFFENDING_CHECK])
    return check


# Onward referrals -------------------------------------------------------------------------------------------------


def _status_label(status: str) -> str:
    return str(OnwardStatus(status).label).lower()


@transaction.atomic
def make_onward_referral(
    *,
    case: Case,
    actor: User,
    participant: Participant,
    support_kind: SupportKind | str,
    organisation: str,
    status: OnwardStatus | str,
    status_on: datetime.date,
    notes: str = "",
) -> OnwardReferral:
    """Signpost or refer a participant to other support (Victim Support, housing, mental health and so on)."""
    require_case_access(actor, case)
    require_open(case)
    _in_case(participant, case)
    organisation = organisation.strip()
    if not organisation:
        raise DomainError(_("Give the name of the organisation."), field="organisation")
    status = OnwardStatus(status)
    if status not in STARTING_STATUSES:
        raise DomainError(
            _("An onward referral starts as signposted or referred: record what came of it as an update."),
            field="status",
        )
    _not_in_future(status_on, "status_on")
    referral = OnwardReferral.objects.create(
        case=case,
        participant=participant,
        support_kind=SupportKind(support_kind),
        organisation=organisation,
        status=status,
        status_on=status_on,
        notes=notes.strip(),
        recorded_by=actor,
    )
    record_event(
        action=AuditAction.ONWARD_REFERRAL_SAVED,
        actor=actor,
        target=referral,
        service=case.service,
        changes={
            "participant": participant.pk,
            "support_kind": referral.support_kind,
            "status": referral.status,
            "status_on": status_on.isoformat(),
            "notes": "[encrypted]",
        },
    )
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.ONWARD_REFERRAL_MADE,
        participant=participant,
        detail=f"{referral.get_support_kind_display()}: {referral.get_status_display()}",
    )
    return referral


@transaction.atomic
def update_onward_referral(
    *,
    referral: OnwardReferral,
    actor: User,
    status: OnwardStatus | str,
    status_on: datetime.date,
    notes: str | None = None,
    expected_version: int | None = None,
) -> OnwardReferral:
    """Record what came of an onward referral (accepted, declined, completed...), checking the version read."""
    case = referral.case
    require_case_access(actor, case)
    require_open(case)
    locked = OnwardReferral.objects.select_for_update().get(pk=referral.pk)
    check_version(locked, expected_version)
    if locked.status in FINAL_STATUSES:
        raise DomainError(
            _("This referral is already %(status)s.") % {"status": _status_label(locked.status)}, field="status"
        )
    status = OnwardStatus(status)
    if status == locked.status:
        raise DomainError(
            _("This referral is already %(status)s: choose what came of it.") % {"status": _status_label(status)},
            field="status",
        )
    _not_in_future(status_on, "status_on")
    if status_on < locked.status_on:
        raise DomainError(
            _("The date cannot be before the last update, %(day)s.") % {"day": date_format(locked.status_on, "j F Y")},
            field="status_on",
        )
    before = locked.status
    changes: dict[str, object] = {
        "status": {"before": before, "after": status.value},
        "status_on": {"before": locked.status_on.isoformat(), "after": status_on.isoformat()},
    }
    locked.status, locked.status_on = status, status_on
    if notes is not None and notes.strip() != locked.notes:
        locked.notes = notes.strip()
        changes["notes"] = {"before": "[encrypted]", "after": "[encrypted]"}
    save_versioned(locked, expected_version=locked.version, fields=["status", "status_on", "notes"])
    record_event(
        action=AuditAction.ONWARD_REFERRAL_SAVED, actor=actor, target=locked, service=case.service, changes=changes
    )
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.ONWARD_REFERRAL_UPDATED,
        participant=locked.participant,
        detail=f"{locked.get_support_kind_display()}: {locked.get_status_display()}",
    )
    return locked
