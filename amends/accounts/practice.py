"""Writes to practitioners' records: RJC level and registration, training, CPD, supervision, observed practice."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import (
    CPDRecord,
    FacilitatorRecord,
    Membership,
    ObservedPractice,
    RJCLevel,
    Service,
    Specialism,
    SupervisionSession,
    TrainingRecord,
    User,
    WelshSkill,
)
from amends.audit.models import AuditAction
from amends.audit.services import changes_between, created_values, field_values, record_event
from amends.core.errors import DomainError, NotPermittedError
from amends.permissions import Capability, can

FACILITATOR_RECORD_FIELDS = (
    "rjc_level",
    "registration_number",
    "registration_expires_on",
    "welsh_skill",
    "specialisms",
)


def save_facilitator_record(
    *,
    member: User,
    actor: User,
    service: Service,
    rjc_level: RJCLevel,
    registration_number: str = "",
    registration_expires_on: datetime.date | None = None,
    welsh_skill: WelshSkill = WelshSkill.NONE,
    specialisms: list[Specialism] | None = None,
) -> FacilitatorRecord:
    """Create or change a practitioner's level, registration, Welsh skill and specialisms."""
    if not can(actor, Capability.MANAGE_PRACTICE_RECORDS, service):
        raise NotPermittedError(_("Only a coordinator can change a practitioner's level and registration."))
    if member.pk == actor.pk:
        raise DomainError(_("Another coordinator must record your own level and registration."))
    if not Membership.objects.current().filter(service=service, user=member).exists():
        raise DomainError(_("This person has no current role in this service."))
    if registration_expires_on and not registration_number:
        raise DomainError(_("Give the registration number as well as its expiry date."), field="registration_number")
    with transaction.atomic():
        record, created = FacilitatorRecord.objects.select_for_update().get_or_create(
            user=member, defaults={"rjc_level": rjc_level}
        )
        before = {} if created else field_values(record, FACILITATOR_RECORD_FIELDS)
        record.rjc_level = rjc_level
        record.registration_number = registration_number.strip()
        record.registration_expires_on = registration_expires_on
        record.welsh_skill = welsh_skill
        record.specialisms = sorted(Specialism(value).value for value in (specialisms or []))
        record.save()
        changes = changes_between(record, before, field_values(record, FACILITATOR_RECORD_FIELDS))
        if changes or created:
            record_event(
                action=AuditAction.FACILITATOR_RECORD_SAVED,
                actor=actor,
                target=record,
                service=service,
                changes=changes,
            )
    return record


def _require_practice_editor(*, actor: User, member: User, service: Service, own_allowed: bool) -> None:
    """Practitioners keep their own training and CPD; practice leads keep everyone's in their service."""
    if not Membership.objects.current().filter(service=service, user=member).exists():
        raise DomainError(_("This person has no current role in this service."))
    if own_allowed and member.pk == actor.pk:
        return
    capability = Capability.MANAGE_PRACTICE_RECORDS if own_allowed else Capability.RECORD_SUPERVISION
    if not can(actor, capability, service):
        raise NotPermittedError(_("You cannot change this person's practice record."))


def _record_for(member: User) -> FacilitatorRecord:
    record = FacilitatorRecord.objects.filter(user=member).first()
    if record is None:
        raise DomainError(_("Set up this person's facilitator record first: their RJC level."))
    return record


def _create_entry[EntryT: (TrainingRecord, CPDRecord, SupervisionSession, ObservedPractice)](
    model: type[EntryT],
    *,
    action: AuditAction,
    actor: User,
    in_service: Service,
    audited: tuple[str, ...],
    **values: Any,
) -> EntryT:
    """Create one entry of a practice record with its audit event, in one transaction."""
    with transaction.atomic():
        entry = model.objects.create(**values)
        record_event(
            action=action, actor=actor, target=entry, service=in_service, changes=created_values(entry, audited)
        )
    return entry


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("The date must be today or in the past."), field=field)


def record_training(
    *,
    member: User,
    actor: User,
    service: Service,
    title: str,
    provider: str,
    completed_on: datetime.date,
    rjc_registered_trainer: bool,
    level: RJCLevel | None = None,
) -> TrainingRecord:
    _not_in_future(completed_on, "completed_on")
    _require_practice_editor(actor=actor, member=member, service=service, own_allowed=True)
    record = _record_for(member)
    return _create_entry(
        TrainingRecord,
        action=AuditAction.TRAINING_RECORDED,
        actor=actor,
        in_service=service,
        audited=("title", "provider", "completed_on", "rjc_registered_trainer", "level"),
        record=record,
        title=title.strip(),
        provider=provider.strip(),
        completed_on=completed_on,
        rjc_registered_trainer=rjc_registered_trainer,
        level=level.value if level else "",
    )


def record_cpd(
    *,
    member: User,
    actor: User,
    service: Service,
    activity: str,
    completed_on: datetime.date,
    hours: Decimal,
    rjc_approved: bool,
) -> CPDRecord:
    _not_in_future(completed_on, "completed_on")
    if not Decimal("0") < hours <= Decimal("100"):
        raise DomainError(_("Give the hours as a number more than 0 and no more than 100."), field="hours")
    _require_practice_editor(actor=actor, member=member, service=service, own_allowed=True)
    record = _record_for(member)
    return _create_entry(
        CPDRecord,
        action=AuditAction.CPD_RECORDED,
        actor=actor,
        in_service=service,
        audited=("activity", "completed_on", "hours", "rjc_approved"),
        record=record,
        activity=activity.strip(),
        completed_on=completed_on,
        hours=hours,
        rjc_approved=rjc_approved,
    )


def _record_for_observer(
    *, member: User, actor: User, service: Service, day: datetime.date, field: str, refusal: str
) -> FacilitatorRecord:
    """The checks shared by supervision and observed practice: a past date, someone else, a practice lead."""
    _not_in_future(day, field)
    if member.pk == actor.pk:
        raise DomainError(refusal)
    _require_practice_editor(actor=actor, member=member, service=service, own_allowed=False)
    return _record_for(member)


def record_supervision(
    *, member: User, actor: User, service: Service, held_on: datetime.date, notes: str = ""
) -> SupervisionSession:
    """Record a case supervision session. Nobody supervises themselves."""
    record = _record_for_observer(
        member=member,
        actor=actor,
        service=service,
        day=held_on,
        field="held_on",
        refusal=_("Supervision is recorded by the supervisor, not by the person supervised."),
    )
    return _create_entry(
        SupervisionSession,
        action=AuditAction.SUPERVISION_RECORDED,
        actor=actor,
        in_service=service,
        audited=("held_on", "notes"),
        record=record,
        service=service,
        supervisor=actor,
        held_on=held_on,
        notes=notes,
    )


def record_observed_practice(
    *, member: User, actor: User, service: Service, observed_on: datetime.date, notes: str = ""
) -> ObservedPractice:
    """Record an observation of a practitioner's work. Nobody observes themselves."""
    record = _record_for_observer(
        member=member,
        actor=actor,
        service=service,
        day=observed_on,
        field="observed_on",
        refusal=_("Observed practice is recorded by the observer, not by the person observed."),
    )
    return _create_entry(
        ObservedPractice,
        action=AuditAction.OBSERVED_PRACTICE_RECORDED,
        actor=actor,
        in_service=service,
        audited=("observed_on", "notes"),
        record=record,
        service=service,
        observer=actor,
        observed_on=observed_on,
        notes=notes,
    )
