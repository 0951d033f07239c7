"""Writes about people in cases: adding participants, their details and safe contact arrangements, equality
monitoring and the contact log."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.models import AuditAction
from amends.audit.services import changes_between, created_values, field_values, record_event
from amends.cases import workflow
from amends.cases.models import Case, SensitivityFlag, State, TaskKind, TimelineKind
from amends.cases.services import add_timeline, require_case_access
from amends.core.errors import DomainError
from amends.core.versioning import save_versioned
from amends.dataprotection.restriction import refuse_if_restricted
from amends.people.models import (
    EQUALITY_CHOICES,
    ROLES_SUPPORTING_SOMEONE,
    SUCCESSFUL_CONTACT,
    AccessNeed,
    ContactLogEntry,
    EqualityMonitoring,
    Language,
    Participant,
    ParticipantRole,
    Person,
)

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "no_voicemail",
    "no_letters",
    "safe_times",
    "safe_contact_notes",
    "correspondence_language",
    "language_asked_on",
    "interpreter_language",
    "access_needs",
    "access_needs_notes",
)


def _clean_person_details(details: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(details) - set(PERSON_FIELDS)
    if unknown:
        raise DomainError(
            _("These details cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    values = dict(details)
    for name in ("given_name", "family_name", "preferred_name", "phone", "email", "safe_times", "interpreter_language"):
        if name in values and isinstance(values[name], str):
            values[name] = values[name].strip()
    if "given_name" in values and not values["given_name"]:
        raise DomainError(_("Enter their first name."), field="given_name")
    birth = values.get("date_of_birth")
    if birth is not None and birth > timezone.localdate():
        raise DomainError(_("The date of birth must be in the past."), field="date_of_birth")
    if "access_needs" in values:
        values["access_needs"] = sorted({AccessNeed(need).value for need in values["access_needs"]})
    if "correspondence_language" in values:
        values["correspondence_language"] = Language(values["correspondence_language"] or "").value
        if values["correspondence_language"] and not values.get("language_asked_on"):
            values["language_asked_on"] = timezone.localdate()
    return values


def create_person(*, case: Case, details: Mapping[str, Any]) -> Person:
    """A new person known to the case's service (inside a service that records why)."""
    person = Person(service=case.service, **_clean_person_details(details))
    person.match_key = person.compute_match_key()
    person.save()
    return person


# Past the process nothing checks the gates again (they are checked on entering preparing, scheduled and in
# process, and on resuming into them), so someone who newly takes part there must meet them at once.
GATES_NOT_CHECKED_AGAIN = frozenset({State.IN_PROCESS, State.AGREEMENT_MONITORING, State.FOLLOWING_UP})


def _process_started(case: Case) -> bool:
    state = case.state_before_hold if case.state == State.ON_HOLD else case.state
    return state in GATES_NOT_CHECKED_AGAIN


@transaction.atomic
def add_participant(
    *,
    case: Case,
    actor: User,
    role: ParticipantRole | str,
    person: Person | None = None,
    details: Mapping[str, Any] | None = None,
    supports: Participant | None = None,
    takes_part: bool = True,
) -> Participant:
    """Add someone to the case: a person the service already knows, or a new one from `details`."""
    require_case_access(actor, case)
    if not case.is_open:
        raise DomainError(_("This case is closed."))
    role = ParticipantRole(role)
    if takes_part and _process_started(case):
        # Nobody new has consent or a risk assessment yet, and nothing checks the gates again from here.
        raise DomainError(
            _(
                "The process has already started: add them as not taking part, record their consent and risk "
                "assessment, then change their part in the case."
            ),
            field="takes_part",
        )
    if role in ROLES_SUPPORTING_SOMEONE:
        if supports is None or supports.case_id != case.pk:
            raise DomainError(_("Choose whom they support."), field="supports")
    else:
        supports = None
    if person is None:
        if details is None:
            raise DomainError(_("Enter the person's details."))
        person = create_person(case=case, details=details)
    elif person.service_id != case.service_id:
        raise DomainError(_("That person is not known to this service."))
    if Participant.objects.filter(case=case, person=person).exists():
        raise DomainError(_("That person is already in this case."))
    participant = Participant.objects.create(
        case=case, person=person, role=role, supports=supports, takes_part=takes_part
    )
    if person.is_child_on(timezone.localdate()) and SensitivityFlag.CHILD_PARTICIPANT not in case.sensitivity_flags:
        # A child taking part makes the case sensitive (DESIGN.md §3): higher-level staff and sign-off.
        case.sensitivity_flags = sorted({*case.sensitivity_flags, SensitivityFlag.CHILD_PARTICIPANT.value})
        save_versioned(case, expected_version=None, fields=["sensitivity_flags"])
    record_event(
        action=AuditAction.PARTICIPANT_ADDED,
        actor=actor,
        target=participant,
        service=case.service,
        changes={"role": role.value, "person": person.pk},
    )
    add_timeline(case=case, actor=actor, kind=TimelineKind.PARTICIPANT_ADDED, participant=participant)
    return participant


def _gate_items(case: Case) -> list[workflow.Missing]:
    return [missing for status in workflow.gate_report(workflow.load_facts(case)) for missing in status.missing]


@transaction.atomic
def update_participant(
    *,
    participant: Participant,
    actor: User,
    takes_part: bool,
    supports: Participant | None = None,
    expected_version: int | None = None,
) -> Participant:
    """Change whether someone takes part and, for a supporter or a parent or guardian, whom they support (checking
    the version the editor started from)."""
    case = participant.case
    require_case_access(actor, case)
    if not case.is_open:
        raise DomainError(_("This case is closed."))
    fields = ("takes_part", "supports")
    before = field_values(participant, fields)
    if participant.role in ROLES_SUPPORTING_SOMEONE:
        if supports is None or supports.case_id != participant.case_id or supports.pk == participant.pk:
            raise DomainError(_("Choose whom they support."), field="supports")
        participant.supports = supports
    newly_taking_part = takes_part and not participant.takes_part
    gates_before = _gate_items(case) if newly_taking_part and _process_started(case) else None
    participant.takes_part = takes_part
    version_before = participant.version
    try:
        save_versioned(participant, expected_version=expected_version, fields=["takes_part", "supports"])
    except DomainError:
        participant.takes_part, participant.supports_id = before["takes_part"], before["supports"]
        raise
    if gates_before is not None:
        unmet = [missing for missing in _gate_items(case) if missing not in gates_before]
        if unmet:
            # Raising rolls the saved change back; put the object as it was too.
            participant.takes_part, participant.supports_id = before["takes_part"], before["supports"]
            participant.version = version_before
            raise DomainError(
                _("The process has already started, so the gates must hold for them before they take part: %(missing)s")
                % {"missing": " ".join(missing.message for missing in unmet)},
                field="takes_part",
            )
    changes = changes_between(participant, before, field_values(participant, fields))
    if changes:
        record_event(
            action=AuditAction.PARTICIPANT_UPDATED,
            actor=actor,
            target=participant,
            service=case.service,
            changes=changes,
        )
        add_timeline(
            case=case,
            actor=actor,
            kind=TimelineKind.PARTICIPANT_UPDATED,
            participant=participant,
            detail=_participant_change_detail(participant, changes),
        )
    return participant


def _participant_change_detail(participant: Participant, changes: Mapping[str, Any]) -> str:
    parts = []
    if "takes_part" in changes:
        parts.append(_("Now takes part.") if participant.takes_part else _("No longer takes part."))
    if "supports" in changes and participant.supports is not None:
        parts.append(_("Now supports %(name)s.") % {"name": participant.supports.person.full_name})
    return " ".join(parts)


@transaction.atomic
def update_person(
    *, person: Person, actor: User, case: Case, details: Mapping[str, Any], expected_version: int | None
) -> Person:
    """Change someone's details; refused if another person saved them since `expected_version` was read."""
    require_case_access(actor, case)
    if person.service_id != case.service_id or not person.participations.filter(case=case).exists():
        raise DomainError(_("That person is not in this case."))
    values = _clean_person_details(details)
    before = field_values(Person.objects.get(pk=person.pk), PERSON_FIELDS)
    for name, value in values.items():
        setattr(person, name, value)
    person.match_key = person.compute_match_key()
    save_versioned(person, expected_version=expected_version, fields=[*values, "match_key"])
    changes = changes_between(person, before, field_values(person, PERSON_FIELDS))
    if changes:
        record_event(
            action=AuditAction.PERSON_UPDATED, actor=actor, target=person, service=case.service, changes=changes
        )
        add_timeline(case=case, actor=actor, kind=TimelineKind.PERSON_UPDATED)
    return person


@transaction.atomic
def record_equality(*, person: Person, actor: User, case: Case, answers: Mapping[str, str]) -> EqualityMonitoring:
    """Record or replace a person's equality monitoring answers; every answer is optional."""
    require_case_access(actor, case)
    for question, answer in answers.items():
        if question not in EQUALITY_CHOICES:
            raise DomainError(_("There is no such question."))
        if answer and answer not in {value for value, _label in EQUALITY_CHOICES[question]}:
            raise DomainError(_("Choose one of the answers."), field=question)
    monitoring, _created = EqualityMonitoring.objects.update_or_create(
        person=person, defaults={**{q: answers.get(q, "") for q in EQUALITY_CHOICES}, "recorded_by": actor}
    )
    # The answers themselves stay out of the audit: only that they were recorded.
    record_event(action=AuditAction.EQUALITY_RECORDED, actor=actor, target=monitoring, service=case.service)
    return monitoring


@transaction.atomic
def needs_language_question(participant: Participant) -> bool:
    """Whether the next contact must ask the language question: the service is under the Welsh Language Standards
    and nobody has asked this person yet."""
    return participant.case.service.welsh_language_standards and participant.person.language_asked_on is None


def _record_language(participant: Participant, actor: User, language: str, asked_on: datetime.date) -> None:
    person = participant.person
    before = {"correspondence_language": person.correspondence_language}
    person.correspondence_language = language
    person.language_asked_on = asked_on
    save_versioned(person, expected_version=None, fields=["correspondence_language", "language_asked_on"])
    record_event(
        action=AuditAction.PERSON_UPDATED,
        actor=actor,
        target=person,
        service=participant.case.service,
        changes={"correspondence_language": {"before": before["correspondence_language"], "after": language}},
    )


@transaction.atomic
def log_contact(
    *,
    participant: Participant,
    actor: User,
    occurred_at: datetime.datetime,
    channel: str,
    outcome: str,
    outgoing: bool = True,
    duration_minutes: int | None = None,
    summary: str = "",
    language: str = "",
) -> ContactLogEntry:
    """Log a call, visit, letter or message, or an attempt that failed. The first contact made stops its clock.

    In a service under the Welsh Language Standards, the first time someone is reached they are asked which language
    they want, and `language` (a Language value) records the answer; it can be given at any contact.
    """
    case = participant.case
    require_case_access(actor, case)
    if outgoing:
        refuse_if_restricted(participant.person_id)
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise DomainError(_("A contact cannot be in the future."), field="occurred_at")
    if language and language not in (Language.ENGLISH, Language.WELSH, Language.BOTH):
        raise DomainError(_("Choose English, Welsh, or both."), field="language")
    if language:
        _record_language(participant, actor, language, timezone.localdate(occurred_at))
    elif needs_language_question(participant) and outcome in SUCCESSFUL_CONTACT:
        raise DomainError(
            _(
                "%(service)s is under the Welsh Language Standards: ask which language they want us to use, and "
                "record their answer."
            )
            % {"service": case.service.name},
            field="language",
        )
    entry = ContactLogEntry.objects.create(
        case=case,
        participant=participant,
        occurred_at=occurred_at,
        channel=channel,
        outcome=outcome,
        outgoing=outgoing,
        duration_minutes=duration_minutes,
        summary=summary.strip(),
        recorded_by=actor,
    )
    record_event(
        action=AuditAction.CONTACT_LOGGED,
        actor=actor,
        target=entry,
        service=case.service,
        changes=created_values(entry, ("channel", "outcome", "occurred_at")),
    )
    add_timeline(case=case, actor=actor, kind=TimelineKind.CONTACT_LOGGED, participant=participant)
    if outcome in SUCCESSFUL_CONTACT and case.first_contact_at is None:
        case.first_contact_at = occurred_at
        save_versioned(case, expected_version=None, fields=["first_contact_at"])
        case.tasks.open().filter(kind=TaskKind.FIRST_CONTACT).update(completed_at=timezone.now(), completed_by=actor)
    if outcome in SUCCESSFUL_CONTACT and participant.role == ParticipantRole.PERSON_HARMED:
        # Speaking to the person harmed is when they hear whether the agreed actions were done.
        case.tasks.open().filter(kind=TaskKind.TELL_ABOUT_ACTION).update(
            completed_at=timezone.now(), completed_by=actor
        )
    if outcome in SUCCESSFUL_CONTACT and case.state == State.FOLLOWING_UP:
        # Follow-up builds on people, so it is imported here: a contact after the process is a follow-up contact.
        from amends.followup.services import follow_up_done

        follow_up_done(case=case, actor=actor, on=timezone.localdate(occurred_at))
    return entry
