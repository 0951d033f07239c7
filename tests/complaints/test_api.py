"""The complaints API lists, reads (audited), records and answers what the pages do; a refused rule answers 409."""

import datetime

import pytest
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import Task, TaskKind
from amends.core.workdays import add_working_days
from tests.case_builders import build_case
from tests.complaints.builders import days_ago, record
from tests.personas import Personas
from tests.test_api_cases import SessionClient

pytestmark = pytest.mark.django_db


def test_a_complaint_is_recorded_read_and_answered_through_the_api(personas: Personas) -> None:
    case = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator).case
    client = SessionClient(personas.coordinator)
    url = f"/services/{personas.service.pk}/complaints"
    received = days_ago(4)
    made = client.post(
        url,
        {
            "kind": "complaint",
            "received_on": received.isoformat(),
            "channel": "email",
            "from_role": "person_responsible",
            "summary": "My letter was passed on late.",
            "case_id": case.pk,
            "handler_id": personas.coordinator.pk,
        },
    )
    assert made.status_code == 201, made.content
    complaint = made.json()
    assert complaint["due_on"] == add_working_days(received, 10).isoformat()
    assert complaint["case_reference"] == case.reference
    assert personas.service.organisation.name in complaint["escalation_route"]
    [task] = [task for task in client.get("/tasks").json() if task["kind"] == TaskKind.COMPLAINT]
    assert (task["service_id"], task["case_id"], task["referral_id"]) == (personas.service.pk, None, None)
    assert task["due_on"] == complaint["due_on"]
    assert not Task.objects.filter(kind=TaskKind.COMPLAINT, case=case).exists()
    [row] = client.get(url).json()
    assert "summary" not in row
    read = client.get(f"{url}/{complaint['id']}").json()
    assert read["summary"] == "My letter was passed on late."
    assert AuditEvent.objects.filter(action=AuditAction.RECORD_VIEWED, target_id=str(complaint["id"])).count() == 1
    early = client.post(
        f"{url}/{complaint['id']}/response",
        {
            "responded_on": (received - datetime.timedelta(days=1)).isoformat(),
            "outcome": "upheld",
            "response": "No.",
            "version": read["version"],
        },
    )
    assert early.status_code == 409
    assert early.json()["field"] == "responded_on"
    answered = client.post(
        f"{url}/{complaint['id']}/response",
        {
            "responded_on": timezone.localdate().isoformat(),
            "outcome": "upheld",
            "response": "We are sorry.",
            "version": read["version"],
        },
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["answered_in_time"] is True
    assert not Task.objects.open().filter(kind=TaskKind.COMPLAINT).exists()
    assert [row["id"] for row in client.get(f"{url}?show=answered").json()] == [complaint["id"]]
    assert client.get(f"{url}?show=open").json() == []


def test_the_api_refuses_a_case_or_handler_from_elsewhere(personas: Personas) -> None:
    elsewhere = build_case(
        service=personas.other_service, coordinator=personas.other_coordinator, facilitator=personas.other_facilitator
    ).case
    client = SessionClient(personas.coordinator)
    url = f"/services/{personas.service.pk}/complaints"
    body = {
        "kind": "complaint",
        "received_on": timezone.localdate().isoformat(),
        "channel": "phone",
        "from_role": "public",
        "summary": "Too slow.",
    }
    wrong_case = client.post(url, {**body, "case_id": elsewhere.pk, "handler_id": personas.coordinator.pk})
    assert (wrong_case.status_code, wrong_case.json()["field"]) == (409, "case_id")
    wrong_handler = client.post(url, {**body, "handler_id": personas.facilitator.pk})
    assert (wrong_handler.status_code, wrong_handler.json()["field"]) == (409, "handler_id")


def test_the_api_hides_the_register_from_those_who_may_not_read_it(personas: Personas) -> None:
    complaint = record(personas.service, personas.coordinator)
    url = f"/services/{personas.service.pk}/complaints"
    assert SessionClient(personas.facilitator).get(url).status_code == 404
    assert SessionClient(personas.other_coordinator).get(f"{url}/{complaint.pk}").status_code == 404
    administrator = SessionClient(personas.administrator)
    assert administrator.get(f"{url}/{complaint.pk}").status_code == 200
    refused = administrator.post(
        f"{url}/{complaint.pk}/response",
        {
            "responded_on": timezone.localdate().isoformat(),
            "outcome": "upheld",
            "response": "Sorry.",
            "version": complaint.version,
        },
    )
    assert refused.status_code == 404
