"""The meetings API answers a refusal of the gates with 409 and what is missing, and writes nothing."""

import pytest

from amends.cases.models import State
from amends.risk import services as risk_services
from amends.risk.models import RiskInformationKind
from tests.case_builders import build_case, day_at, make_venue
from tests.personas import Personas
from tests.test_api_cases import SessionClient

pytestmark = pytest.mark.django_db


def test_booking_answers_what_the_gates_miss_and_keeps_nothing(personas: Personas) -> None:
    built = build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.PREPARING,
    )
    venue = make_venue(personas.service, personas.coordinator)
    risk_services.record_risk_information(
        case=built.case,
        actor=personas.facilitator,
        kind=RiskInformationKind.NEW_INFORMATION,
        details="A new report.",
        participant=built.responsible,
    )
    client = SessionClient(personas.facilitator)
    body = {
        "purpose": "restorative",
        "starts_at": day_at(10).isoformat(),
        "duration_minutes": 90,
        "attendee_ids": [built.harmed.pk, built.responsible.pk],
        "venue_id": venue.pk,
    }
    refused = client.post(f"/cases/{built.case.pk}/meetings", body)
    assert refused.status_code == 409
    assert [item["guard"] for item in refused.json()["missing"]] == ["risk_assessed_safe"]
    assert client.get(f"/cases/{built.case.pk}/meetings").json() == []
