"""Writes of the complaints register: recording a complaint, compliment or other feedback, choosing who answers a
complaint, and recording its acknowledgement, its answer and where it was escalated. Each checks who may act, writes
in one transaction and records its audit event (never with the encrypted texts).

The handler's deadline is a task (TaskKind.COMPLAINT) due on the answer-by date. It is about the service, never the
case a complaint may concern: a case's tasks show on its page to its facilitators, who may be the ones complained
about, and a complaint stays with those who handle it. So a complaint's task has no case and no referral (the
constraint task_is_about_a_case_or_referral allows that for this kind alone), and the tasks follow the complaints:
each handler has one open task per service while any complaint of that service (about a case or not) waits for their
answer, due on the earliest answer-by date, linking to the register, and it is done when the last is answered.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import Membership, Service, User
from amends.audit.models import AuditAction
from amends.audit.services import CONCEALED, changes_between, field_values, record_event
from amends.cases.models import Case, Task, TaskKind
from amends.complaints.models import (
    ANSWER_WITHIN_WORKING_DAYS,
    AnswerBy,
    Channel,
    Complaint,
    ComplaintKind,
    EscalatedTo,
    FromRole,
    Outcome,
)
from amends.core.errors import DomainError, NotPermittedError
from amends.core.versioning import check_version, save_versioned
from amends.core.workdays import add_working_days
from amends.permissions import CAPABILITY_ROLES, Capability, can


def answer_due_on(received_on: datetime.date) -> datetime.date:
    """A complaint is answered within 10 working days of the day it was received (Victims' Code right 12)."""
    return add_working_days(received_on, ANSWER_WITHIN_WORKING_DAYS)


def handlers_of(service: Service) -> list[User]:
    """The people who may answer the service's complaints (a current role holding HANDLE_COMPLAINTS), by name."""
    roles = CAPABILITY_ROLES[Capability.HANDLE_COMPLAINTS]
    holders = Membership.objects.current().filter(service=service, role__in=list(roles)).values("user_id")
    return list(User.objects.filter(pk__in=holders, is_active=True).order_by("full_name", "pk"))


def _require_handler_rights(actor: User | None, service: Service) -> None:
    if actor is not None and not can(actor, Capability.HANDLE_COMPLAINTS, service):
        raise NotPermittedError(_("Only a coordinator of the service records and answers its complaints."))


def _check_handler(handler: User, service: Service) -> None:
    if not handler.is_active or not can(handler, Capability.HANDLE_COMPLAINTS, service):
        raise DomainError(_("Choose someone who answers complaints in this service."), field="handler")


def _check_day(day: datetime.date, received_on: datetime.date, field: str, before_received: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field=field)
    if day < received_on:
        raise DomainError(before_received, field=field)


def _sync_tasks(*, service: Service, handlers: Iterable[User | None], actor: User | None) -> None:
    """Each handler's one task for the service's complaints: due on the earliest answer-by date of the complaints
    still waiting for their answer, and done when none is left."""
    for handler in {user.pk: user for user in handlers if user is not None}.values():
        waiting = Complaint.objects.filter(
            service=service, handler=handler, kind=ComplaintKind.COMPLAINT, responded_on__isnull=True
        ).aggregate(due=Min("due_on"))["due"]
        tasks = Task.objects.open().filter(
            service=service, case=None, referral=None, kind=TaskKind.COMPLAINT, assigned_to=handler
        )
        if waiting is None:
            tasks.update(completed_at=timezone.now(), completed_by=actor)
            continue
        task = tasks.first()
        if task is None:
            Task.objects.create(service=service, kind=TaskKind.COMPLAINT, assigned_to=handler, due_on=waiting)
        elif task.due_on != waiting:
            task.due_on = waiting
            task.save(update_fields=["due_on", "updated_at"])


def _locked(complaint: Complaint, expected_version: int | None) -> Complaint:
    check_version(complaint, expected_version)
    locked = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("service", "case", "handler")
        .get(pk=complaint.pk)
    )
    if not locked.is_complaint:
        raise DomainError(_("Only a complaint is answered: a compliment or other feedback is recorded, and counted."))
    return locked


@transaction.atomic
def record_complaint(
    *,
    service: Service,
    actor: User | None,
    kind: ComplaintKind | str,
    received_on: datetime.date,
    channel: Channel | str,
    from_role: FromRole | str,
    summary: str,
    case: Case | None = None,
    contact: str = "",
    answer_by: AnswerBy | str = "",
    handler: User | None = None,
) -> Complaint:
    """Record a complaint, compliment or other feedback. A complaint is due its answer 10 working days after it was
    received, and its handler gets a task due then. `actor` is None when the public form records it: the complaint
    then goes to the service's first handler."""
    _require_handler_rights(actor, service)
    if kind not in ComplaintKind.values:
        raise DomainError(_("Choose whether it is a complaint, a compliment or other feedback."), field="kind")
    if channel not in Channel.values:
        raise DomainError(_("Choose how it came to the service."), field="channel")
    if from_role not in FromRole.values:
        raise DomainError(_("Choose who it is from."), field="from_role")
    if answer_by and answer_by not in AnswerBy.values:
        raise DomainError(_("Choose how they want the answer."), field="answer_by")
    summary, contact = summary.strip(), contact.strip()
    if not summary:
        raise DomainError(_("Say what they said."), field="summary")
    if received_on > timezone.localdate():
        raise DomainError(_("The date received cannot be in the future."), field="received_on")
    if case is not None and case.service_id != service.pk:
        raise DomainError(_("Choose a case of this service."), field="case")
    due_on = None
    if kind == ComplaintKind.COMPLAINT:
        if handler is None and actor is None:
            handler = next(iter(handlers_of(service)), None)
            if handler is None:
                raise DomainError(_("The service has nobody to answer complaints: it needs a coordinator."))
        if handler is None:
            raise DomainError(_("Choose who will answer the complaint."), field="handler")
        _check_handler(handler, service)
        due_on = answer_due_on(received_on)
    elif handler is not None:
        raise DomainError(
            _("Only a complaint has a handler: a compliment or other feedback is recorded, with no answer due."),
            field="handler",
        )
    complaint = Complaint.objects.create(
        service=service,
        kind=kind,
        received_on=received_on,
        channel=channel,
        from_role=from_role,
        case=case,
        summary=summary,
        contact=contact,
        answer_by=answer_by,
        recorded_by=actor,
        handler=handler,
        due_on=due_on,
    )
    changes: dict[str, Any] = {
        "kind": str(kind),
        "received_on": received_on.isoformat(),
        "channel": str(channel),
        "from_role": str(from_role),
        "case": case.pk if case is not None else None,
        "handler": handler.pk if handler is not None else None,
        "due_on": due_on.isoformat() if due_on is not None else None,
        "summary": CONCEALED,
    }
    if contact:
        changes["contact"] = CONCEALED
    record_event(action=AuditAction.COMPLAINT_RECORDED, actor=actor, target=complaint, service=service, changes=changes)
    _sync_tasks(service=service, handlers=[handler], actor=actor)
    return complaint


@transaction.atomic
def assign_handler(
    *, complaint: Complaint, actor: User, handler: User, expected_version: int | None = None
) -> Complaint:
    """Give the complaint to someone else to answer; its task moves with it."""
    _require_handler_rights(actor, complaint.service)
    complaint = _locked(complaint, expected_version)
    if complaint.is_answered:
        raise DomainError(_("This complaint has been answered."))
    _check_handler(handler, complaint.service)
    before = complaint.handler
    if before is not None and before.pk == handler.pk:
        return complaint
    complaint.handler = handler
    save_versioned(complaint, expected_version=complaint.version, fields=["handler"])
    record_event(
        action=AuditAction.COMPLAINT_UPDATED,
        actor=actor,
        target=complaint,
        service=complaint.service,
        changes={"handler": {"before": before.pk if before else None, "after": handler.pk}},
    )
    _sync_tasks(service=complaint.service, handlers=[before, handler], actor=actor)
    return complaint


@transaction.atomic
def record_acknowledgement(
    *, complaint: Complaint, actor: User, acknowledged_on: datetime.date, expected_version: int | None = None
) -> Complaint:
    """Record the day the person was told their complaint had arrived (or correct it)."""
    _require_handler_rights(actor, complaint.service)
    complaint = _locked(complaint, expected_version)
    _check_day(
        acknowledged_on,
        complaint.received_on,
        "acknowledged_on",
        _("A complaint is acknowledged on or after the day it was received."),
    )
    before = field_values(complaint, ["acknowledged_on"])
    complaint.acknowledged_on = acknowledged_on
    save_versioned(complaint, expected_version=complaint.version, fields=["acknowledged_on"])
    record_event(
        action=AuditAction.COMPLAINT_UPDATED,
        actor=actor,
        target=complaint,
        service=complaint.service,
        changes=changes_between(complaint, before, field_values(complaint, ["acknowledged_on"])),
    )
    return complaint


@transaction.atomic
def respond_to_complaint(
    *,
    complaint: Complaint,
    actor: User,
    responded_on: datetime.date,
    outcome: Outcome | str,
    response: str,
    expected_version: int | None = None,
) -> Complaint:
    """Record the answer to the complaint and its outcome (or that it was withdrawn); the handler's task is done."""
    _require_handler_rights(actor, complaint.service)
    complaint = _locked(complaint, expected_version)
    if complaint.is_answered:
        raise DomainError(_("This complaint has already been answered."))
    if outcome not in Outcome.values:
        raise DomainError(_("Choose the outcome."), field="outcome")
    _check_day(
        responded_on,
        complaint.received_on,
        "responded_on",
        _("The answer cannot come before the complaint was received (%(day)s).")
        % {"day": complaint.received_on.strftime("%d/%m/%Y")},
    )
    response = response.strip()
    if not response and outcome != Outcome.WITHDRAWN:
        raise DomainError(_("Say what the answer told them."), field="response")
    complaint.responded_on, complaint.outcome, complaint.response = responded_on, Outcome(outcome), response
    save_versioned(complaint, expected_version=complaint.version, fields=["responded_on", "outcome", "response"])
    record_event(
        action=AuditAction.COMPLAINT_RESPONDED,
        actor=actor,
        target=complaint,
        service=complaint.service,
        changes={
            "responded_on": {"before": None, "after": responded_on.isoformat()},
            "outcome": {"before": "", "after": str(outcome)},
            "response": CONCEALED,
            "in_time": complaint.answered_in_time,
        },
    )
    _sync_tasks(service=complaint.service, handlers=[complaint.handler], actor=actor)
    return complaint


@transaction.atomic
def escalate_complaint(
    *,
    complaint: Complaint,
    actor: User,
    escalated_on: datetime.date,
    escalated_to: EscalatedTo | str,
    details: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Record that the complaint went further (the person was not satisfied, or went straight elsewhere). A later
    escalation replaces the one shown; the audit keeps each."""
    _require_handler_rights(actor, complaint.service)
    complaint = _locked(complaint, expected_version)
    if escalated_to not in EscalatedTo.values:
        raise DomainError(_("Choose where the complaint went."), field="escalated_to")
    _check_day(
        escalated_on,
        complaint.received_on,
        "escalated_on",
        _("A complaint is escalated on or after the day it was received."),
    )
    if complaint.escalated_on is not None and escalated_on < complaint.escalated_on:
        raise DomainError(
            _("It was already escalated on %(day)s: a further escalation comes on or after that day.")
            % {"day": complaint.escalated_on.strftime("%d/%m/%Y")},
            field="escalated_on",
        )
    details = details.strip()
    if escalated_to == EscalatedTo.OTHER and not details:
        raise DomainError(_("Say where the complaint went."), field="details")
    fields = ["escalated_on", "escalated_to", "escalation_details"]
    before = field_values(complaint, fields)
    complaint.escalated_on, complaint.escalated_to = escalated_on, EscalatedTo(escalated_to)
    complaint.escalation_details = details
    save_versioned(complaint, expected_version=complaint.version, fields=fields)
    record_event(
        action=AuditAction.COMPLAINT_ESCALATED,
        actor=actor,
        target=complaint,
        service=complaint.service,
        changes=changes_between(complaint, before, field_values(complaint, fields)),
    )
    return complaint
