"""A closed case keeps its record as it was closed: nothing the gates rest on changes until it is reopened."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from amends.cases import services as case_services
from amends.cases.models import ClosureReason, ProcessKind, State
from amends.consent import services as consent_services
from amends.consent.models import (
    ConsentMethod,
    ConsentScope,
    InformationFormat,
    InformationItem,
    ResponsibilityBasis,
    ResponsibilityLevel,
)
from amends.core.errors import DomainError
from amends.risk import services as risk_services
from amends.risk.models import RiskAssessment, RiskCondition, RiskOutcome, SignOffDecision
from tests.case_builders import BuiltCase, build_case
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _closed(personas: Personas) -> BuiltCase:
    return build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=State.CLOSED,
    )


WRITES: dict[str, Callable[[Personas, BuiltCase], Any]] = {
    "information given": lambda p, built: consent_services.record_information_given(
        participant=built.harmed,
        actor=p.facilitator,
        items=list(InformationItem),
        given_on=timezone.localdate(),
        format=InformationFormat.IN_PERSON,
    ),
    "responsibility": lambda p, built: consent_services.record_responsibility(
        participant=built.responsible,
        actor=p.facilitator,
        basis=ResponsibilityBasis.ADMISSION,
        level=ResponsibilityLevel.FULL,
        in_their_words="I did it.",
        recorded_on=timezone.localdate(),
    ),
    "consent": lambda p, built: consent_services.give_consent(
        participant=built.harmed,
        actor=p.facilitator,
        scopes=[ConsentScope.TAKE_PART],
        process_kinds=[ProcessKind.FACE_TO_FACE],
        method=ConsentMethod.WRITTEN,
        evidence="Signed form",
        occurred_at=timezone.now() - datetime.timedelta(minutes=1),
    ),
    "risk assessment": lambda p, built: risk_services.record_risk_assessment(
        participant=built.harmed,
        actor=p.facilitator,
        factors={},
        narrative="No concerns.",
        conditions=[],
        outcome=RiskOutcome.SUITABLE,
        review_on=timezone.localdate() + datetime.timedelta(days=30),
    ),
    "conflict declaration": lambda p, built: case_services.declare_conflict(
        case=built.case, actor=p.facilitator, has_conflict=False
    ),
    "case details": lambda p, built: case_services.update_case_details(
        case=built.case, actor=p.facilitator, details={"process_kind": ProcessKind.LETTERS}, expected_version=None
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_it_refuses_to_change_what_the_gates_rest_on_once_the_case_is_closed(personas: Personas, write: str) -> None:
    built = _closed(personas)
    with pytest.raises(DomainError, match=r"This case is closed\."):
        WRITES[write](personas, built)


def test_it_accepts_the_same_records_again_once_the_case_is_reopened(personas: Personas) -> None:
    built = _closed(personas)
    case_services.transition_case(
        case=built.case, actor=personas.coordinator, name="reopen", reason="They asked to try again."
    )
    built.harmed.refresh_from_db()
    built.case.refresh_from_db()
    for write in WRITES.values():
        write(personas, built)


def test_it_refuses_to_sign_off_an_assessment_once_the_case_is_closed(personas: Personas) -> None:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    assessment = risk_services.record_risk_assessment(
        participant=built.harmed,
        actor=personas.facilitator,
        factors={},
        narrative="Suitable if they arrive separately.",
        conditions=[RiskCondition.SEPARATE_ARRIVAL],
        outcome=RiskOutcome.SUITABLE_WITH_CONDITIONS,
        review_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    case = case_services.transition_case(
        case=built.case, actor=personas.coordinator, name="close", closure_reason=ClosureReason.HARMED_DECLINED
    )
    assert case.state == State.CLOSED
    assessment = RiskAssessment.objects.get(pk=assessment.pk)

    with pytest.raises(DomainError, match=r"This case is closed\."):
        risk_services.sign_off_risk_assessment(
            assessment=assessment, actor=personas.coordinator, decision=SignOffDecision.APPROVED
        )
    assessment.refresh_from_db()
    assert assessment.sign_off_decision == ""


def test_the_case_page_of_a_closed_case_offers_a_note_and_reopening_but_no_changes(personas: Personas) -> None:
    built = _closed(personas)
    page = signed_in_client(personas.coordinator).get(f"/cases/{built.case.pk}/").content.decode()
    assert f'href="/cases/{built.case.pk}/notes/add/"' in page
    assert f'href="/cases/{built.case.pk}/steps/reopen/"' in page
    for change in ("details/", "conflict/", "allocate/", "participants/add/"):
        assert f'href="/cases/{built.case.pk}/{change}"' not in page


def test_the_participant_page_of_a_closed_case_offers_a_contact_but_no_changes(personas: Personas) -> None:
    built = _closed(personas)
    base = f"/cases/{built.case.pk}/participants/{built.harmed.pk}/"
    page = signed_in_client(personas.facilitator).get(base).content.decode()
    assert "Log a contact" in page
    for change in ("Record consent", "Record a risk assessment", "Record information given", "Change their details"):
        assert change not in page
    open_case = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    open_page = signed_in_client(personas.facilitator).get(
        f"/cases/{open_case.case.pk}/participants/{open_case.harmed.pk}/"
    )
    assert "Record consent" in open_page.content.decode()
