"""A refusal always names what is missing: every step a gate stops answers with the same list (the gate, the person,
what is missing, and the page and API call that put it right), built by workflow.gate_refusal, on the page and as
JSON in the API."""

import html
from collections.abc import Callable

import pytest
from django.urls import reverse

from amends.cases import services as case_services
from amends.cases.models import Case, ProcessKind, State
from amends.cases.workflow import Gate, MissingGate, RefusedError
from amends.core.errors import DomainError
from amends.meetings import services as meeting_services
from amends.meetings.models import MeetingPurpose
from amends.relay.models import DeliveryMethod
from amends.risk import services as risk_services
from amends.risk.models import RiskInformationKind
from tests.case_builders import BuiltCase, book_conference, build_case, day_at, make_venue
from tests.conftest import signed_in_client
from tests.meetings.test_pages import _booking
from tests.personas import Personas
from tests.relay.conftest import letter_case, released_letter, step, write_letter
from tests.test_api_cases import SessionClient

pytestmark = pytest.mark.django_db

RESPONSIBLE = "Rob Responsible"


def _case(personas: Personas, state: State, process: ProcessKind = ProcessKind.FACE_TO_FACE) -> BuiltCase:
    return build_case(
        service=personas.service,
        coordinator=personas.coordinator,
        facilitator=personas.facilitator,
        state=state,
        process=process,
    )


def _make_risk_stale(personas: Personas, built: BuiltCase) -> None:
    """New risk information about the person responsible: their assessment no longer holds (the risk gate)."""
    risk_services.record_risk_information(
        case=Case.objects.get(pk=built.case.pk),
        actor=personas.facilitator,
        kind=RiskInformationKind.NEW_INFORMATION,
        details="He was seen near her street.",
        participant=built.responsible,
    )


def _risk_item(built: BuiltCase) -> MissingGate:
    """What every refused step must name for that: the gate, the person, and the page and endpoint that fix it."""
    case_id, participant_id = built.case.pk, built.responsible.pk
    return MissingGate(
        gate=Gate.RISK,
        person=f"{RESPONSIBLE} (Person responsible (offender))",
        missing=f"{RESPONSIBLE} (Person responsible (offender)): the risk assessment is out of date (new risk "
        "information, or its review is due).",
        fix_url=reverse("risk_assessment_add", kwargs={"case_id": case_id, "participant_id": participant_id}),
        fix_endpoint=f"POST /api/v1/cases/{case_id}/participants/{participant_id}/risk-assessments",
        guard="risk_assessed_safe",
        participant_id=participant_id,
    )


def _refusal(attempt: Callable[[], object]) -> RefusedError:
    with pytest.raises(RefusedError) as refused:
        attempt()
    return refused.value


def _book(personas: Personas, built: BuiltCase) -> object:
    case = Case.objects.get(pk=built.case.pk)
    return meeting_services.book_meeting(
        case=case,
        actor=personas.facilitator,
        purpose=MeetingPurpose.RESTORATIVE,
        starts_at=day_at(10),
        duration_minutes=90,
        attendees=[built.harmed, built.responsible],
        venue=make_venue(personas.service, personas.coordinator),
    )


def test_a_refused_booking_names_the_gate_the_person_and_the_fix(personas: Personas) -> None:
    built = _case(personas, State.PREPARING)
    _make_risk_stale(personas, built)

    refused = _refusal(lambda: _book(personas, built))

    assert refused.items == [_risk_item(built)]


def test_booking_before_the_case_is_prepared_names_the_gates_and_the_step_that_comes_first(
    personas: Personas,
) -> None:
    built = _case(personas, State.ASSESSING)

    refused = _refusal(lambda: _book(personas, built))

    gates = {item.gate for item in refused.items}
    assert {Gate.RESPONSIBILITY, Gate.CONSENT, Gate.RISK} <= gates
    assert any(item.person.startswith(RESPONSIBLE) and item.gate == Gate.RESPONSIBILITY for item in refused.items)
    last = refused.items[-1]
    assert last.guard == "case_prepared"
    assert last.fix_url == reverse("case_transition", kwargs={"case_id": built.case.pk, "name": "start_preparing"})
    assert last.fix_endpoint == f"POST /api/v1/cases/{built.case.pk}/transitions"


def test_a_refused_booking_page_lists_each_gate_and_person_linked_to_its_fix(personas: Personas) -> None:
    built = _case(personas, State.PREPARING)
    _make_risk_stale(personas, built)
    venue = make_venue(personas.service, personas.coordinator)
    client = signed_in_client(personas.facilitator)

    response = client.post(f"/cases/{built.case.pk}/meetings/book/", _booking(built, venue))

    page = html.unescape(response.content.decode())
    item = _risk_item(built)
    assert response.status_code == 200
    assert f'<a href="{item.fix_url}">{item.line}</a>' in page


def test_a_refused_booking_answers_the_api_with_the_structured_list(personas: Personas) -> None:
    built = _case(personas, State.PREPARING)
    _make_risk_stale(personas, built)
    venue = make_venue(personas.service, personas.coordinator)
    body = {
        "purpose": "restorative",
        "starts_at": day_at(10).isoformat(),
        "duration_minutes": 90,
        "attendee_ids": [built.harmed.pk, built.responsible.pk],
        "venue_id": venue.pk,
    }

    refused = SessionClient(personas.facilitator).post(f"/cases/{built.case.pk}/meetings", body)

    item = _risk_item(built)
    assert refused.status_code == 409
    answer = refused.json()
    assert answer["detail"].startswith("Booking the meeting is not possible yet.")
    [missing] = answer["missing"]
    assert missing["gate"] == "risk"
    assert missing["person"] == item.person
    assert missing["missing"] == item.missing
    assert missing["fix"] == {"page": item.fix_url, "api": item.fix_endpoint}


def test_mark_as_scheduled_before_the_case_is_prepared_names_what_is_missing(personas: Personas) -> None:
    built = _case(personas, State.ASSESSING)
    _make_risk_stale(personas, built)

    refused = _refusal(
        lambda: case_services.transition_case(case=built.case, actor=personas.facilitator, name="schedule")
    )

    assert any(item.gate == Gate.RISK and item.person.startswith(RESPONSIBLE) for item in refused.items)
    assert refused.items[-1].guard == "case_prepared"


def test_mark_as_scheduled_page_lists_what_is_missing_linked_to_its_fix(personas: Personas) -> None:
    built = _case(personas, State.ASSESSING)
    client = signed_in_client(personas.facilitator)

    response = client.post(f"/cases/{built.case.pk}/steps/schedule/", {"version": built.case.version})

    page = html.unescape(response.content.decode())
    start_preparing = reverse("case_transition", kwargs={"case_id": built.case.pk, "name": "start_preparing"})
    assert "This step is not possible yet" in page
    assert f'<a href="{start_preparing}">' in page
    assert RESPONSIBLE in page


def test_starting_the_process_names_the_gate_and_the_person(personas: Personas) -> None:
    built = _case(personas, State.PREPARING)
    book_conference(built.case, personas.facilitator)
    _make_risk_stale(personas, built)

    refused = _refusal(
        lambda: case_services.transition_case(
            case=Case.objects.get(pk=built.case.pk), actor=personas.facilitator, name="start_process"
        )
    )

    assert refused.items == [_risk_item(built)]


def test_releasing_a_message_names_the_gate_and_the_person(personas: Personas) -> None:
    built = letter_case(personas)
    message = step(personas, step(personas, write_letter(personas, built, "I am sorry."), "submit"), "approve")
    _make_risk_stale(personas, built)

    refused = _refusal(lambda: step(personas, message, "release"))

    assert refused.items == [_risk_item(built)]


def test_delivering_a_message_or_recording_names_the_gate_and_the_person(personas: Personas) -> None:
    built = letter_case(personas)
    message = released_letter(personas, built)
    _make_risk_stale(personas, built)

    refused = _refusal(lambda: step(personas, message, "deliver", delivery_method=DeliveryMethod.IN_PERSON))

    assert refused.items == [_risk_item(built)]


def test_a_step_refused_for_another_reason_names_no_gates(personas: Personas) -> None:
    built = _case(personas, State.AGREEMENT_MONITORING)

    with pytest.raises(DomainError) as refused:
        _book(personas, built)

    assert not isinstance(refused.value, RefusedError)
    assert refused.value.reasons == []
