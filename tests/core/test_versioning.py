"""No lost updates: of two people editing from the same version, the second is refused and the first's values stay."""

import pytest
from django.utils import timezone

from amends.cases import services as case_services
from amends.cases.models import Case, ProcessKind, State
from amends.core.errors import DomainError
from amends.people import services as people_services
from amends.people.models import Person
from amends.referrals import services as referral_services
from amends.referrals.models import Referral
from tests.case_builders import make_referral
from tests.cases.test_workflow import case_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db

STALE = "Someone else changed this record after you opened it"


def test_it_refuses_the_second_of_two_edits_to_a_person(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    first = Person.objects.get(pk=built.harmed.person_id)
    second = Person.objects.get(pk=built.harmed.person_id)
    assert first.version == second.version

    people_services.update_person(
        person=first,
        actor=personas.facilitator,
        case=built.case,
        details={"phone": "07700 900001"},
        expected_version=first.version,
    )
    with pytest.raises(DomainError, match=STALE) as caught:
        people_services.update_person(
            person=second,
            actor=personas.coordinator,
            case=built.case,
            details={"phone": "07700 900002"},
            expected_version=second.version,
        )

    assert caught.value.field == "version"
    stored = Person.objects.get(pk=first.pk)
    assert stored.phone == "07700 900001"
    assert stored.version == second.version + 1


def test_it_refuses_the_second_of_two_edits_to_a_case(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    first = Case.objects.get(pk=built.case.pk)
    second = Case.objects.get(pk=built.case.pk)

    case_services.update_case_details(
        case=first,
        actor=personas.facilitator,
        details={"process_kind": ProcessKind.LETTERS},
        expected_version=first.version,
    )
    with pytest.raises(DomainError, match=STALE) as caught:
        case_services.update_case_details(
            case=second,
            actor=personas.coordinator,
            details={"process_kind": ProcessKind.CIRCLE},
            expected_version=second.version,
        )

    assert caught.value.field == "version"
    assert Case.objects.get(pk=first.pk).process_kind == ProcessKind.LETTERS


def test_it_refuses_the_second_of_two_edits_to_a_referral(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.coordinator)
    first = Referral.objects.get(pk=referral.pk)
    second = Referral.objects.get(pk=referral.pk)

    referral_services.update_referral(
        referral=first, actor=personas.coordinator, details={"summary": "First"}, expected_version=first.version
    )
    with pytest.raises(DomainError, match=STALE) as caught:
        referral_services.update_referral(
            referral=second, actor=personas.coordinator, details={"summary": "Second"}, expected_version=second.version
        )

    assert caught.value.field == "version"
    assert Referral.objects.get(pk=referral.pk).summary == "First"


def test_it_refuses_to_triage_from_a_stale_version(personas: Personas) -> None:
    referral = make_referral(service=personas.service, actor=personas.coordinator)
    version = referral.version
    referral_services.update_referral(
        referral=referral, actor=personas.coordinator, details={"summary": "Corrected"}, expected_version=version
    )

    with pytest.raises(DomainError, match=STALE):
        referral_services.accept_referral(
            referral=referral, actor=personas.coordinator, reason="In scope", expected_version=version
        )
    assert not personas.service.cases.exists()


def test_it_refuses_to_allocate_from_a_stale_version(personas: Personas) -> None:
    built = case_in(personas, State.ALLOCATED)
    version = built.case.version
    case_services.update_case_details(
        case=built.case,
        actor=personas.coordinator,
        details={"deferment_order_on": timezone.localdate()},
        expected_version=version,
    )

    with pytest.raises(DomainError, match=STALE):
        case_services.allocate_case(
            case=built.case,
            actor=personas.coordinator,
            lead=personas.facilitator,
            expected_version=version,
        )


def test_it_moves_the_version_on_with_each_save(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    version = Case.objects.get(pk=built.case.pk).version

    case = case_services.update_case_details(
        case=built.case, actor=personas.facilitator, details={"pre_sentence": True}, expected_version=version
    )

    assert case.version == version + 1
    assert Case.objects.get(pk=built.case.pk).version == version + 1
