"""Recording, handing over, acknowledging, answering and escalating complaints: the clock, the handler's task and the
rules that refuse."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases.models import Task, TaskKind
from amends.complaints import services
from amends.complaints.models import Channel, Complaint, ComplaintKind, EscalatedTo, FromRole, Outcome
from amends.core.errors import DomainError
from tests.case_builders import build_case
from tests.complaints.builders import days_ago, record
from tests.factories import MembershipFactory, UserFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def second_coordinator(personas: Personas) -> object:
    user = UserFactory(full_name="Another Coordinator")
    MembershipFactory(user=user, service=personas.service, role="coordinator")
    return user


def complaint_tasks() -> list[Task]:
    return list(Task.objects.open().filter(kind=TaskKind.COMPLAINT).order_by("pk"))


def test_the_answer_is_due_10_working_days_later_skipping_christmas_and_new_year() -> None:
    # Thursday 17 December 2026: Christmas Day (Friday 25), Boxing Day's substitute (Monday 28) and New Year's Day
    # (Friday 1 January) are not working days, nor are the weekends: the 10th working day is Tuesday 5 January.
    assert services.answer_due_on(datetime.date(2026, 12, 17)) == datetime.date(2027, 1, 5)


def test_a_complaint_received_before_the_summer_bank_holiday_is_due_a_day_later(personas: Personas) -> None:
    # Thursday 20 August 2026; Monday 31 August is the summer bank holiday: 10 working days end on Friday 4 September.
    complaint = record(personas.service, personas.coordinator, received_on=datetime.date(2026, 8, 20))
    assert complaint.due_on == datetime.date(2026, 9, 4)


def test_a_complaint_about_a_case_gives_its_handler_a_task_about_the_service_not_the_case(personas: Personas) -> None:
    case = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator).case
    complaint = record(personas.service, personas.coordinator, case=case, received_on=days_ago(2))
    [task] = complaint_tasks()
    assert (task.service_id, task.case_id, task.referral_id) == (personas.service.pk, None, None)
    assert (task.assigned_to_id, task.due_on) == (personas.coordinator.pk, complaint.due_on)
    assert not Task.objects.filter(case=case, kind=TaskKind.COMPLAINT).exists()
    event = AuditEvent.objects.get(action=AuditAction.COMPLAINT_RECORDED)
    assert event.changes["summary"] == "[encrypted]"
    assert "Nobody called" not in str(event.changes)


def test_changing_the_handler_moves_the_task(personas: Personas) -> None:
    case = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator).case
    complaint = record(personas.service, personas.coordinator, case=case)
    other = second_coordinator(personas)
    services.assign_handler(complaint=complaint, actor=personas.coordinator, handler=other, expected_version=1)
    [task] = complaint_tasks()
    assert task.assigned_to_id == other.pk  # type: ignore[attr-defined]
    assert Complaint.objects.get(pk=complaint.pk).version == 2
    assert AuditEvent.objects.filter(action=AuditAction.COMPLAINT_UPDATED).count() == 1


def test_the_answer_completes_the_task_only_when_no_other_complaint_of_the_service_waits(personas: Personas) -> None:
    case = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator).case
    first = record(personas.service, personas.coordinator, case=case, received_on=days_ago(6))
    second = record(personas.service, personas.coordinator, received_on=days_ago(1))
    [task] = complaint_tasks()
    assert task.due_on == first.due_on
    services.respond_to_complaint(
        complaint=first,
        actor=personas.coordinator,
        responded_on=timezone.localdate(),
        outcome=Outcome.PARTLY_UPHELD,
        response="We are sorry; your facilitator will call every week.",
    )
    [same] = complaint_tasks()
    assert (same.pk, same.due_on) == (task.pk, second.due_on)
    services.respond_to_complaint(
        complaint=second,
        actor=personas.coordinator,
        responded_on=timezone.localdate(),
        outcome=Outcome.NOT_UPHELD,
        response="The call was made on the day agreed.",
    )
    assert complaint_tasks() == []
    assert Task.objects.get(pk=task.pk).completed_by == personas.coordinator
    assert AuditEvent.objects.filter(action=AuditAction.COMPLAINT_RESPONDED).count() == 2


def test_a_complaint_about_no_case_gives_its_handler_a_task_due_on_the_answer_date(personas: Personas) -> None:
    complaint = record(personas.service, personas.coordinator, received_on=days_ago(3))
    [task] = complaint_tasks()
    assert (task.service_id, task.case_id, task.referral_id) == (personas.service.pk, None, None)
    assert (task.assigned_to_id, task.due_on) == (personas.coordinator.pk, complaint.due_on)


def test_an_earlier_complaint_brings_the_task_forward_and_each_service_has_its_own(personas: Personas) -> None:
    MembershipFactory(user=personas.coordinator, service=personas.other_service, role="coordinator")
    later = record(personas.service, personas.coordinator, received_on=days_ago(1))
    earlier = record(personas.service, personas.coordinator, received_on=days_ago(9))
    [task] = complaint_tasks()
    assert task.due_on == earlier.due_on != later.due_on
    elsewhere = record(personas.other_service, personas.coordinator, received_on=days_ago(2))
    assert [(task.service_id, task.due_on) for task in complaint_tasks()] == [
        (personas.service.pk, earlier.due_on),
        (personas.other_service.pk, elsewhere.due_on),
    ]


def test_a_compliment_gives_nobody_a_task(personas: Personas) -> None:
    record(personas.service, personas.coordinator, kind=ComplaintKind.COMPLIMENT)
    assert complaint_tasks() == []


def test_only_a_complaint_task_may_be_about_neither_a_case_nor_a_referral(personas: Personas) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(
            service=personas.service,
            kind=TaskKind.FIRST_CONTACT,
            assigned_to=personas.coordinator,
            due_on=timezone.localdate(),
        )
    Task.objects.create(
        service=personas.service, kind=TaskKind.COMPLAINT, assigned_to=personas.coordinator, due_on=timezone.localdate()
    )


def test_it_refuses_an_answer_dated_before_the_complaint_was_received(personas: Personas) -> None:
    complaint = record(personas.service, personas.coordinator, received_on=days_ago(3))
    with pytest.raises(DomainError, match="before the complaint was received") as refused:
        services.respond_to_complaint(
            complaint=complaint,
            actor=personas.coordinator,
            responded_on=days_ago(4),
            outcome=Outcome.UPHELD,
            response="Sorry.",
        )
    assert refused.value.field == "responded_on"


def test_it_refuses_a_second_answer_and_an_answer_without_words(personas: Personas) -> None:
    complaint = record(personas.service, personas.coordinator)
    with pytest.raises(DomainError, match="Say what the answer told them"):
        services.respond_to_complaint(
            complaint=complaint,
            actor=personas.coordinator,
            responded_on=timezone.localdate(),
            outcome=Outcome.UPHELD,
            response="  ",
        )
    # Withdrawn needs no words.
    services.respond_to_complaint(
        complaint=complaint,
        actor=personas.coordinator,
        responded_on=timezone.localdate(),
        outcome=Outcome.WITHDRAWN,
        response="",
    )
    with pytest.raises(DomainError, match="already been answered"):
        services.respond_to_complaint(
            complaint=complaint,
            actor=personas.coordinator,
            responded_on=timezone.localdate(),
            outcome=Outcome.UPHELD,
            response="Sorry.",
        )


def test_a_compliment_has_no_handler_and_no_clock(personas: Personas) -> None:
    with pytest.raises(DomainError, match="Only a complaint has a handler") as refused:
        record(personas.service, personas.coordinator, kind=ComplaintKind.COMPLIMENT, handler=personas.coordinator)
    assert refused.value.field == "handler"
    compliment = record(personas.service, personas.coordinator, kind=ComplaintKind.COMPLIMENT)
    assert (compliment.handler, compliment.due_on) == (None, None)
    with pytest.raises(DomainError, match="Only a complaint is answered"):
        services.respond_to_complaint(
            complaint=compliment,
            actor=personas.coordinator,
            responded_on=timezone.localdate(),
            outcome=Outcome.UPHELD,
            response="Thank you.",
        )


def test_a_complaint_needs_a_handler_who_answers_complaints_in_the_service(personas: Personas) -> None:
    with pytest.raises(DomainError, match="Choose who will answer"):
        record(personas.service, personas.coordinator, handler=None)
    with pytest.raises(DomainError, match="Choose someone who answers complaints"):
        record(personas.service, personas.coordinator, handler=personas.facilitator)
    with pytest.raises(DomainError, match="Choose someone who answers complaints"):
        record(personas.service, personas.coordinator, handler=personas.other_coordinator)


def test_only_a_coordinator_records_a_complaint(personas: Personas) -> None:
    with pytest.raises(DomainError, match="Only a coordinator"):
        services.record_complaint(
            service=personas.service,
            actor=personas.administrator,
            kind=ComplaintKind.COMPLIMENT,
            received_on=timezone.localdate(),
            channel=Channel.EMAIL,
            from_role=FromRole.PUBLIC,
            summary="Thank you.",
        )


def test_the_public_form_records_a_complaint_for_the_services_first_handler(personas: Personas) -> None:
    complaint = services.record_complaint(
        service=personas.service,
        actor=None,
        kind=ComplaintKind.COMPLAINT,
        received_on=timezone.localdate(),
        channel=Channel.ONLINE_FORM,
        from_role=FromRole.ANONYMOUS,
        summary="The letter I was sent had the wrong name on it.",
    )
    assert complaint.handler == personas.coordinator
    assert complaint.recorded_by is None


def test_it_refuses_a_case_of_another_service_and_a_date_in_the_future(personas: Personas) -> None:
    elsewhere = build_case(
        service=personas.other_service, coordinator=personas.other_coordinator, facilitator=personas.other_facilitator
    ).case
    with pytest.raises(DomainError, match="Choose a case of this service"):
        record(personas.service, personas.coordinator, case=elsewhere)
    with pytest.raises(DomainError, match="cannot be in the future"):
        record(personas.service, personas.coordinator, received_on=timezone.localdate() + datetime.timedelta(days=1))


def test_an_escalation_is_recorded_and_a_later_one_replaces_it(personas: Personas) -> None:
    complaint = record(personas.service, personas.coordinator, received_on=days_ago(20))
    with pytest.raises(DomainError, match="Say where the complaint went"):
        services.escalate_complaint(
            complaint=complaint, actor=personas.coordinator, escalated_on=days_ago(5), escalated_to=EscalatedTo.OTHER
        )
    with pytest.raises(DomainError, match="on or after the day it was received"):
        services.escalate_complaint(
            complaint=complaint,
            actor=personas.coordinator,
            escalated_on=days_ago(21),
            escalated_to=EscalatedTo.ORGANISATION,
        )
    services.escalate_complaint(
        complaint=complaint, actor=personas.coordinator, escalated_on=days_ago(5), escalated_to=EscalatedTo.ORGANISATION
    )
    with pytest.raises(DomainError, match="already escalated"):
        services.escalate_complaint(
            complaint=complaint,
            actor=personas.coordinator,
            escalated_on=days_ago(6),
            escalated_to=EscalatedTo.COMMISSIONER,
        )
    services.escalate_complaint(
        complaint=complaint, actor=personas.coordinator, escalated_on=days_ago(1), escalated_to=EscalatedTo.COMMISSIONER
    )
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.escalated_on, stored.escalated_to) == (days_ago(1), EscalatedTo.COMMISSIONER)
    assert AuditEvent.objects.filter(action=AuditAction.COMPLAINT_ESCALATED).count() == 2


def test_an_acknowledgement_comes_on_or_after_the_day_received(personas: Personas) -> None:
    complaint = record(personas.service, personas.coordinator, received_on=days_ago(3))
    with pytest.raises(DomainError, match="acknowledged on or after"):
        services.record_acknowledgement(complaint=complaint, actor=personas.coordinator, acknowledged_on=days_ago(4))
    services.record_acknowledgement(complaint=complaint, actor=personas.coordinator, acknowledged_on=days_ago(2))
    assert Complaint.objects.get(pk=complaint.pk).acknowledged_on == days_ago(2)


def test_a_second_editor_working_from_an_old_copy_is_refused(personas: Personas) -> None:
    complaint = record(personas.service, personas.coordinator)
    services.record_acknowledgement(
        complaint=complaint, actor=personas.coordinator, acknowledged_on=timezone.localdate(), expected_version=1
    )
    with pytest.raises(DomainError, match="Someone else changed this record"):
        services.respond_to_complaint(
            complaint=complaint,
            actor=personas.coordinator,
            responded_on=timezone.localdate(),
            outcome=Outcome.UPHELD,
            response="Sorry.",
            expected_version=1,
        )


def test_the_migration_takes_complaint_tasks_off_their_cases_and_keeps_one_per_handler(personas: Personas) -> None:
    migration = importlib.import_module("amends.cases.migrations.0009_complaint_tasks")
    first = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    second = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    today = timezone.localdate()
    for case, due_on in ((first.case, today), (second.case, days_ago(1))):
        Task.objects.create(
            service=personas.service,
            case=case,
            kind=TaskKind.COMPLAINT,
            assigned_to=personas.coordinator,
            due_on=due_on,
        )
    migration.take_complaint_tasks_off_cases(django_apps, None)
    [task] = complaint_tasks()
    assert (task.case_id, task.referral_id, task.due_on) == (None, None, days_ago(1))
    assert not Task.objects.filter(kind=TaskKind.COMPLAINT, case__isnull=False).exists()
    assert Task.objects.filter(case=first.case).exists()
