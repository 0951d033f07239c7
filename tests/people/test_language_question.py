"""A service under the Welsh Language Standards asks the language question at first contact and records the answer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from amends.cases.models import State
from amends.core.errors import DomainError
from amends.people.models import ContactChannel, ContactOutcome, Participant
from amends.people.services import log_contact, needs_language_question
from tests.case_builders import build_case
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def unasked(personas: Personas) -> Participant:
    """The person responsible in a case of a service under the Standards, never asked their language."""
    personas.service.welsh_language_standards = True
    personas.service.save()
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.CONTACTING,
    )
    person = built.responsible.person
    person.correspondence_language = ""
    person.language_asked_on = None
    person.save()
    built.responsible.refresh_from_db()
    return built.responsible


def _log(participant: Participant, actor: object, outcome: str = ContactOutcome.SPOKE, **extra: object) -> None:
    log_contact(
        participant=participant,
        actor=actor,  # type: ignore[arg-type]
        occurred_at=timezone.now() - datetime.timedelta(minutes=1),
        channel=ContactChannel.PHONE,
        outcome=outcome,
        **extra,  # type: ignore[arg-type]
    )


def test_reaching_someone_unasked_needs_their_answer(unasked: Participant, personas: Personas) -> None:
    assert needs_language_question(unasked)
    with pytest.raises(DomainError, match="Welsh Language Standards"):
        _log(unasked, personas.facilitator)
    assert not unasked.contacts.exists()


def test_a_failed_attempt_does_not_need_it(unasked: Participant, personas: Personas) -> None:
    _log(unasked, personas.facilitator, outcome=ContactOutcome.NO_ANSWER)
    assert unasked.contacts.count() == 1


def test_the_answer_is_recorded_with_the_day_asked(unasked: Participant, personas: Personas) -> None:
    _log(unasked, personas.facilitator, language="cy")
    unasked.person.refresh_from_db()
    assert unasked.person.correspondence_language == "cy"
    assert unasked.person.language_asked_on == timezone.localdate()
    assert not needs_language_question(unasked)
    _log(unasked, personas.facilitator)  # asked once is enough


def test_a_service_not_under_the_standards_does_not_ask(unasked: Participant, personas: Personas) -> None:
    personas.service.welsh_language_standards = False
    personas.service.save()
    unasked.case.service.refresh_from_db()
    assert not needs_language_question(unasked)
    _log(unasked, personas.facilitator)


def test_the_contact_form_asks_and_keeps_what_was_typed(unasked: Participant, personas: Personas) -> None:
    client = signed_in_client(personas.facilitator)
    url = reverse("contact_add", kwargs={"case_id": unasked.case_id, "participant_id": unasked.pk})
    assert "Which language do they want us to use?" in client.get(url).content.decode()
    now = timezone.localtime()
    data = {
        "occurred_on": now.strftime("%d/%m/%Y"),
        "occurred_time": (now - datetime.timedelta(minutes=2)).strftime("%H:%M"),
        "channel": ContactChannel.PHONE,
        "direction": "outgoing",
        "outcome": ContactOutcome.SPOKE,
        "summary": "Talked about the process",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Welsh Language Standards" in refused.content.decode()
    assert "Talked about the process" in refused.content.decode()
    client.post(url, {**data, "language": "both"})
    unasked.person.refresh_from_db()
    assert unasked.person.correspondence_language == "both"
