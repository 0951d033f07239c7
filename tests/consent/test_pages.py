"""The pages recording information given, responsibility and consent, and withdrawing consent."""

import pytest
from django.utils import timezone

from amends.cases.models import State
from amends.consent.models import ConsentKind, ConsentMethod, ConsentScope, InformationItem, ResponsibilityLevel
from amends.people.models import Participant
from tests.case_builders import BuiltCase, build_case
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _case(personas: Personas, state: State = State.ASSESSING) -> BuiltCase:
    return build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
    )


def _url(participant: Participant, rest: str = "") -> str:
    return f"/cases/{participant.case_id}/participants/{participant.pk}/{rest}"


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def test_it_records_information_given(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    assert "the first four" in client.get(_url(built.responsible, "information/add/")).content.decode()
    data = {
        "items": [InformationItem.PROCESS, InformationItem.OUTCOMES],
        "given_on": _today(),
        "format": "leaflet",
        "language": "Welsh",
    }
    response = client.post(_url(built.responsible, "information/add/"), data)
    assert response.status_code == 302
    record = built.responsible.information_given.get()
    assert record.items == ["outcomes", "process"]
    assert record.language == "Welsh"


def test_it_records_responsibility_in_their_words(personas: Personas) -> None:
    built = _case(personas)
    data = {
        "basis": "admission",
        "level": ResponsibilityLevel.PARTIAL,
        "in_their_words": "I was there but I didn't start it.",
        "recorded_on": _today(),
    }
    response = signed_in_client(personas.facilitator).post(_url(built.responsible, "responsibility/add/"), data)
    assert response.status_code == 302
    assert built.responsible.responsibility_records.get().in_their_words == "I was there but I didn't start it."


def test_it_records_responsibility_only_for_a_person_responsible(personas: Personas) -> None:
    built = _case(personas)
    assert signed_in_client(personas.facilitator).get(_url(built.harmed, "responsibility/add/")).status_code == 404


def test_it_records_written_consent(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    assert "can be withdrawn at any time" in client.get(_url(built.harmed, "consent/give/")).content.decode()
    data = {
        "scopes": [ConsentScope.TAKE_PART, ConsentScope.SHARE_INFORMATION],
        "process_kinds": ["face_to_face"],
        "share_with": "Victim Support",
        "method": ConsentMethod.WRITTEN,
        "evidence": "Signed form in the case file",
        "occurred_on": _today(),
        "occurred_time": "00:01",
    }
    response = client.post(_url(built.harmed, "consent/give/"), data)
    assert response.status_code == 302
    record = built.harmed.consent_records.get()
    assert record.kind == ConsentKind.GIVEN
    assert record.share_with == "Victim Support"
    assert "Withdraw consent" in client.get(_url(built.harmed)).content.decode()


def test_it_keeps_what_was_typed_when_verbal_consent_has_no_witness(personas: Personas) -> None:
    built = _case(personas)
    data = {
        "scopes": [ConsentScope.TAKE_PART],
        "process_kinds": ["face_to_face"],
        "method": ConsentMethod.VERBAL,
        "evidence": "Phone note of 12 May",
        "occurred_on": _today(),
        "occurred_time": "00:01",
    }
    response = signed_in_client(personas.facilitator).post(_url(built.harmed, "consent/give/"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Verbal consent needs a witness" in page
    assert 'value="Phone note of 12 May"' in page
    assert not built.harmed.consent_records.exists()


def test_it_sends_a_preparing_case_back_to_assessing_when_consent_is_withdrawn(personas: Personas) -> None:
    built = _case(personas, State.PREPARING)
    client = signed_in_client(personas.facilitator)
    page = client.get(_url(built.harmed, "consent/withdraw/")).content.decode()
    assert "No reason is needed" in page
    response = client.post(_url(built.harmed, "consent/withdraw/"), {"reason": ""}, follow=True)
    built.case.refresh_from_db()
    assert built.case.state == State.ASSESSING
    assert built.harmed.consent_records.first().kind == ConsentKind.WITHDRAWN
    assert "The case has gone back to assessing" in response.content.decode()
    assert "Withdraw consent" not in response.content.decode()


def test_it_says_when_there_is_no_consent_to_withdraw(personas: Personas) -> None:
    built = _case(personas)
    response = signed_in_client(personas.facilitator).post(_url(built.harmed, "consent/withdraw/"), {})
    assert response.status_code == 200
    assert "There is no consent to withdraw." in response.content.decode()
