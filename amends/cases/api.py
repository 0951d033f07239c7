"""The case API: my cases, one case with its gates, allocation, conflicts, details, transitions, timeline and tasks.

Handlers parse input, fetch through the access helpers and call one service, as pages do. Refusals become JSON by
the exception handlers in amends/api.py; the shared answer shapes are here so every router documents them alike.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Path, Router, Schema, Status

from amends.accounts import access as account_access
from amends.accounts.models import User
from amends.cases import access, services, workflow
from amends.cases.models import Case, ClosureReason, HoldReason, ProcessKind, SensitivityFlag, State, Task
from amends.core.api_types import MAX_ID, Day, Id, LongText, Version, YesNo
from amends.permissions import Capability, CaseAccess, can

router = Router(tags=["cases"])


def path_id() -> Any:
    return Path(..., ge=1, le=MAX_ID)  # type: ignore[type-arg]


# Answers shared by every router ------------------------------------------------------------------------------------


class Problem(Schema):
    detail: str


class FixOut(Schema):
    """What puts a missing thing right: the page, and the API call (method and path); empty when there is none."""

    page: str
    api: str


class MissingOut(Schema):
    """One thing that stops a step: its gate (if a gate), the person it concerns (if one), what is missing (`missing`,
    also as `message`), and the page and endpoint that fix it."""

    gate: str | None
    guard: str
    person: str
    missing: str
    message: str
    participant_id: int | None
    fix: FixOut


class Conflict(Schema):
    """409: a rule refused well-formed input. `field` names the input it concerns, when one does ("version" for a
    record changed since it was read); `missing` names each thing a step whose gates do not hold is missing."""

    detail: str
    field: str | None = None
    missing: list[MissingOut] = []


class ValidationProblem(Schema):
    """422: the request does not match the schema."""

    detail: list[dict[str, Any]]


# 403: a signed-in session's request without its CSRF token, or a step the person's role does not allow.
READ_ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 422: ValidationProblem}
# 400: a body that is not JSON (or not the form data an upload sends).
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: Problem, 409: Conflict}


def missing_out(items: list[workflow.MissingGate]) -> list[MissingOut]:
    return [
        MissingOut(
            gate=item.gate.value if item.gate else None,
            guard=item.guard,
            person=item.person,
            missing=item.missing,
            message=item.missing,
            participant_id=item.participant_id,
            fix=FixOut(page=item.fix_url, api=item.fix_endpoint),
        )
        for item in items
    ]


# Cases ------------------------------------------------------------------------------------------------------------


class CaseSummary(Schema):
    id: int
    reference: str
    service_id: int
    state: str
    state_label: str
    lead_facilitator_id: int | None
    opened_at: datetime.datetime
    version: int


class GateOut(Schema):
    gate: str
    label: str
    holds: bool
    missing: list[MissingOut]


class TransitionOut(Schema):
    name: str
    label: str
    needs_reason: bool
    needs_closure_reason: bool
    needs_hold: bool


class ParticipantSummary(Schema):
    id: int
    role: str
    full_name: str
    takes_part: bool
    supports_id: int | None


class CaseOut(CaseSummary):
    co_facilitator_id: int | None
    supervisor_id: int | None
    sensitivity_flags: list[str]
    process_kind: str
    pre_sentence: bool
    deferment_order_on: datetime.date | None
    deferred_until: datetime.date | None
    first_contact_at: datetime.datetime | None
    hold_reason: str
    hold_review_on: datetime.date | None
    closure_reason: str
    closed_at: datetime.datetime | None
    gates: list[GateOut]
    transitions: list[TransitionOut]
    participants: list[ParticipantSummary]


def case_summary(case: Case) -> CaseSummary:
    return CaseSummary(
        id=case.pk,
        reference=case.reference,
        service_id=case.service_id,
        state=case.state,
        state_label=str(State(case.state).label),
        lead_facilitator_id=case.lead_facilitator_id,
        opened_at=case.opened_at,
        version=case.version,
    )


def case_out(case: Case) -> CaseOut:
    facts = workflow.load_facts(case)
    return CaseOut(
        **case_summary(case).dict(),
        co_facilitator_id=case.co_facilitator_id,
        supervisor_id=case.supervisor_id,
        sensitivity_flags=list(case.sensitivity_flags),
        process_kind=case.process_kind,
        pre_sentence=case.pre_sentence,
        deferment_order_on=case.deferment_order_on,
        deferred_until=case.deferred_until,
        first_contact_at=case.first_contact_at,
        hold_reason=case.hold_reason,
        hold_review_on=case.hold_review_on,
        closure_reason=case.closure_reason,
        closed_at=case.closed_at,
        gates=[
            GateOut(
                gate=status.gate.value,
                label=status.gate.label,
                holds=status.holds,
                missing=missing_out(workflow.describe(facts, status.missing)),
            )
            for status in workflow.gate_report(facts)
        ],
        transitions=[
            TransitionOut(
                name=transition.name.value,
                label=str(transition.label),
                needs_reason=workflow.Needs.REASON in transition.needs,
                needs_closure_reason=workflow.Needs.CLOSURE_REASON in transition.needs,
                needs_hold=workflow.Needs.HOLD in transition.needs,
            )
            for transition in workflow.available(case)
        ],
        participants=[
            ParticipantSummary(
                id=participant.pk,
                role=participant.role,
                full_name=participant.person.full_name,
                takes_part=participant.takes_part,
                supports_id=participant.supports_id,
            )
            for participant in facts.participants
        ],
    )


@router.get("/cases", response={200: list[CaseSummary], **READ_ERRORS}, summary="Cases you may see")
def list_cases(request: HttpRequest) -> list[CaseSummary]:
    user = account_access.signed_in_user(request)
    return [case_summary(case) for case in access.case_list_of(user)]


@router.get("/cases/{case_id}", response={200: CaseOut, **READ_ERRORS}, summary="One case, its gates and next steps")
def get_case(request: HttpRequest, case_id: int = path_id()) -> CaseOut:
    user = account_access.signed_in_user(request)
    return case_out(access.view_case_for_user(user, case_id))


class AllocationIn(Schema):
    lead_id: Id
    co_facilitator_id: Id | None = None
    supervisor_id: Id | None = None
    version: Version


@router.post("/cases/{case_id}/allocation", response={200: CaseOut, **WRITE_ERRORS}, summary="Allocate facilitators")
def allocate(request: HttpRequest, payload: AllocationIn, case_id: int = path_id()) -> CaseOut:
    user = account_access.signed_in_user(request)
    case = access.get_case_for_user(user, case_id, CaseAccess.WORK)
    if not can(user, Capability.ALLOCATE_CASES, case.service):
        raise Http404

    def member(member_id: int | None) -> User | None:
        if member_id is None:
            return None
        return account_access.get_member_for_user(user, case.service, member_id, Capability.ALLOCATE_CASES)

    lead = member(payload.lead_id)
    assert lead is not None  # noqa: S101 - lead_id is required
    case = services.allocate_case(
        case=case,
        actor=user,
        lead=lead,
        co_facilitator=member(payload.co_facilitator_id),
        supervisor=member(payload.supervisor_id),
        expected_version=payload.version,
    )
    return case_out(case)


class ConflictIn(Schema):
    has_conflict: YesNo
    details: LongText = ""


class ConflictOut(Schema):
    id: int
    has_conflict: bool


@router.post(
    "/cases/{case_id}/conflict-declarations",
    response={201: ConflictOut, **WRITE_ERRORS},
    summary="Declare any conflict of interest",
)
def declare_conflict(request: HttpRequest, payload: ConflictIn, case_id: int = path_id()) -> Status[ConflictOut]:
    user = account_access.signed_in_user(request)
    case = access.get_case_for_user(user, case_id, CaseAccess.WORK)
    declaration = services.declare_conflict(
        case=case, actor=user, has_conflict=payload.has_conflict, details=payload.details
    )
    return Status(201, ConflictOut(id=declaration.pk, has_conflict=declaration.has_conflict))


class CaseDetailsIn(Schema):
    """Only the fields sent are changed."""

    version: Version
    sensitivity_flags: list[SensitivityFlag] | None = None
    process_kind: ProcessKind | None = None
    pre_sentence: YesNo | None = None
    deferment_order_on: Day | None = None
    deferred_until: Day | None = None


@router.patch("/cases/{case_id}", response={200: CaseOut, **WRITE_ERRORS}, summary="Change a case's details")
def update_case(request: HttpRequest, payload: CaseDetailsIn, case_id: int = path_id()) -> CaseOut:
    user = account_access.signed_in_user(request)
    case = access.get_case_for_user(user, case_id, CaseAccess.WORK)
    details = payload.dict(exclude_unset=True, exclude={"version"})
    case = services.update_case_details(case=case, actor=user, details=details, expected_version=payload.version)
    return case_out(case)


class TransitionIn(Schema):
    name: workflow.TransitionName
    version: Version
    reason: LongText = ""
    closure_reason: ClosureReason | None = None
    hold_reason: HoldReason | None = None
    hold_review_on: Day | None = None


@router.post(
    "/cases/{case_id}/transitions",
    response={200: CaseOut, **WRITE_ERRORS},
    summary="Move the case on",
    description="409 when the step's guards do not hold: `missing` names each gate and guard, and whom it concerns.",
)
def transition(request: HttpRequest, payload: TransitionIn, case_id: int = path_id()) -> CaseOut:
    user = account_access.signed_in_user(request)
    case = access.get_case_for_user(user, case_id, CaseAccess.WORK)
    case = services.transition_case(
        case=case,
        actor=user,
        name=payload.name,
        reason=payload.reason,
        closure_reason=payload.closure_reason or "",
        hold_reason=payload.hold_reason or "",
        hold_review_on=payload.hold_review_on,
        expected_version=payload.version,
    )
    return case_out(case)


class TimelineEntryOut(Schema):
    id: int
    occurred_at: datetime.datetime
    kind: str
    label: str
    actor_id: int | None
    participant_id: int | None
    from_state: str
    to_state: str
    detail: str


@router.get(
    "/cases/{case_id}/timeline", response={200: list[TimelineEntryOut], **READ_ERRORS}, summary="The case's story"
)
def timeline(request: HttpRequest, case_id: int = path_id()) -> list[TimelineEntryOut]:
    user = account_access.signed_in_user(request)
    return [
        TimelineEntryOut(
            id=entry.pk,
            occurred_at=entry.occurred_at,
            kind=entry.kind,
            label=entry.get_kind_display(),
            actor_id=entry.actor_id,
            participant_id=entry.participant_id,
            from_state=entry.from_state,
            to_state=entry.to_state,
            detail=entry.detail,
        )
        for entry in access.case_timeline(user, case_id)
    ]


# Tasks ------------------------------------------------------------------------------------------------------------


class TaskOut(Schema):
    """A task is about a case or a referral; a complaint's task is about neither (it is kept off the case) but about
    the complaints register of its service."""

    id: int
    kind: str
    label: str
    due_on: datetime.date
    overdue: bool
    service_id: int
    case_id: int | None
    referral_id: int | None
    done: bool


def task_out(task: Task, today: datetime.date) -> TaskOut:
    return TaskOut(
        id=task.pk,
        kind=task.kind,
        label=task.get_kind_display(),
        due_on=task.due_on,
        overdue=task.is_overdue(today),
        service_id=task.service_id,
        case_id=task.case_id,
        referral_id=task.referral_id,
        done=task.completed_at is not None,
    )


@router.get("/tasks", response={200: list[TaskOut], **READ_ERRORS}, summary="Your open tasks, overdue first")
def list_tasks(request: HttpRequest) -> list[TaskOut]:
    user = account_access.signed_in_user(request)
    today = timezone.localdate()
    return [task_out(task, today) for task in access.tasks_of(user).order_by("due_on", "pk")]


@router.post("/tasks/{task_id}/done", response={200: TaskOut, **WRITE_ERRORS}, summary="Mark a task done")
def complete_task(request: HttpRequest, task_id: int = path_id()) -> TaskOut:
    user = account_access.signed_in_user(request)
    task = access.get_task_for_user(user, task_id)
    task = services.complete_task(task=task, actor=user)
    return task_out(task, timezone.localdate())
