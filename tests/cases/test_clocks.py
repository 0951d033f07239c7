"""The case's clocks and the tasks they set: first contact, sign-off, hold review, and marking tasks done."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from amends.audit.models import AuditAction, AuditEvent
from amends.cases import services as case_services
from amends.cases.models import State, Task, TaskKind, TimelineKind
from amends.cases.workflow import TransitionName
from amends.core.errors import DomainError
from amends.core.workdays import add_working_days
from amends.people import services as people_services
from amends.people.models import ContactChannel, ContactLogEntry, ContactOutcome
from tests.cases.test_workflow import case_in, move, reload, sign_off_all
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_it_stops_the_first_contact_clock_when_someone_is_reached(personas: Personas) -> None:
    built = case_in(personas, State.CONTACTING)
    reached_at = timezone.now() - datetime.timedelta(hours=1)
    people_services.log_contact(
        participant=built.harmed,
        actor=personas.facilitator,
        occurred_at=reached_at - datetime.timedelta(hours=1),
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.NO_ANSWER,
    )
    assert Task.objects.open().filter(case=built.case, kind=TaskKind.FIRST_CONTACT).exists()
    assert reload(built.case).first_contact_at is None

    people_services.log_contact(
        participant=built.harmed,
        actor=personas.facilitator,
        occurred_at=reached_at,
        channel=ContactChannel.VISIT,
        outcome=ContactOutcome.SPOKE,
    )

    assert reload(built.case).first_contact_at == reached_at
    assert not Task.objects.open().filter(case=built.case, kind=TaskKind.FIRST_CONTACT).exists()


def test_it_keeps_the_time_of_the_first_contact_when_someone_is_reached_again(personas: Personas) -> None:
    built = case_in(personas, State.CONTACTING)
    first_at = timezone.now() - datetime.timedelta(hours=2)
    for occurred_at in (first_at, first_at + datetime.timedelta(hours=1)):
        people_services.log_contact(
            participant=built.harmed,
            actor=personas.facilitator,
            occurred_at=occurred_at,
            channel=ContactChannel.PHONE,
            outcome=ContactOutcome.SPOKE,
        )

    assert reload(built.case).first_contact_at == first_at


def test_it_keeps_the_contact_summary_encrypted_and_audited(personas: Personas) -> None:
    built = case_in(personas, State.CONTACTING)

    entry = people_services.log_contact(
        participant=built.harmed,
        actor=personas.facilitator,
        occurred_at=timezone.now(),
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.SPOKE,
        summary="She is staying with her mother in Penarth.",
    )

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT summary FROM {ContactLogEntry._meta.db_table} WHERE id = %s",  # noqa: S608
            [entry.pk],
        )
        assert "Penarth" not in str(cursor.fetchone()[0])
    assert AuditEvent.objects.filter(action=AuditAction.CONTACT_LOGGED, target_id=str(entry.pk)).exists()
    assert built.case.timeline.filter(kind=TimelineKind.CONTACT_LOGGED, participant=built.harmed).exists()


def test_it_refuses_a_contact_in_the_future(personas: Personas) -> None:
    built = case_in(personas, State.CONTACTING)

    with pytest.raises(DomainError) as caught:
        people_services.log_contact(
            participant=built.harmed,
            actor=personas.facilitator,
            occurred_at=timezone.now() + datetime.timedelta(hours=1),
            channel=ContactChannel.PHONE,
            outcome=ContactOutcome.SPOKE,
        )
    assert caught.value.field == "occurred_at"


def test_it_gives_a_coordinator_two_working_days_to_sign_off(personas: Personas) -> None:
    built = case_in(personas, State.AWAITING_SIGNOFF)

    task = Task.objects.open().get(case=built.case, kind=TaskKind.SIGN_OFF)

    assert task.assigned_to == personas.coordinator
    assert task.due_on == add_working_days(timezone.localdate(), 2)


def test_it_closes_the_sign_off_task_when_preparation_starts(personas: Personas) -> None:
    built = case_in(personas, State.AWAITING_SIGNOFF)
    sign_off_all(built.case, personas.coordinator)

    move(built.case, personas.facilitator, TransitionName.START_PREPARING)

    assert not Task.objects.open().filter(case=built.case, kind=TaskKind.SIGN_OFF).exists()


def test_it_closes_the_conflict_task_when_the_facilitator_declares(personas: Personas) -> None:
    built = case_in(personas, State.ALLOCATED)
    assert Task.objects.open().filter(case=built.case, kind=TaskKind.DECLARE_CONFLICT).exists()

    declaration = case_services.declare_conflict(case=built.case, actor=personas.facilitator, has_conflict=False)

    assert not Task.objects.open().filter(case=built.case, kind=TaskKind.DECLARE_CONFLICT).exists()
    assert AuditEvent.objects.filter(action=AuditAction.CONFLICT_DECLARED, target_id=str(declaration.pk)).exists()


def test_it_lets_the_person_a_task_is_for_mark_it_done(personas: Personas) -> None:
    built = case_in(personas, State.ALLOCATED)
    task = Task.objects.open().get(case=built.case, kind=TaskKind.FIRST_CONTACT)

    case_services.complete_task(task=task, actor=personas.facilitator)

    task.refresh_from_db()
    assert task.completed_by == personas.facilitator
    assert AuditEvent.objects.filter(action=AuditAction.TASK_COMPLETED, target_id=str(task.pk)).exists()
    assert built.case.timeline.filter(kind=TimelineKind.TASK_DONE).exists()
    with pytest.raises(DomainError, match="already done"):
        case_services.complete_task(task=task, actor=personas.facilitator)


def test_it_lets_a_coordinator_mark_anyones_task_done(personas: Personas) -> None:
    built = case_in(personas, State.ALLOCATED)
    task = Task.objects.open().get(case=built.case, kind=TaskKind.FIRST_CONTACT)

    case_services.complete_task(task=task, actor=personas.coordinator)

    task.refresh_from_db()
    assert task.completed_by == personas.coordinator


@pytest.mark.parametrize("actor", ["supervisor", "other_coordinator", "other_facilitator"])
def test_it_refuses_anyone_else_marking_a_task_done(personas: Personas, actor: str) -> None:
    built = case_in(personas, State.ALLOCATED)
    task = Task.objects.open().get(case=built.case, kind=TaskKind.FIRST_CONTACT)

    with pytest.raises(DomainError):
        case_services.complete_task(task=task, actor=getattr(personas, actor))
    task.refresh_from_db()
    assert task.completed_at is None


def test_it_knows_when_a_task_is_overdue(personas: Personas) -> None:
    built = case_in(personas, State.ALLOCATED)
    task = Task.objects.open().get(case=built.case, kind=TaskKind.FIRST_CONTACT)

    assert not task.is_overdue(task.due_on)
    assert task.is_overdue(task.due_on + datetime.timedelta(days=1))


def test_it_sets_one_hold_review_task_however_often_the_case_is_held(personas: Personas) -> None:
    built = case_in(personas, State.ASSESSING)
    later = timezone.localdate() + datetime.timedelta(days=20)
    sooner = timezone.localdate() + datetime.timedelta(days=5)
    move(built.case, personas.facilitator, TransitionName.HOLD, hold_reason="health", hold_review_on=later)
    move(built.case, personas.facilitator, TransitionName.RESUME)

    move(built.case, personas.facilitator, TransitionName.HOLD, hold_reason="health", hold_review_on=sooner)

    tasks = Task.objects.open().filter(case=built.case, kind=TaskKind.HOLD_REVIEW)
    assert [task.due_on for task in tasks] == [sooner]
