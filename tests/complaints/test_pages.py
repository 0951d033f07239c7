"""The complaints register, a complaint's page and its forms: who reaches them, what they show and keep, what they
audit, and the register's query count."""

import pytest
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import Task, TaskKind
from amends.complaints.models import Complaint, ComplaintKind, Outcome
from amends.complaints.services import respond_to_complaint
from amends.core.workdays import add_working_days
from tests.case_builders import build_case
from tests.complaints.builders import days_ago, record
from tests.conftest import signed_in_client
from tests.personas import Personas
from tests.test_query_counts import queries_for

pytestmark = pytest.mark.django_db


def register(personas: Personas) -> str:
    return f"/services/{personas.service.pk}/complaints/"


def test_a_coordinator_records_a_complaint_about_a_case_and_sees_when_it_is_due(personas: Personas) -> None:
    case = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator).case
    client = signed_in_client(personas.coordinator)
    received = days_ago(1)
    response = client.post(
        f"{register(personas)}add/",
        {
            "kind": "complaint",
            "received_on": received.strftime("%d/%m/%Y"),
            "channel": "phone",
            "from_role": "person_harmed",
            "case_reference": case.reference.lower(),
            "summary": "Nobody told me the meeting was cancelled.",
            "contact": "07700 900123",
            "answer_by": "phone",
            "handler": str(personas.coordinator.pk),
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{register(personas)}{complaint.pk}/"
    assert complaint.case == case
    due = add_working_days(received, 10)
    page = client.get(response["Location"]).content.decode()
    assert f"Answer by {due.day} {due:%B %Y} (10 working days)" in page
    assert "Nobody told me the meeting was cancelled." in page
    assert f"{personas.coordinator.full_name}, due" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.RECORD_VIEWED, target_type="complaints.complaint", target_id=str(complaint.pk)
    ).exists()
    assert Task.objects.open().filter(kind=TaskKind.COMPLAINT, service=personas.service, case=None).count() == 1
    assert not Task.objects.filter(kind=TaskKind.COMPLAINT, case=case).exists()


def test_a_complaint_about_a_case_stays_off_the_case_page(personas: Personas) -> None:
    case = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator).case
    assert case.lead_facilitator == personas.facilitator
    record(personas.service, personas.coordinator, case=case, received_on=days_ago(12))
    assert not Task.objects.filter(case=case, kind=TaskKind.COMPLAINT).exists()
    for person in (personas.facilitator, personas.coordinator):
        page = signed_in_client(person).get(f"/cases/{case.pk}/")
        assert page.status_code == 200
        assert "Answer a complaint" not in page.content.decode()
        assert register(personas) not in page.content.decode()


def test_the_handler_finds_the_task_on_their_tasks_linked_to_the_register(personas: Personas) -> None:
    complaint = record(personas.service, personas.coordinator, received_on=days_ago(30))
    client = signed_in_client(personas.coordinator)
    link = (
        f'<a class="govuk-link" href="{register(personas)}">Complaints and compliments'
        f'<span class="govuk-visually-hidden"> {personas.service.name}</span></a>'
    )
    for tasks_page in ("/tasks/", "/cases/"):
        page = client.get(tasks_page).content.decode()
        assert "Answer a complaint" in page
        assert link in page
        assert "Overdue" in page
    detail = client.get(f"{register(personas)}{complaint.pk}/").content.decode()
    assert f"{personas.coordinator.full_name}, due" in detail
    facilitator_tasks = signed_in_client(personas.facilitator).get("/tasks/").content.decode()
    assert register(personas) not in facilitator_tasks


def test_a_refused_complaint_keeps_what_was_typed(personas: Personas) -> None:
    client = signed_in_client(personas.coordinator)
    response = client.post(
        f"{register(personas)}add/",
        {
            "kind": "compliment",
            "received_on": timezone.localdate().strftime("%d/%m/%Y"),
            "channel": "letter",
            "from_role": "supporter",
            "case_reference": "",
            "summary": "Thank you for the care you took with my mother.",
            "handler": str(personas.coordinator.pk),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Only a complaint has a handler" in page
    assert "Thank you for the care you took with my mother." in page
    unknown = client.post(
        f"{register(personas)}add/",
        {
            "kind": "complaint",
            "received_on": timezone.localdate().strftime("%d/%m/%Y"),
            "channel": "letter",
            "from_role": "supporter",
            "case_reference": "XX-2026-99999",
            "summary": "Too slow.",
            "handler": str(personas.coordinator.pk),
        },
    ).content.decode()
    assert "No case of this service has that reference." in unknown
    assert 'value="XX-2026-99999"' in unknown
    assert not Complaint.objects.exists()


def test_the_answer_form_refuses_a_date_before_the_complaint_and_keeps_the_answer(personas: Personas) -> None:
    complaint = record(personas.service, personas.coordinator, received_on=days_ago(3))
    client = signed_in_client(personas.coordinator)
    url = f"{register(personas)}{complaint.pk}/respond/"
    refused = client.post(
        url,
        {
            "responded_on": days_ago(5).strftime("%d/%m/%Y"),
            "outcome": "upheld",
            "response": "We are sorry and have changed how we call back.",
            "version": "1",
        },
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "The answer cannot come before the complaint was received" in page
    assert "We are sorry and have changed how we call back." in page
    answered = client.post(
        url,
        {
            "responded_on": days_ago(1).strftime("%d/%m/%Y"),
            "outcome": "upheld",
            "response": "We are sorry and have changed how we call back.",
            "version": "1",
        },
    )
    assert answered.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).outcome == Outcome.UPHELD


def test_the_escalation_and_handler_forms_record_what_they_say(personas: Personas) -> None:
    complaint = record(personas.service, personas.coordinator, received_on=days_ago(15))
    client = signed_in_client(personas.coordinator)
    base = f"{register(personas)}{complaint.pk}/"
    page = client.get(f"{base}escalate/").content.decode()
    assert personas.service.organisation.name in page
    escalated = client.post(
        f"{base}escalate/",
        {"escalated_on": days_ago(1).strftime("%d/%m/%Y"), "escalated_to": "commissioner", "version": "1"},
    )
    assert escalated.status_code == 302
    acknowledged = client.post(
        f"{base}acknowledge/", {"acknowledged_on": days_ago(14).strftime("%d/%m/%Y"), "version": "2"}
    )
    assert acknowledged.status_code == 302
    same = client.post(f"{base}handler/", {"handler": str(personas.coordinator.pk), "version": "3"})
    assert same.status_code == 302
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.escalated_to, stored.acknowledged_on) == ("commissioner", days_ago(14))
    detail = client.get(base).content.decode()
    assert "The Police and Crime Commissioner" in detail
    assert "Overdue" in detail


def test_the_register_filters_open_and_answered_complaints_and_tags_the_overdue(personas: Personas) -> None:
    late = record(personas.service, personas.coordinator, received_on=days_ago(30), summary="Late one")
    answered = record(personas.service, personas.coordinator, received_on=days_ago(2))
    respond_to_complaint(
        complaint=answered,
        actor=personas.coordinator,
        responded_on=timezone.localdate(),
        outcome=Outcome.NOT_UPHELD,
        response="It was done.",
    )
    record(personas.service, personas.coordinator, kind=ComplaintKind.COMPLIMENT)
    client = signed_in_client(personas.coordinator)
    everything = client.get(register(personas)).content.decode()
    assert everything.count(f"{register(personas)}{late.pk}/") == 1
    assert "Compliment" in everything
    assert "Overdue" in everything
    waiting = client.get(f"{register(personas)}?show=open").content.decode()
    assert f"complaints/{late.pk}/" in waiting
    assert f"complaints/{answered.pk}/" not in waiting
    assert "Overdue" in waiting
    done = client.get(f"{register(personas)}?show=answered").content.decode()
    assert f"complaints/{answered.pk}/" in done
    assert f"complaints/{late.pk}/" not in done
    assert "Not upheld" in done


def test_the_register_runs_the_same_queries_with_few_or_many_complaints(personas: Personas) -> None:
    case = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator).case
    client = signed_in_client(personas.coordinator)
    record(personas.service, personas.coordinator, case=case)
    few = queries_for(client, register(personas))
    for number in range(8):
        record(personas.service, personas.coordinator, case=case if number % 2 else None, received_on=days_ago(number))
        record(personas.service, personas.coordinator, kind=ComplaintKind.COMPLIMENT)
    assert queries_for(client, register(personas)) == few


def test_an_administrator_reads_the_register_but_does_not_handle_complaints(personas: Personas) -> None:
    complaint = record(personas.service, personas.coordinator)
    client = signed_in_client(personas.administrator)
    page = client.get(register(personas)).content.decode()
    assert f"{register(personas)}add/" not in page
    assert client.get(f"{register(personas)}{complaint.pk}/").status_code == 200
    assert client.get(f"{register(personas)}add/").status_code == 404
    assert client.get(f"{register(personas)}{complaint.pk}/respond/").status_code == 404


@pytest.mark.parametrize("person", ["facilitator", "referrer", "supervisor", "commissioner", "other_coordinator"])
def test_others_find_no_register_and_no_complaint(personas: Personas, person: str) -> None:
    complaint = record(personas.service, personas.coordinator)
    client = signed_in_client(getattr(personas, person))
    assert client.get(register(personas)).status_code == 404
    assert client.get(f"{register(personas)}{complaint.pk}/").status_code == 404


def test_a_complaint_of_another_service_is_not_found_through_ours(personas: Personas) -> None:
    theirs = record(personas.other_service, personas.other_coordinator)
    client = signed_in_client(personas.coordinator)
    assert client.get(f"{register(personas)}{theirs.pk}/").status_code == 404


def test_the_service_page_links_the_register_for_those_who_read_it(personas: Personas) -> None:
    service_page = f"/services/{personas.service.pk}/"
    assert register(personas) in signed_in_client(personas.coordinator).get(service_page).content.decode()
    assert register(personas) not in signed_in_client(personas.facilitator).get(service_page).content.decode()


def test_a_compliment_page_has_no_clock_and_no_buttons(personas: Personas) -> None:
    compliment = record(personas.service, personas.coordinator, kind=ComplaintKind.COMPLIMENT, summary="Thank you!")
    client = signed_in_client(personas.coordinator)
    page = client.get(f"{register(personas)}{compliment.pk}/").content.decode()
    assert "Thank you!" in page
    assert "Answer by" not in page
    assert "/respond/" not in page
    assert client.get(f"{register(personas)}{compliment.pk}/respond/").status_code == 404
