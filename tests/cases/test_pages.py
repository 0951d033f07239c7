"""The case pages, the dashboard and tasks: what they show, and how they refuse."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import Case, ProcessKind, State, Task, TaskKind
from amends.people import services as people_services
from amends.people.models import ContactChannel, ContactOutcome, ParticipantRole
from tests.case_builders import build_case, make_trained, ready_to_take_part
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _build(personas: Personas, state: State = State.ASSESSING) -> Case:
    return build_case(
        service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator, state=state
    ).case


def _queries(client: object, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(captured)


def test_it_shows_the_case_with_its_gates_people_and_timeline(personas: Personas) -> None:
    case = _build(personas)
    response = signed_in_client(personas.facilitator).get(f"/cases/{case.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert case.reference in page
    for gate in ("Responsibility", "Consent", "Risk", "Court order"):
        assert gate in page
    assert "Missing" in page
    assert "Rob Responsible (Person responsible (offender)): no acceptance of responsibility has been recorded." in page
    assert "Ann Harmed" in page
    assert "Case moved on: Making contact → Assessing" in page
    assert f"/cases/{case.pk}/steps/return_to_assessing/" not in page
    assert f"/cases/{case.pk}/steps/hold/" in page
    assert AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED, target_id=str(case.pk)).exists()


def _grow(case: Case, personas: Personas, participants: int) -> None:
    """Participants who each have a contact, information given, consent and a risk assessment, and case notes:
    everything the gates panel, the participant table and the timeline read."""
    actor = personas.facilitator
    for number in range(participants):
        participant = people_services.add_participant(
            case=case,
            actor=actor,
            role=ParticipantRole.COMMUNITY_MEMBER,
            details={"given_name": f"Neighbour {number}", "family_name": "Street"},
        )
        people_services.log_contact(
            participant=participant,
            actor=actor,
            occurred_at=timezone.now() - datetime.timedelta(minutes=5),
            channel=ContactChannel.VISIT,
            outcome=ContactOutcome.SPOKE,
        )
        ready_to_take_part(participant, actor, ProcessKind.FACE_TO_FACE)
        case_services.add_case_note(case=case, actor=actor, text=f"Note {number}")


def test_it_runs_the_same_number_of_queries_with_two_or_fifty_people_and_their_records(personas: Personas) -> None:
    client = signed_in_client(personas.facilitator)
    small = _build(personas)
    few = _queries(client, f"/cases/{small.pk}/")
    large = _build(personas)
    _grow(large, personas, 48)
    assert large.participants.count() == 50
    assert _queries(client, f"/cases/{large.pk}/") == few


def test_it_refuses_a_step_and_names_each_missing_gate_and_person(personas: Personas) -> None:
    case = _build(personas)
    response = signed_in_client(personas.facilitator).post(
        f"/cases/{case.pk}/steps/start_preparing/", {"version": case.version}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Responsibility: Rob Responsible (Person responsible (offender)): no acceptance" in page
    assert "Consent: The participants&#x27; choice of process has not been recorded." in page
    assert "Risk: Ann Harmed (Person harmed (victim)) has no risk assessment." in page
    case.refresh_from_db()
    assert case.state == State.ASSESSING


def test_it_puts_a_case_on_hold(personas: Personas) -> None:
    case = _build(personas)
    review = timezone.localdate() + datetime.timedelta(days=10)
    response = signed_in_client(personas.facilitator).post(
        f"/cases/{case.pk}/steps/hold/",
        {"version": case.version, "hold_reason": "trial_pending", "hold_review_on": review.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.ON_HOLD
    assert case.hold_review_on == review


def test_it_answers_404_for_an_unknown_step(personas: Personas) -> None:
    case = _build(personas)
    client = signed_in_client(personas.facilitator)
    assert client.get(f"/cases/{case.pk}/steps/fly_away/").status_code == 404
    assert client.get(f"/cases/{case.pk}/steps/allocate/").status_code == 404


def test_it_keeps_what_was_typed_when_a_rule_refuses(personas: Personas) -> None:
    case = _build(personas)
    response = signed_in_client(personas.facilitator).post(
        f"/cases/{case.pk}/details/",
        {
            "version": case.version,
            "process_kind": "letters",
            "pre_sentence": "on",
            "deferment_order_on": "10/03/2026",
            "deferred_until": "01/03/2026",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The sentence is deferred until a date after the order." in page
    assert 'value="10/03/2026"' in page
    assert 'value="01/03/2026"' in page
    case.refresh_from_db()
    assert case.process_kind == ""


def test_it_refuses_a_change_made_from_a_stale_page(personas: Personas) -> None:
    case = _build(personas)
    stale = case.version
    case_services.update_case_details(
        case=case, actor=personas.coordinator, details={"process_kind": "shuttle"}, expected_version=stale
    )
    response = signed_in_client(personas.facilitator).post(
        f"/cases/{case.pk}/details/", {"version": stale, "process_kind": "letters"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    case.refresh_from_db()
    assert case.process_kind == "shuttle"


def test_it_saves_the_case_details(personas: Personas) -> None:
    case = _build(personas)
    response = signed_in_client(personas.facilitator).post(
        f"/cases/{case.pk}/details/",
        {"version": case.version, "process_kind": "letters", "sensitivity_flags": ["hate_crime"]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.process_kind == "letters"
    assert case.sensitivity_flags == ["hate_crime"]


def test_it_records_a_conflict_declaration_and_asks_for_details(personas: Personas) -> None:
    case = _build(personas, State.ALLOCATED)
    client = signed_in_client(personas.facilitator)
    refused = client.post(f"/cases/{case.pk}/conflict/", {"has_conflict": "yes", "details": ""})
    assert refused.status_code == 200
    assert "Say what the conflict of interest is." in refused.content.decode()
    assert client.post(f"/cases/{case.pk}/conflict/", {"has_conflict": "no"}).status_code == 302
    assert case.conflict_declarations.filter(facilitator=personas.facilitator, has_conflict=False).exists()


def test_it_adds_a_case_note(personas: Personas) -> None:
    case = _build(personas)
    client = signed_in_client(personas.facilitator)
    assert client.post(f"/cases/{case.pk}/notes/add/", {"text": "Spoke to the school."}).status_code == 302
    assert "Spoke to the school." in client.get(f"/cases/{case.pk}/").content.decode()


def test_it_allocates_a_case(personas: Personas) -> None:
    case = _build(personas, State.REFERRED)
    make_trained(personas.facilitator)
    client = signed_in_client(personas.coordinator)
    form = client.get(f"/cases/{case.pk}/allocate/")
    assert form.status_code == 200
    assert personas.facilitator.full_name in form.content.decode()
    response = client.post(f"/cases/{case.pk}/allocate/", {"version": case.version, "lead": personas.facilitator.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.lead_facilitator == personas.facilitator
    assert case.state == State.ALLOCATED


def test_it_lists_my_cases_and_tasks_and_marks_a_task_done(personas: Personas) -> None:
    case = _build(personas)
    overdue = case_services.create_task(
        service=personas.service,
        case=case,
        kind=TaskKind.RISK_REVIEW,
        assigned_to=personas.facilitator,
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    client = signed_in_client(personas.facilitator)
    page = client.get("/cases/").content.decode()
    assert case.reference in page
    assert "Review the risk assessment" in page
    assert "Overdue" in page
    assert "Overdue" in client.get("/tasks/").content.decode()
    response = client.post(f"/tasks/{overdue.pk}/done/")
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert Task.objects.get(pk=overdue.pk).completed_at is not None


def test_it_lists_the_cases_of_a_service_by_state(personas: Personas) -> None:
    assessing = _build(personas)
    on_hold = _build(personas, State.ON_HOLD)
    client = signed_in_client(personas.coordinator)
    page = client.get(f"/services/{personas.service.pk}/cases/?state=on_hold").content.decode()
    assert on_hold.reference in page
    assert assessing.reference not in page
    few = _queries(client, f"/services/{personas.service.pk}/cases/")
    for _ in range(3):
        _build(personas)
    assert _queries(client, f"/services/{personas.service.pk}/cases/") == few
