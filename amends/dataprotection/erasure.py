"""Erasing personal data while keeping the figures.

Everything Amends holds that identifies or describes a person is an encrypted field (amends/core/fields.py), with a
few plain identifiers beside them (a crime reference's and a person's blind index). So erasing a record
means blanking every encrypted value of it and of everything that hangs off it, clearing those plain identifiers,
deleting files and secure links, and marking it anonymised. Rows are never deleted: every state, date, category and
count the figures read stays as it was, so every aggregate figure is the same before and after (tested in
tests/dataprotection).

Which records belong to a case is found from the models themselves: every model with an encrypted field that reaches
cases.Case through its foreign keys (`case_paths`), so a new model with personal data is covered without a change here
(tests/dataprotection/test_erasure.py fails if one is not). Complaints follow their own schedule.

A person's equality answers keep their blind-index keys, which the figures count and which say nothing without the
key and once nothing else about the person is left; a referral not taken on keeps only the answers for age group,
gender and ethnicity (reference/domain-standards.md §7: Kent YJS).
"""

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import Organisation, Service, User
from amends.audit.models import AuditAction
from amends.audit.services import record_event
from amends.cases.models import Case
from amends.complaints.models import Complaint
from amends.core.errors import DomainError
from amends.core.fields import EncryptedListField, EncryptedMixin, encrypted_columns
from amends.dataprotection.models import LegalHold
from amends.participation.models import ParticipantLink
from amends.people.models import EqualityMonitoring, IdentifyingDetail, Person
from amends.referrals.models import Referral, TriageDecision
from amends.relay import files as relay_files
from amends.relay.models import MessageFile

# Kept by a referral not taken on: age group, gender (sex and whether it is the one registered at birth) and ethnicity.
MINIMAL_EQUALITY = ("age_band", "sex", "gender_same_as_at_birth", "ethnicity")
# Models with personal data that are not erased with a case: complaints have their own schedule; people and what hangs
# off them only when nothing else of theirs is left; the rest are about staff, not the people in cases.
NOT_WITH_A_CASE = frozenset(
    {
        "complaints.Complaint",
        "people.Person",
        "people.EqualityMonitoring",
        "people.IdentifyingDetail",
        "dataprotection.RightsRequest",
        "accounts.Invitation",
        "accounts.SupervisionSession",
        "accounts.ObservedPractice",
    }
)
# Foreign keys that lead away from a case's own records.
NOT_FOLLOWED = (User, Service, Organisation, Person)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedMixin]:
    return [field for field in model._meta.local_concrete_fields if isinstance(field, EncryptedMixin)]


def encrypted_models() -> list[type[models.Model]]:
    """Every concrete model with an encrypted column of its own."""
    return list(encrypted_columns())


def _path_to_case(model: type[models.Model], depth: int = 3) -> str | None:
    """The shortest lookup from `model` to its case through foreign keys ("case", "participant__case"), or None."""
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _level in range(depth):
        following: list[tuple[type[models.Model], str]] = []
        for current, prefix in frontier:
            for field in current._meta.concrete_fields:
                related = field.related_model
                if not field.is_relation or related is None or isinstance(related, str):
                    continue
                if related is Case:
                    return f"{prefix}{field.name}"
                if not issubclass(related, NOT_FOLLOWED) and related is not current:
                    following.append((related, f"{prefix}{field.name}__"))
        frontier = following
    return None


@cache
def case_paths() -> dict[type[models.Model], str]:
    """Each model whose personal data goes with its case, and the lookup from it to the case."""
    paths = {}
    for model in encrypted_models():
        if model._meta.label in NOT_WITH_A_CASE:
            continue
        path = _path_to_case(model)
        if path is not None:
            paths[model] = path
    return paths


def _empty(field: EncryptedMixin) -> Any:
    if field.null:
        return None
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.IntegerField):
        return 0
    if isinstance(field, EncryptedListField):
        return []
    return ""


def blank_values(model: type[models.Model], keep: Iterable[str] = ()) -> dict[str, Any]:
    """Every encrypted field of the model set to its empty value (an encrypted empty value where it cannot be NULL)."""
    kept = set(keep)
    return {field.attname: _empty(field) for field in encrypted_fields(model) if field.name not in kept}


def held_case_ids() -> set[int]:
    """Cases under a legal hold in force."""
    return set(LegalHold.objects.filter(lifted_at__isnull=True).values_list("case_id", flat=True))


def _refuse_if_held(case_ids: Iterable[int]) -> None:
    if LegalHold.objects.filter(case_id__in=list(case_ids), lifted_at__isnull=True).exists():
        raise DomainError(
            _("A legal hold is in force on a case this concerns, so nothing in it can be erased until it is lifted.")
        )


def _remove_files(files: "models.QuerySet[Any]") -> None:
    """Delete the files from disk once the erasure is committed (a rollback keeps them)."""
    names = list(files.values_list("stored_name", flat=True))
    files.update(**blank_values(MessageFile))

    def remove() -> None:
        for name in names:
            relay_files.remove(name)

    transaction.on_commit(remove)


def _erase_case_records(case_ids: list[int]) -> None:
    for model, path in case_paths().items():
        rows = model._base_manager.filter(**{f"{path}__in": case_ids})
        if model is MessageFile:
            _remove_files(rows)
            continue
        rows.update(**blank_values(model))
    Referral.objects.filter(case_id__in=case_ids).update(crime_reference_key="", anonymised_at=timezone.now())
    ParticipantLink.objects.filter(participant__case_id__in=case_ids).delete()


def _still_involved(
    person: Person, *, leaving_cases: Iterable[int] = (), leaving_referrals: Iterable[int] = ()
) -> bool:
    """Whether the person is in a case or a referral that keeps its personal data."""
    in_case = (
        person.participations.filter(case__anonymised_at__isnull=True).exclude(case_id__in=list(leaving_cases)).exists()
    )
    in_referral = (
        Referral.objects.filter(people__person=person, anonymised_at__isnull=True, case__isnull=True)
        .exclude(pk__in=list(leaving_referrals))
        .exists()
    )
    return in_case or in_referral


def _anonymise_person(person: Person, *, minimal: bool) -> None:
    """Blank the person's details and everything that hangs off them; keep the figures' equality keys."""
    Person.objects.filter(pk=person.pk).update(
        **blank_values(Person),
        match_key="",
        interpreter_language="",
        anonymised_at=timezone.now(),
    )
    IdentifyingDetail.objects.filter(person=person).delete()
    ParticipantLink.objects.filter(participant__person=person).delete()
    kept = MINIMAL_EQUALITY if minimal else ()
    for equality in EqualityMonitoring.objects.filter(person=person):
        keys = {name: key for name, key in equality.keys.items() if not minimal or name in MINIMAL_EQUALITY}
        EqualityMonitoring.objects.filter(pk=equality.pk).update(**blank_values(EqualityMonitoring, kept), keys=keys)
    from amends.dataprotection.models import Disclosure, RightsRequest

    RightsRequest.objects.filter(person=person).update(**blank_values(RightsRequest))
    # The disclosure log keeps that their information was shared, when, with whom, on what basis and who approved it
    # (accountability); what was shared and why, which is about them, goes.
    Disclosure.objects.filter(person=person).update(**blank_values(Disclosure))


def _audit(*, actor: User | None, target: models.Model, service: Service, record: str) -> None:
    record_event(
        action=AuditAction.PERSONAL_DATA_ERASED, actor=actor, target=target, service=service, changes={"record": record}
    )


@transaction.atomic
def anonymise_case(*, case: Case, actor: User | None) -> None:
    """Erase a case's personal data and that of its people who are in nothing else that keeps theirs."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.anonymised_at is not None:
        return
    _refuse_if_held([case.pk])
    people = list(Person.objects.filter(participations__case=case).distinct())
    referral_ids = list(Referral.objects.filter(case=case).values_list("pk", flat=True))
    _erase_case_records([case.pk])
    for person in people:
        if not _still_involved(person, leaving_cases=[case.pk], leaving_referrals=referral_ids):
            _anonymise_person(person, minimal=False)
    Case.objects.filter(pk=case.pk).update(anonymised_at=timezone.now())
    _audit(actor=actor, target=case, service=case.service, record="case")


@transaction.atomic
def anonymise_referral(*, referral: Referral, actor: User | None) -> None:
    """Erase a referral that was not taken on; its people keep only their age group, gender and ethnicity."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.anonymised_at is not None:
        return
    if referral.case_id is not None:
        raise DomainError(_("This referral became a case: it is erased with the case."))
    Referral.objects.filter(pk=referral.pk).update(
        **blank_values(Referral), crime_reference_key="", anonymised_at=timezone.now()
    )
    for person in Person.objects.filter(pk__in=referral.people.values("person_id")):
        if not _still_involved(person, leaving_referrals=[referral.pk]):
            _anonymise_person(person, minimal=True)
    _audit(actor=actor, target=referral, service=referral.service, record="referral")


@transaction.atomic
def anonymise_complaint(*, complaint: Complaint, actor: User | None) -> None:
    """Erase what a complaint, compliment or other feedback says; its kind, dates, outcome and clock stay."""
    updated = Complaint.objects.filter(pk=complaint.pk, anonymised_at__isnull=True).update(
        **blank_values(Complaint), anonymised_at=timezone.now()
    )
    if updated:
        _audit(actor=actor, target=complaint, service=complaint.service, record="complaint")


def _paths_to_participant(model: type[models.Model], depth: int = 2) -> list[str]:
    """Every lookup from `model` to a participant within `depth` foreign keys ("sender", "message__recipient")."""
    paths: list[str] = []
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _level in range(depth):
        following: list[tuple[type[models.Model], str]] = []
        for current, prefix in frontier:
            for field in current._meta.concrete_fields:
                related = field.related_model
                if not field.is_relation or related is None or isinstance(related, str):
                    continue
                if related._meta.label == "people.Participant":
                    paths.append(f"{prefix}{field.name}")
                elif not issubclass(related, (*NOT_FOLLOWED, Case)) and related is not current:
                    following.append((related, f"{prefix}{field.name}__"))
        frontier = following
    return paths


def _person_records(person: Person) -> list[tuple[type[models.Model], Q]]:
    """Each of a case's models that holds records about participants, with the filter that finds the person's."""
    found = []
    for model in case_paths():
        condition = Q()
        for path in _paths_to_participant(model):
            condition |= Q(**{f"{path}__person": person})
        if condition:
            found.append((model, condition))
    return found


# Another person's own notes: never their name, contact details or address, which a parent and child can share with
# the person erased.
OTHER_PEOPLES_NOTES = ("safe_times", "safe_contact_notes", "access_needs_notes")


def _text_fields(model: type[models.Model]) -> list[EncryptedMixin]:
    """The free text in which someone else's records may mention the person: long texts, not short values (a name, a
    file's name, an identifying detail), which are another person's own and may match theirs."""
    if model is Person:
        return [field for field in encrypted_fields(model) if field.name in OTHER_PEOPLES_NOTES]
    if model is IdentifyingDetail:
        return []
    return [field for field in encrypted_fields(model) if isinstance(field, models.TextField)]


def _mention_scrubber(person: Person) -> Callable[[str], str] | None:
    """Replaces what names or locates the person in a text with "[erased]": the redaction rules of a subject access
    export, with the person as the only other one (subject_access.Redactor)."""
    from amends.dataprotection.subject_access import Redactor  # reads most apps' models: imported when needed

    redactor = Redactor.between(Person(), [], [(person, list(person.identifying_details.all()))])
    if redactor.pattern is None:
        return None
    redactor.replacement = _("[erased]")
    return redactor


def _scrub_mentions(scrub: Callable[[str], str], person: Person, case_ids: list[int]) -> int:
    """Scrub the person's names and details from every free text left in their cases once their own records are
    blanked: case notes, the referral's account, the history, the other people's records and details. Returns how
    many records changed."""
    changed = 0
    sources: list[tuple[type[models.Model], models.QuerySet[Any]]] = [
        (model, model._base_manager.filter(**{f"{path}__in": case_ids})) for model, path in case_paths().items()
    ]
    sources.append((Case, Case.objects.filter(pk__in=case_ids)))
    sources.append(
        (Person, Person.objects.filter(participations__case_id__in=case_ids).exclude(pk=person.pk).distinct())
    )
    for model, rows in sources:
        fields = _text_fields(model)
        if not fields:
            continue
        for row in rows.only("pk", *(field.attname for field in fields)):
            updates = {}
            for field in fields:
                value = getattr(row, field.attname)
                if isinstance(value, str) and value and (scrubbed := scrub(value)) != value:
                    updates[field.attname] = scrubbed
            if updates:
                model._base_manager.filter(pk=row.pk).update(**updates)
                changed += 1
    return changed


@transaction.atomic
def erase_person(*, person: Person, actor: User | None) -> None:
    """Erase one person's data everywhere, at their request: their details, and every record in their cases that is
    about them (consent, risk, contact, messages they sent or were sent, surveys...). The cases stay, with the other
    people's records, for the figures; what still names or locates them in those (a case note, the referral's account,
    the other party's contact notes) becomes "[erased]". Refused while a legal hold is in force on any of their
    cases, and while they are named in a referral still awaiting triage (its account is about the other party too,
    and a case opened from it would start with an erased participant)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        return
    # Lock their cases and referrals first, so that a legal hold placed or a referral triaged meanwhile waits for us.
    case_ids = list(
        Case.objects.select_for_update(of=("self",)).filter(participants__person=person).values_list("pk", flat=True)
    )
    awaiting = Referral.objects.select_for_update(of=("self",)).filter(
        people__person=person, decision=TriageDecision.AWAITING
    )
    if list(awaiting.values_list("pk", flat=True)):
        raise DomainError(
            _(
                "They are named in a referral still awaiting triage. Decide the referral first (accept, decline or "
                "pass it on), then carry out the erasure."
            )
        )
    _refuse_if_held(case_ids)
    scrub = _mention_scrubber(person)
    for model, condition in _person_records(person):
        rows = model._base_manager.filter(condition)
        if model is MessageFile:
            _remove_files(rows)
        else:
            rows.update(**blank_values(model))
    if scrub is not None:
        _scrub_mentions(scrub, person, case_ids)
    for referral in Referral.objects.filter(people__person=person, case__isnull=True, anonymised_at__isnull=True):
        Referral.objects.filter(pk=referral.pk).update(
            **blank_values(Referral), crime_reference_key="", anonymised_at=timezone.now()
        )
    _anonymise_person(person, minimal=False)
    _audit(actor=actor, target=person, service=person.service, record="person")
