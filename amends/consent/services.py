"""Writes of information given, responsibility and consent. Append-only: nothing here changes an earlier record.
A withdrawal of consent takes effect at once: the case goes back to assessing, every booked meeting that needs the
person is called off, and its facilitators are told."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.cases.models import ProcessKind, TimelineKind
from amends.cases.services import add_timeline, require_case_access, require_open, return_to_assessing
from amends.consent.models import (
    ConsentKind,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    InformationFormat,
    InformationGiven,
    InformationItem,
    ResponsibilityBasis,
    ResponsibilityLevel,
    ResponsibilityRecord,
)
from amends.core.errors import DomainError, NotPermittedError
from amends.meetings.services import cancel_meetings_needing
from amends.people.models import Participant, ParticipantRole


def _through_link(actor: User | None) -> str:
    """For the timeline: a record the participant made themselves names no member of staff, so it says how it came."""
    return _("By the participant, through their secure link") if actor is None else ""


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field=field)


@transaction.atomic
def record_information_given(
    *,
    participant: Participant,
    actor: User,
    items: Iterable[InformationItem | str],
    given_on: datetime.date,
    format: InformationFormat | str,
    language: str = "English",
) -> InformationGiven:
    require_case_access(actor, participant.case)
    require_open(participant.case)
    chosen = sorted({InformationItem(item).value for item in items})
    if not chosen:
        raise DomainError(_("Choose what they were told."), field="items")
    _not_in_future(given_on, "given_on")
    record = InformationGiven.objects.create(
        participant=participant,
        items=chosen,
        given_on=given_on,
        format=InformationFormat(format),
        language=language.strip() or "English",
        given_by=actor,
    )
    record_event(
        action=AuditAction.INFORMATION_GIVEN,
        actor=actor,
        target=record,
        service=participant.case.service,
        changes={"items": chosen},
    )
    add_timeline(case=participant.case, actor=actor, kind=TimelineKind.INFORMATION_GIVEN, participant=participant)
    return record


@transaction.atomic
def record_responsibility(
    *,
    participant: Participant,
    actor: User,
    basis: ResponsibilityBasis | str,
    level: ResponsibilityLevel | str,
    in_their_words: str,
    recorded_on: datetime.date,
) -> ResponsibilityRecord:
    """The person responsible's acknowledgement of the facts and responsibility, as they said it."""
    require_case_access(actor, participant.case)
    require_open(participant.case)
    if participant.role != ParticipantRole.PERSON_RESPONSIBLE:
        raise DomainError(_("Responsibility is recorded for a person responsible only."))
    level = ResponsibilityLevel(level)
    if level != ResponsibilityLevel.DENIES and not in_their_words.strip():
        raise DomainError(_("Write down what they said, in their words."), field="in_their_words")
    _not_in_future(recorded_on, "recorded_on")
    record = ResponsibilityRecord.objects.create(
        participant=participant,
        basis=ResponsibilityBasis(basis),
        level=level,
        in_their_words=in_their_words.strip(),
        recorded_on=recorded_on,
        recorded_by=actor,
    )
    record_event(
        action=AuditAction.RESPONSIBILITY_RECORDED,
        actor=actor,
        target=record,
        service=participant.case.service,
        changes={"basis": record.basis, "level": record.level},
    )
    add_timeline(case=participant.case, actor=actor, kind=TimelineKind.RESPONSIBILITY_RECORDED, participant=participant)
    return record


@transaction.atomic
def give_consent(
    *,
    participant: Participant,
    actor: User | None,
    scopes: Iterable[ConsentScope | str],
    process_kinds: Iterable[ProcessKind | str],
    method: ConsentMethod | str,
    occurred_at: datetime.datetime,
    witnessed_by: str = "",
    evidence: str = "",
    share_with: str = "",
) -> ConsentRecord:
    """Record consent: what it covers, how it was given and its evidence. It replaces any earlier consent.

    actor is None when the participant gives it themselves, through their secure link: the method is then online,
    and only then (the record is its own evidence).
    """
    method = ConsentMethod(method)
    if actor is None:
        if method != ConsentMethod.ONLINE:
            raise NotPermittedError(_("You cannot work on this case."))
    else:
        require_case_access(actor, participant.case)
        if method == ConsentMethod.ONLINE:
            raise DomainError(
                _("Online consent is given by the person themselves, through their secure link."), field="method"
            )
    require_open(participant.case)
    chosen_scopes = sorted({ConsentScope(scope).value for scope in scopes})
    chosen_kinds = sorted({ProcessKind(kind).value for kind in process_kinds})
    if not chosen_scopes:
        raise DomainError(_("Choose what the consent covers."), field="scopes")
    if ConsentScope.TAKE_PART in chosen_scopes and not chosen_kinds:
        raise DomainError(_("Choose the processes they consent to."), field="process_kinds")
    if method == ConsentMethod.VERBAL and not witnessed_by.strip():
        raise DomainError(_("Verbal consent needs a witness: say who witnessed it."), field="witnessed_by")
    if method == ConsentMethod.WRITTEN and not evidence.strip():
        raise DomainError(_("Say where the signed consent is kept."), field="evidence")
    if ConsentScope.SHARE_INFORMATION in chosen_scopes and not share_with.strip():
        raise DomainError(_("Name whom information may be shared with."), field="share_with")
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise DomainError(_("Consent cannot be recorded for a time in the future."), field="occurred_at")
    record = ConsentRecord.objects.create(
        participant=participant,
        kind=ConsentKind.GIVEN,
        scopes=chosen_scopes,
        process_kinds=chosen_kinds,
        method=method,
        witnessed_by=witnessed_by.strip(),
        evidence=evidence.strip(),
        share_with=share_with.strip(),
        occurred_at=occurred_at,
        recorded_by=actor,
    )
    record_event(
        action=AuditAction.CONSENT_GIVEN,
        actor=actor,
        target=record,
        service=participant.case.service,
        changes={"scopes": chosen_scopes, "process_kinds": chosen_kinds, "method": method.value},
    )
    add_timeline(
        case=participant.case,
        actor=actor,
        kind=TimelineKind.CONSENT_GIVEN,
        participant=participant,
        detail=_through_link(actor),
    )
    return record


@transaction.atomic
def withdraw_consent(*, participant: Participant, actor: User | None, reason: str = "") -> ConsentRecord:
    """Withdraw consent, with effect at once: the case goes back to assessing, every booked meeting that needs them
    is called off (each invitation cancelled; a supporter's own place only), and the facilitators are told. The one
    place this happens, so the secure link, the staff page and the API all do it.

    actor is None when the participant withdraws themselves, through their secure link.
    No reason is needed: nobody has to explain withdrawing.
    """
    case = participant.case
    if actor is not None:
        require_case_access(actor, case)
    require_open(case)
    latest = participant.consent_records.order_by("-occurred_at", "-pk").first()
    if latest is None or latest.kind == ConsentKind.WITHDRAWN:
        raise DomainError(_("There is no consent to withdraw."))
    record = ConsentRecord.objects.create(
        participant=participant,
        kind=ConsentKind.WITHDRAWN,
        reason=reason.strip(),
        occurred_at=timezone.now(),
        recorded_by=actor,
    )
    record_event(action=AuditAction.CONSENT_WITHDRAWN, actor=actor, target=record, service=case.service)
    add_timeline(
        case=case,
        actor=actor,
        kind=TimelineKind.CONSENT_WITHDRAWN,
        participant=participant,
        detail=_through_link(actor),
    )
    return_to_assessing(case=case, actor=actor, kind=TimelineKind.CONSENT_WITHDRAWN)
    cancel_meetings_needing(participant=participant, actor=actor)
    return record
