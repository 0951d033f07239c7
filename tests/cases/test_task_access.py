"""Who may mark a task done once their role in its service has ended."""

import pytest
from django.utils import timezone

from amends.accounts.models import Membership, User
from amends.accounts.services import end_membership
from amends.cases.models import Task, TaskKind
from amends.cases.services import complete_task, create_task
from amends.core.errors import DomainError
from tests.case_builders import build_case
from tests.conftest import signed_in_client
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _task_of_the_facilitator(personas: Personas) -> Task:
    built = build_case(service=personas.service, coordinator=personas.coordinator, facilitator=personas.facilitator)
    return create_task(
        service=personas.service,
        case=built.case,
        kind=TaskKind.RISK_REVIEW,
        assigned_to=personas.facilitator,
        due_on=timezone.localdate(),
    )


def test_it_lets_the_person_a_task_is_for_mark_it_done(personas: Personas) -> None:
    task = _task_of_the_facilitator(personas)
    client = signed_in_client(personas.facilitator)

    assert client.post(f"/api/v1/tasks/{task.pk}/done").status_code == 200
    assert Task.objects.get(pk=task.pk).completed_at is not None


def test_it_refuses_a_task_to_someone_whose_role_in_its_service_has_ended(personas: Personas) -> None:
    task = _task_of_the_facilitator(personas)
    membership = Membership.objects.get(user=personas.facilitator, service=personas.service)
    end_membership(membership=membership, actor=personas.coordinator)
    client = signed_in_client(personas.facilitator)

    assert client.post(f"/api/v1/tasks/{task.pk}/done").status_code == 404
    assert client.post(f"/tasks/{task.pk}/done/").status_code == 404
    assert Task.objects.get(pk=task.pk).completed_at is None


def test_the_service_refuses_a_task_to_someone_whose_role_in_its_service_has_ended(personas: Personas) -> None:
    task = _task_of_the_facilitator(personas)
    membership = Membership.objects.get(user=personas.facilitator, service=personas.service)
    end_membership(membership=membership, actor=personas.coordinator)
    facilitator = User.objects.get(pk=personas.facilitator.pk)

    with pytest.raises(DomainError, match="Only the person this task is for"):
        complete_task(task=task, actor=facilitator)
    assert Task.objects.get(pk=task.pk).completed_at is None
