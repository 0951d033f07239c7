"""The outcome agreement printed for each participant: in their language, naming the other party only by their part."""

import pytest

from amends.cases.models import State
from amends.outcomes import printing, selectors
from amends.people import services as people_services
from amends.people.models import Language, Participant
from tests.case_builders import BuiltCase, agree_outcome, build_case
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _agreed(personas: Personas) -> BuiltCase:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.IN_PROCESS,
    )
    agree_outcome(built.case, personas.facilitator)
    return built


def _speaks(personas: Personas, built: BuiltCase, participant: Participant, language: Language) -> Participant:
    people_services.update_person(
        person=participant.person,
        actor=personas.facilitator,
        case=built.case,
        details={"correspondence_language": language},
        expected_version=None,
    )
    return Participant.objects.select_related("person", "case__service").get(pk=participant.pk)


def _document(built: BuiltCase, reader: Participant) -> str:
    page = selectors.agreement_page(built.case)
    assert page.agreement is not None
    return printing.agreement_document(page.agreement, page.actions, page.agreements, reader)


def test_the_person_harmeds_copy_never_names_the_person_responsible(personas: Personas) -> None:
    built = _agreed(personas)
    harmed = _speaks(personas, built, built.harmed, Language.ENGLISH)
    document = _document(built, harmed)
    assert "Outcome agreement" in document
    assert "The person responsible" in document
    assert built.case.reference in document
    for detail in (built.responsible.person.full_name, built.responsible.person.family_name):
        assert detail not in document
    assert "Cytundeb" not in document


def test_it_is_printed_in_welsh_or_in_both_languages(personas: Personas) -> None:
    built = _agreed(personas)
    welsh = _document(built, _speaks(personas, built, built.responsible, Language.WELSH))
    assert 'lang="cy"' in welsh
    assert "Outcome agreement" not in welsh
    both = _document(built, _speaks(personas, built, built.harmed, Language.BOTH))
    assert both.count("<section>") == 2
    assert "Outcome agreement" in both


def test_the_case_team_downloads_each_copy_as_a_pdf(personas: Personas) -> None:
    built = _agreed(personas)
    client = signed_in_client(personas.facilitator)
    page = client.get(f"/cases/{built.case.pk}/agreement/").content.decode()
    url = f"/cases/{built.case.pk}/agreement/print/{built.harmed.pk}/"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert built.harmed.person.family_name not in response["Content-Disposition"]


def test_there_is_nothing_to_print_before_the_agreement(personas: Personas) -> None:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.IN_PROCESS,
    )
    client = signed_in_client(personas.facilitator)
    assert client.get(f"/cases/{built.case.pk}/agreement/print/{built.harmed.pk}/").status_code == 404
