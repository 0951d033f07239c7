"""Writes of the youth and court variants: the panel member register, referral orders (the part of the person harmed
in the panel, who sits on each panel, breaches and the final meeting) and the report to a court that
deferred sentence. Each checks who may act, writes in one transaction, records its audit event and tells the case's
timeline (never with anyone's personal details or the encrypted texts).

Review meetings of a referral order. A case holds one open task of a kind per person (cases.services.create_task),
so the reviews are one rolling task for the lead facilitator: recording the order makes it due 3 months after the
order date; holding a panel or review meeting moves it to 3 months after that meeting; once the next review would
fall on or after the order's end, the task is due on the end date instead (the final meeting); recording the final
meeting closes it. The referral-order page lists every review date still expected under the same rule.
"""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import Service, User
from amends.audit.models import AuditAction
from amends.audit.services import CONCEALED, changes_between, field_values, record_event
from amends.cases.models import Case, ProcessKind, Task, TaskKind, TimelineKind
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
from amends.core.workdays import add_months, is_working_day, working_days_between
from amends.meetings.models import Meeting, MeetingPurpose, MeetingStatus
from amends.permissions import Capability, can
from amends.youth.models import (
    DEFAULT_REPORT_WORKING_DAYS,
    LONGEST_ORDER_MONTHS,
    SHORTEST_ORDER_MONTHS,
    Breach,
    CourtReport,
    DeclinedContribution,
    FinalOutcome,
    NotInvitedReason,
    PanelMember,
    PanelRole,
    PanelSeat,
    ReferralOrder,
    VictimInvolvement,
)

# A youth offender panel: at least two community panel members and one youth justice service officer.
COMMUNITY_MEMBERS_NEEDED = 2
OFFICERS_NEEDED = 1
# Progress meetings about every three months (Referral Order Guidance).
REVIEW_EVERY_MONTHS = 3
PANEL_MEETINGS = frozenset({MeetingPurpose.PANEL, MeetingPurpose.REVIEW})
LONGEST_REPORT_WORKING_DAYS = 30


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


# The panel member register.

PANEL_MEMBER_FIELDS = ("name", "role", "trained_on", "in_use")


@transaction.atomic
def save_panel_member(
    *,
    service: Service,
    actor: User,
    details: Mapping[str, Any],
    member: PanelMember | None = None,
    expected_version: int | None = None,
) -> PanelMember:
    """Add someone to the service's register of panel members, or change their entry."""
    if not can(actor, Capability.MANAGE_PANEL_MEMBERS, service):
        raise NotPermittedError(_("Only a coordinator or an administrator of the service keeps its panel members."))
    values = {name: details[name] for name in PANEL_MEMBER_FIELDS if name in details}
    if "name" in values:
        values["name"] = str(values["name"] or "").strip()
    current = {name: getattr(member, name) for name in PANEL_MEMBER_FIELDS} if member is not None else {}
    merged = {**current, **values}
    if not merged.get("name"):
        raise DomainError(_("Give the panel member's name."), field="name")
    if merged.get("role") not in PanelRole.values:
        raise DomainError(_("Choose the panel member's role."), field="role")
    trained_on = merged.get("trained_on")
    if trained_on is not None and trained_on > timezone.localdate():
        raise DomainError(_("The training date cannot be in the future."), field="trained_on")
    same_name = PanelMember.objects.filter(service=service, name__iexact=merged["name"])
    if member is not None:
        same_name = same_name.exclude(pk=member.pk)
    if same_name.exists():
        raise DomainError(_("The register already has a panel member with this name."), field="name")
    if member is None:
        member = PanelMember.objects.create(service=service, **values)
        changed = sorted(values)
    else:
        if member.service_id != service.pk:
            raise DomainError(_("This panel member belongs to another service."))
        check_version(member, expected_version)
        changed = sorted(name for name, value in values.items() if current[name] != value)
        for name, value in values.items():
            setattr(member, name, value)
        save_versioned(member, expected_version=expected_version or member.version, fields=list(values))
    record_event(
        action=AuditAction.PANEL_MEMBER_SAVED,
        actor=actor,
        target=member,
        service=service,
        changes={"fields": changed},
    )
    return member


# Referral orders.


def _require_referral_order_process(case: Case) -> None:
    if case.process_kind != ProcessKind.REFERRAL_ORDER_PANEL:
        raise DomainError(_("A referral order belongs to a case whose process is a referral-order panel."))


def _locked_case(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("service", "lead_facilitator", "co_facilitator")
        .get(pk=case.pk)
    )


def order_of(case: Case) -> ReferralOrder:
    order = ReferralOrder.objects.filter(case=case).first()
    if order is None:
        raise DomainError(_("Record the referral order first."))
    order.case = case
    return order


def _review_owner(case: Case, actor: User) -> User:
    return case.lead_facilitator or next(iter(coordinators_of(case.service)), actor)


def next_review_on(order: ReferralOrder, last_held: datetime.date | None) -> datetime.date:
    """When the next review is due: 3 months after the last panel or review meeting held (or the order date), or on
    the order's end date when that comes first (the final meeting)."""
    due = add_months(last_held or order.made_on, REVIEW_EVERY_MONTHS)
    return min(due, order.ends_on)


def reviews_due(order: ReferralOrder, last_held: datetime.date | None) -> list[datetime.date]:
    """Every review still expected under the rule, up to the final meeting on the order's end date."""
    if order.final_outcome:
        return []
    # Counted in whole months from one day, so that a short month does not pull every later review earlier
    # (30 November: 28 February, then 30 May, not 28 May).
    anchor = last_held or order.made_on
    dates = [min(add_months(anchor, REVIEW_EVERY_MONTHS), order.ends_on)]
    while dates[-1] < order.ends_on:
        dates.append(min(add_months(anchor, REVIEW_EVERY_MONTHS * (len(dates) + 1)), order.ends_on))
    return dates


def last_panel_held(case: Case) -> datetime.date | None:
    meeting = (
        Meeting.objects.filter(case=case, purpose__in=list(PANEL_MEETINGS), status=MeetingStatus.HELD)
        .order_by("-starts_at")
        .first()
    )
    return timezone.localdate(meeting.starts_at) if meeting is not None else None


def _set_review_task(case: Case, order: ReferralOrder, actor: User, last_held: datetime.date | None) -> Task:
    """The one open review task of the case, due under the rule (moved later when a review has been held)."""
    due_on = next_review_on(order, last_held)
    owner = _review_owner(case, actor)
    Task.objects.open().filter(case=case, kind=TaskKind.PANEL_REVIEW).exclude(assigned_to=owner).update(
        completed_at=timezone.now(), completed_by=actor
    )
    task = create_task(service=case.service, case=case, kind=TaskKind.PANEL_REVIEW, assigned_to=owner, due_on=due_on)
    if task.due_on != due_on:
        task.due_on = due_on
        task.save(update_fields=["due_on", "updated_at"])
    return task


@transaction.atomic
def record_referral_order(
    *,
    case: Case,
    actor: User,
    made_on: datetime.date,
    length_months: int,
    court: str,
    expected_version: int | None = None,
) -> ReferralOrder:
    """Record (or correct) the youth court's referral order; the lead facilitator's review task follows it."""
    require_case_access(actor, case)
    require_open(case)
    case = _locked_case(case)
    _require_referral_order_process(case)
    court = court.strip()
    if not court:
        raise DomainError(_("Name the court that made the order."), field="court")
    if made_on > timezone.localdate():
        raise DomainError(_("The order date cannot be in the future."), field="made_on")
    if not SHORTEST_ORDER_MONTHS <= length_months <= LONGEST_ORDER_MONTHS:
        raise DomainError(
            _("A referral order lasts between %(shortest)s and %(longest)s months.")
            % {"shortest": SHORTEST_ORDER_MONTHS, "longest": LONGEST_ORDER_MONTHS},
            field="length_months",
        )
    values = {
        "made_on": made_on,
        "length_months": length_months,
        "ends_on": add_months(made_on, length_months),
        "court": court,
    }
    order = ReferralOrder.objects.select_for_update().filter(case=case).first()
    if order is None:
        order = ReferralOrder.objects.create(case=case, recorded_by=actor, **values)
        changes: dict[str, Any] = {name: str(value) for name, value in values.items()}
    else:
        if order.final_outcome:
            raise DomainError(_("The order's final meeting is recorded: the order can no longer change."))
        check_version(order, expected_version)
        before = field_values(order, values)
        for name, value in values.items():
            setattr(order, name, value)
        save_versioned(order, expected_version=order.version, fields=list(values))
        changes = changes_between(order, before, field_values(order, values))
    order.case = case
    record_event(
        action=AuditAction.REFERRAL_ORDER_SAVED, actor=actor, target=order, service=case.service, changes=changes
    )
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.REFERRAL_ORDER_RECORDED,
        detail=_("%(months)s months, ending %(ends)s")
        % {"months": order.length_months, "ends": order.ends_on.strftime("%d/%m/%Y")},
    )
    _set_review_task(case, order, actor, last_panel_held(case))
    return order


def _choice[Choice: models.TextChoices](choices: type[Choice], value: str, field: str, message: str) -> Choice:
    try:
        return choices(value)
    except ValueError:
        raise DomainError(message, field=field) from None


@transaction.atomic
def record_victim_involvement(
    *,
    case: Case,
    actor: User,
    involvement: VictimInvolvement | str,
    not_invited_reason: NotInvitedReason | str = "",
    declined_contribution: DeclinedContribution | str = "",
    details: str = "",
    expected_version: int | None = None,
) -> ReferralOrder:
    """Record the part of the person harmed in the panel: not invited (with the reason), or invited and then
    attending or declining to attend (with what they want instead: to send a statement, to take part another way,
    or neither). A decision not to invite them always says why, in words too."""
    require_case_access(actor, case)
    require_open(case)
    case = _locked_case(case)
    order = order_of(case)
    check_version(order, expected_version)
    involvement = _choice(
        VictimInvolvement, str(involvement or "-"), "involvement", _("Choose what happens about the person harmed.")
    )
    if involvement == VictimInvolvement.UNDECIDED:
        raise DomainError(_("Choose what happens about the person harmed."), field="involvement")
    details = details.strip()
    reason, contribution = "", ""
    if involvement == VictimInvolvement.NOT_INVITED:
        reason = _choice(
            NotInvitedReason,
            str(not_invited_reason or "-"),
            "not_invited_reason",
            _("Choose why they are not invited."),
        )
        if not details:
            raise DomainError(_("Give the reasons for not inviting them."), field="details")
    elif not_invited_reason:
        raise DomainError(
            _("A reason for not inviting them is only for someone not invited."), field="not_invited_reason"
        )
    if involvement == VictimInvolvement.DECLINED:
        contribution = _choice(
            DeclinedContribution,
            str(declined_contribution or "-"),
            "declined_contribution",
            _("Choose what they want instead of attending."),
        )
        if contribution == DeclinedContribution.OTHER_WAY and not details:
            raise DomainError(_("Say how they want to take part."), field="details")
    elif declined_contribution:
        raise DomainError(
            _("What they want instead is only for someone who declined to attend."), field="declined_contribution"
        )
    before = {
        name: getattr(order, name) for name in ("victim_involvement", "not_invited_reason", "declined_contribution")
    }
    order.victim_involvement = involvement.value
    order.not_invited_reason = reason
    order.declined_contribution = contribution
    order.invitation_reasons = details
    order.invitation_decided_by = actor
    order.invitation_decided_at = timezone.now()
    save_versioned(
        order,
        expected_version=order.version,
        fields=[
            "victim_involvement",
            "not_invited_reason",
            "declined_contribution",
            "invitation_reasons",
            "invitation_decided_by",
            "invitation_decided_at",
        ],
    )
    after = {
        "victim_involvement": order.victim_involvement,
        "not_invited_reason": reason,
        "declined_contribution": contribution,
    }
    record_event(
        action=AuditAction.VICTIM_INVITATION_DECIDED,
        actor=actor,
        target=order,
        service=case.service,
        changes={
            **{name: {"before": before[name], "after": after[name]} for name in after if before[name] != after[name]},
            "invitation_reasons": CONCEALED,
        },
    )
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.VICTIM_INVITATION_DECIDED,
        detail=involvement_words(order),
    )
    return order


def involvement_words(order: ReferralOrder) -> str:
    """The part of the person harmed in the panel in a few words, with the reason or their choice (never the text)."""
    words = str(VictimInvolvement(order.victim_involvement).label)
    if order.not_invited_reason:
        return f"{words}: {NotInvitedReason(order.not_invited_reason).label}"
    if order.declined_contribution:
        return f"{words}: {DeclinedContribution(order.declined_contribution).label}"
    return words


# Panel seats.


def composition_problems(members: Sequence[PanelMember]) -> list[str]:
    """What a panel lacks: at least two community panel members and one youth justice service officer."""
    community = sum(1 for member in members if member.role == PanelRole.COMMUNITY)
    officers = sum(1 for member in members if member.role == PanelRole.YOUTH_JUSTICE)
    problems = []
    if community < COMMUNITY_MEMBERS_NEEDED:
        problems.append(
            _("A panel needs at least two community panel members (%(count)s chosen).") % {"count": community}
        )
    if officers < OFFICERS_NEEDED:
        problems.append(_("A panel needs a youth justice service officer."))
    return problems


def panel_problems(meeting: Meeting) -> list[str]:
    """Why a panel or review meeting of a referral-order case cannot be recorded as held (none when it can)."""
    if meeting.purpose not in PANEL_MEETINGS or meeting.case.process_kind != ProcessKind.REFERRAL_ORDER_PANEL:
        return []
    members = [seat.member for seat in PanelSeat.objects.filter(meeting=meeting).select_related("member")]
    return composition_problems(members)


def panel_meeting_held(*, meeting: Meeting, actor: User) -> None:
    """Called by meetings.services.record_meeting before a panel or review meeting is recorded as held: refuses an
    incomplete panel, and moves the review task on to 3 months after this meeting (in the same transaction)."""
    problems = panel_problems(meeting)
    if problems:
        raise DomainError(" ".join(problems), field="outcome")
    if meeting.purpose not in PANEL_MEETINGS or meeting.case.process_kind != ProcessKind.REFERRAL_ORDER_PANEL:
        return
    order = ReferralOrder.objects.filter(case=meeting.case).first()
    if order is not None and not order.final_outcome:
        held_on = timezone.localdate(meeting.starts_at)
        last = last_panel_held(meeting.case)
        _set_review_task(meeting.case, order, actor, max(held_on, last) if last else held_on)


def _panel_meeting(meeting: Meeting, case: Case) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.case_id != case.pk:
        raise DomainError(_("Choose a meeting of this case."))
    meeting.case = case
    if meeting.purpose not in PANEL_MEETINGS:
        raise DomainError(_("Panel members sit on a panel meeting or a review meeting."))
    return meeting


@transaction.atomic
def seat_panel(
    *, meeting: Meeting, actor: User, members: Sequence[PanelMember], expected_version: int | None = None
) -> list[PanelSeat]:
    """Choose who sits on a booked panel or review meeting (replacing any earlier choice), refused if the meeting
    changed since its version was read."""
    case = meeting.case
    require_case_access(actor, case)
    require_open(case)
    case = _locked_case(case)
    _require_referral_order_process(case)
    order_of(case)
    meeting = _panel_meeting(meeting, case)
    check_version(meeting, expected_version)
    if meeting.status != MeetingStatus.BOOKED:
        raise DomainError(_("The panel is chosen while the meeting is booked."))
    chosen = list({member.pk: member for member in members}.values())
    meeting_day = timezone.localdate(meeting.starts_at)
    for member in chosen:
        if member.service_id != case.service_id or not member.in_use:
            raise DomainError(_("Choose panel members of this service who are in use."), field="members")
        if member.trained_on is None or member.trained_on > meeting_day:
            raise DomainError(
                _("%(name)s is not trained yet: only trained panel members sit on a panel.") % {"name": member.name},
                field="members",
            )
    problems = composition_problems(chosen)
    if problems:
        raise DomainError(" ".join(problems), field="members")
    busy = (
        PanelSeat.objects.filter(
            member__in=chosen,
            meeting__status=MeetingStatus.BOOKED,
            meeting__starts_at__lt=meeting.ends_at,
            meeting__ends_at__gt=meeting.starts_at,
        )
        .exclude(meeting=meeting)
        .select_related("member")
    )
    clash = sorted({seat.member.name for seat in busy})
    if clash:
        raise DomainError(
            _("Already sitting on another panel at this time: %(names)s.") % {"names": ", ".join(clash)},
            field="members",
        )
    PanelSeat.objects.filter(meeting=meeting).delete()
    seats = PanelSeat.objects.bulk_create(
        [PanelSeat(meeting=meeting, member=member, seated_by=actor) for member in chosen]
    )
    record_event(
        action=AuditAction.PANEL_SEATED,
        actor=actor,
        target=meeting,
        service=case.service,
        changes={"members": sorted(member.pk for member in chosen)},
    )
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.PANEL_SEATED,
        detail=_("%(count)s panel members for the %(purpose)s on %(day)s")
        % {
            "count": len(chosen),
            "purpose": str(meeting.get_purpose_display()).lower(),
            "day": meeting_day.strftime("%d/%m/%Y"),
        },
    )
    return seats


# Breach and the final meeting.


@transaction.atomic
def record_breach(
    *, case: Case, actor: User, occurred_on: datetime.date, what_happened: str, referred_to_court: bool
) -> Breach:
    """Record a breach of the order's contract, and whether the child was referred back to court."""
    require_case_access(actor, case)
    require_open(case)
    case = _locked_case(case)
    order = order_of(case)
    what_happened = what_happened.strip()
    if not what_happened:
        raise DomainError(_("Say what happened."), field="what_happened")
    if occurred_on > timezone.localdate():
        raise DomainError(_("The breach date cannot be in the future."), field="occurred_on")
    if occurred_on < order.made_on:
        raise DomainError(_("A breach happens after the order was made."), field="occurred_on")
    breach = Breach.objects.create(
        order=order,
        occurred_on=occurred_on,
        what_happened=what_happened,
        referred_to_court=referred_to_court,
        recorded_by=actor,
    )
    record_event(
        action=AuditAction.ORDER_BREACHED,
        actor=actor,
        target=breach,
        service=case.service,
        changes={
            "occurred_on": occurred_on.isoformat(),
            "what_happened": CONCEALED,
            "referred_to_court": referred_to_court,
        },
    )
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.ORDER_BREACHED,
        detail=_("Referred back to court: %(answer)s") % {"answer": _yes_no(referred_to_court)},
    )
    return breach


@transaction.atomic
def record_final_meeting(
    *, case: Case, actor: User, meeting: Meeting, outcome: FinalOutcome | str, expected_version: int | None = None
) -> ReferralOrder:
    """Record the outcome of the order's final panel meeting (held): completed or breached. The reviews end."""
    require_case_access(actor, case)
    require_open(case)
    case = _locked_case(case)
    order = order_of(case)
    check_version(order, expected_version)
    if outcome not in FinalOutcome.values:
        raise DomainError(_("Choose how the order ended."), field="outcome")
    meeting = _panel_meeting(meeting, case)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError(_("Record the final meeting as held first."), field="meeting")
    if outcome == FinalOutcome.BREACHED and not order.breaches.exists():
        raise DomainError(_("Record the breach first."), field="outcome")
    before = field_values(order, ("final_outcome", "final_meeting"))
    order.final_outcome = FinalOutcome(outcome)
    order.final_meeting = meeting
    order.final_recorded_by = actor
    order.final_recorded_at = timezone.now()
    save_versioned(
        order,
        expected_version=order.version,
        fields=["final_outcome", "final_meeting", "final_recorded_by", "final_recorded_at"],
    )
    record_event(
        action=AuditAction.REFERRAL_ORDER_SAVED,
        actor=actor,
        target=order,
        service=case.service,
        changes=changes_between(order, before, field_values(order, ("final_outcome", "final_meeting"))),
    )
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.REFERRAL_ORDER_RECORDED,
        detail=_("Final panel meeting: %(outcome)s") % {"outcome": order.get_final_outcome_display()},
    )
    close_tasks(case=case, actor=actor, kinds=[TaskKind.PANEL_REVIEW])
    return order


# The report to the court (pre-sentence RJ).


def working_days_before(end: datetime.date, days: int) -> datetime.date:
    """The last working day that leaves `days` working days before `end` (counted as workdays counts them)."""
    day = end
    while working_days_between(day, end) < days or not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _report_owner(case: Case, actor: User) -> User:
    return case.lead_facilitator or next(iter(coordinators_of(case.service)), actor)


@transaction.atomic
def schedule_court_report(*, case: Case, actor: User, working_days: int | None = None) -> CourtReport | None:
    """Set the report's due date from the sentence date (called when the deferment order is recorded), with a task
    for the lead facilitator (or a coordinator) due then. A report already sent stays as it is."""
    require_case_access(actor, case)
    require_open(case)
    if not case.pre_sentence or case.deferred_until is None:
        return None
    report = CourtReport.objects.select_for_update().filter(case=case).first()
    if report is not None and report.is_sent:
        return report
    if working_days is None:
        working_days = report.working_days_before if report is not None else DEFAULT_REPORT_WORKING_DAYS
    if not 0 <= working_days <= LONGEST_REPORT_WORKING_DAYS:
        raise DomainError(
            _("The report is due between 0 and %(longest)s working days before the sentence date.")
            % {"longest": LONGEST_REPORT_WORKING_DAYS},
            field="working_days_before",
        )
    due_on = working_days_before(case.deferred_until, working_days)
    if report is None:
        report = CourtReport.objects.create(case=case, working_days_before=working_days, due_on=due_on)
        changes: dict[str, Any] = {"due_on": due_on.isoformat(), "working_days_before": working_days}
    else:
        before = field_values(report, ("due_on", "working_days_before"))
        report.due_on, report.working_days_before = due_on, working_days
        save_versioned(report, expected_version=report.version, fields=["due_on", "working_days_before"])
        changes = changes_between(report, before, field_values(report, ("due_on", "working_days_before")))
    if changes:
        record_event(
            action=AuditAction.COURT_REPORT_SAVED, actor=actor, target=report, service=case.service, changes=changes
        )
    owner = _report_owner(case, actor)
    # The due date follows the sentence date both ways (create_task alone would keep the earlier one).
    Task.objects.open().filter(case=case, kind=TaskKind.COURT_REPORT).exclude(assigned_to=owner).update(
        completed_at=timezone.now(), completed_by=actor
    )
    task = create_task(service=case.service, case=case, kind=TaskKind.COURT_REPORT, assigned_to=owner, due_on=due_on)
    if task.due_on != due_on:
        task.due_on = due_on
        task.save(update_fields=["due_on", "updated_at"])
    return report


@transaction.atomic
def send_court_report(
    *, case: Case, actor: User, sent_on: datetime.date, summary: str, expected_version: int | None = None
) -> CourtReport:
    """Record the report sent to the court before the sentence date; its task is done."""
    require_case_access(actor, case)
    require_open(case)
    case = _locked_case(case)
    report = CourtReport.objects.select_for_update().filter(case=case).first()
    if report is None or not case.pre_sentence or case.deferred_until is None:
        raise DomainError(_("Record the deferment order and the sentence date on the case first."))
    check_version(report, expected_version)
    if report.is_sent:
        raise DomainError(_("The report has already been sent."))
    today = timezone.localdate()
    if today > case.deferred_until or sent_on > case.deferred_until:
        raise DomainError(
            _("The sentence date (%(day)s) has passed: the court can no longer take a report.")
            % {"day": case.deferred_until.strftime("%d/%m/%Y")},
            field="sent_on",
        )
    if sent_on > today:
        raise DomainError(_("The date sent cannot be in the future."), field="sent_on")
    summary = summary.strip()
    if not summary:
        raise DomainError(_("Summarise what the report told the court."), field="summary")
    report.sent_on, report.summary, report.sent_by = sent_on, summary, actor
    save_versioned(report, expected_version=report.version, fields=["sent_on", "summary", "sent_by"])
    record_event(
        action=AuditAction.COURT_REPORT_SAVED,
        actor=actor,
        target=report,
        service=case.service,
        changes={"sent_on": {"before": None, "after": sent_on.isoformat()}, "summary": CONCEALED},
    )
    on_time = sent_on <= report.due_on
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.COURT_REPORT_SENT,
        detail=_("Sent on time") if on_time else _("Sent after the due date"),
    )
    close_tasks(case=case, actor=actor, kinds=[TaskKind.COURT_REPORT])
    return report
