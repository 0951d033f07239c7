"""Writes of risk assessments, their sign-off, and new risk information. A safeguarding concern moves an open case
back to assessing at once."""

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.cases import workflow
from amends.cases.models import Case, TaskKind, TimelineKind
from amends.cases.services import (
    add_timeline,
    create_task,
    eligibility_problems,
    require_case_access,
    require_open,
    return_to_assessing,
)
from amends.core.errors import DomainError, NotPermittedError
from amends.people.models import Participant
from amends.permissions import Capability, can
from amends.risk.models import (
    RiskAssessment,
    RiskCondition,
    RiskFactor,
    RiskInformation,
    RiskInformationKind,
    RiskLevel,
    RiskOutcome,
    SignOffDecision,
)


@transaction.atomic
def record_risk_assessment(
    *,
    participant: Participant,
    actor: User,
    factors: Mapping[str, str],
    narrative: str,
    conditions: Iterable[RiskCondition | str],
    outcome: RiskOutcome | str,
    review_on: datetime.date,
    assessed_on: datetime.date | None = None,
) -> RiskAssessment:
    """A new version of the participant's assessment, by a facilitator whose training is in date."""
    case = participant.case
    require_case_access(actor, case)
    require_open(case)
    problems = eligibility_problems(actor, case.service)
    if problems:
        raise DomainError(
            _("A risk assessment is made by a facilitator whose registration and training are in date. %(why)s")
            % {"why": " ".join(problems)}
        )
    assessed_on = assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="assessed_on")
    if review_on <= assessed_on:
        raise DomainError(_("The review date must be after the assessment."), field="review_on")
    clean_factors = {}
    for name, level in factors.items():
        if name not in RiskFactor.values or level not in RiskLevel.values:
            raise DomainError(_("Rate each factor with one of the levels."), field="factors")
        clean_factors[name] = level
    outcome = RiskOutcome(outcome)
    chosen_conditions = sorted({RiskCondition(condition).value for condition in conditions})
    if outcome == RiskOutcome.SUITABLE_WITH_CONDITIONS and not chosen_conditions:
        raise DomainError(_("Suitable with conditions: choose the conditions."), field="conditions")
    if outcome == RiskOutcome.SUITABLE and chosen_conditions:
        raise DomainError(
            _("An assessment with conditions is “suitable with conditions”, which needs sign-off."), field="outcome"
        )
    if not narrative.strip():
        raise DomainError(_("Write the assessment."), field="narrative")
    # Lock the participant's row so that two assessments at once cannot take the same version number.
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    latest = participant.risk_assessments.aggregate(latest=Max("version"))["latest"] or 0
    assessment = RiskAssessment.objects.create(
        participant=participant,
        version=latest + 1,
        factors=clean_factors,
        narrative=narrative.strip(),
        conditions=chosen_conditions,
        outcome=outcome,
        review_on=review_on,
        assessed_on=assessed_on,
        assessed_by=actor,
    )
    record_event(
        action=AuditAction.RISK_ASSESSED,
        actor=actor,
        target=assessment,
        service=case.service,
        changes={"version": assessment.version, "outcome": outcome.value, "conditions": chosen_conditions},
    )
    add_timeline(case=case, actor=actor, kind=TimelineKind.RISK_ASSESSED, participant=participant)
    case.tasks.open().filter(kind=TaskKind.RISK_REVIEW, assigned_to=actor).update(
        completed_at=timezone.now(), completed_by=actor
    )
    create_task(service=case.service, case=case, kind=TaskKind.RISK_REVIEW, assigned_to=actor, due_on=review_on)
    return assessment


@transaction.atomic
def sign_off_risk_assessment(
    *, assessment: RiskAssessment, actor: User, decision: SignOffDecision | str, note: str = ""
) -> RiskAssessment:
    """A coordinator's sign-off of a sensitive or conditional assessment; never the assessor's own."""
    case: Case = assessment.participant.case
    if not can(actor, Capability.SIGN_OFF_RISK, case.service):
        raise NotPermittedError(_("Only a coordinator of the service signs off a risk assessment."))
    require_open(case)
    if assessment.assessed_by_id == actor.pk:
        raise DomainError(_("Someone other than the assessor signs off an assessment."))
    latest = assessment.participant.risk_assessments.order_by("-version").first()
    if latest is None or latest.pk != assessment.pk:
        raise DomainError(_("Only the latest assessment can be signed off."))
    if assessment.sign_off_decision:
        raise DomainError(_("This assessment has already been signed off: a new assessment needs its own."))
    if not workflow.needs_sign_off(case, assessment):
        raise DomainError(_("This assessment does not need sign-off."))
    decision = SignOffDecision(decision)
    if decision == SignOffDecision.NOT_APPROVED and not note.strip():
        raise DomainError(_("Say why it is not approved."), field="note")
    assessment.signed_off_by = actor
    assessment.signed_off_at = timezone.now()
    assessment.sign_off_decision = decision
    assessment.sign_off_note = note.strip()
    assessment.save(update_fields=["signed_off_by", "signed_off_at", "sign_off_decision", "sign_off_note"])
    record_event(
        action=AuditAction.RISK_SIGNED_OFF,
        actor=actor,
        target=assessment,
        service=case.service,
        changes={"decision": decision.value},
    )
    add_timeline(case=case, actor=actor, kind=TimelineKind.RISK_SIGNED_OFF, participant=assessment.participant)
    return assessment


@transaction.atomic
def record_risk_information(
    *,
    case: Case,
    actor: User,
    kind: RiskInformationKind | str,
    details: str,
    participant: Participant | None = None,
    referred_to: str = "",
) -> RiskInformation:
    """New risk information makes the assessments it concerns stale; a safeguarding concern also sends an open case
    back to assessing at once and tells its facilitators."""
    require_case_access(actor, case)
    kind = RiskInformationKind(kind)
    if not details.strip():
        raise DomainError(_("Describe what was learned."), field="details")
    if participant is not None and participant.case_id != case.pk:
        raise DomainError(_("That person is not in this case."), field="participant")
    information = RiskInformation.objects.create(
        case=case,
        participant=participant,
        kind=kind,
        details=details.strip(),
        referred_to=referred_to.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record_event(
        action=AuditAction.RISK_INFORMATION_RECORDED,
        actor=actor,
        target=information,
        service=case.service,
        changes={"kind": kind.value},
    )
    timeline_kind = (
        TimelineKind.SAFEGUARDING_CONCERN if kind == RiskInformationKind.SAFEGUARDING else TimelineKind.RISK_INFORMATION
    )
    add_timeline(case=case, actor=actor, kind=timeline_kind, participant=participant)
    if kind == RiskInformationKind.SAFEGUARDING:
        return_to_assessing(case=case, actor=actor, kind=TimelineKind.SAFEGUARDING_CONCERN)
    return information
