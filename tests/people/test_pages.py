"""The participant page and the forms for a person's details, equality monitoring and contact log."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import ProcessKind
from amends.consent import services as consent_services
from amends.consent.models import (
    ConsentMethod,
    ConsentScope,
    InformationFormat,
    InformationItem,
    ResponsibilityBasis,
    ResponsibilityLevel,
)
from amends.people import services as people_services
from amends.people.models import ContactChannel, ContactOutcome, Participant, ParticipantRole
from amends.risk import services as risk_services
from amends.risk.models import RiskOutcome
from tests.case_builders import BuiltCase, build_case
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _case(personas: Personas) -> BuiltCase:
    return build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)


def _url(participant: Participant, rest: str = "") -> str:
    return f"/cases/{participant.case_id}/participants/{participant.pk}/{rest}"


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def test_it_adds_a_supporter_beside_the_person_harmed(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    data = {
        "role": ParticipantRole.SUPPORTER,
        "supports": str(built.harmed.pk),
        "takes_part": "on",
        "given_name": "Sue",
        "family_name": "Porter",
        "date_of_birth": "01/02/1970",
        "no_voicemail": "on",
        "correspondence_language": "cy",
        "access_needs": ["large_print"],
    }
    response = client.post(f"/cases/{built.case.pk}/participants/add/", data)
    supporter = built.case.participants.get(role=ParticipantRole.SUPPORTER)
    assert response.status_code == 302
    assert response["Location"] == _url(supporter)
    assert supporter.supports == built.harmed
    assert supporter.person.no_voicemail is True
    assert supporter.person.access_needs == ["large_print"]


def test_it_asks_whom_a_supporter_supports_and_keeps_what_was_typed(personas: Personas) -> None:
    built = _case(personas)
    response = signed_in_client(personas.facilitator).post(
        f"/cases/{built.case.pk}/participants/add/",
        {"role": ParticipantRole.SUPPORTER, "given_name": "Sue", "family_name": "Porter", "takes_part": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose whom they support." in page
    assert 'value="Porter"' in page
    assert not built.case.participants.filter(role=ParticipantRole.SUPPORTER).exists()


def test_it_shows_safe_contact_arrangements_and_audits_the_view(personas: Personas) -> None:
    built = _case(personas)
    people_services.update_person(
        person=built.harmed.person,
        actor=personas.facilitator,
        case=built.case,
        details={"no_voicemail": True, "safe_times": "Weekdays after 6pm"},
        expected_version=None,
    )
    response = signed_in_client(personas.coordinator).get(_url(built.harmed))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Do not leave voicemail" in page
    assert "Weekdays after 6pm" in page
    assert "Equality monitoring" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.RECORD_VIEWED, actor=personas.coordinator, target_id=str(built.harmed.pk)
    ).exists()


def test_it_saves_a_persons_details(personas: Personas) -> None:
    built = _case(personas)
    person = built.harmed.person
    client = signed_in_client(personas.facilitator)
    assert f'value="{person.version}"' in client.get(_url(built.harmed, "edit/")).content.decode()
    data = {"given_name": "Anne", "family_name": "Harmed", "phone": "07700 900000", "version": person.version}
    response = client.post(_url(built.harmed, "edit/"), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.given_name == "Anne"
    assert person.phone == "07700 900000"


def test_it_refuses_a_stale_edit_and_keeps_what_was_typed(personas: Personas) -> None:
    built = _case(personas)
    person = built.harmed.person
    opened_version = person.version
    people_services.update_person(
        person=person,
        actor=personas.coordinator,
        case=built.case,
        details={"phone": "01000 000000"},
        expected_version=opened_version,
    )
    data = {"given_name": "Annie", "family_name": "Harmed", "phone": "07700 900111", "version": opened_version}
    response = signed_in_client(personas.facilitator).post(_url(built.harmed, "edit/"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record after you opened it" in page
    assert 'value="Annie"' in page
    person.refresh_from_db()
    assert person.given_name == "Ann"
    assert person.phone == "01000 000000"


def test_it_records_equality_monitoring_and_keeps_it_off_the_participant_page(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    page = client.get(_url(built.harmed, "equality/")).content.decode()
    assert "Prefer not to say" in page
    assert "optional" in page
    response = client.post(_url(built.harmed, "equality/"), {"ethnicity": "mixed", "religion": "prefer_not_to_say"})
    assert response.status_code == 302
    monitoring = built.harmed.person.equality
    assert monitoring.ethnicity == "mixed"
    assert monitoring.religion == "prefer_not_to_say"
    assert monitoring.sex == ""
    assert "Mixed or multiple ethnic groups" not in client.get(_url(built.harmed)).content.decode()


def test_it_logs_a_contact(personas: Personas) -> None:
    built = _case(personas)
    data = {
        "occurred_on": _today(),
        "occurred_time": "00:01",
        "channel": ContactChannel.PHONE,
        "direction": "incoming",
        "outcome": ContactOutcome.SPOKE,
        "duration_minutes": "20",
        "summary": "Talked through the next steps.",
    }
    response = signed_in_client(personas.facilitator).post(_url(built.responsible, "contacts/add/"), data)
    assert response.status_code == 302
    entry = built.responsible.contacts.get()
    assert entry.outgoing is False
    assert entry.duration_minutes == 20
    assert entry.summary == "Talked through the next steps."


def _add_records(built: BuiltCase, personas: Personas) -> None:
    """One more record of each kind shown on the person responsible's page."""
    participant = built.responsible
    actor = personas.facilitator
    now = timezone.now()
    consent_services.record_information_given(
        participant=participant,
        actor=actor,
        items=list(InformationItem),
        given_on=timezone.localdate(),
        format=InformationFormat.LETTER,
    )
    consent_services.record_responsibility(
        participant=participant,
        actor=actor,
        basis=ResponsibilityBasis.ADMISSION,
        level=ResponsibilityLevel.FULL,
        in_their_words="It was me.",
        recorded_on=timezone.localdate(),
    )
    consent_services.give_consent(
        participant=participant,
        actor=actor,
        scopes=[ConsentScope.TAKE_PART],
        process_kinds=[ProcessKind.FACE_TO_FACE],
        method=ConsentMethod.VERBAL,
        witnessed_by="A colleague",
        occurred_at=timezone.now(),
    )
    consent_services.withdraw_consent(participant=participant, actor=actor)
    risk_services.record_risk_assessment(
        participant=participant,
        actor=actor,
        factors={"intimidation": "low"},
        narrative="Some worry about intimidation.",
        conditions=["neutral_venue"],
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        review_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    people_services.log_contact(
        participant=participant,
        actor=actor,
        occurred_at=now - datetime.timedelta(minutes=2),
        channel=ContactChannel.VISIT,
        outcome=ContactOutcome.SPOKE,
    )


def test_it_shows_the_participant_page_in_a_fixed_number_of_queries(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.coordinator)
    url = _url(built.responsible)
    _add_records(built, personas)
    client.get(url)  # Warm the session and caches.
    with CaptureQueriesContext(connection) as one_each:
        assert client.get(url).status_code == 200
    for _round in range(3):
        _add_records(built, personas)
    with CaptureQueriesContext(connection) as several_each:
        response = client.get(url)
    assert response.status_code == 200
    assert len(several_each) == len(one_each)
    page = response.content.decode()
    assert "It was me." in page
    assert "Version 4" in page
    assert "Sign off" in page


@pytest.mark.parametrize(
    ("rest", "date_field", "time_field"),
    [
        ("contacts/add/", "occurred_on", "occurred_time"),
        ("consent/give/", "occurred_on", "occurred_time"),
        ("information/add/", "given_on", None),
        ("responsibility/add/", "recorded_on", None),
    ],
)
def test_it_offers_today_and_the_time_now_on_a_new_record(
    personas: Personas, rest: str, date_field: str, time_field: str | None
) -> None:
    built = _case(personas)
    before = timezone.localtime()
    page = signed_in_client(personas.facilitator).get(_url(built.responsible, rest)).content.decode()
    after = timezone.localtime()

    def offered(name: str) -> str:
        found = re.search(rf'name="{name}" value="([^"]*)"', page)
        assert found, f"{name} is offered empty"
        return found.group(1)

    assert offered(date_field) in {before.strftime("%d/%m/%Y"), after.strftime("%d/%m/%Y")}
    if time_field:
        assert offered(time_field) in {before.strftime("%H:%M"), after.strftime("%H:%M")}
