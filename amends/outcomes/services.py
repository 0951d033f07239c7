"""Writes of outcome agreements and their actions. Each checks who may act and that the case is where an agreement
belongs, writes in one transaction, records its audit event and tells the case's timeline.

When an action is verified completed or not completed, the person harmed is told: the lead facilitator gets a task,
due in 5 working days, that logging a contact with the person harmed closes (R14: completion or non-completion is
reported to the harmed person).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.cases.models import Case, State, TaskKind, TimelineKind
from amends.cases.services import add_timeline, create_task, require_case_access, require_gates, require_open
from amends.core.errors import DomainError
from amends.core.versioning import check_version, save_versioned
from amends.core.workdays import add_working_days
from amends.outcomes.models import (
    ActionKind,
    ActionPayment,
    ActionStatus,
    AgreementAction,
    AgreementMethod,
    OutcomeAgreement,
    ParticipantAgreement,
    SupportKind,
    paid_total,
)
from amends.people.models import Participant

# An agreement is made in the process, and its actions are tracked while it is monitored.
AGREEMENT_STATES = frozenset({State.IN_PROCESS, State.AGREEMENT_MONITORING})
# The person harmed is told within this many working days of an action being completed or not.
TELL_HARMED_WORKING_DAYS = 5


def _require_agreement_state(actor: User, case: Case, step: str | None = None) -> None:
    """Making the agreement (its text, a participant's agreement to it, an action) is a restorative `step`: every gate
    must still hold, as for a meeting or a message. Recording what then happened (a payment, an action verified or
    withdrawn) is not: a fact stays recordable while, say, a risk assessment is being brought up to date."""
    require_case_access(actor, case)
    require_open(case)
    if case.state not in AGREEMENT_STATES:
        raise DomainError(
            _("An outcome agreement is made and tracked while the process is under way or the agreement is monitored.")
        )
    if step is not None:
        require_gates(case, step)


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field=field)


@transaction.atomic
def make_agreement(
    *,
    case: Case,
    actor: User,
    made_on: datetime.date,
    summary: str,
    expected_version: int | None = None,
) -> OutcomeAgreement:
    """Record the outcome agreement of a case, or change it (checking the version the editor started from)."""
    _require_agreement_state(actor, case, _("Recording the outcome agreement"))
    summary = summary.strip()
    if not summary:
        raise DomainError(_("Write down what was agreed, in the participants' own words."), field="summary")
    _not_in_future(made_on, "made_on")
    agreement = OutcomeAgreement.objects.select_for_update().filter(case=case).first()
    if agreement is None:
        agreement = OutcomeAgreement.objects.create(case=case, made_on=made_on, summary=summary, recorded_by=actor)
        record_event(
            action=AuditAction.AGREEMENT_MADE,
            actor=actor,
            target=agreement,
            service=case.service,
            changes={"made_on": made_on.isoformat(), "summary": "[encrypted]"},
        )
        add_timeline(case=case, actor=actor, kind=TimelineKind.AGREEMENT_MADE)
        return agreement
    check_version(agreement, expected_version)
    changes: dict[str, object] = {}
    if agreement.made_on != made_on:
        changes["made_on"] = {"before": agreement.made_on.isoformat(), "after": made_on.isoformat()}
    if agreement.summary != summary:
        changes["summary"] = {"before": "[encrypted]", "after": "[encrypted]"}
    agreement.made_on, agreement.summary = made_on, summary
    save_versioned(agreement, expected_version=agreement.version, fields=["made_on", "summary"])
    if changes:
        record_event(
            action=AuditAction.AGREEMENT_CHANGED, actor=actor, target=agreement, service=case.service, changes=changes
        )
        add_timeline(case=case, actor=actor, kind=TimelineKind.AGREEMENT_CHANGED)
    return agreement


def _agreement_of(case: Case) -> OutcomeAgreement:
    agreement = OutcomeAgreement.objects.filter(case=case).first()
    if agreement is None:
        raise DomainError(_("Record the outcome agreement first."))
    return agreement


def _in_case(participant: Participant, case: Case, field: str) -> None:
    if participant.case_id != case.pk:
        raise DomainError(_("Choose someone in this case."), field=field)


@transaction.atomic
def record_participant_agreement(
    *,
    case: Case,
    actor: User,
    participant: Participant,
    agreed_on: datetime.date,
    method: AgreementMethod | str,
) -> ParticipantAgreement:
    """A participant agreed to the outcome agreement, freely and informed (R14: each party's consent to it)."""
    _require_agreement_state(actor, case, _("Recording agreement to the outcome"))
    agreement = _agreement_of(case)
    _in_case(participant, case, "participant")
    if not participant.takes_part:
        raise DomainError(_("Only someone taking part agrees to the outcome."), field="participant")
    _not_in_future(agreed_on, "agreed_on")
    if agreed_on < agreement.made_on:
        raise DomainError(_("They cannot have agreed before the agreement was made."), field="agreed_on")
    record = ParticipantAgreement.objects.create(
        agreement=agreement,
        participant=participant,
        agreed_on=agreed_on,
        method=AgreementMethod(method),
        recorded_by=actor,
    )
    record_event(
        action=AuditAction.PARTICIPANT_AGREED,
        actor=actor,
        target=record,
        service=case.service,
        changes={"participant": participant.pk, "method": record.method, "agreed_on": agreed_on.isoformat()},
    )
    add_timeline(case=case, actor=actor, kind=TimelineKind.PARTICIPANT_AGREED, participant=participant)
    return record


@transaction.atomic
def add_action(
    *,
    case: Case,
    actor: User,
    kind: ActionKind | str,
    description: str,
    owner: Participant,
    due_on: datetime.date,
    support_kind: SupportKind | str = "",
    amount: Decimal | None = None,
) -> AgreementAction:
    """Add an action to the agreement: what, whose, by when; compensation has its amount, support its kind."""
    _require_agreement_state(actor, case, _("Adding an action"))
    agreement = _agreement_of(case)
    kind = ActionKind(kind)
    description = description.strip()
    if not description:
        raise DomainError(_("Say what was agreed."), field="description")
    _in_case(owner, case, "owner")
    if due_on < agreement.made_on:
        raise DomainError(_("An action cannot be due before the agreement was made."), field="due_on")
    if kind == ActionKind.SUPPORT:
        if not support_kind:
            raise DomainError(_("Choose the kind of support."), field="support_kind")
        support_kind = SupportKind(support_kind).value
    else:
        support_kind = ""
    if kind == ActionKind.COMPENSATION:
        if amount is None or amount <= 0:
            raise DomainError(_("Give the amount of compensation agreed."), field="amount")
        if amount != amount.quantize(Decimal("0.01")):
            raise DomainError(_("Give the amount in pounds and pence."), field="amount")
    else:
        amount = None
    action = AgreementAction.objects.create(
        agreement=agreement,
        kind=kind,
        support_kind=support_kind,
        description=description,
        owner=owner,
        due_on=due_on,
        amount=amount,
    )
    record_event(
        action=AuditAction.ACTION_ADDED,
        actor=actor,
        target=action,
        service=case.service,
        changes={
            "kind": kind.value,
            "owner": owner.pk,
            "due_on": due_on.isoformat(),
            "amount": str(amount) if amount is not None else None,
            "description": "[encrypted]",
        },
    )
    add_timeline(case=case, actor=actor, kind=TimelineKind.ACTION_ADDED, participant=owner, detail=action.label())
    return action


def _open_action(action: AgreementAction, expected_version: int | None) -> AgreementAction:
    """The action, locked, refused unless it is still open and unchanged since the editor read it."""
    locked = AgreementAction.objects.select_for_update().get(pk=action.pk)
    check_version(locked, expected_version)
    if locked.status != ActionStatus.OPEN:
        raise DomainError(
            _("This action is already %(status)s.") % {"status": str(ActionStatus(locked.status).label).lower()}
        )
    return locked


@transaction.atomic
def record_payment(*, action: AgreementAction, actor: User, amount: Decimal, paid_on: datetime.date) -> ActionPayment:
    """A payment of compensation; payments together may not come to more than the amount agreed."""
    case = action.agreement.case
    _require_agreement_state(actor, case)
    if action.kind != ActionKind.COMPENSATION:
        raise DomainError(_("Payments are recorded against compensation only."))
    locked = _open_action(action, None)
    if amount <= 0:
        raise DomainError(_("Give the amount paid."), field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("Give the amount in pounds and pence."), field="amount")
    _not_in_future(paid_on, "paid_on")
    paid = paid_total(locked)
    assert locked.amount is not None  # noqa: S101 - a database constraint holds it for compensation
    outstanding = locked.amount - paid
    if amount > outstanding:
        raise DomainError(
            _("That is more than is still owed: £%(outstanding)s of £%(amount)s.")
            % {"outstanding": outstanding, "amount": locked.amount},
            field="amount",
        )
    payment = ActionPayment.objects.create(action=locked, amount=amount, paid_on=paid_on, recorded_by=actor)
    record_event(
        action=AuditAction.PAYMENT_RECORDED,
        actor=actor,
        target=payment,
        service=case.service,
        changes={"action": locked.pk, "amount": str(amount), "paid_on": paid_on.isoformat()},
    )
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.PAYMENT_RECORDED,
        detail=_("£%(amount)s paid on %(day)s") % {"amount": amount, "day": date_format(paid_on, "j F Y")},
    )
    return payment


@transaction.atomic
def verify_action(
    *,
    action: AgreementAction,
    actor: User,
    completed: bool,
    note: str = "",
    expected_version: int | None = None,
) -> AgreementAction:
    """A member of staff verifies that an action was completed, or records that it was not; the person harmed is to
    be told either way."""
    case = action.agreement.case
    _require_agreement_state(actor, case)
    locked = _open_action(action, expected_version)
    note = note.strip()
    if completed and locked.kind == ActionKind.COMPENSATION:
        assert locked.amount is not None  # noqa: S101 - a database constraint holds it for compensation
        outstanding = locked.amount - paid_total(locked)
        if outstanding > 0:
            raise DomainError(
                _("Compensation is complete only when paid in full: £%(outstanding)s is still owed.")
                % {"outstanding": outstanding},
                field="completed",
            )
    if not completed and not note:
        raise DomainError(_("Say what happened: why the action was not completed."), field="note")
    locked.status = ActionStatus.COMPLETED if completed else ActionStatus.NOT_COMPLETED
    locked.verified_by, locked.verified_at, locked.verification_note = actor, timezone.now(), note
    save_versioned(
        locked,
        expected_version=locked.version,
        fields=["status", "verified_by", "verified_at", "verification_note"],
    )
    record_event(
        action=AuditAction.ACTION_VERIFIED,
        actor=actor,
        target=locked,
        service=case.service,
        changes={"status": {"before": ActionStatus.OPEN.value, "after": locked.status}, "note": "[encrypted]"},
    )
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.ACTION_COMPLETED if completed else TimelineKind.ACTION_NOT_COMPLETED,
        detail=locked.label(),
    )
    _tell_the_person_harmed(case=case, actor=actor)
    return locked


def _tell_the_person_harmed(*, case: Case, actor: User) -> None:
    """A task for the lead facilitator (or whoever verified, with no lead) to tell the person harmed."""
    owner = case.lead_facilitator or actor
    create_task(
        service=case.service,
        case=case,
        kind=TaskKind.TELL_ABOUT_ACTION,
        assigned_to=owner,
        due_on=add_working_days(timezone.localdate(), TELL_HARMED_WORKING_DAYS),
    )


@transaction.atomic
def withdraw_action(
    *, action: AgreementAction, actor: User, reason: str, expected_version: int | None = None
) -> AgreementAction:
    """Withdraw an action the participants no longer hold to (the agreement was varied), with the reason."""
    case = action.agreement.case
    _require_agreement_state(actor, case)
    locked = _open_action(action, expected_version)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the action is withdrawn."), field="reason")
    locked.status = ActionStatus.WITHDRAWN
    locked.verified_by, locked.verified_at, locked.verification_note = actor, timezone.now(), reason
    save_versioned(
        locked,
        expected_version=locked.version,
        fields=["status", "verified_by", "verified_at", "verification_note"],
    )
    record_event(
        action=AuditAction.ACTION_WITHDRAWN,
        actor=actor,
        target=locked,
        service=case.service,
        changes={"status": {"before": ActionStatus.OPEN.value, "after": locked.status}, "reason": "[encrypted]"},
    )
    add_timeline(case=case, actor=actor, kind=TimelineKind.ACTION_WITHDRAWN, detail=locked.label())
    return locked
