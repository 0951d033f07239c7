"""Writes to cases: opening, allocation, conflicts of interest, details, notes, tasks, and the one service that moves
a case from state to state. Each checks who may act, writes in one transaction and records its audit event."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amends.accounts.models import RJCLevel, Role, Service, User
from amends.accounts.selectors import PracticeCompliance, Standing, compliance_of
from amends.audit.models import AuditAction
from amends.audit.services import changes_between, field_values, record_event
from amends.cases import workflow
from amends.cases.models import (
    Case,
    CaseCounter,
    CaseNote,
    ClosureReason,
    ConflictDeclaration,
    HoldReason,
    ProcessKind,
    SensitivityFlag,
    State,
    Task,
    TaskKind,
    TimelineEntry,
    TimelineKind,
)
from amends.core.errors import DomainError, NotPermittedError
from amends.core.versioning import check_version, save_versioned
from amends.core.workdays import add_working_days
from amends.permissions import Capability, CaseAccess, can, can_on_case

# A refused step names each gate or guard that does not hold (workflow.gate_refusal builds it for every step).
RefusedError = workflow.RefusedError
TransitionRefusedError = workflow.TransitionRefusedError


def require_gates(case: Case, action: str, *, states: Iterable[State] | None = None) -> workflow.CaseFacts:
    """Every restorative step (booking or holding a meeting, passing on a message) re-checks the four gates, so none
    can be skipped; the refusal names each gate and person. `action` is what was asked, for the message; `states`,
    the case states the step is taken in: a case not yet prepared is refused with what stops the gates and the step
    that comes first. Returns the facts read, for the step's own rules."""
    facts = workflow.load_facts(case)
    missing = workflow.gate_problems(facts)
    if states is not None and case.state not in set(states) and case.state in workflow.BEFORE_PREPARING:
        missing = workflow.steps_first(facts)
    if missing:
        raise workflow.gate_refusal(facts, action=action, missing=missing)
    return facts


def require_case_access(actor: User | None, case: Case, access: CaseAccess = CaseAccess.WORK) -> None:
    if actor is None or not can_on_case(actor, access, case):
        raise NotPermittedError(_("You cannot work on this case."))


def require_open(case: Case) -> None:
    """A closed case keeps its record as it was closed: reopening it (with a reason) comes first."""
    if not case.is_open:
        raise DomainError(_("This case is closed."))


def add_timeline(
    *,
    case: Case,
    actor: User | None,
    kind: TimelineKind,
    participant: Any = None,
    detail: str = "",
    from_state: str = "",
    to_state: str = "",
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        case=case,
        occurred_at=timezone.now(),
        actor=actor,
        kind=kind,
        participant=participant,
        detail=detail,
        from_state=from_state,
        to_state=to_state,
    )


def create_task(
    *,
    service: Service,
    kind: TaskKind,
    assigned_to: User,
    due_on: datetime.date,
    case: Case | None = None,
    referral: Any = None,
) -> Task:
    """A deadline for a named person; one open task of a kind per person and case is enough."""
    existing = Task.objects.open().filter(kind=kind, assigned_to=assigned_to, case=case, referral=referral).first()
    if existing is not None:
        if due_on < existing.due_on:
            existing.due_on = due_on
            existing.save(update_fields=["due_on", "updated_at"])
        return existing
    return Task.objects.create(
        service=service, case=case, referral=referral, kind=kind, assigned_to=assigned_to, due_on=due_on
    )


def close_tasks(*, case: Case, actor: User | None, kinds: Iterable[TaskKind] | None = None) -> None:
    tasks = Task.objects.open().filter(case=case)
    if kinds is not None:
        tasks = tasks.filter(kind__in=list(kinds))
    tasks.update(completed_at=timezone.now(), completed_by=actor)


def coordinators_of(service: Service) -> list[User]:
    return list(
        User.objects.filter(
            memberships__service=service,
            memberships__role=Role.COORDINATOR,
            memberships__ended_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def next_reference(service: Service, year: int) -> str:
    """The next case reference of the service, such as SV-2026-00042; the counter row is locked while it moves."""
    counter, _created = CaseCounter.objects.get_or_create(service=service, year=year)
    counter = CaseCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{service.code}-{year}-{counter.last_number:05d}"


def open_case(
    *, service: Service, actor: User, flags: Iterable[SensitivityFlag] = (), pre_sentence: bool = False
) -> Case:
    """Open a case (inside the triage service that accepts a referral)."""
    now = timezone.now()
    case = Case.objects.create(
        service=service,
        reference=next_reference(service, timezone.localdate(now).year),
        state=State.REFERRED,
        sensitivity_flags=sorted({SensitivityFlag(flag).value for flag in flags}),
        pre_sentence=pre_sentence,
        opened_at=now,
    )
    record_event(action=AuditAction.CASE_OPENED, actor=actor, target=case, service=service)
    add_timeline(case=case, actor=actor, kind=TimelineKind.REFERRAL_ACCEPTED, to_state=State.REFERRED)
    return case


# Allocation -----------------------------------------------------------------------------------------------------


def eligibility_problems(user: User, service: Service, *, today: datetime.date | None = None) -> list[str]:
    """Why this person cannot be allocated to a case now (nothing when they can)."""
    if not can(user, Capability.FACILITATE_CASES, service):
        return [_("%(name)s is not a facilitator of this service.") % {"name": user.full_name}]
    record = getattr(user, "facilitator_record", None)
    return practice_problems(user, compliance_of(record, today) if record is not None else None)


def practice_problems(user: User, compliance: PracticeCompliance | None) -> list[str]:
    """Why a facilitator's practice record stops them being allocated: the one rule for allocation and its page."""
    if compliance is None:
        return [_("%(name)s has no facilitator record.") % {"name": user.full_name}]
    problems = []
    if compliance.registration_standing == Standing.OVERDUE:
        problems.append(_("%(name)s's RJC registration has lapsed.") % {"name": user.full_name})
    if compliance.last_training is None:
        problems.append(_("%(name)s has no restorative justice training recorded.") % {"name": user.full_name})
    elif compliance.cpd_standing != Standing.MET and not compliance.training_in_last_year:
        # Training stays in date through CPD: the yearly hours for their level, or a course within the year.
        problems.append(
            _("%(name)s's training has lapsed: %(hours)s of %(target)s CPD hours in the last 12 months.")
            % {"name": user.full_name, "hours": compliance.cpd_hours, "target": compliance.cpd_target}
        )
    return problems


LEVEL_ORDER = {RJCLevel.FOUNDATION: 0, RJCLevel.INTERMEDIATE: 1, RJCLevel.ADVANCED: 2}


def _level(user: User | None) -> int:
    record = getattr(user, "facilitator_record", None) if user is not None else None
    return LEVEL_ORDER.get(RJCLevel(record.rjc_level), -1) if record is not None else -1


def allocation_problems(*, case: Case, lead: User, co_facilitator: User | None, supervisor: User | None) -> list[str]:
    """Why this allocation would be unsafe (nothing when it is allowed)."""
    problems = eligibility_problems(lead, case.service)
    if co_facilitator is not None:
        if co_facilitator.pk == lead.pk:
            problems.append(_("The co-facilitator must be someone other than the lead."))
        else:
            problems += eligibility_problems(co_facilitator, case.service)
    if supervisor is not None and not can(supervisor, Capability.SUPERVISE_CASES, case.service):
        problems.append(_("%(name)s is not a supervisor of this service.") % {"name": supervisor.full_name})
    if case.is_sensitive:
        if _level(lead) < LEVEL_ORDER[RJCLevel.INTERMEDIATE]:
            problems.append(_("This is a sensitive case: the lead facilitator must be intermediate or advanced."))
        advanced = LEVEL_ORDER[RJCLevel.ADVANCED]
        if not (
            (co_facilitator is not None and _level(co_facilitator) >= advanced)
            or (supervisor is not None and _level(supervisor) >= advanced)
        ):
            problems.append(
                _("This is a sensitive case: it needs an advanced co-facilitator or an advanced supervisor.")
            )
    return problems


@transaction.atomic
def allocate_case(
    *,
    case: Case,
    actor: User,
    lead: User,
    co_facilitator: User | None = None,
    supervisor: User | None = None,
    expected_version: int | None = None,
) -> Case:
    """Allocate (or reallocate) the lead facilitator, an optional co-facilitator and an optional supervisor."""
    if not can(actor, Capability.ALLOCATE_CASES, case.service):
        raise NotPermittedError(_("Only a coordinator of the service allocates cases."))
    require_open(case)
    case = Case.objects.select_for_update().select_related("service").get(pk=case.pk)
    check_version(case, expected_version)
    problems = allocation_problems(case=case, lead=lead, co_facilitator=co_facilitator, supervisor=supervisor)
    if problems:
        raise DomainError(" ".join(problems), field="lead")
    before = field_values(case, ("lead_facilitator", "co_facilitator", "supervisor"))
    newly_allocated = {lead.pk, co_facilitator.pk if co_facilitator else None} - case.facilitator_ids() - {None}
    case.lead_facilitator, case.co_facilitator, case.supervisor = lead, co_facilitator, supervisor
    save_versioned(case, expected_version=case.version, fields=["lead_facilitator", "co_facilitator", "supervisor"])
    record_event(
        action=AuditAction.CASE_ALLOCATED,
        actor=actor,
        target=case,
        service=case.service,
        changes=changes_between(case, before, field_values(case, ("lead_facilitator", "co_facilitator", "supervisor"))),
    )
    add_timeline(case=case, actor=actor, kind=TimelineKind.ALLOCATED)
    close_tasks(case=case, actor=actor, kinds=[TaskKind.REALLOCATE])
    today = timezone.localdate()
    for facilitator in (lead, co_facilitator):
        if facilitator is not None and facilitator.pk in newly_allocated:
            create_task(
                service=case.service, case=case, kind=TaskKind.DECLARE_CONFLICT, assigned_to=facilitator, due_on=today
            )
    if case.first_contact_at is None:
        # The service's first-contact clock runs from the day the case was opened.
        create_task(
            service=case.service,
            case=case,
            kind=TaskKind.FIRST_CONTACT,
            assigned_to=lead,
            due_on=add_working_days(timezone.localdate(case.opened_at), case.service.first_contact_working_days),
        )
    if case.state == State.REFERRED:
        case = _move(case=case, actor=actor, transition=workflow.TRANSITIONS[workflow.TransitionName.ALLOCATE])
    return case


@transaction.atomic
def declare_conflict(*, case: Case, actor: User, has_conflict: bool, details: str = "") -> ConflictDeclaration:
    """A facilitator of the case declares whether they have a conflict of interest with anyone in it."""
    if actor.pk not in case.facilitator_ids():
        raise NotPermittedError(_("Only a facilitator allocated to this case declares a conflict of interest in it."))
    require_open(case)
    if has_conflict and not details.strip():
        raise DomainError(_("Say what the conflict of interest is."), field="details")
    declaration = ConflictDeclaration.objects.create(
        case=case, facilitator=actor, has_conflict=has_conflict, details=details.strip()
    )
    record_event(
        action=AuditAction.CONFLICT_DECLARED,
        actor=actor,
        target=declaration,
        service=case.service,
        changes={"has_conflict": has_conflict},
    )
    add_timeline(case=case, actor=actor, kind=TimelineKind.CONFLICT_DECLARED)
    Task.objects.open().filter(case=case, kind=TaskKind.DECLARE_CONFLICT, assigned_to=actor).update(
        completed_at=timezone.now(), completed_by=actor
    )
    if has_conflict:
        for coordinator in coordinators_of(case.service):
            create_task(
                service=case.service,
                case=case,
                kind=TaskKind.REALLOCATE,
                assigned_to=coordinator,
                due_on=timezone.localdate(),
            )
    return declaration


# Case details -----------------------------------------------------------------------------------------------------

CASE_DETAIL_FIELDS = ("sensitivity_flags", "process_kind", "pre_sentence", "deferment_order_on", "deferred_until")


@transaction.atomic
def update_case_details(*, case: Case, actor: User, details: Mapping[str, Any], expected_version: int | None) -> Case:
    """Change the sensitivity flags, the participants' chosen process or the court order."""
    require_case_access(actor, case)
    unknown = set(details) - set(CASE_DETAIL_FIELDS)
    if unknown:
        raise DomainError(
            _("These details cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    require_open(case)
    case = Case.objects.select_for_update().select_related("service").get(pk=case.pk)
    check_version(case, expected_version)
    values = dict(details)
    if "sensitivity_flags" in values:
        values["sensitivity_flags"] = sorted({SensitivityFlag(flag).value for flag in values["sensitivity_flags"]})
        if len(values["sensitivity_flags"]) < len(case.sensitivity_flags) and not can(
            actor, Capability.ALLOCATE_CASES, case.service
        ):
            raise NotPermittedError(_("Only a coordinator removes a sensitivity flag."), field="sensitivity_flags")
    if values.get("process_kind"):
        values["process_kind"] = ProcessKind(values["process_kind"]).value
        if case.state in workflow.PROCESS_FIXED_STATES and values["process_kind"] != case.process_kind:
            raise DomainError(
                _("The process cannot change once it is scheduled or has taken place."),
                field="process_kind",
            )
        ruled_out = workflow.process_ruled_out(workflow.load_facts(case), values["process_kind"])
        if ruled_out:
            raise DomainError(" ".join(ruled_out), field="process_kind")
    deferred_on = values.get("deferment_order_on", case.deferment_order_on)
    deferred_until = values.get("deferred_until", case.deferred_until)
    if deferred_on and deferred_until and deferred_until < deferred_on:
        raise DomainError(_("The sentence is deferred until a date after the order."), field="deferred_until")
    before = field_values(case, CASE_DETAIL_FIELDS)
    for name, value in values.items():
        setattr(case, name, value)
    save_versioned(case, expected_version=case.version, fields=list(values))
    changes = changes_between(case, before, field_values(case, CASE_DETAIL_FIELDS))
    if changes:
        record_event(
            action=AuditAction.CASE_DETAILS_CHANGED, actor=actor, target=case, service=case.service, changes=changes
        )
        add_timeline(case=case, actor=actor, kind=TimelineKind.DETAILS_CHANGED)
    if case.pre_sentence and case.deferred_until and {"pre_sentence", "deferred_until"} & set(values):
        from amends.youth.services import schedule_court_report  # youth builds on cases, so imported here

        schedule_court_report(case=case, actor=actor)
    return case


@transaction.atomic
def add_case_note(*, case: Case, actor: User, text: str) -> CaseNote:
    require_case_access(actor, case)
    if not text.strip():
        raise DomainError(_("Write the note."), field="text")
    note = CaseNote.objects.create(case=case, author=actor, text=text.strip())
    record_event(action=AuditAction.CASE_NOTE_ADDED, actor=actor, target=note, service=case.service)
    add_timeline(case=case, actor=actor, kind=TimelineKind.NOTE_ADDED)
    return note


@transaction.atomic
def complete_task(*, task: Task, actor: User) -> Task:
    """Mark a task done: the person it is for, or a coordinator of its service."""
    is_theirs = task.assigned_to_id == actor.pk and can(actor, Capability.VIEW_SERVICE, task.service_id)
    if not is_theirs and not can(actor, Capability.ALLOCATE_CASES, task.service_id):
        raise DomainError(_("Only the person this task is for, or a coordinator, marks it done."))
    if task.completed_at is not None:
        raise DomainError(_("This task is already done."))
    task.completed_at = timezone.now()
    task.completed_by = actor
    task.save(update_fields=["completed_at", "completed_by", "updated_at"])
    record_event(
        action=AuditAction.TASK_COMPLETED, actor=actor, target=task, service=task.service, changes={"kind": task.kind}
    )
    if task.case is not None:
        add_timeline(case=task.case, actor=actor, kind=TimelineKind.TASK_DONE, detail=task.get_kind_display())
    return task


# Moving a case ----------------------------------------------------------------------------------------------------


def latest_hold_review(case: Case) -> datetime.date:
    """The latest review date the service allows for a case going on hold today (its own on-hold review clock)."""
    return timezone.localdate() + datetime.timedelta(days=case.service.hold_review_days)


@transaction.atomic
def transition_case(
    *,
    case: Case,
    actor: User,
    name: workflow.TransitionName | str,
    reason: str = "",
    closure_reason: ClosureReason | str = "",
    hold_reason: HoldReason | str = "",
    hold_review_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Case:
    """Move the case along one transition of the workflow, if its guards hold. The only way a case changes state
    at a person's request."""
    try:
        transition = workflow.TRANSITIONS[workflow.TransitionName(name)]
    except ValueError:
        raise DomainError(_("There is no such step.")) from None
    if not transition.offered:
        raise DomainError(_("This step happens through its own form."))
    require_case_access(actor, case)
    case = Case.objects.select_for_update().select_related("service").get(pk=case.pk)
    check_version(case, expected_version)
    if case.state not in transition.sources:
        if transition.target in workflow.GATED_STATES:
            # A gated step asked for too early names what stops the gates and the step that comes first.
            facts = workflow.load_facts(case)
            missing = workflow.steps_first(facts)
            if missing:
                raise workflow.gate_refusal(facts, action=str(transition.label), missing=missing, transition=transition)
        raise DomainError(
            _("This case is %(state)s: “%(action)s” is not possible from there.")
            % {"state": str(State(case.state).label).lower(), "action": transition.label}
        )
    reason = reason.strip()
    if workflow.Needs.REASON in transition.needs and not reason:
        raise DomainError(_("Give the reason."), field="reason")
    if workflow.Needs.CLOSURE_REASON in transition.needs:
        problems = workflow.closure_problems(case, closure_reason)
        if problems:
            raise DomainError(" ".join(workflow.names_of(problems)), field="closure_reason")
    if workflow.Needs.HOLD in transition.needs:
        if not hold_reason or hold_reason not in HoldReason.values:
            raise DomainError(_("Choose why the case is going on hold."), field="hold_reason")
        if hold_review_on is None or hold_review_on < timezone.localdate():
            raise DomainError(_("Give a review date that is today or later."), field="hold_review_on")
        latest = latest_hold_review(case)
        if hold_review_on > latest:
            raise DomainError(
                _("This service reviews a case on hold within %(days)s days: give a review date by %(day)s.")
                % {"days": case.service.hold_review_days, "day": date_format(latest, "j F Y")},
                field="hold_review_on",
            )
        if hold_reason == HoldReason.OTHER and not reason:
            raise DomainError(_("Say why the case is going on hold."), field="reason")
    return _move(
        case=case,
        actor=actor,
        transition=transition,
        reason=reason,
        closure_reason=closure_reason,
        hold_reason=hold_reason,
        hold_review_on=hold_review_on,
    )


def _move(
    *,
    case: Case,
    actor: User | None,
    transition: workflow.Transition,
    reason: str = "",
    closure_reason: ClosureReason | str = "",
    hold_reason: HoldReason | str = "",
    hold_review_on: datetime.date | None = None,
    checked: bool = True,
) -> Case:
    """Check the guards and apply the transition to a locked case."""
    target = workflow.target_of(transition, case)
    if checked:
        facts = workflow.load_facts(case)
        missing = workflow.check(transition, facts)
        if missing:
            raise workflow.gate_refusal(facts, action=str(transition.label), missing=missing, transition=transition)
    source = State(case.state)
    fields = ["state"]
    now = timezone.now()
    if target == State.ON_HOLD:
        case.state_before_hold, case.hold_reason, case.hold_review_on = source, hold_reason, hold_review_on
        fields += ["state_before_hold", "hold_reason", "hold_review_on"]
    elif source == State.ON_HOLD:
        case.state_before_hold, case.hold_reason, case.hold_review_on = "", "", None
        fields += ["state_before_hold", "hold_reason", "hold_review_on"]
    if target == State.PREPARING and case.suitable_at is None:
        case.suitable_at = now
        fields.append("suitable_at")
    if target == State.IN_PROCESS and case.process_started_at is None:
        case.process_started_at = now
        fields.append("process_started_at")
    if target == State.CLOSED:
        case.closure_reason, case.closed_at = closure_reason, now
        fields += ["closure_reason", "closed_at"]
    elif source == State.CLOSED:
        case.closure_reason, case.closed_at = "", None
        fields += ["closure_reason", "closed_at"]
    case.state = target
    save_versioned(case, expected_version=case.version, fields=fields)
    changes: dict[str, Any] = {"state": [source.value, target.value], "transition": transition.name.value}
    if closure_reason:
        changes["closure_reason"] = str(closure_reason)
    if hold_reason:
        changes["hold_reason"] = str(hold_reason)
    record_event(action=AuditAction.CASE_STATE_CHANGED, actor=actor, target=case, service=case.service, changes=changes)
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.STATE_CHANGED,
        from_state=source,
        to_state=target,
        detail=reason,
    )
    _tasks_on_entering(case=case, actor=actor, source=source, target=target)
    return case


def _tasks_on_entering(*, case: Case, actor: User | None, source: State, target: State) -> None:
    if source == State.ON_HOLD:
        close_tasks(case=case, actor=actor, kinds=[TaskKind.HOLD_REVIEW])
    if source == State.AWAITING_SIGNOFF:
        close_tasks(case=case, actor=actor, kinds=[TaskKind.SIGN_OFF])
    if target == State.CLOSED:
        close_tasks(case=case, actor=actor)
    elif target == State.ON_HOLD and case.hold_review_on is not None:
        owner = case.lead_facilitator or actor
        if owner is not None:
            create_task(
                service=case.service,
                case=case,
                kind=TaskKind.HOLD_REVIEW,
                assigned_to=owner,
                due_on=case.hold_review_on,
            )
    elif target == State.AWAITING_SIGNOFF:
        for coordinator in coordinators_of(case.service)[:1] or []:
            create_task(
                service=case.service,
                case=case,
                kind=TaskKind.SIGN_OFF,
                assigned_to=coordinator,
                due_on=add_working_days(timezone.localdate(), 2),
            )
    if target in (State.FOLLOWING_UP, State.CLOSED):
        # Follow-up builds on cases, so it is imported here: its contacts and the reoffending check.
        from amends.followup.services import schedule_follow_up

        schedule_follow_up(case=case, actor=actor)


def return_to_assessing(*, case: Case, actor: User | None, kind: TimelineKind, detail: str = "") -> Case:
    """A consent withdrawal or a safeguarding concern: back to assessing at once, and the facilitators are told.

    Called inside the transaction that records the withdrawal or concern; nothing can refuse it.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("service", "lead_facilitator").get(pk=case.pk)
    if case.state in workflow.RETURNS_TO_ASSESSING:
        source = State(case.state)
        case.state = State.ASSESSING
        save_versioned(case, expected_version=case.version, fields=["state"])
        record_event(
            action=AuditAction.CASE_STATE_CHANGED,
            actor=actor,
            target=case,
            service=case.service,
            changes={"state": [source.value, State.ASSESSING.value], "because": kind.value},
        )
        add_timeline(
            case=case, actor=actor, kind=TimelineKind.STATE_CHANGED, from_state=source, to_state=State.ASSESSING
        )
        close_tasks(case=case, actor=actor, kinds=[TaskKind.SIGN_OFF])
    if case.is_open:
        facilitators = [user for user in (case.lead_facilitator, case.co_facilitator) if user is not None]
        _tell(case=case, kind=kind, people=facilitators or coordinators_of(case.service))
    elif kind == TimelineKind.SAFEGUARDING_CONCERN:
        # Nobody works on a closed case: its coordinators decide what the concern needs (reopening, a referral).
        _tell(case=case, kind=kind, people=coordinators_of(case.service))
    return case


def _tell(*, case: Case, kind: TimelineKind, people: list[User]) -> None:
    """A task for each person, due today, and an email that says only which case needs their attention."""
    task_kind = TaskKind.CONSENT_WITHDRAWN if kind == TimelineKind.CONSENT_WITHDRAWN else TaskKind.SAFEGUARDING
    for person in people:
        create_task(service=case.service, case=case, kind=task_kind, assigned_to=person, due_on=timezone.localdate())
    addresses = [person.email for person in people if person.email]
    case_url = settings.AMENDS_BASE_URL + reverse("case_detail", args=[case.pk])
    # The email says only that something needs attention, and where: nothing about anyone in the case.
    body = render_to_string("cases/email/attention_needed.txt", {"case": case, "case_url": case_url})
    subject = _("A case you work on needs your attention")

    def send() -> None:
        send_mail(subject, body, None, addresses)

    if addresses:
        transaction.on_commit(send)
