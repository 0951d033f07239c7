"""Erasing personal data: every encrypted value of a case and its people goes, every row and category stays."""

import pytest
from django.db import connection
from django.utils import timezone

from amends.cases import services as case_services
from amends.cases.models import CaseNote, State, TimelineEntry
from amends.core.errors import DomainError
from amends.dataprotection import erasure, sharing_presenters
from amends.dataprotection.models import Disclosure, LegalHold
from amends.people import services as people_services
from amends.people.identifying import add_identifying_detail
from amends.people.models import (
    ContactChannel,
    ContactLogEntry,
    ContactOutcome,
    EqualityMonitoring,
    IdentifyingDetail,
    Person,
)
from amends.referrals import services as referral_services
from amends.referrals.models import Referral, ReferredPerson
from tests.case_builders import BuiltCase, build_case, make_referral
from tests.dataprotection.test_sharing import disclose
from tests.personas import Personas

ANSWERS = {
    "age_band": "35_44",
    "sex": "female",
    "gender_same_as_at_birth": "yes",
    "ethnicity": "white",
    "religion": "buddhist",
    "disability": "no",
}


def _case(personas: Personas, state: State = State.ASSESSING) -> BuiltCase:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=state,
        crime_reference="CR/7731/26",
    )
    case_services.add_case_note(case=built.case, actor=personas.coordinator, text="Ann said she feels safer now.")
    return built


def test_every_model_with_personal_data_is_erased_with_a_case_or_says_why_not() -> None:
    covered = {model._meta.label for model in erasure.case_paths()}
    for model in erasure.encrypted_models():
        assert model._meta.label in covered | erasure.NOT_WITH_A_CASE, model._meta.label


def test_anonymising_a_case_blanks_its_records_and_people_and_keeps_every_row(personas: Personas) -> None:
    built = _case(personas, State.CLOSED)
    people_services.record_equality(
        person=built.harmed.person, actor=personas.coordinator, case=built.case, answers=ANSWERS
    )
    keys = EqualityMonitoring.objects.get(person=built.harmed.person).keys
    rows = (CaseNote.objects.count(), TimelineEntry.objects.count(), ContactLogEntry.objects.count())

    erasure.anonymise_case(case=built.case, actor=None)

    built.case.refresh_from_db()
    assert built.case.anonymised_at is not None
    assert (CaseNote.objects.count(), TimelineEntry.objects.count(), ContactLogEntry.objects.count()) == rows
    assert set(CaseNote.objects.filter(case=built.case).values_list("text", flat=True)) == {""}
    referral = Referral.objects.get(case=built.case)
    assert (referral.crime_reference, referral.anonymised_at is not None) == ("", True)
    harmed = Person.objects.get(pk=built.harmed.person_id)
    assert (harmed.given_name, harmed.family_name, harmed.date_of_birth, harmed.match_key) == ("", "", None, "")
    assert harmed.full_name == "Personal details erased"
    equality = EqualityMonitoring.objects.get(person=harmed)
    # The answers go; the blind-index keys the figures count stay.
    assert (equality.religion, equality.ethnicity, equality.keys) == ("", "", keys)


def test_a_person_in_something_that_keeps_their_data_is_not_anonymised(personas: Personas) -> None:
    built = _case(personas, State.CLOSED)
    live = make_referral(service=personas.service, actor=personas.coordinator)
    # The person harmed is named again in a referral still being triaged.
    ReferredPerson.objects.create(referral=live, person=built.harmed.person, role="supporter")

    erasure.anonymise_case(case=built.case, actor=None)

    assert Person.objects.get(pk=built.harmed.person_id).given_name == "Ann"
    assert Person.objects.get(pk=built.responsible.person_id).given_name == ""


def test_a_legal_hold_stops_erasure(personas: Personas) -> None:
    built = _case(personas, State.CLOSED)
    LegalHold.objects.create(case=built.case, reason="Civil claim expected", placed_by=personas.coordinator)
    with pytest.raises(DomainError, match="legal hold"):
        erasure.anonymise_case(case=built.case, actor=None)
    with pytest.raises(DomainError, match="legal hold"):
        erasure.erase_person(person=built.harmed.person, actor=None)
    built.case.refresh_from_db()
    assert built.case.anonymised_at is None


def test_erasure_waits_for_a_referral_still_awaiting_triage_which_is_never_triaged_once_erased(
    personas: Personas,
) -> None:
    referral = make_referral(service=personas.service, actor=personas.coordinator, crime_reference="CR/2/26")
    responsible = referral.people.get(role="person_responsible").person
    with pytest.raises(DomainError, match="awaiting triage"):
        erasure.erase_person(person=responsible, actor=personas.coordinator)
    referral.refresh_from_db()
    assert (referral.crime_reference, referral.anonymised_at) == ("CR/2/26", None)
    assert Person.objects.get(pk=responsible.pk).given_name == "Rob"

    referral_services.decline_referral(referral=referral, actor=personas.coordinator, reason="Out of area")
    erasure.erase_person(person=responsible, actor=personas.coordinator)
    assert Person.objects.get(pk=responsible.pk).anonymised_at is not None

    # A referral erased before this rule (or by retention) stays out of triage.
    other = make_referral(service=personas.service, actor=personas.coordinator)
    Referral.objects.filter(pk=other.pk).update(anonymised_at=timezone.now())
    with pytest.raises(DomainError, match="erased"):
        referral_services.accept_referral(referral=other, actor=personas.coordinator, reason="Suitable")
    assert Referral.objects.get(pk=other.pk).case_id is None


def test_a_referral_not_taken_on_keeps_only_age_group_gender_and_ethnicity(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.coordinator, crime_reference="CR/1/26")
    referral_services.decline_referral(referral=referral, actor=personas.coordinator, reason="Out of area")
    person = referral.people.get(role="person_harmed").person
    EqualityMonitoring(person=person, recorded_by=personas.coordinator, **ANSWERS).save()

    erasure.anonymise_referral(referral=referral, actor=None)

    equality = EqualityMonitoring.objects.get(person=person)
    assert (equality.age_band, equality.sex, equality.gender_same_as_at_birth, equality.ethnicity) == (
        "35_44",
        "female",
        "yes",
        "white",
    )
    assert (equality.religion, equality.disability) == ("", "")
    assert set(equality.keys) == set(erasure.MINIMAL_EQUALITY)
    referral.refresh_from_db()
    assert (referral.summary, referral.crime_reference) == ("", "")
    person.refresh_from_db()
    assert person.given_name == ""
    assert person.anonymised_at is not None


def test_erasing_one_person_leaves_the_other_party_and_the_case(personas: Personas) -> None:
    built = _case(personas)
    add_identifying_detail(
        participant=built.harmed, actor=personas.facilitator, kind="school", value="Severn Vale Primary"
    )
    for participant, summary in ((built.harmed, "Ann is frightened at night"), (built.responsible, "Rob is sorry")):
        people_services.log_contact(
            participant=participant,
            actor=personas.facilitator,
            occurred_at=timezone.now(),
            channel=ContactChannel.PHONE,
            outcome=ContactOutcome.SPOKE,
            summary=summary,
        )
    erasure.erase_person(person=built.harmed.person, actor=personas.coordinator)

    assert not IdentifyingDetail.objects.filter(person=built.harmed.person).exists()
    # Their contacts are blanked; the other party's stay as they were.
    assert set(ContactLogEntry.objects.filter(participant=built.harmed).values_list("summary", flat=True)) == {""}
    assert "Rob is sorry" in ContactLogEntry.objects.filter(participant=built.responsible).values_list(
        "summary", flat=True
    )
    responsible = Person.objects.get(pk=built.responsible.person_id)
    assert responsible.given_name == "Rob"
    built.case.refresh_from_db()
    assert built.case.anonymised_at is None
    assert built.case.participants.count() == 2


def test_erasing_a_person_keeps_the_disclosure_log_entry_but_not_what_was_shared(personas: Personas) -> None:
    built = _case(personas)
    shared = disclose(built.case, personas.coordinator, what="Ann's statement about the night of the burglary.")
    erasure.erase_person(person=built.harmed.person, actor=personas.coordinator)
    kept = Disclosure.objects.get(pk=shared.pk)
    assert (kept.what, kept.necessity) == ("", "")
    assert (kept.recipient, kept.basis, kept.shared_on) == (shared.recipient, shared.basis, shared.shared_on)
    shown = {row["key"]: row["value"] for row in sharing_presenters.detail_rows(kept, can_view_case=True)}
    assert (shown["Whose information"], shown["What was shared"]) == ("Erased", "Erased")


def test_erased_values_stay_ciphertext_in_the_database(personas: Personas) -> None:
    built = _case(personas, State.CLOSED)
    erasure.anonymise_case(case=built.case, actor=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name FROM people_person WHERE id = %s", [built.harmed.person_id])
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAAA")


def test_erasing_one_person_scrubs_them_from_what_else_the_case_holds(personas: Personas) -> None:
    built = _case(personas)
    harmed = Person.objects.get(pk=built.harmed.person_id)
    people_services.update_person(
        person=harmed,
        actor=personas.facilitator,
        case=built.case,
        details={"family_name": "Quennell", "phone": "07700 900111"},
        expected_version=None,
    )
    add_identifying_detail(
        participant=built.harmed, actor=personas.facilitator, kind="school", value="Severn Vale Primary"
    )
    case_services.add_case_note(
        case=built.case,
        actor=personas.facilitator,
        text="Ann Quennell (07700 900111) walks past Severn Vale Primary; Rob agreed to keep away.",
    )
    people_services.log_contact(
        participant=built.responsible,
        actor=personas.facilitator,
        occurred_at=timezone.now(),
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.SPOKE,
        summary="Rob asked whether Ann is still frightened",
    )
    # Family share a name: the other person's own name stays; their notes are scrubbed.
    people_services.update_person(
        person=Person.objects.get(pk=built.responsible.person_id),
        actor=personas.facilitator,
        case=built.case,
        details={"family_name": "Quennell", "safe_contact_notes": "Not when Ann Quennell is visiting"},
        expected_version=None,
    )
    erasure.erase_person(person=harmed, actor=personas.coordinator)

    assert sorted(CaseNote.objects.filter(case=built.case).values_list("text", flat=True)) == [
        "[erased] [erased] walks past [erased]; Rob agreed to keep away.",
        "[erased] said she feels safer now.",
    ]
    [summary] = ContactLogEntry.objects.filter(participant=built.responsible).values_list("summary", flat=True)
    assert summary == "Rob asked whether [erased] is still frightened"
    responsible = Person.objects.get(pk=built.responsible.person_id)
    assert (responsible.given_name, responsible.family_name) == ("Rob", "Quennell")
    assert responsible.safe_contact_notes == "Not when [erased] is visiting"
