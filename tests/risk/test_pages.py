"""The pages for risk assessments, their sign-off, and new risk information."""

import datetime

import pytest
from django.utils import timezone

from amends.cases.models import State
from amends.people.models import Participant
from amends.risk import services as risk_services
from amends.risk.models import RiskAssessment, RiskInformationKind, RiskOutcome, SignOffDecision
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


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _conditional_assessment(built: BuiltCase, personas: Personas) -> RiskAssessment:
    return risk_services.record_risk_assessment(
        participant=built.harmed,
        actor=personas.facilitator,
        factors={"intimidation": "medium"},
        narrative="Worried about meeting face to face.",
        conditions=["separate_arrival"],
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        review_on=timezone.localdate() + datetime.timedelta(days=30),
    )


def test_it_records_a_risk_assessment_with_every_factor_rated(personas: Personas) -> None:
    built = _case(personas)
    client = signed_in_client(personas.facilitator)
    valid_days = personas.service.risk_assessment_valid_days
    page = client.get(_url(built.harmed, "risk/add/")).content.decode()
    assert _day(timezone.localdate() + datetime.timedelta(days=valid_days)) in page
    data = {f"factor_{name}": "none" for name in ("accountability", "emotional_harm", "physical_harm")}
    data.update(
        {
            "factor_intimidation": "high",
            "narrative": "High risk of intimidation from the family.",
            "outcome": RiskOutcome.NOT_SUITABLE_NOW,
            "review_on": _day(timezone.localdate() + datetime.timedelta(days=14)),
            "assessed_on": _day(timezone.localdate()),
        }
    )
    response = client.post(_url(built.harmed, "risk/add/"), data)
    assert response.status_code == 302
    assessment = built.harmed.risk_assessments.get()
    assert assessment.factors["intimidation"] == "high"
    assert assessment.outcome == RiskOutcome.NOT_SUITABLE_NOW


def test_it_refuses_conditions_on_a_plain_suitable_outcome_and_keeps_the_narrative(personas: Personas) -> None:
    built = _case(personas)
    data = {
        "narrative": "Fine to go ahead.",
        "conditions": ["neutral_venue"],
        "outcome": RiskOutcome.SUITABLE,
        "review_on": _day(timezone.localdate() + datetime.timedelta(days=14)),
        "assessed_on": _day(timezone.localdate()),
    }
    response = signed_in_client(personas.facilitator).post(_url(built.harmed, "risk/add/"), data)
    assert response.status_code == 200
    assert "Fine to go ahead." in response.content.decode()
    assert not built.harmed.risk_assessments.exists()


def test_it_lets_a_coordinator_sign_off_a_conditional_assessment(personas: Personas) -> None:
    built = _case(personas)
    assessment = _conditional_assessment(built, personas)
    client = signed_in_client(personas.coordinator)
    assert "Sign off" in client.get(_url(built.harmed)).content.decode()
    url = f"/cases/{built.case.pk}/risk/{assessment.pk}/sign-off/"
    assert "Worried about meeting face to face." in client.get(url).content.decode()
    refused = client.post(url, {"decision": SignOffDecision.NOT_APPROVED, "note": ""})
    assert refused.status_code == 200
    assert "Say why it is not approved." in refused.content.decode()
    response = client.post(url, {"decision": SignOffDecision.APPROVED, "note": "Agreed."})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.sign_off_decision == SignOffDecision.APPROVED
    assert assessment.signed_off_by == personas.coordinator


def test_it_does_not_offer_sign_off_to_a_facilitator(personas: Personas) -> None:
    built = _case(personas)
    _conditional_assessment(built, personas)
    assert "Sign off" not in signed_in_client(personas.facilitator).get(_url(built.harmed)).content.decode()


def test_it_sends_the_case_back_to_assessing_on_a_safeguarding_concern(personas: Personas) -> None:
    built = _case(personas, State.PREPARING)
    client = signed_in_client(personas.facilitator)
    url = f"/cases/{built.case.pk}/risk-information/add/"
    assert "moves the case back to assessing at once" in client.get(url).content.decode()
    data = {
        "kind": RiskInformationKind.SAFEGUARDING,
        "participant": str(built.harmed.pk),
        "details": "Disclosed a threat from a relative.",
        "referred_to": "Local authority safeguarding team",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{built.case.pk}/"
    built.case.refresh_from_db()
    assert built.case.state == State.ASSESSING
    information = built.case.risk_information.get()
    assert information.participant == built.harmed
    # The harmed person's assessment (made for the preparing gate) is now out of date.
    assert "Out of date" in client.get(_url(built.harmed)).content.decode()


def test_it_records_risk_information_about_everyone(personas: Personas) -> None:
    built = _case(personas)
    data = {"kind": RiskInformationKind.NEW_INFORMATION, "participant": "everyone", "details": "Police update."}
    response = signed_in_client(personas.facilitator).post(f"/cases/{built.case.pk}/risk-information/add/", data)
    assert response.status_code == 302
    assert built.case.risk_information.get().participant is None
